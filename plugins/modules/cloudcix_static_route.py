#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_static_route
short_description: Manage a static route of a CloudCIX project
version_added: 0.2.0
description:
  - Creates, updates or deletes a static route of a project's network router, which sends
    the traffic for O(destination) to O(nexthop), an address in one of the router's networks.
  - CloudCIX keeps static routes in the routers' collection (C(network/routers), type
    C(static_route)). A route is found by O(project) and O(destination); destinations may
    not overlap within a project.
  - Only O(nat) and O(name) (and O(grace_period)) change in place; a change of O(nat) is
    sent with the state C(update_running), as CloudCIX requires. Another O(nexthop) makes a
    new route, replacing the old one, only with O(recreate=true).
  - The project needs its router first (M(statecraft.infra.cloudcix_network_router)); a
    next hop outside the router's networks fails before the route is created.
author:
  - statecraft.infra team (@statecraft)
options:
  destination:
    description:
      - The destination network, as a CIDR (V(192.168.50.0/24)). Part of the route's
        natural key; compared as the network it names (V(192.168.50.7/24) is
        V(192.168.50.0/24)).
    type: str
    required: true
  nexthop:
    description:
      - The address the route forwards to, in one of the networks of the project's router.
        Needed to create the route.
      - CloudCIX cannot change it. Another next hop deletes the route and creates it anew,
        only with O(recreate=true).
    type: str
  nat:
    description:
      - Whether traffic from O(destination) may reach the internet through the project's
        router (CloudCIX's default is V(false)).
    type: bool
  name:
    description:
      - Name of the route (CloudCIX names it C(Static Route) when not set).
    type: str
  recreate:
    description:
      - Allow a new O(nexthop) to replace the route (delete it and create it anew).
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The office network behind 10.0.1.254, reachable from the project
  statecraft.infra.cloudcix_static_route:
    project: web
    destination: 192.168.50.0/24
    nexthop: 10.0.1.254
    name: office

- name: Let the office network out to the internet through the project's router
  statecraft.infra.cloudcix_static_route:
    project: web
    destination: 192.168.50.0/24
    nat: true

- name: Remove the route
  statecraft.infra.cloudcix_static_route:
    project: web
    destination: 192.168.50.0/24
    state: absent
"""

RETURN = r"""
static_route:
  description: The route as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 8
    name: office
    project_id: 12
    type: static_route
    state: running
    grace_period: 7
    metadata: {destination: 192.168.50.0/24, nexthop: 10.0.1.254, nat: false}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import static_route_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = static_route_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
