# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: air
short_description: The nodes of NVIDIA Air simulations as an inventory
version_added: 0.1.0
description:
  - Hosts are the nodes of the simulations chosen by O(simulations) and O(organizations)
    (every simulation the account can see when neither is set), named by
    O(host_name_format) (the node's name by default), with the node and its simulation as
    host variables (C(air_*)).
  - C(ansible_host), C(ansible_port) and C(ansible_user) come from the node's SSH service
    (an Air service of type C(ssh)), as the worker's host name, the public port Air forwards
    to the node, and the image's default user. A node without one has no C(ansible_host);
    its variable C(air_ssh_hint) says how to open one
    (M(statecraft.infra.air_service) with O(statecraft.infra.air_service#module:service_type=ssh)),
    and a simulation none of whose nodes has one gives a warning.
  - "Groups: C(simulation_<title>) for each simulation, C(os_<image>) for each image the
    nodes run (C(os_cumulus_vx_5_10_1), ...), and C(function_<function>) for each function
    the topology gives its nodes (C(function_leaf), C(function_oob_switch), ...). Group
    names are lower case; characters other than letters, digits and underscores become
    underscores."
  - "Requests: one list of simulations, one of images, one of organizations when
    O(organizations) names one by name, and three per chosen simulation (its nodes, its
    topology's nodes, its services), never one per node; with O(cache), none while the
    cache is valid."
  - The inventory file's name must end in C(air.yml) or C(air.yaml).
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
    choices: [statecraft.infra.air]
  simulations:
    description:
      - The simulations whose nodes are hosts, each by title or id (titles are not unique,
        a title chooses every simulation that has it).
      - Not set or empty, every simulation the account can see (within O(organizations)).
      - "A title or id that matches no simulation gives a warning, not an error, so that a
        play can read the inventory before it creates the simulation and then
        C(meta: refresh_inventory) (see the C(statecraft.infra.air_lab) role)."
    type: list
    elements: str
    default: []
  organizations:
    description:
      - Only simulations of these organizations, each by name or id.
      - An organization that does not exist (or whose name the account cannot see) gives a
        warning and chooses nothing.
    type: list
    elements: str
    default: []
  host_name_format:
    description:
      - How hosts are named, with the fields C({node}) (the node's name),
        C({simulation}) (the simulation's title) and C({simulation_id}).
      - Node names are unique within a simulation only (every simulation with an
        out-of-band network has an C(oob-mgmt-server)), so simulations read together need
        a format that tells them apart, such as V({node}.{simulation}); otherwise such a
        clash fails the inventory, naming the node and its simulations.
      - Quote the value in YAML, since it starts with C({).
    type: str
    default: "{node}"
extends_documentation_fragment:
  - statecraft.infra.air.plugin
  - constructed
  - inventory_cache
notes:
  - The connection options are read from the inventory file, else from the same
    environment variables as the Air modules (E(AIR_URL), E(AIR_USERNAME),
    E(AIR_PASSWORD), E(AIR_BEARER_TOKEN), ...). One login per inventory read. Errors never
    show the password or a token.
  - Credentials are sent only to the configured host and, on a redirect, to Air's own
    host names over HTTPS; never to any other host.
  - "Host variables: C(air_node), C(air_node_id), C(air_node_state), C(air_os) (the image's
    name), C(air_cpu), C(air_memory) (MB), C(air_storage) (GB), C(air_function),
    C(air_mgmt_ip), C(air_mgmt_mac), C(air_simulation) (title), C(air_simulation_id),
    C(air_simulation_state), C(air_organization) (name), C(air_organization_id), each where
    Air gives it; C(air_services), the node's services (C(name), C(service_type), C(host),
    C(src_port), C(dest_port), C(interface), C(link)); C(air_ssh_hint) on a node without
    an SSH service."
  - When a node has several SSH services, the one to port 22 is used, then the first by name.
"""

EXAMPLES = r"""
# lab.air.yml: the nodes of one simulation, connection from the environment
# (AIR_USERNAME, AIR_PASSWORD: an API token)
plugin: statecraft.infra.air
simulations: [evpn-lab]

# labs.air.yml: every simulation of two organizations, hosts named <node>.<title>,
# cached for ten minutes
plugin: statecraft.infra.air
url: https://air.nvidia.com
username: netops@example.com
organizations: [NetOps, 0b1c2d3e-0000-4000-8000-000000000001]
host_name_format: "{node}.{simulation}"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 600
keyed_groups:
  # node_state_RUNNING, node_state_SHUTOFF, ...
  - key: air_node_state
    prefix: node_state
groups:
  # the nodes Ansible can reach directly
  reachable: ansible_host is defined
compose:
  # true for the Cumulus Linux switches
  air_switch: "air_os is match('cumulus')"
"""

from string import Formatter

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._air import AirAdapter, connection_argspec
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import node_metadata
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import url_id
from ansible_collections.statecraft.infra.plugins.plugin_utils._inventory import (
    PlatformInventory,
    check_unique_names,
    group_name,
)

HOST_NAME_FIELDS = ("node", "simulation", "simulation_id")
# groups by what the topology says of a node: (group name prefix, host variable)
NODE_GROUPS = (("os", "air_os"), ("function", "air_function"))
SERVICE_VARS = ("name", "service_type", "host", "src_port", "dest_port", "link")
SAME_NAME_HINT = ('set host_name_format so that it tells them apart, for example "{node}.{simulation}" '
                  '(or "{node}.{simulation_id}" for simulations of one title)')


class InventoryModule(PlatformInventory):
    NAME = "statecraft.infra.air"
    platform = "air"
    adapter_class = AirAdapter
    connection_argspec = staticmethod(connection_argspec)

    def check_params(self, params):
        if not any(params.get(name) for name in ("username", "password", "token")):
            raise ValueError("no Air credentials: set username and password (an API token) or token "
                             "in the inventory file, or the environment variables AIR_USERNAME and "
                             "AIR_PASSWORD, or AIR_BEARER_TOKEN")
        check_host_name_format(self.get_option("host_name_format"))

    def populate(self, data):
        # shown on every read, the cached ones too: they describe the data
        for message in data.get("warnings", []):
            self.display.warning("%s inventory: %s" % (self.platform, message))
        super(InventoryModule, self).populate(data)

    def read_inventory(self, adapter):
        if adapter.version != "v1":  # DSX Air (api_version v3): its reads in v1's form
            adapter = adapter.v1_reads()
        warnings = []
        simulations = chosen_simulations(adapter, self.get_option("simulations"), self.get_option("organizations"),
                                         warnings)
        images = dict((image.get("id"), image.get("name")) for image in adapter.images()) if simulations else {}
        hosts = []
        for sim in simulations:
            nodes = simulation_nodes(adapter, sim, images)
            if not any("ansible_host" in node for node in nodes):
                warnings.append("simulation %s: no node has an SSH service, so no host has ansible_host; open one "
                                "with statecraft.infra.air_service (service_type: ssh), for example to port 22 "
                                "of oob-mgmt-server eth0" % sim.get("title"))
            hosts += [self.host(sim, node) for node in nodes]
        check_unique_names(hosts, in_simulation, SAME_NAME_HINT)
        return {"hosts": hosts, "children": [], "warnings": warnings}

    def host(self, sim, node_vars):
        name = self.get_option("host_name_format").format(
            node=node_vars["air_node"], simulation=sim.get("title"), simulation_id=sim["id"])
        groups = [group_name("simulation", sim.get("title"))]
        groups += [group_name(prefix, node_vars[var]) for prefix, var in NODE_GROUPS if node_vars.get(var)]
        return {"name": name, "vars": node_vars, "groups": groups}


def in_simulation(host):
    """A host's simulation, to tell apart hosts of one name."""
    return "simulation %s %s" % (host["vars"].get("air_simulation"), host["vars"]["air_simulation_id"])


def check_host_name_format(text):
    try:
        fields = [field for _text, field, _spec, _conversion in Formatter().parse(text) if field is not None]
    except ValueError as exc:
        raise ValueError("host_name_format: %r is no format (%s)" % (text, exc))
    unknown = [field for field in fields if field not in HOST_NAME_FIELDS]
    if unknown or "node" not in fields:
        raise ValueError("host_name_format: %r must name the node as {node} and may use only %s%s" % (
            text, ", ".join("{%s}" % f for f in HOST_NAME_FIELDS),
            " (unknown: %s)" % ", ".join("{%s}" % f for f in unknown) if unknown else ""))


def chosen_simulations(adapter, wanted, organizations, warnings):
    """The simulations chosen by title or id (all when none is given), within the
    organizations given: one list request, matched here."""
    simulations = adapter.list("v1/simulation")
    if wanted:
        chosen = []
        for ref in wanted:
            found = [sim for sim in simulations if is_simulation(sim, ref)]
            if not found:
                warnings.append("simulations: no simulation has the title or id %s" % ref)
            chosen += [sim for sim in found if sim not in chosen]
        simulations = chosen
    if organizations:
        org_ids = organization_ids(adapter, organizations, warnings)
        simulations = [sim for sim in simulations if url_id(sim.get("organization")) in org_ids]
    return simulations


def is_simulation(sim, ref):
    ref = str(ref)
    return sim.get("title") == ref or (UUID_RE.match(ref) is not None and str(sim.get("id")).lower() == ref.lower())


def organization_ids(adapter, organizations, warnings):
    """The ids of organizations given by name or id; names are read in one list request."""
    ids = set(str(org).lower() for org in organizations if UUID_RE.match(str(org)))
    names = [str(org) for org in organizations if not UUID_RE.match(str(org))]
    if names:
        by_name = {}
        for org in adapter.list("v1/organization"):
            by_name.setdefault(org.get("name"), set()).add(str(org.get("id")).lower())
        for name in names:
            if name not in by_name:
                warnings.append("organizations: no organization is named %s" % name)
            ids |= by_name.get(name, set())
    return ids


def simulation_nodes(adapter, sim, images):
    """The host variables of each node of ``sim``: its simulation nodes, its topology's nodes
    (the attributes the topology gives them) and its services, one list request each."""
    sim_id = sim["id"]
    nodes = [n for n in adapter.list("v1/simulation-node", {"simulation": sim_id})
             if url_id(n.get("simulation")) in (None, sim_id)]
    originals = dict((n.get("id"), n) for n in adapter.list("v1/node", {"simulation": sim_id}))
    services = [s for s in adapter.list("v1/service", {"simulation": sim_id})
                if url_id(s.get("simulation")) in (None, sim_id)]
    return [node_vars(sim, node, originals.get(url_id(node.get("original"))) or {}, images,
                      [s for s in services if leads_to(s, node)])
            for node in sorted(nodes, key=lambda n: n.get("name") or "")]


def leads_to(service, node):
    """Whether ``service`` forwards to ``node``: its interface is one of the node's (the
    service's node name where Air gives no interface)."""
    interfaces = set(url_id(i) for i in node.get("interfaces") or [])
    if service.get("interface"):
        return url_id(service["interface"]) in interfaces
    return service.get("node_name") == node.get("name")


def node_vars(sim, node, original, images, services):
    metadata = node_metadata(node)
    found = {
        "air_node": node.get("name"), "air_node_id": node.get("id"), "air_node_state": node.get("state"),
        "air_os": images.get(url_id(node.get("os") or original.get("os"))),
        "air_cpu": node.get("cpu"), "air_memory": node.get("memory"), "air_storage": node.get("storage"),
        "air_function": original.get("function"),
        "air_mgmt_ip": metadata.get("mgmt_ip"), "air_mgmt_mac": metadata.get("mgmt_mac"),
        "air_simulation": sim.get("title"), "air_simulation_id": sim["id"],
        "air_simulation_state": sim.get("state"), "air_organization": sim.get("organization_name"),
        "air_organization_id": url_id(sim.get("organization")),
        "air_services": [service_vars(s) for s in sorted(services, key=lambda s: s.get("name") or "")],
    }
    host_vars = dict((k, v) for k, v in found.items() if v is not None)
    ssh = ssh_service(services)
    if ssh is None:
        host_vars["air_ssh_hint"] = (
            "no SSH service leads to this node, so it has no ansible_host: open one with "
            "statecraft.infra.air_service (simulation: %s, node: %s, interface: eth0, dest_port: 22, "
            "service_type: ssh), or reach it through a node that has one (air_mgmt_ip)"
            % (sim.get("title"), node.get("name")))
    else:
        host_vars.update(ansible_host=ssh.get("host"), ansible_port=ssh.get("src_port"))
        if ssh.get("os_default_username"):
            host_vars["ansible_user"] = ssh["os_default_username"]
    return host_vars


def service_vars(service):
    found = dict((key, service.get(key)) for key in SERVICE_VARS)
    found["interface"] = service.get("interface_name")
    return dict((k, v) for k, v in found.items() if v is not None)


def ssh_service(services):
    """The node's SSH service: the one to port 22, else the first by name; None without one."""
    ssh = [s for s in services if s.get("service_type") == "ssh" and s.get("host") and s.get("src_port")]
    return min(ssh, key=lambda s: (s.get("dest_port") != 22, s.get("name") or ""), default=None)
