# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract cases (nautobot_contract) of racks, ports, interfaces, cables, virtual chassis; see nautobot_cases_core."""

from __future__ import absolute_import, division, print_function

from nautobot_contract import Case

LOCATED = ["dcim.rackgroup", "dcim.rack", "dcim.device"]
TAGGED = ["dcim.rack", "dcim.device", "dcim.interface", "dcim.consoleport",
          "dcim.powerport", "dcim.frontport", "dcim.rearport", "dcim.cable", "dcim.virtualchassis"]


def setup(nautobot, names):
    """More related objects, made after the core ones (``names``: theirs and ``suffix``);
    returns the names of those it made."""
    made = dict((key, "%s-dcim-%s" % (key, names["suffix"])) for key in ("dlt", "dloc", "rg", "dtag", "dev", "lag", "vg", "rear", "dev2", "ifa", "ifb"))
    nautobot.api("POST", "dcim/location-types/", json={"name": made["dlt"], "content_types": LOCATED})
    nautobot.api("POST", "dcim/locations/", json={
        "name": made["dloc"], "location_type": {"name": made["dlt"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/rack-groups/", json={"name": made["rg"], "location": {"name": made["dloc"]}})
    nautobot.api("POST", "extras/tags/", json={"name": made["dtag"], "content_types": TAGGED})
    nautobot.api("POST", "dcim/devices/", json={
        "name": made["dev"], "location": {"name": made["dloc"]}, "device_type": {"model": names["dt"]},
        "role": {"name": names["role"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/devices/", json={
        "name": made["dev2"], "location": {"name": made["dloc"]}, "device_type": {"model": names["dt"]},
        "role": {"name": names["role"]}, "status": {"name": "Active"}})
    for device, name, kind in (("dev", "lag", "lag"), ("dev", "ifa", "1000base-t"), ("dev2", "ifb", "1000base-t")):
        nautobot.api("POST", "dcim/interfaces/", json={
            "device": {"name": made[device]}, "name": made[name], "type": kind, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/rear-ports/", json={
        "device": {"name": made["dev"]}, "name": made["rear"], "type": "lc", "positions": 4})
    # VLANs of a group of this run's own (the nautobot_vlan module is another area's)
    nautobot.api("POST", "ipam/vlan-groups/", json={"name": made["vg"]})
    for vid in (101, 102, 103):
        nautobot.api("POST", "ipam/vlans/", json={
            "vid": vid, "name": "v%d-%s" % (vid, names["suffix"]), "vlan_group": {"name": made["vg"]},
            "status": {"name": "Active"}})
    return made


# module, identifying + creating options (a cable's tags take a second write on create, see
# test_nautobot_dcim), one-field update, (related option, bad value)
CASES = [
    Case("nautobot_rack_group", {"name": "rg-{u}", "location": "{dloc}", "parent": "{rg}", "description": "one"},
         {"description": "two"}, ("parent", "no-such-group-{u}")),
    Case("nautobot_rack", {"name": "rack-{u}", "location": "{dloc}", "rack_group": "{rg}", "tags": ["{dtag}"],
                           "u_height": 44, "serial": "S1"},
         {"serial": "S2"}, ("role", "no-such-role-{u}")),
    Case("nautobot_interface", {"device": "{dev}", "name": "if-{u}", "type": "1000base-t", "lag": "{lag}",
                                "mode": "tagged", "untagged_vlan": {"vid": 101, "vlan_group": "{vg}"},
                                "tagged_vlans": [{"vid": 102, "vlan_group": "{vg}"}, {"vid": 103, "vlan_group": "{vg}"}],
                                "mtu": 9000, "mac_address": "aa-bb-cc-00-00-01", "tags": ["{dtag}"]},
         {"description": "two"}, ("lag", "no-such-lag-{u}")),
    Case("nautobot_console_port", {"device": "{dev}", "name": "con-{u}", "type": "rj-45", "tags": ["{dtag}"]},
         {"description": "two"}, None),
    Case("nautobot_power_port", {"device": "{dev}", "name": "psu-{u}", "type": "iec-60320-c14", "maximum_draw": 500},
         {"maximum_draw": 400}, None),
    Case("nautobot_rear_port", {"device": "{dev}", "name": "rear-{u}", "type": "lc", "positions": 4},
         {"positions": 6}, None),
    Case("nautobot_front_port", {"device": "{dev}", "name": "front-{u}", "type": "lc", "rear_port": "{rear}",
                                 "rear_port_position": 2, "tags": ["{dtag}"]},
         {"label": "F2"}, ("rear_port", "no-such-rear-{u}")),
    Case("nautobot_cable", {"termination_a": {"device": "{dev}", "interface": "{ifa}"},
                            "termination_b": {"device": "{dev2}", "interface": "{ifb}"},
                            "type": "cat6", "color": "aa1409", "length": 3, "length_unit": "m"},
         {"label": "c2"}, ("status", "no-such-status-{u}")),
    Case("nautobot_virtual_chassis", {"name": "vc-{u}", "domain": "d1", "tags": ["{dtag}"]},
         {"domain": "d2"}, ("master", "no-such-device-{u}")),
]
