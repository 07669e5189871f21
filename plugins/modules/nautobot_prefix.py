#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_prefix
short_description: Manage an IP prefix in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a prefix (C(ipam/prefixes)).
  - The prefix is found by its natural key, O(prefix) within O(namespace) (V(Global) unless
    given), which Nautobot keeps unique. The same prefix in another namespace is another
    object.
  - "Related objects (namespace, status, role, tenant, VLAN, RIR, locations, tags) are given
    by name, by id, or as a dict of identifying fields such as V({vid: 100, vlan_group: g1})."
author:
  - statecraft.infra team (@statecraft)
options:
  prefix:
    description:
      - The network with its length, such as V(10.0.0.0/24) or V(2001:db8::/32); host bits
        must be zero. Compared in its canonical form (V(2001:DB8::/32) is V(2001:db8::/32)).
    type: str
    required: true
  type:
    description:
      - Kind of prefix. Nautobot makes a new prefix a V(network) unless set.
    type: str
    choices: [container, network, pool]
  vlan:
    description:
      - "VLAN the prefix is on; a name must be unique, else give a dict such as
        V({vid: 100, vlan_group: dc1-access}) or an id."
    type: raw
  rir:
    description:
      - Regional Internet Registry the prefix was allocated by.
    type: raw
  locations:
    description:
      - Locations the prefix is available at, each by name, id or dict of identifying fields.
      - Nautobot keeps these as assignments (C(ipam/prefix-location-assignments)), written after the prefix itself; the
        module reads them with the prefix in its one read (C(exclude_m2m=false)).
      - Compared as a set. With O(purge_locations=false), locations the prefix has and the
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
  - statecraft.infra.nautobot_namespace
  - statecraft.infra.nautobot_status
  - statecraft.infra.nautobot_role
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A site's server network in the Global namespace
  statecraft.infra.nautobot_prefix:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    prefix: 10.1.0.0/24
    status: Active
    role: servers
    locations: [dc1]
    tags: [production]

- name: The same range for a customer, in the customer's namespace
  statecraft.infra.nautobot_prefix:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    prefix: 10.1.0.0/24
    namespace: customer-a
    type: container
    tenant: Customer A

- name: Remove the role
  statecraft.infra.nautobot_prefix:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    prefix: 10.1.0.0/24
    clear: [role]
"""

RETURN = r"""
prefix:
  description:
    - The prefix as Nautobot has it after the task (at C(depth=1), with its locations). In
      check mode, the predicted prefix; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000014
    prefix: 10.1.0.0/24
    namespace: {name: Global}
    type: {value: network, label: Network}
    status: {name: Active}
    locations: [{name: dc1}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import PREFIX


def main():
    run_module(PREFIX)


if __name__ == "__main__":
    main()
