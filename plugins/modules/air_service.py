#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_service
short_description: Manage a port-forward service into an NVIDIA Air simulation
version_added: 0.1.0
description:
  - Creates or deletes a service, a port on an Air worker forwarded to a port of a node's
    interface (SSH to the out-of-band server, a web UI).
  - The service is found in its simulation by O(name), or, when O(name) is not given, by
    O(node), O(interface) and O(dest_port).
  - Air cannot change a service; a service whose node, interface, port or type differs is
    deleted and created anew (shown in C(--diff)), and gets a new worker port.
  - Returns the C(host) and C(src_port) users connect to, and C(link), for example
    C(ssh://ubuntu@worker01.air.nvidia.com:16821).
author:
  - statecraft.infra team (@statecraft)
options:
  simulation:
    description:
      - The simulation, by title or id. A title shared by several simulations fails; give
        the id then.
    type: raw
    required: true
  name:
    description:
      - Name of the service within the simulation.
      - Required to create a service.
    type: str
  node:
    description:
      - Name of the node the service forwards to, for example V(oob-mgmt-server).
      - Required to create a service.
    type: str
  interface:
    description:
      - Name of the node's interface, for example V(eth0).
      - Required to create a service.
    type: str
  dest_port:
    description:
      - Port on the node, for example V(22).
      - Required to create a service.
    type: int
  service_type:
    description:
      - Kind of service; V(ssh) makes Air build an C(ssh://) link with the image's default user,
        V(tcp) forwards a plain TCP port (version 0.2.0 on).
    type: str
    choices: [ssh, http, https, tcp, other]
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: SSH into the lab's out-of-band server
  statecraft.infra.air_service:
    simulation: evpn-lab
    name: oob-ssh
    node: oob-mgmt-server
    interface: eth0
    dest_port: 22
    service_type: ssh
  register: ssh

- name: Tell the next play where to connect
  ansible.builtin.set_fact:
    lab_ssh: "ssh -p {{ ssh.service.src_port }} {{ ssh.service.os_default_username }}@{{ ssh.service.host }}"

- name: Remove it
  statecraft.infra.air_service:
    simulation: evpn-lab
    name: oob-ssh
    state: absent
"""

RETURN = r"""
service:
  description:
    - The service after the task (in check mode, as predicted; a new one has C(id=null)
      and no port yet). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 0c6f3f5a-0000-4000-8000-000000000002
    name: oob-ssh
    simulation: 6b0f1f2e-0000-4000-8000-000000000001
    node: oob-mgmt-server
    interface: eth0
    dest_port: 22
    service_type: ssh
    host: worker01.air.nvidia.com
    src_port: 16821
    link: ssh://ubuntu@worker01.air.nvidia.com:16821
    os_default_username: ubuntu
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    create_service,
    find_in_simulation,
    service_view,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, Resource

RESOURCE = Resource(
    name="service",
    path="v1/service",
    platform=AIR,
    identity=("simulation", "name"),
    identities=[("simulation", "node", "interface", "dest_port")],
    fields=dict(
        simulation=Ref("v1/simulation", key="title", required=True),
        name=Field(clearable=False, required_on_create=True),
        node=Field(read_key="node_name", replace=True, clearable=False, required_on_create=True),
        interface=Field(read_key="interface_name", replace=True, clearable=False, required_on_create=True),
        dest_port=Field(type="int", replace=True, clearable=False, required_on_create=True),
        service_type=Field(choices=["ssh", "http", "https", "tcp", "other"], replace=True, clearable=False),
    ),
    # listed per simulation; created on a node's interface found by name; shown with both
    find=find_in_simulation,
    create=create_service,
    view=service_view,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
