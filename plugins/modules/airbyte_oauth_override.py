#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: airbyte_oauth_override
short_description: Set or remove the OAuth app credentials Airbyte uses for a connector
version_added: 0.1.0
description:
  - Sets (O(state=present)) or removes (O(state=absent)) the OAuth application credentials
    of a connector for a workspace or an organization, so that its sources or destinations
    authenticate through your own OAuth app instead of Airbyte's.
  - Airbyte stores these credentials write-only. Nothing in its API reads them back, so the
    module cannot see what is stored, or whether anything is. Every run sends the
    credentials again (or the removal) and reports C(changed). Drift cannot be seen; run
    the task when the credentials change (for example from a handler or with C(when)).
author:
  - statecraft.infra team (@statecraft)
options:
  workspace:
    description:
      - The workspace, by name or id. Exactly one of O(workspace) and O(organization) is needed.
    type: raw
  organization:
    description:
      - The organization, by name or id.
    type: raw
  actor_type:
    description:
      - Whether the credentials serve sources or destinations.
    type: str
    choices: [source, destination]
    default: source
  name:
    description:
      - The connector's name as Airbyte knows it, for example V(google-ads) or V(hubspot).
    type: str
    required: true
  configuration:
    description:
      - The OAuth app's credentials as the connector names them (for example C(client_id)
        and C(client_secret)). Required with O(state=present); never shown in output.
    type: dict
  state:
    description:
      - V(present) sends the credentials; V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - statecraft.infra.airbyte
attributes:
  check_mode:
    support: full
    description: Check mode reports the change a real run makes (always one) and sends nothing.
  diff_mode:
    support: partial
    description: The stored credentials are unknown; the diff shows the keys that would be sent, masked.
notes:
  - Write-only by design of Airbyte's API; see the description. The module reports C(changed)
    on every run.
"""

EXAMPLES = r"""
- name: Our own Google Ads OAuth app for the data-platform workspace
  statecraft.infra.airbyte_oauth_override:
    workspace: data-platform
    name: google-ads
    configuration:
      client_id: "{{ google_ads_client_id }}"
      client_secret: "{{ vault_google_ads_client_secret }}"
      developer_token: "{{ vault_google_ads_developer_token }}"
"""

RETURN = r"""
oauth_override:
  description: Where the credentials were set or removed (never the credentials).
  returned: always
  type: dict
  sample: {workspace_id: 9d0c61b4-2b1f-4b57-9a6f-1f7e4c6f2d10, actor_type: source, name: google-ads}
"""

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import AIRBYTE
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_tasks import oauth_override_task
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_task

OPTIONS = dict(
    workspace=dict(type="raw"),
    organization=dict(type="raw"),
    actor_type=dict(type="str", default="source", choices=["source", "destination"]),
    name=dict(type="str", required=True),
    configuration=dict(type="dict", no_log=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)


def main():
    run_task(AIRBYTE, OPTIONS, oauth_override_task, required_one_of=[("workspace", "organization")],
             mutually_exclusive=[("workspace", "organization")], required_if=[("state", "present", ["configuration"])])


if __name__ == "__main__":
    main()
