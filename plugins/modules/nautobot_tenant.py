#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_tenant
short_description: Manage a tenant in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a tenant (C(tenancy/tenants)), a customer or department that
    objects are assigned to.
  - The tenant is found by its natural key, O(name), which is unique in Nautobot.
  - Related objects (tenant group, tags) are given by name, by id, or as a dict of
    identifying fields.
author:
  - statecraft.infra team (@statecraft)
options:
  tenant_group:
    description:
      - Tenant group the tenant belongs to.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A customer in the Customers group
  statecraft.infra.nautobot_tenant:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Example Corp
    tenant_group: Customers
    description: Managed hosting customer
    tags: [production]
    custom_fields:
      account_id: "4711"

- name: Take it out of its group
  statecraft.infra.nautobot_tenant:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Example Corp
    clear: [tenant_group]

- name: Delete it
  statecraft.infra.nautobot_tenant:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Example Corp
    state: absent
"""

RETURN = r"""
tenant:
  description:
    - The tenant as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted tenant; a tenant to be created has
      C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-00000000000a
    name: Example Corp
    tenant_group: {name: Customers}
    description: Managed hosting customer
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import TENANT


def main():
    run_module(TENANT)


if __name__ == "__main__":
    main()
