# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract cases (nautobot_contract) of the organizing objects and devices.

``setup(nautobot, suffix)`` makes, straight through the API, the related objects the
cases name, and returns their names for the cases' placeholders."""

from __future__ import absolute_import, division, print_function

from nautobot_contract import Case


def setup(nautobot, suffix):
    names = dict((key, "%s-base-%s" % (key, suffix)) for key in ("lt", "loc", "mfr", "dt", "role", "tag", "group"))
    nautobot.api("POST", "dcim/location-types/", json={
        "name": names["lt"], "content_types": ["dcim.device", "dcim.rack"], "nestable": True})
    nautobot.api("POST", "dcim/locations/", json={
        "name": names["loc"], "location_type": {"name": names["lt"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/manufacturers/", json={"name": names["mfr"]})
    nautobot.api("POST", "dcim/device-types/", json={"model": names["dt"], "manufacturer": {"name": names["mfr"]}})
    nautobot.api("POST", "extras/roles/", json={"name": names["role"], "content_types": ["dcim.device"]})
    nautobot.api("POST", "extras/tags/", json={"name": names["tag"], "content_types": ["dcim.device", "dcim.location"]})
    nautobot.api("POST", "tenancy/tenant-groups/", json={"name": names["group"]})
    return names


# module, identifying + creating options, one-field update, (related option, bad value)
CASES = [
    Case("nautobot_manufacturer", {"name": "mfr-{u}", "description": "one"}, {"description": "two"}, None),
    Case("nautobot_location_type", {"name": "lt-{u}", "content_types": ["dcim.device"]},
         {"description": "two"}, ("parent", "no-such-type-{u}")),
    Case("nautobot_location", {"name": "loc-{u}", "location_type": "{lt}", "tags": ["{tag}"]},
         {"facility": "F2"}, ("location_type", "no-such-type-{u}")),
    Case("nautobot_device_type", {"model": "dt-{u}", "manufacturer": "{mfr}", "u_height": 2},
         {"part_number": "PN2"}, ("manufacturer", "no-such-mfr-{u}")),
    Case("nautobot_role", {"name": "role-{u}", "content_types": ["dcim.device"]}, {"color": "aa1409"}, None),
    Case("nautobot_status", {"name": "status-{u}", "content_types": ["dcim.device"]}, {"description": "two"}, None),
    Case("nautobot_platform", {"name": "plat-{u}", "manufacturer": "{mfr}"}, {"description": "two"},
         ("manufacturer", "no-such-mfr-{u}")),
    Case("nautobot_tenant", {"name": "tenant-{u}", "tenant_group": "{group}"}, {"description": "two"},
         ("tenant_group", "no-such-group-{u}")),
    Case("nautobot_tag", {"name": "tag-{u}", "content_types": ["dcim.device"]}, {"description": "two"}, None),
    Case("nautobot_device", {"name": "dev-{u}", "location": "{loc}", "device_type": "{dt}", "role": "{role}",
                             "tags": ["{tag}"], "serial": "SN1"},
         {"serial": "SN2"}, ("role", "no-such-role-{u}")),
]
