# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The statecraft.infra.cloudcix inventory through ansible-inventory and ansible-playbook
against the CloudCIX emulator. Each test starts from two projects made through the API:
``web`` (web1 with a public NAT address, web2 private only, web3 stopped, gone1 queued for
deletion, proxy) and ``db`` (db1, proxy), both in the sandbox region.

What each run sent comes from the emulator's request log.
"""

from __future__ import absolute_import, division, print_function

import pytest
import requests

from inventory_runs import InventoryLab

SPECS = [{"sku_name": "RAM_001", "quantity": 4}, {"sku_name": "vCPU_001", "quantity": 2},
         {"sku_name": "SSD_001", "quantity": 20}, {"sku_name": "HDD_001", "quantity": 30},
         {"sku_name": "UBUNTU2404", "quantity": 1}]
INSTANCES = {  # project -> instance -> public (NAT) address or not
    "web": {"web1": True, "web2": False, "web3": False, "gone1": False, "proxy": True},
    "db": {"db1": False, "proxy": False},
}


class Api(object):
    """The emulator's API as a client sees it (logged in as the sandbox user)."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.headers = {"X-Auth-Token": emulator.issue_token()}

    def send(self, method, path, body):
        response = requests.request(method, "%s/compute/%s" % (self.emulator.url, path), json=body,
                                    headers=self.headers, timeout=10)
        assert response.status_code in (200, 201), response.text
        return response.json()["content"]

    def robot(self):
        self.emulator.clock.advance(120)  # pending -> building -> running, stop -> stopped, delete -> queued


@pytest.fixture
def world(cloudcix):
    """{project: {"id": .., instance name: instance}} as CloudCIX holds them."""
    cloudcix.reset()
    cloudcix.clock.set_speed(0)  # the robot moves only when a test says so
    api = Api(cloudcix)
    made = {}
    for project, instances in INSTANCES.items():
        created = api.send("POST", "project/", {"name": project, "region_id": cloudcix.region_id})
        api.send("POST", "network/routers/", {"project_id": created["id"], "type": "router",
                                              "networks": [{"name": "lan", "ipv4": "10.0.1.1/24"}]})
        made[project] = {"id": created["id"]}
        for name, nat in instances.items():
            made[project][name] = api.send("POST", "compute/instances/", {
                "project_id": created["id"], "name": name, "specs": SPECS,
                "metadata": {"instance_type": "container", "userdata": "#cloud-config\npassword: S3cret-userdata"},
                "interfaces": [{"gateway": True, "ipv4_addresses": [{"nat": nat}]}]})["id"]
    api.robot()
    api.send("PATCH", "compute/instances/%s/" % made["web"]["web3"], {"state": "stop"})
    api.send("PATCH", "compute/instances/%s/" % made["web"]["gone1"], {"state": "delete"})
    api.robot()
    for project, instances in INSTANCES.items():
        for name in instances:
            made[project][name] = cloudcix.get("compute", "compute/instances", made[project][name])
    cloudcix.clear_log()
    return made


@pytest.fixture
def lab(cloudcix, ansible_env, tmp_path, world):
    env = dict((k, v) for k, v in ansible_env.items() if not k.startswith("CLOUDCIX_"))
    connection = {"api_url": cloudcix.api_url, "api_username": cloudcix.email, "api_password": cloudcix.password,
                  "api_key": cloudcix.api_key}
    return InventoryLab(cloudcix, "cloudcix", connection, env, tmp_path)


def ok(run):
    assert run.rc == 0, run.output
    return run


def failed(run):
    assert run.rc != 0, run.output
    return run


def reads(run):
    return [(r["method"], r["path"]) for r in run.requests]


LOGIN = ("POST", "/membership/auth/login/")
PROJECTS = ("GET", "/compute/project/")
LIST = ("GET", "/compute/compute/instances/")


# -- hosts, variables, groups ------------------------------------------------------------------
def test_instances_of_a_project_with_their_variables_and_groups(lab, world):
    run = ok(lab.inventory({"projects": ["web"]}))

    # the login, the projects and the project's instances: three requests
    assert reads(run) == [LOGIN, PROJECTS, LIST]
    assert run.requests[2]["query"]["search[project_id__in]"] == str(world["web"]["id"])
    # gone1 is queued for deletion: the modules count it as absent, so does the inventory
    assert set(run.hostvars) == {"web1", "web2", "web3", "proxy"}

    web1 = world["web"]["web1"]
    address = web1["interfaces"][0]["ipv4_addresses"][0]
    assert address["nat"] and address["public_ip"]
    assert run.hostvars["web1"] == {
        "ansible_host": address["public_ip"], "cloudcix_id": web1["id"], "cloudcix_name": "web1",
        "cloudcix_project": "web", "cloudcix_project_id": world["web"]["id"], "cloudcix_region_id": 100,
        "cloudcix_state": "running", "cloudcix_type": "lxd", "cloudcix_instance_type": "container",
        "cloudcix_public_ip": address["public_ip"], "cloudcix_private_ip": address["address"],
        "cloudcix_ipv6_address": web1["interfaces"][0]["ipv6_addresses"][0]["address"],
        "cloudcix_interfaces": web1["interfaces"], "cloudcix_specs": web1["specs"],
        "cloudcix_cpu": 2, "cloudcix_ram": 4, "cloudcix_storage": 50, "cloudcix_image": "UBUNTU2404"}
    # no public address: the private one
    web2 = run.hostvars["web2"]
    assert web2["ansible_host"] == web2["cloudcix_private_ip"] and "cloudcix_public_ip" not in web2
    # the metadata stays out: its userdata may hold secrets
    assert "S3cret-userdata" not in run.output

    assert run.children("region_100") == {"project_web"}
    assert run.members("project_web") == set(run.hostvars)
    assert run.members("state_running") == {"web1", "web2", "proxy"} and run.members("state_stopped") == {"web3"}

    graph = ok(lab.inventory({"projects": ["web"]}, "--graph"))
    assert "@region_100:\n  |  |--@project_web:\n" in graph.stdout


def test_projects_by_id_states_private_addresses_and_qualified_names(lab, world):
    config = {"projects": ["web", world["db"]["id"]], "states": ["running", "delete_queue"], "address": "private",
              "qualified_names": True}
    run = ok(lab.inventory(config))
    assert set(run.hostvars) == {"web1.web", "web2.web", "proxy.web", "gone1.web", "db1.db", "proxy.db"}
    assert run.hostvars["web1.web"]["ansible_host"] == run.hostvars["web1.web"]["cloudcix_private_ip"]
    assert run.members("state_delete_queue") == {"gone1.web"}
    assert run.children("region_100") == {"project_web", "project_db"}
    assert run.members("project_db") == {"db1.db", "proxy.db"}


def test_every_project_by_default_and_a_token_spares_the_login(lab, world):
    token = lab.emulator.issue_token()
    config = {"api_username": None, "api_password": None, "api_key": None, "api_token": token,
              "qualified_names": True}
    run = ok(lab.inventory(config))
    # no project named: all of the user's projects, and their instances unfiltered (one request each)
    assert reads(run) == [PROJECTS, LIST] and "search[project_id__in]" not in run.requests[1]["query"]
    assert set(run.hostvars) == {"web1.web", "web2.web", "web3.web", "proxy.web", "db1.db", "proxy.db"}
    run.assert_hidden(token)


def test_instances_of_one_name_in_two_projects_fail_naming_them(lab, world):
    run = failed(lab.inventory({}))
    assert ("two or more machines would be one host: proxy (id %s in project web, id %s in project db); set "
            "qualified_names" % (world["web"]["proxy"]["id"], world["db"]["proxy"]["id"])) in run.output


# -- constructed -------------------------------------------------------------------------------
def test_compose_keyed_groups_groups_and_strict(lab):
    config = {"projects": ["web"],
              "compose": {"ansible_user": "'ubuntu' if cloudcix_type == 'lxd' else 'administrator'",
                          "memory_mb": "cloudcix_ram * 1024"},
              "keyed_groups": [{"key": "cloudcix_image", "prefix": "image"}],
              "groups": {"reachable": "cloudcix_public_ip is defined"}}
    run = ok(lab.inventory(config))
    assert run.hostvars["web2"]["ansible_user"] == "ubuntu" and run.hostvars["web2"]["memory_mb"] == 4096
    assert run.members("image_UBUNTU2404") == set(run.hostvars)
    assert run.members("reachable") == {"web1", "proxy"}

    lax = dict(config, compose={"public": "cloudcix_public_ip | upper"})
    run = ok(lab.inventory(lax))
    assert "public" in run.hostvars["web1"] and "public" not in run.hostvars["web2"]
    run = failed(lab.inventory(dict(lax, strict=True)))
    assert "cloudcix_public_ip" in run.output


# -- cache -------------------------------------------------------------------------------------
def test_cache_second_run_sends_nothing(lab, tmp_path):
    cache = tmp_path / "cache"
    source = lab.source({"projects": ["web"], "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
                         "cache_connection": str(cache), "keyed_groups": [{"key": "cloudcix_state", "prefix": "is"}]})
    first = ok(lab.inventory(source))
    assert reads(first) == [LOGIN, PROJECTS, LIST]

    second = ok(lab.inventory(source))
    assert second.requests == []
    assert second.data == first.data and second.members("is_stopped") == {"web3"}

    stored = "".join(p.read_text() for p in cache.iterdir())
    assert "web1" in stored
    for secret in lab.emulator.secrets():
        assert secret not in stored


# -- connection options as the modules read them -----------------------------------------------
def test_connection_from_the_environment(lab):
    emulator = lab.emulator
    env = {"CLOUDCIX_API_URL": emulator.api_url, "CLOUDCIX_API_USERNAME": emulator.email,
           "CLOUDCIX_API_PASSWORD": emulator.password, "CLOUDCIX_API_KEY": emulator.api_key}
    run = ok(lab.inventory({"projects": ["db"]}, connection=False, env=env))
    assert set(run.hostvars) == {"db1", "proxy"}


# -- errors: clear, before any request where they can be, and no secret ------------------------
@pytest.mark.parametrize("config, message", [
    ({"address": "nat"}, "Invalid value 'nat' for config 'address'"),
    ({"projects": ["web", " "]}, "projects: give each project by name or id"),
    ({"api_token": "a-token-and-credentials"}, "give either token or api_username"),
    ({"api_key": None}, "give token, or api_username + api_password + api_key (missing: api_key)"),
    ({"api_url": "http://127.0.0.1:1/compute"}, "url"),
])
def test_bad_options_fail_before_any_request(lab, config, message):
    run = failed(lab.inventory(config))
    assert message in run.output and run.requests == []
    run.assert_hidden(*lab.emulator.secrets())
    run.assert_hidden("a-token-and-credentials")


def test_unknown_project_fails_naming_it(lab):
    run = failed(lab.inventory({"projects": ["web", "nosuch", 999]}))
    assert "cloudcix inventory: projects: CloudCIX shows the user no open project 'nosuch', '999' (it shows: db, web)" \
        in run.output
    run.assert_hidden(*lab.emulator.secrets())


@pytest.mark.parametrize("credential", ["api_password", "api_key", "api_token"])
def test_wrong_credential_fails_clearly_without_showing_it(lab, credential):
    wrong = "Wr0ng-%s-for-inventory" % credential
    config = {"projects": ["web"], credential: wrong}
    if credential == "api_token":
        config.update(api_username=None, api_password=None, api_key=None)
    run = failed(lab.inventory(config, "--list", "-vvvv"))
    expected = "401" if credential == "api_token" else "400"
    assert "cloudcix inventory:" in run.output and "HTTP %s" % expected in run.output
    run.assert_hidden(wrong, *lab.emulator.secrets())


# -- a play on the inventory's hosts -----------------------------------------------------------
PLAY = """
- hosts: project_web:&state_running
  gather_facts: false
  tasks:
    - name: the inventory's variables describe the instance
      ansible.builtin.assert:
        that:
          - ansible_host == (cloudcix_public_ip | default(cloudcix_private_ip))
          - cloudcix_project == 'web' and cloudcix_state == 'running'
          - cloudcix_ram == 4 and cloudcix_image == 'UBUNTU2404'
          - "'region_100' in groups"
    - name: instance
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }} at {{ ansible_host }} ({{ cloudcix_cpu }} vCPU, {{ cloudcix_ram }} GB)"
"""


def test_a_play_targets_running_instances_of_a_project_with_their_variables(lab, world):
    run = lab.playbook({"projects": ["web"]}, PLAY)
    assert run.rc == 0, run.output
    web1 = world["web"]["web1"]["interfaces"][0]["ipv4_addresses"][0]
    web2 = world["web"]["web2"]["interfaces"][0]["ipv4_addresses"][0]
    assert '"msg": "web1 at %s (2 vCPU, 4 GB)"' % web1["public_ip"] in run.stdout
    assert '"msg": "web2 at %s (2 vCPU, 4 GB)"' % web2["address"] in run.stdout
    assert "web3" not in run.stdout and "gone1" not in run.stdout
    run.assert_hidden(*lab.emulator.secrets())
