# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs of the collection's inventory plugins through ``ansible-inventory`` and
``ansible-playbook -i``, against an emulator whose request log says what each run sent."""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import uuid

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)


def plain(value):
    """ansible-inventory's JSON with Ansible 2.19's markers of untrusted strings
    (``{"__ansible_unsafe": "..."}``) taken off: what a play sees as the value."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class InventoryRun(object):
    def __init__(self, proc, requests):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.requests = requests  # what reached the emulator during the run
        self.data = None
        if self.rc == 0 and self.stdout.lstrip().startswith("{"):
            self.data = plain(json.loads(self.stdout))

    @property
    def output(self):
        return self.stdout + self.stderr

    @property
    def hostvars(self):
        assert self.data is not None, self.output
        return self.data["_meta"]["hostvars"]

    def members(self, group):
        """The hosts of ``group`` and of its child groups, as Ansible resolves them."""
        entry = self.data.get(group) or {}
        hosts = set(entry.get("hosts") or [])
        for child in entry.get("children") or []:
            hosts |= self.members(child)
        return hosts

    def children(self, group):
        return set((self.data.get(group) or {}).get("children") or [])

    def assert_hidden(self, *secrets):
        for secret in secrets:
            assert secret not in self.output


class InventoryLab(object):
    """Inventory sources for one platform (files ``<name>.<platform>.yml`` in ``tmp_path``),
    run against ``emulator``."""

    def __init__(self, emulator, platform, connection, env, tmp_path):
        self.emulator = emulator
        self.platform = platform
        self.connection = connection
        self.env = env
        self.tmp_path = tmp_path

    def source(self, config, connection=True):
        """An inventory file with ``config`` (and the connection options unless told not to)."""
        body = dict(self.connection) if connection else {}
        body.update(config)
        body["plugin"] = "statecraft.infra.%s" % self.platform
        path = self.tmp_path / ("%s.%s.yml" % (uuid.uuid4().hex[:6], self.platform))
        path.write_text(yaml.safe_dump(body))
        return str(path)

    def _run(self, cmd, env):
        run_env = dict(self.env)
        # a source that does not parse is an error, not a warning and an empty inventory
        run_env["ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"] = "true"
        run_env.update(env or {})
        mark = len(self.emulator.log)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env, cwd=str(self.tmp_path), check=False)
        return proc, self.emulator.log[mark:]

    def inventory(self, config, *args, **kwargs):
        """``ansible-inventory -i <source> --list`` (or ``args``, such as ``--graph``)."""
        source = config if isinstance(config, str) else self.source(config, kwargs.pop("connection", True))
        proc, requests = self._run([os.path.join(BIN, "ansible-inventory"), "-i", source] + list(args or ["--list"]),
                                   kwargs.get("env"))
        return InventoryRun(proc, requests)

    def playbook(self, config, play, env=None):
        """``ansible-playbook -i <source> <play>``; returns an InventoryRun (no JSON data)."""
        source = config if isinstance(config, str) else self.source(config)
        path = self.tmp_path / "play.yml"
        path.write_text(play)
        proc, requests = self._run([os.path.join(BIN, "ansible-playbook"), "-i", source, str(path)], env)
        return InventoryRun(proc, requests)
