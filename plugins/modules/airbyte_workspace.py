#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_workspace
short_description: Manage an Airbyte workspace
version_added: 0.1.0
description:
  - Creates, renames, configures the notifications or the region of, or deletes an Airbyte
    workspace, found by O(name) (or by O(id), to rename it).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the workspace.
    type: str
    required: true
  id:
    description:
      - Find the workspace by id instead of by name (then O(name) renames it).
    type: str
  organization_id:
    description:
      - Organization of a new workspace (Airbyte Cloud; a self-managed Airbyte uses its one
        organization). Used only when creating.
    type: str
  region_id:
    description:
      - Region (data plane group) of the workspace, by id. A workspace in another region is
        moved to it in place (Airbyte's workspace update takes the region).
      - Airbyte shows a workspace's region only by its name (C(dataResidency), lowercased), so
        the region of this id is read to compare them; an id of no region fails before any
        write.
    type: str
  notifications:
    description:
      - Notification settings, as Airbyte names them (C(failure), C(success),
        C(connectionUpdate), ...; each with C(email) and C(webhook)). Compared key by key
        over the keys given.
    type: dict
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: One workspace per team, failures by e-mail and to the team's webhook
  statecraft.infra.airbyte_workspace:
    name: data-platform
    notifications:
      failure:
        email: {enabled: true}
        webhook: {enabled: true, url: https://hooks.example.com/airbyte}
"""

RETURN = r"""
workspace:
  description: The workspace as Airbyte returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
    name: data-platform
    dataResidency: auto
    notifications: {}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import AIRBYTE
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import (
    check_workspace_write,
    workspace_region,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Resource

RESOURCE = Resource(
    name="workspace",
    path="workspaces",
    platform=AIRBYTE,
    identity=("name",),
    by_id=True,
    fields=dict(
        name=Field(required=True),
        organization_id=Field(wire="organizationId", create_only=True, clearable=False),
        region_id=Field(wire="regionId", read_key="dataResidency", read=workspace_region, clearable=False),
        notifications=Field(type="dict", merge="deep", clearable=False),
    ),
    check_write=check_workspace_write,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
