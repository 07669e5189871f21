# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ensure engine: desired state against current state, for every platform.

``ensure(resource, params, adapter, check_mode, want_diff)`` is a pure function of the
module parameters and an adapter (which owns the HTTP client). It never exits the process
and never touches ``AnsibleModule``, so an action plugin or a bulk runner can call it.

Decisions, in order: find the object by its natural key (one read), compare only the
fields the user set, then create, PATCH only what differs, delete, or do nothing. Check
mode takes the same decisions and writes nothing; related objects that do not exist yet
give a warning and a predicted change instead of a failure.
"""

from __future__ import absolute_import, division, print_function

import copy
import datetime
import json
import re
import time

from ansible_collections.statecraft.infra.plugins.module_utils._http import MASK, ApiError, mask_secrets


class ModuleError(Exception):
    """Bad input or an impossible request, reported before any write when possible.

    ``result`` is what a failure after a write still reports (``changed``, the objects)."""

    def __init__(self, message, result=None):
        super(ModuleError, self).__init__(message)
        self.result = result or {}


class LostRace(Exception):
    """A create refused because the object exists now: another run made it since the read."""

    def __init__(self, current):
        super(LostRace, self).__init__("lost a create race")
        self.current = current


# how platforms word "that exists already" in a 400 (a 409 needs no words)
EXISTS = re.compile(r"already exist|already has|already in use|already taken|unique|duplicate", re.I)

UNKNOWN = None  # a comparison that needs a lookup to decide
PROGRESS_EVERY = 20  # seconds between progress lines of a long wait (the state is told at once)


def same_value(current, desired):
    """Equality that tolerates the usual wire drift: 1 vs "1", 1.0 vs 1, key order."""
    if current == desired:
        return True
    if current is None or desired is None:
        return False
    if isinstance(current, bool) or isinstance(desired, bool):
        return False
    if isinstance(current, (int, float)) and isinstance(desired, (int, float, str)):
        try:
            return float(current) == float(desired)
        except ValueError:
            return False
    if isinstance(desired, (int, float)) and isinstance(current, str):
        try:
            return float(current) == float(desired)
        except ValueError:
            return False
    if isinstance(current, (dict, list)) or isinstance(desired, (dict, list)):
        return _canonical(current) == _canonical(desired)
    moments = _moment(current), _moment(desired)
    if None not in moments:
        return moments[0] == moments[1]
    return str(current) == str(desired)


TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _moment(value):
    """An ISO 8601 timestamp as naive UTC (seconds and fractions padded), else None:
    "2024-01-02T10:11:12Z" and "2024-01-02T10:11:12.000000" are one moment (naive = UTC)."""
    match = TIMESTAMP.match(value) if isinstance(value, str) else None
    if not match:
        return None
    day, hour, minute, second, fraction, zone = match.groups()
    offset = 0
    if zone and zone != "Z":
        offset = (-1 if zone[0] == "+" else 1) * (int(zone[1:3]) * 60 + int(zone[-2:]))
    return datetime.datetime.strptime(day, "%Y-%m-%d") + datetime.timedelta(
        hours=int(hour), minutes=int(minute) + offset, seconds=int(second or 0),
        microseconds=int((fraction or "0").ljust(6, "0")))


def _canonical(value):
    return json.dumps(value, sort_keys=True, default=str)


def deep_delta(have, want, masks=()):
    """The part of ``want`` that ``have`` does not hold yet, as a nested dict ({} when
    none). A value the server shows as one of ``masks`` is a secret: it cannot be compared,
    so it is never part of the delta (secrets are written per ``update_secrets``)."""
    delta = {}
    for key, value in want.items():
        current = have.get(key) if isinstance(have, dict) else None
        if isinstance(current, str) and current in masks:
            continue
        if isinstance(value, dict) and isinstance(current, dict):
            inner = deep_delta(current, value, masks)
            if inner:
                delta[key] = inner
        elif not same_value(current, value):
            delta[key] = value
    return delta


def deep_merge(base, delta):
    """``base`` with ``delta`` merged in: nested dicts key by key, anything else replaced."""
    merged = dict(base or {})
    for key, value in delta.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def deep_subset(value, shape):
    """``value`` restricted to the keys (at every depth) that ``shape`` has."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, inner in shape.items():
        if isinstance(inner, dict) and isinstance(value.get(key), dict):
            out[key] = deep_subset(value[key], inner)
        else:
            out[key] = value.get(key)
    return out


class Ensure(object):
    def __init__(self, resource, params, adapter, check_mode=False, sleep=time.sleep,
                 clock=time.monotonic):
        self.resource = resource
        self.params = params
        self.adapter = adapter
        self.check_mode = check_mode
        # a related object not found yet is assumed to come from an earlier task of a dry run
        self.assume_created = check_mode
        self.warnings = []
        self.state = params.get("state") or "present"
        self.clear = list(params.get("clear") or [])
        self.obj = None  # the object as the server has it (or would have it, in check mode)
        self._sleep = sleep
        self._clock = clock

    # -- input -----------------------------------------------------------------------------
    def validate(self):
        for names in self.resource.identities:
            for name in names:
                value = self.params.get(name)
                if isinstance(value, str) and not value.strip():
                    raise ModuleError("%s: an empty value cannot identify a %s" % (name, self.resource.name))
        missing = [n for n in self.resource.required_identity if self.params.get(n) is None]
        if missing and not self.params.get("id"):
            raise ModuleError("missing required option(s) to identify the %s: %s"
                              % (self.resource.name, ", ".join(missing)))
        clearable = sorted(n for n, f in self.resource.fields.items()
                           if f.clearable and n not in self.resource.required_identity)
        unknown = [n for n in self.clear if n not in clearable]
        if unknown:
            raise ModuleError("clear: %s cannot be cleared; fields this module can clear: %s"
                              % (", ".join(unknown), ", ".join(clearable)))
        both = [n for n in self.clear if self.params.get(n) is not None]
        if both:
            raise ModuleError("option(s) %s are both set and listed in clear; choose one"
                              % ", ".join(sorted(both)))
        for name, field in self.resource.fields.items():
            value = self.params.get(name)
            if value is None:
                continue
            try:
                if field.check is not None:
                    field.check(value)
                if field.canonical is not None:
                    field.canonical(value)
            except ValueError as exc:
                raise ModuleError("%s: %s" % (name, exc))
        if self.resource.check is not None:
            try:
                self.resource.check(self.params)
            except ValueError as exc:
                raise ModuleError(str(exc))
        if not self.params.get("id"):
            self.identity_options()

    def identity_options(self):
        """The option set that finds the object: the first of the resource's identities
        whose options are all given (the main one may leave its optional parts unset)."""
        identities = self.resource.identities
        if len(identities) == 1:
            return identities[0]
        for names in identities:
            if all(self.params.get(n) is not None for n in names):
                return names
        raise ModuleError("to find the %s, give %s" % (
            self.resource.name, ", or ".join(" + ".join(names) for names in identities)))

    def desired(self):
        fields = self.resource.fields
        wanted = dict((n, self.params[n]) for n in fields if self.params.get(n) is not None)
        for name in self.clear:
            wanted[name] = fields[name].empty
        return wanted

    # -- the adapter, or the resource's own way where it declares one (_spec.Resource) --------
    def find_objects(self, identity, deep):
        if self.resource.find is not None:
            return self.resource.find(self.adapter, self.resource, identity)
        return self.adapter.find(self.resource, identity, deep=deep)

    def create_object(self, payload):
        if self.resource.create is not None:
            return self.resource.create(self.adapter, self.resource, payload)
        return self.adapter.create(self.resource, payload)

    def update_object(self, current, payload):
        if self.resource.resend:
            payload = dict(dict((k, current.get(k)) for k in self.resource.resend), **payload)
        if self.resource.update is not None:
            return self.resource.update(self.adapter, self.resource, current, payload)
        return self.adapter.update(self.resource, current, payload)

    def delete_object(self, current):
        if self.resource.delete is not None:
            return self.resource.delete(self.adapter, self.resource, current)
        return self.adapter.delete(self.resource, current)

    def check_write(self, current, payload):
        self.adapter.check_write(self.resource, current, payload)
        if self.resource.check_write is not None:
            self.resource.check_write(self.adapter, self.resource, current, payload)

    def result_view(self, obj):
        if self.resource.view is not None and obj:
            return self.resource.view(self.adapter, obj)
        return self.adapter.result_view(self.resource, obj)

    def is_absent(self, obj):
        return self.resource.is_absent is not None and bool(self.resource.is_absent(obj))

    def read(self, field, obj):
        if field.read is not None and obj is not None:
            return field.read(self.adapter, obj)
        return self.adapter.read(field, obj)

    def shown(self, field, value):
        value = self.adapter.shown(field, value)
        return mask_secrets(value, keep=self.adapter.masks) if field.secret_keys else value

    # -- related objects -------------------------------------------------------------------
    def query(self, field, value):
        query = self.adapter.ref_query(field, value, self.params)
        where = getattr(field, "where", None)  # a Ref's; scope siblings may be plain fields
        if where and field.key in query:
            query.update(where)  # a name that may exist in several kinds
        return query

    def resolve(self, field, query):
        """All objects of ``field.path`` that match ``query``, cached per run."""
        key = (field.path, "matched", _canonical(query))
        cache = self.adapter.resolved
        if key not in cache:
            candidates = self.adapter.resolve(field, query)
            cache[key] = [c for c in candidates if self.match(field, c, query) is not False]
        return cache[key]

    def match(self, field, obj, query):
        """True/False when the read object decides it, UNKNOWN when a lookup is needed."""
        if obj is None:
            return False
        if self.adapter.is_stub(obj) and set(query) - {"id"}:
            return UNKNOWN
        verdict = True
        for key, wanted in query.items():
            if key in getattr(field, "filter_keys", ()):
                continue  # the server filtered by it; the object as read does not show it
            have = obj.get(key)
            if not self.adapter.is_related(have):
                have = self.adapter.plain(have)
            elif not isinstance(wanted, dict):
                wanted = self.adapter.nested_query(wanted)
            if isinstance(wanted, dict):
                sub = _Nested(self.adapter.path_of(have) if have else None)
                result = self.match(sub, have, wanted) if have is not None else False
                if result is UNKNOWN:
                    result = self._match_by_lookup(sub, have, wanted)
            else:
                result = same_value(have, wanted)
            if result is False:
                return False
            if result is UNKNOWN:
                verdict = UNKNOWN
        return verdict

    def _match_by_lookup(self, field, obj, query):
        if field.path is None:
            return False
        ids = set(self.adapter.object_id(o) for o in self.resolve(field, query))
        return self.adapter.object_id(obj) in ids

    def matches(self, field, obj, query):
        result = self.match(field, obj, query)
        if result is UNKNOWN:
            result = self._match_by_lookup(field, obj, query)
        return result

    def one(self, field, query):
        """The single related object a write needs, or a clear error (or, in check mode, a
        warning when it may be created by an earlier task of the same run)."""
        found = self.resolve(field, query)
        if len(found) == 1:
            return found[0]
        shown = self.adapter.describe_query(query)
        if not found:
            if self.assume_created:
                self.warnings.append(
                    "%s: no %s matches %s; assuming an earlier task in this check run creates it"
                    % (field.name, field.path, shown))
                return None
            raise ModuleError("%s: no %s matches %s" % (field.name, field.path, shown))
        raise ModuleError("%s: %d objects of %s match %s (%s); give more identifying fields or an id"
                          % (field.name, len(found), field.path, shown,
                             ", ".join(self.adapter.describe(o) for o in found[:3])))

    def scoped(self, field, query):
        """A name given alone is narrowed by the sibling options the field is scoped by."""
        if set(query) != {field.key}:
            return query
        query = dict(query)
        for key, sibling in field.scope.items():
            if self.params.get(sibling) is not None:
                query[key] = self.query(self.resource.fields[sibling], self.params[sibling])
        return query

    def ref_write(self, field, query):
        """(wire value, predicted nested object) for setting ``field`` to ``query``."""
        query = self.scoped(field, query)
        if not self.check_mode and self.adapter.server_resolves(field, query):
            return self.adapter.ref_payload(field, query, None), None
        obj = self.one(field, query)
        if obj is None:
            return self.adapter.ref_payload(field, query, None), self.adapter.placeholder(field, query)
        return self.adapter.ref_payload(field, query, obj), obj

    # -- comparison ------------------------------------------------------------------------
    def change(self, field, current, value):
        """None when ``current`` already satisfies ``value``; else (wire value, predicted)."""
        have = self.read(field, current)
        if field.kind == "value" and (field.canonical is not None or field.compare is not None):
            canonical = field.canonical or (lambda v: v)
            same = field.compare or same_value
            if have is not None and value is not None and same(canonical(have), canonical(value)):
                return None
            return None if (have is None and value is None) else (value, value)
        if field.kind == "keyedset":
            return self._keyed_change(field, have or [], value)
        if field.kind == "value":
            if field.merge == "deep" and isinstance(value, dict):
                delta = deep_delta(have or {}, value, self.adapter.masks)
                if not delta:
                    return None
                merged = deep_merge(have, delta)
                return self.adapter.merge_payload(field, merged, delta), merged
            if field.merge and isinstance(value, dict):
                have = have or {}
                differ = dict((k, v) for k, v in value.items() if not same_value(have.get(k), v))
                if not differ:
                    return None
                merged = dict(have)
                merged.update(differ)
                return self.adapter.merge_payload(field, merged, differ), merged
            if value == field.empty and have in (None, ""):
                return None
            return None if same_value(have, value) else (value, value)
        if field.kind == "valueset":
            have = set(str(v) for v in (have or []))
            want = set(str(v) for v in value)
            purge = self.params.get("purge_" + field.name) or value == []
            target = want if purge else have | want
            return None if target == have else (sorted(target), sorted(target))
        if field.kind == "ref":
            if value is None:
                return None if have is None else (None, None)
            query = self.query(field, value)
            if self.matches(field, have, query):
                return None
            return self.ref_write(field, query)
        return self._refset_change(field, have or [], value)

    def _keyed_change(self, field, have, value):
        by_key = dict((str(entry.get(field.key)), entry) for entry in have)
        target = [] if (self.params.get("purge_" + field.name) or value == []) else list(have)
        changed = False
        for entry in value:
            current = by_key.get(str(entry.get(field.key)))
            merged = dict(current or {})
            merged.update(entry)
            if current is None or any(not same_value(current.get(k), v) for k, v in entry.items()):
                changed = True
            target = [e for e in target if str(e.get(field.key)) != str(entry.get(field.key))]
            target.append(merged)
        if not changed and len(target) == len(have):
            return None
        target.sort(key=lambda e: str(e.get(field.key)))
        return target, target

    def _refset_change(self, field, have, value):
        purge = self.params.get("purge_" + field.name) or value == []
        queries = [self.query(field, v) for v in value]
        kept, missing = [], []
        matched = set()
        for query in queries:
            hits = [i for i, obj in enumerate(have) if self.matches(field, obj, query)]
            if hits:
                matched.update(hits)
            else:
                missing.append(query)
        extra = [obj for i, obj in enumerate(have) if i not in matched]
        if not missing and not (purge and extra):
            return None
        for i, obj in enumerate(have):
            if i in matched or not purge:
                kept.append(obj)
        wire = [self.adapter.ref_payload(field, None, obj) for obj in kept]
        predicted = list(kept)
        for query in missing:
            one_wire, one_obj = self.ref_write(field, query)
            wire.append(one_wire)
            predicted.append(one_obj or self.adapter.placeholder(field, query))
        return wire, predicted

    # -- views for diff and result ---------------------------------------------------------
    def view(self, field, obj, keys=None):
        value = self.read(field, obj)
        if value is None:
            return None
        if field.secret:
            return MASK
        if field.canonical is not None:
            value = field.canonical(value)
        if field.kind == "ref":
            return self.adapter.display(field, value)
        if field.kind == "refset":
            return sorted(self.adapter.display(field, v) for v in value)
        if field.kind == "valueset":
            return sorted(str(v) for v in value)
        if field.kind == "keyedset":
            return sorted(value, key=lambda e: str(e.get(field.key)))
        if field.merge == "deep" and isinstance(value, dict) and keys is not None:
            return self.shown(field, deep_subset(value, keys))
        if field.merge and isinstance(value, dict) and keys is not None:
            return self.shown(field, dict((k, value.get(k)) for k in keys))
        return self.shown(field, value)

    def snapshot(self, obj, names, merge_keys=None, keep_empty=False):
        """The diff view of ``obj``: managed fields on update (empty ones too), the fields
        that hold a value on create and delete."""
        merge_keys = merge_keys or {}
        out = {}
        for name in names:
            field = self.resource.fields[name]
            value = self.view(field, obj, merge_keys.get(name))
            if keep_empty or value not in (None, "", [], {}):
                out[name] = value
        return out

    # -- the decision ----------------------------------------------------------------------
    def run(self, want_diff=False):
        self.validate()
        desired = self.desired()
        current = self.find(desired)
        if self.state == "absent":
            return self.absent(current, want_diff)
        if current is None:
            try:
                result = self.create(desired, want_diff)
            except LostRace as race:
                # another run created it between our read and our write: converge on it
                current = race.current
                result = self.update(current, desired, want_diff)
        else:
            result = self.update(current, desired, want_diff)
        lifecycle = self.resource.lifecycle
        if lifecycle is not None and self.state in lifecycle.goals:
            result = self.reach(lifecycle, lifecycle.goals[self.state], result, want_diff, current)
        elif lifecycle is not None and lifecycle.settle and result["changed"] and self.waits():
            self.obj = self.settled(self.obj, lifecycle)  # the robot finishes what the write started
            result[self.resource.name] = self.result_view(self.obj)
        return result

    def deleted(self, obj):
        lifecycle = self.resource.lifecycle
        return obj is None or (lifecycle is not None and obj.get(lifecycle.key) in lifecycle.gone)

    def waits(self):
        return bool(self.params.get("wait")) and not self.check_mode

    def settled(self, obj, lifecycle):
        """``obj`` once its status is no longer transient (a failed status is an error)."""
        if obj.get(lifecycle.key) not in lifecycle.transient:
            return obj
        settles = lifecycle.transient | lifecycle.failed  # a failed status ends the wait with an error
        return self.wait_until(obj, lambda o: o is not None and o.get(lifecycle.key) not in settles,
                               "it to be no longer %s" % obj.get(lifecycle.key), lifecycle)

    def busy(self, obj):
        """True when the platform would refuse a write to ``obj`` now: its status is
        transient and the lifecycle says writes wait (wait=false makes that an error)."""
        lifecycle = self.resource.lifecycle
        if lifecycle is None or not lifecycle.settle or obj.get(lifecycle.key) not in lifecycle.transient:
            return False
        if self.check_mode:
            return False  # predicted as if it had settled
        if not self.params.get("wait"):
            raise ModuleError("state=%s: the %s is %s and %s takes no change until that is over; set wait=true "
                              "to let it finish first" % (self.state, self.resource.name, obj.get(lifecycle.key),
                                                          self.adapter.platform_name))
        return True

    def find(self, desired):
        if self.params.get("id") and self.resource.by_id:
            found = self.adapter.get(self.resource, self.params["id"])
            if found is None and self.state != "absent":
                raise ModuleError("id: no %s has id %s (an id cannot be chosen for a new one; "
                                  "give the identifying options instead)"
                                  % (self.resource.name, self.params["id"]))
            return found
        names = self.identity_options()
        identity = dict((n, desired[n]) for n in names if desired.get(n) is not None)
        queries = {}
        for name, value in identity.items():
            field = self.resource.fields[name]
            queries[name] = self.query(field, value) if field.kind == "ref" else value
        candidates = self.find_objects(queries, self.needs_deep_read(desired))
        found = []
        for obj in candidates:
            if all(self._identity_match(name, obj, query) for name, query in queries.items()):
                found.append(obj)
        if len(found) > 1:
            raise ModuleError(
                "%d %s objects match %s: %s; give more identifying options (%s) to tell them apart"
                % (len(found), self.resource.name, self.adapter.describe_query(identity),
                   ", ".join(self.adapter.describe(o) for o in found[:3]),
                   ", ".join(names)))
        return found[0] if found else None

    def needs_deep_read(self, desired):
        """A related object given by several fields ({manufacturer: .., model: ..}) may name
        objects two levels down: read those too, so the comparison still takes one request."""
        for name, value in desired.items():
            field = self.resource.fields[name]
            values = value if field.kind == "refset" else [value]
            if field.kind in ("ref", "refset"):
                for one in values:
                    if isinstance(one, dict) and set(one) - {"id", field.key} - field.filter_keys:
                        return True
        return False

    def _identity_match(self, name, obj, query):
        field = self.resource.fields[name]
        if field.lookup:
            return True  # the adapter found it with these filters
        have = self.read(field, obj)
        if field.kind == "ref":
            return self.matches(field, have, query)
        if field.canonical is not None and have is not None:
            return same_value(field.canonical(have), field.canonical(query))  # 2001:DB8::1 is 2001:db8::1
        return same_value(have, query)

    def absent(self, current, want_diff):
        if current is not None and self.is_absent(current):
            current = None  # it exists only as an empty setting (a node's cloud-init)
        result = {"changed": current is not None, self.resource.name: {}}
        if current is not None:
            if not self.check_mode:
                if self.busy(current):
                    current = self.settled(current, self.resource.lifecycle)
                self.delete_object(current)
                if self.resource.waits and self.params.get("wait"):
                    self.wait_until(current, self.deleted, "it to be deleted")
            if want_diff:
                result["diff"] = {"before": self.snapshot(current, self.resource.fields), "after": {}}
        elif want_diff:
            result["diff"] = {"before": {}, "after": {}}
        return self.finish(result)

    def create(self, desired, want_diff):
        fields = self.resource.fields
        for name, field in fields.items():
            if name not in desired and field.create_default is not None:
                desired[name] = field.create_default
        missing = [n for n, f in fields.items() if f.required_on_create and n not in desired]
        missing += [" or ".join(group) for group in self.resource.one_of_on_create
                    if not any(n in desired for n in group)]
        if missing:
            raise ModuleError("%s does not exist yet; to create it, set: %s"
                              % (self.resource.name, ", ".join(sorted(missing))))
        payload, predicted = {}, {"id": None}
        for name, value in desired.items():
            field = fields[name]
            if field.lookup or value == field.empty and name in self.clear:
                continue
            wire, shown = self.change(field, None, value) or (value, value)
            payload[field.wire_name] = wire
            predicted[field.read_key or field.wire_name] = shown
        self.check_write(None, payload)
        obj = predicted if self.check_mode else self.created(desired, payload)
        self.obj = obj
        result = {"changed": True, self.resource.name: self.result_view(obj)}
        if want_diff:
            result["diff"] = {"before": {}, "after": self.snapshot(obj, fields)}
        return self.finish(result)

    def update(self, current, desired, want_diff):
        fields = self.resource.fields
        payload = {}
        predicted = copy.deepcopy(current)
        merge_keys = {}
        for name, value in desired.items():
            field = fields[name]
            if field.merge and isinstance(value, dict):
                merge_keys[name] = value if field.merge == "deep" else sorted(value)
            if field.secret or field.create_only or field.lookup:
                continue  # write-only: never a change by itself (see update_secrets)
            delta = self.change(field, current, value)
            if delta is not None:
                payload[field.wire_name], predicted[field.read_key or field.wire_name] = delta
                if field.replace:
                    guard = self.resource.replace_guard
                    if guard and not self.params.get(guard):
                        raise ModuleError(
                            "%s: the %s exists with another %s, which %s cannot change; replacing it deletes it "
                            "(and what depends on it) and creates it anew: set %s=true to allow that"
                            % (name, self.resource.name, name, self.adapter.platform_name, guard))
                    return self.replace(current, desired, want_diff, merge_keys)
        if payload and self.params.get("update_secrets") == "always":
            for name, field in fields.items():
                if field.secret and name in desired:
                    payload[field.wire_name] = desired[name]
        if payload and self.busy(current):
            # settle, then decide again on the object as it is then
            return self.update(self.settled(current, self.resource.lifecycle), desired, want_diff)
        obj = current
        if payload:
            self.check_write(current, payload)
            obj = predicted if self.check_mode else self.write(self.update_object, current, payload)
        self.obj = obj
        result = {"changed": bool(payload), self.resource.name: self.result_view(obj)}
        if want_diff:
            managed = [n for n in fields if n in desired and not fields[n].lookup]
            result["diff"] = {"before": self.snapshot(current, managed, merge_keys, keep_empty=True),
                              "after": self.snapshot(obj, managed, merge_keys, keep_empty=True)}
        return self.finish(result)

    def replace(self, current, desired, want_diff, merge_keys):
        """A field the API cannot change: delete the object and create it anew."""
        if not self.check_mode:
            self.delete_object(current)
        result = self.create(desired, False)
        if want_diff:
            managed = [n for n in self.resource.fields if n in desired]
            result["diff"] = {"before": self.snapshot(current, managed, merge_keys, keep_empty=True),
                              "after": self.snapshot(self.obj, managed, merge_keys, keep_empty=True)}
        return result

    # -- lifecycle states and waiting ------------------------------------------------------
    def reach(self, lifecycle, goal, result, want_diff, current=None):
        """Drive the object to ``goal`` with its platform action, waiting when asked.
        ``current``: the object as it was found (None when this run created it)."""
        obj = self.obj
        if obj.get(lifecycle.key) is None and self.check_mode:
            obj = dict(obj)  # a predicted new object starts where new objects start
            obj[lifecycle.key] = lifecycle.initial
        status_before = (current or obj).get(lifecycle.key)
        existed = current is not None
        wait = self.waits()
        acted = False
        for _attempt in range(3):
            status = obj.get(lifecycle.key)
            if status in goal.done or status in goal.pending:
                break
            if (status in goal.sources and not acted) or (status in lifecycle.transient and self.check_mode):
                # in check mode a transient status is predicted to settle into a source
                acted = True
                if self.check_mode:
                    obj = dict(obj)
                    obj[lifecycle.key] = sorted(goal.pending or goal.done)[0]
                    break
                obj = self.adapter.act(self.resource, obj, goal.action)
                continue
            if status in lifecycle.transient and wait:
                # settle first (a store still running), then decide once more
                obj = self.settled(obj, lifecycle)
                continue
            if status in lifecycle.transient:
                raise ModuleError("state=%s: the %s is %s; set wait=true to let it finish first"
                                  % (self.state, self.resource.name, status))
            raise ModuleError("state=%s: the %s is %s, from which it cannot become %s"
                              % (self.state, self.resource.name, status, self.state))
        if wait and obj.get(lifecycle.key) not in goal.done:
            obj = self.wait_until(obj, lambda o: o is not None and o.get(lifecycle.key) in goal.done,
                                  "/".join(sorted(goal.done)), lifecycle)
        if obj is not self.obj:  # acted or waited: show the object as it is now
            result[self.resource.name] = self.result_view(obj)
        self.obj = obj
        result["changed"] = result["changed"] or acted
        if want_diff:
            diff = result.setdefault("diff", {"before": {}, "after": {}})
            if existed:
                diff["before"][lifecycle.key] = status_before
            diff["after"][lifecycle.key] = obj.get(lifecycle.key)
        return result

    def wait_until(self, obj, reached, wanted, lifecycle=None):
        """Poll the object until ``reached(obj)``; a failed status or the timeout is an error."""
        def read():
            return self.adapter.get(self.resource, self.adapter.object_id(obj)) if obj is not None else None

        def failed(obj):
            status = obj.get(lifecycle.key) if (obj is not None and lifecycle) else None
            if lifecycle is not None and status in lifecycle.failed:
                return "the %s became %s while waiting for %s" % (self.resource.name, status, wanted)
            if obj is None:
                return "the %s disappeared while waiting for %s" % (self.resource.name, wanted)
            return None

        def still(obj):
            status = obj.get(lifecycle.key) if (obj is not None and lifecycle) else None
            return "the %s is still %s" % (self.resource.name, status or "not done")

        return poll(read, reached, failed, still, wanted, self.params, self._sleep, self._clock,
                    progress=self.adapter.progress)

    def write(self, method, *args):
        try:
            return method(*args)
        except ApiError as exc:
            raise self.rejected(exc)

    def rejected(self, exc):
        """The error to raise for a refused write: the options the server named, in the
        user's words, when it names them."""
        if exc.fields:
            details = "; ".join("%s: %s" % (k, v) for k, v in sorted(exc.fields.items()))
            return ModuleError("%s rejected the %s: %s" % (self.adapter.platform_name,
                                                           self.resource.name, details))
        return exc

    def created(self, desired, payload):
        """POST the new object. A create that got no answer, or that lost a race with
        another run, is settled by reading again: the task reports what the server has."""
        try:
            return self.create_object(payload)
        except ApiError as exc:
            if exc.uncertain:
                found = self.find_again(desired, exc)
                if found is None:
                    raise ModuleError("%s; the write may not have happened: reading again found no %s, so "
                                      "nothing was created (run the task again to create it)"
                                      % (exc, self.resource.name))
                self.warnings.append("%s; reading again found the %s, so the create took effect"
                                     % (exc, self.resource.name))
                return found
            if exc.status == 409 or (exc.status == 400 and EXISTS.search(
                    "%s %s" % (exc.message, " ".join(str(v) for v in exc.fields.values())))):
                found = self.find_again(desired, exc)
                if found is not None:
                    raise LostRace(found)
            raise self.rejected(exc)

    def find_again(self, desired, write_error):
        try:
            return self.find(desired)
        except ApiError as exc:
            raise ModuleError("%s; the write may have happened or not: reading again to find out failed "
                              "too (%s); run the task again to converge" % (write_error, exc))

    def finish(self, result):
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result


def poll(read, reached, failed, still, wanted, params, sleep=time.sleep, clock=time.monotonic, progress=None):
    """Call ``read()`` until ``reached(value)``, every ``wait_sleep`` seconds for at most
    ``wait_timeout`` seconds. ``failed(value)`` returns why waiting is pointless (or None);
    ``still(value)`` says what is not done yet, for the timeout message and for
    ``progress(line)``: told when the wait starts, when that changes, and every
    PROGRESS_EVERY seconds in between."""
    timeout = params.get("wait_timeout") or 0
    start = clock()
    deadline = start + timeout
    told, told_at = None, None
    while True:
        value = read()
        if reached(value):
            return value
        reason = failed(value)
        if reason:
            raise ModuleError(reason)
        now = clock()
        if now >= deadline:
            raise ModuleError("wait_timeout: %s after %s s; waited for %s" % (still(value), timeout, wanted))
        if progress is not None:
            state = still(value)
            if state != told or now - told_at >= PROGRESS_EVERY:
                progress("waiting for %s: %s (%d s of at most %s s)" % (wanted, state, now - start, timeout))
                told, told_at = state, now
        sleep(params.get("wait_sleep") or 2)


class _Nested(object):
    """A related object met inside another one's identifying fields: only its path is known."""

    kind = "ref"
    scope = {}

    def __init__(self, path):
        self.path = path
        self.name = path


def wait_options(timeout=600, sleep=2):
    """The options of a task that waits for what it started (documented by each platform's
    wait fragment, with these defaults)."""
    return dict(wait=dict(type="bool", default=True), wait_timeout=dict(type="int", default=timeout),
                wait_sleep=dict(type="float", default=sleep))


def ensure(resource, params, adapter, check_mode=False, want_diff=False):
    """Bring one object to the declared state; returns the module result dict."""
    resource = adapter.serving(resource)
    try:
        return Ensure(resource, params, adapter, check_mode).run(want_diff)
    finally:
        if not check_mode:  # a later loop item looks up what this one may have written
            adapter.forget(resource.path)
