# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CloudCIX Compute modules (instance, volume, snapshot, backup) through ansible-playbook
against the CloudCIX emulator (tests/emulators/cloudcix_emulator.py): what each run sent
comes from the emulator's request log, what CloudCIX holds from the emulator's store.
"""

from __future__ import absolute_import, division, print_function

import uuid

import pytest

FAST = {"wait_sleep": 0.2}
ROBOT_SPEED = 600.0  # a build (35 emulated seconds) in 0.06 s; set with clock.set_speed(), which keeps "now"
SPECS = [{"sku_name": "RAM_001", "quantity": 2}, {"sku_name": "vCPU_001", "quantity": 1},
         {"sku_name": "SSD_001", "quantity": 20}, {"sku_name": "UBUNTU2404", "quantity": 1}]
NAT = [{"gateway": True, "ipv4_addresses": [{"nat": True}]}]  # fewer keys than CloudCIX returns
INSTANCES = "/compute/compute/instances/"
VOLUMES = "/compute/storage/volumes/"
COPIES = {"snapshot": "/compute/compute/snapshots/", "backup": "/compute/compute/backups/"}
SERVICES = {"snapshot": "compute/snapshots", "backup": "compute/backups"}


@pytest.fixture
def lab(cloudcix_lab):
    return cloudcix_lab


def by_sku(specs):
    return sorted(specs, key=lambda spec: spec["sku_name"])


def resized(specs, **quantities):
    return by_sku([dict(s, quantity=quantities.get(s["sku_name"], s["quantity"])) for s in specs])


def task(lab, module, **options):
    """A task of ``module`` with fast waits."""
    return lab.task(module, **dict(FAST, **options))


def tolerant(text):
    """The task goes on to the next one when it fails (its failure is still recorded)."""
    return text + "  ignore_errors: true\n"


def new_project(lab, *instances):
    """A project with its network router, and the running LXD ``instances``, made by one play.
    Returns (project name, project id, {name: instance}). The robot works at ROBOT_SPEED from
    here on."""
    lab.emulator.clock.set_speed(ROBOT_SPEED)
    name = "cx-" + uuid.uuid4().hex[:8]
    tasks = [lab.task("cloudcix_project", name=name, _task="project"),
             task(lab, "cloudcix_network_router", project=name, _task="router")]
    tasks += [task(lab, "cloudcix_instance", project=name, name=vm, specs=SPECS, _task=vm) for vm in instances]
    run = lab.play("\n".join(tasks))
    made = dict((vm, run.ok(vm)["instance"]) for vm in instances)
    assert all(vm["state"] == "running" for vm in made.values())
    return name, run.ok("project")["project"]["id"], made


# -- instance --------------------------------------------------------------------------------
def test_instance_contract(lab):
    emu = lab.emulator
    project, project_id, others = new_project(lab, "spare")

    def vm(**options):
        return task(lab, "cloudcix_instance", **dict(dict(project=project, name="web1"), **options))

    # create: check mode predicts it (the after values in --diff) and writes nothing
    create = vm(state="running", specs=SPECS, interfaces=NAT, metadata={"dns": "1.1.1.1"})
    run = lab.play(create, check=True, diff=True)
    predicted = run.ok()
    assert predicted["changed"] and run.writes == []
    after = predicted["diff"]["after"]
    assert after["name"] == "web1" and after["specs"] == by_sku(SPECS) and after["metadata"] == {"dns": "1.1.1.1"}
    assert after["interfaces"] == NAT and after["type"] == "lxd"

    # the real run: one POST, then it waits for the robot to build it
    run = lab.play(create, verbosity=3)
    result = run.ok()
    assert result["changed"] == predicted["changed"]
    assert run.write_calls() == [("POST", INSTANCES)]
    assert run.writes[0]["body"] == {"project_id": project_id, "name": "web1", "type": "lxd", "specs": by_sku(SPECS),
                                     "interfaces": NAT, "metadata": {"dns": "1.1.1.1"}}
    instance = result["instance"]
    item = "%s%s/" % (INSTANCES, instance["id"])
    assert instance["state"] == "running"
    stored = emu.get("compute", "compute/instances", instance["id"])
    assert stored["state"] == "running" and stored["project_id"] == project_id and stored["metadata"]["dns"] == "1.1.1.1"
    assert stored["interfaces"][0]["ipv4_addresses"][0]["public_ip"]
    run.assert_hidden(*emu.secrets())

    # the same task again changes nothing (the interfaces compare on the keys given), in check
    # mode too, where stopping and deleting the running instance are predicted without a write
    stop, absent = vm(state="stopped", _task="stop"), vm(state="absent", _task="absent")
    run = lab.play("\n".join([create, stop, absent]), check=True)
    assert not run.ok()["changed"] and run.ok("stop")["changed"] and run.ok("absent")["changed"]
    assert run.writes == []

    # the same task for real, first in the next play: changed false, and no write before the
    # updates', which send only what differs, with the update state configuration changes need
    run = lab.play("\n".join([
        create,
        vm(_task="metadata", metadata={"dns": "9.9.9.9", "instance_type": "container"}),
        vm(_task="resize", specs=[{"sku_name": "RAM_001", "quantity": 4}]),
        vm(_task="grace", grace_period=24),
    ]), diff=True)
    assert not run.ok()["changed"]
    assert run.write_calls() == [("PATCH", item)] * 3
    bodies = [w["body"] for w in run.writes]
    assert bodies[0] == {"metadata": {"dns": "9.9.9.9"}, "state": "update_running"}
    assert bodies[1] == {"specs": resized(SPECS, RAM_001=4), "state": "update_running"}
    assert bodies[2] == {"grace_period": 24}
    diff = run.ok("metadata")["diff"]
    assert diff["before"]["metadata"] == {"dns": "1.1.1.1", "instance_type": "container"}
    assert diff["after"]["metadata"] == {"dns": "9.9.9.9", "instance_type": "container"}
    diff = run.ok("resize")["diff"]
    assert (diff["before"]["specs"], diff["after"]["specs"]) == (by_sku(SPECS), resized(SPECS, RAM_001=4))
    diff = run.ok("grace")["diff"]
    assert (diff["before"]["grace_period"], diff["after"]["grace_period"]) == (7, 24)
    assert run.ok("metadata")["instance"]["state"] == "running"  # waited for the update
    stored = emu.get("compute", "compute/instances", instance["id"])
    assert by_sku(stored["specs"]) == resized(SPECS, RAM_001=4)
    assert stored["grace_period"] == 24 and stored["metadata"]["dns"] == "9.9.9.9" and stored["state"] == "running"

    # stop: PATCH {"state": "stop"} and a wait for "stopped"; a resize of a stopped instance
    # goes with update_stopped
    run = lab.play("\n".join([stop, vm(_task="resize", specs=[{"sku_name": "RAM_001", "quantity": 6}])]),
                   verbosity=3)
    assert run.ok("stop")["changed"] and run.ok("stop")["instance"]["state"] == "stopped"
    assert run.write_calls() == [("PATCH", item)] * 2
    assert run.writes[0]["body"] == {"state": "stop"}
    assert run.writes[1]["body"] == {"specs": resized(SPECS, RAM_001=6), "state": "update_stopped"}
    assert run.ok("resize")["instance"]["state"] == "stopped"
    assert emu.get("compute", "compute/instances", instance["id"])["state"] == "stopped"
    run.assert_hidden(*emu.secrets())

    # start again: predicted, then {"state": "restart"} and "running"; then absent: queued for
    # deletion ({"state": "delete"}), and queued counts as absent; purge: DELETE
    start = vm(state="running", _task="start")
    run = lab.play(start, check=True)
    assert run.ok("start")["changed"] and run.writes == []
    spare = others["spare"]
    run = lab.play("\n".join([start, absent, vm(_task="again", state="absent"),
                              vm(_task="purge", name="spare", state="absent", purge=True)]))
    assert run.ok("start")["changed"] and run.ok("start")["instance"]["state"] == "running"
    assert run.ok("absent")["changed"] and run.ok("absent")["instance"] == {}
    assert not run.ok("again")["changed"] and run.ok("purge")["changed"]
    assert run.write_calls() == [("PATCH", item), ("PATCH", item), ("DELETE", "%s%s/" % (INSTANCES, spare["id"]))]
    assert [w["body"] for w in run.writes[:2]] == [{"state": "restart"}, {"state": "delete"}]
    assert emu.get("compute", "compute/instances", instance["id"])["state"] == "delete_queue"
    purged = emu.get("compute", "compute/instances", spare["id"])
    assert purged["state"] in ("delete_queue", "deleting", "deleted") and purged["grace_period"] == 0


# -- volume ----------------------------------------------------------------------------------
def test_volume_contract(lab):
    emu = lab.emulator
    project, project_id, vms = new_project(lab, "vm1", "vm2")
    vm1, vm2 = vms["vm1"]["id"], vms["vm2"]["id"]

    def volume(**options):
        return task(lab, "cloudcix_volume", **dict(dict(project=project, name="data"), **options))

    # create: predicted, then one POST that attaches vm1, then a wait for the robot
    create = volume(specs=[{"sku_name": "CEPH_001", "quantity": 10}], mount_path="/srv/data", instances=["vm1"])
    run = lab.play(create, check=True, diff=True)
    predicted = run.ok()
    assert predicted["changed"] and run.writes == []
    after = predicted["diff"]["after"]
    assert after["specs"] == [{"sku_name": "CEPH_001", "quantity": 10}]
    assert after["instances"] == ["vm1"] and after["type"] == "cephfs"

    run = lab.play(create)
    result = run.ok()
    assert result["changed"] == predicted["changed"]
    assert run.write_calls() == [("POST", VOLUMES)]
    assert run.writes[0]["body"] == {"project_id": project_id, "name": "data", "type": "cephfs",
                                     "specs": [{"sku_name": "CEPH_001", "quantity": 10}],
                                     "metadata": {"mount_path": "/srv/data", "attach_instance_ids": [vm1]}}
    volume_id = result["volume"]["id"]
    item = "%s%s/" % (VOLUMES, volume_id)
    assert result["volume"]["state"] == "running"
    stored = emu.get("compute", "storage/volumes", volume_id)
    assert stored["state"] == "running" and [i["id"] for i in stored["contra_instances"]] == [vm1]
    assert stored["metadata"]["mount_path"] == "/srv/data"

    # the same task again changes nothing, in check mode too (where a new mount path and
    # absent are predicted)
    absent = volume(state="absent", _task="absent")
    run = lab.play("\n".join([create, volume(_task="move", mount_path="/srv/other"), absent]), check=True, diff=True)
    assert not run.ok()["changed"] and run.ok("move")["changed"] and run.ok("absent")["changed"]
    assert run.writes == []
    moved = run.ok("move")["diff"]

    # the same task for real (changed false, no write before the next tasks'); grow, attach a
    # second instance (only its id), a subset without purge (no change), detach with
    # purge_instances; a second volume to purge below
    run = lab.play("\n".join([
        create,
        volume(_task="grow", specs=[{"sku_name": "CEPH_001", "quantity": 20}]),
        volume(_task="attach", instances=["vm1", "vm2"]),
        volume(_task="subset", instances=["vm2"]),
        volume(_task="detach", instances=["vm2"], purge_instances=True),
        volume(_task="scratch", name="scratch", specs=[{"sku_name": "CEPH_001", "quantity": 1}]),
    ]), diff=True)
    assert not run.ok()["changed"]
    assert run.write_calls() == [("PATCH", item)] * 3 + [("POST", VOLUMES)]
    grow, attach, detach = [w["body"] for w in run.writes[:3]]
    assert grow == {"specs": [{"sku_name": "CEPH_001", "quantity": 20}], "state": "update_running"}
    assert set(attach) == {"metadata", "state"} and attach["state"] == "update_running"
    assert attach["metadata"]["attach_instance_ids"] == [vm2] and not attach["metadata"].get("detach_instance_ids")
    assert set(detach) == {"metadata", "state"} and detach["state"] == "update_running"
    assert detach["metadata"]["detach_instance_ids"] == [vm1] and not detach["metadata"].get("attach_instance_ids")
    diff = run.ok("grow")["diff"]
    assert (diff["before"]["specs"][0]["quantity"], diff["after"]["specs"][0]["quantity"]) == (10, 20)
    diff = run.ok("attach")["diff"]
    assert (diff["before"]["instances"], diff["after"]["instances"]) == (["vm1"], ["vm1", "vm2"])
    diff = run.ok("detach")["diff"]
    assert (diff["before"]["instances"], diff["after"]["instances"]) == (["vm1", "vm2"], ["vm2"])
    assert not run.ok("subset")["changed"]
    assert run.ok("detach")["volume"]["state"] == "running"
    stored = emu.get("compute", "storage/volumes", volume_id)
    assert stored["specs"] == [{"sku_name": "CEPH_001", "quantity": 20}] and stored["state"] == "running"
    assert [i["id"] for i in stored["contra_instances"]] == [vm2]
    scratch = run.ok("scratch")["volume"]

    # absent: queued ({"state": "delete"}); queued counts as absent; purge: DELETE
    run = lab.play("\n".join([absent, volume(_task="again", state="absent"),
                              volume(_task="purge", name="scratch", state="absent", purge=True)]))
    assert run.ok("absent")["changed"] and run.ok("absent")["volume"] == {}
    assert not run.ok("again")["changed"] and run.ok("purge")["changed"]
    assert run.write_calls() == [("PATCH", item), ("DELETE", "%s%s/" % (VOLUMES, scratch["id"]))]
    assert run.writes[0]["body"] == {"state": "delete"}
    assert emu.get("compute", "storage/volumes", volume_id)["state"] == "delete_queue"
    purged = emu.get("compute", "storage/volumes", scratch["id"])
    assert purged["state"] in ("delete_queue", "deleting", "deleted") and purged["grace_period"] == 0

    # checked last so that the steps above are checked whatever this gives: check mode's
    # --diff shows the mount path a create or an update sets
    assert (moved["before"].get("mount_path"), moved["after"].get("mount_path")) == ("/srv/data", "/srv/other"), moved
    assert predicted["diff"]["after"].get("mount_path") == "/srv/data", predicted["diff"]["after"]


# -- snapshot and backup ---------------------------------------------------------------------
def test_snapshot_and_backup_contract(lab):
    """Both modules walk the same steps, side by side in each play."""
    emu = lab.emulator
    project, project_id, vms = new_project(lab, "vm1", "vm2")
    vm1, vm2 = vms["vm1"]["id"], vms["vm2"]["id"]

    def copy(kind, _task=None, **options):
        options = dict(dict(project=project, name="before-upgrade", instance="vm1"), **options)
        if kind == "backup" and options.get("state") != "absent":
            options.setdefault("repository", 2)
        return task(lab, "cloudcix_" + kind, _task=_task or kind, **options)

    def both(**options):
        suffix = options.pop("_suffix", "")
        return "\n".join(copy(kind, _task=kind + suffix, **options) for kind in COPIES)

    # create: predicted, then one POST each, then a wait for the robot
    run = lab.play(both(), check=True, diff=True)
    predicted = dict((kind, run.ok(kind)) for kind in COPIES)
    assert run.writes == []
    for kind in COPIES:
        assert predicted[kind]["changed"]
        after = predicted[kind]["diff"]["after"]
        assert after["name"] == "before-upgrade" and after["instance"] == "vm1"
    assert "repository" not in predicted["backup"]["diff"]["after"]

    # the gen-2 create body {project_id, instance_id, type, name} (cloudcix.md 5.3.6): the
    # backup's repository (a gen-1 field, 5.2.8) is not sent, and its option is deprecated
    run = lab.play(both())
    assert run.write_calls() == [("POST", COPIES["snapshot"]), ("POST", COPIES["backup"])]
    for body in (w["body"] for w in run.writes):
        assert body == {"project_id": project_id, "name": "before-upgrade", "instance_id": vm1, "type": "lxd"}
    assert "repository" in run.output and "deprecated" in run.output
    made = {}
    for kind in COPIES:
        result = run.ok(kind)
        assert result["changed"] == predicted[kind]["changed"]
        made[kind] = result[kind]
        assert made[kind]["state"] == "running"
        stored = emu.get("compute", SERVICES[kind], made[kind]["id"])
        assert stored["state"] == "running" and stored["instance_id"] == vm1
    assert emu.get("compute", "compute/backups", made["backup"]["id"])["time_valid"]

    # the same tasks again change nothing, in check mode too (where absent is predicted)
    run = lab.play("\n".join([both(), both(_suffix="-absent", state="absent")]), check=True)
    assert run.writes == []
    for kind in COPIES:
        assert not run.ok(kind)["changed"] and run.ok(kind + "-absent")["changed"]

    # the grace period changes alone (--diff shows it); the same name on vm2 is another object
    # (found per instance: created, and below the vm1 one is deleted, not the vm2 one);
    # without the instance the name is ambiguous. First the same tasks for real: changed false,
    # and no write before the next tasks'
    run = lab.play("\n".join([
        both(),
        both(_suffix="-grace", grace_period=48),
        both(_suffix="-vm2", instance="vm2"),
        tolerant(copy("snapshot", _task="snapshot-any", instance=None)),
    ]), diff=True)
    assert run.write_calls() == [("PATCH", "%s%s/" % (COPIES[kind], made[kind]["id"])) for kind in COPIES] + [
        ("POST", COPIES[kind]) for kind in COPIES]
    second = {}
    for index, kind in enumerate(COPIES):
        assert not run.ok(kind)["changed"]
        assert run.writes[index]["body"] == {"grace_period": 48}
        diff = run.ok(kind + "-grace")["diff"]
        assert (diff["before"]["grace_period"], diff["after"]["grace_period"]) == (7, 48)
        assert run.writes[2 + index]["body"]["instance_id"] == vm2
        second[kind] = run.ok(kind + "-vm2")[kind]
        assert second[kind]["id"] != made[kind]["id"] and second[kind]["instance_id"] == vm2
        assert emu.get("compute", SERVICES[kind], made[kind]["id"])["grace_period"] == 48
    assert "2 snapshot objects match" in run.failed("snapshot-any")["msg"]

    # absent: queued ({"state": "delete"}); queued counts as absent; purge: DELETE
    run = lab.play("\n".join([both(state="absent"), both(_suffix="-again", state="absent"),
                              both(_suffix="-purge", instance="vm2", state="absent", purge=True)]))
    assert run.write_calls() == [("PATCH", "%s%s/" % (COPIES[kind], made[kind]["id"])) for kind in COPIES] + [
        ("DELETE", "%s%s/" % (COPIES[kind], second[kind]["id"])) for kind in COPIES]
    for index, kind in enumerate(COPIES):
        assert run.ok(kind)["changed"] and run.ok(kind)[kind] == {}
        assert not run.ok(kind + "-again")["changed"] and run.ok(kind + "-purge")["changed"]
        assert run.writes[index]["body"] == {"state": "delete"}
        assert emu.get("compute", SERVICES[kind], made[kind]["id"])["state"] == "delete_queue"
        purged = emu.get("compute", SERVICES[kind], second[kind]["id"])
        assert purged["state"] in ("delete_queue", "deleting", "deleted") and purged["grace_period"] == 0


# -- busy objects, bad input, unresourced ------------------------------------------------------
def test_busy_bad_input_unresourced(lab):
    emu = lab.emulator
    project, _project_id, _vms = new_project(lab)

    # the robot held while the instance is pending: wait=false refuses the change, writing nothing
    change = dict(project=project, name="slow", metadata={"dns": "9.9.9.9"})
    emu.clock.set_speed(0)
    try:
        run = lab.play("\n".join([
            task(lab, "cloudcix_instance", project=project, name="slow", specs=SPECS, wait=False, _task="create"),
            task(lab, "cloudcix_instance", wait=False, **change),
        ]))
        slow = run.ok("create")["instance"]
        assert slow["state"] == "pending" and run.write_calls() == [("POST", INSTANCES)]
        message = run.failed()["msg"]
        assert "wait=true" in message and "pending" in message
        assert emu.get("compute", "compute/instances", slow["id"])["state"] == "pending"

        # with wait, the task waits for the robot (released once the task polls), then writes
        item = "%s%s/" % (INSTANCES, slow["id"])
        thread = lab.run_clock_when_read(item, ROBOT_SPEED)
        run = lab.play(task(lab, "cloudcix_instance", wait_timeout=60, **change))
        thread.join()
        assert run.ok()["changed"] and run.ok()["instance"]["state"] == "running"
        assert run.write_calls() == [("PATCH", item)]
        assert run.writes[0]["body"] == {"metadata": {"dns": "9.9.9.9"}, "state": "update_running"}
        seen = [(r["method"], r["path"]) for r in run.requests]
        assert ("GET", item) in seen[:seen.index(("PATCH", item))]  # it polled the busy instance first
        assert emu.get("compute", "compute/instances", slow["id"])["metadata"]["dns"] == "9.9.9.9"
    finally:
        emu.clock.set_speed(ROBOT_SPEED)

    # bad input fails before any write, naming the option
    unknown = "nosuch-" + uuid.uuid4().hex[:6]
    run = lab.play("\n".join(tolerant(text) for text in [
        task(lab, "cloudcix_instance", project=project, name="fresh", _task="no-specs"),
        task(lab, "cloudcix_snapshot", project=project, name="s1", instance="ghost", _task="snapshot-ghost"),
        task(lab, "cloudcix_instance", project=project, name="slow", type="hyperv", _task="retype"),
        task(lab, "cloudcix_instance", project=unknown, name="web1", specs=SPECS, _task="no-project"),
    ]))
    assert run.writes == []
    assert "to create it, set: specs" in run.failed("no-specs")["msg"]
    message = run.failed("snapshot-ghost")["msg"]
    assert message.startswith("instance: ") and "ghost" in message
    message = run.failed("retype")["msg"]
    assert message.startswith("type: ") and "recreate=true" in message
    message = run.failed("no-project")["msg"]
    assert message.startswith("project: ") and unknown in message

    # a build that ends "unresourced" fails the waiting task (state=running, and the default present)
    for name in ("doomed-running", "doomed"):
        emu.fail_next("compute/instances", name=name)
    run = lab.play("\n".join([
        tolerant(task(lab, "cloudcix_instance", project=project, name="doomed-running", specs=SPECS, state="running",
                      _task="doomed-running")),
        task(lab, "cloudcix_instance", project=project, name="doomed", specs=SPECS, _task="doomed"),
    ]))
    assert run.write_calls() == [("POST", INSTANCES)] * 2
    stored = dict((i["name"], i["state"]) for i in emu.objects("compute", "compute/instances"))
    assert stored["doomed-running"] == "unresourced" and stored["doomed"] == "unresourced"
    assert "unresourced" in run.failed("doomed-running")["msg"]
    assert "unresourced" in run.failed("doomed")["msg"], run.task("doomed")


def test_state_change_patch_that_lost_its_answer_is_not_resent(lab):
    """A PATCH that asks the robot for work ({"state": "stop"}) is not idempotent: when the
    connection drops after CloudCIX took it, sending it again would queue a second run. The
    task fails saying the server may have carried it out; the PATCH reached CloudCIX once."""
    emu = lab.emulator
    project, _project_id, made = new_project(lab, "web1")
    item = "%s%s/" % (INSTANCES, made["web1"]["id"])
    emu.faults.add(path="^%s$" % item, method="PATCH", drop=True, after=True)
    run = lab.play(task(lab, "cloudcix_instance", project=project, name="web1", state="stopped", retries=3))
    failed = run.failed()
    assert run.write_calls() == [("PATCH", item)]
    assert run.writes[0]["body"] == {"state": "stop"}
    assert "PATCH %s" % item in failed["msg"] and "may have carried it out" in failed["msg"]
    stored = emu.get("compute", "compute/instances", made["web1"]["id"])
    assert stored["state"] in ("stop", "stopping", "stopped")  # CloudCIX took the one PATCH
