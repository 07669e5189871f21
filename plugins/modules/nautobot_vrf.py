#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_vrf
short_description: Manage a VRF in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a VRF (C(ipam/vrfs)).
  - The VRF is found by O(name) within O(namespace) (V(Global) unless given), and by O(rd)
    when given. Nautobot keeps a route distinguisher unique within a namespace (its natural
    key for a VRF is namespace and RD), but does not keep names unique, so two VRFs of one
    name with different RDs are told apart by O(rd); a task whose name matches several VRFs
    and gives no O(rd) fails, listing them.
  - Because O(rd), when given, identifies the VRF, a task with another RD does not change an
    existing VRF's RD; it creates another VRF.
  - "Related objects (namespace, status, tenant, route targets, tags) are given by name, by
    id, or as a dict of identifying fields."
author:
  - statecraft.infra team (@statecraft)
options:
  rd:
    description:
      - Route distinguisher (RFC 4364), such as V(65000:100); unique within the namespace.
        When given, part of the VRF's identity.
    type: str
  status:
    description:
      - Status of the VRF, by name.
    type: raw
  import_targets:
    description:
      - Route targets the VRF imports, each by name (value), id or dict.
      - Compared as a set. With O(purge_import_targets=false), route targets the VRF has
        and the list does not name are kept. V([]) removes every one.
    type: list
    elements: raw
  purge_import_targets:
    description:
      - Make the import targets exactly O(import_targets), removing the others.
    type: bool
    default: false
  export_targets:
    description:
      - Route targets the VRF exports, compared like O(import_targets).
    type: list
    elements: raw
  purge_export_targets:
    description:
      - Make the export targets exactly O(export_targets), removing the others.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_namespace
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The red VRF, importing and exporting one route target
  statecraft.infra.nautobot_vrf:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: red
    rd: "65000:100"
    import_targets: ["65000:100"]
    export_targets: ["65000:100"]
    tenant: Ops

- name: A VRF in another namespace
  statecraft.infra.nautobot_vrf:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: blue
    namespace: customer-a
    description: customer A's routing table

- name: Export exactly these route targets
  statecraft.infra.nautobot_vrf:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: red
    rd: "65000:100"
    export_targets: ["65000:100", "65000:999"]
    purge_export_targets: true
"""

RETURN = r"""
vrf:
  description:
    - The VRF as Nautobot has it after the task (at C(depth=1), with its route targets). In
      check mode, the predicted VRF; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000012
    name: red
    rd: "65000:100"
    namespace: {name: Global}
    import_targets: [{name: "65000:100"}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import VRF


def main():
    run_module(VRF)


if __name__ == "__main__":
    main()
