# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the CloudCIX REST API: Membership login, the gen-2 Compute application and a plain
CRUD application (Contact), as the ``cloudcix`` 5.0.11 SDK and the Ansible modules use them.

Facts come from tests/emulators/specs/cloudcix.md ("cloudcix.md N.M" below); guesses are marked [INFERRED].
Where the spec and the SDK's behaviour disagree, the SDK wins and a comment says so. Standard library only.

Routing (cloudcix.md 1.2): the application is the first label of the Host header (``compute.api.cloudcix.test``,
reached through ``HTTP_PROXY=<url>``, the SDK then sends absolute-form request lines), or the first path segment
when the Host is the emulator itself (``<url>/compute/project/``); an optional ``/v<version>/`` segment may follow.

Sandbox:  python3.11 tests/emulators/cloudcix_emulator.py --host 127.0.0.1 --port 8580 [--speed N] [--fixture f.json]
Tests:    cx = CloudcixEmulator().start(); requests.post(cx.url + "/membership/auth/login/", json={"email": cx.email,
          "password": cx.password, "api_key": cx.api_key}); ...; cx.stop()      (see tests/emulators/README.md)
"""

from __future__ import annotations

import base64
import copy
import hashlib
import ipaddress
import itertools
import json
import os
import re
import struct
from datetime import datetime, timedelta, timezone

from emulator_base import ApiError, EmulatorServer, Response, admin_object, load_fixture, sandbox_parser, serve

BASE_DOMAIN = "api.cloudcix.test"
VERSION_SEGMENT = re.compile(r"v\d[\w.]*")   # /v1/, /v2/, /v5.0/ (cloudcix.md 5.3.1); not "vm/" or "vpn/"
STATE_NUMBERS = {   # cloudcix.md 5.3.2: gen-2 strings and their gen-1 numbers (filters may use either)
    "pending": 1, "building": 2, "unresourced": 3, "running": 4, "stop": 5, "stopped": 6, "restart": 7,
    "delete": 8, "delete_queue": 9, "update_running": 10, "update_stopped": 15,
    "deleting": 17,   # [INFERRED] 17 SCRUBBING: cloudcix.md 5.3.2 attests "deleting" without its number
    "deleted": 99,
}
GONE = frozenset({"delete", "delete_queue", "deleting", "deleted"})   # "deleted or queued" (cloudcix.md 5.3.2)
UPDATES = frozenset({"update_running", "update_stopped"})
# robot: state -> (timing key, next state); "grace" = grace_period * grace_unit_seconds (cloudcix.md 5.2.2, 5.3.2)
ROBOT = {
    "pending": ("pending", "building"), "building": ("build", "running"), "stop": ("stop", "stopped"),
    "restart": ("restart", "running"), "update_running": ("update", "running"), "update_stopped": ("update", "stopped"),
    "delete": ("delete", "delete_queue"), "delete_queue": ("grace", "deleting"), "deleting": ("scrub", "deleted"),
}
FAILABLE = frozenset({"building", "update_running", "update_stopped"})   # fail_next ends these in unresourced
DEFAULT_TIMING = {   # emulated seconds [INFERRED: the real robot's pace is unknown]
    "pending": 5,    # pending -> building
    "build": 30,     # building -> running
    "stop": 20, "restart": 20, "update": 30,
    "delete": 10,    # delete -> delete_queue
    "scrub": 10,     # deleting -> deleted
}
# grace_period: days, default 7 (cloudcix.md 5.3.5, the router; 5.3.4: "Number of days" in CloudCIX's SDK and
# Terraform provider). The spec leaves the unit unresolved (hours in the samples, 168 hours in gen 1, 8.3); the SDK
# wins. The default of the other compute objects is the router's [INFERRED].
DEFAULT_GRACE_PERIOD = 7
GRACE_UNIT_SECONDS = 86400
TOKEN_REFRESH_SECONDS = 3600         # cloudcix.md 2.3: PUT auth/login/ gives a token valid for 1 hour
USER_TRANSITIONS = {                 # cloudcix.md 5.3.2; "restart" out of delete_queue for all [INFERRED, gen 1]
    "instance": {"running": {"stop", "delete", "update_running"}, "stopped": {"restart", "delete", "update_stopped"},
                 "delete_queue": {"restart", "stop"}},
    "router": {"running": {"update_running", "delete"}, "delete_queue": {"restart"}},
    "update": {"running": {"update_running", "delete"}, "delete_queue": {"restart"}},
    "delete_only": {"running": {"delete"}, "delete_queue": {"restart"}},
}
USERDATA_PREFIXES = ("#!", "#include", "#cloud-config", "#upstart-job", "#cloud-boothook", "Content-Type: multipart")
NAME_RULE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")   # cloudcix.md 5.3.6 (IP group names)
SSH_KEY = re.compile(r"(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|"
                     r"sk-ssh-ed25519@openssh\.com)\s+([A-Za-z0-9+/]+={0,3})(\s+.*)?")

DEFAULT_FIXTURE = {
    "base_domain": BASE_DOMAIN,
    "members": [
        {"id": 1, "name": "Sandbox Member", "api_key": "sandbox-api-key"},
        {"id": 2, "name": "Other Member", "api_key": "other-member-api-key"},
    ],
    "users": [   # the first is the main user (email, password, api_key of its member)
        {"id": 1, "email": "sandbox@example.com", "password": "sandbox-password", "member_id": 1, "address_id": 10},
        {"id": 2, "email": "other@example.com", "password": "other-password", "member_id": 1, "address_id": 11},
        # cloudcix.md 2.4: a private user may read but not create or change cloud infrastructure (403)
        {"id": 3, "email": "private@example.com", "password": "private-password", "member_id": 1, "address_id": 10,
         "private": True},
    ],
    "regions": [   # a region is an Address (cloudcix.md 5.2.3); the public pools are sandbox values
        {"id": 100, "name": "Sandbox Region", "public_ipv4": "185.49.60.0/24", "ipv6": "2a02:2078:9::/48"},
    ],
    # the price list: sku -> kind (ram, vcpu, storage, image, volume, gpu), hypervisor (None = any), min, max
    "skus": {
        "RAM_001": {"kind": "ram", "min": 1, "max": 512},
        "vCPU_001": {"kind": "vcpu", "hypervisor": "lxd", "min": 1, "max": 64},
        "vCPU_002": {"kind": "vcpu", "hypervisor": "hyperv", "min": 1, "max": 64},
        "SSD_001": {"kind": "storage", "min": 10, "max": 10000},
        "HDD_001": {"kind": "storage", "min": 10, "max": 10000},
        "CEPH_001": {"kind": "volume", "min": 1, "max": 100000},
        "A100_GPU": {"kind": "gpu", "min": 1, "max": 1},
    },
    "images": [   # compute/images/ (cloudcix.md 5.3.1); the sku_name is the image's spec SKU (5.3.4)
        {"id": 1, "name": "Ubuntu 24.04 LTS", "sku_name": "UBUNTU2404", "os_variant": "ubuntu24.04", "type": "lxd",
         "region_id": 100},
        {"id": 2, "name": "Ubuntu 22.04 LTS", "sku_name": "UBUNTU2204", "os_variant": "ubuntu22.04", "type": "lxd",
         "region_id": 100},
        {"id": 3, "name": "Rocky Linux 9", "sku_name": "ROCKY9", "os_variant": "rocky9", "type": "lxd",
         "region_id": 100},
        {"id": 4, "name": "Windows Server 2022", "sku_name": "MSServer2022", "os_variant": "win2k22",
         "type": "hyperv", "region_id": 100},
    ],
    "timing": dict(DEFAULT_TIMING),
    "grace_unit_seconds": GRACE_UNIT_SECONDS,
    # seed objects: "<application>/<service path>" -> records as the API shows them (ids, owners given)
    "objects": {
        "contact/group": [{"id": 1, "name": "Customers", "description": "Seeded group", "member_id": 1}],
        "contact/contact": [{"id": 1, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
                             "company": "Analytical Engines", "member_id": 1, "group_ids": [1]}],
    },
}


def naive(moment):
    """cloudcix.md 4.1: naive ISO timestamps with microseconds (USE_TZ=False, UTC)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value):
    """cloudcix.md 4.3: the controllers coerce with int(...), so numeric strings pass; None if not an integer."""
    if is_int(value):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# ----- Ed25519 (RFC 8032 section 5.1.5, reference arithmetic): a real key pair without a crypto library ------
_P = 2 ** 255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _ed_add(p, q):
    a, b = (p[1] - p[0]) * (q[1] - q[0]) % _P, (p[1] + p[0]) * (q[1] + q[0]) % _P
    c, d = 2 * p[3] * q[3] * _D % _P, 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _ed_base():
    y = 4 * pow(5, _P - 2, _P) % _P
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if x & 1:
        x = _P - x
    return (x, y, 1, x * y % _P)


def ed25519_public(seed):
    digest = hashlib.sha512(seed).digest()
    scalar = (int.from_bytes(digest[:32], "little") & ((1 << 254) - 8)) | (1 << 254)
    point, acc = _ed_base(), (0, 1, 1, 0)
    while scalar:
        if scalar & 1:
            acc = _ed_add(acc, point)
        point = _ed_add(point, point)
        scalar >>= 1
    zinv = pow(acc[2], _P - 2, _P)
    x, y = acc[0] * zinv % _P, acc[1] * zinv % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _ssh_string(data):
    return struct.pack(">I", len(data)) + data


def ed25519_key_pair(comment):
    """(public key line, OpenSSH private key PEM) of a fresh key (cloudcix.md 5.3.1: the server generates an
    Ed25519 pair when public_key is omitted)."""
    seed = os.urandom(32)
    public = ed25519_public(seed)
    blob = _ssh_string(b"ssh-ed25519") + _ssh_string(public)
    check = os.urandom(4)
    private = (check + check + _ssh_string(b"ssh-ed25519") + _ssh_string(public) + _ssh_string(seed + public)
               + _ssh_string(comment.encode("utf-8")))
    private += bytes(range(1, 1 + (-len(private)) % 8))
    body = (b"openssh-key-v1\0" + _ssh_string(b"none") + _ssh_string(b"none") + _ssh_string(b"")
            + struct.pack(">I", 1) + _ssh_string(blob) + _ssh_string(private))
    text = base64.b64encode(body).decode("ascii")
    pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n" % "\n".join(
        text[i:i + 70] for i in range(0, len(text), 70))
    return "ssh-ed25519 %s %s" % (base64.b64encode(blob).decode("ascii"), comment), pem


# =================================================================================================
# services
# =================================================================================================
# cloudcix.md 6.1: the operators a field of each kind allows; a plain search[field] is an exact match (case-
# sensitive), allowed for every kind. Any other operator (contains, startswith, exact, ...) is skipped with a
# SearchFilterWarning in _metadata.warnings, like an unknown field (cloudcix.md 4.1), so it matches everything.
NUMBER_OPS = frozenset({"gt", "gte", "in", "isnull", "lt", "lte", "range"})
STRING_OPS = frozenset({"in", "icontains", "iendswith", "iexact", "istartswith"})
OPS_OF_KIND = {"number": NUMBER_OPS, "datetime": NUMBER_OPS, "state": NUMBER_OPS, "string": STRING_OPS,
               "bool": frozenset(), "exact": frozenset()}   # "a field with () accepts exact match only"
# the operators Django knows: a key ending in one of them names that operator, whether the field allows it or not
DJANGO_OPS = NUMBER_OPS | STRING_OPS | {"exact", "contains", "startswith", "endswith", "regex", "iregex"}
COMMON_SEARCH = {"id": "number", "created": "datetime", "updated": "datetime"}
PROJECT_SEARCH = dict(COMMON_SEARCH, project_id="number", project__address_id="number", project__region_id="number",
                      project__reseller_id="number", state="state", name="string", project__name="string")


class Service:
    """One service of an application: its URL template, the methods its collection and items answer, its list
    filters and ordering, and the emulator methods that create/update/delete its objects."""

    def __init__(self, app, path, code, search, order, collection=("GET", "POST"),
                 item=("GET", "HEAD", "PUT", "PATCH"), owner="project", robot=None, config=()):
        self.app, self.path, self.code = app, path, code
        self.search = search              # field -> kind (cloudcix.md 6.1)
        self.order = order                # allowed ordering, the first is the default (cloudcix.md 6.1)
        self.collection, self.item = collection, item
        self.owner = owner                # visibility: "project", "address", "member" or None (everyone)
        self.robot = robot                # key of USER_TRANSITIONS for a stateful service
        self.config = config              # fields whose change needs state update_running|update_stopped
        self.params = re.findall(r"\{(\w+)\}", path)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
        self.collection_re = re.compile(pattern)
        self.item_re = re.compile(pattern + r"(?P<pk>[^/]+)/")

    @property
    def key(self):
        return "%s/%s" % (self.app, self.path.rstrip("/"))


def _compute_services():
    s = Service
    return [
        # cloudcix.md 5.3.3: no "closed" filter in gen 2 (gen 1 had one, 5.2.3)
        s("compute", "project/", "project", dict(COMMON_SEARCH, address_id="number", manager_id="number",
          region_id="number", reseller_id="number", archived="datetime", name="string",
          all_projects="bool"), ("name", "region_id", "address_id", "created", "manager_id"),
          item=("GET", "HEAD", "PUT", "PATCH", "DELETE"), owner="address"),
        s("compute", "network/routers/", "network_router", dict(PROJECT_SEARCH, type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="router", config=("networks", "metadata")),
        s("compute", "network/firewalls/", "network_firewall", dict(PROJECT_SEARCH, type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="update", config=("rules",)),
        s("compute", "network/ip_groups/", "network_ip_group", dict(COMMON_SEARCH, name="string", version="number",
          member_id="number"), ("name", "id", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          owner="member"),
        s("compute", "network/vpns/", "network_vpn", dict(PROJECT_SEARCH, type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="update", config=("metadata",)),
        s("compute", "compute/instances/", "compute_instance", dict(PROJECT_SEARCH, type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="instance", config=("specs", "interfaces", "metadata")),
        s("compute", "storage/volumes/", "storage_volume", dict(PROJECT_SEARCH, type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="update", config=("specs", "metadata")),
        s("compute", "compute/snapshots/", "compute_snapshot", dict(PROJECT_SEARCH, instance_id="number",
          type="exact"), ("name", "id", "project_id", "state", "created"),
          item=("GET", "HEAD", "PUT", "PATCH", "DELETE"), robot="update"),
        s("compute", "compute/backups/", "compute_backup", dict(PROJECT_SEARCH, instance_id="number", type="exact"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="delete_only"),
        s("compute", "compute/gpus/", "compute_gpu", dict(PROJECT_SEARCH, instance_id="number"),
          ("name", "id", "project_id", "state", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"),
          robot="delete_only"),
        s("compute", "compute/images/", "compute_image", dict(COMMON_SEARCH, name="string", sku_name="string",
          os_variant="string", region_id="number", type="exact"), ("name", "id", "sku_name"), collection=("GET",),
          item=("GET", "HEAD"), owner=None),
        s("compute", "compute/ssh_keys/", "compute_ssh_key", dict(COMMON_SEARCH, name="string"), ("name", "id",
          "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"), owner="address"),
    ]


def _contact_services():
    people = dict(COMMON_SEARCH, first_name="string", last_name="string", email="string", company="string")
    return [
        Service("contact", "contact/", "contact", dict(people, group_ids="number"), ("last_name", "first_name",
                "email", "id", "created"), item=("GET", "HEAD", "PUT", "PATCH", "DELETE"), owner="member"),
        # [INFERRED] a group cannot be deleted through the API (the 405 case of a plain CRUD application)
        Service("contact", "group/", "group", dict(COMMON_SEARCH, name="string"), ("name", "id", "created"),
                item=("GET", "HEAD", "PUT", "PATCH"), owner="member"),
        # the contacts of one group: POST {"contact_id"} adds one, DELETE {pk}/ takes it out of the group
        Service("contact", "group/{group_id}/contact/", "group_contact", people, ("last_name", "first_name", "email",
                "id", "created"), item=("GET", "HEAD", "DELETE"), owner="member"),
    ]


class CloudcixEmulator(EmulatorServer):
    """Membership login, gen-2 Compute and a plain CRUD application, with a robot on the emulated clock.
    See tests/emulators/README.md."""

    server_name = "cloudcix-emulator"

    def __init__(self, host="127.0.0.1", port=0, speed=1.0, fixture=None, token_lifetime=7200):
        super().__init__(host, port, speed)
        self.fixture = copy.deepcopy(DEFAULT_FIXTURE if fixture is None else fixture)
        self.token_lifetime = self._initial_token_lifetime = token_lifetime   # cloudcix.md 2.3: 2 hours
        self.base_domain = (self.fixture.get("base_domain") or BASE_DOMAIN).lower()
        self.services = {}
        for service in _compute_services() + _contact_services():
            self.services.setdefault(service.app, []).append(service)
        self.applications = sorted(set(self.services) | {"membership"})
        self.issued_tokens = []
        self.reset_state()

    # =============================================================================================
    # Python API for tests
    # =============================================================================================
    @property
    def api_url(self):
        """The per-application URL template, e.g. http://127.0.0.1:8580/{application}/."""
        return self.url + "/{application}/"

    @property
    def proxy_url(self):
        """For HTTP_PROXY: the SDK's http://<app>.<base_domain>/ URLs then reach the emulator (cloudcix.md 1.2)."""
        return self.url

    def issue_token(self, email=None, lifetime=None):
        """A token for ``email`` (default: the main user), as POST auth/login/ would give."""
        with self.lock:
            user = self._user_by_email(email or self.email)
            if user is None:
                raise ValueError("unknown user %r" % email)
            return self._mint(user, self.token_lifetime if lifetime is None else lifetime)

    def secrets(self):
        """What a client must never show: the main user's password, the API key and every token issued."""
        return [self.password, self.api_key] + list(self.issued_tokens)

    def get(self, application, service, pk):
        """The stored object as the API shows it, or None."""
        with self.lock:
            self._tick()
            svc = self._service_named(application, service)
            record = self._store[svc.key].get(as_int(pk))
            return self._view(svc, record) if record else None

    def objects(self, application, service):
        """Every stored object of the service (all owners), in id order."""
        with self.lock:
            self._tick()
            svc = self._service_named(application, service)
            return [self._view(svc, r) for _pk, r in sorted(self._store[svc.key].items())]

    def fail_next(self, service, name=None, count=1):
        """The robot ends the next ``count`` builds/updates of ``service`` (e.g. "compute/instances", or the SDK
        attribute "compute_instances"; of the object called ``name`` if given) in state ``unresourced``."""
        if not is_int(count) or count < 1:
            raise ValueError("count must be a positive integer")
        with self.lock:
            try:
                svc = self._service_named("compute", service)
            except KeyError as err:
                raise ValueError(str(err)) from None
            if svc.robot is None:
                raise ValueError("%s has no state machine" % svc.path)
            rule = {"service": svc.path.rstrip("/"), "name": name, "count": count}
            self._failures.append(rule)
            return dict(rule)

    def pending_failures(self):
        with self.lock:
            return [dict(rule) for rule in self._failures]

    def admin_routes(self):
        routes = super().admin_routes()
        routes[("POST", "failures")] = lambda req: Response(201, self.fail_next(**admin_object(req.body)))
        routes[("GET", "failures")] = lambda req: Response(200, self.pending_failures())
        routes[("POST", "tokens")] = lambda req: Response(201, {"token": self.issue_token(
            admin_object(req.body).get("email"))})
        return routes

    # =============================================================================================
    # seed state
    # =============================================================================================
    def reset_state(self):
        fixture = self.fixture
        self.token_lifetime = self._initial_token_lifetime
        self.timing = dict(DEFAULT_TIMING, **(fixture.get("timing") or {}))
        self.grace_unit = float(fixture.get("grace_unit_seconds", GRACE_UNIT_SECONDS))
        self.members = {m["id"]: dict(m) for m in fixture.get("members") or []}
        self.users = [dict(u) for u in fixture.get("users") or []]
        if not self.users:
            raise ValueError("the fixture needs at least one user")
        for user in self.users:
            if user.get("member_id") not in self.members:
                raise ValueError("user %r: unknown member_id" % user.get("email"))
        main = self.users[0]
        self.email, self.password = main["email"], main["password"]
        self.api_key = self.members[main["member_id"]]["api_key"]
        self.address_id, self.member_id = main["address_id"], main["member_id"]
        others = [u for u in self.users[1:] if u["address_id"] != main["address_id"] and not u.get("private")]
        private = [u for u in self.users[1:] if u.get("private")]
        self.other_email, self.other_password = (others[0]["email"], others[0]["password"]) if others else (None, None)
        self.private_email, self.private_password = ((private[0]["email"], private[0]["password"]) if private
                                                     else (None, None))
        self.regions = {r["id"]: dict(r) for r in fixture.get("regions") or []}
        if not self.regions:
            raise ValueError("the fixture needs at least one region")
        self.region_id = next(iter(self.regions))
        self.skus = copy.deepcopy(fixture.get("skus") or {})
        self._tokens = {}
        self._failures = []
        self._seq = itertools.count(1)      # creation order: ties in the robot queue go by it
        self._vlans = itertools.count(1000)
        self._address_ids = itertools.count(1)
        self._store = {svc.key: {} for services in self.services.values() for svc in services}
        self._ids = {key: itertools.count(1) for key in self._store}
        now = self.clock.now()
        for image in fixture.get("images") or []:
            record = dict(image)
            self.skus.setdefault(record["sku_name"], {"kind": "image", "min": 1, "max": 1})
            self._insert(self._service_named("compute", "compute/images"), record, now)
        for key, records in (fixture.get("objects") or {}).items():
            app, _sep, path = key.partition("/")
            svc = self._service_named(app, path)
            for record in records:
                self._insert(svc, copy.deepcopy(record), now)

    def _insert(self, svc, record, now):
        """Store a seed record: id, uri, timestamps and owner filled in."""
        if "id" not in record:
            record["id"] = self._next_id(svc)
        store = self._store[svc.key]
        if record["id"] in store:
            raise ValueError("%s id %s is in the fixture twice" % (svc.key, record["id"]))
        record.setdefault("created", naive(now))
        record.setdefault("updated", record["created"])
        record["uri"] = self._uri(svc, record)
        record["_seq"] = next(self._seq)
        record["_due"] = None
        if svc.robot:
            record.setdefault("state", "running")
        store[record["id"]] = record
        # keep the id counters ahead of the seeded ids
        self._ids[svc.key] = itertools.count(max(store) + 1)

    def _next_id(self, svc):
        return next(self._ids[svc.key])

    def _uri(self, svc, record, params=None):
        # cloudcix.md Appendix A.9: the resource path as Django's reverse() gives it [INFERRED]
        path = svc.path.format(**(params or {k: record.get("_" + k, "") for k in svc.params}))
        return "/%s%s/" % (path, record["id"])

    # =============================================================================================
    # users and tokens (cloudcix.md 2)
    # =============================================================================================
    def _user_by_email(self, email):
        if not isinstance(email, str):
            return None
        return next((u for u in self.users if u["email"].lower() == email.lower()), None)

    def _mint(self, user, lifetime):
        # cloudcix.md 2.3: an RS256 JWT {"uid", "exp"}; the signature is random bytes of an RS256 signature's size
        expires = self.clock.now() + timedelta(seconds=lifetime)
        header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = b64url(json.dumps({"uid": user["id"], "exp": int(expires.timestamp())},
                                    separators=(",", ":")).encode())
        token = "%s.%s.%s" % (header, payload, b64url(os.urandom(256)))
        self._tokens[token] = {"user": user, "expires": expires}
        self.issued_tokens.append(token)
        return token

    def _authenticate(self, req):
        """cloudcix.md 2.4: X-Auth-Token only; 401 with WWW-Authenticate: X-Auth-Token."""
        token = req.headers.get("X-Auth-Token")
        if not token:
            detail = "Authentication credentials were not provided."
        else:
            entry = self._tokens.get(token.strip())
            if entry is None:
                detail = "An error occurred while decoding your token, try again later."
            elif self.clock.now() >= entry["expires"]:
                detail = "JWT token is expired. Please login again."
            else:
                return entry["user"]
        raise ApiError(401, {"detail": detail}, {"WWW-Authenticate": "X-Auth-Token"})

    def _login(self, req, svc_path):
        if req.method == "POST":
            return self._login_post(req)
        if req.method == "PUT":
            # cloudcix.md 2.3: a valid token in, a fresh one (1 hour) out
            user = self._authenticate(req)
            return Response(200, {"token": self._mint(user, min(self.token_lifetime, TOKEN_REFRESH_SECONDS))})
        self._authenticate(req)   # DRF authenticates before it looks for the method's handler
        raise ApiError(405, {"detail": 'Method "%s" not allowed.' % req.method}, {"Allow": "POST, PUT"})

    def _login_post(self, req):
        body = self._body(req)
        email, password = body.get("email"), body.get("password")

        def error(number, detail):
            return ApiError(400, {"error_code": "membership_token_create_%03d" % number, "detail": detail})

        if not email or not password:
            raise error(1, 'Both the "email" and "password" keys are required in the sent data.')
        user = self._user_by_email(email)
        if user is None or user["password"] != password:
            # cloudcix.md 2.3 quotes the start of the text only [INFERRED rest]
            raise error(2, "The sent email and password combination is invalid. Please check and try again.")
        if "api_key" not in body:
            return Response(200, {})   # cloudcix.md 2.3 step 3: a credential check only
        member = self.members[user["member_id"]]
        if body.get("api_key") != member["api_key"]:
            raise error(3, "No User with the sent email exists in the Member with the sent api_key.")  # [INFERRED text]
        return Response(201, {"token": self._mint(user, self.token_lifetime)})

    # =============================================================================================
    # HTTP entry point and routing (cloudcix.md 1.2, Appendix A.1)
    # =============================================================================================
    def _route(self, req):
        """(application, path inside it) or None."""
        host = (req.host or "").strip().lower()
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        path = req.path
        own = {self.netloc.lower(), self.host.lower(), "127.0.0.1", "localhost", "[::1]"}
        if hostname.endswith("." + self.base_domain):
            app = hostname[:-len(self.base_domain) - 1]
            if "." in app:
                return None
            rest = path.lstrip("/")
        elif host in own or hostname in own:
            app, _sep, rest = path.lstrip("/").partition("/")
        else:
            return None
        first, sep, after = rest.partition("/")
        if sep and VERSION_SEGMENT.fullmatch(first):
            rest = after
        return app.lower(), rest

    def handle(self, req):
        route = self._route(req)
        not_found = ApiError(404, {"detail": "Not Found."})
        if route is None or route[0] not in self.applications:
            raise not_found
        app, rest = route
        self._tick()   # the robot works lazily, from the emulated clock
        if app == "membership":
            if rest == "auth/login/":
                return self._login(req, rest)
            raise not_found
        for svc in self.services[app]:
            match = svc.collection_re.fullmatch(rest)
            pk = None
            if not match:
                match = svc.item_re.fullmatch(rest)
                if not match:
                    continue
                pk = match.group("pk")
            params = {k: v for k, v in match.groupdict().items() if k != "pk"}
            if pk is not None and as_int(pk) is None:
                raise not_found   # Django's <int:pk> does not match
            if any(as_int(v) is None for v in params.values()):
                raise not_found
            user = self._authenticate(req)
            return self._dispatch(req, svc, user, as_int(pk) if pk is not None else None,
                                  {k: as_int(v) for k, v in params.items()})
        raise not_found

    def _dispatch(self, req, svc, user, pk, params):
        allowed = svc.collection if pk is None else svc.item
        if req.method not in allowed:
            raise ApiError(405, {"detail": 'Method "%s" not allowed.' % req.method}, {"Allow": ", ".join(allowed)})
        parent = self._parent(svc, user, params, req.method)
        if pk is None:
            if req.method == "GET":
                return self._list(req, svc, user, parent)
            self._check_writer(svc, user, "create")
            record = getattr(self, "_create_" + svc.code)(req, svc, user, parent)
            content = self._view(svc, record)
            if "_private_key_once" in record:   # a generated key is shown once, here (cloudcix.md 5.3.1)
                content["private_key"] = record.pop("_private_key_once")
            return Response(201, {"content": content})
        record = self._find(svc, user, pk, parent)
        method = {"GET": "read", "HEAD": "read", "PUT": "update", "PATCH": "update", "DELETE": "delete"}[req.method]
        if record is None:
            if req.method == "HEAD":
                raise ApiError(404)   # cloudcix.md 2.4/4.1: HEAD answers 404 with an empty body
            raise ApiError(404, {"error_code": "%s_%s_%s_001" % (svc.app, svc.code, method),
                                 "detail": 'The "pk" path parameter is invalid. "pk" must belong to a valid %s.'
                                 % svc.code.replace("_", " ").title()})   # [INFERRED text]
        if not self._visible(svc, user, record):
            if req.method == "HEAD":
                raise ApiError(404)   # cloudcix.md 2.4: HEAD is 404 when access is denied as well
            raise self._not_yours(svc, method)
        if req.method == "HEAD":
            return Response(200)
        if req.method == "GET":
            return Response(200, {"content": self._view(svc, record)})
        self._check_writer(svc, user, method)
        if req.method == "DELETE":
            getattr(self, "_delete_" + svc.code)(req, svc, user, record, parent)
            return Response(204)
        # cloudcix.md 4.3/8.9: PUT is a partial update here as well (the provider sends only changed fields)
        getattr(self, "_update_" + svc.code)(req, svc, user, record, self._body(req))
        return Response(200, {"content": self._view(svc, record)})

    @staticmethod
    def _not_yours(svc, method):
        """cloudcix.md 2.4: reading (or changing) an object of another Address is 403 with an error code, not 404.
        The evidence is gen 1 (CloudCIX/iaas permissions/*.py: iaas_vm_read_203 "You can only read VMs that you own",
        iaas_vm_update_202); gen 2 is assumed to keep it [INFERRED], the delete code likewise."""
        number = {"read": 203, "update": 202, "delete": 202}[method]
        noun = svc.code.replace("_", " ").title() + "s"
        return ApiError(403, {"error_code": "%s_%s_%s_%d" % (svc.app, svc.code, method, number),
                              "detail": "You do not have permission to make this request. You can only %s %s that you "
                                        "own." % (method, noun)})

    def _check_writer(self, svc, user, method):
        if user.get("private") and svc.app == "compute":
            # cloudcix.md 2.4: private users may not create or change cloud infrastructure
            raise ApiError(403, {"error_code": "%s_%s_%s_201" % (svc.app, svc.code, method),
                                 "detail": "You do not have permission to make this request. Your User is private."})

    def _parent(self, svc, user, params, method):
        """The parent object named by a path placeholder (group/{group_id}/contact/), 404 if not visible."""
        if not params:
            return None
        group = self._store["contact/group"].get(params.get("group_id"))
        if group is None or not self._visible(self._service_named("contact", "group"), user, group):
            verb = {"GET": "list", "POST": "create"}.get(method, "read")
            raise ApiError(404, {"error_code": "contact_group_contact_%s_001" % verb,
                                 "detail": 'The "group_id" path parameter is invalid. "group_id" must belong to a '
                                           'valid Group.'})
        return group

    def _service_named(self, application, service):
        app = application.lower()
        wanted = service.strip("/")
        for svc in self.services.get(app, []):
            if wanted in (svc.path.rstrip("/"), svc.path.rstrip("/").replace("/", "_"), svc.code):
                return svc
        raise KeyError("unknown service %s/%s" % (application, service))

    # =============================================================================================
    # reading: visibility, views, lists (cloudcix.md 4.1, 6.1)
    # =============================================================================================
    def _visible(self, svc, user, record):
        if svc.owner is None:
            return True
        if svc.owner == "member":
            return record.get("member_id") == user["member_id"]
        if svc.owner == "address":
            return record.get("address_id") == user["address_id"]
        project = self._store["compute/project"].get(record.get("project_id"))
        return project is not None and project["address_id"] == user["address_id"]

    def _find(self, svc, user, pk, parent):
        """The object ``pk`` names: one of another Address is found too (a read answers 403, see _not_yours);
        one of another Member is not (404) [INFERRED: the evidence covers Address-owned objects only]."""
        record = self._store["contact/contact" if svc.code == "group_contact" else svc.key].get(pk)
        if record is None or (svc.owner == "member" and not self._visible(svc, user, record)):
            return None
        if svc.code == "group_contact" and parent["id"] not in record.get("group_ids", []):
            return None
        return record

    def _records(self, svc, user, parent):
        source = self._store["contact/contact" if svc.code == "group_contact" else svc.key]
        for record in source.values():
            if not self._visible(svc, user, record):
                continue
            if parent is not None and parent["id"] not in record.get("group_ids", []):
                continue
            yield record

    def _view(self, svc, record):
        out = {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}
        if svc.app == "compute" and "instance_id" in record and svc.code != "storage_volume":
            instance = self._store["compute/compute/instances"].get(record["instance_id"])
            out["instance"] = ({"id": instance["id"], "name": instance["name"], "state": instance["state"]}
                               if instance else None)
        if svc.code == "storage_volume":
            instances = self._store["compute/compute/instances"]
            attached = [instances[i] for i in record.get("_attached", []) if i in instances]
            out["contra_instances"] = [{"id": i["id"], "name": i["name"], "state": i["state"]} for i in attached]
            inst = instances.get(record.get("_instance_id"))
            out["instance"] = {"id": inst["id"], "name": inst["name"], "state": inst["state"]} if inst else None
        return out

    def _field_value(self, record, field):
        if field.startswith("project__"):
            project = self._store["compute/project"].get(record.get("project_id")) or {}
            return project.get(field[len("project__"):])
        return record.get(field)

    def _list(self, req, svc, user, parent):
        warnings = []
        filters = self._filters(req, svc, warnings)
        records = [r for r in self._records(svc, user, parent) if all(f(r) for f in filters)]
        order = req.query.get("order") or ""
        field = order[1:] if order.startswith("-") else order
        if field not in svc.order:   # cloudcix.md 6.1: anything else silently becomes the default
            order = field = svc.order[0]
        descending = order.startswith("-")

        def sort_key(record):
            value = self._field_value(record, field)
            return (value is not None, value if value is not None else 0, record["id"])
        records.sort(key=sort_key, reverse=descending)
        # cloudcix.md 4.1: page 0-based (bad or negative -> 0); limit 1..100, anything else -> 50
        page = as_int(req.query.get("page", "0"))
        page = page if page is not None and page > 0 else 0
        limit = as_int(req.query.get("limit", "50"))
        limit = limit if limit is not None and 1 <= limit <= 100 else 50
        content = [self._view(svc, r) for r in records[page * limit:(page + 1) * limit]]
        metadata = {"page": page, "limit": limit, "order": order, "total_records": len(records), "warnings": warnings}
        return Response(200, {"content": content, "_metadata": metadata})

    def _filters(self, req, svc, warnings):
        """cloudcix.md 6.1: search[f__op] / exclude[f__op]; bare f=v and exclude__f=v are deprecated searches."""
        reserved = {"page", "limit", "order", "format", "include_related"}
        filters = []
        for name, values in req.query_lists.items():
            value = values[-1]
            match = re.fullmatch(r"(search|exclude)\[(.+)\]", name)
            if match:
                mode, key = match.groups()
            elif name in reserved:
                continue
            else:
                mode, key = ("exclude", name[len("exclude__"):]) if name.startswith("exclude__") else ("search", name)
                warnings.append("DeprecationWarning: %s is not in the search[...] or exclude[...] form; it was "
                                "treated as %s[%s]. This form is deprecated." % (name, mode, key))   # [INFERRED text]
            field, op = key, None   # None: the plain form, an exact match
            if "__" in key and key.rsplit("__", 1)[1] in DJANGO_OPS:
                field, op = key.rsplit("__", 1)
            kind = svc.search.get(field)
            label = "SearchFilterWarning" if mode == "search" else "ExcludeFilterWarning"
            if kind is None or (op is not None and op not in OPS_OF_KIND[kind]):
                warnings.append("%s: %s is an invalid filter for this list method and was skipped." % (label, key))
                continue
            test = self._filter(svc, field, kind, op, value, warnings, label, key)
            if test is None:
                continue
            filters.append(test if mode == "search" else (lambda record, t=test: not t(record)))
        return filters

    def _filter(self, svc, field, kind, op, raw, warnings, label, key):
        def bad():
            return ApiError(400, {"error_code": "%s_%s_list_001" % (svc.app, svc.code),
                                  "detail": 'The value "%s" is invalid for the filter "%s".' % (raw, key)})  # [INFERRED]

        def coerce(text):
            text = text.strip()
            if text.lower() in ("true", "false"):   # cloudcix.md 6.1: true/false become booleans for any field
                return text.lower() == "true"
            if kind in ("number",):
                number = as_int(text)
                if number is None:
                    try:
                        return float(text)
                    except ValueError:
                        raise bad() from None
                return number
            if kind == "state":
                number = as_int(text)
                if number is None and text not in STATE_NUMBERS:
                    raise bad()
                return number if number is not None else STATE_NUMBERS[text]
            if kind == "datetime":
                try:
                    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
                except ValueError:
                    raise bad() from None
            return text

        def get(record):
            value = self._field_value(record, field)
            if kind == "state" and isinstance(value, str):
                return STATE_NUMBERS.get(value)
            if kind == "datetime" and isinstance(value, str):
                return datetime.fromisoformat(value)
            return value

        if op == "isnull":
            flag = coerce(raw)
            if not isinstance(flag, bool):
                raise bad()
            return lambda record: (get(record) is None) == flag
        if op in ("in", "range"):
            # cloudcix.md 6.1: strip [ ] ( ) ' " and split on "," (Python-list repr, JSON, bare lists all work)
            items = [coerce(part) for part in re.sub(r"[\[\]()'\"]", "", raw).split(",") if part.strip()]
            if op == "range":
                if len(items) != 2:
                    warnings.append("%s: %s needs exactly two values and was skipped." % (label, key))
                    return None
                low, high = items
                return lambda record: _cmp(get(record), low, "gte") and _cmp(get(record), high, "lte")
            return lambda record: any(_matches(get(record), item) for item in items)
        value = coerce(raw)
        if op is None:
            return lambda record: _matches(get(record), value)
        if op in ("gt", "gte", "lt", "lte"):
            return lambda record: _cmp(get(record), value, op)
        text = str(value)
        lowered = text.lower()
        tests = {
            "iexact": lambda v: str(v).lower() == lowered, "icontains": lambda v: lowered in str(v).lower(),
            "istartswith": lambda v: str(v).lower().startswith(lowered),
            "iendswith": lambda v: str(v).lower().endswith(lowered),
        }
        return lambda record: get(record) is not None and tests[op](get(record))

    # =============================================================================================
    # the robot (cloudcix.md 5.2.2, 5.3.2), applied lazily from the emulated clock
    # =============================================================================================
    def _stateful(self):
        for services in self.services.values():
            for svc in services:
                if svc.robot:
                    for record in self._store[svc.key].values():
                        yield svc, record

    def _tick(self):
        now = self.clock.now()
        while True:
            due = [(r["_due"], r["_seq"], svc, r) for svc, r in self._stateful() if r["_due"] is not None and
                   r["_due"] <= now]
            if not due:
                return
            when, _seq, svc, record = min(due, key=lambda item: (item[0], item[1]))   # events in time order
            self._robot_step(svc, record, when)

    def _robot_step(self, svc, record, when):
        state = record["state"]
        if record.pop("_fail", False):
            self._set_state(svc, record, "unresourced", when)
            return
        following = ROBOT[state][1]
        self._set_state(svc, record, following, when)
        if following == "running" and svc.code == "compute_backup" and record.get("time_valid") is None:
            record["time_valid"] = naive(when)
        if state == "update_running" and svc.code == "compute_snapshot":
            self._make_active(svc, record)   # reverted to: the active one again (cloudcix.md 5.2.7, gen 1)
        if following == "deleted" and svc.code == "compute_instance":
            record["_released"] = True   # its addresses are free again

    def _set_state(self, svc, record, state, when):
        record["state"] = state
        record["updated"] = naive(when)
        record["_due"] = None
        if state not in ROBOT:
            return
        key = ROBOT[state][0]
        seconds = (record.get("grace_period") or 0) * self.grace_unit if key == "grace" else self.timing[key]
        record["_due"] = when + timedelta(seconds=seconds)
        if state in FAILABLE:
            for rule in self._failures:
                if rule["service"] == svc.path.rstrip("/") and rule["name"] in (None, record.get("name")):
                    rule["count"] -= 1
                    if rule["count"] == 0:
                        self._failures.remove(rule)
                    record["_fail"] = True
                    break

    # =============================================================================================
    # writing: shared pieces
    # =============================================================================================
    def _body(self, req):
        body = req.body
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError as err:
                raise ApiError(400, {"detail": "JSON parse error - %s" % err}) from None   # [INFERRED] DRF text
        if body is None:
            return {}   # cloudcix.md 3: the SDK sends null
        if not isinstance(body, dict):
            raise ApiError(400, {"detail": "Bad request."})
        return body

    def _errors(self, svc, method):
        return Errors("%s_%s_%s" % (svc.app, svc.code, method))

    def _new(self, svc, fields, params=None):
        now = self.clock.now()
        record = {"id": self._next_id(svc)}
        record.update(fields)
        record["created"] = record["updated"] = naive(now)
        record["uri"] = self._uri(svc, record, params)
        record["_seq"] = next(self._seq)
        record["_due"] = None
        self._store[svc.key][record["id"]] = record
        if svc.robot:
            self._set_state(svc, record, "pending", now)
        return record

    def _touch(self, record):
        record["updated"] = naive(self.clock.now())

    def _project_field(self, errors, body, user, required=True):
        """cloudcix.md 5.3.3+: project_id names a project of the caller's Address that is not closed."""
        if "project_id" not in body or body["project_id"] is None:
            if required:
                errors.add("project_id", 101, '"project_id" is required.')
            return None
        pk = as_int(body["project_id"])
        project = self._store["compute/project"].get(pk) if pk is not None else None
        if project is None or project["address_id"] != user["address_id"]:
            errors.add("project_id", 102, '"project_id" must belong to a valid Project.')
            return None
        if project["closed"]:
            errors.add("project_id", 103, "The Project is closed.")
            return None
        return project

    def _name_field(self, errors, body, default, max_length=100, required=False):
        if body.get("name") is None:
            if required:
                errors.add("name", 111, '"name" is required.')
            return default
        name = body["name"]
        if not isinstance(name, str) or not name.strip():
            errors.add("name", 112, '"name" must be a non-empty string.')
            return None
        if len(name.strip()) > max_length:
            errors.add("name", 113, '"name" cannot be longer than %d characters.' % max_length)
            return None
        return name.strip()

    def _grace_field(self, errors, body, default=DEFAULT_GRACE_PERIOD):
        if body.get("grace_period") is None:
            return default
        value = as_int(body["grace_period"])
        if value is None or value < 0:
            errors.add("grace_period", 121, '"grace_period" must be an integer >= 0.')
        return value

    def _choice(self, errors, body, field, choices, default, number):
        value = body.get(field, default)
        if value is None:
            value = default
        if value not in choices:
            errors.add(field, number, '"%s" must be one of %s.' % (field, ", ".join(choices)))
            return None
        return value

    def _instance(self, errors, body, project, field="instance_id", types=None, required=True):
        if body.get(field) is None:
            if required:
                errors.add(field, 131, '"%s" is required.' % field)
            return None
        instance = self._store["compute/compute/instances"].get(as_int(body[field]))
        if instance is None or project is None or instance["project_id"] != project["id"] or instance["state"] in GONE:
            errors.add(field, 132, '"%s" must belong to a valid Compute Instance in the Project.' % field)
            return None
        if types and instance["type"] not in types:
            errors.add(field, 133, "The Compute Instance must be of type %s." % " or ".join(types))
            return None
        return instance

    def _project_resources(self, project_id, exclude=None):
        for services in self.services.values():
            for svc in services:
                if svc.robot:
                    for record in self._store[svc.key].values():
                        if record.get("project_id") == project_id and record is not exclude:
                            yield svc, record

    def _state_change(self, svc, record, body, errors, changing):
        """cloudcix.md 5.3.2: the user's state transitions; config changes need update_running|update_stopped
        in the same request [INFERRED from "Required for updates"]. Returns the new state or None."""
        current = record["state"]
        wanted = body.get("state")
        if wanted is not None and wanted == current:
            wanted = None   # the current state again is a no-op (cloudcix.md 5.2.2)
        if wanted is None and not changing:
            return None
        if current not in USER_TRANSITIONS[svc.robot]:
            errors.add("state", 151, 'The %s cannot be changed while its state is "%s".'
                       % (svc.code.replace("_", " ").title(), current))
            return None
        allowed = USER_TRANSITIONS[svc.robot][current]
        if wanted is not None and wanted not in allowed:
            errors.add("state", 152, 'The state cannot change from "%s" to "%s"; allowed: %s.'
                       % (current, wanted, ", ".join(sorted(allowed))))
            return None
        if changing and wanted not in UPDATES:
            for name in changing:
                errors.add(name, 153, 'Changing "%s" needs "state": "update_running" or "update_stopped" in the same '
                                      'request.' % name)
            return None
        if wanted == "delete" and svc.code == "network_router" and record["type"] == "router":
            busy = [r for _s, r in self._project_resources(record["project_id"], exclude=record)
                    if r["state"] not in GONE]
            if busy:
                errors.add("state", 154, "Every other resource in the Project must be deleted before its network "
                                         "router.")
                return None
        return wanted

    def _apply_state(self, svc, record, state):
        if state is not None:
            self._set_state(svc, record, state, self.clock.now())
        else:
            self._touch(record)

    def _update_common(self, svc, record, body, changes_fn):
        """Name and grace_period (allowed alone in any state but deleted), config changes via changes_fn, state."""
        errors = self._errors(svc, "update")
        if record.get("state") == "deleted":
            errors.add("state", 150, "A deleted %s cannot be changed." % svc.code.replace("_", " ").title())
            errors.raise_if_any()
        name = self._name_field(errors, body, record.get("name"))
        grace = self._grace_field(errors, body, record.get("grace_period")) if "grace_period" in record else None
        apply, changing = changes_fn(errors) if changes_fn else (None, [])
        state = self._state_change(svc, record, body, errors, changing) if not errors else None
        errors.raise_if_any()
        record["name"] = name
        if "grace_period" in record and grace is not None:
            record["grace_period"] = grace
        if apply:
            apply()
        self._apply_state(svc, record, state)

    def _delete_stateful(self, req, svc, user, record, parent):
        """HTTP DELETE: the no-grace purge (cloudcix.md 5.3.1: "grace period will be set to 0") [INFERRED beyond
        instances: the other compute resources behave alike]."""
        state = record["state"]
        if state in ("deleting", "deleted"):
            return
        if state in ("delete", "delete_queue"):
            record["grace_period"] = 0
            if state == "delete_queue":
                self._set_state(svc, record, "delete_queue", self.clock.now())
            return
        errors = self._errors(svc, "update")
        new = self._state_change(svc, record, {"state": "delete"}, errors, [])
        if errors:
            first = next(iter(errors.values()))
            raise ApiError(400, {"error_code": first["error_code"].replace("_update_", "_delete_"),
                                 "detail": first["detail"]})
        record["grace_period"] = 0
        self._apply_state(svc, record, new)

    # =============================================================================================
    # compute: project (cloudcix.md 5.3.3)
    # =============================================================================================
    def _project_name(self, errors, body, user, exclude=None):
        name = self._name_field(errors, body, None, required=exclude is None)
        if name is None:
            return None
        for other in self._store["compute/project"].values():
            if (other is not exclude and other["address_id"] == user["address_id"] and not other["closed"]
                    and other["name"] == name):
                errors.add("name", 107 if exclude is None else 103,
                           "Your Address already has a Project with the same name.")   # cloudcix.md 5.2.3
                return None
        return name

    def _create_project(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        region = as_int(body.get("region_id")) if body.get("region_id") is not None else None
        if body.get("region_id") is None:
            errors.add("region_id", 101, '"region_id" is required.')
        elif region not in self.regions:
            errors.add("region_id", 102, '"region_id" must be a region your Address may build in.')
        name = self._project_name(errors, body, user)
        note = body.get("note", "")
        if note is not None and not isinstance(note, str):
            errors.add("note", 108, '"note" must be a string.')
        errors.raise_if_any()
        return self._new(svc, {"address_id": user["address_id"], "archived": None, "closed": False,
                               "manager_id": user["id"], "name": name, "note": note or "", "region_id": region,
                               "reseller_id": user.get("reseller_id", user["address_id"])})   # [INFERRED]

    def _update_project(self, req, svc, user, record, body):
        errors = self._errors(svc, "update")
        name = self._project_name(errors, body, user, exclude=record) if body.get("name") is not None else None
        if "note" in body and body["note"] is not None and not isinstance(body["note"], str):
            errors.add("note", 104, '"note" must be a string.')
        errors.raise_if_any()
        # region_id cannot change (cloudcix.md 5.3.3) and is ignored, as gen 1 does (5.2.3)
        if name is not None:
            record["name"] = name
        if body.get("note") is not None:
            record["note"] = body["note"]
        self._touch(record)

    def _delete_project(self, req, svc, user, record, parent):
        # cloudcix.md 5.3.3, 8.5: only an empty project (every resource deleted or queued); then closed [INFERRED]
        busy = [r for _s, r in self._project_resources(record["id"]) if r["state"] not in GONE]
        if busy:
            raise ApiError(400, {"error_code": "compute_project_delete_101",
                                 "detail": "The Project cannot be deleted while it has resources that are not "
                                           "deleted: %s." % ", ".join(sorted({r["name"] for r in busy}))})
        if not record["closed"]:
            record["closed"] = True
            self._touch(record)

    # =============================================================================================
    # compute: network routers (cloudcix.md 5.3.5)
    # =============================================================================================
    def _router_of(self, project):
        for router in self._store["compute/network/routers"].values():
            if (project is not None and router["project_id"] == project["id"] and router["type"] == "router"
                    and router["state"] not in ("deleting", "deleted")):
                return router
        return None

    def _networks_field(self, errors, value, router=None):
        """The complete list: existing entries keep range, ipv6 and vlan (names may change); new ones get both."""
        if not isinstance(value, list) or not value:
            errors.add("networks", 161, '"networks" must be a non-empty list.')
            return None
        existing = {n["vlan"]: n for n in (router or {}).get("networks", [])}
        result, item_errors, seen = [], [], []
        for item in value:
            problem = {}
            out = None
            if not isinstance(item, dict):
                item_errors.append({"error_code": errors.code(162), "detail": "Each network must be an object."})
                continue
            try:
                ipv4 = ipaddress.ip_interface(str(item.get("ipv4")))
                if ipv4.version != 4 or not ipv4.network.is_private or ipv4.ip in (ipv4.network.network_address,
                                                                                   ipv4.network.broadcast_address):
                    raise ValueError
            except ValueError:
                problem["ipv4"] = {"error_code": errors.code(163), "detail": '"ipv4" must be a private IPv4 gateway '
                                                                             'address with its prefix, e.g. 10.0.0.1/24.'}
                ipv4 = None
            old = existing.get(as_int(item.get("vlan"))) if item.get("vlan") is not None else None
            if old is None and ipv4 is not None:
                old = next((n for n in existing.values() if n["ipv4"] == str(ipv4)), None)
            if item.get("vlan") is not None and old is None:
                problem["vlan"] = {"error_code": errors.code(164), "detail": "No existing network has this vlan."}
            if old is not None and ipv4 is not None and str(ipv4) != old["ipv4"]:
                problem["ipv4"] = {"error_code": errors.code(165), "detail": "The range of an existing network "
                                                                             "cannot change."}
            name = item.get("name")
            if name is not None and (not isinstance(name, str) or not name.strip()):
                problem["name"] = {"error_code": errors.code(166), "detail": '"name" must be a non-empty string.'}
            if ipv4 is not None and not problem:
                clash = next((s for s in seen if s.overlaps(ipv4.network)), None)
                if clash is not None:
                    problem["ipv4"] = {"error_code": errors.code(167), "detail": "The range overlaps %s." % clash}
                seen.append(ipv4.network)
            if not problem:
                if old is not None:
                    out = dict(old, name=(name or old["name"]).strip())
                else:
                    out = {"name": (name or "network-%d" % (len(result) + 1)).strip(), "ipv4": str(ipv4),
                           "ipv6": None, "vlan": None}
                result.append(out)
            item_errors.append(problem or None)
        if any(item_errors):
            errors["networks"] = item_errors
            return None
        missing = set(existing) - {n["vlan"] for n in result}
        if missing:
            errors.add("networks", 168, "Existing networks cannot be removed; send the complete list (missing vlan "
                                        "%s)." % ", ".join(str(v) for v in sorted(missing)))   # [INFERRED]
            return None
        return result

    def _fill_networks(self, project, networks):
        region = self.regions[project["region_id"]]
        block = ipaddress.ip_network(region.get("ipv6", "2a02:2078:9::/48"))
        for network in networks:
            if network["vlan"] is None:
                network["vlan"] = next(self._vlans)
                subnet = ipaddress.ip_network((int(block.network_address) + (network["vlan"] << 64), 64))
                network["ipv6"] = "%s/64" % (subnet.network_address + 1)
        return networks

    def _route_metadata(self, errors, value, project, current=None):
        if not isinstance(value, dict):
            errors.add("metadata", 171, '"metadata" must be an object with "destination" and "nexthop".')
            return None
        out = dict(current or {})
        try:
            destination = ipaddress.ip_network(str(value.get("destination", out.get("destination"))), strict=False)
        except ValueError:
            errors.add("metadata", 172, '"metadata.destination" must be a CIDR.')
            return None
        try:
            nexthop = ipaddress.ip_address(str(value.get("nexthop", out.get("nexthop"))))
        except ValueError:
            errors.add("metadata", 173, '"metadata.nexthop" must be an IP address.')
            return None
        nat = value.get("nat", out.get("nat", False))
        if not isinstance(nat, bool):
            errors.add("metadata", 174, '"metadata.nat" must be a boolean.')
            return None
        if current is not None:
            if str(destination) != current["destination"] or str(nexthop) != current["nexthop"]:
                errors.add("metadata", 175, "Only nat and name of a static route can change.")
                return None
            return dict(current, nat=nat)
        router = self._router_of(project)
        if router is None or not any(nexthop in ipaddress.ip_interface(n["ipv4"]).network for n in router["networks"]):
            errors.add("metadata", 176, '"metadata.nexthop" must be inside a network of the Project\'s router.')
            return None
        for other in self._store["compute/network/routers"].values():
            if (other["project_id"] == project["id"] and other["type"] == "static_route" and other["state"] not in GONE
                    and ipaddress.ip_network(other["metadata"]["destination"]).overlaps(destination)):
                errors.add("metadata", 177, "The destination overlaps the static route %s." % other["name"])
                return None
        return {"destination": str(destination), "nexthop": str(nexthop), "nat": nat}

    def _create_network_router(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        kind = self._choice(errors, body, "type", ("router", "static_route"), "router", 104)   # default [INFERRED]
        name = self._name_field(errors, body, "Router" if kind != "static_route" else "Static Route")  # [INFERRED]
        grace = self._grace_field(errors, body)
        networks, metadata = [], {}
        if kind == "router":
            if project is not None and self._router_of(project) is not None:
                errors.add("type", 105, "The Project already has a network router.")
            networks = self._networks_field(errors, body.get("networks") or [{"name": "default", "ipv4": "10.0.0.1/24"}])
        elif kind == "static_route" and project is not None:
            metadata = self._route_metadata(errors, body.get("metadata"), project)
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "type": kind, "grace_period": grace,
                               "specs": [], "networks": self._fill_networks(project, networks),
                               "metadata": metadata})

    def _update_network_router(self, req, svc, user, record, body):
        project = self._store["compute/project"][record["project_id"]]

        def changes(errors):
            changing, updates = [], {}
            if body.get("networks") is not None:
                if record["type"] != "router":
                    errors.add("networks", 160, "A static route has no networks.")
                else:
                    networks = self._networks_field(errors, body["networks"], record)
                    if networks is not None and networks != record["networks"]:
                        if [(n["ipv4"], n["vlan"]) for n in networks] != [(n["ipv4"], n["vlan"])
                                                                          for n in record["networks"]]:
                            changing.append("networks")
                        updates["networks"] = networks
            if body.get("metadata") is not None and record["type"] == "static_route":
                metadata = self._route_metadata(errors, body["metadata"], project, record["metadata"])
                if metadata is not None and metadata != record["metadata"]:
                    changing.append("metadata")
                    updates["metadata"] = metadata
            # names of existing networks may change alone, like the router's own name [INFERRED]
            return (lambda: record.update(updates, networks=self._fill_networks(project, updates.get(
                "networks", record["networks"])))), changing
        self._update_common(svc, record, body, changes)

    _delete_network_router = _delete_stateful

    # =============================================================================================
    # compute: firewalls, VPNs, IP groups (cloudcix.md 5.3.6)
    # =============================================================================================
    def _rules_field(self, errors, value):
        if not isinstance(value, list):
            errors.add("rules", 181, '"rules" must be a list.')
            return None
        rules, item_errors = [], []
        for rule in value:
            problem = {}
            if not isinstance(rule, dict):
                item_errors.append({"error_code": errors.code(182), "detail": "Each rule must be an object."})
                continue
            for flag in ("allow", "inbound"):
                if not isinstance(rule.get(flag), bool):
                    problem[flag] = {"error_code": errors.code(183), "detail": '"%s" must be a boolean.' % flag}
            if rule.get("group_name") is not None:
                if not isinstance(rule["group_name"], str) or not rule["group_name"].strip():
                    problem["group_name"] = {"error_code": errors.code(184), "detail": '"group_name" must name an IP '
                                                                                       'group.'}
                out = {k: rule[k] for k in ("group_name", "allow", "inbound") if k in rule}
            else:
                for end in ("source", "destination"):
                    try:
                        if rule.get(end) not in ("*", "any"):
                            ipaddress.ip_network(str(rule.get(end)), strict=False)
                    except ValueError:
                        problem[end] = {"error_code": errors.code(185), "detail": '"%s" must be a CIDR or "*".' % end}
                protocol = rule.get("protocol", "any")
                if protocol not in ("tcp", "udp", "icmp", "any"):
                    problem["protocol"] = {"error_code": errors.code(186), "detail": '"protocol" must be tcp, udp, '
                                                                                     'icmp or any.'}
                port = str(rule.get("port", "") or "")
                if port and not re.fullmatch(r"\d{1,5}(-\d{1,5})?", port):
                    problem["port"] = {"error_code": errors.code(187), "detail": '"port" must be a port or a range '
                                                                                 'a-b.'}
                out = {"allow": rule.get("allow"), "inbound": rule.get("inbound"), "source": rule.get("source"),
                       "destination": rule.get("destination"), "port": port, "protocol": protocol,
                       "zone": rule.get("zone", "Public"), "description": rule.get("description", "")}
            item_errors.append(problem or None)
            rules.append(out)
        if any(item_errors):
            errors["rules"] = item_errors
            return None
        return rules

    def _create_network_firewall(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        kind = self._choice(errors, body, "type", ("project", "geo"), None, 104)
        name = self._name_field(errors, body, "Firewall")   # [INFERRED] default
        grace = self._grace_field(errors, body)
        if project is not None and kind is not None and any(
                f["project_id"] == project["id"] and f["type"] == kind and f["state"] not in GONE
                for f in self._store[svc.key].values()):
            errors.add("type", 105, "The Project already has a %s firewall." % kind)
        rules = self._rules_field(errors, body.get("rules", []))
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "type": kind, "grace_period": grace,
                               "rules": rules, "specs": []})

    def _update_network_firewall(self, req, svc, user, record, body):
        def changes(errors):
            if body.get("rules") is None:
                return None, []
            rules = self._rules_field(errors, body["rules"])   # the whole list is replaced (cloudcix.md 5.3.6)
            if rules is None or rules == record["rules"]:
                return None, []
            return (lambda: record.update(rules=rules)), ["rules"]
        self._update_common(svc, record, body, changes)

    _delete_network_firewall = _delete_stateful

    def _create_network_vpn(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        kind = self._choice(errors, body, "type", ("site-to-site",), "site-to-site", 104)
        name = self._name_field(errors, body, "VPN")   # [INFERRED] default
        grace = self._grace_field(errors, body)
        metadata = body.get("metadata", {})
        if not isinstance(metadata, dict):
            errors.add("metadata", 141, '"metadata" must be an object.')
        if project is not None and self._router_of(project) is None:
            errors.add("project_id", 104, "The Project has no network router.")
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "type": kind, "grace_period": grace,
                               "metadata": copy.deepcopy(metadata), "specs": []})

    def _update_network_vpn(self, req, svc, user, record, body):
        def changes(errors):
            metadata = body.get("metadata")
            if metadata is None or metadata == record["metadata"]:
                return None, []
            if not isinstance(metadata, dict):
                errors.add("metadata", 141, '"metadata" must be an object.')
                return None, []
            return (lambda: record.update(metadata=copy.deepcopy(metadata))), ["metadata"]
        self._update_common(svc, record, body, changes)

    _delete_network_vpn = _delete_stateful

    def _ip_group_fields(self, errors, body, user, record=None):
        out = {}
        if record is None or body.get("name") is not None:
            name = body.get("name")
            if not isinstance(name, str) or not NAME_RULE.fullmatch(name) or len(name) > 50:
                errors.add("name", 101, '"name" must start with a letter and hold only letters, digits, "_" and "-" '
                                        '(at most 50).')
            elif any(g is not record and g["member_id"] == user["member_id"] and g["name"] == name
                     for g in self._store["compute/network/ip_groups"].values()):
                errors.add("name", 102, "An IP group with this name already exists.")   # per Member [INFERRED]
            else:
                out["name"] = name
        version = as_int(body.get("version", record["version"] if record else 4))
        if version not in (4, 6):
            errors.add("version", 103, '"version" must be 4 or 6.')
        else:
            out["version"] = version
        if record is None or body.get("cidrs") is not None:
            cidrs = body.get("cidrs")
            if not isinstance(cidrs, list) or not cidrs:
                errors.add("cidrs", 104, '"cidrs" must be a non-empty list.')
            else:
                try:
                    nets = [ipaddress.ip_network(str(c), strict=False) for c in cidrs]
                    if any(n.version != (version or 4) for n in nets):
                        raise ValueError
                    out["cidrs"] = [str(n) for n in nets]
                except ValueError:
                    errors.add("cidrs", 105, '"cidrs" must be IPv%s networks.' % (version or 4))
        elif "version" in out and record is not None and any(
                ipaddress.ip_network(c).version != out["version"] for c in record["cidrs"]):
            errors.add("version", 106, "The version does not match the cidrs.")
        if body.get("description") is not None:
            out["description"] = str(body["description"])
        errors.raise_if_any()
        return out

    def _create_network_ip_group(self, req, svc, user, parent):
        fields = self._ip_group_fields(self._errors(svc, "create"), self._body(req), user)
        fields.setdefault("description", "")
        return self._new(svc, dict(fields, member_id=user["member_id"]))

    def _update_network_ip_group(self, req, svc, user, record, body):
        record.update(self._ip_group_fields(self._errors(svc, "update"), body, user, record))
        self._touch(record)

    def _delete_network_ip_group(self, req, svc, user, record, parent):
        del self._store[svc.key][record["id"]]   # a real HTTP DELETE (cloudcix.md 5.3.1)

    # =============================================================================================
    # compute: instances (cloudcix.md 5.3.4)
    # =============================================================================================
    def _specs_field(self, errors, value, kinds, hypervisor, project, current=None, required=True):
        """specs: [{sku_name, quantity}] checked against the price list; ``kinds`` maps kind -> (min count, max
        count). An update merges by sku_name [INFERRED]."""
        if value is None:
            if required:
                errors.add("specs", 191, '"specs" is required.')
            return None
        if not isinstance(value, list) or not value:
            errors.add("specs", 192, '"specs" must be a non-empty list.')
            return None
        merged = [dict(s) for s in current or []]
        item_errors, names = [], set()
        for item in value:
            problem = {}
            sku = item.get("sku_name") if isinstance(item, dict) else None
            facts = self.skus.get(sku) if isinstance(sku, str) else None
            quantity = as_int(item.get("quantity", 1)) if isinstance(item, dict) else None
            if facts is None or facts["kind"] not in kinds:
                problem["sku_name"] = {"error_code": errors.code(193), "detail": '"%s" is not a valid sku_name here.'
                                       % sku}
            elif facts.get("hypervisor") not in (None, hypervisor):
                problem["sku_name"] = {"error_code": errors.code(194),
                                       "detail": '"%s" is not for %s.' % (sku, hypervisor)}
            elif facts["kind"] == "image" and not self._image_ok(sku, hypervisor, project):
                problem["sku_name"] = {"error_code": errors.code(195), "detail": 'The image "%s" is not available '
                                                                                 'for %s in this region.' % (sku,
                                                                                                             hypervisor)}
            elif sku in names:
                problem["sku_name"] = {"error_code": errors.code(196), "detail": '"%s" is given twice.' % sku}
            if quantity is None or (facts and not facts.get("min", 1) <= quantity <= facts.get("max", 10 ** 9)):
                problem["quantity"] = {"error_code": errors.code(197), "detail": '"quantity" must be an integer '
                                       'between %s and %s.' % ((facts or {}).get("min", 1), (facts or {}).get("max"))}
            item_errors.append(problem or None)
            if not problem:
                names.add(sku)
                old = next((s for s in merged if s["sku_name"] == sku), None)
                if old is None:
                    merged.append({"sku_name": sku, "quantity": quantity})
                else:
                    if facts["kind"] == "storage" and quantity < old["quantity"]:
                        errors.add("specs", 198, "Storage cannot shrink (%s: %d -> %d)."
                                   % (sku, old["quantity"], quantity))
                    old["quantity"] = quantity
        if any(item_errors):
            errors["specs"] = item_errors
            return None
        for kind, (low, high) in kinds.items():
            count = sum(1 for s in merged if self.skus[s["sku_name"]]["kind"] == kind)
            if not low <= count <= high:
                errors.add("specs", 199, "The specs need %s %s SKU%s." % (
                    "exactly %d" % low if low == high else "%d to %d" % (low, high), kind, "" if high == 1 else "s"))
                return None
        return merged

    def _image_ok(self, sku, hypervisor, project):
        return any(i["sku_name"] == sku and i["type"] == hypervisor and (project is None or i.get("region_id") in (
            None, project["region_id"])) for i in self._store["compute/compute/images"].values())

    def _instance_metadata(self, errors, value, hypervisor, user, current=None):
        if not isinstance(value, dict):
            errors.add("metadata", 141, '"metadata" must be an object.')
            return None
        out = dict(current or {"instance_type": "container" if hypervisor == "lxd" else "virtual-machine"})
        if hypervisor == "hyperv":
            out["instance_type"] = "virtual-machine"
        known = ("instance_type", "dns", "userdata", "ssh_key_names") if hypervisor == "lxd" else (
            "instance_type", "dns4", "dns6", "userdata", "email", "ssh_key_names")
        for key, item in value.items():
            if key not in known:
                continue
            if key == "instance_type" and item not in ("container", "virtual-machine"):
                errors.add("metadata", 142, '"instance_type" must be container or virtual-machine.')
            elif key in ("dns", "dns4", "dns6") and item is not None:
                try:
                    [ipaddress.ip_address(part.strip()) for part in str(item).split(",") if part.strip()]
                except ValueError:
                    errors.add("metadata", 143, '"%s" must be comma-separated IP addresses.' % key)
            elif key == "userdata" and item and (not isinstance(item, str) or not item.startswith(USERDATA_PREFIXES)):
                errors.add("metadata", 144, '"userdata" must start with #cloud-config, #! or another cloud-init '
                                            'marker.')   # cloudcix.md 5.2.5 (gen 1)
            elif key == "ssh_key_names":
                names = item if isinstance(item, list) else None
                keys = {k["name"] for k in self._store["compute/compute/ssh_keys"].values()
                        if k["address_id"] == user["address_id"]}
                if names is None or any(n not in keys for n in names):
                    errors.add("metadata", 145, '"ssh_key_names" must name SSH keys of your Address.')
            if not errors.get("metadata"):
                out[key] = item
        out.setdefault("userdata", "")
        if hypervisor == "lxd":
            out.setdefault("dns", "8.8.8.8,8.8.4.4")   # [INFERRED] default
        return out

    def _interfaces_field(self, errors, value, project, instance=None):
        """Interfaces on the project's router networks; a missing address is assigned (cloudcix.md 7: the template
        leaves it out); nat: true allocates a public IP from the region's pool."""
        router = self._router_of(project)
        if router is None:
            errors.add("interfaces", 171, "The Project has no network router.")
            return None
        if value is None:
            value = [{"gateway": True, "ipv4_addresses": [{"nat": False}]}]   # [INFERRED] default
        if not isinstance(value, list) or not value:
            errors.add("interfaces", 172, '"interfaces" must be a non-empty list.')
            return None
        networks = [(n, ipaddress.ip_interface(n["ipv4"]), ipaddress.ip_interface(n["ipv6"])) for n in router["networks"]]
        used4, used6, used_public = set(), set(), set()
        for other in self._store["compute/compute/instances"].values():
            if other is instance or other.get("_released"):
                continue
            for itf in other.get("interfaces", []):
                for a in itf["ipv4_addresses"]:
                    if other["project_id"] == project["id"]:
                        used4.add(a["address"])
                    if a.get("public_ip"):
                        used_public.add(a["public_ip"])
                for a in itf["ipv6_addresses"]:
                    used6.add(a["address"])
        old = {a["address"]: a for itf in (instance or {}).get("interfaces", []) for a in
               itf["ipv4_addresses"] + itf["ipv6_addresses"]}
        result, item_errors, taken_nets = [], [], set()
        for index, itf in enumerate(value):
            problem = {}
            if not isinstance(itf, dict):
                item_errors.append({"error_code": errors.code(173), "detail": "Each interface must be an object."})
                continue
            v4 = itf.get("ipv4_addresses", [{}])
            v6 = itf.get("ipv6_addresses", [{}])
            if not isinstance(v4, list) or not all(isinstance(a, dict) for a in v4):
                problem["ipv4_addresses"] = {"error_code": errors.code(174), "detail": "A list of objects."}
                v4 = []
            if not isinstance(v6, list) or not all(isinstance(a, dict) for a in v6):
                problem["ipv6_addresses"] = {"error_code": errors.code(174), "detail": "A list of objects."}
                v6 = []
            network = None
            if itf.get("vlan") is not None:
                network = next((n for n in networks if n[0]["vlan"] == as_int(itf["vlan"])), None)
                if network is None:
                    problem["vlan"] = {"error_code": errors.code(175), "detail": "No network of the router has this "
                                                                                 "vlan."}
            given = []
            for a in v4:
                if a.get("address") is None:
                    continue
                try:
                    given.append(ipaddress.ip_address(str(a["address"])))
                except ValueError:
                    problem["ipv4_addresses"] = {"error_code": errors.code(176),
                                                 "detail": "%s is not an IPv4 address." % a["address"]}
            if network is None and given:
                network = next((n for n in networks if given[0] in n[1].network), None)
            if network is None and "vlan" not in problem:
                free = [n for n in networks if n[0]["vlan"] not in taken_nets]
                network = (free or networks)[0]
            out4, out6 = [], []
            if network is not None and not problem:
                taken_nets.add(network[0]["vlan"])
                net4, net6 = network[1], network[2]
                for a in v4:
                    nat = a.get("nat", False)
                    if not isinstance(nat, bool):
                        problem["ipv4_addresses"] = {"error_code": errors.code(177),
                                                     "detail": '"nat" must be a boolean.'}
                        break
                    if a.get("address") is None:
                        address = next((str(h) for h in net4.network.hosts() if h != net4.ip and str(h) not in used4),
                                       None)
                        if address is None:
                            problem["ipv4_addresses"] = {"error_code": errors.code(178),
                                                         "detail": "The network is full."}
                            break
                    else:
                        ip = ipaddress.ip_address(str(a["address"]))
                        if (ip not in net4.network or ip in (net4.ip, net4.network.network_address,
                                                             net4.network.broadcast_address)):
                            problem["ipv4_addresses"] = {"error_code": errors.code(179), "detail": "%s is not a free "
                                                         "host address of the network %s." % (ip, net4.network)}
                            break
                        address = str(ip)
                        if address in used4:
                            problem["ipv4_addresses"] = {"error_code": errors.code(180), "detail": "%s is in use."
                                                         % address}
                            break
                    used4.add(address)
                    previous = old.get(address)
                    public = previous.get("public_ip") if previous and previous.get("nat") and nat else None
                    if nat and public is None:
                        pool = ipaddress.ip_network(self.regions[project["region_id"]]["public_ipv4"])
                        public = next((str(h) for h in pool.hosts() if str(h) not in used_public), None)
                        if public is None:
                            problem["ipv4_addresses"] = {"error_code": errors.code(181),
                                                         "detail": "No public IP address is free."}
                            break
                        used_public.add(public)
                    out4.append({"id": previous["id"] if previous else next(self._address_ids), "address": address,
                                 "nat": nat, "public_ip": public})
                for a in v6:
                    if a.get("address") is None:
                        base = int(net6.network.network_address)
                        address = next(str(ipaddress.ip_address(base + n)) for n in itertools.count(16)
                                       if str(ipaddress.ip_address(base + n)) not in used6)
                    else:
                        try:
                            ip = ipaddress.ip_address(str(a["address"]))
                        except ValueError:
                            ip = None
                        if ip is None or ip not in net6.network or str(ip) in used6:
                            problem["ipv6_addresses"] = {"error_code": errors.code(182), "detail": "%s is not a free "
                                                         "address of %s." % (a["address"], net6.network)}
                            break
                        address = str(ip)
                    used6.add(address)
                    previous = old.get(address)
                    out6.append({"id": previous["id"] if previous else next(self._address_ids), "address": address})
            gateway = itf.get("gateway", index == 0 and not any(isinstance(i, dict) and i.get("gateway")
                                                                for i in value))
            if not isinstance(gateway, bool):
                problem["gateway"] = {"error_code": errors.code(183), "detail": '"gateway" must be a boolean.'}
            item_errors.append(problem or None)
            if not problem:
                result.append({"gateway": gateway, "vlan": network[0]["vlan"], "ipv4_addresses": out4,
                               "ipv6_addresses": out6})
        if any(item_errors):
            errors["interfaces"] = item_errors
            return None
        if sum(1 for i in result if i["gateway"]) != 1:
            errors.add("interfaces", 184, "Exactly one interface must be the gateway.")
            return None
        return result

    def _create_compute_instance(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        kind = self._choice(errors, body, "type", ("lxd", "hyperv"), "lxd", 104)   # default [INFERRED]
        name = self._name_field(errors, body, "LXD" if kind == "lxd" else "HyperV")
        grace = self._grace_field(errors, body)
        metadata = specs = interfaces = None
        if body.get("metadata") is None:
            errors.add("metadata", 140, '"metadata" is required.')
        elif kind:
            metadata = self._instance_metadata(errors, body["metadata"], kind, user)
        if kind:
            vcpu = ("vcpu", (1, 1))
            specs = self._specs_field(errors, body.get("specs"), dict([("ram", (1, 1)), vcpu, ("storage", (1, 8)),
                                                                       ("image", (1, 1))]), kind, project)
        if project is not None:
            interfaces = self._interfaces_field(errors, body.get("interfaces"), project)
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "type": kind, "grace_period": grace,
                               "metadata": metadata, "specs": specs, "interfaces": interfaces})

    def _update_compute_instance(self, req, svc, user, record, body):
        project = self._store["compute/project"][record["project_id"]]

        def changes(errors):
            changing, updates = [], {}
            kinds = {"ram": (1, 1), "vcpu": (1, 1), "storage": (1, 8), "image": (1, 1)}
            if body.get("specs") is not None:
                specs = self._specs_field(errors, body["specs"], kinds, record["type"], project, record["specs"])
                if specs is not None:
                    images = [s for s in specs if self.skus[s["sku_name"]]["kind"] == "image"]
                    if images and images[0] not in record["specs"]:
                        errors.add("specs", 189, "The image of an instance cannot change.")   # [INFERRED]
                    elif specs != record["specs"]:
                        changing.append("specs")
                        updates["specs"] = specs
            if body.get("interfaces") is not None:
                interfaces = self._interfaces_field(errors, body["interfaces"], project, record)
                if interfaces is not None and interfaces != record["interfaces"]:
                    changing.append("interfaces")
                    updates["interfaces"] = interfaces
            if body.get("metadata") is not None:
                metadata = self._instance_metadata(errors, body["metadata"], record["type"], user, record["metadata"])
                if metadata is not None and metadata != record["metadata"]:
                    changing.append("metadata")
                    updates["metadata"] = metadata
            return (lambda: record.update(updates)), changing
        self._update_common(svc, record, body, changes)

    _delete_compute_instance = _delete_stateful

    # =============================================================================================
    # compute: volumes, snapshots, backups, GPUs (cloudcix.md 5.3.6)
    # =============================================================================================
    def _create_storage_volume(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        kind = self._choice(errors, body, "type", ("cephfs", "cephrbd", "hyperv"), "cephfs", 104)  # default [INFERRED]
        name = self._name_field(errors, body, "Ceph" if kind != "hyperv" else "HyperV")
        grace = self._grace_field(errors, body)
        instance = self._instance(errors, body, project, types=("hyperv",), required=kind == "hyperv") \
            if kind == "hyperv" else None
        sku_kind = "storage" if kind == "hyperv" else "volume"
        specs = self._specs_field(errors, body.get("specs"), {sku_kind: (1, 1)}, "hyperv" if kind == "hyperv" else
                                  "lxd", project) if kind else None
        metadata, attached = self._volume_metadata(errors, body.get("metadata") or {}, project, [], kind)
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "type": kind, "grace_period": grace,
                               "specs": specs, "metadata": metadata, "_instance_id": instance["id"] if instance
                               else None, "_attached": attached})

    def _volume_metadata(self, errors, value, project, attached, kind):
        if not isinstance(value, dict):
            errors.add("metadata", 141, '"metadata" must be an object.')
            return None, attached
        attached = list(attached)
        out = {"mount_path": value.get("mount_path", "/mnt/volume")} if kind == "cephfs" else {}
        for field, add in (("attach_instance_ids", True), ("detach_instance_ids", False)):
            ids = value.get(field) or []
            if ids and kind != "cephfs":
                errors.add("metadata", 146, '"%s" is for cephfs volumes.' % field)
                continue
            for pk in ids if isinstance(ids, list) else [None]:
                instance = self._instance(errors, {"id": pk}, project, field="id", types=("lxd",))
                if instance is None:
                    errors["metadata"] = errors.pop("id")
                    break
                if add and instance["id"] not in attached:
                    attached.append(instance["id"])
                elif not add and instance["id"] in attached:
                    attached.remove(instance["id"])
        return out, attached

    def _update_storage_volume(self, req, svc, user, record, body):
        project = self._store["compute/project"][record["project_id"]]

        def changes(errors):
            changing, updates = [], {}
            if body.get("specs") is not None:
                sku_kind = "storage" if record["type"] == "hyperv" else "volume"
                specs = self._specs_field(errors, body["specs"], {sku_kind: (1, 1)}, "hyperv" if record["type"] ==
                                          "hyperv" else "lxd", project, record["specs"])
                if specs is not None and specs[0]["quantity"] < record["specs"][0]["quantity"]:
                    errors.add("specs", 198, "A volume cannot shrink.")   # [INFERRED]
                elif specs is not None and specs != record["specs"]:
                    changing.append("specs")
                    updates["specs"] = specs
            if body.get("metadata") is not None:
                metadata, attached = self._volume_metadata(errors, body["metadata"], project, record["_attached"],
                                                           record["type"])
                if metadata is not None and "mount_path" in body["metadata"] and \
                        metadata.get("mount_path") != record["metadata"].get("mount_path"):
                    changing.append("metadata")
                    updates["metadata"] = dict(record["metadata"], mount_path=metadata["mount_path"])
                if attached != record["_attached"]:
                    if "metadata" not in changing:
                        changing.append("metadata")
                    updates["_attached"] = attached
            return (lambda: record.update(updates)), changing
        self._update_common(svc, record, body, changes)

    _delete_storage_volume = _delete_stateful

    def _create_snapshot_like(self, req, svc, user, default_name, extra):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        instance = self._instance(errors, body, project)
        if instance is not None and instance["state"] not in ("running", "stopped"):
            errors.add("instance_id", 134, "The Compute Instance must be running or stopped.")
        kind = body.get("type") or (instance["type"] if instance else None)
        if instance is not None and kind != instance["type"]:
            errors.add("type", 104, '"type" must be the type of the Compute Instance (%s).' % instance["type"])
        name = self._name_field(errors, body, default_name)
        grace = self._grace_field(errors, body)
        fields = extra(errors, body, instance) if extra else {}
        errors.raise_if_any()
        return self._new(svc, dict({"name": name, "project_id": project["id"], "instance_id": instance["id"],
                                    "type": kind, "grace_period": grace, "specs": []}, **fields))

    def _create_compute_snapshot(self, req, svc, user, parent):
        def extra(errors, body, instance):
            metadata = body.get("metadata") or {}
            if instance is None or instance["type"] != "hyperv":
                return {"metadata": {}}
            return {"metadata": {"active": True, "remove_subtree": bool(metadata.get("remove_subtree", False))}}
        record = self._create_snapshot_like(req, svc, user, "Compute Snapshot", extra)
        self._make_active(svc, record)   # a new snapshot is the active one (cloudcix.md 5.2.7, gen 1)
        return record

    def _make_active(self, svc, record):
        if "active" not in record["metadata"]:
            return   # Hyper-V snapshots only carry it (cloudcix.md 5.3.6)
        for other in self._store[svc.key].values():
            if other["instance_id"] == record["instance_id"] and "active" in other["metadata"]:
                other["metadata"]["active"] = other is record

    def _update_compute_snapshot(self, req, svc, user, record, body):
        """update_running reverts the instance to the snapshot (cloudcix.md 5.3.2); the instance must be running
        [INFERRED from gen 1, 5.2.7: iaas_snapshot_update_107]. The robot makes a Hyper-V snapshot the active one."""
        if body.get("state") == "update_running" and record["state"] == "running":
            instance = self._store["compute/compute/instances"].get(record["instance_id"])
            if instance is None or instance["state"] != "running":
                errors = self._errors(svc, "update")
                errors.add("state", 155, "The Compute Instance must be running to be reverted to a snapshot.")
                errors.raise_if_any()
        self._update_common(svc, record, body, None)

    _delete_compute_snapshot = _delete_stateful

    def _create_compute_backup(self, req, svc, user, parent):
        def extra(errors, body, instance):
            repository = as_int(body.get("repository", 1))
            if repository not in (1, 2):
                errors.add("repository", 105, '"repository" must be 1 (primary) or 2 (secondary).')   # [INFERRED]
            return {"repository": repository, "time_valid": None}
        return self._create_snapshot_like(req, svc, user, "Compute Backup", extra)

    def _update_compute_backup(self, req, svc, user, record, body):
        self._update_common(svc, record, body, None)

    _delete_compute_backup = _delete_stateful

    def _create_compute_gpu(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        project = self._project_field(errors, body, user)
        instance = self._instance(errors, body, project, types=("lxd",))
        name = self._name_field(errors, body, "GPU")
        grace = self._grace_field(errors, body)
        specs = self._specs_field(errors, body.get("specs"), {"gpu": (1, 1)}, "lxd", project)
        errors.raise_if_any()
        return self._new(svc, {"name": name, "project_id": project["id"], "instance_id": instance["id"],
                               "grace_period": grace, "specs": specs})

    def _update_compute_gpu(self, req, svc, user, record, body):
        self._update_common(svc, record, body, None)   # delete = detach (cloudcix.md 5.3.6)

    _delete_compute_gpu = _delete_stateful

    # =============================================================================================
    # compute: SSH keys (cloudcix.md 5.3.1)
    # =============================================================================================
    def _ssh_key_name(self, errors, body, user, record=None):
        name = self._name_field(errors, body, None, max_length=50, required=record is None)
        if name and any(k is not record and k["address_id"] == user["address_id"] and k["name"] == name
                        for k in self._store["compute/compute/ssh_keys"].values()):
            errors.add("name", 114, "An SSH key with this name already exists.")
            return None
        return name

    def _create_compute_ssh_key(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        name = self._ssh_key_name(errors, body, user)
        public_key = body.get("public_key")
        private_key = None
        if public_key is not None and not _valid_public_key(public_key):
            errors.add("public_key", 121, '"public_key" must be an OpenSSH public key.')
        errors.raise_if_any()
        if public_key is None:
            public_key, private_key = ed25519_key_pair(name)
        record = self._new(svc, {"name": name, "public_key": public_key.strip(), "address_id": user["address_id"]})
        if private_key is not None:
            record["_private_key_once"] = private_key
        return record

    def _update_compute_ssh_key(self, req, svc, user, record, body):
        errors = self._errors(svc, "update")
        name = self._ssh_key_name(errors, body, user, record) if body.get("name") is not None else None
        if body.get("public_key") not in (None, record["public_key"]):
            errors.add("public_key", 122, "The public key of an SSH key cannot change.")   # [INFERRED]
        errors.raise_if_any()
        if name:
            record["name"] = name
        self._touch(record)

    def _delete_compute_ssh_key(self, req, svc, user, record, parent):
        del self._store[svc.key][record["id"]]

    # =============================================================================================
    # contact (a plain CRUD application; its shape is [INFERRED], cloudcix.md 8.7)
    # =============================================================================================
    def _contact_fields(self, errors, body, user, record=None):
        out = {}
        for field in ("first_name", "last_name", "company", "email"):
            if field not in body or body[field] is None:
                if record is None and field in ("first_name", "email"):
                    errors.add(field, 101 if field == "first_name" else 102, '"%s" is required.' % field)
                continue
            if not isinstance(body[field], str) or len(body[field]) > 250:
                errors.add(field, 103, '"%s" must be a string of at most 250 characters.' % field)
                continue
            out[field] = body[field].strip()
        email = out.get("email")
        if email is not None:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                errors.add("email", 104, '"email" must be an e-mail address.')
            elif any(c is not record and c["member_id"] == user["member_id"] and c["email"].lower() == email.lower()
                     for c in self._store["contact/contact"].values()):
                errors.add("email", 105, "A Contact with this email already exists.")
        if body.get("group_ids") is not None:
            ids = body["group_ids"]
            groups = self._store["contact/group"]
            if not isinstance(ids, list) or any(as_int(i) not in groups or groups[as_int(i)]["member_id"] !=
                                                user["member_id"] for i in ids):
                errors.add("group_ids", 106, '"group_ids" must name Groups of your Member.')
            else:
                out["group_ids"] = sorted({as_int(i) for i in ids})
        errors.raise_if_any()
        return out

    def _create_contact(self, req, svc, user, parent):
        fields = self._contact_fields(self._errors(svc, "create"), self._body(req), user)
        return self._new(svc, dict({"last_name": "", "company": "", "group_ids": []}, **fields,
                                   member_id=user["member_id"]))

    def _update_contact(self, req, svc, user, record, body):
        record.update(self._contact_fields(self._errors(svc, "update"), body, user, record))
        self._touch(record)

    def _delete_contact(self, req, svc, user, record, parent):
        del self._store[svc.key][record["id"]]

    def _group_fields(self, errors, body, user, record=None):
        out = {}
        name = self._name_field(errors, body, None, max_length=50, required=record is None)
        if name and any(g is not record and g["member_id"] == user["member_id"] and g["name"] == name
                        for g in self._store["contact/group"].values()):
            errors.add("name", 104, "A Group with this name already exists.")
        elif name:
            out["name"] = name
        if body.get("description") is not None:
            out["description"] = str(body["description"])
        errors.raise_if_any()
        return out

    def _create_group(self, req, svc, user, parent):
        fields = self._group_fields(self._errors(svc, "create"), self._body(req), user)
        return self._new(svc, dict({"description": ""}, **fields, member_id=user["member_id"]))

    def _update_group(self, req, svc, user, record, body):
        record.update(self._group_fields(self._errors(svc, "update"), body, user, record))
        self._touch(record)

    def _create_group_contact(self, req, svc, user, parent):
        body = self._body(req)
        errors = self._errors(svc, "create")
        contact = self._store["contact/contact"].get(as_int(body.get("contact_id")))
        if contact is None or contact["member_id"] != user["member_id"]:
            errors.add("contact_id", 101, '"contact_id" must belong to a valid Contact.')
        elif parent["id"] in contact["group_ids"]:
            errors.add("contact_id", 102, "The Contact is already in this Group.")
        errors.raise_if_any()
        contact["group_ids"] = sorted(set(contact["group_ids"]) | {parent["id"]})
        self._touch(contact)
        return contact

    def _delete_group_contact(self, req, svc, user, record, parent):
        record["group_ids"] = [g for g in record["group_ids"] if g != parent["id"]]
        self._touch(record)


class Errors(dict):
    """cloudcix.md 4.2 shape 2: {field: {"error_code", "detail"}} (or an aligned list for list fields)."""

    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix

    def code(self, number):
        return "%s_%03d" % (self.prefix, number)

    def add(self, field, number, detail):
        if field not in self:
            self[field] = {"error_code": self.code(number),
                           "detail": 'The "%s" parameter is invalid. %s' % (field, detail)}

    def raise_if_any(self):
        if self:
            raise ApiError(400, {"errors": dict(self), "detail": "Bad request."})


def _matches(value, wanted):
    if isinstance(value, list):
        return any(_matches(v, wanted) for v in value)
    if isinstance(wanted, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(wanted, bool) and value == wanted
    if isinstance(value, (int, float)) and isinstance(wanted, (int, float)):
        return value == wanted
    return value is not None and str(value) == str(wanted)


def _cmp(value, bound, op):
    if value is None or isinstance(value, bool) or isinstance(bound, bool):
        return False
    try:
        return {"gt": value > bound, "gte": value >= bound, "lt": value < bound, "lte": value <= bound}[op]
    except TypeError:
        return False


def _valid_public_key(text):
    if not isinstance(text, str):
        return False
    match = SSH_KEY.fullmatch(text.strip())
    if not match:
        return False
    try:
        blob = base64.b64decode(match.group(2), validate=True)
    except ValueError:
        return False
    kind = match.group(1).encode()
    return blob[:4] == struct.pack(">I", len(kind)) and blob[4:4 + len(kind)] == kind


def main(argv=None):
    parser = sandbox_parser("CloudCIX API emulator (sandbox mode)", 8580, fixture=True)
    parser.add_argument("--token-lifetime", type=int, default=7200, help="token lifetime, emulated seconds")
    args = parser.parse_args(argv)
    emulator = CloudcixEmulator(host=args.host, port=args.port, speed=args.speed, fixture=load_fixture(args.fixture),
                                token_lifetime=args.token_lifetime).start()
    serve(emulator, "CloudCIX API emulator", [
        "api_url:    %s   (one path prefix per application)" % emulator.api_url,
        "or:         HTTP_PROXY=%s with http://<application>.%s/" % (emulator.proxy_url, emulator.base_domain),
        "email:      %s" % emulator.email,
        "password:   %s" % emulator.password,
        "api_key:    %s" % emulator.api_key,
        "region_id:  %s" % emulator.region_id,
        "speed:      %gx" % args.speed,
    ])


if __name__ == "__main__":
    main()
