# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The device a console, power, front or rear port or an interface belongs to, and its label
    DOCUMENTATION = r"""
options:
  device:
    description:
      - Device it belongs to; part of its identity.
      - "A name alone must name one device. With Nautobot's default
        C(DEVICE_UNIQUENESS=location_tenant_name) a device name is unique only per location
        and tenant; give a dict such as V({name: leaf1, location: dc1}) or
        V({name: leaf1, location: dc1, tenant: blue}) to tell devices of one name apart."
    type: raw
    required: true
  label:
    description:
      - Physical label.
    type: str
"""
