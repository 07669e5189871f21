# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's racks, ports, interfaces, cables and virtual chassis, declared once (see _nautobot_resources).

Natural keys follow Nautobot's uniqueness rules: a rack group's name is unique within its
location, a rack's within its rack group (and is narrowed by its location), a device
component's (interface, port) within its device; a cable is the one that joins its two
ends (the ports it connects), given in either order."""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

INTERFACE_MODES = ["access", "tagged", "tagged-all"]
CABLE_TYPES = ["cat3", "cat5", "cat5e", "cat6", "cat6a", "cat7", "cat7a", "cat8", "dac-active", "dac-passive",
               "mrj21-trunk", "coaxial", "mmf", "mmf-om1", "mmf-om2", "mmf-om3", "mmf-om4", "mmf-om5", "smf",
               "smf-os1", "smf-os2", "aoc", "power", "other"]
CABLE_LENGTH_UNITS = ["km", "m", "cm", "mi", "ft", "in"]

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


# -- cables --------------------------------------------------------------------------------
# A cable end is given as {device: leaf1, interface: eth1}: its device and one port, by the
# kind of port (the key) and its name. Nautobot writes it as a content type and the port's id.
CABLE_ENDS = {
    "interface": ("dcim.interface", "dcim/interfaces"),
    "console_port": ("dcim.consoleport", "dcim/console-ports"),
    "console_server_port": ("dcim.consoleserverport", "dcim/console-server-ports"),
    "power_port": ("dcim.powerport", "dcim/power-ports"),
    "power_outlet": ("dcim.poweroutlet", "dcim/power-outlets"),
    "front_port": ("dcim.frontport", "dcim/front-ports"),
    "rear_port": ("dcim.rearport", "dcim/rear-ports"),
}
CABLE_SIDES = ("termination_a", "termination_b")
CABLE_COLORS = re.compile(r"^[0-9a-fA-F]{6}$")


def check_cable_end(end):
    if not isinstance(end, dict) or end.get("device") in (None, "", {}):
        raise ValueError("give the device and one of its ports, such as {device: leaf1, interface: eth1}")
    device = end["device"]
    if isinstance(device, dict) and not ({"name", "id"} & set(device)):
        raise ValueError("the device is given by name or id (a dict may add location or tenant)")
    kinds = sorted(k for k in end if k != "device")
    if len(kinds) != 1 or kinds[0] not in CABLE_ENDS:
        raise ValueError("give the device and exactly one port, as one of %s; got %s"
                         % (", ".join(sorted(CABLE_ENDS)), ", ".join(kinds) or "no port"))
    if end[kinds[0]] in (None, "") or isinstance(end[kinds[0]], (dict, list)):
        raise ValueError("the %s is given by its name" % kinds[0])


def check_cable(params):
    ends = [params.get(side) for side in CABLE_SIDES]
    if all(ends) and _port_kind(ends[0]) == _port_kind(ends[1]) and \
            str(ends[0][_port_kind(ends[0])]) == str(ends[1][_port_kind(ends[1])]) and \
            _device_key(ends[0]) == _device_key(ends[1]):
        raise ValueError("termination_a and termination_b name the same port; a cable joins two")
    if params.get("color") is not None and not CABLE_COLORS.match(params["color"]):
        raise ValueError("color: %s is not an RGB colour in hexadecimal, such as aa1409" % params["color"])


def _port_kind(end):
    return [k for k in end if k != "device"][0]


def _device_key(end):
    device = end["device"]
    return str(device.get("id") or device.get("name")) if isinstance(device, dict) else str(device)


def _same_related(have, want):
    """A related object as Nautobot nests it, against a name, an id or a dict of fields."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(_same_related(have.get(k), v) for k, v in want.items())
    if isinstance(have, dict):
        return str(want) == str(have.get("id") if UUID_RE.match(str(want)) else have.get("name"))
    return have is not None and str(have) == str(want)


def _end_matches(content_type, port, end):
    kind = _port_kind(end)
    return (content_type == CABLE_ENDS[kind][0] and isinstance(port, dict)
            and str(port.get("name")) == str(end[kind]) and _same_related(port.get("device"), end["device"]))


def _cable_depth(params):
    """Ends are nested ports whose device must carry its name (depth 2), or its location and
    tenant names when a device is narrowed by them (depth 3)."""
    narrowed = any(isinstance((params.get(s) or {}).get("device"), dict)
                   and set(params[s]["device"]) - {"name", "id"} for s in CABLE_SIDES)
    return 3 if narrowed else 2


def _read_end(side):
    """The end the task names when the cable has it (on either side), else this side's end."""
    def read(adapter, obj):
        value = obj.get(side)
        if isinstance(value, dict) and "object_type" not in value:
            return value  # a predicted cable holds the end as the task gives it
        wanted = adapter.params.get(side)
        ends = [(obj.get(s + "_type"), obj.get(s)) for s in CABLE_SIDES]
        if isinstance(wanted, dict) and any(_end_matches(t, p, wanted) for t, p in ends):
            return wanted
        content_type, port = ends[CABLE_SIDES.index(side)]
        if not isinstance(port, dict):
            return None
        kind = [k for k, (ct, _p) in CABLE_ENDS.items() if ct == content_type] or [content_type]
        device = port.get("device")
        return {"device": device.get("name") if isinstance(device, dict) else device, kind[0]: port.get("name")}
    return read


def find_cable(adapter, resource, identity):
    """The cables of termination_a's device (one read); the engine keeps the one whose ends
    are both the task's."""
    device = identity["termination_a"]["device"]
    key = (device.get("id") or device.get("name")) if isinstance(device, dict) else device
    filters = {"device_id" if UUID_RE.match(str(key)) else "device": key}
    return adapter.list_objects(resource.path, filters, depth=_cable_depth(adapter.params))


def _cable_port(adapter, side):
    """(content type, port) of the task's end ``side``; an error names the option."""
    end = adapter.params[side]
    kind = _port_kind(end)
    content_type, path = CABLE_ENDS[kind]
    device = end["device"]
    key = (device.get("id") or device.get("name")) if isinstance(device, dict) else device
    filters = {"name": end[kind], "device": key}
    found = [p for p in adapter.list_objects(path, filters, depth=2) if _same_related(p.get("device"), device)]
    if not found:
        raise ModuleError("%s: device %s has no %s named %s" % (side, _device_key(end), kind, end[kind]))
    if len(found) > 1:
        raise ModuleError("%s: %d devices named %s have a %s named %s; narrow the device with a dict such as "
                          "{name: %s, location: ...}" % (side, len(found), key, kind, end[kind], key))
    return content_type, found[0]


def _cables_in_the_way(adapter):
    ports = [_cable_port(adapter, side) for side in CABLE_SIDES]
    in_the_way = sorted(set(p["cable"]["id"] for _t, p in ports if isinstance(p.get("cable"), dict)))
    return ports, in_the_way


def check_cable_write(adapter, resource, current, payload):
    """A new cable needs both ports, and ports no other cable holds: Nautobot cannot move a
    cable's ends, so that cable is replaced only with recreate=true (check mode says so too)."""
    if current is not None:
        return
    _ports, in_the_way = _cables_in_the_way(adapter)
    if in_the_way and not adapter.params.get("recreate"):
        raise ModuleError("termination_a, termination_b: a port is connected by another cable (id %s); a cable's "
                          "ends cannot be changed in place: set recreate=true to delete that cable and create "
                          "this one" % ", ".join(in_the_way))


def create_cable(adapter, resource, payload):
    ports, in_the_way = _cables_in_the_way(adapter)
    payload = dict((k, v) for k, v in payload.items() if k not in CABLE_SIDES)
    for side, (content_type, port) in zip(CABLE_SIDES, ports):
        payload[side + "_type"] = content_type
        payload[side + "_id"] = port["id"]
    # Nautobot 3.2's cable serializer drops the tags of a create (its create() skips the
    # tagging mixin's), while an update keeps them: they follow in a PATCH
    tags = payload.pop("tags", None)
    for cable_id in in_the_way:  # allowed by recreate (check_cable_write)
        adapter.client.request("DELETE", "%s/%s/" % (resource.path, cable_id))
    created = adapter.client.request("POST", resource.path + "/", json_body=payload)
    if tags:
        adapter.client.request("PATCH", "%s/%s/" % (resource.path, created["id"]), json_body={"tags": tags})
    return _read_cable(adapter, resource, created["id"])


def update_cable(adapter, resource, current, payload):
    adapter.client.request("PATCH", "%s/%s/" % (resource.path, current["id"]), json_body=payload)
    return _read_cable(adapter, resource, current["id"])


def _read_cable(adapter, resource, cable_id):
    # read back as deep as the find, so the ends show their devices' names
    return adapter.client.request("GET", "%s/%s/" % (resource.path, cable_id),
                                  params={"depth": _cable_depth(adapter.params)})


CABLE = Resource(
    name="cable",
    path="dcim/cables",
    platform=NAUTOBOT,
    identity=CABLE_SIDES,
    required_identity=CABLE_SIDES,
    fields=dict(
        termination_a=Field(type="dict", required=True, check=check_cable_end, read=_read_end("termination_a")),
        termination_b=Field(type="dict", required=True, check=check_cable_end, read=_read_end("termination_b")),
        status=Ref("extras/statuses", create_default="Connected", clearable=False),
        type=Field(choices=CABLE_TYPES, empty=""),
        label=Field(empty=""),
        color=Field(empty="", canonical=lambda value: str(value).lower()),
        length=Field(type="int"),
        length_unit=Field(choices=CABLE_LENGTH_UNITS, empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
    replace_guard="recreate",
    check=check_cable,
    find=find_cable,
    create=create_cable,
    update=update_cable,
    check_write=check_cable_write,
)


def check_virtual_chassis_write(adapter, resource, current, payload):
    """Nautobot takes a master on create without making it a member, and then refuses every
    later change of the virtual chassis (its master is no member): refuse that first write."""
    if current is None and payload.get("master") is not None:
        raise ModuleError("master: a new virtual chassis has no members yet; create it without master, make the "
                          "device a member (its virtual_chassis and vc_position), then set master")


VIRTUAL_CHASSIS = Resource(
    name="virtual_chassis",
    path="dcim/virtual-chassis",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        domain=Field(empty=""),
        master=Ref("dcim/devices"),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
    check_write=check_virtual_chassis_write,
)


# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (RACK_GROUP, RACK, INTERFACE, CONSOLE_PORT, POWER_PORT, REAR_PORT, FRONT_PORT, CABLE,
       VIRTUAL_CHASSIS)
