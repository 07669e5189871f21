#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_custom_field
short_description: Manage a custom field definition in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a custom field definition (C(extras/custom-fields)) and,
    for selection fields, its choices (C(extras/custom-field-choices)).
  - The field is found by its natural key, O(key), which is unique in Nautobot and cannot
    be changed once created. O(label) is only what users see, so changing it updates the
    same field.
  - Nautobot has no filter on O(key), so the field is found in one read of all custom
    field definitions (one request for up to 1000 of them).
  - Setting values of a custom field on an object is done with that object's module
    (its O(ignore:custom_fields) option).
author:
  - statecraft.infra team (@statecraft)
options:
  key:
    description:
      - Internal name of the field, used in the API and in other modules'
        C(custom_fields). Letters, digits and underscores.
    type: str
    required: true
  label:
    description:
      - Name of the field as shown to users. Required to create a field.
    type: str
  type:
    description:
      - Type of the values. Required to create a field.
      - Nautobot cannot change a field's type; a different type fails (in check mode too).
    type: str
    choices: [text, integer, boolean, date, datetime, url, select, multi-select, json, markdown]
  content_types:
    description:
      - Object types the field applies to, as C(app_label.model). Required to create a field.
      - Compared as a set. With O(purge_content_types=false), types not listed are kept.
    type: list
    elements: str
  purge_content_types:
    description:
      - Make the content types exactly O(content_types), removing the others.
    type: bool
    default: false
  grouping:
    description:
      - Heading the field is grouped under in forms.
    type: str
  description:
    description:
      - Help text of the field.
    type: str
  required:
    description:
      - Whether every object of the content types must have a value.
    type: bool
  default:
    description:
      - Default value for new objects (any JSON value of the field's type).
      - A selection field's default must be one of its choices; when both are set, the
        choices are written first.
    type: raw
  filter_logic:
    description:
      - How filters match the field's values.
    type: str
    choices: [disabled, loose, exact]
  weight:
    description:
      - Position among the custom fields (higher appears lower).
    type: int
  validation_minimum:
    description:
      - Minimum value (integer fields) or length (text and URL fields).
    type: int
  validation_maximum:
    description:
      - Maximum value (integer fields) or length (text and URL fields).
    type: int
  validation_regex:
    description:
      - Regular expression that text, URL and selection values must match.
    type: str
  advanced_ui:
    description:
      - Show the field on the object's Advanced tab instead of its main one.
    type: bool
  choices:
    description:
      - Choices of a V(select) or V(multi-select) field, each a dict with C(value) and
        optionally C(weight) (Nautobot's default is V(100); lower comes first).
      - Told apart by C(value); a choice's value cannot be renamed, so a new value is a new
        choice (and with O(purge_choices=true) the old one is removed).
      - With O(purge_choices=false), the choices are added to (and reweighed) and choices
        not listed are kept; V([]) with O(purge_choices=true) removes them all.
      - Choices are not part of the field's own read, so a task that sets O(choices) costs
        one more read (the field's choices), also when nothing changes.
      - Each kind of change to the choices is one more request (a bulk create, a PATCH per
        reweighed choice, a bulk delete). Nautobot refuses to delete a choice that objects use.
    type: list
    elements: dict
  purge_choices:
    description:
      - Make the choices exactly O(choices), deleting the others.
      - Has no effect when O(choices) is not set.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A text field on devices
  statecraft.infra.nautobot_custom_field:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: asset_owner
    label: Asset owner
    type: text
    content_types: [dcim.device]
    validation_regex: "^[a-z]+$"

- name: A selection field with exactly these choices and a default
  statecraft.infra.nautobot_custom_field:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: support_tier
    label: Support tier
    type: select
    content_types: [dcim.device, dcim.location]
    choices:
      - {value: gold, weight: 10}
      - {value: silver, weight: 20}
      - {value: bronze, weight: 30}
    purge_choices: true
    default: silver

- name: Delete the field (and every object's value of it)
  statecraft.infra.nautobot_custom_field:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    key: support_tier
    state: absent
"""

RETURN = r"""
custom_field:
  description:
    - The custom field as Nautobot has it after the task. In check mode, the predicted
      field; a field to be created has C(id=null).
    - When the task created the field or manages O(choices), its choices under
      C(custom_field_choices).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-00000000000c
    key: support_tier
    label: Support tier
    type: {value: select, label: Selection}
    content_types: [dcim.device, dcim.location]
    default: silver
    custom_field_choices:
      - {id: 7f3c2e3a-0000-4000-8000-00000000000d, value: gold, weight: 10}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import CUSTOM_FIELD


def main():
    run_module(CUSTOM_FIELD)


if __name__ == "__main__":
    main()
