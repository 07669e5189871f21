# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the Azure CycleCloud REST API (the cluster/node endpoints of CycleCloud 8, and the
undocumented CLI-backed ones that start, terminate, retry, import, show and remove clusters).

Facts come from tests/emulators/specs/cyclecloud.md ("cyclecloud.md N.M" below) and the reconstructed
Swagger document beside it (specs/cyclecloud-openapi.json); guesses are marked [INFERRED].
Standard library only.

Sandbox:  python3.11 tests/emulators/cyclecloud_emulator.py --host 127.0.0.1 --port 8380 [--fixture f.json]
Tests:    cc = CycleCloudEmulator().start(); requests.get(cc.url + "/clusters/hpc/status",
          auth=(cc.username, cc.password)); ...; cc.stop()      (see tests/emulators/README.md)
"""

from __future__ import annotations

import base64
import binascii
import copy
import ipaddress
import itertools
import json
import math
import re
import uuid
from datetime import timedelta, timezone
from http import HTTPStatus
from urllib.parse import parse_qs, unquote

from emulator_base import ApiError, EmulatorServer, Faults, Response, admin_object, load_fixture, sandbox_parser, serve

# uuid5 namespace of the ids the emulator derives (NodeId, bucketId) so they are stable across resets
ID_NAMESPACE = uuid.UUID("5f0c6d2e-8a57-4c1b-9a43-2f4e0c9b7d11")
FIRST_IP = ipaddress.IPv4Address("10.1.0.4")   # Azure keeps .0-.3 of a subnet [INFERRED subnet]
DEFAULT_REGION = "westeurope"
DEFAULT_PLACEMENT_GROUP_SIZE = 40              # cyclecloud.md 3.3: Azure.MaxScaleSetSize default 40
LOG_DETAIL = "Please see /opt/cycle_server/logs/cycle_server.log for lines tagged with request-%d for details."
# cyclecloud.md 5: the one observed error class; the others are [INFERRED] names in the same package
INVALID = "com.cyclecomputing.cloud.exceptions.InvalidAttributeException"
NOT_FOUND = "com.cyclecomputing.cloud.exceptions.NotFoundException"
DUPLICATE = "com.cyclecomputing.cloud.exceptions.DuplicateRequestException"
AUTH_FAILED = "com.cyclecomputing.cloud.exceptions.AuthenticationException"
NOT_ALLOWED = "com.cyclecomputing.cloud.exceptions.MethodNotAllowedException"
FAULT = "com.cyclecomputing.cloud.exceptions.EmulatedFaultException"   # an injected fault without a body

DEFAULT_TIMING = {          # emulated seconds a node spends in each transitional Status
    "allocation": 20,       # Allocation ("Acquiring" in the UI, cyclecloud.md 4.2)
    "preparing": 40,
    "terminating": 30,
    "deallocating": 20,     # Status "Deallocating" is [INFERRED] (cyclecloud.md 4.2: UNCONFIRMED)
    "starting_cluster": 0,  # a started cluster stays "Starting" at least this long
    "removing": 10,         # [INFERRED] a terminated nodearray node shows Off this long before its record goes
    "restarting": 10,       # [INFERRED] restart/reimage: cyclecloud.md 4.2 leaves their Status open
    "reimaging": 30,
}
PHASE_TIMING = {"Allocation": "allocation", "Preparing": "preparing", "Terminating": "terminating",
                "Deallocating": "deallocating", "Restarting": "restarting", "Reimaging": "reimaging"}
FAILABLE_PHASES = tuple(PHASE_TIMING)   # fail_next accepts these (the contract names the first three)
STARTING = ("Allocation", "Preparing")
# [INFERRED] the older State attribute (cyclecloud.md 4.2: symphony mocks set "Started")
STATE_OF_STATUS = {"Ready": "Started", "Allocation": "Starting", "Preparing": "Starting", "Off": "Off",
                   "Restarting": "Started", "Reimaging": "Starting"}
INDEX = re.compile(r"%0?\d*d")   # the node index in a nameFormat ("execute-%d", "gpu%03d")
NODE_ACTIONS = ("deallocate", "remove", "shutdown", "start", "terminate", "reimage", "restart")
# node attributes a create's nodeAttributes cannot change
PROTECTED_ATTRIBUTES = frozenset(k.lower() for k in ("Name", "NodeId", "ClusterName", "Template", "MachineType",
                                                     "Status", "TargetState", "State", "StatusMessage"))

DEFAULT_VM_SIZES = {
    # vcpuCount, pcpuCount, gpuCount, memory (GB), infiniband: Azure's published sizes; quotas are sandbox values
    "Standard_D2s_v3": {"vcpuCount": 2, "pcpuCount": 1, "gpuCount": 0, "memory": 8.0, "infiniband": False,
                        "family": "standardDSv3Family", "familyQuotaCoreCount": 100, "regionalQuotaCoreCount": 1000},
    "Standard_D4s_v3": {"vcpuCount": 4, "pcpuCount": 2, "gpuCount": 0, "memory": 16.0, "infiniband": False,
                        "family": "standardDSv3Family", "familyQuotaCoreCount": 100, "regionalQuotaCoreCount": 1000},
    "Standard_F4s_v2": {"vcpuCount": 4, "pcpuCount": 2, "gpuCount": 0, "memory": 8.0, "infiniband": False,
                        "family": "standardFSv2Family", "familyQuotaCoreCount": 400, "regionalQuotaCoreCount": 1000},
    "Standard_F8s_v2": {"vcpuCount": 8, "pcpuCount": 4, "gpuCount": 0, "memory": 16.0, "infiniband": False,
                        "family": "standardFSv2Family", "familyQuotaCoreCount": 400, "regionalQuotaCoreCount": 1000},
    "Standard_NC6s_v3": {"vcpuCount": 6, "pcpuCount": 6, "gpuCount": 1, "memory": 112.0, "infiniband": False,
                         "family": "standardNCSv3Family", "familyQuotaCoreCount": 24, "regionalQuotaCoreCount": 1000},
    "Standard_HB120rs_v3": {"vcpuCount": 120, "pcpuCount": 120, "gpuCount": 0, "memory": 448.0, "infiniband": True,
                            "family": "standardHBrsv3Family", "familyQuotaCoreCount": 480,
                            "regionalQuotaCoreCount": 1000},
}

# A cluster template in CycleCloud's template language (cyclecloud.md 2.2 import_cluster: "cluster=<template text>";
# the section layout is that of the template BW-DEMO imports): one scheduler node, one execute node array.
SAMPLE_TEMPLATE = """\
[cluster simple]
Category = Sandbox
MaxCount = 40

    [[node defaults]]
    Region = $Region
    SubnetId = $SubnetId

    [[node scheduler]]
    MachineType = $SchedulerMachineType

    [[nodearray execute]]
    MachineType = $ExecuteMachineTypes
    MaxCount = $MaxExecuteNodes
    InitialCount = $InitialExecuteNodes

[parameters Settings]

    [[parameters Machines]]

        [[[parameter SchedulerMachineType]]]
        ParameterType = Cloud.MachineType
        DefaultValue = Standard_D4s_v3

        [[[parameter ExecuteMachineTypes]]]
        ParameterType = Cloud.MachineType
        DefaultValue = Standard_F4s_v2, Standard_F8s_v2
        Config.Multiselect = true

        [[[parameter MaxExecuteNodes]]]
        ParameterType = Integer
        DefaultValue = 8

        [[[parameter InitialExecuteNodes]]]
        ParameterType = Integer
        DefaultValue = 0

    [[parameters Networking]]

        [[[parameter Region]]]
        ParameterType = Cloud.Region
        DefaultValue = westeurope

        [[[parameter SubnetId]]]
        Label = Subnet ID
        ParameterType = Azure.Subnet
        Required = True
"""

DEFAULT_FIXTURE = {
    "users": {"admin": "cc-Adm1n-pass!word"},
    # cluster templates stored in CycleCloud (imported with as_template=true), by name
    "templates": {"simple": SAMPLE_TEMPLATE},
    "timing": dict(DEFAULT_TIMING),
    "vm_sizes": copy.deepcopy(DEFAULT_VM_SIZES),
    "clusters": [
        {"name": "hpc", "state": "Started", "targetState": "Started", "maxCount": 50, "maxCoreCount": 400,
         "region": DEFAULT_REGION,
         "nodearrays": [
             {"name": "execute", "machineTypes": ["Standard_F4s_v2", "Standard_F8s_v2"], "maxCount": 10,
              "maxCoreCount": 64, "initialCount": 0, "shutdownPolicy": "Terminate"},
             {"name": "gpu", "machineTypes": ["Standard_NC6s_v3"], "maxCount": 2, "maxCoreCount": 12},
             {"name": "login", "machineTypes": ["Standard_F4s_v2"], "maxCount": 4, "maxCoreCount": 16,
              "shutdownPolicy": "Deallocate"},
         ],
         "nodes": [
             {"name": "scheduler", "machineType": "Standard_D4s_v3", "status": "Ready", "fixed": True},
             {"name": "execute-1", "template": "execute", "machineType": "Standard_F4s_v2", "status": "Ready"},
             {"name": "execute-2", "template": "execute", "machineType": "Standard_F4s_v2", "status": "Ready"},
             {"name": "login-1", "template": "login", "machineType": "Standard_F4s_v2", "status": "Ready"},
         ]},
        {"name": "maint", "maxCount": 20, "maxCoreCount": 160, "region": DEFAULT_REGION,
         "nodearrays": [
             {"name": "execute", "machineTypes": ["Standard_F4s_v2"], "initialCount": 2, "maxCount": 8},
         ],
         "nodes": [
             {"name": "master", "machineType": "Standard_D4s_v3", "status": "Off", "targetState": "Terminated",
              "fixed": True},
         ]},
    ],
}


def cc_time(moment):
    """Operation startTime as the docs' example shows it: "2020-01-01T12:34:56Z" (cyclecloud.md 3.7)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def field(obj, name, default=None):
    """A request key matched case-insensitively (cyclecloud.md 1.1: Jackson ACCEPT_CASE_INSENSITIVE_PROPERTIES)."""
    if name in obj:
        return obj[name]
    lowered = name.lower()
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return default


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


# =================================================================================================
# cluster templates (cyclecloud.md 2.2 import_cluster): the subset of CycleCloud's template language the
# emulator reads. Sections nest by brackets: [cluster NAME] holds [[node NAME]], [[nodearray NAME]] (with
# "Extends") and [[node defaults]]; [parameters ...] sections hold [[[parameter NAME]]] with DefaultValue and
# Required. "Key = value" (or ":=") lines; '''...''' values may span lines; "$Name" refers to a parameter.
# Deeper sections ([[[configuration]]], [[[network-interface ...]]]) are read and ignored.
# =================================================================================================
class TemplateError(ValueError):
    """A template the emulator cannot read, or parameters it cannot apply."""


_SECTION = re.compile(r"^(\[+)\s*([A-Za-z][\w.-]*)\s*(.*?)\s*(\]+)$")
_ATTRIBUTE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:?=\s*(.*)$")


def parse_template(text):
    """{cluster name: {"attributes", "defaults", "nodes", "nodearrays"}} and {parameter: definition}."""
    clusters, parameters = {}, {}
    cluster = target = None
    lines = iter(text.splitlines())
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        section = _SECTION.match(stripped)
        if section:
            depth, kind, name = len(section.group(1)), section.group(2).lower(), section.group(3)
            if depth != len(section.group(4)):
                raise TemplateError("line %d: unbalanced brackets in %r" % (number, stripped))
            if depth == 1 and kind == "cluster":
                if not name:
                    raise TemplateError("line %d: [cluster] needs a name" % number)
                cluster = clusters[name] = {"attributes": {}, "defaults": {}, "nodes": {}, "nodearrays": {}}
                target = cluster["attributes"]
            elif depth == 1 and kind == "parameters":
                cluster, target = None, None
            elif depth == 2 and kind in ("node", "nodearray") and cluster is not None:
                if not name:
                    raise TemplateError("line %d: [[%s]] needs a name" % (number, kind))
                if kind == "node" and name == "defaults":
                    target = cluster["defaults"]
                else:
                    target = cluster["nodes" if kind == "node" else "nodearrays"].setdefault(name, {})
            elif kind == "parameter" and cluster is None:
                target = parameters.setdefault(name, {})
            else:
                target = None   # a section the emulator does not model
            continue
        attribute = _ATTRIBUTE.match(stripped)
        if not attribute:
            raise TemplateError("line %d: expected [section] or Key = value, not %r" % (number, stripped))
        value = attribute.group(2).strip()
        if value.startswith("'''"):
            parts = [value[3:]]
            while "'''" not in parts[-1]:
                parts.append(next(lines, "'''"))
            value = "\n".join(parts).split("'''", 1)[0]
        if target is not None:
            target[attribute.group(1)] = value
    if not clusters:
        raise TemplateError("the template has no [cluster NAME] section")
    return clusters, parameters


def template_value(raw, values, name):
    """An attribute's value: a parameter's ("$Name"), or the literal (quoted string, bool, int, or text)."""
    if raw.startswith("$"):
        return values.get(raw[1:])
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return raw


def parameter_values(definitions, given):
    """Every parameter's value: the one given, else its DefaultValue; a Required one without either is an error.
    Given parameters the template does not define are kept as given [INFERRED]."""
    values = dict(given)
    for name, definition in definitions.items():
        if values.get(name) is None and "DefaultValue" in definition:
            values[name] = template_value(definition["DefaultValue"], {}, name)
        if values.get(name) in (None, "") and str(definition.get("Required", "")).lower() == "true":
            raise TemplateError("Parameter %s is required" % name)
    return values


def as_list(value):
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


# =================================================================================================
# ClassAd filter subset (NodeManagementRequest.filter, cyclecloud.md 3.6)
# =================================================================================================
class FilterError(ValueError):
    """An expression outside the supported subset."""


class _Error:
    """ClassAd's ERROR value (a type clash); a node never matches on it."""


ERROR = _Error()
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op>=\?=|=!=|===|!==|==|!=|<=|>=|&&|\|\||[<>!(){},])
)""", re.VERBOSE)
_COMPARISONS = {"==": "eq", "!=": "ne", "=?=": "is", "===": "is", "=!=": "isnt", "!==": "isnt",
                "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_KEYWORDS = {"true": True, "false": False, "undefined": None}


class ClassAdFilter:
    """Parse once, then ``matches(record)``: literals (strings, numbers, true/false/undefined), attribute
    references (case-insensitive; dotted names walk nested records), ==, !=, =?= / === / is, =!= / !== / isnt,
    <, <=, >, >=, &&, ||, !, parentheses, ``Attr in {"a", "b"}``. Strings compare case-insensitively with ==
    and exactly with =?= (ClassAd semantics); a missing attribute is undefined; only a true result matches."""

    def __init__(self, text):
        if not isinstance(text, str) or not text.strip():
            raise FilterError("the filter is empty")
        self.text = text
        self._tokens = self._tokenize(text)
        self._pos = 0
        self._tree = self._or()
        if self._peek() is not None:
            raise FilterError("unexpected %r at the end" % self._peek()[1])

    # ----- parsing ------------------------------------------------------------------------------
    @staticmethod
    def _tokenize(text):
        tokens, pos = [], 0
        while pos < len(text):
            if not text[pos:].strip():
                break
            match = _TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise FilterError("cannot read %r at offset %d" % (text[pos:pos + 10].strip(), pos))
            kind = match.lastgroup
            value = match.group(kind)
            if kind == "name" and value.lower() in ("is", "isnt", "in"):
                kind, value = ("op", value.lower())
            tokens.append((kind, value))
            pos = match.end()
        return tokens

    def _peek(self):
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _next(self):
        token = self._peek()
        if token is None:
            raise FilterError("the expression ends too early")
        self._pos += 1
        return token

    def _accept(self, op):
        token = self._peek()
        if token is not None and token == ("op", op):
            self._pos += 1
            return True
        return False

    def _or(self):
        node = self._and()
        while self._accept("||"):
            node = ("or", node, self._and())
        return node

    def _and(self):
        node = self._comparison()
        while self._accept("&&"):
            node = ("and", node, self._comparison())
        return node

    def _comparison(self):
        left = self._unary()
        token = self._peek()
        if token is None or token[0] != "op":
            return left
        if token[1] == "in":
            self._pos += 1
            return ("in", left, self._set())
        op = {"is": "is", "isnt": "isnt"}.get(token[1]) or _COMPARISONS.get(token[1])
        if op is None:
            return left
        self._pos += 1
        return (op, left, self._unary())

    def _set(self):
        if not self._accept("{"):
            raise FilterError("'in' needs a {...} list")
        items = []
        if self._accept("}"):
            return items
        while True:
            kind, value = self._next()
            literal = self._literal(kind, value)
            if literal is ERROR:
                raise FilterError("only literals may stand in an 'in' list, not %r" % value)
            items.append(literal)
            if self._accept("}"):
                return items
            if not self._accept(","):
                raise FilterError("expected ',' or '}' in an 'in' list")

    def _unary(self):
        if self._accept("!"):
            return ("not", self._unary())
        if self._accept("("):
            node = self._or()
            if not self._accept(")"):
                raise FilterError("missing ')'")
            return node
        kind, value = self._next()
        literal = self._literal(kind, value)
        if literal is not ERROR:
            return ("lit", literal)
        if kind == "name":
            return ("attr", value)
        raise FilterError("unexpected %r" % value)

    @staticmethod
    def _literal(kind, value):
        if kind == "string":
            try:
                return json.loads(value)
            except ValueError as err:
                raise FilterError("bad string %s" % value) from err
        if kind == "number":
            return float(value) if any(c in value for c in ".eE") else int(value)
        if kind == "name" and value.lower() in _KEYWORDS:
            return _KEYWORDS[value.lower()]
        return ERROR

    # ----- evaluation ---------------------------------------------------------------------------
    def matches(self, record):
        return self._eval(self._tree, record) is True

    @staticmethod
    def _lookup(record, name):
        lowered = {k.lower(): v for k, v in record.items()}
        if name.lower() in lowered:
            return lowered[name.lower()]
        value = record
        for part in name.split("."):
            if not isinstance(value, dict):
                return None
            value = {k.lower(): v for k, v in value.items()}.get(part.lower())
        return value

    def _eval(self, node, record):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "attr":
            return self._lookup(record, node[1])
        if kind == "not":
            value = self._eval(node[1], record)
            return value if value is None else (not value if isinstance(value, bool) else ERROR)
        if kind in ("and", "or"):
            return _logic(kind, self._eval(node[1], record), lambda: self._eval(node[2], record))
        left = self._eval(node[1], record)
        if kind == "in":
            if left is None or left is ERROR:
                return left
            return any(_compare("eq", left, item) is True for item in node[2])
        return _compare(kind, left, self._eval(node[2], record))


def _logic(kind, left, right_thunk):
    if left is not None and not isinstance(left, bool):
        return ERROR
    if kind == "and" and left is False:
        return False
    if kind == "or" and left is True:
        return True
    right = right_thunk()
    if right is not None and not isinstance(right, bool):
        return ERROR
    if kind == "and":
        return False if right is False else (None if None in (left, right) else True)
    return True if right is True else (None if None in (left, right) else False)


def _kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def _compare(op, left, right):
    if ERROR in (left, right):
        return ERROR
    if op in ("is", "isnt"):
        same = _kind(left) == _kind(right) and left == right
        return same if op == "is" else not same
    if left is None or right is None:
        return None
    kinds = (_kind(left), _kind(right))
    if kinds[0] != kinds[1] or kinds[0] == "other" or (kinds[0] == "bool" and op not in ("eq", "ne")):
        return ERROR
    if kinds[0] == "string":
        left, right = left.lower(), right.lower()
    return {"eq": left == right, "ne": left != right, "lt": left < right, "le": left <= right,
            "gt": left > right, "ge": left >= right}[op]


class CycleCloudFaults(Faults):
    """The base's fault injection; an answer without a body gets a CycleCloud error body (cyclecloud.md 5)."""

    def add(self, path=".*", method=None, status=None, retry_after=None, body=None, delay=0.0, drop=False, count=1,
            **hooks):
        if body is None and status is not None and 100 <= int(status) <= 599:
            try:
                message = HTTPStatus(int(status)).phrase
            except ValueError:
                message = "Error"
            if retry_after is not None:
                message += "; retry after %s seconds" % retry_after
            body = {"Exception": FAULT, "Message": message, "Detail": LOG_DETAIL % 0}
        return super().add(path=path, method=method, status=status, retry_after=retry_after, body=body, delay=delay,
                           drop=drop, count=count, **hooks)   # after, before: the base's


# =================================================================================================
# internal state
# =================================================================================================
class _Node:
    """One node: ``record`` is the API attribute record; the rest drives its life cycle."""

    def __init__(self, cluster, nodearray, record, seq):
        self.cluster = cluster
        self.nodearray = nodearray  # None for a standalone node
        self.record = record
        self.seq = seq              # creation order: ties in the event queue go by it
        self.due = None             # when the current transitional Status ends
        self.fail = None            # StatusMessage to fail with at the end of the current phase
        self.failed_phase = None
        self.remove = False         # delete the record once Off (remove, or a non-Fixed nodearray node)
        self.pending_start = False  # start again once the current Terminating/Deallocating ends

    @property
    def name(self):
        return self.record["Name"]

    @property
    def status(self):
        return self.record["Status"]

    @property
    def target(self):
        return self.record["TargetState"]


def settled(node):
    """Status has reached TargetState (Off is how a Terminated node shows, cyclecloud.md 4.2)."""
    status, target = node.status, node.target
    return status == target or (target == "Terminated" and status == "Off") or (target == "Started" and status == "Ready")


def active(node):
    """cyclecloud.md 4.1 (scalelib's count): TargetState Started, or still moving toward its TargetState."""
    return node.target == "Started" or not settled(node)


class CycleCloudEmulator(EmulatorServer):
    """The CycleCloud 8 cluster/node REST API with state, timers and Basic auth. See tests/emulators/README.md."""

    server_name = "cyclecloud-emulator"

    def __init__(self, host="127.0.0.1", port=0, speed=1.0, fixture=None):
        super().__init__(host, port, speed)
        self.faults = CycleCloudFaults()
        self.fixture = copy.deepcopy(DEFAULT_FIXTURE if fixture is None else fixture)
        users = self.fixture.get("users") or {}
        if not users:
            raise ValueError("the fixture needs at least one user")
        self.username, self.password = next(iter(users.items()))
        self._routes = self._route_table()
        self.reset_state()

    # =============================================================================================
    # Python API for tests
    # =============================================================================================
    def fail_next(self, cluster, nodearray=None, node=None, count=1, message="Emulated failure", phase="Preparing"):
        """The next ``count`` nodes of ``nodearray`` (or the node named ``node``; any node of the cluster if
        neither) that enter ``phase`` end it in Status Failed with StatusMessage ``message``."""
        if phase not in FAILABLE_PHASES:
            raise ValueError("phase must be one of %s" % ", ".join(FAILABLE_PHASES))
        if not is_int(count) or count < 1:
            raise ValueError("count must be a positive integer")
        with self.lock:
            if cluster not in self._clusters:
                raise ValueError("unknown cluster %r" % cluster)
            rule = {"cluster": cluster, "nodearray": nodearray, "node": node, "count": count,
                    "message": str(message), "phase": phase}
            self._failures.append(rule)
            return dict(rule)

    def pending_failures(self):
        with self.lock:
            return [dict(rule) for rule in self._failures]

    def node(self, cluster, name):
        """The node record as the API shows it, or None."""
        with self.lock:
            self._tick()
            found = self._clusters.get(cluster, {}).get("nodes", {}).get(name)
            return self._view(found) if found else None

    def nodes(self, cluster):
        """Every node record of ``cluster`` (KeyError for an unknown cluster)."""
        with self.lock:
            self._tick()
            return [self._view(n) for n in self._clusters[cluster]["nodes"].values()]

    def status(self, cluster, nodes=False):
        """The ClusterStatus body of GET /clusters/{cluster}/status (KeyError for an unknown cluster)."""
        with self.lock:
            self._tick()
            return self._status(self._clusters[cluster], nodes)

    def admin_routes(self):
        routes = super().admin_routes()
        routes[("POST", "failures")] = lambda req: Response(201, self.fail_next(**admin_object(req.body)))
        routes[("GET", "failures")] = lambda req: Response(200, self.pending_failures())
        return routes

    # =============================================================================================
    # seed state
    # =============================================================================================
    def reset_state(self):
        fixture = self.fixture
        self.timing = dict(DEFAULT_TIMING, **(fixture.get("timing") or {}))
        self.vm_sizes = copy.deepcopy(DEFAULT_VM_SIZES)
        for size, facts in (fixture.get("vm_sizes") or {}).items():
            self.vm_sizes[size] = dict(self.vm_sizes.get(size, {}), **facts)
        for size, facts in self.vm_sizes.items():
            missing = [k for k in ("vcpuCount", "memory") if k not in facts]
            if missing:
                raise ValueError("vm_sizes[%r] lacks %s" % (size, ", ".join(missing)))
        self.users = dict(fixture.get("users") or {})
        self._failures = []
        self._operations = {}     # id -> operation
        self._request_ids = {}    # requestId -> operation id
        self._seq = itertools.count(1)
        self._ips = itertools.count(0)
        self._request_number = 0
        self._clusters = {}
        self._templates = {}      # name -> template text (cyclecloud.md 2.2: import_cluster as_template)
        for name, text in (fixture.get("templates") or {}).items():
            self._templates[name] = self._read_template(text, None, ValueError)[1]
        now = self.clock.now()
        for spec in fixture.get("clusters") or []:
            self._seed_cluster(spec, now)

    def _seed_cluster(self, spec, now):
        name = spec["name"]
        if name in self._clusters:
            raise ValueError("cluster %r is in the fixture twice" % name)
        cluster = {
            "name": name, "state": spec.get("state"), "targetState": spec.get("targetState"),
            "maxCount": int(spec.get("maxCount", 100)), "maxCoreCount": int(spec.get("maxCoreCount", 10000)),
            "region": spec.get("region", DEFAULT_REGION), "nodearrays": {}, "nodes": {}, "start_due": None,
            # what the cluster was imported from (none for a seeded cluster)
            "template": spec.get("template"), "parameters": copy.deepcopy(spec.get("parameters") or {}),
        }
        self._clusters[name] = cluster
        for na_spec in spec.get("nodearrays") or []:
            na = self._seed_nodearray(cluster, na_spec)
            cluster["nodearrays"][na["name"]] = na
        for node_spec in spec.get("nodes") or []:
            self._seed_node(cluster, node_spec, now)

    def _seed_nodearray(self, cluster, spec):
        machine_types = list(spec.get("machineTypes") or ([spec["machineType"]] if spec.get("machineType") else []))
        if not machine_types:
            raise ValueError("nodearray %r needs machineTypes" % spec.get("name"))
        for size in machine_types:
            self._vm(size)
        return {
            "name": spec["name"], "machineTypes": machine_types,
            "maxCount": int(spec.get("maxCount", cluster["maxCount"])),
            "maxCoreCount": int(spec.get("maxCoreCount", cluster["maxCoreCount"])),
            "initialCount": int(spec.get("initialCount", 0)), "initialCoreCount": int(spec.get("initialCoreCount", 0)),
            "fixed": bool(spec.get("fixed", False)), "shutdownPolicy": spec.get("shutdownPolicy", "Terminate"),
            "region": spec.get("region", cluster["region"]), "interruptible": bool(spec.get("interruptible", False)),
            "maxPlacementGroupSize": int(spec.get("maxPlacementGroupSize", DEFAULT_PLACEMENT_GROUP_SIZE)),
            "configuration": copy.deepcopy(spec.get("configuration") or {}),
            "subnetId": spec.get("subnetId"), "attributes": copy.deepcopy(spec.get("attributes") or {}),
            "disabledMachineTypes": list(spec.get("disabledMachineTypes") or []),
            # cyclecloud.md 4.2: nodearrays are activated by a cluster start; a never-started cluster's are not
            "activated": bool(spec.get("activated", cluster["state"] is not None)),
            "last_failure": {},   # machine type -> when a node last failed in Allocation (lastCapacityFailure)
        }

    def _seed_node(self, cluster, spec, now):
        name = spec["name"]
        if name in cluster["nodes"]:
            raise ValueError("node %r is in cluster %r twice" % (name, cluster["name"]))
        # a template naming a nodearray makes a nodearray node; any other (or none) a standalone node
        na = cluster["nodearrays"].get(spec["template"]) if spec.get("template") else None
        machine_type = spec.get("machineType") or (na["machineTypes"][0] if na else None)
        if not machine_type:
            raise ValueError("standalone node %r needs a machineType" % name)
        status = spec.get("status", "Off")
        target = spec.get("targetState") or {"Off": "Terminated", "Terminating": "Terminated", "Deallocated": "Deallocated",
                                             "Deallocating": "Deallocated"}.get(status, "Started")
        node = self._new_node(cluster, na, name, machine_type, node_id=str(uuid.uuid5(ID_NAMESPACE, "%s/%s" % (
            cluster["name"], name))), fixed=spec.get("fixed"), attributes=spec.get("attributes"))
        if na is None and spec.get("template"):
            node.record["Template"] = spec["template"]
        record = node.record
        for key, attr in (("keepAlive", "KeepAlive"), ("shutdownPolicy", "ShutdownPolicy"), ("region", "Region"),
                          ("placementGroupId", "PlacementGroupId")):
            if key in spec:
                record[attr] = spec[key]
        record.update(Status=status, TargetState=target)
        for key, attr in (("hostname", "Hostname"), ("privateIp", "PrivateIp"), ("instanceId", "InstanceId")):
            if key in spec:
                record[attr] = spec[key]
        if status in ("Preparing", "Ready", "Terminating", "Deallocating", "Deallocated", "Restarting", "Reimaging"):
            self._give_vm(node)
        if status == "Failed":
            record["StatusMessage"] = spec.get("statusMessage", "Emulated failure")
            node.failed_phase = "Allocation"
        self._set_state(node)
        if status in PHASE_TIMING:
            node.due = now + timedelta(seconds=self.timing[PHASE_TIMING[status]])
        cluster["nodes"][name] = node

    # =============================================================================================
    # helpers
    # =============================================================================================
    def _vm(self, size):
        facts = self.vm_sizes.get(size)
        if facts is None:
            raise ValueError("machine type %r is not in vm_sizes" % size)
        return facts

    def _new_node(self, cluster, na, name, machine_type, node_id=None, fixed=None, attributes=None):
        vm = self._vm(machine_type)
        seq = next(self._seq)
        if fixed is None:
            fixed = na["fixed"] if na else True   # [INFERRED] a standalone node is Fixed unless told otherwise
        record = {
            "Name": name,
            "NodeId": node_id or str(uuid.uuid5(ID_NAMESPACE, "%s/%s/%d" % (cluster["name"], name, seq))),
            "ClusterName": cluster["name"],
            "Template": na["name"] if na else name,   # [INFERRED] a standalone node is its own template
            "MachineType": machine_type,
            "Status": "Off", "TargetState": "Terminated", "State": "Off",
            "Region": na["region"] if na else cluster["region"],
            "KeepAlive": False,
            "Fixed": bool(fixed),
            "ShutdownPolicy": na["shutdownPolicy"] if na else "Terminate",
            "CoreCount": int(vm["vcpuCount"]),
            "Memory": float(vm["memory"]),
        }
        for key, value in (attributes or {}).items():
            if key.lower() not in PROTECTED_ATTRIBUTES:
                record[key] = copy.deepcopy(value)
        return _Node(cluster["name"], na["name"] if na else None, record, seq)

    def _give_vm(self, node):
        """Hostname, PrivateIp and InstanceId, given when the VM exists (from Preparing on)."""
        record = node.record
        if "PrivateIp" not in record:
            ip = FIRST_IP + next(self._ips)
            record["PrivateIp"] = str(ip)
            record["Hostname"] = "ip-%08X" % int(ip)   # [INFERRED] Azure's default ip-<hex> host names
        record.setdefault("Hostname", "ip-%08X" % int(ipaddress.IPv4Address(record["PrivateIp"])))
        record.setdefault("InstanceId", str(uuid.uuid5(ID_NAMESPACE, "%s/vm/%d" % (record["NodeId"], next(self._seq)))))

    @staticmethod
    def _drop_vm(node):
        for key in ("PrivateIp", "Hostname", "InstanceId"):
            node.record.pop(key, None)

    @staticmethod
    def _set_state(node):
        node.record["State"] = STATE_OF_STATUS.get(node.status, node.status)

    @staticmethod
    def _view(node):
        return copy.deepcopy(node.record)

    def _nodearray_of(self, node):
        return self._clusters[node.cluster]["nodearrays"].get(node.nodearray) if node.nodearray else None

    def _error(self, status, message, exception=INVALID):
        return ApiError(status, {"Exception": exception, "Message": message,
                                 "Detail": LOG_DETAIL % self._request_number})

    # =============================================================================================
    # time: node phases and cluster states, applied lazily from the emulated clock (cyclecloud.md 7)
    # =============================================================================================
    def _tick(self):
        now = self.clock.now()
        while True:
            due = [n for c in self._clusters.values() for n in c["nodes"].values() if n.due is not None and n.due <= now]
            if not due:
                break
            node = min(due, key=lambda n: (n.due, n.seq))   # events in time order: big clock steps replay right
            self._finish_phase(node, node.due)
        for cluster in self._clusters.values():
            self._settle_cluster(cluster, now)

    def _enter(self, node, status, when):
        """Move ``node`` into the transitional ``status`` at ``when`` (failures armed by fail_next apply)."""
        node.record["Status"] = status
        node.record.pop("StatusMessage", None)
        node.due = when + timedelta(seconds=self.timing[PHASE_TIMING[status]])
        node.fail = self._take_failure(node, status)
        if status in ("Preparing", "Restarting", "Reimaging"):
            self._give_vm(node)
        self._set_state(node)

    def _settle(self, node, status):
        node.record["Status"] = status
        node.due = None
        node.fail = None
        self._set_state(node)

    def _take_failure(self, node, phase):
        for rule in self._failures:
            if rule["cluster"] != node.cluster or rule["phase"] != phase:
                continue
            if rule["node"] is not None and rule["node"] != node.name:
                continue
            if rule["nodearray"] is not None and rule["nodearray"] != node.nodearray:
                continue
            rule["count"] -= 1
            if rule["count"] == 0:
                self._failures.remove(rule)
            return rule["message"]
        return None

    def _finish_phase(self, node, when):
        status = node.status
        cluster = self._clusters[node.cluster]
        if status == "Off":   # the removal delay of a terminated node is over
            del cluster["nodes"][node.name]
            return
        if node.fail is not None:
            message = node.fail
            self._settle(node, "Failed")
            node.record["StatusMessage"] = message
            node.failed_phase = status
            node.pending_start = False
            if status == "Allocation" and node.nodearray:
                self._nodearray_of(node)["last_failure"][node.record["MachineType"]] = when
            return
        if status in ("Allocation", "Reimaging"):
            self._enter(node, "Preparing", when)
        elif status in ("Preparing", "Restarting"):
            self._settle(node, "Ready")
        elif status == "Terminating":
            self._settle(node, "Off")
            self._drop_vm(node)
            if node.pending_start:
                node.pending_start = False
                node.record["TargetState"] = "Started"
                self._enter(node, "Allocation", when)
            elif node.remove or (node.nodearray and not node.record.get("Fixed")):
                # cyclecloud.md 4.2: terminated nodearray nodes are removed unless Fixed; remove removes any node
                node.remove = True
                node.due = when + timedelta(seconds=self.timing["removing"])
                if node.due <= when:
                    del cluster["nodes"][node.name]
        elif status == "Deallocating":
            self._settle(node, "Deallocated")
            if node.pending_start:
                node.pending_start = False
                node.record["TargetState"] = "Started"
                self._enter(node, "Preparing", when)

    def _settle_cluster(self, cluster, now):
        nodes = list(cluster["nodes"].values())
        if cluster["state"] == "Starting":
            busy = any(n.target == "Started" and n.status in STARTING or n.pending_start for n in nodes)
            if not busy and (cluster["start_due"] is None or now >= cluster["start_due"]):
                cluster["state"] = "Started"   # [INFERRED] Failed nodes do not hold the cluster in Starting
        elif cluster["state"] == "Terminating":
            if not any(n.status in ("Terminating", "Deallocating") for n in nodes):
                cluster["state"] = "Terminated"   # cyclecloud.md 4.2: exact string UNCONFIRMED

    # =============================================================================================
    # bucket arithmetic (cyclecloud.md 3.3, 7)
    # =============================================================================================
    def _family(self, size):
        return self.vm_sizes.get(size, {}).get("family", size)

    def _region_cores(self, region, family=None):
        """Cores of the active nodes of every cluster in ``region`` (of one VM family if given)."""
        return sum(node.record["CoreCount"] for cluster in self._clusters.values() for node in cluster["nodes"].values()
                   if active(node) and node.record.get("Region") == region
                   and (family is None or self._family(node.record["MachineType"]) == family))

    def _quota(self, region, size):
        vm = self._vm(size)
        family = self._family(size)
        family_quota = int(vm.get("familyQuotaCoreCount", 1000))
        regional_quota = int(vm.get("regionalQuotaCoreCount", 1000))
        return {
            "family": family, "familyQuotaCoreCount": family_quota, "regionalQuotaCoreCount": regional_quota,
            "quotaCoreCount": int(vm.get("quotaCoreCount", min(family_quota, regional_quota))),
            "familyConsumedCoreCount": self._region_cores(region, family),
            "regionalConsumedCoreCount": self._region_cores(region),
        }

    @staticmethod
    def _count(nodes):
        live = [n for n in nodes if active(n)]
        return len(live), sum(n.record["CoreCount"] for n in live)

    def _bucket_validity(self, na, size):
        if size not in na["machineTypes"] or size in na["disabledMachineTypes"] or self.vm_sizes[size].get("disabled"):
            return "DisabledMachineType"
        if not na["activated"]:
            return "NotActivated"
        return None

    def _limits(self, cluster, na, size, placement_group=None):
        """(limit name, nodes that may still be added) for every limit on a new node of ``size`` in ``na``."""
        vcpu = int(self._vm(size)["vcpuCount"])
        na_nodes = [n for n in cluster["nodes"].values() if n.nodearray == na["name"]]
        na_count, na_cores = self._count(na_nodes)
        all_count, all_cores = self._count(cluster["nodes"].values())
        bucket_count, _cores = self._count(n for n in na_nodes if n.record["MachineType"] == size)
        quota = self._quota(na["region"], size)
        bucket_max = self._bucket_max(cluster, na, size)
        limits = [
            ("nodearray %s's MaxCount (%d)" % (na["name"], na["maxCount"]), na["maxCount"] - na_count),
            ("nodearray %s's MaxCoreCount (%d)" % (na["name"], na["maxCoreCount"]), (na["maxCoreCount"] - na_cores) // vcpu),
            ("cluster %s's MaxCount (%d)" % (cluster["name"], cluster["maxCount"]), cluster["maxCount"] - all_count),
            ("cluster %s's MaxCoreCount (%d)" % (cluster["name"], cluster["maxCoreCount"]),
             (cluster["maxCoreCount"] - all_cores) // vcpu),
            ("the %s core quota (%d)" % (quota["family"], quota["quotaCoreCount"]),
             (min(quota["quotaCoreCount"], quota["familyQuotaCoreCount"]) - quota["familyConsumedCoreCount"]) // vcpu),
            ("the regional core quota (%d)" % quota["regionalQuotaCoreCount"],
             (quota["regionalQuotaCoreCount"] - quota["regionalConsumedCoreCount"]) // vcpu),
            ("the bucket's maxCount (%d)" % bucket_max, bucket_max - bucket_count),   # last: ties name the cause
        ]
        if placement_group is not None:
            in_group = sum(1 for n in na_nodes if active(n) and n.record.get("PlacementGroupId") == placement_group)
            limits.append(("placement group %s's size (%d)" % (placement_group, na["maxPlacementGroupSize"]),
                           na["maxPlacementGroupSize"] - in_group))
        return limits

    def _bucket_max(self, cluster, na, size):
        vcpu = int(self._vm(size)["vcpuCount"])
        return max(0, min(na["maxCount"], na["maxCoreCount"] // vcpu, cluster["maxCount"], cluster["maxCoreCount"] // vcpu))

    def _available(self, cluster, na, size, placement_group=None):
        """(how many nodes may be added now, why not more)."""
        if self._bucket_validity(na, size):
            return 0, "the bucket %s is not valid (%s)" % (size, self._bucket_validity(na, size))
        name, left = min(self._limits(cluster, na, size, placement_group), key=lambda limit: limit[1])
        return max(0, left), "limited by " + name

    def _buckets(self, cluster, na, with_nodes):
        now = self.clock.now()
        na_nodes = [n for n in cluster["nodes"].values() if n.nodearray == na["name"]]
        sizes = list(na["machineTypes"])
        # cyclecloud.md 3.2: one extra (invalid) bucket per machine type only existing nodes still use
        sizes += [s for s in dict.fromkeys(n.record["MachineType"] for n in na_nodes) if s not in sizes]
        buckets = []
        for size in sizes:
            vm = self._vm(size)
            vcpu = int(vm["vcpuCount"])
            members = [n for n in na_nodes if n.record["MachineType"] == size and active(n)]
            invalid = self._bucket_validity(na, size)
            available = self._available(cluster, na, size)[0]
            quota = self._quota(na["region"], size)
            maximum = self._bucket_max(cluster, na, size)
            groups = {}
            for node in members:
                group = node.record.get("PlacementGroupId")
                if group:
                    groups.setdefault(group, []).append(node)
            failed_at = na["last_failure"].get(size)
            bucket = {
                "bucketId": str(uuid.uuid5(ID_NAMESPACE, "%s/%s/%s" % (cluster["name"], na["name"], size))),
                "definition": {"machineType": size},
                "valid": invalid is None,
                "maxCount": maximum, "maxCoreCount": maximum * vcpu,
                "activeCount": len(members), "activeCoreCount": len(members) * vcpu,
                "availableCount": available, "availableCoreCount": available * vcpu,
                "quotaCount": quota["quotaCoreCount"] // vcpu, "quotaCoreCount": quota["quotaCoreCount"],
                "consumedCoreCount": quota["familyConsumedCoreCount"],
                "familyQuotaCount": quota["familyQuotaCoreCount"] // vcpu,
                "familyQuotaCoreCount": quota["familyQuotaCoreCount"],
                "familyConsumedCoreCount": quota["familyConsumedCoreCount"],
                "regionalQuotaCount": quota["regionalQuotaCoreCount"] // vcpu,
                "regionalQuotaCoreCount": quota["regionalQuotaCoreCount"],
                "regionalConsumedCoreCount": quota["regionalConsumedCoreCount"],
                "maxPlacementGroupSize": na["maxPlacementGroupSize"],
                "maxPlacementGroupCoreSize": na["maxPlacementGroupSize"] * vcpu,
                "placementGroups": [{"name": name, "activeCount": len(group), "activeCoreCount": len(group) * vcpu}
                                    for name, group in sorted(groups.items())],
                "virtualMachine": {"vcpuCount": vcpu, "pcpuCount": int(vm.get("pcpuCount", vcpu)),
                                   "gpuCount": int(vm.get("gpuCount", 0)), "memory": float(vm["memory"]),
                                   "infiniband": bool(vm.get("infiniband", False))},
                # cyclecloud.md 3.3: seconds since the last capacity failure, < 0 = never
                "lastCapacityFailure": round((now - failed_at).total_seconds(), 3) if failed_at else -1,
            }
            if invalid:
                bucket["invalidReason"] = invalid   # only on invalid buckets, as in the docs' sample
            if with_nodes:
                bucket["activeNodes"] = [n.name for n in members]
            buckets.append(bucket)
        return buckets

    def _nodearray_record(self, cluster, na):
        record = {"Name": na["name"], "ClusterName": cluster["name"], "MachineType": na["machineTypes"][0],
                  "Region": na["region"], "ShutdownPolicy": na["shutdownPolicy"], "Interruptible": na["interruptible"],
                  "MaxCount": na["maxCount"], "MaxCoreCount": na["maxCoreCount"], "InitialCount": na["initialCount"],
                  "Configuration": copy.deepcopy(na["configuration"]),
                  "Azure": {"MaxScalesetSize": na["maxPlacementGroupSize"]}}
        if na["fixed"]:
            record["Fixed"] = True
        if na["subnetId"]:
            record["SubnetId"] = na["subnetId"]
        record.update(copy.deepcopy(na["attributes"]))
        return record

    def _status(self, cluster, with_nodes):
        body = {}
        if cluster["state"] is not None:   # cyclecloud.md 3.1: absent when never started
            body["state"] = cluster["state"]
        if cluster["targetState"] is not None:
            body["targetState"] = cluster["targetState"]
        body["maxCount"] = cluster["maxCount"]
        body["maxCoreCount"] = cluster["maxCoreCount"]
        body["nodearrays"] = [{"name": na["name"], "maxCount": na["maxCount"], "maxCoreCount": na["maxCoreCount"],
                               "nodearray": self._nodearray_record(cluster, na),
                               "buckets": self._buckets(cluster, na, with_nodes)}
                              for na in cluster["nodearrays"].values()]
        if with_nodes:
            body["nodes"] = [self._view(n) for n in cluster["nodes"].values()]
        return body

    # =============================================================================================
    # HTTP entry point, routing and authentication
    # =============================================================================================
    def _route_table(self):
        name = r"(?P<cluster>[^/]+)"
        actions = "|".join(NODE_ACTIONS)
        table = (
            (r"/clusters/%s/status" % name, {"GET": self._get_status}),
            (r"/clusters/%s/nodes" % name, {"GET": self._get_nodes}),
            (r"/clusters/%s/nodes/create" % name, {"POST": self._create}),
            (r"/clusters/%s/nodes/(?P<action>%s)" % (name, actions), {"POST": self._node_action}),
            (r"/clusters/%s/scale/(?P<nodearray>[^/]+)" % name, {"POST": self._scale}),
            (r"/operations/?", {"GET": self._list_operations}),
            (r"/operations/(?P<id>[^/]+)", {"GET": self._get_operation}),
            (r"/cloud/actions/startcluster/%s" % name, {"POST": self._start_cluster}),
            (r"/cloud/actions/terminatecluster/%s" % name, {"POST": self._terminate_cluster}),
            (r"/cloud/actions/retry/%s" % name, {"POST": self._retry}),
            (r"/cloud/actions/removecluster/%s" % name, {"POST": self._remove_cluster}),
            (r"/cloud/api/import_cluster/%s" % name, {"POST": self._import_cluster}),
            (r"/cloud/clusters", {"GET": self._show_clusters}),
            (r"/cloud/clusters/%s" % name, {"GET": self._show_clusters}),
        )
        return [(re.compile(pattern), methods) for pattern, methods in table]

    def handle(self, req):
        self._request_number += 1
        self._authenticate(req)
        self._tick()   # timers are applied lazily, from the emulated clock
        path = req.path.rstrip("/") if req.path not in ("/", "/operations/") else req.path
        for pattern, methods in self._routes:
            match = pattern.fullmatch(path)
            if match:
                handler = methods.get(req.method)
                if handler is None:
                    raise ApiError(405, self._error(405, "Method %s is not allowed on %s" % (req.method, req.path),
                                                    NOT_ALLOWED).body, {"Allow": ", ".join(sorted(methods))})
                return handler(req, **{k: unquote(v) for k, v in match.groupdict().items()})
        raise self._error(404, "Not found: %s" % req.path, NOT_FOUND)

    def _authenticate(self, req):
        """cyclecloud.md 1.1: HTTP Basic with a CycleCloud user name and password."""
        parts = (req.headers.get("Authorization") or "").split(None, 1)
        user = password = None
        if len(parts) == 2 and parts[0].lower() == "basic":
            try:
                user, _sep, password = base64.b64decode(parts[1].strip(), validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                user = None
        if user is None or user not in self.users or self.users[user] != password:
            error = self._error(401, "Invalid username or password", AUTH_FAILED)
            raise ApiError(401, error.body, {"WWW-Authenticate": 'Basic realm="CycleCloud"'})
        req.user = user

    def _cluster(self, name, status=404):
        cluster = self._clusters.get(name)
        if cluster is None:
            raise self._error(status, "Cluster %s not found" % name, NOT_FOUND if status == 404 else INVALID)
        return cluster

    def _json(self, req):
        """cyclecloud.md 1.1: the body is JSON whatever the Content-Type says (the 8.1.0 client sends none)."""
        if not req.raw.strip():
            return None
        try:
            return json.loads(req.raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise self._error(409, "Invalid JSON in the request body: %s" % err) from err

    def _accepted(self, req, body, operation):
        return Response(202, body, {"Location": "%s/operations/%s" % (req.base_url, operation["id"])})

    def _new_operation(self, cluster, action, request_id=None, nodes=()):
        operation = {"id": str(uuid.uuid4()), "action": action, "startTime": self.clock.now(), "seq": next(self._seq),
                     "requestId": request_id, "cluster": cluster["name"], "nodes": [n.record["NodeId"] for n in nodes]}
        self._operations[operation["id"]] = operation
        if request_id is not None:
            self._request_ids[request_id] = operation["id"]
        return operation

    def _check_request_id(self, request_id):
        if request_id is None:
            return None
        if not isinstance(request_id, str):
            raise self._error(409, "requestId must be a string")
        if request_id in self._request_ids:
            # cyclecloud.md 3.5: a reused requestId is ignored with a 409
            raise self._error(409, "Request id %s has already been used" % request_id, DUPLICATE)
        return request_id

    @staticmethod
    def _operation_status(operation):
        return {"action": operation["action"], "startTime": cc_time(operation["startTime"])}

    # =============================================================================================
    # GET endpoints
    # =============================================================================================
    def _get_status(self, req, cluster):
        with_nodes = str(req.query.get("nodes", "")).lower() == "true"
        return Response(200, self._status(self._cluster(cluster), with_nodes))

    def _get_nodes(self, req, cluster):
        found = self._cluster(cluster)
        operation_id, request_id = req.query.get("operation"), req.query.get("request_id")
        if operation_id is not None and request_id is not None:
            raise self._error(400, "Give operation or request_id, not both")   # [INFERRED] 400 invalid specification
        if operation_id is None and request_id is None:
            return Response(200, {"nodes": [self._view(n) for n in found["nodes"].values()]})
        if operation_id is not None:
            operation = self._operations.get(operation_id)
            missing = "No operation found for operation %s" % operation_id
        else:
            operation = self._operations.get(self._request_ids.get(request_id))
            missing = "No operation found for request id %s" % request_id   # cyclecloud.md 4.3
        if operation is None:
            raise self._error(404, missing, NOT_FOUND)
        ids = set(operation["nodes"])
        nodes = [self._view(n) for n in found["nodes"].values() if n.record["NodeId"] in ids]
        return Response(200, {"nodes": nodes, "operation": self._operation_status(operation)})

    def _list_operations(self, req):
        if "request_id" in req.query:
            operation = self._operations.get(self._request_ids.get(req.query["request_id"]))
            found = [operation] if operation else []
        else:
            found = sorted(self._operations.values(), key=lambda op: op["seq"])
        return Response(200, [self._operation_status(op) for op in found])

    def _get_operation(self, req, id):
        operation = self._operations.get(id)
        if operation is None:
            raise self._error(404, "No operation found for operation %s" % id, NOT_FOUND)
        return Response(200, self._operation_status(operation))

    # =============================================================================================
    # create and scale (cyclecloud.md 3.5, 4.1)
    # =============================================================================================
    def _create(self, req, cluster):
        found = self._cluster(cluster, status=409)
        body = self._json(req)
        if not isinstance(body, dict):
            raise self._error(409, "The request body must be a NodeCreationRequest object")
        request_id = self._check_request_id(field(body, "requestId"))
        sets = field(body, "sets")
        if not isinstance(sets, list) or not sets:
            raise self._error(409, "The request must contain at least one set")
        plans = [self._plan_set(found, index, spec) for index, spec in enumerate(sets)]   # validate all first
        created, results = [], []
        for plan in plans:
            added, message = self._add_nodes(found, plan, request_id)
            created += added
            result = {"added": len(added)}
            if message:
                result["message"] = message
            results.append(result)
        operation = self._new_operation(found, "create", request_id, created)
        return self._accepted(req, {"operationId": operation["id"], "sets": results}, operation)

    def _plan_set(self, cluster, index, spec):
        where = "sets[%d]" % index
        if not isinstance(spec, dict):
            raise self._error(409, "%s must be an object" % where)
        na_name = field(spec, "nodearray")
        if not isinstance(na_name, str) or not na_name:
            raise self._error(409, "%s.nodearray is required" % where)
        na = cluster["nodearrays"].get(na_name)
        if na is None:
            raise self._error(409, "Nodearray %s not found in cluster %s" % (na_name, cluster["name"]))
        count = field(spec, "count")
        if not is_int(count) or count < 1:
            raise self._error(409, "%s.count must be a positive integer" % where)
        definition = field(spec, "definition")
        definition = {} if definition is None else definition
        if not isinstance(definition, dict):
            raise self._error(409, "%s.definition must be an object" % where)
        size = field(definition, "machineType")
        if size is not None and size not in na["machineTypes"]:
            # the one real error body seen (cyclecloud.md 5)
            raise self._error(409, "MachineType %s is not recognized" % size)
        name_format = field(spec, "nameFormat")
        if name_format is not None:
            if not isinstance(name_format, str) or not name_format or len(INDEX.findall(name_format)) > 1:
                raise self._error(409, "%s.nameFormat must be a name, or a pattern with one %%d" % where)
            if not INDEX.search(name_format) and count != 1:
                raise self._error(409, "%s: a nameFormat without %%d names one node, so count must be 1" % where)
        offset = field(spec, "nameOffset", 0)
        if not is_int(offset) or offset < 0:
            raise self._error(409, "%s.nameOffset must be a non-negative integer" % where)
        attributes = field(spec, "nodeAttributes")
        attributes = {} if attributes is None else attributes
        if not isinstance(attributes, dict):
            raise self._error(409, "%s.nodeAttributes must be an object" % where)
        group = field(spec, "placementGroupId")
        if group is not None and not isinstance(group, str):
            raise self._error(409, "%s.placementGroupId must be a string" % where)
        return {"nodearray": na, "count": count, "machineType": size, "nameFormat": name_format or na_name + "-%d",
                "nameOffset": offset, "nodeAttributes": attributes, "placementGroupId": group}

    def _add_nodes(self, cluster, plan, request_id):
        """Create up to plan["count"] nodes; returns (nodes, message or None)."""
        na, wanted = plan["nodearray"], plan["count"]
        size = plan["machineType"]
        if size is None:   # cyclecloud.md 3.5: no definition = the first matching (valid) bucket
            size = next((s for s in na["machineTypes"] if not self._bucket_validity(na, s)), na["machineTypes"][0])
        available, reason = self._available(cluster, na, size, plan["placementGroupId"])
        names = self._names(cluster, plan["nameFormat"], plan["nameOffset"], wanted)
        messages = []
        if len(names) < wanted:
            messages.append("Node %s already exists" % plan["nameFormat"])
        if available < len(names):
            messages.append(reason)
            names = names[:available]
        now = self.clock.now()
        added = []
        for name in names:
            node = self._new_node(cluster, na, name, size, attributes=plan["nodeAttributes"])
            if request_id is not None:
                node.record["RequestId"] = request_id
            if plan["placementGroupId"] is not None:
                node.record["PlacementGroupId"] = plan["placementGroupId"]
            node.record["TargetState"] = "Started"
            cluster["nodes"][name] = node
            self._enter(node, "Allocation", now)
            added.append(node)
        if len(added) == wanted:
            return added, None
        return added, "Added %d of %d nodes: %s" % (len(added), wanted, "; ".join(messages))   # [INFERRED] text

    @staticmethod
    def _names(cluster, name_format, offset, count):
        """New node names: the lowest unused indexes from nameOffset + 1 (cyclecloud.md 10.7, [INFERRED] offset);
        a format without %d is one exact name, skipped when it exists."""
        pattern = INDEX.search(name_format)
        if pattern is None:
            return [] if name_format in cluster["nodes"] else [name_format]
        names = []
        for index in itertools.count(offset + 1):
            name = name_format[:pattern.start()] + (pattern.group() % index) + name_format[pattern.end():]
            if name not in cluster["nodes"]:
                names.append(name)
                if len(names) == count:
                    return names

    def _scale(self, req, cluster, nodearray):
        found = self._cluster(cluster, status=409)
        na = found["nodearrays"].get(nodearray)
        if na is None:
            raise self._error(409, "Nodearray %s not found in cluster %s" % (nodearray, cluster))
        given = [k for k in ("totalNodeCount", "totalCoreCount") if k in req.query]
        if len(given) != 1:
            raise self._error(409, "Give exactly one of totalNodeCount and totalCoreCount")
        value = req.query[given[0]]
        if not re.fullmatch(r"\d+", value.strip()):
            raise self._error(409, "%s must be a non-negative integer" % given[0])
        total = int(value)
        size = next((s for s in na["machineTypes"] if not self._bucket_validity(na, s)), None)
        active_count, active_cores = self._count(n for n in found["nodes"].values() if n.nodearray == nodearray)
        result = {"added": 0}
        created = []
        if size is None:
            reason = self._bucket_validity(na, na["machineTypes"][0])
            need = total - active_count if given[0] == "totalNodeCount" else total - active_cores
            if need > 0:
                result["message"] = "Nodearray %s has no valid bucket (%s)" % (nodearray, reason)
        else:
            vcpu = int(self._vm(size)["vcpuCount"])
            # cyclecloud.md 4.1: a core total rounds up to whole nodes [UNCONFIRMED there]
            need = total - active_count if given[0] == "totalNodeCount" else math.ceil((total - active_cores) / vcpu)
            if need > 0:
                plan = {"nodearray": na, "count": need, "machineType": size, "nameFormat": nodearray + "-%d",
                        "nameOffset": 0, "nodeAttributes": {}, "placementGroupId": None}
                created, message = self._add_nodes(found, plan, None)
                result["added"] = len(created)
                if message:
                    result["message"] = message
        operation = self._new_operation(found, "create", None, created)
        return self._accepted(req, {"operationId": operation["id"], "sets": [result]}, operation)

    # =============================================================================================
    # node actions (cyclecloud.md 3.6, 4.2)
    # =============================================================================================
    def _node_action(self, req, cluster, action):
        found = self._cluster(cluster, status=409)
        body = self._json(req)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise self._error(409, "The request body must be a NodeManagementRequest object")
        request_id = self._check_request_id(field(body, "requestId"))
        nodes = self._select(found, body)
        results, affected = [], []
        now = self.clock.now()
        for node in nodes:
            error = getattr(self, "_do_" + action)(node, now)
            entry = {"id": node.record["NodeId"], "name": node.name, "status": "Error" if error else "OK"}
            if error:
                entry["error"] = error
            else:
                affected.append(node)
            results.append(entry)
        for node in affected:
            if node.remove and node.status == "Off" and node.due is None:
                del found["nodes"][node.name]   # remove of a node already Off: gone at once
        operation = self._new_operation(found, action, request_id, affected)
        self._settle_cluster(found, now)
        return self._accepted(req, {"operationId": operation["id"], "nodes": results}, operation)

    def _select(self, cluster, body):
        """The UNION of every selector given (cyclecloud.md 3.6), in the cluster's node order."""
        selectors = {}
        for key in ("names", "ids", "hostnames", "ip_addresses"):
            value = field(body, key)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self._error(409, "%s must be a list of strings" % key)
            selectors[key] = set(value)
        text = field(body, "filter")
        matcher = None
        if text is not None:
            try:
                matcher = ClassAdFilter(text)
            except FilterError as err:
                raise self._error(409, "Could not parse the filter expression %r: %s" % (text, err)) from err
        if not selectors and matcher is None:
            raise self._error(409, "No nodes specified: give names, ids, hostnames, ip_addresses or filter")
        hostnames = {h.split(".")[0].lower() for h in selectors.get("hostnames", ())}
        chosen = []
        for node in cluster["nodes"].values():
            record = node.record
            if (record["Name"] in selectors.get("names", ()) or record["NodeId"] in selectors.get("ids", ())
                    or (record.get("Hostname") or "").lower() in hostnames
                    or (record.get("PrivateIp") and record["PrivateIp"] in selectors.get("ip_addresses", ()))
                    or (matcher is not None and matcher.matches(record))):
                chosen.append(node)
        return chosen

    def _do_terminate(self, node, now):
        node.pending_start = False
        if node.status in ("Off", "Terminating"):
            node.record["TargetState"] = "Terminated"
            return None   # already terminated or terminating: OK, nothing to do
        node.record["TargetState"] = "Terminated"
        self._enter(node, "Terminating", now)
        return None

    def _do_remove(self, node, now):
        node.remove = True
        return self._do_terminate(node, now)

    def _do_deallocate(self, node, now):
        if node.status in ("Deallocated", "Deallocating"):
            return None
        if node.target == "Terminated" or node.status in ("Off", "Terminating"):
            return "Node %s is terminated; only a started node can be deallocated" % node.name   # [INFERRED]
        node.pending_start = False
        node.record["TargetState"] = "Deallocated"
        self._enter(node, "Deallocating", now)
        return None

    def _do_shutdown(self, node, now):
        # cyclecloud.md 4.2: per node ShutdownPolicy, Terminate by default
        if node.record.get("ShutdownPolicy") == "Deallocate" and node.target != "Terminated" and node.status != "Off":
            return self._do_deallocate(node, now)
        return self._do_terminate(node, now)

    def _do_start(self, node, now):
        if node.remove:
            return "Node %s has been terminated and is being removed" % node.name   # [INFERRED]
        if node.target == "Started" and node.status != "Failed":
            return None   # started or starting already: OK, nothing to do
        if node.status in ("Terminating", "Deallocating"):
            return "Node %s is %s; start it once that has finished" % (node.name, node.status.lower())   # [INFERRED]
        node.record["TargetState"] = "Started"
        if node.status == "Deallocated":
            self._enter(node, "Preparing", now)   # [INFERRED] the VM exists: no Allocation phase
        else:
            self._enter(node, "Allocation", now)
        return None

    def _do_restart(self, node, now):
        if node.status != "Ready":
            return "Node %s is %s; only a Ready node can be restarted" % (node.name, node.status)   # [INFERRED]
        self._enter(node, "Restarting", now)
        return None

    def _do_reimage(self, node, now):
        if node.status != "Ready":
            return "Node %s is %s; only a Ready node can be reimaged" % (node.name, node.status)   # [INFERRED]
        self._enter(node, "Reimaging", now)
        return None

    # =============================================================================================
    # undocumented cluster actions (cyclecloud.md 2.2): bodies [INFERRED]
    # =============================================================================================
    def _cluster_answer(self, cluster):
        body = {"name": cluster["name"]}
        for key in ("state", "targetState"):
            if cluster[key] is not None:
                body[key] = cluster[key]
        return Response(200, body)

    def _start_cluster(self, req, cluster):
        found = self._cluster(cluster)
        now = self.clock.now()
        found.update(targetState="Started", state="Starting",
                     start_due=now + timedelta(seconds=self.timing["starting_cluster"]))
        for na in found["nodearrays"].values():
            na["activated"] = True   # cyclecloud.md 4.2: a start activates every nodearray
        for node in list(found["nodes"].values()):
            if node.nodearray is not None and not node.record.get("Fixed"):
                continue
            if node.status in ("Terminating", "Deallocating"):
                node.pending_start = True   # [INFERRED] starts again once the VM is down
                node.remove = False
            elif node.target != "Started" or node.status == "Failed":
                node.remove = False
                self._do_start(node, now)
        created = []
        for na in found["nodearrays"].values():
            created += self._initial_nodes(found, na)
        if created:
            self._new_operation(found, "create", None, created)
        self._settle_cluster(found, now)
        return self._cluster_answer(found)

    def _initial_nodes(self, cluster, na):
        """cyclecloud.md 4.2: InitialCount / InitialCoreCount nodes of each nodearray, only those missing."""
        size = next((s for s in na["machineTypes"] if not self._bucket_validity(na, s)), None)
        if size is None:
            return []
        count, cores = self._count(n for n in cluster["nodes"].values() if n.nodearray == na["name"])
        need = max(na["initialCount"] - count, math.ceil((na["initialCoreCount"] - cores) / int(self._vm(size)["vcpuCount"])))
        if need <= 0:
            return []
        plan = {"nodearray": na, "count": need, "machineType": size, "nameFormat": na["name"] + "-%d", "nameOffset": 0,
                "nodeAttributes": {}, "placementGroupId": None}
        return self._add_nodes(cluster, plan, None)[0]

    def _terminate_cluster(self, req, cluster):
        found = self._cluster(cluster)
        now = self.clock.now()
        found.update(targetState="Terminated", state="Terminating", start_due=None)
        for node in list(found["nodes"].values()):
            self._do_terminate(node, now)
            if node.nodearray is not None and node.status == "Off" and not node.record.get("Fixed"):
                del found["nodes"][node.name]   # cyclecloud.md 4.2: nodearray nodes go; standalone ones stay Off
        self._settle_cluster(found, now)
        return self._cluster_answer(found)

    def _retry(self, req, cluster):
        """cyclecloud.md 2.2: Failed nodes run their failed phase again; answers {"retried": [names]} [INFERRED]."""
        found = self._cluster(cluster)
        now = self.clock.now()
        retried = []
        for node in found["nodes"].values():
            if node.status == "Failed":
                self._enter(node, node.failed_phase or "Allocation", now)
                retried.append(node.name)
        return Response(200, {"name": found["name"], "retried": retried})

    # =============================================================================================
    # cluster definitions: import (create or change), show, remove (cyclecloud.md 2.2: the endpoints behind the
    # CLI's import_cluster, show_cluster and delete_cluster; undocumented, so bodies and codes are [INFERRED])
    # =============================================================================================
    @staticmethod
    def _read_template(text, section=None, error=TemplateError):
        """(the [cluster] section to use, {"clusters", "parameters"}): ``section`` names it, else the only one."""
        try:
            clusters, parameters = parse_template(text)
        except TemplateError as err:
            raise error(str(err)) from err
        if section is None:
            if len(clusters) != 1:
                raise error("the template defines clusters %s: name one (template)" % ", ".join(sorted(clusters)))
            section = next(iter(clusters))
        if section not in clusters:
            raise error("Cluster %s is not defined in the template (it defines %s)" % (section, ", ".join(sorted(clusters))))
        return section, {"clusters": {section: clusters[section]}, "parameters": parameters, "section": section}

    @staticmethod
    def _form(req):
        """import_cluster's form fields (BW-DEMO sends them url-encoded, the 8.1.0 session adds the type)."""
        if isinstance(req.body, dict):
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in req.body.items()}
        return {k: v[-1] for k, v in parse_qs(req.raw.decode("utf-8", "replace"), keep_blank_values=True).items()}

    def _import_cluster(self, req, cluster):
        form = self._form(req)
        if form.get("source", "standard") != "standard":
            raise self._error(409, "Unsupported source %s" % form["source"])
        if form.get("parameters_format", "json") != "json":
            raise self._error(409, "Unsupported parameters_format %s" % form["parameters_format"])
        try:
            given = json.loads(form.get("parameters") or "{}")
        except ValueError as err:
            raise self._error(409, "Invalid JSON in parameters: %s" % err) from err
        if not isinstance(given, dict):
            raise self._error(409, "parameters must be a JSON object")
        template = form.get("template") or None
        if form.get("cluster"):
            # cyclecloud.md 2.2: cluster=<template text>; template names its [cluster] section (BW-DEMO: the
            # cluster's own name when not given)
            try:
                section, definition = self._read_template(form["cluster"], template)
            except TemplateError as err:
                raise self._error(409, "Could not import the cluster template: %s" % err) from err
        elif template:
            # no text: a template stored in CycleCloud (the CLI's create_cluster TEMPLATE NAME) [INFERRED]
            definition = self._templates.get(template)
            if definition is None:
                raise self._error(409, "Template %s not found" % template)
            section = definition["section"]
        else:
            raise self._error(409, "Give the cluster template (cluster) or the name of a stored template (template)")
        force = str(form.get("force", "")).lower() == "true"
        if str(form.get("as_template", "")).lower() == "true":
            if cluster in self._templates and not force:
                raise self._error(409, "Template %s already exists" % cluster)
            self._templates[cluster] = dict(definition, section=section)
            return Response(200, {"name": cluster, "template": True})
        try:
            values = parameter_values(definition["parameters"], given)
            spec = self._cluster_spec(cluster, definition["clusters"][section], values)
        except TemplateError as err:
            raise self._error(409, str(err)) from err
        spec.update(template=template or section, parameters=values)
        existing = self._clusters.get(cluster)
        if existing is None:
            self._seed_cluster(spec, self.clock.now())
        elif not force:
            raise self._error(409, "Cluster %s already exists; import it with force to change it" % cluster)
        else:
            self._redefine(existing, spec)
        return self._cluster_answer(self._clusters[cluster])

    def _cluster_spec(self, name, section, values):
        """The cluster a template section describes, in the fixture's form (nodes Off, node arrays not activated)."""
        def attribute(attrs, key):
            raw = attrs.get(key)
            return None if raw is None else template_value(raw, values, key)

        def machine_types(attrs, what):
            sizes = as_list(attribute(attrs, "MachineType"))
            if not sizes:
                raise TemplateError("%s has no MachineType" % what)
            for size in sizes:
                if size not in self.vm_sizes:
                    raise TemplateError("MachineType %s is not recognized" % size)   # cyclecloud.md 5
            return sizes

        def extended(array, seen=()):
            own = section["nodearrays"].get(array)
            if own is None or array in seen:
                raise TemplateError("Nodearray %s extends %s, which is not defined" % (seen[-1], array))
            base = extended(own["Extends"], seen + (array,)) if own.get("Extends") else dict(section["defaults"])
            return dict(base, **own)

        defaults_region = attribute(section["defaults"], "Region") or DEFAULT_REGION
        spec = {"name": name, "state": None, "targetState": None, "region": defaults_region, "nodearrays": [], "nodes": []}
        for key, attr in (("maxCount", "MaxCount"), ("maxCoreCount", "MaxCoreCount")):
            if attribute(section["attributes"], attr) is not None:
                spec[key] = attribute(section["attributes"], attr)
        for array in section["nodearrays"]:
            attrs = extended(array)
            one = {"name": array, "machineTypes": machine_types(attrs, "Nodearray %s" % array)}
            for key, attr in (("maxCount", "MaxCount"), ("maxCoreCount", "MaxCoreCount"), ("initialCount", "InitialCount"),
                              ("initialCoreCount", "InitialCoreCount"), ("shutdownPolicy", "ShutdownPolicy"),
                              ("region", "Region"), ("interruptible", "Interruptible"), ("subnetId", "SubnetId"),
                              ("fixed", "Fixed")):
                if attribute(attrs, attr) is not None:
                    one[key] = attribute(attrs, attr)
            spec["nodearrays"].append(one)
        for node in section["nodes"]:
            attrs = dict(section["defaults"], **section["nodes"][node])
            one = {"name": node, "machineType": machine_types(attrs, "Node %s" % node)[0], "status": "Off", "fixed": True}
            for key, attr in (("region", "Region"), ("shutdownPolicy", "ShutdownPolicy"), ("keepAlive", "KeepAlive")):
                if attribute(attrs, attr) is not None:
                    one[key] = attribute(attrs, attr)
            spec["nodes"].append(one)
        for one in spec["nodearrays"]:
            for key in ("maxCount", "maxCoreCount", "initialCount", "initialCoreCount"):
                if key in one and not is_int(one[key]) and not re.fullmatch(r"\d+", str(one[key])):
                    raise TemplateError("Nodearray %s: %s must be a whole number, not %r" % (one["name"], key, one[key]))
        return spec

    def _redefine(self, cluster, spec):
        """A forced import over an existing cluster: its node arrays and limits follow the template; nodes keep running;
        new standalone nodes are added Off; a new node array waits for the next start (cyclecloud.md 4.2)."""
        old = cluster["nodearrays"]
        arrays = {}
        for one in spec["nodearrays"]:
            array = self._seed_nodearray(cluster, one)
            previous = old.get(array["name"])
            array["activated"] = previous["activated"] if previous else False
            array["last_failure"] = previous["last_failure"] if previous else {}
            arrays[array["name"]] = array
        busy = sorted(name for name in old if name not in arrays
                      and any(n.nodearray == name for n in cluster["nodes"].values()))
        if busy:   # [INFERRED]: CycleCloud would orphan them
            raise self._error(409, "Nodearray %s still has nodes; remove them before removing the nodearray from the "
                                   "template" % ", ".join(busy))
        cluster["nodearrays"] = arrays
        cluster.update(maxCount=int(spec.get("maxCount", cluster["maxCount"])), region=spec["region"],
                       maxCoreCount=int(spec.get("maxCoreCount", cluster["maxCoreCount"])),
                       template=spec["template"], parameters=spec["parameters"])
        now = self.clock.now()
        for one in spec["nodes"]:
            if one["name"] not in cluster["nodes"]:
                self._seed_node(cluster, one, now)

    def _cluster_record(self, cluster, summary):
        """A cluster as show_cluster lists it (cyclecloud.md 2.2: ClusterName, State, TargetState, Nodes,
        NodeArrays[].Count); TemplateName and Parameters (the values it was imported with) are [INFERRED]."""
        record = {"ClusterName": cluster["name"], "IsTemplate": False}
        if cluster["state"] is not None:
            record["State"] = cluster["state"]
        if cluster["targetState"] is not None:
            record["TargetState"] = cluster["targetState"]
        if cluster["template"] is not None:
            record["TemplateName"] = cluster["template"]
        record["Parameters"] = copy.deepcopy(cluster["parameters"])
        record["NodeArrays"] = [{"Name": name, "Count": self._count(n for n in cluster["nodes"].values()
                                                                    if n.nodearray == name)[0]}
                                for name in cluster["nodearrays"]]
        keys = ("Name", "NodeId", "Template", "MachineType", "Status", "TargetState", "Hostname", "PrivateIp")
        record["Nodes"] = [dict((k, n.record[k]) for k in keys if k in n.record) if summary else self._view(n)
                           for n in cluster["nodes"].values()]
        return record

    def _show_clusters(self, req, cluster=None):
        """A JSON array: every cluster, or the one named (none when it does not exist); templates=true adds the
        stored templates (cyclecloud.md 2.2)."""
        summary = str(req.query.get("summary", "")).lower() == "true"
        chosen = [c for name, c in self._clusters.items() if cluster in (None, name)]
        records = [self._cluster_record(c, summary) for c in chosen]
        if str(req.query.get("templates", "")).lower() == "true":
            for name, definition in self._templates.items():
                if cluster in (None, name):
                    records.append({"ClusterName": name, "IsTemplate": True, "Parameters": {
                        k: template_value(d["DefaultValue"], {}, k)
                        for k, d in definition["parameters"].items() if "DefaultValue" in d}})
        return Response(200, records)

    def _remove_cluster(self, req, cluster):
        """The CLI's delete_cluster, which "deletes a non-running cluster": every node must be Off (force also
        passes nodes whose termination Failed, cyclecloud-openapi.json: "delete even if resource cleanup had
        issues"); template=true deletes a stored template instead."""
        if str(req.query.get("template", "")).lower() == "true":
            if self._templates.pop(cluster, None) is None:
                raise self._error(404, "Template %s not found" % cluster, NOT_FOUND)
            return Response(200, {"name": cluster, "template": True})
        found = self._cluster(cluster)
        force = str(req.query.get("force", "")).lower() == "true"
        running = [n for n in found["nodes"].values() if n.status != "Off" and not (force and n.status == "Failed")]
        if running:
            raise self._error(409, "Cluster %s must be terminated before it can be removed (%s)" % (cluster, ", ".join(
                "%s is %s" % (n.name, n.status) for n in running[:5])))
        del self._clusters[cluster]
        self._failures = [rule for rule in self._failures if rule["cluster"] != cluster]
        return Response(200, {"name": cluster})


def main(argv=None):
    args = sandbox_parser("Azure CycleCloud REST API emulator (sandbox mode)", 8380, fixture=True).parse_args(argv)
    emulator = CycleCloudEmulator(host=args.host, port=args.port, speed=args.speed, fixture=load_fixture(args.fixture)).start()
    serve(emulator, "Azure CycleCloud emulator", [
        "url:       %s" % emulator.url,
        "username:  %s" % emulator.username,
        "password:  %s" % emulator.password,
        "clusters:  %s" % ", ".join(c["name"] for c in emulator.fixture.get("clusters") or []),
        "speed:     %gx" % args.speed,
    ])


if __name__ == "__main__":
    main()
