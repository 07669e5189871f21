# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The statecraft.infra.nautobot inventory through ansible-inventory and ansible-playbook,
against the real Nautobot 3.2 and 2.4 (through the recording proxy, which counts the
requests): hosts, variables, groups with location parents, filters, paging, constructed
features, the inventory cache, errors without secrets, and a play over the hosts."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys

import pytest
import yaml
from inventory_runs import plain

BIN = os.path.dirname(sys.executable)
SERIES = ("3.2", "2.4")


class World(object):
    """Objects of one test module on one Nautobot, all of tenant ``inv-<u>`` (so the tests
    filter on it and see nothing of other tests): locations Europe > dc1, dc2; leaf1 (dc1,
    role leaf, platform eos with driver arista_eos, tag core, a primary IPv4 on mgmt0, a local
    config context, a custom field), spine1 (dc2, spine, platform linux without driver, tag
    edge, Planned) and vm1 (cluster at dc1, role leaf, platform linux)."""

    def __init__(self, nautobot, proxy, unique):
        self.nautobot = nautobot
        self.proxy = proxy
        self.u = u = unique
        self.names = dict((key, "%s-%s" % (key, u)) for key in (
            "region", "dc1", "dc2", "mfr", "box", "leaf", "spine", "eos", "linux", "core", "edge", "inv", "ct",
            "cl", "leaf1", "spine1", "vm1"))
        self.names["europe"] = "Europe %s" % u  # a space: the group is location_europe_<u>
        self.cf_key = "inv_owner_%s" % u
        n = self.names
        api = nautobot.api
        api("POST", "dcim/location-types/", json={
            "name": n["region"], "nestable": True, "content_types": ["dcim.device", "virtualization.cluster"]})
        europe = api("POST", "dcim/locations/", json={"name": n["europe"], "location_type": {"name": n["region"]},
                                                      "status": {"name": "Active"}})
        for dc in ("dc1", "dc2"):
            api("POST", "dcim/locations/", json={"name": n[dc], "parent": europe["id"],
                                                 "location_type": {"name": n["region"]}, "status": {"name": "Active"}})
        api("POST", "dcim/manufacturers/", json={"name": n["mfr"]})
        api("POST", "dcim/device-types/", json={"model": n["box"], "manufacturer": {"name": n["mfr"]}})
        for role in ("leaf", "spine"):
            api("POST", "extras/roles/", json={"name": n[role], "content_types": [
                "dcim.device", "virtualization.virtualmachine"]})
        api("POST", "dcim/platforms/", json={"name": n["eos"], "network_driver": "arista_eos"})
        api("POST", "dcim/platforms/", json={"name": n["linux"]})
        for tag in ("core", "edge"):
            api("POST", "extras/tags/", json={"name": n[tag], "content_types": [
                "dcim.device", "virtualization.virtualmachine", "dcim.interface"]})
        api("POST", "tenancy/tenants/", json={"name": n["inv"]})
        api("POST", "extras/custom-fields/", json={
            "label": "Owner " + u, "key": self.cf_key, "type": "text", "content_types": ["dcim.device"]})
        self.leaf1 = self.device("leaf1", "dc1", "leaf", "eos", "core", "Active",
                                 local_config_context_data={"ntp_servers": ["192.0.2.123"]},
                                 custom_fields={self.cf_key: "netops"})
        self.device("spine1", "dc2", "spine", "linux", "edge", "Planned")
        interface = api("POST", "dcim/interfaces/", json={"device": self.leaf1["id"], "name": "mgmt0", "type": "1000base-t",
                                                          "status": {"name": "Active"}, "mode": "access",
                                                          "tags": [{"name": n["core"]}]})
        octet = int(u[:2], 16)
        namespace = nautobot.one("ipam/namespaces/", name="Global")["id"]
        api("POST", "ipam/prefixes/", json={"prefix": "10.77.%d.0/24" % octet, "namespace": namespace,
                                            "status": {"name": "Active"}})
        self.leaf1_ip = "10.77.%d.11" % octet
        ip = api("POST", "ipam/ip-addresses/", json={"address": self.leaf1_ip + "/24", "namespace": namespace,
                                                     "status": {"name": "Active"}})
        api("POST", "ipam/ip-address-to-interface/", json={"ip_address": ip["id"], "interface": interface["id"]})
        api("PATCH", "dcim/devices/%s/" % self.leaf1["id"], json={"primary_ip4": ip["id"]})
        api("POST", "virtualization/cluster-types/", json={"name": n["ct"]})
        dc1 = nautobot.one("dcim/locations/", name=n["dc1"])
        api("POST", "virtualization/clusters/", json={"name": n["cl"], "cluster_type": {"name": n["ct"]},
                                                      "location": dc1["id"]})
        api("POST", "virtualization/virtual-machines/", json={
            "name": n["vm1"], "cluster": {"name": n["cl"]}, "status": {"name": "Active"}, "role": {"name": n["leaf"]},
            "platform": {"name": n["linux"]}, "tenant": {"name": n["inv"]}})

    def device(self, name, location, role, platform, tag, status, **extra):
        n = self.names
        body = {"name": n[name], "device_type": {"model": n["box"]}, "location": self.nautobot.one(
            "dcim/locations/", name=n[location])["id"], "role": {"name": n[role]}, "platform": {"name": n[platform]},
            "tags": [{"name": n[tag]}], "status": {"name": status}, "tenant": {"name": n["inv"]}}
        body.update(extra)
        return self.nautobot.api("POST", "dcim/devices/", json=body)

    def group(self, kind, key):
        """The group name of a test object: group("location", "dc1") -> location_dc1_<u>."""
        return ("%s_%s" % (kind, self.names[key])).lower().replace("-", "_").replace(" ", "_")


@pytest.fixture(scope="module", params=SERIES)
def world(request):
    """The test objects on Nautobot 3.2, then on 2.4."""
    suffix = "" if request.param == "3.2" else "24"
    nautobot = request.getfixturevalue("nautobot" + suffix)
    proxy = request.getfixturevalue("proxy" + suffix)
    import uuid

    made = World(nautobot, proxy, uuid.uuid4().hex[:8])
    nautobot.wait_for_jobs(0)  # the custom field's provisioning Job
    return made


class Inventory(object):
    """Runs of ansible-inventory / ansible-playbook over one inventory file."""

    def __init__(self, world, env, tmp_path):
        self.world = world
        self.tmp_path = tmp_path
        # a source that does not parse is an error, not a warning and an empty inventory
        self.env = dict(env, NAUTOBOT_URL=world.proxy.url, NAUTOBOT_TOKEN=world.nautobot.token,
                        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
        self.requests = []

    def write(self, **options):
        config = {"plugin": "statecraft.infra.nautobot", "tenant": [self.world.names["inv"]]}
        config.update(options)
        path = self.tmp_path / ("%s.nautobot.yml" % len(list(self.tmp_path.glob("*.nautobot.yml"))))
        path.write_text(yaml.safe_dump(config))
        return str(path)

    def run(self, command, *args, **env):
        """``env``: environment variables to set (None: unset)."""
        env = dict((k, v) for k, v in dict(self.env, **env).items() if v is not None)
        mark = self.world.proxy.mark()
        proc = subprocess.run([os.path.join(BIN, command)] + list(args), capture_output=True, text=True, env=env,
                              cwd=str(self.tmp_path), check=False)
        self.requests = [(r["method"], r["path"]) for r in self.world.proxy.since(mark)]
        return proc

    def list(self, *args, **options):
        """The --list output (values without 2.19's markers of untrusted strings) of the file the options make."""
        proc = self.run("ansible-inventory", "-i", self.write(**options), "--list", *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return plain(json.loads(proc.stdout)), proc

    def fails(self, **options):
        """The output of a run that must fail (-vvv: no secret shows even then)."""
        proc = self.run("ansible-inventory", "-i", self.write(**options), "--list", "-vvv")
        assert proc.returncode != 0, proc.stdout
        return proc.stdout + proc.stderr


def members(listing, group):
    return sorted(listing.get(group, {}).get("hosts", []))


@pytest.fixture
def inventory(world, ansible_env, tmp_path):
    return Inventory(world, ansible_env, tmp_path)


# -- hosts, variables, groups -------------------------------------------------------------------
def test_hosts_variables_and_groups(inventory, world):
    listing, proc = inventory.list(config_context=True, custom_fields=True, interfaces=True)
    n = world.names
    assert inventory.requests == [("POST", "/api/graphql/")], inventory.requests
    hostvars = listing["_meta"]["hostvars"]
    assert sorted(hostvars) == sorted([n["leaf1"], n["spine1"], n["vm1"]])

    leaf = hostvars[n["leaf1"]]
    assert leaf["ansible_host"] == world.leaf1_ip  # the primary IPv4 without its mask
    assert leaf["ansible_network_os"] == "arista.eos.eos"  # the platform's network_driver_mappings.ansible
    assert leaf["nautobot_kind"] == "device" and leaf["nautobot_id"] == world.leaf1["id"]
    assert (leaf["nautobot_role"], leaf["nautobot_platform"], leaf["nautobot_tenant"], leaf["nautobot_status"],
            leaf["nautobot_location"], leaf["nautobot_device_type"]) == (
        n["leaf"], n["eos"], n["inv"], "Active", n["dc1"], n["box"])
    assert leaf["nautobot_tags"] == [n["core"]]
    assert leaf["nautobot_primary_ip4"] == world.leaf1_ip + "/24" and leaf["nautobot_primary_ip6"] is None
    assert leaf["nautobot_config_context"]["ntp_servers"] == ["192.0.2.123"]
    assert leaf["nautobot_custom_fields"][world.cf_key] == "netops"
    (mgmt,) = leaf["nautobot_interfaces"]
    assert (mgmt["name"], mgmt["mode"], mgmt["ip_addresses"], mgmt["tags"], mgmt["mgmt_only"], mgmt["enabled"]) == (
        "mgmt0", "access", [world.leaf1_ip + "/24"], [n["core"]], False, True)

    spine = hostvars[n["spine1"]]
    assert "ansible_host" not in spine and "ansible_network_os" not in spine  # no primary IP; no driver
    assert spine["nautobot_status"] == "Planned" and spine["nautobot_interfaces"] == []
    vm = hostvars[n["vm1"]]
    assert (vm["nautobot_kind"], vm["nautobot_cluster"], vm["nautobot_location"]) == (
        "virtual_machine", n["cl"], n["dc1"])  # a virtual machine is where its cluster is
    # the field is for devices only (other custom fields on the shared server may apply to virtual machines)
    assert "nautobot_device_type" not in vm and world.cf_key not in vm["nautobot_custom_fields"]

    group = world.group
    assert members(listing, group("location", "dc1")) == sorted([n["leaf1"], n["vm1"]])
    assert members(listing, group("location", "dc2")) == [n["spine1"]]
    assert sorted(listing[group("location", "europe")]["children"]) == sorted(
        [group("location", "dc1"), group("location", "dc2")])
    assert group("location", "europe") in listing["all"]["children"]
    assert members(listing, group("role", "leaf")) == sorted([n["leaf1"], n["vm1"]])
    assert members(listing, group("platform", "linux")) == sorted([n["spine1"], n["vm1"]])
    assert members(listing, group("tenant", "inv")) == sorted(hostvars)
    assert members(listing, group("tag", "core")) == [n["leaf1"]]
    assert n["spine1"] in members(listing, "status_planned") and n["leaf1"] in members(listing, "status_active")

    # the graph shows the nesting: Europe > dc1 > leaf1
    proc = inventory.run("ansible-inventory", "-i", inventory.write(), "--graph", group("location", "europe"))
    assert proc.returncode == 0, proc.stderr
    graph = [line.strip(" |-:") for line in proc.stdout.splitlines()]
    assert graph[:3] == ["@" + group("location", "europe"), "@" + group("location", "dc1"), n["leaf1"]], proc.stdout


def test_filters_and_group_by(inventory, world):
    n = world.names
    cases = [
        (dict(role=[n["leaf"]]), [n["leaf1"], n["vm1"]]),
        (dict(location=[n["europe"]], status=["Planned"]), [n["spine1"]]),  # a location includes those below it
        (dict(platform=[n["linux"]], virtual_machines=False), [n["spine1"]]),
        (dict(tags=[n["edge"]]), [n["spine1"]]),
        (dict(tags=[n["core"], n["edge"]]), []),  # every tag given
        (dict(devices=False), [n["vm1"]]),
        (dict(device_filters={"name__isw": "leaf1"}, virtual_machine_filters={"name": ["nothing-" + world.u]}),
         [n["leaf1"]]),
    ]
    for options, hosts in cases:
        listing, _proc = inventory.list(**options)
        assert sorted(listing["_meta"]["hostvars"]) == sorted(hosts), options
    listing, _proc = inventory.list(group_by=["role"])
    assert world.group("role", "spine") in listing
    assert not [g for g in listing if g.startswith(("location_", "platform_", "tag_", "status_", "tenant_"))], listing


def test_paging_reads_every_page(inventory, world):
    """page_size 1: one request per page, every host as with one page."""
    whole, _proc = inventory.list(group_by=["role", "tags"])
    paged, _proc = inventory.list(group_by=["role", "tags"], page_size=1)
    assert paged == whole
    # two devices: the first page shows one and that there is more, the second the last
    assert len(inventory.requests) >= 2 and set(inventory.requests) == {("POST", "/api/graphql/")}


def test_constructed_features(inventory, world):
    n = world.names
    constructed = dict(
        compose={"ansible_user": "'ops-' ~ nautobot_role", "ntp": "nautobot_config_context.ntp_servers | default([])"},
        keyed_groups=[{"key": "nautobot_kind", "prefix": "kind"}],
        groups={"planned": "nautobot_status == 'Planned'"},
        config_context=True, strict=True)
    listing, _proc = inventory.list(**constructed)
    hostvars = listing["_meta"]["hostvars"]
    assert hostvars[n["leaf1"]]["ansible_user"] == "ops-" + n["leaf"]
    assert hostvars[n["leaf1"]]["ntp"] == ["192.0.2.123"]
    assert members(listing, "kind_virtual_machine") == [n["vm1"]]
    assert members(listing, "kind_device") == sorted([n["leaf1"], n["spine1"]])
    assert members(listing, "planned") == [n["spine1"]]

    # strict: a variable no host has fails the inventory; not strict, it is skipped
    broken = dict(keyed_groups=[{"key": "no_such_var", "prefix": "x"}])
    assert "no_such_var" in inventory.fails(strict=True, **broken)
    listing, _proc = inventory.list(strict=False, **broken)
    assert sorted(listing["_meta"]["hostvars"]) == sorted([n["leaf1"], n["spine1"], n["vm1"]])


def test_cache_second_run_sends_nothing(inventory, world, tmp_path):
    cache = dict(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                 cache_timeout=600)
    path = inventory.write(**cache)
    first = inventory.run("ansible-inventory", "-i", path, "--list")
    assert first.returncode == 0, first.stderr
    assert inventory.requests == [("POST", "/api/graphql/")]
    assert os.listdir(str(tmp_path / "cache"))
    second = inventory.run("ansible-inventory", "-i", path, "--list")
    assert second.returncode == 0 and inventory.requests == [], inventory.requests
    assert json.loads(second.stdout) == json.loads(first.stdout)
    flushed = inventory.run("ansible-inventory", "-i", path, "--list", "--flush-cache")
    assert flushed.returncode == 0 and inventory.requests == [("POST", "/api/graphql/")]
    assert world.nautobot.token not in json.dumps(os.listdir(str(tmp_path / "cache"))) + "".join(
        open(str(tmp_path / "cache" / name)).read() for name in os.listdir(str(tmp_path / "cache")))


# -- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("options, expected", [
    (dict(group_by=["rack"]), "group_by"),
    (dict(page_size=0), "page_size: 0"),
    (dict(device_filters={"bad key": 1}), "device_filters: 'bad key' is not a filter name"),
    (dict(device_filters={"name": {"nested": 1}}), "device_filters: a filter value is"),
    (dict(device_filters={"no_such_filter": 1}), "no_such_filter"),
    (dict(location=["no-such-location-anywhere"]), "no-such-location-anywhere"),
])
def test_bad_option_fails_clearly(inventory, world, options, expected):
    output = inventory.fails(**options)
    assert expected in output, output
    assert world.nautobot.token not in output


def test_missing_and_wrong_token(inventory, world):
    proc = inventory.run("ansible-inventory", "-i", inventory.write(), "--list", NAUTOBOT_TOKEN=None)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "token is required: set the token option or the NAUTOBOT_TOKEN environment variable" in output, output
    assert inventory.requests == []

    bad = "0123456789abcdef0123456789abcdef01234567"
    output = inventory.fails(token=bad, url=world.proxy.url)
    assert "403" in output and "token" in output.lower(), output
    assert bad not in output and world.nautobot.token not in output
    assert inventory.requests == [("POST", "/api/graphql/")]  # refused once, never retried


# -- a play over the inventory's hosts -------------------------------------------------------------
def test_playbook_uses_host_variables(inventory, world, tmp_path):
    """A play targets a location group (the parent's: the hosts of dc1 and dc2) and reads
    each host's variables; nothing connects to a device."""
    n = world.names
    play = tmp_path / "play.yml"
    play.write_text("""
- hosts: %(europe)s
  gather_facts: false
  tasks:
    - name: the variables from Nautobot
      ansible.builtin.assert:
        that:
          - nautobot_tenant == %(tenant)r
          - nautobot_location in [%(dc1)r, %(dc2)r]
          - inventory_hostname != %(leaf1)r or ansible_host == %(ip)r
          - inventory_hostname != %(leaf1)r or ansible_network_os == 'arista.eos.eos'
          - inventory_hostname != %(leaf1)r or nautobot_config_context.ntp_servers == ['192.0.2.123']
    - name: one line per host
      ansible.builtin.debug:
        msg: "{{ inventory_hostname }} {{ nautobot_role }} {{ hostvars[inventory_hostname].ansible_host | default('-') }}"
""" % dict(europe=world.group("location", "europe"), tenant=n["inv"], dc1=n["dc1"], dc2=n["dc2"], leaf1=n["leaf1"],
           ip=world.leaf1_ip))
    proc = inventory.run("ansible-playbook", "-i", inventory.write(config_context=True), str(play))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "%s %s %s" % (n["leaf1"], n["leaf"], world.leaf1_ip) in proc.stdout
    assert "%s %s -" % (n["spine1"], n["spine"]) in proc.stdout
    recap = proc.stdout.split("PLAY RECAP")[1]
    for host in ("leaf1", "spine1", "vm1"):  # vm1: its cluster is at dc1
        assert [line for line in recap.splitlines() if line.startswith(n[host] + " ") and "ok=2" in line], recap


def test_two_objects_of_one_name_fail_naming_both(inventory, world):
    """A device of another tenant named as vm1: with both tenants they would be one host."""
    n = world.names
    other = "other-" + world.u
    world.nautobot.api("POST", "tenancy/tenants/", json={"name": other})
    twin = world.device("vm1", "dc2", "spine", "linux", "edge", "Active")
    world.nautobot.api("PATCH", "dcim/devices/%s/" % twin["id"], json={"tenant": {"name": other}})
    output = inventory.fails(tenant=[n["inv"], other])
    assert "two or more machines would be one host: %s (device %s at %s, virtual machine" % (
        n["vm1"], twin["id"], n["dc2"]) in output, output
    assert "leave one out with a filter" in output
