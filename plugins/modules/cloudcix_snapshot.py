#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_snapshot
short_description: Manage a snapshot of a CloudCIX compute instance
version_added: 0.1.0
description:
  - Creates or deletes a snapshot of an instance, found by O(project) and O(name) (and by
    O(instance) when given, so each instance may have a snapshot of the same name).
  - CloudCIX takes the snapshot in the background; with O(wait) the task ends when it is
    C(running) (taken). The instance must be running or stopped.
  - M(statecraft.infra.cloudcix_snapshot_revert) reverts the instance to the snapshot.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the snapshot.
    type: str
    required: true
  instance:
    description:
      - The instance of the project to snapshot, by name or id. Needed to create the
        snapshot.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Before the upgrade
  statecraft.infra.cloudcix_snapshot:
    project: web
    instance: web1
    name: before-upgrade
"""

RETURN = r"""
snapshot:
  description: The snapshot as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 9, name: before-upgrade, project_id: 12, instance_id: 21, type: lxd, state: running,
           instance: {id: 21, name: web1, state: running}}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import snapshot_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = snapshot_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
