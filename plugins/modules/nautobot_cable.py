#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_cable
short_description: Manage a cable between two ports in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a cable (C(dcim/cables)) between two device ports.
  - "The cable is found by its natural key, its two ends O(termination_a) and O(termination_b),
    in either order: a task that names the ends the other way round finds the same cable."
  - A converged task reads once (the cables of O(termination_a)'s device) and matches the ends
    locally. Creating a cable first reads both ports (they must exist, and no other cable may
    hold them).
  - A cable's ends cannot be changed in place. When a port of the task is held by another
    cable (the ends were moved), the task fails before any write naming that cable, unless
    O(recreate=true), which deletes that cable (or both, one per port) and creates the new
    one with only the options the task sets.
author:
  - statecraft.infra team (@statecraft)
options:
  termination_a:
    description:
      - One end of the cable; part of its identity.
      - "A dict with V(device) and one port, keyed by its kind: V(interface),
        V(console_port), V(console_server_port), V(power_port), V(power_outlet),
        V(front_port) or V(rear_port), such as V({device: leaf1, interface: Ethernet1})."
      - "The device is given by name or id, or as a dict that narrows a name which is not
        unique, such as V({name: leaf1, location: dc1}) (or with V(tenant)). The port is
        given by name."
    type: dict
    required: true
  termination_b:
    description:
      - The other end of the cable, given as O(termination_a) is; part of its identity.
    type: dict
    required: true
  recreate:
    description:
      - Allow deleting the cable (or cables) that hold a port of O(termination_a) or
        O(termination_b) to other ends, then creating the cable the task declares.
      - Without it, such a task fails before any write.
    type: bool
    default: false
  status:
    description:
      - Status of the cable, by name.
      - A new cable gets V(Connected) unless set.
    type: raw
  type:
    description:
      - Kind of cable.
    type: str
    choices: [cat3, cat5, cat5e, cat6, cat6a, cat7, cat7a, cat8, dac-active, dac-passive, mrj21-trunk, coaxial,
              mmf, mmf-om1, mmf-om2, mmf-om3, mmf-om4, mmf-om5, smf, smf-os1, smf-os2, aoc, power, other]
  label:
    description:
      - Label of the cable.
    type: str
  color:
    description:
      - Colour as six hexadecimal digits, such as V(aa1409); compared without regard to case.
    type: str
  length:
    description:
      - Length, in O(length_unit).
    type: int
  length_unit:
    description:
      - Unit of O(length); Nautobot needs one when a length is set.
    type: str
    choices: [km, m, cm, mi, ft, in]
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A DAC between leaf1 and spine1
  statecraft.infra.nautobot_cable:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    termination_a: {device: leaf1, interface: Ethernet49}
    termination_b: {device: spine1, interface: Ethernet1}
    type: dac-passive
    length: 3
    length_unit: m
    color: 2196f3

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: The same cable, ends the other way round, gets a label
      statecraft.infra.nautobot_cable:
        termination_a: {device: spine1, interface: Ethernet1}
        termination_b: {device: leaf1, interface: Ethernet49}
        label: L1-S1

    - name: A console cable to a console server in dc1 (another site has a cs1 too)
      statecraft.infra.nautobot_cable:
        termination_a: {device: leaf1, console_port: console}
        termination_b: {device: {name: cs1, location: dc1}, console_server_port: port12}

    - name: Move leaf1's uplink to spine2, replacing the cable to spine1
      statecraft.infra.nautobot_cable:
        termination_a: {device: leaf1, interface: Ethernet49}
        termination_b: {device: spine2, interface: Ethernet1}
        recreate: true

    - name: Delete it
      statecraft.infra.nautobot_cable:
        termination_a: {device: leaf1, interface: Ethernet49}
        termination_b: {device: spine2, interface: Ethernet1}
        state: absent
"""

RETURN = r"""
cable:
  description:
    - The cable as Nautobot has it after the task (at C(depth=2), so each end shows its
      device's name; C(depth=3) when a device is narrowed by a dict). In check mode, the
      predicted cable, whose ends are as the task gives them; a cable to be created has
      C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000040
    termination_a_type: dcim.interface
    termination_a: {name: Ethernet49, device: {name: leaf1}}
    termination_b_type: dcim.interface
    termination_b: {name: Ethernet1, device: {name: spine1}}
    status: {name: Connected}
    length: 3
    length_unit: {value: m, label: Meters}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import CABLE


def main():
    run_module(CABLE)


if __name__ == "__main__":
    main()
