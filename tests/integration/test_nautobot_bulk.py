# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""statecraft.infra.nautobot_bulk against a real Nautobot, through the recording proxy.

A fleet of 30 devices is declared once for the file (``Fleet``): created in bulk POSTs of
10, run again unchanged, updated in check mode and for real, mixed with a delete and a
create, and deleted. Each test makes the fleet exist first (once), and a test that changes
Nautobot changes the fleet's declaration with it, so any test can run alone. Evidence comes
from outside the client: the requests the proxy forwarded (method, path, body, status), the
object changes Nautobot recorded for this file's objects, and the objects as Nautobot's API
shows them afterwards. Every object this file makes is named ``bulk-<suffix>-...``.
"""

from __future__ import absolute_import, division, print_function

import copy
import uuid

import pytest
import yaml

DEVICES = "/api/dcim/devices/"
FLEET_SIZE = 30


def bulk_play(connection, options):
    task = {"name": "t", "statecraft.infra.nautobot_bulk": dict(connection, **options)}
    return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}])


@pytest.fixture
def bulk(playbook, evidence, connection, nautobot, related):
    """Run one nautobot_bulk task with ``options`` in ansible-playbook; returns (the task's
    result, what reached the server meanwhile). ``new_changes`` counts the object changes of
    this file's objects only (their names start with ``related["prefix"]``), so another client
    of the same Nautobot (a bench beside the tests) does not count."""
    def own_changes():
        return nautobot.count("extras/object-changes/", object_repr__isw=related["prefix"], limit=1)

    def run(check=False, diff=False, **options):
        before = own_changes()
        watching = evidence()
        result = playbook(bulk_play(connection, copy.deepcopy(options)), check=check, diff=diff)
        seen = watching.stop()
        seen.new_changes = own_changes() - before
        return result.task("t"), seen
    return run


@pytest.fixture(scope="module")
def related(nautobot):
    """The objects the devices refer to by name, made straight through the API."""
    u = uuid.uuid4().hex[:6]
    prefix = "bulk-%s-" % u  # every object of this file is named so
    names = dict((k, prefix + k) for k in ("lt", "loc", "mfr", "dt", "role", "status"))
    names.update(u=u, prefix=prefix)
    nautobot.api("POST", "dcim/location-types/", json={"name": names["lt"], "content_types": ["dcim.device"]})
    nautobot.api("POST", "dcim/locations/", json={
        "name": names["loc"], "location_type": {"name": names["lt"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "dcim/manufacturers/", json={"name": names["mfr"]})
    nautobot.api("POST", "dcim/device-types/", json={"model": names["dt"], "manufacturer": {"name": names["mfr"]}})
    nautobot.api("POST", "extras/roles/", json={"name": names["role"], "content_types": ["dcim.device"]})
    nautobot.api("POST", "extras/statuses/", json={"name": names["status"], "content_types": ["dcim.device"]})
    return names


def device_defaults(related):
    return {"location": related["loc"], "device_type": {"manufacturer": related["mfr"], "model": related["dt"]},
            "role": related["role"], "status": related["status"]}


class Fleet(object):
    """The file's 30 devices: ``objects`` is what a play declares for them now, ``created``
    the first run's (result, evidence); ``create`` runs it once, for whichever test is first."""

    def __init__(self, related):
        self.related = related
        self.defaults = device_defaults(related)
        self.deleted()

    def deleted(self):
        """The fleet is gone (or not made yet): the next ``create`` makes it as at first."""
        self.objects = [{"name": "bulk-%s-%02d" % (self.related["u"], i), "serial": "SN-%02d" % i}
                        for i in range(FLEET_SIZE)]
        self.created = None

    def create(self, bulk):
        if self.created is None:
            self.created = bulk(kind="device", defaults=self.defaults, objects=self.objects, batch_size=10)
            assert self.created[0]["_status"] != "failed", self.created[0]
        return self.created

    def names(self):
        return [o["name"] for o in self.objects]


@pytest.fixture(scope="module")
def fleet(related):
    return Fleet(related)


def in_nautobot(nautobot, names):
    """name -> device (depth 1) of the devices Nautobot has with these names."""
    found = nautobot.get("dcim/devices/", name=names, depth=1, limit=1000)["results"]
    return dict((d["name"], d) for d in found)


def outcomes(result):
    return [(o["changed"], o["action"]) for o in result["objects"]]


# -- 1. create ---------------------------------------------------------------------------------
def test_create_30_devices_in_three_bulk_posts(fleet, bulk, nautobot, related):
    result, ev = fleet.create(bulk)
    assert result["changed"] is True, result
    assert result["counts"] == {"created": 30, "updated": 0, "deleted": 0, "unchanged": 0}, result["counts"]
    assert outcomes(result) == [(True, "created")] * 30

    # the writes: exactly three bulk POSTs on the list endpoint, 10 devices each, in order
    writes = ev.writes
    assert [(w["method"], w["path"]) for w in writes] == [("POST", DEVICES)] * 3, ev.requests
    assert all(isinstance(w["body"], list) and len(w["body"]) == 10 for w in writes), writes
    assert [d["name"] for w in writes for d in w["body"]] == fleet.names()
    assert [d["serial"] for w in writes for d in w["body"]] == ["SN-%02d" % i for i in range(30)]
    assert ev.new_changes == 30
    # around them: one read of the devices, one lookup per related object for all 30, one
    # read-back of the written devices by id
    assert [(r["method"], r["path"].split("?")[0]) for r in ev.requests] == [
        ("GET", DEVICES), ("GET", "/api/dcim/locations/"), ("GET", "/api/dcim/device-types/"),
        ("GET", "/api/extras/roles/"), ("GET", "/api/extras/statuses/")] + [("POST", DEVICES)] * 3 + [
        ("GET", DEVICES)], ev.requests
    assert "id=" in ev.requests[-1]["path"]

    # Nautobot has them, with the declared fields
    found = in_nautobot(nautobot, fleet.names())
    assert sorted(found) == sorted(fleet.names())
    device_type = nautobot.one("dcim/device-types/", model=related["dt"])
    assert device_type["manufacturer"]["name"] == related["mfr"]
    for declared in fleet.objects:
        device = found[declared["name"]]
        assert device["serial"] == declared["serial"]
        assert device["location"]["name"] == related["loc"]
        assert device["role"]["name"] == related["role"]
        assert device["status"]["name"] == related["status"]
        assert device["device_type"]["id"] == device_type["id"]

    # the result: each object in order, with its id and related objects by name
    for declared, entry in zip(fleet.objects, result["objects"]):
        device = entry["device"]
        assert device["id"] == found[declared["name"]]["id"]
        assert device["name"] == declared["name"] and device["serial"] == declared["serial"]
        assert device["location"]["name"] == related["loc"]
        assert device["role"]["name"] == related["role"]
        assert device["status"]["name"] == related["status"]
        assert device["device_type"]["model"] == related["dt"]


# -- 2. converged ------------------------------------------------------------------------------
def test_identical_run_is_one_read_and_no_write(fleet, bulk):
    fleet.create(bulk)
    result, ev = bulk(kind="device", defaults=fleet.defaults, objects=fleet.objects, batch_size=10)
    assert result["_status"] == "ok" and result["changed"] is False, result
    assert outcomes(result) == [(False, "unchanged")] * len(fleet.objects)
    assert result["counts"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": len(fleet.objects)}
    assert ev.methods() == ["GET"], ev.requests
    assert ev.requests[0]["path"].startswith(DEVICES + "?"), ev.requests
    ev.assert_no_write()


# -- 3. check mode predicts the real run -------------------------------------------------------
def test_check_mode_update_predicts_the_real_update(fleet, bulk, nautobot):
    """New serials for four devices spread over the fleet: check mode with --diff writes
    nothing and predicts exactly the real run's per-object outcome and diffs; the real run
    sends bulk PATCHes of those four only, each with the serial and the id."""
    fleet.create(bulk)
    changing = [3, 7, 12, 25]
    declared = copy.deepcopy(fleet.objects)
    for index in changing:
        declared[index]["serial"] = "NEW-%02d" % index
    args = dict(kind="device", defaults=fleet.defaults, objects=declared, batch_size=3, diff=True)

    predicted, ev = bulk(check=True, **args)
    assert predicted["_status"] == "ok" and predicted["changed"] is True, predicted
    ev.assert_no_write()

    done, ev = bulk(**args)
    assert done["_status"] == "ok" and done["changed"] is True, done
    fleet.objects = declared

    expected = [(i in changing, "updated" if i in changing else "unchanged") for i in range(len(declared))]
    assert outcomes(predicted) == outcomes(done) == expected
    counts = {"created": 0, "updated": 4, "deleted": 0, "unchanged": len(declared) - 4}
    assert predicted["counts"] == done["counts"] == counts
    assert predicted["diff"] == done["diff"]
    assert [d["before_header"] for d in done["diff"]] == [
        "objects[%d] (name=%s, location=%s)" % (i, declared[i]["name"], fleet.defaults["location"]) for i in changing]
    for index, diff in zip(changing, done["diff"]):
        assert diff["after_header"] == diff["before_header"]
        assert diff["before"]["serial"] == "SN-%02d" % index and diff["after"]["serial"] == "NEW-%02d" % index
        assert dict(diff["before"], serial=None) == dict(diff["after"], serial=None), diff

    # the writes: PATCHes of 3 + 1 on the list endpoint, only the serial and the id
    ids = dict((name, d["id"]) for name, d in in_nautobot(nautobot, fleet.names()).items())
    assert [(w["method"], w["path"]) for w in ev.writes] == [("PATCH", DEVICES)] * 2, ev.requests
    assert [w["body"] for w in ev.writes] == [
        [{"id": ids[declared[i]["name"]], "serial": "NEW-%02d" % i} for i in changing[:3]],
        [{"id": ids[declared[i]["name"]], "serial": "NEW-%02d" % i} for i in changing[3:]]]
    assert ev.new_changes == 4
    found = in_nautobot(nautobot, fleet.names())
    assert [found[o["name"]]["serial"] for o in declared] == [o["serial"] for o in declared]
    for index in changing:
        assert done["objects"][index]["device"]["serial"] == "NEW-%02d" % index
        assert done["objects"][index]["device"]["id"] == ids[declared[index]["name"]]


# -- 4. mixed ----------------------------------------------------------------------------------
def test_mixed_unchanged_absent_and_new(fleet, bulk, nautobot):
    """The fleet as declared (unchanged), its last device with state absent of its own, and
    one new device: one POST of the new one, one DELETE of the absent one."""
    fleet.create(bulk)
    gone = fleet.objects[-1]
    new = {"name": "bulk-%s-new" % fleet.related["u"], "serial": "SN-NEW"}
    declared = copy.deepcopy(fleet.objects[:-1]) + [dict(gone, state="absent"), new]
    gone_id = in_nautobot(nautobot, [gone["name"]])[gone["name"]]["id"]

    result, ev = bulk(kind="device", defaults=fleet.defaults, objects=declared)
    assert result["_status"] == "ok" and result["changed"] is True, result
    fleet.objects = fleet.objects[:-1] + [new]
    unchanged = len(declared) - 2
    assert result["counts"] == {"created": 1, "updated": 0, "deleted": 1, "unchanged": unchanged}
    assert outcomes(result) == [(False, "unchanged")] * unchanged + [(True, "deleted"), (True, "created")]
    assert [(w["method"], w["path"]) for w in ev.writes] == [("POST", DEVICES), ("DELETE", DEVICES)], ev.requests
    assert ev.writes[0]["body"][0]["name"] == new["name"] and len(ev.writes[0]["body"]) == 1
    assert ev.writes[1]["body"] == [{"id": gone_id}]
    assert ev.new_changes == 2

    found = in_nautobot(nautobot, [gone["name"], new["name"]])
    assert list(found) == [new["name"]]
    assert result["objects"][-1]["device"]["id"] == found[new["name"]]["id"]
    assert result["objects"][-2]["device"] == {}


# -- 5. failures -------------------------------------------------------------------------------
def test_bad_object_fails_before_any_request(related, bulk):
    objects = [{"name": "bulk-%s-ok%d" % (related["u"], i)} for i in range(4)]
    objects[2]["face"] = "sideways"
    result, ev = bulk(kind="device", defaults=device_defaults(related), objects=objects)
    assert result["_status"] == "failed", result
    assert "objects[2] (name=bulk-%s-ok2" % related["u"] in result["msg"], result["msg"]
    assert "face" in result["msg"] and "sideways" in result["msg"], result["msg"]
    assert ev.requests == []
    assert ev.new_changes == 0


def test_missing_related_object_fails_naming_object_and_option(related, bulk, nautobot):
    nowhere = "nowhere-" + related["u"]
    objects = [{"name": "bulk-%s-rel%d" % (related["u"], i)} for i in range(3)]
    objects[1]["location"] = nowhere
    result, ev = bulk(kind="device", defaults=device_defaults(related), objects=objects)
    assert result["_status"] == "failed", result
    assert "objects[1] (name=bulk-%s-rel1" % related["u"] in result["msg"], result["msg"]
    assert "location" in result["msg"] and nowhere in result["msg"], result["msg"]
    ev.assert_no_write()
    assert in_nautobot(nautobot, [o["name"] for o in objects]) == {}


class Refused(object):
    """Five new devices in batches of 2, the fourth with the asset tag of a device that
    exists: the first batch is written, Nautobot refuses the second, the third is never
    sent. Run once, for the tests that look at it."""

    def __init__(self, related):
        self.related = related
        self.run = None

    def __call__(self, bulk, nautobot):
        if self.run is None:
            u = self.related["u"]
            self.asset_tag = "AT-" + u
            nautobot.api("POST", "dcim/devices/", json={
                "name": "bulk-%s-holder" % u, "location": {"name": self.related["loc"]},
                "device_type": {"model": self.related["dt"]}, "role": {"name": self.related["role"]},
                "status": {"name": self.related["status"]}, "asset_tag": self.asset_tag})
            self.objects = [{"name": "bulk-%s-ref%d" % (u, i)} for i in range(5)]
            self.objects[3]["asset_tag"] = self.asset_tag
            self.run = bulk(kind="device", defaults=device_defaults(self.related), objects=self.objects,
                            batch_size=2)
        return self.run


@pytest.fixture(scope="module")
def refused(related):
    return Refused(related)


def test_refused_batch_names_the_object_and_writes_none_of_it(refused, bulk, nautobot):
    result, ev = refused(bulk, nautobot)
    names = [o["name"] for o in refused.objects]
    assert result["_status"] == "failed", result
    msg = result["msg"]
    # Nautobot named the second object of the second batch: objects[3] of the task
    assert "objects[3] (name=%s" % names[3] in msg and "asset_tag" in msg, msg
    assert "objects[2]" not in msg and "objects[1]" not in msg, msg
    assert "none of this batch of 2 was written (the 2 objects before it were)" in msg, msg
    # two POSTs went out (the first written, the second refused); the third batch never did
    posts = [w for w in ev.writes if w["method"] == "POST"]
    assert [(w["path"], w["status"]) for w in posts] == [(DEVICES, 201), (DEVICES, 400)], ev.requests
    assert [[d["name"] for d in w["body"]] for w in posts] == [names[0:2], names[2:4]]
    assert ev.writes == posts
    assert ev.new_changes == 2
    assert sorted(in_nautobot(nautobot, names)) == names[0:2]


def test_refused_batch_after_written_batches_reports_changed(refused, bulk, nautobot):
    """Two devices were created before the refused batch: the failed task says it changed,
    as a failure after a write does elsewhere in the collection (ModuleError's ``result``)."""
    result, _ev = refused(bulk, nautobot)
    assert result["_status"] == "failed", result
    assert result.get("changed") is True, result
    assert result["counts"] == {"created": 2, "updated": 0, "deleted": 0}, result


def test_batch_the_database_refuses_is_taken_back_whole(related, bulk, nautobot):
    """Three new devices in one batch, the last two with the same new asset tag: each passes
    Nautobot's checks alone and the database refuses the third (HTTP 500, no object named);
    the batch is one transaction, so the first two are not there either."""
    u = related["u"]
    objects = [{"name": "bulk-%s-txn%d" % (u, i)} for i in range(3)]
    objects[1]["asset_tag"] = objects[2]["asset_tag"] = "TXN-" + u
    result, ev = bulk(kind="device", defaults=device_defaults(related), objects=objects)
    assert result["_status"] == "failed", result
    msg = result["msg"]
    assert "TXN-%s" % u in msg and "500" in msg, msg
    assert "none of this batch of 3 was written" in msg and "before it" not in msg, msg
    for index, obj in enumerate(objects):
        assert "objects[%d] (name=%s" % (index, obj["name"]) in msg, msg
    assert [(w["method"], w["path"], w["status"]) for w in ev.writes] == [("POST", DEVICES, 500)], ev.requests
    assert ev.new_changes == 0
    assert in_nautobot(nautobot, [o["name"] for o in objects]) == {}


# -- 6. absent ---------------------------------------------------------------------------------
def test_absent_deletes_in_bulk_then_converges(fleet, bulk, nautobot):
    fleet.create(bulk)
    ids = dict((name, d["id"]) for name, d in in_nautobot(nautobot, fleet.names()).items())
    assert len(ids) == len(fleet.objects)
    objects = [{"name": o["name"]} for o in fleet.objects]
    args = dict(kind="device", state="absent", defaults={"location": fleet.defaults["location"]},
                objects=objects, batch_size=10)

    result, ev = bulk(**args)
    assert result["_status"] == "ok" and result["changed"] is True, result
    assert result["counts"] == {"created": 0, "updated": 0, "deleted": len(objects), "unchanged": 0}
    assert outcomes(result) == [(True, "deleted")] * len(objects)
    batches = (len(objects) + 9) // 10
    assert [(w["method"], w["path"]) for w in ev.writes] == [("DELETE", DEVICES)] * batches, ev.requests
    assert [len(w["body"]) for w in ev.writes] == [10] * (len(objects) // 10) + (
        [len(objects) % 10] if len(objects) % 10 else [])
    assert [d["id"] for w in ev.writes for d in w["body"]] == [ids[o["name"]] for o in objects]
    assert ev.new_changes == len(objects)
    assert in_nautobot(nautobot, fleet.names()) == {}
    fleet.deleted()

    result, ev = bulk(**args)
    assert result["_status"] == "ok" and result["changed"] is False, result
    assert outcomes(result) == [(False, "unchanged")] * len(objects)
    assert result["counts"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": len(objects)}
    assert ev.methods() == ["GET"], ev.requests
    ev.assert_no_write()


# -- 7. another kind ---------------------------------------------------------------------------
def test_tags_created_then_converged(related, bulk, nautobot):
    """Not device-specific: five tags, one bulk POST, then a run that only reads."""
    names = ["bulk-%s-tag%d" % (related["u"], i) for i in range(5)]
    objects = [{"name": n, "description": "tag %d" % i} for i, n in enumerate(names)]
    objects[4]["content_types"] = ["dcim.device", "dcim.location"]
    args = dict(kind="tag", defaults={"content_types": ["dcim.device"], "color": "aa1409"}, objects=objects)

    result, ev = bulk(**args)
    assert result["_status"] == "ok" and result["changed"] is True, result
    assert result["counts"] == {"created": 5, "updated": 0, "deleted": 0, "unchanged": 0}
    assert [(w["method"], w["path"]) for w in ev.writes] == [("POST", "/api/extras/tags/")], ev.requests
    assert [t["name"] for t in ev.writes[0]["body"]] == names
    found = dict((t["name"], t) for t in nautobot.get("extras/tags/", name=names, limit=100)["results"])
    assert sorted(found) == sorted(names)
    for i, name in enumerate(names):
        assert found[name]["description"] == "tag %d" % i and found[name]["color"] == "aa1409"
        assert sorted(found[name]["content_types"]) == sorted(objects[i].get("content_types", ["dcim.device"]))
        assert result["objects"][i]["tag"]["id"] == found[name]["id"]

    result, ev = bulk(**args)
    assert result["_status"] == "ok" and result["changed"] is False, result
    assert outcomes(result) == [(False, "unchanged")] * 5
    assert ev.methods() == ["GET"] and ev.requests[0]["path"].startswith("/api/extras/tags/?"), ev.requests
    ev.assert_no_write()
