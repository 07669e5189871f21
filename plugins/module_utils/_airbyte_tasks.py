# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Airbyte modules do that is no ensure of one resource: OAuth overrides (which
nothing reads back), sync and clear jobs of a connection, and the info module's reads."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, poll
from ansible_collections.statecraft.infra.plugins.module_utils._http import MASK


# -- OAuth overrides: on a workspace or on an organization ----------------------------------------
def one_scope(adapter, params):
    """The API path of the workspace or organization a task names (exactly one)."""
    if params.get("workspace") is not None:
        ids = adapter.workspace_ids(params["workspace"])
        scope, label = "workspaces", "workspace"
    else:
        query = adapter.nested_query(params["organization"])
        if "name" in query:
            query = {"organizationName": query["name"]}
        ids = [o["organizationId"] for o in adapter.resolve_path("organizations", query)]
        scope, label = "organizations", "organization"
    if len(ids) != 1:
        raise ModuleError("%s: %s %s matches %r" % (label, "no" if not ids else len(ids), label, params[label]))
    return "%s/%s" % (scope, ids[0]), {label + "_id": ids[0]}


def oauth_override_task(adapter, params, check_mode, want_diff):
    """Airbyte stores OAuth app credentials write-only: nothing reads them back, so every run
    sends them (present) or removes them (absent) and reports a change."""
    path, scope = one_scope(adapter, params)
    override = dict(scope, actor_type=params["actor_type"], name=params["name"])
    result = {"changed": True, "oauth_override": override}
    if want_diff:
        unknown = dict(override, configuration="(not readable: Airbyte does not show stored OAuth credentials)")
        after = {} if params["state"] == "absent" else dict(
            override, configuration=dict((k, MASK) for k in params["configuration"]))
        result["diff"] = {"before": unknown, "after": after}
    if check_mode:
        return result
    if params["state"] == "absent":
        adapter.client.request("DELETE", "%s/oauthCredentials/%s/%s" % (path, params["actor_type"], params["name"]),
                               expect=(204, 200))
    else:
        adapter.client.request("PUT", path + "/oauthCredentials", expect=(200, 204), json_body={
            "actorType": params["actor_type"], "name": params["name"], "configuration": params["configuration"]})
    return result


# -- jobs: a sync or clear is an action, not a state ---------------------------------------------
TERMINAL_JOB = ("succeeded", "failed", "cancelled")


def find_connection(adapter, params):
    """The connection by id, or by name within the workspace (several of that name: an error)."""
    given = str(params["connection"])
    if UUID_RE.match(given):
        found = adapter.get_or_none("connections/%s" % given)
        if found is None:
            raise ModuleError("connection: no connection has id %s" % given)
        return found
    if params.get("workspace") is None:
        raise ModuleError("workspace: needed to find the connection %r by name (or give its id)" % given)
    ids = adapter.workspace_ids(params["workspace"])
    found = [c for c in adapter.list("connections", {"workspaceIds": ids}) if c.get("name") == given] if ids else []
    if len(found) != 1:
        raise ModuleError("connection: %s connection named %r in workspace %s%s" % (
            "no" if not found else len(found), given, params["workspace"],
            "" if not found else ": " + ", ".join(adapter.describe(c) for c in found)))
    return found[0]


def running_job(adapter, connection_id):
    """The connection's job still in progress, if any (the newest first)."""
    jobs = adapter.client.request("GET", "jobs", params={"connectionId": connection_id, "orderBy": "createdAt|DESC",
                                                         "limit": 20}, expect=(200,))
    for job in (jobs or {}).get("data") or []:
        if job.get("status") not in TERMINAL_JOB:
            return job
    return None


def job_task(adapter, params, check_mode, want_diff):
    connection = find_connection(adapter, params)
    connection_id = connection["connectionId"]
    job = running_job(adapter, connection_id)
    result = {"changed": False, "job": job or {}, "connection_id": connection_id}
    if params["state"] == "cancelled":
        if job is None:
            return result
        result["changed"] = True
        if not check_mode:
            job = adapter.client.request("DELETE", "jobs/%s" % job["jobId"], expect=(200,))
        wanted = ("cancelled",)
    else:
        if job is not None and job.get("jobType") != params["job_type"]:
            raise ModuleError("job_type: a %s job (%s) of the connection is still %s; wait for it or cancel it first"
                              % (job.get("jobType"), job.get("jobId"), job.get("status")))
        if job is None:
            result["changed"] = True
            if check_mode:
                result["job"] = {"jobType": params["job_type"], "connectionId": connection_id, "status": "pending"}
                return result
            job = adapter.client.request("POST", "jobs", json_body={"connectionId": connection_id,
                                                                    "jobType": params["job_type"]}, expect=(200,))
        wanted = ("succeeded",)
    result["job"] = job
    if check_mode or not params.get("wait") or job.get("status") in TERMINAL_JOB and job.get("status") in wanted:
        return result

    def read():
        return adapter.client.request("GET", "jobs/%s" % job["jobId"], expect=(200,))

    def failed(current):
        result["job"] = current
        if current.get("status") in TERMINAL_JOB and current.get("status") not in wanted:
            return "the %s job %s of connection %s ended %s" % (current.get("jobType"), current.get("jobId"),
                                                                connection.get("name"), current.get("status"))
        return None

    try:
        result["job"] = poll(read, lambda current: current.get("status") in wanted, failed,
                             lambda current: "the job is still %s" % current.get("status"),
                             "the job to be %s" % wanted[0], params, progress=adapter.progress)
    except ModuleError as exc:
        raise ModuleError(str(exc), result)
    return result


# -- what the info module reads -----------------------------------------------------------------
IN_WORKSPACE = ("sources", "destinations", "connections", "jobs", "tags", "workspaces")
DEFINITIONS = {"source_definitions": "sources", "destination_definitions": "destinations"}


def definitions(adapter, params, kind):
    """The connector definitions a workspace can use (Airbyte's and its own custom ones), each
    with the workspace it was read in; Airbyte lists them per workspace."""
    if params.get("workspace") is None:
        raise ModuleError("workspace: needed to read connector definitions (Airbyte lists them per workspace)")
    found = []
    for workspace_id in adapter.workspace_ids(params["workspace"]):
        body = adapter.client.request("GET", "workspaces/%s/definitions/%s" % (workspace_id, kind), expect=(200,))
        found += [dict(d, workspaceId=workspace_id) for d in (body or {}).get("data") or []]
    return found


def info(adapter, params):
    """Every object of ``resource`` (all pages), narrowed by the filters the task gives."""
    resource = params["resource"]
    if resource == "health":
        response = adapter.client.send("GET", "health", use_auth=False)
        return {"health": {"status": response.status_code, "healthy": response.status_code == 200}}
    query = {}
    if params.get("workspace") is not None and resource in IN_WORKSPACE:
        ids = adapter.workspace_ids(params["workspace"])
        if not ids:
            return {resource: []}
        query["workspaceIds"] = ids
    if resource == "jobs":
        if params.get("connection"):
            query["connectionId"] = find_connection(adapter, params)["connectionId"]
        query.update(dict((k, v) for k, v in (("status", params.get("status")), ("jobType", params.get("job_type")))
                          if v))
        query["orderBy"] = "createdAt|DESC"
    if resource == "streams":
        if not params.get("source_id"):
            raise ModuleError("source_id: needed to read the streams of a source")
        query = {"sourceId": params["source_id"]}
        if params.get("destination_id"):
            query["destinationId"] = params["destination_id"]
        return {resource: adapter.client.request("GET", "streams", params=query, expect=(200,)) or []}
    if resource in DEFINITIONS:
        found = definitions(adapter, params, DEFINITIONS[resource])
        return {resource: [d for d in found if params.get("name") is None or d.get("name") == params["name"]]}
    if resource in ("users", "permissions"):
        if params.get("organization_id"):
            query["organizationId"] = params["organization_id"]
        if resource == "permissions" and params.get("user_id"):
            query["userId"] = params["user_id"]
    found = adapter.list(resource, query)
    if params.get("name") is not None:
        found = [o for o in found if o.get("name") == params["name"] or o.get("organizationName") == params["name"]]
    return {resource: [adapter.result_view(None, o) for o in found]}
