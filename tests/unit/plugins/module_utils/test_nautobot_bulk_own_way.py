# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nautobot_bulk on a kind that reads with its own parameters and writes its own way (IP
addresses: many-to-many fields listed only when asked, interfaces assigned through their
own endpoint); the typed module's behaviour is proven against the real Nautobot."""

from __future__ import absolute_import, division, print_function

import copy

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_bulk import bulk_task

ADDRESS = {"id": "a1", "address": "2001:db8::1/64", "dns_name": "old", "interfaces": [],
           "parent": {"id": "p1", "namespace": {"id": "n1", "name": "ns1"}}}
IF1 = "0b9c3e1a-0000-4000-8000-000000000001"


class Client(object):
    def __init__(self):
        self.sent = []

    def request(self, method, path, json_body=None, params=None, idempotent=None):
        self.sent.append((method, path, json_body))
        if method == "PATCH":
            return dict(ADDRESS, **json_body)
        if method == "GET" and path.startswith("dcim/interfaces/"):
            return {"id": IF1, "name": "eth0"}
        if method == "GET":
            return dict(ADDRESS, dns_name="new")
        return None


class Server(NautobotAdapter):
    def __init__(self):
        super(Server, self).__init__(Client())
        self.reads = []

    def list_objects(self, path, filters, depth=1, limit=100, read_params=None):
        self.reads.append((path, dict(filters), depth, dict(read_params or {})))
        if path == "ipam/ip-address-to-interface":
            return []
        return [copy.deepcopy(ADDRESS)]


def test_bulk_reads_with_the_kinds_parameters_finds_canonical_addresses_and_writes_its_own_way():
    server = Server()
    params = {"kind": "ip_address", "state": "present", "batch_size": 100, "defaults": {"namespace": "ns1"},
              "objects": [{"address": "2001:DB8::1/64", "dns_name": "new", "interfaces": [IF1]}]}
    result = bulk_task(server, params, check_mode=False, want_diff=False)
    assert result["counts"]["updated"] == 1, result
    assert server.reads[0] == ("ipam/ip-addresses", {"address": ["2001:DB8::1/64"]}, 1,
                               {"exclude_m2m": "false", "depth": 2})
    writes = [(m, p, b) for m, p, b in server.client.sent if m != "GET"]
    assert writes == [("PATCH", "ipam/ip-addresses/a1/", {"dns_name": "new"}),
                      ("POST", "ipam/ip-address-to-interface/", [{"ip_address": "a1", "interface": IF1}])]
