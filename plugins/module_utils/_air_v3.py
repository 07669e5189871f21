# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""NVIDIA Air's v3 API ("DSX Air", ``api_version: v3``), as nv-air-sdk 1.9.0 uses it.

v3 is another deployment (``https://api.air-ngc.nvidia.com/api/v3/``) with its own auth
and names (air.md Appendix A): the NGC API key (``nvapi-...``) is sent as the bearer token
itself, with no login exchange; a simulation's ``title`` is ``name``, a service's
``dest_port`` is ``node_port``; start, shutdown and rebuild are PATCH actions; there are
no topologies, organizations or sleep/expiry flags. Where air.md and nv-air-sdk 1.9.0
differ, the SDK is followed.

The Air modules are declared for v1. ``V3_RESOURCES`` says, per resource, how v3 serves
it: its path, the options v3 has a field for and their v3 names, and its own hooks. A
resource missing from the table (a module added later), or an option not mapped there,
fails before any request, naming ``api_version``; so does any request a v1 hook (or a
module that is no resource, such as an action on a node) would send outside v3.
"""

from __future__ import absolute_import, division, print_function

import copy

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import drf_error, http_client
from ansible_collections.statecraft.infra.plugins.module_utils._air import AirAdapter, api_root
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    cloud_init_is_empty,
    find_user_configs,
    service_view,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import json_topology
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Bearer
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Goal, Lifecycle

V1_DEFAULT_URL = "https://air.nvidia.com"  # the url option's default: on v3, the v3 host instead
DEFAULT_V3_URL = "https://api.air-ngc.nvidia.com"  # nv-air-sdk const.AIR_API_URL
SIMULATIONS = "v3/simulations"
NODES = "v3/simulations/nodes"
INTERFACES = "v3/simulations/nodes/interfaces"
SERVICES = "v3/simulations/nodes/interfaces/services"
USER_CONFIGS = "v3/userconfigs"

# nv-air-sdk types.SimState; bc/simulation.py maps v1's NEW and STORED both to INACTIVE
SIMULATION_LIFECYCLE = Lifecycle(
    key="state",
    initial="INACTIVE",
    goals={
        "loaded": Goal("start", done=["ACTIVE", "PREPARE_REBUILD", "REBUILDING"],
                       pending=["REQUESTING", "PROVISIONING", "PREPARE_BOOT", "BOOTING"], sources=["INACTIVE"]),
        "stored": Goal("shutdown", done=["INACTIVE"], pending=["PREPARE_SHUTDOWN", "SHUTTING_DOWN", "SAVING"],
                       sources=["ACTIVE"]),
    },
    transient=["CLONING", "CREATING", "IMPORTING", "REQUESTING", "PROVISIONING", "PREPARE_BOOT", "BOOTING",
               "PREPARE_SHUTDOWN", "SHUTTING_DOWN", "SAVING", "PREPARE_REBUILD", "REBUILDING",
               "PREPARE_TEARDOWN", "TEARING_DOWN", "DELETING", "PREPARE_PURGE", "PURGING"],
    failed=["INVALID"],
)


def v3_auth(params):
    """The NGC API key from ``token`` (``bearer_token``), or from ``password`` as nv-air-sdk's
    ``AirApi(password=...)`` takes it; ``username`` plays no part on v3."""
    token, password = params.get("token"), params.get("password")
    if token and password:
        raise ModuleError("api_version v3: give the NGC API key as token or as password, not both")
    if not (token or password):
        raise ModuleError("api_version v3: no NGC API key; give token (or set AIR_BEARER_TOKEN), "
                          "or password (AIR_PASSWORD)")
    return Bearer(token or password)


class AirV3Adapter(AirAdapter):
    platform_name = "Air (v3)"

    @classmethod
    def from_params(cls, params):
        url = params.get("url")
        root = api_root(DEFAULT_V3_URL if url in (None, V1_DEFAULT_URL) else url)
        # nv-air-sdk keeps no credentials across hosts on a redirect (plain requests): no trusted hosts
        client = http_client(params, root, v3_auth(params), 61, "url",  # 61 s: the SDK's read timeout
                             headers={"Content-Type": "application/json"}, error_parser=drf_error)
        send = client.request

        def request(method, path, *args, **kwargs):
            """A v1 path never leaves the machine on v3 (a hook of a resource v3 lacks)."""
            if not path.startswith(("v3/", "http://", "https://")):
                raise ModuleError("api_version: Air's v3 API has no %s; this works with api_version v1 only" % path)
            return send(method, path, *args, **kwargs)

        client.request = request
        return cls(client, "v3")

    def serving(self, resource):
        served = V3_RESOURCES.get(resource.name)
        if served is None:
            raise ModuleError("api_version: Air's v3 API has no %s; use api_version v1 for this module"
                              % resource.name)
        return served(resource, self.params)

    def act(self, resource, obj, action):
        """start, shutdown, rebuild: PATCH <id>/<action>/ -> 200 (nv-air-sdk endpoints/simulations.py);
        an action, so resent only when it never reached the server."""
        self.client.request("PATCH", "%s/%s/%s/" % (resource.path, obj["id"], action), json_body={},
                            expect=(200,), idempotent=False)
        return self.get(resource, obj["id"])

    def simulations_info(self, params):
        if params.get("organization"):
            raise ModuleError("organization: api_version v3 has no organizations")
        query = ({"id": params["id"]} if params.get("id")
                 else dict((wire, params[option]) for option, wire in (("title", "name"), ("state", "state"))
                           if params.get(option)))
        sims = self.resolve_path(SIMULATIONS, query)
        return {"simulations": [simulation_view(self, s) for s in sims]}

    def v1_reads(self):
        """This adapter's reads as the inventory plugin (written for v1) makes them."""
        return V1Reads(self)


class V1Reads(object):
    """The reads of the inventory plugin (written for v1) served by v3: each v1 list it makes
    is read from v3 and given v1's names; any other path is refused before any request."""

    def __init__(self, adapter):
        self.adapter = adapter
        self.forms = {"v1/simulation": self.simulations, "v1/image": self.images_list,
                      "v1/simulation-node": self.nodes, "v1/node": self.topology_nodes,
                      "v1/service": self.services}

    def list(self, path, filters=None):
        if path not in self.forms:
            raise ModuleError("api_version: Air's v3 API has no %s/; this works with api_version v1 only" % path)
        return self.forms[path](filters or {})

    def images(self):
        if not hasattr(self, "_images"):
            self._images = self.list("v1/image")
        return self._images

    def simulations(self, filters):
        return [dict(s, title=s.get("name"), owner=s.get("creator"))
                for s in self.adapter.list(SIMULATIONS, filters)]

    def images_list(self, filters):
        return self.adapter.list("v3/images", filters)

    def nodes(self, filters):
        """Nodes with v1's ``os`` and their interfaces' ids (v3 lists interfaces apart)."""
        nodes = self.adapter.list(NODES, filters)
        interfaces = self.adapter.list(INTERFACES, filters)
        return [dict(n, os=n.get("image"), interfaces=[i["id"] for i in interfaces if i.get("node") == n["id"]])
                for n in nodes]

    @staticmethod
    def topology_nodes(filters):
        return []  # v3 has no topologies: a node's only form is the simulation node above

    def services(self, filters):
        """Services with v1's port and host names, and the user of their node's image (v1's
        ``os_default_username``)."""
        nodes = self.adapter.list(NODES, {"simulation": filters["simulation"]})
        users = dict((i.get("id"), i.get("default_username")) for i in self.images())
        user_of = dict((n.get("name"), users.get(n.get("image"))) for n in nodes)
        return [dict(s, dest_port=s.get("node_port"), src_port=s.get("worker_port"), host=s.get("worker_fqdn"),
                     os_default_username=user_of.get(s.get("node_name")))
                for s in named_services(self.adapter, filters["simulation"], nodes)]


class V3Resource(object):
    """How v3 serves a v1 resource: ``path``; ``options``, the resource's options v3 has a
    field for (any other, set or cleared, fails before any request: an option added to the
    module later is refused until it is mapped here); ``wire`` (option -> v3 field name);
    ``refs`` (option -> (v3 path, key)); ``hooks`` (find, create, update, delete, view,
    is_absent; None drops the v1 hook, so the adapter's own way applies); ``lifecycle``."""

    def __init__(self, path, options, wire=None, refs=None, lifecycle=None, **hooks):
        self.path = path
        self.options = frozenset(options)
        self.wire = wire or {}
        self.refs = refs or {}
        self.lifecycle = lifecycle
        self.hooks = hooks

    def __call__(self, resource, params):
        unmapped = set(resource.fields) - self.options
        # an option left at its default is not given (its default is what v1 does without it)
        given = [name for name in unmapped
                 if params.get(name) not in (None, [], {}) and params.get(name) != resource.fields[name].default]
        given += [name for name in params.get("clear") or [] if name in unmapped]
        if given:
            raise ModuleError("%s: Air's v3 API (api_version v3) has no such field of a %s; leave it unset "
                              "or use api_version v1" % (", ".join(sorted(set(given))), resource.name))
        served = copy.copy(resource)
        served.path = self.path
        served.fields = {}
        for name, field in resource.fields.items():
            field = copy.copy(field)
            field.wire = self.wire.get(name, field.wire)
            if name in self.refs:
                field.path, field.key = self.refs[name]
            served.fields[name] = field
        if self.lifecycle is not None:
            served.lifecycle = self.lifecycle
        for hook, function in self.hooks.items():
            setattr(served, hook, function)
        return served


# -- simulation --------------------------------------------------------------------------------
def one_simulation(adapter, query):
    """The simulation a related option names (by id, or by title: v3's ``name``)."""
    if set(query) == {"id"}:
        found = adapter.resolve_path(SIMULATIONS, query)
    else:
        found = adapter.resolve_path(SIMULATIONS, {"name": query.get("name", query.get("title"))})
    if len(found) > 1:
        raise ModuleError("simulation: %d simulations are named %s; give its id"
                          % (len(found), found[0].get("name")))
    return found[0] if found else None


def create_simulation(adapter, resource, payload):
    """An import of the DOT or JSON topology (nv-air-sdk import_from_data: name, format,
    content), then one PATCH for the other fields."""
    payload = dict(payload)
    content = payload.pop("topology_content", None)
    if content is None:  # (a create always has a topology; a blank simulation is v3's plain POST)
        return adapter.client.request("POST", SIMULATIONS + "/", json_body=payload, expect=(201,))
    topology = json_topology(content)
    body = {"name": payload.pop("name"), "format": "DOT" if topology is None else "JSON",
            "content": content if topology is None else topology}
    created = adapter.client.request("POST", SIMULATIONS + "/import/", json_body=body, expect=(201,))
    if payload:
        created = adapter.client.request("PATCH", "%s/%s/" % (SIMULATIONS, created["id"]), json_body=payload)
    return created


def simulation_view(adapter, sim):
    view = adapter.plain_view(sim)
    if not sim.get("id"):
        view.update(nodes=[], services=[])
        return view
    nodes = adapter.list(NODES, {"simulation": sim["id"]})
    view["nodes"] = sorted(({"id": n.get("id"), "name": n.get("name"), "state": n.get("state"),
                             "image": n.get("image")} for n in nodes), key=lambda n: n["name"] or "")
    view["services"] = sorted((service_view(adapter, s) for s in named_services(adapter, sim["id"], nodes)),
                              key=lambda s: s["name"] or "")
    return view


# -- service -------------------------------------------------------------------------------------
def named_services(adapter, simulation_id, nodes=None):
    """A simulation's services with the node and interface names the module compares
    (a v3 service holds only its interface's id)."""
    services = adapter.list(SERVICES, {"simulation": simulation_id})
    if not services:
        return []
    nodes = dict((n["id"], n.get("name")) for n in nodes or adapter.list(NODES, {"simulation": simulation_id}))
    interfaces = dict((i["id"], i) for i in adapter.list(INTERFACES, {"simulation": simulation_id}))
    for service in services:
        interface = interfaces.get(service.get("interface")) or {}
        service.update(simulation=simulation_id, interface_name=interface.get("name"),
                       node_name=nodes.get(interface.get("node")))
    return services


def find_services(adapter, resource, identity):
    sim = one_simulation(adapter, identity["simulation"])
    return named_services(adapter, sim["id"]) if sim else []


def create_service(adapter, resource, payload):
    """On the interface found by node and interface name (nv-air-sdk Simulation.create_service)."""
    payload = dict(payload)
    simulation_id, node_name, interface_name = payload.pop("simulation"), payload.pop("node"), payload.pop("interface")
    nodes = [n for n in adapter.list(NODES, {"simulation": simulation_id, "name": node_name})
             if n.get("name") == node_name]
    if not nodes:
        raise ModuleError("node: the simulation has no node %s" % node_name)
    interfaces = [i for i in adapter.list(INTERFACES, {"node": nodes[0]["id"], "name": interface_name})
                  if i.get("name") == interface_name]
    if not interfaces:
        raise ModuleError("interface: node %s has no interface %s" % (node_name, interface_name))
    payload["interface"] = interfaces[0]["id"]
    created = adapter.client.request("POST", SERVICES + "/", json_body=payload, expect=(201,))
    created.update(simulation=simulation_id, node_name=node_name, interface_name=interface_name)
    return created


# -- node cloud-init -----------------------------------------------------------------------------
def find_cloud_init(adapter, resource, identity):
    """The node's ``cloud_init`` (nv-air-sdk bc/cloud_init.py reads it from the node)."""
    sim = one_simulation(adapter, identity["simulation"])
    if sim is None:
        raise ModuleError("simulation: no simulation matches %s" % adapter.describe_query(identity["simulation"]))
    for node in adapter.list(NODES, {"simulation": sim["id"], "name": identity["node"]}):
        if node.get("name") == identity["node"]:
            return [cloud_init_view(node, sim["id"])]
    raise ModuleError("node: the simulation has no node %s" % identity["node"])


def cloud_init_view(node, simulation_id):
    view = dict(node.get("cloud_init") or {})
    view.update(id=node["id"], simulation=simulation_id, node=node["name"])
    return view


def update_cloud_init(adapter, resource, current, payload):
    """PATCH simulations/nodes/bulk-assign/ -> 204 (nv-air-sdk Simulation.node_bulk_assign)."""
    entry = dict(payload, node=current["id"])
    adapter.client.request("PATCH", NODES + "/bulk-assign/", expect=(204,),
                           json_body={"simulation": current["simulation"], "nodes": [entry]})
    node = adapter.client.request("GET", "%s/%s/" % (NODES, current["id"]))
    return cloud_init_view(node, current["simulation"])


def clear_cloud_init(adapter, resource, current):
    update_cloud_init(adapter, resource, current, {"user_data": None, "meta_data": None})


# the v1 resources v3 serves, by resource name; a resource not here fails on v3
V3_RESOURCES = {
    # v3 has no organizations or topologies, and keeps only the times of sleep and expiry
    "simulation": V3Resource(
        SIMULATIONS, ("title", "topology_content", "sleep_at", "expires_at", "documentation", "metadata"),
        wire={"title": "name"}, lifecycle=SIMULATION_LIFECYCLE,
        create=create_simulation, delete=None, view=simulation_view),
    "service": V3Resource(
        SERVICES, ("simulation", "name", "node", "interface", "dest_port", "service_type"),
        wire={"dest_port": "node_port"}, refs={"simulation": (SIMULATIONS, "name")},
        find=find_services, create=create_service, view=service_view),
    "ssh_key": V3Resource("v3/users/ssh-keys", ("name", "public_key")),
    "user_config": V3Resource(USER_CONFIGS, ("name", "kind", "content"), find=find_user_configs),
    "cloud_init": V3Resource(
        NODES, ("simulation", "node", "user_data", "meta_data"),
        refs={"simulation": (SIMULATIONS, "name"), "user_data": (USER_CONFIGS, "name"),
              "meta_data": (USER_CONFIGS, "name")},
        find=find_cloud_init, update=update_cloud_init, delete=clear_cloud_init, is_absent=cloud_init_is_empty),
}
