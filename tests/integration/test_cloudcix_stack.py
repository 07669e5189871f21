# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role cloudcix_stack through ansible-playbook against the CloudCIX emulator
(tests/emulators/cloudcix_emulator.py): a project with its router, firewall and instances
from a short description, and its teardown in the order CloudCIX requires. Evidence comes
from the emulator's objects and its request log.
"""

from __future__ import absolute_import, division, print_function

import json
import uuid

import pytest
import requests

SPECS = [{"sku_name": "RAM_001", "quantity": 1}, {"sku_name": "vCPU_001", "quantity": 1},
         {"sku_name": "SSD_001", "quantity": 10}, {"sku_name": "UBUNTU2404", "quantity": 1}]
RULES = [{"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": "22", "protocol": "tcp",
          "description": "ssh"},
         {"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": "443", "protocol": "tcp"}]
# the module goes to the local Python on stdin instead of through a temporary file: a third
# quicker per task, the same module run
FAST = {"ANSIBLE_PIPELINING": "true"}
# the services of a project, in the groups CloudCIX deletes them in
FIRST = ("compute/instances", "storage/volumes", "compute/snapshots", "compute/backups", "compute/gpus")
SECOND = ("network/firewalls", "network/vpns")


@pytest.fixture
def lab(cloudcix_lab):
    return cloudcix_lab


def stack(project, state="present", purge=False, instances=None):
    """The role included from a play, then its fact shown by the task ``t``."""
    if instances is None:
        instances = [{"name": "web1", "specs": SPECS, "metadata": {"instance_type": "container"},
                      "interfaces": [{"gateway": True, "ipv4_addresses": [{"address": "10.0.1.10", "nat": True}]}]},
                     {"name": "db1", "state": "stopped", "specs": SPECS}]
    variables = {
        "cloudcix_stack_project": project,
        "cloudcix_stack_state": state,
        "cloudcix_stack_purge": purge,
        "cloudcix_stack_note": "built by cloudcix_stack",
        "cloudcix_stack_networks": [{"name": "frontend", "ipv4": "10.0.1.1/24"}],
        "cloudcix_stack_firewall_rules": RULES,
        "cloudcix_stack_instances": instances,
        "cloudcix_stack_wait_sleep": 0.2,
        "cloudcix_stack_wait_timeout": 60,
    }
    return ("- name: stack\n  ansible.builtin.include_role:\n    name: statecraft.infra.cloudcix_stack\n  vars:\n%s"
            "- name: t\n  ansible.builtin.debug:\n    var: cloudcix_stack\n") % "".join(
        "    %s: %s\n" % (name, json.dumps(value)) for name, value in variables.items())


def open_project(emu, name):
    found = [p for p in emu.objects("compute", "project") if p["name"] == name and not p["closed"]]
    assert len(found) <= 1, found
    return found[0] if found else None


def project_objects(emu, project_id, services=FIRST + SECOND + ("network/routers",)):
    return dict((service, [o for o in emu.objects("compute", service) if o["project_id"] == project_id])
                for service in services)


def changed_tasks(run):
    """Names of the tasks that reported a change (without the role's prefix)."""
    return [t["_task"].split(" : ", 1)[-1] for t in run.tasks if t.get("changed")]


def test_stack_build_idempotence_check_mode_and_teardown(lab):
    emu = lab.emulator
    name = "stack-" + uuid.uuid4().hex[:6]
    present = stack(name)

    # (3) check mode on a project that does not exist yet: changes predicted, nothing written
    run = lab.play(present, check=True, env=FAST)
    assert run.rc == 0, run.output
    assert {"Project %s" % name, "Network router of %s" % name, "Firewall of %s" % name,
            "Instances of %s" % name} <= set(changed_tasks(run)), run.output
    assert run.writes == []
    assert open_project(emu, name) is None

    # (1) the project, its router, firewall and two instances (one running, one stopped)
    run = lab.play(present, verbosity=3, env=FAST)
    assert run.rc == 0, run.output
    fact = run.task("t")["cloudcix_stack"]
    project = open_project(emu, name)
    assert project["id"] == fact["project"]["id"] and project["note"] == "built by cloudcix_stack"
    assert project["region_id"] == emu.region_id
    built = project_objects(emu, project["id"])
    [router] = built["network/routers"]
    assert router["type"] == "router" and router["state"] == "running"
    assert [(n["name"], n["ipv4"]) for n in router["networks"]] == [("frontend", "10.0.1.1/24")]
    [firewall] = built["network/firewalls"]
    assert firewall["type"] == "project" and firewall["state"] == "running"
    assert [(r["port"], r["destination"], r["protocol"]) for r in firewall["rules"]] == [
        ("22", "10.0.1.0/24", "tcp"), ("443", "10.0.1.0/24", "tcp")]
    instances = dict((i["name"], i) for i in built["compute/instances"])
    assert sorted(instances) == ["db1", "web1"]
    assert (instances["web1"]["state"], instances["db1"]["state"]) == ("running", "stopped")
    assert instances["web1"]["interfaces"][0]["ipv4_addresses"][0]["address"] == "10.0.1.10"
    assert instances["web1"]["interfaces"][0]["ipv4_addresses"][0]["nat"] is True
    assert dict((s["sku_name"], s["quantity"]) for s in instances["db1"]["specs"])["SSD_001"] == 10
    assert sorted(i["name"] for i in fact["instances"]) == ["db1", "web1"]
    assert fact["network_router"]["id"] == router["id"] and fact["firewall"]["id"] == firewall["id"]
    run.assert_hidden(*emu.secrets())

    # (2) the same run again: no write, no change
    run = lab.play(present, env=FAST)
    assert run.rc == 0, run.output
    assert run.writes == [] and changed_tasks(run) == [], (changed_tasks(run), run.writes)

    # (4) an object the role did not make: a snapshot of web1, through its module
    run = lab.play(lab.task("cloudcix_snapshot", project=name, instance="web1", name="before-teardown", wait_sleep=0.2),
                   env=FAST)
    snapshot = run.ok()["snapshot"]
    assert emu.get("compute", "compute/snapshots", snapshot["id"])["state"] == "running"

    absent = stack(name, state="absent")
    run = lab.play(absent, verbosity=3, env=FAST)
    assert run.rc == 0, run.output
    assert "WARNING" not in run.output, run.output  # every list filter understood (CloudCIX skips the others)
    run.assert_hidden(*emu.secrets())
    writes = run.writes
    assert all(w["method"] == "DELETE" or (w["method"] == "PATCH" and w["body"] == {"state": "delete"})
               for w in writes), writes

    def index(path):
        [found] = [i for i, w in enumerate(writes) if w["path"] == path]
        return found

    first = [index("/compute/compute/instances/%s/" % i["id"]) for i in instances.values()] + [
        index("/compute/compute/snapshots/%s/" % snapshot["id"])]
    at_firewall = index("/compute/network/firewalls/%s/" % firewall["id"])
    at_router = index("/compute/network/routers/%s/" % router["id"])
    at_project = index("/compute/project/%s/" % project["id"])
    assert max(first) < at_firewall < at_router < at_project, writes
    assert len(writes) == len(first) + 3, writes  # each object once, nothing else
    assert writes[at_project]["method"] == "DELETE"
    assert all(writes[i]["method"] == "PATCH" for i in first + [at_firewall, at_router])  # queued, restorable
    # between the groups the role read each deleted object again: it waited for the robot to queue it
    position = dict((id(r), k) for k, r in enumerate(run.requests))
    between = run.requests[position[id(writes[max(first)])] + 1:position[id(writes[at_firewall])]]
    assert set(writes[i]["path"] for i in first) <= set(r["path"] for r in between if r["method"] == "GET")
    assert emu.get("compute", "project", project["id"])["closed"]
    left = project_objects(emu, project["id"])
    assert all(o["state"] == "delete_queue" for objects in left.values() for o in objects), left  # restorable
    deleted = run.task("t")["cloudcix_stack"]["deleted"]
    assert sorted((d["service"], d["id"]) for d in deleted) == sorted(
        [("compute/instances", i["id"]) for i in instances.values()]
        + [("compute/snapshots", snapshot["id"]), ("network/firewalls", firewall["id"])])

    # (5) absent again: the project is closed, nothing to do
    run = lab.play(absent, env=FAST)
    assert run.rc == 0, run.output
    assert run.writes == [] and changed_tasks(run) == [], (changed_tasks(run), run.writes)


def seed(emu, name):
    """A project made outside the role, straight through the API: its router and firewall
    built, a geo firewall already asked to be deleted, and an instance the robot has only
    begun to build (the clock stands still)."""
    token = emu.issue_token()

    def post(service, body):
        answer = requests.post(emu.api_url.format(application="compute") + service, json=body, timeout=10,
                               headers={"X-Auth-Token": token})
        assert answer.status_code == 201, answer.text
        return answer.json()["content"]

    project = post("project/", {"name": name, "region_id": emu.region_id})
    router = post("network/routers/", {"project_id": project["id"]})
    firewall = post("network/firewalls/", {"project_id": project["id"], "type": "project", "rules": RULES})
    geo = post("network/firewalls/", {"project_id": project["id"], "type": "geo", "rules": []})
    emu.clock.advance(100)
    answer = requests.patch(emu.api_url.format(application="compute") + "network/firewalls/%s/" % geo["id"], timeout=10,
                            json={"state": "delete"}, headers={"X-Auth-Token": token})  # on its way out already
    assert answer.status_code == 200 and answer.json()["content"]["state"] == "delete", answer.text
    instance = post("compute/instances/", {"project_id": project["id"], "name": "busy", "specs": SPECS,
                                           "metadata": {"instance_type": "container"}})
    return project, router, firewall, geo, instance


def test_stack_purge_waits_for_work_in_progress_and_deletes_at_once(lab):
    emu = lab.emulator
    name = "purge-" + uuid.uuid4().hex[:6]
    emu.clock.set_speed(0)
    project, router, firewall, geo, instance = seed(emu, name)
    assert emu.get("compute", "compute/instances", instance["id"])["state"] == "pending"  # CloudCIX refuses a delete now

    absent = stack(name, state="absent", purge=True)
    run = lab.play(absent, check=True, env=FAST)  # the teardown predicted: every group, the router, the project
    assert run.rc == 0, run.output
    assert run.writes == [], run.writes
    assert {"Teardown, delete: instances, volumes, snapshots, backups, GPUs", "Teardown, delete: firewalls, VPNs, static routes",
            "Network router is deleted in %s" % name, "Project is deleted: %s" % name} <= set(changed_tasks(run)), run.output

    instance_path = "/compute/compute/instances/%s/" % instance["id"]
    thread = lab.run_clock_when_read(instance_path, 60.0)
    run = lab.play(absent, env=FAST)
    thread.join()
    assert run.rc == 0, run.output
    waited = run.task("statecraft.infra.cloudcix_stack : Teardown, wait for work in progress: "
                      "instances, volumes, snapshots, backups, GPUs")
    assert [r["item"]["id"] for r in waited["results"]] == [instance["id"]]
    # the geo firewall, on its way out already, is left alone
    assert [(w["method"], w["path"], w["status"]) for w in run.writes] == [
        ("DELETE", instance_path, 204), ("DELETE", "/compute/network/firewalls/%s/" % firewall["id"], 204),
        ("DELETE", "/compute/network/routers/%s/" % router["id"], 204), ("DELETE", "/compute/project/%s/" % project["id"], 204)]
    assert emu.get("compute", "project", project["id"])["closed"]
    left = project_objects(emu, project["id"])
    assert sorted(o["id"] for o in left["compute/instances"]) == [instance["id"]]
    assert all(o["state"] in ("deleting", "deleted") for objects in left.values() for o in objects
               if o["id"] != geo["id"] or o["type"] != "geo"), left
    assert emu.get("compute", "network/firewalls", geo["id"])["state"] == "delete_queue"  # queued before: untouched
