# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A resource's ``read_params`` reach every read of it (find, get, read back after a write,
bulk reads), and only of it: Nautobot leaves many-to-many fields other than tags out of a
response unless asked with ``exclude_m2m=false``."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT, NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, RefSet, Resource


class RecordingClient(object):
    def __init__(self):
        self.requests = []

    def iter_next_links(self, path, params=None):
        self.requests.append(("GET", path, dict(params or {})))
        return iter([{"id": "1", "name": "eth0"}])

    def request(self, method, path, params=None, json_body=None, **kwargs):
        self.requests.append((method, path, dict(params or {})))
        return {"id": "1", "name": "eth0"}


def resource(**kwargs):
    return Resource(name="thing", path="things", identity=("name",), platform=NAUTOBOT,
                    fields=dict(name=Field(required=True), members=RefSet("others")), **kwargs)


def test_every_read_of_the_resource_carries_its_read_params():
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    thing = resource(read_params={"exclude_m2m": "false"})
    adapter.find(thing, {"name": "eth0"})
    adapter.get(thing, "1")
    adapter.create(thing, {"name": "eth0"})
    adapter.update(thing, {"id": "1"}, {"name": "eth1"})
    reads = [r for r in client.requests if r[0] == "GET"]
    assert len(reads) == 4
    assert all(r[2]["exclude_m2m"] == "false" and r[2]["depth"] == 1 for r in reads), reads


def test_without_read_params_reads_are_as_before_and_lookups_never_carry_them():
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    thing = resource()
    adapter.find(thing, {"name": "eth0"})
    adapter.get(thing, "1")
    adapter.resolve(thing.fields["members"], {"name": "x"})
    assert all("exclude_m2m" not in r[2] for r in client.requests), client.requests
