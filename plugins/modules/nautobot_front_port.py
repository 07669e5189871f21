#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_front_port
short_description: Manage a front port of a device in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a front port of a device (C(dcim/front-ports)).
  - "The front port is found by its natural key, O(device) and O(name): Nautobot keeps its name
    unique within its device."
  - "Related objects (device, rear port, tags) are given by name, by id, or as a dict of identifying
    fields such as V({name: leaf1, location: dc1})."
author:
  - statecraft.infra team (@statecraft)
options:
  type:
    description:
      - Physical port type as Nautobot names it, such as V(lc) or V(8p8c); Nautobot checks the value.
      - Required to create a front port.
    type: str
  rear_port:
    description:
      - Rear port this front port maps to, a port of the same device; a name is looked up on
        O(device).
      - Required to create a front port.
    type: raw
  rear_port_position:
    description:
      - Position on O(rear_port) this front port maps to, unique per rear port.
      - Nautobot makes it V(1) unless set.
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
- name: Front port 3 of a patch panel, on position 3 of its rear port
  statecraft.infra.nautobot_front_port:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    device: panel1
    name: front3
    type: lc
    rear_port: rear1
    rear_port_position: 3
"""

RETURN = r"""
front_port:
  description:
    - The front port as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted front port; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000033
    name: front3
    device: {name: panel1}
    type: {value: lc, label: LC}
    rear_port: {name: rear1}
    rear_port_position: 3
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import FRONT_PORT


def main():
    run_module(FRONT_PORT)


if __name__ == "__main__":
    main()
