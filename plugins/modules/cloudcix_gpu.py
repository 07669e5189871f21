#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_gpu
short_description: Attach a GPU to a CloudCIX LXD instance
version_added: 0.1.0
description:
  - Attaches a GPU to an LXD instance of a project, or detaches it with O(state=absent)
    (CloudCIX's state C(delete)). Found by O(project) and O(name) (and by O(instance)
    when given).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the GPU attachment.
    type: str
    required: true
  instance:
    description:
      - The LXD instance of the project, by name or id. Needed to attach the GPU.
    type: raw
  specs:
    description:
      - The GPU, as C([{sku_name}]) (for example V(A100_GPU)). Needed to attach the GPU;
        used only then.
    type: list
    elements: dict
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: An A100 for the training container
  statecraft.infra.cloudcix_gpu:
    project: ml
    instance: trainer
    name: trainer-gpu
    specs: [{sku_name: A100_GPU}]
"""

RETURN = r"""
gpu:
  description: The GPU as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 1, name: trainer-gpu, project_id: 12, instance_id: 21, state: running,
           specs: [{sku_name: A100_GPU, quantity: 1}], instance: {id: 21, name: trainer, state: running}}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import gpu_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = gpu_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
