# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's racks, ports, interfaces, cables and virtual chassis, declared once (see _nautobot_resources).

Natural keys follow Nautobot's uniqueness rules: a rack group's name is unique within its
location, a rack's within its rack group (and is narrowed by its location), a device
component's (interface, port) within its device."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

INTERFACE_MODES = ["access", "tagged", "tagged-all"]

RACK_TYPES = ["2-post-frame", "4-post-frame", "4-post-cabinet", "wall-frame", "wall-frame-vertical",
              "wall-cabinet", "wall-cabinet-vertical", "other"]


RACK_GROUP = Resource(
    name="rack_group",
    path="dcim/rack-groups",
    platform=NAUTOBOT,
    identity=("name", "location"),
    fields=dict(
        name=Field(required=True),
        location=Ref("dcim/locations", required_on_create=True, clearable=False),
        # a parent group is in the same location or an ancestor one: a name alone is looked
        # up in the group's own location, a dict names another
        parent=Ref("dcim/rack-groups", scope={"location": "location"}),
        description=Field(empty=""),
    ),
)


RACK = Resource(
    name="rack",
    path="dcim/racks",
    platform=NAUTOBOT,
    identity=("name", "location", "rack_group"),
    fields=dict(
        name=Field(required=True),
        location=Ref("dcim/locations", required_on_create=True, clearable=False),
        rack_group=Ref("dcim/rack-groups", scope={"location": "location"}),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        role=Ref("extras/roles"),
        tenant=Ref("tenancy/tenants"),
        facility_id=Field(),
        serial=Field(empty=""),
        asset_tag=Field(),
        type=Field(choices=RACK_TYPES, empty=""),
        width=Field(type="int", choices=[10, 19, 21, 23], clearable=False),
        u_height=Field(type="int", clearable=False),
        desc_units=Field(type="bool", clearable=False),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


def mac_address(value):
    """A MAC address as Nautobot shows it (AA:BB:CC:00:00:01), whatever the separators."""
    digits = "".join(c for c in str(value) if c not in ":-. ").upper()
    if len(digits) != 12 or any(c not in "0123456789ABCDEF" for c in digits):
        raise ValueError("%s is not a MAC address (12 hexadecimal digits)" % value)
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _component(name, path, read_params=None, **fields):
    """Interfaces and ports: named uniquely within their device, which is given by name (a
    dict narrows it: a device's name is unique only per location and tenant)."""
    declared = dict(
        device=Ref("dcim/devices", required=True, find_filter=True),
        name=Field(required=True),
        label=Field(empty=""),
        description=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    )
    declared.update(fields)
    return Resource(name=name, path=path, platform=NAUTOBOT, identity=("device", "name"),
                    required_identity=("device", "name"), fields=declared, read_params=read_params)


INTERFACE = _component(
    "interface", "dcim/interfaces",
    # tagged VLANs are a many-to-many field, which Nautobot 3 leaves out unless asked
    read_params={"exclude_m2m": "false"},
    type=Field(required_on_create=True, clearable=False),
    status=Ref("extras/statuses", create_default="Active", clearable=False),
    enabled=Field(type="bool", clearable=False),
    mgmt_only=Field(type="bool", clearable=False),
    mtu=Field(type="int"),
    mac_address=Field(canonical=mac_address),
    mode=Field(choices=INTERFACE_MODES, empty=""),
    untagged_vlan=Ref("ipam/vlans", key="vid"),
    tagged_vlans=RefSet("ipam/vlans", key="vid"),
    # the parent LAG is an interface of the same device
    lag=Ref("dcim/interfaces", scope={"device": "device"}),
)


# ports: the type is Nautobot's choice (console/power types may be blank, front/rear need one)
CONSOLE_PORT = _component("console_port", "dcim/console-ports", type=Field(empty=""))
POWER_PORT = _component("power_port", "dcim/power-ports", type=Field(empty=""),
                        maximum_draw=Field(type="int"), allocated_draw=Field(type="int"))
REAR_PORT = _component("rear_port", "dcim/rear-ports", type=Field(required_on_create=True, clearable=False),
                       positions=Field(type="int", clearable=False))
FRONT_PORT = _component(
    "front_port", "dcim/front-ports",
    type=Field(required_on_create=True, clearable=False),
    # the rear port it maps to is a port of the same device
    rear_port=Ref("dcim/rear-ports", scope={"device": "device"}, required_on_create=True, clearable=False),
    rear_port_position=Field(type="int", clearable=False),
)


# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (RACK_GROUP, RACK, INTERFACE, CONSOLE_PORT, POWER_PORT, REAR_PORT, FRONT_PORT)
