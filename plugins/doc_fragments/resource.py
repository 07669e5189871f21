# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # What every resource module shares: state, clear, and the check/diff contract
    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates the object or updates the fields the task sets.
      - V(absent) deletes it; deleting an object that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  clear:
    description:
      - Names of options whose value is removed on the server (set to null, or to an empty
        string or list where the platform stores that).
      - An option left unset is never changed, so this is the only way to empty a field.
      - A name may not be both set and listed here; identifying options cannot be cleared.
    type: list
    elements: str
    default: []
notes:
  - Only the options a task sets are compared and written; unset options are left as they
    are on the server.
  - In check mode a related object that does not exist yet gives a warning and a
    predicted change, so a dry run of a playbook that creates the object earlier works.
attributes:
  check_mode:
    support: full
    description: Check mode predicts the same C(changed) and C(diff) as a real run and writes nothing.
  diff_mode:
    support: full
    description: Shows the managed fields before and after; on create and delete, all of the object's fields.
"""

    # How long a module that waits for the platform waits (each platform says what for)
    WAIT_LIMITS = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait before failing with the state the object is still in.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 2
"""
