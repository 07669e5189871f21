# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CloudCIX network modules (network_router, firewall, ip_group, ssh_key) through
ansible-playbook against the CloudCIX emulator (tests/emulators/cloudcix_emulator.py): what
each run sent comes from the emulator's request log, what CloudCIX holds from its store.
"""

from __future__ import absolute_import, division, print_function

import os
import uuid

import pytest

from cloudcix_emulator import ed25519_key_pair

FAST = {"wait_sleep": 0.2}
ROUTERS = "/compute/network/routers/"
FIREWALLS = "/compute/network/firewalls/"
IP_GROUPS = "/compute/network/ip_groups/"
SSH_KEYS = "/compute/compute/ssh_keys/"
FRONTEND = {"name": "frontend", "ipv4": "10.0.1.1/24"}
BACKEND = {"name": "backend", "ipv4": "10.0.2.1/24"}
SSH = {"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": "22", "protocol": "tcp",
       "description": "ssh"}
WEB = {"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": "443"}
DNS = {"allow": True, "inbound": False, "source": "10.0.1.0/24", "destination": "*", "port": "53", "protocol": "udp"}
# what CloudCIX stores of SSH and WEB has more keys (zone, protocol, description): these are the same rules
SSH_SHORT = {"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": 22}
WEB_SHORT = {"allow": True, "inbound": True, "source": "*", "destination": "10.0.1.0/24", "port": 443}
PRIVATE_KEY_START = "-----BEGIN OPENSSH PRIVATE KEY-----"


@pytest.fixture
def lab(cloudcix_lab):
    return cloudcix_lab


def task(lab, module, **options):
    """A task of a Compute module with fast waits."""
    return lab.task(module, **dict(FAST, **options))


def tolerant(text):
    """The play goes on when the task fails (its failure is still recorded)."""
    return text + "  ignore_errors: true\n"


def checking(text, name):
    """The task, renamed ``name``, in check mode (and with diff) within a normal run."""
    return renamed(text, name) + "  check_mode: true\n  diff: true\n"


def renamed(text, name):
    """The task ``text`` named ``name``."""
    return "- name: %s\n%s" % (name, text.split("\n", 1)[1])


def play(lab, *tasks, **kwargs):
    return lab.play("\n".join(tasks), **kwargs)


def polled_between(run, path, first, second):
    """True when the run read ``path`` (GET) between its writes number ``first`` and ``second``."""
    writes = [i for i, r in enumerate(run.requests) if r in run.writes]
    return any(r["method"] == "GET" and r["path"] == path for r in run.requests[writes[first] + 1:writes[second]])


def ports(rules):
    return [str(rule["port"]) for rule in rules]


def ipv4s(networks):
    return sorted(n["ipv4"] for n in networks)


# -- network router and firewall -------------------------------------------------------------
def test_router_and_firewall_contract(lab):
    emu = lab.emulator
    project = "net-" + uuid.uuid4().hex[:8]
    router = task(lab, "cloudcix_network_router", project=project, name="edge", networks=[FRONTEND], _task="router")
    firewall = task(lab, "cloudcix_firewall", project=project, rules=[SSH, WEB], _task="firewall")

    # create: check mode first (in the play that creates the project, so that it is found)
    run = play(lab, lab.task("cloudcix_project", name=project, _task="project"), checking(router, "router_check"),
               checking(firewall, "firewall_check"))
    project_id = run.ok("project")["project"]["id"]
    assert run.write_calls() == [("POST", "/compute/project/")]  # the project's only: check mode wrote nothing
    checked = run.ok("router_check"), run.ok("firewall_check")
    assert checked[0]["changed"] and checked[1]["changed"]
    assert checked[0]["diff"]["before"] == {} and checked[0]["diff"]["after"]["name"] == "edge"
    assert ipv4s(checked[0]["diff"]["after"]["networks"]) == ["10.0.1.1/24"]
    assert checked[1]["diff"]["before"] == {} and checked[1]["diff"]["after"]["rules"] == [SSH, WEB]

    run = play(lab, router, firewall, verbosity=3)
    made = run.ok("router"), run.ok("firewall")
    assert [m["changed"] for m in made] == [c["changed"] for c in checked]
    assert run.write_calls() == [("POST", ROUTERS), ("POST", FIREWALLS)]
    assert run.writes[0]["body"] == {"project_id": project_id, "name": "edge", "networks": [FRONTEND], "type": "router"}
    assert run.writes[1]["body"] == {"project_id": project_id, "type": "project", "rules": [SSH, WEB]}
    router_id, firewall_id = made[0]["network_router"]["id"], made[1]["firewall"]["id"]
    router_path, firewall_path = "%s%s/" % (ROUTERS, router_id), "%s%s/" % (FIREWALLS, firewall_id)
    stored = emu.get("compute", "network/routers", router_id)
    assert stored["project_id"] == project_id and stored["name"] == "edge" and stored["state"] == "running"
    assert [(n["name"], n["ipv4"]) for n in stored["networks"]] == [("frontend", "10.0.1.1/24")]
    assert made[0]["network_router"]["state"] == "running"  # waited for the robot's build
    fw_stored = emu.get("compute", "network/firewalls", firewall_id)
    assert fw_stored["state"] == "running" and fw_stored["type"] == "project"
    assert fw_stored["rules"] == [dict(SSH, zone="Public"), dict(WEB, protocol="any", zone="Public", description="")]
    run.assert_hidden(*emu.secrets())

    # the same again, in check mode and for real; the firewall's rules given with fewer keys
    # than CloudCIX stores and with numbers for ports are the same rules
    short = task(lab, "cloudcix_firewall", project=project, rules=[SSH_SHORT, WEB_SHORT], _task="short")
    run = play(lab, checking(router, "router_check"), checking(firewall, "firewall_check"), router, firewall, short)
    assert run.writes == []
    for name in ("router_check", "firewall_check", "router", "firewall", "short"):
        assert not run.ok(name)["changed"], name

    # updates: only what changed is sent
    frontend = stored["networks"][0]
    assert frontend["vlan"] is not None and frontend["ipv6"]
    run = play(lab, task(lab, "cloudcix_network_router", project=project, networks=[FRONTEND, BACKEND], _task="add_network"),
               task(lab, "cloudcix_network_router", project=project, name="edge-2", _task="rename"),
               task(lab, "cloudcix_firewall", project=project, rules=[SSH, WEB, DNS], _task="rules"),
               task(lab, "cloudcix_firewall", project=project, rules=[WEB, SSH, DNS], _task="swap"), diff=True)
    assert run.write_calls() == [("PATCH", router_path)] * 2 + [("PATCH", firewall_path)] * 2
    assert run.writes[0]["body"] == {"networks": [frontend, BACKEND], "state": "update_running"}
    assert run.writes[1]["body"] == {"name": "edge-2"}
    assert run.writes[2]["body"] == {"rules": [SSH, WEB, DNS], "state": "update_running"}
    assert run.writes[3]["body"] == {"rules": [WEB, SSH, DNS], "state": "update_running"}  # the order is a change
    diff = run.ok("add_network")["diff"]
    assert (ipv4s(diff["before"]["networks"]), ipv4s(diff["after"]["networks"])) == (
        ["10.0.1.1/24"], ["10.0.1.1/24", "10.0.2.1/24"])
    diff = run.ok("rename")["diff"]
    assert (diff["before"]["name"], diff["after"]["name"]) == ("edge", "edge-2")
    diff = run.ok("rules")["diff"]
    assert (ports(diff["before"]["rules"]), ports(diff["after"]["rules"])) == (["22", "443"], ["22", "443", "53"])
    diff = run.ok("swap")["diff"]
    assert (ports(diff["before"]["rules"]), ports(diff["after"]["rules"])) == (["22", "443", "53"], ["443", "22", "53"])
    stored = emu.get("compute", "network/routers", router_id)
    assert stored["name"] == "edge-2" and stored["state"] == "running"
    assert [(n["name"], n["ipv4"]) for n in stored["networks"]] == [("frontend", "10.0.1.1/24"), ("backend", "10.0.2.1/24")]
    assert stored["networks"][0]["vlan"] == frontend["vlan"] and stored["networks"][1]["vlan"] is not None
    fw_stored = emu.get("compute", "network/firewalls", firewall_id)
    assert ports(fw_stored["rules"]) == ["443", "22", "53"] and fw_stored["state"] == "running"

    # delete through the state machine: the firewall first (CloudCIX keeps the router until
    # everything else in the project is on its way out), each waited for until queued; then
    # both again: queued for deletion counts as absent
    fw_out = task(lab, "cloudcix_firewall", project=project, state="absent", _task="firewall_out")
    router_out = task(lab, "cloudcix_network_router", project=project, state="absent", _task="router_out")
    run = play(lab, fw_out, router_out, renamed(fw_out, "firewall_again"), renamed(router_out, "router_again"))
    assert run.ok("firewall_out")["changed"] and run.ok("router_out")["changed"]
    assert not run.ok("firewall_again")["changed"] and not run.ok("router_again")["changed"]
    assert run.write_calls() == [("PATCH", firewall_path), ("PATCH", router_path)]
    assert [w["body"] for w in run.writes] == [{"state": "delete"}, {"state": "delete"}]
    assert polled_between(run, firewall_path, 0, 1)  # waited before going on
    assert emu.get("compute", "network/firewalls", firewall_id)["state"] == "delete_queue"
    assert emu.get("compute", "network/routers", router_id)["state"] == "delete_queue"


def test_router_and_firewall_wait_for_the_robot(lab):
    emu = lab.emulator
    project = "net-" + uuid.uuid4().hex[:8]
    emu.clock.set_speed(0)  # what is built now stays pending until resumed
    run = play(lab, lab.task("cloudcix_project", name=project, _task="project"),
               task(lab, "cloudcix_network_router", project=project, networks=[FRONTEND], wait=False, _task="router"),
               task(lab, "cloudcix_firewall", project=project, rules=[SSH], wait=False, _task="firewall"))
    router_id = run.ok("router")["network_router"]["id"]
    firewall_id = run.ok("firewall")["firewall"]["id"]
    router_path, firewall_path = "%s%s/" % (ROUTERS, router_id), "%s%s/" % (FIREWALLS, firewall_id)
    assert run.write_calls() == [("POST", "/compute/project/"), ("POST", ROUTERS), ("POST", FIREWALLS)]
    assert emu.get("compute", "network/routers", router_id)["state"] == "pending"
    assert emu.get("compute", "network/firewalls", firewall_id)["state"] == "pending"

    changes = [("router", "cloudcix_network_router", {"networks": [FRONTEND, BACKEND]}),
               ("firewall", "cloudcix_firewall", {"rules": [SSH, WEB]})]
    run = play(lab, *[tolerant(task(lab, module, project=project, wait=False, wait_timeout=20, _task=name, **options))
                      for name, module, options in changes])
    assert run.writes == []
    for name, resource in (("router", "network_router"), ("firewall", "firewall")):
        message = run.failed(name)["msg"]
        assert "the %s is pending" % resource in message and "set wait=true" in message, message
    assert emu.get("compute", "network/routers", router_id)["state"] == "pending"

    # with wait (the default) the same tasks wait for the build, then write
    thread = lab.run_clock_when_read(router_path, 60.0)
    try:
        run = play(lab, *[task(lab, module, project=project, wait_timeout=60, _task=name, **options)
                          for name, module, options in changes])
    finally:
        thread.join(30)
        emu.clock.set_speed(60.0)
    assert run.ok("router")["changed"] and run.ok("firewall")["changed"]
    assert run.write_calls() == [("PATCH", router_path), ("PATCH", firewall_path)]
    assert run.writes[0]["body"]["state"] == "update_running" and run.writes[1]["body"]["state"] == "update_running"
    first_write = run.requests.index(run.writes[0])
    assert any(r["method"] == "GET" and r["path"] == router_path for r in run.requests[:first_write])  # waited
    router = emu.get("compute", "network/routers", router_id)
    assert router["state"] == "running" and ipv4s(router["networks"]) == ["10.0.1.1/24", "10.0.2.1/24"]
    assert ports(emu.get("compute", "network/firewalls", firewall_id)["rules"]) == ["22", "443"]

    # purge: HTTP DELETE (grace period 0) instead of the state "delete"
    run = play(lab, task(lab, "cloudcix_firewall", project=project, state="absent", purge=True, _task="firewall"),
               task(lab, "cloudcix_network_router", project=project, state="absent", purge=True, _task="router"))
    assert run.ok("firewall")["changed"] and run.ok("router")["changed"]
    assert run.write_calls() == [("DELETE", firewall_path), ("DELETE", router_path)]
    for service, pk in (("network/firewalls", firewall_id), ("network/routers", router_id)):
        gone = emu.get("compute", service, pk)
        assert gone["grace_period"] == 0 and gone["state"] in ("delete_queue", "deleting", "deleted"), gone


# -- IP group --------------------------------------------------------------------------------
def test_ip_group_contract(lab):
    emu = lab.emulator
    name = "office-" + uuid.uuid4().hex[:6]
    group = lab.task("cloudcix_ip_group", name=name, cidrs=["192.0.2.0/24", "198.51.100.0/24"], description="Dublin",
                     _task="group")
    run = lab.play(group, check=True, diff=True)
    checked = run.ok("group")
    assert checked["changed"] and run.writes == []
    assert checked["diff"]["after"]["name"] == name and checked["diff"]["after"]["description"] == "Dublin"
    assert sorted(checked["diff"]["after"]["cidrs"]) == ["192.0.2.0/24", "198.51.100.0/24"]

    run = lab.play(group, verbosity=3)
    made = run.ok("group")
    assert made["changed"] == checked["changed"]
    assert run.write_calls() == [("POST", IP_GROUPS)]
    assert run.writes[0]["body"] == {"name": name, "cidrs": ["192.0.2.0/24", "198.51.100.0/24"], "description": "Dublin"}
    group_id = made["ip_group"]["id"]
    group_path = "%s%s/" % (IP_GROUPS, group_id)
    stored = emu.get("compute", "network/ip_groups", group_id)
    assert (stored["name"], sorted(stored["cidrs"]), stored["version"]) == (name, ["192.0.2.0/24", "198.51.100.0/24"], 4)
    run.assert_hidden(*emu.secrets())

    # a set of networks: another address of the same network, in another order, is the same
    same = lab.task("cloudcix_ip_group", name=name, cidrs=["198.51.100.0/24", "192.0.2.5/24"], _task="same")
    run = play(lab, checking(group, "group_check"), group, same)
    assert run.writes == []
    for task_name in ("group_check", "group", "same"):
        assert not run.ok(task_name)["changed"], task_name

    # an update sends the cidrs alone; then deleted at once (DELETE), and then absent already
    absent = lab.task("cloudcix_ip_group", name=name, state="absent", _task="absent")
    run = play(lab, lab.task("cloudcix_ip_group", name=name, cidrs=["192.0.2.0/24", "203.0.113.0/24"], description="Dublin",
                             _task="update"), absent, renamed(absent, "again"), diff=True)
    assert run.write_calls() == [("PATCH", group_path), ("DELETE", group_path)]
    assert run.writes[0]["body"] == {"cidrs": ["192.0.2.0/24", "203.0.113.0/24"]}
    diff = run.ok("update")["diff"]
    assert (sorted(diff["before"]["cidrs"]), sorted(diff["after"]["cidrs"])) == (
        ["192.0.2.0/24", "198.51.100.0/24"], ["192.0.2.0/24", "203.0.113.0/24"])
    assert run.ok("update")["ip_group"]["cidrs"] == ["192.0.2.0/24", "203.0.113.0/24"]  # as CloudCIX answered
    assert run.ok("absent")["changed"] and not run.ok("again")["changed"]
    assert emu.get("compute", "network/ip_groups", group_id) is None


# -- SSH key ---------------------------------------------------------------------------------
def test_ssh_key_contract(lab, tmp_path):
    emu = lab.emulator
    name = "deploy-" + uuid.uuid4().hex[:6]
    public, _private = ed25519_key_pair("me@laptop")
    key = lab.task("cloudcix_ssh_key", name=name, public_key=public, _task="key")
    run = lab.play(key, check=True, diff=True)
    checked = run.ok("key")
    assert checked["changed"] and run.writes == []
    assert checked["diff"]["after"]["name"] == name
    assert checked["diff"]["after"]["public_key"].split()[:2] == public.split()[:2]

    # the key given, and a pair CloudCIX generates (its private key shown once, in the result)
    generated = lab.task("cloudcix_ssh_key", name=name + "-gen", _task="generated")
    run = play(lab, key, generated, verbosity=3)
    made = run.ok("key")
    assert made["changed"] == checked["changed"] and made["private_key"] == ""
    assert run.write_calls() == [("POST", SSH_KEYS), ("POST", SSH_KEYS)]
    assert run.writes[0]["body"] == {"name": name, "public_key": public}
    assert run.writes[1]["body"] == {"name": name + "-gen"}
    key_id = made["ssh_key"]["id"]
    assert emu.get("compute", "compute/ssh_keys", key_id)["public_key"] == public
    result = run.ok("generated")
    assert result["changed"] and result["private_key"].startswith(PRIVATE_KEY_START)
    assert "private_key" not in result["ssh_key"]
    assert emu.get("compute", "compute/ssh_keys", result["ssh_key"]["id"])["public_key"].startswith("ssh-ed25519 ")
    run.assert_hidden(*emu.secrets())

    # again: no change (the key compared without its comment), no private key to show; a new
    # pair with private_key_path is written to that file, and is nowhere in the output
    other_comment = lab.task("cloudcix_ssh_key", name=name, public_key=" ".join(public.split()[:2] + ["ci"]),
                             _task="comment")
    path = str(tmp_path / "generated.key")
    kept = lab.task("cloudcix_ssh_key", name=name + "-file", private_key_path=path, _task="kept")
    run = play(lab, checking(key, "key_check"), key, other_comment, checking(generated, "generated_check"), generated,
               kept, verbosity=3)
    assert run.write_calls() == [("POST", SSH_KEYS)]  # the last task's: the others wrote nothing
    assert run.writes[0]["body"] == {"name": name + "-file"}
    for task_name in ("key_check", "key", "comment", "generated_check", "generated"):
        assert not run.ok(task_name)["changed"], task_name
    assert run.ok("generated")["private_key"] == ""
    result = run.ok("kept")
    assert result["changed"] and result["private_key"] == "" and result["private_key_path"] == path
    assert os.stat(path).st_mode & 0o777 == 0o600
    with open(path) as handle:
        text = handle.read()
    assert text.startswith(PRIVATE_KEY_START)
    body_lines = [line for line in text.splitlines() if line and not line.startswith("-----")]
    assert body_lines
    run.assert_hidden(text.strip(), *body_lines)
    run.assert_hidden(*emu.secrets())

    # another key for the name: refused without recreate (nothing written: the run's writes
    # are all the next tasks'), then DELETE and POST with it; then deleted, then absent already
    public_2, _private_2 = ed25519_key_pair("me@desktop")
    absent = lab.task("cloudcix_ssh_key", name=name, state="absent", _task="absent")
    run = play(lab, tolerant(lab.task("cloudcix_ssh_key", name=name, public_key=public_2, _task="refused")),
               lab.task("cloudcix_ssh_key", name=name, public_key=public_2, recreate=True, _task="recreated"),
               absent, renamed(absent, "again"))
    message = run.failed("refused")["msg"]
    assert "public_key" in message and "recreate=true" in message, message
    assert run.ok("recreated")["changed"]
    new_id = run.ok("recreated")["ssh_key"]["id"]
    assert run.ok("recreated")["ssh_key"]["public_key"] == public_2
    assert run.write_calls() == [("DELETE", "%s%s/" % (SSH_KEYS, key_id)), ("POST", SSH_KEYS),
                                 ("DELETE", "%s%s/" % (SSH_KEYS, new_id))]
    assert run.writes[1]["body"] == {"name": name, "public_key": public_2}
    assert run.ok("absent")["changed"] and not run.ok("again")["changed"]
    assert emu.get("compute", "compute/ssh_keys", key_id) is None and emu.get("compute", "compute/ssh_keys", new_id) is None


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_fails_before_any_write(lab):
    public, _private = ed25519_key_pair("bad")
    cases = {
        "project": (task(lab, "cloudcix_network_router", project="nowhere-" + uuid.uuid4().hex[:6], networks=[FRONTEND]),
                    "project: no project matches"),
        "cidrs": (lab.task("cloudcix_ip_group", name="office", cidrs=["192.0.2.300/24"]), "cidrs: "),
        "missing_cidrs": (lab.task("cloudcix_ip_group", name="office"), "to create it, set: cidrs"),
        "type": (task(lab, "cloudcix_firewall", project="nowhere", type="bogus", rules=[SSH]),
                 "value of type must be one of: project, geo, got: bogus"),
        "token_and_credentials": (lab.task("cloudcix_ssh_key", name="deploy", public_key=public, api_token="a-token"),
                                  "give either token or api_username + api_password + api_key, not both"),
    }
    run = play(lab, *[tolerant(renamed(text, name)) for name, (text, _message) in cases.items()])
    assert run.writes == []
    for name, (_text, message) in cases.items():
        assert message in run.failed(name)["msg"], (name, run.failed(name)["msg"])
