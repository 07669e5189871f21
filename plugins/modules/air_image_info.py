#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_image_info
short_description: List the NVIDIA Air images nodes can run
version_added: 0.2.0
description:
  - Lists the images (node operating systems) the account can use, or those matching the
    filters, with the names a topology's C(os) takes, their versions, default credentials and
    minimum resources.
  - Never changes anything.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Only the image with this name, for example V(cumulus-vx-5.10.1).
    type: str
  id:
    description:
      - Only the image with this id.
    type: str
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.info
"""

EXAMPLES = r"""
- name: Which Cumulus Linux versions can the lab run?
  statecraft.infra.air_image_info:
  register: air_images

- name: Show them
  ansible.builtin.debug:
    msg: "{{ air_images.images | map(attribute='name') | select('match', 'cumulus-vx') | list }}"
"""

RETURN = r"""
images:
  description: The images found, sorted by name; related objects by id.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 3f0c6b8e-0000-4000-8000-00000000000b
      name: cumulus-vx-5.10.1
      version: 5.10.1
      default_username: cumulus
      cpu_arch: x86
      minimum_resources: {cpu: 2, memory: 2048, storage: 10}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_tasks import images_info
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info

OPTIONS = dict(
    name=dict(type="str"),
    id=dict(type="str"),
)


def main():
    run_info(AIR, OPTIONS, images_info)


if __name__ == "__main__":
    main()
