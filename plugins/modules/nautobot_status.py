#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_status
short_description: Manage a status in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a status (C(extras/statuses)), such as V(Active) or
    V(Planned), that devices, locations, IP addresses and other objects can have.
  - The status is found by its natural key, O(name), which is unique in Nautobot.
  - O(content_types) is required to create a status; it lists the object types that may
    have it, for example V(dcim.device).
author:
  - statecraft.infra team (@statecraft)
options:
  color:
    description:
      - Color shown for the status, as six lowercase hexadecimal digits without C(#), for
        example V(4caf50).
      - Quote a color made only of digits, such as C("000000"), so YAML keeps it a string.
      - A new status is grey (V(9e9e9e)) unless set.
    type: str
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.content_types
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A status for objects being commissioned
  statecraft.infra.nautobot_status:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Staging
    color: ff9800
    description: Being commissioned
    content_types: [dcim.device, dcim.location]

- name: Let the built-in Active status apply to racks as well (other types are kept)
  statecraft.infra.nautobot_status:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Active
    content_types: [dcim.rack]

- name: Delete it
  statecraft.infra.nautobot_status:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Staging
    state: absent
"""

RETURN = r"""
status:
  description:
    - The status as Nautobot has it after the task. In check mode, the predicted status; a
      status to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000007
    name: Staging
    color: ff9800
    content_types: [dcim.device, dcim.location]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import STATUS


def main():
    run_module(STATUS)


if __name__ == "__main__":
    main()
