# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract cases (nautobot_contract) of clusters, virtual machines, VM interfaces; see nautobot_cases_core."""

from __future__ import absolute_import, division, print_function

from nautobot_contract import Case

# a custom field of clusters, virtual machines and their interfaces; custom field keys are
# global and case keys are not filled from placeholders, so it has one fixed key and is made
# only when a server does not have it yet
CUSTOM_FIELD = {"key": "statecraft_virt_note", "label": "statecraft virt note", "type": "text",
                "content_types": ["virtualization.cluster", "virtualization.virtualmachine",
                                  "virtualization.vminterface"]}
VIRTUALIZATION = ["virtualization.cluster", "virtualization.virtualmachine", "virtualization.vminterface"]


def setup(nautobot, names):
    """More related objects, made after the core ones (``names``: theirs and ``suffix``);
    returns the names of those it made."""
    made = dict((key, "%s-virt-%s" % (key, names["suffix"]))
                for key in ("vlt", "vloc", "ct", "cg", "cl", "vten", "vrole", "vplat", "vtag", "vm", "vlan1", "vlan2"))
    api = nautobot.api
    api("POST", "dcim/location-types/", json={"name": made["vlt"], "content_types": ["virtualization.cluster"]})
    api("POST", "dcim/locations/", json={
        "name": made["vloc"], "location_type": {"name": made["vlt"]}, "status": {"name": "Active"}})
    api("POST", "virtualization/cluster-types/", json={"name": made["ct"]})
    api("POST", "virtualization/cluster-groups/", json={"name": made["cg"]})
    api("POST", "virtualization/clusters/", json={"name": made["cl"], "cluster_type": {"name": made["ct"]}})
    api("POST", "tenancy/tenants/", json={"name": made["vten"]})
    api("POST", "extras/roles/", json={"name": made["vrole"], "content_types": ["virtualization.virtualmachine"]})
    api("POST", "dcim/platforms/", json={"name": made["vplat"]})
    api("POST", "extras/tags/", json={"name": made["vtag"], "content_types": VIRTUALIZATION})
    api("POST", "virtualization/virtual-machines/", json={
        "name": made["vm"], "cluster": {"name": made["cl"]}, "status": {"name": "Active"}})
    # global VLANs (no location, no group), which any VM interface may carry
    for key, vid in (("vlan1", 101), ("vlan2", 102)):
        api("POST", "ipam/vlans/", json={"name": made[key], "vid": vid, "status": {"name": "Active"}})
    if not nautobot.count("extras/custom-fields/", label=CUSTOM_FIELD["label"]):
        api("POST", "extras/custom-fields/", json=CUSTOM_FIELD)
    made["cf"] = CUSTOM_FIELD["key"]
    return made


CF = CUSTOM_FIELD["key"]

# module, identifying + creating options, one-field update, (related option, bad value)
CASES = [
    Case("nautobot_cluster_type", {"name": "ct-{u}", "description": "one"}, {"description": "two"}, None),
    Case("nautobot_cluster_group", {"name": "cg-{u}", "description": "one"}, {"description": "two"}, None),
    Case("nautobot_cluster",
         {"name": "cl-{u}", "cluster_type": "{ct}", "cluster_group": "{cg}", "location": "{vloc}",
          "tags": ["{vtag}"], "custom_fields": {CF: "one"}},
         {"comments": "two"}, ("cluster_type", "no-such-type-{u}")),
    Case("nautobot_virtual_machine",
         {"name": "vm-{u}", "cluster": "{cl}", "tenant": "{vten}", "role": "{vrole}", "platform": "{vplat}",
          "vcpus": 2, "memory": 2048, "tags": ["{vtag}"], "custom_fields": {CF: "one"}},
         {"disk": 40}, ("role", "no-such-role-{u}")),
    Case("nautobot_vm_interface",
         {"name": "eth-{u}", "virtual_machine": "{vm}", "mode": "tagged", "untagged_vlan": "{vlan1}",
          "tagged_vlans": ["{vlan1}", "{vlan2}"], "mac_address": "00-50-56-aa-bb-01", "mtu": 9000,
          "tags": ["{vtag}"]},
         {"description": "two"}, ("untagged_vlan", "no-such-vlan-{u}")),
]
