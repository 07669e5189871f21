# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The IPAM modules' many-to-many sets against a real Nautobot: a prefix's and a VLAN's
locations (written through their assignment endpoints) and a VRF's route targets, each
add-only or exact, and a converged task still one read."""

from __future__ import absolute_import, division, print_function

import uuid

import pytest


@pytest.fixture(scope="module")
def places(nautobot):
    suffix = uuid.uuid4().hex[:6]
    names = {"suffix": suffix, "ns": "ns-sets-" + suffix, "l1": "l1-" + suffix, "l2": "l2-" + suffix,
             "rt": "3:" + suffix}
    kind = nautobot.api("POST", "dcim/location-types/", json={"name": "lt-sets-" + suffix,
                                                              "content_types": ["ipam.prefix", "ipam.vlan"]})
    for key in ("l1", "l2"):
        nautobot.api("POST", "dcim/locations/", json={"name": names[key], "location_type": kind["id"],
                                                      "status": {"name": "Active"}})
    nautobot.api("POST", "ipam/namespaces/", json={"name": names["ns"]})
    nautobot.api("POST", "ipam/route-targets/", json={"name": names["rt"]})
    return names


def converged_in_one_read(evidence, run, **args):
    watching = evidence()
    result = run(**args)
    ev = watching.stop()
    assert result["changed"] is False, result
    assert ev.methods() == ["GET"], ev.requests


@pytest.mark.parametrize("module, key", [("nautobot_prefix", {"prefix": "10.9.0.0/24"}),
                                         ("nautobot_vlan", {"vid": 3001, "name": "v-{suffix}"})])
def test_locations_add_only_exact_and_converged(places, module, key, connection, evidence, module_run):
    key = dict((k, v.format(**places) if isinstance(v, str) else v) for k, v in key.items())
    if module == "nautobot_prefix":
        key["namespace"] = places["ns"]

    def run(**args):
        return module_run(module, **dict(connection, **dict(key, **args)))

    result = run(locations=[places["l1"]])
    assert result["changed"] is True, result
    kind = module[len("nautobot_"):]
    assert [loc["name"] for loc in result[kind]["locations"]] == [places["l1"]]
    converged_in_one_read(evidence, run, locations=[places["l1"]])

    result = run(locations=[places["l2"]])
    assert sorted(loc["name"] for loc in result[kind]["locations"]) == sorted([places["l1"], places["l2"]])
    result = run(locations=[places["l2"]], purge_locations=True)
    assert [loc["name"] for loc in result[kind]["locations"]] == [places["l2"]]
    converged_in_one_read(evidence, run, locations=[places["l2"]], purge_locations=True)
    result = run(locations=[])
    assert result["changed"] is True and result[kind]["locations"] == []
    assert run(state="absent")["changed"] is True


def test_vrf_route_targets(places, connection, evidence, module_run):
    def run(**args):
        return module_run("nautobot_vrf", **dict(connection, name="vrf-" + places["suffix"], namespace=places["ns"],
                                                 **args))

    assert run(rd="1:" + places["suffix"])["changed"] is True
    result = run(import_targets=[places["rt"]], export_targets=[places["rt"]])
    assert result["changed"] is True, result
    assert [t["name"] for t in result["vrf"]["import_targets"]] == [places["rt"]]
    converged_in_one_read(evidence, run, import_targets=[places["rt"]], export_targets=[places["rt"]])
    result = run(export_targets=[])
    assert result["vrf"]["export_targets"] == [] and len(result["vrf"]["import_targets"]) == 1
    assert run(state="absent")["changed"] is True
