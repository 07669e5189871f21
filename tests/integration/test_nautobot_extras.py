# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the contract walk (nautobot_contract) cannot show of the extras modules, against the
real Nautobot: a custom field's choices (their own collection, one more read), a contact
association whose object is named rather than given by id, and a contact found by id so
that a part of its natural key can change."""

from __future__ import absolute_import, division, print_function

import pytest


@pytest.fixture
def run(module_run, connection):
    def run(module, **args):
        return module_run(module, **dict(connection, **args))
    return run


def observe(evidence, action, *args, **kwargs):
    watching = evidence()
    outcome = action(*args, **kwargs)
    return outcome, watching.stop()


def choice_values(nautobot, key):
    return sorted((c["value"], c["weight"]) for c in nautobot.get("extras/custom-field-choices/", custom_field=key)["results"])


def test_custom_field_choices(nautobot, evidence, run, unique):
    key = "sel_%s" % unique
    field = dict(key=key, label="Sel %s" % unique, type="select", content_types=["dcim.device"])

    # created with its choices, and a default that must be one of them
    result, ev = observe(evidence, run, "nautobot_custom_field", choices=[{"value": "gold", "weight": 10},
                                                                          {"value": "silver"}],
                         default="silver", **field)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["POST", "POST", "PATCH"], ev.requests
    assert choice_values(nautobot, key) == [("gold", 10), ("silver", 100)]
    assert result["custom_field"]["default"] == "silver"

    # converged: the field's read and its choices' read, nothing written
    result, ev = observe(evidence, run, "nautobot_custom_field", choices=[{"value": "gold"}, {"value": "silver"}],
                         default="silver", **field)
    assert result["changed"] is False, result
    assert ev.methods() == ["GET", "GET"], ev.requests
    ev.assert_no_write()

    # add-only: a new choice and a new weight, the others kept
    result, ev = observe(evidence, run, "nautobot_custom_field", choices=[{"value": "bronze"}, {"value": "gold", "weight": 5}],
                         **field)
    assert result["changed"] is True, result
    assert sorted(r["method"] for r in ev.writes) == ["PATCH", "POST"], ev.requests
    assert choice_values(nautobot, key) == [("bronze", 100), ("gold", 5), ("silver", 100)]

    # exact: the unlisted choice is deleted, after the default moved off it (one PATCH, one DELETE)
    result, ev = observe(evidence, run, "nautobot_custom_field", choices=[{"value": "bronze"}, {"value": "gold"}],
                         purge_choices=True, default="gold", **field)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["PATCH", "DELETE"], ev.requests
    assert choice_values(nautobot, key) == [("bronze", 100), ("gold", 5)]
    assert sorted(c["value"] for c in result["custom_field"]["custom_field_choices"]) == ["bronze", "gold"]

    # the type cannot change: refused before any write
    result, ev = observe(evidence, run, "nautobot_custom_field", key=key, type="text")
    assert result.get("failed") is True and "type" in result["msg"], result
    ev.assert_no_write()

    # choices on a field that has none are refused before any request
    result = run("nautobot_custom_field", key="txt_%s" % unique, type="text", choices=[{"value": "a"}])
    assert result.get("failed") is True and "choices" in result["msg"], result

    result = run("nautobot_custom_field", key=key, state="absent")
    assert result["changed"] is True, result


def test_contact_association_by_name(nautobot, evidence, run, unique):
    location_type = "lt-ca-%s" % unique
    nautobot.api("POST", "dcim/location-types/", json={"name": location_type, "content_types": ["dcim.device"]})
    site = {"name": "site-%s" % unique, "location_type": {"name": location_type}, "status": {"name": "Active"}}
    nautobot.api("POST", "dcim/locations/", json=site)
    nautobot.api("POST", "extras/teams/", json={"name": "team-%s" % unique})
    named = dict(team="team-%s" % unique, role="Billing")
    args = dict(named, associated_object_type="dcim.location", associated_object="site-%s" % unique)

    result, ev = observe(evidence, run, "nautobot_contact_association", status="Secondary", **args)
    assert result["changed"] is True, result
    assert [r["method"] for r in ev.writes] == ["POST"], ev.requests
    created = result["contact_association"]
    assert created["associated_object"] == "site-%s" % unique
    assert created["status"]["name"] == "Secondary"

    # converged: the app's endpoints, the location, the association
    result, ev = observe(evidence, run, "nautobot_contact_association", status="Secondary", **args)
    assert result["changed"] is False, result
    assert ev.methods() == ["GET", "GET", "GET"], ev.requests

    # a misspelled object: a clear message, nothing written
    result, ev = observe(evidence, run, "nautobot_contact_association", associated_object_type="dcim.location",
                         associated_object="no-such-site-%s" % unique, **named)
    assert result.get("failed") is True and "no-such-site-%s" % unique in result["msg"], result
    ev.assert_no_write()

    # a type whose API path is hyphenated and plural (virtualization.vminterface -> interfaces)
    result = run("nautobot_contact_association", state="absent", associated_object_type="virtualization.vminterface",
                 associated_object="no-such-%s" % unique, **named)
    assert result["changed"] is False, result

    result = run("nautobot_contact_association", state="absent", **args)
    assert result["changed"] is True, result
    assert nautobot.count("extras/contact-associations/", associated_object_id=created["associated_object_id"]) == 0
    nautobot.api("DELETE", "dcim/locations/%s/" % created["associated_object_id"])
    nautobot.api("DELETE", "dcim/location-types/%s/" % nautobot.one("dcim/location-types/", name=location_type)["id"])
    nautobot.api("DELETE", "extras/teams/%s/" % created["team"]["id"])


def test_contact_by_id_changes_its_phone(nautobot, run, unique):
    name = "contact-id-%s" % unique
    created = run("nautobot_contact", name=name, phone="+1 555 0001")["contact"]
    result = run("nautobot_contact", id=created["id"], name=name, phone="+1 555 0002")
    assert result["changed"] is True, result
    assert nautobot.count("extras/contacts/", name=name) == 1
    # by name and the new phone it is the same contact now
    assert run("nautobot_contact", name=name, phone="+1 555 0002")["changed"] is False
    # the same name with another phone is another contact (Nautobot's unique name + phone + email)
    other = run("nautobot_contact", name=name, phone="+1 555 0003")
    assert other["changed"] is True and other["contact"]["id"] != created["id"]
    result = run("nautobot_contact", name=name)
    assert result.get("failed") is True and "2 contact objects match" in result["msg"], result
    for phone in ("+1 555 0002", "+1 555 0003"):
        assert run("nautobot_contact", name=name, phone=phone, state="absent")["changed"] is True
