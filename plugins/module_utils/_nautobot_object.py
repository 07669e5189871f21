# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Any Nautobot endpoint, core or an app's: nautobot_object (one object kept in a declared
state) and nautobot_info (reads), with no table of endpoints kept here.

nautobot_object builds a ``Resource`` at run time and hands it to the shared engine. What
each field is, it learns from Nautobot, as late as it can:

1. The one read that finds the object (``depth=1``) already shows every field the task sets
   that holds a value: a related object carries its URL (so its endpoint), a list of them
   (tags) too, a choice its ``value``. A converged task is decided from that read alone.
2. Only when a write is planned and that read cannot tell (a new object, a field still
   empty, a key the object does not show), the endpoint's OPTIONS is read once per task:
   the writable fields, which are required, their types and choices. OPTIONS is 4 KB and
   one query; the OpenAPI document is megabytes, seconds to generate, and describes every
   related field with the same generic object schema, so it does not name the target
   endpoint either.
3. For a related field the object does not show yet, the endpoint of its objects is read
   off one existing object that has it set (``<field>__isnull=false``, ``limit=1``). When
   no object has it, the value is sent as given (a name, an id or an attribute dict, which
   Nautobot resolves on write) and check mode cannot look it up.
"""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, ensure, same_value
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NAUTOBOT, NautobotAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource

# <app>/<model> or plugins/<app>/<model>, as the REST API lays them out
ENDPOINT = re.compile(r"^(plugins/)?[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*$")
INFO_PAGE_SIZE = 1000  # Nautobot's default MAX_PAGE_SIZE: fewest pages (each page runs a COUNT)
SCHEMA = "#schema"  # key of the learned schema among the adapter's task-long lookups
RESULT_KEY = "object"
# fields whose dict value is compared and written over the keys the task gives
MERGED = frozenset(("custom_fields",))
EMPTY = (None, "", [], {})


def endpoint_path(value):
    """``circuits/circuits``, also given as ``/api/circuits/circuits/``; else ModuleError."""
    path = (value or "").strip().strip("/")
    if path.startswith("api/"):
        path = path[len("api/"):]
    if not ENDPOINT.match(path):
        raise ModuleError("endpoint: %r is not an endpoint path such as circuits/circuits or "
                          "plugins/<app>/<model>" % value)
    return path


# -- what the options look like ----------------------------------------------------------------
def object_options():
    return dict(
        endpoint=dict(type="str", required=True),
        identity=dict(type="dict"),
        id=dict(type="str"),
        data=dict(type="dict", default={}),
        purge=dict(type="list", elements="str", default=[]),
        clear=dict(type="list", elements="str", default=[]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )


def info_options():
    return dict(
        endpoint=dict(type="str", required=True),
        id=dict(type="str"),
        filters=dict(type="dict", default={}),
        exactly_one=dict(type="bool", default=False),
        depth=dict(type="int", default=1),
        page_size=dict(type="int", default=INFO_PAGE_SIZE),
    )


# -- what Nautobot says about an endpoint -------------------------------------------------------
class Schema(object):
    """The writable fields of an endpoint as its OPTIONS describes them (``actions.POST``),
    plus the related endpoint of each related field learned so far."""

    def __init__(self, fields):
        self.fields = dict((name, info) for name, info in fields.items()
                           if not info.get("read_only") and name != "id")
        self.targets = {}  # field -> ("ref" | "refset", related endpoint)
        self.sample = None  # an existing object of the endpoint (depth 0), read when a target is needed

    def required(self):
        return sorted(name for name, info in self.fields.items() if info.get("required"))

    def empty(self, name):
        """What ``clear`` sets the field to: Nautobot keeps blank text as ""."""
        return "" if self.fields.get(name, {}).get("type") in ("string", "choice", "email", "url", "slug") else None

    def choices(self, name):
        return [c.get("value") for c in self.fields.get(name, {}).get("choices") or []]


def learn_schema(adapter, endpoint):
    """The endpoint's schema, read once per task (the adapter serves a task's loop items)."""
    key = (SCHEMA, endpoint)
    if key not in adapter.resolved:
        body = adapter.client.request("OPTIONS", endpoint + "/") or {}
        actions = body.get("actions") or {}
        if "POST" not in actions:
            raise ModuleError("endpoint: Nautobot does not let this token create objects at %s (its OPTIONS "
                              "lists no writable fields); check the endpoint and the token's permissions" % endpoint)
        adapter.resolved[key] = Schema(actions["POST"])
    return adapter.resolved[key]


def related_kind(value):
    """("ref" | "refset", endpoint) when ``value`` is a related object or a list of them, as
    Nautobot shows them (with their URL); ("value", None) for anything else; None when an
    empty value cannot tell."""
    if value in EMPTY:
        return None
    if NautobotAdapter.is_related(value) and NautobotAdapter.path_of(value):
        return "ref", NautobotAdapter.path_of(value)
    if isinstance(value, list) and all(NautobotAdapter.is_related(v) for v in value):
        return "refset", NautobotAdapter.path_of(value[0])
    return "value", None


def named(name):
    """The read of a field not known to be related: a related object (written as given, then
    read back) shows as its name, as a related field's value does in --diff."""
    def read(adapter, obj):
        value = NautobotAdapter.plain(obj.get(name))
        if related_kind(value) is not None and related_kind(value)[0] == "ref":
            return value.get("name") or value.get("display") or value.get("id")
        if related_kind(value) is not None and related_kind(value)[0] == "refset":
            return [v.get("name") or v.get("display") or v.get("id") for v in value]
        return value
    return read


def learn_target(adapter, endpoint, schema, name):
    """The related endpoint of ``name``, read off an existing object that has it set: any
    object first (one read for every required related field), then one that has this
    field set; None when no object does (or Nautobot cannot filter on it)."""
    if name not in schema.targets:
        schema.targets[name] = None
        if schema.sample is None:
            schema.sample = _one_object(adapter, endpoint, {}) or {}
        if not schema.sample:
            return None  # the endpoint holds no object yet: none can show the field either
        obj = schema.sample if schema.sample.get(name) else _one_object(adapter, endpoint, {name + "__isnull": "false"})
        kind = related_kind((obj or {}).get(name))
        if kind is not None and kind[0] != "value":
            schema.targets[name] = kind
    return schema.targets[name]


def _one_object(adapter, endpoint, filters):
    params = dict(filters, limit=1, depth=0)
    try:
        page = adapter.client.request("GET", endpoint + "/", params=params) or {}
    except ApiError as exc:
        if exc.status != 400:  # a filter Nautobot does not offer for this field
            raise
        return None
    results = page.get("results") or []
    return results[0] if results else None


# -- nautobot_object --------------------------------------------------------------------------------
class Task(object):
    """One run of nautobot_object: reads the object, declares the resource, runs the engine."""

    def __init__(self, adapter, params, check_mode, want_diff):
        self.adapter = adapter
        self.params = params
        self.check_mode = check_mode
        self.want_diff = want_diff
        self.endpoint = endpoint_path(params["endpoint"])
        self.identity = dict(params.get("identity") or {})
        self.data = dict(params.get("data") or {})
        self.clear = list(params.get("clear") or [])
        self.purge = list(params.get("purge") or [])
        self.schema = None

    def check_options(self):
        if not self.identity and not self.params.get("id"):
            raise ModuleError("give identity (the fields that find the object, such as {name: ...}) or id")
        if "id" in self.identity or "id" in self.data:
            raise ModuleError("an object's id is given with the id option, not in identity or data")
        for name, value in self.identity.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ModuleError("identity.%s: an empty value cannot find an object" % name)
        renamed = sorted(k for k in self.identity if k in self.data and not same_value(self.identity[k], self.data[k]))
        if renamed:
            raise ModuleError("%s: set in both identity and data with other values; to change a field that "
                              "finds the object, find it by id" % ", ".join(renamed))
        unknown = sorted(set(self.purge) - set(self.data))
        if unknown:
            raise ModuleError("purge: %s not in data; purge names list fields of data to make exact"
                              % ", ".join(unknown))

    def read(self):
        """The candidates, in one request: by id, or filtered by the identity's plain values
        (Nautobot filters related objects by name or id); dict values are matched locally."""
        if self.params.get("id"):
            found = self.adapter.get_or_none("%s/%s/" % (self.endpoint, self.params["id"]), params={"depth": 1})
            if found is None and self.params["state"] == "present":
                raise ModuleError("id: no object of %s has id %s (an id cannot be chosen for a new one; give "
                                  "identity instead)" % (self.endpoint, self.params["id"]))
            return [found] if found else []
        filters = {}
        for name, value in self.identity.items():
            if isinstance(value, bool):
                filters[name] = str(value).lower()
            elif isinstance(value, (str, int, float)):
                filters[name] = value
            elif isinstance(value, dict) and set(value) == {"id"}:
                filters[name] = value["id"]
        try:
            return self.adapter.list_objects(self.endpoint, filters)
        except ApiError as exc:
            if exc.status == 400 and exc.fields:
                raise ModuleError("identity: Nautobot cannot find objects of %s by %s" % (
                    self.endpoint, "; ".join("%s (%s)" % kv for kv in sorted(exc.fields.items()))))
            raise

    def kinds(self, candidates):
        """What each key is, as far as the objects read show it."""
        kinds = {}
        for name in list(self.identity) + list(self.data) + self.clear:
            for obj in candidates:
                kind = related_kind(obj.get(name))
                if kind is not None:
                    kinds[name] = kind
                    break
        return kinds

    def needs_schema(self, candidates, kinds):
        """True when a write may be needed that the read alone cannot shape: a create, a key
        the object does not show, a plain field that differs (is it writable, is the value
        one of its choices), an empty field to be set (is it a related object), a field to
        clear (Nautobot stores some empty as "", others as null). Related fields the object
        shows are matched by the engine, which knows their endpoint from the read."""
        if self.params["state"] == "absent":
            return False
        if not candidates:
            return True
        for obj in candidates:
            for name, value in self.data.items():
                if name not in obj:
                    return True
                if kinds.get(name, ("value",))[0] != "value" or (value in EMPTY and obj[name] in EMPTY):
                    continue  # a related value the engine matches on the read (its endpoint is known)
                have = NautobotAdapter.plain(obj[name])
                if name in MERGED and isinstance(value, dict) and isinstance(have, dict):
                    have = dict((k, have.get(k)) for k in value)
                if not same_value(have, value):
                    return True  # a write: check the key is a writable field first
            if any(name not in obj or obj[name] not in EMPTY for name in self.clear):
                return True
        return False

    def check_schema(self):
        names = set(self.identity) | set(self.data) | set(self.clear)
        unknown = sorted(names - set(self.schema.fields))
        if unknown:
            raise ModuleError("%s: not a writable field of %s; its writable fields: %s" % (
                ", ".join(unknown), self.endpoint, ", ".join(sorted(self.schema.fields))))

    def field(self, name, kind):
        schema = self.schema
        required = bool(schema and schema.fields.get(name, {}).get("required"))
        info = schema.fields.get(name, {}) if schema is not None else {}
        if kind is None and info.get("type") == "field" and not info.get("choices") and name not in MERGED \
                and self.value_of(name) not in EMPTY:
            kind = learn_target(self.adapter, self.endpoint, schema, name)
        if kind is not None and kind[0] == "ref":
            return Ref(kind[1], clearable=not required)
        if kind is not None and kind[0] == "refset":
            return RefSet(kind[1])
        empty = schema.empty(name) if schema else None
        choices = schema.choices(name) if schema else []
        return Field(type="raw", merge=name in MERGED, empty=empty, clearable=not required and name not in MERGED,
                     check=self.choice_check(choices) if choices else None,
                     read=None if kind is not None else named(name))

    def value_of(self, name):
        return self.data.get(name, self.identity.get(name))

    @staticmethod
    def choice_check(choices):
        def check(value):
            if value not in choices and str(value) not in [str(c) for c in choices]:
                raise ValueError("%r is not one of the choices Nautobot offers: %s" % (
                    value, ", ".join(str(c) for c in choices)))
        return check

    def resource(self, candidates, kinds):
        names = list(self.identity) + [n for n in list(self.data) + self.clear if n not in self.identity]
        fields = dict((name, self.field(name, kinds.get(name))) for name in names)
        if self.schema is not None:
            for name in self.schema.required():
                # a create that misses a required field fails before any write
                fields.setdefault(name, Field(type="raw", required_on_create=True, clearable=False))
        return Resource(
            name=RESULT_KEY,
            path=self.endpoint,
            platform=NAUTOBOT,
            identity=tuple(self.identity) if not self.params.get("id") else (),
            required_identity=(),
            display="display",
            fields=fields,
            find=self.finder(candidates),
        )

    def finder(self, candidates):
        """The engine's find: the candidates already read, then (a create that got no answer,
        or lost a race) a fresh read."""
        reads = [candidates]

        def find(adapter, resource, identity):
            return reads.pop() if reads else self.read()
        return find

    def engine_params(self):
        params = dict(self.identity)
        params.update(self.data)
        params.update(state=self.params["state"], clear=self.clear)
        for name in self.purge:
            params["purge_" + name] = True
        return params

    def run(self):
        self.check_options()
        candidates = self.read()
        kinds = self.kinds(candidates)
        if self.needs_schema(candidates, kinds):
            self.schema = learn_schema(self.adapter, self.endpoint)
            self.check_schema()
        resource = self.resource(candidates, kinds)
        result = ensure(resource, self.engine_params(), self.adapter, self.check_mode, self.want_diff)
        result["endpoint"] = self.endpoint
        return result


def run_object(adapter, params, check_mode, want_diff):
    """nautobot_object's task (``run_task``)."""
    return Task(adapter, params, check_mode, want_diff).run()


# -- nautobot_info and the lookup -------------------------------------------------------------------
def read_objects(adapter, endpoint, filters=None, depth=1, page_size=INFO_PAGE_SIZE):
    """Every object of ``endpoint`` that ``filters`` select, every page read."""
    if not 0 <= depth <= 10:
        raise ModuleError("depth: %s is not between 0 and 10" % depth)
    if not 1 <= page_size <= 1000:
        raise ModuleError("page_size: %s is not between 1 and 1000 (Nautobot's largest page)" % page_size)
    filters = dict((k, str(v).lower() if isinstance(v, bool) else v) for k, v in (filters or {}).items())
    try:
        return adapter.list_objects(endpoint_path(endpoint), filters, depth=depth, limit=page_size)
    except ApiError as exc:
        if exc.status == 400 and exc.fields:
            raise ModuleError("filters: Nautobot refused them: %s" % "; ".join(
                "%s: %s" % kv for kv in sorted(exc.fields.items())))
        raise


def info(adapter, params):
    """nautobot_info: one object by id, or the objects the filters select (every page);
    with exactly_one, the filters must select one object."""
    endpoint = endpoint_path(params["endpoint"])
    depth = params.get("depth")
    depth = 1 if depth is None else depth
    if params.get("id"):
        if params.get("filters"):
            raise ModuleError("id and filters: give one of them")
        found = adapter.get_or_none("%s/%s/" % (endpoint, params["id"]), params={"depth": depth})
        if found is None and params.get("exactly_one"):
            raise ModuleError("id: no object of %s has id %s" % (endpoint, params["id"]))
        return {"objects": [found] if found else [], "object": found or {}, "endpoint": endpoint}
    objects = read_objects(adapter, endpoint, params.get("filters"), depth,
                           params.get("page_size") or INFO_PAGE_SIZE)
    result = {"objects": objects, "endpoint": endpoint}
    if params.get("exactly_one"):
        if len(objects) != 1:
            raise ModuleError("filters: %d objects of %s match %s, not exactly one%s" % (
                len(objects), endpoint, adapter.describe_query(params.get("filters") or {}) or "(no filters)",
                ": " + ", ".join(adapter.describe(o) for o in objects[:3]) if objects else ""))
        result["object"] = objects[0]
    return result


def graphql(adapter, query, variables=None):
    """The ``data`` of a GraphQL query (POST /api/graphql/); its errors as one ModuleError,
    each after the field it concerns (``devices: ...``). A query Nautobot cannot run (a
    syntax error, an unknown argument) is answered 400 with the same ``errors`` list."""
    body = adapter.client.request("POST", "graphql/", json_body={"query": query, "variables": variables or {}},
                                  expect=(200, 400), idempotent=True)
    body = body or {}
    if body.get("errors") or "data" not in body:
        messages = []
        for error in body.get("errors") or [body]:
            message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
            where = ".".join(str(p) for p in error.get("path") or []) if isinstance(error, dict) else ""
            messages.append("%s: %s" % (where, message) if where else message)
        raise ModuleError("graphql: %s" % "; ".join(messages))
    return body.get("data") or {}
