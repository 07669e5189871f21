# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input stops before any request (issue 14, contract item 5): a matrix generated from
every module's documented options (bad_input_cases.py), each case one task with exactly one
defect, pointed at a live server that logs every request it gets: the API emulators in this
process (tests/emulators) and, for Nautobot, the recording proxy in front of the real server.

Each platform's cases run in ONE ansible-playbook run (``ignore_errors``), the platforms'
runs side by side; a marker request (a controller-side GET of ``/__bim_mark__/<case id>``,
answered by an injected fault, logged like any request) goes out before each case, so the
server's log splits into what each case sent. Per case: the task failed, its message names
the option, no traceback, and the server got nothing between its marker and the next.
"""

from __future__ import absolute_import, division, print_function

import copy
import json
import os
import re
import subprocess
import sys
import uuid

import pytest

from bad_input_cases import DOT, DOT_FILE, MARK, PLATFORMS, base_cases, generate, render_play, split_by_marker

HERE = os.path.dirname(os.path.abspath(__file__))
AIRBYTE_API = "/api/public/v1"
PLAY_TIMEOUT = 600  # seconds; a platform's whole play takes well under a minute

CASES = generate()

# Each module with BASE alone (valid), in check mode, after the cases: it must reach the
# server, so the cases' one defect is the only one, and the marker split sees requests
BASES = base_cases()


class PlatformRun(object):
    """One platform's play: task results by name and the requests each case sent."""

    def __init__(self, platform, rc, output, results_path, slices):
        self.platform = platform
        self.rc = rc
        self.output = output
        self.slices = slices
        try:
            with open(results_path) as handle:
                self.results = dict((r["_task"], r) for r in json.load(handle))
        except (IOError, ValueError):
            self.results = None

    def result(self, case_id):
        assert self.results is not None, "no results from ansible-playbook (%s):\n%s" % (
            self.platform, self.output[-5000:])
        assert case_id in self.results, "task %s did not run:\n%s" % (case_id, self.output[-5000:])
        return self.results[case_id]


class Unavailable(object):
    """A platform whose server could not be had: its cases fail with the reason."""

    slices = None

    def __init__(self, platform, error):
        self.platform = platform
        self.error = error

    def result(self, case_id):
        pytest.fail("no %s server: %s" % (self.platform, self.error))


class Target(object):
    """A server for one platform: the connection for module_defaults, where markers go, and
    its request log (entries with a path)."""

    def __init__(self, connection, base_url, log, add_marker_fault, path_of=lambda e: e["path"]):
        self.connection = connection
        self.base_url = base_url
        self.log = log
        self.add_marker_fault = add_marker_fault
        self.path_of = path_of


def emulator_target(emulator, connection):
    def add_marker_fault(_count):
        # this module's own emulator: the rule may stay
        emulator.faults.add(path="^" + MARK, method="GET", status=200, body="marked", count=None)
    return Target(connection, emulator.url, lambda: emulator.log, add_marker_fault)


@pytest.fixture(scope="module")
def emulators():
    from air_emulator import AirEmulator
    from airbyte_emulator import DEFAULT_FIXTURE as AIRBYTE_FIXTURE, AirbyteEmulator
    from cloudcix_emulator import CloudcixEmulator
    from cyclecloud_emulator import DEFAULT_FIXTURE as CC_FIXTURE, CycleCloudEmulator

    airbyte_fixture = copy.deepcopy(AIRBYTE_FIXTURE)
    airbyte_fixture["applications"][0]["client_secret"] = "client-secret-" + uuid.uuid4().hex
    running = {
        "air": AirEmulator(speed=30.0).start(),
        "airbyte": AirbyteEmulator(speed=60.0, fixture=airbyte_fixture).start(),
        "cloudcix": CloudcixEmulator(speed=60.0).start(),
        "cyclecloud": CycleCloudEmulator(speed=120.0, fixture=copy.deepcopy(CC_FIXTURE)).start(),
    }
    yield running
    for emulator in running.values():
        emulator.stop()


def targets(request, emulators, platforms):
    found = {}
    if "air" in platforms:
        emu = emulators["air"]
        found["air"] = emulator_target(emu, {"url": emu.url, "username": emu.username, "password": emu.api_token})
    if "airbyte" in platforms:
        emu = emulators["airbyte"]
        found["airbyte"] = emulator_target(emu, {"url": emu.url + AIRBYTE_API, "client_id": emu.client_id,
                                                 "client_secret": emu.client_secret})
    if "cloudcix" in platforms:
        emu = emulators["cloudcix"]
        found["cloudcix"] = emulator_target(emu, {"url": emu.api_url, "api_username": emu.email,
                                                  "api_password": emu.password, "api_key": emu.api_key,
                                                  "region_id": emu.region_id})
    if "cyclecloud" in platforms:
        emu = emulators["cyclecloud"]
        found["cyclecloud"] = emulator_target(emu, {"url": emu.url, "username": emu.username,
                                                    "password": emu.password})
    if "nautobot" in platforms:
        try:
            proxy = request.getfixturevalue("proxy")
            connection = request.getfixturevalue("connection")
        except (Exception, pytest.fail.Exception) as exc:  # no Nautobot: only its cases fail
            found["nautobot"] = exc
            return found

        def add_marker_fault(count):
            proxy.faults.add(path="^" + MARK, method="GET", status=200, body="marked", count=count)

        mark = len(proxy.records)
        found["nautobot"] = Target(dict(connection), proxy.url, lambda: list(proxy.records[mark:]), add_marker_fault)
    return found


@pytest.fixture(scope="module")
def matrix(request, emulators, ansible_env, tmp_path_factory):
    """{platform: PlatformRun}: every selected platform's play, run side by side, once."""
    selected = set()
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.module is request.module:
            for case in (params.get("case"), params.get("base")):
                if case is not None:
                    selected.add(case.platform)
            if params.get("platform"):
                selected.add(params["platform"])
    work = tmp_path_factory.mktemp("bad-input")
    (work / "files").mkdir()
    (work / "files" / DOT_FILE).write_text(DOT)
    found = targets(request, emulators, sorted(selected))
    procs = {}
    runs = {}
    for platform, target in found.items():
        if isinstance(target, BaseException):
            runs[platform] = Unavailable(platform, target)
            continue
        cases = [c for c in CASES + BASES if c.platform == platform]
        target.add_marker_fault(len(cases) + 1)
        start = len(target.log())
        play = work / ("%s.yml" % platform)
        play.write_text(render_play(cases, platform, target.connection, target.base_url + MARK))
        env = dict(ansible_env)
        env["STATECRAFT_RESULTS"] = str(play) + ".results.json"
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), str(play)]
        procs[platform] = (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            env=env, cwd=HERE), start, play)
    for platform, (proc, start, play) in procs.items():
        try:
            out, err = proc.communicate(timeout=PLAY_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            err += "\n[test] ansible-playbook killed after %d s" % PLAY_TIMEOUT
        target = found[platform]
        runs[platform] = PlatformRun(platform, proc.returncode, out + err, str(play) + ".results.json",
                                     split_by_marker(target.log()[start:], target.path_of))
    return runs


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_refused_before_any_request(matrix, case):
    run = matrix[case.platform]
    result = run.result(case.id)
    requests = run.slices.get(case.id)
    assert requests is not None, "the marker of %s never reached the server:\n%s" % (case.id, run.output[-3000:])
    msg = result.get("msg") or ""
    problems = []  # every way the case went wrong, reported together
    if result["_status"] != "failed":
        problems.append("the task did not fail (%s, changed=%s)" % (result["_status"], result.get("changed")))
    # an exception the module did not handle: "MODULE FAILURE" (ansible-core < 2.19) or
    # "Module failed: <exception text>" (2.19), a traceback with -vvv
    if "MODULE FAILURE" in msg or "Module failed:" in msg or "Traceback" in json.dumps(result):
        problems.append("an unhandled error")
    for group in case.expect:
        if not any(re.search(r"(?<!\w)%s(?!\w)" % re.escape(option), msg) for option in group):
            problems.append("msg does not name %s" % " or ".join(group))
    sent = ["%s %s -> %s" % (r["method"], r["path"], r.get("status")) for r in requests]
    if sent:
        problems.append("%d request(s) reached the server: %s" % (len(sent), ", ".join(sent)))
    assert not problems, "%s\n  args: %s\n  msg: %r" % ("; ".join(problems), json.dumps(case.args), msg)


@pytest.mark.parametrize("base", BASES, ids=[c.id for c in BASES])
def test_base_options_reach_the_server(matrix, base):
    """BASE alone is valid input: the module sends requests (whatever the answer), so a case
    that fails before any request fails for its own defect."""
    run = matrix[base.platform]
    result = run.result(base.id)
    assert run.slices.get(base.id), "BASE of %s did not reach the server: %r" % (base.module, result.get("msg"))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_marker_requests_split_the_log(matrix, platform):
    """The mechanism itself: nothing before the first marker, and every task's marker arrived."""
    if platform not in matrix:
        pytest.skip("no case of %s selected" % platform)
    run = matrix[platform]
    if run.slices is None:
        run.result("__end__")  # fails with the reason
    assert run.slices[None] == [], run.slices[None]
    expected = set(c.id for c in CASES + BASES if c.platform == platform) | {"__end__"}
    assert expected <= set(run.slices), (sorted(expected - set(run.slices)), run.output[-3000:])
