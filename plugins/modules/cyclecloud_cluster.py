#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cyclecloud_cluster
short_description: Start or terminate an Azure CycleCloud cluster
version_added: 0.1.0
description:
  - Starts a cluster (its fixed nodes and each node array's initial count) or terminates it
    (every node; node array nodes leave the cluster, standalone nodes stay C(Off)).
  - A cluster whose target state already is the one asked for is left alone (no request);
    a cluster that was never started counts as terminated.
  - CycleCloud's documented REST API has no call to start or terminate a cluster. This module
    uses the endpoints behind the CLI's C(start_cluster) and C(terminate_cluster)
    (C(POST /cloud/actions/startcluster/{cluster}) and C(.../terminatecluster/{cluster})), which
    Microsoft's own samples use but which are undocumented upstream and may change between
    CycleCloud releases.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the cluster. The cluster must exist (create clusters with CycleCloud's templates).
    type: str
    required: true
    aliases: [cluster]
  state:
    description:
      - V(started) waits (with O(wait)) until the cluster's state is C(Started) and every node
        it started is C(Ready).
      - V(terminated) waits until the cluster's state is C(Terminated) and every node is C(Off)
        or gone.
    type: str
    choices: [started, terminated]
    default: started
extends_documentation_fragment:
  - statecraft.infra.cyclecloud
  - statecraft.infra.cyclecloud.WAIT
attributes:
  check_mode:
    support: full
    description: Reports whether the cluster would be started or terminated and sends nothing.
  diff_mode:
    support: full
    description: Shows the cluster's state and target state before and after.
"""

EXAMPLES = r"""
- name: Terminate the cluster for the maintenance window
  statecraft.infra.cyclecloud_cluster:
    name: hpc
    state: terminated

- name: Bring it back and wait for its nodes
  statecraft.infra.cyclecloud_cluster:
    name: hpc
    state: started
    wait_timeout: 3600
"""

RETURN = r"""
cluster:
  description: The cluster after the task (after waiting with O(wait)); node counts by status.
  returned: always
  type: dict
  sample:
    name: hpc
    state: Started
    target_state: Started
    node_counts: {Ready: 3}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CYCLECLOUD, wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import cluster_state
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    name=dict(type="str", required=True, aliases=["cluster"]),
    state=dict(type="str", default="started", choices=["started", "terminated"]),
    **wait_options()
)


def main():
    run_task(CYCLECLOUD, OPTIONS, cluster_state)


if __name__ == "__main__":
    main()
