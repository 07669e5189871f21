# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The module contract every typed Nautobot module keeps, as one walk through an object's
life that any case (tests/integration/nautobot_cases_*.py) and any server runs.

A case is (module, creating options, a one-field update, (related option, misspelled
value) or None); ``{name}`` placeholders in its values are filled from the names its
area's ``setup`` made (plus ``u``, a suffix of the case's own). The options that find the
object are those of the module's natural key (its declaration's ``identity``) that the
case sets.
"""

from __future__ import absolute_import, division, print_function

import collections
import json

import yaml

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_kinds import RESOURCES

Case = collections.namedtuple("Case", "module create update typo")


class Server(object):
    """One Nautobot under test: the connection modules use (through the recording proxy),
    ``evidence()`` to watch it, and the harness client for setup and checks."""

    def __init__(self, nautobot, connection, evidence):
        self.nautobot = nautobot
        self.connection = connection
        self.evidence = evidence


def fill(value, names):
    if isinstance(value, dict):
        return dict((k, fill(v, names)) for k, v in value.items())
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, str):
        return value.format(**names)
    return value


def kind_of(module):
    return module[len("nautobot_"):]


def identifying(module, options):
    """The options of ``options`` that find the object: its natural key's."""
    identity = RESOURCES[kind_of(module)].identity
    return dict((k, v) for k, v in options.items() if k in identity)


def play(module, args, connection):
    task = {"name": "under test", "statecraft.infra." + module: dict(connection, **args)}
    return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}])


class Walk(object):
    def __init__(self, server, module_run, playbook):
        self.server = server
        self.module_run = module_run
        self.playbook = playbook

    def observe(self, action, *args, **kwargs):
        """Run ``action`` and return (its outcome, what reached the server meanwhile)."""
        watching = self.server.evidence()
        outcome = action(*args, **kwargs)
        return outcome, watching.stop()

    def run(self, module, **args):
        return self.module_run(module, **dict(self.server.connection, **args))

    def check_run(self, module, args):
        """The task's result from a --check --diff ansible-playbook run."""
        text = play(module, args, self.server.connection)
        return self.playbook(text, check=True, diff=True).task("under test")

    def lifecycle(self, case, names, full=True):
        """Create, converge and delete (``full=False``), or the whole contract."""
        create = fill(case.create, names)
        update = fill(case.update, names)
        ident = identifying(case.module, create)
        result_key = kind_of(case.module)
        module = case.module

        # absent when already absent: no change, no write
        result, ev = self.observe(self.run, module, state="absent", **ident)
        assert result["changed"] is False, result
        ev.assert_no_write()

        if full:
            # check mode predicts the create, shows the fields, writes nothing
            task, ev = self.observe(self.check_run, module, create)
            assert task["changed"] is True, task
            assert task["diff"]["before"] == {}
            for key in create:
                assert key in task["diff"]["after"], (key, task["diff"])
            ev.assert_no_write()

        # create: one POST, and the object is there as declared
        result, ev = self.observe(self.run, module, **create)
        assert result["changed"] is True, result
        assert [r["method"] for r in ev.writes] == ["POST"], ev.requests
        assert ev.new_changes >= 1
        created = result[result_key]
        assert created["id"]

        # converged: one GET, nothing written
        result, ev = self.observe(self.run, module, **create)
        assert result["changed"] is False, result
        assert ev.methods() == ["GET"], ev.requests
        ev.assert_no_write()

        changed_args = dict(create, **update)
        if full:
            # check mode predicts the update and writes nothing; the diff holds the new value
            task, ev = self.observe(self.check_run, module, changed_args)
            assert task["changed"] is True, task
            for key, value in update.items():
                assert task["diff"]["after"][key] == value, task["diff"]
                assert task["diff"]["before"][key] != value, task["diff"]
            ev.assert_no_write()

            # update one field: one PATCH carrying only that field
            result, ev = self.observe(self.run, module, **changed_args)
            assert result["changed"] is True, result
            assert [r["method"] for r in ev.writes] == ["PATCH"], ev.requests
            assert ev.writes[0]["body"] == update, ev.writes[0]
            assert result[result_key]["id"] == created["id"]
            for key, value in update.items():
                assert result[result_key][key] == value

            # a misspelled related name: clear message naming option and value, nothing written
            if case.typo:
                option, bad = case.typo[0], fill(case.typo[1], names)
                result, ev = self.observe(self.run, module, **dict(changed_args, **{option: bad}))
                assert result.get("failed") is True, result
                assert option in result["msg"] and bad in result["msg"], result["msg"]
                assert ev.new_changes == 0
                # Nautobot resolves names on write: at most the one write it refused, nothing stored
                assert len(ev.writes) <= 1 and all(r["status"] == 400 for r in ev.writes), ev.requests

            # check-mode delete: predicted, shows the object's fields, writes nothing
            task, ev = self.observe(self.check_run, module, dict(ident, state="absent"))
            assert task["changed"] is True, task
            assert task["diff"]["after"] == {}
            for key in update:
                assert task["diff"]["before"][key] == update[key], task["diff"]
            ev.assert_no_write()

        # delete, then absent again
        result, ev = self.observe(self.run, module, state="absent", **ident)
        assert result["changed"] is True, result
        assert [r["method"] for r in ev.writes] == ["DELETE"], ev.requests
        result = self.run(module, state="absent", **ident)
        assert result["changed"] is False, result
        assert json.dumps(result).count(self.server.nautobot.token) == 0
