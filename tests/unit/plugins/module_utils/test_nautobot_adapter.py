# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Nautobot adapter's reads carry what a resource declares (``read_params``)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT, NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, RefSet, Resource


class RecordingClient(object):
    """Answers every request with one object and records (method, path, params)."""

    def __init__(self):
        self.requests = []

    def request(self, method, path, params=None, json_body=None, **kwargs):
        self.requests.append((method, path, dict(params or {})))
        return {"id": "a1", "name": "x"}

    def iter_next_links(self, path, params=None):
        self.requests.append(("GET", path, dict(params or {})))
        return iter([{"id": "a1", "name": "x"}])


def resource(**kwargs):
    return Resource(name="team", path="extras/teams", platform=NAUTOBOT, identity=("name",),
                    fields=dict(name=Field(required=True), contacts=RefSet("extras/contacts")), **kwargs)


def test_every_read_carries_the_declared_query():
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    team = resource(read_params={"exclude_m2m": "false"})
    adapter.find(team, {"name": "x"})
    adapter.get(team, "a1")
    adapter.create(team, {"name": "x"})
    adapter.update(team, {"id": "a1"}, {"name": "y"})
    reads = [params for method, _path, params in client.requests if method == "GET"]
    assert len(reads) == 4
    assert all(params["exclude_m2m"] == "false" and params["depth"] == 1 for params in reads)
    assert reads[0]["name"] == "x"


def test_reads_carry_nothing_more_by_default():
    client = RecordingClient()
    adapter = NautobotAdapter(client)
    team = resource()
    adapter.find(team, {"name": "x"})
    adapter.get(team, "a1")
    assert all("exclude_m2m" not in params for _method, _path, params in client.requests)


def test_bulk_refuses_kinds_found_their_own_way():
    from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
    from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_bulk import bulk_task, own_ways
    from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_kinds import RESOURCES

    assert own_ways(RESOURCES["tag"]) == ""
    assert own_ways(RESOURCES["custom_field"]) == "found"
    assert own_ways(RESOURCES["ip_address"]) == ""  # written its own way, one object at a time
    client = RecordingClient()
    with pytest.raises(ModuleError, match="nautobot_contact_association with a loop"):
        bulk_task(NautobotAdapter(client), dict(kind="contact_association", objects=[{}], defaults={},
                                                state="present", batch_size=10), False, False)
    assert client.requests == []


def test_bulk_reads_carry_the_declared_query():
    from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_bulk import read_into

    class Item(object):
        params = {"name": "x"}
        adapter = type("Planned", (), {})()

    client = RecordingClient()
    read_into(NautobotAdapter(client), resource(read_params={"exclude_m2m": "false"}), [Item()], depth=1)
    assert client.requests[0][2]["exclude_m2m"] == "false"
    assert client.requests[0][2]["name"] == ["x"]
