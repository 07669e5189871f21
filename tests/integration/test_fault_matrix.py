# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fault matrix: every kind of transport fault, against two modules of each platform.

Kinds: a 429 with Retry-After on the lookup GET and on the create POST; 502/503/504 bursts
(twice, then fine); 503 forever (fails, retries + 1 attempts); a delay past the task's
``timeout`` on the GET, and on the POST after the server stored the object (an uncertain
write: read again, ok + changed + a warning); a connection dropped on the GET, on the POST
before the server saw it (fails: "may not have happened") and after it stored the object;
the login token expiring mid-task (Air, Airbyte, CloudCIX: one new login, then success);
another client creating the same object between our read and our POST (a race: the task
converges, the object exists once).

Servers: the emulators (tests/emulators) and the real Nautobot behind the fault-injecting
recording proxy (tests/harness/recording_proxy.py). Evidence comes from their side: the
request log / proxy records of each case, and the objects the server holds.

Speed: one ansible-playbook run per platform (the five run at the same time), one task per
case. Each task's ``when`` calls a small arming server in this process (a url lookup on the
controller), which clears the previous case's faults, marks where the case's requests start
in the log, and arms the case's faults and hooks; so every case sees only its own faults and
its own requests. Case ids start with the platform (``air-``, ``airbyte-``, ``cloudcix-``,
``cyclecloud-``, ``nautobot-``); ``CASE_COUNTS`` counts them.
"""

from __future__ import absolute_import, division, print_function

import base64
import collections
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PLATFORMS = ("air", "airbyte", "cloudcix", "cyclecloud", "nautobot")
RUN = uuid.uuid4().hex[:6]
AIRBYTE_API = "/api/public/v1"


# -- what each module reads, writes and counts ------------------------------------------------
class Target(object):
    """One module under test: how a task creates an object named ``name``, the paths of its
    lookup GET (``read``) and create POST (``create``) as regexes plus the literal paths
    (``read_path``, ``create_path``), how to count the objects so named on the server, and
    the status a losing create gets in a race (None: the API has no create conflict)."""

    def __init__(self, platform, short, module, options, read, create, count, conflict=None,
                 read_path=None, create_path=None):
        self.platform = platform
        self.short = short
        self.module = module
        self.options = options
        self.read = read
        self.create = create
        self.count = count
        self.conflict = conflict
        self.read_path = read_path or read.strip("^$")
        self.create_path = create_path or create.strip("^$")


def ed25519_line(name):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + hashlib.sha256(name.encode()).digest()
    return "ssh-ed25519 %s fault@matrix" % base64.b64encode(blob).decode()


def named(records, name, key="name"):
    return len([r for r in records if r.get(key) == name])


TARGETS = [
    Target("air", "ssh_key", "air_ssh_key", lambda n: {"name": n, "public_key": ed25519_line(n)},
           "^/api/v1/sshkey/$", "^/api/v1/sshkey/$",
           lambda lab, n: named(lab.server.state["sshkeys"].values(), n), conflict=409),
    Target("air", "organization", "air_organization", lambda n: {"name": n},
           "^/api/v1/organization/$", "^/api/v1/organization/$",
           lambda lab, n: named(lab.server.state["organizations"].values(), n)),
    Target("airbyte", "tag", "airbyte_tag", lambda n: {"name": n, "workspace": "Default Workspace", "color": "FF0000"},
           "^%s/tags$" % AIRBYTE_API, "^%s/tags$" % AIRBYTE_API,
           lambda lab, n: named(lab.server._tags.values(), n), conflict=409),
    Target("airbyte", "workspace", "airbyte_workspace", lambda n: {"name": n},
           "^%s/workspaces$" % AIRBYTE_API, "^%s/workspaces$" % AIRBYTE_API,
           lambda lab, n: named(lab.server._workspaces.values(), n)),
    Target("cloudcix", "project", "cloudcix_project", lambda n: {"name": n},
           "^/compute/project/$", "^/compute/project/$",
           lambda lab, n: named([p for p in lab.server.objects("compute", "project") if not p["closed"]], n),
           conflict=400),
    Target("cloudcix", "ip_group", "cloudcix_ip_group", lambda n: {"name": n, "cidrs": ["10.9.0.0/24"], "version": 4},
           "^/compute/network/ip_groups/$", "^/compute/network/ip_groups/$",
           lambda lab, n: named(lab.server.objects("compute", "network/ip_groups"), n), conflict=400),
    # CycleCloud creates nodes: by name (cyclecloud_node), or by scaling an array to a total
    # (each scale case has a node array of its own, empty at the start, scaled to 1)
    Target("cyclecloud", "node", "cyclecloud_node",
           lambda n: {"cluster": "hpc", "names": [n], "node_array": "execute", "wait": False},
           "^/clusters/hpc/status$", "^/clusters/hpc/nodes/create$",
           lambda lab, n: named(lab.server.nodes("hpc"), n, "Name"), conflict=202),
    Target("cyclecloud", "scale", "cyclecloud_scale",
           lambda n: {"cluster": "hpc", "node_array": n, "nodes": 1, "wait": False},
           "^/clusters/hpc/status$", "^/clusters/hpc/scale/",
           lambda lab, n: named(lab.server.nodes("hpc"), n, "Template"), create_path="/clusters/hpc/scale/"),
    Target("nautobot", "tag", "nautobot_tag", lambda n: {"name": n, "content_types": ["dcim.device"]},
           "^/api/extras/tags/$", "^/api/extras/tags/$",
           lambda lab, n: lab.server.count("extras/tags/", name=n), conflict=400),
    Target("nautobot", "manufacturer", "nautobot_manufacturer", lambda n: {"name": n},
           "^/api/dcim/manufacturers/$", "^/api/dcim/manufacturers/$",
           lambda lab, n: lab.server.count("dcim/manufacturers/", name=n), conflict=400),
]
LOGIN_PLATFORMS = ("air", "airbyte", "cloudcix")


# -- the cases ---------------------------------------------------------------------------------
class Case(object):
    def __init__(self, target, kind, arm, check, options=None):
        self.target = target
        self.kind = kind
        self.platform = target.platform
        self.id = "%s-%s-%s" % (target.platform, target.short, kind)
        # a name per case and run: short, a letter first (CloudCIX IP groups), no dots
        self.name = "fm%s%s" % (hashlib.sha1(self.id.encode()).hexdigest()[:6], RUN)
        self.arm = arm
        self.check = check
        self.task_options = dict(target.options(self.name), **(options or {}))
        self.mark = None       # where this case's requests start in the server's log
        self.result = None     # the task's result (record_results callback)
        self.requests = None   # what the server saw during the case
        self.output = ""       # the tail of the platform's ansible-playbook output

    def __repr__(self):
        return self.id


def statuses(case, method, regex):
    return [r["status"] for r in case.requests if r["method"] == method and re.search(regex, r["path"])]


def gets(case):
    return statuses(case, "GET", case.target.read)


def posts(case):
    return statuses(case, "POST", case.target.create)


def succeeded(case, changed=True):
    result = case.result
    assert result is not None, "the task did not run"
    assert result["_status"] == "ok", result.get("msg")
    assert result.get("changed") is changed, result
    return result


def failed(case):
    result = case.result
    assert result is not None, "the task did not run"
    assert result["_status"] == "failed", result
    assert not result.get("changed"), result
    return result


def once(lab, case):
    assert case.target.count(lab, case.name) == 1, "the object must exist exactly once"


def none(lab, case):
    assert case.target.count(lab, case.name) == 0, "no object may have been created"


def ok_2xx(status):
    return status is not None and 200 <= status < 300


def read_after_write(case):
    """True when the task read the object's list again after its (uncertain) POST."""
    order = [(r["method"], r["path"]) for r in case.requests]
    first_post = next(i for i, (m, p) in enumerate(order) if m == "POST" and re.search(case.target.create, p))
    return any(m == "GET" and re.search(case.target.read, p) for m, p in order[first_post + 1:])


# arm(lab, case) adds the faults; check(lab, case) asserts on the outcome
def arm_read(**fault):
    return lambda lab, case: lab.add_fault(method="GET", path=case.target.read, **fault)


def arm_create(**fault):
    return lambda lab, case: lab.add_fault(method="POST", path=case.target.create, **fault)


def check_throttled_get(lab, case):
    succeeded(case)
    assert gets(case)[:2] == [429, 200]
    assert len(posts(case)) == 1 and ok_2xx(posts(case)[0])
    once(lab, case)


def check_throttled_post(lab, case):
    succeeded(case)
    assert len(posts(case)) == 2 and posts(case)[0] == 429 and ok_2xx(posts(case)[1]), posts(case)
    first, again = [r["body"] for r in case.requests if r["method"] == "POST" and re.search(case.target.create, r["path"])]
    assert again == first  # the same create, sent again after Retry-After
    once(lab, case)


def burst(status):
    def check(lab, case):
        succeeded(case)
        assert gets(case)[:3] == [status, status, 200]
        assert len(posts(case)) == 1 and ok_2xx(posts(case)[0])
        once(lab, case)
    return check


def check_unavailable_forever(lab, case):
    result = failed(case)
    assert gets(case) == [503, 503, 503]  # retries: 2, so 3 attempts
    assert posts(case) == []
    assert "503" in result["msg"] and case.target.read_path in result["msg"], result["msg"]
    none(lab, case)


def check_slow_get(lab, case):
    succeeded(case)
    assert len(gets(case)) >= 2  # the first one timed out and was sent again
    assert len(posts(case)) == 1
    once(lab, case)


def check_uncertain_create_stored(words):
    def check(lab, case):
        result = succeeded(case)
        assert len(posts(case)) == 1, "a create whose answer was lost is never sent again: %s" % posts(case)
        assert read_after_write(case), "the task must read again after the uncertain create"
        warnings = " ".join(result.get("warnings") or [])
        assert re.search(words, warnings, re.I), result.get("warnings")
        once(lab, case)
    return check


def check_dropped_get(lab, case):
    succeeded(case)
    assert gets(case)[:2] == [None, 200]
    assert len(posts(case)) == 1
    once(lab, case)


def check_dropped_post_not_stored(lab, case):
    result = failed(case)
    assert posts(case) == [None], "sent once, never answered: %s" % posts(case)
    assert read_after_write(case), "the task must read again after the uncertain create"
    assert "may not have happened" in result["msg"], result["msg"]
    assert "POST %s" % case.target.create_path in result["msg"], result["msg"]
    none(lab, case)


def check_token_expired(lab, case):
    succeeded(case)
    logins = [r for r in case.requests if r["method"] == "POST" and re.search(lab.login, r["path"])]
    assert len(logins) == 2 and all(ok_2xx(r["status"]) for r in logins), logins
    hooked = gets(case) if case.kind == "token-expiry-get" else posts(case)
    assert len(hooked) >= 2 and hooked[0] in (401, 403) and ok_2xx(hooked[1]), hooked
    once(lab, case)


def check_race(lab, case):
    succeeded(case, changed=False)
    mine = posts(case)
    if lab.platform == "nautobot":  # the other client went straight to Nautobot, past the proxy
        assert [r["upstream_status"] for r in case.requests if r["method"] == "POST"] == [case.target.conflict]
    else:  # the other client's create (served in our request's before hook), then ours
        assert len(mine) == 2 and ok_2xx(mine[0]) and mine[1] == case.target.conflict, mine
    once(lab, case)


def arm_race(lab, case):
    lab.add_fault(method="POST", path=case.target.create, before=lab.create_as_other)


def arm_expiry(method):
    def arm(lab, case):
        path = case.target.read if method == "GET" else case.target.create
        lab.add_fault(method=method, path=path, before=lambda req: lab.expire_tokens())
    return arm


def cases_of(target):
    kinds = [
        ("429-get", arm_read(status=429, retry_after=1), check_throttled_get, None),
        ("429-post", arm_create(status=429, retry_after=1), check_throttled_post, None),
        ("502-burst", arm_read(status=502, count=2), burst(502), None),
        ("503-burst", arm_read(status=503, count=2), burst(503), None),
        ("504-burst", arm_read(status=504, count=2), burst(504), None),
        ("503-forever", arm_read(status=503, count=None), check_unavailable_forever, {"retries": 2}),
        ("timeout-get", arm_read(delay=1.5), check_slow_get, {"timeout": 1}),
        ("timeout-post-stored", arm_create(after=True, delay=2.5),
         check_uncertain_create_stored(r"time(d)? ?out"), {"timeout": 1}),
        ("drop-get", arm_read(drop=True), check_dropped_get, None),
        ("drop-post", arm_create(drop=True), check_dropped_post_not_stored, None),
        ("drop-post-stored", arm_create(after=True, drop=True), check_uncertain_create_stored("POST"), None),
    ]
    if target.platform in LOGIN_PLATFORMS:
        # the first module of a platform loses its token right before its create, the second
        # right before its lookup
        first = next(t for t in TARGETS if t.platform == target.platform) is target
        kinds.append(("token-expiry-post", arm_expiry("POST"), check_token_expired, None) if first
                     else ("token-expiry-get", arm_expiry("GET"), check_token_expired, None))
    if target.conflict is not None:
        kinds.append(("race", arm_race, check_race, None))
    return [Case(target, kind, arm, check, options) for kind, arm, check, options in kinds]


CASES = [case for target in TARGETS for case in cases_of(target)]


# -- the servers -------------------------------------------------------------------------------
class Lab(object):
    """One platform's server (emulator or proxy), connection options, faults and log."""

    platform = group = login = None

    def __init__(self, server, connection):
        self.server = server
        self.connection = connection

    def entries(self):
        return self.server.log

    def add_fault(self, **fault):
        self.server.faults.add(**fault)

    def clear_faults(self):
        self.server.faults.clear()

    def expire_tokens(self):
        raise NotImplementedError

    def create_as_other(self, req):
        """Another client sends the same create (its own credentials), before ours is served."""
        answer = requests.post(self.server.url + req.path, json=self.other_body(req.body),
                               headers=self.other_headers(), timeout=10)
        assert answer.status_code < 300, answer.text

    def other_body(self, body):
        return body

    def stop(self):
        self.server.stop()


class AirLab(Lab):
    platform, group, login = "air", "air", "^/api/v1/login/$"

    @classmethod
    def start(cls, cases):
        from air_emulator import AirEmulator

        emulator = AirEmulator().start()
        return cls(emulator, {"api_url": emulator.url, "username": emulator.username,
                              "password": emulator.api_token})

    def expire_tokens(self):
        self.server.expire_tokens()

    def other_headers(self):
        return {"Authorization": "Bearer " + self.server.issue_token(self.server.username)}


class AirbyteLab(Lab):
    platform, group, login = "airbyte", "airbyte", "/applications/token$"

    @classmethod
    def start(cls, cases):
        from airbyte_emulator import AirbyteEmulator

        emulator = AirbyteEmulator().start()
        return cls(emulator, {"server_url": emulator.url + AIRBYTE_API, "client_id": emulator.client_id,
                              "client_secret": emulator.client_secret})

    def expire_tokens(self):
        # tokens carry their expiry (emulated time): every token minted so far is now past it
        self.server.clock.advance(self.server.token_lifetime + 1)

    def other_headers(self):
        return {"Authorization": "Bearer " + self.server.issue_token()}


class CloudcixLab(Lab):
    platform, group, login = "cloudcix", "cloudcix", "^/membership/auth/login/$"

    @classmethod
    def start(cls, cases):
        from cloudcix_emulator import CloudcixEmulator

        emulator = CloudcixEmulator().start()
        return cls(emulator, {"api_url": emulator.api_url, "api_username": emulator.email,
                              "api_password": emulator.password, "api_key": emulator.api_key,
                              "region_id": emulator.region_id})

    def expire_tokens(self):
        self.server.clock.advance(self.server.token_lifetime + 1)

    def other_headers(self):
        return {"X-Auth-Token": self.server.issue_token()}


class CycleCloudLab(Lab):
    platform, group = "cyclecloud", "cyclecloud"

    @classmethod
    def start(cls, cases):
        from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator

        fixture = copy.deepcopy(DEFAULT_FIXTURE)
        hpc = next(c for c in fixture["clusters"] if c["name"] == "hpc")
        hpc.update(maxCount=500, maxCoreCount=4000)
        for array in hpc["nodearrays"]:
            array.update(maxCount=100, maxCoreCount=800)
        # a node array of its own for each scale case
        hpc["nodearrays"] += [{"name": case.name, "machineTypes": ["Standard_F4s_v2"], "maxCount": 4,
                               "maxCoreCount": 16, "initialCount": 0} for case in cases if case.target.short == "scale"]
        emulator = CycleCloudEmulator(speed=120.0, fixture=fixture).start()
        return cls(emulator, {"url": emulator.url, "username": emulator.username, "password": emulator.password})

    def other_headers(self):
        token = base64.b64encode(("%s:%s" % (self.server.username, self.server.password)).encode()).decode()
        return {"Authorization": "Basic " + token}

    def other_body(self, body):
        return dict(body, requestId=str(uuid.uuid4()))  # another client's own request id


class NautobotLab(Lab):
    platform, group = "nautobot", "nautobot"

    def __init__(self, server, connection, proxy):
        super(NautobotLab, self).__init__(server, connection)
        self.proxy = proxy

    @classmethod
    def start(cls, cases, nautobot=None):
        sys.path.insert(0, os.path.join(REPO, "tests", "harness"))
        from recording_proxy import RecordingProxy

        proxy = RecordingProxy(nautobot.url).start()
        return cls(nautobot, {"url": proxy.url, "token": nautobot.token}, proxy)

    def entries(self):
        entries = []
        for record in self.proxy.since(0):
            path, _sep, query = record["path"].partition("?")
            entries.append(dict(record, path=path, query=query))
        return entries

    def add_fault(self, **fault):
        self.proxy.faults.add(**fault)

    def clear_faults(self):
        self.proxy.faults.clear()

    def create_as_other(self, req):
        self.server.api("POST", req["path"].split("?")[0][len("/api/"):], json=req["body"])

    def stop(self):
        self.proxy.stop()


LABS = {"air": AirLab, "airbyte": AirbyteLab, "cloudcix": CloudcixLab, "cyclecloud": CycleCloudLab,
        "nautobot": NautobotLab}


class Arming(object):
    """The server each task's ``when`` calls: GET /arm/<case id> clears the faults of the
    platform's previous case, marks the start of this case's requests, arms this case."""

    def __init__(self, cases, labs):
        self.cases = dict((case.id, case) for case in cases)
        self.labs = labs
        arming = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                case = arming.cases.get(self.path.rsplit("/", 1)[-1])
                try:
                    if case is None:
                        raise KeyError(self.path)
                    if case.mark is None:  # once, should the condition be evaluated again
                        lab = arming.labs[case.platform]
                        lab.clear_faults()
                        case.mark = len(lab.entries())
                        case.arm(lab, case)
                    status, text = 200, "armed"
                except Exception as err:  # the task then fails on its lookup, and the case says why
                    status, text = 500, "cannot arm: %r" % err
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def indent(text, width):
    return "".join(" " * width + line + "\n" if line.strip() else "\n" for line in text.splitlines())


def play_text(lab, cases, arming_url, vars_file):
    defaults = "".join('      %s: "{{ lab_%s }}"\n' % (k, k) for k in lab.connection)
    tasks = "".join(
        "- name: %s\n  statecraft.infra.%s: %s\n  when: lookup('ansible.builtin.url', '%s/arm/%s', use_proxy=False)"
        " == 'armed'\n  ignore_errors: true\n" % (case.id, case.target.module, json.dumps(case.task_options),
                                                  arming_url, case.id)
        for case in cases)
    return ("- hosts: localhost\n  gather_facts: false\n  vars_files: [%s]\n  module_defaults:\n"
            "    group/statecraft.infra.%s:\n%s  tasks:\n%s" % (vars_file, lab.group, defaults, indent(tasks, 4)))


def run_play(lab, cases, arming_url, workdir, ansible_env):
    """One ansible-playbook run for a platform's cases; fills in each case's result and requests."""
    vars_file = os.path.join(workdir, "%s-connection.json" % lab.platform)
    with open(vars_file, "w") as handle:  # connection options: not on the command line
        json.dump(dict(("lab_" + k, v) for k, v in lab.connection.items()), handle)
    path = os.path.join(workdir, "%s.yml" % lab.platform)
    with open(path, "w") as handle:
        handle.write(play_text(lab, cases, arming_url, vars_file))
    env = dict(ansible_env, STATECRAFT_RESULTS=path + ".results.json")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), path],
                          capture_output=True, text=True, env=env, cwd=HERE, check=False)
    try:
        with open(path + ".results.json") as handle:
            results = dict((r["_task"], r) for r in json.load(handle))
    except (IOError, ValueError):
        results = {}
    entries = lab.entries()
    marked = [case for case in cases if case.mark is not None]
    for case, following in zip(marked, marked[1:] + [None]):
        case.requests = entries[case.mark:following.mark if following else len(entries)]
    for case in cases:
        case.result = results.get(case.id)
        case.output = proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def matrix(request, ansible_env, tmp_path_factory):
    """Runs the plays of every platform with a selected case, at the same time; -> the labs."""
    selected = set(item.callspec.params["case"].platform for item in request.session.items
                   if getattr(item, "callspec", None) and isinstance(item.callspec.params.get("case"), Case))
    labs = {}
    try:
        for platform in PLATFORMS:
            if platform not in selected:
                continue
            mine = [case for case in CASES if case.platform == platform]
            if platform == "nautobot":
                labs[platform] = NautobotLab.start(mine, nautobot=request.getfixturevalue("nautobot"))
            else:
                labs[platform] = LABS[platform].start(mine)
        arming = Arming(CASES, labs)
        workdir = str(tmp_path_factory.mktemp("fault-matrix"))
        threads = [threading.Thread(target=run_play, args=(lab, [c for c in CASES if c.platform == platform],
                                                           arming.url, workdir, ansible_env))
                   for platform, lab in labs.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        arming.stop()
        yield labs
    finally:
        for lab in labs.values():
            lab.stop()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fault(matrix, case):
    lab = matrix[case.platform]
    assert case.result is not None, "no result for the task:\n%s" % case.output
    assert case.requests is not None, "the case was never armed"
    case.check(lab, case)


def test_airbyte_emulator_saw_only_valid_requests(matrix):
    if "airbyte" in matrix:
        assert matrix["airbyte"].server.validation_errors == []


# -- how many cases each platform has ----------------------------------------------------------
CASE_COUNTS = collections.Counter(case.platform for case in CASES)


def test_matrix_covers_two_modules_of_every_platform():
    assert set(CASE_COUNTS) == set(PLATFORMS)
    for platform in PLATFORMS:
        modules = set(case.target.module for case in CASES if case.platform == platform)
        assert len(modules) >= 2, platform
