# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module contract, for every Nautobot module, against a real Nautobot.

Each case walks one object through its life: absent when absent, check-mode create,
create, converged re-run, check-mode update, update of one field, a misspelled related
name, check-mode delete, delete, absent again. Evidence comes from outside the client:
the recording proxy in front of Nautobot and Nautobot's own object-change log.
"""

from __future__ import absolute_import, division, print_function

import json

import pytest
import yaml

WRITES = ("POST", "PUT", "PATCH", "DELETE")


# module, identifying + creating options, one-field update, (related option, bad value)
CASES = [
    ("nautobot_manufacturer", {"name": "mfr-{u}", "description": "one"}, {"description": "two"}, None),
    ("nautobot_location_type", {"name": "lt-{u}", "content_types": ["dcim.device"]},
     {"description": "two"}, ("parent", "no-such-type-{u}")),
    ("nautobot_location", {"name": "loc-{u}", "location_type": "{lt}", "tags": ["{tag}"]},
     {"facility": "F2"}, ("location_type", "no-such-type-{u}")),
    ("nautobot_device_type", {"model": "dt-{u}", "manufacturer": "{mfr}", "u_height": 2},
     {"part_number": "PN2"}, ("manufacturer", "no-such-mfr-{u}")),
    ("nautobot_role", {"name": "role-{u}", "content_types": ["dcim.device"]}, {"color": "aa1409"}, None),
    ("nautobot_status", {"name": "status-{u}", "content_types": ["dcim.device"]}, {"description": "two"}, None),
    ("nautobot_platform", {"name": "plat-{u}", "manufacturer": "{mfr}"}, {"description": "two"},
     ("manufacturer", "no-such-mfr-{u}")),
    ("nautobot_tenant", {"name": "tenant-{u}", "tenant_group": "{group}"}, {"description": "two"},
     ("tenant_group", "no-such-group-{u}")),
    ("nautobot_tag", {"name": "tag-{u}", "content_types": ["dcim.device"]}, {"description": "two"}, None),
    ("nautobot_device", {"name": "dev-{u}", "location": "{loc}", "device_type": "{dt}", "role": "{role}",
                         "tags": ["{tag}"], "serial": "SN1"},
     {"serial": "SN2"}, ("role", "no-such-role-{u}")),
]


def fill(value, names):
    if isinstance(value, dict):
        return dict((k, fill(v, names)) for k, v in value.items())
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, str):
        return value.format(**names)
    return value


def observe(evidence, action, *args, **kwargs):
    """Run ``action`` and return (its outcome, what reached the server meanwhile)."""
    watching = evidence()
    outcome = action(*args, **kwargs)
    return outcome, watching.stop()


def check_run(playbook, text, **options):
    """The task's result from a --check --diff ansible-playbook run."""
    return playbook(text, check=True, diff=True, **options).task("under test")


def play(module, args, connection):
    task = {"name": "under test", "statecraft.infra." + module: dict(connection, **args)}
    return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}])


@pytest.mark.parametrize("module,create,update,typo", CASES, ids=[c[0] for c in CASES])
def test_module_contract(module, create, update, typo, base, unique, module_run, playbook,
                         evidence, connection, nautobot):
    names = dict(base, u=unique)
    create = fill(create, names)
    update = fill(update, names)
    ident = dict((k, v) for k, v in create.items() if k in ("name", "model", "location", "manufacturer"))
    result_key = module[len("nautobot_"):]

    # absent when already absent: no change, no write
    result, ev = observe(evidence, module_run, module, state="absent", **ident)
    assert result["changed"] is False, result
    ev.assert_no_write()

    # check mode predicts the create, shows the fields, writes nothing
    task, ev = observe(evidence, check_run, playbook, play(module, create, connection))
    assert task["changed"] is True, task
    assert task["diff"]["before"] == {}
    for key in create:
        assert key in task["diff"]["after"], (key, task["diff"])
    ev.assert_no_write()

    # create: one POST, and the object is there as declared
    result, ev = observe(evidence, module_run, module, **create)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["POST"], ev.requests
    assert ev.new_changes >= 1
    created = result[result_key]
    assert created["id"]

    # converged: one GET, nothing written
    result, ev = observe(evidence, module_run, module, **create)
    assert result["changed"] is False, result
    assert ev.methods() == ["GET"], ev.requests
    ev.assert_no_write()

    # check mode predicts the update and writes nothing; the diff holds the new value
    changed_args = dict(create, **update)
    task, ev = observe(evidence, check_run, playbook, play(module, changed_args, connection))
    assert task["changed"] is True, task
    for key, value in update.items():
        assert task["diff"]["after"][key] == value, task["diff"]
        assert task["diff"]["before"][key] != value, task["diff"]
    ev.assert_no_write()

    # update one field: one PATCH carrying only that field
    result, ev = observe(evidence, module_run, module, **changed_args)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["PATCH"], ev.requests
    assert ev.writes[0]["body"] == update, ev.writes[0]
    assert result[result_key]["id"] == created["id"]
    for key, value in update.items():
        assert result[result_key][key] == value

    # a misspelled related name: clear message naming option and value, nothing written
    if typo:
        option, bad = typo[0], fill(typo[1], names)
        result, ev = observe(evidence, module_run, module, **dict(changed_args, **{option: bad}))
        assert result.get("failed") is True, result
        assert option in result["msg"] and bad in result["msg"], result["msg"]
        assert ev.new_changes == 0
        # Nautobot resolves names on write: at most the one write it refused, nothing stored
        assert len(ev.writes) <= 1 and all(r["status"] == 400 for r in ev.writes), ev.requests

    # check-mode delete: predicted, shows the object's fields, writes nothing
    task, ev = observe(evidence, check_run, playbook, play(module, dict(ident, state="absent"), connection))
    assert task["changed"] is True, task
    assert task["diff"]["after"] == {}
    for key in update:
        assert task["diff"]["before"][key] == update[key], task["diff"]
    ev.assert_no_write()

    # delete, then absent again
    result, ev = observe(evidence, module_run, module, state="absent", **ident)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["DELETE"], ev.requests
    result = module_run(module, state="absent", **ident)
    assert result["changed"] is False, result
    assert json.dumps(result).count(nautobot.token) == 0
