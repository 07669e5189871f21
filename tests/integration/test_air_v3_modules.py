# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Air modules on ``api_version: v3`` (DSX Air) through ansible-playbook against the
emulator's /api/v3/ (tests/emulators/air_v3_emulator.py). Plays are shared: one run
exercises every module v3 serves. Evidence comes from the emulator's request log."""

from __future__ import absolute_import, division, print_function

import base64
import json
import uuid

import pytest
import requests

from inventory_runs import InventoryLab

API_KEY = "nvapi-ci-" + uuid.uuid4().hex
TOPOLOGY = {"nodes": {"leaf01": {"os": "cumulus-vx-5.10.1"}, "server01": {"os": "generic/ubuntu2204"}},
            "links": [[{"node": "leaf01", "interface": "swp1"}, {"node": "server01", "interface": "eth1"}],
                      [{"node": "server01", "interface": "eth0"}, "exit"]]}


@pytest.fixture(scope="module")
def air():
    from air_emulator import AirEmulator

    emulator = AirEmulator(speed=30.0).start()  # a start (30 emulated s) takes one real second
    emulator.v3.api_key = API_KEY
    yield emulator
    emulator.stop()


@pytest.fixture
def lab(air, emulated_lab):
    return emulated_lab(air, "air", {"api_url": air.url, "api_version": "v3", "token": API_KEY})


def ssh_key(seed):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + (seed * 32)[:32].encode()
    return "ssh-ed25519 %s ci@runner" % base64.b64encode(blob).decode()


def ok(run, *tasks):
    assert run.rc == 0, run.output
    return [run.task(t) for t in tasks]


def writes(run):
    return [(r["method"], r["path"].replace("/api/v3/", "")) for r in run.writes]


def test_v3_modules_contract(lab, air):
    title, key, config = ("v3-" + uuid.uuid4().hex[:6] for _n in range(3))
    lab.file("lab.json", json.dumps(TOPOLOGY))
    base = (lab.task("air_ssh_key", _task="key", name=key, public_key=ssh_key("a"))
            + lab.task("air_user_config", _task="config", name=config, kind="cloud-init-user-data",
                       content="#cloud-config\n")
            + lab.task("air_simulation", _task="sim", title=title, topology_file="lab.json", documentation="doc",
                       state="loaded", wait_sleep=0.2))
    inside = (lab.task("air_service", _task="svc", simulation=title, name="ssh", node="server01", interface="eth0",
                       dest_port=22, service_type="ssh")
              + lab.task("air_node_cloud_init", _task="ci", simulation=title, node="server01", user_data=config)
              + lab.task("air_simulation_info", _task="info", title=title))

    # check mode first: all three would be created, nothing is sent but reads
    run = lab.play(base, check=True, diff=True)
    k, c, s = ok(run, "key", "config", "sim")
    assert k["changed"] and c["changed"] and s["changed"] and run.writes == []
    assert s["diff"]["after"]["title"] == title and s["diff"]["after"]["state"] == "BOOTING"

    run = lab.play(base)
    k, c, s = ok(run, "key", "config", "sim")
    assert k["changed"] and c["changed"] and s["changed"]
    sim_id = s["simulation"]["id"]
    assert writes(run) == [("POST", "users/ssh-keys/"), ("POST", "userconfigs/"), ("POST", "simulations/import/"),
                           ("PATCH", "simulations/%s/" % sim_id), ("PATCH", "simulations/%s/start/" % sim_id)]
    imported = run.writes[2]["body"]
    assert (imported["name"], imported["format"], imported["content"]["nodes"]) == (title, "JSON", TOPOLOGY["nodes"])
    assert run.writes[3]["body"] == {"documentation": "doc"}
    assert s["simulation"]["state"] == "ACTIVE" and s["simulation"]["name"] == title
    assert {n["name"] for n in s["simulation"]["nodes"]} == {"leaf01", "server01"}
    assert {r["authorization"] for r in run.requests} == {"Bearer"}  # the key itself: no login

    run = lab.play(inside, check=True, diff=True)
    svc, ci, _info = ok(run, "svc", "ci", "info")
    assert svc["changed"] and ci["changed"] and run.writes == []
    assert ci["diff"]["after"]["user_data"] == config
    run = lab.play(inside, diff=True)
    svc, ci, info = ok(run, "svc", "ci", "info")
    assert writes(run) == [("POST", "simulations/nodes/interfaces/services/"),
                           ("PATCH", "simulations/nodes/bulk-assign/")]
    assert set(run.writes[0]["body"]) == {"name", "interface", "node_port", "service_type"}
    assert run.writes[0]["body"]["node_port"] == 22
    assert svc["service"]["worker_fqdn"] and svc["service"]["node"] == "server01"
    assert [sv["name"] for sv in info["simulations"][0]["services"]] == ["ssh"]

    # converged: both plays again, nothing written
    run = lab.play(base + inside)
    assert not any(r["changed"] for r in ok(run, "key", "config", "sim", "svc", "ci")) and run.writes == []

    # an update: --check --diff predicts exactly what the real run does
    docs = lab.task("air_simulation", _task="sim", title=title, documentation="new doc", state="stored",
                    wait_sleep=0.2)
    run = lab.play(docs, check=True, diff=True)
    (s,) = ok(run, "sim")
    assert s["changed"] and run.writes == []
    assert (s["diff"]["before"]["documentation"], s["diff"]["after"]["documentation"]) == ("doc", "new doc")
    run = lab.play(docs, diff=True)
    (real,) = ok(run, "sim")
    assert real["diff"]["after"]["documentation"] == "new doc" and real["simulation"]["state"] == "INACTIVE"
    assert writes(run) == [("PATCH", "simulations/%s/" % sim_id), ("PATCH", "simulations/%s/shutdown/" % sim_id)]

    gone = (lab.task("air_service", _task="svc", simulation=title, name="ssh", state="absent")
            + lab.task("air_simulation", _task="sim", title=title, state="absent", wait_sleep=0.2)
            + lab.task("air_ssh_key", _task="key", name=key, state="absent")
            + lab.task("air_user_config", _task="config", name=config, kind="cloud-init-user-data",
                       state="absent"))
    no_ci = lab.task("air_node_cloud_init", _task="ci", simulation=title, node="server01", state="absent")
    absent = no_ci + no_ci.replace("name: ci", "name: ci-again") + gone
    run = lab.play(absent, check=True)
    assert all(r["changed"] for r in ok(run, "ci", "svc", "sim", "key", "config")) and run.writes == []
    run = lab.play(absent)
    assert all(r["changed"] for r in ok(run, "ci", "svc", "sim", "key", "config"))
    assert not ok(run, "ci-again")[0]["changed"]  # emptied is absent: the second costs no write
    assert writes(run) == [("PATCH", "simulations/nodes/bulk-assign/"),
                           ("DELETE", "simulations/nodes/interfaces/services/%s/" % svc["service"]["id"]),
                           ("DELETE", "simulations/%s/" % sim_id), ("DELETE", "users/ssh-keys/%s/" % k["ssh_key"]["id"]),
                           ("DELETE", "userconfigs/%s/" % c["user_config"]["id"])]
    assert run.writes[0]["body"]["nodes"][0]["user_data"] is None
    run = lab.play(gone)  # (a node's cloud-init is gone with its simulation)
    assert not any(r["changed"] for r in ok(run, "svc", "sim", "key", "config")) and run.writes == []


def test_v3_refuses_what_it_lacks_before_any_request(lab, air):
    """A v1-only option, a module v3 has no resource for, a v1 credential: each fails naming
    api_version (or the option), and nothing reaches the server."""
    tasks = "".join(
        task + "  ignore_errors: true\n" for task in (
            lab.task("air_simulation", _task="org", title="x", organization="Sandbox Org", topology_content="{}"),
            lab.task("air_simulation", _task="sleep", title="x", sleep=False),
            lab.task("air_topology", _task="topology", name="x", content="graph x { }"),
            lab.task("air_organization", _task="organization", name="x"),
            lab.task("air_user_config", _task="uc", name="x", kind="cloud-init-user-data", organization="o",
                     content="x"),
        ))
    run = lab.play(tasks)
    results = dict((t, run.task(t)) for t in ("org", "sleep", "topology", "organization", "uc"))
    assert all(r["_status"] == "failed" for r in results.values()), run.output
    assert "organization" in results["org"]["msg"] and "api_version" in results["org"]["msg"]
    assert "sleep" in results["sleep"]["msg"] and "api_version v3" in results["sleep"]["msg"]
    for name in ("topology", "organization"):
        assert "api_version" in results[name]["msg"] and name in results[name]["msg"]
    assert "organization" in results["uc"]["msg"]
    assert run.requests == []


def test_v3_inventory(air, ansible_env, tmp_path):
    """The inventory plugin on v3: nodes as hosts with their SSH service, v3 read in v1's form."""
    key = {"Authorization": "Bearer " + API_KEY}
    v3 = air.url + "/api/v3/"
    name = "inv-" + uuid.uuid4().hex[:6]
    sim = requests.post(v3 + "simulations/import/", json={"name": name, "format": "JSON", "content": TOPOLOGY},
                        headers=key).json()
    eth0 = requests.get(v3 + "simulations/nodes/interfaces/", params={"simulation": sim["id"], "name": "eth0"},
                        headers=key).json()["results"][0]
    service = requests.post(v3 + "simulations/nodes/interfaces/services/", headers=key, json={
        "name": "ssh", "interface": eth0["id"], "node_port": 22, "service_type": "ssh"}).json()
    sources = InventoryLab(air, "air", {"api_url": air.url, "api_version": "v3", "token": API_KEY},
                           ansible_env, tmp_path)
    run = sources.inventory({"simulations": [name]})
    assert run.rc == 0, run.output
    server = run.hostvars["server01"]
    assert (server["ansible_host"], server["ansible_port"], server["ansible_user"]) == (
        service["worker_fqdn"], service["worker_port"], "ubuntu")
    assert (server["air_simulation"], server["air_os"]) == (name, "generic/ubuntu2204")
    assert "air_ssh_hint" in run.hostvars["leaf01"]
    assert {r["path"][:8] for r in run.requests} == {"/api/v3/"} and {r["method"] for r in run.requests} == {"GET"}
    run.assert_hidden(API_KEY)

    run = sources.inventory({"organizations": ["Sandbox Org"]})
    assert run.rc != 0 and "api_version" in run.output and "v1/organization" in run.output


def test_v3_key_never_shows(air, playbook, tmp_path):
    """The NGC key (and a wrong one) in no output at -vvvv with --diff: a change, a converged
    run, check mode, a refused key, a server error that echoes the key (test_secret_audit.py's audit)."""
    from test_secret_audit import Audit, failing, task

    wrong = "nvapi-wrong-" + uuid.uuid4().hex
    audit = Audit(playbook, tmp_path, "air", {"api_url": air.url, "api_version": "v3", "token": API_KEY},
                  {"wrong_key": wrong}, emulator=air)
    name = "audit-" + uuid.uuid4().hex[:6]
    air.faults.add(path=r"^/api/v3/users/ssh-keys/[^/]+/$", method="DELETE", status=500,
                   body={"detail": "Internal error while checking key %s" % API_KEY}, count=None)
    try:
        run = audit.play("".join([
            task("air_ssh_key", "create", name=name, public_key=ssh_key("a")),
            task("air_ssh_key", "again", name=name, public_key=ssh_key("a")),
            task("air_ssh_key", "check", name=name + "-2", public_key=ssh_key("b"), _extra={"check_mode": True}),
            failing("air_ssh_key", "wrong-key", name=name + "-3", public_key=ssh_key("c"), token="{{ wrong_key }}"),
            failing("air_ssh_key", "server-error", name=name, state="absent"),
        ]))
    finally:
        air.faults.clear()
    assert run.task("create")["changed"] and not run.task("again")["changed"] and run.task("check")["changed"]
    assert "401" in run.task("wrong-key")["msg"] and "500" in run.task("server-error")["msg"]
    audit.assert_hidden([API_KEY, wrong])
