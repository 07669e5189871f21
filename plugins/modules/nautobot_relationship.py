#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_relationship
short_description: Manage a relationship definition in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a relationship definition (C(extras/relationships)), a
    user-defined link between two object types, such as circuits to VLANs.
  - The relationship is found by its natural key, O(key), which is unique in Nautobot.
    O(label) is unique too but may be changed; changing it updates the same relationship.
  - Linking two objects through the relationship is not done here.
author:
  - statecraft.infra team (@statecraft)
options:
  key:
    description:
      - Internal name of the relationship. Letters, digits and underscores.
    type: str
    required: true
  label:
    description:
      - Name shown to users; unique. Required to create a relationship.
    type: str
  type:
    description:
      - Cardinality. Nautobot makes a new relationship V(many-to-many) unless set.
      - Symmetric relationships need the same source and destination types, labels,
        hidden flags and filters on both sides, and cannot be required.
    type: str
    choices: [one-to-one, symmetric-one-to-one, one-to-many, many-to-many, symmetric-many-to-many]
  source_type:
    description:
      - Object type on the source side, as C(app_label.model), for example V(dcim.device).
        Required to create a relationship.
      - Nautobot refuses to change it (and O(destination_type), O(type)) while objects are
        associated through the relationship.
    type: str
  destination_type:
    description:
      - Object type on the destination side, as C(app_label.model). Required to create a
        relationship.
    type: str
  source_label:
    description:
      - Label of the related destination objects, shown on the source object.
    type: str
  destination_label:
    description:
      - Label of the related source objects, shown on the destination object.
    type: str
  source_hidden:
    description:
      - Hide the relationship on the source object.
    type: bool
  destination_hidden:
    description:
      - Hide the relationship on the destination object.
    type: bool
  source_filter:
    description:
      - "Filter (filterset parameters) the source objects must match, for example
        V({status: [Active]}). Compared as a whole."
    type: dict
  destination_filter:
    description:
      - Filter the destination objects must match. Compared as a whole.
    type: dict
  required_on:
    description:
      - Side whose objects must have this relationship. Clear it (O(clear=[required_on]))
        to require neither.
    type: str
    choices: [source, destination]
  advanced_ui:
    description:
      - Show the relationship on the object's Advanced tab instead of its main one.
    type: bool
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Each device may have one backup site
  statecraft.infra.nautobot_relationship:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: device_backup_site
    label: Backup site
    type: one-to-many
    source_type: dcim.location
    destination_type: dcim.device
    source_label: Devices backed up here
    destination_label: Backup site

- name: Require it on every device
  statecraft.infra.nautobot_relationship:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: device_backup_site
    required_on: destination

- name: Delete it (and every association through it)
  statecraft.infra.nautobot_relationship:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: device_backup_site
    state: absent
"""

RETURN = r"""
relationship:
  description:
    - The relationship as Nautobot has it after the task. In check mode, the predicted
      relationship; one to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-00000000000e
    key: device_backup_site
    label: Backup site
    type: {value: one-to-many, label: One to Many}
    source_type: dcim.location
    destination_type: dcim.device
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import RELATIONSHIP


def main():
    run_module(RELATIONSHIP)


if __name__ == "__main__":
    main()
