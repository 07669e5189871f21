#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_vm_interface
short_description: Manage an interface of a virtual machine in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes an interface of a virtual machine (C(virtualization/interfaces)).
  - The interface is found by its natural key, O(virtual_machine) and O(name), since an
    interface's name is unique per virtual machine.
  - "Related objects (virtual machine, status, VLANs, tags) are given by name, by id, or as a
    dict of identifying fields such as V({name: web01, cluster: vsphere-fra1})
    or V({vid: 100, vlan_group: fra1-vlans})."
  - 802.1Q settings follow Nautobot's rules, checked before any request where the task alone
    tells, otherwise refused by Nautobot with nothing stored. O(untagged_vlan) needs a O(mode);
    O(tagged_vlans) need O(mode=tagged). A VLAN must be global or belong to the location of the
    virtual machine's cluster. To leave O(mode=tagged), clear the tagged VLANs in the same task
    (O(clear=[tagged_vlans])).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the interface, such as V(eth0).
    type: str
    required: true
  virtual_machine:
    description:
      - Virtual machine the interface belongs to; part of the interface's identity.
      - "A name alone must be unique; give a dict such as V({name: web01, cluster: vsphere-fra1})
        when it is not."
    type: raw
    required: true
  enabled:
    description:
      - Whether the interface is enabled. Nautobot makes a new interface enabled.
    type: bool
  mtu:
    description:
      - Maximum transmission unit, 1 to 65536.
    type: int
  mac_address:
    description:
      - MAC address. Compared the way Nautobot shows it (V(00:11:22:AA:BB:CC)), so V(00-11-22-aa-bb-cc)
        is the same address.
    type: str
  mode:
    description:
      - 802.1Q mode.
    type: str
    choices: [access, tagged, tagged-all]
  untagged_vlan:
    description:
      - Untagged (native or access) VLAN, by name, id, or dict of identifying fields.
    type: raw
  tagged_vlans:
    description:
      - Tagged VLANs, each by name, id, or dict of identifying fields; only with O(mode=tagged).
      - Compared as a set. With O(purge_tagged_vlans=false), VLANs the interface has and the
        list does not name are kept.
      - V([]) removes every tagged VLAN.
    type: list
    elements: raw
  purge_tagged_vlans:
    description:
      - Make the tagged VLANs exactly O(tagged_vlans), removing the others.
      - Has no effect when O(tagged_vlans) is not set.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A trunk towards web01
  statecraft.infra.nautobot_vm_interface:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    virtual_machine: web01
    name: eth0
    mac_address: 00:50:56:aa:bb:01
    mtu: 9000
    mode: tagged
    untagged_vlan: mgmt
    tagged_vlans: [web, db]

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: Exactly these tagged VLANs, on the web01 of one cluster
      statecraft.infra.nautobot_vm_interface:
        virtual_machine: {name: web01, cluster: vsphere-fra1}
        name: eth0
        tagged_vlans: [web, {vid: 300, vlan_group: fra1-vlans}]
        purge_tagged_vlans: true

    - name: Make it an access port in the web VLAN
      statecraft.infra.nautobot_vm_interface:
        virtual_machine: web01
        name: eth0
        mode: access
        untagged_vlan: web
        clear: [tagged_vlans]

    - name: Disable it
      statecraft.infra.nautobot_vm_interface:
        virtual_machine: web01
        name: eth0
        enabled: false

    - name: Delete it
      statecraft.infra.nautobot_vm_interface:
        virtual_machine: web01
        name: eth0
        state: absent
"""

RETURN = r"""
vm_interface:
  description:
    - The interface as Nautobot has it after the task (at C(depth=1), related objects with
      their names, tagged VLANs included). In check mode, the predicted interface; an
      interface to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000015
    name: eth0
    virtual_machine: {name: web01}
    enabled: true
    mtu: 9000
    mac_address: "00:50:56:AA:BB:01"
    mode: {value: tagged, label: Tagged}
    untagged_vlan: {name: mgmt, vid: 10}
    tagged_vlans: [{name: web, vid: 200}, {name: db, vid: 300}]
    status: {name: Active}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import VM_INTERFACE


def main():
    run_module(VM_INTERFACE)


if __name__ == "__main__":
    main()
