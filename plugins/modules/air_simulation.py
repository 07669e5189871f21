#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_simulation
short_description: Manage an NVIDIA Air simulation and its life cycle
version_added: 0.1.0
description:
  - Creates a simulation from a topology (an existing one, or a DOT or JSON topology file)
    or as a duplicate of another simulation or of a marketplace demo, loads (starts) it,
    stores it, changes its sleep and expiry times, and destroys it.
  - Simulation titles are not unique in Air. The simulation is found by O(title) (and
    O(organization) when given); when several match, the task fails and lists them, so
    give O(id) instead. With O(id), O(title) may be changed.
  - The state changes go through the simulation's control actions (C(load), C(store),
    C(destroy)), which Air completes asynchronously; O(wait) polls until done.
author:
  - statecraft.infra team (@statecraft)
options:
  id:
    description:
      - Id of an existing simulation. Finds it by id instead of by O(title).
    type: str
  title:
    description:
      - Title of the simulation. Required unless O(id) is given.
    type: str
  organization:
    description:
      - Organization the simulation belongs to, by name or id. Narrows the lookup by title
        and is set when the simulation is created (it is not moved afterwards).
    type: raw
  topology:
    description:
      - An existing topology to create the simulation from, by name or id.
      - Used only when the simulation is created.
    type: raw
  topology_file:
    description:
      - A DOT (C(.dot)) or JSON topology file on the controller, looked up as the copy
        module's C(src) is (the role's C(files/), the playbook's C(files/), the playbook's
        directory).
      - Used only when the simulation is created; a DOT file is sent as the vendor SDK
        sends C(topology_data), a JSON file through Air's import.
      - Mutually exclusive with O(topology_content) and O(topology).
    type: path
  topology_content:
    description:
      - The topology itself, DOT text or a JSON topology (a dict, or JSON text). Used only
        when the simulation is created.
    type: raw
  source:
    description:
      - An existing simulation to duplicate, by title or id; the new simulation is a copy of
        its topology (Air's C(duplicate) action), then gets O(title) and the other options.
      - Used only when the simulation is created. Mutually exclusive with the topology
        options, O(demo) and O(organization) (a copy stays in the organization of its source).
    type: raw
    version_added: 0.2.0
  demo:
    description:
      - A demo of Air's marketplace to start from, by name or id. The new simulation is a
        duplicate of the demo's snapshot simulation, then gets O(title) and the other options.
      - Used only when the simulation is created. Mutually exclusive with the topology
        options, O(source) and O(organization).
    type: raw
    version_added: 0.2.0
  sleep:
    description:
      - Whether the simulation is stored automatically at O(sleep_at).
    type: bool
  sleep_at:
    description:
      - When the simulation is stored automatically, as an ISO 8601 timestamp
        (V(2026-12-01T18:00:00Z); without an offset it is taken as UTC).
      - Compared as a point in time, so the same time in another form is not a change and a
        later time (an extension) is.
      - Must be in the future.
    type: str
  expires:
    description:
      - Whether the simulation is deleted automatically at O(expires_at).
    type: bool
  expires_at:
    description:
      - When the simulation is deleted automatically, as an ISO 8601 timestamp; compared
        as O(sleep_at) is. Must be in the future.
    type: str
  documentation:
    description:
      - Documentation of the simulation (a URL or text).
    type: str
  metadata:
    description:
      - Metadata of the simulation, JSON text (compared as data, not as text).
    type: str
  state:
    description:
      - V(present) makes sure the simulation exists (a new one is not started).
      - V(loaded) makes sure it runs. A new or stored simulation is loaded; one already
        loading is only waited for.
      - V(stored) makes sure it is stored (asleep, its state saved). A loaded simulation is
        stored. A simulation never loaded is left as it is (it holds no resources).
      - V(absent) destroys it.
      - A simulation that is storing or loading settles first when O(wait=true).
    type: str
    choices: [present, loaded, stored, absent]
    default: present
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.air.wait
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
notes:
  - The topology options are used only to create the simulation; Air does not let nodes
    change after a simulation first starts. Use M(statecraft.infra.air_topology) to keep a
    topology in step with a file.
  - The result lists the simulation's nodes with their console details and management
    address, and its services, so a later play can connect.
"""

EXAMPLES = r"""
- name: A lab from the DOT file in the playbook's files/ directory, running
  statecraft.infra.air_simulation:
    url: https://air.nvidia.com
    username: netops@example.com
    password: "{{ air_api_token }}"
    title: evpn-lab
    topology_file: evpn.dot
    sleep_at: "2026-12-01T18:00:00Z"
    state: loaded
  register: lab

- name: A lab of my own from the marketplace's EVPN demo
  statecraft.infra.air_simulation:
    title: my-evpn-demo
    demo: EVPN Demo
    state: loaded

- name: Keep it one more day
  statecraft.infra.air_simulation:
    title: evpn-lab
    expires_at: "2026-12-15T00:00:00Z"

- name: Store it overnight
  statecraft.infra.air_simulation:
    title: evpn-lab
    state: stored

- name: Destroy it when the campaign ends
  statecraft.infra.air_simulation:
    title: evpn-lab
    state: absent
"""

RETURN = r"""
simulation:
  description:
    - The simulation after the task (in check mode, as predicted; a new one has C(id=null)).
      Related objects are given by id. Empty after a delete.
    - C(nodes) lists each node with C(name), C(state), C(console_url), C(console_username),
      C(console_password), C(console_port), C(serial_port), C(mgmt_ip) and C(mgmt_mac).
    - C(services) lists the simulation's services (see M(statecraft.infra.air_service)).
  returned: always
  type: dict
  sample:
    id: 6b0f1f2e-0000-4000-8000-000000000001
    title: evpn-lab
    state: LOADED
    sleep: true
    sleep_at: "2026-12-01T18:00:00.000000Z"
    expires: true
    expires_at: "2026-12-15T00:00:00.000000Z"
    nodes:
      - name: leaf01
        state: RUNNING
        console_username: cumulus
        mgmt_ip: 192.168.200.11
    services:
      - name: oob-ssh
        host: worker01.air.nvidia.com
        src_port: 16821
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    create_simulation,
    destroy_simulation,
    future_timestamp,
    json_text,
    simulation_view,
    utc_timestamp,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import from_content
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import (
    Field,
    Goal,
    Lifecycle,
    Ref,
    Resource,
)

RESOURCE = Resource(
    name="simulation",
    path="v1/simulation",
    platform=AIR,
    identity=("title", "organization"),
    by_id=True,
    fields=dict(
        title=Field(clearable=False),
        organization=Ref("v1/organization", create_only=True),
        topology=Ref("v1/topology", create_only=True),
        topology_content=Field(type="raw", create_only=True, check=from_content),  # DOT/JSON read before a POST
        source=Ref("v1/simulation", key="title", create_only=True),  # duplicated
        demo=Ref("v2/marketplace-demos", create_only=True),  # its snapshot duplicated
        sleep=Field(type="bool"),
        sleep_at=Field(canonical=utc_timestamp, check=future_timestamp, clearable=False),
        expires=Field(type="bool"),
        expires_at=Field(canonical=utc_timestamp, check=future_timestamp, clearable=False),
        documentation=Field(empty=""),
        metadata=Field(canonical=json_text),
    ),
    lifecycle=Lifecycle(
        key="state",
        initial="NEW",
        goals={
            "loaded": Goal("load", done=["LOADED"], pending=["LOADING"], sources=["NEW", "STORED"]),
            "stored": Goal("store", done=["STORED", "NEW"], pending=["STORING"], sources=["LOADED"]),
        },
        transient=["LOADING", "STORING"],
        failed=["ERROR"],
    ),
    extra_options={"topology_file": {"type": "path"}},
    one_of_on_create=[("topology", "topology_file", "topology_content", "source", "demo")],
    mutually_exclusive=[("topology", "topology_file", "topology_content", "source", "demo"),
                        ("organization", "source"), ("organization", "demo")],
    # created from a topology, DOT or JSON, or as a duplicate; destroyed by its control
    # action; shown with its nodes and services
    create=create_simulation,
    delete=destroy_simulation,
    view=simulation_view,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
