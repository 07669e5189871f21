#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_job
short_description: Run a Nautobot Job and wait for its result
version_added: 0.1.0
description:
  - Runs a Job (C(extras/jobs/<id>/run)) with its inputs, then (with O(wait)) reads its job
    result until Nautobot's worker has finished it, and returns the result and its log lines.
  - A Job is an action, not a state, so every run reports a change.
  - A Job that ends in any status other than C(SUCCESS) (C(FAILURE), C(REVOKED)) fails the
    task, with its status, job result and log lines in the result.
  - Nautobot runs Jobs on a Celery worker; without one Nautobot refuses the run.
  - The Job must be installed and enabled in Nautobot (a Job is installed disabled).
author:
  - statecraft.infra team (@statecraft)
options:
  job:
    description:
      - The Job, by its name (as Nautobot shows it, for example V(Export Object List)), by its
        class path (C(module_name.JobClassName), for example V(my_jobs.SyncRacks)), or by id.
      - A name is looked up first, then a class path.
    type: str
    required: true
  data:
    description:
      - The Job's inputs, by variable name, as the Job declares them; Nautobot checks them
        and refuses unknown or invalid ones before anything runs.
      - Related objects are given as Nautobot's API takes them (an id).
    type: dict
  wait:
    description:
      - Wait until the Job has finished. Without it the task ends as soon as the Job is
        queued, with status C(PENDING) and no log lines.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing with the job result's status. The Job goes on running.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two reads of the job result while waiting.
    type: float
    default: 2
extends_documentation_fragment:
  - statecraft.infra.nautobot
attributes:
  check_mode:
    support: full
    description: Finds the Job and checks that it can run (installed, enabled); does not run it, and reports a change.
  diff_mode:
    support: none
    description: A Job is an action, not a state; it has no diff.
notes:
  - While waiting, a line tells the job result's status when the wait starts, when it
    changes and every 20 seconds (in the C(ansible-playbook) output for a local task).
"""

EXAMPLES = r"""
- name: Sync the racks from the planning sheet
  statecraft.infra.nautobot_job:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    job: my_jobs.SyncRacks
    data:
      site: dc1
      dry_run: false
  register: sync

- name: What it said
  ansible.builtin.debug:
    msg: "{{ sync.logs | map(attribute='message') | list }}"

- name: Queue an export and go on
  statecraft.infra.nautobot_job:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    job: Export Object List
    data:
      content_type: 3
    wait: false
"""

RETURN = r"""
job:
  description: The Job that was run (or would be, in check mode).
  returned: always
  type: dict
  sample:
    id: 0b7c4e1e-0000-4000-8000-000000000001
    name: Sync racks
    module_name: my_jobs
    job_class_name: SyncRacks
    grouping: Planning
status:
  description:
    - The job result's status (C(PENDING), C(STARTED), C(SUCCESS), C(FAILURE), ...); null in
      check mode, or when the run was scheduled rather than started.
  returned: always
  type: str
  sample: SUCCESS
job_result:
  description:
    - The job result as Nautobot has it when the task ends; its C(result) is what the Job
      returned. Empty in check mode.
  returned: always
  type: dict
  sample:
    id: 5d1d2a56-0000-4000-8000-000000000002
    name: Sync racks
    status:
      value: SUCCESS
      label: SUCCESS
    result:
      racks: 12
    date_created: "2026-12-05T08:00:00Z"
    date_done: "2026-12-05T08:00:04Z"
logs:
  description: The job result's log lines, oldest first (once the Job has finished).
  returned: always
  type: list
  elements: dict
  sample:
    - created: "2026-12-05T08:00:01Z"
      log_level: info
      grouping: run
      message: 12 racks in the sheet
      log_object: ""
scheduled_job:
  description: The scheduled job Nautobot made instead of running the Job at once (an approval is needed).
  returned: when Nautobot did not start the Job
  type: dict
"""

from ansible_collections.statecraft.infra.plugins.module_utils._engine import wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_job import job_task

OPTIONS = dict(
    job=dict(type="str", required=True),
    data=dict(type="dict"),
    **wait_options()
)


def main():
    run_task(NAUTOBOT, OPTIONS, job_task)


if __name__ == "__main__":
    main()
