# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every kind of Nautobot object the collection manages, by the name of its typed module
without ``nautobot_`` (nautobot_bulk's ``kind``). A typed module imports only the file
that declares its own object; nautobot_bulk imports them all through this one."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_dcim import ALL as DCIM
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import ALL as EXTRAS
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_ipam import ALL as IPAM
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import ALL as ORGANIZATION
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_virtualization import ALL as VIRTUALIZATION

RESOURCES = dict((resource.name, resource)
                 for area in (ORGANIZATION, DCIM, IPAM, VIRTUALIZATION, EXTRAS)
                 for resource in area)
