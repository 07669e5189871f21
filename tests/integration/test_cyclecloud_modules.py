# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CycleCloud modules through ansible-playbook against the CycleCloud emulator
(tests/emulators/cyclecloud_emulator.py, seeded with its default fixture: cluster ``hpc``
started, with ``scheduler``, node arrays ``execute`` (execute-1, execute-2; 4-vCPU nodes),
``gpu`` and ``login`` (login-1, ShutdownPolicy Deallocate); cluster ``maint`` never started).

Evidence comes from the emulator's request log: what reached the server.
"""

from __future__ import absolute_import, division, print_function

import copy
import json

import pytest
import requests

# an operator account whose password is the second encoded-key vector of cyclecloud.md 1.2
OPERATOR, OPERATOR_PASSWORD = "operator", "Adm1n-pass!word"
OPERATOR_KEY = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae7c1d4965e0b4725c007aaf96bf034859b6c6d48ab1c9a"
FAST = {"wait_sleep": 0.2}


@pytest.fixture(scope="module")
def cyclecloud():
    from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["users"][OPERATOR] = OPERATOR_PASSWORD
    # 120 emulated seconds per real second: a node boots (20 s + 40 s) in half a second
    emulator = CycleCloudEmulator(speed=120.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def lab(cyclecloud, emulated_lab):
    cyclecloud.clock.speed = 120.0
    cyclecloud.reset()
    return emulated_lab(cyclecloud, "cyclecloud",
                        {"url": cyclecloud.url, "username": cyclecloud.username, "password": cyclecloud.password})


def ok(run, task="t"):
    assert run.rc == 0, run.output
    return run.task(task)


def failed(run, task="t"):
    result = run.task(task)
    assert result["_status"] == "failed", result
    return result


def posts(run):
    return [(r["method"], r["path"]) for r in run.requests if r["method"] != "GET"]


def node_names(emulator, cluster, array):
    return sorted(n["Name"] for n in emulator.nodes(cluster) if n.get("Template") == array)


# -- cyclecloud_scale ------------------------------------------------------------------------
def test_scale_by_nodes_contract(lab):
    task = lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=4, **FAST)

    run = lab.play(task, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == []
    assert result["diff"] == {"before": {"nodes": 2, "cores": 8}, "after": {"nodes": 4, "cores": 16}}
    assert node_names(lab.emulator, "hpc", "execute") == ["execute-1", "execute-2"]

    run = lab.play(task, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/clusters/hpc/scale/execute")]
    assert run.writes[0]["query"] == {"totalNodeCount": "4"}
    assert result["diff"]["after"] == {"nodes": 4, "cores": 16}
    assert sorted(n["name"] for n in result["nodes"]) == ["execute-3", "execute-4"]
    assert {n["status"] for n in result["nodes"]} == {"Ready"}  # waited
    assert {n["Status"] for n in lab.emulator.nodes("hpc") if n["Template"] == "execute"} == {"Ready"}

    for check in (False, True):
        run = lab.play(task, check=check, diff=True)
        result = ok(run)
        assert not result["changed"] and posts(run) == []
        assert result["diff"]["before"] == result["diff"]["after"] == {"nodes": 4, "cores": 16}


def test_scale_by_cores_rounds_up_to_whole_nodes(lab):
    lab.emulator.clock.speed = 0  # time stands still until the test moves it
    task = lab.task("cyclecloud_scale", cluster="hpc", nodearray="execute", cores=18, wait=False)
    run = lab.play(task, check=True)
    assert ok(run)["node_array"]["added_nodes"] == 3 and posts(run) == []
    run = lab.play(task)
    result = ok(run)
    assert result["changed"] and run.writes[0]["query"] == {"totalCoreCount": "18"}
    assert result["node_array"]["cores"] == 20 and node_names(lab.emulator, "hpc", "execute")[-1] == "execute-5"
    # the nodes still starting count: no second request while they boot
    run = lab.play(task)
    assert not ok(run)["changed"] and posts(run) == []
    # and with wait, the task ends when they are Ready
    booted = lab.advance_when("/clusters/hpc/nodes", 120)
    run = lab.play(task.replace("wait: false", "wait: true\n    wait_sleep: 0.2"))
    booted.join()
    result = ok(run)
    assert not result["changed"] and posts(run) == []
    assert [r["path"] for r in run.requests].count("/clusters/hpc/nodes") >= 2  # it waited
    assert sorted((n["name"], n["status"]) for n in result["nodes"]) == [
        ("execute-3", "Ready"), ("execute-4", "Ready"), ("execute-5", "Ready")]


def test_scale_never_shrinks(lab):
    run = lab.play(lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=1))
    result = ok(run)
    assert not result["changed"] and posts(run) == []
    assert "scaling never removes nodes" in run.output and "cyclecloud_node" in run.output
    assert node_names(lab.emulator, "hpc", "execute") == ["execute-1", "execute-2"]


@pytest.mark.parametrize("options,message", [
    ({"cluster": "nope", "node_array": "execute", "nodes": 3}, "cluster: CycleCloud has no cluster named 'nope'"),
    ({"cluster": "hpc", "node_array": "compute", "nodes": 3},
     "node_array: cluster 'hpc' has no node array 'compute' (it has: execute, gpu, login)"),
    ({"cluster": "hpc", "node_array": "execute", "nodes": 3, "cores": 12}, "mutually exclusive: nodes|cores"),
    ({"cluster": "hpc", "node_array": "execute"}, "one of the following is required: nodes, cores"),
    ({"cluster": "hpc", "node_array": "execute", "nodes": -1}, "nodes: the total cannot be negative"),
    ({"cluster": "hpc", "node_array": "execute", "nodes": 30}, "nodes: node array 'execute' of cluster 'hpc' can take"),
    ({"cluster": "hpc", "node_array": "execute", "cores": 100}, "23 are needed to reach 100 cores. Nothing was changed"),
])
def test_scale_bad_input_fails_before_any_post(lab, options, message):
    run = lab.play(lab.task("cyclecloud_scale", **options))
    assert message in failed(run)["msg"]
    assert posts(run) == []


def test_scale_wait_fails_with_the_failed_nodes_messages(lab):
    lab.emulator.fail_next("hpc", nodearray="execute", count=1, phase="Allocation",
                           message="Allocation failed: OverconstrainedAllocationRequest")
    run = lab.play(lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=4, **FAST))
    result = failed(run)
    assert result["changed"] and posts(run) == [("POST", "/clusters/hpc/scale/execute")]
    assert "1 node(s) failed while waiting for the new nodes to be Ready" in result["msg"]
    assert "Failed: Allocation failed: OverconstrainedAllocationRequest" in result["msg"]
    assert [n["status"] for n in result["nodes"]].count("Failed") == 1


def test_scale_wait_timeout_names_the_nodes_still_starting(lab):
    run = lab.play(lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=3, wait_timeout=0))
    result = failed(run)
    assert result["changed"] and "wait_timeout: nodes are still execute-3 Allocation after 0 s" in result["msg"]


# -- cyclecloud_node -------------------------------------------------------------------------
def test_node_deallocate_start_terminate_contract(lab):
    emu = lab.emulator
    deallocate = lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="deallocated", **FAST)

    run = lab.play(deallocate, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == [] and result["acted_on"] == ["execute-1"]
    assert result["diff"] == {"before": {"execute-1": {"status": "Ready", "target_state": "Started"}},
                              "after": {"execute-1": {"target_state": "Deallocated"}}}

    run = lab.play(deallocate, diff=True)
    result = ok(run)
    assert posts(run) == [("POST", "/clusters/hpc/nodes/deallocate")]
    assert run.writes[0]["body"]["ids"] == [emu.node("hpc", "execute-1")["NodeId"]]
    assert result["diff"]["after"] == {"execute-1": {"status": "Deallocated", "target_state": "Deallocated"}}
    assert emu.node("hpc", "execute-1")["Status"] == "Deallocated"

    run = lab.play(deallocate, check=True)
    assert not ok(run)["changed"] and posts(run) == []
    run = lab.play(deallocate)
    assert not ok(run)["changed"] and posts(run) == []

    start = lab.task("cyclecloud_node", cluster="hpc", ids=[emu.node("hpc", "execute-1")["NodeId"]], **FAST)
    run = lab.play(start)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/clusters/hpc/nodes/start")]
    assert result["nodes"][0]["status"] == "Ready"
    assert not ok(lab.play(start))["changed"]

    hostname = emu.node("hpc", "execute-2")["Hostname"]
    terminate = lab.task("cyclecloud_node", cluster="hpc", hostnames=[hostname], state="terminated", **FAST)
    run = lab.play(terminate)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/clusters/hpc/nodes/terminate")]
    # a node array node leaves the cluster once Off
    assert (emu.node("hpc", "execute-2") or {"Status": "Off"})["Status"] == "Off"
    run = lab.play(terminate)
    assert not ok(run)["changed"] and posts(run) == []


def test_node_selectors_are_a_union_and_only_the_nodes_not_there_are_sent(lab):
    emu = lab.emulator
    run = lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="terminated", wait=False))
    assert ok(run)["changed"]
    both = lab.task("cyclecloud_node", cluster="hpc", state="terminated", filter='Template == "execute"',
                    ip_addresses=[emu.node("hpc", "login-1")["PrivateIp"]], **FAST)
    ids = sorted(emu.node("hpc", n)["NodeId"] for n in ("execute-2", "login-1"))
    run = lab.play(both)
    result = ok(run)
    assert sorted(result["acted_on"]) == ["execute-2", "login-1"]  # execute-1 is already terminating
    assert posts(run) == [("POST", "/clusters/hpc/nodes/terminate")] and sorted(run.writes[0]["body"]["ids"]) == ids
    assert {n["Status"] for n in emu.nodes("hpc") if n["Name"] != "scheduler"} <= {"Off"}
    assert not ok(lab.play(both))["changed"]


def test_node_shut_down_follows_the_shutdown_policy(lab):
    task = lab.task("cyclecloud_node", cluster="hpc", names=["login-1"], state="shut_down", **FAST)
    run = lab.play(task, check=True, diff=True)
    assert ok(run)["diff"]["after"] == {"login-1": {"target_state": "Deallocated"}} and posts(run) == []
    run = lab.play(task)
    assert ok(run)["nodes"][0]["status"] == "Deallocated"
    assert posts(run) == [("POST", "/clusters/hpc/nodes/shutdown")]
    assert not ok(lab.play(task))["changed"]


def test_node_removed_takes_fixed_nodes_out_too(lab):
    task = lab.task("cyclecloud_node", cluster="hpc", names=["scheduler"], state="removed", **FAST)
    run = lab.play(task, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/clusters/hpc/nodes/remove")]
    assert result["diff"]["after"] == {} and lab.emulator.node("hpc", "scheduler") is None
    run = lab.play(task)
    assert not ok(run)["changed"] and posts(run) == []


def test_node_create_by_name(lab):
    emu = lab.emulator
    task = lab.task("cyclecloud_node", cluster="hpc", names=["execute-1", "big-1"], node_array="execute",
                    machine_type="Standard_F8s_v2", node_attributes={"KeepAlive": True}, **FAST)
    run = lab.play(task, check=True)
    result = ok(run)
    assert result["changed"] and result["created"] == ["big-1"] and result["acted_on"] == [] and posts(run) == []

    run = lab.play(task)
    result = ok(run)
    assert posts(run) == [("POST", "/clusters/hpc/nodes/create")]
    body = run.writes[0]["body"]
    assert body["sets"] == [{"nodearray": "execute", "count": 1, "nameFormat": "big-1",
                             "definition": {"machineType": "Standard_F8s_v2"}, "nodeAttributes": {"KeepAlive": True}}]
    assert body["requestId"]
    big = emu.node("hpc", "big-1")
    assert (big["Status"], big["MachineType"], big["KeepAlive"]) == ("Ready", "Standard_F8s_v2", True)
    assert {n["name"]: n["status"] for n in result["nodes"]} == {"execute-1": "Ready", "big-1": "Ready"}

    run = lab.play(task)
    assert not ok(run)["changed"] and posts(run) == []


@pytest.mark.parametrize("options,message", [
    ({"names": ["ghost"]}, "names: cluster 'hpc' has no such node: ghost (set node_array to create nodes by name)"),
    ({"names": ["ghost"], "state": "deallocated"}, "names: cluster 'hpc' has no such node: ghost"),
    ({"names": ["big-1"], "node_array": "execute", "machine_type": "Standard_X"},
     "machine_type: node array 'execute' offers Standard_F4s_v2, Standard_F8s_v2, not 'Standard_X'"),
    ({"names": ["big-1"], "node_array": "nodes"}, "node_array: cluster 'hpc' has no node array 'nodes'"),
    ({"filter": 'Status == "Ready" &&'}, "filter: expected more"),
    ({"state": "started"}, "one of the following is required: names, ids, hostnames, ip_addresses, filter"),
    ({"names": ["execute-1"], "cluster": "nope"}, "cluster: CycleCloud has no cluster named 'nope'"),
])
def test_node_bad_input_fails_before_any_post(lab, options, message):
    options.setdefault("cluster", "hpc")
    run = lab.play(lab.task("cyclecloud_node", **options))
    assert message in failed(run)["msg"]
    assert posts(run) == []


def test_node_missing_is_terminated_already(lab):
    run = lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["ghost"], state="terminated"))
    assert not ok(run)["changed"] and posts(run) == []


def test_node_wait_reports_a_failed_start(lab):
    emu = lab.emulator
    ok(lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="deallocated", **FAST)))
    emu.fail_next("hpc", node="execute-1", phase="Preparing", message="cluster-init script failed: exit code 2")
    run = lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], **FAST))
    result = failed(run)
    assert result["changed"] and "execute-1 Failed: cluster-init script failed: exit code 2" in result["msg"]
    # a failed node is not "started": the next run sends the start again
    run = lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], **FAST))
    assert ok(run)["changed"] and posts(run) == [("POST", "/clusters/hpc/nodes/start")]


# -- cyclecloud_cluster ----------------------------------------------------------------------
def test_cluster_start_and_terminate_contract(lab):
    emu = lab.emulator
    start = lab.task("cyclecloud_cluster", name="maint", state="started", **FAST)

    run = lab.play(start, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == []
    assert result["diff"] == {"before": {"state": None, "target_state": None},
                              "after": {"state": None, "target_state": "Started"}}

    run = lab.play(start, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/cloud/actions/startcluster/maint")]
    assert result["cluster"]["state"] == "Started" and result["cluster"]["node_counts"] == {"Ready": 3}
    assert result["diff"]["after"] == {"state": "Started", "target_state": "Started"}

    for check in (True, False):
        run = lab.play(start, check=check)
        assert not ok(run)["changed"] and posts(run) == []

    terminate = lab.task("cyclecloud_cluster", cluster="maint", state="terminated", **FAST)
    run = lab.play(terminate, diff=True)
    result = ok(run)
    assert result["changed"] and posts(run) == [("POST", "/cloud/actions/terminatecluster/maint")]
    assert result["cluster"]["node_counts"] == {"Off": 1}  # execute nodes left, master stays Off
    assert [n["Name"] for n in emu.nodes("maint")] == ["master"]
    run = lab.play(terminate)
    assert not ok(run)["changed"] and posts(run) == []


def test_cluster_never_started_counts_as_terminated(lab):
    run = lab.play(lab.task("cyclecloud_cluster", name="maint", state="terminated"))
    assert not ok(run)["changed"] and posts(run) == []


def test_cluster_unknown_fails_before_any_post(lab):
    run = lab.play(lab.task("cyclecloud_cluster", name="nope"))
    assert "cluster: CycleCloud has no cluster named 'nope'" in failed(run)["msg"] and posts(run) == []


def test_cluster_start_wait_reports_failed_nodes(lab):
    lab.emulator.fail_next("maint", nodearray="execute", count=1, phase="Preparing", message="jetpack: cannot reach the server")
    run = lab.play(lab.task("cyclecloud_cluster", name="maint", **FAST))
    result = failed(run)
    assert result["changed"] and "Failed: jetpack: cannot reach the server" in result["msg"]
    assert result["cluster"]["node_counts"].get("Failed") == 1


# -- cyclecloud_cluster_info -----------------------------------------------------------------
def test_cluster_info(lab):
    run = lab.play(lab.task("cyclecloud_cluster_info", name="hpc", _task="plain") + "\n"
                   + lab.task("cyclecloud_cluster_info", cluster="hpc", nodes=True, _task="nodes") + "\n"
                   + lab.task("cyclecloud_cluster_info", name="nope", _task="missing"), check=True)
    plain, with_nodes, missing = ok(run, "plain"), ok(run, "nodes"), ok(run, "missing")
    assert not plain["changed"] and plain["exists"] and "nodes" not in plain["cluster"]
    cluster = plain["cluster"]
    assert (cluster["name"], cluster["state"], cluster["maxCount"]) == ("hpc", "Started", 50)
    assert [a["name"] for a in cluster["nodearrays"]] == ["execute", "gpu", "login"]
    execute = cluster["nodearrays"][0]
    assert [b["definition"]["machineType"] for b in execute["buckets"]] == ["Standard_F4s_v2", "Standard_F8s_v2"]
    assert sum(b["activeCount"] for b in execute["buckets"]) == 2 and cluster["status_counts"] == {"Ready": 4}
    assert sorted(n["Name"] for n in with_nodes["cluster"]["nodes"]) == ["execute-1", "execute-2", "login-1", "scheduler"]
    assert missing == dict(missing, exists=False, cluster={}, changed=False)
    assert posts(run) == []


# -- connection ------------------------------------------------------------------------------
def test_config_file_fallback_in_a_temporary_home(lab, tmp_path):
    home = tmp_path / "home"
    (home / ".cycle").mkdir(parents=True)
    (home / ".cycle" / "config.ini").write_text(
        "[cycleserver]\nurl = %s\nusername = %s\nkey = %s\nauth_option = username_password\nverify_certificates = true\n"
        % (lab.emulator.url, OPERATOR, OPERATOR_KEY))
    other = tmp_path / "other.ini"
    other.write_text("[cycleserver]\nurl = %s\nusername = %s\npassword = wrong\n[cyclecloud]\npassword = %s\n"
                     % (lab.emulator.url, lab.emulator.username, lab.emulator.password))
    tasks = "\n".join([
        lab.task("cyclecloud_cluster_info", name="hpc", _task="home"),
        lab.task("cyclecloud_cluster_info", name="hpc", config_file=str(other), _task="other"),
        lab.task("cyclecloud_cluster_info", name="hpc", config_file=str(tmp_path / "missing.ini"), _task="missing"),
    ])
    run = lab.play(tasks + "\n  ignore_errors: true", connection=False, env={"HOME": str(home)}, verbosity=4)
    assert ok(run, "home")["exists"] and ok(run, "other")["exists"]
    assert "config_file: cannot read %s" % (tmp_path / "missing.ini") in run.task("missing")["msg"]
    users = [r["authorization"] for r in run.requests]
    assert users and set(users) == {"Basic"}
    for secret in (OPERATOR_PASSWORD, lab.emulator.password, OPERATOR_KEY):
        assert secret not in run.output + json.dumps(run.tasks)


def test_wrong_password_is_reported_without_it(lab):
    wrong = "not-the-password-" + lab.emulator.password[::-1]
    run = lab.play(lab.task("cyclecloud_cluster_info", name="hpc", url=lab.emulator.url, username="admin",
                            password=wrong), connection=False, verbosity=4)
    result = failed(run)
    assert "HTTP 401" in result["msg"]
    assert wrong not in run.output + json.dumps(run.tasks)


def test_password_never_in_output(lab):
    tasks = "\n".join([
        lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=3, _task="scale", **FAST),
        lab.task("cyclecloud_node", cluster="hpc", names=["execute-3"], state="removed", _task="node", **FAST),
        lab.task("cyclecloud_scale", cluster="hpc", node_array="nope", nodes=3, _task="bad"),
    ])
    run = lab.play(tasks + "\n  ignore_errors: true", diff=True, verbosity=4)
    assert ok(run, "scale")["changed"] and ok(run, "node")["changed"] and run.task("bad")["_status"] == "failed"
    assert lab.emulator.password not in run.output + json.dumps(run.tasks)


def test_throttling_is_retried_after_retry_after(lab):
    lab.emulator.faults.add(path="^/clusters/hpc/status$", method="GET", status=429, retry_after=1, count=1)
    run = lab.play(lab.task("cyclecloud_scale", cluster="hpc", node_array="execute", nodes=2))
    assert not ok(run)["changed"]
    assert [r["status"] for r in run.requests] == [429, 200]


# -- cyclecloud_scale: on_shortfall (cyclecloud.md 4.1: the API adds what fits and says why not more) --
def test_scale_partial_takes_what_fits_with_a_warning(lab):
    # execute: 2 nodes, MaxCount 10, MaxCoreCount 64 (4 vCPUs each): 8 more fit
    options = dict(cluster="hpc", node_array="execute", nodes=30, on_shortfall="partial", **FAST)
    tasks = "\n".join([lab.task("cyclecloud_scale", _task="predicted", **options) + "\n  check_mode: true",
                       lab.task("cyclecloud_scale", _task="scaled", **options),
                       lab.task("cyclecloud_scale", _task="again", **options)])
    run = lab.play(tasks, diff=True)
    predicted, scaled, again = ok(run, "predicted"), ok(run, "scaled"), ok(run, "again")
    assert predicted["changed"] and predicted["node_array"]["added_nodes"] == 8
    assert predicted["diff"] == scaled["diff"] == {"before": {"nodes": 2, "cores": 8}, "after": {"nodes": 10, "cores": 40}}
    assert "adding 8 node(s): 20 node(s) short of the 28 needed; node array 'execute' of cluster 'hpc' can take 8 more" \
        in predicted["warnings"][0]
    assert scaled["changed"] and scaled["node_array"] == predicted["node_array"]
    assert posts(run) == [("POST", "/clusters/hpc/scale/execute")] and run.writes[0]["query"] == {"totalNodeCount": "30"}
    assert len(scaled["nodes"]) == 8 and {n["status"] for n in scaled["nodes"]} == {"Ready"}
    # nothing fits any more: no request, no change, the warning again
    assert not again["changed"] and "adding none: 20 node(s) short" in again["warnings"][0]
    assert node_names(lab.emulator, "hpc", "execute") == ["execute-%d" % i for i in (1, 10, 2, 3, 4, 5, 6, 7, 8, 9)]


# -- cyclecloud_node: restarted, reimaged (cyclecloud.md 2.1 #12, #13) ---------------------------
def test_node_restart_and_reimage(lab):
    emu = lab.emulator
    tasks = "\n".join([
        lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="restarted", _task="predicted")
        + "\n  check_mode: true",
        lab.task("cyclecloud_node", cluster="hpc", names=["execute-1"], state="restarted", _task="restarted", **FAST),
        lab.task("cyclecloud_node", cluster="hpc", filter='Template == "login"', state="reimaged", _task="reimaged",
                 wait=False),
    ])
    run = lab.play(tasks, diff=True)
    predicted, restarted = ok(run, "predicted"), ok(run, "restarted")
    assert predicted["changed"] and predicted["acted_on"] == ["execute-1"]
    assert predicted["diff"]["after"] == {"execute-1": {"target_state": "Started", "action": "restart"}}
    assert restarted["changed"] and restarted["nodes"][0]["status"] == "Ready"
    assert restarted["diff"]["after"] == {"execute-1": {"status": "Ready", "target_state": "Started", "action": "restart"}}
    assert ok(run, "reimaged")["acted_on"] == ["login-1"]
    assert posts(run) == [("POST", "/clusters/hpc/nodes/restart"), ("POST", "/clusters/hpc/nodes/reimage")]
    assert run.writes[0]["body"]["ids"] == [emu.node("hpc", "execute-1")["NodeId"]]

    ok(lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-2"], state="deallocated", **FAST)))
    run = lab.play(lab.task("cyclecloud_node", cluster="hpc", names=["execute-1", "execute-2"], state="restarted"))
    assert "state: only Ready nodes can be restarted; execute-2 is Deallocated" in failed(run)["msg"]
    assert posts(run) == []


# -- cyclecloud_cluster: the life cycle (cyclecloud.md 2.2 import_cluster, removecluster, retry) --------
def lab_cluster(lab, _task="t", **options):
    from cyclecloud_emulator import SAMPLE_TEMPLATE

    options = dict({"name": "lab", "template_text": SAMPLE_TEMPLATE,
                    "parameters": {"SubnetId": "lab-rg/lab-vnet/compute", "MaxExecuteNodes": 6}}, **options)
    return lab.task("cyclecloud_cluster", _task=_task, **options)


def test_cluster_built_from_nothing_started_scaled_torn_down(lab):
    """A cluster described in the playbook: created from its template file, started, scaled, a node
    restarted, deleted."""
    from cyclecloud_emulator import SAMPLE_TEMPLATE

    template = lab.file("lab-cluster.txt", SAMPLE_TEMPLATE)
    tasks = "\n".join([
        lab.task("cyclecloud_cluster", _task="cluster", name="lab", template_file=template, state="started",
                 parameters={"SubnetId": "lab-rg/lab-vnet/compute", "InitialExecuteNodes": 1}, **FAST),
        lab.task("cyclecloud_scale", _task="scale", cluster="lab", node_array="execute", nodes=3, **FAST),
        lab.task("cyclecloud_node", _task="restart", cluster="lab", names=["scheduler"], state="restarted", **FAST),
        lab.task("cyclecloud_cluster", _task="gone", name="lab", state="absent", **FAST),
    ])
    run = lab.play(tasks, diff=True)
    cluster, scale, gone = ok(run, "cluster"), ok(run, "scale"), ok(run, "gone")
    assert cluster["changed"] and cluster["cluster"]["state"] == "Started"
    assert cluster["cluster"]["node_counts"] == {"Ready": 2}   # the scheduler and InitialCount execute nodes
    assert cluster["diff"]["before"] == {}
    assert cluster["diff"]["after"]["parameters"] == {"SubnetId": "lab-rg/lab-vnet/compute", "InitialExecuteNodes": 1}
    assert scale["node_array"]["added_nodes"] == 2 and {n["status"] for n in scale["nodes"]} == {"Ready"}
    assert ok(run, "restart")["changed"]
    assert gone["changed"] and gone["diff"] == {"before": {"state": "Started", "target_state": "Started"},
                                                "after": {}}
    assert posts(run) == [("POST", "/cloud/api/import_cluster/lab"), ("POST", "/cloud/actions/startcluster/lab"),
                          ("POST", "/clusters/lab/scale/execute"), ("POST", "/clusters/lab/nodes/restart"),
                          ("POST", "/cloud/actions/terminatecluster/lab"),
                          ("POST", "/cloud/actions/removecluster/lab")]
    form = run.writes[0]["body"]
    assert form["cluster"] == SAMPLE_TEMPLATE and form["template"] == "simple" and "force" not in form
    assert json.loads(form["parameters"]) == {"SubnetId": "lab-rg/lab-vnet/compute", "InitialExecuteNodes": 1}
    with pytest.raises(KeyError):
        lab.emulator.status("lab")


def test_cluster_definition_contract(lab):
    emu = lab.emulator
    create = lab_cluster(lab, state="present")
    run = lab.play(create + "\n  check_mode: true\n" + create.replace("name: t", "name: created", 1), diff=True)
    predicted, created = ok(run), ok(run, "created")
    assert predicted["changed"] and created["changed"]
    assert predicted["diff"] == created["diff"] == {"before": {}, "after": {
        "state": None, "target_state": None, "parameters": {"SubnetId": "lab-rg/lab-vnet/compute", "MaxExecuteNodes": 6}}}
    assert posts(run) == [("POST", "/cloud/api/import_cluster/lab")]
    assert created["cluster"]["parameters"]["Region"] == "westeurope"   # every parameter, defaults too
    assert emu.status("lab")["nodearrays"][0]["maxCount"] == 6 and "state" not in emu.status("lab")

    # converged: one read, no write, in check mode too; then one parameter changes
    change = lab_cluster(lab, state="present", parameters={"MaxExecuteNodes": 4, "ExecuteMachineTypes": [
        "Standard_F4s_v2", "Standard_F8s_v2"]}, _task="change")
    run = lab.play("\n".join([create, create.replace("name: t", "name: again", 1) + "\n  check_mode: true",
                              change + "\n  check_mode: true", change.replace("name: change", "name: changed", 1),
                              change.replace("name: change", "name: converged", 1)]), diff=True)
    assert not ok(run)["changed"] and not ok(run, "again")["changed"]
    predicted, changed = ok(run, "change"), ok(run, "changed")
    assert predicted["changed"] and changed["changed"] and not ok(run, "converged")["changed"]
    # a list compares equal to CycleCloud's comma-separated text: only MaxExecuteNodes differs
    assert predicted["diff"] == changed["diff"] == {
        "before": {"state": None, "target_state": None, "parameters": {
            "MaxExecuteNodes": 6, "ExecuteMachineTypes": "Standard_F4s_v2, Standard_F8s_v2"}},
        "after": {"state": None, "target_state": None, "parameters": {
            "MaxExecuteNodes": 4, "ExecuteMachineTypes": ["Standard_F4s_v2", "Standard_F8s_v2"]}}}
    assert posts(run) == [("POST", "/cloud/api/import_cluster/lab")]
    form = run.writes[0]["body"]
    assert form["force"] == "true" and json.loads(form["parameters"])["SubnetId"] == "lab-rg/lab-vnet/compute"
    assert emu.status("lab")["nodearrays"][0]["maxCount"] == 4
    # one read per task, and one more after the import for the parameters as CycleCloud has them
    assert [r["method"] for r in run.requests if r["path"] == "/cloud/clusters/lab"] == ["GET"] * 6

    absent = lab.task("cyclecloud_cluster", name="lab", state="absent", _task="absent")
    run = lab.play("\n".join([absent + "\n  check_mode: true", absent.replace("name: absent", "name: deleted", 1),
                              absent.replace("name: absent", "name: twice", 1)]), diff=True)
    assert ok(run, "absent")["changed"] and ok(run, "deleted")["changed"] and not ok(run, "twice")["changed"]
    assert ok(run, "absent")["diff"] == {"before": {"state": None, "target_state": None}, "after": {}}
    assert posts(run) == [("POST", "/cloud/actions/removecluster/lab")]   # never started: nothing to terminate


def test_cluster_from_a_stored_template_started(lab):
    secret = "Acct-db-pa55word"   # a password parameter: masked wherever output shows it
    task = lab.task("cyclecloud_cluster", name="lab2", template="simple",
                    parameters={"SubnetId": "lab-rg/lab-vnet/compute", "AccountingPassword": secret}, **FAST)
    run = lab.play(task + "\n  check_mode: true\n" + task.replace("name: t", "name: real", 1), diff=True, verbosity=3)
    assert ok(run)["diff"]["after"] == {"state": None, "target_state": "Started", "template": "simple", "parameters": {
        "SubnetId": "lab-rg/lab-vnet/compute", "AccountingPassword": "********"}}
    assert secret not in run.output + json.dumps(run.tasks)
    assert json.loads(run.writes[0]["body"]["parameters"])["AccountingPassword"] == secret
    real = ok(run, "real")
    assert real["diff"]["after"]["state"] == "Started" and real["cluster"]["node_counts"] == {"Ready": 1}
    assert posts(run) == [("POST", "/cloud/api/import_cluster/lab2"), ("POST", "/cloud/actions/startcluster/lab2")]
    assert "cluster" not in run.writes[0]["body"] and run.writes[0]["body"]["template"] == "simple"
    run = lab.play(task)
    assert not ok(run)["changed"] and posts(run) == []


def test_cluster_retry_failed_nodes(lab):
    emu = lab.emulator
    lab.emulator.clock.speed = 0
    emu.fail_next("maint", nodearray="execute", count=2, phase="Allocation", message="Allocation failed")
    requests.post(emu.url + "/cloud/actions/startcluster/maint", auth=(emu.username, emu.password), timeout=5)
    emu.clock.advance(emu.timing["allocation"] + emu.timing["preparing"])
    assert sorted(n["Status"] for n in emu.nodes("maint")) == ["Failed", "Failed", "Ready"]
    emu.clock.speed = 120.0
    task = lab.task("cyclecloud_cluster", name="maint", retry_failed_nodes=True, **FAST)
    run = lab.play("\n".join([task + "\n  check_mode: true", task.replace("name: t", "name: retried", 1),
                              task.replace("name: t", "name: again", 1)]), diff=True)
    predicted, retried = ok(run), ok(run, "retried")
    assert predicted["changed"] and predicted["retried"] == retried["retried"] == ["execute-1", "execute-2"]
    assert predicted["diff"]["after"] == {"state": "Started", "target_state": "Started", "failed_nodes": []}
    assert retried["cluster"]["node_counts"] == {"Ready": 3}
    assert not ok(run, "again")["changed"] and ok(run, "again")["retried"] == []
    assert posts(run) == [("POST", "/cloud/actions/retry/maint")]


def test_cluster_absent_with_a_node_that_fails_to_terminate(lab):
    # cyclecloud-openapi.json removecluster force: "delete even if resource cleanup had issues"
    lab.emulator.fail_next("hpc", node="execute-1", phase="Terminating", message="disk still attached")
    absent = lab.task("cyclecloud_cluster", name="hpc", state="absent", _task="kept", **FAST)
    run = lab.play(absent + "\n  ignore_errors: true\n" + absent.replace("name: kept", "name: forced", 1)
                   + "\n    force_delete: true")
    assert "execute-1 Failed: disk still attached; the cluster is kept (force_delete deletes it anyway)" in failed(
        run, "kept")["msg"]
    assert ok(run, "forced")["changed"]
    assert posts(run) == [("POST", "/cloud/actions/terminatecluster/hpc"), ("POST", "/cloud/actions/removecluster/hpc")]
    assert run.writes[-1]["query"] == {"force": "true"}
    with pytest.raises(KeyError):
        lab.emulator.status("hpc")


def test_cluster_definition_bad_input_fails_before_any_write(lab):
    from cyclecloud_emulator import SAMPLE_TEMPLATE

    ok(lab.play(lab_cluster(lab, state="present")))
    cases = [
        ("no-template", dict(name="lab", parameters={"MaxExecuteNodes": 2}),
         "template: CycleCloud changes the parameters of a cluster (here MaxExecuteNodes) by importing it again"),
        ("missing", dict(name="lab9", state="present"), "template: CycleCloud has no cluster named 'lab9'"),
        ("no-section", dict(name="lab9", template_text="[parameters x]\nOrder = 1\n"),
         "template_file/template_text: the template has no [cluster NAME] section"),
        ("wrong-section", dict(name="lab9", template_text=SAMPLE_TEMPLATE, template="slurm"),
         "template: the template defines simple, not 'slurm'"),
        ("both", dict(name="lab9", template_text=SAMPLE_TEMPLATE, template_file="x.txt"),
         "template_file and template_text are mutually exclusive"),
        ("unreadable", dict(name="lab9", template_file="no-such-file.txt"), "template_file: cannot read no-such-file.txt"),
        ("retry-terminated", dict(name="lab", state="terminated", retry_failed_nodes=True),
         "retry_failed_nodes: failed nodes are retried only with state=started, not terminated"),
        ("force-started", dict(name="lab", force_delete=True), "force_delete: only with state=absent, not started"),
        ("server-refuses", dict(name="lab9", template="simple", parameters={}, state="present"),
         "Parameter SubnetId is required"),
    ]
    tasks = "\n".join(lab.task("cyclecloud_cluster", _task=name, **options) + "\n  ignore_errors: true"
                      for name, options, _message in cases)
    run = lab.play(tasks)
    for name, _options, message in cases:
        assert message in failed(run, name)["msg"], name
    assert posts(run) == [("POST", "/cloud/api/import_cluster/lab9")]   # only the one the server refuses
