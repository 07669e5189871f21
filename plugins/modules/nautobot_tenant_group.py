#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_tenant_group
short_description: Manage a tenant group in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a tenant group (C(tenancy/tenant-groups)), a tree of groups
    that tenants are filed in.
  - The group is found by its natural key, O(name), which is unique across all tenant
    groups whatever their parent, so changing O(parent) moves the same group.
  - The parent is given by name, by id, or as a dict of identifying fields.
author:
  - statecraft.infra team (@statecraft)
options:
  parent:
    description:
      - Tenant group this one is nested in.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A top-level group and one nested in it
  statecraft.infra.nautobot_tenant_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: "{{ item.name }}"
    parent: "{{ item.parent | default(omit) }}"
    description: "{{ item.description }}"
  loop:
    - {name: Customers, description: Everyone who pays us}
    - {name: Hosting customers, parent: Customers, description: Managed hosting}

- name: Make it a top-level group again
  statecraft.infra.nautobot_tenant_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Hosting customers
    clear: [parent]

- name: Delete it
  statecraft.infra.nautobot_tenant_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Hosting customers
    state: absent
"""

RETURN = r"""
tenant_group:
  description:
    - The tenant group as Nautobot has it after the task (at C(depth=1), the parent with its
      name). In check mode, the predicted group; a group to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-00000000000b
    name: Hosting customers
    parent: {name: Customers}
    description: Managed hosting
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import TENANT_GROUP


def main():
    run_module(TENANT_GROUP)


if __name__ == "__main__":
    main()
