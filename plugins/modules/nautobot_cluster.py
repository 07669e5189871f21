#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_cluster
short_description: Manage a virtualization cluster in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a cluster (C(virtualization/clusters)), the group of hosts
    virtual machines run on.
  - The cluster is found by its natural key, O(name), which is unique in Nautobot, so changing
    its type, group, tenant or location updates the same cluster.
  - "Related objects (type, group, tenant, location, tags) are given by name, by id, or as a
    dict of identifying fields such as V({name: dc1, parent: Europe})."
  - Nautobot refuses to delete a cluster that virtual machines still use.
author:
  - statecraft.infra team (@statecraft)
options:
  cluster_type:
    description:
      - Cluster type, such as V(VMware vSphere). Required to create a cluster.
    type: raw
  cluster_group:
    description:
      - Cluster group the cluster belongs to.
    type: raw
  location:
    description:
      - Location of the cluster. Its location type must allow clusters
        (content type C(virtualization.cluster)).
      - "A location name alone must be unique; give a dict such as V({name: dc1, parent: Europe})
        when it is not."
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_tenant
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A vSphere cluster in dc1
  statecraft.infra.nautobot_cluster:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: vsphere-fra1
    cluster_type: VMware vSphere
    cluster_group: Frankfurt
    location: dc1
    tenant: Ops
    tags: [production]

- name: Connection set once for a play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: Take it out of its group and away from its tenant
      statecraft.infra.nautobot_cluster:
        name: vsphere-fra1
        clear: [cluster_group, tenant]

    - name: Delete it
      statecraft.infra.nautobot_cluster:
        name: vsphere-fra1
        state: absent
"""

RETURN = r"""
cluster:
  description:
    - The cluster as Nautobot has it after the task (at C(depth=1), related objects with their
      names). In check mode, the predicted cluster; a cluster to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000013
    name: vsphere-fra1
    cluster_type: {name: VMware vSphere}
    cluster_group: {name: Frankfurt}
    location: {name: dc1}
    comments: ""
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import CLUSTER


def main():
    run_module(CLUSTER)


if __name__ == "__main__":
    main()
