#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_info
short_description: Read objects of any Nautobot endpoint
version_added: 0.1.0
description:
  - Reads the objects of any Nautobot REST endpoint (core or an app's) that O(filters)
    select, following every page to the last; or one object by O(id).
  - With O(exactly_one), the filters must select exactly one object, returned as RV(object).
author:
  - statecraft.infra team (@statecraft)
options:
  endpoint:
    description:
      - The endpoint's path below C(/api/), for example V(dcim/devices) or V(plugins/my-app/widgets).
    type: str
    required: true
  id:
    description:
      - Read this object only. RV(objects) is empty when it does not exist (an error with
        O(exactly_one)).
    type: str
  filters:
    description:
      - "Nautobot's list filters, for example V({location: dc1, status: [Active, Planned]});
        a list value matches any of its items, and lookups such as V(name__isw) work as in
        the API."
      - A filter Nautobot does not know fails the task (Nautobot filters strictly).
    type: dict
    default: {}
  exactly_one:
    description:
      - Fail unless exactly one object matches, and return it as RV(object).
    type: bool
    default: false
  depth:
    description:
      - How deep related objects are expanded (C(depth) in the API); V(0) gives them as ids
        and URLs, V(1) with their fields.
    type: int
    default: 1
  page_size:
    description:
      - Objects per request; every page is read. At most V(1000), Nautobot's default
        C(MAX_PAGE_SIZE) (a server may set a lower one).
    type: int
    default: 1000
extends_documentation_fragment:
  - statecraft.infra.info
  - statecraft.infra.nautobot
"""

EXAMPLES = r"""
- name: Every active device of a location
  statecraft.infra.nautobot_info:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    endpoint: dcim/devices
    filters: {location: dc1, status: Active}
  register: devices

- name: The one circuit of a provider with this ID
  statecraft.infra.nautobot_info:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    endpoint: circuits/circuits
    filters: {cid: C-1001, provider: Acme Transit}
    exactly_one: true
  register: circuit
"""

RETURN = r"""
objects:
  description: The objects found, in Nautobot's order, every page read.
  returned: always
  type: list
  elements: dict
  sample: [{id: 7f3c2e3a-0000-4000-8000-000000000004, name: leaf1, location: {name: dc1}}]
object:
  description: The object, when O(id) or O(exactly_one) is given (empty when O(id) finds none).
  returned: when O(id) or O(exactly_one) is given
  type: dict
  sample: {id: 7f3c2e3a-0000-4000-8000-000000000004, cid: C-1001}
endpoint:
  description: The endpoint read, as the task named it without slashes.
  returned: always
  type: str
  sample: dcim/devices
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_object import info, info_options


def main():
    run_info(NAUTOBOT, info_options(), info)


if __name__ == "__main__":
    main()
