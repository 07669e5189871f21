# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Air modules do that is no ensure of one resource: the info modules' reads of
simulations (with their nodes and services) and of images, a node's reset or rebuild, and
a node's instructions."""

from __future__ import absolute_import, division, print_function

import json

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import (
    json_text,
    one_simulation,
    simulation_view,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import url_id
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, poll


def simulations_info(adapter, params):
    """Simulations matching the filters, each with its nodes and services."""
    if adapter.version != "v1":  # another API version reads them its own way (_air_v3.py)
        return adapter.simulations_info(params)
    query = ({"id": params["id"]} if params.get("id")
             else dict((k, params[k]) for k in ("title", "state") if params.get(k)))
    sims = adapter.resolve_path("v1/simulation", query)
    if params.get("organization"):
        org = str(params["organization"])
        if not UUID_RE.match(org):
            orgs = adapter.resolve_path("v1/organization", {"name": org})
            if not orgs:
                raise ModuleError("organization: no organization is named %s" % org)
            org = orgs[0]["id"]
        sims = [s for s in sims if url_id(s.get("organization")) == org]
    return {"simulations": [simulation_view(adapter, s) for s in sims]}


# -- a simulation's node: reset, rebuild, instructions -----------------------------------------
NODE_ACTIONS = ("reset", "rebuild")
EXECUTORS = ("shell", "file", "init")
JOB_DONE, JOB_FAILED = ("COMPLETE",), ("FAILED", "CANCELLED")  # air.md 7.5 Job states


def simulation_node(adapter, simulation, node_name, check_mode=False, warnings=None):
    """The simulation (by title or id) and its node named ``node_name``. In check mode a
    simulation not found yet is taken to come from an earlier task of the run: (None, None)
    and a warning."""
    query = {"id": str(simulation)} if UUID_RE.match(str(simulation)) else {"title": str(simulation)}
    sim = one_simulation(adapter, query)
    if sim is None and check_mode:
        warnings.append("simulation: no simulation matches %s; assuming an earlier task in this check run "
                        "creates it" % adapter.describe_query(query))
        return None, None
    if sim is None:
        raise ModuleError("simulation: no simulation matches %s" % adapter.describe_query(query))
    for node in adapter.list("v1/simulation-node", {"simulation": sim["id"], "name": node_name}):
        if node.get("name") == node_name:
            return sim, node
    raise ModuleError("node: the simulation has no node %s" % node_name)


def node_action(adapter, params, check_mode, want_diff):
    """Reset (hard reboot) or rebuild (back to its image) one node of a running simulation:
    an action, so always a change (air.md 8.7). The v2 control answers with jobs, polled
    until done when ``wait``."""
    action, warnings = params["action"], []
    sim, node = simulation_node(adapter, params["simulation"], params["node"], check_mode, warnings)
    if sim is not None and sim.get("state") != "LOADED":
        message = ("action: the simulation is %s; Air resets or rebuilds a node only while its simulation is "
                   "LOADED" % sim.get("state"))
        if not check_mode:
            raise ModuleError(message)
        warnings.append(message + "; assuming an earlier task in this check run loads it")
    result = {"changed": True, "node": node_view(node or {"name": params["node"]}), "jobs": [],
              "warnings": warnings}
    if want_diff:
        result["diff"] = {"before": {"node": params["node"], "action": None},
                          "after": {"node": params["node"], "action": action}}
    if check_mode:
        return result
    jobs = adapter.client.request("POST", "v2/simulations/nodes/%s/control/" % node["id"],
                                  json_body={"action": action}, expect=(201,))
    if params.get("wait"):
        jobs = [wait_for_job(adapter, job, params) for job in jobs]
    result["jobs"] = jobs
    return result


def wait_for_job(adapter, job, params):
    def read():
        return adapter.client.request("GET", "v2/jobs/%s/" % job["id"])

    def failed(current):
        if current.get("state") in JOB_FAILED:
            return "job %s of the node ended %s" % (job["id"], current.get("state"))
        return None

    return poll(read, lambda current: current.get("state") in JOB_DONE, failed,
                lambda current: "job %s is %s" % (job["id"], current.get("state")),
                "the node's job to complete", params, progress=adapter.progress)


def node_view(node):
    return {"id": node.get("id"), "name": node.get("name"), "state": node.get("state")}


def instruction_form(entry):
    """An instruction as Air stores it: (executor, data text). A shell list is one command per
    line (as the SDK joins it); file and init data are JSON, compared as data."""
    executor, data = entry.get("executor"), entry.get("data")
    if isinstance(data, list) and executor == "shell":
        data = "\n".join(str(line) for line in data)
    elif isinstance(data, dict) and executor in ("file", "init"):
        data = json.dumps(data, sort_keys=True)
    return executor, data


def check_instructions(instructions):
    for entry in instructions:
        if not isinstance(entry, dict) or set(entry) - {"executor", "data"} or "data" not in entry:
            raise ModuleError("instructions: each is a dict with executor and data")
        if entry.get("executor") not in EXECUTORS:
            raise ModuleError("instructions: executor must be one of %s, not %s"
                              % (", ".join(EXECUTORS), entry.get("executor")))
        executor, data = instruction_form(entry)
        if not isinstance(data, str):
            raise ModuleError("instructions: %s data is text%s" % (executor, " or a list of commands"
                                                                   if executor == "shell" else " or a dict"))
        if executor in ("file", "init"):
            try:
                json_text(data)
            except ValueError:
                raise ModuleError("instructions: %s data must be JSON (a dict)" % executor)


def same_instructions(have, want):
    def comparable(item):
        executor, data = item
        return executor, json_text(data) if executor in ("file", "init") else data
    try:
        return [comparable(i) for i in have] == [comparable(i) for i in want]
    except ValueError:
        return False


def node_instructions(adapter, params, check_mode, want_diff):
    """The instructions a node's agent runs when it boots (air.md 8.7), as the declared list.

    Air lists a node's instructions until its agent has run them (it then deletes them), and
    can only delete them all at once. So: a list that differs is replaced (all deleted, the
    declared ones created, in order); a list the declared one extends only gets the rest.
    Once the simulation has been loaded, no pending instruction means they ran: nothing is
    sent again."""
    wanted = [] if params["state"] == "absent" else list(params.get("instructions") or [])
    check_instructions(wanted)
    wanted = [instruction_form(i) for i in wanted]
    warnings = []
    sim, node = simulation_node(adapter, params["simulation"], params["node"], check_mode, warnings)
    path = "v1/simulation-node/%s/instructions/" % (node or {}).get("id")
    pending = []
    if node is not None:
        pending = [(i.get("executor"), i.get("instruction")) for i in adapter.client.request("GET", path) or []]
    ran = sim is not None and sim.get("state") != "NEW" and not pending
    changed = not ran and not same_instructions(pending, wanted)
    result = {"changed": changed, "node": node_view(node or {"name": params["node"]}), "warnings": warnings,
              "instructions": [{"executor": e, "data": d} for e, d in (pending if not changed else wanted)]}
    if want_diff:
        result["diff"] = {"before": {"instructions": [{"executor": e, "data": d} for e, d in pending]},
                          "after": {"instructions": result["instructions"]}}
    if not changed or check_mode:
        return result
    extends = same_instructions(pending, wanted[:len(pending)])
    if not extends:
        adapter.client.request("DELETE", path, json_body={}, expect=(204,))
    for executor, data in wanted[len(pending) if extends else 0:]:
        adapter.client.request("POST", path, json_body={"executor": executor, "data": data}, expect=(201,))
    return result


# -- images --------------------------------------------------------------------------------------
def images_info(adapter, params):
    """The images the account can use (node OS), optionally by name or id."""
    query = {"id": params["id"]} if params.get("id") else dict((k, params[k]) for k in ("name",) if params.get(k))
    images = adapter.resolve_path("v1/image", query)
    return {"images": sorted((adapter.plain_view(i) for i in images), key=lambda i: (i.get("name") or "",
                                                                                     i.get("version") or ""))}
