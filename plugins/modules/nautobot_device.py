#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_device
short_description: Manage a device in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a device (C(dcim/devices)).
  - The device is found by its natural key only, O(name) and O(location) (and O(tenant) when
    given), so changing its role, type, status or rack updates the same device.
  - "Related objects (type, role, location, status, platform, tenant, rack, tags) are given
    by name, by id, or as a dict of identifying fields such as
    V({name: dc1, parent: region1}) or V({model: Box1, manufacturer: Acme})."
author:
  - statecraft.infra team (@statecraft)
options:
  location:
    description:
      - Location of the device; part of its identity.
      - Required to create a device.
      - With Nautobot's default C(DEVICE_UNIQUENESS=location_tenant_name), a name is unique
        per location and tenant, so give O(tenant) too when two tenants use the same
        name in one location. With C(DEVICE_UNIQUENESS=name), O(location) still narrows the
        match. With C(none), names may repeat and a task that matches several devices fails.
    type: raw
  device_type:
    description:
      - "Device type, by model name, id, or dict such as V({model: Box1, manufacturer: Acme})."
      - Required to create a device.
    type: raw
  role:
    description:
      - Role of the device. Required to create a device.
    type: raw
  platform:
    description:
      - Platform of the device.
    type: raw
  rack:
    description:
      - Rack the device is in. A name is looked up within O(location).
    type: raw
  position:
    description:
      - Lowest rack unit the device occupies.
    type: int
  face:
    description:
      - Rack face the device is mounted on.
    type: str
    choices: [front, rear]
  serial:
    description:
      - Serial number.
    type: str
  asset_tag:
    description:
      - Asset tag, unique across devices.
    type: str
  primary_ip4:
    description:
      - "Primary IPv4 address of the device, as the address with its mask (V(10.0.0.1/24)),
        as a dict of address and namespace (V({address: 10.0.0.1/24, namespace: ns1})), or
        as the address's id."
      - Nautobot accepts only an address already assigned to one of the device's
        interfaces (see M(statecraft.infra.nautobot_ip_address)); any other is refused
        and nothing is written.
      - An address alone that exists in several namespaces is refused as ambiguous; give
        its namespace then. The namespace narrows the lookup when the address is written;
        the current primary address is compared by address, in the device's one read
        (which does not show the address's namespace).
      - Set O(clear=[primary_ip4]) to unset it.
    type: raw
  primary_ip6:
    description:
      - Primary IPv6 address of the device, given as O(primary_ip4) is (V(2001:db8::1/64)).
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_tenant.identity
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A leaf switch in dc1
  statecraft.infra.nautobot_device:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: leaf1
    location: dc1
    device_type: {manufacturer: Acme, model: Box1}
    role: Leaf
    status: Active
    serial: SN0001
    tags: [fabric]

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: Move leaf1 to a rack and make its tags exactly these
      statecraft.infra.nautobot_device:
        name: leaf1
        location: dc1
        rack: R1
        position: 10
        face: front
        tags: [fabric, production]
        purge_tags: true

    - name: Its loopback as the primary address (assigned to an interface first)
      statecraft.infra.nautobot_device:
        name: leaf1
        location: dc1
        primary_ip4: 10.255.0.1/32

    - name: Remove the tenant and the serial number
      statecraft.infra.nautobot_device:
        name: leaf1
        location: dc1
        clear: [tenant, serial]

    - name: Delete it
      statecraft.infra.nautobot_device:
        name: leaf1
        location: dc1
        state: absent
"""

RETURN = r"""
device:
  description:
    - The device as Nautobot has it after the task (at C(depth=1), related objects with their
      names). In check mode, the predicted device; a device to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000001
    name: leaf1
    serial: SN0001
    location: {name: dc1}
    role: {name: Leaf}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import DEVICE


def main():
    run_module(DEVICE)


if __name__ == "__main__":
    main()
