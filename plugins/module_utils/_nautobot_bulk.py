# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Many Nautobot objects of one kind in one task (nautobot_bulk).

1. Every object is checked as its typed module checks its options, before any request.
2. One list read per few hundred objects, filtered by their natural keys, finds them all.
3. Each object is planned by the engine in check mode against what that read found: the
   comparison, the diff and the payload are the typed module's own. A related object is
   looked up once for the whole task.
4. The writes go out as Nautobot's bulk POST, PATCH and DELETE on the list endpoint, in
   batches; each batch is one transaction on the server. The written objects are read back
   in the same filtered list reads. A kind that declares its own create, update or delete
   (an IP address's interfaces are assigned through their own endpoint) is written one
   object at a time through it. Reads carry the kind's ``read_params``.
"""

from __future__ import absolute_import, division, print_function

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.statecraft.infra.plugins.module_utils._engine import Ensure, ModuleError, _canonical
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot_kinds import RESOURCES

READ_LIMIT = 1000  # objects per page of a list read (Nautobot's default MAX_PAGE_SIZE)
QUERY_CHARS = 3000  # filter characters per list read: proxies refuse request lines over 4-8 KB


# the kinds whose objects a filtered list read finds (not those found their own way: a cable
# by its two ends, a custom field, a contact association)
BULK_KINDS = sorted(kind for kind, resource in RESOURCES.items() if resource.find is None)


def bulk_options():
    return dict(
        kind=dict(type="str", required=True, choices=BULK_KINDS),
        objects=dict(type="list", elements="dict", required=True),
        defaults=dict(type="dict", default={}),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        batch_size=dict(type="int", default=100),
    )


class Planned(Ensure):
    """One object of the task, planned in check mode; ``plan`` is the write it needs:
    ("create", None, payload), ("update", current, payload), ("delete", current, None) or None.
    In a real run a related object that does not exist is an error, as in the typed module."""

    def __init__(self, index, resource, params, adapter, dry_run):
        super(Planned, self).__init__(resource, params, _Deferred(adapter, self), check_mode=True)
        self.index = index
        self.assume_created = dry_run
        self.plan = None

    def label(self):
        names = [n for n in self.resource.identity if self.params.get(n) is not None]
        return "objects[%d] (%s)" % (self.index, ", ".join("%s=%s" % (n, _shown(self.params[n])) for n in names))

    def absent(self, current, want_diff):
        if current is not None and not self.is_absent(current):
            self.plan = ("delete", current, None)
        return super(Planned, self).absent(current, want_diff)

    def key(self):
        return tuple(_canonical(self.params.get(n)) for n in self.identity_options())


class _Deferred(object):
    """The adapter as one planned object sees it: objects are found among those the task
    read, and a write is recorded in the plan instead of sent."""

    def __init__(self, adapter, planned):
        self._adapter = adapter
        self._planned = planned
        self.found = {}  # value of the filter key -> objects read

    def __getattr__(self, name):
        return getattr(self._adapter, name)

    def find(self, resource, identity, deep=False):
        return self.found.get(key_form(resource, identity.get(filter_key(resource))), [])

    def check_write(self, resource, current, payload):
        self._adapter.check_write(resource, current, payload)
        self._planned.plan = ("update", current, payload) if current is not None else ("create", None, payload)


def _shown(value):
    return value if not isinstance(value, dict) else ",".join("%s=%s" % kv for kv in sorted(value.items()))


def filter_key(resource):
    """The natural-key option a list read filters on: the first that is a plain value."""
    return [n for n in resource.identity if resource.fields[n].kind != "ref"][0]


def key_form(resource, value):
    """A filter key's value as objects read are filed under (in the field's canonical form:
    2001:DB8::1/64 is the address Nautobot shows as 2001:db8::1/64)."""
    field = resource.fields[filter_key(resource)]
    if field.canonical is not None and value is not None:
        value = field.canonical(value)
    return _canonical(value)


def bulk_task(adapter, params, check_mode, want_diff):
    resource = RESOURCES[params["kind"]]
    if own_ways(resource):
        raise ModuleError("kind: %s objects are %s their own way, which bulk requests cannot; use "
                          "statecraft.infra.nautobot_%s with a loop" % (resource.name, own_ways(resource), resource.name))
    if params["batch_size"] < 1:
        raise ModuleError("batch_size: %s; give 1 or more objects per write" % params["batch_size"])
    items = checked(resource, params, adapter, check_mode)
    read_into(adapter, resource, items, depth=2 if any(i.needs_deep_read(i.desired()) for i in items) else 1)
    results, warnings = [], []
    for item in items:
        try:
            results.append(item.run(want_diff))
        except ModuleError as exc:
            raise ModuleError("%s: %s" % (item.label(), exc))
        warnings += ["%s: %s" % (item.label(), w) for w in results[-1].pop("warnings", [])]
    if not check_mode:
        written = write(adapter, resource, items, params["batch_size"])
        for item, result in zip(items, results):
            if item.plan and item.plan[0] != "delete":
                result[resource.name] = adapter.result_view(resource, written[id(item)])
    return summary(resource, items, results, warnings, want_diff)


def own_ways(resource):
    """"found" when ``resource`` is found its own way (a find hook), which the bulk path's
    filtered list reads would bypass; "" if not. Kinds that write their own way are written
    one object at a time through their hooks (see write); read hooks run on the objects
    the list reads found."""
    return "found" if resource.find is not None else ""


def checked(resource, params, adapter, check_mode):
    """Each object as its typed module would take it (defaults under it, the task's state
    unless it sets its own), or an error naming the object and the option."""
    spec = resource.argument_spec()
    validator = ArgumentSpecValidator(spec, mutually_exclusive=resource.mutually_exclusive)
    items, seen = [], {}
    for index, given in enumerate(params["objects"]):
        options = dict(params["defaults"] or {})
        options.update(given or {})
        options.setdefault("state", params["state"])
        validation = validator.validate(options)
        item = Planned(index, resource, validation.validated_parameters, adapter, check_mode)
        if validation.error_messages:
            raise ModuleError("%s: %s" % (item.label(), "; ".join(
                ("unsupported option " if isinstance(e, UnsupportedError) else "") + e.msg for e in validation.errors)))
        try:
            item.validate()
        except ModuleError as exc:
            raise ModuleError("%s: %s" % (item.label(), exc))
        key = item.key()
        if key in seen:
            raise ModuleError("%s and %s name the same %s; give each once"
                              % (seen[key].label(), item.label(), resource.name))
        seen[key] = item
        items.append(item)
    return items


def read_into(adapter, resource, items, depth):
    """Read the objects ``items`` name, a few hundred per list read, and give each item
    those that share its filter key's value."""
    name = filter_key(resource)
    wire = resource.fields[name].wire_name
    wanted = sorted(set(str(i.params[name]) for i in items))
    found = {}
    for chunk in chunks_by_length(wanted):
        for obj in adapter.list_objects(resource.path, {wire: chunk}, depth=depth, limit=READ_LIMIT,
                                        read_params=resource.read_params):
            found.setdefault(key_form(resource, adapter.read(resource.fields[name], obj)), []).append(obj)
    for item in items:
        item.adapter.found = found


def chunks_by_length(values, limit=QUERY_CHARS):
    chunk, size = [], 0
    for value in values:
        if chunk and size + len(value) + 8 > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(value)
        size += len(value) + 8  # "&name=" and some escaping
    if chunk:
        yield chunk


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def write(adapter, resource, items, batch_size):
    """Send the planned writes as bulk requests; returns id(item) -> the object as Nautobot
    has it now (read back at depth 1), for the objects created or updated."""
    path = resource.path + "/"
    ids = {}
    done = {"created": 0, "updated": 0, "deleted": 0}
    for method, kind in (("POST", "create"), ("PATCH", "update"), ("DELETE", "delete")):
        planned = [i for i in items if i.plan and i.plan[0] == kind]
        if getattr(resource, kind) is not None:
            # the resource writes its own way (assignments through their own endpoint): one by one
            ids.update(write_own_way(adapter, resource, kind, planned, done))
            continue
        for batch in batches(planned, batch_size):
            if kind == "create":
                body = [i.plan[2] for i in batch]
            elif kind == "update":
                body = [dict(i.plan[2], id=i.plan[1]["id"]) for i in batch]
            else:
                body = [{"id": i.plan[1]["id"]} for i in batch]
            try:
                answer = adapter.client.request(method, path, json_body=body, idempotent=kind != "create")
            except ApiError as exc:
                raise refused(exc, resource, batch, done)
            done[kind + "d"] += len(batch)
            if kind == "create":
                ids.update((id(i), obj["id"]) for i, obj in zip(batch, answer))
            elif kind == "update":
                ids.update((id(i), i.plan[1]["id"]) for i in batch)
    now = {}
    for chunk in batches(sorted(set(ids.values())), 80):  # 80 ids fill about 3,000 characters
        now.update((o["id"], o) for o in adapter.list_objects(resource.path, {"id": chunk}, limit=READ_LIMIT,
                                                              read_params=resource.read_params))
    return dict((key, now.get(object_id, {"id": object_id})) for key, object_id in ids.items())


def write_own_way(adapter, resource, kind, planned, done):
    """The planned writes of a resource that declares its own ``kind`` hook, one object at
    a time through it; returns id(item) -> the written object's id."""
    ids = {}
    hook = getattr(resource, kind)
    for item in planned:
        current, payload = item.plan[1], item.plan[2]
        try:
            if kind == "create":
                ids[id(item)] = hook(adapter, resource, payload)["id"]
            elif kind == "update":
                ids[id(item)] = hook(adapter, resource, current, payload)["id"]
            else:
                hook(adapter, resource, current)
        except ApiError as exc:
            raise refused(exc, resource, [item], done)
        done[kind + "d"] += 1
    return ids


def refused(exc, resource, batch, done):
    """The error of a bulk write, naming the objects Nautobot named, with what earlier
    batches wrote (``done``: counts). A batch is one transaction on the server: none of it
    was applied."""
    sent = sum(done.values())
    shown = ", ".join(i.label() for i in batch[:3]) + (", ..." if len(batch) > 3 else "")
    if exc.uncertain:
        return ModuleError("%s; the write of %s may have happened or not: run the task again to converge"
                           % (exc, shown), {"changed": True, "counts": done})
    written = "; none of this batch of %d was written%s" % (
        len(batch), " (the %d objects before it were)" % sent if sent else "")
    if exc.fields and all(k.split(".", 1)[0].isdigit() for k in exc.fields):
        details = []
        for key, text in sorted(exc.fields.items(), key=lambda kv: int(kv[0].split(".", 1)[0])):
            index, field = key.split(".", 1)
            details.append("%s: %s: %s" % (batch[int(index)].label(), field, text))
        return ModuleError("Nautobot rejected the %s objects: %s%s" % (resource.name, "; ".join(details), written),
                           {"changed": sent > 0, "counts": done})
    return ModuleError("%s (writing %s)%s" % (exc, shown, written), {"changed": sent > 0, "counts": done})


def summary(resource, items, results, warnings, want_diff):
    counts = dict((k, 0) for k in ("created", "updated", "deleted", "unchanged"))
    objects, diffs = [], []
    for item, result in zip(items, results):
        action = {"create": "created", "update": "updated", "delete": "deleted"}.get((item.plan or ("",))[0],
                                                                                     "unchanged")
        counts[action] += 1
        objects.append({"changed": result["changed"], "action": action, resource.name: result.get(resource.name)})
        if want_diff and result["changed"]:
            diff = dict(result["diff"])
            diff.update(before_header=item.label(), after_header=item.label())
            diffs.append(diff)
    result = {"changed": any(r["changed"] for r in results), "objects": objects, "counts": counts}
    if want_diff:
        result["diff"] = diffs
    if warnings:
        result["warnings"] = warnings
    return result
