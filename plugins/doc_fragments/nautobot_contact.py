# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How a contact or a team is reached; phone and e-mail are part of its natural key
    DOCUMENTATION = r"""
options:
  phone:
    description:
      - Phone number; part of the natural key when given.
    type: str
  email:
    description:
      - E-mail address; part of the natural key when given.
    type: str
  address:
    description:
      - Postal address.
    type: str
"""
