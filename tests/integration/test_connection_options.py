# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection options through ansible-playbook: ``url`` and ``token`` on every platform,
the old names still working (in a task and in ``module_defaults``), the environment variables
in their documented order, the message of a missing URL, no secret in any output, and the
defaults ansible-doc shows.

Evidence comes from the emulators' request logs: a dead URL (port 9) that was used would
fail the task; one that was not leaves the emulator's log with the task's requests.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import uuid

import pytest

DEAD = "http://127.0.0.1:9"  # nothing listens there: a task sent to it fails
BOTH = "Both option"  # AnsibleModule's warning when an option and its alias are both set


@pytest.fixture(scope="module")
def air():
    from air_emulator import AirEmulator

    emulator = AirEmulator(speed=30.0).start()
    emulator.add_account("conn@example.com", api_token="air-conn-" + uuid.uuid4().hex)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def airbyte():
    from airbyte_emulator import AirbyteEmulator

    emulator = AirbyteEmulator(speed=60.0).start()
    yield emulator
    emulator.stop()


def play(playbook, tasks, defaults=None, group=None, env=None, verbosity=0, in_process=True):
    text = "- hosts: localhost\n  gather_facts: false\n"
    text += "  vars: {statecraft_infra_in_process: %s}\n" % json.dumps(in_process)
    if defaults:
        text += "  module_defaults:\n    group/statecraft.infra.%s: %s\n" % (group, json.dumps(defaults))
    text += "  tasks:\n" + "".join("    - name: %s\n      %s: %s\n" % (name, module, json.dumps(args))
                                   for name, module, args in tasks)
    return playbook(text, env=env, verbosity=verbosity)


def requests_to(emulator, mark):
    return [(r["method"], r["path"]) for r in emulator.log[mark:]]


# -- Air -------------------------------------------------------------------------------------
@pytest.mark.parametrize("in_process", [True, False])
def test_air_new_names_and_old_names_in_module_defaults(air, playbook, in_process):
    token = air.issue_token("conn@example.com")
    info = "statecraft.infra.air_simulation_info"
    tasks = [
        # new names in the task, old ones (pointing nowhere) for the play: the task's win
        ("new_in_task", info, {"url": air.url, "token": token, "title": "none"}),
        # old names alone, from module_defaults
        ("old_from_defaults", info, {"title": "none"}),
        # old names in the task while module_defaults has the new ones pointing nowhere
        ("old_in_task", info, {"api_url": air.url, "bearer_token": token, "title": "none"}),
    ]
    mark = len(air.log)
    run = play(playbook, tasks[:1], {"api_url": DEAD, "bearer_token": "unused"}, "air", verbosity=3,
               in_process=in_process)
    assert run.ok("new_in_task")["simulations"] == []
    run2 = play(playbook, tasks[1:2], {"api_url": air.url, "bearer_token": token}, "air", verbosity=3,
                in_process=in_process)
    assert run2.ok("old_from_defaults")["simulations"] == []
    run3 = play(playbook, tasks[2:], {"url": DEAD, "token": "unused"}, "air", verbosity=3, in_process=in_process)
    assert run3.ok("old_in_task")["simulations"] == []
    assert requests_to(air, mark) == [("GET", "/api/v1/simulation/")] * 3
    for each in (run, run2, run3):
        assert BOTH not in each.output
        each.assert_hidden(token)


def test_air_environment_new_variable_before_old_and_option_before_both(air, playbook):
    token = air.issue_token("conn@example.com")
    info = "statecraft.infra.air_simulation_info"
    env = {"AIR_URL": air.url, "AIR_API_URL": DEAD, "AIR_BEARER_TOKEN": token}
    run = play(playbook, [("env", info, {"title": "none"})], env=env)
    assert run.ok("env")["simulations"] == []
    # the option wins over both variables, given by its old name too, with no warning
    env = {"AIR_URL": DEAD, "AIR_API_URL": DEAD, "AIR_BEARER_TOKEN": "not-this-one"}
    run = play(playbook, [("option", info, {"api_url": air.url, "bearer_token": token, "title": "none"})],
               env=env, verbosity=3)
    assert run.ok("option")["simulations"] == []
    assert BOTH not in run.output
    run.assert_hidden(token, "not-this-one")
    # the old variable alone still works
    run = play(playbook, [("old_env", info, {"title": "none"})], env={"AIR_API_URL": air.url, "AIR_BEARER_TOKEN": token})
    assert run.ok("old_env")["simulations"] == []


def test_air_missing_credentials_name_the_variables(air, playbook):
    mark = len(air.log)
    run = play(playbook, [("t", "statecraft.infra.air_simulation_info", {"url": air.url, "title": "none"})])
    msg = run.failed("t")["msg"]
    for variable in ("AIR_USERNAME", "AIR_PASSWORD", "AIR_BEARER_TOKEN"):
        assert variable in msg
    assert requests_to(air, mark) == []


# -- Airbyte ---------------------------------------------------------------------------------
def test_airbyte_url_variable_and_old_token_name(airbyte, playbook):
    token = airbyte.issue_token()
    task = ("t", "statecraft.infra.airbyte_info", {"resource": "workspaces", "bearer_token": token})
    mark = len(airbyte.log)
    run = play(playbook, [task], env={"AIRBYTE_URL": airbyte.url + "/api/public/v1", "AIRBYTE_SERVER_URL": DEAD,
                                      "AIRBYTE_BEARER_TOKEN": "not-this-one"}, verbosity=3)
    assert run.ok()["workspaces"]
    assert BOTH not in run.output
    run.assert_hidden(token, "not-this-one")
    assert requests_to(airbyte, mark) and all(method == "GET" for method, _path in requests_to(airbyte, mark))
    # server_url from module_defaults, url in the task: the task's
    run = play(playbook, [("t", "statecraft.infra.airbyte_info", {"resource": "workspaces", "url": airbyte.url + "/api/public/v1"})],
               {"server_url": DEAD, "token": token}, "airbyte")
    assert run.ok()["workspaces"]
    assert BOTH not in run.output


def test_airbyte_missing_credentials_name_the_variables(airbyte, playbook):
    run = play(playbook, [("t", "statecraft.infra.airbyte_info", {"resource": "workspaces", "url": airbyte.url + "/api/public/v1"})])
    msg = run.failed()["msg"]
    assert "none was given" in msg and "AIRBYTE_CLIENT_ID" in msg and "AIRBYTE_BEARER_TOKEN" in msg


# -- CloudCIX --------------------------------------------------------------------------------
def test_cloudcix_url_variable_and_old_token_name(cloudcix, playbook):
    token = cloudcix.issue_token()
    task = ("t", "statecraft.infra.cloudcix_project", {"name": "none-" + uuid.uuid4().hex[:6], "state": "absent",
                                                       "api_token": token})
    mark = len(cloudcix.log)
    run = play(playbook, [task], env={"CLOUDCIX_URL": cloudcix.api_url, "CLOUDCIX_API_URL": DEAD,
                                      "CLOUDCIX_API_TOKEN": "not-this-one"}, verbosity=3)
    assert run.ok()["changed"] is False
    assert BOTH not in run.output
    run.assert_hidden(token, "not-this-one")
    assert requests_to(cloudcix, mark) and all(method == "GET" for method, _path in requests_to(cloudcix, mark))
    run = play(playbook, [task], {"api_url": cloudcix.api_url}, "cloudcix")
    assert run.ok()["changed"] is False


# -- CycleCloud ------------------------------------------------------------------------------
def test_cyclecloud_missing_password_names_the_variables(playbook, tmp_path):
    run = play(playbook, [("t", "statecraft.infra.cyclecloud_cluster_info", {
        "url": DEAD, "username": "someone", "name": "hpc", "config_file": str(tmp_path / "none.ini")})])
    msg = run.failed()["msg"]
    assert "missing connection option(s) password" in msg and "CYCLECLOUD_PASSWORD" in msg


# -- Nautobot (no server is asked: the task fails before its first request) -----------------
@pytest.mark.parametrize("in_process", [True, False])
@pytest.mark.parametrize("args,option", [({"token": "a-secret-token"}, "url"), ({"url": DEAD}, "token")])
def test_nautobot_missing_url_or_token_names_option_and_variable(playbook, args, option, in_process):
    run = play(playbook, [("t", "statecraft.infra.nautobot_info", dict(args, endpoint="dcim/devices"))],
               in_process=in_process, verbosity=3)
    assert run.failed()["msg"] == "%s is required: set the %s option or the NAUTOBOT_%s environment variable" % (
        option, option, option.upper())
    run.assert_hidden("a-secret-token")


# -- ansible-doc -----------------------------------------------------------------------------
@pytest.mark.parametrize("module,expected", [
    ("air_simulation_info", {"url": "https://air.nvidia.com", "api_version": "v1", "timeout": 61.0,
                             "validate_certs": True, "retries": 3}),
    ("airbyte_info", {"url": "https://api.airbyte.com/v1", "timeout": 60.0, "validate_certs": True, "retries": 3}),
    ("cloudcix_project", {"url": "https://api.cloudcix.com/", "timeout": 60.0, "validate_certs": True, "retries": 3}),
    ("cyclecloud_cluster_info", {"retries": 3}),
    ("nautobot_info", {"api_version": "2.4", "timeout": 30.0, "validate_certs": True, "retries": 3}),
])
def test_ansible_doc_shows_the_defaults_and_old_names(ansible_env, module, expected):
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "-j",
                           "statecraft.infra." + module], capture_output=True, text=True, env=ansible_env, check=True)
    options = json.loads(proc.stdout)["statecraft.infra." + module]["doc"]["options"]
    assert dict((name, options[name].get("default")) for name in expected) == expected
    assert "token" in options or module.startswith("cyclecloud")
    if module.split("_")[0] in ("air", "airbyte", "cloudcix"):
        assert options["url"]["aliases"] and options["token"]["aliases"]
