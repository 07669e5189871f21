# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Air modules through ansible-playbook against the Air emulator (tests/emulators).

Evidence comes from the emulator's request log: what reached the server, never a counter
in the client. A login (POST v1/login/) is not a write of state, so "writes" leave it out.
"""

from __future__ import absolute_import, division, print_function

import base64
import json
import uuid

import pytest

USERNAME = "ci@example.com"
API_TOKEN = "air-api-token-" + uuid.uuid4().hex
WAIT = "wait_sleep: 0.2"

DOT = """graph "%(name)s" {
  "leaf01" [ function="leaf" os="cumulus-vx-5.10.1" cpu="2" memory="2048" ]
  "leaf02" [ function="leaf" os="cumulus-vx-5.10.1" ]
  "server01" [ os="generic/ubuntu2204" ]
  "leaf01":"swp1" -- "leaf02":"swp1"
  "server01":"eth1" -- "leaf01":"swp2"
}
"""


@pytest.fixture(scope="module")
def air():
    from air_emulator import AirEmulator

    # 30 emulated seconds pass per real second: a load (30 s) takes one
    emulator = AirEmulator(speed=30.0).start()
    emulator.add_account(USERNAME, api_token=API_TOKEN)
    yield emulator
    emulator.stop()


def ssh_key(seed):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + (seed * 32)[:32].encode()
    return "ssh-ed25519 %s ci@runner" % base64.b64encode(blob).decode()


@pytest.fixture
def lab(air, emulated_lab):
    air.faults.clear()
    air.redirects.clear()
    return emulated_lab(air, "air",
                        {"api_url": air.url, "username": USERNAME, "password": API_TOKEN},
                        not_writes=["/api/v1/login/"])


def ok(run, task="t"):
    assert run.rc == 0, run.output
    return run.task(task)


def write_paths(run):
    return [(r["method"], r["path"]) for r in run.writes]


# -- ssh keys --------------------------------------------------------------------------------
def test_ssh_key_contract(lab):
    name = "key-" + uuid.uuid4().hex[:6]
    first, second = ssh_key("a"), ssh_key("b")
    create = lab.task("air_ssh_key", name=name, public_key=first)

    run = lab.play(create, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["name"] == name and len(result["diff"]["after"]["public_key"]) == 44

    run = lab.play(create)
    assert ok(run)["changed"] and write_paths(run) == [("POST", "/api/v1/sshkey/")]
    assert run.writes[0]["body"]["name"] == name

    run = lab.play(create)
    assert not ok(run)["changed"] and run.writes == []

    replace = lab.task("air_ssh_key", name=name, public_key=second)
    run = lab.play(replace, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    assert result["diff"]["before"]["public_key"] != result["diff"]["after"]["public_key"]

    run = lab.play(replace)
    assert ok(run)["changed"]
    assert [m for m, _p in write_paths(run)] == ["DELETE", "POST"]
    assert not ok(lab.play(replace))["changed"]

    absent = lab.task("air_ssh_key", name=name, state="absent")
    run = lab.play(absent, check=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(absent)
    assert ok(run)["changed"] and [m for m, _p in write_paths(run)] == ["DELETE"]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


def test_validate_certs_false_warns_once_per_task(lab):
    """Turning certificate checks off is allowed, never silent: one warning for the task."""
    tasks = (lab.task("air_ssh_key", _task="unverified", name="nocheck", state="absent", validate_certs=False)
             + lab.task("air_ssh_key", _task="verified", name="nocheck", state="absent"))
    run = lab.play(tasks)
    warnings = [w for w in ok(run, "unverified").get("warnings") or [] if "certificate" in w]
    assert len(warnings) == 1 and "validate_certs" in warnings[0]
    assert not [w for w in ok(run, "verified").get("warnings") or [] if "certificate" in w]
    assert warnings[0] in run.output  # shown to the user, not only recorded


def test_bad_public_key_fails_before_any_request(lab):
    run = lab.play(lab.task("air_ssh_key", name="bad", public_key="ssh-ed25519 not*base64"))
    assert run.rc != 0 and "public_key:" in run.task("t")["msg"]
    assert run.requests == []


# -- topologies ------------------------------------------------------------------------------
def test_topology_from_file_converges_and_a_changed_file_changes_it_in_place(lab):
    name = "topo-" + uuid.uuid4().hex[:6]
    lab.file("fabric.dot", DOT % {"name": name})
    task = lab.task("air_topology", name=name, file="fabric.dot")

    run = lab.play(task, check=True, diff=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(task)
    topology_id = ok(run)["topology"]["id"]
    assert ok(run)["changed"] and ("POST", "/api/v1/topology/") in write_paths(run)
    run = lab.play(task)
    assert not ok(run)["changed"] and run.writes == [], write_paths(run)

    # air.md 6.1: node/ and link/ PATCH, POST and DELETE: leaf01's memory is patched, server02 and its
    # link are added; leaf02 needs a port it lacks (swp2), so it alone is created anew, with its link
    changed = (DOT % {"name": name}).replace('memory="2048"', 'memory="4096"').replace(
        "}", '  "server02" [ os="generic/ubuntu2204" ]\n  "server02":"eth1" -- "leaf02":"swp2"\n}')
    lab.file("fabric.dot", changed)
    run = lab.play(task, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    before, after = result["diff"]["before"]["content"], result["diff"]["after"]["content"]
    assert (before["nodes"]["leaf01"]["memory"], after["nodes"]["leaf01"]["memory"]) == (2048, 4096)
    assert "server02" not in before["nodes"] and "leaf02:swp2 -- server02:eth1" in after["links"]
    run = lab.play(task, diff=True)
    real = ok(run)
    assert real["changed"] and real["topology"]["id"] == topology_id
    assert real["diff"] == result["diff"]  # check mode predicted it exactly
    calls = write_paths(run)
    assert sorted(m for m, _p in calls) == ["DELETE", "PATCH", "POST", "POST", "POST", "POST"], calls
    leaf01 = [n["id"] for n in lab.emulator.state["nodes"].values()
              if n["name"] == "leaf01" and n["topology"] == topology_id]
    assert ("PATCH", "/api/v1/node/%s/" % leaf01[0]) in calls
    assert [r["body"] for r in run.writes if r["method"] == "PATCH"] == [{"memory": 4096}]
    assert not [p for _m, p in calls if p.startswith("/api/v1/topology/")]  # the topology itself stays
    run = lab.play(task)
    assert not ok(run)["changed"] and run.writes == [], write_paths(run)

    absent = lab.task("air_topology", name=name, state="absent")
    assert ok(lab.play(absent))["changed"]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


def test_topology_inline_json(lab):
    name = "json-" + uuid.uuid4().hex[:6]
    content = {"nodes": {"a": {"os": "generic/ubuntu2204", "cpu": 1}, "b": {"os": "generic/ubuntu2204"}},
               "links": [[{"node": "a", "interface": "eth1"}, {"node": "b", "interface": "eth1"}]]}
    task = lab.task("air_topology", name=name, content=content)
    assert ok(lab.play(task))["changed"]
    run = lab.play(task)
    assert not ok(run)["changed"] and run.writes == []


def test_missing_topology_file_names_the_option(lab):
    run = lab.play(lab.task("air_topology", name="x", file="no-such-file.dot"))
    assert run.rc != 0 and run.task("t")["msg"].startswith("file: cannot read no-such-file.dot")
    assert run.requests == []


# -- simulations -----------------------------------------------------------------------------
def test_simulation_life_cycle(lab):
    title = "lab-" + uuid.uuid4().hex[:6]
    lab.file("lab.dot", DOT % {"name": title})
    present = lab.task("air_simulation", title=title, topology_file="lab.dot")

    run = lab.play(present, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == [] and result["diff"]["after"]["title"] == title
    run = lab.play(present)
    result = ok(run)
    assert result["changed"] and write_paths(run) == [("POST", "/api/v2/simulation/")]
    assert result["simulation"]["state"] == "NEW"
    assert {n["name"] for n in result["simulation"]["nodes"]} >= {"leaf01", "leaf02", "server01"}
    sim_id = result["simulation"]["id"]
    run = lab.play(present)
    assert not ok(run)["changed"] and run.writes == []

    loaded = lab.task("air_simulation", title=title, state="loaded", wait_sleep=0.2)
    run = lab.play(loaded, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    assert (result["diff"]["before"]["state"], result["diff"]["after"]["state"]) == ("NEW", "LOADING")
    run = lab.play(loaded, diff=True)
    result = ok(run)
    assert result["changed"] and result["simulation"]["state"] == "LOADED"
    assert write_paths(run) == [("POST", "/api/v1/simulation/%s/control/" % sim_id)]
    assert run.writes[0]["body"] == {"action": "load"}
    run = lab.play(loaded, check=True)
    assert not ok(run)["changed"] and run.writes == []
    run = lab.play(loaded)
    assert not ok(run)["changed"] and run.writes == []

    # an extension is a change, the same time in another form is not
    sleep_at = "2031-01-02T03:04:05Z"
    extend = lab.task("air_simulation", title=title, sleep_at=sleep_at)
    run = lab.play(extend, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["sleep_at"] == sleep_at
    run = lab.play(extend)
    assert ok(run)["changed"]
    assert write_paths(run) == [("PATCH", "/api/v1/simulation/%s/" % sim_id)]
    assert run.writes[0]["body"] == {"sleep_at": sleep_at}
    same_time = lab.task("air_simulation", title=title, sleep_at="2031-01-02 04:04:05+01:00")
    run = lab.play(same_time)
    assert not ok(run)["changed"] and run.writes == []

    stored = lab.task("air_simulation", title=title, state="stored", wait_sleep=0.2)
    run = lab.play(stored)
    result = ok(run)
    assert result["changed"] and result["simulation"]["state"] == "STORED"
    assert [r["body"] for r in run.writes] == [{"action": "store"}]
    run = lab.play(stored)
    assert not ok(run)["changed"] and run.writes == []

    by_id = lab.task("air_simulation", id=sim_id, title=title + "-renamed")
    run = lab.play(by_id)
    assert ok(run)["changed"] and [r["body"] for r in run.writes] == [{"title": title + "-renamed"}]

    absent = lab.task("air_simulation", title=title + "-renamed", state="absent", wait_sleep=0.2)
    run = lab.play(absent, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == [] and result["diff"]["after"] == {}
    run = lab.play(absent)
    assert ok(run)["changed"] and [r["body"] for r in run.writes] == [{"action": "destroy"}]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


def test_simulation_from_existing_topology_and_json(lab):
    name = "base-" + uuid.uuid4().hex[:6]
    assert ok(lab.play(lab.task("air_topology", name=name, content=DOT % {"name": name})))["changed"]
    task = lab.task("air_simulation", title=name + "-sim", topology=name)
    run = lab.play(task)
    assert ok(run)["changed"] and write_paths(run) == [("POST", "/api/v1/simulation/")]
    assert not ok(lab.play(task))["changed"]

    content = {"nodes": {"a": {"os": "generic/ubuntu2204"}}, "links": []}
    task = lab.task("air_simulation", title=name + "-json", topology_content=content,
                    documentation="from JSON")
    run = lab.play(task)
    result = ok(run)
    assert result["changed"] and result["simulation"]["documentation"] == "from JSON"
    assert write_paths(run)[0] == ("POST", "/api/v2/simulations/import/")
    run = lab.play(task)
    assert not ok(run)["changed"] and run.writes == []


def test_wait_timeout_names_the_state(lab):
    title = "slow-" + uuid.uuid4().hex[:6]
    task = lab.task("air_simulation", title=title, topology_content=DOT % {"name": title},
                    state="loaded", wait_timeout=1, wait_sleep=0.2)
    lab.emulator.load_seconds = 3600
    try:
        run = lab.play(task)
    finally:
        lab.emulator.load_seconds = 30
    assert run.rc != 0
    assert "wait_timeout: the simulation is still LOADING after 1 s" in run.task("t")["msg"]
    # without waiting, a loading simulation is already on its way: nothing more to do
    run = lab.play(lab.task("air_simulation", title=title, state="loaded", wait=False))
    assert not ok(run)["changed"] and run.writes == []


def test_bad_input_fails_before_any_write(lab):
    title = "bad-" + uuid.uuid4().hex[:6]
    cases = [
        (lab.task("air_simulation", title=title, topology="no-such-topology"), "topology: no "),
        (lab.task("air_simulation", title=title, topology_content="graph x {}", expires_at="soon"),
         "expires_at: 'soon' is not an ISO 8601 timestamp"),
        (lab.task("air_simulation", title=title, topology_content="graph x {}", sleep_at="2020-01-01T00:00:00Z"),
         "sleep_at: 2020-01-01T00:00:00Z is in the past"),
        (lab.task("air_simulation", title=title), "set: topology or topology_file or topology_content"),
        (lab.task("air_simulation", state="loaded"), "title"),
    ]
    for task, message in cases:
        run = lab.play(task)
        assert run.rc != 0, task
        assert message in run.task("t")["msg"], (message, run.task("t")["msg"])
        assert run.writes == [], task


@pytest.mark.parametrize("options,message", [
    ({}, "no Air credentials: give username + password"),
    ({"username": USERNAME}, "password is missing"),
    ({"username": USERNAME, "password": API_TOKEN, "bearer_token": "abc"}, "not both"),
])
def test_auth_ways_checked_before_any_request(lab, options, message):
    options = dict(options, api_url=lab.emulator.url)
    run = lab.play(lab.task("air_ssh_key", name="k", **options), connection=False)
    assert run.rc != 0 and message in run.task("t")["msg"]
    assert run.requests == []
    assert API_TOKEN not in run.output


def test_titles_are_not_unique(lab):
    import requests

    title = "twin-" + uuid.uuid4().hex[:6]
    ok(lab.play(lab.task("air_simulation", title=title, topology_content=DOT % {"name": title})))
    # a second simulation with the same title, made as another client would
    session = requests.Session()
    token = session.post(lab.emulator.url + "/api/v1/login/",
                         json={"username": USERNAME, "password": API_TOKEN}).json()["token"]
    created = session.post(lab.emulator.url + "/api/v2/simulation/", headers={"Authorization": "Bearer " + token},
                           json={"title": title, "topology_data": DOT % {"name": title}})
    assert created.status_code == 201, created.text
    run = lab.play(lab.task("air_simulation", title=title, documentation="which one?"))
    assert run.rc != 0 and "2 simulation objects match" in run.task("t")["msg"] and run.writes == []
    run = lab.play(lab.task("air_simulation", id=created.json()["id"], documentation="this one"))
    assert ok(run)["changed"] and [r["body"] for r in run.writes] == [{"documentation": "this one"}]


# -- services --------------------------------------------------------------------------------
def test_service_contract(lab):
    title = "svc-" + uuid.uuid4().hex[:6]
    sim = ok(lab.play(lab.task("air_simulation", title=title, topology_content=DOT % {"name": title})))
    sim_id = sim["simulation"]["id"]
    create = lab.task("air_service", simulation=title, name="ssh-server", node="server01",
                      interface="eth1", dest_port=22, service_type="ssh")
    run = lab.play(create, check=True, diff=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(create)
    service = ok(run)["service"]
    assert write_paths(run) == [("POST", "/api/v1/service/")]
    assert service["host"] and service["src_port"] and service["node"] == "server01"
    assert run.writes[0]["body"]["simulation"] == sim_id and run.writes[0]["body"]["dest_port"] == 22
    run = lab.play(create)
    assert not ok(run)["changed"] and run.writes == []
    # found by node + interface + port when no name is given
    run = lab.play(lab.task("air_service", simulation=sim_id, node="server01", interface="eth1", dest_port=22))
    assert not ok(run)["changed"] and run.writes == [] and run.task("t")["service"]["id"] == service["id"]

    moved = lab.task("air_service", simulation=title, name="ssh-server", node="server01",
                     interface="eth1", dest_port=2222, service_type="ssh")
    run = lab.play(moved, check=True, diff=True)
    result = ok(run)
    assert result["changed"] and run.writes == []
    assert (result["diff"]["before"]["dest_port"], result["diff"]["after"]["dest_port"]) == (22, 2222)
    run = lab.play(moved)
    assert ok(run)["changed"] and [m for m, _p in write_paths(run)] == ["DELETE", "POST"]

    wrong = lab.task("air_service", simulation=title, name="web", node="server01", interface="eth9", dest_port=80)
    run = lab.play(wrong)
    assert run.rc != 0 and "interface: node server01 has no interface eth9" in run.task("t")["msg"]
    assert run.writes == []

    info = lab.play(lab.task("air_simulation_info", title=title))
    found = ok(info)["simulations"]
    assert len(found) == 1 and [s["name"] for s in found[0]["services"]] == ["ssh-server"]
    assert info.writes == []

    absent = lab.task("air_service", simulation=title, name="ssh-server", state="absent")
    assert ok(lab.play(absent))["changed"]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


# -- organizations ---------------------------------------------------------------------------
def test_organization_members(lab):
    name = "org-" + uuid.uuid4().hex[:6]
    lead, engineer = "lead-%s@example.com" % name, "eng-%s@example.com" % name
    lab.emulator.add_account(lead)
    lab.emulator.add_account(engineer)
    create = lab.task("air_organization", name=name,
                      members=[{"username": lead, "roles": ["Organization Admin"]}])
    assert ok(lab.play(create))["changed"]
    run = lab.play(create)
    assert not ok(run)["changed"] and run.writes == []

    add = lab.task("air_organization", name=name, members=[{"username": engineer}])
    run = lab.play(add, check=True, diff=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(add)
    members = ok(run)["organization"]["members"]
    assert sorted(m["username"] for m in members) == sorted([lead, engineer])
    assert [r["method"] for r in run.writes] == ["POST"]
    assert not ok(lab.play(add))["changed"]

    exact = lab.task("air_organization", name=name, purge_members=True,
                     members=[{"username": engineer, "roles": ["Organization Admin"]}])
    run = lab.play(exact, diff=True)
    result = ok(run)
    assert [m["username"] for m in result["organization"]["members"]] == [engineer]
    assert sorted(r["method"] for r in run.writes) == ["DELETE", "POST"]
    run = lab.play(exact)
    assert not ok(run)["changed"] and run.writes == []

    absent = lab.task("air_organization", name=name, state="absent")
    assert ok(lab.play(absent))["changed"]
    assert not ok(lab.play(absent))["changed"]


# -- transport -------------------------------------------------------------------------------
def test_secrets_never_in_output(lab):
    title = "secret-" + uuid.uuid4().hex[:6]
    tasks = (lab.task("air_simulation", title=title, topology_content=DOT % {"name": title})
             + lab.task("air_ssh_key", name="k-" + title, public_key=ssh_key("c")))
    run = lab.play(tasks, verbosity=4, diff=True)
    assert run.rc == 0, run.output
    tokens = lab.emulator.issued_tokens()
    assert tokens
    everything = run.output + json.dumps(run.tasks)
    for secret in [API_TOKEN] + tokens:
        assert secret not in everything
    failed = lab.play(lab.task("air_ssh_key", name="k", bearer_token="wrong-bearer-" + title, username=None,
                               password=None), verbosity=3)
    assert failed.rc != 0 and "403" in failed.task("t")["msg"]
    assert "wrong-bearer-" + title not in failed.output + json.dumps(failed.tasks)


def test_bearer_token_and_environment(lab):
    token = lab.emulator.issue_token(USERNAME)
    run = lab.play(lab.task("air_simulation_info", title="nothing-" + uuid.uuid4().hex), connection=False,
                   env={"AIR_API_URL": lab.emulator.url, "AIR_BEARER_TOKEN": token})
    assert ok(run)["simulations"] == []
    assert not [r for r in run.requests if r["path"] == "/api/v1/login/"]
    run = lab.play(lab.task("air_simulation_info", title="nothing"), connection=False,
                   env={"AIR_API_URL": lab.emulator.url, "AIR_USERNAME": USERNAME, "AIR_TOKEN": API_TOKEN})
    assert ok(run)["simulations"] == []
    logins = [r for r in run.requests if r["path"] == "/api/v1/login/"]
    assert len(logins) == 1


def test_expired_token_logs_in_once_more(lab):
    # Air refuses an expired bearer token with 403 (air.md 2.3): log in again once, resend once
    lab.emulator.faults.add(path="^/api/v1/simulation/$", method="GET", status=403,
                            body={"detail": "Given token not valid for any token type"})
    run = lab.play(lab.task("air_simulation_info", title="nothing"))
    assert ok(run)["simulations"] == []
    assert [r["path"] for r in run.requests] == ["/api/v1/login/", "/api/v1/simulation/",
                                                 "/api/v1/login/", "/api/v1/simulation/"]


def test_retries_on_429_and_503(lab):
    lab.emulator.faults.add(path="/api/v1/sshkey/", method="GET", status=429, retry_after=1)
    lab.emulator.faults.add(path="/api/v1/sshkey/", method="GET", status=503)
    run = lab.play(lab.task("air_ssh_key", name="nope-" + uuid.uuid4().hex[:6], state="absent"))
    assert not ok(run)["changed"]
    statuses = [r["status"] for r in run.requests if r["path"] == "/api/v1/sshkey/"]
    assert statuses == [429, 503, 200]


def test_redirect_to_another_host_gets_no_credentials(lab):
    from air_emulator import AirEmulator

    other = AirEmulator(host="127.0.0.2").start()
    try:
        lab.emulator.add_redirect("^/api/v1/sshkey/$", other.url, status=301, count=1)
        run = lab.play(lab.task("air_ssh_key", name="x", state="absent"))
        sent = [r for r in other.log if r["path"] == "/api/v1/sshkey/"]
        assert sent and all(r["authorization"] is None for r in sent)
        assert run.rc != 0 and "403" in run.task("t")["msg"]
    finally:
        other.stop()


# -- the role --------------------------------------------------------------------------------
def test_air_lab_role(lab):
    title = "role-" + uuid.uuid4().hex[:6]
    lab.file("role.dot", DOT % {"name": title})
    tasks = """
- name: lab
  ansible.builtin.include_role:
    name: statecraft.infra.air_lab
  vars:
    air_lab_title: %s
    air_lab_topology_file: role.dot
    air_lab_services:
      - {name: ssh, node: server01, interface: eth1, dest_port: 22}
- name: t
  ansible.builtin.debug:
    var: air_lab
""" % title
    first = lab.play(tasks)
    fact = ok(first)["air_lab"]
    assert fact["state"] == "LOADED" and fact["services"]["ssh"]["src_port"]
    again = lab.play(tasks)
    assert ok(again)["air_lab"] == fact
    assert again.writes == []
    assert "changed=0" in again.stdout


def test_user_config_contract(lab):
    name = "cfg-" + uuid.uuid4().hex[:6]
    create = lab.task("air_user_config", name=name, kind="cloud-init-user-data",
                      content="#cloud-config\npackages: [lldpd]\n")
    run = lab.play(create, check=True, diff=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(create)
    assert ok(run)["changed"] and write_paths(run) == [("POST", "/api/v2/userconfigs/")]
    run = lab.play(create)
    assert not ok(run)["changed"] and run.writes == []
    update = lab.task("air_user_config", name=name, kind="cloud-init-user-data",
                      content="#cloud-config\npackages: [lldpd, iperf3]\n")
    run = lab.play(update, diff=True)
    result = ok(run)
    assert result["changed"] and [r["body"] for r in run.writes] == [
        {"content": "#cloud-config\npackages: [lldpd, iperf3]\n"}]
    assert "iperf3" in result["diff"]["after"]["content"] and "iperf3" not in result["diff"]["before"]["content"]
    absent = lab.task("air_user_config", name=name, kind="cloud-init-user-data", state="absent")
    assert ok(lab.play(absent))["changed"]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


def test_node_cloud_init(lab):
    title = "ci-" + uuid.uuid4().hex[:6]
    ok(lab.play(lab.task("air_simulation", title=title, topology_content=DOT % {"name": title})))
    for kind in ("cloud-init-user-data", "cloud-init-meta-data"):
        ok(lab.play(lab.task("air_user_config", name=title, kind=kind, content="#cloud-config\n")))
    assign = lab.task("air_node_cloud_init", simulation=title, node="server01", user_data=title, meta_data=title)
    run = lab.play(assign, check=True)
    assert ok(run)["changed"] and run.writes == []
    run = lab.play(assign)
    result = ok(run)
    assert result["changed"] and result["cloud_init"]["user_data_name"] == title
    assert [(r["method"], set(r["body"])) for r in run.writes] == [("PATCH", {"user_data", "meta_data"})]
    run = lab.play(assign)
    assert not ok(run)["changed"] and run.writes == []
    run = lab.play(lab.task("air_node_cloud_init", simulation=title, node="server01", clear=["meta_data"]))
    assert ok(run)["changed"] and [r["body"] for r in run.writes] == [{"meta_data": None}]
    run = lab.play(lab.task("air_node_cloud_init", simulation=title, node="nope", user_data=title))
    assert run.rc != 0 and "node: the simulation has no node nope" in run.task("t")["msg"] and run.writes == []
    absent = lab.task("air_node_cloud_init", simulation=title, node="server01", state="absent")
    assert ok(lab.play(absent))["changed"]
    run = lab.play(absent)
    assert not ok(run)["changed"] and run.writes == []


# -- lab operations: duplicates, sharing, node instructions and control, images (issue 19) ---
def tolerate(task):
    """The task, allowed to fail without ending the play."""
    return task + "  ignore_errors: true\n"


def test_lab_operations(lab):
    title = "ops-" + uuid.uuid4().hex[:6]
    share = lab.task("air_permission", _task="share", simulation=title, email="pat-%s@example.com" % title)
    instructions = [{"executor": "file", "data": {"/etc/motd": "lab\n", "post_cmd": ["true"]}},
                    {"executor": "shell", "data": ["apt-get update", "apt-get install -y iperf3"]}]
    setup = (lab.task("air_simulation", _task="sim", title=title, demo="EVPN Demo")
             + lab.task("air_simulation", _task="copy", title=title + "-copy", source=title, sleep=False)
             + share
             + lab.task("air_node_instructions", _task="instr", simulation=title, node="server01",
                        instructions=instructions)
             + lab.task("air_service", _task="tcp", simulation=title, name="iperf", node="server01",
                        interface="eth0", dest_port=5201, service_type="tcp")
             + lab.task("air_image_info", _task="images", name="cumulus-vx-5.10.1")
             + tolerate(lab.task("air_node_control", _task="not-running", simulation=title, node="leaf01",
                                 action="reset")))

    run = lab.play(setup, check=True, diff=True)
    assert run.writes == []
    for name in ("sim", "copy", "share", "instr", "tcp", "not-running"):
        assert run.ok(name)["changed"], name
    assert run.ok("instr")["diff"]["after"]["instructions"][1] == {
        "executor": "shell", "data": "apt-get update\napt-get install -y iperf3"}

    run = lab.play(setup, diff=True)
    sim = run.ok("sim")["simulation"]
    demo = lab.emulator.state["demos"][lab.emulator.demo_id]
    # air.md 8.4: the demo's snapshot is duplicated, then titled; the copy duplicates the new simulation
    assert ("POST", "/api/v2/simulations/%s/duplicate/" % demo["snapshot"]) in write_paths(run)
    assert ("POST", "/api/v2/simulations/%s/duplicate/" % sim["id"]) in write_paths(run)
    assert sim["title"] == title and sim["state"] == "NEW" and sim["cloned"]
    assert {n["name"] for n in sim["nodes"]} >= {"leaf01", "leaf02", "server01"}
    copy = run.ok("copy")["simulation"]
    assert copy["title"] == title + "-copy" and copy["sleep"] is False
    assert run.ok("share")["permission"]["write_ok"] is False
    assert run.ok("tcp")["service"]["service_type"] == "tcp"
    assert [i["name"] for i in run.ok("images")["images"]] == ["cumulus-vx-5.10.1"]
    assert "the simulation is NEW" in run.failed("not-running")["msg"]
    assert not [r for r in run.writes if r["path"].endswith("/control/")]  # refused before sending
    instr = [r for r in run.writes if r["path"].endswith("/instructions/")]
    assert [(r["method"], r["body"]["executor"]) for r in instr] == [("POST", "file"), ("POST", "shell")]
    assert json.loads(instr[0]["body"]["data"]) == instructions[0]["data"]

    run = lab.play(setup.rsplit("- name: not-running", 1)[0])
    assert run.writes == [], write_paths(run)
    assert not any(r["changed"] for r in run.tasks if r["_task"] in ("sim", "copy", "share", "instr", "tcp"))

    # sharing with write access is a new permission; other instructions replace the pending ones;
    # loaded, the node can be reset, and its agent runs (and deletes) the instructions
    change = (lab.task("air_permission", _task="share", simulation=title, email="pat-%s@example.com" % title,
                       write_ok=True)
              + lab.task("air_node_instructions", _task="instr", simulation=title, node="server01",
                         instructions=[{"executor": "init", "data": {"hostname": "srv1"}}])
              + lab.task("air_simulation", _task="load", title=title, state="loaded", wait_sleep=0.2)
              + lab.task("air_node_control", _task="reset", simulation=title, node="leaf01", action="reset",
                         wait_sleep=0.2))
    predicted = lab.play(change, check=True, diff=True)
    assert predicted.writes == [] and all(predicted.ok(t)["changed"] for t in ("share", "instr", "load", "reset"))
    run = lab.play(change, diff=True)
    for name in ("share", "instr"):
        assert run.ok(name)["diff"] == predicted.ok(name)["diff"], name
    assert [m for m, p in write_paths(run) if "/permission/" in p] == ["DELETE", "POST"]
    assert [m for m, p in write_paths(run) if p.endswith("/instructions/")] == ["DELETE", "POST"]
    jobs = run.ok("reset")["jobs"]
    assert jobs and {j["state"] for j in jobs} == {"COMPLETE"}
    controls = [r["body"] for r in run.writes if r["path"].endswith("/control/")]
    assert controls == [{"action": "load"}, {"action": "reset"}]
    run = lab.play(change.rsplit("- name: reset", 1)[0])
    assert run.writes == [] and not any(r["changed"] for r in run.tasks if r["_task"] in ("share", "instr", "load"))

    gone = (lab.task("air_permission", _task="share", simulation=title, email="pat-%s@example.com" % title,
                     state="absent")
            + lab.task("air_node_instructions", _task="instr", simulation=title, node="server01", state="absent"))
    run = lab.play(gone)
    assert run.ok("share")["changed"] and not run.ok("instr")["changed"]  # ran already: nothing pending
    run = lab.play(gone)
    assert run.writes == [] and not run.ok("share")["changed"]
