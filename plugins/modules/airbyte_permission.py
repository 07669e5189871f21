#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_permission
short_description: Manage a user's permission on an Airbyte workspace or organization
version_added: 0.1.0
description:
  - Grants, changes or revokes the permission of O(user) on O(workspace) or on
    O(organization). Only the permission type of an existing permission can change.
  - Airbyte lists another user's permissions per organization, so the permissions are read
    in each organization the caller belongs to (or only in O(organization)).
  - Users cannot be created through Airbyte's API; the user must exist already.
  - Airbyte allows several permissions of one user on one workspace or organization; when
    more than one is found the task fails and lists them.
author:
  - statecraft.infra team (@statecraft)
options:
  user:
    description:
      - The user, by e-mail address (in any case) or by user id.
    type: raw
    required: true
  workspace:
    description:
      - The workspace, by name or id, for a workspace permission.
      - Exactly one of O(workspace) and O(organization) is needed.
    type: raw
  organization:
    description:
      - The organization, by name or id, for an organization permission.
    type: raw
  permission_type:
    description:
      - The permission. On a workspace one of the C(workspace_) types, on an organization
        one of the C(organization_) types. Required to create.
    type: str
    choices: [organization_admin, organization_editor, organization_runner, organization_reader, organization_member,
              workspace_admin, workspace_editor, workspace_runner, workspace_reader]
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Alice may run the data-platform workspace's syncs
  statecraft.infra.airbyte_permission:
    user: alice@example.com
    workspace: data-platform
    permission_type: workspace_runner

- name: Bob no longer reads the organization
  statecraft.infra.airbyte_permission:
    user: bob@example.com
    organization: Example Corp
    state: absent
"""

RETURN = r"""
permission:
  description:
    - The permission with its C(workspaceId) or C(organizationId); empty after O(state=absent).
  returned: always
  type: dict
  sample:
    permissionId: 5b0f2e44-1c7a-4a5e-9a57-8f0b1f9e2a10
    permissionType: workspace_runner
    userId: 8e2b6c1d-4f3a-4d2e-b1c0-7a9f8e6d5c4b
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import permission_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = permission_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
