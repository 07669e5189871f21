# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Nautobot objects the collection manages, declared once: each typed module runs one,
and nautobot_bulk runs many objects of one of them. Natural keys follow Nautobot's own
uniqueness rules (a device's name is unique within its location and tenant).

This file holds the organizing objects (locations, device types, roles, statuses, tags,
tenants and tenant groups) and devices; the other apps' objects are declared by app in _nautobot_dcim,
_nautobot_ipam, _nautobot_virtualization and _nautobot_extras, and _nautobot_kinds lists
them all."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource, ValueSet


def check_primary_ip(value):
    """A device's primary address by address (and namespace) or id: the device's one read
    shows the address, and Nautobot filters addresses by namespace; nothing else would
    compare in that read."""
    if isinstance(value, dict) and set(value) - {"id", "address", "namespace"}:
        raise ValueError("give the address (such as 10.0.0.1/24), a dict of address and namespace, or the "
                         "address's id, not %s" % ", ".join(sorted(value)))


DEVICE = Resource(
    name="device",
    path="dcim/devices",
    platform=NAUTOBOT,
    identity=("name", "location", "tenant"),
    fields=dict(
        name=Field(required=True),
        location=Ref("dcim/locations", required_on_create=True),
        tenant=Ref("tenancy/tenants"),
        device_type=Ref("dcim/device-types", key="model", required_on_create=True),
        role=Ref("extras/roles", required_on_create=True),
        status=Ref("extras/statuses", create_default="Active"),
        platform=Ref("dcim/platforms"),
        rack=Ref("dcim/racks", scope={"location": "location"}),
        position=Field(type="int"),
        face=Field(choices=["front", "rear"], empty=""),
        serial=Field(empty=""),
        asset_tag=Field(),
        comments=Field(empty=""),
        # by address (Nautobot resolves it on write); it must be on one of the device's interfaces.
        # The namespace is in the address's parent prefix, not in the device's read: it narrows
        # the lookup, and the comparison is by address (a device whose interfaces hold one
        # address in two namespaces is not told apart)
        primary_ip4=Ref("ipam/ip-addresses", key="address", filter_keys=("namespace",), check=check_primary_ip),
        primary_ip6=Ref("ipam/ip-addresses", key="address", filter_keys=("namespace",), check=check_primary_ip),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


DEVICE_TYPE = Resource(
    name="device_type",
    path="dcim/device-types",
    platform=NAUTOBOT,
    identity=("model", "manufacturer"),
    required_identity=("model",),
    fields=dict(
        model=Field(required=True),
        manufacturer=Ref("dcim/manufacturers", required_on_create=True, clearable=False),
        part_number=Field(empty=""),
        u_height=Field(type="int", clearable=False),
        is_full_depth=Field(type="bool", clearable=False),
        subdevice_role=Field(choices=["parent", "child", "parent-child"], empty=""),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


LOCATION = Resource(
    name="location",
    path="dcim/locations",
    platform=NAUTOBOT,
    identity=("name", "parent"),
    required_identity=("name",),
    fields=dict(
        name=Field(required=True),
        parent=Ref("dcim/locations"),
        location_type=Ref("dcim/location-types", required_on_create=True, clearable=False),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        tenant=Ref("tenancy/tenants"),
        description=Field(empty=""),
        facility=Field(empty=""),
        asn=Field(type="int"),
        time_zone=Field(),
        physical_address=Field(empty=""),
        shipping_address=Field(empty=""),
        latitude=Field(type="float"),
        longitude=Field(type="float"),
        contact_name=Field(empty=""),
        contact_phone=Field(empty=""),
        contact_email=Field(empty=""),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


LOCATION_TYPE = Resource(
    name="location_type",
    path="dcim/location-types",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        parent=Ref("dcim/location-types"),
        description=Field(empty=""),
        nestable=Field(type="bool", clearable=False),
        content_types=ValueSet(),
    ),
)


MANUFACTURER = Resource(
    name="manufacturer",
    path="dcim/manufacturers",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        description=Field(empty=""),
    ),
)


PLATFORM = Resource(
    name="platform",
    path="dcim/platforms",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        manufacturer=Ref("dcim/manufacturers"),
        network_driver=Field(empty=""),
        napalm_driver=Field(empty=""),
        napalm_args=Field(type="dict"),
        description=Field(empty=""),
    ),
)


def _classifier(name, path, **fields):
    """Roles, statuses and tags: a named, coloured label for the content types it is for."""
    return Resource(
        name=name,
        path=path,
        platform=NAUTOBOT,
        identity=("name",),
        fields=dict(dict(name=Field(required=True), color=Field(clearable=False), **fields),
                    description=Field(empty=""), content_types=ValueSet(required_on_create=True)),
    )


ROLE = _classifier("role", "extras/roles", weight=Field(type="int"))
STATUS = _classifier("status", "extras/statuses")
TAG = _classifier("tag", "extras/tags")


TENANT = Resource(
    name="tenant",
    path="tenancy/tenants",
    platform=NAUTOBOT,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        tenant_group=Ref("tenancy/tenant-groups"),
        description=Field(empty=""),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


TENANT_GROUP = Resource(
    name="tenant_group",
    path="tenancy/tenant-groups",
    platform=NAUTOBOT,
    identity=("name",),  # unique across tenant groups, whatever the parent
    fields=dict(
        name=Field(required=True),
        parent=Ref("tenancy/tenant-groups"),
        description=Field(empty=""),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (DEVICE, DEVICE_TYPE, LOCATION, LOCATION_TYPE, MANUFACTURER, PLATFORM, ROLE, STATUS, TAG, TENANT,
       TENANT_GROUP)
