# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.statecraft.infra.plugins.plugin_utils._doc import with_defaults


class ModuleDocFragment(object):
    # The connection options alone: the modules' DOCUMENTATION below, and the air inventory
    # plugin (statecraft.infra.air.plugin), to which module_defaults does not apply
    PLUGIN = r"""
options:
  url:
    aliases: [api_url]
    description:
      - Base URL of the Air API, as the vendor SDK takes it.
      - A trailing V(/) is added, then V(api/) unless the URL already ends with it, so
        V(https://air.nvidia.com) and V(https://air.nvidia.com/api/) both work.
        Do not include the version (V(.../api/v1) would become V(.../api/v1/api/)).
      - If not set, the environment variable E(AIR_URL) is used, then E(AIR_API_URL), and then
        V(https://air.nvidia.com/api/).
      - With O(api_version=v3), the default V(https://air.nvidia.com) stands for DSX Air's own
        host, V(https://api.air-ngc.nvidia.com) (the vendor's v3 SDK's default); the URL given
        otherwise is taken as on V(v1) (the paths then start with V(api/v3/)).
    type: str
  api_version:
    description:
      - API version. V(v1) (also given as V(1)) is Air's API at V(air.nvidia.com); the modules
        use the v2 endpoints the vendor's v1 SDK uses itself where v1 has none.
      - V(v3) (also V(3)) is DSX Air's API, as the vendor's C(nv-air-sdk) uses it, with an NGC
        API key (O(token), or O(password)) and no login. It serves
        M(statecraft.infra.air_simulation), M(statecraft.infra.air_service),
        M(statecraft.infra.air_ssh_key), M(statecraft.infra.air_user_config),
        M(statecraft.infra.air_node_cloud_init), M(statecraft.infra.air_simulation_info) and
        the inventory plugin (without its C(organizations) option). Any other Air module, and an
        option v3 has no field for (a simulation's O(ignore:organization), O(ignore:topology),
        O(ignore:sleep) or O(ignore:expires); a user config's O(ignore:organization)), fails
        before any request, naming O(api_version).
      - If not set, the environment variable E(AIR_API_VERSION) is used, and then V(v1).
    version_added: 0.2.0
    type: str
  username:
    description:
      - The account's e-mail address, or a service account name.
      - Give O(username) and O(password), or O(token); exactly one of the two ways.
      - Not used with O(api_version=v3).
      - If not set, the environment variable E(AIR_USERNAME) is used.
    type: str
  password:
    description:
      - An API token of the account (created in Air under Settings), or the password of a
        service account.
      - It is traded for a bearer token once per task, at the first request; when Air
        refuses the bearer token as expired (HTTP 403) the login is done once more.
      - With O(api_version=v3), the NGC API key instead (as the vendor's v3 SDK takes it as
        C(password)), when O(token) is not given.
      - If not set, the environment variable E(AIR_PASSWORD) is used, then E(AIR_TOKEN).
    type: str
  token:
    aliases: [bearer_token]
    description:
      - A bearer token issued beforehand, used as is (no login).
      - With O(api_version=v3), the NGC API key (V(nvapi-...)), sent as the bearer token itself, since
        DSX Air has no login exchange. This is where the key belongs; O(password) is taken
        when O(token) is not set.
      - If not set, the environment variable E(AIR_BEARER_TOKEN) is used.
    type: str
  timeout:
    description:
      - Seconds to wait for Air to answer one request.
      - If not set, the environment variable E(AIR_TIMEOUT) is used, and then V(61) (the
        vendor SDK's read timeout).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(AIR_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(AIR_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - Control actions and creates (POST) are retried only after an HTTP 429 (the request
        was not processed) or when the connection was never established. A create that got
        no answer is settled by reading again.
      - If not set, the environment variable E(AIR_RETRIES) is used, and then V(3).
    type: int
"""

    # What the modules' documentation adds to the connection options
    MODULES = r"""
requirements:
  - requests (on the host that runs the module)
notes:
  - "Set the connection once per play with C(module_defaults) and the group
    C(group/statecraft.infra.air)."
  - Credentials are sent only to the configured host and, on a redirect, to Air's own
    host names (V(air.nvidia.com), V(staging.air.nvidia.com), V(air.cumulusnetworks.com),
    V(staging.air.cumulusnetworks.com)) over HTTPS; never to any other host. With
    O(api_version=v3), only to the configured host.
"""

    # the node a node module acts on
    NODE = r"""
options:
  simulation:
    description:
      - The simulation, by title or id.
    type: raw
    required: true
  node:
    description:
      - Name of the node in the simulation.
    type: str
    required: true
"""

    WAIT = r"""
options:
  wait:
    description:
      - Wait until the object reaches the state asked for (or is gone, for V(absent)).
      - Check mode never waits.
    type: bool
    default: true
"""


# Connection options and notes shared by every NVIDIA Air module (group/statecraft.infra.air).
# Composed here, not in the class body: ansible-test's yamllint reads only string constants there.
ModuleDocFragment.DOCUMENTATION = with_defaults(ModuleDocFragment.PLUGIN, {
    "url": "https://air.nvidia.com", "api_version": "v1", "timeout": 61.0, "validate_certs": True, "retries": 3}) + ModuleDocFragment.MODULES
