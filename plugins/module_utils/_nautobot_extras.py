# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's custom fields, relationships, contacts and teams, declared once (see _nautobot_resources)."""

from __future__ import absolute_import, division, print_function

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = ()
