#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cyclecloud_cluster_info
short_description: Read the status of an Azure CycleCloud cluster
version_added: 0.1.0
description:
  - Returns a cluster's status as CycleCloud gives it (C(GET /clusters/{cluster}/status)),
    that is its state, limits, node arrays with their buckets (machine types, counts, available counts,
    quotas), node counts by status, and with O(nodes) every node record.
  - Never changes anything. A cluster that does not exist gives RV(exists=false).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the cluster.
    type: str
    required: true
    aliases: [cluster]
  nodes:
    description:
      - Also return every node record (C(cluster.nodes)) and the node names of each bucket.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cyclecloud
  - statecraft.infra.info
"""

EXAMPLES = r"""
- name: How many more execute nodes fit
  statecraft.infra.cyclecloud_cluster_info:
    name: hpc
  register: hpc

- name: Show it
  ansible.builtin.debug:
    msg: "{{ (hpc.cluster.nodearrays | selectattr('name', 'eq', 'execute') | first).buckets | map(attribute='availableCount') | sum }}"
"""

RETURN = r"""
exists:
  description: Whether the cluster exists.
  returned: always
  type: bool
cluster:
  description:
    - The cluster status with CycleCloud's own (camelCase) keys, plus C(name) and
      C(status_counts) (number of nodes per C(Status)). Empty when the cluster does not exist.
    - C(nodes) (the node records, with CycleCloud's attribute names such as C(Name), C(Status),
      C(TargetState)) only with O(nodes).
  returned: always
  type: dict
  sample:
    name: hpc
    state: Started
    targetState: Started
    maxCount: 50
    maxCoreCount: 400
    status_counts: {Ready: 3}
    nodearrays:
      - name: execute
        maxCount: 10
        maxCoreCount: 64
        buckets:
          - definition: {machineType: Standard_F4s_v2}
            activeCount: 2
            availableCount: 8
            virtualMachine: {vcpuCount: 4, memory: 8.0}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import cluster_info
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CYCLECLOUD
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info

OPTIONS = dict(
    name=dict(type="str", required=True, aliases=["cluster"]),
    nodes=dict(type="bool", default=False),
)


def main():
    run_info(CYCLECLOUD, OPTIONS, cluster_info)


if __name__ == "__main__":
    main()
