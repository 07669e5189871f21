#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_tag
short_description: Manage a tag in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a tag (C(extras/tags)).
  - The tag is found by its natural key, O(name), which is unique in Nautobot.
  - O(content_types) is required to create a tag; it lists the object types the tag may be
    applied to, for example V(dcim.device).
  - Nautobot refuses to remove a content type from a tag while objects of that type carry
    the tag.
author:
  - statecraft.infra team (@statecraft)
options:
  color:
    description:
      - Color shown for the tag, as six lowercase hexadecimal digits without C(#), for
        example V(aa1409).
      - Quote a color made only of digits, such as C("000000"), so YAML keeps it a string.
      - A new tag is grey (V(9e9e9e)) unless set.
    type: str
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.nautobot.content_types
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: A tag for production devices and locations
  statecraft.infra.nautobot_tag:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: production
    color: aa1409
    description: In production
    content_types: [dcim.device, dcim.location]

- name: Allow it on exactly devices, locations and device types
  statecraft.infra.nautobot_tag:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: production
    content_types: [dcim.device, dcim.location, dcim.devicetype]
    purge_content_types: true

- name: Delete it
  statecraft.infra.nautobot_tag:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: production
    state: absent
"""

RETURN = r"""
tag:
  description:
    - The tag as Nautobot has it after the task. In check mode, the predicted tag; a tag to
      be created has C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000008
    name: production
    color: aa1409
    content_types: [dcim.device, dcim.location]
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import TAG


def main():
    run_module(TAG)


if __name__ == "__main__":
    main()
