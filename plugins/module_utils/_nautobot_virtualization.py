# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's clusters, virtual machines and their interfaces, declared once (see _nautobot_resources)."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Resource


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

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (CLUSTER_TYPE, CLUSTER_GROUP)
