# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Air's value forms and topology comparison, without a server."""

from __future__ import absolute_import, division, print_function

import base64
import hashlib
import json

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._air import (
    api_root,
    api_version,
    auth_from_params,
    jwt_lifetime,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    check_members,
    future_timestamp,
    json_text,
    ssh_fingerprint,
    utc_timestamp,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import (
    from_api,
    from_content,
    parse_dot,
    same,
    url_id,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Bearer, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError

DOT = '''
graph "evpn" {
  // two leaves and a spine
  "spine01" [ function="spine" os="cumulus-vx-5.10.1" cpu="2" memory="2048" ]
  "leaf01" [ os="cumulus-vx-5.10.1" ];
  leaf02 [os="cumulus-vx-5.10.1" storage=20]
  "leaf01":"swp1" -- "spine01":"swp1"
  "leaf02":"swp1" -- "spine01":"swp2"
}
'''


@pytest.mark.parametrize("given,root", [
    (None, "https://air.nvidia.com/api/"),
    ("https://air.nvidia.com", "https://air.nvidia.com/api/"),
    ("https://air.nvidia.com/api", "https://air.nvidia.com/api/"),
    ("http://127.0.0.1:8280/api/", "http://127.0.0.1:8280/api/"),
])
def test_api_root_as_the_sdk_builds_it(given, root):
    assert api_root(given) == root


def test_api_version_accepts_v1_and_v3():
    assert api_version(None) == api_version(1) == api_version("v1") == "v1"
    assert api_version("v3") == api_version(3) == api_version(" V3 ") == "v3"
    with pytest.raises(ModuleError, match="api_version"):
        api_version("v2")


@pytest.mark.parametrize("params,message", [
    ({}, "no Air credentials"),
    ({"username": "u"}, "password is missing"),
    ({"password": "p"}, "username is missing"),
    ({"username": "u", "password": "p", "token": "b"}, "not both"),
])
def test_exactly_one_way_to_authenticate(params, message):
    with pytest.raises(ModuleError, match=message):
        auth_from_params(params)


def test_auth_strategies():
    assert isinstance(auth_from_params({"token": "b"}), Bearer)
    login = auth_from_params({"username": "u", "password": "p"})
    assert isinstance(login, TokenExchange) and login.expired_statuses == frozenset([403])
    assert login.secrets() == ["p"]


def test_jwt_lifetime_from_exp_claim():
    claims = base64.urlsafe_b64encode(json.dumps({"exp": 1000}).encode()).decode().rstrip("=")
    assert jwt_lifetime("h.%s.s" % claims, now=400) == 600
    assert jwt_lifetime("opaque") is None


@pytest.mark.parametrize("given", [
    "2026-12-01T18:00:00Z", "2026-12-01T18:00:00+00:00", "2026-12-01 19:00:00+01:00",
    "2026-12-01T18:00:00", "2026-12-01T18:00:00.000000Z",
])
def test_timestamps_meet_in_one_form(given):
    assert utc_timestamp(given) == "2026-12-01T18:00:00Z"


def test_bad_and_past_timestamps():
    with pytest.raises(ValueError, match="ISO 8601"):
        utc_timestamp("tomorrow")
    with pytest.raises(ValueError, match="in the past"):
        future_timestamp("2020-01-01T00:00:00Z")


def test_json_text_compares_as_data():
    assert json_text('{"b": 1, "a": [1, 2]}') == json_text({"a": [1, 2], "b": 1})
    with pytest.raises(ValueError):
        json_text("{not json")


def test_ssh_fingerprint_is_sha256_of_the_blob():
    blob = b"\x00\x00\x00\x0bssh-ed25519" + b"k" * 36
    key = "ssh-ed25519 %s laptop" % base64.b64encode(blob).decode()
    expected = base64.b64encode(hashlib.sha256(blob).digest()).decode()
    assert ssh_fingerprint(key) == expected and len(expected) == 44
    assert ssh_fingerprint(expected) == expected  # a fingerprint stays itself
    assert ssh_fingerprint(key.rsplit(" ", 1)[0]) == expected  # comment not compared
    with pytest.raises(ValueError):
        ssh_fingerprint("ssh-ed25519 not*base64")


def test_url_id():
    assert url_id("https://air.nvidia.com/api/v1/simulation/abc/") == "abc"
    assert url_id("abc") == "abc" and url_id({"id": "x"}) == "x" and url_id(None) is None


def test_members_checked_before_any_request():
    check_members([{"username": "a@example.com", "roles": ["Organization Admin"]}])
    for bad in ([{"roles": []}], [{"username": "a", "role": "x"}], [{"username": "a", "roles": ["Boss"]}]):
        with pytest.raises(ValueError):
            check_members(bad)


def test_dot_subset():
    nodes, links = parse_dot(DOT)
    assert nodes["spine01"]["cpu"] == "2" and nodes["leaf02"]["storage"] == "20"
    assert (("leaf01", "swp1"), ("spine01", "swp1")) in links


def test_dot_and_json_give_one_form():
    dot = from_content(DOT)
    as_json = from_content(json.dumps({
        "nodes": {"spine01": {"os": "cumulus-vx-5.10.1", "cpu": 2, "memory": 2048},
                  "leaf01": {"os": "cumulus-vx-5.10.1"},
                  "leaf02": {"os": "cumulus-vx-5.10.1", "storage": 20}},
        "links": [[{"node": "spine01", "interface": "swp1"}, {"node": "leaf01", "interface": "swp1"}],
                  [{"node": "leaf02", "interface": "swp1"}, {"node": "spine01", "interface": "swp2"}]]}))
    assert dot == as_json
    assert from_content(dot) == dot


def api_topology(memory=2048, extra_link=False):
    images = {"img-1": "cumulus-vx-5.10.1"}

    def node(name, idx, **attrs):
        base = {"name": name, "os": "http://h/api/v1/image/img-1/", "cpu": 1, "memory": 1024, "storage": 10,
                "interfaces": [{"id": "%s-swp%d" % (name, i), "name": "swp%d" % i} for i in (1, 2)]}
        base.update(attrs)
        return base
    nodes = [node("spine01", 0, cpu=2, memory=memory), node("leaf01", 1), node("leaf02", 2, storage=20),
             node("oob-mgmt-server", 3)]
    links = [{"interfaces": ["leaf01-swp1", "spine01-swp1"]}, {"interfaces": ["leaf02-swp1", "spine01-swp2"]},
             {"interfaces": ["oob-mgmt-server-swp1", "leaf01-swp2"]}]
    if extra_link:
        links.append({"interfaces": ["leaf01-swp2", "leaf02-swp2"]})
    return from_api(nodes, links, images)


def test_api_topology_matches_the_file_it_came_from():
    assert same(api_topology(), from_content(DOT))


def test_changed_attribute_or_link_is_a_difference():
    assert not same(api_topology(memory=4096), from_content(DOT))
    assert not same(api_topology(extra_link=True), from_content(DOT))
    fewer = from_content(DOT.replace('"leaf02":"swp1" -- "spine01":"swp2"', ""))
    assert not same(api_topology(), fewer)
