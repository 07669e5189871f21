#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_device_type
short_description: Manage a device type in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a device type (C(dcim/device-types)).
  - The device type is found by its natural key, O(model) and O(manufacturer). A model name
    is unique per manufacturer; without O(manufacturer), a model that several manufacturers
    use makes the task fail with a message asking for O(manufacturer).
  - Related objects (manufacturer, tags) are given by name, by id, or as a dict of
    identifying fields.
  - Component templates (interfaces, ports, bays) are not managed by this module.
author:
  - statecraft.infra team (@statecraft)
options:
  model:
    description:
      - Model name of the device type.
    type: str
    required: true
  manufacturer:
    description:
      - Manufacturer of the device type; part of its identity.
      - Required to create a device type.
    type: raw
  part_number:
    description:
      - Discrete part number.
    type: str
  u_height:
    description:
      - Height in rack units; V(0) for a device that takes no rack space.
      - A new device type is 1U unless set.
    type: int
  is_full_depth:
    description:
      - Whether a device of this type occupies both the front and the rear rack face.
      - A new device type is full depth unless set.
    type: bool
  subdevice_role:
    description:
      - Parent devices house child devices in device bays; V(parent-child) is both.
      - Leave unset, or list it in O(clear), for a device type that is neither.
    type: str
    choices: [parent, child, parent-child]
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A 1U leaf switch model
  statecraft.infra.nautobot_device_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    model: Box1
    manufacturer: Acme
    part_number: ACM-BOX1-48
    u_height: 1
    is_full_depth: false
    tags: [fabric]

- name: A chassis that houses blades
  statecraft.infra.nautobot_device_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    model: Chassis7
    manufacturer: Acme
    u_height: 7
    subdevice_role: parent
    custom_fields:
      eol_date: "2030-12-31"

- name: Delete it
  statecraft.infra.nautobot_device_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    model: Box1
    manufacturer: Acme
    state: absent
"""

RETURN = r"""
device_type:
  description:
    - The device type as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted device type; a device type to be created
      has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000005
    model: Box1
    manufacturer: {name: Acme}
    part_number: ACM-BOX1-48
    u_height: 1
    is_full_depth: false
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import DEVICE_TYPE


def main():
    run_module(DEVICE_TYPE)


if __name__ == "__main__":
    main()
