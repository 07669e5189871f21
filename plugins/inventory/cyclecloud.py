# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cyclecloud
short_description: The nodes of Azure CycleCloud clusters as an inventory
version_added: 0.1.0
description:
  - Hosts are the nodes of the clusters named in O(clusters), with their node array, machine
    type, status and addresses as host variables (C(cyclecloud_*)); C(ansible_host) is the
    node's private IP address (see O(address)).
  - "Groups: C(cluster_<cluster>) for each cluster, holding C(node_array_<cluster>_<array>)
    for each node array (a node that belongs to none, such as a scheduler, is in the cluster
    group itself), and C(status_<status>) (C(status_ready), ...). Group names are lower case,
    other characters than letters, digits and underscores become underscores."
  - Only nodes whose status is C(Ready) are hosts unless O(statuses) says otherwise.
  - One request per cluster, C(GET /clusters/<cluster>/status?nodes=true), which gives its
    nodes and node arrays together; with O(cache), none while the cache is valid.
  - The inventory file's name must end in C(cyclecloud.yml) or C(cyclecloud.yaml).
author:
  - statecraft.infra team (@statecraft)
requirements:
  - requests (on the controller)
options:
  plugin:
    description:
      - The name of this plugin; it makes the file an inventory source for it.
    type: str
    required: true
    choices: [statecraft.infra.cyclecloud]
  clusters:
    description:
      - Names of the clusters whose nodes are hosts.
      - CycleCloud's REST API has no request that lists the clusters, so they are named here.
        A name CycleCloud does not know fails the inventory.
    type: list
    elements: str
    required: true
  statuses:
    description:
      - The node statuses (C(Status)) whose nodes are hosts, compared without case, for example
        C(Ready), C(Preparing), C(Acquiring), C(Failed), C(Deallocated), C(Off).
      - An empty list keeps the nodes of every status, including nodes that have no virtual
        machine (C(Off)) and therefore no address.
    type: list
    elements: str
    default: [Ready]
  address:
    description:
      - The address C(ansible_host) is set to.
      - V(private) is the node's private IP address (C(PrivateIp)), reachable from the cluster's
        virtual network (a VPN, a bastion or a jump host).
      - V(public) is the node's public IP address (C(PublicIp)) where it has one, else its
        private one (usually only a login or scheduler node has a public address).
    type: str
    choices: [private, public]
    default: private
  qualified_names:
    description:
      - Name each host C(<node>.<cluster>) instead of C(<node>).
      - Node names are unique within a cluster only (every Slurm cluster has a C(scheduler)), so
        clusters read together that have nodes of the same name need this; without it such a
        clash fails the inventory, naming the node and its clusters.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cyclecloud.plugin
  - constructed
  - inventory_cache
notes:
  - The connection options are read from the inventory file, else from the same environment
    variables as the CycleCloud modules, else from the CycleCloud CLI's config file, as the
    modules read them. Errors never show the password.
  - "Host variables: C(cyclecloud_cluster), C(cyclecloud_name), C(cyclecloud_id) (C(NodeId)),
    C(cyclecloud_node_array) (absent for a node of no node array), C(cyclecloud_machine_type),
    C(cyclecloud_status), C(cyclecloud_target_state), C(cyclecloud_status_message),
    C(cyclecloud_hostname), C(cyclecloud_private_ip), C(cyclecloud_public_ip),
    C(cyclecloud_instance_id), C(cyclecloud_region), C(cyclecloud_cores) and
    C(cyclecloud_memory) (GB), each where CycleCloud gives it."
"""

EXAMPLES = r"""
# hpc.cyclecloud.yml: the Ready nodes of one cluster, connection from the environment
# (CYCLECLOUD_URL, CYCLECLOUD_USERNAME, CYCLECLOUD_PASSWORD) or ~/.cycle/config.ini
plugin: statecraft.infra.cyclecloud
clusters: [hpc]

# all.cyclecloud.yml: two clusters, every node whatever its status, host names that tell the
# clusters apart, public addresses where nodes have them, cached for an hour
plugin: statecraft.infra.cyclecloud
url: https://cyclecloud.example.com
username: ansible
clusters: [hpc, maint]
statuses: []
qualified_names: true
address: public
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 3600
keyed_groups:
  # machine_type_standard_f4s_v2, ...
  - key: cyclecloud_machine_type
    prefix: machine_type
groups:
  # the nodes that need attention
  broken: cyclecloud_status in ["Failed", "Unavailable"]
compose:
  ansible_user: "'azureuser'"
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CycleCloudAdapter, connection_argspec
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import node_view
from ansible_collections.statecraft.infra.plugins.plugin_utils._inventory import (
    PlatformInventory,
    check_unique_names,
    group_name,
    preferred_address,
)

# node attributes shown as host variables beside the modules' view of a node (node_view)
MORE_NODE_VARS = (("public_ip", "PublicIp"), ("instance_id", "InstanceId"), ("region", "Region"),
                  ("cores", "CoreCount"), ("memory", "Memory"))


class InventoryModule(PlatformInventory):
    NAME = "statecraft.infra.cyclecloud"
    platform = "cyclecloud"
    adapter_class = CycleCloudAdapter
    connection_argspec = staticmethod(connection_argspec)

    def check_params(self, params):
        clusters = self.get_option("clusters")
        if not clusters or not all(str(c or "").strip() for c in clusters):
            raise ValueError("clusters: give the name of each cluster whose nodes are hosts (got %r)" % (clusters,))

    def read_inventory(self, adapter):
        statuses = set(s.lower() for s in self.get_option("statuses") or [])
        hosts, children = [], []
        for cluster in self.get_option("clusters"):
            status = adapter.status(cluster, nodes=True, missing_ok=True)
            if status is None:
                raise ValueError("clusters: CycleCloud has no cluster named %r" % cluster)
            arrays = [a.get("name") for a in status.get("nodearrays") or []]
            children += [[group_name("cluster", cluster), group_name("node_array", cluster, a)] for a in arrays]
            hosts += [self.host(cluster, arrays, node) for node in status.get("nodes") or []
                      if not statuses or str(node.get("Status")).lower() in statuses]
        check_unique_names(hosts, lambda h: "cluster %s" % h["vars"]["cyclecloud_cluster"],
                           "set qualified_names to name hosts <node>.<cluster>")
        return {"hosts": hosts, "children": children}

    def host(self, cluster, arrays, node):
        view = dict(node_view(node), cluster=cluster)
        view.update((var, node[attr]) for var, attr in MORE_NODE_VARS if node.get(attr) is not None)
        if view.get("node_array") not in arrays:
            view.pop("node_array", None)  # a node of no node array is its own template
        array = view.get("node_array")
        host_vars = dict(("cyclecloud_%s" % k, v) for k, v in view.items())
        address = preferred_address(self.get_option("address"), view.get("public_ip"), view.get("private_ip"))
        if address:
            host_vars["ansible_host"] = address
        name = view["name"]
        return {
            "name": "%s.%s" % (name, cluster) if self.get_option("qualified_names") else name,
            "vars": host_vars,
            "groups": [group_name("node_array", cluster, array) if array else group_name("cluster", cluster)]
            + ([group_name("status", view["status"])] if view.get("status") else []),
        }
