# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The DCIM declarations' own rules: cable ends and MAC addresses (the modules themselves are
proven against the real Nautobot in tests/integration)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils import _nautobot_dcim as dcim


class Params(object):
    def __init__(self, params):
        self.params = params


LEAF1_ID = "7f3c2e3a-0000-4000-8000-000000000001"


def port(name, device, location="dc1"):
    return {"id": name + device, "object_type": "dcim.interface", "name": name,
            "device": {"id": LEAF1_ID if device == "leaf1" else "other", "name": device, "location": {"name": location}}}


CABLE = {"id": "c1", "termination_a_type": "dcim.interface", "termination_a": port("eth1", "leaf1"),
         "termination_b_type": "dcim.interface", "termination_b": port("eth9", "spine1")}


@pytest.mark.parametrize("a, b", [
    ({"device": "leaf1", "interface": "eth1"}, {"device": "spine1", "interface": "eth9"}),
    ({"device": "spine1", "interface": "eth9"}, {"device": "leaf1", "interface": "eth1"}),
    ({"device": {"name": "spine1", "location": "dc1"}, "interface": "eth9"}, {"device": LEAF1_ID, "interface": "eth1"}),
])
def test_a_cable_end_is_read_as_the_task_gives_it_on_either_side(a, b):
    adapter = Params({"termination_a": a, "termination_b": b})
    assert dcim._read_end("termination_a")(adapter, CABLE) == a
    assert dcim._read_end("termination_b")(adapter, CABLE) == b


def test_a_cable_end_the_cable_does_not_have_is_read_as_the_cable_has_it():
    adapter = Params({"termination_a": {"device": "leaf1", "interface": "eth1"},
                      "termination_b": {"device": "spine1", "interface": "eth8"}})
    assert dcim._read_end("termination_b")(adapter, CABLE) == {"device": "spine1", "interface": "eth9"}
    other_site = Params({"termination_a": {"device": {"name": "leaf1", "location": "dc2"}, "interface": "eth1"}})
    assert dcim._read_end("termination_a")(other_site, CABLE) == {"device": "leaf1", "interface": "eth1"}


@pytest.mark.parametrize("end, problem", [
    ({"interface": "eth1"}, "give the device"),
    ({"device": "leaf1"}, "exactly one port"),
    ({"device": "leaf1", "interface": "eth1", "front_port": "f1"}, "exactly one port"),
    ({"device": "leaf1", "port": "eth1"}, "exactly one port"),
    ({"device": "leaf1", "interface": {"name": "eth1"}}, "by its name"),
    ({"device": {"location": "dc1"}, "interface": "eth1"}, "by name or id"),
])
def test_a_malformed_cable_end_is_refused_before_any_request(end, problem):
    with pytest.raises(ValueError, match=problem):
        dcim.check_cable_end(end)


def test_a_cable_from_a_port_to_itself_is_refused():
    end = {"device": "leaf1", "interface": "eth1"}
    with pytest.raises(ValueError, match="same port"):
        dcim.check_cable({"termination_a": end, "termination_b": dict(end)})


@pytest.mark.parametrize("given", ["aa:bb:cc:00:00:01", "AA-BB-CC-00-00-01", "aabb.cc00.0001", "AABBCC000001"])
def test_mac_addresses_compare_without_case_or_separators(given):
    assert dcim.mac_address(given) == "AA:BB:CC:00:00:01"


def test_a_malformed_mac_address_is_refused():
    with pytest.raises(ValueError, match="not a MAC address"):
        dcim.mac_address("aa:bb:cc")
