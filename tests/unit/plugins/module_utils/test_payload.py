# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A module's payload (the module_utils Ansible packs with it, found from its imports)
carries only its own platform's code and the shared layers."""

from __future__ import absolute_import, division, print_function

import os
import re

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
UTILS = os.path.join(REPO, "plugins", "module_utils")
MODULES = os.path.join(REPO, "plugins", "modules")
IMPORT = re.compile(r"ansible_collections\.statecraft\.infra\.plugins\.module_utils(?:\.(\w+)| import \(?([\w, \n]+)\)?)")
# module_utils files that belong to one platform besides those named after it
PLATFORM_OF = {"_classad": "cyclecloud"}
PLATFORMS = ("nautobot", "air", "cyclecloud", "airbyte", "cloudcix")


def platform_of(name):
    if name in PLATFORM_OF:
        return PLATFORM_OF[name]
    for platform in sorted(PLATFORMS, key=len, reverse=True):  # airbyte before air
        if name == "_" + platform or name.startswith("_%s_" % platform):
            return platform
    return None


def imported(path):
    with open(path) as handle:
        text = handle.read()
    names = set()
    for single, group in IMPORT.findall(text):
        if single:
            names.add(single)
        else:
            names.update(n.strip() for n in group.replace("\n", ",").split(",") if n.strip().startswith("_"))
    return names


def payload(module):
    seen, todo = set(), list(imported(os.path.join(MODULES, module + ".py")))
    while todo:
        name = todo.pop()
        if name in seen or not os.path.exists(os.path.join(UTILS, name + ".py")):
            continue
        seen.add(name)
        todo.extend(imported(os.path.join(UTILS, name + ".py")))
    return seen


@pytest.mark.parametrize("module", sorted(f[:-3] for f in os.listdir(MODULES) if f.endswith(".py")))
def test_a_module_carries_only_its_own_platform(module):
    own = module.split("_", 1)[0]
    files = payload(module)
    assert "_" + own in files  # the platform's adapter is there
    others = sorted(f for f in files if platform_of(f) not in (None, own))
    assert others == [], "%s carries %s" % (module, others)
