#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_ip_group
short_description: Manage a CloudCIX IP group
version_added: 0.1.0
description:
  - Creates, updates or deletes a named set of networks that firewall rules refer to by
    C(group_name). IP groups belong to the Member, not to a project; they are found by
    O(name).
  - CloudCIX deletes IP groups at once (HTTP DELETE).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the group (a letter, then letters, digits, C(_) and C(-); at most 50).
    type: str
    required: true
  cidrs:
    description:
      - The networks of the group, compared as a set of networks (V(10.0.0.5/24) is
        V(10.0.0.0/24)). Needed to create the group.
    type: list
    elements: str
  version:
    description:
      - The IP version of O(cidrs) (CloudCIX's default is V(4)).
    type: int
    choices: [4, 6]
  description:
    description:
      - A free-text description.
    type: str
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The office networks
  statecraft.infra.cloudcix_ip_group:
    name: office
    cidrs: [192.0.2.0/24, 198.51.100.0/24]
    description: Dublin and Cork
"""

RETURN = r"""
ip_group:
  description: The IP group as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 4, name: office, cidrs: [192.0.2.0/24], version: 4, description: Dublin, member_id: 1}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import ip_group_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = ip_group_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
