# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The life cycle of a CycleCloud cluster (``cyclecloud_cluster``): defined from a template with
parameters, started or terminated, its failed nodes retried, removed.

CycleCloud's documented REST API has no cluster calls; these are the endpoints behind the CLI
(cyclecloud.md 2.2): ``import_cluster`` creates a cluster from a template (the template's text,
or the name of a template stored in CycleCloud) and, with ``force``, changes it (a cluster's
parameters change only by importing it again); ``show_cluster`` reads it; ``start_cluster``,
``terminate_cluster``, ``retry`` and ``delete_cluster`` (``removecluster``) act on it.
"""

from __future__ import absolute_import, division, print_function

import json
import re

from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import (
    READY,
    STOPPED,
    failure,
    status_counts,
)
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, poll
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError, mask_secrets

CLUSTER_STATES = {
    # state -> (action, targetState meaning done, node statuses that end the wait)
    "started": ("startcluster", "Started", (READY,)),
    "terminated": ("terminatecluster", "Terminated", STOPPED),
}
# the [cluster NAME] sections of a template: each is a template the text holds
CLUSTER_SECTION = re.compile(r"^\s*\[cluster\s+([^\]]+?)\s*\]\s*$", re.MULTILINE)


def cluster_view(name, status):
    nodes = status.get("nodes") or []
    return {"name": name, "state": status.get("state"), "target_state": status.get("targetState"),
            "node_counts": status_counts(nodes)}


# -- the definition: template and parameters ----------------------------------------------------
def template_source(params):
    """(template name, template text or None), checked before any request; None without template
    options. (The action plugin reads template_file on the controller into template_text.)"""
    text, name = params.get("template_text"), params.get("template")
    if text is None:
        return None if name is None else (name, None)
    sections = CLUSTER_SECTION.findall(text)
    if not sections:
        raise ModuleError("template_file/template_text: the template has no [cluster NAME] section")
    if name is None:
        if len(sections) > 1:
            raise ModuleError("template: the template defines the clusters %s: name the one to import"
                              % ", ".join(sections))
        name = sections[0]
    elif name not in sections:
        raise ModuleError("template: the template defines %s, not %r" % (", ".join(sections), name))
    return name, text


def _items(value):
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [v.strip() for v in str(value).split(",")] if value is not None else None


def same_value(current, wanted):
    """A parameter as CycleCloud keeps it against the value asked for: a number or a boolean may
    come back as text, a multi-select (a list) as comma-separated text."""
    if current == wanted:
        return True
    if current is None or wanted is None or isinstance(current, dict) or isinstance(wanted, dict):
        return False
    if isinstance(current, list) or isinstance(wanted, list):
        return _items(current) == _items(wanted)
    if isinstance(current, bool) or isinstance(wanted, bool):
        return str(current).lower() == str(wanted).lower()
    return str(current) == str(wanted)


def define(adapter, params, template, check_mode, result):
    """Create the cluster from its template when it does not exist, or import it again (with
    ``force``) when a parameter differs, sending its other parameters as they are (an import
    replaces them all). Returns (view before (None: no cluster), view after, parameters after, the
    cluster's record after (None: not created yet, in check mode))."""
    name, wanted = params["name"], params.get("parameters") or {}
    record = adapter.cluster_record(name)
    if record is None:
        if template is None:
            raise ModuleError("template: CycleCloud has no cluster named %r; give template (with template_file or "
                              "template_text to import one) to create it" % name)
        before, parameters = None, dict(wanted)
    else:
        current = record.get("Parameters") or {}
        before = definition_view(params, record.get("TemplateName"), current)
        changed = sorted(k for k in wanted if not same_value(current.get(k), wanted[k]))
        other_template = template is not None and record.get("TemplateName") not in (None, template[0])
        if not changed and not other_template:
            return before, before, current, record
        if template is None:
            raise ModuleError("template: CycleCloud changes the parameters of a cluster (here %s) by importing it "
                              "again: give template (and template_file or template_text when it comes from a file)"
                              % ", ".join(changed))
        parameters = dict(current, **wanted)
    result["changed"] = True
    after = definition_view(params, template[0], parameters)
    if not check_mode:
        form = {"source": "standard", "template": template[0], "parameters": json.dumps(parameters),
                "parameters_format": "json"}
        if template[1] is not None:
            form["cluster"] = template[1]
        if record is not None:
            form["force"] = "true"  # replace the definition of the cluster that exists
        send_import(adapter, name, form, wanted, result)
        # every parameter as CycleCloud now has it (the template's defaults filled in)
        record = adapter.cluster_record(name) or record
        parameters = (record or {}).get("Parameters") or parameters
    return before, after, parameters, record


def definition_view(params, template_name, parameters):
    """The definition in the diff: the parameters the task sets (and the template when it names one)."""
    # a password parameter (a secret-looking name) is masked, the value CycleCloud had before too
    view = {"parameters": mask_secrets(dict((k, parameters.get(k)) for k in params.get("parameters") or {}))}
    if params.get("template") is not None:
        view["template"] = template_name
    return view


def send_import(adapter, name, form, wanted, result):
    try:
        adapter.import_cluster(name, form)
    except ApiError as exc:
        if not exc.uncertain:
            raise
        # the answer was lost: the cluster as it is now tells whether the import happened
        try:
            now = adapter.cluster_record(name)
        except ApiError as again:
            raise ModuleError("%s; the write may have happened or not: reading again to find out failed too (%s)"
                              % (exc, again))
        there = now is not None and all(same_value((now.get("Parameters") or {}).get(k), v) for k, v in wanted.items())
        if not there:
            raise ModuleError("%s; the write may not have happened: reading again found cluster %r %s"
                              % (exc, name, "missing" if now is None else "with other parameters"))
        result.setdefault("warnings", []).append("%s; reading again found cluster %r as asked, so the import took "
                                                 "effect" % (exc, name))


# -- the task ------------------------------------------------------------------------------------
def cluster_state(adapter, params, check_mode, want_diff):
    name, state = params["name"], params["state"]
    template = template_source(params)
    if params.get("retry_failed_nodes") and state != "started":
        raise ModuleError("retry_failed_nodes: failed nodes are retried only with state=started, not %s" % state)
    if params.get("force_delete") and state != "absent":
        raise ModuleError("force_delete: only with state=absent, not %s" % state)
    if state == "absent":
        return remove(adapter, params, check_mode, want_diff)
    result = {"changed": False}
    defined = None
    if template is not None or params.get("parameters") is not None or state == "present":
        defined = define(adapter, params, template, check_mode, result)
    created = defined is not None and defined[0] is None
    if state == "present" or (created and check_mode):
        # what show_cluster read is enough (a cluster created now is never started)
        record = defined[3] or {}
        status = {"state": record.get("State"), "targetState": record.get("TargetState"),
                  "nodes": record.get("Nodes") or []}
    else:
        status = adapter.status(name, nodes=True)
    result["cluster"] = cluster_view(name, status)
    before = {"state": status.get("state"), "target_state": status.get("targetState")}
    after = dict(before)
    if state != "present":
        after = run_state(adapter, params, status, check_mode, result, after)
    if defined is not None:
        result["cluster"]["parameters"] = mask_secrets(defined[2])
        before = None if created else dict(before, **defined[0])
        after.update(defined[1])
    if want_diff:
        result["diff"] = {"before": before or {}, "after": after}
    return result


def run_state(adapter, params, status, check_mode, result, after):
    """Start or terminate the cluster (and retry its failed nodes); returns the state view after."""
    name, state = params["name"], params["state"]
    action, target, settled_statuses = CLUSTER_STATES[state]
    # a cluster that was never started has no state at all: it counts as terminated
    done = status.get("targetState") == target or (state == "terminated" and not status.get("targetState"))
    result["changed"] = result["changed"] or not done
    if not done:
        after["target_state"] = target
    failed_nodes = [n.get("Name") for n in status.get("nodes") or [] if n.get("Status") == "Failed"]
    retry = state == "started" and params.get("retry_failed_nodes")
    if retry:
        result["retried"] = failed_nodes if failed_nodes else []
        result["changed"] = result["changed"] or bool(failed_nodes)
        after["failed_nodes"] = []
    if check_mode:
        return after
    if not done:
        adapter.cluster_action(name, action)
    if retry and failed_nodes:
        adapter.cluster_action(name, "retry")
    on_its_way = status.get("state") not in (None, target)  # e.g. still Starting
    if params.get("wait") and (not done or on_its_way or (retry and failed_nodes)):
        status = wait_for_cluster(adapter, name, state, target, settled_statuses, params, result)
        result["cluster"] = cluster_view(name, status)
        after.update(state=status.get("state"), target_state=status.get("targetState"))
    return after


def wait_for_cluster(adapter, name, state, target, settled_statuses, params, result):
    def read():
        return adapter.status(name, nodes=True)

    def settled(current):
        nodes = [n for n in current.get("nodes") or [] if state != "started" or n.get("TargetState") == "Started"]
        return current.get("state") == target and all(n.get("Status") in settled_statuses for n in nodes)

    def failed(current):
        result["cluster"] = cluster_view(name, current)
        return failure(current.get("nodes") or [], "the cluster to be %s" % state)

    def still(current):
        return "the cluster is still %s (%s)" % (current.get("state") or "not started", ", ".join(
            "%d %s" % (c, s) for s, c in sorted(status_counts(current.get("nodes") or []).items())) or "no nodes")

    try:
        return poll(read, settled, failed, still, "the cluster to be %s" % state, params, progress=adapter.progress)
    except ModuleError as exc:
        raise ModuleError(str(exc), result)


def remove(adapter, params, check_mode, want_diff):
    """Terminate the cluster when it runs, wait until every node is Off (CycleCloud deletes only a
    cluster that is not running; with force_delete, nodes whose termination Failed pass too), then
    delete it."""
    name = params["name"]
    status = adapter.status(name, nodes=True, missing_ok=True)
    result = {"changed": status is not None, "cluster": {}}
    before = {} if status is None else {"state": status.get("state"), "target_state": status.get("targetState")}
    if want_diff:
        result["diff"] = {"before": before, "after": {}}
    if status is None or check_mode:
        return result
    if status.get("targetState") == "Started" or any(n.get("Status") != "Off" for n in status.get("nodes") or []):
        if status.get("targetState") != "Terminated":
            adapter.cluster_action(name, "terminatecluster")
        force = params.get("force_delete")
        try:
            wait_for_cluster(adapter, name, "terminated", "Terminated", ("Off", "Failed") if force else ("Off",),
                             params, result)
        except ModuleError as exc:
            failed = (result.get("cluster") or {}).get("node_counts", {}).get("Failed")
            hint = " (force_delete deletes it anyway)" if failed and not force else ""
            raise ModuleError("%s; the cluster is kept%s" % (exc, hint), result)
    adapter.remove_cluster(name, force=params.get("force_delete"))
    return result
