# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The tenant of the Nautobot objects whose tenant is not part of their identity
    DOCUMENTATION = r"""
options:
  tenant:
    description:
      - Tenant of the object.
    type: raw
"""

    # The tenant of a device or virtual machine, whose name is unique per tenant
    IDENTITY = r"""
options:
  tenant:
    description:
      - Tenant of the object. When given, it is part of the object's identity.
    type: raw
"""
