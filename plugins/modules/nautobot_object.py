#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_object
short_description: Manage an object of any Nautobot endpoint, core or an app's
version_added: 0.1.0
description:
  - Creates, updates or deletes one object of any Nautobot REST endpoint, such as
    V(circuits/circuits) or an app's V(plugins/<app>/<model>), for objects no typed module
    covers.
  - "The object is found by O(identity), the fields that tell it apart (follow the model's own
    uniqueness rule, for example V({cid: C1, provider: Acme}) for a circuit), or by O(id)."
  - Only the keys of O(data) are compared, and only those that differ are sent (one PATCH).
  - What each field is (a related object and its endpoint, a list of them, a choice, plain
    data) is learned from Nautobot, not from a table in the collection. The read that finds
    the object shows it for every field that holds a value, so a converged task costs one
    request. When a write is planned and that read cannot tell (a new object, an empty
    field, a field to clear), the endpoint's C(OPTIONS) is read once per task; unknown or
    read-only keys and values outside a field's choices then fail before any write, and so
    does a create that misses a required field.
  - "Related objects (in O(identity) or O(data)) are given by name, by id, or as a dict of
    identifying fields such as V({model: Box1}). A related field the object does not show yet
    is matched to its endpoint through one existing object that has it set; when no object
    has, the value is sent as given (Nautobot resolves a name, an id or a dict itself), and
    check mode cannot look it up."
author:
  - statecraft.infra team (@statecraft)
options:
  endpoint:
    description:
      - The endpoint's path below C(/api/), for example V(circuits/circuits),
        V(dcim/power-panels) or V(plugins/my-app/widgets).
    type: str
    required: true
  identity:
    description:
      - Fields (field name to value) that find the object, the model's natural key.
      - Plain values and related names or ids are sent as list filters; dict values are
        matched on the object read. More than one match fails the task and lists them.
      - When the object is created, these fields are set too.
      - Required unless O(id) is given.
    type: dict
  id:
    description:
      - The object's id, instead of O(identity). With O(state=present) the object must exist.
      - With O(id), O(data) may change the fields that would otherwise identify the object
        (a rename).
    type: str
  data:
    description:
      - The fields to set, by their API names. Only these keys are compared and written.
      - Dict fields such as V(custom_fields) are compared and written over the keys given.
      - Lists of related objects (V(tags)) are compared as sets; members the object has
        and the list does not name are kept unless the field is listed in O(purge).
    type: dict
    default: {}
  purge:
    description:
      - List fields of O(data) (such as V(tags)) to make exactly as given, removing the others.
    type: list
    elements: str
    default: []
  clear:
    description:
      - Fields to empty on the server (set to null, or to an empty string where Nautobot
        stores blank text as that). A field may not be both in O(data) and listed here.
    type: list
    elements: str
    default: []
  state:
    description:
      - V(present) creates the object or updates the fields of O(data).
      - V(absent) deletes it; deleting an object that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - statecraft.infra.nautobot
attributes:
  check_mode:
    support: full
    description:
      - Check mode predicts the same C(changed) and C(diff) as a real run and writes nothing.
      - A related object named by a field whose endpoint Nautobot could not show (no object
        has that field set yet) is predicted as given, without a lookup.
  diff_mode:
    support: full
    description: Shows the fields of O(identity) and O(data) before and after; on create and delete, all of them.
"""

EXAMPLES = r"""
- name: A circuit, found by its ID and provider
  statecraft.infra.nautobot_object:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    endpoint: circuits/circuits
    identity:
      cid: C-1001
      provider: Acme Transit
    data:
      circuit_type: Internet
      status: Active
      commit_rate: 10000
      tags: [production]

- name: An app's object, with the connection set once for the play
  module_defaults:
    group/statecraft.infra.nautobot:
      url: https://nautobot.example.com
      token: "{{ nautobot_token }}"
  block:
    - name: A power panel in a location given by its fields
      statecraft.infra.nautobot_object:
        endpoint: dcim/power-panels
        identity:
          name: PP-1
          location: {name: Room 1, parent: dc1}

    - name: Rename an object found by id
      statecraft.infra.nautobot_object:
        endpoint: plugins/my-app/widgets
        id: 7f3c2e3a-0000-4000-8000-000000000004
        data:
          name: widget-2

    - name: Remove the circuit's description and commit rate
      statecraft.infra.nautobot_object:
        endpoint: circuits/circuits
        identity: {cid: C-1001, provider: Acme Transit}
        clear: [description, commit_rate]
"""

RETURN = r"""
object:
  description:
    - The object as Nautobot has it after the task (C(depth=1), related objects with their
      names). In check mode, the predicted object; an object to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000004
    cid: C-1001
    provider: {name: Acme Transit}
    status: {name: Active}
    commit_rate: 10000
endpoint:
  description: The endpoint the object belongs to, as the task named it without slashes.
  returned: always
  type: str
  sample: circuits/circuits
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_object import object_options, run_object


def main():
    run_task(NAUTOBOT, object_options(), run_object)


if __name__ == "__main__":
    main()
