#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_ip_address
short_description: Manage an IP address in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes an IP address (C(ipam/ip-addresses)), and which interfaces it
    is assigned to.
  - The address is found by O(address) within O(namespace) (V(Global) unless given).
    Nautobot keeps an address unique within its parent prefix, whose namespace is the
    address's namespace; a prefix containing the address must exist in that namespace
    before the address can be created.
  - The address is matched with its mask, so a task with another mask for the same host does
    not change the mask; Nautobot refuses it as a second address of that host.
  - One read decides a converged task, assignments included (C(depth=2),
    C(exclude_m2m=false)).
  - "Related objects (namespace, status, role, tenant, interfaces, tags) are given by name, by
    id, or as a dict of identifying fields."
author:
  - statecraft.infra team (@statecraft)
options:
  address:
    description:
      - The address with its mask, such as V(10.0.0.1/24) or V(2001:db8::1/64). Compared in
        its canonical form (V(2001:DB8::1/64) is V(2001:db8::1/64)).
    type: str
    required: true
  namespace:
    description:
      - Namespace of the address (that of its parent prefix); part of its identity.
        Nautobot's own default, V(Global), when not given.
    type: raw
    default: Global
  type:
    description:
      - Kind of address. Nautobot makes a new address a V(host) unless set.
    type: str
    choices: [dhcp, host, slaac]
  role:
    description:
      - Role of the address (such as V(VIP)).
    type: raw
  dns_name:
    description:
      - Host name the address resolves to.
    type: str
  interfaces:
    description:
      - "Device interfaces the address is assigned to, each as a dict such as
        V({device: leaf1, name: eth0}), or an interface id."
      - Nautobot keeps these as assignments (C(ipam/ip-address-to-interface)), written after
        the address itself.
      - Compared as a set, as O(tags) are. With O(purge_interfaces=false) (the default) the
        list adds assignments and keeps the ones it does not name; with
        O(purge_interfaces=true) the address is assigned to exactly these interfaces.
        V([]) removes every device interface assignment.
    type: list
    elements: raw
  purge_interfaces:
    description:
      - Make the device interface assignments exactly O(interfaces), removing the others.
    type: bool
    default: false
  vm_interfaces:
    description:
      - "Virtual machine interfaces the address is assigned to, each as a dict such as
        V({virtual_machine: vm1, name: eth0}), or an id; compared like O(interfaces)."
    type: list
    elements: raw
  purge_vm_interfaces:
    description:
      - Make the virtual machine interface assignments exactly O(vm_interfaces).
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A loopback address on leaf1
  statecraft.infra.nautobot_ip_address:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    address: 10.255.0.1/32
    dns_name: leaf1.example.com
    interfaces:
      - {device: leaf1, name: Loopback0}

- name: An address in a customer's namespace
  statecraft.infra.nautobot_ip_address:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    address: 10.1.0.10/24
    namespace: customer-a
    status: Reserved
    tenant: Customer A

- name: Assign it to exactly this interface (removing other assignments)
  statecraft.infra.nautobot_ip_address:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    address: 10.255.0.1/32
    interfaces:
      - {device: leaf1, name: Loopback1}
    purge_interfaces: true
"""

RETURN = r"""
ip_address:
  description:
    - The address as Nautobot has it after the task (at C(depth=2), with its interfaces). In
      check mode, the predicted address; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000016
    address: 10.255.0.1/32
    dns_name: leaf1.example.com
    status: {name: Active}
    parent: {prefix: 10.255.0.0/24, namespace: {name: Global}}
    interfaces: [{name: Loopback0, device: {name: leaf1}}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import IP_ADDRESS


def main():
    run_module(IP_ADDRESS)


if __name__ == "__main__":
    main()
