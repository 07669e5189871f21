#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_volume
short_description: Manage a CloudCIX storage volume
version_added: 0.1.0
description:
  - Creates, grows, attaches or deletes a storage volume, found by O(project) and O(name).
  - A change of O(specs), O(mount_path) or O(instances) is sent with the state
    C(update_running), as CloudCIX requires.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the volume, unique by convention within the project.
    type: str
    required: true
  type:
    description:
      - V(cephfs) (shared, attached to LXD instances), V(cephrbd) or V(hyperv) (a disk of
        one Hyper-V instance, see O(instance)). CloudCIX's default is V(cephfs).
      - It cannot change; a different type needs O(recreate=true).
    type: str
    choices: [cephfs, cephrbd, hyperv]
  specs:
    description:
      - The size, as C({sku_name, quantity}) (V(CEPH_001) in GB for Ceph volumes). Needed to
        create the volume. CloudCIX cannot shrink a volume.
    type: list
    elements: dict
  mount_path:
    description:
      - Where a V(cephfs) volume is mounted in the instances it is attached to.
    type: str
  instances:
    description:
      - The LXD instances of the project a V(cephfs) volume is attached to, by name or id;
        compared as a set. Instances not listed are detached only with
        O(purge_instances=true).
    type: list
    elements: raw
  purge_instances:
    description:
      - Detach the instances O(instances) does not list.
    type: bool
    default: false
  instance:
    description:
      - The Hyper-V instance a V(hyperv) volume belongs to, by name or id; used when the
        volume is created.
    type: raw
  recreate:
    description:
      - Allow deleting the volume and creating it anew when O(type) differs.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: 500 GB shared by the web servers
  statecraft.infra.cloudcix_volume:
    project: web
    name: shared
    specs: [{sku_name: CEPH_001, quantity: 500}]
    mount_path: /srv/shared
    instances: [web1, web2]
"""

RETURN = r"""
volume:
  description: The volume as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 5
    name: shared
    project_id: 12
    type: cephfs
    state: running
    specs: [{sku_name: CEPH_001, quantity: 500}]
    metadata: {mount_path: /srv/shared}
    contra_instances: [{id: 21, name: web1, state: running}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import volume_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = volume_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
