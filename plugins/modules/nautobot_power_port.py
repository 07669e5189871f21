#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_power_port
short_description: Manage a power port of a device in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a power port of a device (C(dcim/power-ports)).
  - "The power port is found by its natural key, O(device) and O(name): Nautobot keeps its name
    unique within its device."
  - "Related objects (device, tags) are given by name, by id, or as a dict of identifying
    fields such as V({name: leaf1, location: dc1})."
author:
  - statecraft.infra team (@statecraft)
options:
  type:
    description:
      - Physical port type as Nautobot names it, such as V(iec-60320-c14); Nautobot checks the value.
    type: str
  maximum_draw:
    description:
      - Maximum power draw in watts.
    type: int
  allocated_draw:
    description:
      - Allocated power draw in watts.
    type: int
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_component
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The first power supply of leaf1
  statecraft.infra.nautobot_power_port:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    device: {name: leaf1, location: dc1}
    name: PSU1
    type: iec-60320-c14
    maximum_draw: 500
    allocated_draw: 250

- name: Forget its allocated draw
  statecraft.infra.nautobot_power_port:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    device: {name: leaf1, location: dc1}
    name: PSU1
    clear: [allocated_draw]
"""

RETURN = r"""
power_port:
  description:
    - The power port as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted power port; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000031
    name: PSU1
    device: {name: leaf1}
    type: {value: iec-60320-c14, label: C14}
    maximum_draw: 500
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import POWER_PORT


def main():
    run_module(POWER_PORT)


if __name__ == "__main__":
    main()
