# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nautobot
short_description: Read objects from Nautobot, by REST endpoint or GraphQL query
version_added: 0.1.0
description:
  - Each term is a REST endpoint below C(/api/), such as V(dcim/devices) or
    V(plugins/my-app/widgets); the lookup returns the objects O(filters) select from each,
    every page read, one list across the terms.
  - With O(graphql) (and no terms), it sends that query with O(graphql_variables) to
    C(POST /api/graphql/) and returns its C(data), nested as the query asks.
  - The connection options and their environment variables are the modules' (the
    C(group/statecraft.infra.nautobot) ones); requests go through the collection's one HTTP
    client (retries, timeout, TLS options, redirects). No error shows the token.
author:
  - statecraft.infra team (@statecraft)
options:
  _terms:
    description: Endpoints to read.
    type: list
    elements: str
  filters:
    description:
      - "Nautobot's list filters for every term, for example V({location: dc1, status: [Active, Planned]})."
    type: dict
    default: {}
  depth:
    description: How deep related objects are expanded (V(0) ids and URLs, V(1) with their fields).
    type: int
    default: 1
  page_size:
    description: Objects per request (at most V(1000)); every page is read.
    type: int
    default: 1000
  graphql:
    description:
      - A GraphQL query; the lookup then returns one item, the query's C(data). Give no terms with it.
    type: str
  graphql_variables:
    description: Variables of the O(graphql) query.
    type: dict
    default: {}
  url:
    description:
      - Base URL of the Nautobot server; V(/api) is appended when missing.
    type: str
    env:
      - name: NAUTOBOT_URL
  token:
    description:
      - API token of a Nautobot user (read permission is enough).
    type: str
    env:
      - name: NAUTOBOT_TOKEN
  api_version:
    description: REST API version to pin (default V(2.4), which Nautobot 2.4 and 3.x both accept).
    type: str
    env:
      - name: NAUTOBOT_API_VERSION
  timeout:
    description: Seconds to wait for one answer (default V(30)).
    type: float
    env:
      - name: NAUTOBOT_TIMEOUT
  validate_certs:
    description: Whether to verify the server's TLS certificate (default V(true)).
    type: bool
    env:
      - name: NAUTOBOT_VALIDATE_CERTS
  ca_path:
    description: A CA bundle file (PEM) to verify the server's certificate with.
    type: path
    env:
      - name: NAUTOBOT_CA_PATH
  retries:
    description: Retries after a connection error or HTTP 429, 502, 503, 504 (default V(3)).
    type: int
    env:
      - name: NAUTOBOT_RETRIES
requirements:
  - requests (on the controller)
"""

EXAMPLES = r"""
- name: Every active device of a location
  ansible.builtin.debug:
    msg: "{{ query('statecraft.infra.nautobot', 'dcim/devices', filters={'location': 'dc1', 'status': 'Active'}) }}"

- name: Devices with the name of their location, in one GraphQL query
  ansible.builtin.debug:
    msg: >-
      {{ lookup('statecraft.infra.nautobot',
                graphql='query ($role: [String]) { devices(role: $role) { name location { name } } }',
                graphql_variables={'role': ['leaf']}) }}
"""

RETURN = r"""
_list:
  description:
    - "The objects of every term (at O(depth)), in Nautobot's order; or, with O(graphql), one
      item: the query's C(data)."
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.statecraft.infra.plugins.module_utils._connection import required_message
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import REQUESTS_IMPORT_ERROR, ApiError, scrub
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter, connection_argspec
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_object import graphql, read_objects


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if REQUESTS_IMPORT_ERROR is not None:
            raise AnsibleLookupError("the nautobot lookup needs the Python library requests on the controller")
        params = dict((name, self.get_option(name)) for name in connection_argspec())
        secrets = [params.get("token")]
        for option, variable in NautobotAdapter.required_options:
            if not params.get(option):
                raise AnsibleLookupError(required_message(option, variable))
        query = self.get_option("graphql")
        if query and terms:
            raise AnsibleLookupError("graphql: give either a GraphQL query or endpoints as terms, not both")
        if not query and not terms:
            raise AnsibleLookupError("give endpoints as terms (such as dcim/devices) or a graphql query")
        adapter = None
        try:
            NautobotAdapter.check_connection(params)
            adapter = NautobotAdapter.from_params(params)
            if query:
                return [graphql(adapter, query, self.get_option("graphql_variables"))]
            objects = []
            for term in terms:
                objects.extend(read_objects(adapter, term, self.get_option("filters"), self.get_option("depth"),
                                            self.get_option("page_size")))
            return objects
        except (ValueError, ModuleError, ApiError) as exc:
            if adapter is not None:
                secrets += adapter.client.secrets()
            raise AnsibleLookupError(scrub(str(exc), [s for s in secrets if s]))
