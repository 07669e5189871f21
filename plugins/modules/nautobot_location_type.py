#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_location_type
short_description: Manage a location type in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a location type (C(dcim/location-types)), such as a region,
    a site or a room, and where it sits in the location hierarchy.
  - The location type is found by its natural key, O(name), which is unique in Nautobot.
  - Nautobot refuses to change the parent of a location type that locations already use,
    and to make it non-nestable while nested locations of the type exist.
author:
  - statecraft.infra team (@statecraft)
options:
  parent:
    description:
      - Parent location type, by name, by id, or as a dict of identifying fields.
      - Locations of this type must then have a location of the parent type as their parent.
    type: raw
  nestable:
    description:
      - Whether locations of this type may be the parent of other locations of the same type.
      - A new location type is not nestable unless set.
    type: bool
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.content_types
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Regions, which may contain other regions
  statecraft.infra.nautobot_location_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Region
    nestable: true

- name: Sites inside regions, holding racks, devices and prefixes
  statecraft.infra.nautobot_location_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Site
    parent: Region
    content_types:
      - dcim.rack
      - dcim.device
      - ipam.prefix
    purge_content_types: true

- name: Delete it
  statecraft.infra.nautobot_location_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Site
    state: absent
"""

RETURN = r"""
location_type:
  description:
    - The location type as Nautobot has it after the task (at C(depth=1), related objects
      with their names). In check mode, the predicted location type; a location type to be
      created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000003
    name: Site
    nestable: false
    parent: {name: Region}
    content_types: [dcim.device, dcim.rack, ipam.prefix]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import LOCATION_TYPE


def main():
    run_module(LOCATION_TYPE)


if __name__ == "__main__":
    main()
