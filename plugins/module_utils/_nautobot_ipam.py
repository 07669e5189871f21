# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's namespaces, VRFs, route targets, prefixes, VLANs and IP addresses, declared once (see _nautobot_resources).

Several of them relate to others through assignment objects (a prefix's locations, an IP
address's interfaces): Nautobot lists those many-to-many fields only when asked
(``exclude_m2m=false``, the resources' ``read_params``) and writes them only through their
own endpoint, which the ``Through`` hooks below do after the object's own write."""

from __future__ import absolute_import, division, print_function

import ipaddress

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

# Nautobot puts prefixes, VRFs and IP addresses here when no namespace is given
GLOBAL_NAMESPACE = "Global"
WITH_M2M = {"exclude_m2m": "false"}


def _tags():
    return RefSet("extras/tags")


def _custom_fields():
    return Field(type="dict", merge=True, clearable=False)


def _namespace():
    return Ref("ipam/namespaces", default=GLOBAL_NAMESPACE, clearable=False)


def network(value):
    """A prefix as Nautobot writes it: 10.0.0.0/24, 2001:db8::/32 (host bits are an error)."""
    try:
        return str(ipaddress.ip_network(str(value).strip()))
    except ValueError as exc:
        raise ValueError("%s is not a prefix such as 10.0.0.0/24 (%s)" % (value, exc))


def interface_address(value):
    """An address with its mask as Nautobot writes it: 10.0.0.1/24, 2001:db8::1/64."""
    text = str(value).strip()
    if "/" not in text:
        raise ValueError("%s has no mask; give it as address/length, such as 10.0.0.1/24" % value)
    try:
        return str(ipaddress.ip_interface(text))
    except ValueError as exc:
        raise ValueError("%s is not an address such as 10.0.0.1/24 (%s)" % (value, exc))


class Through(object):
    """A many-to-many field written through an assignment endpoint (``path``), whose objects
    link ``own`` (this object) to ``other`` (a member of the field)."""

    def __init__(self, option, path, own, other):
        self.option = option
        self.path = path
        self.own = own
        self.other = other

    def assigned(self, adapter, object_id):
        """The assignments of the object: member id -> assignment id."""
        found = adapter.list_objects(self.path, {self.own: object_id}, depth=0)
        return dict(((a.get(self.other) or {}).get("id"), a["id"]) for a in found if a.get(self.other))

    def write(self, adapter, object_id, wanted):
        """Make the object's members exactly ``wanted`` (ids of kept and found members, or
        the attribute dicts Nautobot resolves itself)."""
        assigned = self.assigned(adapter, object_id)
        wanted_ids = set(w for w in wanted if not isinstance(w, dict))
        gone = [{"id": a} for member, a in assigned.items() if member not in wanted_ids]
        new = [{self.own: object_id, self.other: w} for w in wanted
               if isinstance(w, dict) or w not in assigned]
        if gone:
            adapter.client.request("DELETE", self.path + "/", json_body=gone)
        if new:
            adapter.client.request("POST", self.path + "/", json_body=new)


def through_hooks(*throughs):
    """Create and update hooks that write the object without its assignment fields, then
    those fields through their endpoints, and read the object once more."""
    def split(payload):
        payload = dict(payload)
        return payload, [(t, payload.pop(t.option)) for t in throughs if t.option in payload]

    def create(adapter, resource, payload):
        payload, members = split(payload)
        obj = adapter.create(resource, payload)
        for through, wanted in members:
            through.write(adapter, obj["id"], wanted)
        return adapter.get(resource, obj["id"]) if members else obj

    def update(adapter, resource, current, payload):
        payload, members = split(payload)
        obj = adapter.update(resource, current, payload) if payload else current
        for through, wanted in members:
            through.write(adapter, current["id"], wanted)
        return adapter.get(resource, current["id"]) if members else obj

    return create, update


NAMESPACE = Resource(
    name="namespace",
    path="ipam/namespaces",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        description=Field(empty=""),
        location=Ref("dcim/locations"),
        tenant=Ref("tenancy/tenants"),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


ROUTE_TARGET = Resource(
    name="route_target",
    path="ipam/route-targets",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        description=Field(empty=""),
        tenant=Ref("tenancy/tenants"),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


# Nautobot keeps a VRF's RD unique within its namespace; names may repeat (with other RDs)
VRF = Resource(
    name="vrf",
    path="ipam/vrfs",
    platform=NAUTOBOT,
    identity=("name", "namespace", "rd"),
    required_identity=("name",),
    read_params=WITH_M2M,  # route targets are many-to-many
    fields=dict(
        name=Field(required=True),
        namespace=_namespace(),
        rd=Field(),
        status=Ref("extras/statuses"),
        tenant=Ref("tenancy/tenants"),
        description=Field(empty=""),
        import_targets=RefSet("ipam/route-targets"),
        export_targets=RefSet("ipam/route-targets"),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


PREFIX_LOCATIONS = Through("locations", "ipam/prefix-location-assignments", "prefix", "location")
_PREFIX_CREATE, _PREFIX_UPDATE = through_hooks(PREFIX_LOCATIONS)

PREFIX = Resource(
    name="prefix",
    path="ipam/prefixes",
    platform=NAUTOBOT,
    identity=("prefix", "namespace"),
    read_params=WITH_M2M,  # locations are many-to-many
    create=_PREFIX_CREATE,
    update=_PREFIX_UPDATE,
    fields=dict(
        prefix=Field(required=True, canonical=network),
        namespace=_namespace(),
        type=Field(choices=["container", "network", "pool"], clearable=False),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        role=Ref("extras/roles"),
        tenant=Ref("tenancy/tenants"),
        vlan=Ref("ipam/vlans"),
        rir=Ref("ipam/rirs"),
        locations=RefSet("dcim/locations"),
        description=Field(empty=""),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


VLAN_GROUP = Resource(
    name="vlan_group",
    path="ipam/vlan-groups",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        location=Ref("dcim/locations"),
        range=Field(clearable=False),
        description=Field(empty=""),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


VLAN_LOCATIONS = Through("locations", "ipam/vlan-location-assignments", "vlan", "location")
_VLAN_CREATE, _VLAN_UPDATE = through_hooks(VLAN_LOCATIONS)

# Nautobot keeps a VLAN's vid and its name each unique within its VLAN group; VLANs
# outside any group may repeat both
VLAN = Resource(
    name="vlan",
    path="ipam/vlans",
    platform=NAUTOBOT,
    identity=("vid", "name", "vlan_group"),
    required_identity=("vid",),
    read_params=WITH_M2M,  # locations are many-to-many
    create=_VLAN_CREATE,
    update=_VLAN_UPDATE,
    fields=dict(
        vid=Field(type="int", required=True),
        name=Field(required_on_create=True, clearable=False),
        vlan_group=Ref("ipam/vlan-groups"),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        role=Ref("extras/roles"),
        tenant=Ref("tenancy/tenants"),
        locations=RefSet("dcim/locations"),
        description=Field(empty=""),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)


def _parent_namespace(adapter, obj):
    """An IP address's namespace is its parent prefix's (Nautobot takes it on write but never
    shows it); a predicted new address holds the one it is to be written with."""
    return (obj.get("parent") or {}).get("namespace") or obj.get("namespace")


IP_INTERFACES = Through("interfaces", "ipam/ip-address-to-interface", "ip_address", "interface")
IP_VM_INTERFACES = Through("vm_interfaces", "ipam/ip-address-to-interface", "ip_address", "vm_interface")
_IP_CREATE, _IP_UPDATE = through_hooks(IP_INTERFACES, IP_VM_INTERFACES)

IP_ADDRESS = Resource(
    name="ip_address",
    path="ipam/ip-addresses",
    platform=NAUTOBOT,
    identity=("address", "namespace"),
    # interfaces are many-to-many; the namespace sits in the parent prefix, two levels down
    read_params=dict(WITH_M2M, depth=2),
    create=_IP_CREATE,
    update=_IP_UPDATE,
    fields=dict(
        address=Field(required=True, canonical=interface_address),
        namespace=Ref("ipam/namespaces", default=GLOBAL_NAMESPACE, clearable=False, read=_parent_namespace),
        type=Field(choices=["dhcp", "host", "slaac"], clearable=False),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        role=Ref("extras/roles"),
        tenant=Ref("tenancy/tenants"),
        dns_name=Field(empty=""),
        description=Field(empty=""),
        interfaces=RefSet("dcim/interfaces"),
        vm_interfaces=RefSet("virtualization/interfaces"),
        tags=_tags(),
        custom_fields=_custom_fields(),
    ),
)

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (NAMESPACE, VRF, ROUTE_TARGET, PREFIX, VLAN_GROUP, VLAN, IP_ADDRESS)
