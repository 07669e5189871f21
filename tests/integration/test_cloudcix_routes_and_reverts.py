# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cloudcix_static_route and cloudcix_snapshot_revert through ansible-playbook against the
CloudCIX emulator (tests/emulators/cloudcix_emulator.py): what each run sent comes from the
emulator's request log, what CloudCIX holds from its store. Plays are shared between checks.
"""

from __future__ import absolute_import, division, print_function

import uuid

import pytest

FAST = {"wait_sleep": 0.2}
ROBOT_SPEED = 600.0  # a build (35 emulated seconds) in 0.06 s
ROUTERS = "/compute/network/routers/"
SNAPSHOTS = "/compute/compute/snapshots/"
SPECS = [{"sku_name": "RAM_001", "quantity": 1}, {"sku_name": "vCPU_001", "quantity": 1},
         {"sku_name": "SSD_001", "quantity": 10}, {"sku_name": "UBUNTU2404", "quantity": 1}]
OFFICE = "192.168.50.0/24"


@pytest.fixture
def lab(cloudcix_lab):
    cloudcix_lab.emulator.clock.set_speed(ROBOT_SPEED)
    return cloudcix_lab


def task(lab, module, **options):
    return lab.task(module, **dict(FAST, **options))


def tolerant(text):
    """The play goes on when the task fails (its failure is still recorded)."""
    return text + "  ignore_errors: true\n"


def checking(text):
    """The task in check mode with --diff, within a normal run."""
    return text + "  check_mode: true\n  diff: true\n"


def play(lab, *tasks, **kwargs):
    return lab.play("\n".join(tasks), **kwargs)


# -- static routes ---------------------------------------------------------------------------
def test_static_route_contract(lab):
    emu = lab.emulator
    project = "sr-" + uuid.uuid4().hex[:8]

    def route(**options):
        return task(lab, "cloudcix_static_route", **dict(dict(project=project, destination=OFFICE), **options))

    create = route(nexthop="10.0.1.254", name="office", _task="route")
    # the project and its router, and the route in check mode: predicted with its --diff, nothing written
    run = play(lab, lab.task("cloudcix_project", name=project, _task="project"),
               task(lab, "cloudcix_network_router", project=project, networks=[{"name": "lan", "ipv4": "10.0.1.1/24"}],
                    _task="router"),
               checking(create.replace("name: route", "name: check", 1)))
    project_id = run.ok("project")["project"]["id"]
    assert run.write_calls() == [("POST", "/compute/project/"), ("POST", ROUTERS)]
    predicted = run.ok("check")
    assert predicted["changed"] and predicted["diff"]["before"] == {}
    assert {k: predicted["diff"]["after"][k] for k in ("destination", "nexthop", "name")} == {
        "destination": OFFICE, "nexthop": "10.0.1.254", "name": "office"}

    # create: one POST, the router's type and the route's metadata nested; waits for the robot.
    # Then the same task, in check mode and for real, and with the destination's host bits: no write
    run = play(lab, create, checking(create.replace("name: route", "name: again_check", 1)),
               create.replace("name: route", "name: again", 1),
               route(destination="192.168.50.7/24", _task="host_bits"), verbosity=3)
    assert run.write_calls() == [("POST", ROUTERS)]
    assert run.writes[0]["body"] == {"project_id": project_id, "name": "office", "type": "static_route",
                                     "metadata": {"destination": OFFICE, "nexthop": "10.0.1.254"}}
    made = run.ok("route")
    assert made["changed"] == predicted["changed"] and made["static_route"]["state"] == "running"
    route_id = made["static_route"]["id"]
    item = "%s%s/" % (ROUTERS, route_id)
    for name in ("again_check", "again", "host_bits"):
        assert not run.ok(name)["changed"], name
    run.assert_hidden(*emu.secrets())

    # updates: nat goes with update_running, a name alone without; another next hop fails
    # before any write without recreate; bad input fails before any request; absent predicted
    run = play(lab,
               route(nat=True, _task="nat"),
               route(name="branch", _task="rename"),
               tolerant(route(nexthop="10.0.1.9", _task="moved")),
               tolerant(route(destination="192.168.60.0/24", nexthop="10.9.9.9", _task="outside")),
               tolerant(route(destination="not-a-network", _task="bad")),
               checking(route(state="absent", _task="absent_check")), diff=True)
    assert run.write_calls() == [("PATCH", item)] * 2
    assert [w["body"] for w in run.writes] == [{"metadata": {"nat": True}, "state": "update_running"},
                                               {"name": "branch"}]
    diff = run.ok("nat")["diff"]
    assert (diff["before"]["nat"], diff["after"]["nat"]) == (False, True)
    assert run.ok("nat")["static_route"]["state"] == "running"  # waited for the update
    assert "recreate=true" in run.failed("moved")["msg"]
    outside = run.failed("outside")["msg"]
    assert outside.startswith("nexthop: 10.9.9.9 is in no network of the project's router (10.0.1.1/24)"), outside
    assert run.failed("bad")["msg"].startswith("destination: ")
    assert run.ok("absent_check")["changed"]
    stored = emu.get("compute", "network/routers", route_id)
    assert stored["name"] == "branch" and stored["metadata"]["nat"] is True and stored["state"] == "running"

    # recreate with another next hop (the old route queued, a new one made); absent: queued,
    # absent twice no change; purge: DELETE
    run = play(lab, route(nexthop="10.0.1.9", recreate=True, _task="recreate"),
               route(destination="10.200.0.0/16", nexthop="10.0.1.9", _task="scratch"),
               route(state="absent", _task="absent"), route(state="absent", _task="absent_again"),
               route(destination="10.200.0.0/16", state="absent", purge=True, _task="purge"))
    new_id = run.ok("recreate")["static_route"]["id"]
    scratch_id = run.ok("scratch")["static_route"]["id"]
    assert new_id != route_id
    assert run.write_calls() == [("PATCH", item), ("POST", ROUTERS), ("POST", ROUTERS),
                                 ("PATCH", "%s%s/" % (ROUTERS, new_id)), ("DELETE", "%s%s/" % (ROUTERS, scratch_id))]
    assert [w["body"] for w in run.writes[:2]] == [
        {"state": "delete"}, {"project_id": project_id, "type": "static_route",
                              "metadata": {"destination": OFFICE, "nexthop": "10.0.1.9"}}]
    assert run.writes[3]["body"] == {"state": "delete"}
    assert run.ok("absent")["changed"] and not run.ok("absent_again")["changed"] and run.ok("purge")["changed"]
    assert emu.get("compute", "network/routers", new_id)["state"] in ("delete", "delete_queue")
    assert emu.get("compute", "network/routers", scratch_id)["grace_period"] == 0


# -- reverting to a snapshot -----------------------------------------------------------------
def test_snapshot_revert(lab):
    emu = lab.emulator
    project = "rv-" + uuid.uuid4().hex[:8]

    def revert(**options):
        return task(lab, "cloudcix_snapshot_revert", **dict(dict(project=project, name="before"), **options))

    run = play(lab, lab.task("cloudcix_project", name=project, _task="project"),
               task(lab, "cloudcix_network_router", project=project, _task="router"),
               *[task(lab, "cloudcix_instance", project=project, name=vm, specs=SPECS, _task=vm) for vm in ("vm1", "vm2")]
               + [task(lab, "cloudcix_snapshot", project=project, instance=vm, name="before", _task="snap-" + vm)
                  for vm in ("vm1", "vm2")])
    snapshot = run.ok("snap-vm1")["snapshot"]
    item = "%s%s/" % (SNAPSHOTS, snapshot["id"])
    assert snapshot["state"] == "running"

    # check mode: changed, the state asked for in --diff, nothing sent; then for real: one
    # PATCH {"state": "update_running"} and a wait until the revert is over. The name alone
    # matches both instances' snapshots: that fails before any write
    run = play(lab, checking(revert(instance="vm1", _task="check")), revert(instance="vm1", _task="revert"),
               tolerant(revert(_task="ambiguous")), tolerant(revert(instance="vm1", name="nope", _task="missing")),
               diff=True)
    assert run.write_calls() == [("PATCH", item)]
    assert run.writes[0]["body"] == {"state": "update_running"}
    checked, done = run.ok("check"), run.ok("revert")
    assert checked["changed"] and done["changed"]
    assert checked["diff"] == done["diff"] == {"before": {"name": "before", "state": "running"},
                                               "after": {"name": "before", "state": "update_running"}}
    assert checked["snapshot"]["state"] == "update_running" and done["snapshot"]["state"] == "running"
    assert "2 snapshot objects match" in run.failed("ambiguous")["msg"]
    assert run.failed("missing")["msg"].startswith("name: the project %s has no snapshot nope" % project)

    # wait=false ends once CloudCIX has the request; a revert under way is waited for and
    # nothing asked again (changed false, in check mode too); once it is over, the same task is
    # a new revert (changed). The robot runs in real time until the waiting task has read it
    emu.clock.set_speed(1.0)
    run = play(lab, revert(instance="vm1", wait=False, _task="nowait"),
               checking(revert(instance="vm1", _task="busy_check")))
    assert run.ok("nowait")["changed"] and run.ok("nowait")["snapshot"]["state"] == "update_running"
    assert not run.ok("busy_check")["changed"] and run.write_calls() == [("PATCH", item)]
    speed_up = lab.run_clock_when_read(SNAPSHOTS, ROBOT_SPEED)
    run = play(lab, revert(instance="vm1", _task="under_way"), revert(instance="vm1", _task="again"))
    speed_up.join()
    assert not run.ok("under_way")["changed"] and run.ok("under_way")["snapshot"]["state"] == "running"
    assert run.ok("again")["changed"] and run.write_calls() == [("PATCH", item)]

    # a stopped instance is not reverted: fails before any write, in check mode too
    stop = task(lab, "cloudcix_instance", project=project, name="vm2", state="stopped", _task="stop")
    run = play(lab, stop, tolerant(checking(revert(instance="vm2", _task="stopped_check"))),
               tolerant(revert(instance="vm2", _task="stopped")))
    assert len(run.writes) == 1 and run.writes[0]["body"] == {"state": "stop"}
    for name in ("stopped_check", "stopped"):
        assert run.failed(name)["msg"] == "instance: vm2 is stopped; CloudCIX reverts only a running instance to a " \
                                          "snapshot", name


# -- grace_period ------------------------------------------------------------------------------
def test_grace_period_states_its_unit_and_has_no_default(ansible_env):
    """cloudcix.md 5.3.4 leaves grace_period's unit open for gen 2 (days in CloudCIX's SDK and
    Terraform provider, a router's default 7; hours in its samples, 168 in gen 1): every typed
    Compute module documents days and the hours reading, no default, and no 168 example."""
    import json
    import os
    import subprocess
    import sys

    modules = ["cloudcix_%s" % m for m in ("instance", "volume", "snapshot", "backup", "gpu", "vpn", "firewall",
                                           "network_router", "static_route")]
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "-j"]
                          + ["statecraft.infra." + m for m in modules], capture_output=True, text=True,
                          env=ansible_env, check=True)
    for name, entry in json.loads(proc.stdout).items():
        option = entry["doc"]["options"]["grace_period"]
        text = " ".join(option["description"])
        assert "default" not in option and "B(days)" in text and "hours" in text, name
        shown = entry["examples"] + json.dumps(entry.get("return") or {})
        assert "grace_period: 168" not in shown and '"grace_period": 168' not in shown, name
