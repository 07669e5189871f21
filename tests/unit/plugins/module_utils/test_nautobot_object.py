# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nautobot_object's learning of fields on a scripted client: what it reads when (the
module itself runs against the real Nautobot in tests/integration/test_nautobot_object.py)."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_object import (
    endpoint_path,
    related_kind,
    run_object,
)

API = "http://nb/api/"
PROVIDER = {"id": "p1", "object_type": "circuits.provider", "url": API + "circuits/providers/p1/", "name": "Acme"}
STATUS = {"id": "s1", "object_type": "extras.status", "url": API + "extras/statuses/s1/", "name": "Active"}
CIRCUIT = {"id": "c1", "url": API + "circuits/circuits/c1/", "cid": "C1", "provider": PROVIDER, "status": STATUS,
           "description": "one", "commit_rate": None, "tags": [], "custom_fields": {}}
OPTIONS = {"actions": {"POST": {
    "id": {"type": "string"}, "url": {"type": "field", "read_only": True},
    "cid": {"type": "string", "required": True}, "provider": {"type": "field", "required": True},
    "status": {"type": "field", "required": True}, "description": {"type": "string"},
    "commit_rate": {"type": "integer"}, "tags": {"type": "field"}, "custom_fields": {"type": "field"},
    "kind": {"type": "field", "choices": [{"value": "a", "display": "A"}]},
}}}


class Client(object):
    def __init__(self, objects):
        self.objects = objects
        self.requests = []

    def iter_next_links(self, path, params=None):
        self.requests.append(("GET", path))
        return iter([copy.deepcopy(o) for o in self.objects
                     if all(k in ("depth", "limit") or str(o.get(k)) == str(v) or
                            (isinstance(o.get(k), dict) and o[k].get("name") == v) for k, v in params.items())])

    def request(self, method, path, params=None, json_body=None, **kwargs):
        self.requests.append((method, path) + ((json_body,) if json_body is not None else ()))
        if method == "OPTIONS":
            return OPTIONS
        if method == "PATCH":
            self.objects[0].update(json_body)
            return self.objects[0]
        if method == "GET" and path.endswith("/c1/"):
            return copy.deepcopy(self.objects[0])
        if method == "GET":
            return {"results": [copy.deepcopy(o) for o in self.objects[:1]]}
        raise AssertionError((method, path))


def run(objects, check_mode=False, **params):
    adapter = NautobotAdapter(Client(objects))
    params = dict(dict(endpoint="circuits/circuits", identity={"cid": "C1", "provider": "Acme"}, data={},
                       purge=[], clear=[], state="present"), **params)
    adapter.begin(params)
    return run_object(adapter, params, check_mode, True), adapter.client.requests


def test_endpoint_paths():
    assert endpoint_path("/api/circuits/circuits/") == "circuits/circuits"
    assert endpoint_path("plugins/my-app/widgets") == "plugins/my-app/widgets"
    for bad in ("circuits", "a/b/c", "../x/y", "circuits/circuits?x=1"):
        with pytest.raises(ModuleError):
            endpoint_path(bad)


def test_related_values_tell_their_endpoint():
    assert related_kind(PROVIDER) == ("ref", "circuits/providers")
    assert related_kind([STATUS]) == ("refset", "extras/statuses")
    assert related_kind({"value": "a", "label": "A"}) == ("value", None)
    assert related_kind([]) is None and related_kind(None) is None


def test_converged_run_is_one_read_and_no_schema():
    result, requests = run([dict(CIRCUIT)], data={"status": "Active", "description": "one"}, clear=["commit_rate"])
    assert result["changed"] is False
    assert requests == [("GET", "circuits/circuits/")]


def test_update_of_a_plain_field_checks_the_schema_once():
    result, requests = run([dict(CIRCUIT)], data={"description": "two"})
    assert result["changed"] is True
    assert [r[0] for r in requests] == ["GET", "OPTIONS", "PATCH", "GET"]
    assert requests[2][2] == {"description": "two"}


def test_update_of_a_shown_related_field_needs_no_schema():
    result, requests = run([dict(CIRCUIT)], data={"status": "Planned"})
    assert result["changed"] is True
    assert [r[0] for r in requests] == ["GET", "PATCH", "GET"]
    assert requests[1][2] == {"status": {"name": "Planned"}}


def test_clear_and_empty_fields_read_the_schema_once():
    result, requests = run([dict(CIRCUIT)], clear=["description"])
    assert [r[0] for r in requests] == ["GET", "OPTIONS", "PATCH", "GET"]
    assert requests[2][2] == {"description": ""}


def test_unknown_key_and_bad_choice_fail_before_any_write():
    with pytest.raises(ModuleError, match="nope: not a writable field"):
        run([dict(CIRCUIT)], data={"nope": 1})
    with pytest.raises(ModuleError, match="kind: 'b' is not one of"):
        run([dict(CIRCUIT)], data={"kind": "b"})


def test_create_needs_the_required_fields():
    with pytest.raises(ModuleError, match="set: status"):
        run([], identity={"cid": "C9", "provider": "Acme"})


def test_identity_and_options_checked_first():
    with pytest.raises(ModuleError, match="give identity"):
        run([], identity=None)
    with pytest.raises(ModuleError, match="find it by id"):
        run([], data={"cid": "C2"})
    with pytest.raises(ModuleError, match="purge: tags"):
        run([], purge=["tags"])


def test_a_create_without_an_answer_reads_again():
    from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

    class LostAnswer(Client):
        def request(self, method, path, params=None, json_body=None, **kwargs):
            if method == "POST":
                self.requests.append(("POST", path))
                self.objects.append(dict(CIRCUIT, cid="C9"))  # stored, but the answer was lost
                raise ApiError("POST", path, None, "timed out", uncertain=True)
            return super(LostAnswer, self).request(method, path, params, json_body, **kwargs)

    client = LostAnswer([])
    adapter = NautobotAdapter(client)
    params = dict(endpoint="circuits/circuits", identity={"cid": "C9", "provider": "Acme"},
                  data={"status": "Active"}, purge=[], clear=[], state="present")
    adapter.begin(params)
    result = run_object(adapter, params, False, False)
    assert result["changed"] is True and result["object"]["cid"] == "C9"
    assert "the create took effect" in result["warnings"][0]
    assert [r[0] for r in client.requests].count("GET") >= 2  # the first read, and the read after the POST
