# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Nautobot adapter asks for when it reads a resource: depth and the resource's
own read parameters (Resource.read_params), on every read of it."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ensure
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, RefSet, Resource


class RecordingClient(object):
    def __init__(self, found):
        self.found = found
        self.reads = []

    def iter_next_links(self, path, params=None):
        self.reads.append((path, dict(params)))
        return iter(self.found)

    def request(self, method, path, params=None, json_body=None):
        self.reads.append((method + " " + path, dict(params or {})))
        return dict(self.found[0] if self.found else {}, id="x1")


def resource(**read_params):
    return Resource(name="thing", path="ipam/things", platform="nautobot", identity=("address",),
                    fields=dict(address=Field(required=True, canonical=lambda v: v.lower()),
                                interfaces=RefSet("dcim/interfaces")),
                    read_params=read_params)


def test_resource_read_params_go_with_find_get_and_read_back():
    client = RecordingClient([])
    adapter = NautobotAdapter(client)
    thing = resource(exclude_m2m="false")
    adapter.find(thing, {"address": "10.0.0.1/24"})
    adapter.find(thing, {"address": "10.0.0.1/24"}, deep=True)
    adapter.get(thing, "x1")
    assert client.reads == [
        ("ipam/things/", {"address": "10.0.0.1/24", "limit": 100, "depth": 1, "exclude_m2m": "false"}),
        ("ipam/things/", {"address": "10.0.0.1/24", "limit": 100, "depth": 2, "exclude_m2m": "false"}),
        ("GET ipam/things/x1/", {"depth": 1, "exclude_m2m": "false"}),
    ]


def test_a_resource_that_reads_deeper_keeps_its_depth_and_others_keep_theirs():
    client = RecordingClient([])
    adapter = NautobotAdapter(client)
    adapter.find(resource(depth=2), {"address": "a"})
    adapter.find(resource(), {"address": "a"})
    assert [params["depth"] for _path, params in client.reads] == [2, 1]
    assert "exclude_m2m" not in client.reads[1][1]


def test_identity_with_a_canonical_form_matches_the_server_spelling():
    client = RecordingClient([{"id": "x1", "address": "2001:db8::1/64", "interfaces": []}])
    params = {"address": "2001:DB8::1/64", "interfaces": None, "purge_interfaces": False,
              "state": "present", "clear": []}
    result = ensure(resource(), params, NautobotAdapter(client))
    assert result["changed"] is False
    assert len(client.reads) == 1
