#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_simulation_info
short_description: Read NVIDIA Air simulations with their nodes and services
version_added: 0.1.0
description:
  - Lists the simulations the account can see, or those matching the filters, each with its
    nodes (console details, management address) and services (host and port to connect to).
  - Never changes anything.
author:
  - statecraft.infra team (@statecraft)
options:
  id:
    description:
      - Only the simulation with this id.
    type: str
  title:
    description:
      - Only simulations with this title (titles are not unique).
    type: str
  organization:
    description:
      - Only simulations of this organization, by name or id.
    type: str
  state:
    description:
      - Only simulations in this Air state, for example V(LOADED) or V(STORED).
    type: str
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.info
"""

EXAMPLES = r"""
- name: The running labs
  statecraft.infra.air_simulation_info:
    state: LOADED
  register: running

- name: How to reach the lab's nodes
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.mgmt_ip }}"
  loop: "{{ running.simulations[0].nodes }}"
"""

RETURN = r"""
simulations:
  description:
    - The simulations found, as M(statecraft.infra.air_simulation) returns one, with
      C(nodes) and C(services).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6b0f1f2e-0000-4000-8000-000000000001
      title: evpn-lab
      state: LOADED
      nodes:
        - {name: oob-mgmt-server, state: RUNNING, mgmt_ip: 192.168.200.1}
      services:
        - {name: oob-ssh, host: worker01.air.nvidia.com, src_port: 16821}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_tasks import simulations_info
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info

OPTIONS = dict(
    id=dict(type="str"),
    title=dict(type="str"),
    organization=dict(type="str"),
    state=dict(type="str"),
)


def main():
    run_info(AIR, OPTIONS, simulations_info)


if __name__ == "__main__":
    main()
