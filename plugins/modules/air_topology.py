#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_topology
short_description: Manage an NVIDIA Air topology from a DOT or JSON file
version_added: 0.1.0
description:
  - Creates a topology (nodes, their interfaces and links) from a DOT or JSON topology, keeps
    it in step with the file, or deletes it.
  - The topology is found by O(name) (and O(organization) when given).
  - The file and Air's topology are compared as nodes, node attributes (C(os), C(cpu),
    C(memory), C(storage); only those the file sets) and links. Air's own out-of-band
    management nodes are ignored unless the file names them. Air adds that network to a
    JSON topology unless its C(oob) key is false, never to a DOT one (a DOT file names its
    own C(oob-mgmt-server) and C(oob-mgmt-switch) when it wants them).
  - A changed file changes the topology in place, node by node and link by link (shown in
    C(--diff) as nodes and links before and after), so it keeps its id. Node attributes are
    changed, nodes and links added and removed; a node that needs an interface it lacks, or
    whose outbound (C(exit)) interfaces change, is deleted and created again with its links,
    since Air sets a node's interfaces only when it creates the node.
  - Simulations already created from the topology keep running as they are.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the topology.
    type: str
    required: true
  organization:
    description:
      - Organization of the topology, by name or id. Narrows the lookup by name and is set
        when the topology is created.
    type: raw
  file:
    description:
      - A DOT or JSON topology file on the controller, looked up as the copy module's
        C(src) is (the role's C(files/), the playbook's C(files/), the playbook's directory).
      - Mutually exclusive with O(content).
    type: path
  content:
    description:
      - The topology itself, DOT text or a JSON topology (a dict, or JSON text).
      - One of O(file) or O(content) is required to create a topology.
    type: raw
  documentation:
    description:
      - Documentation of the topology.
    type: str
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The EVPN fabric as drawn in files/evpn.dot
  statecraft.infra.air_topology:
    name: evpn-fabric
    file: evpn.dot

- name: A two-node topology written inline
  statecraft.infra.air_topology:
    name: pair
    content:
      nodes:
        leaf01: {os: cumulus-vx-5.10.1, cpu: 2, memory: 2048}
        leaf02: {os: cumulus-vx-5.10.1}
      links:
        - [{node: leaf01, interface: swp1}, {node: leaf02, interface: swp1}]
"""

RETURN = r"""
topology:
  description:
    - The topology after the task (in check mode, as predicted). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 8d2e4b1a-0000-4000-8000-000000000004
    name: evpn-fabric
    organization: null
    documentation: ""
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import (
    from_content,
    same,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    check_topology_images,
    create_topology,
    topology_model,
    update_topology,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, Resource

RESOURCE = Resource(
    name="topology",
    path="v1/topology",
    platform=AIR,
    identity=("name", "organization"),
    fields=dict(
        name=Field(required=True),
        organization=Ref("v1/organization", create_only=True),
        # compared as nodes and links, read with more requests
        content=Field(type="raw", read_key="_topology_model", read=topology_model, canonical=from_content,
                      compare=same, clearable=False),
        documentation=Field(empty=""),
    ),
    extra_options={"file": {"type": "path"}},
    one_of_on_create=[("file", "content")],
    mutually_exclusive=[("file", "content")],
    # created from DOT or JSON; changed in place, node by node and link by link
    create=create_topology,
    update=update_topology,
    check_write=check_topology_images,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
