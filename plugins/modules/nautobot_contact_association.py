#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_contact_association
short_description: Assign a contact or a team to an object in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a contact association (C(extras/contact-associations)), a
    contact or a team assigned to an object, such as a location or a device, in a role
    (V(Support), V(Billing), and so on) and with a status.
  - "The association is found by its natural key, Nautobot's unique pairs: O(contact) or
    O(team), the object (O(associated_object_type) and O(associated_object)) and O(role).
    Changing any of them means another association; O(status) and O(custom_fields) are
    what a task changes."
  - The object is named by its type and, within that type's objects, by name, by id, or by
    a dict of identifying fields. Nautobot stores only its id, so a name is looked up first
    (see O(associated_object)); given by id, a converged task is one request.
author:
  - statecraft.infra team (@statecraft)
options:
  contact:
    description:
      - "Contact assigned, by name, by id, or as a dict such as
        V({name: Alice Example, email: alice@example.com}) where names repeat."
      - Give O(contact) or O(team), not both.
    type: raw
  team:
    description:
      - Team assigned, by name, by id, or as a dict of identifying fields.
    type: raw
  associated_object_type:
    description:
      - Type of the object, as C(app_label.model), for example V(dcim.location),
        V(dcim.device) or V(circuits.circuit).
    type: str
  associated_object:
    description:
      - "The object, among the objects of O(associated_object_type): by name, by id, or as
        a dict of filters of that type's API collection, such as
        V({name: leaf1, location: dc1}) for a device whose name repeats across locations."
      - A name or dict is looked up in the type's collection, which is found in the app's
        endpoint list (C(GET /api/<app_label>/)); each is read once per task, so a
        converged task costs three requests (one with an id). More than one match fails
        and asks for more fields or the id.
      - Check mode does not look the object up when the association is to be created, so
        a misspelled name fails only in the real run (before anything is written).
      - The result shows it as given.
    type: raw
  role:
    description:
      - Role of the contact or team for the object, by name (V(Administrative), V(Billing),
        V(On Site), V(Support), or a role made for C(extras.contactassociation)).
    type: raw
  status:
    description:
      - Status of the association, by name (Nautobot ships V(Active), V(Primary) and
        V(Secondary) for associations). A new association is V(Active) unless set.
    type: raw
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot.custom_fields
  - statecraft.infra.resource
notes:
  - O(associated_object_type), O(associated_object) and O(role) are required; O(contact)
    or O(team) is required too.
"""

EXAMPLES = r"""
- name: Alice is the support contact of dc1
  statecraft.infra.nautobot_contact_association:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    contact: Alice Example
    associated_object_type: dcim.location
    associated_object: dc1
    role: Support

- name: The NOC team is the on-site contact of a device named in two locations
  statecraft.infra.nautobot_contact_association:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    team: NOC
    associated_object_type: dcim.device
    associated_object: {name: leaf1, location: dc1}
    role: On Site
    status: Secondary

- name: Unassign her
  statecraft.infra.nautobot_contact_association:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    contact: Alice Example
    associated_object_type: dcim.location
    associated_object: dc1
    role: Support
    state: absent
"""

RETURN = r"""
contact_association:
  description:
    - The association as Nautobot has it after the task (at C(depth=1), contact or team,
      role and status with their names; the object as C(associated_object_type) and
      C(associated_object_id)), with C(associated_object) as the task gave it. In check
      mode, the predicted association; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000011
    contact: {name: Alice Example}
    team: null
    associated_object_type: dcim.location
    associated_object_id: 7f3c2e3a-0000-4000-8000-000000000012
    associated_object: dc1
    role: {name: Support}
    status: {name: Active}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import CONTACT_ASSOCIATION


def main():
    run_module(CONTACT_ASSOCIATION)


if __name__ == "__main__":
    main()
