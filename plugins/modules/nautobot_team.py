#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_team
short_description: Manage a team in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a team (C(extras/teams)), a group of contacts that objects
    can be assigned to in place of one contact (see
    M(statecraft.infra.nautobot_contact_association)).
  - "The team is found by its natural key: Nautobot keeps O(name), O(phone) and O(email)
    unique together, so the same name may be used with another phone or e-mail. O(name)
    finds it; O(phone) and O(email), when given, narrow the match (a task that matches
    several teams fails and lists them)."
  - Because O(phone) and O(email) identify the team, a task that gives a new phone or
    e-mail with O(name) alone looks for another team (and creates it). To change the
    phone, e-mail or name of an existing team, find it by O(id).
  - "Contacts and tags are given by name, by id, or as a dict of identifying fields
    (such as V({name: Alice Example, email: alice@example.com}) where names repeat)."
author:
  - statecraft.infra team (@statecraft)
options:
  contacts:
    description:
      - Contacts that are members of the team.
      - Compared as a set. With O(purge_contacts=false), contacts the team has and
        the list does not name are kept; V([]) removes them all.
    type: list
    elements: raw
  purge_contacts:
    description:
      - Make the contacts exactly O(contacts), removing the others.
      - Has no effect when O(contacts) is not set.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_contact
  - statecraft.infra.nautobot_comments
  - statecraft.infra.nautobot.tags
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: The NOC, with exactly these members
  statecraft.infra.nautobot_team:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: NOC
    email: noc@example.com
    contacts:
      - Alice Example
      - {name: Bob Example, email: bob@example.com}
    purge_contacts: true

- name: Delete it
  statecraft.infra.nautobot_team:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: NOC
    email: noc@example.com
    state: absent
"""

RETURN = r"""
team:
  description:
    - The team as Nautobot has it after the task (at C(depth=1), with its
      contacts). In check mode, the predicted team; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000010
    name: NOC
    email: noc@example.com
    contacts: [{name: Alice Example}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import TEAM


def main():
    run_module(TEAM)


if __name__ == "__main__":
    main()
