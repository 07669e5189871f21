#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_manufacturer
short_description: Manage a manufacturer in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a manufacturer (C(dcim/manufacturers)).
  - The manufacturer is found by its natural key, O(name), which is unique in Nautobot.
  - Nautobot refuses to delete a manufacturer that device types or platforms still use.
author:
  - statecraft.infra team (@statecraft)
options: {}
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Acme makes our switches
  statecraft.infra.nautobot_manufacturer:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Acme
    description: Switch vendor

- name: Remove the description
  statecraft.infra.nautobot_manufacturer:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Acme
    clear: [description]

- name: Delete it
  statecraft.infra.nautobot_manufacturer:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: Acme
    state: absent
"""

RETURN = r"""
manufacturer:
  description:
    - The manufacturer as Nautobot has it after the task. In check mode, the predicted
      manufacturer; a manufacturer to be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000002
    name: Acme
    description: Switch vendor
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import MANUFACTURER


def main():
    run_module(MANUFACTURER)


if __name__ == "__main__":
    main()
