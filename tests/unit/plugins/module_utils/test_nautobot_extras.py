# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The extras hooks' own decisions (their runs against the real Nautobot are in
tests/integration/test_nautobot_extras.py): an object type's API path, and the order of a
custom field's choice writes."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_extras import (
    sync_choices,
    collection_of,
)

ENDPOINTS = {
    "dcim": ["devices", "interfaces", "locations", "location-types", "device-redundancy-groups"],
    "ipam": ["ip-addresses", "prefixes", "vlans"],
    "virtualization": ["clusters", "interfaces", "virtual-machines"],
}


class FakeAdapter(object):
    def __init__(self):
        self.resolved = {}
        self.requests = []

    def get_or_none(self, path):
        self.requests.append(("GET", path, None))
        return dict((s, "http://x/api/%s%s/" % (path, s)) for s in ENDPOINTS.get(path.rstrip("/"), []))

    @property
    def client(self):
        return self

    def request(self, method, path, json_body=None, **kwargs):
        self.requests.append((method, path, json_body))


@pytest.mark.parametrize("object_type, path", [
    ("dcim.location", "dcim/locations"),
    ("dcim.interface", "dcim/interfaces"),
    ("dcim.deviceredundancygroup", "dcim/device-redundancy-groups"),
    ("ipam.ipaddress", "ipam/ip-addresses"),
    ("ipam.prefix", "ipam/prefixes"),
    ("virtualization.vminterface", "virtualization/interfaces"),
    ("virtualization.virtualmachine", "virtualization/virtual-machines"),
])
def test_an_object_types_collection(object_type, path):
    assert collection_of(FakeAdapter(), object_type) == path


def test_the_endpoint_list_is_read_once_per_app():
    adapter = FakeAdapter()
    collection_of(adapter, "dcim.location")
    collection_of(adapter, "dcim.device")
    assert len(adapter.requests) == 1


def test_an_unknown_type_names_the_option():
    with pytest.raises(ModuleError, match="associated_object_type: .*dcim.nosuch"):
        collection_of(FakeAdapter(), "dcim.nosuch")


def test_choices_are_added_before_and_removed_after():
    have = [dict(id="1", value="gold", weight=10), dict(id="2", value="silver", weight=100)]
    target = [dict(value="gold", weight=5), dict(value="bronze")]
    adapter = FakeAdapter()
    sync_choices(adapter, "cf", have, target, removals=False)
    assert adapter.requests == [
        ("POST", "extras/custom-field-choices/", [dict(value="bronze", custom_field="cf")]),
        ("PATCH", "extras/custom-field-choices/1/", {"weight": 5}),
    ]
    adapter = FakeAdapter()
    sync_choices(adapter, "cf", have, target, removals=True)
    assert adapter.requests == [("DELETE", "extras/custom-field-choices/", [{"id": "2"}])]
