# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nautobot_job against real Nautobot servers (3.2 and 2.4), each with a Celery worker and
the harness's test Job (tests/harness/jobs/statecraft_jobs.py: logs its message, sleeps,
fails on request). What reached the server comes from the recording proxy."""

from __future__ import absolute_import, division, print_function

import yaml

import pytest

from conftest import Evidence

JOB = "Statecraft echo"
CLASS_PATH = "statecraft_jobs.StatecraftEcho"
SERVERS = {"3.2": ("nautobot", "proxy", "connection"), "2.4": ("nautobot24", "proxy24", "connection24")}


class Target(object):
    def __init__(self, nautobot, proxy, connection):
        self.nautobot = nautobot
        self.proxy = proxy
        self.connection = connection

    def evidence(self):
        return Evidence(self.nautobot, self.proxy)

    def play(self, **args):
        task = {"name": "t", "statecraft.infra.nautobot_job": dict(self.connection, **args)}
        return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}])


@pytest.fixture(params=sorted(SERVERS), ids=lambda series: "nautobot-" + series)
def target(request):
    return Target(*[request.getfixturevalue(name) for name in SERVERS[request.param]])


def job_results(target):
    """How many job results the test Job has: a run that Nautobot accepted makes one."""
    return target.nautobot.count("extras/job-results/", job_model=JOB, limit=1)


def runs_of(evidence):
    return [r for r in evidence.writes if r["method"] == "POST" and r["path"].rstrip("/").endswith("/run")]


def test_runs_the_job_with_its_inputs_and_returns_result_and_log_lines(target, module_run):
    watching = target.evidence()
    result = module_run("nautobot_job", job=JOB, data={"message": "hi", "repeat": 2}, wait_sleep=0.5,
                        **target.connection)
    ev = watching.stop()
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["status"] == "SUCCESS", result
    assert result["job"]["module_name"] + "." + result["job"]["job_class_name"] == CLASS_PATH
    assert result["job_result"]["result"] == {"message": "hi", "repeat": 2}
    messages = [line["message"] for line in result["logs"]]
    assert "echo 1 of 2: hi" in messages and "echo 2 of 2: hi" in messages, messages
    assert len(runs_of(ev)) == 1 and runs_of(ev)[0]["body"] == {"data": {"message": "hi", "repeat": 2}}


def test_a_failing_job_fails_the_task_with_its_status_and_log_lines(target, module_run):
    result = module_run("nautobot_job", job=CLASS_PATH, data={"message": "boom", "fail": True}, wait_sleep=0.5,
                        **target.connection)
    assert result.get("failed") is True, result
    assert "ended FAILURE" in result["msg"] and "failing as asked" in result["msg"], result["msg"]
    assert result["status"] == "FAILURE"
    assert any(line["log_level"] == "error" for line in result["logs"]), result["logs"]


def test_waiting_shows_progress_lines(target, playbook):
    run = playbook(target.play(job=JOB, data={"seconds": 4}, wait_sleep=0.5))
    assert run.ok()["status"] == "SUCCESS"
    lines = [line for line in run.stdout.splitlines() if line.startswith("[localhost] nautobot_job: waiting for ")]
    assert lines and "the Job 'Statecraft echo' to finish: the job result is" in lines[0], run.stdout


def test_check_mode_runs_nothing_and_reports_a_change(target, playbook):
    # other tests may write to a shared server meanwhile: the evidence is what this run sent
    before = job_results(target)
    watching = target.evidence()
    run = playbook(target.play(job=CLASS_PATH, data={"message": "not run"}), check=True)
    ev = watching.stop()
    task = run.ok()
    assert task["changed"] is True and task["status"] is None and task["job"]["name"] == JOB
    assert ev.writes == [] and job_results(target) == before, ev.requests


def test_unknown_job_and_bad_inputs_fail_before_anything_runs(target, module_run):
    result = module_run("nautobot_job", job="statecraft_jobs.NoSuchJob", **target.connection)
    assert result.get("failed") is True and "job: no Job has the name, class path or id" in result["msg"], result
    before = job_results(target)
    watching = target.evidence()
    result = module_run("nautobot_job", job=JOB, data={"repeat": "many"}, **target.connection)
    ev = watching.stop()
    assert result.get("failed") is True and "repeat" in result["msg"], result
    assert [r["status"] for r in ev.writes] == [400] and job_results(target) == before, ev.requests


def test_without_wait_the_task_ends_once_the_job_is_queued(target, module_run):
    result = module_run("nautobot_job", job=JOB, data={"seconds": 2}, wait=False, **target.connection)
    assert result["changed"] is True and result["status"] in ("PENDING", "STARTED", "SUCCESS"), result
    assert result["job_result"]["id"] and result["logs"] == []
