#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_contact
short_description: Manage a contact in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a contact (C(extras/contacts)), a person or other point of
    contact that objects are assigned to (see
    M(statecraft.infra.nautobot_contact_association)).
  - "The contact is found by its natural key: Nautobot keeps O(name), O(phone) and O(email)
    unique together, so the same name may be used with another phone or e-mail. O(name)
    finds it; O(phone) and O(email), when given, narrow the match (a task that matches
    several contacts fails and lists them)."
  - Because O(phone) and O(email) identify the contact, a task that gives a new phone or
    e-mail with O(name) alone looks for another contact (and creates it). To change the
    phone, e-mail or name of an existing contact, find it by O(id).
  - "Teams and tags are given by name, by id, or as a dict of identifying fields
    (such as V({name: NOC, email: noc@example.com}) where names repeat)."
author:
  - statecraft.infra team (@statecraft)
options:
  teams:
    description:
      - Teams the contact is a member of.
      - Compared as a set. With O(purge_teams=false), teams the contact has and
        the list does not name are kept; V([]) removes them all.
    type: list
    elements: raw
  purge_teams:
    description:
      - Make the teams exactly O(teams), removing the others.
      - Has no effect when O(teams) is not set.
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
- name: The on-call engineer, in the NOC team
  statecraft.infra.nautobot_contact:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Alice Example
    email: alice@example.com
    phone: "+1 555 0100"
    teams: [NOC]
    tags: [on-call]

- name: Change her phone number (phone is part of the natural key, so find her by id)
  statecraft.infra.nautobot_contact:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    id: "{{ alice.contact.id }}"
    name: Alice Example
    phone: "+1 555 0199"

- name: Delete her
  statecraft.infra.nautobot_contact:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Alice Example
    email: alice@example.com
    state: absent
"""

RETURN = r"""
contact:
  description:
    - The contact as Nautobot has it after the task (at C(depth=1), with its
      teams). In check mode, the predicted contact; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-00000000000f
    name: Alice Example
    email: alice@example.com
    phone: "+1 555 0100"
    teams: [{name: NOC}]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import CONTACT


def main():
    run_module(CONTACT)


if __name__ == "__main__":
    main()
