#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_bulk
short_description: Manage many Nautobot objects of one kind in one task
version_added: 0.2.0
description:
  - Creates, updates or deletes many objects of one kind (devices, locations, tags, ...) in
    one task, each exactly as the typed module of that kind would (for O(kind=device),
    M(statecraft.infra.nautobot_device)), with the same options, natural keys, comparison,
    check mode and diff.
  - Every object is checked before the first request; an object with a bad option fails
    the task naming the object (C(objects[3] (name=leaf4))) and the option, and nothing is
    written.
  - The objects are found with one list read per few hundred objects, filtered by their
    natural keys; related objects (a device's location, device type, role) are looked up
    once for the whole task. The writes go out as Nautobot's bulk create, update and delete
    requests on the list endpoint, O(batch_size) objects per request; each request is one
    transaction on the server. A converged task of 1,000 objects sends a few reads and no
    write.
  - Use it instead of a loop over a typed module when there are many objects; a loop
    reports each object as a loop item, this module reports them in RV(objects).
author:
  - statecraft.infra team (@statecraft)
options:
  kind:
    description:
      - The kind of the objects, the name of its typed module without C(nautobot_).
      - Cables, custom fields and contact associations are found their own way (by their ends,
        among all definitions, by the associated object) and are managed with their typed
        modules only.
    type: str
    required: true
    choices: [cluster, cluster_group, cluster_type, console_port, contact, device, device_type,
      front_port, interface, ip_address, location, location_type, manufacturer, namespace,
      platform, power_port, prefix, rack, rack_group, rear_port, relationship, role, route_target,
      status, tag, team, tenant, tenant_group, virtual_chassis, virtual_machine, vlan, vlan_group,
      vm_interface, vrf]
  objects:
    description:
      - The objects, each a dictionary of the options of the typed module of O(kind), for
        example a device's C(name) and C(serial).
      - C(state) and C(clear) may be set per object.
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - Options every object takes unless it sets them itself, for example the location,
        device type and role shared by a rack of devices.
    type: dict
    default: {}
  state:
    description:
      - Whether the objects should exist; an object may set its own C(state).
    type: str
    choices: [present, absent]
    default: present
  batch_size:
    description:
      - Objects per bulk request. Nautobot takes about 5 s to create 100 devices on a small
        server; keep a batch well within O(timeout).
    type: int
    default: 100
extends_documentation_fragment:
  - statecraft.infra.nautobot
notes:
  - Supports check mode and diff mode; C(--diff) shows one diff per object that changes,
    headed by the object.
  - Objects are read back after the writes (at depth 1), so RV(objects) names related
    objects as the typed modules do.
seealso:
  - module: statecraft.infra.nautobot_device
"""

EXAMPLES = r"""
- name: A rack of leaf switches, one task
  statecraft.infra.nautobot_bulk:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    kind: device
    defaults:
      location: dc1
      device_type: {manufacturer: Acme Networks, model: Box-48}
      role: Leaf
      status: Active
    objects: "{{ leaf_switches }}"  # [{name: leaf1, serial: SN0001}, {name: leaf2, serial: SN0002}, ...]

- name: Serial numbers from an inventory file
  statecraft.infra.nautobot_bulk:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    kind: device
    defaults: {location: dc1}
    objects:
      - {name: leaf1, serial: SN0001}
      - {name: leaf2, serial: SN0002}

- name: Retire two tags, keep the rest
  statecraft.infra.nautobot_bulk:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    kind: tag
    state: absent
    objects:
      - {name: legacy}
      - {name: to-be-removed}
"""

RETURN = r"""
objects:
  description:
    - One entry per object given, in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    changed:
      description: Whether the task changed (or, in check mode, would change) this object.
      type: bool
    action:
      description: What the task did to it.
      type: str
      sample: created
    <kind>:
      description:
        - The object as Nautobot has it after the task, under the name of its kind (C(device),
          C(tag), ...); as the typed module returns it. Empty after a delete.
      type: dict
  sample:
    - changed: true
      action: created
      device: {id: 7f3c2e3a-0000-4000-8000-000000000001, name: leaf1}
counts:
  description: How many objects were created, updated, deleted and left unchanged.
  returned: always
  type: dict
  sample: {created: 38, updated: 2, deleted: 0, unchanged: 0}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_bulk import bulk_options, bulk_task


def main():
    run_task(NAUTOBOT, bulk_options(), bulk_task)


if __name__ == "__main__":
    main()
