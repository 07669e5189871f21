#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cyclecloud_scale
short_description: Bring an Azure CycleCloud node array up to a total of nodes or cores
version_added: 0.1.0
description:
  - Makes a node array of a CycleCloud cluster hold at least O(nodes) nodes or O(cores) cores,
    counting the nodes it already has (also those still starting), with CycleCloud's scale
    call (C(POST /clusters/{cluster}/scale/{nodearray})).
  - When the node array already holds the total, nothing is sent and the task reports no
    change. Check mode reports how many nodes and cores would be added.
  - Scaling only adds nodes; it never removes any. To shrink a node array, choose the nodes
    and terminate or remove them with M(statecraft.infra.cyclecloud_node). A total below what
    the node array holds only gives a warning.
  - New nodes use the node array's first machine type that can take nodes. A core total is
    rounded up to whole nodes.
  - When the node array (or the cluster, or the machine type's quota) cannot take all the nodes
    needed, O(on_shortfall) decides. By default the task fails before sending anything; with
    V(partial) it adds the nodes that fit (as CycleCloud's scale call does) and warns how many
    are missing and why.
author:
  - statecraft.infra team (@statecraft)
options:
  cluster:
    description:
      - Name of the cluster.
    type: str
    required: true
  node_array:
    description:
      - Name of the node array in the cluster.
    type: str
    required: true
    aliases: [nodearray]
  nodes:
    description:
      - Total number of nodes the node array should hold.
      - Exactly one of O(nodes) and O(cores).
    type: int
  cores:
    description:
      - Total number of cores (vCPUs) the node array should hold.
      - Exactly one of O(nodes) and O(cores).
    type: int
  on_shortfall:
    description:
      - What to do when the limits (node array, cluster, machine type quota) cannot take every
        node needed to reach the total.
      - V(fail) fails the task before anything is sent, naming the limits, so a play never goes on
        with less capacity than it declared. It is the default because an Ansible task either
        reaches the state it declares or fails; a shortfall that only warns is easily missed in a
        long run, and the next tasks (submitting jobs sized for the total) would then fail later
        and further from the cause.
      - V(partial) sends the scale call anyway and takes what CycleCloud adds (what fits), with a
        warning naming the shortfall and the limits; when nothing fits, nothing is sent and the task
        reports no change. Check mode predicts exactly the nodes that fit.
      - When CycleCloud itself adds fewer nodes than the module predicted (another task took
        capacity meanwhile), V(fail) fails with CycleCloud's reason and V(partial) warns with it.
    type: str
    choices: [fail, partial]
    default: fail
    version_added: 0.2.0
extends_documentation_fragment:
  - statecraft.infra.cyclecloud
  - statecraft.infra.cyclecloud.WAIT
attributes:
  check_mode:
    support: full
    description: Reports the nodes and cores that would be added and sends nothing.
  diff_mode:
    support: full
    description: Shows the node array's nodes and cores before and after.
"""

EXAMPLES = r"""
- name: Sixteen execute nodes for the campaign, ready to take jobs
  statecraft.infra.cyclecloud_scale:
    url: https://cyclecloud.example.com
    username: hpcadmin
    password: "{{ vault_cyclecloud_password }}"
    cluster: hpc
    node_array: execute
    nodes: 16

- name: Up to 64 execute nodes, as many as the quota allows now (a warning says how many are missing)
  statecraft.infra.cyclecloud_scale:
    cluster: hpc
    node_array: execute
    nodes: 64
    on_shortfall: partial

- name: At least 512 cores of GPU nodes, without waiting for them
  statecraft.infra.cyclecloud_scale:
    cluster: hpc
    node_array: gpu
    cores: 512
    wait: false
"""

RETURN = r"""
node_array:
  description: The node array's nodes and cores before the task and after it (predicted in check mode).
  returned: always
  type: dict
  sample:
    name: execute
    cluster: hpc
    nodes: 16
    cores: 64
    added_nodes: 14
nodes:
  description:
    - The nodes the task added, as they are after waiting (empty without O(wait)).
  returned: always
  type: list
  elements: dict
  sample:
    - {name: execute-3, id: 6f1d0c4e0b5a4c1f, node_array: execute, status: Ready, target_state: Started,
       hostname: ip-0A000107, private_ip: 10.0.1.7, machine_type: Standard_F4s_v2}
operation_id:
  description: CycleCloud's id of the scale operation.
  returned: when nodes were added
  type: str
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CYCLECLOUD, wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import scale
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    cluster=dict(type="str", required=True),
    node_array=dict(type="str", required=True, aliases=["nodearray"]),
    nodes=dict(type="int"),
    cores=dict(type="int"),
    on_shortfall=dict(type="str", default="fail", choices=["fail", "partial"]),
    **wait_options()
)


def main():
    run_task(CYCLECLOUD, OPTIONS, scale, mutually_exclusive=[("nodes", "cores")],
             required_one_of=[("nodes", "cores")])


if __name__ == "__main__":
    main()
