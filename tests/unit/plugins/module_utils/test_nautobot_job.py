# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nautobot_job's task against a scripted server: what it sends, how it waits, what it
returns (proven against real Nautobot servers in tests/integration/test_nautobot_job.py)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_job import job_task

JOB_ID = "0b7c4e1e-0000-4000-8000-000000000001"
RESULT_ID = "5d1d2a56-0000-4000-8000-000000000002"
JOB = {"id": JOB_ID, "name": "Statecraft echo", "module_name": "statecraft_jobs", "job_class_name": "StatecraftEcho",
       "grouping": "Statecraft tests", "installed": True, "enabled": True}


def page(*results):
    return {"count": len(results), "next": None, "previous": None, "results": list(results)}


def job_result(status, **extra):
    return dict({"id": RESULT_ID, "name": JOB["name"], "status": {"value": status, "label": status}}, **extra)


def adapter_for(server, lines=None):
    adapter = NautobotAdapter.from_params({"url": server.url, "token": "0" * 40, "retries": 0})
    adapter.progress = (lines if lines is not None else []).append
    return adapter


def params(**extra):
    return dict({"job": "Statecraft echo", "data": {"message": "hi"}, "wait": True, "wait_timeout": 30,
                 "wait_sleep": 0.01}, **extra)


def test_runs_waits_and_returns_result_and_logs(http_server):
    http_server.add("GET", "/api/extras/jobs/", (200, page(JOB)))
    http_server.add("POST", "/api/extras/jobs/%s/run/" % JOB_ID, (201, {"job_result": job_result("PENDING")}))
    http_server.add("GET", "/api/extras/job-results/%s/" % RESULT_ID, (200, job_result("STARTED")),
                    (200, job_result("SUCCESS", result={"message": "hi"})))
    http_server.add("GET", "/api/extras/job-logs/", (200, page(
        {"created": "t1", "log_level": "info", "grouping": "run", "message": "echo 1 of 1: hi", "log_object": ""})))
    lines = []
    result = job_task(adapter_for(http_server, lines), params(), False, False)
    assert result["changed"] is True and result["status"] == "SUCCESS"
    assert result["job_result"]["result"] == {"message": "hi"}
    assert [line["message"] for line in result["logs"]] == ["echo 1 of 1: hi"]
    assert http_server.seen("POST")[0].json() == {"data": {"message": "hi"}}
    assert http_server.seen("GET", "/api/extras/job-logs/")[0].query["job_result"] == RESULT_ID
    assert lines and "the job result is STARTED" in lines[0]


def test_a_failed_job_fails_the_task_with_its_result(http_server):
    http_server.add("GET", "/api/extras/jobs/", (200, page(JOB)))
    http_server.add("POST", "/api/extras/jobs/%s/run/" % JOB_ID, (201, {"job_result": job_result("PENDING")}))
    http_server.add("GET", "/api/extras/job-results/%s/" % RESULT_ID,
                    (200, job_result("FAILURE", traceback="Traceback ...\nRuntimeError: failed as asked: hi")))
    http_server.add("GET", "/api/extras/job-logs/", (200, page(
        {"created": "t1", "log_level": "error", "grouping": "run", "message": "failing as asked", "log_object": ""})))
    with pytest.raises(ModuleError) as info:
        job_task(adapter_for(http_server), params(), False, False)
    assert "ended FAILURE: failing as asked" in str(info.value)
    assert info.value.result["status"] == "FAILURE" and info.value.result["logs"][0]["log_level"] == "error"


def test_check_mode_finds_the_job_by_class_path_and_runs_nothing(http_server):
    http_server.add("GET", "/api/extras/jobs/", lambda seen: (200, page(JOB) if "module_name" in seen.query else page()))
    result = job_task(adapter_for(http_server), params(job="statecraft_jobs.StatecraftEcho"), True, False)
    assert result["changed"] is True and result["status"] is None and result["job"]["id"] == JOB_ID
    assert [r.method for r in http_server.requests] == ["GET", "GET"]
    assert http_server.requests[1].query["job_class_name"] == "StatecraftEcho"


def test_a_disabled_job_is_refused_before_any_run(http_server):
    http_server.add("GET", "/api/extras/jobs/", (200, page(dict(JOB, enabled=False))))
    with pytest.raises(ModuleError, match="not enabled"):
        job_task(adapter_for(http_server), params(), False, False)
    assert http_server.seen("POST") == []


def test_no_such_job_names_the_option(http_server):
    http_server.add("GET", "/api/extras/jobs/", (200, page()))
    with pytest.raises(ModuleError, match="^job: no Job has the name, class path or id 'my.Nope'"):
        job_task(adapter_for(http_server), params(job="my.Nope"), False, False)


def test_without_wait_the_queued_result_is_returned(http_server):
    http_server.add("GET", "/api/extras/jobs/", (200, page(JOB)))
    http_server.add("POST", "/api/extras/jobs/%s/run/" % JOB_ID, (201, {"job_result": job_result("PENDING")}))
    result = job_task(adapter_for(http_server), params(wait=False), False, False)
    assert result["status"] == "PENDING" and result["logs"] == []
    assert http_server.seen("GET", "/api/extras/job-results/%s/" % RESULT_ID) == []
