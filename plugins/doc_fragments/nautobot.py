# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.statecraft.infra.plugins.plugin_utils._doc import with_defaults


class ModuleDocFragment(object):
    # Connection options shared by every Nautobot module (group/statecraft.infra.nautobot)
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Nautobot server, for example V(https://nautobot.example.com).
      - V(/api) is appended when missing.
      - If not set, the environment variable E(NAUTOBOT_URL) is used; one of the two is
        required.
    type: str
  token:
    description:
      - "API token of a Nautobot user, sent as C(Authorization: Token ...)."
      - It needs write permission for the objects the task changes; read permission is
        enough in check mode.
      - If not set, the environment variable E(NAUTOBOT_TOKEN) is used; one of the two is
        required.
    type: str
  api_version:
    description:
      - REST API version to pin with the C(Accept) header, so responses keep their shape
        when the server is upgraded.
      - Nautobot 2.4 accepts V(2.0) to V(2.4); Nautobot 3.x accepts V(2.0) to V(2.4) and
        V(3.0) up to its own version.
      - If not set, the environment variable E(NAUTOBOT_API_VERSION) is used, and then V(2.4),
        which every supported server (Nautobot 2.4 and 3.x) accepts.
    type: str
  timeout:
    description:
      - Seconds to wait for the server to answer one request.
      - If not set, the environment variable E(NAUTOBOT_TIMEOUT) is used, and then V(30).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(NAUTOBOT_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(NAUTOBOT_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - A POST is retried only after an HTTP 429 (the request was not processed) or when the
        connection was never established. A create that got no answer is settled by reading
        again.
      - If not set, the environment variable E(NAUTOBOT_RETRIES) is used, and then V(3).
    type: int
requirements:
  - requests (on the host that runs the module)
notes:
  - "Set the connection once per play with C(module_defaults) and the group
    C(group/statecraft.infra.nautobot)."
  - Related objects are compared by the name or fields given, from the one read of the
    object (C(depth=1)), so a converged task costs a single request.
"""

    # The same connection options for an inventory plugin (statecraft.infra.nautobot.plugin):
    # url and token are not marked required, since the plugin reads them from the environment
    # when the file does not set them, and checks them itself
    PLUGIN = r"""
options:
  url:
    description:
      - Base URL of the Nautobot server, for example V(https://nautobot.example.com).
      - V(/api) is appended when missing.
      - If not set, the environment variable E(NAUTOBOT_URL) is used.
    type: str
  token:
    description:
      - "API token of a Nautobot user, sent as C(Authorization: Token ...)."
      - Read permission for the objects the plugin reads is enough.
      - If not set, the environment variable E(NAUTOBOT_TOKEN) is used.
    type: str
  api_version:
    description:
      - REST API version to pin with the C(Accept) header, so responses keep their shape
        when the server is upgraded.
      - Nautobot 2.4 accepts V(2.0) to V(2.4); Nautobot 3.x accepts V(2.0) to V(2.4) and
        V(3.0) up to its own version.
      - If not set, the environment variable E(NAUTOBOT_API_VERSION) is used, and then V(2.4),
        which every supported server (Nautobot 2.4 and 3.x) accepts.
    type: str
  timeout:
    description:
      - Seconds to wait for the server to answer one request.
      - If not set, the environment variable E(NAUTOBOT_TIMEOUT) is used, and then V(30).
    type: float
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(NAUTOBOT_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
      - If not set, the environment variable E(NAUTOBOT_CA_PATH) is used.
    type: path
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502,
        503 or 504, with exponential backoff and jitter, honouring C(Retry-After).
      - The plugin only reads; its GraphQL queries (sent as POST) are retried as reads are.
      - If not set, the environment variable E(NAUTOBOT_RETRIES) is used, and then V(3).
    type: int
requirements:
  - requests (on the controller)
"""

    TAGS = r"""
options:
  tags:
    description:
      - Tags of the object, each by name, by id, or as a dict of identifying fields.
      - Compared as a set. With O(purge_tags=false), tags the object has and the list does
        not name are kept.
      - V([]) removes every tag.
    type: list
    elements: raw
  purge_tags:
    description:
      - Make the tags exactly O(tags), removing the others.
      - Has no effect when O(tags) is not set.
    type: bool
    default: false
"""

    CUSTOM_FIELDS = r"""
options:
  custom_fields:
    description:
      - Custom field values by custom field key.
      - Only the keys given are compared and written; other custom fields keep their values.
      - A key set to V(null) clears that custom field.
    type: dict
"""

    CONTENT_TYPES = r"""
options:
  content_types:
    description:
      - Object types this applies to, as C(app_label.model), for example V(dcim.device).
      - Compared as a set. With O(purge_content_types=false), types not listed are kept.
    type: list
    elements: str
  purge_content_types:
    description:
      - Make the content types exactly O(content_types), removing the others.
    type: bool
    default: false
"""


ModuleDocFragment.DOCUMENTATION = with_defaults(ModuleDocFragment.DOCUMENTATION, {
    "api_version": "2.4", "timeout": 30.0, "validate_certs": True, "retries": 3})
