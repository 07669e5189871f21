#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_cluster_type
short_description: Manage a cluster type in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a cluster type (C(virtualization/cluster-types)).
  - Cluster types are what kind of virtualization a cluster runs (VMware vSphere, Proxmox VE, OpenStack).
  - The cluster type is found by its natural key, O(name), which is unique in Nautobot.
  - Nautobot refuses to delete a cluster type that clusters still use.
author:
  - statecraft.infra team (@statecraft)
options: {}
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A cluster type
  statecraft.infra.nautobot_cluster_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: VMware vSphere
    description: Hypervisor platform

- name: Remove the description
  statecraft.infra.nautobot_cluster_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: VMware vSphere
    clear: [description]

- name: Delete it
  statecraft.infra.nautobot_cluster_type:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: VMware vSphere
    state: absent
"""

RETURN = r"""
cluster_type:
  description:
    - The cluster type as Nautobot has it after the task. In check mode, the predicted
      cluster type; a cluster type to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000011
    name: VMware vSphere
    description: Hypervisor platform
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import CLUSTER_TYPE


def main():
    run_module(CLUSTER_TYPE)


if __name__ == "__main__":
    main()
