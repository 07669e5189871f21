# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Nautobot adapter asks for when it reads a resource: depth and the resource's
own read parameters (Resource.read_params), on every read of it."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ensure
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource


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


class HiddenKeyServer(NautobotAdapter):
    """Addresses whose namespace the server filters by but never shows."""

    ADDRESSES = [{"id": "a1", "address": "10.0.0.1/24", "ns": "red"}, {"id": "a2", "address": "10.0.0.1/24", "ns": "blue"}]

    def __init__(self, device):
        super(HiddenKeyServer, self).__init__(client=None)
        self.device = device
        self.calls = []

    def find(self, resource, identity, deep=False):
        self.calls.append(("find", deep))
        return [dict(self.device)]

    def resolve(self, field, query):
        self.calls.append(("resolve", dict(query)))
        return [dict((k, v) for k, v in a.items() if k != "ns") for a in self.ADDRESSES
                if a["address"] == query.get("address") and a["ns"] == query.get("namespace", a["ns"])]

    def update(self, resource, current, payload):
        self.calls.append(("update", payload))
        return dict(current, **payload)


DEVICE = Resource(name="device", path="dcim/devices", platform="nautobot", identity=("name",),
                  fields=dict(name=Field(required=True),
                              primary_ip4=Ref("ipam/ip-addresses", key="address", filter_keys=("namespace",))))


def device_params(primary_ip4):
    return {"name": "d1", "primary_ip4": primary_ip4, "state": "present", "clear": []}


def test_filter_keys_are_sent_to_the_lookup_and_left_out_of_the_comparison():
    server = HiddenKeyServer({"id": "d1", "name": "d1", "primary_ip4": None})
    result = ensure(DEVICE, device_params({"address": "10.0.0.1/24", "namespace": "blue"}), server)
    assert result["changed"] is True
    assert server.calls == [("find", False), ("resolve", {"address": "10.0.0.1/24", "namespace": "blue"}),
                            ("update", {"primary_ip4": "a2"})]


def test_filter_keys_need_no_deeper_read_and_no_lookup_when_converged():
    server = HiddenKeyServer({"id": "d1", "name": "d1", "primary_ip4": {"id": "a2", "address": "10.0.0.1/24"}})
    result = ensure(DEVICE, device_params({"address": "10.0.0.1/24", "namespace": "blue"}), server)
    assert result["changed"] is False
    assert server.calls == [("find", False)]
