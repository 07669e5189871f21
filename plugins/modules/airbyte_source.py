#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_source
short_description: Manage an Airbyte source
version_added: 0.1.0
description:
  - Creates, updates or deletes an Airbyte source, found by O(name) within O(workspace).
  - The second run of the same task sends nothing; masked secrets never count as a change.
author:
  - statecraft.infra team (@statecraft)
options:
  secret_id:
    description:
      - The C(secretId) of credentials Airbyte keeps in its secret store for this source
        (what Airbyte's OAuth flow hands back), used in place of writing them into
        O(configuration).
      - Airbyte never shows it, so it is sent when the source is created (and, with
        O(update_secrets=always), with every update), never compared, and never printed. To
        use another one for an existing source, set O(update_secrets=always) along with a
        change, or create the source anew.
    type: str
    version_added: 0.2.0
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.airbyte.IN_WORKSPACE
  - statecraft.infra.airbyte.CONNECTOR
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The shop database as a source
  statecraft.infra.airbyte_source:
    workspace: data-platform
    name: shop-postgres
    connector: postgres
    configuration:
      host: db.example.com
      port: 5432
      database: shop
      username: airbyte
      schemas: [public]
    secrets:
      password: "{{ vault_shop_db_password }}"
    resource_allocation:
      default: {cpu_request: "0.5", memory_limit: 2Gi}
      job_specific:
        - job_type: sync
          resource_requirements: {cpu_limit: "2", memory_limit: 4Gi}

- name: A source whose OAuth credentials Airbyte keeps in its secret store
  statecraft.infra.airbyte_source:
    workspace: data-platform
    name: ads
    connector: google-ads
    configuration:
      customer_id: "1234567890"
    secret_id: "{{ google_ads_secret_id }}"
"""

RETURN = r"""
source:
  description:
    - The source as Airbyte returns it (secrets masked); empty after O(state=absent).
  returned: always
  type: dict
  sample:
    sourceId: 0c3e2a4b-9f4e-4c39-8a55-0e0c8a5a2a11
    name: shop-postgres
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
    definitionId: 22f6c74f-5699-40ff-833c-4a879ea40133
    configuration: {}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import connector_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = connector_resource("source")


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
