# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action of every module of the collection (meta/runtime.yml routes them here): a
local task runs in the controller's worker process, any other as a module on its target."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.plugin_utils._in_process import ModuleAction


class ActionModule(ModuleAction):
    pass
