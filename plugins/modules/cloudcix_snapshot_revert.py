#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_snapshot_revert
short_description: Revert a CloudCIX compute instance to one of its snapshots
version_added: 0.2.0
description:
  - Reverts the instance of a snapshot to it, by asking CloudCIX for the snapshot's state
    C(update_running); CloudCIX's robot then reverts the instance in the background. With
    O(wait) the task ends when the snapshot is C(running) again (the revert is over).
  - The snapshot is found as M(statecraft.infra.cloudcix_snapshot) finds it, by O(project)
    and O(name), and by O(instance) when given. It must be taken (C(running)) and its
    instance running; otherwise the task fails before any change. A snapshot still being
    taken is waited for first.
  - "Changed or not: CloudCIX keeps no record of whether an instance still is as a revert
    left it (it may have changed a minute later), so a revert is an action, not a state:
    each run reverts again and reports C(changed). The one exception is a revert to this
    snapshot already under way (the snapshot is C(update_running)): the task waits for it
    and asks for nothing, C(changed=false). Guard the task with C(when) where it must not
    repeat."
  - Check mode reports the same decision and changes nothing; C(--diff) shows the
    snapshot's state before and the state the task asks for.
author:
  - statecraft.infra team (@statecraft)
options:
  project:
    description:
      - The project of the snapshot, by name or by id.
    type: raw
    required: true
  name:
    description:
      - Name of the snapshot to revert to.
    type: str
    required: true
  instance:
    description:
      - The instance the snapshot is of, by name or id; needed when snapshots of several
        instances of the project have this name.
    type: raw
  wait:
    description:
      - Wait for a snapshot being taken before the revert, and for the revert to be over
        after it. An instance or snapshot that becomes C(unresourced) fails the task.
      - With V(false), a snapshot being taken fails the task instead, and the task ends once
        CloudCIX has the request. Check mode never waits.
    type: bool
    default: true
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.resource.wait_limits
attributes:
  check_mode:
    support: full
    description: Reports the same C(changed) as a real run (a revert, or one under way) and sends nothing.
  diff_mode:
    support: full
    description: Shows the snapshot's state before and the state the task asks CloudCIX for.
"""

EXAMPLES = r"""
- name: Undo a failed upgrade
  statecraft.infra.cloudcix_snapshot_revert:
    project: web
    instance: web1
    name: before-upgrade
  when: upgrade is failed
"""

RETURN = r"""
snapshot:
  description: The snapshot as CloudCIX returns it, after the revert (with O(wait)) or as
    CloudCIX took the request.
  returned: always
  type: dict
  sample: {id: 9, name: before-upgrade, project_id: 12, instance_id: 21, type: lxd, state: running,
           instance: {id: 21, name: web1, state: running}}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import CLOUDCIX
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_tasks import (
    revert_options,
    revert_to_snapshot,
)
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task


def main():
    run_task(CLOUDCIX, revert_options(), revert_to_snapshot)


if __name__ == "__main__":
    main()
