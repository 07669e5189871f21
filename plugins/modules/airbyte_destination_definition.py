#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_destination_definition
short_description: Manage a custom destination connector of an Airbyte workspace
version_added: 0.1.0
description:
  - Creates, updates or deletes a custom destination connector (a docker image Airbyte runs), found
    by O(name) among the destination definitions O(workspace) can use.
  - Airbyte can change a definition's image tag (an upgrade) but not its repository; see
    O(recreate).
  - Once it exists, M(statecraft.infra.airbyte_destination) takes it by name or id as its connector.
author:
  - statecraft.infra team (@statecraft)
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.airbyte.IN_WORKSPACE
  - statecraft.infra.airbyte.DEFINITION
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Our own connector image
  statecraft.infra.airbyte_destination_definition:
    workspace: data-platform
    name: inventory
    docker_repository: example/destination-inventory
    docker_image_tag: 1.2.0
"""

RETURN = r"""
destination_definition:
  description: The definition as Airbyte returns it, with its workspace; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 3f1d2c4b-5a6e-4f70-8b91-a2b3c4d5e6f7
    name: inventory
    dockerRepository: example/destination-inventory
    dockerImageTag: 1.2.0
    workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import definition_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = definition_resource("destination")


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
