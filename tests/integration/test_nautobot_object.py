# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nautobot_object, nautobot_info and the nautobot lookup against a real Nautobot.

nautobot_object keeps the typed modules' contract on endpoints no typed module covers
(circuits/circuits, dcim/power-panels) and on an installed app's (plugins/bgp/autonomous-systems,
on Nautobot 3.2 and 2.4): absent when absent, check-mode create, create (one
POST), a converged run of exactly one GET (no schema read), check-mode update, a one-field
PATCH, a misspelled related name, check-mode delete, delete, absent again. Evidence comes
from the recording proxy and Nautobot's object-change log.
"""

from __future__ import absolute_import, division, print_function

import json
import uuid

import pytest
import yaml

MODULE = "nautobot_object"


def play(tasks, connection=None):
    for task in tasks:
        for key, value in list(task.items()):
            if key.startswith("statecraft.infra.") and connection:
                task[key] = dict(connection, **value)
    return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}])


class Walk(object):
    """The contract walk of nautobot_object for one endpoint."""

    def __init__(self, nautobot, connection, evidence, module_run, playbook):
        self.nautobot = nautobot
        self.connection = connection
        self.evidence = evidence
        self.module_run = module_run
        self.playbook = playbook

    def observe(self, action, *args, **kwargs):
        """(outcome, evidence); the evidence's object changes are counted for the endpoint's
        object type only (other tests may write to the same Nautobot meanwhile)."""
        before = self.changes()
        watching = self.evidence()
        outcome = action(*args, **kwargs)
        ev = watching.stop()
        ev.new_changes = self.changes() - before
        return outcome, ev

    object_type = None

    def changes(self):
        if self.object_type is None:
            return self.nautobot.change_count()
        return self.nautobot.count("extras/object-changes/", changed_object_type=self.object_type, limit=1)

    def run(self, **args):
        return self.module_run(MODULE, **args)

    def check_run(self, args):
        text = play([{"name": "under test", "statecraft.infra." + MODULE: dict(args)}], self.connection)
        return self.playbook(text, check=True, diff=True).task("under test")

    def lifecycle(self, endpoint, object_type, identity, data, update, typo):
        self.object_type = object_type
        base = {"endpoint": endpoint, "identity": identity}
        create = dict(base, data=data)
        changed = dict(base, data=dict(data, **update))

        result, ev = self.observe(self.run, state="absent", **base)
        assert result["changed"] is False, result
        assert ev.methods() == ["GET"], ev.requests
        ev.assert_no_write()

        task, ev = self.observe(self.check_run, create)
        assert task["changed"] is True, task
        assert task["diff"]["before"] == {}
        for key in list(identity) + list(data):
            assert key in task["diff"]["after"], (key, task["diff"])
        ev.assert_no_write()

        result, ev = self.observe(self.run, **create)
        assert result["changed"] is True, result
        assert [r["method"] for r in ev.writes] == ["POST"], ev.requests
        assert ev.new_changes >= 1
        created = result["object"]
        assert created["id"]

        # converged: the one read decides, no schema read
        result, ev = self.observe(self.run, **create)
        assert result["changed"] is False, result
        assert ev.methods() == ["GET"], ev.requests
        ev.assert_no_write()

        task, ev = self.observe(self.check_run, changed)
        assert task["changed"] is True, task
        for key, value in update.items():
            assert task["diff"]["after"][key] == value, task["diff"]
            assert task["diff"]["before"][key] != value, task["diff"]
        ev.assert_no_write()

        result, ev = self.observe(self.run, **changed)
        assert result["changed"] is True, result
        assert [r["method"] for r in ev.writes] == ["PATCH"], ev.requests
        assert ev.writes[0]["body"] == update, ev.writes[0]
        assert result["object"]["id"] == created["id"]
        for key, value in update.items():
            assert result["object"][key] == value

        option, bad = typo
        result, ev = self.observe(self.run, **dict(base, data=dict(changed["data"], **{option: bad})))
        assert result.get("failed") is True, result
        assert option in result["msg"] and bad in result["msg"], result["msg"]
        assert ev.new_changes == 0
        assert len(ev.writes) <= 1 and all(r["status"] == 400 for r in ev.writes), ev.requests

        task, ev = self.observe(self.check_run, dict(base, state="absent"))
        assert task["changed"] is True, task
        assert task["diff"]["after"] == {}
        ev.assert_no_write()

        result, ev = self.observe(self.run, state="absent", **base)
        assert result["changed"] is True, result
        assert [r["method"] for r in ev.writes] == ["DELETE"], ev.requests
        result = self.run(state="absent", **base)
        assert result["changed"] is False, result
        assert json.dumps(result).count(self.nautobot.token) == 0
        return created


@pytest.fixture
def walk(nautobot, connection, evidence, module_run, playbook):
    return Walk(nautobot, connection, evidence, module_run, playbook)


@pytest.fixture(scope="module")
def related(nautobot):
    """What the objects under test name, made straight through the API."""
    u = uuid.uuid4().hex[:6]
    names = dict((k, "gen-%s-%s" % (k, u)) for k in ("provider", "ct", "lt", "loc", "tag"))
    nautobot.api("POST", "circuits/providers/", json={"name": names["provider"]})
    nautobot.api("POST", "circuits/circuit-types/", json={"name": names["ct"]})
    nautobot.api("POST", "dcim/location-types/", json={"name": names["lt"], "content_types": ["dcim.powerpanel"]})
    nautobot.api("POST", "dcim/locations/", json={
        "name": names["loc"], "location_type": {"name": names["lt"]}, "status": {"name": "Active"}})
    nautobot.api("POST", "extras/tags/", json={"name": names["tag"], "content_types": ["dcim.powerpanel"]})
    yield names
    for path, name in (("extras/tags", "tag"), ("dcim/locations", "loc"), ("dcim/location-types", "lt"),
                       ("circuits/circuit-types", "ct"), ("circuits/providers", "provider")):
        for obj in nautobot.get(path + "/", name=names[name])["results"]:
            nautobot.api("DELETE", "%s/%s/" % (path, obj["id"]))


def test_circuit_contract(walk, related, unique):
    walk.lifecycle("circuits/circuits", "circuits.circuit", {"cid": "C-" + unique, "provider": related["provider"]},
                   {"circuit_type": related["ct"], "status": "Active", "commit_rate": 1000, "description": "one"},
                   {"description": "two"}, ("circuit_type", "no-such-type-" + unique))


def test_power_panel_contract(walk, related, unique):
    walk.lifecycle("dcim/power-panels", "dcim.powerpanel", {"name": "pp-" + unique, "location": related["loc"]},
                   {"panel_type": "utility", "tags": [related["tag"]], "breaker_position_count": 42},
                   {"breaker_position_count": 84}, ("rack_group", "no-such-group-" + unique))


# An installed app's endpoint (the harness runs nautobot-bgp-models on every instance): the same
# walk, on 3.2 and on 2.4. An autonomous system is an app model with a related object of
# Nautobot's own (its status) and a natural key of its own (asn).
def asn_of(unique):
    """A private 4-byte ASN (RFC 6996) of the test's own."""
    return 4200000000 + int(unique[:7], 16) % 94967294


def test_app_endpoint_contract(walk, unique):
    walk.lifecycle("plugins/bgp/autonomous-systems", "nautobot_bgp_models.autonomoussystem",
                   {"asn": asn_of(unique)}, {"status": "Active", "description": "one"},
                   {"description": "two"}, ("status", "No-such-status-" + unique))


def test_app_endpoint_contract_on_2_4(nautobot24, connection24, evidence24, module_run, playbook, unique):
    def run_on_2_4(module, **args):
        return module_run(module, **dict(connection24, **args))

    Walk(nautobot24, connection24, evidence24, run_on_2_4, playbook).lifecycle(
        "plugins/bgp/autonomous-systems", "nautobot_bgp_models.autonomoussystem",
        {"asn": asn_of(unique)}, {"status": "Active", "description": "one"},
        {"description": "two"}, ("status", "No-such-status-" + unique))


def test_fields_learned_when_a_write_needs_them(walk, related, unique, nautobot):
    """A field to clear, an unknown key, a bad choice, by id and renamed; the schema (one
    OPTIONS) is read only on those runs, and a bad key fails before any write."""
    walk.object_type = "circuits.circuit"
    ident = {"cid": "C2-" + unique, "provider": related["provider"]}
    base = {"endpoint": "circuits/circuits", "identity": ident}
    created = walk.run(data={"circuit_type": related["ct"], "status": "Active", "description": "d"}, **base)
    assert created["changed"] is True, created
    try:
        result, ev = walk.observe(walk.run, data={"nope_field": 1}, **base)
        assert result.get("failed") is True and "nope_field" in result["msg"], result
        assert "not a writable field" in result["msg"], result["msg"]
        ev.assert_no_write()

        result, ev = walk.observe(walk.run, data={"status": "Active"}, clear=["description"], **base)
        assert result["changed"] is True, result
        assert [(r["method"], r["body"]) for r in ev.writes] == [("PATCH", {"description": ""})], ev.requests
        assert [r["method"] for r in ev.requests].count("OPTIONS") == 1, ev.requests

        result, ev = walk.observe(walk.run, clear=["description"], **base)
        assert result["changed"] is False and ev.methods() == ["GET"], ev.requests

        walk.object_type = "dcim.powerpanel"
        panel = {"endpoint": "dcim/power-panels", "identity": {"name": "pp2-" + unique, "location": related["loc"]}}
        result, ev = walk.observe(walk.run, data={"panel_type": "nuclear"}, **panel)
        assert result.get("failed") is True and "panel_type" in result["msg"] and "nuclear" in result["msg"], result
        ev.assert_no_write()

        walk.object_type = "circuits.circuit"
        result, ev = walk.observe(walk.run, endpoint="circuits/circuits", id=created["object"]["id"],
                                  data={"cid": "C3-" + unique})
        assert result["changed"] is True and result["object"]["cid"] == "C3-" + unique, result
        assert [r["method"] for r in ev.writes] == ["PATCH"], ev.requests

        # a second circuit: the related endpoints are read off the first, so check mode looks names up
        second = dict(base, identity=dict(ident, cid="C4-" + unique))
        task = walk.check_run(dict(second, data={"circuit_type": "no-such-" + unique, "status": "Active"}))
        assert task["changed"] is True and any("no-such-" + unique in w for w in task.get("warnings", [])), task
    finally:
        for obj in nautobot.get("circuits/circuits/", provider=related["provider"])["results"]:
            nautobot.api("DELETE", "circuits/circuits/%s/" % obj["id"])


def test_missing_required_field_fails_before_any_write(walk, related, unique):
    walk.object_type = "circuits.circuit"
    result, ev = walk.observe(walk.run, endpoint="circuits/circuits",
                              identity={"cid": "C5-" + unique, "provider": related["provider"]}, data={})
    assert result.get("failed") is True, result
    assert "circuit_type" in result["msg"] and "status" in result["msg"], result["msg"]
    ev.assert_no_write()


# -- reads: nautobot_info and the lookup ----------------------------------------------------------
@pytest.fixture(scope="module")
def thousand(nautobot):
    """1,000 manufacturers made in one bulk POST, removed in one bulk DELETE."""
    prefix = "gen-bulk-%s-" % uuid.uuid4().hex[:6]
    made = nautobot.api("POST", "dcim/manufacturers/",
                        json=[{"name": "%s%04d" % (prefix, i)} for i in range(1000)])
    assert len(made) == 1000
    yield prefix
    nautobot.api("DELETE", "dcim/manufacturers/", json=[{"id": m["id"]} for m in made])


def pages(nautobot, mark, prefix):
    """The list reads of the manufacturers ``prefix`` names, as Nautobot logged them
    (straight to Nautobot: its next links name its own host, which the proxy is not)."""
    return [e for e in nautobot.log.since(mark) if e[0] == "GET" and prefix in e[1]]


def test_info_reads_every_page(module_run, nautobot, thousand):
    mark = nautobot.log.mark()
    result = module_run("nautobot_info", url=nautobot.url, endpoint="dcim/manufacturers",
                        filters={"name__isw": thousand}, page_size=100, depth=0)
    assert result["changed"] is False and len(result["objects"]) == 1000, result.get("msg")
    assert len(set(o["id"] for o in result["objects"])) == 1000
    assert len(pages(nautobot, mark, thousand)) == 10

    one = module_run("nautobot_info", endpoint="dcim/manufacturers", filters={"name": thousand + "0007"},
                     exactly_one=True)
    assert one["object"]["name"] == thousand + "0007", one
    again = module_run("nautobot_info", endpoint="dcim/manufacturers", id=one["object"]["id"])
    assert again["object"]["id"] == one["object"]["id"] and len(again["objects"]) == 1
    many = module_run("nautobot_info", url=nautobot.url, endpoint="dcim/manufacturers",
                      filters={"name__isw": thousand}, exactly_one=True)
    assert many.get("failed") is True and "1000 objects" in many["msg"], many


def test_lookup_reads_every_page(playbook, nautobot, thousand):
    text = play([{"name": "t", "ansible.builtin.set_fact": {"found": "{{ query('statecraft.infra.nautobot', "
                  "'dcim/manufacturers', filters={'name__isw': '%s'}, depth=0, page_size=250) }}" % thousand}}])
    mark = nautobot.log.mark()
    run = playbook(text, env={"NAUTOBOT_URL": nautobot.url, "NAUTOBOT_TOKEN": nautobot.token})
    found = run.ok()["ansible_facts"]["found"]
    assert len(found) == 1000 and len(set(o["id"] for o in found)) == 1000
    assert len(pages(nautobot, mark, thousand)) == 4
    run.assert_hidden(nautobot.token)


def test_lookup_graphql_nested(playbook, nautobot, proxy, unique):
    names = dict((k, "gql-%s-%s" % (k, unique)) for k in ("lt", "loc", "mfr", "dt", "role", "dev"))
    made = [
        ("dcim/location-types", {"name": names["lt"], "content_types": ["dcim.device"]}),
        ("dcim/locations", {"name": names["loc"], "location_type": {"name": names["lt"]}, "status": {"name": "Active"}}),
        ("dcim/manufacturers", {"name": names["mfr"]}),
        ("dcim/device-types", {"model": names["dt"], "manufacturer": {"name": names["mfr"]}}),
        ("extras/roles", {"name": names["role"], "content_types": ["dcim.device"]}),
        ("dcim/devices", {"name": names["dev"], "location": {"name": names["loc"]}, "status": {"name": "Active"},
                          "device_type": {"model": names["dt"]}, "role": {"name": names["role"]}}),
    ]
    ids = [(path, nautobot.api("POST", path + "/", json=body)["id"]) for path, body in made]
    try:
        query = "query ($n: [String]) { devices(name: $n) { name location { name } } }"
        text = play([{"name": "t", "ansible.builtin.set_fact": {
            "found": "{{ lookup('statecraft.infra.nautobot', graphql=q, graphql_variables={'n': [n]}) }}"},
            "vars": {"q": query, "n": names["dev"]}}])
        run = playbook(text, env={"NAUTOBOT_URL": proxy.url, "NAUTOBOT_TOKEN": nautobot.token})
        found = run.ok()["ansible_facts"]["found"]
        assert found == {"devices": [{"name": names["dev"], "location": {"name": names["loc"]}}]}, found

        bad = play([{"name": "t", "ansible.builtin.debug": {
            "msg": "{{ query('statecraft.infra.nautobot', 'dcim/no-such-endpoint', url=u, token=k) }}"},
            "vars": {"u": proxy.url + "/api", "k": nautobot.token}}])
        run = playbook(bad, verbosity=3)
        assert run.task("t")["_status"] == "failed"
        assert "404" in run.output
        run.assert_hidden(nautobot.token)
    finally:
        for path, object_id in reversed(ids):
            nautobot.api("DELETE", "%s/%s/" % (path, object_id))
