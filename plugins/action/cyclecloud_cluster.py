# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads O(template_file) on the controller and passes its text as O(template_text)."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.plugin_utils._file_option import FileOptionAction


class ActionModule(FileOptionAction):
    file_option = "template_file"
    content_option = "template_text"
