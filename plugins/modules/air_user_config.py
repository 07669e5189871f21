#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_user_config
short_description: Manage an NVIDIA Air cloud-init user config
version_added: 0.1.0
description:
  - Creates, updates or deletes a user config, the cloud-init user data or meta data that
    simulation nodes boot with.
  - The user config is found by O(name) and O(kind) (and O(organization) when given).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the user config.
    type: str
    required: true
  kind:
    description:
      - What the content is. Air cannot change it; a user config of the other kind is a
        different one.
    type: str
    choices: [cloud-init-user-data, cloud-init-meta-data]
    required: true
  content:
    description:
      - The cloud-init document, for example a C(#cloud-config) YAML text.
      - Required to create a user config. Compared as text.
    type: str
  organization:
    description:
      - Organization that owns the user config, by name or id; set when it is created.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Cloud-init for the lab's servers
  statecraft.infra.air_user_config:
    name: lab-servers
    kind: cloud-init-user-data
    content: |
      #cloud-config
      packages: [lldpd, iperf3]
"""

RETURN = r"""
user_config:
  description:
    - The user config after the task (in check mode, as predicted). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 3c9e1a7b-0000-4000-8000-000000000006
    name: lab-servers
    kind: cloud-init-user-data
    content: "#cloud-config\npackages: [lldpd, iperf3]\n"
    organization: null
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import find_user_configs
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, Resource

RESOURCE = Resource(
    name="user_config",
    path="v2/userconfigs",
    platform=AIR,
    identity=("name", "kind", "organization"),
    required_identity=("name", "kind"),
    fields=dict(
        name=Field(required=True),
        kind=Field(required=True, choices=["cloud-init-user-data", "cloud-init-meta-data"]),
        content=Field(clearable=False, required_on_create=True),
        organization=Ref("v1/organization", create_only=True),
    ),
    find=find_user_configs,  # a list may leave out the content: the ones that can match are read in full
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
