#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_vlan
short_description: Manage a VLAN in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a VLAN (C(ipam/vlans)).
  - The VLAN is found by O(vid), and by O(name) and O(vlan_group) when given. Nautobot keeps
    a VLAN's ID and its name each unique within its VLAN group; VLANs in no group may repeat
    both. A task that matches several VLANs fails, listing them; give O(vlan_group) (or
    O(name)) to tell them apart.
  - Because O(name), when given, identifies the VLAN, a task with another name does not
    rename an existing VLAN; it creates another one (which Nautobot refuses within one
    group). Leave O(name) out to find a VLAN by its ID alone.
  - "Related objects (VLAN group, status, role, tenant, locations, tags) are given by name,
    by id, or as a dict of identifying fields."
author:
  - statecraft.infra team (@statecraft)
options:
  vid:
    description:
      - VLAN ID, 1 to 4094.
    type: int
    required: true
  name:
    description:
      - Name of the VLAN. Required to create one. When given, part of the VLAN's identity.
    type: str
  vlan_group:
    description:
      - VLAN group of the VLAN. When given, part of its identity.
    type: raw
  locations:
    description:
      - Locations the VLAN is available at, each by name, id or dict of identifying fields.
      - Nautobot keeps these as assignments (C(ipam/vlan-location-assignments)), written after the VLAN itself; the
        module reads them with the VLAN in its one read (C(exclude_m2m=false)).
      - Compared as a set. With O(purge_locations=false), locations the VLAN has and the
        list does not name are kept. V([]) removes every one.
    type: list
    elements: raw
  purge_locations:
    description:
      - Make the locations exactly O(locations), removing the others.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_role
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: VLAN 100 in dc1's access group
  statecraft.infra.nautobot_vlan:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    vid: 100
    name: users
    vlan_group: dc1-access
    locations: [dc1]
    role: access

- name: Delete it
  statecraft.infra.nautobot_vlan:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    vid: 100
    vlan_group: dc1-access
    state: absent
"""

RETURN = r"""
vlan:
  description:
    - The VLAN as Nautobot has it after the task (at C(depth=1), with its locations). In
      check mode, the predicted VLAN; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000015
    vid: 100
    name: users
    vlan_group: {name: dc1-access}
    status: {name: Active}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import VLAN


def main():
    run_module(VLAN)


if __name__ == "__main__":
    main()
