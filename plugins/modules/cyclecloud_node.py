#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cyclecloud_node
short_description: Start, stop, restart, reimage, remove or create Azure CycleCloud nodes
version_added: 0.1.0
description:
  - Brings the nodes of a cluster chosen by O(names), O(ids), O(hostnames), O(ip_addresses)
    or O(filter) (together, every node any of them selects) to O(state).
  - The module reads the cluster's nodes first and sends the action only for the nodes not
    already there, by node id; when all are, nothing is sent and the task reports no change.
    A node in C(Failed) is never "already there", so the action is sent again.
  - With O(node_array) and O(state=started), the O(names) that match no node are created in
    that node array (and so started), with exactly those names.
  - Nodes of a node array are removed from the cluster by CycleCloud once terminated (unless
    they are fixed); for V(terminated), V(shut_down) and V(removed) a node that no longer
    exists has reached the state.
author:
  - statecraft.infra team (@statecraft)
options:
  cluster:
    description:
      - Name of the cluster.
    type: str
    required: true
  names:
    description:
      - Node names, for example V(execute-3) or V(scheduler).
    type: list
    elements: str
  ids:
    description:
      - Node ids (C(NodeId)). Unlike host names, ids are never reused.
    type: list
    elements: str
  hostnames:
    description:
      - Short host names of the nodes (no domain).
    type: list
    elements: str
  ip_addresses:
    description:
      - Private IP addresses of the nodes.
    type: list
    elements: str
  filter:
    description:
      - A CycleCloud ClassAd expression over the node attributes, for example
        V(Status == "Failed" && Template == "execute").
      - The module evaluates it itself to know which nodes need the action, then sends their
        ids. Supported are attribute names (case-insensitive, dotted for nested attributes),
        strings, numbers, V(true), V(false), V(undefined), C(==) and C(!=) (strings compared
        without case), C(=?=) or C(===) and C(=!=) or C(!==) (identical or not), C(<), C(<=),
        C(>), C(>=), C(&&), C(||), C(!), parentheses and C(Attr in {"a", "b"}).
    type: str
  state:
    description:
      - V(started) starts the nodes (C(TargetState) Started); waiting ends at Status C(Ready).
      - V(terminated) deletes their virtual machines; node array nodes then leave the cluster,
        fixed and standalone nodes stay C(Off).
      - V(deallocated) stops and deallocates their virtual machines (kept, not billed for compute).
      - V(shut_down) terminates or deallocates each node as its C(ShutdownPolicy) says.
      - V(removed) terminates the nodes and removes them from the cluster, fixed ones too.
      - V(restarted) restarts the nodes' virtual machines and V(reimaged) reimages them (a fresh
        OS disk from the node's image, then configured again); waiting ends when they are
        C(Ready) again. These are actions, not states, so every run sends them (and reports a change)
        for the selected nodes, except those already C(Restarting) or C(Reimaging). Only C(Ready)
        nodes can be restarted or reimaged; any other selected node fails the task before anything
        is sent. V(restarted) and V(reimaged) were added in version 0.2.0.
    type: str
    choices: [started, terminated, deallocated, shut_down, removed, restarted, reimaged]
    default: started
  node_array:
    description:
      - Node array in which the O(names) that match no node are created (with O(state=started)
        only). Without it, a name that matches no node is an error for V(started) and
        V(deallocated).
    type: str
    aliases: [nodearray]
  machine_type:
    description:
      - Machine type (VM size) of the nodes created; one of the node array's. Default is the
        node array's first.
    type: str
  placement_group_id:
    description:
      - Placement group of the nodes created; nodes with the same value share one.
    type: str
  node_attributes:
    description:
      - "Extra attributes of the nodes created, for example C({KeepAlive: true})."
      - Used only when a node is created; existing nodes are never changed by them.
    type: dict
extends_documentation_fragment:
  - statecraft.infra.cyclecloud
  - statecraft.infra.cyclecloud.WAIT
attributes:
  check_mode:
    support: full
    description: Reports the nodes that would be acted on or created and sends nothing.
  diff_mode:
    support: full
    description: Shows each selected node's status and target state before and after.
"""

EXAMPLES = r"""
- name: Replace the failed execute nodes (terminate them; scale brings the count back)
  statecraft.infra.cyclecloud_node:
    cluster: hpc
    filter: Status == "Failed" && Template == "execute"
    state: terminated

- name: Deallocate two nodes for the maintenance window
  statecraft.infra.cyclecloud_node:
    cluster: hpc
    names: [execute-1, execute-2]
    state: deallocated

- name: Reimage the login node after the image update, and wait until it is Ready again
  statecraft.infra.cyclecloud_node:
    cluster: hpc
    names: [login-1]
    state: reimaged

- name: Two named GPU nodes, created if missing, KeepAlive so autoscale leaves them
  statecraft.infra.cyclecloud_node:
    cluster: hpc
    names: [gpu-train-1, gpu-train-2]
    node_array: gpu
    node_attributes:
      KeepAlive: true
"""

RETURN = r"""
nodes:
  description:
    - The selected (and created) nodes, as CycleCloud shows them after the task (after waiting
      with O(wait)); in check mode, as they were.
  returned: always
  type: list
  elements: dict
  sample:
    - {name: execute-1, id: 6f1d0c4e0b5a4c1f, node_array: execute, status: Deallocated,
       target_state: Deallocated, hostname: ip-0A000105, private_ip: 10.0.1.5, machine_type: Standard_F4s_v2}
acted_on:
  description: Names of the nodes the action was sent for (would be, in check mode).
  returned: always
  type: list
  elements: str
created:
  description: Names of the nodes created (would be, in check mode).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CYCLECLOUD, wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import node_state
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

SELECTORS = ("names", "ids", "hostnames", "ip_addresses", "filter")
OPTIONS = dict(
    cluster=dict(type="str", required=True),
    names=dict(type="list", elements="str"),
    ids=dict(type="list", elements="str"),
    hostnames=dict(type="list", elements="str"),
    ip_addresses=dict(type="list", elements="str"),
    filter=dict(type="str"),
    state=dict(type="str", default="started",
               choices=["started", "terminated", "deallocated", "shut_down", "removed", "restarted", "reimaged"]),
    node_array=dict(type="str", aliases=["nodearray"]),
    machine_type=dict(type="str"),
    placement_group_id=dict(type="str"),
    node_attributes=dict(type="dict"),
    **wait_options()
)


def main():
    run_task(CYCLECLOUD, OPTIONS, node_state, required_one_of=[SELECTORS])


if __name__ == "__main__":
    main()
