#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_rear_port
short_description: Manage a rear port of a device in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a rear port of a device (C(dcim/rear-ports)).
  - "The rear port is found by its natural key, O(device) and O(name): Nautobot keeps its name
    unique within its device."
  - "Related objects (device, tags) are given by name, by id, or as a dict of identifying
    fields such as V({name: leaf1, location: dc1})."
author:
  - statecraft.infra team (@statecraft)
options:
  type:
    description:
      - Physical port type as Nautobot names it, such as V(lc) or V(mpo); Nautobot checks the value.
      - Required to create a rear port.
    type: str
  positions:
    description:
      - How many front ports may map to it. Nautobot makes it V(1) unless set, and refuses
        fewer positions than front ports mapped to it.
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
- name: The rear MPO port of a patch panel
  statecraft.infra.nautobot_rear_port:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    device: panel1
    name: rear1
    type: mpo
    positions: 12
"""

RETURN = r"""
rear_port:
  description:
    - The rear port as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted rear port; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000032
    name: rear1
    device: {name: panel1}
    type: {value: mpo, label: MPO}
    positions: 12
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import REAR_PORT


def main():
    run_module(REAR_PORT)


if __name__ == "__main__":
    main()
