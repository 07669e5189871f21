# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's version, sent in the User-Agent; a unit test keeps it equal to galaxy.yml."""

from __future__ import absolute_import, division, print_function

COLLECTION_VERSION = "0.2.0"
