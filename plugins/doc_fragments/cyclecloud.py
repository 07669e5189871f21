# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.statecraft.infra.plugins.plugin_utils._doc import with_defaults


class ModuleDocFragment(object):
    # The connection options alone, for the cyclecloud inventory plugin (to which module_defaults does not apply)
    PLUGIN = r"""
options:
  url:
    description:
      - Root URL of the CycleCloud server (its web UI), for example
        V(https://cyclecloud.example.com) or V(https://host/prefix); the REST paths hang off it.
      - If not set, the environment variable E(CYCLECLOUD_URL) is used.
      - When none of O(url), O(username) and O(password) is set (here or in the environment),
        all three come from the CycleCloud CLI's config file, see O(config_file).
    type: str
  username:
    description:
      - CycleCloud user name (HTTP Basic authentication).
      - If not set, the environment variable E(CYCLECLOUD_USERNAME) is used.
    type: str
  password:
    description:
      - The user's password.
      - If not set, the environment variable E(CYCLECLOUD_PASSWORD) is used.
    type: str
  config_file:
    description:
      - The CycleCloud CLI's config file, read when O(url), O(username) and O(password) are all
        unset. Its C([cycleserver]) section (written by C(cyclecloud initialize)), overridden key
        by key by an optional C([cyclecloud]) section, gives C(url), C(username) and C(password),
        or the CLI's encoded C(key) instead of the password; C(verify_certificates) (or
        C(verify)) and C(timeout) are used when O(validate_certs) and O(timeout) are unset.
      - The file is read on the host that runs the module.
      - If not set, the environment variable E(CYCLECLOUD_CONFIG_FILE) is used, and then
        V(~/.cycle/config.ini).
    type: path
  timeout:
    description:
      - Seconds to wait for CycleCloud to answer one request (connect and read).
      - If not set, the environment variable E(CYCLECLOUD_TIMEOUT) is used, then the config
        file's C(timeout), and then V(60) (the vendor client's default).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(CYCLECLOUD_VALIDATE_CERTS) is used, then the
        config file's C(verify_certificates), and then V(true).
    type: bool
    aliases: [verify_certificates]
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(CYCLECLOUD_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - Actions (POST) are retried only after an HTTP 429 (the request was not processed) or
        when the connection was never established; each
        carries a one-time C(requestId), so CycleCloud would refuse a second copy anyway.
      - If not set, the environment variable E(CYCLECLOUD_RETRIES) is used, and then V(3).
    type: int
"""

    # What the modules' documentation adds to the connection options: where requests runs, module_defaults
    MODULES = r"""
requirements:
  - requests (on the host that runs the module)
notes:
  - "Set the connection once per play with C(module_defaults) and the group
    C(group/statecraft.infra.cyclecloud)."
  - Credentials are sent only to the configured host, never to another host on a redirect.
"""

    WAIT = r"""
options:
  wait:
    description:
      - Wait until the nodes reach the state asked for; a node that ends C(Failed) fails the
        task with its status message.
      - Check mode never waits.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing with the nodes still not there and their status.
      - Acquiring a virtual machine can take long when Azure is short of capacity.
    type: int
    default: 1800
  wait_sleep:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 5
"""


# Connection options and notes shared by every Azure CycleCloud module (group/statecraft.infra.cyclecloud). Composed
# here, not in the class body: ansible-test's yamllint reads only string constants there.
ModuleDocFragment.DOCUMENTATION = with_defaults(ModuleDocFragment.PLUGIN, {"retries": 3}) + ModuleDocFragment.MODULES
