#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_project
short_description: Manage a CloudCIX Compute project
version_added: 0.1.0
description:
  - Creates, updates or deletes a project, found by O(name) among the open projects of the
    user's address. A new project is built in O(region_id); CloudCIX cannot move a project
    to another region.
  - CloudCIX deletes (closes) a project only when everything in it is deleted or queued for
    deletion, so remove those first.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the project (unique among the address's open projects).
    type: str
    required: true
  note:
    description:
      - A free-text note.
    type: str
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The web project in region 1
  statecraft.infra.cloudcix_project:
    name: web
    region_id: 1
    note: Managed by Ansible
"""

RETURN = r"""
project:
  description: The project as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 12, name: web, region_id: 1, note: Managed by Ansible, closed: false, address_id: 10}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import project_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = project_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
