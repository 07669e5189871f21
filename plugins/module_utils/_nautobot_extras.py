# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot's custom fields, relationships, contacts and teams, declared once (see _nautobot_resources).

A custom field's choices live in their own collection (``extras/custom-field-choices``),
which the field's own read does not carry at any depth: they are declared as a part of the
field, read with one more request only when a task manages them, and written by hooks
around the field's own write (each hook takes the adapter first, ``_nautobot.NautobotAdapter``).
"""

from __future__ import absolute_import, division, print_function

import json
import re

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, KeyedSet, Ref, RefSet, Resource, ValueSet

MAX_PAGE = 1000  # Nautobot's default MAX_PAGE_SIZE: one request for up to this many objects


def find_unfiltered(adapter, resource, identity):  # pylint: disable=unused-argument
    """Every object of the collection, for a natural key Nautobot offers no filter for
    (a custom field's ``key``); the engine matches the identity locally."""
    return adapter.list_objects(resource.path, {}, limit=MAX_PAGE)


# -- custom field choices -------------------------------------------------------------------
CHOICES = "custom_field_choices"  # where a custom field read here holds its choices (with ids)
CHOICES_PATH = "extras/custom-field-choices"
SELECTION_TYPES = ("select", "multi-select")
DEFAULT_WEIGHT = 100


def read_choices(adapter, obj):
    """The field's choices as {value, weight}, read once per object (none for a field
    still to be created)."""
    if CHOICES not in obj:
        if obj.get("id") is None:
            return None
        found = adapter.list_objects(CHOICES_PATH, {"custom_field": obj["id"]}, depth=0, limit=MAX_PAGE)
        obj[CHOICES] = [dict(id=c["id"], value=c["value"], weight=c["weight"]) for c in found]
    # a choice given without a weight gets Nautobot's default, so predictions show it too
    return [dict(value=c["value"], weight=c.get("weight", DEFAULT_WEIGHT)) for c in obj[CHOICES]]


def check_choices(value):
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str) or not entry["value"]:
            raise ValueError("each choice is a dict with a non-empty value (and optionally weight), not %r" % (entry,))
        unknown = sorted(set(entry) - {"value", "weight"})
        if unknown:
            raise ValueError("choice %r: unknown key(s) %s; a choice has value and weight"
                             % (entry["value"], ", ".join(unknown)))


def check_custom_field(params):
    if params.get("choices") and params.get("type") and params["type"] not in SELECTION_TYPES:
        raise ValueError("choices: only select and multi-select custom fields have choices, not type %s"
                         % params["type"])


def check_custom_field_write(adapter, resource, current, payload):  # pylint: disable=unused-argument
    # Nautobot refuses it too, but only at the write; check mode should know as well
    if current is not None and "type" in payload:
        raise ModuleError("type: the custom field is %s and Nautobot cannot change a custom field's type; "
                          "delete it (and its values) and create it anew" % adapter.plain(current.get("type")))


def sync_choices(adapter, field, have, target, removals):
    """Write the choices of ``field`` (an id): add and reweigh those of ``target`` first, or
    (``removals``) delete those ``target`` does not hold, so a default always has its choice."""
    by_value = dict((c["value"], c) for c in have)
    if removals:
        wanted = set(c["value"] for c in target)
        gone = [{"id": c["id"]} for c in have if c["value"] not in wanted]
        if gone:
            adapter.client.request("DELETE", CHOICES_PATH + "/", json_body=gone)
        return
    new = [dict(entry, custom_field=field) for entry in target if entry["value"] not in by_value]
    if new:
        adapter.client.request("POST", CHOICES_PATH + "/", json_body=new)
    for entry in target:
        stored = by_value.get(entry["value"])
        if stored is not None and "weight" in entry and str(stored["weight"]) != str(entry["weight"]):
            adapter.client.request("PATCH", "%s/%s/" % (CHOICES_PATH, stored["id"]), json_body={"weight": entry["weight"]})


def create_custom_field(adapter, resource, payload):
    """POST the field, then its choices; a default that must be one of them comes last."""
    payload = dict(payload)
    choices = payload.pop(CHOICES, None)
    default = payload.pop("default", None) if choices and "default" in payload else None
    obj = adapter.create(resource, payload)
    if choices:
        sync_choices(adapter, obj["id"], [], choices, removals=False)
        if default is not None:
            obj = adapter.update(resource, obj, {"default": default})
        obj.pop(CHOICES, None)
        read_choices(adapter, obj)
    else:
        obj[CHOICES] = []  # a new field has none: nothing to read for the diff
    return obj


def update_custom_field(adapter, resource, current, payload):
    payload = dict(payload)
    choices = payload.pop(CHOICES, None)
    have = current.get(CHOICES) or []
    if choices is not None:
        sync_choices(adapter, current["id"], have, choices, removals=False)
    obj = adapter.update(resource, current, payload) if payload else dict(current)
    if choices is not None:
        sync_choices(adapter, current["id"], have, choices, removals=True)
        obj.pop(CHOICES, None)
        read_choices(adapter, obj)
    return obj


CUSTOM_FIELD = Resource(
    name="custom_field",
    path="extras/custom-fields",
    platform=NAUTOBOT,
    identity=("key",),  # unique; the label is only shown (and need not be unique)
    fields=dict(
        key=Field(required=True, secret=False),  # a name, though Ansible takes "key" for a secret
        label=Field(required_on_create=True, clearable=False),
        type=Field(choices=["text", "integer", "boolean", "date", "datetime", "url", "select", "multi-select",
                            "json", "markdown"], required_on_create=True, clearable=False),
        content_types=ValueSet(required_on_create=True),
        grouping=Field(empty=""),
        description=Field(empty=""),
        required=Field(type="bool", clearable=False),
        default=Field(type="raw"),
        filter_logic=Field(choices=["disabled", "loose", "exact"], clearable=False),
        weight=Field(type="int", clearable=False),
        validation_minimum=Field(type="int"),
        validation_maximum=Field(type="int"),
        validation_regex=Field(empty=""),
        advanced_ui=Field(type="bool", clearable=False),
        choices=KeyedSet("value", wire=CHOICES, read=read_choices, check=check_choices),
    ),
    check=check_custom_field,
    find=find_unfiltered,
    create=create_custom_field,
    update=update_custom_field,
    check_write=check_custom_field_write,
)

RELATIONSHIP = Resource(
    name="relationship",
    path="extras/relationships",
    platform=NAUTOBOT,
    identity=("key",),  # unique (the label is unique too, but may be changed)
    fields=dict(
        key=Field(required=True, secret=False),  # a name, though Ansible takes "key" for a secret
        label=Field(required_on_create=True, clearable=False),
        type=Field(choices=["one-to-one", "symmetric-one-to-one", "one-to-many", "many-to-many",
                            "symmetric-many-to-many"], clearable=False),
        # object types as app_label.model; Nautobot refuses a change once associations exist
        source_type=Field(required_on_create=True, clearable=False),
        destination_type=Field(required_on_create=True, clearable=False),
        source_label=Field(empty=""),
        destination_label=Field(empty=""),
        source_hidden=Field(type="bool", clearable=False),
        destination_hidden=Field(type="bool", clearable=False),
        source_filter=Field(type="dict"),
        destination_filter=Field(type="dict"),
        required_on=Field(choices=["source", "destination"], empty=""),
        description=Field(empty=""),
        advanced_ui=Field(type="bool", clearable=False),
    ),
)


def _point_of_contact(name, path, **fields):
    """A contact or a team: unique by name, phone and email together (Nautobot's rule), so
    phone and email, when given, narrow the match; ``id`` finds one whose phone or email changes."""
    return Resource(
        name=name,
        path=path,
        platform=NAUTOBOT,
        identity=("name", "phone", "email"),
        required_identity=("name",),
        by_id=True,
        # the members (a team's contacts, a contact's teams) are many-to-many
        read_params={"exclude_m2m": "false"},
        fields=dict(
            dict(name=Field(required=True), phone=Field(clearable=False), email=Field(clearable=False),
                 address=Field(empty=""), comments=Field(empty=""), **fields),
            tags=RefSet("extras/tags"),
            custom_fields=Field(type="dict", merge=True, clearable=False),
        ),
    )


CONTACT = _point_of_contact("contact", "extras/contacts", teams=RefSet("extras/teams"))
TEAM = _point_of_contact("team", "extras/teams", contacts=RefSet("extras/contacts"))

# -- contact associations ------------------------------------------------------------------
# The association holds its object as a content type and a bare id (a generic foreign key),
# which Nautobot neither expands nor resolves by name: the object the task names is looked
# up in its type's collection, and the association is then found and written by that id.
ASSOCIATED = "associated_object"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def collection_of(adapter, object_type):
    """The API path of a content type's objects (``dcim.location`` -> ``dcim/locations``),
    from the app's endpoint list, read once per task: Nautobot's path segments are plural and
    hyphenated (``ipam.ipaddress`` -> ``ipam/ip-addresses``, ``virtualization.vminterface``
    -> ``virtualization/interfaces``), so they are matched rather than built."""
    app, _dot, model = object_type.partition(".")
    key = ("api", app)
    if key not in adapter.resolved:
        adapter.resolved[key] = sorted(adapter.get_or_none(app + "/") or {})
    segments = adapter.resolved[key]
    plurals = (model + "s", model + "es", model[:-1] + "ies")
    exact = [s for s in segments if s.replace("-", "") in plurals]
    near = [s for s in segments if model.endswith(s.replace("-", "")[:-1])]
    found = exact or near
    if len(found) != 1:
        raise ModuleError("associated_object_type: Nautobot has no API collection for %s; give it as "
                          "app_label.model (for example dcim.location)" % object_type)
    return "%s/%s" % (app, found[0])


def associated_id(adapter, object_type, value):
    """The id of the object the task names (an id is taken as it is, unread), or None when no
    object matches; several matches are an error."""
    if isinstance(value, str) and UUID.match(value):
        return value
    if isinstance(value, dict) and set(value) == {"id"}:
        return value["id"]
    path = collection_of(adapter, object_type)
    query = value if isinstance(value, dict) else {"name": value}
    key = (path, "associated", json.dumps(query, sort_keys=True, default=str))
    if key not in adapter.resolved:
        # Nautobot filters related objects by name or id; deeper dicts are not filters
        filters = dict((k, v["id"] if isinstance(v, dict) else v) for k, v in query.items()
                       if not isinstance(v, dict) or set(v) == {"id"})
        adapter.resolved[key] = [o["id"] for o in adapter.list_objects(path, filters)]
    found = adapter.resolved[key]
    if len(found) > 1:
        raise ModuleError("associated_object: %d objects of %s match %s; give more identifying fields or an id"
                          % (len(found), path, adapter.describe_query(query)))
    return found[0] if found else None


def find_association(adapter, resource, identity):
    """The associations of the named object with the contact or team in the role (one read
    once the object's id is known); each is shown with the object as the task named it."""
    object_id = associated_id(adapter, identity["associated_object_type"], identity[ASSOCIATED])
    if object_id is None:
        return []
    filters = {"associated_object_type": identity["associated_object_type"], "associated_object_id": object_id}
    for name in ("contact", "team", "role"):
        if name in identity:
            query = identity[name]
            filters[name] = query["id"] if set(query) == {"id"} else query.get("name")
    found = [o for o in adapter.list_objects(resource.path, dict((k, v) for k, v in filters.items() if v))
             if o.get("associated_object_id") == object_id]
    for obj in found:
        obj[ASSOCIATED] = identity[ASSOCIATED]
    return found


def create_association(adapter, resource, payload):
    payload = dict(payload)
    named = payload.pop(ASSOCIATED)
    object_id = associated_id(adapter, payload["associated_object_type"], named)
    if object_id is None:
        raise ModuleError("associated_object: no %s matches %s" % (
            collection_of(adapter, payload["associated_object_type"]),
            adapter.describe_query(named if isinstance(named, dict) else {"name": named})))
    payload["associated_object_id"] = object_id
    obj = adapter.create(resource, payload)
    obj[ASSOCIATED] = named
    return obj


def update_association(adapter, resource, current, payload):
    obj = adapter.update(resource, current, payload)
    obj[ASSOCIATED] = current[ASSOCIATED]
    return obj


CONTACT_ASSOCIATION = Resource(
    name="contact_association",
    path="extras/contact-associations",
    platform=NAUTOBOT,
    # Nautobot's unique pairs: (contact or team, the object, role)
    identity=("contact", "associated_object_type", ASSOCIATED, "role"),
    identities=[("team", "associated_object_type", ASSOCIATED, "role")],
    required_identity=("associated_object_type", ASSOCIATED, "role"),
    mutually_exclusive=[("contact", "team")],
    fields=dict(
        contact=Ref("extras/contacts", clearable=False),
        team=Ref("extras/teams", clearable=False),
        associated_object_type=Field(clearable=False),
        associated_object=Field(type="raw", clearable=False),
        role=Ref("extras/roles", clearable=False),
        status=Ref("extras/statuses", create_default="Active", clearable=False),
        custom_fields=Field(type="dict", merge=True, clearable=False),
    ),
    find=find_association,
    create=create_association,
    update=update_association,
)

# the declarations of this file, for the registry of every kind (_nautobot_kinds)
ALL = (CONTACT, CONTACT_ASSOCIATION, CUSTOM_FIELD, RELATIONSHIP, TEAM)
