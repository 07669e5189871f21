#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_job
short_description: Run (and wait for) or cancel a sync or clear of an Airbyte connection
version_added: 0.1.0
description:
  - Starts a job of a connection (a C(sync), or a C(clear) of its synced data), unless one
    is already in progress; then that one is reported (and waited for), never started twice.
  - With O(state=cancelled), cancels the job in progress, if any.
  - A job that ends C(failed) or C(cancelled) while waiting for C(succeeded) fails the task
    with the job's status.
author:
  - statecraft.infra team (@statecraft)
options:
  connection:
    description:
      - The connection, by id, or by name with O(workspace).
    type: str
    required: true
  workspace:
    description:
      - The connection's workspace, by name or id (to find the connection by name).
    type: raw
  job_type:
    description:
      - V(sync) copies new data; V(clear) (also named V(reset) by older Airbyte) removes the
        connection's data from the destination.
    type: str
    choices: [sync, clear, reset]
    default: sync
  state:
    description:
      - V(started) starts a job unless one is in progress.
      - V(cancelled) cancels the job in progress.
    type: str
    choices: [started, cancelled]
    default: started
  wait:
    description:
      - Wait until the job has succeeded (or is cancelled). Check mode never waits.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing with the job's status.
    type: int
    default: 3600
  wait_sleep:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 5
extends_documentation_fragment:
  - statecraft.infra.airbyte
attributes:
  check_mode:
    support: full
    description: Reports whether a job would be started or cancelled and sends nothing.
  diff_mode:
    support: none
    description: A job is an action, not a state; it has no diff.
"""

EXAMPLES = r"""
- name: Sync after the deploy and wait for it
  statecraft.infra.airbyte_job:
    workspace: data-platform
    connection: shop-to-lake
  register: sync

- name: Rows copied
  ansible.builtin.debug:
    msg: "{{ sync.job.rowsSynced }} rows, {{ sync.job.bytesSynced }} bytes"
"""

RETURN = r"""
job:
  description: The job as Airbyte returns it (after waiting, with O(wait)); empty when there was none to cancel.
  returned: always
  type: dict
  sample:
    jobId: 1234
    jobType: sync
    status: succeeded
    rowsSynced: 5000
    bytesSynced: 1048576
    startTime: "2026-11-23T02:00:00Z"
    duration: PT1M10S
connection_id:
  description: Id of the connection.
  returned: always
  type: str
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import AIRBYTE
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_tasks import job_task
from ansible_collections.statecraft.infra.plugins.module_utils._engine import wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    connection=dict(type="str", required=True),
    workspace=dict(type="raw"),
    job_type=dict(type="str", default="sync", choices=["sync", "clear", "reset"]),
    state=dict(type="str", default="started", choices=["started", "cancelled"]),
    **wait_options(timeout=3600, sleep=5)
)


def main():
    run_task(AIRBYTE, OPTIONS, job_task)


if __name__ == "__main__":
    main()
