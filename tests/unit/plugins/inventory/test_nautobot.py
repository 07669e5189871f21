# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Nautobot inventory's query and paging on a scripted GraphQL endpoint (the plugin runs
against the real Nautobot in tests/integration/test_inventory_nautobot.py)."""

from __future__ import absolute_import, division, print_function

import re

import pytest

from ansible_collections.statecraft.infra.plugins.inventory.nautobot import (
    arguments,
    location_children,
    read_hosts,
    read_lists,
)

OPTIONS = dict(location=None, role=["leaf"], platform=None, tenant=None, tags=None, status=None, devices=True,
               virtual_machines=False, device_filters={"name__isw": "le"}, virtual_machine_filters={},
               group_by=["location", "role"], config_context=False, custom_fields=False, interfaces=False,
               page_size=2)


class Client(object):
    """Answers each list field of a query with its slice (limit/offset) of ``lists``."""

    def __init__(self, lists):
        self.lists = lists
        self.queries = []

    def request(self, method, path, json_body=None, **kwargs):
        query = json_body["query"]
        self.queries.append(query)
        data = {}
        for field, limit, offset in re.findall(r"(\w+)\(limit: (\d+), offset: (\d+)", query):
            data[field] = self.lists.get(field, [])[int(offset):int(offset) + int(limit)]
        return {"data": data}


class Adapter(object):
    def __init__(self, lists):
        self.client = Client(lists)


def device(i):
    return {"id": "d%d" % i, "name": "leaf%d" % i, "status": {"name": "Active"}, "role": {"name": "leaf"},
            "tenant": None, "tags": [], "platform": {"name": "eos"}, "primary_ip4": {"address": "10.0.0.%d/24" % i},
            "primary_ip6": None, "location": {"id": "l2", "name": "DC 1"}, "device_type": {"model": "box"}}


LOCATIONS = [{"id": "l1", "name": "Europe", "parent": None}, {"id": "l2", "name": "DC 1", "parent": {"id": "l1"}},
             {"id": "l3", "name": "dc2", "parent": {"id": "l1"}}]


def test_pages_until_a_page_shows_nothing_more():
    """page_size 2, one object past each page asked: 4 devices are two requests, not three."""
    adapter = Adapter({"devices": [device(i) for i in range(4)], "locations": LOCATIONS,
                       "platforms": [{"name": "eos", "network_driver": "arista_eos",
                                      "network_driver_mappings": {"ansible": "arista.eos.eos"}}]})
    found = read_hosts(adapter, OPTIONS)
    queries = adapter.client.queries
    assert len(queries) == 2
    assert "devices(limit: 3, offset: 0, name__isw: \"le\", role: [\"leaf\"])" in queries[0]
    assert "virtual_machines" not in queries[0]
    assert "locations(limit: 3, offset: 2)" in queries[1] and "platforms" not in queries[1]  # one platform: done
    assert [h["name"] for h in found["hosts"]] == ["leaf0", "leaf1", "leaf2", "leaf3"]
    assert found["hosts"][1]["vars"]["ansible_host"] == "10.0.0.1"
    assert found["hosts"][1]["vars"]["ansible_network_os"] == "arista.eos.eos"
    assert found["hosts"][1]["groups"] == ["location_dc_1", "role_leaf"]
    assert found["children"] == [["location_europe", "location_dc_1"]]


def test_location_parents_each_once_up_to_the_top():
    assert location_children(LOCATIONS, ["l2", "l3", "l2"]) == [
        ["location_europe", "location_dc_1"], ["location_europe", "location_dc2"]]


def test_two_objects_of_one_name_fail_naming_both():
    adapter = Adapter({"devices": [device(1), dict(device(1), id="d9")]})
    with pytest.raises(ValueError, match="leaf1 \\(device d1 at DC 1, device d9 at DC 1\\); leave one out with a filter"):
        read_hosts(adapter, dict(OPTIONS, group_by=["role"], page_size=10))


@pytest.mark.parametrize("filters, message", [
    ({"a b": 1}, "'a b' is not a filter name"),
    ({"name": {"x": 1}}, "a filter value is a string"),
])
def test_filters_that_are_no_graphql_arguments(filters, message):
    with pytest.raises(ValueError, match=message):
        arguments(filters, "device_filters")


def test_filter_values_are_graphql_literals():
    assert arguments({"name": 'a"b', "has_primary_ip": True, "vc_position": [1, 2], "serial": None}, "x") == (
        'has_primary_ip: true, name: "a\\"b", serial: null, vc_position: [1, 2]')


def test_page_size_below_one():
    with pytest.raises(ValueError, match="page_size: 0"):
        read_lists(Adapter({}), {"devices": ("", "id")}, 0)


def test_plugin_fragment_is_the_modules_connection_options():
    """statecraft.infra.nautobot.plugin repeats the modules' connection options (ansible-test
    wants each fragment a literal): the same options, types and words, but for what only a
    module does (required url and token, write permission, creates)."""
    import yaml

    from ansible_collections.statecraft.infra.plugins.doc_fragments.nautobot import ModuleDocFragment

    modules = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    plugin = yaml.safe_load(ModuleDocFragment.PLUGIN)["options"]
    assert sorted(plugin) == sorted(modules)
    for name, spec in modules.items():
        assert plugin[name]["type"] == spec["type"] and "required" not in plugin[name]
        # the plugin declares no default: the environment variable comes before it
        assert "default" not in plugin[name]
        if name not in ("url", "token", "retries"):
            assert plugin[name]["description"] == spec["description"], name
