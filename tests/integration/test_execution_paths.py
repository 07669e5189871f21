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
* In-process, a wait prints progress lines.
* ``async`` runs the module path, and works for the modules that wait (air_simulation, whose
  action reads ``topology_file`` on the controller, cloudcix_instance, cyclecloud_scale).

Evidence comes from the recorded task results (callback_plugins/record_results.py), the
ansible-playbook output, and the emulators' request logs.
"""

from __future__ import absolute_import, division, print_function

import base64
import copy
import json
import re
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
    and are written into each task unless ``connection=False``; ``in_process`` sets
    ``statecraft_infra_in_process`` with -e."""

    def __init__(self, playbook, tmp_path, connection, emulator=None, not_writes=()):
        self.playbook = playbook
        self.tmp_path = tmp_path
        self.connection = connection
        self.emulator = emulator
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
        mark = len(self.emulator.log) if self.emulator is not None else 0
        extra = None if in_process is None else {SWITCH: in_process}
        run = self.playbook(text, check=check, diff=diff, verbosity=verbosity, env=env, extra_vars=extra)
        run.requests = self.emulator.log[mark:] if self.emulator is not None else []
        run.writes = [r for r in run.requests if r["method"] in ("POST", "PUT", "PATCH", "DELETE")
                      and r["path"] not in self.not_writes]
        return run

    def file(self, name, text):
        files = self.tmp_path / "files"
        files.mkdir(exist_ok=True)
        (files / name).write_text(text)
        return name


def normalised(run, names=()):
    """The run's task results with what legitimately differs between two runs replaced: each
    uuid by its order of first appearance in the run (so an id that recurs, recurs the same),
    timestamps, Nautobot's natural slugs (name + id prefix), and ``names`` (run-specific
    values) by placeholders."""
    text = json.dumps(run.tasks, sort_keys=True)
    for number, (value, placeholder) in enumerate(names):
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


def check_contract(runs, lab_messages):
    """What the shared contract play must give (on the in-process path; the other path must
    give the same, see assert_same_results)."""
    run = runs[True]
    create, again, check = run.ok("create"), run.ok("again"), run.ok("check")
    assert create["changed"] and not again["changed"] and check["changed"]
    assert check["diff"]["before"] != check["diff"]["after"]
    assert create["diff"]["before"] == {} and create["diff"]["after"]
    assert [w for w in again.get("warnings", []) if "validate_certs is false" in w], again
    for name, message in lab_messages.items():
        assert message in run.failed(name)["msg"], (name, run.task(name)["msg"])
    secret_task, env = run.ok("secret"), run.ok("env")
    for result in (secret_task, env):
        masked = [v for v in result["invocation"]["module_args"].values() if v == MASK]
        assert masked, result["invocation"]
    for flag, each in runs.items():
        for warning in again["warnings"]:
            assert warning in each.output, (PATHS[flag], warning)  # shown to the user too


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


# -- Nautobot (the real one, through the recording proxy) ---------------------------------------
@pytest.fixture
def second_token(nautobot):
    """Another API token of the admin, for a task that gives its token in the play text."""
    made = nautobot.api("POST", "users/tokens/", json={"description": "execution paths test"})
    yield made["key"]
    nautobot.api("DELETE", "users/tokens/%s/" % made["id"])


def test_nautobot_same_results_on_both_paths(playbook, tmp_path, connection, nautobot, second_token, unique):
    lab = Lab(playbook, tmp_path, connection)
    names = dict((flag, "xp-mfr-%s-%s" % (unique, PATHS[flag])) for flag in PATHS)

    def tasks(in_process):
        name = names[in_process]
        return [
            lab.task("create", "nautobot_manufacturer", {"name": name, "description": "one"}),
            lab.task("again", "nautobot_manufacturer", {"name": name, "description": "one", "validate_certs": False}),
            lab.task("check", "nautobot_manufacturer", {"name": name, "description": "two"}, check_mode=True),
            tolerant(lab.task("bad-value", "nautobot_manufacturer", {"name": name, "state": "gone"})),
            tolerant(lab.task("missing", "nautobot_manufacturer", {"description": "x"})),
            tolerant(lab.task("unknown", "nautobot_manufacturer", {"name": name, "colour": "red"})),
            lab.task("secret", "nautobot_manufacturer", {"url": connection["url"], "token": second_token,
                                                         "name": name, "description": "one"}, connection=False),
            lab.task("env", "nautobot_manufacturer", {"name": name, "description": "three"}, connection=False,
                     environment={"NAUTOBOT_URL": "{{ lab_url }}", "NAUTOBOT_TOKEN": "{{ lab_token }}"}),
            tolerant(lab.task("env-gone", "nautobot_manufacturer", {"name": name, "description": "four"},
                              connection=False)),
            lab.task("absent", "nautobot_manufacturer", {"name": name, "state": "absent"}),
        ]

    runs = both_paths(lab, tasks, verbosity=3)
    check_contract(runs, {"bad-value": "value of state must be one of: present, absent, got: gone",
                          "missing": "missing required arguments: name",
                          "unknown": "Unsupported parameters for (statecraft.infra.nautobot_manufacturer) module: colour",
                          "env-gone": "missing required arguments: token, url"})
    for flag, run in runs.items():
        assert run.ok("env")["changed"] and run.ok("env")["manufacturer"]["description"] == "three"
        assert run.ok("absent")["changed"]
        assert nautobot.count("dcim/manufacturers/", name=names[flag]) == 0
        run.assert_hidden(second_token)
    assert_env_secret_hidden(runs, connection["token"])
    assert_same_results(runs, dict((flag, [(names[flag], "<name>")]) for flag in PATHS))
    assert_module_path(runs, ["nautobot_manufacturer"])
