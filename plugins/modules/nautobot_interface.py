#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_interface
short_description: Manage a device interface in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes an interface of a device (C(dcim/interfaces)).
  - "The interface is found by its natural key, O(device) and O(name): Nautobot keeps an
    interface's name unique within its device."
  - "Related objects (device, status, VLANs, LAG, tags) are given by name, by id, or as a
    dict of identifying fields such as V({name: leaf1, location: dc1}); VLANs by VLAN ID
    (C(vid)) or as a dict such as V({vid: 100, vlan_group: fabric})."
  - A converged task reads the interface once, with its device's name as a filter.
author:
  - statecraft.infra team (@statecraft)
options:
  type:
    description:
      - Interface type as Nautobot names it, such as V(1000base-t), V(10gbase-x-sfpp),
        V(virtual) or V(lag). Nautobot checks the value.
      - Required to create an interface.
    type: str
  enabled:
    description:
      - Whether the interface is enabled.
    type: bool
  mgmt_only:
    description:
      - Whether the interface is used for out-of-band management only.
    type: bool
  mtu:
    description:
      - Maximum transmission unit.
    type: int
  mac_address:
    description:
      - MAC address, with any of the usual separators; compared without regard to case or
        separators.
    type: str
  mode:
    description:
      - 802.1Q mode. V(access) carries O(untagged_vlan) only; V(tagged) also carries
        O(tagged_vlans); V(tagged-all) carries every VLAN.
    type: str
    choices: [access, tagged, tagged-all]
  untagged_vlan:
    description:
      - Untagged (native) VLAN, by VLAN ID, id, or dict of identifying fields. It must be
        global or belong to the device's location or one of its ancestors.
    type: raw
  tagged_vlans:
    description:
      - Tagged VLANs, each by VLAN ID, id, or dict of identifying fields; needs O(mode=tagged).
      - Compared as a set. With O(purge_tagged_vlans=false), VLANs the interface carries and
        the list does not name are kept. V([]) removes every tagged VLAN.
    type: list
    elements: raw
  purge_tagged_vlans:
    description:
      - Make the tagged VLANs exactly O(tagged_vlans), removing the others.
    type: bool
    default: false
  lag:
    description:
      - Parent LAG interface, an interface of type V(lag) on the same device; a name is looked
        up on O(device).
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_component
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A LAG on leaf1
  statecraft.infra.nautobot_interface:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    device: leaf1
    name: Port-Channel1
    type: lag
    mode: tagged
    tagged_vlans: [100, 200]

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: A member of that LAG, on the leaf1 of dc1 (another site has a leaf1 too)
      statecraft.infra.nautobot_interface:
        device: {name: leaf1, location: dc1}
        name: Ethernet1
        type: 10gbase-x-sfpp
        lag: Port-Channel1
        mtu: 9216
        mac_address: 00-1c-73-00-00-01
        description: uplink to spine1

    - name: An access port in VLAN 100 of the fabric group
      statecraft.infra.nautobot_interface:
        device: leaf1
        name: Ethernet10
        type: 1000base-t
        mode: access
        untagged_vlan: {vid: 100, vlan_group: fabric}

    - name: Take it out of its LAG and forget its MTU
      statecraft.infra.nautobot_interface:
        device: leaf1
        name: Ethernet1
        clear: [lag, mtu]

    - name: Delete it
      statecraft.infra.nautobot_interface:
        device: leaf1
        name: Ethernet10
        state: absent
"""

RETURN = r"""
interface:
  description:
    - The interface as Nautobot has it after the task (at C(depth=1), related objects with
      their names, tagged VLANs included). In check mode, the predicted interface; one to be
      created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000020
    name: Ethernet1
    device: {name: leaf1}
    type: {value: 10gbase-x-sfpp, label: SFP+ (10GE)}
    lag: {name: Port-Channel1}
    mtu: 9216
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import INTERFACE


def main():
    run_module(INTERFACE)


if __name__ == "__main__":
    main()
