# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's clusters, virtual machines and their interfaces, declared once (see _nautobot_resources)."""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource


def _cluster_label(name, path):
    """Cluster types and groups: a name, unique in Nautobot, and a description."""
    return Resource(
        name=name,
        path=path,
        platform=NAUTOBOT,
        identity=("name",),
        fields=dict(
            name=Field(required=True),
            description=Field(empty=""),
        ),
    )


CLUSTER_TYPE = _cluster_label("cluster_type", "virtualization/cluster-types")
CLUSTER_GROUP = _cluster_label("cluster_group", "virtualization/cluster-groups")


CLUSTER = Resource(
    name="cluster",
    path="virtualization/clusters",
    platform=NAUTOBOT,
    identity=("name",),  # unique in Nautobot
    fields=dict(
        name=Field(required=True),
        cluster_type=Ref("virtualization/cluster-types", required_on_create=True, clearable=False),
        cluster_group=Ref("virtualization/cluster-groups"),
        tenant=Ref("tenancy/tenants"),
        location=Ref("dcim/locations"),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


VIRTUAL_MACHINE = Resource(
    name="virtual_machine",
    path="virtualization/virtual-machines",
    platform=NAUTOBOT,
    # Nautobot keeps a name unique within its cluster and tenant (no tenant counting as one)
    identity=("name", "cluster", "tenant"),
    fields=dict(
        name=Field(required=True),
        cluster=Ref("virtualization/clusters", required_on_create=True, clearable=False),
        tenant=Ref("tenancy/tenants"),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        role=Ref("extras/roles"),
        platform=Ref("dcim/platforms"),
        vcpus=Field(type="int"),
        memory=Field(type="int"),
        disk=Field(type="int"),
        comments=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
)


MAC_SEPARATORS = re.compile(r"[:.\-\s]")
HEX12 = re.compile(r"^[0-9A-F]{12}$")


def _mac(value):
    """A MAC address as Nautobot shows it (00:11:22:AA:BB:CC), whichever way it was written."""
    digits = MAC_SEPARATORS.sub("", str(value)).upper()
    if not HEX12.match(digits):
        return str(value).strip().upper()  # Nautobot says what is wrong with it
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _check_vlan_mode(params):
    """Nautobot keeps tagged VLANs only in mode ``tagged``, and an untagged VLAN only with a mode."""
    mode = params.get("mode")
    cleared = "mode" in (params.get("clear") or [])
    if params.get("tagged_vlans") and ((mode and mode != "tagged") or cleared):
        raise ValueError("tagged_vlans: Nautobot keeps tagged VLANs only with mode=tagged, not mode=%s"
                         % (mode or "''"))
    if params.get("untagged_vlan") is not None and cleared:
        raise ValueError("untagged_vlan: Nautobot takes an untagged VLAN only on an interface with a mode")


VM_INTERFACE = Resource(
    name="vm_interface",
    path="virtualization/interfaces",
    platform=NAUTOBOT,
    # unique per virtual machine
    identity=("name", "virtual_machine"),
    required_identity=("name", "virtual_machine"),
    fields=dict(
        name=Field(required=True),
        virtual_machine=Ref("virtualization/virtual-machines", required=True),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        enabled=Field(type="bool", clearable=False),
        mtu=Field(type="int"),
        mac_address=Field(empty="", canonical=_mac),
        mode=Field(choices=["access", "tagged", "tagged-all"], empty=""),
        untagged_vlan=Ref("ipam/vlans"),
        tagged_vlans=RefSet("ipam/vlans"),
        description=Field(empty=""),
        tags=RefSet("extras/tags"),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
    check=_check_vlan_mode,
    # tagged VLANs are a many-to-many field Nautobot shows only when asked
    read_params={"exclude_m2m": "false"},
)

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (CLUSTER_TYPE, CLUSTER_GROUP, CLUSTER, VIRTUAL_MACHINE, VM_INTERFACE)
