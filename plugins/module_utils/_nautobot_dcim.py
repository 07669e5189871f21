# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's racks, ports, interfaces, cables and virtual chassis, declared once (see _nautobot_resources).

Natural keys follow Nautobot's uniqueness rules: a rack group's name is unique within its
location, a rack's within its rack group (and is narrowed by its location)."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

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


# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (RACK_GROUP, RACK)
