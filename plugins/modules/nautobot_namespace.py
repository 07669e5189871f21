#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_namespace
short_description: Manage an IPAM namespace in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a namespace (C(ipam/namespaces)), the space within which
    prefixes, IP addresses and VRFs are unique.
  - The namespace is found by its natural key, O(name), which Nautobot keeps unique.
  - Nautobot itself creates the V(Global) namespace, which holds every prefix and IP
    address given no namespace; it cannot be deleted while anything is in it.
  - "Related objects (location, tenant, tags) are given by name, by id, or as a dict of
    identifying fields such as V({name: dc1, parent: region1})."
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the namespace, unique in Nautobot.
    type: str
    required: true
  location:
    description:
      - Location the namespace belongs to.
    type: raw
  tenant:
    description:
      - Tenant the namespace belongs to.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A namespace for a customer's overlapping address space
  statecraft.infra.nautobot_namespace:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: customer-a
    description: Customer A's private ranges
    tenant: Customer A
    tags: [customer]

- name: Remove its location
  statecraft.infra.nautobot_namespace:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: customer-a
    clear: [location]

- name: Delete it (Nautobot refuses while prefixes or VRFs are in it)
  statecraft.infra.nautobot_namespace:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: customer-a
    state: absent
"""

RETURN = r"""
namespace:
  description:
    - The namespace as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted namespace; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000010
    name: customer-a
    description: Customer A's private ranges
    tenant: {name: Customer A}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import NAMESPACE


def main():
    run_module(NAMESPACE)


if __name__ == "__main__":
    main()
