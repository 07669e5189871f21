# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cloudcix_vpn and cloudcix_gpu through ansible-playbook against the CloudCIX emulator
(tests/emulators/cloudcix_emulator.py). Evidence comes from the emulator's request log."""

from __future__ import absolute_import, division, print_function

import uuid

import pytest

FAST = {"wait_sleep": 0.2}
SPECS = [{"sku_name": "RAM_001", "quantity": 2}, {"sku_name": "vCPU_001", "quantity": 1},
         {"sku_name": "SSD_001", "quantity": 20}, {"sku_name": "UBUNTU2404", "quantity": 1}]


@pytest.fixture
def lab(cloudcix_lab):
    return cloudcix_lab


@pytest.fixture
def project(lab):
    """A project with its router and one running LXD instance, vm1."""
    name = "vg-" + uuid.uuid4().hex[:6]
    run = lab.play(lab.task("cloudcix_project", name=name, _task="project")
                   + lab.task("cloudcix_network_router", project=name, _task="router", **FAST)
                   + lab.task("cloudcix_instance", project=name, name="vm1", specs=SPECS, _task="vm", **FAST))
    assert run.ok("vm")["instance"]["state"] == "running"
    return name


def test_vpn_contract(lab, project):
    emu = lab.emulator
    psk = "psk-" + uuid.uuid4().hex
    metadata = {"ike_version": "v2", "ike_pre_shared_key": psk,
                "child_sas": [{"local_ts": "10.0.0.0/24", "remote_ts": "192.168.10.0/24"}]}
    vpn = lab.task("cloudcix_vpn", project=project, name="office", metadata=metadata, **FAST)

    run = lab.play(vpn, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["metadata"]["ike_pre_shared_key"] == "********"
    assert psk not in run.output

    run = lab.play(vpn, diff=True)
    created = run.ok()["vpn"]
    assert run.write_calls() == [("POST", "/compute/network/vpns/")]
    assert run.writes[0]["body"]["metadata"] == metadata and run.writes[0]["body"]["type"] == "site-to-site"
    assert created["state"] == "running"  # waited for the robot
    run.assert_hidden(*emu.secrets())

    for check in (True, False):
        run = lab.play(vpn, check=check)
        assert not run.ok()["changed"] and run.writes == []

    # a change sends the settings whole, with the update state; the key stays masked in --diff
    changed = dict(metadata, ike_version="v1")
    run = lab.play(lab.task("cloudcix_vpn", project=project, name="office", metadata=changed, **FAST), diff=True)
    result = run.ok()
    assert run.writes[0]["body"] == {"metadata": changed, "state": "update_running"}
    assert result["diff"]["before"]["metadata"]["ike_version"] == "v2"
    assert result["diff"]["after"]["metadata"]["ike_pre_shared_key"] == "********"
    assert emu.get("compute", "network/vpns", created["id"])["metadata"]["ike_version"] == "v1"

    absent = lab.task("cloudcix_vpn", project=project, name="office", state="absent", **FAST)
    run = lab.play(absent, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(absent)
    assert run.ok()["changed"] and [w["body"] for w in run.writes] == [{"state": "delete"}]
    assert emu.get("compute", "network/vpns", created["id"])["state"] == "delete_queue"
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []

    run = lab.play(lab.task("cloudcix_vpn", project=project, name="nothing", **FAST))
    assert "metadata" in run.failed()["msg"] and run.writes == []


def test_gpu_attach_and_detach(lab, project):
    emu = lab.emulator
    gpu = lab.task("cloudcix_gpu", project=project, name="g1", instance="vm1", specs=[{"sku_name": "A100_GPU"}], **FAST)
    run = lab.play(gpu, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(gpu, verbosity=3)
    attached = run.ok()["gpu"]
    assert run.writes[0]["body"]["instance_id"] == attached["instance"]["id"] and attached["state"] == "running"
    run.assert_hidden(*emu.secrets())
    run = lab.play(gpu)
    assert not run.ok()["changed"] and run.writes == []

    # an instance that is not in the project, and no instance at all, fail before any write
    run = lab.play(lab.task("cloudcix_gpu", project=project, name="g2", instance="vm9", specs=[{"sku_name": "A100_GPU"}]))
    assert run.failed()["msg"].startswith("instance: no compute/instances matches") and run.writes == []
    run = lab.play(lab.task("cloudcix_gpu", project=project, name="g2", specs=[{"sku_name": "A100_GPU"}]))
    assert "instance" in run.failed()["msg"] and run.writes == []

    # detach at once: DELETE, then absent is no change
    detach = lab.task("cloudcix_gpu", project=project, name="g1", state="absent", purge=True, **FAST)
    run = lab.play(detach)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", "/compute/compute/gpus/%s/" % attached["id"])]
    assert emu.get("compute", "compute/gpus", attached["id"])["state"] in ("delete_queue", "deleting", "deleted")
    run = lab.play(detach)
    assert not run.ok()["changed"] and run.writes == []
