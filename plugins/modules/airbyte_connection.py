#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_connection
short_description: Manage an Airbyte connection, its streams and its schedule
version_added: 0.1.0
description:
  - Creates, updates or deletes the connection named O(name) in O(workspace), which syncs
    O(source) into O(destination).
  - A second run of the same task sends nothing; a schedule Airbyte shows with its C( UTC)
    suffix, or streams in another order, are no change.
  - A connection Airbyte has locked fails the task before anything is sent.
author:
  - statecraft.infra team (@statecraft)
options:
  workspace:
    description:
      - The workspace, by name or id; sources, destinations and tags given by name are
        looked up in it.
    type: raw
    required: true
  name:
    description:
      - Name of the connection within the workspace.
    type: str
    required: true
  source:
    description:
      - The source, by name or id. Required to create. Airbyte cannot change it; see O(recreate).
    type: raw
  destination:
    description:
      - The destination, by name or id. Required to create. Airbyte cannot change it; see O(recreate).
    type: raw
  streams:
    description:
      - The streams to sync, compared as a set (order does not matter); Airbyte syncs exactly
        these, so a stream left out of the list is no longer synced.
      - Each has C(name) and may give C(namespace), C(sync_mode) (for example
        V(full_refresh_overwrite) or V(incremental_append)), C(cursor_field) (V(updated_at)
        or a path), C(primary_key) (V(id), a list of field names, or a list of paths) and
        C(selected_fields) (field names or paths). What a stream leaves out is not compared
        (Airbyte fills in the source's defaults).
      - Since 0.2.0 a stream may also give C(mappers), C(include_files) (move the source's
        raw files too) and C(destination_object_name) (the object it is written to, for data
        activation destinations).
      - C(mappers) is the list of mappers applied to the stream's records, in order, each a
        C(type) (V(hashing), V(field-renaming), V(row-filtering), V(encryption) or
        V(field-filtering)) and its C(mapper_configuration) as Airbyte names it (for example
        C(targetField), C(method) and C(fieldNameSuffix) for V(hashing)); what each type needs
        is checked before any request. The list is compared in order, as a whole. An
        encryption mapper's C(key) is a secret, never compared, masked in the result and the
        diff, and written whenever the stream is.
      - Without O(streams), a new connection syncs every stream of the source in full.
    type: list
    elements: dict
  schedule:
    description:
      - V(manual), or a Quartz cron expression in UTC (seconds first, at most hourly), for
        example V(0 0 2 * * ?). Checked before any request.
    type: str
  status:
    description:
      - V(active) runs the schedule; V(inactive) pauses it.
    type: str
    choices: [active, inactive]
  namespace_definition:
    description:
      - Where the data lands in the destination.
    type: str
    choices: [source, destination, custom_format]
  namespace_format:
    description:
      - The namespace with O(namespace_definition=custom_format), for example V(${SOURCE_NAMESPACE}_raw).
    type: str
  prefix:
    description:
      - Prefix of the stream names in the destination.
    type: str
  non_breaking_schema_updates_behavior:
    description:
      - What Airbyte does when the source's schema changes in a non-breaking way.
    type: str
    choices: [ignore, disable_connection, propagate_columns, propagate_fully]
  tags:
    description:
      - Tags of the connection, by name or id (they must exist, see M(statecraft.infra.airbyte_tag)).
      - Added to the connection's tags unless O(purge_tags=true).
    type: list
    elements: raw
  purge_tags:
    description:
      - Make O(tags) the exact set.
    type: bool
    default: false
  recreate:
    description:
      - Allow a change of O(source) or O(destination), which Airbyte can only make by deleting
        the connection and creating it anew (its sync history stays with the old one).
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Shop database into the lake, nightly, two streams
  statecraft.infra.airbyte_connection:
    workspace: data-platform
    name: shop-to-lake
    source: shop-postgres
    destination: lake-s3
    schedule: "0 0 2 * * ?"
    streams:
      - name: customers
        namespace: public
        sync_mode: incremental_deduped_history
        cursor_field: updated_at
      - name: orders
        namespace: public

- name: Customers with their e-mail addresses hashed, into a named object
  statecraft.infra.airbyte_connection:
    workspace: data-platform
    name: customers-to-crm
    source: shop-postgres
    destination: crm
    streams:
      - name: customers
        namespace: public
        destination_object_name: Contact
        mappers:
          - type: hashing
            mapper_configuration: {targetField: email, method: SHA-256, fieldNameSuffix: _hashed}
          - type: row-filtering
            mapper_configuration:
              conditions: {type: EQUAL, fieldName: country, comparisonValue: DE}
"""

RETURN = r"""
connection:
  description: The connection as Airbyte returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    connectionId: 3f8a1c2e-6b7d-4e2f-9a10-2c4d5e6f7a8b
    name: shop-to-lake
    status: active
    schedule: {scheduleType: cron, cronExpression: "0 0 2 * * ? UTC"}
    configurations: {streams: [{name: customers, namespace: public, syncMode: incremental_deduped_history}]}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import connection_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = connection_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
