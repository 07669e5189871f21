# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Job the harness installs in every test Nautobot's JOBS_ROOT (and enables), for the
tests of statecraft.infra.nautobot_job: it logs its inputs, can take its time, and fails
when asked. It runs inside Nautobot (2.4 and 3.x), never in the collection."""

import time

from nautobot.apps.jobs import BooleanVar, IntegerVar, Job, StringVar, register_jobs

name = "Statecraft tests"  # the group Nautobot lists the Job under


class StatecraftEcho(Job):
    """Logs ``message`` ``repeat`` times, sleeps ``seconds``, then fails if ``fail``."""

    # every input optional: Nautobot's API treats a variable's default as the form's initial
    # value only, and would require each one
    message = StringVar(default="hello", required=False)
    repeat = IntegerVar(default=1, min_value=0, max_value=100, required=False)
    seconds = IntegerVar(default=0, min_value=0, max_value=300, required=False)
    fail = BooleanVar(default=False)

    class Meta:
        name = "Statecraft echo"
        description = "Logs its message, waits, and fails on request (statecraft.infra tests)."
        has_sensitive_variables = False  # inputs are kept, so a run can be scheduled and shown

    def run(self, *, message=None, repeat=None, seconds=None, fail=False):
        message = "hello" if message is None else message
        repeat = 1 if repeat is None else repeat
        for number in range(1, repeat + 1):
            self.logger.info("echo %d of %d: %s", number, repeat, message)
        if seconds:
            self.logger.info("sleeping %d s", seconds)
            time.sleep(seconds)
        if fail:
            self.logger.error("failing as asked")
            raise RuntimeError("failed as asked: %s" % message)
        return {"message": message, "repeat": repeat}


register_jobs(StatecraftEcho)
