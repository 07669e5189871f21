# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration fixtures: a real Nautobot (started by tests/harness), its access log and
object-change records as server-side evidence, and ansible-playbook runs."""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HARNESS = os.path.join(REPO, "tests", "harness", "nautobot_harness.py")
sys.path.insert(0, os.path.join(REPO, "tests", "emulators"))
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d{3})')
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


NAUTOBOT_FIXTURES = frozenset(("nautobot", "nautobot24"))


def reaches_nautobot_at_run_time(module):
    """Whether a test file asks for a Nautobot fixture by name at run time
    (``request.getfixturevalue``): its tests' signatures do not show it."""
    with open(module.__file__) as handle:
        text = handle.read()
    return "getfixturevalue" in text and re.search(r'"(nautobot|proxy|connection)', text) is not None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """Under xdist (``-n 2 --dist loadgroup``, as `make integration` runs), the tests that reach
    a Nautobot run in one worker, one after another: they share its database, access log and
    change log, and some count what others would write. A file that picks its servers at run
    time goes there whole (the matrices' module fixtures run every platform's play at once).
    The hosted platforms' other tests (each with its own emulator) run in the other worker."""
    dynamic = {}
    for item in items:
        module = item.module
        if module not in dynamic:
            dynamic[module] = reaches_nautobot_at_run_time(module)
        if dynamic[module] or NAUTOBOT_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("nautobot"))


# Celery's states of a Job that has not ended, as Nautobot's job-results filter takes them
UNFINISHED_JOB_STATES = ["PENDING", "RECEIVED", "STARTED", "RETRY"]


class AccessLog(object):
    """Requests as the server logged them (one line each), read from a mark onwards."""

    def __init__(self, path):
        self.path = path

    def mark(self):
        return os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def since(self, mark, settle=0.3):
        time.sleep(settle)  # the server writes its log line after the response is sent
        with open(self.path, "rb") as handle:
            handle.seek(mark)
            text = handle.read().decode("utf-8", "replace")
        entries = []
        for line in text.splitlines():
            match = ACCESS_LINE.search(line)
            if match:
                entries.append((match.group("method"), match.group("path"), int(match.group("status"))))
        return entries


class Nautobot(object):
    def __init__(self, env, run_dir=None):
        self.url = env["NAUTOBOT_URL"]
        self.token = env["NAUTOBOT_TOKEN"]
        self.version = env.get("NAUTOBOT_VERSION")
        self.log = AccessLog(env.get("STATECRAFT_NAUTOBOT_ACCESS_LOG") or os.path.join(run_dir, "access.log"))
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "Token " + self.token,
                                     "Accept": "application/json; version=2.4"})

    def api(self, method, path, **kwargs):
        response = self.session.request(method, "%s/api/%s" % (self.url, path.lstrip("/")), **kwargs)
        assert response.status_code < 400, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def get(self, path, **params):
        return self.api("GET", path, params=params)

    def one(self, path, **params):
        params.setdefault("depth", 1)
        results = self.get(path, **params)["results"]
        assert len(results) == 1, (path, params, results)
        return results[0]

    def count(self, path, **params):
        return self.get(path, **params)["count"]

    def change_count(self):
        """How many object changes Nautobot has recorded: every write leaves one."""
        return self.count("extras/object-changes/", limit=1)

    def wait_for_jobs(self, since, timeout=120):
        """Waits until no Job is queued or running. Some writes start background Jobs (a
        custom field's create, change or delete provisions every object of its content types
        and records an object change for each): they must land in the window of the step that
        caused them, not in a later step's. Only Jobs created from ``since`` (epoch seconds)
        count, so a result a killed worker left unfinished does not hold every test up."""
        deadline = time.time() + timeout
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since - 1))
        while self.count("extras/job-results/", status=UNFINISHED_JOB_STATES, date_created__gte=created, limit=1):
            assert time.time() < deadline, "Nautobot's background jobs still running after %ss" % timeout
            time.sleep(0.2)


class Evidence(object):
    """What reached the server between creation and ``stop()``: the requests the recording
    proxy forwarded (method, path, body) and the object changes Nautobot recorded."""

    def __init__(self, nautobot, proxy):
        self.nautobot = nautobot
        self.proxy = proxy
        self.started = time.time()
        self.changes_before = nautobot.change_count()
        self.mark = proxy.mark()
        self.requests = None
        self.new_changes = None

    def stop(self):
        self.requests = self.proxy.since(self.mark)
        if self.writes:
            self.nautobot.wait_for_jobs(self.started)
        self.new_changes = self.nautobot.change_count() - self.changes_before
        return self

    @property
    def writes(self):
        return [r for r in self.requests if r["method"] in WRITE_METHODS]

    def methods(self):
        return [r["method"] for r in self.requests]

    def assert_no_write(self):
        assert self.writes == [], self.requests
        assert self.new_changes == 0


def _harness(*args):
    out = subprocess.run([sys.executable, HARNESS] + list(args), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        pytest.fail("nautobot harness %s failed:\n%s\n%s" % (args, out.stdout[-3000:], out.stderr[-3000:]))
    return out.stdout


def _nautobot(series):
    """The harness's Nautobot of ``series`` ("3.2", "2.4"), started unless it runs; its tests
    are skipped when STATECRAFT_NAUTOBOT_VERSIONS (`make integration NAUTOBOT_VERSIONS=...`)
    leaves it out."""
    wanted = os.environ.get("STATECRAFT_NAUTOBOT_VERSIONS")
    if wanted is not None and series not in wanted.split():
        pytest.skip("Nautobot %s is not in STATECRAFT_NAUTOBOT_VERSIONS=%r" % (series, wanted))
    _harness("up", "--nautobot", series)
    return Nautobot(json.loads(_harness("env", "--json", "--nautobot", series)))


def _recording_proxy(nautobot):
    sys.path.insert(0, os.path.join(REPO, "tests", "harness"))
    from recording_proxy import RecordingProxy

    return RecordingProxy(nautobot.url).start()


@pytest.fixture(scope="session")
def nautobot():
    """Nautobot 3.2 (the harness's default instance)."""
    return _nautobot("3.2")


@pytest.fixture(scope="session")
def proxy(nautobot):
    """A recording proxy in front of Nautobot; modules under test talk to ``proxy.url``."""
    running = _recording_proxy(nautobot)
    yield running
    running.stop()


@pytest.fixture
def evidence(nautobot, proxy):
    """Call ``evidence()`` right before the run under test and ``.stop()`` right after."""
    return lambda: Evidence(nautobot, proxy)


@pytest.fixture(scope="session")
def connection(nautobot, proxy):
    """Connection options for modules under test (through the recording proxy)."""
    return {"url": proxy.url, "token": nautobot.token}


# the same for the oldest supported Nautobot, 2.4: its own server, proxy and connection
@pytest.fixture(scope="session")
def nautobot24():
    return _nautobot("2.4")


@pytest.fixture(scope="session")
def proxy24(nautobot24):
    running = _recording_proxy(nautobot24)
    yield running
    running.stop()


@pytest.fixture
def evidence24(nautobot24, proxy24):
    return lambda: Evidence(nautobot24, proxy24)


@pytest.fixture(scope="session")
def connection24(nautobot24, proxy24):
    return {"url": proxy24.url, "token": nautobot24.token}


@pytest.fixture
def module_run(ansible_adhoc, connection):
    """Run one module with pytest-ansible on localhost; returns its result dict."""
    hosts = ansible_adhoc(inventory=os.path.join(HERE, "inventory.ini"), connection="local",
                          host_pattern="localhost")

    def run(module, **args):
        full = dict(connection)
        full.update(args)
        result = getattr(hosts.localhost, "statecraft.infra." + module)(**full)
        return dict(result["localhost"])

    return run


@pytest.fixture
def unique():
    """A short suffix so each test names its own objects."""
    return uuid.uuid4().hex[:8]


class PlaybookRun(object):
    def __init__(self, proc, results_path):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        try:
            with open(results_path) as handle:
                self.tasks = json.load(handle)
        except (IOError, ValueError):
            raise AssertionError("no results from ansible-playbook:\n%s\n%s" % (proc.stdout, proc.stderr))

    def task(self, name):
        for result in self.tasks:
            if result["_task"] == name:
                return result
        raise KeyError(name)

    @property
    def output(self):
        return self.stdout + self.stderr

    def ok(self, name="t"):
        """The result of task ``name``, which must not have failed."""
        result = self.task(name)
        assert result["_status"] != "failed", self.output
        return result

    def failed(self, name="t"):
        """The result of task ``name``, which must have failed."""
        result = self.task(name)
        assert result["_status"] == "failed", result
        return result

    def write_calls(self):
        """(method, path) of each write the run sent (EmulatedLab plays)."""
        return [(r["method"], r["path"]) for r in self.writes]

    def assert_hidden(self, *secrets):
        """None of ``secrets`` appears in the output or in any task result."""
        everything = self.output + json.dumps(self.tasks)
        for secret in secrets:
            assert secret not in everything


@pytest.fixture(scope="session")
def ansible_env():
    env = dict(os.environ)
    env.update({
        "ANSIBLE_CONFIG": os.path.join(HERE, "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    })
    for name in list(env):
        if name.startswith(("NAUTOBOT_", "AIR_", "CYCLECLOUD_")):
            del env[name]  # connection options come from the play unless a test sets them
    return env


@pytest.fixture
def playbook(ansible_env, tmp_path):
    """Run a playbook (YAML text) with ansible-playbook; returns a PlaybookRun."""

    def run(text, check=False, diff=False, extra_vars=None, env=None, verbosity=0):
        path = tmp_path / ("play-%s.yml" % uuid.uuid4().hex[:6])
        path.write_text(text)
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), str(path)]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        if extra_vars:
            cmd += ["-e", json.dumps(extra_vars)]
        run_env = dict(ansible_env)
        results_path = str(path) + ".results.json"
        run_env["STATECRAFT_RESULTS"] = results_path
        run_env.update(env or {})
        proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env, cwd=HERE, check=False)
        return PlaybookRun(proc, results_path)

    return run


class EmulatedLab(object):
    """Plays against an API emulator (tests/emulators), the connection set once for the
    platform's module group, and what each run sent to the emulator (from its request log).

    ``connection``: option -> value for ``module_defaults``; ``not_writes``: paths of POSTs
    that change no state (a login), left out of ``run.writes``.
    """

    def __init__(self, emulator, playbook, tmp_path, group, connection, not_writes=()):
        self.emulator = emulator
        self.playbook = playbook
        self.tmp_path = tmp_path
        self.group = group
        self.connection = connection
        self.not_writes = set(not_writes)

    def play(self, tasks, check=False, diff=False, verbosity=0, connection=True, env=None):
        defaults = "  module_defaults:\n    group/statecraft.infra.%s:\n%s" % (self.group, "".join(
            '      %s: "{{ lab_%s }}"\n' % (k, k) for k in self.connection)) if connection else ""
        # connection variables come from a vars file: -e would show them in -vvvv's command line
        vars_file = self.tmp_path / "lab-connection.json"
        vars_file.write_text(json.dumps(dict(("lab_" + k, v) for k, v in self.connection.items())))
        text = "- hosts: localhost\n  gather_facts: false\n  vars_files: [%s]\n%s  tasks:\n%s" % (
            vars_file, defaults, indent(tasks, 4))
        mark = len(self.emulator.log)
        run = self.playbook(text, check=check, diff=diff, verbosity=verbosity, env=env)
        run.requests = self.emulator.log[mark:]
        run.writes = [r for r in run.requests
                      if r["method"] in ("POST", "PUT", "PATCH", "DELETE") and r["path"] not in self.not_writes]
        return run

    @staticmethod
    def task(module, **options):
        """One task named ``t`` (or ``_task``) running ``module`` with ``options``."""
        return "- name: %s\n  statecraft.infra.%s:\n%s" % (
            options.pop("_task", "t"), module, indent("".join(
                "%s: %s\n" % (k, json.dumps(v)) for k, v in options.items()), 4))

    def advance_when(self, path, seconds):
        """Step the emulated clock once the next task has read ``path`` (a path or a prefix
        ending in "/"), so a task that must wait is seen waiting; join() the thread after."""
        mark = len(self.emulator.log)

        def seen():
            return any(r["path"] == path or (path.endswith("/") and r["path"].startswith(path))
                       for r in self.emulator.log[mark:])

        def step():
            for _attempt in range(600):
                if seen():
                    self.emulator.clock.advance(seconds)
                    return
                time.sleep(0.05)

        thread = threading.Thread(target=step, daemon=True)
        thread.start()
        return thread

    def run_clock_when_read(self, path, speed):
        """Set the emulated clock to ``speed`` once the next play has read ``path`` with a GET
        (a held object was seen busy and is being waited for); join() the thread after."""
        mark = len(self.emulator.log)

        def step():
            for _attempt in range(1200):
                if any(r["method"] == "GET" and r["path"] == path for r in self.emulator.log[mark:]):
                    break
                time.sleep(0.05)
            self.emulator.clock.set_speed(speed)

        thread = threading.Thread(target=step, daemon=True)
        thread.start()
        return thread

    def file(self, name, text):
        files = self.tmp_path / "files"
        files.mkdir(exist_ok=True)
        (files / name).write_text(text)
        return name


@pytest.fixture
def emulated_lab(playbook, tmp_path):
    """``emulated_lab(emulator, group, connection, not_writes=())`` -> an EmulatedLab."""
    def make(emulator, group, connection, not_writes=()):
        return EmulatedLab(emulator, playbook, tmp_path, group, connection, not_writes)
    return make


def indent(text, width):
    return "".join(" " * width + line + "\n" if line.strip() else "\n" for line in text.splitlines())


@pytest.fixture(scope="session")
def base(nautobot):
    """Related objects the cases refer to by name, made straight through the API."""
    import uuid

    s = uuid.uuid4().hex[:6]
    names = {"lt": "lt-base-" + s, "loc": "loc-base-" + s, "mfr": "mfr-base-" + s,
             "dt": "dt-base-" + s, "role": "role-base-" + s, "tag": "tag-base-" + s,
             "tenant": "tenant-base-" + s, "group": "group-base-" + s}
    nautobot.api("POST", "dcim/location-types/", json={
        "name": names["lt"], "content_types": ["dcim.device", "dcim.rack"], "nestable": True})
    nautobot.api("POST", "dcim/locations/", json={
        "name": names["loc"], "location_type": {"name": names["lt"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/manufacturers/", json={"name": names["mfr"]})
    nautobot.api("POST", "dcim/device-types/", json={"model": names["dt"], "manufacturer": {"name": names["mfr"]}})
    nautobot.api("POST", "extras/roles/", json={"name": names["role"], "content_types": ["dcim.device"]})
    nautobot.api("POST", "extras/tags/", json={"name": names["tag"], "content_types": ["dcim.device", "dcim.location"]})
    nautobot.api("POST", "tenancy/tenant-groups/", json={"name": names["group"]})
    nautobot.api("POST", "tenancy/tenants/", json={"name": names["tenant"]})
    return names


# -- CloudCIX ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cloudcix():
    """One CloudCIX emulator per test file; its robot runs 60 times faster than real time."""
    from cloudcix_emulator import CloudcixEmulator

    emulator = CloudcixEmulator(speed=60.0).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def cloudcix_lab(cloudcix, emulated_lab):
    """Plays against a freshly reset CloudCIX emulator, logged in with e-mail, password and key."""
    cloudcix.clock.speed = 60.0
    cloudcix.reset()
    return emulated_lab(cloudcix, "cloudcix",
                        {"api_url": cloudcix.api_url, "api_username": cloudcix.email,
                         "api_password": cloudcix.password, "api_key": cloudcix.api_key,
                         "region_id": cloudcix.region_id},
                        not_writes=["/membership/auth/login/"])
