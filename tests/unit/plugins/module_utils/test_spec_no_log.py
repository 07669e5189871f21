# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A field tells Ansible whether it is a secret only when the declaration says so."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field


def spec(**kwargs):
    field = Field(**kwargs)
    field.name = "key"
    return field.argspec()["key"]


def test_no_log_only_when_declared():
    assert "no_log" not in spec()
    assert spec(secret=True)["no_log"] is True
    # a name Ansible takes for a secret (a custom field's key) that is none
    assert spec(secret=False)["no_log"] is False
