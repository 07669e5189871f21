# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module contract, for every typed Nautobot module, against a real Nautobot.

Each case walks one object through its life (nautobot_contract) on Nautobot 3.2: absent
when absent, check-mode create, create, converged re-run, check-mode update, update of one
field, a misspelled related name, check-mode delete, delete, absent again; and on Nautobot
2.4, the oldest supported: create, converged re-run, delete. Evidence comes from
outside the client: the recording proxy in front of Nautobot and Nautobot's own
object-change log. The cases are kept by Nautobot app in nautobot_cases_*.py.
"""

from __future__ import absolute_import, division, print_function

import uuid

import pytest

import nautobot_cases_core
import nautobot_cases_dcim
import nautobot_cases_extras
import nautobot_cases_ipam
import nautobot_cases_virtualization
from nautobot_contract import Server, Walk

AREAS = (nautobot_cases_core, nautobot_cases_dcim, nautobot_cases_ipam, nautobot_cases_virtualization,
         nautobot_cases_extras)
CASES = [case for area in AREAS for case in area.CASES]


def related_objects(nautobot):
    """What the cases name, made once per server: the core objects, then each app's."""
    suffix = uuid.uuid4().hex[:6]
    names = dict(nautobot_cases_core.setup(nautobot, suffix), suffix=suffix)
    for area in AREAS[1:]:
        names.update(area.setup(nautobot, dict(names)))
    return names


@pytest.fixture
def server(nautobot, connection, evidence):
    return Server(nautobot, connection, evidence)


@pytest.fixture(scope="module")
def names(nautobot):
    return related_objects(nautobot)


@pytest.mark.parametrize("case", CASES, ids=[c.module for c in CASES])
def test_module_contract(case, server, names, unique, module_run, playbook):
    Walk(server, module_run, playbook).lifecycle(case, dict(names, u=unique))


@pytest.fixture
def server24(nautobot24, connection24, evidence24):
    return Server(nautobot24, connection24, evidence24)


@pytest.fixture(scope="module")
def names24(nautobot24):
    return related_objects(nautobot24)


@pytest.mark.parametrize("case", CASES, ids=[c.module for c in CASES])
def test_module_contract_on_nautobot_2_4(case, server24, names24, unique, module_run, playbook):
    """The oldest supported Nautobot: create, converged, delete (the default API version, 2.4)."""
    Walk(server24, module_run, playbook).lifecycle(case, dict(names24, u=unique), full=False)


def test_every_typed_module_has_a_case():
    from nautobot_contract import kind_of
    from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_kinds import RESOURCES

    assert sorted(kind_of(case.module) for case in CASES) == sorted(RESOURCES)
