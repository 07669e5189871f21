# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nautobot
short_description: Nautobot's devices and virtual machines as inventory hosts
version_added: 0.1.0
description:
  - Reads devices and virtual machines from Nautobot through its GraphQL API, both kinds (with
    the platforms, and the locations for their parents) in one query per page of O(page_size)
    objects, so a large installation costs a few requests instead of one per object or
    relationship.
  - Each object named in Nautobot becomes a host (objects without a name are left out).
    Two objects of one name (a device and a virtual machine, devices of two locations) would
    be one host, so the inventory fails naming them; a filter tells them apart.
  - "Groups (O(group_by)): C(location_<name>), C(role_<name>), C(platform_<name>),
    C(tenant_<name>), C(tag_<name>), C(status_<name>), each name lowercased with anything
    but letters, digits and underscores as C(_) (location C(DC 1) is C(location_dc_1)). A
    location's group is a child of its parent location's group, up to the top, so a play for
    C(location_europe) reaches the hosts of every location in Europe. A virtual machine's
    location is its cluster's."
  - "Host variables: C(ansible_host), the primary IPv4 address without its mask (else the
    primary IPv6 one); C(ansible_network_os), the platform's Ansible network driver
    (C(network_driver_mappings.ansible), for example V(arista.eos.eos)), else its
    C(network_driver); and C(nautobot_id), C(nautobot_kind) (V(device) or
    V(virtual_machine)), C(nautobot_status), C(nautobot_role), C(nautobot_tenant),
    C(nautobot_platform), C(nautobot_location), C(nautobot_tags) (names),
    C(nautobot_primary_ip4), C(nautobot_primary_ip6) (with their mask), plus
    C(nautobot_device_type) (model) for a device and C(nautobot_cluster) for a virtual machine.
    Unset ones are V(null). O(config_context), O(custom_fields) and O(interfaces) add more."
  - Values read from Nautobot are never templated by Ansible.
  - The connection options and their environment variables are those of the Nautobot
    modules. No error shows the token.
author:
  - statecraft.infra team (@statecraft)
options:
  plugin:
    description: The name of this plugin; it marks the file as its source.
    type: str
    required: true
    choices: [statecraft.infra.nautobot]
  devices:
    description: Whether devices become hosts.
    type: bool
    default: true
  virtual_machines:
    description: Whether virtual machines become hosts.
    type: bool
    default: true
  location:
    description:
      - Only objects in these locations (by name or id), or in locations below them.
    type: list
    elements: str
  role:
    description: Only objects with one of these roles (by name or id).
    type: list
    elements: str
  platform:
    description: Only objects on one of these platforms (by name or id).
    type: list
    elements: str
  tenant:
    description: Only objects of one of these tenants (by name or id).
    type: list
    elements: str
  tags:
    description: Only objects with all of these tags (by name or id).
    type: list
    elements: str
  status:
    description: Only objects with one of these statuses (by name or id), for example V(Active).
    type: list
    elements: str
  device_filters:
    description:
      - "Further filters of devices, as Nautobot's GraphQL C(devices) field takes them, for
        example V({name__isw: leaf, has_primary_ip: true}); a list value means any of them."
      - A key also set by a filter option above replaces it for devices.
      - A filter Nautobot does not know, or a value naming no object, fails with Nautobot's
        message.
    type: dict
    default: {}
  virtual_machine_filters:
    description:
      - "Further filters of virtual machines, as Nautobot's GraphQL C(virtual_machines) field
        takes them, for example V({cluster: [k8s-prod]}); as O(device_filters)."
    type: dict
    default: {}
  group_by:
    description: The groups each host joins, named as the description says.
    type: list
    elements: str
    choices: [location, role, platform, tenant, tags, status]
    default: [location, role, platform, tenant, tags, status]
  config_context:
    description:
      - Whether each host gets C(nautobot_config_context), its rendered config context.
      - Nautobot renders it object by object, so this makes the read slower.
    type: bool
    default: false
  custom_fields:
    description: Whether each host gets C(nautobot_custom_fields), its custom field values by key.
    type: bool
    default: false
  interfaces:
    description:
      - "Whether each host gets C(nautobot_interfaces): its interfaces, each with C(name),
        C(description), C(enabled), C(mac_address), C(mtu), C(mode) (V(access), V(tagged),
        V(tagged-all) or V(null)), C(ip_addresses) (with their mask), C(untagged_vlan) and
        C(tagged_vlans) (each C(vid) and C(name)) and C(tags), plus C(mgmt_only) on a device."
    type: bool
    default: false
  page_size:
    description:
      - Objects of each kind per request; every page is read.
      - Larger pages mean fewer requests but longer ones.
    type: int
    default: 1000
extends_documentation_fragment:
  - statecraft.infra.nautobot.plugin
  - constructed
  - inventory_cache
notes:
  - With O(cache), a changed inventory file is read from the cache until O(cache_timeout)
    runs out; C(ansible-inventory --flush-cache) (or C(ansible-playbook --flush-cache)) reads
    Nautobot again.
"""

EXAMPLES = r"""
# inventory/nautobot.yml (the file name must end in nautobot.yml or nautobot.yaml);
# the connection comes from NAUTOBOT_URL and NAUTOBOT_TOKEN
plugin: statecraft.infra.nautobot

---
# Active devices of two sites, with their config context, grouped by role and platform;
# keyed groups by device type, a composed variable and a group of their own; a cached read
plugin: statecraft.infra.nautobot
url: https://nautobot.example.com
virtual_machines: false
location: [ams1, fra1]
status: [Active]
group_by: [role, platform]
config_context: true
keyed_groups:
  - key: nautobot_device_type
    prefix: model
compose:
  ntp_servers: nautobot_config_context.ntp_servers | default([])
groups:
  border: "'border' in nautobot_tags"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 3600

---
# Virtual machines of one cluster whose names start with web, with interfaces and custom fields
plugin: statecraft.infra.nautobot
devices: false
virtual_machine_filters:
  cluster: [k8s-prod]
  name__isw: web
interfaces: true
custom_fields: true
"""

import json
import re

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter, connection_argspec
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_object import graphql
from ansible_collections.statecraft.infra.plugins.plugin_utils._inventory import (
    PlatformInventory,
    check_unique_names,
    group_name,
)

FILTER_OPTIONS = ("location", "role", "platform", "tenant", "tags", "status")
GRAPHQL_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")

# What one query asks of every device and virtual machine: the host's variables and groups.
# Related objects come with what the inventory shows of them (names, addresses), so no
# relationship costs a request of its own.
COMMON_FIELDS = """id name status { name } role { name } tenant { name } tags { name } platform { name }
  primary_ip4 { address } primary_ip6 { address }"""
INTERFACE_FIELDS = """name description enabled mac_address mtu mode ip_addresses { address }
  untagged_vlan { vid name } tagged_vlans { vid name } tags { name }"""
# Lists read in the same query: platforms once each (Nautobot computes a platform's driver
# mappings each time one is shown: per host, that doubled the read), locations for the
# parents of the hosts' ones
PLATFORM_FIELDS = "name network_driver network_driver_mappings"
LOCATION_FIELDS = "id name parent { id }"


class Kind(object):
    """Devices or virtual machines: the GraphQL list field, what it asks beyond
    ``COMMON_FIELDS``, and the host variables only this kind has."""

    def __init__(self, name, field, fields, interface_fields, location, own_vars):
        self.name = name  # nautobot_kind; the options <name>s and <name>_filters
        self.field = field
        self.fields = fields
        self.interface_fields = interface_fields
        self.location = location  # the object's location ({id, name}) or None
        self.own_vars = own_vars


KINDS = (
    Kind("device", "devices", "location { id name } device_type { model }", "mgmt_only",
         lambda obj: obj.get("location"),
         lambda obj: {"nautobot_device_type": name_of(obj.get("device_type"), "model")}),
    # a virtual machine is where its cluster is
    Kind("virtual_machine", "virtual_machines", "cluster { name location { id name } }", "",
         lambda obj: (obj.get("cluster") or {}).get("location"),
         lambda obj: {"nautobot_cluster": name_of(obj.get("cluster"))}),
)


def name_of(obj, key="name"):
    return obj.get(key) if obj else None


def literal(value, option):
    """A filter value as a GraphQL literal (JSON's strings, numbers, booleans and null are
    GraphQL's too); a list is any of its values."""
    if isinstance(value, (list, tuple)):
        return "[%s]" % ", ".join(literal(v, option) for v in value)
    if isinstance(value, dict):
        raise ValueError("%s: a filter value is a string, number, boolean or list of them, not %s"
                         % (option, json.dumps(value, sort_keys=True)))
    return json.dumps(value)


def arguments(filters, option):
    for key in filters:
        if not GRAPHQL_NAME.match(str(key)):
            raise ValueError("%s: %r is not a filter name (letters, digits and underscores)" % (option, key))
    return ", ".join("%s: %s" % (key, literal(value, option)) for key, value in sorted(filters.items()))


def selections(options):
    """GraphQL list field -> (its filter arguments, its fields), for what the options ask."""
    wanted = {}
    for kind in KINDS:
        if not options[kind.name + "s"]:
            continue
        filters = dict((name, options[name]) for name in FILTER_OPTIONS if options[name])
        filters.update(options[kind.name + "_filters"] or {})
        fields = [COMMON_FIELDS, kind.fields]
        if options["config_context"]:
            fields.append("config_context")
        if options["custom_fields"]:
            fields.append("_custom_field_data")
        if options["interfaces"]:
            fields.append("interfaces { %s %s }" % (INTERFACE_FIELDS, kind.interface_fields))
        wanted[kind.field] = (arguments(filters, kind.name + "_filters"), " ".join(fields))
    if wanted:
        wanted["platforms"] = ("", PLATFORM_FIELDS)
    if wanted and "location" in options["group_by"]:
        wanted["locations"] = ("", LOCATION_FIELDS)
    return wanted


def read_lists(adapter, wanted, page_size):
    """Every object of each list field in ``wanted``; one query per page asks for the next
    page of every list that has more. Each list is asked for one object past the page, so
    that a full last page needs no further (empty) request to show it was the last."""
    if page_size < 1:
        raise ValueError("page_size: %s is not 1 or more" % page_size)
    found = dict((field, []) for field in wanted)
    pending = sorted(wanted)
    offset = 0
    while pending:
        lists = []
        for field in pending:
            filters, fields = wanted[field]
            page = "limit: %d, offset: %d" % (page_size + 1, offset)
            lists.append("%s(%s) { %s }" % (field, ", ".join([page, filters] if filters else [page]), fields))
        data = graphql(adapter, "query {\n%s\n}" % "\n".join(lists))
        for field in pending:
            found[field].extend((data.get(field) or [])[:page_size])
        pending = [field for field in pending if len(data.get(field) or []) > page_size]
        offset += page_size
    return found


def address(ip):
    return ip["address"].split("/")[0] if ip else None


def network_os(platform):
    """The platform's Ansible network driver (Nautobot maps its network_driver for Ansible,
    for example arista_eos to arista.eos.eos), else its network_driver."""
    return (platform.get("network_driver_mappings") or {}).get("ansible") or platform.get("network_driver") or None


def interface_vars(interface):
    result = dict((key, interface.get(key)) for key in ("name", "description", "enabled", "mac_address", "mtu"))
    if "mgmt_only" in interface:
        result["mgmt_only"] = interface["mgmt_only"]
    # GraphQL names a choice by its enum (TAGGED_ALL): the API's value is tagged-all
    result["mode"] = interface["mode"].lower().replace("_", "-") if interface.get("mode") else None
    result["ip_addresses"] = [ip["address"] for ip in interface.get("ip_addresses") or []]
    result["untagged_vlan"] = interface.get("untagged_vlan")
    result["tagged_vlans"] = interface.get("tagged_vlans") or []
    result["tags"] = [tag["name"] for tag in interface.get("tags") or []]
    return result


def host_vars(kind, obj, network_os_of):
    """The host's variables; ``network_os_of``: platform name -> its network OS."""
    location = kind.location(obj)
    variables = {
        "nautobot_id": obj["id"],
        "nautobot_kind": kind.name,
        "nautobot_status": name_of(obj.get("status")),
        "nautobot_role": name_of(obj.get("role")),
        "nautobot_tenant": name_of(obj.get("tenant")),
        "nautobot_platform": name_of(obj.get("platform")),
        "nautobot_location": name_of(location),
        "nautobot_tags": [tag["name"] for tag in obj.get("tags") or []],
        "nautobot_primary_ip4": name_of(obj.get("primary_ip4"), "address"),
        "nautobot_primary_ip6": name_of(obj.get("primary_ip6"), "address"),
    }
    variables.update(kind.own_vars(obj))
    ansible_host = address(obj.get("primary_ip4")) or address(obj.get("primary_ip6"))
    if ansible_host:
        variables["ansible_host"] = ansible_host
    if network_os_of.get(variables["nautobot_platform"]):
        variables["ansible_network_os"] = network_os_of[variables["nautobot_platform"]]
    # asked for on request only (the options of the same names)
    if "config_context" in obj:
        variables["nautobot_config_context"] = obj["config_context"] or {}
    if "_custom_field_data" in obj:
        variables["nautobot_custom_fields"] = obj["_custom_field_data"] or {}
    if "interfaces" in obj:
        variables["nautobot_interfaces"] = [interface_vars(i) for i in obj["interfaces"] or []]
    return variables


def host_groups(kind, obj, group_by):
    named = {
        "location": [name_of(kind.location(obj))],
        "role": [name_of(obj.get("role"))],
        "platform": [name_of(obj.get("platform"))],
        "tenant": [name_of(obj.get("tenant"))],
        "tags": [tag["name"] for tag in obj.get("tags") or []],
        "status": [name_of(obj.get("status"))],
    }
    prefix = {"tags": "tag"}
    return [group_name(prefix.get(key, key), value) for key in group_by for value in named[key] if value]


def location_children(locations, used):
    """(parent group, child group) for each location in ``used`` (ids) and its parents, up to
    the top."""
    by_id = dict((location["id"], location) for location in locations)
    pairs = []
    seen = set()
    for location_id in used:
        while location_id in by_id and location_id not in seen:
            seen.add(location_id)
            location = by_id[location_id]
            parent = by_id.get(name_of(location.get("parent"), "id"))
            if parent:
                pair = [group_name("location", parent["name"]), group_name("location", location["name"])]
                if pair[0] != pair[1]:
                    pairs.append(pair)
            location_id = parent and parent["id"]
    return pairs


def describe(host):
    """A host's object, as a message tells two of one name apart."""
    variables = host["vars"]
    return "%s %s at %s" % (variables["nautobot_kind"].replace("_", " "), variables["nautobot_id"],
                            variables["nautobot_location"] or "no location")


def read_hosts(adapter, options):
    """The inventory's plain data (hosts, location parents), from one query per page."""
    found = read_lists(adapter, selections(options), options["page_size"])
    network_os_of = dict((platform["name"], network_os(platform)) for platform in found.get("platforms", []))
    hosts, used = [], []
    for kind in KINDS:
        for obj in found.get(kind.field, []):
            if not obj.get("name"):
                continue
            location = kind.location(obj)
            if location:
                used.append(location["id"])
            hosts.append({"name": obj["name"], "vars": host_vars(kind, obj, network_os_of),
                          "groups": host_groups(kind, obj, options["group_by"])})
    check_unique_names(hosts, describe, "leave one out with a filter (location, tenant, devices, virtual_machines, "
                                        "device_filters, virtual_machine_filters) or rename it in Nautobot")
    children = location_children(found.get("locations", []), used) if "location" in options["group_by"] else []
    return {"hosts": hosts, "children": children}


class InventoryModule(PlatformInventory):
    NAME = "statecraft.infra.nautobot"
    platform = "nautobot"
    adapter_class = NautobotAdapter
    connection_argspec = staticmethod(connection_argspec)

    def read_inventory(self, adapter):
        options = dict((name, self.get_option(name)) for name in FILTER_OPTIONS + (
            "devices", "virtual_machines", "device_filters", "virtual_machine_filters", "group_by",
            "config_context", "custom_fields", "interfaces", "page_size"))
        return read_hosts(adapter, options)
