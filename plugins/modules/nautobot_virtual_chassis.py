#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_virtual_chassis
short_description: Manage a virtual chassis in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a virtual chassis (C(dcim/virtual-chassis)), devices that
    share a control plane, such as a switch stack.
  - The virtual chassis is found by its natural key, O(name), which Nautobot keeps unique.
  - Members are set on each device (its C(virtual_chassis) and C(vc_position)), not here.
    The master must be a member, so a new virtual chassis is created without O(master)
    (the task fails before any write otherwise) and gets its master once the device is a
    member.
  - Nautobot's virtual chassis has no description field.
author:
  - statecraft.infra team (@statecraft)
options:
  domain:
    description:
      - Domain of the virtual chassis.
    type: str
  master:
    description:
      - "Master device, a member of the virtual chassis, by name, id, or dict of identifying
        fields such as V({name: stack1-1, location: dc1})."
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A switch stack
  statecraft.infra.nautobot_virtual_chassis:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: stack1
    domain: stack1.dc1

- name: Its master, once stack1-1 is a member
  statecraft.infra.nautobot_virtual_chassis:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: stack1
    master: stack1-1
"""

RETURN = r"""
virtual_chassis:
  description:
    - The virtual chassis as Nautobot has it after the task (at C(depth=1), related objects
      with their names). In check mode, the predicted virtual chassis; one to be created has
      C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000050
    name: stack1
    domain: stack1.dc1
    master: {name: stack1-1}
    member_count: 2
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import VIRTUAL_CHASSIS


def main():
    run_module(VIRTUAL_CHASSIS)


if __name__ == "__main__":
    main()
