# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The statecraft.infra.cyclecloud inventory through ansible-inventory and ansible-playbook
against the CycleCloud emulator, seeded with its default fixture (cluster ``hpc``: the Ready
nodes ``scheduler`` (no node array), execute-1, execute-2 and login-1; cluster ``maint``:
``master``, Off) plus a Failed node execute-3 in ``hpc``, a public address on login-1 and a
Ready ``scheduler`` in ``maint`` (a name ``hpc`` has too).

What each run sent comes from the emulator's request log.
"""

from __future__ import absolute_import, division, print_function

import base64
import copy

import pytest

from inventory_runs import InventoryLab

PUBLIC_IP = "20.50.1.7"


@pytest.fixture(scope="module")
def cyclecloud():
    from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    hpc, maint = fixture["clusters"]
    hpc["nodes"].append({"name": "execute-3", "template": "execute", "machineType": "Standard_F8s_v2",
                         "status": "Failed", "statusMessage": "Allocation failed: capacity"})
    login = [n for n in hpc["nodes"] if n["name"] == "login-1"][0]
    login["attributes"] = {"PublicIp": PUBLIC_IP}
    maint["nodes"].append({"name": "scheduler", "machineType": "Standard_D2s_v3", "status": "Ready", "fixed": True})
    emulator = CycleCloudEmulator(speed=0.0, fixture=fixture).start()  # nothing changes unless a test says so
    yield emulator
    emulator.stop()


@pytest.fixture
def lab(cyclecloud, ansible_env, tmp_path):
    cyclecloud.reset()
    connection = {"url": cyclecloud.url, "username": cyclecloud.username, "password": cyclecloud.password}
    return InventoryLab(cyclecloud, "cyclecloud", connection, ansible_env, tmp_path)


def ok(run):
    assert run.rc == 0, run.output
    return run


def failed(run):
    assert run.rc != 0, run.output
    return run


def gets(run):
    return [(r["method"], r["path"], r["query"]) for r in run.requests]


# -- hosts, variables, groups ------------------------------------------------------------------
def test_ready_nodes_of_a_cluster_with_their_variables_and_groups(lab):
    run = ok(lab.inventory({"clusters": ["hpc"]}))

    # one request: the cluster's status with its nodes
    assert gets(run) == [("GET", "/clusters/hpc/status", {"nodes": "true"})]
    # Ready nodes only: execute-3 (Failed) is left out
    assert set(run.hostvars) == {"scheduler", "execute-1", "execute-2", "login-1"}
    node = lab.emulator.node("hpc", "execute-1")
    assert run.hostvars["execute-1"] == {
        "ansible_host": node["PrivateIp"], "cyclecloud_cluster": "hpc", "cyclecloud_name": "execute-1",
        "cyclecloud_id": node["NodeId"], "cyclecloud_node_array": "execute", "cyclecloud_machine_type": "Standard_F4s_v2",
        "cyclecloud_status": "Ready", "cyclecloud_target_state": "Started", "cyclecloud_hostname": node["Hostname"],
        "cyclecloud_private_ip": node["PrivateIp"], "cyclecloud_instance_id": node["InstanceId"],
        "cyclecloud_region": "westeurope", "cyclecloud_cores": 4, "cyclecloud_memory": 8.0}
    # a node of no node array has no such variable; private is the default address, even with a public one
    assert "cyclecloud_node_array" not in run.hostvars["scheduler"]
    login = run.hostvars["login-1"]
    assert login["ansible_host"] == login["cyclecloud_private_ip"] and login["cyclecloud_public_ip"] == PUBLIC_IP

    # groups: the cluster holds its node arrays (each), a node of none sits in the cluster itself
    assert run.children("cluster_hpc") == {"node_array_hpc_execute", "node_array_hpc_gpu", "node_array_hpc_login"}
    assert run.data["cluster_hpc"]["hosts"] == ["scheduler"]
    assert run.members("cluster_hpc") == set(run.hostvars)
    assert run.members("node_array_hpc_execute") == {"execute-1", "execute-2"}
    assert run.members("status_ready") == set(run.hostvars)

    graph = ok(lab.inventory({"clusters": ["hpc"]}, "--graph"))
    assert "@cluster_hpc:\n  |  |--@node_array_hpc_execute:\n  |  |  |--execute-1\n  |  |  |--execute-2\n" in graph.stdout


def test_every_status_public_addresses_and_qualified_names(lab):
    run = ok(lab.inventory({"clusters": ["hpc", "maint"], "statuses": [], "address": "public",
                            "qualified_names": True}))

    assert [r["path"] for r in run.requests] == ["/clusters/hpc/status", "/clusters/maint/status"]
    assert set(run.hostvars) == {"scheduler.hpc", "execute-1.hpc", "execute-2.hpc", "execute-3.hpc", "login-1.hpc",
                                 "master.maint", "scheduler.maint"}
    # the public address where a node has one, else the private one; none for a node without a VM
    assert run.hostvars["login-1.hpc"]["ansible_host"] == PUBLIC_IP
    assert run.hostvars["execute-1.hpc"]["ansible_host"] == run.hostvars["execute-1.hpc"]["cyclecloud_private_ip"]
    assert "ansible_host" not in run.hostvars["master.maint"]
    failed_node = run.hostvars["execute-3.hpc"]
    assert failed_node["cyclecloud_status"] == "Failed"
    assert failed_node["cyclecloud_status_message"] == "Allocation failed: capacity"
    assert run.members("status_failed") == {"execute-3.hpc"} and run.members("status_off") == {"master.maint"}
    assert run.members("cluster_maint") == {"master.maint", "scheduler.maint"}

    # a status list narrows (without case); the clusters' groups stay, even when empty
    run = ok(lab.inventory({"clusters": ["hpc"], "statuses": ["failed", "READY"]}))
    assert "execute-3" in run.hostvars and run.children("cluster_hpc")


def test_two_clusters_with_a_node_of_one_name_fail_naming_them(lab):
    run = failed(lab.inventory({"clusters": ["hpc", "maint"]}))
    assert ("two or more machines would be one host: scheduler (cluster hpc, cluster maint); set qualified_names"
            in run.output)


# -- constructed -------------------------------------------------------------------------------
def test_compose_keyed_groups_groups_and_strict(lab):
    config = {"clusters": ["hpc"], "statuses": [],
              "compose": {"ansible_user": "'azureuser'", "slots": "cyclecloud_cores * 2"},
              "keyed_groups": [{"key": "cyclecloud_machine_type", "prefix": "machine_type"},
                               {"key": "cyclecloud_node_array | default('none')", "prefix": "array"}],
              "groups": {"broken": "cyclecloud_status in ['Failed', 'Unavailable']"}}
    run = ok(lab.inventory(config))
    assert run.hostvars["execute-3"]["ansible_user"] == "azureuser"
    assert run.hostvars["execute-3"]["slots"] == 16
    assert run.members("machine_type_Standard_F8s_v2") == {"execute-3"}
    assert run.members("array_none") == {"scheduler"}
    assert run.members("broken") == {"execute-3"}

    # strict: a variable some hosts lack fails; without strict those hosts are left out of it
    lax = dict(config, compose={"array_size": "cyclecloud_node_array | length"})
    run = ok(lab.inventory(lax))
    assert "array_size" not in run.hostvars["scheduler"] and run.hostvars["execute-1"]["array_size"] == 7
    run = failed(lab.inventory(dict(lax, strict=True)))
    assert "cyclecloud_node_array" in run.output


# -- cache -------------------------------------------------------------------------------------
def test_cache_second_run_sends_nothing(lab, tmp_path):
    cache = tmp_path / "cache"
    source = lab.source({"clusters": ["hpc"], "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
                         "cache_connection": str(cache), "cache_timeout": 600,
                         "keyed_groups": [{"key": "cyclecloud_machine_type", "prefix": "type"}]})
    first = ok(lab.inventory(source))
    assert len(first.requests) == 1

    second = ok(lab.inventory(source))
    assert second.requests == []
    assert second.data == first.data  # constructed groups too: they are built from the cached hosts

    # the cache holds host variables, never the connection's credentials
    stored = "".join(p.read_text() for p in cache.iterdir())
    assert "execute-1" in stored and lab.emulator.password not in stored

    # --flush-cache reads CycleCloud again
    assert len(ok(lab.inventory(source, "--list", "--flush-cache")).requests) == 1


# -- connection options as the modules read them -----------------------------------------------
def test_connection_from_the_environment_and_from_the_cli_config_file(lab, tmp_path):
    env = {"CYCLECLOUD_URL": lab.emulator.url, "CYCLECLOUD_USERNAME": lab.emulator.username,
           "CYCLECLOUD_PASSWORD": lab.emulator.password}
    run = ok(lab.inventory({"clusters": ["hpc"]}, connection=False, env=env))
    assert "execute-1" in run.hostvars

    config = tmp_path / "config.ini"
    config.write_text("[cycleserver]\nurl = %s\nusername = %s\npassword = %s\n" % (
        lab.emulator.url, lab.emulator.username, lab.emulator.password))
    run = ok(lab.inventory({"clusters": ["hpc"], "config_file": str(config)}, connection=False))
    assert "execute-1" in run.hostvars


# -- errors: clear, before any request where they can be, and no secret ------------------------
@pytest.mark.parametrize("config, message", [
    ({"clusters": ["hpc"], "address": "elastic"}, "address"),
    ({"clusters": []}, "clusters: give the name of each cluster"),
    ({"clusters": ["hpc"], "url": "ftp://127.0.0.1/"}, "url"),
    ({"clusters": ["hpc"], "username": None, "password": None}, "missing connection option(s) username, password"),
])
def test_bad_options_fail_before_any_request(lab, config, message):
    run = failed(lab.inventory(config))
    assert message in run.output and run.requests == []
    run.assert_hidden(lab.emulator.password)


def test_unknown_cluster_fails_naming_it(lab):
    run = failed(lab.inventory({"clusters": ["hpc", "nosuch"]}))
    assert "cyclecloud inventory: clusters: CycleCloud has no cluster named 'nosuch'" in run.output
    run.assert_hidden(lab.emulator.password)


def test_wrong_password_fails_clearly_without_showing_it(lab):
    wrong = "Wr0ng-pass-4-inventory"
    run = failed(lab.inventory({"clusters": ["hpc"], "password": wrong}, "--list", "-vvvv"))
    assert "401" in run.output and "Invalid username or password" in run.output
    basic = base64.b64encode(("%s:%s" % (lab.emulator.username, wrong)).encode()).decode()
    run.assert_hidden(wrong, basic, lab.emulator.password)


# -- a play on the inventory's hosts -----------------------------------------------------------
PLAY = """
- hosts: node_array_hpc_execute
  gather_facts: false
  tasks:
    - name: the inventory's variables describe the node
      ansible.builtin.assert:
        that:
          - ansible_host == cyclecloud_private_ip
          - cyclecloud_cluster == 'hpc' and cyclecloud_node_array == 'execute'
          - cyclecloud_status == 'Ready'
          - inventory_hostname == cyclecloud_name
          - "'status_ready' in group_names and 'cluster_hpc' in groups"
    - name: node
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }} at {{ ansible_host }} ({{ cyclecloud_machine_type }}, {{ cyclecloud_cores }} cores)"
"""


def test_a_play_targets_the_node_array_with_the_hosts_variables(lab):
    run = lab.playbook({"clusters": ["hpc"]}, PLAY)
    assert run.rc == 0, run.output
    for name in ("execute-1", "execute-2"):
        node = lab.emulator.node("hpc", name)
        assert '"msg": "%s at %s (Standard_F4s_v2, 4 cores)"' % (name, node["PrivateIp"]) in run.stdout
    assert "login-1" not in run.stdout and "scheduler" not in run.stdout
    run.assert_hidden(lab.emulator.password)
