# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Redirects on the hosted platforms (issue 14, contract 1): what each host received.

For Air, Airbyte, CloudCIX and CycleCloud, every redirect status (301, 302, 303, 307, 308)
is tried on two kinds of request, a login (Air ``POST v1/login/``, Airbyte's token request,
CloudCIX ``POST membership auth/login/``; CycleCloud sends Basic credentials with every
request, so its "login" is the first authenticated GET) and a write (a create POST with a
body), towards two targets:

* ``same``: another path on the same emulator (same scheme, host and port). The emulator's
  redirect rule points at ``<emulator>/moved``; a small shim installed by this file serves
  ``/moved/<path>`` as ``<path>`` (bypassing the rules, so no loop). Followed as before: a
  307/308 keeps method and body and succeeds; a 301/302/303 on a POST becomes a bodiless GET.
* ``other``: a capturing HTTP server bound to 127.0.0.2, so the host differs. It must never
  receive a body, an ``Authorization`` or ``X-Auth-Token`` header, any secret, nor any login;
  a 307/308 that would carry a body, and any redirected login, fail with a message naming
  both hosts (host:port).

Most of the matrix drives the shared HTTP client in-process, through each adapter's
``from_params`` (what a module does first); a few ansible-playbook runs (one play per
platform, several tasks, ``ignore_errors``) check the end-to-end message.
"""

from __future__ import absolute_import, division, print_function

import base64
import copy
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils import _air, _airbyte, _cloudcix, _cyclecloud
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

STATUSES = (301, 302, 303, 307, 308)
BODY_KEEPING = (307, 308)
PLATFORMS = ("air", "airbyte", "cloudcix", "cyclecloud")
MOVED = "/moved"
CREDENTIAL_HEADERS = ("authorization", "x-auth-token")

AIR_USER = "redirects@example.com"
AIR_TOKEN = "air-api-token-" + uuid.uuid4().hex
AIRBYTE_API = "/api/public/v1"
DB_PASSWORD = "db-pass-" + uuid.uuid4().hex
CC_USER, CC_PASSWORD = "ccadmin", "cc-pass-" + uuid.uuid4().hex


# -- the other host: records everything, answers 404 ----------------------------------------------
class CapturingServer(object):
    """An HTTP server on 127.0.0.2 that records every request (method, path, headers, raw
    bytes of the body) and answers 404 with a small JSON body."""

    def __init__(self, host="127.0.0.2"):
        self.host = host
        self.requests = []
        self._lock = threading.Lock()
        self._httpd = None

    def start(self):
        from emulator_base import read_body

        capture = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self):
                return read_body(self.rfile, self.headers)

            def _capture(self):
                body = self._body()
                entry = {"method": self.command, "path": self.path, "body": body,
                         "headers": dict((k.lower(), v) for k, v in self.headers.items()),
                         "raw": (self.requestline + "\r\n" + str(self.headers)).encode("utf-8", "replace") + body}
                with capture._lock:
                    capture.requests.append(entry)
                payload = json.dumps({"detail": "capturing server: nothing here"}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _capture

        self._httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def netloc(self):
        return "%s:%d" % self._httpd.server_address[:2]

    @property
    def url(self):
        return "http://" + self.netloc

    def clear(self):
        with self._lock:
            del self.requests[:]

    def seen(self):
        with self._lock:
            return list(self.requests)


def assert_nothing_secret_reached(captured, secrets):
    """The other host never got a body, a credential header or any secret (anywhere in the request)."""
    for entry in captured:
        assert entry["body"] == b"", ("the other host received a body", entry["method"], entry["path"], entry["body"])
        sent = [h for h in CREDENTIAL_HEADERS if h in entry["headers"]]
        assert not sent, ("the other host received credentials", entry["method"], entry["path"], sent)
        for secret in secrets:
            assert secret.encode() not in entry["raw"], ("the other host received a secret", entry["method"], entry["path"])


def assert_hidden(run, secrets):
    """No secret in stdout, stderr or any recorded task result; a failure shows where one was."""
    places = {"output": run.output, "results": json.dumps(run.tasks)}
    found = []
    for secret in secrets:
        for place, text in places.items():
            at = text.find(secret)
            if at >= 0:
                found.append("%s: ...%s..." % (place, text[max(0, at - 300):at + len(secret) + 60]))
    assert not found, "\n\n".join(found)


def indent(text, width):
    return "".join(" " * width + line + "\n" if line.strip() else "\n" for line in text.splitlines())


def play_with_vars(lab, tasks, variables, **kwargs):
    """``lab.play`` with ``variables`` (secrets the tasks name as ``{{ var }}``) in a vars file
    too: ansible-core shows the source lines of a failed task, so a secret written into the
    play text would show up there, as it would for any user who writes one into a playbook."""
    defaults = "  module_defaults:\n    group/statecraft.infra.%s:\n%s" % (lab.group, "".join(
        '      %s: "{{ lab_%s }}"\n' % (k, k) for k in lab.connection))
    vars_file = lab.tmp_path / ("vars-%s.json" % uuid.uuid4().hex[:6])
    values = dict(("lab_" + k, v) for k, v in lab.connection.items())
    values.update(variables)
    vars_file.write_text(json.dumps(values))
    text = "- hosts: localhost\n  gather_facts: false\n  vars_files: [%s]\n%s  tasks:\n%s" % (
        vars_file, defaults, indent(tasks, 4))
    mark = len(lab.emulator.log)
    run = lab.playbook(text, **kwargs)
    run.requests = lab.emulator.log[mark:]
    run.writes = [r for r in run.requests
                  if r["method"] in ("POST", "PUT", "PATCH", "DELETE") and r["path"] not in lab.not_writes]
    return run


def install_moved_paths(emulator):
    """``/moved/<path>`` on ``emulator`` is served as ``<path>``, past the fault and redirect
    rules (so a rule on ``<path>`` does not loop); the request log shows the moved path."""
    from emulator_base import ApiError as EmulatorError
    from emulator_base import Response

    # the step after the fault rules (logged by the caller); older emulator bases had one step
    step = "_served" if hasattr(emulator, "_served") else "_serve"
    original = getattr(emulator, step)

    def serve(req):
        if not req.path.startswith(MOVED + "/"):
            return original(req)
        moved = req.path
        req.path = req.path[len(MOVED):]
        try:
            with emulator.lock:
                try:
                    return emulator.handle(req)
                except EmulatorError as err:
                    return Response(err.status, err.body, err.headers)
        finally:
            req.path = moved

    setattr(emulator, step, serve)
    return emulator


def ssh_public_key():
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + uuid.uuid4().bytes * 2
    return "ssh-ed25519 %s ci@runner" % base64.b64encode(blob).decode()


def basic(user, password):
    return base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


# -- the platforms ----------------------------------------------------------------------------------
class Platform(object):
    """One hosted platform under test: its emulator, the connection options of its modules,
    which request is its login and which its write, and the secrets in play."""

    name = None
    login_path = login_method = None   # the redirect rule that catches the login (regex, method)
    write_path = write_method = "POST"

    def __init__(self, emulator):
        self.emulator = install_moved_paths(emulator)

    def reset(self):
        self.emulator.reset()

    def adapter(self):
        return self.adapter_class.from_params(self.params())

    def secrets(self):
        raise NotImplementedError

    def credential_scheme(self):
        """The Authorization scheme the emulator logs for an authenticated request (None: another header)."""
        return "Bearer"


class Air(Platform):
    name = "air"
    adapter_class = _air.AirAdapter
    login_path, login_method = r"^/api/v1/login/$", "POST"
    write_path = r"^/api/v1/sshkey/$"

    def reset(self):
        self.emulator.reset()
        self.emulator.add_account(AIR_USER, api_token=AIR_TOKEN)

    def params(self):
        return {"url": self.emulator.url, "username": AIR_USER, "password": AIR_TOKEN, "retries": 0}

    def login(self, adapter):
        adapter.client.request("GET", "v1/sshkey/")  # the first authenticated request logs in

    def write(self, adapter):
        body = {"name": "key-" + uuid.uuid4().hex[:6], "public_key": ssh_public_key()}
        adapter.client.request("POST", "v1/sshkey/", json_body=body)
        return {"name": body["name"]}

    def login_fields(self):
        return {"username": AIR_USER}

    def secrets(self):
        return [AIR_TOKEN] + self.emulator.issued_tokens()


class Airbyte(Platform):
    name = "airbyte"
    adapter_class = _airbyte.AirbyteAdapter
    login_path, login_method = r"^/api/public/v1/applications/token$", "POST"
    write_path = r"^/api/public/v1/sources$"

    def params(self):
        return {"url": self.emulator.url + AIRBYTE_API, "client_id": self.emulator.client_id,
                "client_secret": self.emulator.client_secret, "retries": 0}

    def login(self, adapter):
        adapter.client.request("GET", "workspaces")

    def write(self, adapter):
        from airbyte_emulator import DEFAULT_WORKSPACE_ID

        body = {"name": "shop-" + uuid.uuid4().hex[:6], "workspaceId": DEFAULT_WORKSPACE_ID,
                "definitionId": self.emulator.definition_id("source", "postgres"),
                "configuration": {"host": "db.example.com", "port": 5432, "database": "shop",
                                  "username": "airbyte", "password": DB_PASSWORD}}
        adapter.client.request("POST", "sources", json_body=body)
        return {"name": body["name"]}

    def login_fields(self):
        return {"client_id": self.emulator.client_id, "grant_type": "client_credentials"}

    def secrets(self):
        return [self.emulator.client_secret, DB_PASSWORD] + list(self.emulator.issued_tokens)


class Cloudcix(Platform):
    name = "cloudcix"
    adapter_class = _cloudcix.CloudcixAdapter
    login_path, login_method = r"^/membership/auth/login/$", "POST"
    write_path = r"^/compute/project/$"

    def params(self):
        emu = self.emulator
        return {"url": emu.api_url, "api_username": emu.email, "api_password": emu.password,
                "api_key": emu.api_key, "region_id": emu.region_id, "retries": 0}

    def login(self, adapter):
        adapter.client_for("compute").request("GET", "project/")

    def write(self, adapter):
        body = {"name": "rd-" + uuid.uuid4().hex[:6], "region_id": self.emulator.region_id, "note": ""}
        adapter.client_for("compute").request("POST", "project/", json_body=body)
        return {"name": body["name"]}

    def login_fields(self):
        return {"email": self.emulator.email}

    def secrets(self):
        return self.emulator.secrets()

    def credential_scheme(self):
        return None  # X-Auth-Token: the emulator logs only the Authorization scheme


class Cyclecloud(Platform):
    """Basic credentials go with every request: the "login" is the first authenticated GET."""

    name = "cyclecloud"
    adapter_class = _cyclecloud.CycleCloudAdapter
    login_path, login_method = r"^/clusters/hpc/status$", "GET"
    write_path = r"^/clusters/hpc/nodes/terminate$"

    def params(self):
        return {"url": self.emulator.url, "username": CC_USER, "password": CC_PASSWORD, "retries": 0}

    def login(self, adapter):
        adapter.status("hpc")

    def write(self, adapter):
        node = [n for n in self.emulator.nodes("hpc") if n["Name"] == "execute-1"][0]
        request_id = "rq-" + uuid.uuid4().hex[:8]
        adapter.node_action("hpc", "terminate", [node["NodeId"]], request_id)
        return {"requestId": request_id}

    def secrets(self):
        return [CC_PASSWORD, basic(CC_USER, CC_PASSWORD)]

    def credential_scheme(self):
        return "Basic"


@pytest.fixture(scope="module")
def capture():
    server = CapturingServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def platforms():
    from air_emulator import AirEmulator
    from airbyte_emulator import DEFAULT_FIXTURE as AIRBYTE_FIXTURE, AirbyteEmulator
    from cloudcix_emulator import CloudcixEmulator
    from cyclecloud_emulator import DEFAULT_FIXTURE as CC_FIXTURE, CycleCloudEmulator

    airbyte_fixture = copy.deepcopy(AIRBYTE_FIXTURE)
    airbyte_fixture["applications"][0]["client_secret"] = "client-secret-" + uuid.uuid4().hex
    cc_fixture = copy.deepcopy(CC_FIXTURE)
    cc_fixture["users"] = {CC_USER: CC_PASSWORD}
    running = {
        "air": Air(AirEmulator(speed=30.0).start()),
        "airbyte": Airbyte(AirbyteEmulator(speed=60.0, fixture=airbyte_fixture).start()),
        "cloudcix": Cloudcix(CloudcixEmulator(speed=60.0).start()),
        "cyclecloud": Cyclecloud(CycleCloudEmulator(speed=120.0, fixture=cc_fixture).start()),
    }
    yield running
    for platform in running.values():
        platform.emulator.stop()


def matrix():
    for platform in PLATFORMS:
        for kind in ("login", "write"):
            for target in ("same", "other"):
                for status in STATUSES:
                    yield pytest.param(platform, kind, target, status,
                                       id="%s-%s-%s-%d" % (platform, kind, target, status))


def run_case(platform, kind):
    """Build the adapter as a module does and make the request; the error text, or None."""
    adapter = platform.adapter()
    try:
        outcome = getattr(platform, kind)(adapter)
    except (ApiError, ModuleError) as exc:
        return None, str(exc)
    return outcome, None


@pytest.mark.parametrize("name,kind,target,status", list(matrix()))
def test_redirect(platforms, capture, name, kind, target, status):
    platform = platforms[name]
    emu = platform.emulator
    platform.reset()
    capture.clear()
    rule_path, rule_method = ((platform.login_path, platform.login_method) if kind == "login"
                              else (platform.write_path, platform.write_method))
    location = capture.url if target == "other" else emu.url + MOVED
    emu.add_redirect(rule_path, location, status=status, method=rule_method, count=1)

    outcome, error = run_case(platform, kind)

    home = emu.log
    captured = capture.seen()
    secrets = platform.secrets()
    assert_nothing_secret_reached(captured, secrets)
    if error is not None:
        for secret in secrets:
            assert secret not in error
    redirected = [r for r in home if r["status"] == status and r["method"] == rule_method]
    assert len(redirected) == 1, home  # the rule answered once, on the request under test
    moved = [r for r in home if r["path"].startswith(MOVED + "/")]
    is_post = rule_method == "POST"

    if target == "other":
        assert moved == []
        if is_post and (kind == "login" or status in BODY_KEEPING):
            # a login goes nowhere else, whatever the status; a body is not carried elsewhere
            assert error is not None, "the redirect to %s was followed: %s" % (capture.netloc, captured)
            assert emu.netloc in error and capture.netloc in error, error
            assert captured == [], captured
        else:
            # a bodiless request (a GET, or a POST a 301/302/303 turned into a GET) may follow, bare
            assert all(r["method"] in ("GET", "HEAD") for r in captured), captured
        if kind == "login" and is_post:
            # the refused login is the only request: nothing was sent without a token
            assert [(r["method"], r["status"]) for r in home] == [(rule_method, status)], home
        return

    # same host: followed
    assert captured == []
    assert len(moved) == 1, home
    follow = moved[0]
    if status in BODY_KEEPING or not is_post:
        assert follow["method"] == rule_method, follow
        assert error is None, error
        assert follow["status"] < 300, follow
        if is_post:
            expected = platform.login_fields() if kind == "login" else outcome
            assert isinstance(follow["body"], dict), follow
            assert dict((k, follow["body"].get(k)) for k in expected) == expected, follow["body"]
        if kind == "write" or not is_post:
            scheme = platform.credential_scheme()
            if scheme:
                assert follow["authorization"] == scheme, follow
    else:
        # a 301/302/303 turns the POST into a GET without its body, as browsers and requests do
        assert follow["method"] == "GET" and follow["body"] is None, follow
    if name == "airbyte":
        assert emu.validation_errors == []  # what was sent (and followed) matches Airbyte's OpenAPI


# -- end to end: one play per platform ------------------------------------------------------------
def ignoring_errors(task):
    return task + "  ignore_errors: true\n"


def refused(run, task, emu, capture):
    """The task failed, naming the configured host and the other one."""
    result = run.task(task)
    assert result["_status"] == "failed", result
    assert emu.netloc in result["msg"] and capture.netloc in result["msg"], result["msg"]
    return result


def test_air_play(platforms, capture, emulated_lab):
    air = platforms["air"]
    emu = air.emulator
    air.reset()
    capture.clear()
    emu.add_redirect(air.login_path, capture.url, status=307, method="POST", count=1)
    emu.add_redirect(air.write_path, capture.url, status=308, method="POST", count=1)
    emu.add_redirect(air.write_path, emu.url + MOVED, status=307, method="POST", count=1)
    lab = emulated_lab(emu, "air", {"api_url": emu.url, "username": AIR_USER, "password": AIR_TOKEN},
                       not_writes=["/api/v1/login/"])
    names = ["k-" + uuid.uuid4().hex[:6] for _i in range(3)]
    run = lab.play("".join(ignoring_errors(lab.task("air_ssh_key", name=n, public_key=ssh_public_key(), _task=t))
                           for n, t in zip(names, ("login-other", "write-other", "write-same"))))
    refused(run, "login-other", emu, capture)
    refused(run, "write-other", emu, capture)
    assert run.task("write-same")["_status"] == "ok" and run.task("write-same")["changed"]
    assert capture.seen() == []
    assert [k["name"] for k in emu.state["sshkeys"].values()] == [names[2]]
    assert_hidden(run, air.secrets())


def test_airbyte_play(platforms, capture, emulated_lab):
    airbyte = platforms["airbyte"]
    emu = airbyte.emulator
    airbyte.reset()
    capture.clear()
    emu.add_redirect(airbyte.login_path, capture.url, status=308, method="POST", count=1)
    emu.add_redirect(airbyte.write_path, capture.url, status=307, method="POST", count=1)
    emu.add_redirect(airbyte.write_path, emu.url + MOVED, status=308, method="POST", count=1)
    lab = emulated_lab(emu, "airbyte", {"server_url": emu.url + AIRBYTE_API, "client_id": emu.client_id,
                                        "client_secret": emu.client_secret},
                       not_writes=[AIRBYTE_API + "/applications/token"])
    names = ["s-" + uuid.uuid4().hex[:6] for _i in range(3)]
    tasks = "".join(ignoring_errors(lab.task(
        "airbyte_source", workspace="Default Workspace", name=n, connector="postgres",
        configuration={"host": "db.example.com", "port": 5432, "database": "shop", "username": "airbyte"},
        secrets={"password": "{{ db_password }}"}, _task=t))
        for n, t in zip(names, ("login-other", "write-other", "write-same")))
    run = play_with_vars(lab, tasks, {"db_password": DB_PASSWORD})
    refused(run, "login-other", emu, capture)
    refused(run, "write-other", emu, capture)
    assert run.task("write-same")["_status"] == "ok" and run.task("write-same")["changed"]
    assert capture.seen() == []
    # the refused write (307, not followed), the same-host one (308) and where it was followed
    assert [(w["path"], w["status"]) for w in run.writes] == [
        (AIRBYTE_API + "/sources", 307), (AIRBYTE_API + "/sources", 308), (MOVED + AIRBYTE_API + "/sources", 200)]
    assert_hidden(run, airbyte.secrets())


def test_cloudcix_play(platforms, capture, emulated_lab):
    cloudcix = platforms["cloudcix"]
    emu = cloudcix.emulator
    cloudcix.reset()
    capture.clear()
    emu.add_redirect(cloudcix.login_path, capture.url, status=307, method="POST", count=1)
    emu.add_redirect(cloudcix.write_path, capture.url, status=308, method="POST", count=1)
    emu.add_redirect(r"^/compute/network/ip_groups/$", capture.url, status=307, method="POST", count=1)
    emu.add_redirect(cloudcix.write_path, emu.url + MOVED, status=307, method="POST", count=1)
    lab = emulated_lab(emu, "cloudcix", {"api_url": emu.api_url, "api_username": emu.email,
                                         "api_password": emu.password, "api_key": emu.api_key,
                                         "region_id": emu.region_id},
                       not_writes=["/membership/auth/login/"])
    names = ["p-" + uuid.uuid4().hex[:6] for _i in range(3)]
    run = lab.play("".join([
        ignoring_errors(lab.task("cloudcix_project", name=names[0], _task="login-other")),
        ignoring_errors(lab.task("cloudcix_project", name=names[1], _task="write-other")),
        ignoring_errors(lab.task("cloudcix_ip_group", name="office_" + uuid.uuid4().hex[:6], cidrs=["10.9.0.0/24"],
                                 version=4, _task="ip-group-other")),
        ignoring_errors(lab.task("cloudcix_project", name=names[2], _task="write-same")),
    ]))
    refused(run, "login-other", emu, capture)
    refused(run, "write-other", emu, capture)
    refused(run, "ip-group-other", emu, capture)
    assert run.task("write-same")["_status"] == "ok" and run.task("write-same")["changed"]
    assert capture.seen() == []
    assert [(w["path"], w["status"]) for w in run.writes] == [
        ("/compute/project/", 308), ("/compute/network/ip_groups/", 307), ("/compute/project/", 307),
        (MOVED + "/compute/project/", 201)]
    assert_hidden(run, cloudcix.secrets())


def test_cyclecloud_play(platforms, capture, emulated_lab):
    cyclecloud = platforms["cyclecloud"]
    emu = cyclecloud.emulator
    cyclecloud.reset()
    capture.clear()
    # the first task's first GET goes to the other host (bare, so it may follow); the writes carry bodies
    emu.add_redirect(r"^/clusters/hpc/", capture.url, status=302, method="GET", count=1)
    emu.add_redirect(cyclecloud.write_path, capture.url, status=307, method="POST", count=1)
    emu.add_redirect(cyclecloud.write_path, emu.url + MOVED, status=308, method="POST", count=1)
    lab = emulated_lab(emu, "cyclecloud", {"url": emu.url, "username": CC_USER, "password": CC_PASSWORD})
    run = lab.play("".join([
        ignoring_errors(lab.task("cyclecloud_cluster_info", name="hpc", _task="get-other")),
        ignoring_errors(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="terminated",
                                 wait=False, _task="write-other")),
        ignoring_errors(lab.task("cyclecloud_node", cluster="hpc", names=["execute-2"], state="terminated",
                                 wait=False, _task="write-same")),
    ]))
    refused(run, "write-other", emu, capture)
    assert run.task("write-same")["_status"] == "ok" and run.task("write-same")["changed"]
    captured = capture.seen()
    assert len(captured) <= 1 and all(r["method"] == "GET" for r in captured), captured
    assert_nothing_secret_reached(captured, cyclecloud.secrets())
    assert [(w["path"], w["status"]) for w in run.writes] == [
        ("/clusters/hpc/nodes/terminate", 307), ("/clusters/hpc/nodes/terminate", 308),
        (MOVED + "/clusters/hpc/nodes/terminate", 202)]
    assert_hidden(run, cyclecloud.secrets())
