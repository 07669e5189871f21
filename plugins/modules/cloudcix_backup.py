#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_backup
short_description: Manage a backup of a CloudCIX compute instance
version_added: 0.1.0
description:
  - Creates or deletes a backup of an instance, found by O(project) and O(name) (and by
    O(instance) when given).
  - CloudCIX makes the backup in the background; with O(wait) the task ends when it is
    C(running) (made, with its C(time_valid)). A backup cannot change once made.
  - It is created with its project, instance, name and the instance's type (C(lxd) or
    C(hyperv)), the body of CloudCIX's Compute backups.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the backup.
    type: str
    required: true
  instance:
    description:
      - The instance of the project to back up, by name or id. Needed to create the backup.
    type: raw
  repository:
    description:
      - Ignored, and deprecated. The backup repository was a field of CloudCIX's first
        generation (C(iaas)); Compute backups are created with their project, instance, type
        and name only, so this option is not sent (before 0.2.0 it was, on create).
    type: int
    choices: [1, 2]
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Nightly backup
  statecraft.infra.cloudcix_backup:
    project: web
    instance: web1
    name: "nightly-{{ now(utc=true).strftime('%Y%m%d') }}"
"""

RETURN = r"""
backup:
  description: The backup as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 4, name: nightly-20261123, project_id: 12, instance_id: 21, type: lxd, state: running,
           time_valid: "2026-11-23T02:00:31.000000", instance: {id: 21, name: web1, state: running}}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import backup_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = backup_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
