#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_route_target
short_description: Manage a BGP route target in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a route target (C(ipam/route-targets)), a BGP extended
    community that VRFs import and export.
  - The route target is found by its natural key, O(name) (the value, such as V(65000:100)),
    which Nautobot keeps unique.
  - "Related objects (tenant, tags) are given by name, by id, or as a dict of identifying
    fields."
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - The route target value, formatted as RFC 4360 says (V(65000:100), V(192.0.2.1:100)).
    type: str
    required: true
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A route target for the red VRF
  statecraft.infra.nautobot_route_target:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: "65000:100"
    description: red import/export
    tenant: Ops

- name: Delete it
  statecraft.infra.nautobot_route_target:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: "65000:100"
    state: absent
"""

RETURN = r"""
route_target:
  description:
    - The route target as Nautobot has it after the task (at C(depth=1)). In check mode, the
      predicted one; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000011
    name: "65000:100"
    description: red import/export
    tenant: {name: Ops}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import ROUTE_TARGET


def main():
    run_module(ROUTE_TARGET)


if __name__ == "__main__":
    main()
