# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the CycleCloud node modules do: a node array reaches a total, nodes reach a state
(a cluster's own life cycle is in _cyclecloud_cluster). Each task reads the cluster once,
decides, and sends only the actions still needed (none when everything is already there);
check mode takes the same decisions and sends nothing; ``wait`` follows the nodes until they
settle.

CycleCloud answers every action with 202 at once and works in the background, so a
"done" state is read from the nodes (``Status``), never from the operation.
"""

from __future__ import absolute_import, division, print_function

import uuid

from ansible_collections.statecraft.infra.plugins.module_utils._classad import compile_filter
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, poll
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

READY = "Ready"
FAILED = ("Failed", "Unavailable")
STOPPED = ("Off", "Terminated")

# state option -> (node action, TargetState it sets, whether a node that no longer exists has
# reached it, statuses that end the wait)
NODE_STATES = {
    "started": ("start", "Started", False, (READY,)),
    "terminated": ("terminate", "Terminated", True, STOPPED),
    "deallocated": ("deallocate", "Deallocated", False, ("Deallocated",)),
    "shut_down": ("shutdown", None, True, STOPPED + ("Deallocated",)),  # per node ShutdownPolicy
    "removed": ("remove", None, True, ()),
    # actions on running nodes (cyclecloud.md 2.1 #12, #13): the node stays Started and is Ready again after
    "restarted": ("restart", "Started", False, (READY,)),
    "reimaged": ("reimage", "Started", False, (READY,)),
}
# the Status a node shows while CycleCloud restarts or reimages it (cyclecloud.md 4.2 leaves it open; a node
# already in it is not sent the action again)
IN_ACTION = {"restarted": ("Restarting",), "reimaged": ("Reimaging",)}
SELECTORS = (("names", "Name"), ("ids", "NodeId"), ("hostnames", "Hostname"), ("ip_addresses", "PrivateIp"))


# -- reading the status ----------------------------------------------------------------------
def node_view(node):
    """A node as the modules return it: the attributes a playbook uses, snake_case."""
    view = {
        "name": node.get("Name"), "id": node.get("NodeId"), "node_array": node.get("Template"),
        "status": node.get("Status"), "target_state": node.get("TargetState"),
        "status_message": node.get("StatusMessage"), "hostname": node.get("Hostname"),
        "private_ip": node.get("PrivateIp"), "machine_type": node.get("MachineType"),
    }
    return dict((k, v) for k, v in view.items() if v is not None)


def node_array(status, cluster, name):
    for array in status.get("nodearrays") or []:
        if array.get("name") == name:
            return array
    known = ", ".join(sorted(a.get("name", "") for a in status.get("nodearrays") or [])) or "none"
    raise ModuleError("node_array: cluster %r has no node array %r (it has: %s)" % (cluster, name, known))


def counts(array):
    """Nodes and cores the node array holds now (buckets count nodes still starting too)."""
    buckets = array.get("buckets") or []
    return {"nodes": sum(b.get("activeCount") or 0 for b in buckets),
            "cores": sum(b.get("activeCoreCount") or 0 for b in buckets)}


def status_counts(nodes):
    found = {}
    for node in nodes:
        found[node.get("Status")] = found.get(node.get("Status"), 0) + 1
    return found


def failure(nodes, wanted):
    failed = [n for n in nodes if n.get("Status") in FAILED]
    if not failed:
        return None
    return "%d node(s) failed while waiting for %s: %s" % (len(failed), wanted, "; ".join(
        "%s %s: %s" % (n.get("Name"), n.get("Status"), n.get("StatusMessage") or "no status message")
        for n in failed))


def wait_for(read, settled, wanted, params, result, progress, what="nodes"):
    """Poll ``read() -> nodes`` until each is ``settled``; a Failed node ends it with its message.
    The result so far (changed, nodes) goes with a failure."""
    def still(nodes):
        busy = [n for n in nodes if not settled(n)]
        return "%s are still %s" % (what, ", ".join(
            "%s %s" % (n.get("Name"), n.get("Status")) for n in busy[:10]) or "not done")

    def failed(nodes):
        reason = failure(nodes, wanted)
        if reason:
            result["nodes"] = [node_view(n) for n in nodes]
        return reason

    try:
        return poll(read, lambda nodes: all(settled(n) for n in nodes), failed, still, wanted, params,
                    progress=progress)
    except ModuleError as exc:
        raise ModuleError(str(exc), result)


def request_id():
    """One-shot token: CycleCloud refuses a second request with it (409), so a resent POST
    cannot act twice."""
    return str(uuid.uuid4())


# -- cyclecloud_scale ------------------------------------------------------------------------
def booting(node):
    return node.get("TargetState") == "Started" and node.get("Status") not in (READY,) + FAILED


def scale(adapter, params, check_mode, want_diff):
    cluster, name = params["cluster"], params["node_array"]
    unit = "cores" if params.get("cores") is not None else "nodes"
    total = params[unit]
    if total < 0:
        raise ModuleError("%s: the total cannot be negative (%d)" % (unit, total))
    status = adapter.status(cluster, nodes=True)
    array = node_array(status, cluster, name)
    before = counts(array)
    # with wait, the task ends when the array's nodes still starting are Ready too (those of
    # an earlier run without wait), not only the ones it adds
    watched = set(n.get("Name") for n in status.get("nodes") or [] if n.get("Template") == name and booting(n))
    result = {"changed": False, "node_array": dict(name=name, cluster=cluster, added_nodes=0, **before),
              "nodes": []}
    after = dict(before)
    if before[unit] > total:
        result["warnings"] = ["node array %r holds %d %s, more than %d; scaling never removes nodes "
                              "(statecraft.infra.cyclecloud_node terminates chosen ones)" % (name, before[unit], unit, total)]
    if before[unit] < total:
        added, vcpus = add_nodes(adapter, cluster, array, (unit, total, params["on_shortfall"]), before, result,
                                 check_mode)
        after = {"nodes": before["nodes"] + added, "cores": before["cores"] + added * vcpus}
        result["node_array"].update(after, added_nodes=added)
    if want_diff:
        result["diff"] = {"before": before, "after": after}
    if not check_mode and params.get("wait"):
        if result.get("operation_id"):
            watched.update(n.get("Name") for n in adapter.nodes(cluster, operation=result["operation_id"]))
        if watched:
            nodes = wait_for(lambda: [n for n in adapter.nodes(cluster) if n.get("Name") in watched],
                             lambda n: n.get("Status") == READY, "the new nodes to be Ready", params, result,
                             adapter.progress)
            result["nodes"] = [node_view(n) for n in nodes]
    return result


def add_nodes(adapter, cluster, array, goal, before, result, check_mode):
    """Scale the node array up to the total of ``goal`` (unit, total, on_shortfall): (nodes added
    (or to be), vCPUs per node). CycleCloud adds what its limits and quota let it and says why
    not more (cyclecloud.md 4.1); on_shortfall=fail refuses that before sending, partial takes it
    with a warning naming the shortfall."""
    unit, total, on_shortfall = goal
    name = array.get("name")
    bucket = scale_bucket(array, cluster)
    vcpus = int(bucket["virtualMachine"]["vcpuCount"])
    needed = total - before["nodes"] if unit == "nodes" else -(-(total - before["cores"]) // vcpus)
    available = bucket.get("availableCount", 0)
    expected = needed
    if needed > available:
        limits = ("node array %r of cluster %r can take %d more %s node(s) now (limits: node array %d nodes / %d cores, "
                  "machine type quota and the cluster's limits); %d are needed to reach %d %s"
                  % (name, cluster, available, bucket["definition"]["machineType"], array.get("maxCount", 0),
                     array.get("maxCoreCount", 0), needed, total, unit))
        if on_shortfall == "fail":
            raise ModuleError("%s: %s. Nothing was changed (on_shortfall=partial takes what fits)." % (unit, limits))
        expected = available
        result.setdefault("warnings", []).append("%s: %d node(s) short of the %d needed; %s" % (
            "adding %d node(s)" % available if available else "adding none", needed - available, needed, limits))
        if not available:
            return 0, vcpus
    result["changed"] = True
    if check_mode:
        return expected, vcpus
    answer = send_scale(adapter, cluster, array, unit, total, before, result)
    added = sum(int(s.get("added") or 0) for s in answer.get("sets") or [])
    result["operation_id"] = answer.get("operationId")
    if added < expected:
        messages = "; ".join(s["message"] for s in answer.get("sets") or [] if s.get("message"))
        short = "CycleCloud added %d of the %d node(s) needed: %s" % (added, needed, messages or "no reason given")
        if on_shortfall == "fail":
            raise ModuleError(short, dict(result, changed=added > 0))
        result["changed"] = added > 0
        result.setdefault("warnings", []).append(short)
    return added, vcpus


def send_scale(adapter, cluster, array, unit, total, before, result):
    name = array.get("name")
    try:
        return adapter.scale(cluster, name, "totalCoreCount" if unit == "cores" else "totalNodeCount", total)
    except ApiError as exc:
        if not exc.uncertain:
            raise
        # the answer was lost: the node array as it is now tells whether the scale happened
        now = counts(node_array(read_again(adapter, cluster, exc), cluster, name))
        if now["nodes"] <= before["nodes"]:
            raise ModuleError("%s; the write may not have happened: reading again found node array %r still "
                              "at %d node(s)" % (exc, name, before["nodes"]))
        result.setdefault("warnings", []).append(
            "%s; reading again found node array %r at %d node(s), so the scale took effect" % (exc, name, now["nodes"]))
        return {"sets": [{"added": now["nodes"] - before["nodes"]}]}


def scale_bucket(array, cluster):
    """The bucket scale fills: the node array's first valid one (its first machine type)."""
    buckets = array.get("buckets") or []
    for bucket in buckets:
        if bucket.get("valid", True):
            return bucket
    reasons = sorted(set(b.get("invalidReason") or "invalid" for b in buckets)) or ["it has no machine type"]
    hint = " (start the cluster again to activate it)" if "NotActivated" in reasons else ""
    raise ModuleError("node_array: node array %r of cluster %r cannot take new nodes: %s%s"
                      % (array.get("name"), cluster, ", ".join(reasons), hint))


# -- cyclecloud_node -------------------------------------------------------------------------
def select_nodes(nodes, params):
    """The nodes the selectors name (a union, as CycleCloud reads them), and the names,
    ids, host names and addresses that match no node."""
    chosen, unmatched = {}, []
    for option, key in SELECTORS:
        for value in params.get(option) or []:
            found = [n for n in nodes if n.get(key) == value]
            if not found:
                unmatched.append((option, value))
            for node in found:
                chosen[node.get("NodeId") or node.get("Name")] = node
    if params.get("filter"):
        matches = compile_filter(params["filter"])
        for node in nodes:
            if matches(node):
                chosen[node.get("NodeId") or node.get("Name")] = node
    return list(chosen.values()), unmatched


def reached(node, state):
    """Whether a node is already where ``state`` takes it (so no request is needed for it)."""
    status, target = node.get("Status"), node.get("TargetState")
    if status in FAILED:
        return False  # a failed node is retried by the action (start, terminate, ...)
    if state == "started":
        return target == "Started"
    if state == "terminated":
        return target == "Terminated" or status in STOPPED
    if state == "deallocated":
        return target == "Deallocated"
    if state == "shut_down":
        return target in ("Terminated", "Deallocated") or status in STOPPED + ("Deallocated",)
    if state in IN_ACTION:
        return status in IN_ACTION[state]  # restarted, reimaged: an action, done again on every run
    return False  # removed: only a node that is gone


def new_node_sets(adapter, status, cluster, params, names):
    """``sets`` of a create request for nodes named exactly ``names`` (checked first)."""
    if params["state"] != "started":
        raise ModuleError("node_array: nodes are created only with state=started (creating a node starts it); "
                          "not found in cluster %r: %s" % (cluster, ", ".join(names)))
    array = node_array(status, cluster, params["node_array"])
    types = [b["definition"]["machineType"] for b in array.get("buckets") or [] if b.get("definition")]
    if params.get("machine_type") and params["machine_type"] not in types:
        raise ModuleError("machine_type: node array %r offers %s, not %r"
                          % (params["node_array"], ", ".join(types) or "no machine type", params["machine_type"]))
    sets = []
    for name in names:
        if "%" in name:
            raise ModuleError("names: %r: a new node's name cannot contain %%" % name)
        one = {"nodearray": params["node_array"], "count": 1, "nameFormat": name}
        if params.get("machine_type"):
            one["definition"] = {"machineType": params["machine_type"]}
        if params.get("placement_group_id"):
            one["placementGroupId"] = params["placement_group_id"]
        if params.get("node_attributes"):
            one["nodeAttributes"] = params["node_attributes"]
        sets.append(one)
    return sets


def read_again(adapter, cluster, write_error):
    """The cluster's status after a write whose answer was lost."""
    try:
        return adapter.status(cluster, nodes=True)
    except ApiError as exc:
        raise ModuleError("%s; the write may have happened or not: reading again to find out failed too (%s)"
                          % (write_error, exc))


def create_nodes(adapter, cluster, sets, result):
    """POST the new nodes. When the answer is lost, the nodes the cluster has now say what
    happened: the sets are reported as the server took them, or the task fails saying the
    write may not have happened."""
    try:
        return adapter.create_nodes(cluster, sets, request_id())
    except ApiError as exc:
        if not exc.uncertain:
            raise
        there = set(n.get("Name") for n in read_again(adapter, cluster, exc).get("nodes") or [])
        missing = [s["nameFormat"] for s in sets if s["nameFormat"] not in there]
        if len(missing) == len(sets):
            raise ModuleError("%s; the write may not have happened: reading again found no node %s"
                              % (exc, ", ".join(missing)))
        result.setdefault("warnings", []).append(
            "%s; reading again found the new node(s), so the create took effect" % exc)
        return {"sets": [{"added": s["nameFormat"] in there, "message": "not found after the lost answer"}
                         for s in sets]}


def node_state(adapter, params, check_mode, want_diff):
    cluster, state = params["cluster"], params["state"]
    action, target, gone_is_done, settled_statuses = NODE_STATES[state]
    status = adapter.status(cluster, nodes=True)
    chosen, unmatched = select_nodes(status.get("nodes") or [], params)
    missing_names = [v for option, v in unmatched if option == "names"]
    if unmatched and not gone_is_done and not (params.get("node_array") and len(missing_names) == len(unmatched)):
        raise ModuleError("%s: cluster %r has no such node: %s%s" % (
            unmatched[0][0], cluster, ", ".join(v for _o, v in unmatched),
            " (set node_array to create nodes by name)" if state == "started" else ""))
    if params.get("node_array") and not missing_names:
        node_array(status, cluster, params["node_array"])  # a wrong node array is an error even when unused
    sets = new_node_sets(adapter, status, cluster, params, missing_names) if missing_names and not gone_is_done else []
    acting = [n for n in chosen if not reached(n, state)]
    if state in IN_ACTION:
        not_ready = [n for n in acting if n.get("Status") != READY]
        if not_ready:
            raise ModuleError("state: only Ready nodes can be %s; %s (start them first with state=started)" % (
                state, ", ".join("%s is %s" % (n.get("Name"), n.get("Status")) for n in not_ready)))
    result = {"changed": bool(acting or sets), "created": [s["nameFormat"] for s in sets],
              "acted_on": [n.get("Name") for n in acting]}
    before = dict((n.get("Name"), settled_view(n)) for n in chosen)
    if not check_mode:
        if sets:
            answer = create_nodes(adapter, cluster, sets, result)
            short = [(s["nameFormat"], r.get("message")) for s, r in zip(sets, answer.get("sets") or [])
                     if not r.get("added")]
            if short:
                # a node another run created meanwhile is there as wanted; others are errors
                there = set(n.get("Name") for n in adapter.nodes(cluster))
                result["created"] = [s["nameFormat"] for s, r in zip(sets, answer.get("sets") or [])
                                     if r.get("added")]
                result["changed"] = bool(acting or result["created"])
                short = [(n, m) for n, m in short if n not in there]
                if short:
                    raise ModuleError("CycleCloud did not create %s" % "; ".join(
                        "%s (%s)" % (n, m or "no reason given") for n, m in short), dict(result))
        if acting:
            answer = adapter.node_action(cluster, action, [n.get("NodeId") for n in acting], request_id())
            errors = [n for n in answer.get("nodes") or [] if n.get("status") == "Error"]
            if errors:
                raise ModuleError("CycleCloud refused to %s %s" % (action, "; ".join(
                    "%s: %s" % (n.get("name"), n.get("error") or "no reason given") for n in errors)),
                    dict(result, changed=len(errors) < len(acting) or bool(sets)))
    names = set(before) | set(result["created"])
    if check_mode or not result["changed"] or not params.get("wait"):
        after = dict(before)
        for node in acting:
            after[node.get("Name")] = None if state == "removed" else {"target_state": target_of(node, state)}
        for name in result["created"]:
            after[name] = {"target_state": "Started"}
        if not check_mode and result["changed"]:
            now = adapter.nodes(cluster)
            result["nodes"] = [node_view(n) for n in now if n.get("Name") in names]
        else:
            result["nodes"] = [node_view(n) for n in chosen]
    else:
        def read():
            return [n for n in adapter.nodes(cluster) if n.get("Name") in names]

        def settled(node):
            return node.get("Status") in settled_statuses

        wanted = "the nodes to be %s" % state.replace("_", " ")
        present = wait_for(read, settled, wanted, params, result, adapter.progress)
        if not gone_is_done and len(present) < len(names):
            gone = sorted(names - set(n.get("Name") for n in present))
            raise ModuleError("node(s) %s disappeared while waiting for %s" % (", ".join(gone), wanted), result)
        result["nodes"] = [node_view(n) for n in present]
        after = dict((n.get("Name"), settled_view(n)) for n in present)
    for node in acting:
        if state in IN_ACTION and after.get(node.get("Name")):
            # a restart or reimage ends where it began: the diff names what was done
            after[node.get("Name")] = dict(after[node.get("Name")], action=action)
    if want_diff:
        result["diff"] = {"before": before, "after": dict((k, v) for k, v in after.items() if v is not None)}
    return result


def target_of(node, state):
    """The TargetState an action gives a node; shutdown follows the node's ShutdownPolicy."""
    if state == "shut_down":
        return "Deallocated" if node.get("ShutdownPolicy") == "Deallocate" else "Terminated"
    return NODE_STATES[state][1]


def settled_view(node):
    return {"status": node.get("Status"), "target_state": node.get("TargetState")}


# -- cyclecloud_cluster_info -----------------------------------------------------------------
def cluster_info(adapter, params):
    status = adapter.status(params["name"], nodes=True, missing_ok=True)
    if status is None:
        return {"exists": False, "cluster": {}}
    nodes = status.get("nodes") or []
    cluster = dict(status, name=params["name"], status_counts=status_counts(nodes))
    if not params.get("nodes"):
        cluster.pop("nodes", None)
        for array in cluster.get("nodearrays") or []:
            for bucket in array.get("buckets") or []:
                bucket.pop("activeNodes", None)
    return {"exists": True, "cluster": cluster}
