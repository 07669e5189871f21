#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_tag
short_description: Manage a tag of an Airbyte workspace
version_added: 0.1.0
description:
  - Creates, recolours or deletes the tag O(name) of O(workspace); connections take tags by
    name (M(statecraft.infra.airbyte_connection)). A tag's name is unique in its workspace
    and at most 30 characters long.
author:
  - statecraft.infra team (@statecraft)
options:
  color:
    description:
      - Colour as six hexadecimal digits, for example V(FF5733). Required to create.
    type: str
extends_documentation_fragment:
  - statecraft.infra.airbyte
  - statecraft.infra.airbyte.IN_WORKSPACE
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A tag for the finance pipelines
  statecraft.infra.airbyte_tag:
    workspace: data-platform
    name: finance
    color: 2E86C1
"""

RETURN = r"""
tag:
  description: The tag as Airbyte returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {tagId: 7c1f0a55-3e2d-4a8b-9f10-2b3c4d5e6f70, name: finance, color: 2E86C1, workspaceId: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import tag_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = tag_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
