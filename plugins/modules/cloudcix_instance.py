#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_instance
short_description: Manage a CloudCIX compute instance (LXD or Hyper-V)
version_added: 0.1.0
description:
  - Creates, resizes, reconfigures, stops, starts or deletes a compute instance, found by
    O(project) and O(name).
  - A change of O(specs), O(interfaces) or O(metadata) is sent with the state
    C(update_running) (or C(update_stopped) for a stopped instance), as CloudCIX requires;
    only the keys that differ are sent. The name and O(grace_period) change on their own.
  - CloudCIX's robot carries out every change in the background; see O(wait). The project
    needs its network router first (M(statecraft.infra.cloudcix_network_router)).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the instance, unique by convention within the project.
    type: str
    required: true
  state:
    description:
      - V(present) creates the instance or updates the options the task sets, whatever its
        power state.
      - V(running) as V(present), and starts a stopped instance (the state C(restart)).
      - V(stopped) as V(present), and stops a running one (the state C(stop)).
      - "V(absent) asks CloudCIX to delete it (the state C(delete)): it is queued for
        deletion and restorable for its O(grace_period); with O(purge=true) it is deleted
        at once. An instance already deleted or queued counts as absent."
    type: str
    choices: [present, running, stopped, absent]
    default: present
  type:
    description:
      - V(lxd) (a container or virtual machine) or V(hyperv) (a Windows virtual machine).
        CloudCIX's default is V(lxd).
      - It cannot change; a different type needs O(recreate=true).
    type: str
    choices: [lxd, hyperv]
  specs:
    description:
      - "What the instance is made of, each C({sku_name, quantity}): RAM (V(RAM_001), GB),
        vCPUs (V(vCPU_001) for LXD, V(vCPU_002) for Hyper-V), disk (V(SSD_001), GB) and
        the image (V(UBUNTU2404) and others, see C(compute/images) through
        M(statecraft.infra.cloudcix_resource_info)). Needed to create the instance."
      - Compared by C(sku_name) on the quantities given; a resize sends the
        complete list. CloudCIX cannot shrink a disk or change the image.
    type: list
    elements: dict
  interfaces:
    description:
      - The network interfaces, in order, each C({gateway, vlan, ipv4_addresses,
        ipv6_addresses}) with addresses as C({address, nat}). An address left out is
        assigned by CloudCIX; C(nat=true) gives it a public IP address.
      - Compared on the keys given. When not set at creation CloudCIX gives the instance one
        interface on the router's first network.
    type: list
    elements: dict
  metadata:
    description:
      - Settings such as C(instance_type) (V(container) or V(virtual-machine)), C(dns),
        C(userdata) (cloud-init) and C(ssh_key_names) (see
        M(statecraft.infra.cloudcix_ssh_key)).
      - Only the keys given are compared and sent.
    type: dict
  recreate:
    description:
      - Allow deleting the instance and creating it anew when O(type) differs.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: An Ubuntu container with a public address
  statecraft.infra.cloudcix_instance:
    project: web
    name: web1
    state: running
    specs:
      - {sku_name: RAM_001, quantity: 2}
      - {sku_name: vCPU_001, quantity: 2}
      - {sku_name: SSD_001, quantity: 20}
      - {sku_name: UBUNTU2404, quantity: 1}
    interfaces:
      - gateway: true
        ipv4_addresses: [{nat: true}]
    metadata:
      ssh_key_names: [deploy]
      userdata: |
        #cloud-config
        package_update: true

- name: More memory (sent with update_running)
  statecraft.infra.cloudcix_instance:
    project: web
    name: web1
    specs: [{sku_name: RAM_001, quantity: 4}]

- name: Stop it
  statecraft.infra.cloudcix_instance:
    project: web
    name: web1
    state: stopped
"""

RETURN = r"""
instance:
  description: The instance as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 21
    name: web1
    project_id: 12
    type: lxd
    state: running
    grace_period: 7
    specs: [{sku_name: RAM_001, quantity: 2}, {sku_name: UBUNTU2404, quantity: 1}]
    interfaces: [{gateway: true, vlan: 1000, ipv4_addresses: [{id: 1, address: 10.0.1.2, nat: true,
                                                               public_ip: 185.49.60.1}], ipv6_addresses: []}]
    metadata: {instance_type: container, dns: "8.8.8.8,8.8.4.4", userdata: ""}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import instance_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = instance_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
