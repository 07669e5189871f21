#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cyclecloud_cluster
short_description: Create, change, start, terminate or delete an Azure CycleCloud cluster
version_added: 0.1.0
description:
  - Keeps a cluster in O(state). Given a template (O(template_file), O(template_text), or
    O(template) naming one stored in CycleCloud), a cluster that does not exist is created from it
    with O(parameters); a cluster that exists gets the O(parameters) that differ.
  - Starts a cluster (its fixed nodes and each node array's initial count) or terminates it
    (every node; node array nodes leave the cluster, standalone nodes stay C(Off)).
  - A cluster whose target state already is the one asked for is left alone (no request);
    a cluster that was never started counts as terminated.
  - CycleCloud's documented REST API has no cluster calls. This module uses the endpoints behind
    the CLI's C(import_cluster), C(show_cluster), C(start_cluster), C(terminate_cluster), C(retry)
    and C(delete_cluster) (C(POST /cloud/api/import_cluster/{cluster}), C(GET /cloud/clusters/{cluster}),
    C(POST /cloud/actions/startcluster/{cluster}) and so on), which Microsoft's own samples use
    but which are undocumented upstream and may change between CycleCloud releases.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the cluster.
    type: str
    required: true
    aliases: [cluster]
  state:
    description:
      - V(present) creates the cluster (never started) or changes its parameters, and does not
        start or terminate it.
      - V(started) also starts it and waits (with O(wait)) until the cluster's state is
        C(Started) and every node it started is C(Ready).
      - V(terminated) also terminates it and waits until the cluster's state is C(Terminated)
        and every node is C(Off) or gone.
      - V(absent) deletes the cluster. CycleCloud deletes only a cluster that is not running, so
        a running cluster is terminated first and the task waits (whatever O(wait) says, up to
        O(wait_timeout)) until every node is C(Off), then deletes it.
      - V(present) and V(absent) were added in version 0.2.0.
    type: str
    choices: [present, started, terminated, absent]
    default: started
  template:
    description:
      - The cluster template. With O(template_file) or O(template_text), the name of the
        C([cluster NAME]) section to import (optional when the text holds one); without them, the
        name of a template stored in CycleCloud (as the CLI's C(create_cluster) uses).
      - Used to create the cluster, and to import it again when its O(parameters) change
        (CycleCloud changes a cluster's parameters only by importing it again). A change to the
        template text alone is not detected, since CycleCloud does not return a cluster's template.
    type: str
    version_added: 0.2.0
  template_file:
    description:
      - A template file (CycleCloud's template language) on the controller, looked up as the copy
        module's C(src) is (the role's C(files/), the playbook's C(files/), the playbook's directory).
      - Mutually exclusive with O(template_text).
    type: path
    version_added: 0.2.0
  template_text:
    description:
      - The template itself, for example from a C(lookup('file', ...)) or C(lookup('template', ...)).
      - Mutually exclusive with O(template_file).
    type: str
    version_added: 0.2.0
  parameters:
    description:
      - Values of the template's parameters, by parameter name.
      - Only the parameters given are compared; when one differs, the cluster is imported again
        with all its parameters (the others as they are).
      - A multi-select parameter (a list) compares equal to CycleCloud's comma-separated text, a
        number or a boolean to its text.
      - The values of parameters whose names look secret (for example C(DatabasePassword)) are masked
        in the results, C(--diff) and messages.
    type: dict
    version_added: 0.2.0
  retry_failed_nodes:
    description:
      - Retries the nodes in C(Failed) (CycleCloud's C(retry)), and waits for them with O(wait).
        A cluster without failed nodes needs no request.
      - Only with O(state=started).
    type: bool
    default: false
    version_added: 0.2.0
  force_delete:
    description:
      - With O(state=absent), deletes the cluster even when some of its nodes failed to terminate
        (C(Failed)), as CycleCloud's C(delete_cluster --force) does for a cluster whose cleanup had issues.
        The virtual machines of such nodes may be left in Azure.
      - Without it, a node that fails to terminate fails the task and the cluster is kept.
    type: bool
    default: false
    version_added: 0.2.0
extends_documentation_fragment:
  - statecraft.infra.cyclecloud
  - statecraft.infra.cyclecloud.WAIT
attributes:
  check_mode:
    support: full
    description: Reports whether the cluster would be created, changed, started, terminated, retried or deleted, and sends nothing.
  diff_mode:
    support: full
    description: Shows the cluster's state, target state and the managed parameters before and after.
"""

EXAMPLES = r"""
- name: The HPC cluster, created from its template, started
  statecraft.infra.cyclecloud_cluster:
    name: hpc
    template_file: hpc-cluster.txt
    parameters:
      Region: westeurope
      SubnetId: hpc-rg/hpc-vnet/compute
      ExecuteMachineTypes: [Standard_F4s_v2, Standard_F8s_v2]
      MaxExecuteNodes: 16
    state: started

- name: A cluster from a template stored in CycleCloud, not started yet
  statecraft.infra.cyclecloud_cluster:
    name: training
    template: slurm
    parameters:
      SubnetId: hpc-rg/hpc-vnet/compute
    state: present

- name: Terminate the cluster for the maintenance window
  statecraft.infra.cyclecloud_cluster:
    name: hpc
    state: terminated

- name: Bring it back, retry the nodes that failed, and wait for its nodes
  statecraft.infra.cyclecloud_cluster:
    name: hpc
    state: started
    retry_failed_nodes: true
    wait_timeout: 3600

- name: Delete the cluster (terminated first)
  statecraft.infra.cyclecloud_cluster:
    name: training
    state: absent
"""

RETURN = r"""
cluster:
  description:
    - The cluster after the task (after waiting with O(wait)); node counts by status. Empty after
      O(state=absent).
    - C(parameters) (every parameter of the cluster) is returned when O(template) or O(parameters)
      is set or with O(state=present).
  returned: always
  type: dict
  sample:
    name: hpc
    state: Started
    target_state: Started
    node_counts: {Ready: 3}
    parameters: {Region: westeurope, SubnetId: hpc-rg/hpc-vnet/compute, MaxExecuteNodes: 16}
retried:
  description: Names of the failed nodes retried (would be, in check mode).
  returned: with O(retry_failed_nodes) and O(state=started)
  type: list
  elements: str
  version_added: 0.2.0
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CYCLECLOUD, wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_cluster import cluster_state
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    name=dict(type="str", required=True, aliases=["cluster"]),
    state=dict(type="str", default="started", choices=["present", "started", "terminated", "absent"]),
    template=dict(type="str"),
    template_file=dict(type="path"),
    template_text=dict(type="str"),
    parameters=dict(type="dict"),
    retry_failed_nodes=dict(type="bool", default=False),
    force_delete=dict(type="bool", default=False),
    **wait_options()
)


def main():
    run_task(CYCLECLOUD, OPTIONS, cluster_state, mutually_exclusive=[("template_file", "template_text")])


if __name__ == "__main__":
    main()
