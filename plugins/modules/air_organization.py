#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_organization
short_description: Manage an NVIDIA Air organization and its members
version_added: 0.1.0
description:
  - Creates, renames (with O(id)) or deletes an organization, and adds, changes or removes
    its members and their roles.
  - Members are compared by C(username); each listed member's C(roles) are compared when
    given. With O(purge_members=false) (the default) members not listed are kept.
author:
  - statecraft.infra team (@statecraft)
options:
  id:
    description:
      - Id of an existing organization; finds it by id, so O(name) may be changed.
    type: str
  name:
    description:
      - Name of the organization. Required unless O(id) is given.
    type: str
  members:
    description:
      - Members, each a dict with C(username) (an e-mail address) and C(roles), a list of
        V(Organization Admin) and V(Organization Member).
      - A new member without C(roles) joins as V(Organization Member).
    type: list
    elements: dict
  purge_members:
    description:
      - Make the members exactly O(members), removing the others. Without it members are
        only added or changed. Has no effect when O(members) is not set.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The network team, its lead as admin
  statecraft.infra.air_organization:
    name: netops
    members:
      - {username: lead@example.com, roles: [Organization Admin]}
      - {username: engineer@example.com}

- name: Exactly these members
  statecraft.infra.air_organization:
    name: netops
    members:
      - {username: lead@example.com, roles: [Organization Admin]}
    purge_members: true
"""

RETURN = r"""
organization:
  description:
    - The organization after the task (in check mode, as predicted). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 5e2a9c3b-0000-4000-8000-000000000005
    name: netops
    members:
      - {username: lead@example.com, roles: [Organization Admin]}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    check_members,
    create_organization,
    read_members,
    update_organization,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, KeyedSet, Resource

RESOURCE = Resource(
    name="organization",
    path="v1/organization",
    platform=AIR,
    identity=("name",),
    by_id=True,
    fields=dict(
        name=Field(clearable=False),
        members=KeyedSet(key="username", check=check_members, read=read_members),
    ),
    # members are written through the organization's members endpoint
    create=create_organization,
    update=update_organization,
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
