#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_node_control
short_description: Reset or rebuild a node of a running NVIDIA Air simulation
version_added: 0.2.0
description:
  - Sends a node of a loaded simulation Air's node control action, V(reset) (a hard reboot)
    or V(rebuild) (the node back to its image or original configuration; everything on its
    disk is lost).
  - An action, not a state, so the task always reports a change; use it in a handler or
    guard it with C(when). Air refuses it unless the simulation is C(LOADED), and the task
    fails before sending anything then.
  - Air carries the action out as jobs; O(wait) polls them until they complete.
author:
  - statecraft.infra team (@statecraft)
options:
  action:
    description:
      - V(reset) reboots the node; V(rebuild) restores it to its original state.
    type: str
    required: true
    choices: [reset, rebuild]
extends_documentation_fragment:
  - statecraft.infra.air.node
  - statecraft.infra.air
  - statecraft.infra.air.wait
  - statecraft.infra.resource.wait_limits
attributes:
  check_mode:
    support: full
    description: Checks that the node exists and its simulation runs, reports a change and sends nothing.
  diff_mode:
    support: full
    description: Shows the node and the action.
"""

EXAMPLES = r"""
- name: Start leaf01 afresh after a failed upgrade
  statecraft.infra.air_node_control:
    simulation: evpn-lab
    node: leaf01
    action: rebuild
"""

RETURN = r"""
node:
  description: The node, by C(id), C(name) and C(state).
  returned: always
  type: dict
  sample: {id: 9a4d2f6c-0000-4000-8000-000000000007, name: leaf01, state: RUNNING}
jobs:
  description:
    - The jobs Air runs for the action (C(id), C(category), C(state)), as they are when the
      task ends (after waiting, C(COMPLETE)). Empty in check mode.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 1f6a9c2e-0000-4000-8000-00000000000a, category: START, state: COMPLETE}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_tasks import NODE_ACTIONS, node_action
from ansible_collections.statecraft.infra.plugins.module_utils._engine import wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    simulation=dict(type="raw", required=True),
    node=dict(type="str", required=True),
    action=dict(type="str", required=True, choices=list(NODE_ACTIONS)),
    **wait_options()
)


def main():
    run_task(AIR, OPTIONS, node_action)


if __name__ == "__main__":
    main()
