# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Engine decisions on an in-memory platform (a unit test of the engine; the modules are
proven against the real Nautobot in tests/integration)."""

from __future__ import absolute_import, division, print_function

import copy
import os

import pytest
import yaml

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import RestAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, ensure, poll, same_value
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


class MemoryPlatform(NautobotAdapter):
    """Nautobot's matching rules over dicts in memory; records every call."""

    def __init__(self, objects):
        super(MemoryPlatform, self).__init__(client=None)
        self.objects = objects  # path -> list of objects (depth-1 shape)
        self.calls = []

    def _select(self, path, filters):
        return [copy.deepcopy(o) for o in self.objects.get(path, [])
                if all(str(o.get(k)) == str(v) for k, v in filters.items())]

    def find(self, resource, identity, deep=False):
        self.calls.append(("find", resource.path))
        filters = dict((k, v) for k, v in identity.items() if not isinstance(v, dict))
        return self._select(resource.path, filters)

    def resolve(self, field, query):
        self.calls.append(("resolve", field.path))
        return self._select(field.path, self._filters(query))

    def create(self, resource, payload):
        self.calls.append(("create", payload))
        return dict(payload, id="new")

    def update(self, resource, current, payload):
        self.calls.append(("update", payload))
        merged = dict(current)
        merged.update(payload)
        return merged

    def delete(self, resource, current):
        self.calls.append(("delete", current["id"]))

    def writes(self):
        return [c for c in self.calls if c[0] in ("create", "update", "delete")]


THING = Resource(
    name="thing", path="things", platform="memory", identity=("name", "site"),
    fields=dict(
        name=Field(required=True),
        site=Ref("sites"),
        kind=Ref("kinds", required_on_create=True),
        serial=Field(empty=""),
        size=Field(type="int"),
        labels=RefSet("labels"),
        extra=Field(type="dict", merge=True, clearable=False),
    ),
)

SITE = {"id": "s1", "name": "dc1"}
KIND_A = {"id": "k1", "name": "A"}
KIND_B = {"id": "k2", "name": "B"}
LABEL_X = {"id": "l1", "name": "x"}
LABEL_Y = {"id": "l2", "name": "y"}


def platform(**thing):
    existing = dict({"id": "t1", "name": "t", "site": SITE, "kind": KIND_A, "serial": "S1", "size": 2,
                     "labels": [LABEL_X], "extra": {"a": 1, "b": 2}}, **thing)
    return MemoryPlatform({"things": [existing], "sites": [SITE], "kinds": [KIND_A, KIND_B],
                           "labels": [LABEL_X, LABEL_Y]})


def params(**values):
    base = dict((n, None) for n in THING.fields)
    base.update({"state": "present", "clear": [], "purge_labels": False})
    base.update(values)
    return base


def test_converged_is_one_read_and_no_write():
    mem = platform()
    result = ensure(THING, params(name="t", site="dc1", kind="A", serial="S1", size="2", labels=["x"],
                                  extra={"a": 1}), mem)
    assert result["changed"] is False
    assert mem.calls == [("find", "things")]


def test_update_sends_only_changed_fields_and_refs_by_name():
    mem = platform()
    result = ensure(THING, params(name="t", site="dc1", kind="B", serial="S1"), mem, want_diff=True)
    assert result["changed"] is True
    assert mem.writes() == [("update", {"kind": {"name": "B"}})]
    assert (result["diff"]["before"]["kind"], result["diff"]["after"]["kind"]) == ("A", "B")


def test_check_mode_update_resolves_and_writes_nothing():
    mem = platform()
    result = ensure(THING, params(name="t", kind="B"), mem, check_mode=True, want_diff=True)
    assert result["changed"] is True and mem.writes() == []
    assert result["diff"] == {"before": {"name": "t", "kind": "A"}, "after": {"name": "t", "kind": "B"}}


def test_check_mode_missing_related_object_warns_and_predicts():
    mem = platform()
    result = ensure(THING, params(name="new", site="dc1", kind="C"), mem, check_mode=True, want_diff=True)
    assert result["changed"] is True and mem.writes() == []
    assert "kind" in result["warnings"][0] and "C" in result["warnings"][0]
    assert result["thing"]["id"] is None and result["diff"]["after"]["kind"] == "C"


def test_real_run_missing_related_dict_fails_before_write():
    mem = platform()
    with pytest.raises(ModuleError, match="kind: no kinds matches name=Nope, size=1"):
        ensure(THING, params(name="new", kind={"name": "Nope", "size": 1}), mem)
    assert mem.writes() == []


def test_labels_add_only_and_purge():
    mem = platform()
    ensure(THING, params(name="t", labels=["y"]), mem)
    assert mem.writes() == [("update", {"labels": ["l1", {"name": "y"}]})]
    mem = platform()
    ensure(THING, params(name="t", labels=["y"], purge_labels=True), mem)
    assert mem.writes() == [("update", {"labels": [{"name": "y"}]})]
    mem = platform()
    assert ensure(THING, params(name="t", labels=["x"], purge_labels=True), mem)["changed"] is False


def test_merge_dict_compares_given_keys_only():
    mem = platform()
    assert ensure(THING, params(name="t", extra={"b": 2}), mem)["changed"] is False
    ensure(THING, params(name="t", extra={"b": 3}), mem)
    assert mem.writes() == [("update", {"extra": {"a": 1, "b": 3}})]


def test_clear_and_its_validation():
    mem = platform()
    ensure(THING, params(name="t", clear=["serial", "site"]), mem)
    assert mem.writes() == [("update", {"serial": "", "site": None})]
    with pytest.raises(ModuleError, match="both set and listed in clear"):
        ensure(THING, params(name="t", serial="x", clear=["serial"]), platform())
    with pytest.raises(ModuleError, match="extra cannot be cleared"):
        ensure(THING, params(name="t", clear=["extra"]), platform())


def test_create_needs_required_fields_and_applies_defaults():
    with pytest.raises(ModuleError, match="to create it, set: kind"):
        ensure(THING, params(name="new"), platform())
    mem = platform()
    result = ensure(THING, params(name="new", kind="A", size=3), mem, want_diff=True)
    assert mem.writes() == [("create", {"name": "new", "kind": {"name": "A"}, "size": 3})]
    assert result["diff"]["before"] == {}


def test_ambiguous_identity_fails_with_samples():
    mem = platform()
    mem.objects["things"].append(dict(mem.objects["things"][0], id="t2", site={"id": "s2", "name": "dc2"}))
    with pytest.raises(ModuleError, match="2 thing objects match"):
        ensure(THING, params(name="t", serial="x"), mem)
    assert ensure(THING, params(name="t", site="dc2", serial="S1"), mem)["changed"] is False


def test_absent():
    mem = platform()
    result = ensure(THING, params(name="gone", state="absent"), mem)
    assert result["changed"] is False and mem.writes() == []
    result = ensure(THING, params(name="t", state="absent"), mem, check_mode=True, want_diff=True)
    assert result["changed"] is True and mem.writes() == []
    assert result["diff"]["before"]["serial"] == "S1" and result["diff"]["after"] == {}


@pytest.mark.parametrize("current,desired,equal", [
    (1, "1", True), (1.0, 1, True), ("2", 2, True), (True, "True", False), (None, "", False),
    ({"a": [1]}, {"a": [1]}, True), ("x", "y", False),
])
def test_same_value(current, desired, equal):
    assert same_value(current, desired) is equal


def test_action_group_lists_every_module():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        groups = yaml.safe_load(handle)["action_groups"]
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(REPO, "plugins", "modules")) if f.endswith(".py"))
    for platform in ("nautobot", "air", "cyclecloud", "airbyte", "cloudcix"):
        assert sorted(groups[platform]) == [m for m in modules if m.startswith(platform + "_")]


def test_every_module_runs_through_the_shared_action():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        routing = yaml.safe_load(handle)["plugin_routing"]["modules"]
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(REPO, "plugins", "modules")) if f.endswith(".py"))
    own = set(f[:-3] for f in os.listdir(os.path.join(REPO, "plugins", "action")) if f.endswith(".py"))
    assert sorted(routing) == modules
    for module in modules:
        action = routing[module]["action_plugin"]
        assert action == "statecraft.infra." + (module if module in own else "in_process"), module
    for module in own - {"in_process", "__init__"}:
        with open(os.path.join(REPO, "plugins", "action", module + ".py")) as handle:
            assert "FileOptionAction" in handle.read(), module  # which runs through ModuleAction


# -- writes whose outcome is uncertain, create races, empty identities ----------------------

class FlakyCreate(MemoryPlatform):
    """A create that fails as ``error`` after ``stored`` says whether the server kept it
    (a timeout after the server stored it, or another run's object that came first)."""

    def __init__(self, objects, error, stored):
        super(FlakyCreate, self).__init__(objects)
        self.error, self.stored = error, stored

    def create(self, resource, payload):
        self.calls.append(("create", payload))
        if self.stored is not None:
            self.objects.setdefault("things", []).append(dict(self.stored))
        raise self.error


def flaky(error, stored):
    return FlakyCreate({"things": [], "sites": [SITE], "kinds": [KIND_A, KIND_B], "labels": []}, error, stored)


TIMEOUT = ApiError("POST", "/api/things/", None, "read timeout (1 s): TimeoutError: timed out", uncertain=True)


def test_uncertain_create_that_took_effect_reports_the_object_and_changed():
    stored = {"id": "t9", "name": "n", "site": None, "kind": KIND_A, "serial": "", "labels": []}
    mem = flaky(TIMEOUT, stored)
    result = ensure(THING, params(name="n", kind="A"), mem)
    assert result["changed"] is True and result["thing"]["id"] == "t9"
    assert "read timeout" in result["warnings"][0] and "took effect" in result["warnings"][0]
    assert [c[0] for c in mem.calls] == ["find", "create", "find"]


def test_uncertain_create_that_did_not_happen_says_so_and_names_the_request():
    mem = flaky(TIMEOUT, None)
    with pytest.raises(ModuleError) as info:
        ensure(THING, params(name="n", kind="A"), mem)
    assert "POST /api/things/" in str(info.value) and "may not have happened" in str(info.value)
    assert info.value.result.get("changed") is not True


@pytest.mark.parametrize("error", [
    ApiError("POST", "/api/things/", 409, "A tag with this name already exists."),
    ApiError("POST", "/api/things/", 400, "name: An IP group with this name already exists.",
             fields={"name": "An IP group with this name already exists."}),
], ids=["409", "400-exists"])
def test_lost_create_race_converges_on_the_object_the_other_run_made(error):
    other = {"id": "t7", "name": "n", "site": None, "kind": KIND_A, "serial": "S", "labels": []}
    mem = flaky(error, other)
    result = ensure(THING, params(name="n", kind="A", serial="S"), mem)
    assert result["changed"] is False and result["thing"]["id"] == "t7"
    mem = flaky(error, other)
    result = ensure(THING, params(name="n", kind="A", serial="T"), mem)
    assert result["changed"] is True and mem.writes()[-1] == ("update", {"serial": "T"})


def test_conflict_without_an_object_to_converge_on_is_the_platforms_error():
    mem = flaky(ApiError("POST", "/api/things/", 409, "Connection is locked"), None)
    with pytest.raises(ApiError, match="locked"):
        ensure(THING, params(name="n", kind="A"), mem)


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_identifying_value_fails_before_any_request(value):
    mem = platform()
    with pytest.raises(ModuleError, match="^name: an empty value"):
        ensure(THING, params(name=value, kind="A"), mem)
    assert mem.calls == []


# -- progress while waiting -------------------------------------------------------------------

def test_a_long_wait_tells_its_state_when_it_starts_when_it_changes_and_every_20_seconds():
    states = iter(["LOADING"] * 12 + ["STARTING", "STARTING", "LOADED"])
    now = [0.0]
    lines = []

    def sleep(seconds):
        now[0] += seconds

    value = poll(lambda: next(states), lambda s: s == "LOADED", lambda s: None, lambda s: "it is still %s" % s,
                 "LOADED", {"wait_timeout": 600, "wait_sleep": 5}, sleep=sleep, clock=lambda: now[0],
                 progress=lines.append)
    assert value == "LOADED"
    assert lines == ["waiting for LOADED: it is still LOADING (0 s of at most 600 s)",
                     "waiting for LOADED: it is still LOADING (20 s of at most 600 s)",
                     "waiting for LOADED: it is still LOADING (40 s of at most 600 s)",
                     "waiting for LOADED: it is still STARTING (60 s of at most 600 s)"]


def test_a_wait_that_is_over_at_once_tells_nothing():
    lines = []
    poll(lambda: "done", lambda s: s == "done", lambda s: None, lambda s: s, "done", {"wait_timeout": 5},
         sleep=lambda s: None, progress=lines.append)
    assert lines == []


def test_loop_items_share_lookups_only_within_their_scope():
    """An adapter serving several loop items keeps their lookups apart per scope option (a
    CloudCIX project, an Airbyte workspace), forgets a path once written, and everything
    for an until: retry."""
    class Scoped(RestAdapter):
        scope_options = ("project",)

    adapter = Scoped(client=None)
    adapter.begin({"project": "a", "name": "one"})
    adapter.resolved[("instances", "vm1")] = ["vm1 of a"]
    adapter.resolved[("images", "ubuntu")] = ["ubuntu"]
    adapter.begin({"project": "a", "name": "two"})
    assert adapter.resolved[("instances", "vm1")] == ["vm1 of a"]  # same scope: shared
    adapter.begin({"project": "b", "name": "one"})
    assert ("instances", "vm1") not in adapter.resolved  # another project: looked up again
    adapter.resolved[("instances", "vm1")] = ["vm1 of b"]
    adapter.forget("instances")  # written: no scope keeps it
    assert all(("instances", "vm1") not in lookups for lookups in adapter.scopes.values())
    adapter.begin({"project": "a"})
    assert adapter.resolved == {("images", "ubuntu"): ["ubuntu"]}
    adapter.forget()
    assert not any(adapter.scopes.values())


@pytest.mark.parametrize("query, resolves", [
    ({"name": "R1"}, True),
    ({"name": "R1", "location": {"name": "dc1"}}, True),
    ({"name": "R1", "location": {"id": "s1"}}, True),
    # a bare value in a nested query is read by Nautobot as an id; several fields as filters
    # naming further objects by id: both are looked up first and sent as an id
    ({"name": "R1", "location": "dc1"}, False),
    ({"name": "R1", "location": {"name": "dc1", "parent": "region1"}}, False),
    ({"name": "R1", "facility_id": "F1"}, False),
])
def test_nautobot_resolves_a_scoped_name_only_when_each_scope_is_one_name_or_id(query, resolves):
    rack = Ref("dcim/racks", scope={"location": "location"})
    rack.name = "rack"
    assert NautobotAdapter(client=None).server_resolves(rack, query) is resolves


class RecordingClient(object):
    def __init__(self):
        self.reads = []

    def iter_next_links(self, path, params=None):
        self.reads.append((path, dict(params)))
        return iter([])

    def request(self, method, path, params=None, json_body=None):
        if method == "GET":
            self.reads.append((path, dict(params or {})))
        return {"id": "i1"}


def test_nautobot_reads_carry_the_resources_read_params():
    """Many-to-many fields Nautobot leaves out by default are asked for on every read of a
    resource that declares them: the find, a read by id and the read back after a write."""
    ports = Resource(name="port", path="dcim/interfaces", platform="nautobot", identity=("name",),
                     fields=dict(name=Field(required=True)), read_params={"exclude_m2m": "false"})
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    adapter.find(ports, {"name": "eth0"})
    adapter.get(ports, "i1")
    adapter.update(ports, {"id": "i1"}, {"name": "eth1"})
    assert [params.get("exclude_m2m") for _path, params in client.reads] == ["false"] * 3
    assert client.reads[0][1]["name"] == "eth0"
    plain = Resource(name="thing", path="things", platform="nautobot", identity=("name",),
                     fields=dict(name=Field(required=True)))
    adapter.find(plain, {"name": "x"})
    assert "exclude_m2m" not in client.reads[-1][1]


def test_nautobot_find_filters_by_a_related_name_where_the_ref_declares_it():
    """A component is found with its device's name as a filter (one small read); a ref
    without ``find_filter`` is matched locally only, since its filter may not take the key."""
    port = Resource(name="port", path="dcim/interfaces", platform="nautobot", identity=("device", "name"),
                    fields=dict(device=Ref("dcim/devices", find_filter=True, required=True),
                                name=Field(required=True), lag=Ref("dcim/interfaces")))
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    adapter.find(port, {"device": {"name": "leaf1", "location": "dc1"}, "name": "eth0"})
    adapter.find(port, {"device": {"id": "d1"}, "name": "eth0", "lag": {"name": "po1"}})
    assert client.reads[0][1]["device"] == "leaf1" and client.reads[0][1]["name"] == "eth0"
    assert client.reads[1][1]["device"] == "d1" and "lag" not in client.reads[1][1]
