# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract cases (nautobot_contract) of custom fields, relationships, tenant groups, contacts, teams; see nautobot_cases_core."""

from __future__ import absolute_import, division, print_function

from nautobot_contract import Case

ASSOCIATION_FIELD = "statecraft_association_note"


def setup(nautobot, names):
    """More related objects, made after the core ones (``names``: theirs and ``suffix``);
    returns the names of those it made."""
    made = dict((key, "%s-base-%s" % (key, names["suffix"])) for key in ("team", "contact", "xtag"))
    nautobot.api("POST", "extras/tags/", json={"name": made["xtag"], "content_types": ["extras.contact", "extras.team"]})
    nautobot.api("POST", "extras/teams/", json={"name": made["team"]})
    nautobot.api("POST", "extras/contacts/", json={"name": made["contact"], "email": "base@example.com"})
    made["loc_id"] = nautobot.one("dcim/locations/", name=names["loc"])["id"]
    # the one custom field of contact associations (the association case compares all of them)
    if not any(cf["key"] == ASSOCIATION_FIELD for cf in nautobot.get("extras/custom-fields/", limit=1000)["results"]):
        nautobot.api("POST", "extras/custom-fields/", json={
            "key": ASSOCIATION_FIELD, "label": "Statecraft test note", "type": "text",
            "content_types": ["extras.contactassociation"]})
    return made


# module, identifying + creating options, one-field update, (related option, bad value)
CASES = [
    Case("nautobot_tenant_group", {"name": "tg-{u}", "parent": "{group}", "description": "one"},
         {"description": "two"}, ("parent", "no-such-group-{u}")),
    Case("nautobot_custom_field", {"key": "cf_{u}", "label": "CF {u}", "type": "text",
                                   "content_types": ["dcim.device"], "validation_regex": "^[a-z]+$"},
         {"description": "two"}, None),
    Case("nautobot_relationship", {"key": "rel_{u}", "label": "Rel {u}", "type": "one-to-many",
                                   "source_type": "dcim.location", "destination_type": "dcim.device",
                                   "source_label": "Devices"},
         {"description": "two"}, None),
    Case("nautobot_contact", {"name": "contact-{u}", "email": "c{u}@example.com", "phone": "+1 555 0100",
                              "teams": ["{team}"], "tags": ["{xtag}"]},
         {"comments": "two"}, ("teams", "no-such-team-{u}")),
    Case("nautobot_team", {"name": "team-{u}", "email": "t{u}@example.com", "contacts": ["{contact}"],
                           "address": "1 Main St"},
         {"comments": "two"}, ("contacts", "no-such-contact-{u}")),
    Case("nautobot_contact_association", {"contact": "{contact}", "associated_object_type": "dcim.location",
                                          "associated_object": "{loc_id}", "role": "Support",
                                          "custom_fields": {ASSOCIATION_FIELD: "one"}},
         {"custom_fields": {ASSOCIATION_FIELD: "two"}}, ("role", "no-such-role-{u}")),
]
