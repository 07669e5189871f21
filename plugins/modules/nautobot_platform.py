#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nautobot_platform
short_description: Manage a platform in Nautobot
version_added: 0.1.0
description:
  - Creates, updates or deletes a platform (C(dcim/platforms)), the software a device runs,
    such as Cisco IOS-XR or Juniper Junos.
  - The platform is found by its natural key, O(name), which is unique in Nautobot.
author:
  - statecraft.infra team (@statecraft)
options:
  manufacturer:
    description:
      - Manufacturer the platform is limited to, by name, id, or dict of identifying fields.
    type: raw
  network_driver:
    description:
      - Normalized network driver, such as V(cisco_ios) or V(arista_eos); Nautobot derives
        library-specific driver names from it.
    type: str
  napalm_driver:
    description:
      - Name of the NAPALM driver Nautobot uses to talk to devices of this platform.
    type: str
  napalm_args:
    description:
      - Additional arguments passed when the NAPALM driver is initiated.
      - Compared and written as a whole.
    type: dict
extends_documentation_fragment:
  - statecraft.infra.nautobot
  - statecraft.infra.nautobot_name
  - statecraft.infra.nautobot_description
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Arista EOS
  statecraft.infra.nautobot_platform:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: EOS
    manufacturer: Arista
    network_driver: arista_eos
    napalm_driver: eos
    napalm_args:
      transport: https
      port: 443

- name: Stop limiting it to one manufacturer and drop the NAPALM arguments
  statecraft.infra.nautobot_platform:
    url: https://nautobot.example.com
    token: "{{ nautobot_token }}"
    name: EOS
    clear: [manufacturer, napalm_args]
"""

RETURN = r"""
platform:
  description:
    - The platform as Nautobot has it after the task (at C(depth=1), related objects with
      their names). In check mode, the predicted platform; a platform to be created has
      C(id=null).
    - Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 7f3c2e3a-0000-4000-8000-000000000009
    name: EOS
    manufacturer: {name: Arista}
    network_driver: arista_eos
    napalm_driver: eos
    napalm_args: {transport: https, port: 443}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_resources import PLATFORM


def main():
    run_module(PLATFORM)


if __name__ == "__main__":
    main()
