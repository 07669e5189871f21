# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The status of the Nautobot objects that Nautobot makes Active unless told otherwise
    DOCUMENTATION = r"""
options:
  status:
    description:
      - Status of the object, by name.
      - A new object gets V(Active) unless set.
    type: raw
"""
