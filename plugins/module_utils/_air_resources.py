# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Air modules declare besides their fields: the forms and checks of their
values, and the ways Air handles some resources, set as hooks on their ``Resource`` (see
``_spec.py``) so that the adapter never asks which resource it serves.

A simulation is created from one of three topology sources and destroyed through its
control action; a service is placed on a node's interface found by name; a node's
cloud-init is no collection of its own (found through the node, emptied rather than
deleted); an organization's members have their own endpoint; a topology is created from
DOT or JSON and compared as nodes and links; a user config's content may be missing from
a list. Each hook takes the adapter first (``_air.AirAdapter``).
"""

from __future__ import absolute_import, division, print_function

import base64
import binascii
import datetime
import hashlib
import json

from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import (
    from_api as topology_from_api,
    from_content as topology_from_content,
    json_topology,
    managed as topology_managed,
    plan as topology_plan,
    url_id,
)
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError

DEFAULT_MEMBER_ROLE = "Organization Member"
MEMBER_ROLES = ("Organization Admin", "Organization Member")


# -- value forms and checks ------------------------------------------------------------------
def utc_timestamp(value):
    """A timestamp in one form: UTC, ``Z``; a naive one is taken as UTC."""
    if isinstance(value, datetime.datetime):
        when = value
    else:
        text = str(value).strip()
        try:
            when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError("%r is not an ISO 8601 timestamp (for example 2026-12-01T18:00:00Z)" % text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    when = when.astimezone(datetime.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if when.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def future_timestamp(value):
    when = datetime.datetime.fromisoformat(utc_timestamp(value).replace("Z", "+00:00"))
    if when <= datetime.datetime.now(datetime.timezone.utc):
        raise ValueError("%s is in the past" % value)


def json_text(value):
    """JSON text compared as data, whatever its spacing or key order."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    try:
        return json.dumps(json.loads(value), sort_keys=True)
    except ValueError:
        raise ValueError("is not JSON text")


def ssh_fingerprint(value):
    """A public key as Air shows it: base64 SHA-256 of the key blob (44 characters).
    A fingerprint is returned unchanged, so current and desired meet in one form."""
    parts = str(value).split()
    if len(parts) == 1 and len(parts[0]) == 44:
        return parts[0]
    if len(parts) < 2:
        raise ValueError("is not an OpenSSH public key (type, base64 key, optional comment)")
    try:
        blob = base64.b64decode(parts[1].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("the key part of the OpenSSH public key is not base64")
    return base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")


def check_members(members):
    for member in members:
        if not isinstance(member, dict) or not member.get("username"):
            raise ValueError("each member is a dict with a username (and optional roles)")
        unknown = set(member) - {"username", "roles"}
        if unknown:
            raise ValueError("unknown key(s) %s in the member %s" % (", ".join(sorted(unknown)), member["username"]))
        roles = member.get("roles")
        if roles is not None and (not isinstance(roles, list) or set(roles) - set(MEMBER_ROLES)):
            raise ValueError("roles of %s must be a list of %s" % (member["username"], ", ".join(MEMBER_ROLES)))


# -- simulation ------------------------------------------------------------------------------
def one_simulation(adapter, query):
    found = adapter.resolve_path("v1/simulation", query)
    if len(found) > 1:
        raise ModuleError("simulation: %d simulations are titled %s; give its id"
                          % (len(found), query.get("title")))
    return found[0] if found else None


def create_simulation(adapter, resource, payload):
    payload = dict(payload)
    content = payload.pop("topology_content", None)
    source, demo = payload.pop("source", None), payload.pop("demo", None)
    if source or demo:
        return adapter.get(resource, duplicate_simulation(adapter, payload, source, demo))
    if payload.get("topology"):
        return adapter.client.request("POST", "v1/simulation/", json_body=payload, expect=(201,))
    topology = json_topology(content)  # the engine made sure one of the sources is set
    if topology is not None:
        created = import_json(adapter, payload, topology)
    else:
        # the v1 SDK's simulations.create(topology_data=<DOT>) (air.md 8.5, way 2)
        created = adapter.client.request("POST", "v2/simulation/", expect=(201,),
                                         json_body=dict(payload, topology_data=content))
    return adapter.get(resource, created["id"])


def import_json(adapter, payload, content):
    """JSON topologies go through v2 import, which takes only title and organization:
    the other fields follow in one PATCH."""
    body = {"title": payload.pop("title"), "format": "JSON", "content": content}
    if payload.get("organization"):
        body["organization"] = payload.pop("organization")
    created = adapter.client.request("POST", "v2/simulations/import/", json_body=body, expect=(201,))
    if payload:
        adapter.client.request("PATCH", "v1/simulation/%s/" % created["id"], json_body=payload)
    return created


def duplicate_simulation(adapter, payload, source=None, demo=None):
    """A copy of the simulation ``source``, or of the snapshot simulation of the marketplace
    demo ``demo`` (air.md 8.4, 7.5), with the other fields set by one PATCH (the copy takes
    the original's title). Returns the new simulation's id."""
    if demo:
        source = url_id(adapter.client.request("GET", "v2/marketplace-demos/%s/" % demo)["snapshot"])
    answer = adapter.client.request("POST", "v2/simulations/%s/duplicate/" % source, json_body={}, expect=(200,))
    clone = answer["simulation"]["id"]
    if payload:
        adapter.client.request("PATCH", "v1/simulation/%s/" % clone, json_body=payload)
    return clone


def destroy_simulation(adapter, resource, current):
    """The SDK deletes a simulation through its control action, never a DELETE."""
    adapter.act(resource, current, "destroy")


def simulation_details(adapter, sim):
    """Nodes (with console details and management address) and services of a simulation."""
    if not sim.get("id"):
        return {"nodes": [], "services": []}
    nodes = []
    for node in adapter.list("v1/simulation-node", {"simulation": sim["id"]}):
        metadata = node_metadata(node)
        nodes.append({
            "id": node.get("id"), "name": node.get("name"), "state": node.get("state"),
            "console_url": node.get("console_url"), "console_username": node.get("console_username"),
            "console_password": node.get("console_password"), "console_port": node.get("console_port"),
            "serial_port": node.get("serial_port"), "mgmt_ip": metadata.get("mgmt_ip"),
            "mgmt_mac": metadata.get("mgmt_mac"),
        })
    services = [service_view(adapter, s) for s in adapter.list("v1/service", {"simulation": sim["id"]})]
    return {"nodes": sorted(nodes, key=lambda n: n["name"] or ""),
            "services": sorted(services, key=lambda s: s["name"] or "")}


def node_metadata(node):
    """A simulation node's ``metadata``: JSON text (``mgmt_ip``, ``mgmt_mac``) as a dict."""
    metadata = node.get("metadata")
    try:
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def simulation_view(adapter, sim):
    view = adapter.plain_view(sim)
    view.update(simulation_details(adapter, sim))
    return view


# -- service ---------------------------------------------------------------------------------
def find_in_simulation(adapter, resource, identity):
    """Objects listed per simulation (services, permissions): one given by title is looked up first."""
    query = identity["simulation"]
    if set(query) != {"id"}:
        sim = one_simulation(adapter, query)
        if sim is None:
            return adapter.list(resource.path, {"simulation": "none"})
        identity = dict(identity, simulation={"id": sim["id"]})
    return adapter.find(resource, identity)


def create_service(adapter, resource, payload):
    payload = dict(payload)
    node, interface = payload.pop("node"), payload.pop("interface")
    payload["interface"] = simulation_interface(adapter, payload["simulation"], node, interface)
    return adapter.client.request("POST", "v1/service/", json_body=payload, expect=(201,))


def simulation_interface(adapter, simulation_id, node_name, interface_name):
    """The simulation interface behind ``node:interface``, found as the SDK finds it."""
    for node in adapter.list("v1/node", {"simulation": simulation_id, "name": node_name}):
        if node.get("name") != node_name:
            continue
        for intf in node.get("interfaces") or []:
            if isinstance(intf, dict) and intf.get("name") == interface_name:
                found = adapter.list("v1/simulation-interface",
                                     {"simulation": simulation_id, "original": intf["id"]})
                if found:
                    return found[0]["id"]
        raise ModuleError("interface: node %s has no interface %s" % (node_name, interface_name))
    raise ModuleError("node: the simulation has no node %s" % node_name)


def service_view(adapter, service):
    view = adapter.plain_view(service)
    view["node"] = service.get("node_name")
    view["interface"] = service.get("interface_name")
    return view


# -- node cloud-init -------------------------------------------------------------------------
def find_cloud_init(adapter, resource, identity):
    """The cloud-init of a simulation node; a node cannot be created, so none is an error."""
    sim = one_simulation(adapter, identity["simulation"])
    if sim is None:
        raise ModuleError("simulation: no simulation matches %s" % adapter.describe_query(identity["simulation"]))
    for node in adapter.list("v1/simulation-node", {"simulation": sim["id"], "name": identity["node"]}):
        if node.get("name") == identity["node"]:
            return [cloud_init_view(node["id"], sim["id"], node["name"],
                                    adapter.client.request("GET", cloud_init_path(node["id"])))]
    raise ModuleError("node: the simulation has no node %s" % identity["node"])


def cloud_init_is_empty(obj):
    """A node always has a cloud-init: without user data and metadata it counts as absent."""
    return not obj.get("user_data") and not obj.get("meta_data")


def cloud_init_path(node_id):
    # v2 node ids are the v1 simulation-node ids (the v1 SDK's cloud-init helper relies on it)
    return "v2/simulations/nodes/%s/cloud-init/" % node_id


def cloud_init_view(node_id, simulation_id, node_name, cloud_init):
    view = dict(cloud_init or {})
    view.update(id=node_id, simulation=simulation_id, node=node_name)
    return view


def update_cloud_init(adapter, resource, current, payload):
    written = adapter.client.request("PATCH", cloud_init_path(current["id"]), json_body=payload)
    return cloud_init_view(current["id"], current["simulation"], current["node"], written)


def clear_cloud_init(adapter, resource, current):
    """A node's cloud-init is emptied, never deleted."""
    update_cloud_init(adapter, resource, current, {"user_data": None, "meta_data": None})


# -- user config -----------------------------------------------------------------------------
def find_user_configs(adapter, resource, identity):
    """A list may leave out the content (the SDK then reads the detail): the ones that can
    match are read in full."""
    return [o if "content" in o or o.get("name") != identity.get("name") else adapter.get(resource, o["id"])
            for o in adapter.find(resource, identity)]


# -- organization ----------------------------------------------------------------------------
def org_members(org):
    """Members as the v1 organization lists them, in the form the module takes."""
    return sorted(({"username": m.get("username"), "roles": sorted(m.get("roles") or [])}
                   for m in org.get("members") or [] if isinstance(m, dict)),
                  key=lambda m: m["username"] or "")


def read_members(adapter, org):
    """The members field's value: a stored organization's members in the module's form (a
    prediction holds them as written)."""
    return org_members(org) if org.get("id") else org.get("members")


def member_body(entry):
    return {"username": entry["username"], "roles": list(entry.get("roles") or [DEFAULT_MEMBER_ROLE])}


def create_organization(adapter, resource, payload):
    payload = dict(payload)
    wanted = [member_body(m) for m in payload.pop("members", None) or []]
    if wanted:
        payload["members"] = wanted
    return adapter.client.request("POST", "v1/organization/", json_body=payload, expect=(201,))


def update_organization(adapter, resource, current, payload):
    """Plain fields by PATCH, then the members through the organization's members endpoint."""
    payload = dict(payload)
    wanted_members = payload.pop("members", None)
    if payload:
        current = adapter.client.request("PATCH", "v1/organization/%s/" % current["id"], json_body=payload)
    if wanted_members is not None:
        path = "v1/organization/%s/members/" % current["id"]
        have = dict((m["username"], m) for m in org_members(current))
        wanted = dict((m["username"], member_body(m)) for m in wanted_members)
        for username in sorted(set(have) - set(wanted)):
            adapter.client.request("DELETE", path, json_body={"username": username})
        changed = [m for u, m in sorted(wanted.items())
                   if u not in have or sorted(have[u]["roles"]) != sorted(m["roles"])]
        if changed:
            adapter.client.request("POST", path, json_body=changed)
    return adapter.get_or_none("v1/organization/%s/" % current["id"])


# -- topology --------------------------------------------------------------------------------
def create_topology(adapter, resource, payload):
    payload = dict(payload)
    content = payload.pop("content")
    body = json_topology(content)
    if body is not None:
        body.update(payload)
        created = adapter.client.request("POST", "v1/topology/", json_body=body, expect=(201,))
    else:
        created = adapter.client.request("POST", "v1/topology/", data=str(content).encode("utf-8"),
                                         headers={"Content-Type": "text/vnd.graphviz"}, expect=(201,))
        # a DOT body carries only the graph; the rest follows in one PATCH
        rest = dict((k, v) for k, v in payload.items() if created.get(k) != v)
        if rest:
            created = adapter.client.request("PATCH", "v1/topology/%s/" % created["id"], json_body=rest)
    return created


def topology_model(adapter, topology):
    """The content field's value: a stored topology's nodes and links, read once and kept
    under ``_topology_model`` (its read_key, where a prediction holds the content given),
    with the ids an in-place change needs under ``_topology_index``."""
    if "_topology_model" not in topology and topology.get("id"):
        topology["_topology_model"], topology["_topology_index"] = read_topology_model(adapter, topology)
    model = topology.get("_topology_model")
    content = (getattr(adapter, "params", None) or {}).get("content")
    if "_topology_index" in topology and content is not None:
        return topology_managed(model, topology_from_content(content))  # the diff shows what the file manages
    return model


def read_topology_model(adapter, topology):
    images = dict((i.get("id"), i.get("name")) for i in adapter.images())
    nodes = adapter.list("v1/node", {"topology": topology["id"]})
    nodes = [n for n in nodes if url_id(n.get("topology")) in (None, topology["id"])]
    links = adapter.list("v1/link", {"topology": topology["id"]})
    links = [lk for lk in links if url_id(lk.get("topology")) in (None, topology["id"])]
    return topology_from_api(nodes, links, images)


def check_topology_images(adapter, resource, current, payload):
    """Every image the content names exists (by name or id), checked before any write."""
    if payload.get("content") is None:
        return
    known = set(i.get("name") for i in adapter.images()) | set(i.get("id") for i in adapter.images())
    unknown = sorted(set(a["os"] for a in topology_from_content(payload["content"])["nodes"].values()
                         if a.get("os") and a["os"] not in known))
    if unknown:
        raise ModuleError("content: Air has no image %s" % ", ".join(unknown))


def image_id(adapter, name):
    return next((i["id"] for i in adapter.images() if name in (i.get("name"), i.get("id"))), name)


def update_topology(adapter, resource, current, payload):
    """Plain fields by PATCH; the content node by node and link by link (``plan``)."""
    payload = dict(payload)
    content = payload.pop("content", None)
    if payload:
        adapter.client.request("PATCH", "v1/topology/%s/" % current["id"], json_body=payload)
    if content is not None:
        topology_model(adapter, current)
        steps = topology_plan(current["_topology_model"], current["_topology_index"], topology_from_content(content))
        apply_topology_plan(adapter, current["id"], steps, current["_topology_index"])
    return adapter.get_or_none("v1/topology/%s/" % current["id"])


def apply_topology_plan(adapter, topology_id, steps, index):
    request = adapter.client.request
    for link_id in steps["delete_links"]:
        request("DELETE", "v1/link/%s/" % link_id, json_body={}, expect=(204,))
    for node_id in steps["delete_nodes"]:
        request("DELETE", "v1/node/%s/" % node_id, json_body={}, expect=(204,))
    for node_id, attrs in steps["patch_nodes"]:
        if "os" in attrs:
            attrs = dict(attrs, os=image_id(adapter, attrs["os"]))
        request("PATCH", "v1/node/%s/" % node_id, json_body=attrs)
    # (node, interface) -> id for the links to create: kept nodes' from the read, new ones' from the POST
    interfaces = dict(((node, intf), value["id"]) for node, entry in index["nodes"].items()
                      for intf, value in entry["interfaces"].items())
    for name, attrs, ports in steps["create_nodes"]:
        body = dict(attrs, name=name, topology=topology_id, interfaces=ports)
        if "os" in body:
            body["os"] = image_id(adapter, body["os"])
        created = request("POST", "v1/node/", json_body=body, expect=(201,))
        for intf in created.get("interfaces") or []:
            interfaces[(name, intf.get("name"))] = intf.get("id")
    for ends in steps["create_links"]:
        request("POST", "v1/link/", expect=(201,), json_body={
            "topology": topology_id, "interfaces": [interfaces[tuple(end)] for end in ends]})
