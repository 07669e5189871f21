# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the NVIDIA Air REST API (v1, and the v2 endpoints the SDKs use).

Facts come from tests/emulators/specs/air.md ("air.md N.M" below); where the SDK (air-sdk 2.21.1)
and the spec disagree, the SDK wins and a comment says so. Standard library only.

Sandbox:  python3.11 tests/emulators/air_emulator.py --host 127.0.0.1 --port 8280 --speed 1
Tests:    emu = AirEmulator().start(); AirApi(username=emu.username, password=emu.api_token,
          api_url=emu.url + "/api/"); ...; emu.stop()      (see tests/emulators/README.md)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import itertools
import json
import os
import random
import re
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from emulator_base import ApiError, EmulatorServer, Response, iso, no_content, sandbox_parser, serve

DEFAULT_USERNAME = "sandbox@example.com"
DEFAULT_API_TOKEN = "sandbox-api-token"
SERVICE_USERNAME = "svc-sandbox@example.com"
SERVICE_PASSWORD = "sandbox-service-password"
WORKER_FQDN = "worker01.air.local"
WORKER_PORT_RANGE = "10000-30000"

ORG_ADMIN = "Organization Admin"
ORG_MEMBER = "Organization Member"
ORG_ROLES = (ORG_ADMIN, ORG_MEMBER)  # air.md 7.5
SLEEP_AFTER = timedelta(hours=12)    # air.md 7.1: observed default sleep_at = created + 12 h
EXPIRE_AFTER = timedelta(days=14)    # air.md 7.1: observed default expires_at = created + 14 d
EXTEND_BY = timedelta(hours=12)      # air.md 8.3: extend pushes sleep_at back by 12 h
DEFAULT_IMAGE = "generic/ubuntu2204"
OOB_SERVER_IMAGE = "oob-mgmt-server"
OOB_SWITCH_IMAGE = "cumulus-vx-5.10.1"
DEFAULT_PAGE_LIMIT = 100             # air.md 5: the server's default page size is unknown; the SDK always sends limit
SERVICE_TYPES = ("ssh", "http", "https", "tcp", "other")   # air.md 7.3: values seen
USERCONFIG_KINDS = ("cloud-init-user-data", "cloud-init-meta-data")   # air.md 7.5
EXECUTORS = ("file", "shell", "init")                      # air.md 8.7
SSH_KEY_TYPES = ("ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                 "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
SEED_IMAGES = (  # name, version, default username/password, minimum cpu, memory (MB), storage (GB)
    ("generic/ubuntu2204", "22.04", "ubuntu", "nvidia", 1, 1024, 10),
    ("generic/ubuntu2404", "24.04", "ubuntu", "nvidia", 1, 1024, 10),
    ("cumulus-vx-5.10.1", "5.10.1", "cumulus", "cumulus", 2, 2048, 10),
    ("oob-mgmt-server", "1.0.0", "ubuntu", "nvidia", 1, 1024, 10),
)
COLLECTIONS = ("accounts", "api_tokens", "organizations", "images", "workers", "sshkeys", "topologies", "nodes",
               "interfaces", "links", "simulations", "simulation_nodes", "simulation_interfaces",
               "simulation_links", "services", "userconfigs", "permissions", "demos", "jobs")

# simulation fields a client may write (air.md 7.1: the v2 SDK's create and update arguments)
SIM_UPDATE_FIELDS = ("title", "sleep", "sleep_at", "expires", "expires_at", "documentation", "metadata",
                     "preferred_worker")
SIM_CREATE_FIELDS = SIM_UPDATE_FIELDS + ("organization", "owner")
SIM_READ_ONLY = ("id", "url", "state", "owner", "cloned", "created", "modified", "organization", "topology",
                 "nodes", "services", "write_ok", "organization_name", "node_count")

UUID_RE = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
NOT_FOUND = {"detail": "Not found."}
# Django REST Framework's text; the SDK compares the whole compact body to it (air.md 4.2)
MISSING_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
REQUIRED = ["This field is required."]
LIST_PARAMETERS = ("limit", "offset", "ordering", "search", "format")  # DRF's own, not filters
EXIT = "exit"  # air.md 8.5: a JSON link end "exit" is an outbound (public) port
NODE_WRITABLE = ("name", "os", "cpu", "memory", "storage", "function")  # air.md 7.2 (v1 topology node)
NODE_ACTIONS = ("reset", "rebuild")                                    # air.md 8.7
JOB_SECONDS = 5        # [INFERRED] how long a node reset/rebuild job takes; air.md 8.6 only says "async"
DEMO_ACCOUNT = "demos@air.local"
DEMO_NAME = "EVPN Demo"  # a seeded demo (air.md 7.5 MarketplaceDemo; its snapshot is a SNAPSHOT simulation, 8.1)
DEMO_TOPOLOGY = {"nodes": {"leaf01": {"os": "cumulus-vx-5.10.1"}, "leaf02": {"os": "cumulus-vx-5.10.1"},
                           "server01": {"os": "generic/ubuntu2204"}},
                 "links": [[{"node": "leaf01", "interface": "swp1"}, {"node": "leaf02", "interface": "swp1"}],
                           [{"node": "server01", "interface": "eth1"}, {"node": "leaf01", "interface": "swp2"}]]}

# The out-of-band management network (oob-mgmt-server + oob-mgmt-switch, every node's eth0 on it) is added
# by the *format* of a topology, the same rule on every creation path:
#   - JSON (v1 topology/ with a JSON body, v2 simulations/import/): the content's "oob" key, default true.
#     NVIDIA's docs say so for JSON ("If you omit the oob key ... Enable OOB will still be set to on",
#     Custom-Topology.md of the Air 2.0 docs, and the v1 docs' import examples).
#   - DOT (v1 topology/ text/vnd.graphviz, v2 simulation/ topology_data): never. No document says Air adds it
#     to a DOT topology: the DOT sections of both doc generations describe only the nodes and links the file
#     names, the UI's "Enable OOB" toggle lets users add oob-mgmt-* nodes by hand, and the DOT files Air's
#     own demos are built from (the Cumulus reference topology) declare oob-mgmt-server, oob-mgmt-switch and
#     every eth0 link themselves; a DOT file has no "oob" key to turn it off, so an automatic network would
#     collide with theirs. (Air v3 takes an explicit "oob" on import, air-sdk 1.x docs' OOB example.)
#   - blank (v2 simulations/): no nodes, so nothing to manage; the builder's toggle has no API field in v1/v2.


def new_id():
    return str(uuid.uuid4())  # air.md 3.5: the v2 SDK forces version bits, so only uuid4 round-trips


def ref_id(value):
    """The id in a bare id or an absolute v1 URL (.../api/v1/<resource>/<id>/)."""
    if isinstance(value, str) and "/" in value:
        return [part for part in value.split("/") if part][-1]
    return value


def query_bool(value):
    return str(value).lower() in ("true", "1", "yes", "on")  # air.md 3.3: 'True'/'False' from requests


def _compact(value):
    return json.dumps(value, separators=(",", ":")).encode()


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TopologyError(Exception):
    """A topology (DOT or JSON) the emulator refuses; ``field`` names the JSON key when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ----- field validation (DRF's messages) ---------------------------------------------------------
def bad(field, message):
    return ApiError(400, {field: [message]})


def required(body, field):
    if body.get(field) in (None, ""):
        raise ApiError(400, {field: REQUIRED})
    return body[field]


def as_str(field, value, null=False, blank=True):
    if value is None:
        if null:
            return None
        raise bad(field, "This field may not be null.")
    if not isinstance(value, str):
        raise bad(field, "Not a valid string.")
    if not blank and not value.strip():
        raise bad(field, "This field may not be blank.")
    return value


def as_bool(field, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise bad(field, "Must be a valid boolean.")


def as_int(field, value, minimum=None, maximum=None):
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"-?\d+", str(value).strip()):
        raise bad(field, "A valid integer is required.")
    number = int(value)
    if minimum is not None and number < minimum:
        raise bad(field, "Ensure this value is greater than or equal to %d." % minimum)
    if maximum is not None and number > maximum:
        raise bad(field, "Ensure this value is less than or equal to %d." % maximum)
    return number


def as_datetime(field, value):
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            # a naive time is UTC (Django's default TIME_ZONE); the v1 SDK sends naive .isoformat() (air.md 3.3)
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if value is None:
        raise bad(field, "This field may not be null.")
    raise bad(field, "Datetime has wrong format. Use one of these formats instead: "
                     "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")


def as_choice(field, value, choices):
    if value not in choices:
        raise bad(field, '"%s" is not a valid choice.' % (value,))
    return value


def as_object(body):
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, {"non_field_errors": ["Invalid data. Expected a dictionary, but got %s."
                                                  % type(body).__name__]})
    return body


def reject_fields(body, writable, read_only=()):
    """PATCH bodies may carry writable fields only (the brief asks to reject the rest; DRF would ignore them)."""
    errors = {key: ["This field is read-only." if key in read_only else "Unknown field."]
              for key in body if key not in writable}
    if errors:
        raise ApiError(400, errors)


def converted_fields(body, keys, converters):
    """``{key: converters[key](value)}`` for the ``keys`` the body has; every field's error at
    once, as DRF reports them, in one ApiError 400."""
    changes, errors = {}, {}
    for key in keys:
        if key in body:
            try:
                changes[key] = converters[key](body[key])
            except ApiError as err:
                errors.update(err.body)
    if errors:
        raise ApiError(400, errors)
    return changes


# ----- SSH public keys (air.md 7.5) -------------------------------------------------------------
def ssh_fingerprint(public_key):
    """SHA-256 of the key blob, base64 with padding (44 characters), or ApiError 400."""
    parts = public_key.strip().split() if isinstance(public_key, str) else []
    if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
        raise bad("public_key", "Invalid public key.")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise bad("public_key", "Invalid public key.") from None
    # the blob starts with the key type as an SSH string (uint32 length + bytes)
    length = int.from_bytes(blob[:4], "big")
    if len(blob) < 4 + length or blob[4:4 + length].decode("ascii", "replace") != parts[0]:
        raise bad("public_key", "Invalid public key.")
    return base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")


# ----- DOT subset (air.md 8.5) ------------------------------------------------------------------
_DOT_TOKEN = re.compile(r"""
    (?P<skip>\s+|//[^\n]*|\#[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<edge>--|->)
  | (?P<punct>[{}\[\]=;,:])
  | (?P<id>[A-Za-z0-9_.+/-]+)
""", re.S | re.X)


class DotParser:
    """``graph "name" { "a" [os="..." cpu="2"]  "a":"swp1" -- "b":"swp1" }`` into a topology spec:
    {"name", "nodes": {name: attrs}, "links": [((node, ifname, mac), (node, ifname, mac))], "oob"}.
    Supports comments, quoted/bare ids, ``node [...]`` defaults, edge chains; edge attributes are
    ignored; subgraphs are refused."""

    def __init__(self, text):
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.node_defaults = {}

    @staticmethod
    def _tokenize(text):
        tokens, pos = [], 0
        while pos < len(text):
            match = _DOT_TOKEN.match(text, pos)
            if not match:
                raise TopologyError("Unexpected character %r in the DOT text at offset %d." % (text[pos], pos))
            pos = match.end()
            if match.lastgroup == "string":
                tokens.append(("string", re.sub(r"\\(.)", r"\1", match.group()[1:-1])))
            elif match.lastgroup != "skip":
                tokens.append((match.lastgroup, match.group()))
        return tokens

    def peek(self, offset=0):
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else (None, None)

    def at(self, value, offset=0):
        kind, text = self.peek(offset)
        return kind in ("punct", "edge") and text == value

    def next(self):
        token = self.peek()
        if token[0] is None:
            raise TopologyError("Unexpected end of the DOT text.")
        self.pos += 1
        return token

    def expect(self, value):
        if not self.at(value):
            raise TopologyError("Expected %r in the DOT text, found %r." % (value, self.peek()[1]))
        self.pos += 1

    def ident(self):
        kind, text = self.next()
        if kind not in ("id", "string"):
            raise TopologyError("Expected a name in the DOT text, found %r." % text)
        return text

    def parse(self):
        if self.peek() == ("id", "strict"):
            self.pos += 1
        kind, keyword = self.next()
        if kind != "id" or keyword.lower() not in ("graph", "digraph"):
            raise TopologyError("The DOT text must start with 'graph'.")
        name = self.ident() if self.peek()[0] in ("id", "string") else None
        self.expect("{")
        nodes, links = {}, []
        while not self.at("}"):
            self.statement(nodes, links)
        self.expect("}")
        if self.peek()[0] is not None:
            raise TopologyError("Unexpected text after the graph.")
        return {"name": name, "nodes": nodes, "links": links, "oob": False}  # DOT: no automatic OOB (see above)

    def statement(self, nodes, links):
        if self.at(";") or self.at(","):
            self.pos += 1
            return
        kind, text = self.peek()
        if kind == "id" and text.lower() in ("graph", "node", "edge") and self.at("[", 1):
            self.pos += 1
            attrs = self.attrs()
            if text.lower() == "node":
                self.node_defaults.update(attrs)
            return
        if (kind == "id" and text.lower() == "subgraph") or self.at("{"):
            raise TopologyError("Subgraphs are not supported.")
        first = self.endpoint()
        if self.at("=") and first[1] is None:  # a graph attribute (name=value): nothing to keep
            self.pos += 1
            self.ident()
            return
        if self.at("--") or self.at("->"):
            ends = [first]
            while self.at("--") or self.at("->"):
                self.pos += 1
                ends.append(self.endpoint())
            if self.at("["):
                self.attrs()
            for node, port in ends:
                if port is None:
                    raise TopologyError("Link end %s needs an interface (node:interface)." % (node,))
                nodes.setdefault(node, dict(self.node_defaults))  # an edge declares its nodes
            links.extend(((a[0], a[1], None), (b[0], b[1], None)) for a, b in zip(ends, ends[1:]))
            return
        attrs = self.attrs() if self.at("[") else {}
        nodes.setdefault(first[0], dict(self.node_defaults)).update(attrs)

    def endpoint(self):
        name = self.ident()
        if self.at(":"):
            self.pos += 1
            return name, self.ident()
        return name, None

    def attrs(self):
        result = {}
        while self.at("["):
            self.pos += 1
            while not self.at("]"):
                if self.at(",") or self.at(";"):
                    self.pos += 1
                    continue
                key = self.ident()
                self.expect("=")
                result[key] = self.ident()
            self.expect("]")
        return result


def spec_from_json(content):
    """air.md 8.5 JSON topology content into the spec DotParser produces (``oob`` defaults to true)."""
    if not isinstance(content, dict):
        raise TopologyError("Expected a JSON object.")
    nodes = content.get("nodes")
    if not isinstance(nodes, dict) or not nodes or not all(isinstance(a, dict) for a in nodes.values()):
        raise TopologyError("Expected an object of node name -> attributes.", "nodes")
    links = []
    for link in content.get("links") or []:
        if not isinstance(link, list) or len(link) != 2:
            raise TopologyError("Each link is a list of two ends.", "links")
        ends = [EXIT if end == EXIT else _json_end(end) for end in link]
        if ends[0] == EXIT:
            ends.reverse()
        if ends[0] == EXIT:
            raise TopologyError("A link needs at least one node end.", "links")
        links.append(tuple(ends))
    oob = content.get("oob", True)
    if not isinstance(oob, bool):
        raise TopologyError("Must be a valid boolean.", "oob")
    return {"name": None, "nodes": {name: dict(attrs) for name, attrs in nodes.items()}, "links": links, "oob": oob}


def _json_end(end):
    if not isinstance(end, dict) or not end.get("node") or not end.get("interface"):
        raise TopologyError("A link end is an object with node and interface, or exit.", "links")
    return end["node"], end["interface"], end.get("mac")


class AirEmulator(EmulatorServer):
    """The NVIDIA Air API, v1 + v2, with state, timers and auth. See tests/emulators/README.md."""

    server_name = "air-emulator"

    def __init__(self, host="127.0.0.1", port=0, speed=1.0, token_lifetime=86400, load_seconds=30,
                 store_seconds=20, destroy_seconds=5, username=DEFAULT_USERNAME, api_token=DEFAULT_API_TOKEN):
        super().__init__(host, port, speed)
        self.token_lifetime = token_lifetime
        self.load_seconds = load_seconds
        self.store_seconds = store_seconds
        self.destroy_seconds = destroy_seconds
        self.username = username
        self.api_token = api_token
        self.service_username = SERVICE_USERNAME
        self.service_password = SERVICE_PASSWORD
        self._secret = os.urandom(32)
        self._random = random.Random()
        self._routes = self._route_table()
        self.reset_state()

    # =============================================================================================
    # Python API for tests
    # =============================================================================================
    @property
    def state(self):
        """The live state: {collection: {id: record}} (timers applied first). Records are internal
        (ids, aware datetimes), not API representations; tests may read and tweak them."""
        with self.lock:
            self._tick()
            return self._state

    def add_account(self, username, api_token=None, password=None):
        """A user (``api_token``: login password, like a UI-made token) or a service account (``password``)."""
        with self.lock:
            if self._account_named(username) is not None:
                raise ValueError("account %r exists" % username)
            return dict(self._new_account(username, api_token=api_token, password=password))

    def issue_token(self, username):
        """A fresh bearer token for ``username`` (what login would return)."""
        with self.lock:
            account = self._account_named(username)
            if account is None:
                raise KeyError("no account %r" % username)
            return self._issue(account)

    def issued_tokens(self):
        """Every bearer token minted so far (for tests that check no output shows one)."""
        with self.lock:
            return list(self._sessions)

    def expire_tokens(self):
        """Every bearer token issued so far is expired from now on (403, air.md 2.3); API tokens stay valid."""
        with self.lock:
            for session in self._sessions.values():
                session["expired"] = True

    def admin_routes(self):
        routes = super().admin_routes()
        routes[("POST", "expire-tokens")] = no_content(self.expire_tokens)
        routes[("POST", "tokens")] = lambda req: Response(201, {"token": self.issue_token(
            (req.body or {}).get("username", self.username))})
        return routes

    # =============================================================================================
    # seed and record helpers
    # =============================================================================================
    def reset_state(self):
        from air_v3_emulator import AirV3Api  # imports this module: loaded on first use
        self.v3 = AirV3Api(self)
        self._state = {name: {} for name in COLLECTIONS}
        self._sessions = {}
        self._macs = itertools.count(1)
        now = self.clock.now()
        self._new_account(self.username, api_token=self.api_token)
        self._new_account(self.service_username, password=self.service_password)
        org = self._put("organizations", {"name": "Sandbox Org", "members": {self.username: [ORG_ADMIN]},
                                          "resource_budget": new_id(), "created": now, "modified": now})
        self.organization_id = org["id"]
        for name, version, user, password, cpu, memory, storage in SEED_IMAGES:
            self._put("images", {"name": name, "version": version, "default_username": user,
                                 "default_password": password, "created": now, "modified": now,
                                 "minimum_resources": {"cpu": cpu, "memory": memory, "storage": storage}})
        self.worker_id = self._put("workers", {
            "fqdn": WORKER_FQDN, "ip_address": "10.0.0.11", "port_range": WORKER_PORT_RANGE, "cpu_arch": "x86",
            "available": True, "contact": self.username, "used_ports": set(), "created": now, "modified": now})["id"]
        self._seed_demo(now)

    def _seed_demo(self, now):
        """A marketplace demo: its snapshot is a SNAPSHOT simulation owned by the demo's author, reachable by
        id (to duplicate it, air.md 8.5 way 5) but in nobody else's simulation list."""
        author = self._new_account(DEMO_ACCOUNT)
        topo = self._build_topology(spec_from_json(DEMO_TOPOLOGY), DEMO_NAME, None, private=True)
        snapshot = self._new_simulation(_As(author), topo, {"sleep": False, "expires": False}, title=DEMO_NAME)
        snapshot.update(state="SNAPSHOT", demo_snapshot=True)
        topo["demo_snapshot"] = True
        self.demo_id = self._put("demos", {"name": DEMO_NAME, "snapshot": snapshot["id"], "owner": author["id"],
                                           "description": "A two-leaf EVPN lab.", "created": now,
                                           "modified": now})["id"]

    def _put(self, collection, record):
        record.setdefault("id", new_id())
        self._state[collection][record["id"]] = record
        return record

    def _find(self, collection, id):
        record = self._state[collection].get(str(id).lower())
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _where(self, collection, **equal):
        return [r for r in self._state[collection].values() if all(r.get(k) == v for k, v in equal.items())]

    def _fk(self, collection, field, value, null=True):
        """Resolve a relation given as an id or a v1 URL; DRF's message for a missing object."""
        if value in (None, ""):
            if null:
                return None
            raise ApiError(400, {field: REQUIRED})
        record = self._state[collection].get(str(ref_id(value)).lower())
        if record is None:
            raise bad(field, 'Invalid pk "%s" - object does not exist.' % ref_id(value))
        return record

    def _new_account(self, username, api_token=None, password=None):
        now = self.clock.now()
        account = self._put("accounts", {"username": username, "password": password, "created": now})
        if api_token:
            self._put("api_tokens", {"name": "emulator", "token": api_token, "account": account["id"],
                                     "created": now, "expiry": None})
        return account

    def _account_named(self, username):
        return next(iter(self._where("accounts", username=username)), None)

    def _mac(self):
        n = next(self._macs)  # 44:38:39 is the Cumulus OUI [INFERRED: Air's MACs look like it]
        return "44:38:39:%02x:%02x:%02x" % ((n >> 16) & 255, (n >> 8) & 255, n & 255)

    def _image(self, ref, field):
        image = self._state["images"].get(str(ref).lower()) or next(iter(self._where("images", name=ref)), None)
        if image is None:
            raise TopologyError('Image "%s" does not exist.' % ref, field)
        return image

    # =============================================================================================
    # HTTP entry point, routing and authentication
    # =============================================================================================
    def handle(self, req):
        if req.path.startswith("/api/v3/"):  # DSX Air, its own auth and store: air_v3_emulator.py
            return self.v3.handle(req)
        self._tick()  # timers are applied lazily, from the emulated clock
        rel = req.path[len("/api/"):] if req.path.startswith("/api/") else None
        methods, groups = self._resolve(rel) if rel is not None else (None, None)
        if methods is None:
            if rel is not None and not rel.endswith("/") and self._resolve(rel + "/")[0]:
                # Django's APPEND_SLASH: 301 to the absolute slashed URL (air.md 9.1)
                location = req.base_url + req.path + "/" + ("?" + req.query_string if req.query_string else "")
                return Response(301, headers={"Location": location})
            raise ApiError(404, NOT_FOUND)
        if not (rel == "v1/login/" and req.method == "POST"):
            self._authenticate(req)  # DRF authenticates before it looks for the method handler
        handler = methods.get(req.method)
        if handler is None:
            raise ApiError(405, {"detail": 'Method "%s" not allowed.' % req.method},
                           {"Allow": ", ".join(sorted(methods))})
        return handler(req, **groups)

    def _resolve(self, rel):
        for pattern, methods in self._routes:
            match = pattern.fullmatch(rel)
            if match:
                return methods, match.groupdict()
        return None, None

    def _authenticate(self, req):
        """air.md 2.2/2.3/9.3: 403 for a missing, invalid or expired token (the SDK re-logs-in on 403)."""
        parts = (req.headers.get("Authorization") or "").split()
        if not parts or parts[0].lower() != "bearer":
            raise ApiError(403, MISSING_CREDENTIALS)  # DRF skips other schemes: "not provided"
        if len(parts) != 2:
            raise ApiError(403, {"detail": "Invalid token header. No credentials provided."})
        session = self._sessions.get(parts[1])
        if session is None or session["account"] not in self._state["accounts"]:
            raise ApiError(403, {"detail": "Invalid token."})  # [INFERRED] text; only the status is known
        if session["expired"] or session["expires_at"] <= self.clock.now():
            raise ApiError(403, {"detail": "Token has expired."})
        req.user = self._state["accounts"][session["account"]]

    def _issue(self, account):
        """A JWT-looking token (air.md 2.1: claims account, realm, exp, admin, staff, jti, token_type)."""
        expires = self.clock.now() + timedelta(seconds=self.token_lifetime)
        header = _b64url(_compact({"alg": "HS256", "typ": "JWT"}))
        claims = _b64url(_compact({"account": account["id"], "realm": "api", "exp": int(expires.timestamp()),
                                   "admin": False, "staff": False, "jti": uuid.uuid4().hex, "token_type": "access"}))
        signature = _b64url(hmac.new(self._secret, ("%s.%s" % (header, claims)).encode(), hashlib.sha256).digest())
        token = "%s.%s.%s" % (header, claims, signature)
        self._sessions[token] = {"account": account["id"], "expires_at": expires, "expired": False}
        return token

    def _route_table(self):
        u = "(?P<id>%s)" % UUID_RE
        table = (
            # ----- v1 (air.md 6.1) -----
            ("v1/login/", {"GET": self._whoami, "POST": self._login}),
            ("v1/account/", {"GET": lambda req: self._list(req, [req.user], self._v1_account)}),
            ("v1/account/%s/" % u, {"GET": self._getter("accounts", self._v1_account)}),
            ("v1/api-token/", {"GET": self._token_list, "POST": self._token_create}),
            ("v1/api-token/%s/" % u, {"DELETE": self._token_delete}),
            ("v1/organization/", {"GET": self._lister("organizations", self._v1_org), "POST": self._org_create}),
            ("v1/organization/%s/" % u, {"GET": self._getter("organizations", self._v1_org),
                                         "PATCH": self._org_patch, "DELETE": self._org_delete}),
            ("v1/organization/%s/members/" % u, {"POST": self._members_add, "DELETE": self._members_remove}),
            ("v1/sshkey/", {"GET": self._sshkey_list, "POST": self._sshkey_create}),
            ("v1/sshkey/%s/" % u, {"DELETE": self._sshkey_delete}),
            ("v1/topology/", {"GET": self._sim_lister(self._v1_topology, "topologies"), "POST": self._topology_create}),
            ("v1/topology/%s/" % u, {"GET": self._getter("topologies", self._v1_topology),
                                     "PATCH": self._topology_patch, "DELETE": self._topology_delete}),
            ("v1/node/", {"GET": self._node_list, "POST": self._node_create}),
            ("v1/node/%s/" % u, {"GET": self._getter("nodes", self._v1_node), "PATCH": self._node_patch,
                                 "DELETE": self._node_delete}),
            ("v1/interface/", {"GET": self._lister("interfaces", self._v1_interface)}),
            ("v1/interface/%s/" % u, {"GET": self._getter("interfaces", self._v1_interface)}),
            ("v1/link/", {"GET": self._lister("links", self._v1_link), "POST": self._link_create}),
            ("v1/link/%s/" % u, {"GET": self._getter("links", self._v1_link), "DELETE": self._link_delete}),
            ("v1/permission/", {"GET": self._lister("permissions", self._v1_permission),
                                "POST": self._permission_create}),
            ("v1/permission/%s/" % u, {"GET": self._getter("permissions", self._v1_permission),
                                       "DELETE": self._permission_delete}),
            ("v1/demo/", {"GET": self._lister("demos", self._v1_demo)}),
            ("v1/demo/%s/" % u, {"GET": self._getter("demos", self._v1_demo)}),
            ("v1/simulation/", {"GET": self._sim_lister(self._v1_sim), "POST": self._v1_sim_create}),
            ("v1/simulation/%s/" % u, {"GET": self._getter("simulations", self._v1_sim),
                                       "PATCH": self._sim_patcher(self._v1_sim)}),
            ("v1/simulation/%s/control/" % u, {"POST": self._v1_sim_control}),
            ("v1/simulation-node/", {"GET": self._lister("simulation_nodes", self._v1_sim_node)}),
            ("v1/simulation-node/%s/" % u, {"GET": self._getter("simulation_nodes", self._v1_sim_node)}),
            ("v1/simulation-node/%s/control/" % u, {"POST": self._sim_node_control}),
            ("v1/simulation-node/%s/instructions/" % u, {"GET": self._instructions_list,
                                                         "POST": self._instructions_create,
                                                         "DELETE": self._instructions_delete}),
            ("v1/simulation-interface/", {"GET": self._lister("simulation_interfaces", self._v1_sim_interface)}),
            ("v1/simulation-interface/%s/" % u, {"GET": self._getter("simulation_interfaces",
                                                                     self._v1_sim_interface)}),
            ("v1/service/", {"GET": self._lister("services", self._v1_service),
                             "POST": lambda req: self._service_create(req, v2=False)}),
            ("v1/service/%s/" % u, {"GET": self._getter("services", self._v1_service),
                                    "DELETE": self._service_delete}),
            ("v1/image/", {"GET": self._lister("images", self._v1_image)}),
            ("v1/image/%s/" % u, {"GET": self._getter("images", self._v1_image)}),
            ("v1/worker/", {"GET": self._lister("workers", self._v1_worker)}),
            ("v1/worker/%s/" % u, {"GET": self._getter("workers", self._v1_worker)}),
            # ----- v2 (air.md 6.2; the singular paths are the legacy ones the v1 SDK calls) -----
            ("v2/simulation/", {"POST": self._v2_sim_create_from_dot}),
            ("v2/simulation/%s/preferences/" % u, {"GET": self._prefs_get, "PATCH": self._prefs_patch,
                                                   "PUT": self._prefs_put}),
            ("v2/simulations/", {"GET": self._sim_lister(self._v2_sim, v2=True), "POST": self._v2_sim_create_blank}),
            ("v2/simulations/import/", {"POST": self._v2_sim_import}),
            ("v2/simulations/%s/" % u, {"GET": self._getter("simulations", self._v2_sim),
                                        "PATCH": self._sim_patcher(self._v2_sim), "DELETE": self._v2_sim_delete}),
            ("v2/simulations/%s/export/" % u, {"GET": self._v2_sim_export}),
            ("v2/simulations/%s/(?P<action>load|store|rebuild|extend|duplicate)/" % u, {"POST": self._v2_sim_action}),
            ("v2/simulations/nodes/", {"GET": self._lister("simulation_nodes", self._v2_node, v2=True)}),
            ("v2/simulations/nodes/%s/" % u, {"GET": self._getter("simulation_nodes", self._v2_node)}),
            ("v2/simulations/nodes/%s/control/" % u, {"POST": self._v2_node_control}),
            ("v2/simulations/nodes/%s/instructions/" % u, {"POST": self._v2_instructions_create}),
            ("v2/jobs/", {"GET": self._lister("jobs", self._v2_job, v2=True)}),
            ("v2/jobs/%s/" % u, {"GET": self._getter("jobs", self._v2_job)}),
            ("v2/marketplace-demos/", {"GET": self._lister("demos", self._v2_demo, v2=True)}),
            ("v2/marketplace-demos/%s/" % u, {"GET": self._getter("demos", self._v2_demo)}),
            ("v2/simulations/nodes/%s/cloud-init/" % u, {"GET": self._cloud_init_get,
                                                         "PATCH": self._cloud_init_patch}),
            ("v2/simulations/nodes/interfaces/", {"GET": self._lister("simulation_interfaces", self._v2_interface,
                                                                      v2=True)}),
            ("v2/simulations/nodes/interfaces/%s/" % u, {"GET": self._getter("simulation_interfaces",
                                                                             self._v2_interface)}),
            ("v2/simulations/nodes/interfaces/links/", {"GET": self._v2_link_list}),
            ("v2/simulations/nodes/interfaces/links/%s/" % u, {"GET": self._getter("simulation_links",
                                                                                   self._v2_link)}),
            ("v2/simulations/nodes/interfaces/services/", {"GET": self._lister("services", self._v2_service, v2=True),
                                                           "POST": lambda req: self._service_create(req, v2=True)}),
            ("v2/simulations/nodes/interfaces/services/%s/" % u, {"GET": self._getter("services", self._v2_service),
                                                                  "DELETE": self._service_delete}),
            ("v2/userconfigs/", {"GET": self._lister("userconfigs", self._v2_userconfig, v2=True),
                                 "POST": self._userconfig_create}),
            ("v2/userconfigs/%s/" % u, {"GET": self._getter("userconfigs", self._v2_userconfig),
                                        "PATCH": lambda req, id: self._userconfig_update(req, id, partial=True),
                                        "PUT": lambda req, id: self._userconfig_update(req, id, partial=False),
                                        "DELETE": self._userconfig_delete}),
            ("v2/organizations/", {"GET": self._lister("organizations", self._v2_org, v2=True)}),
            ("v2/organizations/%s/" % u, {"GET": self._getter("organizations", self._v2_org)}),
            ("v2/organization/%s/members/" % u, {"GET": self._v2_members}),
            ("v2/images/", {"GET": self._lister("images", self._v2_image, v2=True)}),
            ("v2/images/%s/" % u, {"GET": self._getter("images", self._v2_image)}),
        )
        return [(re.compile(pattern), methods) for pattern, methods in table]

    # =============================================================================================
    # lists: field-equality filters, ordering, v2 pagination (air.md 5)
    # =============================================================================================
    def _lister(self, collection, serialize, v2=False):
        return lambda req: self._list(req, self._state[collection].values(), serialize, v2)

    def _sim_lister(self, serialize, collection="simulations", v2=False):
        """A demo's snapshot (and its topology) is nobody's own: fetched by id only (air.md 7.5
        MarketplaceDemo.snapshot), never listed."""
        return lambda req: self._list(req, [s for s in self._state[collection].values()
                                            if not s.get("demo_snapshot")], serialize, v2)

    def _getter(self, collection, serialize):
        return lambda req, id: Response(200, serialize(req, self._find(collection, id)))

    def _list(self, req, records, serialize, v2=False):
        items = [serialize(req, record) for record in records]
        items = [item for item in items if all(_matches(item, k, v) for k, v in req.query.items()
                                               if k not in LIST_PARAMETERS)]
        for key in reversed([k for k in req.query.get("ordering", "").split(",") if k]):
            name = key.lstrip("-")
            items.sort(key=lambda item: (item.get(name) is not None, item.get(name)), reverse=key.startswith("-"))
        return Response(200, self._paginate(req, items) if v2 else items)

    def _paginate(self, req, items):
        """DRF LimitOffsetPagination; ``next``/``previous`` are absolute and keep the filters (air.md 5)."""
        limit = _positive(req.query.get("limit"), DEFAULT_PAGE_LIMIT)
        offset = _positive(req.query.get("offset"), 0, zero=True)

        def page_url(new_offset):
            params = dict(req.query, limit=str(limit), offset=str(new_offset))
            if new_offset <= 0:
                del params["offset"]  # DRF removes offset for the first page
            return "%s%s?%s" % (req.base_url, req.path, "&".join(
                "%s=%s" % (k, quote(str(v), safe="")) for k, v in sorted(params.items())))

        return {"count": len(items),
                "next": page_url(offset + limit) if offset + limit < len(items) else None,
                "previous": page_url(max(offset - limit, 0)) if offset > 0 else None,
                "results": items[offset:offset + limit]}

    # =============================================================================================
    # representations. v1: relations are absolute URLs (the SDK takes url.split('/')[6], air.md 3.6);
    # v2: bare uuid4 strings, every non-Optional dataclass field present (air.md 3.7)
    # =============================================================================================
    @staticmethod
    def _url(req, resource, id):
        return None if id is None else "%s/api/v1/%s/%s/" % (req.base_url, resource, id)

    def _v1_account(self, req, account):
        return {"url": self._url(req, "account", account["id"]), "id": account["id"],
                "username": account["username"], "created": iso(account["created"])}

    def _v1_token(self, req, token):
        return {"url": self._url(req, "api-token", token["id"]), "id": token["id"], "name": token["name"],
                "created": iso(token["created"]), "expiry": token["expiry"] and iso(token["expiry"])}

    def _members(self, org):
        return [{"id": self._account_named(username)["id"], "username": username, "roles": list(roles)}
                for username, roles in org["members"].items()]

    def _v1_org(self, req, org):
        return {"url": self._url(req, "organization", org["id"]), "id": org["id"], "name": org["name"],
                "members": self._members(org), "created": iso(org["created"]), "modified": iso(org["modified"])}

    def _v2_org(self, req, org):
        return {"id": org["id"], "name": org["name"], "member_count": len(org["members"]),
                "resource_budget": org["resource_budget"]}

    def _v2_members(self, req, id):
        org = self._find("organizations", id)
        members = [dict(member, resource_budget=org["resource_budget"]) for member in self._members(org)]
        return self._list(req, members, lambda req, member: member, v2=True)

    def _v1_sshkey(self, req, key):
        return {"url": self._url(req, "sshkey", key["id"]), "id": key["id"], "name": key["name"],
                "fingerprint": key["fingerprint"], "account": self._url(req, "account", key["account"]),
                "created": iso(key["created"])}

    def _image_fields(self, image):
        return {"id": image["id"], "name": image["name"], "version": image["version"],
                "default_username": image["default_username"], "default_password": image["default_password"],
                "cpu_arch": "x86", "agent_enabled": True, "archived": False, "bios": None, "bus": "virtio",
                "console_support": {"serial": True, "visual": True, "default": "serial"}, "features": {},
                "minimum_resources": dict(image["minimum_resources"]), "mountpoint": None, "notes": None,
                "organization": None, "organization_name": None, "published": True, "provider": "VM",
                "release_notes": None, "simx": None, "size": 2147483648, "upload_status": "COMPLETE",
                "uploader": None, "uploader_username": None, "user_manual": None, "can_edit": False,
                "created": iso(image["created"]), "modified": iso(image["modified"])}

    def _v1_image(self, req, image):
        return dict(self._image_fields(image), url=self._url(req, "image", image["id"]))

    def _v2_image(self, req, image):
        return self._image_fields(image)

    def _v1_worker(self, req, worker):
        return {"url": self._url(req, "worker", worker["id"]), "id": worker["id"], "fqdn": worker["fqdn"],
                "ip_address": worker["ip_address"], "port_range": worker["port_range"],
                "cpu_arch": worker["cpu_arch"], "available": worker["available"], "contact": worker["contact"],
                "created": iso(worker["created"]), "modified": iso(worker["modified"])}

    def _v1_topology(self, req, topo):
        nodes = self._where("nodes", topology=topo["id"])
        return {"url": self._url(req, "topology", topo["id"]), "id": topo["id"], "name": topo["name"],
                "organization": self._url(req, "organization", topo["organization"]),
                "documentation": topo["documentation"], "diagram_url": None,
                "nodes": [self._url(req, "node", n["id"]) for n in nodes],
                "links": [self._url(req, "link", link["id"]) for link in self._where("links", topology=topo["id"])],
                "created": iso(topo["created"]), "modified": iso(topo["modified"])}

    def _node_interfaces(self, node_id):
        return sorted(self._where("interfaces", node=node_id), key=lambda i: i["index"])

    def _v1_node(self, req, node):
        # air.md 7.2 (D1 sample): interfaces inline as {url,id,name,mac_address,outbound,index}
        return {"url": self._url(req, "node", node["id"]), "id": node["id"], "name": node["name"],
                "topology": self._url(req, "topology", node["topology"]),
                "os": self._url(req, "image", node["os"]), "cpu": node["cpu"], "memory": node["memory"],
                "storage": node["storage"], "function": node["function"],
                "interfaces": [{"url": self._url(req, "interface", i["id"]), "id": i["id"], "name": i["name"],
                                "mac_address": i["mac_address"], "outbound": i["outbound"], "index": i["index"]}
                               for i in self._node_interfaces(node["id"])]}

    def _v1_interface(self, req, iface):
        return {"url": self._url(req, "interface", iface["id"]), "id": iface["id"], "name": iface["name"],
                "mac_address": iface["mac_address"], "outbound": iface["outbound"], "index": iface["index"],
                "node": self._url(req, "node", iface["node"]), "connection": self._url(req, "link", iface["link"])}

    def _v1_link(self, req, link):
        return {"url": self._url(req, "link", link["id"]), "id": link["id"],
                "topology": self._url(req, "topology", link["topology"]),
                "interfaces": [self._url(req, "interface", i) for i in link["interfaces"]]}

    def _node_list(self, req):
        """v1 node/ also filters by ``simulation`` (the nodes of its topology): the SDK's service
        'node:interface' resolution relies on it (air.md 5, S:service.py)."""
        records = self._state["nodes"].values()
        if "simulation" in req.query:
            sim = self._state["simulations"].get(str(ref_id(req.query["simulation"])).lower())
            records = [n for n in records if sim and n["topology"] == sim["topology"]]
        return self._list(req, records, self._v1_node)

    def _sim_common(self, sim):
        org = self._state["organizations"].get(sim["organization"])
        return {"id": sim["id"], "title": sim["title"], "state": sim["state"], "sleep": sim["sleep"],
                "sleep_at": iso(sim["sleep_at"]), "expires": sim["expires"], "expires_at": iso(sim["expires_at"]),
                "owner": self._state["accounts"][sim["owner"]]["username"], "cloned": sim["cloned"],
                "created": iso(sim["created"]), "modified": iso(sim["modified"]),
                "documentation": sim["documentation"], "metadata": sim["metadata"], "write_ok": True,
                "organization_name": org["name"] if org else None}

    def _v1_sim(self, req, sim):
        return dict(self._sim_common(sim), url=self._url(req, "simulation", sim["id"]),
                    organization=self._url(req, "organization", sim["organization"]),
                    preferred_worker=self._url(req, "worker", sim["preferred_worker"]),
                    topology=self._url(req, "topology", sim["topology"]),
                    nodes=[self._url(req, "simulation-node", n["id"])
                           for n in self._where("simulation_nodes", simulation=sim["id"])],
                    services=[self._url(req, "service", s["id"])
                              for s in self._where("services", simulation=sim["id"])])

    def _v2_sim(self, req, sim):
        topo = self._state["topologies"].get(sim["topology"]) or {}
        # oob_auto_enabled: observed on v2 simulations (air.md 7.1); true when the topology got the OOB network
        return dict(self._sim_common(sim), organization=sim["organization"], oob_auto_enabled=bool(topo.get("oob")),
                    preferred_worker=sim["preferred_worker"],
                    node_count=len(self._where("simulation_nodes", simulation=sim["id"])))

    def _console(self, node):
        worker = self._state["workers"].get(node["worker"])
        return {"console_port": node["console_port"], "serial_port": node["serial_port"],
                # [INFERRED] form: the console is served by the node's worker on console_port
                "console_url": "wss://%s:%d" % (worker["fqdn"], node["console_port"]) if worker else None,
                "console_username": node["console_username"], "console_password": node["console_password"]}

    def _node_metadata(self, node):
        return json.dumps({"mgmt_ip": node["mgmt_ip"], "mgmt_mac": node["mgmt_mac"]})  # air.md 7.3

    def _v1_sim_node(self, req, node):
        return dict(self._console(node), url=self._url(req, "simulation-node", node["id"]), id=node["id"],
                    name=node["name"], simulation=self._url(req, "simulation", node["simulation"]),
                    original=self._url(req, "node", node["original"]), state=node["state"],
                    interfaces=[self._url(req, "simulation-interface", i["id"])
                                for i in self._sim_node_interfaces(node["id"])],
                    os=self._url(req, "image", node["os"]), cpu=node["cpu"], memory=node["memory"],
                    storage=node["storage"], worker=self._url(req, "worker", node["worker"]),
                    metadata=self._node_metadata(node), created=iso(node["created"]),
                    modified=iso(node["modified"]))

    def _v2_node(self, req, node):
        return dict(self._console(node), id=node["id"], name=node["name"], created=iso(node["created"]),
                    modified=iso(node["modified"]), simulation=node["simulation"], os=node["os"],
                    state=node["state"], memory=node["memory"], storage=node["storage"], cpu=node["cpu"],
                    version=1, features="{}", simx_ipv4=None, worker=node["worker"], system=None, boot_group=50,
                    metadata=self._node_metadata(node), pos_x=0.0, pos_y=0.0)  # floats: air.md 3.7

    def _sim_node_interfaces(self, node_id):
        return sorted(self._where("simulation_interfaces", node=node_id), key=lambda i: i["index"])

    def _v1_sim_interface(self, req, iface):
        return {"url": self._url(req, "simulation-interface", iface["id"]), "id": iface["id"],
                "name": iface["name"], "simulation": self._url(req, "simulation", iface["simulation"]),
                "node": self._url(req, "simulation-node", iface["node"]),
                "original": self._url(req, "interface", iface["original"]), "link_up": iface["link"] is not None,
                "services": [self._url(req, "service", s["id"]) for s in self._where("services", interface=iface["id"])],
                "internal_ipv4": None, "prefix_ipv6": None, "full_ipv6": None,
                "mac_address": iface["mac_address"], "outbound": iface["outbound"]}

    def _v2_interface(self, req, iface):
        link = self._state["simulation_links"].get(iface["link"])
        return {"id": iface["id"], "name": iface["name"], "link_up": link is not None, "internal_ipv4": None,
                "full_ipv6": None, "prefix_ipv6": None,
                "interface_type": "OOB_INTF" if link and link["auto_oob"] else "DATA_PLANE_INTF",
                "port_number": iface["index"], "preserve_mac": False, "outbound": iface["outbound"],
                "mac_address": iface["mac_address"], "node": iface["node"], "simulation": iface["simulation"],
                "link": iface["link"]}

    def _v2_link(self, req, link):
        return {"id": link["id"], "simulation_interfaces": list(link["interfaces"])}

    def _v2_link_list(self, req):
        """The v2 SDK always passes ``simulation``; ``ids`` is a comma-separated filter (air.md 5)."""
        if not req.query.get("simulation"):
            raise ApiError(400, {"simulation": REQUIRED})
        links = self._where("simulation_links", simulation=str(req.query["simulation"]).lower())
        if req.query.get("ids"):
            wanted = set(req.query["ids"].split(","))
            links = [link for link in links if link["id"] in wanted]
        return self._list(req, links, self._v2_link, v2=True)

    def _service_fields(self, service):
        return {"id": service["id"], "name": service["name"], "dest_port": service["dest_port"],
                "src_port": service["src_port"], "service_type": service["service_type"],
                "host": service["host"], "created": iso(service["created"]), "modified": iso(service["modified"])}

    def _v1_service(self, req, service):
        """air.md 7.3 (D1 sample): plus link, node_name, interface_name, os_default_username."""
        iface = self._state["simulation_interfaces"][service["interface"]]
        node = self._state["simulation_nodes"][iface["node"]]
        username = self._state["images"][node["os"]]["default_username"]
        links = {"ssh": "ssh://%s@%s:%d" % (username, service["host"], service["src_port"]),
                 "http": "http://%s:%d" % (service["host"], service["src_port"]),
                 "https": "https://%s:%d" % (service["host"], service["src_port"])}
        return dict(self._service_fields(service), url=self._url(req, "service", service["id"]),
                    simulation=self._url(req, "simulation", service["simulation"]),
                    interface=self._url(req, "simulation-interface", service["interface"]),
                    link=links.get(service["service_type"], ""), node_name=node["name"],
                    interface_name=iface["name"], os_default_username=username)

    def _v2_service(self, req, service):
        return dict(self._service_fields(service), interface=service["interface"],
                    simulation=service["simulation"])

    def _v2_userconfig(self, req, config):
        return {"id": config["id"], "name": config["name"], "kind": config["kind"], "owner": config["owner"],
                "owner_budget": None, "organization": config["organization"], "organization_budget": None,
                "content": config["content"]}

    # =============================================================================================
    # login, accounts, API tokens (air.md 2, 6.1)
    # =============================================================================================
    def _login(self, req):
        body = req.body if isinstance(req.body, dict) else {}  # JSON or form fields (air.md 2.1)
        account = self._account_named(body.get("username"))
        if account is None or not self._password_ok(account, body.get("password")):
            # air.md 2.1: the real status is unknown; the only observation (nvair-cli's notes) says 401.
            # Either way the SDKs raise (login runs without re-auth): 401 -> AirUnexpectedResponse.
            raise ApiError(401, {"detail": "Invalid username or password."}, {"WWW-Authenticate": 'Bearer realm="api"'})
        return Response(200, {"result": "OK", "message": "Successfully logged in.", "token": self._issue(account)})

    def _password_ok(self, account, password):
        if not isinstance(password, str) or not password:
            return False
        if account["password"] is not None and hmac.compare_digest(account["password"], password):
            return True
        now = self.clock.now()
        return any(hmac.compare_digest(t["token"], password) and (t["expiry"] is None or t["expiry"] > now)
                   for t in self._where("api_tokens", account=account["id"]))

    def _whoami(self, req):
        return Response(200, {"id": req.user["id"], "username": req.user["username"]})  # air.md 2.2

    def _token_list(self, req):
        return self._list(req, self._where("api_tokens", account=req.user["id"]), self._v1_token)

    def _token_create(self, req):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        expiry = as_datetime("expiry", body["expiry"]) if body.get("expiry") is not None else None
        token = self._put("api_tokens", {"name": name, "token": "air-" + base64.b32encode(os.urandom(20)).decode(),
                                         "account": req.user["id"], "created": self.clock.now(), "expiry": expiry})
        # air.md 7.5: the secret is shown in the create response only
        return Response(201, dict(self._v1_token(req, token), token=token["token"]))

    def _token_delete(self, req, id):
        token = self._find("api_tokens", id)
        if token["account"] != req.user["id"]:
            raise ApiError(404, NOT_FOUND)
        del self._state["api_tokens"][token["id"]]
        return Response(204)

    # =============================================================================================
    # organizations (air.md 6.1, 7.5, 10)
    # =============================================================================================
    def _member_entries(self, members):
        """[{username, roles?}] -> {username: roles}; an unknown username gets an account (an invitation)."""
        entries = {}
        for member in members if isinstance(members, list) else [members]:
            member = as_object(member)
            username = as_str("username", required(member, "username"), blank=False)
            roles = member.get("roles") or [ORG_MEMBER]  # S:organization.py: the default role
            if not isinstance(roles, list):
                raise bad("roles", 'Expected a list of items but got type "%s".' % type(roles).__name__)
            entries[username] = [as_choice("roles", role, ORG_ROLES) for role in roles]
        for username in entries:
            if self._account_named(username) is None:
                self._new_account(username)
        return entries

    def _org_create(self, req):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        # S:organization.py: without a member list the caller becomes the organization admin
        members = self._member_entries(body["members"]) if body.get("members") else {req.user["username"]: [ORG_ADMIN]}
        now = self.clock.now()
        org = self._put("organizations", {"name": name, "members": members, "resource_budget": new_id(),
                                          "created": now, "modified": now})
        return Response(201, self._v1_org(req, org))

    def _org_patch(self, req, id):
        org = self._find("organizations", id)
        body = as_object(req.body)
        reject_fields(body, ("name",), ("id", "url", "members", "created", "modified"))
        if "name" in body:
            org["name"] = as_str("name", body["name"], blank=False)
        org["modified"] = self.clock.now()
        return Response(200, self._v1_org(req, org))

    def _org_delete(self, req, id):
        org = self._find("organizations", id)
        for collection in ("simulations", "topologies", "userconfigs"):  # [INFERRED] SET_NULL
            for record in self._where(collection, organization=org["id"]):
                record["organization"] = None
        del self._state["organizations"][org["id"]]
        return Response(204)

    def _members_add(self, req, id):
        """POST one {username, roles} or a list of them (S:organization.py); the SDK checks no status."""
        org = self._find("organizations", id)
        entries = self._member_entries(req.body)
        org["members"].update(entries)
        org["modified"] = self.clock.now()
        return Response(201, [m for m in self._members(org) if m["username"] in entries])

    def _members_remove(self, req, id):
        org = self._find("organizations", id)
        username = as_str("username", required(as_object(req.body), "username"))
        if org["members"].pop(username, None) is None:
            raise ApiError(404, NOT_FOUND)
        org["modified"] = self.clock.now()
        return Response(204)

    # =============================================================================================
    # SSH keys (air.md 7.5, 10)
    # =============================================================================================
    def _sshkey_list(self, req):
        return self._list(req, self._where("sshkeys", account=req.user["id"]), self._v1_sshkey)

    def _sshkey_create(self, req):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        fingerprint = ssh_fingerprint(required(body, "public_key"))
        # air.md 4.3: "409 when an ssh key already exists" (third-party, unverified). We read it as the
        # same key material for this account; names are not unique (like simulation titles, air.md 10).
        if self._where("sshkeys", account=req.user["id"], fingerprint=fingerprint):
            raise ApiError(409, {"public_key": ["This SSH key already exists."]})
        key = self._put("sshkeys", {"name": name, "fingerprint": fingerprint, "public_key": body["public_key"],
                                    "account": req.user["id"], "created": self.clock.now()})
        return Response(201, self._v1_sshkey(req, key))  # public_key is write-only

    def _sshkey_delete(self, req, id):
        key = self._find("sshkeys", id)
        if key["account"] != req.user["id"]:
            raise ApiError(404, NOT_FOUND)
        del self._state["sshkeys"][key["id"]]
        return Response(204)

    # =============================================================================================
    # topologies (air.md 7.2, 8.5)
    # =============================================================================================
    def _topology_create(self, req):
        """A raw DOT body (Content-type: text/vnd.graphviz) or a JSON object (air.md 8.5 content + name)."""
        if req.content_type == "text/vnd.graphviz" or isinstance(req.body, str):
            spec = self._parse_dot(req.body or "", "non_field_errors")
            name, organization = spec["name"], None
            if not name:
                raise ApiError(400, {"non_field_errors": ["The DOT graph needs a name."]})
        else:
            body = as_object(req.body)
            name = as_str("name", required(body, "name"), blank=False)
            organization = self._fk("organizations", "organization", body.get("organization"))
            spec = self._spec(lambda: spec_from_json(body), "non_field_errors")
        topo = self._build(spec, name, organization, private=False, field="non_field_errors")
        return Response(201, self._v1_topology(req, topo))

    def _topology_patch(self, req, id):
        topo = self._find("topologies", id)
        body = as_object(req.body)
        reject_fields(body, ("name", "documentation", "organization"),
                      ("id", "url", "nodes", "links", "diagram_url", "created", "modified"))
        changes = {}
        if "name" in body:
            changes["name"] = as_str("name", body["name"], blank=False)
        if "documentation" in body:
            changes["documentation"] = as_str("documentation", body["documentation"], null=True)
        if "organization" in body:
            org = self._fk("organizations", "organization", body["organization"])
            changes["organization"] = org and org["id"]
        topo.update(changes, modified=self.clock.now())
        return Response(200, self._v1_topology(req, topo))

    def _topology_delete(self, req, id):
        topo = self._find("topologies", id)
        users = self._where("simulations", topology=topo["id"])
        if users:  # [INFERRED] PROTECT: a topology in use is not deleted under its simulations
            raise ApiError(400, {"non_field_errors": ["The topology is used by %d simulation(s)." % len(users)]})
        self._delete_topology(topo)
        return Response(204)

    def _delete_topology(self, topo):
        for node in self._where("nodes", topology=topo["id"]):
            for iface in self._where("interfaces", node=node["id"]):
                del self._state["interfaces"][iface["id"]]
            del self._state["nodes"][node["id"]]
        for link in self._where("links", topology=topo["id"]):
            del self._state["links"][link["id"]]
        del self._state["topologies"][topo["id"]]

    @staticmethod
    def _spec(parse, field):
        try:
            return parse()
        except TopologyError as err:
            raise ApiError(400, {err.field or field: [str(err)]}) from None

    def _parse_dot(self, text, field):
        return self._spec(lambda: DotParser(text).parse(), field)

    def _build(self, spec, name, organization, private, field):
        try:
            return self._build_topology(spec, name, organization, private)
        except TopologyError as err:
            raise ApiError(400, {err.field or field: [str(err)]}) from None

    def _build_topology(self, spec, name, organization, private):
        """Create topology, nodes, interfaces and links from a spec; all or nothing."""
        self._check_spec(spec)
        now = self.clock.now()
        topo = self._put("topologies", {"name": name, "organization": organization and organization["id"],
                                        "documentation": None, "oob": spec["oob"], "private": private,
                                        "created": now, "modified": now})
        try:
            self._populate(topo, spec)
        except TopologyError:
            self._delete_topology(topo)
            raise
        return topo

    def _populate(self, topo, spec):
        nodes = {}

        def node(node_name, attrs=None, auto=False):
            if node_name not in nodes:
                nodes[node_name] = self._new_node(topo, node_name, attrs or {}, auto)
            return nodes[node_name]

        def iface(node_name, ifname, mac=None):
            owner = node(node_name)
            existing = next((i for i in self._where("interfaces", node=owner["id"]) if i["name"] == ifname), None)
            return existing or self._put("interfaces", {
                "node": owner["id"], "name": ifname, "mac_address": mac or self._mac(), "outbound": False,
                "index": len(self._where("interfaces", node=owner["id"])), "link": None})

        def connect(end_a, end_b, auto=False):
            a, b = iface(*end_a), iface(*end_b)
            link = self._put("links", {"topology": topo["id"], "interfaces": [a["id"], b["id"]], "auto_oob": auto})
            a["link"] = b["link"] = link["id"]

        for node_name, attrs in spec["nodes"].items():
            node(node_name, attrs)
        for end_a, end_b in spec["links"]:
            if end_b == EXIT:
                iface(*end_a)["outbound"] = True
            else:
                connect(end_a, end_b)
        if spec["oob"]:
            self._add_oob(nodes, node, iface, connect)

    @staticmethod
    def _check_spec(spec):
        """Refuse a topology before creating anything: an interface in two links, a link to itself."""
        seen = set()
        for link in spec["links"]:
            ends = [(end[0], end[1]) for end in link if end != EXIT]
            if len(ends) == 2 and ends[0] == ends[1]:
                raise TopologyError("A link cannot connect %s:%s to itself." % ends[0], "links")
            for end in ends:
                if end in seen:
                    raise TopologyError("Interface %s:%s is in more than one link." % end, "links")
                seen.add(end)

    def _add_oob(self, nodes, node, iface, connect):
        """air.md 8.5 ``oob`` (default on): an oob-mgmt-server and oob-mgmt-switch; [INFERRED] layout of
        Air's reference topologies: server eth0 outbound, server eth1 and every node's eth0 on switch swpN."""
        members = [n for n in nodes if n not in ("oob-mgmt-server", "oob-mgmt-switch")]
        node("oob-mgmt-server", {"os": OOB_SERVER_IMAGE, "function": "oob-server"}, auto=True)
        node("oob-mgmt-switch", {"os": OOB_SWITCH_IMAGE, "function": "oob-switch"}, auto=True)
        iface("oob-mgmt-server", "eth0")["outbound"] = True
        ports = (("oob-mgmt-switch", "swp%d" % n, None) for n in itertools.count(1))
        for name, ifname in [("oob-mgmt-server", "eth1")] + [(n, "eth0") for n in members]:
            if iface(name, ifname)["link"] is None:
                port = next(p for p in ports if iface(*p)["link"] is None)
                connect((name, ifname, None), port, auto=True)

    def _new_node(self, topo, name, attrs, auto):
        attrs = dict(attrs)
        image = self._image(attrs.pop("os", DEFAULT_IMAGE), "nodes")  # [INFERRED] default image
        minimum = image["minimum_resources"]

        def resource(key):
            try:
                return as_int(key, attrs.pop(key, minimum[key]), minimum=1)
            except ApiError:
                raise TopologyError('Node "%s": %s must be a positive integer.' % (name, key), "nodes") from None

        return self._put("nodes", {"topology": topo["id"], "name": name, "os": image["id"], "cpu": resource("cpu"),
                                   "memory": resource("memory"), "storage": resource("storage"),
                                   "function": attrs.pop("function", None), "attrs": attrs, "auto_oob": auto,
                                   "created": self.clock.now()})

    # =============================================================================================
    # simulations: create, update, control (air.md 7.1, 8)
    # =============================================================================================
    def _sim_changes(self, body, allowed, strict):
        """Validated simulation fields from ``body``. Create ignores other keys (DRF); PATCH rejects them."""
        if strict:
            reject_fields(body, allowed, SIM_READ_ONLY)
        converters = {
            "title": lambda v: as_str("title", v, blank=False),
            "sleep": lambda v: as_bool("sleep", v), "expires": lambda v: as_bool("expires", v),
            "sleep_at": lambda v: as_datetime("sleep_at", v), "expires_at": lambda v: as_datetime("expires_at", v),
            "documentation": lambda v: as_str("documentation", v, null=True),
            "metadata": lambda v: as_str("metadata", v, null=True),
            "preferred_worker": lambda v: (self._fk("workers", "preferred_worker", v) or {}).get("id"),
            "organization": lambda v: (self._fk("organizations", "organization", v) or {}).get("id"),
            "owner": self._owner,
        }
        return converted_fields(body, allowed, converters)

    def _owner(self, username):
        account = self._account_named(username)
        if account is None:
            raise bad("owner", "Object with username=%s does not exist." % username)
        return account["id"]

    def _new_simulation(self, req, topo, changes, title=None, organization=None):
        now = self.clock.now()
        sim = self._put("simulations", {
            "title": title or topo["name"], "topology": topo["id"], "organization": organization or topo["organization"],
            "owner": req.user["id"], "state": "NEW",
            "sleep": True, "sleep_at": now + SLEEP_AFTER, "expires": True, "expires_at": now + EXPIRE_AFTER,
            "created": now, "modified": now, "documentation": None, "metadata": None, "preferred_worker": None,
            "cloned": False, "worker": None, "due": None, "destroy_at": None, "preferences": {}, "ztp": None})
        sim.update(changes)
        self._instantiate(sim)
        return sim

    def _instantiate(self, sim):
        """Simulation nodes/interfaces/links from the topology, tied by ``original`` (air.md 9.9)."""
        now = self.clock.now()
        nodes = sorted(self._where("nodes", topology=sim["topology"]), key=lambda n: n["created"])
        first_ip = ipaddress.IPv4Address("192.168.200.2")  # [INFERRED] Air's OOB subnet, server on .1
        mgmt_ips = {node["id"]: str(first_ip + number)
                    for number, node in enumerate(n for n in nodes if n["name"] != "oob-mgmt-server")}
        for node in nodes:
            image = self._state["images"][node["os"]]
            ifaces = self._node_interfaces(node["id"])
            eth0 = next((i for i in ifaces if i["name"] == "eth0"), None)
            sim_node = self._put("simulation_nodes", {
                "simulation": sim["id"], "original": node["id"], "name": node["name"], "state": "SHUTOFF",
                "os": node["os"], "cpu": node["cpu"], "memory": node["memory"], "storage": node["storage"],
                "worker": None, "console_port": None, "serial_port": None,
                "console_username": image["default_username"], "console_password": image["default_password"],
                "mgmt_ip": mgmt_ips.get(node["id"], "192.168.200.1"),
                "mgmt_mac": eth0["mac_address"] if eth0 else self._mac(),
                "instructions": [], "user_data": None, "meta_data": None, "created": now, "modified": now})
            for iface in ifaces:
                self._put("simulation_interfaces", {
                    "simulation": sim["id"], "node": sim_node["id"], "original": iface["id"], "name": iface["name"],
                    "mac_address": iface["mac_address"], "outbound": iface["outbound"], "index": iface["index"],
                    "link": None})
        for link in self._where("links", topology=sim["topology"]):
            ends = [next(iter(self._where("simulation_interfaces", simulation=sim["id"], original=i)))
                    for i in link["interfaces"]]
            sim_link = self._put("simulation_links", {"simulation": sim["id"], "original": link["id"],
                                                      "interfaces": [e["id"] for e in ends],
                                                      "auto_oob": link["auto_oob"]})
            for end in ends:
                end["link"] = sim_link["id"]

    def _v1_sim_create(self, req):
        body = as_object(req.body)
        topo = self._fk("topologies", "topology", body.get("topology"), null=False)
        changes = self._sim_changes(body, SIM_CREATE_FIELDS, strict=False)
        return Response(201, self._v1_sim(req, self._new_simulation(req, topo, changes)))

    def _v2_sim_create_from_dot(self, req):
        """POST /api/v2/simulation/ {topology_data: DOT, ...} (air.md 8.5 way 2, the v1 SDK's topology_data)."""
        body = as_object(req.body)
        text = as_str("topology_data", required(body, "topology_data"))
        if body.get("topology_data_type", "dot") != "dot":  # air.md 8.5: collectx/ibdiagnet2 are not emulated
            raise bad("topology_data_type", '"%s" is not a valid choice.' % body["topology_data_type"])
        changes = self._sim_changes(body, SIM_CREATE_FIELDS, strict=False)
        spec = self._parse_dot(text, "topology_data")
        title = changes.get("title") or spec["name"]
        if not title:
            raise ApiError(400, {"title": REQUIRED})
        topo = self._build(spec, title, None, private=True, field="topology_data")
        sim = self._new_simulation(req, topo, changes, title=title)
        topo["organization"] = sim["organization"]
        # a v2 path answers with the v2 representation (bare uuids); the v1 SDK reads either
        return Response(201, self._v2_sim(req, sim))

    def _v2_sim_create_blank(self, req):
        """POST simulations/ {title, ...} -> 201, a blank simulation (air.md 8.5 way 3, what the v2 SDK's
        simulations.create sends): an empty topology of its own, no nodes, so no OOB network (see OOB above)."""
        body = as_object(req.body)
        changes = self._sim_changes(body, SIM_CREATE_FIELDS, strict=False)
        title = changes.get("title") or required(body, "title")
        topo = self._build({"name": title, "nodes": {}, "links": [], "oob": False}, title, None, private=True,
                           field="title")
        sim = self._new_simulation(req, topo, changes, title=title)
        topo["organization"] = sim["organization"]
        return Response(201, self._v2_sim(req, sim))

    def _v2_sim_import(self, req):
        """POST simulations/import/ {title, format: JSON, content, organization?, ztp?} -> 201 (air.md 8.5 way 4)."""
        body = as_object(req.body)
        title = as_str("title", required(body, "title"), blank=False)
        as_choice("format", required(body, "format"), ("JSON",))
        content = required(body, "content")
        if isinstance(content, str):
            try:
                content = json.loads(content)
            except ValueError:
                raise bad("content", "Invalid JSON.") from None
        org = self._fk("organizations", "organization", body.get("organization"))
        ztp = as_str("ztp", body.get("ztp"), null=True)
        spec = self._spec(lambda: spec_from_json(content), "content")
        topo = self._build(spec, title, org, private=True, field="content")
        sim = self._new_simulation(req, topo, {}, title=title, organization=org and org["id"])
        sim["ztp"] = ztp
        return Response(201, {"id": sim["id"], "title": sim["title"], "organization": sim["organization"],
                              "organization_name": org["name"] if org else None})

    def _v2_sim_export(self, req, id):
        """GET {id}/export/?topology_format=JSON&image_ids=True|False (air.md 8.5): re-importable content."""
        sim = self._find("simulations", id)
        as_choice("topology_format", req.query.get("topology_format"), ("JSON",))
        use_ids = query_bool(req.query.get("image_ids", "false"))
        topo = self._state["topologies"][sim["topology"]]
        nodes = [n for n in self._where("nodes", topology=topo["id"]) if not n["auto_oob"]]
        content = {"nodes": {}, "links": [], "oob": topo["oob"]}
        for node in nodes:
            image = self._state["images"][node["os"]]
            attrs = {"os": image["id"] if use_ids else image["name"], "cpu": node["cpu"], "memory": node["memory"],
                     "storage": node["storage"]}
            if node["function"]:
                attrs["function"] = node["function"]
            content["nodes"][node["name"]] = dict(attrs, **node["attrs"])
            for iface in self._node_interfaces(node["id"]):
                if iface["outbound"]:
                    content["links"].append([{"node": node["name"], "interface": iface["name"]}, EXIT])
        for link in self._where("links", topology=topo["id"], auto_oob=False):
            content["links"].append([self._link_end(i) for i in link["interfaces"]])
        return Response(200, {"title": sim["title"], "format": "JSON", "organization": sim["organization"],
                              "content": content})

    def _link_end(self, iface_id):
        iface = self._state["interfaces"][iface_id]
        return {"node": self._state["nodes"][iface["node"]]["name"], "interface": iface["name"]}

    def _sim_patcher(self, serialize):
        def patch(req, id):
            sim = self._find("simulations", id)
            changes = self._sim_changes(as_object(req.body), SIM_UPDATE_FIELDS, strict=True)
            sim.update(changes, modified=self.clock.now())
            return Response(200, serialize(req, sim))
        return patch

    def _v2_sim_delete(self, req, id):
        self._action_destroy(req, self._find("simulations", id), {})
        return Response(204)

    def _v1_sim_control(self, req, id):
        """POST simulation/{id}/control/ {action, ...} -> 200 with the air.md 8.3 bodies."""
        sim = self._find("simulations", id)
        body = as_object(req.body)
        actions = {"load": self._action_load, "store": self._action_store, "destroy": self._action_destroy,
                   "duplicate": self._action_duplicate, "rebuild": self._action_rebuild,
                   "extend": self._action_extend}
        action = as_choice("action", required(body, "action"), actions)
        return Response(200, actions[action](req, sim, body))

    def _v2_sim_action(self, req, id, action):
        """POST simulations/{id}/<action>/ -> 200 + an object (air.md 8.4). The v1 bodies (8.3) are reused:
        the SDK only needs an object; duplicate answers {"simulation": {"id": ...}}."""
        sim = self._find("simulations", id)
        body = as_object(req.body)
        if action == "duplicate":
            clone = self._action_duplicate(req, sim, body)["simulation"]
            return Response(200, {"simulation": {"id": clone["id"]}})
        handler = {"load": self._action_load, "store": self._action_store, "rebuild": self._action_rebuild,
                   "extend": self._action_extend}[action]
        return Response(200, handler(req, sim, body))

    @staticmethod
    def _guard(sim, action, states):
        """[INFERRED] guards of air.md 8.2; a refused transition is a 400 with a DRF body."""
        if sim["destroy_at"] is not None:
            raise ApiError(400, {"non_field_errors": ["The simulation is being deleted."]})
        if states and sim["state"] not in states:
            raise ApiError(400, {"non_field_errors": ["Cannot %s a simulation in the %s state." % (action, sim["state"])]})

    def _action_load(self, req, sim, body):
        self._guard(sim, "load", ("NEW", "STORED"))
        now = self.clock.now()
        if sim["sleep_at"] <= now:  # [INFERRED] waking a slept simulation gives it a new sleep time
            sim["sleep_at"] = now + SLEEP_AFTER
        sim.update(state="LOADING", due=now + timedelta(seconds=self.load_seconds), modified=now)
        self._place(sim)
        return {"result": "success", "message": "Simulation starting!"}

    def _action_store(self, req, sim, body):
        self._guard(sim, "store", ("LOADED",))
        now = self.clock.now()
        sim.update(state="STORING", due=now + timedelta(seconds=self.store_seconds), modified=now)
        return {"result": "success", "message": "Simulation being stored!"}

    def _action_destroy(self, req, sim, body):
        """air.md 8.2: the transient state of a destroy is unknown. We keep the simulation for
        destroy_seconds in STORING (nv-air-sdk maps v3 PURGING to STORING, air.md 8.1), then it is gone
        (404). A second destroy meanwhile is a no-op."""
        if sim["destroy_at"] is None:
            now = self.clock.now()
            sim.update(state="STORING", due=None, destroy_at=now + timedelta(seconds=self.destroy_seconds),
                       modified=now)
            self._tick()
        return {"result": "success", "message": "Simulation stopping!"}

    def _action_duplicate(self, req, sim, body):
        self._guard(sim, "duplicate", None)
        start = as_bool("start", body.get("start", False))
        # a demo's snapshot never sleeps nor expires; its copy gets a new simulation's defaults (air.md 7.1)
        kept = ("documentation", "metadata") if sim.get("demo_snapshot") else (
            "sleep", "expires", "documentation", "metadata", "preferred_worker")
        changes = {k: sim[k] for k in kept}
        clone = self._new_simulation(req, self._state["topologies"][sim["topology"]], changes, title=sim["title"],
                                     organization=sim["organization"])
        clone["cloned"] = True
        if start:
            self._action_load(req, clone, {})
        return {"result": "success", "message": "Duplicated simulation starting!" if start else "Duplicated simulation",
                "simulation": self._v1_sim(req, clone)}  # the SDK requires the simulation key (air.md 8.3)

    def _action_rebuild(self, req, sim, body):
        self._guard(sim, "rebuild", ("LOADED",))
        return {"result": "success", "message": "Simulation starting!"}

    def _action_extend(self, req, sim, body):
        self._guard(sim, "extend", None)
        sim.update(sleep_at=sim["sleep_at"] + EXTEND_BY, modified=self.clock.now())
        return {"result": "success", "message": iso(sim["sleep_at"])}

    def _place(self, sim):
        """Put a loading simulation on a worker: worker and console/serial ports for its nodes."""
        worker = self._state["workers"].get(sim["preferred_worker"] or sim["worker"] or self.worker_id)
        sim["worker"] = worker["id"]
        for node in self._where("simulation_nodes", simulation=sim["id"]):
            if node["worker"] != worker["id"]:
                self._release_node_ports(node)
                node.update(worker=worker["id"], console_port=self._allocate_port(worker),
                            serial_port=self._allocate_port(worker))

    def _allocate_port(self, worker):
        low, high = (int(p) for p in worker["port_range"].split("-"))
        free = high - low + 1 - len(worker["used_ports"])
        if free <= 0:
            raise ApiError(503, {"detail": "No free port on worker %s." % worker["fqdn"]})
        while True:
            port = self._random.randint(low, high)
            if port not in worker["used_ports"]:
                worker["used_ports"].add(port)
                return port

    def _release_node_ports(self, node):
        worker = self._state["workers"].get(node["worker"])
        if worker:
            worker["used_ports"].difference_update({node["console_port"], node["serial_port"]})

    # ----- timers (air.md 8.2, 8.6), applied lazily on every request ----------------------------
    def _tick(self):
        now = self.clock.now()
        for sim in list(self._state["simulations"].values()):
            while sim["id"] in self._state["simulations"]:
                event = min(self._sim_events(sim), key=lambda e: e[0], default=None)
                if event is None or event[0] > now:
                    break
                event[1](sim, event[0])

    def _sim_events(self, sim):
        """(when, apply) pairs due for ``sim``; applied in time order so large clock steps replay correctly."""
        if sim["destroy_at"] is not None:
            yield sim["destroy_at"], self._remove_simulation
        if sim["expires"]:
            yield sim["expires_at"], self._remove_simulation
        if sim["due"] is not None:
            yield sim["due"], self._finish_transition
        if sim["state"] == "LOADED" and sim["sleep"]:
            yield sim["sleep_at"], self._fall_asleep

    def _finish_transition(self, sim, when):
        state, node_state = {"LOADING": ("LOADED", "RUNNING"), "STORING": ("STORED", "SHUTOFF")}[sim["state"]]
        sim.update(state=state, due=None, modified=when)
        for node in self._where("simulation_nodes", simulation=sim["id"]):
            node.update(state=node_state, modified=when)
            if node_state == "RUNNING":
                # the node's agent ran its instructions and deleted them to say so (air.md 8.7, A:agent.py)
                node["instructions"] = []

    def _fall_asleep(self, sim, when):
        sim.update(state="STORING", due=when + timedelta(seconds=self.store_seconds), modified=when)

    def _remove_simulation(self, sim, when):
        for service in self._where("services", simulation=sim["id"]):
            self._remove_service(service)
        for node in self._where("simulation_nodes", simulation=sim["id"]):
            self._release_node_ports(node)
            del self._state["simulation_nodes"][node["id"]]
        for collection in ("simulation_interfaces", "simulation_links"):
            for record in self._where(collection, simulation=sim["id"]):
                del self._state[collection][record["id"]]
        del self._state["simulations"][sim["id"]]
        topo = self._state["topologies"].get(sim["topology"])
        if topo and topo["private"] and not self._where("simulations", topology=topo["id"]):
            self._delete_topology(topo)  # made for this simulation (DOT or import): goes with it

    # ----- preferences (air.md 6.1, T: {"preferences": {...}}) ----------------------------------
    def _prefs_get(self, req, id):
        return Response(200, {"preferences": self._find("simulations", id)["preferences"]})

    def _prefs_patch(self, req, id):
        sim = self._find("simulations", id)
        sim["preferences"].update(as_object(req.body))
        return Response(200, {"preferences": sim["preferences"]})

    def _prefs_put(self, req, id):
        sim = self._find("simulations", id)
        sim["preferences"] = dict(as_object(as_object(req.body).get("preferences")))
        return Response(200, {"preferences": sim["preferences"]})

    # =============================================================================================
    # simulation nodes: control, instructions, cloud-init (air.md 8.7, 6.2)
    # =============================================================================================
    def _sim_node_control(self, req, id):
        node = self._find("simulation_nodes", id)
        as_choice("action", required(as_object(req.body), "action"), ("reset", "rebuild"))
        sim = self._state["simulations"][node["simulation"]]
        self._guard(sim, "control the nodes of", ("LOADED",))
        return Response(200, {"result": "success"})

    def _instructions_list(self, req, id):
        return Response(200, list(self._find("simulation_nodes", id)["instructions"]))

    def _instructions_create(self, req, id):
        """-> 201 and the new instruction id as a JSON string (air.md 4.1)."""
        node = self._find("simulation_nodes", id)
        return Response(201, self._add_instruction(node, as_object(req.body))["id"])

    def _add_instruction(self, node, body):
        executor = as_choice("executor", required(body, "executor"), EXECUTORS)
        data = as_str("data", required(body, "data"))
        instruction = {"id": new_id(), "executor": executor, "instruction": data,
                       "monitor": body.get("monitor"), "created": iso(self.clock.now())}
        node["instructions"].append(instruction)
        return instruction

    def _instructions_delete(self, req, id):
        self._find("simulation_nodes", id)["instructions"].clear()
        return Response(204)

    def _cloud_init(self, node):
        names = {key: (self._state["userconfigs"].get(node[key]) or {}).get("name") for key in ("user_data", "meta_data")}
        return {"simulation_node": node["id"], "user_data": node["user_data"], "meta_data": node["meta_data"],
                "user_data_name": names["user_data"], "meta_data_name": names["meta_data"]}

    def _cloud_init_get(self, req, id):
        return Response(200, self._cloud_init(self._find("simulation_nodes", id)))

    def _cloud_init_patch(self, req, id):
        """PATCH {user_data?, meta_data?}: a userconfig id of the matching kind, or null to clear (air.md 6.1)."""
        node = self._find("simulation_nodes", id)
        body = as_object(req.body)
        reject_fields(body, ("user_data", "meta_data"), ("simulation_node", "user_data_name", "meta_data_name"))
        changes = {}
        for key in body:
            config = self._fk("userconfigs", key, body[key])
            if config and config["kind"] != "cloud-init-" + key.replace("_", "-"):
                raise bad(key, "Expected a UserConfig of kind cloud-init-%s." % key.replace("_", "-"))
            changes[key] = config and config["id"]
        node.update(changes, modified=self.clock.now())
        return Response(200, self._cloud_init(node))

    def _v2_node_control(self, req, id):
        """POST simulations/nodes/{id}/control/ {action: reset|rebuild} -> 201 [jobs] (air.md 6.2, 8.7; the v2
        SDK checks 201 and a list). [INFERRED] one START job per node, QUEUED, COMPLETE after JOB_SECONDS."""
        node = self._find("simulation_nodes", id)
        as_choice("action", required(as_object(req.body), "action"), NODE_ACTIONS)
        sim = self._state["simulations"][node["simulation"]]
        self._guard(sim, "control the nodes of", ("LOADED",))
        now = self.clock.now()
        job = self._put("jobs", {"category": "START", "created": now, "due": now + timedelta(seconds=JOB_SECONDS),
                                 "simulation": sim["id"], "worker": node["worker"], "notes": None,
                                 "data": json.dumps({"node": node["id"], "action": req.body["action"]})})
        return Response(201, [self._v2_job(req, job)])

    def _v2_job(self, req, job):
        """air.md 7.5 Job; its state follows the clock (QUEUED until due, then COMPLETE)."""
        done = self.clock.now() >= job["due"]
        return {"id": job["id"], "category": job["category"], "state": "COMPLETE" if done else "QUEUED",
                "created": iso(job["created"]), "last_updated": iso(job["due"] if done else job["created"]),
                "notes": job["notes"], "data": job["data"], "simulation": job["simulation"], "worker": job["worker"]}

    def _v2_instructions_create(self, req, id):
        """v2 POST simulations/nodes/{id}/instructions/ -> 201 + a NodeInstruction (air.md 6.2, 7.4: the v2
        SDK loads the answer as an object; v1 answers a bare id string)."""
        node = self._find("simulation_nodes", id)
        body = as_object(req.body)
        instruction = self._add_instruction(node, body)
        return Response(201, {"id": instruction["id"], "node": node["id"], "instruction": instruction["instruction"],
                              "state": "New", "created": instruction["created"],
                              "modified": instruction["created"]})

    # =============================================================================================
    # topology nodes and links, written one by one (air.md 6.1 node/ and link/, 7.2)
    # =============================================================================================
    def _node_create(self, req):
        """POST node/ {name, topology, os?, cpu?, memory?, storage?, function?, interfaces?} -> 201. [INFERRED]
        ``interfaces`` (names, or {name, mac_address?, outbound?}) is how a node gets its ports: v1 has no
        interface create, and the SDK leaves interfaces out of a node update (S:node.py), so they are set once."""
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        topo = self._fk("topologies", "topology", body.get("topology"), null=False)
        if any(n["name"] == name for n in self._where("nodes", topology=topo["id"])):
            raise ApiError(400, {"non_field_errors": ["The fields topology, name must make a unique set."]})
        attrs = {k: body[k] for k in ("os", "cpu", "memory", "storage", "function") if body.get(k) is not None}
        if "os" in attrs:
            attrs["os"] = ref_id(attrs["os"])
        try:
            node = self._new_node(topo, name, attrs, auto=False)
        except TopologyError as err:
            raise ApiError(400, {"os" if "Image" in str(err) else "non_field_errors": [str(err)]}) from None
        interfaces = body.get("interfaces") or []
        if not isinstance(interfaces, list):
            raise bad("interfaces", 'Expected a list of items but got type "%s".' % type(interfaces).__name__)
        for index, entry in enumerate(interfaces):
            entry = {"name": entry} if isinstance(entry, str) else as_object(entry)
            self._put("interfaces", {"node": node["id"], "name": as_str("interfaces", required(entry, "name")),
                                     "mac_address": entry.get("mac_address") or self._mac(),
                                     "outbound": as_bool("outbound", entry.get("outbound", False)),
                                     "index": index, "link": None})
        topo["modified"] = self.clock.now()
        return Response(201, self._v1_node(req, node))

    def _node_patch(self, req, id):
        node = self._find("nodes", id)
        body = as_object(req.body)
        reject_fields(body, NODE_WRITABLE, ("id", "url", "topology", "interfaces"))
        if "name" in body:
            name = as_str("name", body["name"], blank=False)
            siblings = self._where("nodes", topology=node["topology"])
            if any(n["name"] == name and n["id"] != node["id"] for n in siblings):
                raise ApiError(400, {"non_field_errors": ["The fields topology, name must make a unique set."]})
            node["name"] = name
        if "os" in body:
            image = self._state["images"].get(str(ref_id(body["os"])).lower())
            if image is None:
                raise bad("os", 'Invalid pk "%s" - object does not exist.' % ref_id(body["os"]))
            node["os"] = image["id"]
        for key in ("cpu", "memory", "storage"):
            if key in body:
                node[key] = as_int(key, body[key], minimum=1)
        if "function" in body:
            node["function"] = as_str("function", body["function"], null=True)
        return Response(200, self._v1_node(req, node))

    def _node_delete(self, req, id):
        """A node goes with its interfaces and the links on them (the other end stays, unlinked)."""
        node = self._find("nodes", id)
        for iface in self._where("interfaces", node=node["id"]):
            if iface["link"] in self._state["links"]:
                self._unlink(self._state["links"][iface["link"]])
            del self._state["interfaces"][iface["id"]]
        del self._state["nodes"][node["id"]]
        return Response(204)

    def _link_create(self, req):
        """POST link/ {topology, interfaces: [id, id]} -> 201 (S:link.py); [INFERRED] both of its topology, free."""
        body = as_object(req.body)
        topo = self._fk("topologies", "topology", body.get("topology"), null=False)
        ids = required(body, "interfaces")
        if not isinstance(ids, list) or len(ids) != 2:
            raise bad("interfaces", "A link connects exactly two interfaces.")
        ends = [self._fk("interfaces", "interfaces", i, null=False) for i in ids]
        for end in ends:
            if self._state["nodes"][end["node"]]["topology"] != topo["id"]:
                raise bad("interfaces", "Interface %s is not part of the topology." % end["id"])
            if end["link"] is not None or end["outbound"]:
                raise bad("interfaces", "Interface %s is already connected." % end["id"])
        if ends[0]["id"] == ends[1]["id"]:
            raise bad("interfaces", "A link cannot connect an interface to itself.")
        link = self._put("links", {"topology": topo["id"], "interfaces": [e["id"] for e in ends], "auto_oob": False})
        for end in ends:
            end["link"] = link["id"]
        return Response(201, self._v1_link(req, link))

    def _link_delete(self, req, id):
        self._unlink(self._find("links", id))
        return Response(204)

    def _unlink(self, link):
        for iface_id in link["interfaces"]:
            if iface_id in self._state["interfaces"]:
                self._state["interfaces"][iface_id]["link"] = None
        del self._state["links"][link["id"]]

    # =============================================================================================
    # permissions: sharing a simulation or topology (air.md 6.1 permission/, 7.5)
    # =============================================================================================
    def _v1_permission(self, req, permission):
        return {"url": self._url(req, "permission", permission["id"]), "id": permission["id"],
                "email": permission["email"], "account": self._url(req, "account", permission["account"]),
                "simulation": self._url(req, "simulation", permission["simulation"]),
                "topology": self._url(req, "topology", permission["topology"]), "write_ok": permission["write_ok"]}

    def _permission_create(self, req):
        """POST permission/ {email, simulation|topology|subject_id, subject_model?, write_ok?} -> 201. Not
        updatable (S:permission.py). [INFERRED] an unknown email gets an account (an invitation, as members do);
        one permission per email and subject (DRF's unique-together message)."""
        body = as_object(req.body)
        email = as_str("email", required(body, "email"), blank=False)
        if "@" not in email:
            raise bad("email", "Enter a valid email address.")
        subject = {"simulation": None, "topology": None}
        if body.get("subject_id") is not None:
            model = as_choice("subject_model", body.get("subject_model") or "simulation.simulation",
                              ("simulation.simulation", "topology.topology"))
            subject[model.split(".")[0]] = body["subject_id"]
        for key in subject:
            subject[key] = subject[key] or body.get(key)
        if not any(subject.values()):
            raise ApiError(400, {"non_field_errors": ["One of simulation, topology or subject_id is required."]})
        sim = self._fk("simulations", "simulation", subject["simulation"])
        topo = self._fk("topologies", "topology", subject["topology"])
        account = self._account_named(email) or self._new_account(email)
        key = dict(email=email, simulation=sim and sim["id"], topology=topo and topo["id"])
        if self._where("permissions", **key):
            raise ApiError(400, {"non_field_errors": ["The fields %s, email must make a unique set."
                                                      % ("simulation" if sim else "topology")]})
        permission = self._put("permissions", dict(key, account=account["id"],
                                                   write_ok=as_bool("write_ok", body.get("write_ok", False))))
        return Response(201, self._v1_permission(req, permission))

    def _permission_delete(self, req, id):
        del self._state["permissions"][self._find("permissions", id)["id"]]
        return Response(204)

    # =============================================================================================
    # demos (air.md 6.1 demo/, 6.2 marketplace-demos/, 7.5 MarketplaceDemo)
    # =============================================================================================
    def _demo_fields(self, demo):
        return {"id": demo["id"], "name": demo["name"], "description": demo["description"],
                "created": iso(demo["created"]), "modified": iso(demo["modified"]), "documentation": None,
                "repo": None, "icon": None, "tags": []}

    def _v1_demo(self, req, demo):
        return dict(self._demo_fields(demo), url=self._url(req, "demo", demo["id"]),
                    snapshot=self._url(req, "simulation", demo["snapshot"]))

    def _v2_demo(self, req, demo):
        return dict(self._demo_fields(demo), snapshot=demo["snapshot"], published=True, like_count=0,
                    liked_by_account=False, owner_email=self._state["accounts"][demo["owner"]]["username"])

    # =============================================================================================
    # services (air.md 7.3, 7.4)
    # =============================================================================================
    def _service_create(self, req, v2):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        iface = self._fk("simulation_interfaces", "interface", body.get("interface"), null=False)
        if v2:
            sim = self._state["simulations"][iface["simulation"]]
        else:
            sim = self._fk("simulations", "simulation", body.get("simulation"), null=False)
            if iface["simulation"] != sim["id"]:
                raise bad("interface", "The interface is not part of the simulation.")
        dest_port = as_int("dest_port", required(body, "dest_port"), minimum=1, maximum=65535)
        # air.md 7.3: the server default appears to be 'other' (the v2 SDK itself sends 'ssh')
        service_type = as_choice("service_type", body.get("service_type") or "other", SERVICE_TYPES)
        worker = self._state["workers"][sim["worker"] or self.worker_id]
        now = self.clock.now()
        service = self._put("services", {
            "name": name, "simulation": sim["id"], "interface": iface["id"], "dest_port": dest_port,
            "src_port": self._allocate_port(worker), "service_type": service_type, "host": worker["fqdn"],
            "worker": worker["id"], "created": now, "modified": now})
        serialize = self._v2_service if v2 else self._v1_service
        return Response(201, serialize(req, service))

    def _service_delete(self, req, id):
        self._remove_service(self._find("services", id))
        return Response(204)

    def _remove_service(self, service):
        self._state["workers"][service["worker"]]["used_ports"].discard(service["src_port"])
        del self._state["services"][service["id"]]

    # =============================================================================================
    # user configs (air.md 7.5, v2 userconfigs/)
    # =============================================================================================
    def _userconfig_fields(self, body, partial):
        changes = {}
        for key, convert in (("name", lambda v: as_str("name", v, blank=False)),
                             ("content", lambda v: as_str("content", v)),
                             ("kind", lambda v: as_choice("kind", v, USERCONFIG_KINDS))):
            if key in body:
                changes[key] = convert(body[key])
            elif not partial:
                raise ApiError(400, {key: REQUIRED})
        if "organization" in body:
            org = self._fk("organizations", "organization", body["organization"])
            changes["organization"] = org and org["id"]
        return changes

    def _userconfig_create(self, req):
        changes = self._userconfig_fields(as_object(req.body), partial=False)
        now = self.clock.now()
        config = self._put("userconfigs", dict({"organization": None}, owner=req.user["id"], created=now,
                                               modified=now, **changes))
        return Response(201, self._v2_userconfig(req, config))

    def _userconfig_update(self, req, id, partial):
        config = self._find("userconfigs", id)
        body = as_object(req.body)
        if partial:
            reject_fields(body, ("name", "content"), ("id", "kind", "owner", "owner_budget", "organization",
                                                      "organization_budget"))
        else:  # the SDK's full_update PUTs the read-only fields too (S:v2/endpoints/user_configs.py): ignored
            body = {k: v for k, v in body.items() if k in ("name", "content", "kind", "organization")}
        config.update(self._userconfig_fields(body, partial), modified=self.clock.now())
        return Response(200, self._v2_userconfig(req, config))

    def _userconfig_delete(self, req, id):
        config = self._find("userconfigs", id)
        for node in self._state["simulation_nodes"].values():
            for key in ("user_data", "meta_data"):
                if node[key] == config["id"]:
                    node[key] = None
        del self._state["userconfigs"][config["id"]]
        return Response(204)


class _As:
    """The caller of a request the emulator makes itself (seeding): only ``user`` is read."""

    def __init__(self, user):
        self.user = user


def _positive(value, default, zero=False):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 or (zero and number == 0) else default


def _matches(item, key, wanted):
    """Field-equality filter on a representation; unknown keys are ignored (django-filter). Relations
    match by id, whether the field holds an id or a v1 URL and whether the query does (air.md 5)."""
    if key not in item:
        return True
    value = item[key]
    if isinstance(value, bool):
        return value == query_bool(wanted)
    if value is None:
        return str(wanted).lower() in ("", "null", "none")
    if isinstance(value, list):
        return str(ref_id(wanted)).lower() in {str(ref_id(v)).lower() for v in value if isinstance(v, str)}
    if isinstance(value, str) and (value.startswith("http") or re.fullmatch(UUID_RE, value)):
        return str(ref_id(value)).lower() == str(ref_id(wanted)).lower()
    return str(value) == str(wanted)


def main(argv=None):
    parser = sandbox_parser("NVIDIA Air API emulator (sandbox mode)", 8280)
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    parser.add_argument("--api-token", default=DEFAULT_API_TOKEN, help="accepted as the login password")
    parser.add_argument("--token-lifetime", type=float, default=86400, help="bearer token lifetime (emulated s)")
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--store-seconds", type=float, default=20)
    parser.add_argument("--destroy-seconds", type=float, default=5)
    args = parser.parse_args(argv)
    emulator = AirEmulator(host=args.host, port=args.port, speed=args.speed, token_lifetime=args.token_lifetime,
                           load_seconds=args.load_seconds, store_seconds=args.store_seconds,
                           destroy_seconds=args.destroy_seconds, username=args.username,
                           api_token=args.api_token).start()
    serve(emulator, "NVIDIA Air emulator", [
        "api_url:         %s/api/" % emulator.url,
        "username:        %s" % emulator.username,
        "password:        %s   (an API token)" % emulator.api_token,
        "service account: %s / %s" % (emulator.service_username, emulator.service_password),
        "speed:           %gx" % args.speed,
    ])


if __name__ == "__main__":
    main()
