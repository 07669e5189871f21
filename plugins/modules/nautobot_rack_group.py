#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_rack_group
short_description: Manage a rack group in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a rack group (C(dcim/rack-groups)), a set of racks within a
    location such as a row or a cage.
  - "The rack group is found by its natural key, O(name) and O(location): Nautobot keeps a rack
    group's name unique within its location."
  - Without O(location), the name is matched in any location; when it exists in several, the
    task fails asking for O(location).
  - "Related objects (location, parent) are given by name, by id, or as a dict of identifying
    fields such as V({name: row1, location: dc1})."
author:
  - statecraft.infra team (@statecraft)
options:
  location:
    description:
      - Location of the rack group; part of its identity.
      - Required to create a rack group. Its location type must allow rack groups.
    type: raw
  parent:
    description:
      - Parent rack group, in the same location or one of its ancestors.
      - "A name alone is looked up within O(location); give a dict such as
        V({name: hall1, location: dc1}) for a parent in an ancestor location."
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A hall in dc1
  statecraft.infra.nautobot_rack_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: hall1
    location: dc1

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: A row in that hall
      statecraft.infra.nautobot_rack_group:
        name: row A
        location: dc1
        parent: hall1
        description: Cold aisle A

    - name: Delete it
      statecraft.infra.nautobot_rack_group:
        name: row A
        location: dc1
        state: absent
"""

RETURN = r"""
rack_group:
  description:
    - The rack group as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted rack group; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000010
    name: row A
    location: {name: dc1}
    parent: {name: hall1}
    description: Cold aisle A
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import RACK_GROUP


def main():
    run_module(RACK_GROUP)


if __name__ == "__main__":
    main()
