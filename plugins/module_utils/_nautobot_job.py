# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Running a Nautobot Job: an action, not a state. The Job is found by name, class path or
id, run with its inputs, and (with ``wait``) its job result is read until Celery says it is
done; the result and its log lines are returned, and a Job that did not succeed fails the task."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, poll

# Celery's ready states (a job result in one of them changes no more); SUCCESS is the only good one
DONE = ("SUCCESS", "FAILURE", "REVOKED", "REJECTED", "IGNORED")
LOG_KEYS = ("created", "log_level", "grouping", "message", "log_object")


def status_of(job_result):
    """A job result's status: a choice (``{"value": ...}``) in the API, a string in older answers."""
    status = (job_result or {}).get("status")
    return status.get("value") if isinstance(status, dict) else status


def find_job(adapter, given):
    """The Job by id, by name, or by class path (``module_name.JobClassName``)."""
    if UUID_RE.match(given):
        found = adapter.get_or_none("extras/jobs/%s/" % given)
        jobs = [found] if found else []
    else:
        jobs = adapter.list_objects("extras/jobs", {"name": given}, depth=0)
        if not jobs and "." in given:
            module_name, class_name = given.rsplit(".", 1)
            jobs = adapter.list_objects("extras/jobs", {"module_name": module_name, "job_class_name": class_name},
                                        depth=0)
    if len(jobs) != 1:
        raise ModuleError("job: %s Job has the name, class path or id %r%s" % (
            "no" if not jobs else len(jobs), given,
            "" if not jobs else ": " + ", ".join("%s.%s" % (j["module_name"], j["job_class_name"]) for j in jobs)))
    job = jobs[0]
    if not job.get("installed"):
        raise ModuleError("job: the Job %r (%s.%s) is not installed: Nautobot no longer finds its code"
                          % (job["name"], job["module_name"], job["job_class_name"]))
    if not job.get("enabled"):
        raise ModuleError("job: the Job %r (%s.%s) is not enabled; enable it in Nautobot before running it"
                          % (job["name"], job["module_name"], job["job_class_name"]))
    return job


def job_logs(adapter, job_result):
    """The log lines of a job result, oldest first."""
    entries = adapter.list_objects("extras/job-logs", {"job_result": job_result["id"]}, depth=0)
    return [dict((k, entry.get(k)) for k in LOG_KEYS) for entry in entries]


def failure(job, job_result, logs):
    """Why a finished Job failed: its status and its last error line (or its traceback's)."""
    errors = [line["message"] for line in logs if line.get("log_level") in ("error", "critical", "failure")]
    traceback = (job_result.get("traceback") or "").strip().splitlines()
    reason = errors[-1] if errors else traceback[-1] if traceback else None
    return "the Job %r ended %s%s" % (job["name"], status_of(job_result), ": %s" % reason if reason else "")


def job_task(adapter, params, check_mode, want_diff):
    job = find_job(adapter, params["job"])
    job_view = dict((k, job.get(k)) for k in ("id", "name", "module_name", "job_class_name", "grouping"))
    result = {"changed": True, "job": job_view, "status": None, "job_result": {}, "logs": []}
    if check_mode:
        return result  # a run is never predicted: the Job's own code decides what it does
    answer = adapter.client.request("POST", "extras/jobs/%s/run/" % job["id"],
                                    json_body={"data": params.get("data") or {}}, expect=(200, 201))
    job_result = (answer or {}).get("job_result")
    if not job_result:
        # scheduled or waiting for approval: nothing runs yet, so there is nothing to wait for
        result["scheduled_job"] = (answer or {}).get("scheduled_job")
        return result
    result.update(job_result=job_result, status=status_of(job_result))
    if params.get("wait") and status_of(job_result) not in DONE:
        def read():
            return adapter.client.request("GET", "extras/job-results/%s/" % job_result["id"])

        try:
            job_result = poll(read, lambda current: status_of(current) in DONE, lambda current: None,
                              lambda current: "the job result is %s" % status_of(current),
                              "the Job %r to finish" % job["name"], params, progress=adapter.progress)
        except ModuleError as exc:
            raise ModuleError(str(exc), result)
        result.update(job_result=job_result, status=status_of(job_result))
    if status_of(job_result) in DONE:
        result["logs"] = job_logs(adapter, job_result)
        if status_of(job_result) != "SUCCESS":
            raise ModuleError(failure(job, job_result, result["logs"]), result)
    return result
