#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_node_cloud_init
short_description: Assign cloud-init user configs to an NVIDIA Air simulation node
version_added: 0.1.0
description:
  - Sets which user configs (see M(statecraft.infra.air_user_config)) a node of a
    simulation boots with, as cloud-init user data and meta data.
  - Assign them before the simulation's first load; a node reads its cloud-init when it
    boots.
  - V(absent) removes both assignments (the user configs themselves stay).
author:
  - statecraft.infra team (@statecraft)
options:
  user_data:
    description:
      - The user config of kind V(cloud-init-user-data), by name or id.
      - List it in O(clear) to remove the assignment.
    type: raw
  meta_data:
    description:
      - The user config of kind V(cloud-init-meta-data), by name or id.
      - List it in O(clear) to remove the assignment.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.air.node
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The servers boot with the lab's cloud-init
  statecraft.infra.air_node_cloud_init:
    simulation: evpn-lab
    node: "{{ item }}"
    user_data: lab-servers
  loop: [server01, server02]
"""

RETURN = r"""
cloud_init:
  description:
    - The node's cloud-init after the task (in check mode, as predicted); the user configs
      by id, with their names as Air returns them.
  returned: always
  type: dict
  sample:
    id: 9a4d2f6c-0000-4000-8000-000000000007
    node: server01
    simulation: 6b0f1f2e-0000-4000-8000-000000000001
    user_data: 3c9e1a7b-0000-4000-8000-000000000006
    user_data_name: lab-servers
    meta_data: null
    meta_data_name: null
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    clear_cloud_init,
    cloud_init_is_empty,
    find_cloud_init,
    update_cloud_init,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, Resource

RESOURCE = Resource(
    name="cloud_init",
    path="v2/simulations/nodes",
    platform=AIR,
    identity=("simulation", "node"),
    fields=dict(
        simulation=Ref("v1/simulation", key="title", required=True),
        node=Field(required=True),
        # a user config's name may exist in both kinds
        user_data=Ref("v2/userconfigs", where={"kind": "cloud-init-user-data"}),
        meta_data=Ref("v2/userconfigs", where={"kind": "cloud-init-meta-data"}),
    ),
    # a node's cloud-init is no collection: found through the node, emptied, never deleted
    find=find_cloud_init,
    update=update_cloud_init,
    delete=clear_cloud_init,
    is_absent=cloud_init_is_empty,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
