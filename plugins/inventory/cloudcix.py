# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cloudcix
short_description: The compute instances of CloudCIX projects as an inventory
version_added: 0.1.0
description:
  - Hosts are the compute instances (LXD and Hyper-V) of the projects named in O(projects), or
    of every project the user sees, with their addresses, state and specs as host variables
    (C(cloudcix_*)).
  - C(ansible_host) is the instance's public (NAT) IPv4 address where it has one, else its
    private IPv4 address; see O(address). The gateway interface's addresses come first.
  - "Groups: C(region_<region id>) for each region, holding C(project_<project>) for each of its
    projects, and C(state_<state>) (C(state_running), C(state_stopped), ...). Group names are
    lower case, other characters than letters, digits and underscores become underscores."
  - Instances deleted or queued for deletion are left out unless O(states) names their state.
  - Two requests, whatever the number of projects (more only past 100 projects or instances,
    CloudCIX's page size), C(GET project/) and C(GET compute/instances/) of the chosen projects,
    plus the login when O(api_username), O(api_password) and O(api_key) are given. With
    O(cache), none while the cache is valid.
  - The inventory file's name must end in C(cloudcix.yml) or C(cloudcix.yaml).
author:
  - statecraft.infra team (@statecraft)
requirements:
  - requests (on the controller)
options:
  plugin:
    description:
      - The name of this plugin; it makes the file an inventory source for it.
    type: str
    required: true
    choices: [statecraft.infra.cloudcix]
  projects:
    description:
      - The projects whose instances are hosts, each by name or by id (a number). A project
        CloudCIX does not show the user fails the inventory.
      - Empty (the default), every open project the user sees.
    type: list
    elements: raw
    default: []
  states:
    description:
      - The instance states whose instances are hosts, for example C(running), C(stopped),
        C(building) or C(unresourced).
      - Empty (the default), every state but those of instances deleted or queued for deletion
        (C(delete), C(delete_queue), C(deleting), C(deleted)), which the modules count as
        absent. Name one of these to see such instances.
    type: list
    elements: str
    default: []
  address:
    description:
      - The address C(ansible_host) is set to.
      - V(public) is the instance's public IPv4 address (the NAT address of a private one) where
        it has one, else its private IPv4 address.
      - V(private) is always the private IPv4 address, for a controller inside the project's
        network (a VPN).
    type: str
    choices: [public, private]
    default: public
  qualified_names:
    description:
      - Name each host C(<instance>.<project>) instead of C(<instance>).
      - CloudCIX does not keep instance names unique, so projects read together that have
        instances of the same name need this; without it such a clash fails the inventory,
        naming the instances. Instances of the same name in one project fail it either way;
        rename one.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix.plugin
  - constructed
  - inventory_cache
notes:
  - The connection options are read from the inventory file, else from the same environment
    variables as the CloudCIX modules. Errors never show the password, the API key or a token.
  - "Host variables: C(cloudcix_id), C(cloudcix_name), C(cloudcix_project),
    C(cloudcix_project_id), C(cloudcix_region_id), C(cloudcix_state), C(cloudcix_type)
    (C(lxd) or C(hyperv)), C(cloudcix_instance_type) (C(container) or C(virtual-machine)),
    C(cloudcix_public_ip), C(cloudcix_private_ip), C(cloudcix_ipv6_address),
    C(cloudcix_interfaces) and C(cloudcix_specs) as CloudCIX gives them, and from the specs
    C(cloudcix_cpu) (vCPUs), C(cloudcix_ram) (GB), C(cloudcix_storage) (GB) and
    C(cloudcix_image) (the image's SKU, for example C(UBUNTU2404)), each where the instance
    has it."
  - The specs are told apart by the SKU names of CloudCIX's price list, C(vCPU_*), C(RAM_*),
    C(SSD_*) and C(HDD_*); the one spec that is none of these is the image.
  - The instance's C(metadata) is not a host variable, since its C(userdata) may hold secrets.
"""

EXAMPLES = r"""
# web.cloudcix.yml: the instances of one project, credentials from the environment
# (CLOUDCIX_API_USERNAME, CLOUDCIX_API_PASSWORD, CLOUDCIX_API_KEY)
plugin: statecraft.infra.cloudcix
projects: [web]

# running.cloudcix.yml: the running instances of two projects (one by id), host names that
# tell the projects apart, cached for ten minutes, grouped by image and size
plugin: statecraft.infra.cloudcix
url: https://api.cloudcix.com/
projects: [web, 42]
states: [running]
qualified_names: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 600
keyed_groups:
  # image_ubuntu2404, ...
  - key: cloudcix_image
    prefix: image
groups:
  large: cloudcix_ram >= 16
compose:
  ansible_user: "'administrator' if cloudcix_type == 'hyperv' else 'ubuntu'"
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import (
    GONE_STATES,
    CloudcixAdapter,
    connection_argspec,
)
from ansible_collections.statecraft.infra.plugins.plugin_utils._inventory import (
    PlatformInventory,
    check_unique_names,
    group_name,
    preferred_address,
)

# the spec kinds by the SKU names of CloudCIX's price list (RAM_001, vCPU_001 / vCPU_002, SSD_001);
# the spec that is none of them is the image (UBUNTU2404)
SPEC_KINDS = (("cpu", ("vcpu_",)), ("ram", ("ram_",)), ("storage", ("ssd_", "hdd_")))


def is_id(value):
    return isinstance(value, int) or str(value).strip().isdigit()


def spec_totals(specs):
    """cpu, ram and storage added up over their SKUs, and the image's SKU."""
    totals = {}
    for spec in specs:
        sku = str(spec.get("sku_name") or "")
        kind = next((k for k, prefixes in SPEC_KINDS if sku.lower().startswith(prefixes)), None)
        if kind is None:
            totals.setdefault("image", sku)
        else:
            totals[kind] = totals.get(kind, 0) + (spec.get("quantity") or 0)
    return totals


def addresses(instance):
    """(public IPv4, private IPv4, IPv6) of an instance, the gateway interface's first."""
    interfaces = sorted(instance.get("interfaces") or [], key=lambda i: not i.get("gateway"))
    ipv4 = [a for i in interfaces for a in i.get("ipv4_addresses") or []]
    ipv6 = [a for i in interfaces for a in i.get("ipv6_addresses") or []]
    return (next((a["public_ip"] for a in ipv4 if a.get("public_ip")), None),
            next((a["address"] for a in ipv4 if a.get("address")), None),
            next((a["address"] for a in ipv6 if a.get("address")), None))


class InventoryModule(PlatformInventory):
    NAME = "statecraft.infra.cloudcix"
    platform = "cloudcix"
    adapter_class = CloudcixAdapter
    connection_argspec = staticmethod(connection_argspec)

    def check_params(self, params):
        blank = [p for p in self.get_option("projects") or [] if not str(p if p is not None else "").strip()]
        if blank:
            raise ValueError("projects: give each project by name or id (got an empty one)")

    def read_inventory(self, adapter):
        projects = self.chosen_projects([p for p in adapter.list("compute", "project/") if not adapter.is_gone(p)])
        by_id = dict((p["id"], p) for p in projects)
        hosts = [self.host(i, by_id[i["project_id"]]) for i in self.instances(adapter, by_id)
                 if i.get("project_id") in by_id and self.wanted(i)]
        check_unique_names(hosts, lambda h: "id %s in project %s" % (h["vars"]["cloudcix_id"],
                                                                     h["vars"]["cloudcix_project"]),
                           "set qualified_names to name hosts <instance>.<project>, or rename one of the "
                           "instances of one project")
        children = sorted(set((group_name("region", p.get("region_id")), group_name("project", p.get("name")))
                              for p in projects))
        return {"hosts": hosts, "children": [list(pair) for pair in children]}

    def instances(self, adapter, projects):
        """The instances of ``projects`` (by id): one list, filtered by project unless all are read."""
        if not projects:
            return []
        chosen = {"search[project_id__in]": ",".join(str(i) for i in sorted(projects))}
        return adapter.list("compute", "compute/instances/", chosen if self.get_option("projects") else None)

    def wanted(self, instance):
        """In a state ``states`` names; by default in any state but those of deleted instances."""
        states = [s.lower() for s in self.get_option("states") or []]
        state = str(instance.get("state")).lower()
        return state in states if states else state not in GONE_STATES

    def chosen_projects(self, projects):
        """The projects of the ``projects`` option (all when it is empty), by id or name."""
        wanted = self.get_option("projects") or []
        if not wanted:
            return projects
        chosen, missing = [], []
        for value in wanted:
            key = "id" if is_id(value) else "name"
            found = [p for p in projects if str(p.get(key)) == str(value).strip()]
            chosen += [p for p in found if p not in chosen]
            missing += [] if found else [str(value)]
        if missing:
            raise ValueError("projects: CloudCIX shows the user no open project %s (it shows: %s)" % (
                ", ".join(repr(m) for m in missing), ", ".join(sorted(str(p.get("name")) for p in projects)) or "none"))
        return chosen

    def host(self, instance, project):
        public, private, ipv6 = addresses(instance)
        view = dict(spec_totals(instance.get("specs") or []), id=instance.get("id"), name=instance.get("name"),
                    project=project.get("name"), project_id=project.get("id"), region_id=project.get("region_id"),
                    state=instance.get("state"), type=instance.get("type"),
                    instance_type=(instance.get("metadata") or {}).get("instance_type"), public_ip=public,
                    private_ip=private, ipv6_address=ipv6, interfaces=instance.get("interfaces"),
                    specs=instance.get("specs"))
        host_vars = dict(("cloudcix_%s" % k, v) for k, v in view.items() if v is not None)
        address = preferred_address(self.get_option("address"), public, private)
        if address:
            host_vars["ansible_host"] = address
        name = str(instance.get("name") or instance.get("id"))
        return {
            "name": "%s.%s" % (name, project.get("name")) if self.get_option("qualified_names") else name,
            "vars": host_vars,
            "groups": [group_name("project", project.get("name"))]
            + ([group_name("state", instance["state"])] if instance.get("state") else []),
        }
