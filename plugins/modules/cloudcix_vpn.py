#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_vpn
short_description: Manage a site-to-site VPN of a CloudCIX project
version_added: 0.1.0
description:
  - Creates, reconfigures or deletes a site-to-site VPN of a project, found by O(project)
    and O(name). The project needs its network router first.
  - A change of O(metadata) is sent with the state C(update_running), as CloudCIX requires.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the VPN, unique by convention within the project.
    type: str
    required: true
  type:
    description:
      - The kind of VPN; CloudCIX offers V(site-to-site). Used when the VPN is created.
    type: str
    choices: [site-to-site]
  metadata:
    description:
      - The VPN's settings as CloudCIX names them (C(ike_*), C(ipsec_*), C(child_sas) with
        the local and remote networks). Needed to create the VPN.
      - Compared on the keys given (lists item by item); a change sends the dict whole, which
        replaces the settings CloudCIX has.
    type: dict
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.compute
  - statecraft.infra.resource.wait_limits
  - statecraft.infra.resource
notes:
  - "Values under keys that look like secrets (C(ike_pre_shared_key)) are treated as
    C(no_log) values: masked in C(--diff), in the returned RV(vpn), in the task's
    C(invocation) and in messages."
"""

EXAMPLES = r"""
- name: A tunnel to the office
  statecraft.infra.cloudcix_vpn:
    project: web
    name: office
    metadata:
      ike_version: v2
      ike_public_ip: 198.51.100.7
      ike_pre_shared_key: "{{ vpn_psk }}"
      child_sas: [{local_ts: 10.0.1.0/24, remote_ts: 192.168.10.0/24}]
"""

RETURN = r"""
vpn:
  description: The VPN as CloudCIX returns it; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 2, name: office, project_id: 12, type: site-to-site, state: running,
           metadata: {ike_version: v2, child_sas: [{local_ts: 10.0.1.0/24, remote_ts: 192.168.10.0/24}]}}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import vpn_resource
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = vpn_resource()


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
