#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_permission
short_description: Share an NVIDIA Air simulation with a person
version_added: 0.2.0
description:
  - Gives the person with O(email) access to a simulation, read-only or with write access
    (O(write_ok)), or takes it away.
  - The permission is found by O(simulation) and O(email).
  - Air cannot change a permission; one whose O(write_ok) differs is deleted and created
    anew (shown in C(--diff)).
  - An email address Air does not know yet gets an invitation.
author:
  - statecraft.infra team (@statecraft)
options:
  simulation:
    description:
      - The simulation, by title or id. A title shared by several simulations fails; give
        the id then.
    type: raw
    required: true
  email:
    description:
      - Email address of the person the simulation is shared with.
    type: str
    required: true
  write_ok:
    description:
      - Whether the person may change the simulation (start, store, edit); read-only
        otherwise. Air's default for a new permission is read-only.
    type: bool
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The instructor may run the lab, the students look
  statecraft.infra.air_permission:
    simulation: evpn-lab
    email: "{{ item.email }}"
    write_ok: "{{ item.write_ok }}"
  loop:
    - {email: instructor@example.com, write_ok: true}
    - {email: student@example.com, write_ok: false}

- name: Stop sharing
  statecraft.infra.air_permission:
    simulation: evpn-lab
    email: student@example.com
    state: absent
"""

RETURN = r"""
permission:
  description:
    - The permission after the task (in check mode, as predicted; a new one has C(id=null)).
      Related objects are given by id. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 5e1f0c3a-0000-4000-8000-000000000009
    email: student@example.com
    simulation: 6b0f1f2e-0000-4000-8000-000000000001
    account: 2a7c9e41-0000-4000-8000-000000000003
    topology: null
    write_ok: false
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import find_in_simulation
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, Resource

RESOURCE = Resource(
    name="permission",
    path="v1/permission",
    platform=AIR,
    identity=("simulation", "email"),
    fields=dict(
        simulation=Ref("v1/simulation", key="title", required=True),
        email=Field(required=True),
        write_ok=Field(type="bool", replace=True, clearable=False),  # a permission cannot be changed
    ),
    find=find_in_simulation,  # listed per simulation
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
