# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.statecraft.infra.plugins.plugin_utils._doc import with_defaults


class ModuleDocFragment(object):
    # Connection options shared by every Airbyte module (group/statecraft.infra.airbyte)
    DOCUMENTATION = r"""
options:
  url:
    aliases: [server_url]
    description:
      - Base URL of Airbyte's public API, with its version, for example
        V(http://airbyte.example.com:8000/api/public/v1) for a self-managed Airbyte.
      - If not set, the environment variable E(AIRBYTE_URL) is used, then E(AIRBYTE_SERVER_URL), and then Airbyte
        Cloud, V(https://api.airbyte.com/v1).
    type: str
  client_id:
    description:
      - Client id of an Airbyte application (OAuth2 client credentials).
      - Give O(client_id) and O(client_secret), or O(token), or O(username) and
        O(password); exactly one of the three ways, checked before any request.
      - If not set, the environment variable E(AIRBYTE_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - Client secret of the application. It is traded for an access token once per task, at
        the first request, and again shortly before the token expires or when Airbyte
        refuses it (HTTP 401).
      - If not set, the environment variable E(AIRBYTE_CLIENT_SECRET) is used.
    type: str
  token_url:
    description:
      - Where client credentials are traded for a token.
      - If not set, the environment variable E(AIRBYTE_TOKEN_URL) is used, and then
        O(url) followed by V(/applications/token).
    type: str
  token:
    aliases: [bearer_token]
    description:
      - An access token obtained beforehand, used as is.
      - If not set, the environment variable E(AIRBYTE_BEARER_TOKEN) is used.
    type: str
  username:
    description:
      - User name for HTTP Basic authentication (older self-managed Airbyte).
      - If not set, the environment variable E(AIRBYTE_USERNAME) is used.
    type: str
  password:
    description:
      - Password for HTTP Basic authentication.
      - If not set, the environment variable E(AIRBYTE_PASSWORD) is used.
    type: str
  timeout:
    description:
      - Seconds to wait for Airbyte to answer one request.
      - If not set, the environment variable E(AIRBYTE_TIMEOUT) is used, and then V(60).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(AIRBYTE_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(AIRBYTE_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - Writes (POST) are retried only after an HTTP 429 (the request was not processed) or
        when the connection was never established. A create that got no answer is settled
        by reading again.
      - If not set, the environment variable E(AIRBYTE_RETRIES) is used, and then V(3).
    type: int
requirements:
  - requests (on the host that runs the module)
notes:
  - "Set the connection once per play with C(module_defaults) and the group
    C(group/statecraft.infra.airbyte)."
  - Credentials are sent only to the configured host, never to another host on a redirect.
  - Airbyte does not keep names unique; a name that matches several objects fails the task
    with the matches listed, so that none is changed by mistake.
"""

    # An object found by its name within a workspace
    IN_WORKSPACE = r"""
options:
  workspace:
    description:
      - The workspace, by name or id.
    type: raw
    required: true
  name:
    description:
      - Name within the workspace.
    type: str
    required: true
"""

    # A custom connector (docker image) of a workspace
    DEFINITION = r"""
options:
  docker_repository:
    description:
      - The image's repository, for example V(example/source-inventory). Required to create.
    type: str
  docker_image_tag:
    description:
      - The image's tag, for example V(1.2.0). Required to create; changing it upgrades the
        connector of everything that uses it.
    type: str
  documentation_url:
    description:
      - Where the connector is documented. Set when the definition is created only (Airbyte
        cannot change it).
    type: str
  recreate:
    description:
      - Allow deleting and recreating the definition when O(docker_repository) differs.
        What uses the old definition stops working.
    type: bool
    default: false
"""

    CONNECTOR = r"""
options:
  connector:
    description:
      - The connector, by its definition id or by its name (for example V(postgres) or
        V(airbyte/source-postgres) for a source), looked up among the workspace's
        definitions before anything is written.
      - Required to create. Airbyte cannot change the connector of an existing one; see
        O(recreate).
    type: raw
    aliases: [definition_id]
  configuration:
    description:
      - The connector's configuration, as the connector's specification names it.
      - Compared key by key, at every depth, over the keys given; other keys are left as they
        are. An update sends only the keys that differ (Airbyte merges them in).
      - Values Airbyte masks on read (its secrets) cannot be compared; a secret given here
        is treated as in O(secrets). Prefer O(secrets) for them, so Ansible hides them.
    type: dict
  secrets:
    description:
      - Secret parts of the configuration (passwords, keys), merged into it when sent.
      - Airbyte never shows them again, so they are write-only. They are sent when the
        object is created and, with O(update_secrets=always), with every update; they never
        cause a change on their own.
    type: dict
  update_secrets:
    description:
      - V(on_create) sends O(secrets) only when creating.
      - V(always) also sends them with every update (when anything else changed).
    type: str
    choices: [always, on_create]
    default: on_create
  recreate:
    description:
      - Allow a change of O(connector), which Airbyte can only make by deleting the object
        and creating it anew. Deleting a source or destination also deletes its connections.
    type: bool
    default: false
  resource_allocation:
    description:
      - CPU, memory and ephemeral storage for the jobs Airbyte runs for it (a self-managed
        Airbyte; Airbyte Cloud refuses it), as Airbyte's C(resourceAllocation).
      - C(default) applies to every job; C(job_specific) is a list of C(job_type) (V(sync),
        V(check_connection), V(discover_schema), V(get_spec), V(reset_connection),
        V(connection_updater), V(replicate)) with its C(resource_requirements), which win over
        the default. Requirements are C(cpu_request), C(cpu_limit), C(memory_request),
        C(memory_limit), C(ephemeral_storage_request) and C(ephemeral_storage_limit), as
        Kubernetes quantities (V(0.5), V(2Gi)). The API's camelCase names work too.
      - Compared as a whole (the order of C(job_specific) does not matter) and replaced as a
        whole, as Airbyte does. Checked before any request.
    type: dict
    version_added: 0.2.0
"""


ModuleDocFragment.DOCUMENTATION = with_defaults(ModuleDocFragment.DOCUMENTATION, {
    "url": "https://api.airbyte.com/v1", "timeout": 60.0, "validate_certs": True, "retries": 3})
