#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_rack
short_description: Manage a rack in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a rack (C(dcim/racks)).
  - "The rack is found by its natural key, O(name) and O(rack_group), narrowed by O(location):
    Nautobot keeps a rack's name (and facility ID) unique within its rack group, so racks
    outside any group may share a name in one location."
  - Without O(location) or O(rack_group), the name is matched wherever it is; when it matches
    several racks, the task fails asking for the options that tell them apart.
  - "Related objects (location, rack group, status, role, tenant, tags) are given by name, by
    id, or as a dict of identifying fields such as V({name: row A, location: dc1})."
author:
  - statecraft.infra team (@statecraft)
options:
  location:
    description:
      - Location of the rack; it narrows the match.
      - Required to create a rack. Its location type must allow racks.
    type: raw
  rack_group:
    description:
      - Rack group of the rack, in O(location) or one of its ancestors; part of the rack's
        identity when given.
      - "A name alone is looked up within O(location); give a dict such as
        V({name: hall1, location: dc1}) for a group in an ancestor location."
    type: raw
  facility_id:
    description:
      - Locally assigned identifier, unique within the rack group.
    type: str
  serial:
    description:
      - Serial number.
    type: str
  asset_tag:
    description:
      - Asset tag, unique across racks.
    type: str
  type:
    description:
      - Kind of rack.
    type: str
    choices: [2-post-frame, 4-post-frame, 4-post-cabinet, wall-frame, wall-frame-vertical, wall-cabinet,
              wall-cabinet-vertical, other]
  width:
    description:
      - Rail-to-rail width in inches. Nautobot makes it V(19) unless set.
    type: int
    choices: [10, 19, 21, 23]
  u_height:
    description:
      - Height in rack units. Nautobot makes it V(42) unless set.
    type: int
  desc_units:
    description:
      - Whether units are numbered top to bottom.
    type: bool
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_role
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A rack in row A of dc1
  statecraft.infra.nautobot_rack:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: R01
    location: dc1
    rack_group: row A
    type: 4-post-cabinet
    u_height: 48
    facility_id: DC1-A-01
    tags: [production]

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: Number its units top to bottom and remove its serial number
      statecraft.infra.nautobot_rack:
        name: R01
        location: dc1
        rack_group: row A
        desc_units: true
        clear: [serial]

    - name: Delete it
      statecraft.infra.nautobot_rack:
        name: R01
        location: dc1
        rack_group: row A
        state: absent
"""

RETURN = r"""
rack:
  description:
    - The rack as Nautobot has it after the task (at C(depth=1), related objects with their
      names). In check mode, the predicted rack; a rack to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000011
    name: R01
    location: {name: dc1}
    rack_group: {name: row A}
    status: {name: Active}
    u_height: 48
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import RACK


def main():
    run_module(RACK)


if __name__ == "__main__":
    main()
