# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The statecraft.infra.air inventory through ``ansible-inventory`` and ``ansible-playbook``
against the Air emulator (tests/emulators). Simulations are made through the emulator's
API, as any client makes them; what each run asked for comes from the emulator's request
log, never from a counter in the client."""

from __future__ import absolute_import, division, print_function

import os
import uuid

import pytest
import requests

from inventory_runs import InventoryLab

USERNAME = "inventory@example.com"
API_TOKEN = "air-api-token-" + uuid.uuid4().hex
WORKER = "worker01.air.local"  # the emulator's worker (air_emulator.WORKER_FQDN)

DOT = """graph "%s" {
  "leaf01" [ function="leaf" os="cumulus-vx-5.10.1" cpu="2" memory="2048" ]
  "leaf02" [ function="leaf" os="cumulus-vx-5.10.1" ]
  "server01" [ os="generic/ubuntu2204" ]
  "leaf01":"swp1" -- "leaf02":"swp1"
  "server01":"eth1" -- "leaf01":"swp2"
}
"""
# the same fabric as JSON, with Air's out-of-band network (oob-mgmt-server, oob-mgmt-switch)
FABRIC = {"nodes": {"leaf01": {"os": "cumulus-vx-5.10.1", "function": "leaf"},
                    "server01": {"os": "generic/ubuntu2204"}},
          "links": [[{"node": "server01", "interface": "eth1"}, {"node": "leaf01", "interface": "swp1"}]]}
# what each inventory read sends, whatever the number of nodes: a login, the simulations,
# the images, then three lists per simulation
READ = [("POST", "/api/v1/login/"), ("GET", "/api/v1/simulation/"), ("GET", "/api/v1/image/")]
PER_SIMULATION = [("GET", "/api/v1/simulation-node/"), ("GET", "/api/v1/node/"), ("GET", "/api/v1/service/")]


@pytest.fixture
def air():
    """A fresh emulator per test: "every simulation" means the test's own. 30 emulated
    seconds pass per real second (a load takes one)."""
    from air_emulator import AirEmulator

    emulator = AirEmulator(speed=30.0).start()
    emulator.add_account(USERNAME, api_token=API_TOKEN)
    yield emulator
    emulator.stop()


class AirClient(object):
    """Simulations, organizations and services made through the emulator's API."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + emulator.issue_token(USERNAME)

    def call(self, method, path, body=None):
        response = self.session.request(method, "%s/api/%s" % (self.emulator.url, path), json=body)
        assert response.status_code < 400, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def organization(self, name):
        return self.call("POST", "v1/organization/", {"name": name})["id"]

    def simulation(self, title, organization=None, load=True):
        body = {"title": title, "topology_data": DOT % title}
        if organization:
            body["organization"] = organization
        sim_id = self.call("POST", "v2/simulation/", body)["id"]
        if load:
            self.call("POST", "v1/simulation/%s/control/" % sim_id, {"action": "load"})
            self.emulator.clock.advance(self.emulator.load_seconds)
        return sim_id

    def fabric(self, title):
        """A loaded simulation of FABRIC, imported (v2) as the air_simulation module imports JSON."""
        sim_id = self.call("POST", "v2/simulations/import/", {"title": title, "format": "JSON", "content": FABRIC})["id"]
        self.call("POST", "v1/simulation/%s/control/" % sim_id, {"action": "load"})
        self.emulator.clock.advance(self.emulator.load_seconds)
        return sim_id

    def service(self, sim_id, node, interface, dest_port, service_type="ssh", name=None):
        state = self.emulator.state
        iface = next(i for i in state["simulation_interfaces"].values()
                     if i["simulation"] == sim_id and i["name"] == interface
                     and state["simulation_nodes"][i["node"]]["name"] == node)
        return self.call("POST", "v1/service/", {
            "name": name or "%s-%s-%d" % (node, interface, dest_port), "simulation": sim_id,
            "interface": iface["id"], "dest_port": dest_port, "service_type": service_type})


@pytest.fixture
def client(air):
    return AirClient(air)


@pytest.fixture
def sources(air, ansible_env, tmp_path):
    """Inventory sources (``<name>.air.yml``) read against the emulator, logged in with an API token."""
    return InventoryLab(air, "air", {"api_url": air.url, "username": USERNAME, "password": API_TOKEN},
                        ansible_env, tmp_path)


def calls(run):
    return [(r["method"], r["path"]) for r in run.requests]


def lab(client, title=None, organization=None):
    """A loaded simulation: SSH to leaf01 (port 22) and server01, HTTP to server01, nothing to leaf02."""
    title = title or "lab-" + uuid.uuid4().hex[:6]
    sim_id = client.simulation(title, organization)
    client.service(sim_id, "leaf01", "swp1", 22)
    client.service(sim_id, "server01", "eth1", 80, service_type="http")
    client.service(sim_id, "server01", "eth1", 2222, name="b-ssh")
    client.service(sim_id, "server01", "eth1", 22, name="z-ssh")
    return title, sim_id


# -- hosts, variables, groups ------------------------------------------------------------------
def test_nodes_are_hosts_with_their_ssh_service_and_groups(client, sources, air):
    title, sim_id = lab(client)
    services = dict((s["name"], s) for s in air.state["services"].values())
    run = sources.inventory({"simulations": [title]})
    assert run.rc == 0, run.output

    hostvars = run.hostvars
    assert set(hostvars) == {"leaf01", "leaf02", "server01"}
    leaf01 = hostvars["leaf01"]
    assert (leaf01["ansible_host"], leaf01["ansible_port"], leaf01["ansible_user"]) == (
        WORKER, services["leaf01-swp1-22"]["src_port"], "cumulus")
    assert leaf01["air_simulation"] == title and leaf01["air_simulation_id"] == sim_id
    assert leaf01["air_simulation_state"] == "LOADED" and leaf01["air_node_state"] == "RUNNING"
    assert (leaf01["air_os"], leaf01["air_function"], leaf01["air_cpu"], leaf01["air_memory"]) == (
        "cumulus-vx-5.10.1", "leaf", 2, 2048)
    assert leaf01["air_mgmt_ip"].startswith("192.168.200.")
    assert leaf01["air_services"] == [{
        "name": "leaf01-swp1-22", "service_type": "ssh", "host": WORKER, "interface": "swp1", "dest_port": 22,
        "src_port": services["leaf01-swp1-22"]["src_port"],
        "link": "ssh://cumulus@%s:%d" % (WORKER, services["leaf01-swp1-22"]["src_port"])}]
    assert "air_ssh_hint" not in leaf01

    # several SSH services: the one to port 22, though another comes first by name
    server01 = hostvars["server01"]
    assert (server01["ansible_port"], server01["ansible_user"]) == (services["z-ssh"]["src_port"], "ubuntu")
    assert [s["name"] for s in server01["air_services"]] == ["b-ssh", "server01-eth1-80", "z-ssh"]
    assert "air_function" not in server01  # the topology gives it none

    # no SSH service: no ansible_host, and a hint saying how to open one
    leaf02 = hostvars["leaf02"]
    assert "ansible_host" not in leaf02 and leaf02["air_services"] == []
    assert "statecraft.infra.air_service" in leaf02["air_ssh_hint"]
    assert "node: leaf02" in leaf02["air_ssh_hint"] and "service_type: ssh" in leaf02["air_ssh_hint"]
    assert "WARNING" not in run.output  # the simulation has SSH services: no warning

    group = "simulation_" + title.replace("-", "_")
    assert run.members(group) == {"leaf01", "leaf02", "server01"}
    assert run.members("os_cumulus_vx_5_10_1") == {"leaf01", "leaf02"}
    assert run.members("os_generic_ubuntu2204") == {"server01"}
    assert run.members("function_leaf") == {"leaf01", "leaf02"}

    # a few list requests, none per node, nothing written but the login
    assert calls(run) == READ + PER_SIMULATION
    assert run.requests[3]["query"] == {"simulation": sim_id}


def test_graph(client, sources):
    title, _sim_id = lab(client, title="graph-lab")
    run = sources.inventory({"simulations": [title]}, "--graph")
    assert run.rc == 0, run.output
    lines = [line.strip(" |-") for line in run.stdout.splitlines()]
    for group in ("@simulation_graph_lab:", "@os_cumulus_vx_5_10_1:", "@function_leaf:", "leaf01", "server01"):
        assert group in lines, run.stdout


def test_a_simulation_without_ssh_warns_once(client, sources):
    title = "bare-" + uuid.uuid4().hex[:6]
    client.simulation(title)
    run = sources.inventory({"simulations": [title]})
    assert run.rc == 0, run.output
    assert all("ansible_host" not in v and "air_ssh_hint" in v for v in run.hostvars.values())
    assert run.output.count("no node has an SSH service") == 1
    assert "simulation %s" % title in run.output and "statecraft.infra.air_service" in run.output


# -- choosing simulations ------------------------------------------------------------------
def test_simulations_chosen_by_title_id_and_organization(client, sources):
    org = "team-" + uuid.uuid4().hex[:6]
    org_id = client.organization(org)
    a_title, a_id = lab(client, title="sim-a", organization=org_id)
    _b_title, b_id = lab(client, title="sim-b")
    lab(client, title="sim-c", organization=org_id)
    named = {"host_name_format": "{node}.{simulation}"}

    def simulations(run):
        assert run.rc == 0, run.output
        return set(v["air_simulation"] for v in run.hostvars.values())

    run = sources.inventory(dict(named, simulations=[a_title, b_id]))
    assert simulations(run) == {"sim-a", "sim-b"}
    assert "leaf01.sim-a" in run.hostvars and "leaf01.sim-b" in run.hostvars
    assert run.hostvars["leaf01.sim-a"]["air_organization_id"] == org_id
    assert calls(run) == READ + PER_SIMULATION * 2  # one list of simulations for titles and ids alike

    run = sources.inventory(dict(named, organizations=[org]))
    assert simulations(run) == {"sim-a", "sim-c"}
    assert ("GET", "/api/v1/organization/") in calls(run)
    run = sources.inventory(dict(named, organizations=[org_id]))
    assert simulations(run) == {"sim-a", "sim-c"} and ("GET", "/api/v1/organization/") not in calls(run)
    run = sources.inventory(dict(named, simulations=["sim-a", "sim-b"], organizations=[org]))
    assert simulations(run) == {"sim-a"}

    run = sources.inventory(dict(named, simulations=[]))  # every simulation the account sees
    assert simulations(run) == {"sim-a", "sim-b", "sim-c"}
    run = sources.inventory({"simulations": ["{{ 'sim-b' }}"], "host_name_format": "{simulation_id}-{node}"})
    assert run.rc == 0 and run.hostvars == {}  # no templating: a title is a title
    run = sources.inventory({"simulations": [b_id.upper()], "host_name_format": "{simulation_id}-{node}"})
    assert set(run.hostvars) == set("%s-%s" % (b_id, n) for n in ("leaf01", "leaf02", "server01"))


def test_what_matches_nothing_warns_and_gives_no_hosts(client, sources):
    lab(client, title="there")
    run = sources.inventory({"simulations": ["there", "not-there"], "organizations": ["no-such-org"]})
    assert run.rc == 0, run.output
    assert run.hostvars == {}
    assert "no simulation has the title or id not-there" in run.output
    assert "no organization is named no-such-org" in run.output


def test_a_node_name_two_simulations_share_fails_naming_them(client, sources):
    _a, a_id = lab(client, title="twin-a")
    _b, b_id = lab(client, title="twin-b")
    run = sources.inventory({})
    assert run.rc != 0
    assert "two or more machines would be one host" in run.output
    assert "leaf01 (simulation twin-a %s, simulation twin-b %s)" % (a_id, b_id) in run.output
    assert 'set host_name_format so that it tells them apart, for example "{node}.{simulation}"' in run.output
    run = sources.inventory({"host_name_format": "{simulation}-{node}"})
    assert run.rc == 0 and "twin-a-leaf01" in run.hostvars and "twin-b-leaf01" in run.hostvars


# -- constructed ---------------------------------------------------------------------------
def test_compose_keyed_groups_groups_and_strict(client, sources):
    title, _sim_id = lab(client)
    config = {
        "simulations": [title],
        "compose": {"switch": "air_os is match('cumulus')", "ssh_target": "ansible_user ~ '@' ~ ansible_host"},
        "keyed_groups": [{"key": "air_node_state", "prefix": "node_state"}],
        "groups": {"reachable": "ansible_host is defined"},
    }
    run = sources.inventory(config)
    assert run.rc == 0, run.output
    assert run.hostvars["leaf01"]["switch"] is True and run.hostvars["server01"]["switch"] is False
    assert run.hostvars["leaf01"]["ssh_target"] == "cumulus@" + WORKER
    assert "ssh_target" not in run.hostvars["leaf02"]  # not strict: an undefined variable skips the host
    assert run.members("node_state_RUNNING") == {"leaf01", "leaf02", "server01"}
    assert run.members("reachable") == {"leaf01", "server01"}

    run = sources.inventory(dict(config, strict=True))
    assert run.rc != 0 and "Could not set ssh_target for host leaf02" in run.output  # strict: leaf02 has no SSH


def test_the_jump_host_recipe(client, sources, playbook, air):
    """the inventories guide: only the oob-mgmt-server has an SSH service; the other nodes are
    reached at their management address through it."""
    title = "jump-" + uuid.uuid4().hex[:6]
    sim_id = client.fabric(title)
    client.service(sim_id, "oob-mgmt-server", "eth0", 22, name="oob-ssh")
    port = next(s["src_port"] for s in air.state["services"].values() if s["name"] == "oob-ssh")
    source = sources.source({"simulations": [title], "compose": {"ansible_host": "ansible_host | default(air_mgmt_ip)"},
                             "groups": {"behind_jump": "air_ssh_hint is defined"}})
    (sources.tmp_path / "group_vars").mkdir()
    (sources.tmp_path / "group_vars" / "behind_jump.yml").write_text(
        "ansible_ssh_common_args: >-\n"
        "  -o ProxyJump={{ hostvars['oob-mgmt-server'].ansible_user }}@{{ hostvars['oob-mgmt-server'].ansible_host }}"
        ":{{ hostvars['oob-mgmt-server'].ansible_port }}\n")
    run = sources.inventory(source)
    assert run.rc == 0, run.output
    assert run.members("behind_jump") == {"leaf01", "oob-mgmt-switch", "server01"}
    assert run.hostvars["leaf01"]["ansible_host"] == run.hostvars["leaf01"]["air_mgmt_ip"]
    assert run.hostvars["oob-mgmt-server"]["ansible_host"] == WORKER

    run = playbook("""
- hosts: behind_jump
  gather_facts: false
  tasks:
    - name: how
      ansible.builtin.debug:
        msg: "{{ ansible_host }} {{ ansible_ssh_common_args }}"
""", env={"ANSIBLE_INVENTORY": source, "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"})
    assert run.rc == 0, run.output
    jump = "-o ProxyJump=ubuntu@%s:%d" % (WORKER, port)
    assert sorted(r["msg"] for r in run.tasks) == sorted(
        "%s %s" % (run_vars["air_mgmt_ip"], jump) for name, run_vars in sources.inventory(source).hostvars.items()
        if name != "oob-mgmt-server")


# -- cache -----------------------------------------------------------------------------------
def test_a_cached_read_sends_no_request(client, sources, tmp_path):
    title, _sim_id = lab(client)
    client.simulation("bare-" + title)  # warns; cached reads warn too
    cache = tmp_path / "cache"
    source = sources.source({"simulations": [title, "bare-" + title], "host_name_format": "{simulation}-{node}",
                             "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
                             "cache_connection": str(cache), "cache_timeout": 600})
    first = sources.inventory(source)
    assert first.rc == 0, first.output
    assert calls(first) == READ + PER_SIMULATION * 2 and os.listdir(str(cache))

    second = sources.inventory(source)
    assert second.rc == 0, second.output
    assert second.requests == []
    assert second.data == first.data
    assert "no node has an SSH service" in second.output

    third = sources.inventory(source, "--list", "--flush-cache")  # reads again, and keeps what it read
    assert third.rc == 0 and calls(third) == READ + PER_SIMULATION * 2
    assert sources.inventory(source).requests == []


# -- connection options and errors -----------------------------------------------------------
def test_connection_from_the_environment(client, sources, air):
    title, _sim_id = lab(client)
    source = sources.source({"simulations": [title]}, connection=False)
    env = {"AIR_API_URL": air.url, "AIR_USERNAME": USERNAME, "AIR_PASSWORD": API_TOKEN}
    run = sources.inventory(source, env=env)
    assert run.rc == 0, run.output
    assert set(run.hostvars) == {"leaf01", "leaf02", "server01"}

    bearer = air.issue_token(USERNAME)
    run = sources.inventory(source, env={"AIR_API_URL": air.url, "AIR_BEARER_TOKEN": bearer})
    assert run.rc == 0, run.output
    assert ("POST", "/api/v1/login/") not in calls(run) and len(run.hostvars) == 3


def test_a_wrong_token_fails_clearly_and_shows_no_secret(client, sources, air):
    lab(client)
    run = sources.inventory({}, "--list", "-vvv")  # a good run shows no secret either
    assert run.rc == 0, run.output
    run.assert_hidden(API_TOKEN, *air.issued_tokens())

    wrong = "air-wrong-token-" + uuid.uuid4().hex
    run = sources.inventory({"password": wrong}, "--list", "-vvv")
    assert run.rc != 0
    assert "Air login as %s failed" % USERNAME in run.output and "401" in run.output
    run.assert_hidden(wrong, API_TOKEN)
    assert calls(run) == [("POST", "/api/v1/login/")]

    expired = air.issue_token(USERNAME)
    air.expire_tokens()
    run = sources.inventory({"username": None, "password": None, "bearer_token": expired}, "--list", "-vvv")
    assert run.rc != 0 and "403" in run.output
    run.assert_hidden(expired)


def test_an_error_shows_no_secret_even_in_a_traceback(sources, air):
    """A server that echoes the token back: the message is scrubbed, and no traceback shows
    the message before it was."""
    air.faults.add(path="^/api/v1/login/$", method="POST", status=400,
                   body={"detail": "bad password %s" % API_TOKEN})
    run = sources.inventory({}, "--list", "-vvvvv", env={"ANSIBLE_DISPLAY_TRACEBACK": "always"})
    assert run.rc != 0 and "bad password" in run.output
    run.assert_hidden(API_TOKEN)


@pytest.mark.parametrize("config, message", [
    ({"api_version": "v2"}, "api_version: v2 is not supported"),
    ({"api_url": "ftp://air.example.com"}, "url:"),
    ({"retries": -1}, "retries: -1 is negative"),
    ({"host_name_format": "{name}"}, "host_name_format: '{name}' must name the node as {node}"),
    ({"host_name_format": "{node"}, "host_name_format: '{node' is no format"),
    ({"username": None}, "username is missing"),
    ({"bearer_token": "tok-" + "x" * 20}, "give either token or username + password, not both"),
], ids=["api-version", "api-url", "retries", "format-field", "format-syntax", "half-credentials", "two-ways"])
def test_a_bad_option_fails_before_any_request_naming_it(sources, config, message):
    run = sources.inventory(config)
    assert run.rc != 0
    assert message in run.output, run.output
    assert run.requests == []
    run.assert_hidden(API_TOKEN, *[v for v in config.values() if isinstance(v, str) and v.startswith("tok-")])


def test_no_credentials_say_where_to_set_them(sources):
    run = sources.inventory(sources.source({}, connection=False))
    assert run.rc != 0 and "no Air credentials" in run.output and "AIR_PASSWORD" in run.output
    assert run.requests == []


def test_an_unknown_option_fails_naming_the_option_it_may_mean(sources):
    run = sources.inventory({"simulation": ["typo"]})  # Ansible would ignore it: every simulation, silently
    assert run.rc != 0
    assert "air inventory: unknown option simulation (did you mean simulations?)" in run.output
    assert run.requests == []


# -- playbooks -------------------------------------------------------------------------------
def test_a_playbook_targets_the_nodes_with_their_variables(client, sources, playbook, air):
    title, _sim_id = lab(client)
    ssh_port = next(s["src_port"] for s in air.state["services"].values() if s["name"] == "leaf01-swp1-22")
    source = sources.source({"simulations": [title]})
    run = playbook("""
- hosts: function_leaf
  gather_facts: false
  tasks:
    - name: reachable leaves
      ansible.builtin.assert:
        that:
          - ansible_host == "%s"
          - ansible_port == %d
          - ansible_user == "cumulus"
      when: inventory_hostname == "leaf01"
    - name: unreachable leaves say how to fix it
      ansible.builtin.assert:
        that: "'ansible_host' not in hostvars[inventory_hostname] and 'air_service' in air_ssh_hint"
      when: inventory_hostname == "leaf02"
    - name: where
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }} {{ air_os }} {{ air_mgmt_ip }}"
""" % (WORKER, ssh_port), env={"ANSIBLE_INVENTORY": source, "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"})
    assert run.rc == 0, run.output
    assert sorted(r["_task"] for r in run.tasks if r["_status"] == "ok") == [
        "reachable leaves", "unreachable leaves say how to fix it", "where", "where"]
    assert sorted(r["msg"] for r in run.tasks if r["_task"] == "where") == [  # hosts end in any order
        "%s cumulus-vx-5.10.1 %s" % (host, hostvars["air_mgmt_ip"])
        for host, hostvars in sorted(sources.inventory(source).hostvars.items()) if host.startswith("leaf")]
    run.assert_hidden(API_TOKEN)


def test_air_lab_nodes_become_hosts_in_the_same_run(sources, playbook, air, tmp_path):
    """The air_lab role's README: the role creates and loads the simulation, refresh_inventory
    reads it through the plugin, and the next play targets its nodes."""
    title = "evpn-" + uuid.uuid4().hex[:6]
    files = tmp_path / "files"
    files.mkdir()
    (files / "evpn.dot").write_text(DOT % title)
    sources = tmp_path / "inventory"  # a directory of sources, as in the README (-i inventory/)
    sources.mkdir()
    (sources / "lab.air.yml").write_text("plugin: statecraft.infra.air\nsimulations: [%s]\n" % title)
    env = {"ANSIBLE_INVENTORY": str(sources), "AIR_API_URL": air.url, "AIR_USERNAME": USERNAME, "AIR_PASSWORD": API_TOKEN}
    group = "simulation_" + title.replace("-", "_")
    play = """
- name: The lab in NVIDIA Air
  hosts: localhost
  gather_facts: false
  roles:
    - role: statecraft.infra.air_lab
      vars:
        air_lab_title: %(title)s
        air_lab_topology_file: evpn.dot
        air_lab_services:
          - {name: leaf01-ssh, node: leaf01, interface: swp1, dest_port: 22}
          - {name: server01-ssh, node: server01, interface: eth1, dest_port: 22}
  tasks:
    - name: before
      ansible.builtin.assert:
        that: groups['%(group)s'] is not defined
    - name: Read the lab's nodes as hosts
      ansible.builtin.meta: refresh_inventory

- name: Configure the lab's nodes
  hosts: %(group)s
  gather_facts: false
  tasks:
    - name: node
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }}"
    - name: its variables
      ansible.builtin.assert:
        that:
          - air_simulation == "%(title)s"
          - air_simulation_state == "LOADED"
    - name: its SSH service, opened by the role
      ansible.builtin.assert:
        that:
          - ansible_host == service.host
          - ansible_port == service.src_port
          - ansible_user == service.os_default_username
      vars:
        service: "{{ hostvars.localhost.air_lab.services[inventory_hostname ~ '-ssh'] }}"
      when: inventory_hostname != "leaf02"
    - name: no SSH service
      ansible.builtin.assert:
        that: "'ansible_host' not in hostvars[inventory_hostname] and 'air_service' in air_ssh_hint"
      when: inventory_hostname == "leaf02"
""" % {"title": title, "group": group}
    run = playbook(play, env=env)
    assert run.rc == 0, run.output
    assert "no simulation has the title or id %s" % title in run.output  # the first read, before the lab
    nodes = sorted(r["msg"] for r in run.tasks if r["_task"] == "node")
    statuses = dict((task, sorted(r["_status"] for r in run.tasks if r["_task"] == task))
                    for task in ("its variables", "its SSH service, opened by the role", "no SSH service"))
    assert statuses == {"its variables": ["ok"] * 3, "its SSH service, opened by the role": ["ok", "ok", "skipped"],
                        "no SSH service": ["ok", "skipped", "skipped"]}
    assert nodes == ["leaf01", "leaf02", "server01"], run.output
    run.assert_hidden(API_TOKEN, *air.issued_tokens())
