#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_info
short_description: Read Airbyte workspaces, sources, destinations, connections, jobs and more
version_added: 0.1.0
description:
  - Returns every object of one kind (O(resource)) that the credentials can see, reading
    every page, narrowed by the filters given. Secrets in configurations stay masked.
  - Never changes anything.
author:
  - statecraft.infra team (@statecraft)
options:
  resource:
    description:
      - What to read. The result is under a key of the same name.
      - V(health) reads the server's health check (no authentication needed).
      - V(source_definitions) and V(destination_definitions) (since 0.2.0) read the connectors
        a workspace can use, Airbyte's and its own custom ones (O(workspace) is required
        there); their C(id) is what O(statecraft.infra.airbyte_source#module:connector) takes.
    type: str
    required: true
    choices: [workspaces, sources, destinations, connections, jobs, tags, streams, organizations, users,
              permissions, health, source_definitions, destination_definitions]
  workspace:
    description:
      - Only objects of this workspace (name or id). Required for connector definitions.
    type: raw
  name:
    description:
      - Only objects with this name (Airbyte names need not be unique).
    type: str
  connection:
    description:
      - With O(resource=jobs), only the jobs of this connection (id, or name with O(workspace)).
    type: str
  status:
    description:
      - With O(resource=jobs), only jobs in this status, for example V(running) or V(failed).
    type: str
  job_type:
    description:
      - With O(resource=jobs), only jobs of this type (V(sync), V(clear), ...).
    type: str
  source_id:
    description:
      - With O(resource=streams), the source whose streams to read (required there).
    type: str
  destination_id:
    description:
      - With O(resource=streams), the destination the streams would sync to.
    type: str
  organization_id:
    description:
      - With O(resource=users) (required by Airbyte there) or O(resource=permissions).
    type: str
  user_id:
    description:
      - With O(resource=permissions), the user whose permissions to read.
    type: str
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.info
"""

EXAMPLES = r"""
- name: Failed syncs of a connection
  statecraft.infra.airbyte_info:
    resource: jobs
    workspace: data-platform
    connection: shop-to-lake
    status: failed
  register: failed_jobs

- name: The connectors the workspace can use as destinations
  statecraft.infra.airbyte_info:
    resource: destination_definitions
    workspace: data-platform
  register: destination_connectors

- name: Every source of the workspace
  statecraft.infra.airbyte_info:
    resource: sources
    workspace: data-platform
  register: sources
"""

RETURN = r"""
workspaces:
  description: With O(resource=workspaces), the workspaces as Airbyte returns them (and so on for each O(resource)).
  returned: when asked for
  type: list
  elements: dict
source_definitions:
  description:
    - With O(resource=source_definitions) (and likewise C(destination_definitions)), the
      connector definitions as Airbyte returns them, each with the C(workspaceId) it was read in.
  returned: when asked for
  type: list
  elements: dict
  version_added: 0.2.0
  sample:
    - id: decd338e-5647-4c0b-adf4-da0e75f5a750
      name: Postgres
      dockerRepository: airbyte/source-postgres
      dockerImageTag: 3.6.30
      workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
health:
  description: With O(resource=health), the HTTP status of the health check and whether it is 200.
  returned: when asked for
  type: dict
  sample: {status: 200, healthy: true}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import AIRBYTE
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_tasks import info
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info

OPTIONS = dict(
    resource=dict(type="str", required=True, choices=["workspaces", "sources", "destinations", "connections", "jobs", "tags",
                                                      "streams", "organizations", "users", "permissions", "health",
                                                      "source_definitions", "destination_definitions"]),
    workspace=dict(type="raw"),
    name=dict(type="str"),
    connection=dict(type="str"),
    status=dict(type="str"),
    job_type=dict(type="str"),
    source_id=dict(type="str"),
    destination_id=dict(type="str"),
    organization_id=dict(type="str"),
    user_id=dict(type="str"),
)


def main():
    run_info(AIRBYTE, OPTIONS, info)


if __name__ == "__main__":
    main()
