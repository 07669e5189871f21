# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""NVIDIA Air adapter: the v1 API as the vendor's ``AirApi`` uses it, plus the few v2
calls that SDK makes (a simulation from DOT text) and the v2 JSON import.

URLs are built as the SDK builds them (``<api_url>/api/`` + ``v1/<resource>/``, always a
trailing slash). Login trades the username and API token (or service-account password)
for a bearer token once per task, lazily, and once more when Air answers 403 (how the
SDK sees an expired token). v1 lists are bare arrays; related objects arrive as absolute
URLs, read here as ``{"id": <uuid>}``.
"""

from __future__ import absolute_import, division, print_function

import base64
import binascii
import datetime
import hashlib
import json
import time

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    UUID_RE,
    RestAdapter,
    drf_error,
    env_fallback_for,
    http_client,
    path_below,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import (
    from_api as topology_from_api,
    json_topology,
    url_id,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Bearer, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

DEFAULT_API_URL = "https://air.nvidia.com/api/"
# the hosts the vendor SDK lets credentials follow a redirect to (exact names)
AIR_HOSTS = ("air.nvidia.com", "staging.air.nvidia.com", "air.cumulusnetworks.com",
             "staging.air.cumulusnetworks.com")
DEFAULT_MEMBER_ROLE = "Organization Member"


def connection_argspec():
    env = env_fallback_for
    return dict({
        "api_url": {"type": "str", "fallback": env("AIR_API_URL")},
        "api_version": {"type": "str", "fallback": env("AIR_API_VERSION")},
        "username": {"type": "str", "fallback": env("AIR_USERNAME")},
        "password": {"type": "str", "no_log": True, "fallback": env("AIR_PASSWORD", "AIR_TOKEN")},
        "bearer_token": {"type": "str", "no_log": True, "fallback": env("AIR_BEARER_TOKEN")},
    }, **transport_options("AIR"))


def api_root(api_url):
    """The SDK's normalisation: a trailing slash, then ``api/`` unless already there."""
    url = api_url or DEFAULT_API_URL
    if not url.endswith("/"):
        url += "/"
    if not url.endswith("api/"):
        url += "api/"
    return url


def api_version(value):
    version = str(value or "v1").strip().lower()
    version = version if version.startswith("v") else "v" + version
    if version != "v1":
        raise ModuleError("api_version: %s is not supported; this collection speaks Air's v1 API "
                          "(and the v2 calls the v1 SDK makes)" % value)
    return version


def jwt_lifetime(token, now=None):
    """Seconds left on a JWT by its ``exp`` claim (unverified: only to renew in time)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return max(0.0, float(claims["exp"]) - (now or time.time()))
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
        return None


def login(username, password):
    """The TokenExchange fetch: POST v1/login/ (no Authorization header, as the SDK)."""
    def fetch(client):
        try:
            body = client.request("POST", "v1/login/", use_auth=False,
                                  json_body={"username": username, "password": password})
        except ApiError as exc:
            raise ModuleError("Air login as %s failed: %s" % (username, exc))
        token = body.get("token") if isinstance(body, dict) else None
        if not token:
            raise ModuleError("Air login as %s failed: the answer holds no token" % username)
        return token, jwt_lifetime(token)
    return fetch


def auth_from_params(params):
    """Exactly one way to authenticate: username + password, or bearer_token."""
    username, password, bearer = params.get("username"), params.get("password"), params.get("bearer_token")
    if bearer and (username or password):
        raise ModuleError("give either bearer_token or username + password, not both")
    if bearer:
        return Bearer(bearer)
    if username and password:
        return TokenExchange(login(username, password), credentials=[password],
                             expired_statuses=(403,))
    if username or password:
        raise ModuleError("%s is missing: username and password go together (or give bearer_token)"
                          % ("password" if username else "username"))
    raise ModuleError("no Air credentials: give username + password (an API token or a "
                      "service-account password), or bearer_token")


# -- value forms ---------------------------------------------------------------------------
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


class AirAdapter(RestAdapter):
    platform_name = "Air"
    url_option = "api_url"
    url_path_problem = staticmethod(path_below("/api", "the version (v1/...)"))

    @classmethod
    def from_params(cls, params):
        root = api_root(params.get("api_url"))
        version = api_version(params.get("api_version"))
        client = http_client(params, root, auth_from_params(params), 61, "api_url",  # 61 s: the SDK's read timeout
                             headers={"Content-Type": "application/json"}, error_parser=drf_error,
                             trusted_hosts=AIR_HOSTS)
        return cls(client, version)

    def __init__(self, client, version="v1"):
        super(AirAdapter, self).__init__(client)
        self.version = version

    # -- reads -----------------------------------------------------------------------------
    def list(self, path, filters=None):
        body = self.client.request("GET", path + "/", params=filters or None)
        if isinstance(body, dict) and "results" in body:  # v2 pages
            items = list(body["results"])
            if body.get("next"):
                items += list(self.client.iter_next_links(body["next"]))
            return items
        return body or []

    def find(self, resource, identity, deep=False):
        if resource.name == "cloud_init":
            return self.find_cloud_init(identity)
        found = self.list(resource.path, self.filters(resource, identity))
        if resource.name == "user_config":
            # a list may leave out the content (the SDK then reads the detail): read it for
            # the ones that can match
            found = [o if "content" in o or o.get("name") != identity.get("name")
                     else self.get(resource, o["id"]) for o in found]
        return found

    def filters(self, resource, identity):
        """Equality filters the server may apply; the engine checks every match anyway."""
        filters = {}
        for name, value in identity.items():
            field = resource.fields[name]
            if field.kind == "ref":
                if set(value) == {"id"}:
                    filters[field.wire_name] = value["id"]
                elif resource.name == "service" and name == "simulation":
                    sim = self.one_simulation(value)
                    if sim is None:
                        return {"simulation": "none"}
                    filters["simulation"] = sim["id"]
            elif field.read_key is None:
                filters[field.wire_name] = value
        return filters

    def one_simulation(self, query):
        found = self.resolve_path("v1/simulation", query)
        if len(found) > 1:
            raise ModuleError("simulation: %d simulations are titled %s; give its id"
                              % (len(found), query.get("title")))
        return found[0] if found else None

    def resolve_path(self, path, query):
        """Objects of ``path`` matching ``query``; remembered for the task, since the service
        lookup and the engine's match of a related simulation ask the same question."""
        key = (path, json.dumps(query, sort_keys=True, default=str))
        if key not in self.resolved:
            self.resolved[key] = self._resolve_path(path, query)
        return self.resolved[key]

    def _resolve_path(self, path, query):
        if set(query) == {"id"}:
            found = self.get_or_none("%s/%s/" % (path, query["id"]))
            return [found] if found else []
        plain = dict((k, v) for k, v in query.items() if not isinstance(v, dict))
        return [o for o in self.list(path, plain)
                if all(str(o.get(k)) == str(v) for k, v in plain.items())]

    def resolve(self, field, query):
        return self.resolve_path(field.path, query)

    def read(self, field, obj):
        if obj is None:
            return None
        if field.read_key == "topology_model" and "topology_model" not in obj and obj.get("id"):
            obj["topology_model"] = self.read_topology_model(obj)
        value = obj.get(field.read_key or field.wire_name)
        if field.kind == "ref" and value is not None and not isinstance(value, dict):
            return {"id": url_id(value)}
        if field.kind == "keyedset" and field.name == "members" and obj.get("id"):
            value = self.members(obj)
        return value

    # -- writes ----------------------------------------------------------------------------
    def create(self, resource, payload):
        special = getattr(self, "create_" + resource.name, None)
        if special is not None:
            return special(resource, payload)
        return self.client.request("POST", resource.path + "/", json_body=payload, expect=(201,))

    def update(self, resource, current, payload):
        special = getattr(self, "update_" + resource.name, None)
        if special is not None:
            return special(resource, current, payload)
        return self.client.request("PATCH", "%s/%s/" % (resource.path, current["id"]), json_body=payload)

    def delete(self, resource, current):
        if resource.name == "cloud_init":
            self.update_cloud_init(resource, current, {"user_data": None, "meta_data": None})
            return
        if resource.name == "simulation":
            # the SDK deletes a simulation through its control action, never a DELETE
            self.act(resource, current, "destroy")
            return
        self.client.request("DELETE", "%s/%s/" % (resource.path, current["id"]), json_body={},
                            expect=(204, 200))

    def act(self, resource, obj, action):
        self.client.request("POST", "%s/%s/control/" % (resource.path, obj["id"]),
                            json_body={"action": action}, expect=(200,))
        return self.get(resource, obj["id"])

    # simulation ---------------------------------------------------------------------------
    def create_simulation(self, resource, payload):
        payload = dict(payload)
        content = payload.pop("topology_content", None)
        if payload.get("topology"):
            return self.client.request("POST", "v1/simulation/", json_body=payload, expect=(201,))
        topology = json_topology(content)  # the engine made sure one of the sources is set
        if topology is not None:
            created = self._import_json(payload, topology)
        else:
            # the v1 SDK's simulations.create(topology_data=<DOT>) (air.md 8.5, way 2)
            created = self.client.request("POST", "v2/simulation/", expect=(201,),
                                          json_body=dict(payload, topology_data=content))
        return self.get(resource, created["id"])

    def _import_json(self, payload, content):
        """JSON topologies go through v2 import, which takes only title and organization:
        the other fields follow in one PATCH."""
        body = {"title": payload.pop("title"), "format": "JSON", "content": content}
        if payload.get("organization"):
            body["organization"] = payload.pop("organization")
        created = self.client.request("POST", "v2/simulations/import/", json_body=body, expect=(201,))
        if payload:
            self.client.request("PATCH", "v1/simulation/%s/" % created["id"], json_body=payload)
        return created

    def simulation_details(self, sim):
        """Nodes (with console details and management address) and services of a simulation."""
        if not sim.get("id"):
            return {"nodes": [], "services": []}
        nodes = []
        for node in self.list("v1/simulation-node", {"simulation": sim["id"]}):
            metadata = node.get("metadata")
            try:
                metadata = json.loads(metadata) if isinstance(metadata, str) else (metadata or {})
            except ValueError:
                metadata = {}
            nodes.append({
                "id": node.get("id"), "name": node.get("name"), "state": node.get("state"),
                "console_url": node.get("console_url"), "console_username": node.get("console_username"),
                "console_password": node.get("console_password"), "console_port": node.get("console_port"),
                "serial_port": node.get("serial_port"), "mgmt_ip": metadata.get("mgmt_ip"),
                "mgmt_mac": metadata.get("mgmt_mac"),
            })
        services = [self.service_view(s) for s in self.list("v1/service", {"simulation": sim["id"]})]
        return {"nodes": sorted(nodes, key=lambda n: n["name"] or ""),
                "services": sorted(services, key=lambda s: s["name"] or "")}

    def simulation_view(self, sim):
        view = self.plain_view(sim)
        view.update(self.simulation_details(sim))
        return view

    # service ------------------------------------------------------------------------------
    def create_service(self, resource, payload):
        payload = dict(payload)
        node, interface = payload.pop("node"), payload.pop("interface")
        payload["interface"] = self.simulation_interface(payload["simulation"], node, interface)
        return self.client.request("POST", "v1/service/", json_body=payload, expect=(201,))

    def simulation_interface(self, simulation_id, node_name, interface_name):
        """The simulation interface behind ``node:interface``, found as the SDK finds it."""
        for node in self.list("v1/node", {"simulation": simulation_id, "name": node_name}):
            if node.get("name") != node_name:
                continue
            for intf in node.get("interfaces") or []:
                if isinstance(intf, dict) and intf.get("name") == interface_name:
                    found = self.list("v1/simulation-interface",
                                      {"simulation": simulation_id, "original": intf["id"]})
                    if found:
                        return found[0]["id"]
            raise ModuleError("interface: node %s has no interface %s" % (node_name, interface_name))
        raise ModuleError("node: the simulation has no node %s" % node_name)

    def service_view(self, service):
        view = self.plain_view(service)
        view["node"] = service.get("node_name")
        view["interface"] = service.get("interface_name")
        return view

    # node cloud-init --------------------------------------------------------------------
    def find_cloud_init(self, identity):
        """The cloud-init of a simulation node; a node cannot be created, so none is an error."""
        sim = self.one_simulation(identity["simulation"])
        if sim is None:
            raise ModuleError("simulation: no simulation matches %s" % self.describe_query(identity["simulation"]))
        for node in self.list("v1/simulation-node", {"simulation": sim["id"], "name": identity["node"]}):
            if node.get("name") == identity["node"]:
                return [self.cloud_init_view(node["id"], sim["id"], node["name"],
                                             self.client.request("GET", self.cloud_init_path(node["id"])))]
        raise ModuleError("node: the simulation has no node %s" % identity["node"])

    def is_absent(self, resource, obj):
        return resource.name == "cloud_init" and not obj.get("user_data") and not obj.get("meta_data")

    @staticmethod
    def cloud_init_path(node_id):
        # v2 node ids are the v1 simulation-node ids (the v1 SDK's cloud-init helper relies on it)
        return "v2/simulations/nodes/%s/cloud-init/" % node_id

    @staticmethod
    def cloud_init_view(node_id, simulation_id, node_name, cloud_init):
        view = dict(cloud_init or {})
        view.update(id=node_id, simulation=simulation_id, node=node_name)
        return view

    def update_cloud_init(self, resource, current, payload):
        written = self.client.request("PATCH", self.cloud_init_path(current["id"]), json_body=payload)
        return self.cloud_init_view(current["id"], current["simulation"], current["node"], written)

    def ref_query(self, field, value, params):
        query = super(AirAdapter, self).ref_query(field, value, params)
        if field.path == "v2/userconfigs" and "name" in query:
            query["kind"] = "cloud-init-" + field.name.replace("_", "-")  # a name may exist in both kinds
        return query

    def display(self, field, obj):
        if field.path == "v2/userconfigs" and isinstance(obj, dict) and set(obj) == {"id"}:
            return obj["id"]
        return super(AirAdapter, self).display(field, obj)

    # organization -------------------------------------------------------------------------
    @staticmethod
    def members(org):
        """Members as the v1 organization lists them, in the form the module takes."""
        return sorted(({"username": m.get("username"), "roles": sorted(m.get("roles") or [])}
                       for m in org.get("members") or [] if isinstance(m, dict)),
                      key=lambda m: m["username"] or "")

    def create_organization(self, resource, payload):
        payload = dict(payload)
        members = [self.member(m) for m in payload.pop("members", None) or []]
        if members:
            payload["members"] = members
        return self.client.request("POST", "v1/organization/", json_body=payload, expect=(201,))

    def update_organization(self, resource, current, payload):
        payload = dict(payload)
        members = payload.pop("members", None)
        if payload:
            current = self.client.request("PATCH", "v1/organization/%s/" % current["id"], json_body=payload)
        if members is not None:
            path = "v1/organization/%s/members/" % current["id"]
            have = dict((m["username"], m) for m in self.members(current))
            wanted = dict((m["username"], self.member(m)) for m in members)
            for username in sorted(set(have) - set(wanted)):
                self.client.request("DELETE", path, json_body={"username": username})
            changed = [m for u, m in sorted(wanted.items())
                       if u not in have or sorted(have[u]["roles"]) != sorted(m["roles"])]
            if changed:
                self.client.request("POST", path, json_body=changed)
        return self.get_or_none("v1/organization/%s/" % current["id"])

    @staticmethod
    def member(entry):
        return {"username": entry["username"], "roles": list(entry.get("roles") or [DEFAULT_MEMBER_ROLE])}

    # topology -----------------------------------------------------------------------------
    def create_topology(self, resource, payload):
        payload = dict(payload)
        content = payload.pop("content")
        body = json_topology(content)
        if body is not None:
            body.update(payload)
            created = self.client.request("POST", "v1/topology/", json_body=body, expect=(201,))
        else:
            created = self.client.request("POST", "v1/topology/", data=str(content).encode("utf-8"),
                                          headers={"Content-Type": "text/vnd.graphviz"}, expect=(201,))
            # a DOT body carries only the graph; the rest follows in one PATCH
            rest = dict((k, v) for k, v in payload.items() if created.get(k) != v)
            if rest:
                created = self.client.request("PATCH", "v1/topology/%s/" % created["id"], json_body=rest)
        return created

    def read_topology_model(self, topology):
        images = dict((i.get("id"), i.get("name")) for i in self.images())
        nodes = self.list("v1/node", {"topology": topology["id"]})
        nodes = [n for n in nodes if url_id(n.get("topology")) in (None, topology["id"])]
        links = self.list("v1/link", {"topology": topology["id"]})
        links = [lk for lk in links if url_id(lk.get("topology")) in (None, topology["id"])]
        return topology_from_api(nodes, links, images)

    def images(self):
        if not hasattr(self, "_images"):
            self._images = self.list("v1/image")
        return self._images

    # -- output ----------------------------------------------------------------------------
    @staticmethod
    def plain_view(obj):
        """An object with its relations as ids and internal keys dropped."""
        view = {}
        for key, value in obj.items():
            if key in ("url", "topology_model") or key.startswith("_"):
                continue
            if isinstance(value, str) and value.startswith(("http://", "https://")) and "/api/" in value:
                value = url_id(value)
            elif isinstance(value, list) and value and all(
                    isinstance(v, str) and "/api/" in v for v in value):
                value = [url_id(v) for v in value]
            view[key] = value
        return view

    def result_view(self, resource, obj):
        if not obj:
            return {}
        if resource.name == "simulation":
            return self.simulation_view(obj)
        if resource.name == "service":
            return self.service_view(obj)
        return self.plain_view(obj)


MEMBER_ROLES = ("Organization Admin", "Organization Member")


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


def simulations_info(adapter, params):
    """Simulations matching the filters, each with its nodes and services."""
    if params.get("id"):
        found = adapter.get_or_none("v1/simulation/%s/" % params["id"])
        sims = [found] if found else []
    else:
        filters = dict((k, params[k]) for k in ("title", "state") if params.get(k))
        sims = [s for s in adapter.list("v1/simulation", filters)
                if all(str(s.get(k)) == str(v) for k, v in filters.items())]
    if params.get("organization"):
        org = str(params["organization"])
        if not UUID_RE.match(org):
            orgs = adapter.resolve_path("v1/organization", {"name": org})
            if not orgs:
                raise ModuleError("organization: no organization is named %s" % org)
            org = orgs[0]["id"]
        sims = [s for s in sims if url_id(s.get("organization")) == org]
    return {"simulations": [adapter.simulation_view(s) for s in sims]}


AIR = Platform("air", connection_argspec, AirAdapter)
