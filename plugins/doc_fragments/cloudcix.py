# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.statecraft.infra.plugins.plugin_utils._doc import with_defaults


class ModuleDocFragment(object):
    # The connection options alone, for the cloudcix inventory plugin (to which module_defaults does not apply)
    PLUGIN = r"""
options:
  url:
    aliases: [api_url]
    description:
      - Base URL of the CloudCIX API. Each application is served on its own host, in front
        of this one as a sub-domain (V(https://compute.api.cloudcix.com/)), as CloudCIX's
        own SDK does.
      - A URL with the placeholder V({application}) puts the application there instead, for
        example V(http://127.0.0.1:8580/{application}/).
      - If not set, the environment variable E(CLOUDCIX_URL) is used, then E(CLOUDCIX_API_URL)
        (or E(CLOUDCIX_API_V2_URL)), and then V(https://api.cloudcix.com/).
    type: str
  api_username:
    description:
      - E-mail address of the CloudCIX user. With O(api_password) and O(api_key) it is traded
        for a token at the first request (Membership C(auth/login/)), and again when
        CloudCIX says the token expired.
      - Give these three or O(token), not both; checked before any request.
      - If not set, the environment variable E(CLOUDCIX_API_USERNAME) is used.
    type: str
  api_password:
    description:
      - The user's password.
      - If not set, the environment variable E(CLOUDCIX_API_PASSWORD) is used.
    type: str
  api_key:
    description:
      - The API key of the user's Member (shown in CloudCIX under My Membership).
      - If not set, the environment variable E(CLOUDCIX_API_KEY) is used.
    type: str
  token:
    aliases: [api_token]
    description:
      - A token obtained beforehand, sent as is in C(X-Auth-Token).
      - If not set, the environment variable E(CLOUDCIX_API_TOKEN) is used.
    type: str
  region_id:
    description:
      - The region new projects are built in (used by modules that create a project).
      - If not set, the environment variable E(CLOUDCIX_REGION_ID) is used.
    type: int
  timeout:
    description:
      - Seconds to wait for CloudCIX to answer one request.
      - If not set, the environment variable E(CLOUDCIX_TIMEOUT) is used, and then V(60).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(CLOUDCIX_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(CLOUDCIX_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - Writes (POST) are retried only after an HTTP 429 (the request was not processed) or
        when the connection was never established. A create that got no answer is settled
        by reading again.
      - If not set, the environment variable E(CLOUDCIX_RETRIES) is used, and then V(3).
    type: int
"""

    # What the modules' documentation adds to the connection options: where requests runs, module_defaults
    MODULES = r"""
requirements:
  - requests (on the host that runs the module)
notes:
  - "Set the connection once per play with C(module_defaults) and the group
    C(group/statecraft.infra.cloudcix)."
  - Credentials and tokens are sent only to the application hosts of O(url), never to
    another host on a redirect.
"""

    # What the typed Compute modules share: the project, deletion by state, the robot's waits
    COMPUTE = r"""
options:
  project:
    description:
      - The project the object belongs to, by name or by id. Part of the object's natural key.
    type: raw
    required: true
  grace_period:
    description:
      - How long CloudCIX keeps the object restorable after it is deleted, in B(days) as
        CloudCIX's Compute API reference has it (its SDK and Terraform provider, "Number of
        days"; a router's default is 7).
      - CloudCIX's own example scripts read it as hours (72), as its first-generation API did
        (default 168 hours). Until CloudCIX settles it, read back the value and the deletion
        time it gives an object.
      - The number is sent as given, never converted; unset, nothing is sent and CloudCIX's
        default applies.
    type: int
  state:
    description:
      - V(present) creates the object or updates the fields the task sets; a change of
        configuration is sent together with the state C(update_running) (or
        C(update_stopped) for a stopped instance), as CloudCIX requires.
      - V(absent) asks CloudCIX to delete it (the state C(delete)); it is then queued for
        deletion and restorable for its O(grace_period). An object already deleted or
        queued for deletion counts as absent and is left alone.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=absent), delete the object at once (HTTP DELETE, grace period 0)
        instead of queueing it; it cannot be restored.
    type: bool
    default: false
  wait:
    description:
      - Wait for CloudCIX's robot. Before a change, until the object is no longer busy
        (C(pending), C(building), C(update_running), ...), since CloudCIX refuses changes
        while it is; after a change, until the robot has carried it out (C(running)), or for
        V(absent) until the object is queued for deletion.
      - An object that becomes C(unresourced) fails the task.
      - With V(false), a change to a busy object fails instead of waiting. Check mode never
        waits.
    type: bool
    default: true
notes:
  - "Objects are found by O(project) and name among those not deleted or queued for
    deletion, so a task after an O(state=absent) creates a new object rather than
    restoring the queued one."
"""

    # Where the generic modules (cloudcix_resource, cloudcix_resource_info) work
    SERVICE = r"""
options:
  application:
    description:
      - The application, for example V(membership), V(contact) or V(compute).
    type: str
    required: true
  service:
    description:
      - The service's path within the application, with its placeholders, for example
        V(contact), V(group/{group_id}/contact) or V(compute/instances).
    type: str
    required: true
  path:
    description:
      - "Values of the placeholders in O(service), for example C({group_id: 3}). A missing or
        unknown placeholder fails before any request."
    type: dict
    default: {}
"""


# Connection options and notes shared by every CloudCIX module (group/statecraft.infra.cloudcix). Composed
# here, not in the class body: ansible-test's yamllint reads only string constants there.
ModuleDocFragment.DOCUMENTATION = with_defaults(ModuleDocFragment.PLUGIN, {
    "url": "https://api.cloudcix.com/", "timeout": 60.0, "validate_certs": True, "retries": 3}) + ModuleDocFragment.MODULES
