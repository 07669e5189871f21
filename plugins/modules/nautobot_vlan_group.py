#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_vlan_group
short_description: Manage a VLAN group in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a VLAN group (C(ipam/vlan-groups)), within which VLAN IDs
    and VLAN names are unique.
  - The group is found by its natural key, O(name), which Nautobot keeps unique.
  - "Related objects (location, tags) are given by name, by id, or as a dict of identifying
    fields."
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the VLAN group.
    type: str
    required: true
  location:
    description:
      - Location the group belongs to.
    type: raw
  range:
    description:
      - VLAN IDs the group permits, as comma-separated ranges such as V(100-199,300).
      - Nautobot uses V(1-4094) when a group is created without one.
    type: str
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The access VLANs of dc1
  statecraft.infra.nautobot_vlan_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: dc1-access
    location: dc1
    range: 100-199

- name: Delete it (Nautobot refuses while it holds VLANs)
  statecraft.infra.nautobot_vlan_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: dc1-access
    state: absent
"""

RETURN = r"""
vlan_group:
  description:
    - The VLAN group as Nautobot has it after the task (at C(depth=1)). In check mode, the
      predicted group; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000013
    name: dc1-access
    range: 100-199
    location: {name: dc1}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import VLAN_GROUP


def main():
    run_module(VLAN_GROUP)


if __name__ == "__main__":
    main()
