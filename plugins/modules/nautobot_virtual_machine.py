#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_virtual_machine
short_description: Manage a virtual machine in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a virtual machine (C(virtualization/virtual-machines)).
  - The virtual machine is found by its natural key only, O(name) and O(cluster) (and
    O(tenant) when given), since Nautobot keeps a virtual machine's name unique within its
    cluster and tenant, virtual machines without a tenant counting as one tenant. Changing its status,
    role, platform or sizes updates the same virtual machine.
  - Without O(cluster), the name is matched in any cluster; when it exists in several, the task
    fails asking for O(cluster) (or O(tenant)) to tell them apart.
  - "Related objects (cluster, tenant, status, role, platform, tags) are given by name, by id,
    or as a dict of identifying fields."
  - Primary IP addresses are not set here; they need the virtual machine's interfaces and
    their addresses first.
author:
  - statecraft.infra team (@statecraft)
options:
  cluster:
    description:
      - Cluster the virtual machine runs in; part of its identity.
      - Required to create a virtual machine.
    type: raw
  role:
    description:
      - Role of the virtual machine; the role's content types must include
        C(virtualization.virtualmachine).
    type: raw
  platform:
    description:
      - Platform (operating system) of the virtual machine.
    type: raw
  vcpus:
    description:
      - Number of virtual CPUs.
    type: int
  memory:
    description:
      - Memory in MB.
    type: int
  disk:
    description:
      - Disk space in GB.
    type: int
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
- name: A web server in the vSphere cluster
  statecraft.infra.nautobot_virtual_machine:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: web01
    cluster: vsphere-fra1
    role: Web Server
    platform: Ubuntu 24.04
    vcpus: 4
    memory: 8192
    disk: 80
    tags: [production]
    custom_fields:
      backup_policy: daily

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: The same name for two tenants in one cluster, told apart by tenant
      statecraft.infra.nautobot_virtual_machine:
        name: db01
        cluster: vsphere-fra1
        tenant: Customer A
        memory: 16384

    - name: Take it out of service and forget its platform
      statecraft.infra.nautobot_virtual_machine:
        name: web01
        cluster: vsphere-fra1
        status: Offline
        clear: [platform]

    - name: Delete it
      statecraft.infra.nautobot_virtual_machine:
        name: web01
        cluster: vsphere-fra1
        state: absent
"""

RETURN = r"""
virtual_machine:
  description:
    - The virtual machine as Nautobot has it after the task (at C(depth=1), related objects
      with their names). In check mode, the predicted virtual machine; a virtual machine to be
      created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000014
    name: web01
    cluster: {name: vsphere-fra1}
    status: {name: Active}
    vcpus: 4
    memory: 8192
    disk: 80
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import VIRTUAL_MACHINE


def main():
    run_module(VIRTUAL_MACHINE)


if __name__ == "__main__":
    main()
