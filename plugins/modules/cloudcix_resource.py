#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_resource
short_description: Manage an object of any CloudCIX service
version_added: 0.1.0
description:
  - Creates, updates or deletes one object of any service of any CloudCIX application
    (Membership, Contact, Financial, Compute, ...), the way CloudCIX's own SDK reaches them.
  - The object is found by O(pk), or by O(search) filters that must match exactly one.
  - Objects deleted or queued for deletion (and closed projects) count as absent. Given by
    O(pk), such an object fails O(state=present) rather than being created anew, unless
    O(data) asks for a state (V(restart) restores a queued Compute object).
  - Only the keys of O(data) are compared (numbers and numeric strings, and timestamps with
    or without a time zone, compare by value) and only those that differ are sent.
  - C(--diff) masks values under secret-looking keys (password, token, key, ...). The
    returned object is what CloudCIX answers, including anything it shows only once (a
    generated SSH private key); give such a task C(no_log).
author:
  - statecraft.infra team (@statecraft)
options:
  pk:
    description:
      - The object's id. With O(state=present) it must exist (an id cannot be chosen).
      - An object of another Address (CloudCIX answers HTTP 403) fails the task, with
        O(state=absent) too, since it exists; it is only not this user's to manage.
    type: raw
  search:
    description:
      - "Filters that find the object, as CloudCIX's C(search[...]) list filters, for example
        C({name: web}) or C({email__iexact: ada@example.com}); a list value goes as
        comma-separated items (for C(__in))."
      - "String fields take the operators C(in), C(icontains), C(iendswith), C(iexact) and
        C(istartswith); a plain key is an exact, case-sensitive match."
      - More than one match fails the task and lists the matches. A filter CloudCIX does not
        know fails the task (CloudCIX would skip it and match more).
      - The search values are not written; put the fields to set in O(data).
    type: dict
  data:
    description:
      - Fields of the object. Compared over the keys given; other fields are left as they are.
    type: dict
  update_method:
    description:
      - V(patch) sends only the fields that differ.
      - V(put) sends every field of O(data) (for services that need the whole object).
    type: str
    choices: [patch, put]
    default: patch
  delete_state:
    description:
      - For services that delete by a state value rather than by HTTP DELETE (V(delete) in
        Compute), O(state=absent) sends this state with PATCH.
      - Objects whose C(state) is V(delete), V(delete_queue), V(deleting) or V(deleted), and
        closed projects, count as absent.
    type: str
  state:
    description:
      - V(present) creates the object or updates the fields the task sets.
      - V(absent) deletes it (HTTP DELETE, or O(delete_state)); an object already gone is no change.
    type: str
    choices: [present, absent]
    default: present
  clear:
    description:
      - Not used by this module (set fields to null in O(data)).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.service
attributes:
  check_mode:
    support: full
    description: Check mode predicts the same C(changed) and C(diff) as a real run and writes nothing.
  diff_mode:
    support: full
    description: Shows the fields of O(data) before and after.
"""

EXAMPLES = r"""
- name: A contact, found by its e-mail address
  statecraft.infra.cloudcix_resource:
    application: contact
    service: contact
    search: {email__iexact: ada@example.com}
    data:
      first_name: Ada
      email: ada@example.com

- name: Put the contact in a group (a service with a placeholder)
  statecraft.infra.cloudcix_resource:
    application: contact
    service: group/{group_id}/contact
    path: {group_id: 1}
    search: {contact_id: 7}
    data: {contact_id: 7}

- name: A Compute object is deleted by asking for the delete state
  statecraft.infra.cloudcix_resource:
    application: compute
    service: compute/snapshots
    pk: 42
    delete_state: delete
    state: absent
"""

RETURN = r"""
resource:
  description: The object as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 7, first_name: Ada, email: ada@example.com, uri: /contact/7/}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import generic_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = generic_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
