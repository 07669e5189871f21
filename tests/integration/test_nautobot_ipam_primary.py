# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""IP addresses on interfaces and a device's primary addresses, against a real Nautobot:
assignments written through ip-address-to-interface (add-only, or exact with
purge_interfaces), a converged task still one read, and primary_ip4/primary_ip6 on a device
set by address, refused (nothing stored) for an address not on the device."""

from __future__ import absolute_import, division, print_function

import random
import uuid

import pytest

import nautobot_cases_core
import nautobot_cases_ipam
from nautobot_contract import play


@pytest.fixture(scope="module")
def lab(nautobot):
    """A device with two interfaces, and a namespace with the prefixes its addresses need."""
    suffix = uuid.uuid4().hex[:6]
    names = dict(nautobot_cases_core.setup(nautobot, suffix), suffix=suffix)
    names.update(nautobot_cases_ipam.setup(nautobot, dict(names)))
    names["dev"] = "ipdev-%s" % suffix
    # a second namespace holding the same range, for an address that exists in both
    names["ns2"] = "ns2-ipam-%s" % suffix
    nautobot.api("POST", "ipam/namespaces/", json={"name": names["ns2"]})
    device = nautobot.api("POST", "dcim/devices/", json={
        "name": names["dev"], "location": {"name": names["loc"]}, "device_type": {"model": names["dt"]},
        "role": {"name": names["role"]}, "status": {"name": "Active"}})
    for name in ("eth0", "eth1"):
        nautobot.api("POST", "dcim/interfaces/", json={
            "device": device["id"], "name": name, "type": "1000base-t", "status": {"name": "Active"}})
    # addresses of this run alone, so an address left by an earlier run never makes one ambiguous
    names["v4"] = "10.%d.%d" % (random.randint(21, 250), random.randint(0, 255))
    names["v6"] = "2001:db8:%x:%x" % (random.randint(1, 0xffff), random.randint(1, 0xffff))
    for ns in (names["ns"], names["ns2"]):
        nautobot.api("POST", "ipam/prefixes/", json={"prefix": names["v4"] + ".0/24", "namespace": {"name": ns},
                                                     "status": {"name": "Active"}})
    nautobot.api("POST", "ipam/prefixes/", json={"prefix": names["v6"] + "::/64", "namespace": {"name": names["ns"]},
                                                 "status": {"name": "Active"}})
    names["device_id"] = device["id"]
    return names


def assigned(nautobot, address_id):
    found = nautobot.get("ipam/ip-address-to-interface/", ip_address=address_id, depth=1)["results"]
    return sorted(a["interface"]["name"] for a in found)


def test_interfaces_add_only_exact_and_converged(lab, nautobot, connection, evidence, module_run, playbook):
    def run(**args):
        return module_run("nautobot_ip_address", **dict(connection, address="10.20.1.1/24", namespace=lab["ns"],
                                                        **args))

    eth = [{"device": lab["dev"], "name": "eth0"}, {"device": lab["dev"], "name": "eth1"}]
    result = run(interfaces=[eth[0]])
    assert result["changed"] is True, result
    address = result["ip_address"]
    assert assigned(nautobot, address["id"]) == ["eth0"]
    assert [i["name"] for i in address["interfaces"]] == ["eth0"]

    # converged with its interfaces given: one read, nothing written
    watching = evidence()
    result = run(interfaces=[eth[0]])
    ev = watching.stop()
    assert result["changed"] is False, result
    assert ev.methods() == ["GET"], ev.requests
    ev.assert_no_write()

    # add-only: eth1 joins, eth0 stays; check mode predicts it and writes nothing
    watching = evidence()
    task = playbook(play("nautobot_ip_address", {"address": "10.20.1.1/24", "namespace": lab["ns"],
                                                 "interfaces": [eth[1]]}, connection),
                    check=True, diff=True).task("under test")
    ev = watching.stop()
    assert task["changed"] is True, task
    assert task["diff"]["after"]["interfaces"] == ["eth0", "eth1"], task["diff"]
    ev.assert_no_write()
    result = run(interfaces=[eth[1]])
    assert result["changed"] is True
    assert assigned(nautobot, address["id"]) == ["eth0", "eth1"]

    # exact: only eth1 remains
    result = run(interfaces=[eth[1]], purge_interfaces=True)
    assert result["changed"] is True
    assert assigned(nautobot, address["id"]) == ["eth1"]
    assert run(interfaces=[eth[1]], purge_interfaces=True)["changed"] is False

    # a misspelled interface fails naming it, nothing stored
    watching = evidence()
    result = run(interfaces=[{"device": lab["dev"], "name": "eth9"}])
    ev = watching.stop()
    assert result.get("failed") is True and "interfaces" in result["msg"] and "eth9" in result["msg"], result
    assert ev.new_changes == 0

    assert run(state="absent")["changed"] is True
    assert nautobot.count("ipam/ip-addresses/", address="10.20.1.1/24", namespace=lab["ns"]) == 0


def test_device_primary_ip4_and_ip6_by_address(lab, nautobot, connection, evidence, module_run):
    ip4, ip6, stray = lab["v4"] + ".1/24", lab["v6"] + "::1/64", lab["v4"] + ".3/24"
    for address, interface in ((ip4, "eth0"), (ip6, "eth0")):
        result = module_run("nautobot_ip_address", **dict(
            connection, address=address, namespace=lab["ns"],
            interfaces=[{"device": lab["dev"], "name": interface}]))
        assert result["changed"] is True, result
    # an address in the namespace but on no interface of the device
    module_run("nautobot_ip_address", **dict(connection, address=stray, namespace=lab["ns"]))

    def device(**args):
        return module_run("nautobot_device", **dict(connection, name=lab["dev"], location=lab["loc"], **args))

    result = device(primary_ip4=ip4, primary_ip6=ip6)
    assert result["changed"] is True, result
    assert result["device"]["primary_ip4"]["address"] == ip4
    assert result["device"]["primary_ip6"]["address"] == ip6

    watching = evidence()
    result = device(primary_ip4=ip4, primary_ip6=ip6)
    ev = watching.stop()
    assert result["changed"] is False, result
    assert ev.methods() == ["GET"], ev.requests

    # Nautobot refuses an address the device does not have; the task says so, nothing stored
    watching = evidence()
    result = device(primary_ip4=stray)
    ev = watching.stop()
    assert result.get("failed") is True and "primary_ip4" in result["msg"], result
    assert ev.new_changes == 0

    # the same address in another namespace too: by address alone it is ambiguous, with its
    # namespace it is found; unset first, so that setting it is a change
    module_run("nautobot_ip_address", **dict(connection, address=ip4, namespace=lab["ns2"]))
    assert device(clear=["primary_ip4"])["changed"] is True
    result = device(primary_ip4=ip4)
    assert result.get("failed") is True and "primary_ip4" in result["msg"], result
    result = device(primary_ip4={"address": ip4, "namespace": lab["ns"]})
    assert result["changed"] is True, result
    assert result["device"]["primary_ip4"]["address"] == ip4
    watching = evidence()
    result = device(primary_ip4={"address": ip4, "namespace": lab["ns"]})
    ev = watching.stop()
    assert result["changed"] is False, result
    assert ev.methods() == ["GET"], ev.requests
    module_run("nautobot_ip_address", **dict(connection, address=ip4, namespace=lab["ns2"],
                                             state="absent"))

    result = device(clear=["primary_ip4", "primary_ip6"])
    assert result["changed"] is True
    assert result["device"]["primary_ip4"] is None and result["device"]["primary_ip6"] is None
    for address in (ip4, ip6, stray):
        assert module_run("nautobot_ip_address", **dict(connection, address=address, namespace=lab["ns"],
                                                        state="absent"))["changed"] is True
