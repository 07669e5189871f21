# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # What a contact and a team share: how they are reached (phone and e-mail are part of the
    # natural key), the id that lets those change, and how members are read
    DOCUMENTATION = r"""
options:
  id:
    description:
      - Id of an existing object; finds it by id, so O(name), O(phone) and O(email) may
        be changed.
    type: str
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
notes:
  - Nautobot 3 reads many-to-many fields only when asked, so every read of a contact or team
    asks for them (C(exclude_m2m=false)); a converged task is still one request.
"""
