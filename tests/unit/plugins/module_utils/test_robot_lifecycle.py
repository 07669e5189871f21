# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Engine decisions for objects a background robot changes (Lifecycle(settle=True)), and
how the CloudCIX adapter shapes its request bodies."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import CloudcixAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import (
    instance_resource, network_router_resource, volume_resource)
from ansible_collections.statecraft.infra.plugins.module_utils._engine import Ensure, ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, KeyedSet, Resource

ROBOT = {"pending": "building", "building": "running", "stop": "stopped", "restart": "running",
         "update_running": "running", "update_stopped": "stopped", "delete": "delete_queue"}


class RobotPlatform(CloudcixAdapter):
    """CloudCIX's reading rules over one object whose state the robot moves one step each
    time it is read."""

    def __init__(self, obj):
        super(RobotPlatform, self).__init__({}, "http://127.0.0.1:1/{application}/", auth=None)
        self.obj = obj
        self.writes = []

    def resolve(self, field, query):
        return [{"id": 7, "name": "web"}]

    def find(self, resource, identity, deep=False):
        return [dict(self.obj)] if self.obj and self.obj["state"] not in ("delete_queue",) else []

    def get(self, resource, object_id):
        self.obj["state"] = ROBOT.get(self.obj["state"], self.obj["state"])
        return dict(self.obj)

    def update(self, resource, current, payload):
        if current["state"] in ROBOT:
            raise AssertionError("written while busy: %s" % current["state"])
        self.writes.append(("update", payload))
        self.obj.update(payload)
        self.obj["state"] = "update_running" if current["state"] == "running" else "update_stopped"
        return dict(self.obj)

    def act(self, resource, obj, action):
        self.writes.append(("act", action))
        self.obj["state"] = action
        return dict(self.obj)

    def delete(self, resource, current):
        self.writes.append(("delete", current["id"]))
        self.obj["state"] = "delete"


def run(obj, check_mode=False, **params):
    resource = instance_resource()
    params = dict(dict(project="web", name="vm1", state="present", wait=True, wait_timeout=60, wait_sleep=0),
                  **params)
    platform = RobotPlatform(obj)
    result = Ensure(resource, params, platform, check_mode=check_mode, sleep=lambda s: None).run(want_diff=True)
    return result, platform


def vm(state, **fields):
    return dict({"id": 1, "name": "vm1", "project_id": 7, "state": state, "grace_period": 168}, **fields)


def test_a_change_waits_for_the_robot_then_writes():
    result, platform = run(vm("building"), grace_period=24)
    assert platform.writes == [("update", {"grace_period": 24})]
    assert result["changed"] and result["instance"]["state"] == "running"  # and waits for the update


def test_a_change_to_a_busy_object_without_wait_fails_before_writing():
    with pytest.raises(ModuleError, match="the instance is building.*set wait=true"):
        run(vm("building"), grace_period=24, wait=False)


def test_no_change_needs_no_settling():
    result, platform = run(vm("building"), grace_period=168, wait=False)
    assert not result["changed"] and platform.writes == []


def test_stopped_from_a_building_instance_settles_then_stops():
    result, platform = run(vm("building"), state="stopped")
    assert platform.writes == [("act", "stop")]
    assert result["instance"]["state"] == "stopped"
    assert result["diff"]["before"]["state"] == "building" and result["diff"]["after"]["state"] == "stopped"


def test_check_mode_predicts_the_action_on_a_busy_object():
    result, platform = run(vm("building"), check_mode=True, state="stopped")
    assert result["changed"] and platform.writes == []


def test_an_update_of_a_running_instance_then_stop_reports_the_state_found():
    result, platform = run(vm("running", specs=[]), state="stopped", grace_period=1)
    assert platform.writes == [("update", {"grace_period": 1}), ("act", "stop")]
    assert result["diff"]["before"]["state"] == "running"


def test_absent_ends_when_queued_for_deletion():
    result, platform = run(vm("running"), state="absent")
    assert platform.writes == [("delete", 1)] and platform.obj["state"] == "delete_queue"
    assert result["changed"]


def test_unresourced_fails_the_wait():
    ROBOT["building"] = "unresourced"
    try:
        with pytest.raises(ModuleError, match="became unresourced"):
            run(vm("building"), state="running")
    finally:
        ROBOT["building"] = "running"


def test_keyed_set_without_purge_and_option_defaults():
    spec = Resource("thing", "things", ("name",), dict(
        name=Field(required=True), kind=Field(default="project"),
        specs=KeyedSet(key="sku", purgeable=False), nets=KeyedSet(key="ipv4")), platform="memory").argument_spec()
    assert "purge_specs" not in spec and spec["purge_nets"]["default"] is False
    assert spec["kind"]["default"] == "project"


def adapter(**params):
    return CloudcixAdapter(dict(params), "http://127.0.0.1:1/{application}/", auth=None)


def test_config_changes_go_with_the_update_state():
    body = adapter().body({"specs": [{"sku_name": "RAM_001", "quantity": 4}]}, instance_resource(),
                          vm("stopped"))
    assert body == {"specs": [{"sku_name": "RAM_001", "quantity": 4}], "state": "update_stopped"}
    assert adapter().body({"name": "web"}, network_router_resource(), vm("running")) == {"name": "web"}
    assert adapter().body({"name": "r"}, network_router_resource()) == {"name": "r", "type": "router"}


def test_volume_attachments_become_attach_and_detach():
    current = vm("running", contra_instances=[{"id": 3}, {"id": 4}])
    body = adapter().body({"metadata.attach_instance_ids": [4, 5], "metadata.mount_path": "/srv"},
                          volume_resource(), current)
    assert body == {"metadata": {"attach_instance_ids": [5], "detach_instance_ids": [3], "mount_path": "/srv"},
                    "state": "update_running"}


def test_unresourced_after_a_create_fails_with_state_present():
    ROBOT["building"] = "unresourced"
    try:
        with pytest.raises(ModuleError, match="became unresourced"):
            run(vm("building"), grace_period=24)
    finally:
        ROBOT["building"] = "running"


def with_options(params, **options):
    merged = dict(params)
    merged.update(options)
    return merged


def test_a_pk_of_a_queued_object_is_absent_and_not_recreated():
    from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import generic_resource

    params = dict(application="compute", service="compute/instances", path={}, pk=5, state="absent")
    queued = adapter(**params)
    queued.get = lambda resource, pk, option=None: vm("delete_queue", id=pk)
    assert queued.find(generic_resource(), {"pk": 5}) == []
    present = adapter(**with_options(params, state="present"))
    present.get = queued.get
    with pytest.raises(ModuleError, match="pk: compute/compute/instances/ 5 is deleted or queued"):
        present.find(generic_resource(), {"pk": 5})
    restore = adapter(**with_options(params, state="present", data={"state": "restart"}))
    restore.get = queued.get
    assert [o["state"] for o in restore.find(generic_resource(), {"pk": 5})] == ["delete_queue"]
