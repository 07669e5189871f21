# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The IPAM declarations' own pieces: canonical addresses, assignments written through
their endpoint (proven against the real Nautobot in tests/integration)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import (
    IP_INTERFACES,
    IP_VM_INTERFACES,
    through_hooks,
    interface_address,
    network,
)


class Client(object):
    def __init__(self):
        self.sent = []

    def request(self, method, path, json_body=None, params=None):
        self.sent.append((method, path, json_body))


class Adapter(object):
    """Assignments in memory: interface id -> assignment id; records the writes."""

    def __init__(self, assigned):
        self.assigned = assigned
        self.client = Client()
        self.reads = []

    def list_objects(self, path, filters, depth=1):
        self.reads.append((path, filters, depth))
        return [{"id": a, "interface": {"id": i}, "vm_interface": None} for i, a in self.assigned.items()]

    def create(self, resource, payload):
        self.client.sent.append(("CREATE", resource, payload))
        return dict(payload, id="ip1")

    def update(self, resource, current, payload):
        self.client.sent.append(("UPDATE", resource, payload))
        return dict(current, **payload)

    def get(self, resource, object_id):
        return {"id": object_id, "read": True}


@pytest.mark.parametrize("given, canonical", [("10.0.0.1/24", "10.0.0.1/24"), ("2001:DB8::1/64", "2001:db8::1/64"),
                                              (" 2001:db8:0::1/64", "2001:db8::1/64")])
def test_addresses_compare_in_canonical_form(given, canonical):
    assert interface_address(given) == canonical


@pytest.mark.parametrize("bad", ["10.0.0.1", "10.0.0.300/24", "leaf1"])
def test_an_address_without_mask_or_not_an_address_is_refused(bad):
    with pytest.raises(ValueError, match="10.0.0.1/24"):
        interface_address(bad)


def test_prefixes_compare_in_canonical_form_and_host_bits_are_refused():
    assert network("2001:DB8::/32") == "2001:db8::/32"
    with pytest.raises(ValueError, match="not a prefix"):
        network("10.0.0.1/24")


def test_assignments_are_made_exact_with_one_delete_and_one_post():
    adapter = Adapter({"if1": "a1", "if2": "a2"})
    IP_INTERFACES.write(adapter, "ip1", ["if2", "if3", {"device": {"name": "d1"}, "name": "eth0"}])
    assert adapter.reads == [("ipam/ip-address-to-interface", {"ip_address": "ip1"}, 0)]
    assert adapter.client.sent == [
        ("DELETE", "ipam/ip-address-to-interface/", [{"id": "a1"}]),
        ("POST", "ipam/ip-address-to-interface/", [
            {"ip_address": "ip1", "interface": "if3"},
            {"ip_address": "ip1", "interface": {"device": {"name": "d1"}, "name": "eth0"}}]),
    ]


def test_assignments_already_there_write_nothing():
    adapter = Adapter({"if1": "a1"})
    IP_INTERFACES.write(adapter, "ip1", ["if1"])
    assert adapter.client.sent == []


def test_hooks_write_the_object_without_its_assignments_then_them_then_read_it_again():
    create, update = through_hooks(IP_INTERFACES, IP_VM_INTERFACES)
    adapter = Adapter({})
    obj = create(adapter, "res", {"address": "10.0.0.1/24", "interfaces": ["if1"]})
    assert adapter.client.sent == [("CREATE", "res", {"address": "10.0.0.1/24"}),
                                   ("POST", "ipam/ip-address-to-interface/", [{"ip_address": "ip1", "interface": "if1"}])]
    assert obj == {"id": "ip1", "read": True}

    adapter = Adapter({})
    obj = update(adapter, "res", {"id": "ip1"}, {"vm_interfaces": ["vmif1"]})
    assert adapter.client.sent == [
        ("POST", "ipam/ip-address-to-interface/", [{"ip_address": "ip1", "vm_interface": "vmif1"}])]

    adapter = Adapter({})
    obj = update(adapter, "res", {"id": "ip1", "dns_name": "a"}, {"dns_name": "b"})
    assert adapter.client.sent == [("UPDATE", "res", {"dns_name": "b"})]
    assert obj == {"id": "ip1", "dns_name": "b"}
