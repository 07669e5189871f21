#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_network_router
short_description: Manage the network router of a CloudCIX project and its networks
version_added: 0.1.0
description:
  - Creates, updates or deletes the router of a project (CloudCIX allows one per project,
    of type C(router)), with its private networks.
  - The router is found by O(project) alone. Static routes are other objects of the same
    collection; manage them with M(statecraft.infra.cloudcix_static_route).
  - CloudCIX deletes a router only when everything else in the project is deleted or
    queued for deletion; the role C(statecraft.infra.cloudcix_stack) tears down in that order.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the router (CloudCIX names it C(Router) when not set).
    type: str
  networks:
    description:
      - The router's networks, each C({name, ipv4}) with the gateway address and prefix
        (V(10.0.1.1/24)); compared as a set by C(ipv4).
      - A new network is added, a network's name may change; CloudCIX generates each
        network's IPv6 range and VLAN. The complete list is sent with the state
        C(update_running).
      - When the router is created without networks, CloudCIX gives it V(10.0.0.1/24).
    type: list
    elements: dict
  purge_networks:
    description:
      - Take out the networks the task does not list (CloudCIX refuses to remove a network
        that is in use).
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The router of project web, with two networks
  statecraft.infra.cloudcix_network_router:
    project: web
    networks:
      - name: frontend
        ipv4: 10.0.1.1/24
      - name: backend
        ipv4: 10.0.2.1/24

- name: Delete the router at once (everything else in the project is gone)
  statecraft.infra.cloudcix_network_router:
    project: web
    state: absent
    purge: true
"""

RETURN = r"""
network_router:
  description: The router as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 7
    name: Router
    project_id: 12
    type: router
    state: running
    networks: [{name: frontend, ipv4: 10.0.1.1/24, ipv6: "2a02:2078:9:3e8::1/64", vlan: 1000}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import network_router_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = network_router_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
