#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_role
short_description: Manage a role in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a role (C(extras/roles)), used by devices, virtual machines,
    IP addresses, prefixes, VLANs, racks and other objects.
  - The role is found by its natural key, O(name), which is unique in Nautobot.
  - O(content_types) is required to create a role; it lists the object types the role may
    be assigned to, for example V(dcim.device).
author:
  - statecraft.infra team (@statecraft)
options:
  color:
    description:
      - Color shown for the role, as six lowercase hexadecimal digits without C(#), for
        example V(00ff00).
      - Quote a color made only of digits, such as C("000000"), so YAML keeps it a string.
      - A new role is grey (V(9e9e9e)) unless set.
    type: str
  weight:
    description:
      - Weight used to order roles; lower comes first.
    type: int
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.content_types
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A role for leaf switches
  statecraft.infra.nautobot_role:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Leaf
    color: 2196f3
    weight: 100
    content_types: [dcim.device]

- name: Let virtual machines use it too, and only devices and virtual machines
  statecraft.infra.nautobot_role:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Leaf
    content_types: [dcim.device, virtualization.virtualmachine]
    purge_content_types: true

- name: Delete it
  statecraft.infra.nautobot_role:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Leaf
    state: absent
"""

RETURN = r"""
role:
  description:
    - The role as Nautobot has it after the task. In check mode, the predicted role; a role
      to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000006
    name: Leaf
    color: 2196f3
    weight: 100
    content_types: [dcim.device]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import ROLE


def main():
    run_module(ROLE)


if __name__ == "__main__":
    main()
