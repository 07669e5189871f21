# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two ways a module of the collection runs (plugins/plugin_utils/_in_process.py): in the
controller's worker process for a local task ("in-process"), or launched as a module
("module path": ``statecraft_infra_in_process=false``, ``async``, ``become``, a remote host).

* Both paths give the same result: the same play, run once each way against the same fresh
  server state (the emulators are reset; Nautobot objects get a name per run), gives per task
  the same recorded result (changed, failed, msg, the returned object, diff, warnings,
  invocation.module_args and its masking), ids and timestamps normalised. Each play holds a
  create, a converged re-run, a check-mode task (--diff), failures (a bad value, a missing and
  an unknown option), a no_log secret written in the task, and the connection given only
  through the task's ``environment:``. At -vvv the module path shows ``AnsiballZ``, the
  in-process path must not: that is how we know which path ran.
* In-process, the items of a loop share one login; as modules, each item logs in.
* In-process, a wait prints progress lines (a held emulator clock, stepped once the task has
  read the object busy, makes the waits deterministic).
* ``async`` runs the module path, and gives the in-process result for the modules that wait
  (air_simulation, whose action reads ``topology_file`` on the controller; cloudcix_instance
  with ``poll: 0`` and async_status; cyclecloud_scale and cyclecloud_node).
* In-process, loop items share related objects looked up only within the same scope (CloudCIX
  project, Airbyte workspace); an ``until:`` retry looks everything up again; a ``no_log`` task
  prints no progress line.

Evidence comes from the recorded task results (callback_plugins/record_results.py), the
ansible-playbook output, and the emulators' request logs.
"""

from __future__ import absolute_import, division, print_function

import base64
import copy
import json
import re
import threading
import time
import uuid

import pytest
import requests
import yaml

SWITCH = "statecraft_infra_in_process"
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
PATHS = {True: "in-process", False: "module"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
FAST = {"wait_sleep": 0.2}


def secret(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


# -- plays, run either way ---------------------------------------------------------------------
class Lab(object):
    """Plays of one platform. The connection options come from a vars file (``lab_<option>``)
    and are written into each task unless ``connection=False``; ``in_process`` (True/False)
    sets ``statecraft_infra_in_process`` with -e, None leaves it unset (in-process, the
    default). ``run.requests``: what reached the server (the emulator's log, or Nautobot's
    recording proxy); ``run.writes``: those that change state (not a login)."""

    def __init__(self, playbook, tmp_path, connection, emulator=None, not_writes=(), proxy=None):
        self.playbook = playbook
        self.tmp_path = tmp_path
        self.connection = connection
        self.emulator = emulator
        self.proxy = proxy  # Nautobot's recording proxy: what reached the server
        self.not_writes = set(not_writes)

    def task(self, name, module, args=None, connection=True, **keywords):
        options = dict((k, "{{ lab_%s }}" % k) for k in self.connection) if connection else {}
        options.update(args or {})
        task = {"name": name, "statecraft.infra." + module: options}
        task.update(keywords)
        return task

    def play(self, tasks, in_process, check=False, diff=True, verbosity=0, env=None, play_vars=None):
        vars_file = self.tmp_path / ("lab-%s.json" % uuid.uuid4().hex[:6])
        vars_file.write_text(json.dumps(dict(("lab_" + k, v) for k, v in self.connection.items())))
        play = {"hosts": "localhost", "gather_facts": False, "vars_files": [str(vars_file)]}
        if play_vars:
            play["vars"] = play_vars
        play["tasks"] = tasks
        text = yaml.safe_dump([play], sort_keys=False, width=1000)
        mark = len(self.emulator.log) if self.emulator is not None else self.proxy.mark() if self.proxy else 0
        extra = None if in_process is None else {SWITCH: in_process}
        run = self.playbook(text, check=check, diff=diff, verbosity=verbosity, env=env, extra_vars=extra)
        run.requests = (self.emulator.log[mark:] if self.emulator is not None
                        else self.proxy.since(mark) if self.proxy else [])
        run.writes = [r for r in run.requests if r["method"] in ("POST", "PUT", "PATCH", "DELETE")
                      and r["path"] not in self.not_writes]
        return run

    def file(self, name, text):
        files = self.tmp_path / "files"
        files.mkdir(exist_ok=True)
        (files / name).write_text(text)
        return name


def normalised(run, names=(), data=None):
    """The run's task results (or ``data``) with what legitimately differs between two runs
    replaced: each uuid by its order of first appearance in the run (so an id that recurs,
    recurs the same), timestamps, Nautobot's natural slugs (name + id prefix), and ``names``
    (run-specific values) by placeholders."""
    text = json.dumps(run.tasks if data is None else data, sort_keys=True)
    for value, placeholder in names:
        text = text.replace(value, placeholder)
    ids = {}
    text = UUID.sub(lambda m: ids.setdefault(m.group(0), "<id%d>" % len(ids)), text)
    text = TIMESTAMP.sub("<time>", text)
    text = re.sub(r'"natural_slug": "[^"]*"', '"natural_slug": "<slug>"', text)
    return json.loads(text)


def assert_same_results(runs, names=None):
    """Per task, the same recorded result on both paths (after normalisation)."""
    names = names or {True: (), False: ()}
    here, there = normalised(runs[True], names[True]), normalised(runs[False], names[False])
    assert [t["_task"] for t in here] == [t["_task"] for t in there]
    for mine, theirs in zip(here, there):
        task = mine["_task"]
        for key in ("_status", "changed", "failed", "msg", "diff", "warnings", "deprecations", "invocation"):
            assert mine.get(key) == theirs.get(key), (task, key, mine.get(key), theirs.get(key))
        assert mine == theirs, task  # the returned object and every other key


def assert_same_requests(runs, names=None, login=None):
    """Both paths sent the server the same requests (method, path, query, body), in the same
    order, and logged in as often (``login``: the login path, compared by count only: a
    single-item task logs in once on either path, nothing is shared beyond a task)."""
    names = names or {True: (), False: ()}
    sent, logins = {}, {}
    for flag, run in runs.items():
        logins[flag] = len([r for r in run.requests if r["path"] == login])
        requests_ = [dict((k, r.get(k)) for k in ("method", "path", "query", "body"))
                     for r in run.requests if r["path"] != login]
        sent[flag] = normalised(run, names[flag], data=requests_)
    assert sent[True], runs[True].requests
    assert sent[True] == sent[False]
    assert logins[True] == logins[False] and (logins[True] > 1 or login is None), logins


def assert_module_path(runs, modules):
    """Which path ran: at -vvv the module path copies AnsiballZ_<module>.py, in-process nothing."""
    assert "AnsiballZ" not in runs[True].output
    for module in modules:
        assert "AnsiballZ_%s.py" % module in runs[False].output, module


def assert_env_secret_hidden(runs, value):
    """A secret given through ``environment:``: in no task result; in-process nowhere in the
    output; as a module only where ansible-core itself shows the module's command line at -vvv
    (``EXEC NAME=value python AnsiballZ_...``), as for any module."""
    runs[True].assert_hidden(value)
    for run in runs.values():
        assert value not in json.dumps(run.tasks)
    shown = [line for line in runs[False].output.splitlines() if value in line]
    assert all(line.startswith("<localhost> EXEC ") and "AnsiballZ_" in line for line in shown), shown


def check_contract(runs, messages, masked, writes):
    """What the contract play must give: ``messages`` of the failing tasks, the no_log
    options ``masked`` in the invocation of the tasks ``secret`` and ``env``, and ``writes``
    (the methods of the requests that changed something: check mode and converged tasks
    send none). Checked on each path, and assert_same_results then compares them."""
    for flag, run in runs.items():
        create, again, check = run.ok("create"), run.ok("again"), run.ok("check")
        assert create["changed"] and not again["changed"] and check["changed"], PATHS[flag]
        assert create["diff"]["before"] != create["diff"]["after"]
        assert check["diff"]["before"] != check["diff"]["after"]
        warnings = [w for w in again.get("warnings", []) if w.startswith("validate_certs is false")]
        assert len(warnings) == 1 and warnings[0] in run.output, (PATHS[flag], again)  # shown to the user too
        for name, message in messages.items():
            assert message in run.failed(name)["msg"], (PATHS[flag], name, run.task(name)["msg"])
        for name in ("secret", "env"):
            module_args = run.ok(name)["invocation"]["module_args"]
            assert [module_args[option] for option in masked] == [MASK] * len(masked), (name, module_args)
        assert [r["method"] for r in run.writes] == writes, (PATHS[flag], run.writes)


def both_paths(lab, tasks_for, fresh=None, **options):
    """Run the play ``tasks_for(in_process)`` once in-process and once as modules, the server
    made fresh first by ``fresh()``; returns {True: run, False: run}."""
    runs = {}
    for in_process in (True, False):
        if fresh is not None:
            fresh()
        runs[in_process] = lab.play(tasks_for(in_process), in_process, **options)
        assert runs[in_process].tasks, runs[in_process].output
    return runs


def tolerant(task):
    task["ignore_errors"] = True
    return task


def contract_tasks(lab, module, ident, create, update, bad, missing, secret_args, environment, env_update=None,
                   absent=True):
    """The shared contract play (see the module docstring); the connection in ``secret`` is
    ``secret_args`` (a no_log secret written in the task), in ``env`` only ``environment``."""
    present = dict(ident, **create)
    tasks = [
        lab.task("create", module, present),
        lab.task("again", module, dict(present, validate_certs=False)),
        lab.task("check", module, dict(present, **update), check_mode=True),
        tolerant(lab.task("bad-value", module, dict(present, **bad))),
        tolerant(lab.task("missing", module, missing)),
        tolerant(lab.task("unknown", module, dict(present, colour="red"))),
        lab.task("secret", module, dict(present, **secret_args), connection=False),
        lab.task("env", module, dict(present, **(env_update or {})), connection=False, environment=environment),
        tolerant(lab.task("env-gone", module, present, connection=False)),
    ]
    if absent:
        tasks.append(lab.task("absent", module, dict(ident, state="absent")))
    return tasks


def from_vars(*names):
    """``environment:`` values read from the lab's vars file (never written in the play)."""
    return dict((env, "{{ lab_%s }}" % option) for env, option in names)


# -- Nautobot (the real one, through the recording proxy) ---------------------------------------
@pytest.fixture
def second_token(nautobot):
    """Another API token of the admin, for a task that gives its token in the play text."""
    made = nautobot.api("POST", "users/tokens/", json={"description": "execution paths test"})
    yield made["key"]
    nautobot.api("DELETE", "users/tokens/%s/" % made["id"])


def test_nautobot_same_results_on_both_paths(playbook, tmp_path, connection, nautobot, proxy, second_token, unique):
    lab = Lab(playbook, tmp_path, connection, proxy=proxy)
    names = dict((flag, "xp-mfr-%s-%s" % (unique, PATHS[flag])) for flag in PATHS)

    def tasks(in_process):
        return contract_tasks(
            lab, "nautobot_manufacturer", {"name": names[in_process]}, {"description": "one"}, {"description": "two"},
            bad={"state": "gone"}, missing={"description": "one"},
            secret_args={"url": connection["url"], "token": second_token},
            environment=from_vars(("NAUTOBOT_URL", "url"), ("NAUTOBOT_TOKEN", "token")),
            env_update={"description": "three"})

    runs = both_paths(lab, tasks, verbosity=3)
    check_contract(runs, {"bad-value": "value of state must be one of: present, absent, got: gone",
                          "missing": "missing required arguments: name",
                          "unknown": ("Unsupported parameters for (statecraft.infra.nautobot_manufacturer) "
                                      "module: colour"),
                          "env-gone": "url is required: set the url option or the NAUTOBOT_URL environment variable"},
                   masked=["token"], writes=["POST", "PATCH", "DELETE"])
    for flag, run in runs.items():
        assert run.ok("create")["diff"]["before"] == {}
        assert run.ok("env")["manufacturer"]["description"] == "three"
        assert nautobot.count("dcim/manufacturers/", name=names[flag]) == 0  # the absent task deleted it
        run.assert_hidden(second_token)
    assert_env_secret_hidden(runs, connection["token"])
    replaced = dict((flag, [(names[flag], "<name>")]) for flag in PATHS)
    assert_same_results(runs, replaced)
    assert_same_requests(runs, replaced)
    assert_module_path(runs, ["nautobot_manufacturer"])


# -- Air: username + API token, traded for a bearer token at login -------------------------------
AIR_USER, AIR_TOKEN = "paths@example.com", secret("air-api-token")
AIR_OTHER, AIR_OTHER_TOKEN = "paths-other@example.com", secret("air-other-token")
LOGIN = {"air": "/api/v1/login/", "cloudcix": "/membership/auth/login/", "airbyte": "/api/public/v1/applications/token"}


@pytest.fixture(scope="module")
def air():
    from air_emulator import AirEmulator

    # 30 emulated seconds per real second; tests that wait hold or step the clock themselves
    emulator = AirEmulator(speed=30.0, username=AIR_USER, api_token=AIR_TOKEN).start()
    yield emulator
    emulator.stop()


def air_fresh(air):
    def fresh():
        air.reset()
        air.clock.set_speed(30.0)
        air.add_account(AIR_OTHER, api_token=AIR_OTHER_TOKEN)
    return fresh


def air_lab(air, playbook, tmp_path):
    return Lab(playbook, tmp_path, {"api_url": air.url, "username": AIR_USER, "password": AIR_TOKEN}, air,
               not_writes=[LOGIN["air"]])


def ssh_key(seed):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + (seed * 32)[:32].encode()
    return "ssh-ed25519 %s ci@runner" % base64.b64encode(blob).decode()


def test_air_same_results_on_both_paths(air, playbook, tmp_path):
    lab = air_lab(air, playbook, tmp_path)
    tasks = contract_tasks(
        lab, "air_ssh_key", {"name": "paths-key"}, {"public_key": ssh_key("a")}, {"public_key": ssh_key("b")},
        bad={"state": "gone"}, missing={"public_key": ssh_key("a")},
        secret_args={"api_url": air.url, "username": AIR_OTHER, "password": AIR_OTHER_TOKEN},
        environment=from_vars(("AIR_API_URL", "api_url"), ("AIR_USERNAME", "username"), ("AIR_PASSWORD", "password")),
        env_update={"public_key": ssh_key("c")})
    runs = both_paths(lab, lambda in_process: tasks, fresh=air_fresh(air), verbosity=3)
    check_contract(runs, {"bad-value": "value of state must be one of: present, absent, got: gone",
                          "missing": "missing required arguments: name",
                          "unknown": "Unsupported parameters for (statecraft.infra.air_ssh_key) module: colour",
                          "env-gone": "no Air credentials"},
                   masked=["password"], writes=["POST", "POST", "DELETE", "POST", "DELETE"])
    for run in runs.values():
        # create; secret: the other account's own key; env: a new key replaces it; absent
        assert run.writes[1]["body"]["name"] == "paths-key" and run.writes[3]["body"]["public_key"] == ssh_key("c")
        run.assert_hidden(AIR_OTHER_TOKEN)
    assert_env_secret_hidden(runs, AIR_TOKEN)
    assert_same_results(runs)
    assert_same_requests(runs, login=LOGIN["air"])
    assert_module_path(runs, ["air_ssh_key"])


# -- CycleCloud: Basic auth with every request -------------------------------------------------
CC_USER, CC_PASSWORD = "ccadmin", secret("cc-pass")
CC_OTHER, CC_OTHER_PASSWORD = "ccother", secret("cc-other-pass")


@pytest.fixture(scope="module")
def cyclecloud():
    from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["users"] = {CC_USER: CC_PASSWORD, CC_OTHER: CC_OTHER_PASSWORD}
    # 120 emulated seconds per real second: a node boots (20 s + 40 s) in half a second
    emulator = CycleCloudEmulator(speed=120.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


def cyclecloud_fresh(cyclecloud):
    def fresh():
        cyclecloud.reset()
        cyclecloud.clock.set_speed(120.0)
    return fresh


def cyclecloud_lab(cyclecloud, playbook, tmp_path):
    return Lab(playbook, tmp_path, {"url": cyclecloud.url, "username": CC_USER, "password": CC_PASSWORD}, cyclecloud)


def test_cyclecloud_same_results_on_both_paths(cyclecloud, playbook, tmp_path):
    lab = cyclecloud_lab(cyclecloud, playbook, tmp_path)
    tasks = contract_tasks(
        lab, "cyclecloud_scale", {"cluster": "hpc", "node_array": "execute"}, dict(FAST, nodes=3), {"nodes": 4},
        bad={"nodes": "many"}, missing={"node_array": "execute", "nodes": 3},
        secret_args={"url": cyclecloud.url, "username": CC_OTHER, "password": CC_OTHER_PASSWORD},
        environment=from_vars(("CYCLECLOUD_URL", "url"), ("CYCLECLOUD_USERNAME", "username"),
                              ("CYCLECLOUD_PASSWORD", "password")),
        env_update={"nodes": 4}, absent=False)
    runs = both_paths(lab, lambda in_process: tasks, fresh=cyclecloud_fresh(cyclecloud), verbosity=3)
    check_contract(runs, {"bad-value": "argument 'nodes' is of type str and we were unable to convert to int",
                          "missing": "missing required arguments: cluster",
                          "unknown": "Unsupported parameters for (statecraft.infra.cyclecloud_scale) module: colour",
                          "env-gone": "give url, username and password"},
                   masked=["password"], writes=["POST", "POST"])
    for run in runs.values():
        assert sorted(n["name"] for n in run.ok("env")["nodes"]) == ["execute-4"]
        assert [r["query"] for r in run.writes] == [{"totalNodeCount": "3"}, {"totalNodeCount": "4"}]
        run.assert_hidden(CC_OTHER_PASSWORD)
    assert_env_secret_hidden(runs, CC_PASSWORD)
    assert_same_results(runs)
    assert_same_requests(runs)
    assert_module_path(runs, ["cyclecloud_scale"])


# -- CloudCIX: e-mail, password and API key, traded for a token at login --------------------------
CX_OTHER, CX_OTHER_PASSWORD = "paths@example.com", secret("cx-pass")


@pytest.fixture(scope="module")
def cloudcix():
    """A CloudCIX emulator with one more user of the main address (its password in a task)."""
    from cloudcix_emulator import DEFAULT_FIXTURE, CloudcixEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["users"].append({"id": 9, "email": CX_OTHER, "password": CX_OTHER_PASSWORD, "member_id": 1,
                             "address_id": 10})
    emulator = CloudcixEmulator(speed=60.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


def cloudcix_fresh(cloudcix):
    def fresh():
        cloudcix.reset()
        cloudcix.clock.set_speed(60.0)
    return fresh


def cloudcix_lab(cloudcix, playbook, tmp_path):
    return Lab(playbook, tmp_path, {"api_url": cloudcix.api_url, "api_username": cloudcix.email,
                                    "api_password": cloudcix.password, "api_key": cloudcix.api_key,
                                    "region_id": cloudcix.region_id},
               cloudcix, not_writes=[LOGIN["cloudcix"]])


def test_cloudcix_same_results_on_both_paths(cloudcix, playbook, tmp_path):
    lab = cloudcix_lab(cloudcix, playbook, tmp_path)
    tasks = contract_tasks(
        lab, "cloudcix_project", {"name": "paths-project"}, {"note": "one"}, {"note": "two"},
        bad={"state": "gone"}, missing={"note": "one"},
        secret_args={"api_url": cloudcix.api_url, "api_username": CX_OTHER, "api_password": CX_OTHER_PASSWORD,
                     "api_key": "{{ lab_api_key }}", "region_id": cloudcix.region_id},
        environment=from_vars(("CLOUDCIX_API_URL", "api_url"), ("CLOUDCIX_API_USERNAME", "api_username"),
                              ("CLOUDCIX_API_PASSWORD", "api_password"), ("CLOUDCIX_API_KEY", "api_key"),
                              ("CLOUDCIX_REGION_ID", "region_id")),
        env_update={"note": "three"})
    runs = both_paths(lab, lambda in_process: tasks, fresh=cloudcix_fresh(cloudcix), verbosity=3)
    check_contract(runs, {"bad-value": "value of state must be one of: present, absent, got: gone",
                          "missing": "missing required arguments: name",
                          "unknown": "Unsupported parameters for (statecraft.infra.cloudcix_project) module: colour",
                          "env-gone": "give token, or api_username + api_password + api_key"},
                   masked=["api_password", "api_key"], writes=["POST", "PATCH", "DELETE"])
    for run in runs.values():
        assert run.ok("env")["project"]["note"] == "three" and run.ok("env")["project"]["region_id"] == 100
        run.assert_hidden(CX_OTHER_PASSWORD)
    assert_env_secret_hidden(runs, cloudcix.password)
    assert_env_secret_hidden(runs, cloudcix.api_key)
    assert_same_results(runs)
    assert_same_requests(runs, login=LOGIN["cloudcix"])
    assert_module_path(runs, ["cloudcix_project"])


# -- Airbyte: client credentials, traded for a token ----------------------------------------------
API = "/api/public/v1"
AB_OTHER_ID, AB_OTHER_SECRET = str(uuid.uuid4()), secret("ab-client-secret")


@pytest.fixture(scope="module")
def airbyte():
    from airbyte_emulator import DEFAULT_FIXTURE, AirbyteEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["applications"][0]["client_secret"] = secret("ab-main-secret")
    fixture["applications"].append(dict(fixture["applications"][0], name="paths", client_id=AB_OTHER_ID,
                                        client_secret=AB_OTHER_SECRET))
    emulator = AirbyteEmulator(speed=60.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


def airbyte_fresh(airbyte):
    def fresh():
        airbyte.reset()
        airbyte.clock.set_speed(60.0)
    return fresh


def airbyte_lab(airbyte, playbook, tmp_path):
    return Lab(playbook, tmp_path, {"server_url": airbyte.url + API, "client_id": airbyte.client_id,
                                    "client_secret": airbyte.client_secret}, airbyte, not_writes=[LOGIN["airbyte"]])


def test_airbyte_same_results_on_both_paths(airbyte, playbook, tmp_path):
    lab = airbyte_lab(airbyte, playbook, tmp_path)
    hook = {"failure": {"webhook": {"enabled": True, "url": "https://hooks.example.com/x"}}}
    tasks = contract_tasks(
        lab, "airbyte_workspace", {"name": "paths-ws"}, {}, {"notifications": hook},
        bad={"state": "gone"}, missing={"notifications": hook},
        secret_args={"server_url": airbyte.url + API, "client_id": AB_OTHER_ID, "client_secret": AB_OTHER_SECRET},
        environment=from_vars(("AIRBYTE_SERVER_URL", "server_url"), ("AIRBYTE_CLIENT_ID", "client_id"),
                              ("AIRBYTE_CLIENT_SECRET", "client_secret")),
        env_update={"notifications": hook})
    runs = both_paths(lab, lambda in_process: tasks, fresh=airbyte_fresh(airbyte), verbosity=3)
    check_contract(runs, {"bad-value": "value of state must be one of: present, absent, got: gone",
                          "missing": "missing required arguments: name",
                          "unknown": "Unsupported parameters for (statecraft.infra.airbyte_workspace) module: colour",
                          "env-gone": "give exactly one way to authenticate"},
                   masked=["client_secret"], writes=["POST", "PATCH", "DELETE"])
    for run in runs.values():
        assert run.writes[1]["body"] == {"notifications": hook}
        run.assert_hidden(AB_OTHER_SECRET)
    assert airbyte.validation_errors == []
    assert_env_secret_hidden(runs, airbyte.client_secret)
    assert_same_results(runs)
    assert_same_requests(runs, login=LOGIN["airbyte"])
    assert_module_path(runs, ["airbyte_workspace"])


# -- loop items share one login in-process -------------------------------------------------------
LOOP = [{"name": "loop-%d" % n, "key": ssh_key(str(n))} for n in range(1, 6)]


@pytest.mark.parametrize("platform", ["air", "cloudcix", "airbyte"])
def test_loop_items_share_one_login_in_process(platform, request, playbook, tmp_path):
    emulator = request.getfixturevalue(platform)
    name = {"name": "{{ item.name }}"}
    lab, fresh, module, options = {
        "air": (air_lab, air_fresh, "air_ssh_key", dict(name, public_key="{{ item.key }}")),
        "cloudcix": (cloudcix_lab, cloudcix_fresh, "cloudcix_project", dict(name, note="n")),
        "airbyte": (airbyte_lab, airbyte_fresh, "airbyte_workspace", name),
    }[platform]
    lab = lab(emulator, playbook, tmp_path)
    task = lab.task("create", module, options, loop=LOOP)
    runs = {}
    fresh(emulator)()
    runs[True] = lab.play([task], None)  # the default: in-process
    if platform == "air":  # the module path for one platform: each launch logs in
        fresh(emulator)()
        runs[False] = lab.play([task], None, play_vars={SWITCH: "false"})  # a play variable, as a string
    for in_process, run in runs.items():
        logins = [r for r in run.requests if r["path"] == LOGIN[platform]]
        assert len(logins) == (1 if in_process else len(LOOP)), (PATHS[in_process], logins)
        assert all(r["status"] in (200, 201) for r in logins)
        assert all(r["status"] < 400 for r in run.requests), run.requests  # no token refused, no conflict
        created = run.ok("create")["results"]
        assert [r["item"] for r in created] == LOOP and all(r["changed"] for r in created), created
        assert len(run.writes) == len(LOOP), run.writes
    if platform == "air":
        assert_same_results(runs)


# -- progress lines of a wait, in-process ----------------------------------------------------------
def clock_steps(emulator, start, poll, advances):
    """Hold the emulated clock; once the log shows a request matching ``start`` (method, path
    regex), then for each of ``advances``: when a further request matches ``poll`` (a read of
    the object waited for; the emulator logs a request once it has answered it, so that read
    saw the state before the step), advance the clock that many seconds. A first step of 0
    lets a read of the object right after the action pass: the wait's own first read then
    sees the held state for sure. Returns the thread (join it after the play)."""
    emulator.clock.set_speed(0)
    mark = len(emulator.log)

    def matches(entry, rule):
        return entry["method"] == rule[0] and re.search(rule[1], entry["path"])

    def step():
        seen = mark
        rules = [start] + [poll] * len(advances)
        for index, rule in enumerate(rules):
            for _attempt in range(1200):
                log = emulator.log
                found = next((n for n in range(seen, len(log)) if matches(log[n], rule)), None)
                if found is not None:
                    seen = found + 1
                    break
                time.sleep(0.02)
            else:
                return
            if index:
                emulator.clock.advance(advances[index - 1])

    thread = threading.Thread(target=step, daemon=True)
    thread.start()
    return thread


def progress_lines(run, module):
    return [line for line in run.stdout.splitlines() if line.startswith("[localhost] %s: waiting for " % module)]


DOT = """graph "%(name)s" {
  "leaf01" [ function="leaf" os="cumulus-vx-5.10.1" cpu="2" memory="2048" ]
  "server01" [ os="generic/ubuntu2204" ]
  "server01":"eth1" -- "leaf01":"swp2"
}
"""
SIMULATION = r"^/api/v[12]/simulations?/[0-9a-f-]{36}/$"


ASYNC_EXTRA = ("ansible_job_id", "finished", "started", "results_file", "stdout", "stderr", "stdout_lines",
               "stderr_lines", "attempts")  # what async_wrapper and async_status add to a result


def without(data, keys):
    """``data`` with the dict keys ``keys`` left out at any depth."""
    if isinstance(data, dict):
        return dict((k, without(v, keys)) for k, v in data.items() if k not in keys)
    if isinstance(data, list):
        return [without(v, keys) for v in data]
    return data


def module_keys(result):
    """A result without what async adds and without the callback's own keys."""
    return dict((k, v) for k, v in result.items() if not k.startswith("_") and k not in ASYNC_EXTRA)


def async_status(name, job, **keywords):
    """Wait for the job registered as ``job`` (a task with ``poll: 0``)."""
    task = {"name": name, "ansible.builtin.async_status": {"jid": "{{ %s.ansible_job_id }}" % job},
            "register": name.replace("-", "_"), "until": "%s.finished" % name.replace("-", "_"),
            "retries": 60, "delay": 0.5}
    task.update(keywords)
    return task


def test_air_simulation_progress_in_process_and_async(air, playbook, tmp_path):
    lab = air_lab(air, playbook, tmp_path)
    air_fresh(air)()
    lab.file("lab.dot", DOT % {"name": "paths"})

    # in-process: the wait shows where it is (the clock moves only once the task has polled)
    steps = clock_steps(air, ("POST", r"/control/$"), ("GET", SIMULATION), [0, 60])
    load = lab.task("load", "air_simulation", dict(FAST, title="progress", topology_file="lab.dot",
                                                   state="loaded", wait_timeout=60))
    run = lab.play([load], None, diff=False)
    steps.join()
    loaded = run.ok("load")
    assert loaded["changed"] and loaded["simulation"]["state"] == "LOADED"
    lines = progress_lines(run, "air_simulation")
    assert lines and lines[0].startswith("[localhost] air_simulation: waiting for LOADED: "
                                         "the simulation is still LOADING (0 s of at most 60 s)"), run.stdout

    # async: the module path (async_wrapper), the topology file still read on the controller
    air.clock.set_speed(30.0)  # a load (30 emulated seconds) takes a second
    task = lab.task("load", "air_simulation", dict(FAST, title="async", topology_file="lab.dot", state="loaded",
                                                   wait_timeout=60), **{"async": 60, "poll": 2})
    run = lab.play([task], None, diff=False)
    result = run.ok("load")
    assert result["ansible_job_id"] and result["finished"] and result["changed"], result
    assert result["simulation"]["state"] == "LOADED" and result["simulation"]["title"] == "async"
    # the same result as in-process: titles, ids, times and what each simulation gets of its
    # own (console ports drawn at random, the next MAC addresses) aside
    own = ("console_port", "console_url", "serial_port", "mgmt_mac")
    here = normalised(None, [('"progress"', '"<title>"')], data=without(module_keys(loaded), own))
    there = normalised(None, [('"async"', '"<title>"')], data=without(module_keys(result), own))
    assert here == there
    created = [r for r in run.writes if r["method"] == "POST" and r["body"].get("title") == "async"]
    assert '"leaf01"' in created[0]["body"]["topology_data"]  # the file's text, read on the controller
    assert not progress_lines(run, "air_simulation")


# -- CloudCIX: an instance build, in-process (progress) and with async -----------------------------
INSTANCE = r"^/compute/compute/instances/\d+/$"
SPECS = [{"sku_name": "RAM_001", "quantity": 2}, {"sku_name": "vCPU_001", "quantity": 1},
         {"sku_name": "SSD_001", "quantity": 20}, {"sku_name": "UBUNTU2404", "quantity": 1}]


def test_cloudcix_instance_progress_in_process_and_async(cloudcix, playbook, tmp_path):
    lab = cloudcix_lab(cloudcix, playbook, tmp_path)
    cloudcix_fresh(cloudcix)()
    cloudcix.clock.set_speed(600.0)  # a build (35 emulated seconds) in 0.06 s
    run = lab.play([lab.task("project", "cloudcix_project", {"name": "paths"}),
                    lab.task("router", "cloudcix_network_router", dict(FAST, project="paths"))], None)
    run.ok("router")

    def instance(name, wait_timeout=600, **keywords):
        return lab.task(name, "cloudcix_instance", dict(FAST, project="paths", name=name, specs=SPECS,
                                                        wait_timeout=wait_timeout), **keywords)

    # in-process: a line when the wait starts and one when the state changes (pending, building)
    steps = clock_steps(cloudcix, ("POST", r"^/compute/compute/instances/$"), ("GET", INSTANCE), [0, 5, 30])
    run = lab.play([instance("web1", wait_timeout=60)], None)
    steps.join()
    built = run.ok("web1")["instance"]
    assert built["state"] == "running"
    lines = progress_lines(run, "cloudcix_instance")
    assert [line.split(": ", 2)[2].split(" (")[0] for line in lines] == [
        "the instance is still pending", "the instance is still building"], run.stdout

    # async, polled by async_status: the module path; the same instance as in-process
    cloudcix.clock.set_speed(600.0)
    run = lab.play([instance("web2", **{"async": 60, "poll": 0, "register": "job"}), async_status("done", "job")],
                   None)
    job, done = run.ok("web2"), run.ok("done")
    assert job["ansible_job_id"] and job["started"] and not job["finished"]
    assert done["finished"] and done["changed"] and not progress_lines(run, "cloudcix_instance")
    made = done["instance"]
    assert made["state"] == "running" and made["id"] != built["id"]
    assert cloudcix.get("compute", "compute/instances", made["id"])["state"] == "running"
    same = ("project_id", "type", "specs", "region_id")
    assert dict((k, made.get(k)) for k in same) == dict((k, built.get(k)) for k in same)
    assert [w["path"] for w in run.writes] == ["/compute/compute/instances/"]


# -- CycleCloud: scale and a node action, with async (poll, and poll 0 + async_status) --------------
def test_cyclecloud_async_gives_the_in_process_result(cyclecloud, playbook, tmp_path):
    lab = cyclecloud_lab(cyclecloud, playbook, tmp_path)
    scale = lab.task("scale", "cyclecloud_scale", dict(FAST, cluster="hpc", node_array="execute", nodes=4))
    node = lab.task("node", "cyclecloud_node", dict(FAST, cluster="hpc", names=["execute-1"], state="deallocated"))
    runs = {}
    cyclecloud_fresh(cyclecloud)()
    runs["sync"] = lab.play([scale, node], None)
    cyclecloud_fresh(cyclecloud)()
    runs["async"] = lab.play([dict(scale, **{"async": 60, "poll": 2}),
                              dict(node, **{"async": 60, "poll": 0, "register": "job"}),
                              async_status("done", "job")], None)
    assert "ansible_job_id" not in runs["sync"].ok("scale")
    for run in runs.values():
        assert [(r["method"], r["path"]) for r in run.writes] == [
            ("POST", "/clusters/hpc/scale/execute"), ("POST", "/clusters/hpc/nodes/deallocate")]
    assert cyclecloud.node("hpc", "execute-1")["Status"] == "Deallocated"
    here = dict((t["_task"], t) for t in normalised(runs["sync"]))
    there = dict((t["_task"], t) for t in normalised(runs["async"]))
    there["node"] = there.pop("done")
    for name in ("scale", "node"):
        assert there[name]["ansible_job_id"] and there[name]["finished"], there[name]
        assert module_keys(here[name]) == module_keys(there[name]), name
    scaled = here["scale"]
    assert scaled["changed"] and sorted((n["name"], n["status"]) for n in scaled["nodes"]) == [
        ("execute-3", "Ready"), ("execute-4", "Ready")]
    assert here["node"]["changed"] and here["node"]["nodes"][0]["status"] == "Deallocated"


# -- what loop items and until: retries share in-process, and what they must not --------------------
def test_cloudcix_loop_over_projects_finds_each_items_own_instance(cloudcix, playbook, tmp_path):
    """Two projects, each with an instance vm1; a loop snapshots vm1 in each project."""
    lab = cloudcix_lab(cloudcix, playbook, tmp_path)
    cloudcix_fresh(cloudcix)()
    cloudcix.clock.set_speed(600.0)
    setup = []
    for project in ("pa", "pb"):
        setup += [lab.task("project-" + project, "cloudcix_project", {"name": project}),
                  lab.task("router-" + project, "cloudcix_network_router", dict(FAST, project=project)),
                  lab.task("vm-" + project, "cloudcix_instance", dict(FAST, project=project, name="vm1", specs=SPECS))]
    run = lab.play(setup, None, diff=False)
    vm = dict((project, run.ok("vm-" + project)["instance"]) for project in ("pa", "pb"))
    assert vm["pa"]["project_id"] != vm["pb"]["project_id"]

    def snapshots(name, in_process):
        task = lab.task("snap", "cloudcix_snapshot", dict(FAST, project="{{ item }}", name=name, instance="vm1"),
                        loop=["pa", "pb"], ignore_errors=True)
        items = lab.play([task], in_process, diff=False).task("snap")["results"]
        return dict((r["item"], r) for r in items)

    made = snapshots("snap-module", False)
    for project in ("pa", "pb"):
        assert made[project]["snapshot"]["instance_id"] == vm[project]["id"], made[project]
    made = snapshots("snap-in-process", True)
    assert made["pa"]["snapshot"]["instance_id"] == vm["pa"]["id"], made["pa"]
    assert not made["pb"].get("failed") and made["pb"]["snapshot"]["instance_id"] == vm["pb"]["id"], made["pb"]


def test_airbyte_loop_over_workspaces_connects_each_items_own_source(airbyte, playbook, tmp_path):
    """Two workspaces, each with a source src and a destination dst; a loop connects them in each."""
    lab = airbyte_lab(airbyte, playbook, tmp_path)
    airbyte_fresh(airbyte)()
    setup = []
    for workspace in ("wa", "wb"):
        setup += [lab.task("ws-" + workspace, "airbyte_workspace", {"name": workspace}),
                  lab.task("src-" + workspace, "airbyte_source", {"workspace": workspace, "name": "src",
                                                                  "connector": "faker", "configuration": {"count": 5}}),
                  lab.task("dst-" + workspace, "airbyte_destination", {
                      "workspace": workspace, "name": "dst", "connector": "local-json",
                      "configuration": {"destination_path": "/local/" + workspace}})]
    run = lab.play(setup, None, diff=False)
    ids = dict((w, (run.ok("ws-" + w)["workspace"]["workspaceId"], run.ok("src-" + w)["source"]["sourceId"]))
               for w in ("wa", "wb"))

    def connections(name, in_process):
        task = lab.task("pipe", "airbyte_connection", {"workspace": "{{ item }}", "name": name, "source": "src",
                                                       "destination": "dst"}, loop=["wa", "wb"], ignore_errors=True)
        items = lab.play([task], in_process, diff=False).task("pipe")["results"]
        return dict((r["item"], r.get("connection") or {}) for r in items)

    made = connections("pipe-module", False)
    for workspace in ("wa", "wb"):
        assert (made[workspace].get("workspaceId"), made[workspace].get("sourceId")) == ids[workspace], made
    made = connections("pipe-in-process", True)
    assert (made["wa"].get("workspaceId"), made["wa"].get("sourceId")) == ids["wa"], made
    assert (made["wb"].get("workspaceId"), made["wb"].get("sourceId")) == ids["wb"], made
    assert airbyte.validation_errors == []


def test_until_retries_see_a_related_object_made_meanwhile(air, playbook, tmp_path):
    """air_service on a simulation that another client creates after the first attempt."""
    lab = air_lab(air, playbook, tmp_path)
    air_fresh(air)()

    def create_after_first_lookup(title, mark):
        for _attempt in range(600):
            if any(r["method"] == "GET" and r["path"].startswith("/api/v1/simulation") for r in air.log[mark:]):
                break
            time.sleep(0.02)
        session = requests.Session()
        token = session.post(air.url + "/api/v1/login/", json={"username": AIR_USER, "password": AIR_TOKEN},
                             timeout=10).json()["token"]
        answer = session.post(air.url + "/api/v2/simulation/", headers={"Authorization": "Bearer " + token},
                              json={"title": title, "topology_data": DOT % {"name": title}}, timeout=10)
        assert answer.status_code == 201, answer.text

    def attempt(title, in_process):
        task = lab.task("svc", "air_service", {"simulation": title, "name": "ssh", "node": "server01",
                                               "interface": "eth1", "dest_port": 22},
                        register="svc", until="svc is succeeded", retries=3, delay=1, ignore_errors=True)
        other = threading.Thread(target=create_after_first_lookup, args=(title, len(air.log)), daemon=True)
        other.start()
        run = lab.play([task], in_process, diff=False)
        other.join()
        return run.task("svc")

    result = attempt("later-module", False)
    assert result["_status"] == "ok" and result["changed"] and result["attempts"] >= 2, result
    result = attempt("later-in-process", True)
    assert result["_status"] == "ok" and result["changed"] and result["attempts"] >= 2, (result.get("msg"), result)


def test_no_log_task_shows_no_progress_line(air, playbook, tmp_path):
    lab = air_lab(air, playbook, tmp_path)
    air_fresh(air)()
    steps = clock_steps(air, ("POST", r"/control/$"), ("GET", SIMULATION), [0, 60])
    load = lab.task("load", "air_simulation", dict(FAST, title="quiet", state="loaded", wait_timeout=60,
                                                   topology_content=DOT % {"name": "quiet"}), no_log=True)
    run = lab.play([load], True, diff=False)
    steps.join()
    result = run.ok("load")
    assert result["changed"] and "censored" in result and "simulation" not in result
    control = [n for n, r in enumerate(run.requests) if r["path"].endswith("/control/")]
    polls = [r for r in run.requests[control[0]:] if r["method"] == "GET" and re.search(SIMULATION, r["path"])]
    assert len(polls) >= 2, run.requests  # it read the simulation LOADING, waited, read it LOADED
    assert "[localhost] air_simulation:" not in run.stdout, run.stdout
