#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_node_instructions
short_description: Set the commands and files an NVIDIA Air node runs when it boots
version_added: 0.2.0
description:
  - Declares the instructions the Air agent on a node carries out when the node boots,
    shell commands (V(shell)), files to write (V(file)) and first-boot settings (V(init)).
    The node's image must run the agent.
  - Air keeps a node's instructions until the agent has run them, and deletes them then.
    The module compares the declared list with the pending one. A list that differs is
    replaced (all deleted, the declared ones created in order); one the declared list only
    extends gets the rest.
  - Once the simulation has been loaded, a node with no pending instruction has run them, so
    nothing is sent again and the task reports no change. Declare them before the first
    load (Air's advice), or on a running simulation to have the agent run them once.
  - V(absent) deletes the pending instructions.
author:
  - statecraft.infra team (@statecraft)
options:
  instructions:
    description:
      - The instructions, in the order the agent runs them.
    type: list
    elements: dict
    suboptions:
      executor:
        description:
          - V(shell) runs commands, V(file) writes files, V(init) applies first-boot
            settings such as C(hostname).
        type: str
        required: true
        choices: [shell, file, init]
      data:
        description:
          - For V(shell), the commands (text, one per line, or a list).
          - For V(file), a dict of path to content, plus C(post_cmd), a command (or list)
            run after the files are written.
          - "For V(init), a dict of settings, for example C({hostname: leaf01})."
        type: raw
        required: true
  state:
    description:
      - V(present) makes the pending instructions the declared ones; V(absent) deletes them.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - statecraft.infra.air.node
  - statecraft.infra.air
attributes:
  check_mode:
    support: full
    description: Reads the pending instructions and reports what would change; sends nothing.
  diff_mode:
    support: full
    description: Shows the pending instructions before and after.
"""

EXAMPLES = r"""
- name: The servers get their lab tools on first boot
  statecraft.infra.air_node_instructions:
    simulation: evpn-lab
    node: server01
    instructions:
      - executor: file
        data:
          /etc/motd: "EVPN lab server\n"
          post_cmd: [systemctl restart ssh]
      - executor: shell
        data: [apt-get update, apt-get install -y iperf3]
"""

RETURN = r"""
node:
  description: The node, by C(id), C(name) and C(state).
  returned: always
  type: dict
  sample: {id: 9a4d2f6c-0000-4000-8000-000000000007, name: server01, state: SHUTOFF}
instructions:
  description:
    - The node's pending instructions after the task (in check mode, as predicted), each
      with C(executor) and C(data) as Air stores it (text; JSON for V(file) and V(init)).
  returned: always
  type: list
  elements: dict
  sample:
    - {executor: shell, data: "apt-get update\napt-get install -y iperf3"}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_tasks import EXECUTORS, node_instructions
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    simulation=dict(type="raw", required=True),
    node=dict(type="str", required=True),
    instructions=dict(type="list", elements="dict", options=dict(
        executor=dict(type="str", required=True, choices=list(EXECUTORS)),
        data=dict(type="raw", required=True),
    )),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)


def main():
    run_task(AIR, OPTIONS, node_instructions, required_if=[("state", "present", ("instructions",))])


if __name__ == "__main__":
    main()
