#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_location
short_description: Manage a location in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a location (C(dcim/locations)), such as a region, a site, a
    building or a room.
  - The location is found by O(name) and, when given, O(parent). A location's name is unique
    only within its parent, and Nautobot's natural key for a location is its name plus its
    parent's (unless C(LOCATION_NAME_AS_NATURAL_KEY) is true, when the name alone is used).
  - Without O(parent), the name is matched under any parent. When that name exists under
    several parents, the task fails with a message asking for O(parent) to tell them apart.
  - "Related objects (parent, location type, status, tenant, tags) are given by name, by id,
    or as a dict of identifying fields such as V({name: dc1, parent: region1})."
author:
  - statecraft.infra team (@statecraft)
options:
  parent:
    description:
      - Parent location; part of the location's identity.
      - "A name alone must be unique; give a dict such as V({name: floor1, parent: dc1}) when
        it is not."
      - Whether a parent is required, and of which type, follows O(location_type).
    type: raw
  location_type:
    description:
      - Location type, by name, id, or dict of identifying fields.
      - Required to create a location. Nautobot refuses to change the type of an existing
        location.
    type: raw
  facility:
    description:
      - Local facility ID or description.
    type: str
  asn:
    description:
      - 32-bit autonomous system number.
    type: int
  time_zone:
    description:
      - Time zone, as an IANA name such as V(Europe/Berlin).
    type: str
  physical_address:
    description:
      - Physical (street) address.
    type: str
  shipping_address:
    description:
      - Shipping address, when it differs from the physical address.
    type: str
  latitude:
    description:
      - GPS latitude in decimal degrees (up to 6 decimal places).
    type: float
  longitude:
    description:
      - GPS longitude in decimal degrees (up to 6 decimal places).
    type: float
  contact_name:
    description:
      - Name of the contact person.
    type: str
  contact_phone:
    description:
      - Phone number of the contact.
    type: str
  contact_email:
    description:
      - E-mail address of the contact.
    type: str
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A region at the top of the tree
  statecraft.infra.nautobot_location:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Europe
    location_type: Region

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: A site in that region
      statecraft.infra.nautobot_location:
        name: dc1
        parent: Europe
        location_type: Site
        status: Active
        tenant: Ops
        asn: 65001
        time_zone: Europe/Berlin
        latitude: 50.110924
        longitude: 8.682127
        physical_address: Example Street 1, Frankfurt
        tags: [production]

    - name: A room named the same in two buildings, told apart by its parent
      statecraft.infra.nautobot_location:
        name: Room 1
        parent: {name: Building A, parent: dc1}
        location_type: Room
        contact_email: noc@example.com

    - name: Remove the ASN and the time zone
      statecraft.infra.nautobot_location:
        name: dc1
        parent: Europe
        clear: [asn, time_zone]
"""

RETURN = r"""
location:
  description:
    - The location as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted location; a location to be created has
      C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000004
    name: dc1
    parent: {name: Europe}
    location_type: {name: Site}
    status: {name: Active}
    asn: 65001
    time_zone: Europe/Berlin
    latitude: "50.110924"
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import LOCATION


def main():
    run_module(LOCATION)


if __name__ == "__main__":
    main()
