# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract cases (nautobot_contract) of namespaces, VRFs, route targets, prefixes, VLANs, IP addresses; see nautobot_cases_core.

Prefixes and IP addresses of the cases live in a namespace of the run's own, so runs
against one server never meet each other's addresses."""

from __future__ import absolute_import, division, print_function

from nautobot_contract import Case

IPAM_MODELS = ["ipam.namespace", "ipam.vrf", "ipam.routetarget", "ipam.prefix", "ipam.vlangroup", "ipam.vlan",
               "ipam.ipaddress"]


def setup(nautobot, names):
    """More related objects, made after the core ones (``names``: theirs and ``suffix``);
    returns the names of those it made."""
    suffix = names["suffix"]
    made = dict((key, "%s-ipam-%s" % (key, suffix)) for key in ("ns", "ipam_tag", "ipam_tenant", "vgroup"))
    nautobot.api("POST", "extras/tags/", json={"name": made["ipam_tag"], "content_types": IPAM_MODELS})
    nautobot.api("POST", "tenancy/tenants/", json={"name": made["ipam_tenant"]})
    nautobot.api("POST", "ipam/namespaces/", json={"name": made["ns"]})
    nautobot.api("POST", "ipam/vlan-groups/", json={"name": made["vgroup"]})
    # the parent an IP address needs, in the run's namespace
    nautobot.api("POST", "ipam/prefixes/", json={"prefix": "10.20.0.0/16", "namespace": {"name": made["ns"]},
                                                 "status": {"name": "Active"}, "type": "container"})
    return made


# module, identifying + creating options, one-field update, (related option, bad value)
CASES = [
    Case("nautobot_namespace", {"name": "ns-{u}", "description": "one", "tags": ["{ipam_tag}"]},
         {"description": "two"}, ("location", "no-such-loc-{u}")),
    Case("nautobot_route_target", {"name": "65000:{u}", "description": "one", "tenant": "{ipam_tenant}"},
         {"description": "two"}, ("tenant", "no-such-tenant-{u}")),
    Case("nautobot_vrf", {"name": "vrf-{u}", "namespace": "{ns}", "rd": "65000:{u}", "description": "one",
                          "tags": ["{ipam_tag}"]},
         {"description": "two"}, ("tenant", "no-such-tenant-{u}")),
    Case("nautobot_prefix", {"prefix": "10.20.7.0/24", "namespace": "{ns}", "type": "network",
                             "description": "one", "tags": ["{ipam_tag}"]},
         {"description": "two"}, ("role", "no-such-role-{u}")),
    Case("nautobot_vlan_group", {"name": "vg-{u}", "range": "100-199", "description": "one"},
         {"description": "two"}, ("location", "no-such-loc-{u}")),
    Case("nautobot_vlan", {"vid": 101, "name": "vlan-{u}", "vlan_group": "{vgroup}", "description": "one",
                           "tags": ["{ipam_tag}"]},
         {"description": "two"}, ("tenant", "no-such-tenant-{u}")),
    Case("nautobot_ip_address", {"address": "10.20.0.5/24", "namespace": "{ns}", "dns_name": "a.example.com",
                                 "tags": ["{ipam_tag}"]},
         {"dns_name": "b.example.com"}, ("tenant", "no-such-tenant-{u}")),
]
