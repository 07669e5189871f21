#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_cluster_group
short_description: Manage a cluster group in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a cluster group (C(virtualization/cluster-groups)).
  - Cluster groups arrange clusters, for example by region or by purpose.
  - The cluster group is found by its natural key, O(name), which is unique in Nautobot.
  - Nautobot refuses to delete a cluster group that clusters still use.
author:
  - statecraft.infra team (@statecraft)
options: {}
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A cluster group
  statecraft.infra.nautobot_cluster_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Frankfurt
    description: Clusters of the Frankfurt data centres

- name: Remove the description
  statecraft.infra.nautobot_cluster_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Frankfurt
    clear: [description]

- name: Delete it
  statecraft.infra.nautobot_cluster_group:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Frankfurt
    state: absent
"""

RETURN = r"""
cluster_group:
  description:
    - The cluster group as Nautobot has it after the task. In check mode, the predicted
      cluster group; a cluster group to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000012
    name: Frankfurt
    description: Clusters of the Frankfurt data centres
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import CLUSTER_GROUP


def main():
    run_module(CLUSTER_GROUP)


if __name__ == "__main__":
    main()
