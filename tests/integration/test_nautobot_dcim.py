# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the DCIM modules do beyond the contract (test_nautobot_modules): a cable is the same
cable whichever end a task names first, and one whose ends moved is replaced only with
recreate=true."""

from __future__ import absolute_import, division, print_function

import uuid

import pytest

import nautobot_cases_core
import nautobot_cases_dcim
from nautobot_contract import Server, Walk


@pytest.fixture(scope="module")
def site(nautobot):
    """Two devices of this module's own, each with interfaces x1..x3."""
    suffix = uuid.uuid4().hex[:6]
    names = dict(nautobot_cases_core.setup(nautobot, suffix), suffix=suffix)
    names.update(nautobot_cases_dcim.setup(nautobot, dict(names)))
    for device in (names["dev"], names["dev2"]):
        for port in ("x1", "x2", "x3"):
            nautobot.api("POST", "dcim/interfaces/", json={
                "device": {"name": device}, "name": port, "type": "1000base-t", "status": {"name": "Active"}})
    return names


@pytest.fixture
def walk(nautobot, connection, evidence, module_run, playbook):
    return Walk(Server(nautobot, connection, evidence), module_run, playbook)


def end(device, port):
    return {"device": device, "interface": port}


def test_a_cable_is_found_whichever_end_comes_first(site, walk, nautobot):
    a, b = end(site["dev"], "x1"), end(site["dev2"], "x1")
    created = walk.run("nautobot_cable", termination_a=a, termination_b=b, label="ab")
    assert created["changed"] is True, created

    # the other way round, and with a device narrowed by its location: one read, no write
    narrowed = {"device": {"name": site["dev2"], "location": site["dloc"]}, "interface": "x1"}
    for first, second in ((b, a), (narrowed, a), (a, narrowed)):
        result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=first, termination_b=second, label="ab")
        assert result["changed"] is False, result
        assert result["cable"]["id"] == created["cable"]["id"]
        assert ev.methods() == ["GET"], ev.requests

    result = walk.run("nautobot_cable", termination_a=b, termination_b=a, state="absent")
    assert result["changed"] is True
    assert nautobot.count("dcim/cables/", id=created["cable"]["id"]) == 0


def test_a_cable_whose_end_moved_is_replaced_only_with_recreate(site, walk, nautobot):
    a, old_b, new_b = end(site["dev"], "x2"), end(site["dev2"], "x2"), end(site["dev2"], "x3")
    old = walk.run("nautobot_cable", termination_a=a, termination_b=old_b)["cable"]

    result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=a, termination_b=new_b)
    assert result.get("failed") is True, result
    assert "recreate=true" in result["msg"] and old["id"] in result["msg"], result["msg"]
    ev.assert_no_write()

    task, ev = walk.observe(walk.check_run, "nautobot_cable",
                            {"termination_a": a, "termination_b": new_b, "recreate": True})
    assert task["changed"] is True, task
    assert task["diff"]["after"]["termination_b"] == new_b, task["diff"]
    ev.assert_no_write()

    result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=a, termination_b=new_b, recreate=True)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["DELETE", "POST"], ev.requests
    assert nautobot.count("dcim/cables/", id=old["id"]) == 0
    assert result["cable"]["termination_b"]["name"] == "x3"
    walk.run("nautobot_cable", termination_a=a, termination_b=new_b, state="absent")


def test_a_cable_to_a_port_that_does_not_exist_fails_before_any_write(site, walk):
    result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=end(site["dev"], "x3"),
                              termination_b=end(site["dev2"], "no-such-port"))
    assert result.get("failed") is True, result
    assert "termination_b" in result["msg"] and "no-such-port" in result["msg"], result["msg"]
    ev.assert_no_write()


def test_a_virtual_chassis_gets_its_master_once_the_device_is_a_member(site, walk, nautobot):
    name = "vc-%s" % uuid.uuid4().hex[:6]
    result, ev = walk.observe(walk.run, "nautobot_virtual_chassis", name=name, master=site["dev"])
    assert result.get("failed") is True and "master" in result["msg"], result
    ev.assert_no_write()

    chassis = walk.run("nautobot_virtual_chassis", name=name)["virtual_chassis"]
    device = nautobot.one("dcim/devices/", name=site["dev"])
    nautobot.api("PATCH", "dcim/devices/%s/" % device["id"], json={"virtual_chassis": chassis["id"], "vc_position": 1})
    try:
        result = walk.run("nautobot_virtual_chassis", name=name, master=site["dev"])
        assert result["changed"] is True and result["virtual_chassis"]["master"]["name"] == site["dev"], result
        result, ev = walk.observe(walk.run, "nautobot_virtual_chassis", name=name, master=site["dev"])
        assert result["changed"] is False and ev.methods() == ["GET"], ev.requests
        walk.run("nautobot_virtual_chassis", name=name, clear=["master"])
    finally:
        nautobot.api("PATCH", "dcim/devices/%s/" % device["id"], json={"virtual_chassis": None, "vc_position": None})
    assert walk.run("nautobot_virtual_chassis", name=name, state="absent")["changed"] is True


def test_a_new_cable_gets_its_tags_in_a_second_write(site, walk, nautobot):
    """Nautobot 3.2 drops the tags of a cable's create: they follow in one PATCH, and the next
    run converges."""
    a, b = end(site["dev"], "x3"), end(site["dev2"], "x3")
    result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=a, termination_b=b, tags=[site["dtag"]])
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["POST", "PATCH"], ev.requests
    assert ev.writes[1]["body"] == {"tags": [{"name": site["dtag"]}]}
    assert [t["name"] for t in result["cable"]["tags"]] == [site["dtag"]]
    result, ev = walk.observe(walk.run, "nautobot_cable", termination_a=a, termination_b=b, tags=[site["dtag"]])
    assert result["changed"] is False and ev.methods() == ["GET"], ev.requests
    walk.run("nautobot_cable", termination_a=a, termination_b=b, state="absent")


def test_an_interface_of_a_device_narrowed_by_its_location_converges_in_one_read(site, walk):
    device = {"name": site["dev"], "location": site["dloc"]}
    name = "n-%s" % uuid.uuid4().hex[:6]
    created = walk.run("nautobot_interface", device=device, name=name, type="1000base-t", lag=site["lag"])
    assert created["changed"] is True, created
    assert created["interface"]["lag"]["name"] == site["lag"]
    for given in (device, site["dev"]):
        result, ev = walk.observe(walk.run, "nautobot_interface", device=given, name=name, type="1000base-t",
                                  lag=site["lag"])
        assert result["changed"] is False, result
        assert ev.methods() == ["GET"], ev.requests
    assert walk.run("nautobot_interface", device=device, name=name, state="absent")["changed"] is True
