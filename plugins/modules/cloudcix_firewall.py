#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_firewall
short_description: Manage a CloudCIX project firewall and its rules
version_added: 0.1.0
description:
  - Creates, updates or deletes one of a project's two firewalls (O(type=project) or
    O(type=geo)), found by O(project) and O(type).
  - The rules are an ordered list, since CloudCIX applies them in order; any change sends
    the complete list with the state C(update_running), which replaces the one CloudCIX has.
author:
  - statecraft.infra team (@statecraft)
options:
  type:
    description:
      - Which of the project's firewalls.
    type: str
    choices: [project, geo]
    default: project
  name:
    description:
      - Name of the firewall.
    type: str
  rules:
    description:
      - The rules, in order. A rule is C({allow, inbound, source, destination, port,
        protocol, zone, description}), or C({group_name, allow, inbound}) for an IP group
        (see M(statecraft.infra.cloudcix_ip_group)).
      - Each rule is compared on the keys it gives, so keys left to CloudCIX's defaults
        (C(protocol) V(any), C(zone) V(Public)) are no difference; the list must match in
        length and order.
    type: list
    elements: dict
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: SSH and HTTPS in to the frontend network
  statecraft.infra.cloudcix_firewall:
    project: web
    rules:
      - {allow: true, inbound: true, source: "*", destination: 10.0.1.0/24, port: "22", protocol: tcp,
         description: ssh}
      - {allow: true, inbound: true, source: "*", destination: 10.0.1.0/24, port: "443", protocol: tcp}
      - {group_name: office, allow: true, inbound: true}
"""

RETURN = r"""
firewall:
  description: The firewall as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 3
    name: Firewall
    project_id: 12
    type: project
    state: running
    rules: [{allow: true, inbound: true, source: "*", destination: 10.0.1.0/24, port: "22", protocol: tcp,
             zone: Public, description: ssh}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import firewall_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = firewall_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
