#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_destination
short_description: Manage an Airbyte destination
version_added: 0.1.0
description:
  - Creates, updates or deletes an Airbyte destination, found by O(name) within O(workspace).
  - The second run of the same task sends nothing; masked secrets never count as a change.
author:
  - statecraft.infra team (@statecraft)
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.airbyte.IN_WORKSPACE
  - statecraft.infra.airbyte.CONNECTOR
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The shop database as a destination
  statecraft.infra.airbyte_destination:
    workspace: data-platform
    name: shop-bigquery
    connector: bigquery
    configuration:
      project_id: analytics-prod
      dataset_id: shop
      dataset_location: EU
    secrets:
      credentials_json: "{{ lookup('file', 'bq-writer.json') }}"
"""

RETURN = r"""
destination:
  description:
    - The destination as Airbyte returns it (secrets masked); empty after O(state=absent).
  returned: always
  type: dict
  sample:
    destinationId: 0c3e2a4b-9f4e-4c39-8a55-0e0c8a5a2a11
    name: shop-bigquery
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
    definitionId: 22f6c74f-5699-40ff-833c-4a879ea40133
    configuration: {}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import connector_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = connector_resource("destination")


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
