#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_declarative_source
short_description: Manage a low-code (declarative) source connector of an Airbyte workspace
version_added: 0.1.0
description:
  - Creates, updates or deletes a declarative source definition (a connector described by a
    low-code CDK manifest), found by O(name) within O(workspace).
  - The manifest is compared as a whole; a different manifest makes Airbyte store a new
    version of the definition.
  - Once it exists, M(statecraft.infra.airbyte_source) takes it by name as its connector.
    Airbyte cannot rename it.
author:
  - statecraft.infra team (@statecraft)
options:
  manifest:
    description:
      - The low-code CDK manifest (as built in the Connector Builder, for example read with
        C(lookup('file', 'manifest.yaml') | from_yaml)). Required to create.
    type: dict
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.airbyte.IN_WORKSPACE
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The status page API as a source connector
  statecraft.infra.airbyte_declarative_source:
    workspace: data-platform
    name: status-page
    manifest: "{{ lookup('ansible.builtin.file', 'status-page.yaml') | from_yaml }}"
"""

RETURN = r"""
declarative_source:
  description: The definition as Airbyte returns it (with its C(version)); empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
    name: status-page
    version: 2
    manifest: {version: 6.5.0, type: DeclarativeSource, streams: []}
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import declarative_source_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = declarative_source_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
