# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Air emulator driven by NVIDIA's own SDK (air-sdk 2.21.1, unmodified), plus plain HTTP
tests of the emulator's own machinery (faults, log, admin endpoints, pagination, timers).

The emulated clock is stepped with ``emu.clock.advance``; nothing here waits for real time
beyond a fraction of a second.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from air_sdk import AirApi
from air_sdk.exceptions import AirForbiddenError, AirUnexpectedResponse

from air_emulator import AirEmulator, WORKER_FQDN

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKlJwlBeNBNnWRWfrHYrhhnPc0gu+9bvTizFvY9urK7L alice@example"
ED25519_FINGERPRINT = "J2vtpHNKxOciWtj/dDLyF8kIJolOyIEqabk6jt5XDmk="  # ssh-keygen -lf, plus padding
RSA = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCkXFkpVGJ2eRc9J2+10mtCDwFFONxOwPqGWryJEv2pqI7hmVuBQgFVHyJVmsOhNWJN"
       "FMFSZ2Tzjzjb0brEbdOa7ZOPhry0lFwQF7+H3NP7rsVrpHgZWOXmMh+2eDbBiqJM38U4hy3DyEzPaKqxJRrKg+wUp/K16RyQm72wPvJHAw=="
       " bob@example")
RSA_FINGERPRINT = "yFfe+VMxERbygLoQBu+i86JP5QhkMQsD3LAMfOSZZh4="
DOT = """graph "fabric" {
  // a server, a leaf and an out-of-band switch
  "server01" [ function="server" os="generic/ubuntu2204" cpu="2" memory="2048" ]
  "leaf01" [ function="leaf" os="cumulus-vx-5.10.1" storage="20" ]
  "oob-mgmt-switch" [ function="oob-switch" os="cumulus-vx-5.10.1" ]
  "server01":"eth1" -- "leaf01":"swp1"
  "server01":"eth0" -- "oob-mgmt-switch":"swp2"
  "leaf01":"eth0" -- "oob-mgmt-switch":"swp3"
}
"""
JSON_CONTENT = {
    "nodes": {"spine01": {"os": "cumulus-vx-5.10.1", "cpu": 2}, "leaf01": {"os": "cumulus-vx-5.10.1"}},
    "links": [[{"node": "spine01", "interface": "swp1"}, {"node": "leaf01", "interface": "swp49"}],
              [{"node": "leaf01", "interface": "swp2"}, "exit"]],
}


def naive_utc(**delta):
    """A naive UTC time: what the v1 SDK accepts for sleep_at/expires_at (air.md 3.8)."""
    return datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(**delta)


def bearer(emu):
    return {"Authorization": "Bearer " + emu.issue_token(emu.username)}


def api(emu, path, method="GET", **kwargs):
    headers = dict(bearer(emu), **kwargs.pop("headers", {}))
    return requests.request(method, emu.url + path, headers=headers, allow_redirects=False, timeout=10, **kwargs)


def own(emu, collection):
    """The records of ``collection`` the test made: the seeded demo's snapshot left out."""
    demo = emu.state["demos"][emu.demo_id]["snapshot"]
    topology = emu.state["simulations"][demo]["topology"]
    return {k: r for k, r in emu.state[collection].items()
            if demo not in (r.get("simulation"), r.get("id")) and topology not in (r.get("topology"), r.get("id"))}


def calls(entries):
    return [(e["method"], e["path"], e["status"]) for e in entries]


# ==================================================================================================
# v1 SDK: authentication
# ==================================================================================================
def test_login_with_api_token_and_whoami(emu, air):
    assert air.username == emu.username
    assert emu.state["accounts"][air.login.get().id]["username"] == emu.username
    assert calls(emu.log[:2]) == [("POST", "/api/v1/login/", 200), ("GET", "/api/v1/login/", 200)]
    login = emu.log[0]
    assert login["authorization"] is None and login["body"] == {"username": emu.username, "password": "********"}
    assert emu.log[1]["authorization"] == "Bearer"
    assert emu.api_token not in json.dumps(emu.log)


def test_service_account_and_bearer_token(emu):
    service = AirApi(username=emu.service_username, password=emu.service_password, api_url=emu.url + "/api/")
    assert service.username == emu.service_username
    by_token = AirApi(bearer_token=emu.issue_token(emu.username), api_url=emu.url + "/api/")
    assert by_token.username == emu.username
    assert [e["method"] for e in emu.log].count("POST") == 1  # bearer_token skips login


def test_bad_credentials(emu):
    with pytest.raises(AirUnexpectedResponse) as err:
        AirApi(username=emu.username, password="wrong", api_url=emu.url + "/api/")
    assert err.value.status_code == 401
    with pytest.raises(AirForbiddenError):
        AirApi(bearer_token="not-a-token", api_url=emu.url + "/api/")


def test_reauthentication_after_expired_token(emu, air):
    assert air.simulations.list() == []
    emu.clear_log()
    emu.expire_tokens()
    assert air.simulations.list() == []  # the SDK logs in again on 403 and retries once (air.md 2.3)
    assert calls(emu.log) == [("GET", "/api/v1/simulation/", 403), ("POST", "/api/v1/login/", 200),
                              ("GET", "/api/v1/login/", 200), ("GET", "/api/v1/simulation/", 200)]


def test_expired_bearer_token_is_not_renewed(emu):
    client = AirApi(bearer_token=emu.issue_token(emu.username), api_url=emu.url + "/api/")
    emu.expire_tokens()
    with pytest.raises(AirForbiddenError):
        client.simulations.list()


def test_api_tokens(emu, air):
    token = air.api_tokens.create(name="ci", expiry=naive_utc(days=30))
    assert token.name == "ci" and token.token
    listed = air.api_tokens.list()
    assert {t.name for t in listed} == {"emulator", "ci"} and not any(hasattr(t, "token") for t in listed)
    assert AirApi(username=emu.username, password=token.token, api_url=emu.url + "/api/").username == emu.username
    air.api_tokens.delete(token.id)
    with pytest.raises(AirUnexpectedResponse):
        AirApi(username=emu.username, password=token.token, api_url=emu.url + "/api/")


def test_redirect_to_foreign_host_is_not_followed(emu, air):
    other = AirEmulator().start()
    try:
        emu.add_redirect(r"^/api/v1/simulation/$", other.url, status=301, count=1)
        with pytest.raises(AirUnexpectedResponse) as err:
            air.simulations.list()
        assert err.value.status_code == 301
        assert other.log == []  # 127.0.0.1 is not in ALLOWED_HOSTS (air.md 2.4)
        assert air.simulations.list() == []  # the one-shot rule is used up
    finally:
        other.stop()


# ==================================================================================================
# v1 SDK: SSH keys, topologies, organizations
# ==================================================================================================
def test_ssh_keys(emu, air):
    alice = air.ssh_keys.create(name="alice", public_key=ED25519)
    assert alice.fingerprint == ED25519_FINGERPRINT and len(alice.fingerprint) == 44
    assert not hasattr(alice, "public_key")  # write-only
    assert air.ssh_keys.create(name="bob", public_key=RSA).fingerprint == RSA_FINGERPRINT
    assert [k.name for k in air.ssh_keys.list(ordering="-name")] == ["bob", "alice"]
    assert [k.name for k in air.ssh_keys.list(ordering="name")] == ["alice", "bob"]
    with pytest.raises(AirUnexpectedResponse) as err:
        air.ssh_keys.create(name="garbage", public_key="ssh-rsa not-base64!")
    assert err.value.status_code == 400
    with pytest.raises(AirUnexpectedResponse) as err:
        air.ssh_keys.create(name="alice again", public_key=ED25519)
    assert err.value.status_code == 409
    alice.delete()
    assert [k.name for k in air.ssh_keys.list()] == ["bob"]


def test_topology_from_dot(emu, air):
    topo = air.topologies.create(dot=DOT)
    assert topo.name == "fabric" and len(topo.nodes) == 3 and len(topo.links) == 3
    assert emu.writes()[-1]["body"] == DOT  # sent as text/vnd.graphviz
    nodes = {n.name: n for n in air.nodes.list(topology=topo.id)}
    server = nodes["server01"]
    assert (server.cpu, server.memory, server.storage, server.function) == (2, 2048, 10, "server")
    assert server.os.name == "generic/ubuntu2204" and nodes["leaf01"].storage == 20
    assert [i.name for i in server.interfaces] == ["eth1", "eth0"]
    assert len(air.links.list(topology=topo.id)) == 3
    topo.update(name="fabric-2", documentation="https://example.com/doc")
    topo.refresh()
    assert (topo.name, topo.documentation) == ("fabric-2", "https://example.com/doc")
    with pytest.raises(AirUnexpectedResponse) as err:
        air.topologies.create(dot='graph "x" { "a":"eth1" -- "b" }')
    assert err.value.status_code == 400 and "needs an interface" in err.value.message
    with pytest.raises(AirUnexpectedResponse) as err:
        air.topologies.create(dot='graph "x" { "a" [os="generic/ubuntu2204"] "b" [os="windows95"] }')
    assert err.value.status_code == 400 and "windows95" in err.value.message
    assert len(air.topologies.list()) == 1 and len(own(emu, "nodes")) == 3  # nothing left of "x"
    topo.delete()
    assert air.topologies.list() == []


def test_topology_from_json_adds_the_oob_network(emu, air):
    topo = air.topologies.create(json=dict(JSON_CONTENT, name="spine-leaf", organization=emu.organization_id))
    nodes = {n.name: n for n in air.nodes.list(topology=topo.id)}
    assert set(nodes) == {"spine01", "leaf01", "oob-mgmt-server", "oob-mgmt-switch"}  # air.md 8.5 oob default
    leaf = {i.name: i for i in nodes["leaf01"].interfaces}
    assert set(leaf) == {"swp49", "swp2", "eth0"} and leaf["swp2"].outbound
    assert topo.organization.name == "Sandbox Org"


def test_organizations_and_members(emu, air):
    org = air.organizations.create(name="Team")
    assert org.members == [{"id": org.members[0]["id"], "username": emu.username, "roles": ["Organization Admin"]}]
    org.add_member("alice@example.com")
    org.add_members([{"username": "bob@example.com", "roles": ["Organization Admin"]}, {"username": "carol@example.com"}])
    assert {m["username"]: m["roles"] for m in org.members} == {
        emu.username: ["Organization Admin"], "alice@example.com": ["Organization Member"],
        "bob@example.com": ["Organization Admin"], "carol@example.com": ["Organization Member"]}
    org.remove_member("alice@example.com")
    org.remove_members(["bob@example.com", "carol@example.com"])
    assert [m["username"] for m in org.members] == [emu.username]
    delete = [e for e in emu.writes() if e["method"] == "DELETE"][0]
    assert delete["body"] == {"username": "alice@example.com"}
    org.name = "Team 2"  # attribute assignment PATCHes at once (air.md 3.8)
    assert air.organizations.get(org.id).name == "Team 2"
    org.delete()
    assert [o.name for o in air.organizations.list()] == ["Sandbox Org"]


# ==================================================================================================
# v1 SDK: simulations
# ==================================================================================================
def test_simulation_life_cycle(emu, air):
    topo = air.topologies.create(dot=DOT)
    sim = air.simulations.create(topology=topo, title="lab", organization=emu.organization_id)
    assert (sim.state, sim.title, sim.sleep, sim.expires) == ("NEW", "lab", True, True)
    assert sim.sleep_at - sim.created == timedelta(hours=12)
    assert sim.expires_at - sim.created == timedelta(days=14)
    assert sim.topology.name == "fabric" and sim.organization.name == "Sandbox Org"
    with pytest.raises(AirUnexpectedResponse) as err:
        sim.store()  # NEW -> store is refused
    assert err.value.status_code == 400 and "non_field_errors" in err.value.message
    sim.load()
    assert sim.state == "LOADING"
    emu.clock.advance(emu.load_seconds)
    sim.refresh()
    assert sim.state == "LOADED"
    sim.store()
    assert sim.state == "STORING"
    emu.clock.advance(emu.store_seconds)
    sim.refresh()
    assert sim.state == "STORED"
    sim.start()
    emu.clock.advance(emu.load_seconds)
    sim.refresh()
    assert sim.state == "LOADED"


def test_simulation_update_extend_and_read_only_fields(emu, air):
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT))
    assert sim.title == "fabric"
    sleep_at = naive_utc(days=2).replace(microsecond=123456)
    sim.update(title="renamed", sleep_at=sleep_at)
    assert emu.writes()[-1]["body"] == {"title": "renamed", "sleep_at": sleep_at.isoformat()}
    sim.refresh()
    assert (sim.title, sim.sleep_at) == ("renamed", sleep_at.replace(tzinfo=timezone.utc))
    answer = sim.control(action="extend")
    sim.refresh()
    assert sim.sleep_at - sleep_at.replace(tzinfo=timezone.utc) == timedelta(hours=12)
    assert answer == {"result": "success", "message": sim.sleep_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    for body in ({"state": "LOADED"}, {"organization": emu.organization_id}, {"sleep_at": "tomorrow"}):
        with pytest.raises(AirUnexpectedResponse) as err:
            sim.update(**body)
        assert err.value.status_code == 400 and list(body)[0] in err.value.message
    with pytest.raises(AirUnexpectedResponse) as err:
        sim.control(action="explode")
    assert err.value.status_code == 400


def test_simulation_from_topology_data_and_destroy(emu, air):
    sim = air.simulations.create(topology_data=DOT, organization=emu.organization_id)
    assert emu.writes()[-1]["path"] == "/api/v2/simulation/"
    assert (sim.title, sim.state) == ("fabric", "NEW")
    sim.refresh()  # now through v1
    assert sim.topology.name == "fabric" and len(sim.nodes) == 3
    sim_id = sim.id
    sim.delete()
    assert air.simulations.get(sim_id).state == "STORING"  # being destroyed (see air_emulator._action_destroy)
    emu.clock.advance(emu.destroy_seconds)
    with pytest.raises(AirUnexpectedResponse) as err:
        air.simulations.get(sim_id)
    assert err.value.status_code == 404
    assert air.topologies.list() == [] and own(emu, "simulation_nodes") == {}


def test_duplicate_and_preferences(emu, air):
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT), title="golden")
    clone, answer = air.simulations.duplicate(sim, start=True)
    assert answer["message"] == "Duplicated simulation starting!"
    assert (clone.title, clone.cloned, clone.state) == ("golden", True, "LOADING")
    assert len(air.simulation_nodes.list(simulation=clone.id)) == 3
    prefs = sim.preferences()
    assert prefs.preferences == {}
    prefs.show = True  # PATCH {"show": true}
    prefs.update(theme="dark")  # PUT {"preferences": {...}}
    assert sim.preferences().preferences == {"show": True, "theme": "dark"}


def test_services_resolve_node_interface(emu, air):
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT))
    ssh = air.services.create(name="ssh", simulation=sim, interface="server01:eth0", dest_port=22, service_type="ssh")
    low, high = 10000, 30000
    assert low <= ssh.src_port <= high and ssh.host == WORKER_FQDN
    assert ssh.link == "ssh://ubuntu@%s:%d" % (WORKER_FQDN, ssh.src_port)
    assert (ssh.node_name, ssh.interface_name, ssh.os_default_username) == ("server01", "eth0", "ubuntu")
    assert ssh.interface.name == "eth0" and ssh.simulation.id == sim.id
    iperf = air.services.create(name="iperf", simulation=sim, interface="server01:eth1", dest_port=5201,
                                service_type="tcp")  # air.md 7.3
    assert (iperf.service_type, iperf.link) == ("tcp", "")
    iperf.delete()
    other = sim.create_service("console", "leaf01:eth0", 8080)
    assert (other.service_type, other.link, other.os_default_username) == ("other", "", "cumulus")
    assert other.src_port != ssh.src_port
    assert {s.name for s in air.services.list(simulation=sim.id)} == {"ssh", "console"}
    with pytest.raises(ValueError):
        air.services.create(name="x", simulation=sim, interface="server01:eth9", dest_port=22)
    ssh.delete()
    assert [s.name for s in air.services.list(simulation=sim.id)] == ["console"]


def test_simulation_nodes_console_instructions_and_control(emu, air):
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT))
    node = air.simulation_nodes.list(simulation=sim.id, name="leaf01")[0]
    assert node.console_port is None and node.state == "SHUTOFF"
    with pytest.raises(AirUnexpectedResponse):
        node.reset()  # the simulation is not running
    assert node.create_instructions(executor="shell", data=["echo a", "echo b"])["id"]
    assert [i["instruction"] for i in node.list_instructions()] == ["echo a\necho b"]
    node.delete_instructions()
    assert node.list_instructions() == []
    sim.load()
    emu.clock.advance(emu.load_seconds)
    nodes = air.simulation_nodes.list(simulation=sim.id)
    assert len(nodes) == 3 and {n.state for n in nodes} == {"RUNNING"}
    leaf = [n for n in nodes if n.name == "leaf01"][0]
    assert 10000 <= leaf.console_port <= 30000 and leaf.serial_port != leaf.console_port
    assert (leaf.console_username, leaf.console_password) == ("cumulus", "cumulus")
    assert leaf.console_url == "wss://%s:%d" % (WORKER_FQDN, leaf.console_port)
    assert leaf.worker.fqdn == WORKER_FQDN and leaf.original.name == "leaf01"
    metadata = json.loads(leaf.metadata)
    eth0 = [i for i in leaf.interfaces if i.original.name == "eth0"][0]
    assert metadata["mgmt_mac"] == eth0.mac_address and metadata["mgmt_ip"].startswith("192.168.200.")
    leaf.reset()
    leaf.rebuild()


def test_cloud_init_through_the_v1_sdk(emu, air):
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT))
    node = air.simulation_nodes.list(simulation=sim.id, name="server01")[0]
    user_data = air.user_configs.create(name="ud", kind="cloud-init-user-data", organization=None,
                                        content="#cloud-config\nhostname: server01\n")
    assert user_data.content.startswith("#cloud-config")
    assignment = node.set_cloud_init_assignment({"user_data": user_data})
    assert assignment == {"simulation_node": node.id, "user_data": user_data.id, "meta_data": None,
                          "user_data_name": "ud", "meta_data_name": None}
    assert node.get_cloud_init_assignment() == assignment
    assert node.set_cloud_init_assignment({"user_data": None})["user_data"] is None


# ==================================================================================================
# v2 SDK (its strict dataclass parsing checks every field, air.md 3.7)
# ==================================================================================================
def test_v2_list_paginates_and_gets(emu, air, air2):
    topo = air.topologies.create(dot=DOT)
    ids = {air.simulations.create(topology=topo, title="page").id for _index in range(5)}
    air.simulations.create(topology=topo, title="other")
    air2.set_page_size(2)
    emu.clear_log()
    assert {s.id for s in air2.simulations.list(title="page")} == ids
    assert [e["query"].get("offset") for e in emu.log] == [None, "2", "4"]
    sim = air2.simulations.get(next(iter(ids)))
    assert sim.title == "page" and sim.sleep_at > sim.created and sim.organization is None


def test_v2_load_store_extend_update_delete(emu, air2):
    sim = air2.simulations.create_from("v2-lab", "JSON", JSON_CONTENT, organization=emu.organization_id)
    assert (sim.state, sim.organization.name) == ("NEW", "Sandbox Org")
    sim.load()
    assert sim.state == "LOADING"
    emu.clock.advance(emu.load_seconds)
    sim.refresh()
    assert sim.state == "LOADED"
    before = sim.sleep_at
    assert sim.extend() == before + timedelta(hours=12)
    sim.update(title="v2-renamed", documentation="notes")
    assert (sim.title, sim.documentation) == ("v2-renamed", "notes")
    sim.store()
    emu.clock.advance(emu.store_seconds)
    sim.refresh()
    assert sim.state == "STORED"
    clone = sim.duplicate()
    assert clone.cloned and clone.state == "NEW"
    sim_id = sim.id
    sim.delete()
    assert emu.writes()[-1]["body"] == {} and emu.writes()[-1]["status"] == 204
    emu.clock.advance(emu.destroy_seconds)
    assert sim_id not in emu.state["simulations"]


def test_v2_import_export_nodes_interfaces_links_services(emu, air2):
    sim = air2.simulations.create_from("imported", "JSON", json.dumps(JSON_CONTENT))
    exported = sim.export("JSON")
    assert exported["oob"] is True and set(exported["nodes"]) == {"spine01", "leaf01"}
    assert [{"node": "leaf01", "interface": "swp2"}, "exit"] in exported["links"]
    assert exported["nodes"]["spine01"]["os"] == "cumulus-vx-5.10.1"
    assert air2.simulations.create_from("again", "JSON", exported).title == "again"
    nodes = {n.name: n for n in air2.nodes.list(simulation=sim.id)}
    assert set(nodes) == {"spine01", "leaf01", "oob-mgmt-server", "oob-mgmt-switch"}
    assert isinstance(nodes["spine01"].pos_x, float) and nodes["spine01"].cpu == 2
    server_ifaces = {i.name: i for i in air2.interfaces.list(node=nodes["oob-mgmt-server"].id)}
    assert set(server_ifaces) == {"eth0", "eth1"} and server_ifaces["eth0"].outbound
    assert server_ifaces["eth1"].interface_type == "OOB_INTF"
    links = list(air2.links.list(simulation=sim))
    assert len(links) == 4  # spine-leaf, and server, spine, leaf to the oob switch
    service = air2.services.create(name="ssh", dest_port=22, interface=server_ifaces["eth0"].id)
    assert service.service_type == "ssh" and service.host == WORKER_FQDN
    assert [s.id for s in air2.services.list(simulation=sim.id)] == [service.id]
    service.delete()
    assert list(air2.services.list(simulation=sim.id)) == []


def test_v2_userconfigs_and_cloud_init(emu, air2):
    sim = air2.simulations.create_from("ci", "JSON", JSON_CONTENT)
    user_data = air2.user_configs.create(name="ud", kind="cloud-init-user-data", content="#cloud-config\n")
    meta_data = air2.user_configs.create(name="md", kind="cloud-init-meta-data", content="hostname: x\n")
    user_data.update(content="#cloud-config\npackages: [jq]\n")
    assert air2.user_configs.get(user_data.id).content.endswith("[jq]\n")
    user_data.full_update(name="ud2", content="#cloud-config\n")
    assert {c.name for c in air2.user_configs.list()} == {"ud2", "md"}
    node = next(air2.nodes.list(simulation=sim.id, name="spine01"))
    assert node.cloud_init.user_data is None
    assignment = air2.cloud_inits.patch(node.id, user_data=user_data.id, meta_data=meta_data.id)
    assert (assignment.user_data_name, assignment.meta_data_name) == ("ud2", "md")
    with pytest.raises(AirUnexpectedResponse):
        air2.cloud_inits.patch(node.id, user_data=meta_data.id)  # wrong kind
    meta_data.delete()
    assert node.cloud_init.meta_data is None


# ==================================================================================================
# the emulator itself, over plain HTTP
# ==================================================================================================
def test_403_bodies(emu):
    url = emu.url + "/api/v1/simulation/"
    assert requests.get(url, timeout=5).text == '{"detail":"Authentication credentials were not provided."}'
    assert requests.get(url, headers={"Authorization": "Token abc"}, timeout=5).status_code == 403
    bad = requests.get(url, headers={"Authorization": "Bearer abc"}, timeout=5)
    assert (bad.status_code, bad.json()) == (403, {"detail": "Invalid token."})
    headers = bearer(emu)
    emu.expire_tokens()
    expired = requests.get(url, headers=headers, timeout=5)
    assert (expired.status_code, expired.json()) == (403, {"detail": "Token has expired."})
    assert requests.get(url, headers=bearer(emu), timeout=5).status_code == 200  # a new token works at once


def test_token_lifetime_follows_the_clock(emu):
    headers = bearer(emu)
    emu.clock.advance(emu.token_lifetime + 1)
    assert requests.get(emu.url + "/api/v1/login/", headers=headers, timeout=5).status_code == 403


def test_login_bodies(emu):
    url = emu.url + "/api/v1/login/"
    form = requests.post(url, data={"username": emu.username, "password": emu.api_token}, timeout=5)
    multipart = requests.post(url, files={"username": (None, emu.username), "password": (None, emu.api_token)},
                              timeout=5)
    for answer in (form, multipart):
        assert answer.status_code == 200 and answer.json()["result"] == "OK"
        assert answer.json()["message"] == "Successfully logged in." and answer.json()["token"].count(".") == 2
    assert requests.post(url, json={"username": emu.username, "password": "nope"}, timeout=5).status_code == 401


def test_fault_injection(emu):
    path = "/api/v1/simulation/"
    emu.faults.add(path=r"^/api/v1/simulation/$", method="GET", status=429, retry_after=7)
    throttled = api(emu, path)
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "7")
    assert throttled.json() == {"detail": "Request was throttled. Expected available in 7 seconds."}
    assert api(emu, path).status_code == 200  # count=1: used up
    emu.faults.add(path="simulation", status=503, body={"detail": "maintenance"}, count=2)
    assert [api(emu, path).status_code for _index in range(3)] == [503, 503, 200]
    emu.faults.add(path="simulation", delay=0.3)
    started = time.monotonic()
    assert api(emu, path).status_code == 200 and time.monotonic() - started >= 0.3
    emu.faults.add(path="simulation", drop=True)
    with pytest.raises(requests.ConnectionError):
        api(emu, path)
    assert [e["status"] for e in emu.log] == [429, 200, 503, 503, 200, 200, None]
    assert emu.faults.pending() == []


def test_faults_after_the_request_was_served(emu):
    path = "/api/v1/sshkey/"
    emu.faults.add(path="^/api/v1/sshkey/$", method="POST", after=True, drop=True)
    with pytest.raises(requests.ConnectionError):
        api(emu, path, "POST", json={"name": "dropped", "public_key": ED25519})
    assert [k["name"] for k in emu.state["sshkeys"].values()] == ["dropped"]  # stored all the same
    assert calls(emu.log) == [("POST", path, None)]
    key_id = list(emu.state["sshkeys"])[0]
    emu.faults.add(path="^/api/v1/sshkey/[^/]+/$", method="DELETE", after=True, status=504)
    assert api(emu, path + key_id + "/", "DELETE").status_code == 504
    assert emu.state["sshkeys"] == {} and calls(emu.log)[-1] == ("DELETE", path + key_id + "/", 504)
    emu.faults.add(path="^/api/v1/sshkey/$", method="GET", after=True, delay=1.0)
    with pytest.raises(requests.Timeout):
        requests.get(emu.url + path, headers=bearer(emu), timeout=0.3)
    assert calls(emu.log)[-1] == ("GET", path, 200)  # logged when served, before the delay
    with pytest.raises(ValueError):
        emu.faults.add(after=True)
    assert requests.post(emu.url + "/_emulator/faults", json={"before": "print"}, timeout=5).status_code == 400


def test_before_hook_races_the_request(emu):
    path = "/api/v1/sshkey/"
    other = {"Authorization": "Bearer " + emu.issue_token(emu.username)}
    seen = []

    def another_client_first(req):
        seen.append((req.method, req.body["name"]))
        # the hook runs without the state lock: a request to the emulator itself is served meanwhile
        assert requests.post(emu.url + path, json=req.body, headers=other, timeout=5).status_code == 201

    emu.faults.add(path="^/api/v1/sshkey/$", method="POST", before=another_client_first)
    assert api(emu, path, "POST", json={"name": "raced", "public_key": ED25519}).status_code == 409
    assert seen == [("POST", "raced")] and len(emu.state["sshkeys"]) == 1
    assert calls(emu.log) == [("POST", path, 201), ("POST", path, 409)]
    emu.faults.add(path="^/api/v1/sshkey/$", method="GET", before=lambda req: emu.expire_tokens())
    assert api(emu, path).json() == {"detail": "Token has expired."}
    emu.faults.add(path="sshkey", before=lambda req: 1 / 0)
    assert api(emu, path).status_code == 500


def test_request_log_and_writes(emu):
    api(emu, "/api/v1/simulation/?title=x&sleep=True")
    api(emu, "/api/v1/sshkey/", "POST", json={"name": "k", "public_key": ED25519})
    key_id = list(emu.state["sshkeys"])[0]
    api(emu, "/api/v1/sshkey/%s/" % key_id, "DELETE", json={})  # DELETE with a {} body (air.md 3.1)
    requests.get(emu.url + "/_emulator/log", timeout=5)  # admin requests are not logged
    host = emu.url.split("//")[1]
    assert emu.log == [
        {"method": "GET", "path": "/api/v1/simulation/", "query": {"title": "x", "sleep": "True"}, "body": None,
         "status": 200, "authorization": "Bearer", "host": host},
        {"method": "POST", "path": "/api/v1/sshkey/", "query": {}, "body": {"name": "k", "public_key": ED25519},
         "status": 201, "authorization": "Bearer", "host": host},
        {"method": "DELETE", "path": "/api/v1/sshkey/%s/" % key_id, "query": {}, "body": {}, "status": 204,
         "authorization": "Bearer", "host": host},
    ]
    assert [e["method"] for e in emu.writes()] == ["POST", "DELETE"]


def test_admin_endpoints(emu):
    admin = emu.url + "/_emulator/"
    api(emu, "/api/v1/simulation/")
    assert [e["path"] for e in requests.get(admin + "log", timeout=5).json()] == ["/api/v1/simulation/"]
    assert requests.delete(admin + "log", timeout=5).status_code == 204 and emu.log == []
    before = emu.clock.now()
    now = requests.post(admin + "clock", json={"advance": 3600}, timeout=5).json()["now"]
    assert TIMESTAMP.match(now) and emu.clock.now() - before >= timedelta(hours=1)
    assert requests.post(admin + "faults", json={"path": "simulation", "status": 500}, timeout=5).status_code == 201
    assert api(emu, "/api/v1/simulation/").status_code == 500
    rule = {"path": "^/api/v1/image/$", "location": "http://elsewhere.example", "status": 307, "count": 1}
    assert requests.post(admin + "redirects", json=rule, timeout=5).status_code == 201
    moved = api(emu, "/api/v1/image/?name=x")
    assert (moved.status_code, moved.headers["Location"]) == (307, "http://elsewhere.example/api/v1/image/?name=x")
    assert requests.post(admin + "faults", json={"path": "x"}, timeout=5).status_code == 400
    token = requests.post(admin + "tokens", json={"username": emu.username}, timeout=5).json()["token"]
    assert requests.post(admin + "expire-tokens", timeout=5).status_code == 204
    assert requests.get(emu.url + "/api/v1/login/", headers={"Authorization": "Bearer " + token},
                        timeout=5).status_code == 403
    api(emu, "/api/v1/sshkey/", "POST", json={"name": "k", "public_key": ED25519})
    assert requests.post(admin + "reset", timeout=5).status_code == 204
    assert emu.state["sshkeys"] == {} and emu.log == [] and emu.faults.pending() == []


def test_slashless_paths_redirect_and_unknown_paths(emu):
    moved = api(emu, "/api/v1/simulation?title=x")
    assert (moved.status_code, moved.headers["Location"]) == (301, emu.url + "/api/v1/simulation/?title=x")
    assert api(emu, "/api/v1/nothing/").json() == {"detail": "Not found."}
    assert api(emu, "/api/v1/simulation/0/").status_code == 404
    assert api(emu, "/api/v1/image/", "DELETE").status_code == 405


def test_v2_pagination_links(emu):
    topo = api(emu, "/api/v1/topology/", "POST", data=DOT, headers={"Content-Type": "text/vnd.graphviz"}).json()
    for _index in range(5):
        assert api(emu, "/api/v1/simulation/", "POST", json={"topology": topo["id"], "title": "p g"}).status_code == 201
    page = api(emu, "/api/v2/simulations/?title=p+g&limit=2").json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["previous"] is None
    assert page["next"] == emu.url + "/api/v2/simulations/?limit=2&offset=2&title=p%20g"
    second = requests.get(page["next"], headers=bearer(emu), timeout=5).json()
    assert second["previous"] == emu.url + "/api/v2/simulations/?limit=2&title=p%20g"
    last = requests.get(second["next"], headers=bearer(emu), timeout=5).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert len({s["id"] for s in page["results"] + second["results"] + last["results"]}) == 5


def test_timestamps_ids_and_query_booleans(emu):
    topo = api(emu, "/api/v1/topology/", "POST", data=DOT, headers={"Content-Type": "text/vnd.graphviz"}).json()
    sim = api(emu, "/api/v1/simulation/", "POST", json={"topology": topo["url"], "sleep": False}).json()
    for key in ("created", "modified", "sleep_at", "expires_at"):
        assert TIMESTAMP.match(sim[key]), sim[key]
    assert sim["topology"] == topo["url"] and sim["url"].split("/")[6] == sim["id"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", sim["id"])
    assert [s["id"] for s in api(emu, "/api/v1/simulation/?sleep=FALSE").json()] == [sim["id"]]
    assert api(emu, "/api/v1/simulation/?sleep=True").json() == []
    exported = api(emu, "/api/v2/simulations/%s/export/?topology_format=JSON&image_ids=True" % sim["id"]).json()
    assert exported["content"]["nodes"]["leaf01"]["os"] in emu.state["images"]


def test_sleep_timer_stores_a_loaded_simulation(emu):
    topo = api(emu, "/api/v1/topology/", "POST", data=DOT, headers={"Content-Type": "text/vnd.graphviz"}).json()
    sim = api(emu, "/api/v1/simulation/", "POST", json={"topology": topo["id"]}).json()
    url = "/api/v1/simulation/%s/" % sim["id"]
    assert api(emu, url + "control/", "POST", json={"action": "load"}).json() == {
        "result": "success", "message": "Simulation starting!"}
    emu.clock.advance(12 * 3600)  # loaded after 30 s, then sleep_at (created + 12 h) passes
    assert api(emu, url).json()["state"] == "STORING"
    emu.clock.advance(emu.store_seconds)
    assert api(emu, url).json()["state"] == "STORED"


def test_expiry_timer_deletes_a_simulation(emu):
    topo = api(emu, "/api/v1/topology/", "POST", data=DOT, headers={"Content-Type": "text/vnd.graphviz"}).json()
    sim = api(emu, "/api/v1/simulation/", "POST", json={"topology": topo["id"]}).json()
    expires_at = (emu.clock.now() + timedelta(minutes=5)).isoformat()
    assert api(emu, "/api/v1/simulation/%s/" % sim["id"], "PATCH", json={"expires_at": expires_at}).status_code == 200
    emu.clock.advance(4 * 60)
    assert api(emu, "/api/v1/simulation/%s/" % sim["id"]).status_code == 200
    emu.clock.advance(60)
    assert api(emu, "/api/v1/simulation/%s/" % sim["id"]).status_code == 404
    assert own(emu, "simulation_nodes") == {} and topo["id"] in emu.state["topologies"]


# ==================================================================================================
# issue 19: blank simulations, node control and instructions, topology nodes and links, sharing, demos
# ==================================================================================================
def test_v2_blank_simulation(emu, air2):
    # air.md 8.5 way 3: the v2 SDK's simulations.create(title=...) POSTs simulations/ (was 405)
    sim = air2.simulations.create(title="blank", documentation="empty")
    assert emu.writes()[-1]["path"] == "/api/v2/simulations/" and emu.writes()[-1]["status"] == 201
    assert (sim.title, sim.state, sim.documentation) == ("blank", "NEW", "empty")
    assert list(air2.nodes.list(simulation=sim.id)) == []
    assert api(emu, "/api/v2/simulations/", "POST", json={}).json() == {"title": ["This field is required."]}


def test_oob_network_follows_the_topology_format_on_every_creation_path(emu, air, air2):
    # air.md 8.5: "oob" defaults on for JSON; DOT gets no automatic OOB (see the emulator's OOB comment)
    oob = {"oob-mgmt-server", "oob-mgmt-switch"}
    plain_dot = 'graph "p" { "a" [os="generic/ubuntu2204"] "b" [os="generic/ubuntu2204"] "a":"eth1" -- "b":"eth1" }'
    v1_dot = air.topologies.create(dot=plain_dot)
    v1_json = air.topologies.create(json=dict(JSON_CONTENT, name="j"))
    v1_json_off = air.topologies.create(json=dict(JSON_CONTENT, name="k", oob=False))
    assert not oob & {n.name for n in air.nodes.list(topology=v1_dot.id)}
    assert oob <= {n.name for n in air.nodes.list(topology=v1_json.id)}
    assert not oob & {n.name for n in air.nodes.list(topology=v1_json_off.id)}
    by_dot = air.simulations.create(topology_data=plain_dot)  # v2 simulation/ topology_data
    imported = air2.simulations.create_from("i", "JSON", JSON_CONTENT)
    blank = air2.simulations.create(title="b")
    names = {sim.id: {n.name for n in air2.nodes.list(simulation=sim.id)} for sim in (by_dot, imported, blank)}
    assert not oob & names[by_dot.id] and oob <= names[imported.id] and names[blank.id] == set()
    flags = {sim.id: api(emu, "/api/v2/simulations/%s/" % sim.id).json()["oob_auto_enabled"]
             for sim in (by_dot, imported, blank)}
    assert flags == {by_dot.id: False, imported.id: True, blank.id: False}


def test_v2_node_control_answers_201_with_jobs(emu, air2):
    # air.md 6.2 / 8.7: POST simulations/nodes/<id>/control/ -> 201 [jobs] (was 404)
    sim = air2.simulations.create_from("ctl", "JSON", JSON_CONTENT)
    node = next(air2.nodes.list(simulation=sim.id, name="spine01"))
    with pytest.raises(AirUnexpectedResponse) as err:
        node.reset()  # the simulation is not running
    assert err.value.status_code == 400
    sim.load()
    emu.clock.advance(emu.load_seconds)
    node.reset()
    node.rebuild()
    controls = [e for e in emu.writes() if e["path"].endswith("/control/")]
    assert [(e["body"], e["status"]) for e in controls] == [
        ({"action": "reset"}, 400), ({"action": "reset"}, 201), ({"action": "rebuild"}, 201)]
    answer = api(emu, "/api/v2/simulations/nodes/%s/control/" % node.id, "POST", json={"action": "reset"})
    job = answer.json()[0]
    assert answer.status_code == 201 and job["state"] == "QUEUED" and job["simulation"] == sim.id
    assert air2.jobs.get(job["id"]).state == "QUEUED"
    emu.clock.advance(10)
    assert air2.jobs.get(job["id"]).state == "COMPLETE"
    assert api(emu, "/api/v2/simulations/nodes/%s/control/" % node.id, "POST",
               json={"action": "explode"}).status_code == 400


def test_node_instructions_v1_and_v2_are_run_at_boot(emu, air, air2):
    # air.md 8.7: v1 POST answers the id as a JSON string, v2 a NodeInstruction; the agent deletes them once run
    sim = air2.simulations.create_from("instr", "JSON", JSON_CONTENT)
    node2 = next(air2.nodes.list(simulation=sim.id, name="leaf01"))
    made = node2.create_node_instruction(executor="shell", data="echo v2")
    assert (made.instruction, made.state, made.node.id) == ("echo v2", "New", node2.id)
    node1 = air.simulation_nodes.get(node2.id)  # v2 node ids are the v1 simulation-node ids (air.md 9.9)
    assert isinstance(node1.create_instructions(executor="file", data='{"/etc/motd": "hi"}')["id"], str)
    assert [(i["executor"], i["instruction"]) for i in node1.list_instructions()] == [
        ("shell", "echo v2"), ("file", '{"/etc/motd": "hi"}')]
    sim.load()
    emu.clock.advance(emu.load_seconds)
    assert node1.list_instructions() == []


def test_v1_topology_nodes_and_links_in_place(emu, air):
    # air.md 6.1: node/ and link/ take POST, PATCH and DELETE
    topo = air.topologies.create(dot=DOT)
    image = air.images.list(name="generic/ubuntu2404")[0]
    node = air.nodes.create(name="server02", topology=topo, os=image.id, memory=2048,
                            interfaces=["eth0", {"name": "eth1"}, {"name": "eth2", "outbound": True}])
    assert (node.os.name, node.memory, [i.name for i in node.interfaces]) == ("generic/ubuntu2404", 2048,
                                                                              ["eth0", "eth1", "eth2"])
    leaf = air.nodes.list(topology=topo.id, name="leaf01")[0]
    swp9 = air.nodes.create(name="leaf09", topology=topo, interfaces=["swp9"]).interfaces[0]
    link = air.links.create(topology=topo, interfaces=[node.interfaces[1].id, swp9.id])
    assert {i.id for i in link.interfaces} == {node.interfaces[1].id, swp9.id}
    with pytest.raises(AirUnexpectedResponse) as err:  # an interface is in one link at most
        air.links.create(topology=topo, interfaces=[node.interfaces[1].id, node.interfaces[0].id])
    assert err.value.status_code == 400
    leaf.update(memory=4096, cpu=4)
    assert emu.writes()[-1]["method"] == "PATCH" and "interfaces" not in emu.writes()[-1]["body"]
    leaf.refresh()
    assert (leaf.memory, leaf.cpu) == (4096, 4)
    with pytest.raises(AirUnexpectedResponse):
        air.nodes.create(name="leaf01", topology=topo)  # names are unique in a topology
    link.delete()
    assert len(air.links.list(topology=topo.id)) == 3
    node.delete()
    assert "server02" not in {n.name for n in air.nodes.list(topology=topo.id)}
    air.nodes.list(topology=topo.id, name="leaf01")[0].delete()
    assert len(air.links.list(topology=topo.id)) == 1  # leaf01's two links went with it


def test_permissions_share_a_simulation(emu, air):
    # air.md 6.1 permission/: create (email + simulation, write_ok), list, delete; no update
    sim = air.simulations.create(topology=air.topologies.create(dot=DOT), title="shared")
    permission = air.permissions.create(email="pat@example.com", simulation=sim, write_ok=True)
    assert (permission.email, permission.write_ok, permission.simulation.id) == ("pat@example.com", True, sim.id)
    assert [p.email for p in air.permissions.list(simulation=sim.id)] == ["pat@example.com"]
    with pytest.raises(AirUnexpectedResponse) as err:
        air.permissions.create(email="pat@example.com", simulation=sim)
    assert err.value.status_code == 400 and "unique" in err.value.message
    with pytest.raises(AirUnexpectedResponse):
        air.permissions.create(email="not-an-email", simulation=sim)
    permission.delete()
    assert air.permissions.list(simulation=sim.id) == []


def test_demos_images_and_duplicating_a_demo(emu, air, air2):
    # air.md 6.1 demo/, 6.2 marketplace-demos/ and images/, 8.4 duplicate of a SNAPSHOT simulation
    demo = air.demos.list()[0]
    snapshot = air.simulations.get(demo.snapshot.split("/")[6])  # a v1 relation URL (air.md 3.6)
    assert (demo.name, snapshot.state) == ("EVPN Demo", "SNAPSHOT")
    assert air.simulations.list() == [] and air.topologies.list() == []  # nobody's own
    listed = list(air2.marketplace_demos.list(name="EVPN Demo"))
    assert [d.id for d in listed] == [demo.id] and listed[0].snapshot.id == snapshot.id
    assert air2.marketplace_demos.get(demo.id).name == "EVPN Demo" and air.demos.get(demo.id).name == "EVPN Demo"
    clone = air2.simulations.get(snapshot.id).duplicate()
    assert (clone.state, clone.cloned, clone.title, clone.sleep) == ("NEW", True, "EVPN Demo", True)
    assert {n.name for n in air2.nodes.list(simulation=clone.id)} >= {"leaf01", "leaf02", "server01"}
    assert [s.id for s in air2.simulations.list()] == [clone.id]
    with pytest.raises(AirUnexpectedResponse):
        air.simulations.get(snapshot.id).load()  # a snapshot is duplicated, never run
    names = {i.name for i in air.images.list()}
    assert "cumulus-vx-5.10.1" in names and names == {i.name for i in air2.images.list()}
    ubuntu = list(air2.images.list(name="generic/ubuntu2204"))
    assert [i.name for i in ubuntu] == ["generic/ubuntu2204"]
    assert air.images.get(ubuntu[0].id).default_username == "ubuntu"
