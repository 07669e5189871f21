# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Declarations a module is made of: a ``Resource`` with its ``Field``s.

One declaration gives both the Ansible argument spec and what the engine needs to compare
and write each field, so a field is described in exactly one place.
"""

from __future__ import absolute_import, division, print_function


class Field(object):
    """A plain value: str, int, bool, float, dict or raw.

    ``merge=True`` (dicts such as custom fields): only the keys the user gave are compared
    and written; ``merge="deep"``: the same at every depth (a connector configuration),
    and a value the platform masks counts as unknown, never as a difference. ``secret=True``: masked in output, written per ``update_secrets``;
    ``secret=False``: no secret although its name looks like one (a custom field's ``key``), said so to Ansible (``no_log: false``).
    ``empty`` is what ``clear`` sets it to (None, or "" for platforms that store blanks).
    ``create_default`` is used only when the object is created and the option is unset.
    ``canonical(value)`` brings the desired and the current value to one form before they
    are compared and shown (timestamps to UTC, a public key to its fingerprint);
    ``read_key`` is where the current value sits when the server shows it under another
    name than the one it is written as. ``replace=True``: the API cannot change it, so a
    change is a delete and a create. ``create_only=True``: sent when creating, never
    compared (the topology a simulation was built from). ``check(value)`` raises
    ValueError for a desired value the platform would refuse (reported before any request);
    ``compare(current, desired) -> bool`` replaces plain equality where "the same" needs
    the platform's meaning (a topology whose unset node attributes took defaults).
    ``lookup=True``: the option only finds the object (search filters the adapter applies);
    it is never compared or written. ``default``: the option's default (a part of the
    natural key that has one, such as a firewall's type).

    Declared where the platform needs them (None/False: the adapter's own way):
    ``read(adapter, obj)`` gives the current value where the object does not hold it as
    written (an organization's members in another form, a topology's nodes read with more
    requests, the generic CloudCIX module's data being the object's own fields); it is
    called by the engine instead of ``adapter.read``, for stored objects and predictions
    alike. ``secret_keys=True``: a dict whose keys that look like secrets (a password, a
    pre-shared key) are masked in ``--diff``.
    """

    kind = "value"

    def __init__(self, type="str", required=False, choices=None, elements=None, merge=False,
                 secret=None, empty=None, clearable=True, create_default=None,
                 required_on_create=False, wire=None, aliases=None, canonical=None, read_key=None,
                 replace=False, create_only=False, check=None, compare=None, lookup=False, default=None,
                 read=None, secret_keys=False):
        self.type = type
        self.required = required
        self.choices = choices
        self.elements = elements
        self.merge = merge
        self.secret = secret
        self.empty = empty
        self.clearable = clearable and not required
        self.create_default = create_default
        self.required_on_create = required_on_create
        self.wire = wire
        self.aliases = aliases
        self.canonical = canonical
        self.read_key = read_key
        self.replace = replace
        self.create_only = create_only
        self.check = check
        self.compare = compare
        self.lookup = lookup
        self.default = default
        self.read = read
        self.secret_keys = secret_keys
        self.name = None  # set by Resource

    def argspec(self):
        spec = {"type": self.type}
        if self.required:
            spec["required"] = True
        if self.choices:
            spec["choices"] = list(self.choices)
        if self.elements:
            spec["elements"] = self.elements
        if self.secret is not None:
            spec["no_log"] = bool(self.secret)
        if self.aliases:
            spec["aliases"] = list(self.aliases)
        if self.default is not None:
            spec["default"] = self.default
        return {self.name: spec}

    @property
    def wire_name(self):
        return self.wire or self.name


class Ref(Field):
    """A related object given by name (``key``), by id, or as a dict of identifying fields.

    ``path`` is the related collection's API path. ``scope`` maps an identifying field of
    the related object to a sibling option whose value narrows a name lookup (a rack's
    name is unique only within its location). ``where``: values a lookup by ``key`` adds
    to its query (an Air user config's kind, since one name may exist in both kinds).
    ``filter_keys``: keys a dict may give that the server filters a lookup by but that the
    related object, as read, does not show (an IP address's namespace sits in its parent
    prefix): a lookup sends them as filters and trusts the answer, and the comparison with
    the object as read leaves them out.
    ``find_filter=True``: the collection's filter of this option's wire name takes the
    related object's ``key`` (Nautobot's ``device`` filter takes a device name), so a find
    by it reads only the objects of that related object (an interface by device + name).
    """

    kind = "ref"

    def __init__(self, path, key="name", scope=None, where=None, filter_keys=(), find_filter=False, **kwargs):
        kwargs.setdefault("type", "raw")
        super(Ref, self).__init__(**kwargs)
        self.path = path
        self.key = key
        self.scope = scope or {}
        self.where = where or {}
        self.filter_keys = frozenset(filter_keys)
        self.find_filter = find_filter


class RefSet(Ref):
    """An unordered set of related objects (tags). Adds ``purge_<name>``: false keeps
    members the playbook does not list (add-only), true makes the set exact."""

    kind = "refset"

    def __init__(self, path, key="name", **kwargs):
        kwargs.setdefault("type", "list")
        kwargs.setdefault("elements", "raw")
        kwargs.setdefault("empty", [])
        super(RefSet, self).__init__(path, key=key, **kwargs)

    def argspec(self):
        spec = super(RefSet, self).argspec()
        spec["purge_" + self.name] = {"type": "bool", "default": False}
        return spec


class ValueSet(Field):
    """An unordered set of plain values (content types), with ``purge_<name>`` as RefSet."""

    kind = "valueset"

    def __init__(self, **kwargs):
        kwargs.setdefault("type", "list")
        kwargs.setdefault("elements", "str")
        kwargs.setdefault("empty", [])
        super(ValueSet, self).__init__(**kwargs)

    def argspec(self):
        spec = super(ValueSet, self).argspec()
        spec["purge_" + self.name] = {"type": "bool", "default": False}
        return spec


class KeyedSet(Field):
    """A list of dicts told apart by ``key`` (organization members by username). Each
    given entry is compared on the keys it gives; ``purge_<name>`` makes the list exact
    (entries not listed are removed), else entries only get added or changed. The list
    written is the complete one, entries as the server has them plus the changes."""

    kind = "keyedset"

    def __init__(self, key, purgeable=True, **kwargs):
        kwargs.setdefault("type", "list")
        kwargs.setdefault("elements", "dict")
        kwargs.setdefault("empty", [])
        super(KeyedSet, self).__init__(**kwargs)
        self.key = key
        self.purgeable = purgeable  # False: the platform merges by key, so nothing can be taken out

    def argspec(self):
        spec = super(KeyedSet, self).argspec()
        if self.purgeable:
            spec["purge_" + self.name] = {"type": "bool", "default": False}
        return spec


class Goal(object):
    """A named state reached through one platform action (a simulation is ``loaded`` by
    the ``load`` action). ``done``: statuses that already are the goal; ``pending``:
    statuses on their way to it (no action needed, only waiting); ``sources``: statuses
    the action may start from. Any other status is either transient (wait for it to
    settle, then decide) or a clear failure."""

    def __init__(self, action, done, pending=(), sources=()):
        self.action = action
        self.done = frozenset(done)
        self.pending = frozenset(pending)
        self.sources = frozenset(sources)


class Lifecycle(object):
    """The named states of an object beyond present/absent, read from ``key`` (a status
    field of the object; ``initial`` is the status of a new one). ``transient`` statuses
    settle by themselves; ``failed`` ones end any wait with an error.

    ``settle=True``: the platform refuses changes while the status is transient (a robot
    at work), so updates and deletes wait for it to settle first, and a write with
    ``state=present`` waits for the work it started. ``gone``: statuses in which a deleted
    object counts as deleted (queued for deletion), so waiting for a delete ends there.
    """

    def __init__(self, key, goals, initial, transient=(), failed=(), settle=False, gone=()):
        self.key = key
        self.initial = initial
        self.goals = goals
        self.transient = frozenset(transient)
        self.failed = frozenset(failed)
        self.settle = settle
        self.gone = frozenset(gone)


class Resource(object):
    """A kind of object a module manages.

    ``name`` is the result key (``device``); ``path`` the collection's API path;
    ``identity`` the fields that find the object (its natural key; the first ones are
    required, the rest narrow the match when given); ``fields`` maps option names to
    ``Field``s; ``identities`` lists other complete option sets that may find it instead
    (a service by simulation + name, or by simulation + node + interface + port).
    ``platform`` names the adapter that serves it. ``by_id=True`` adds an
    ``id`` option that finds the object by id instead (then the identifying fields may be
    changed). ``lifecycle`` adds its goals to ``state`` and the ``wait`` options; ``waits``
    adds the wait options alone (a delete that completes asynchronously).

    A resource the platform handles in its own way says so here, never by its name in the
    adapter. The engine calls these hooks instead of the adapter's method of the same
    name, with the adapter first (None: the adapter's own way):
    ``find(adapter, resource, identity)`` the candidates (a node's cloud-init, which is no
    collection; a user's permissions, listed per organization);
    ``create(adapter, resource, payload)`` and ``update(adapter, resource, current, payload)``
    return the object written; ``delete(adapter, resource, current)`` (a simulation is
    destroyed through its control action); ``check_write(adapter, resource, current,
    payload)`` raises ModuleError for a write the platform would refuse, after the
    adapter's own check (check mode runs it too; ``current`` is None on create);
    ``view(adapter, obj)`` is the result form of a stored object (a simulation with its
    nodes and services); ``is_absent(obj)`` is true for an object that cannot be deleted,
    only emptied, and counts as absent when empty (a node's cloud-init).
    ``resend``: wire keys every update carries, taken from the current object unless the
    update changes them (Airbyte wants a tag's name and colour in each PATCH).
    ``read_params``: query parameters every read of this resource carries, so that the one
    read shows what its fields compare (Nautobot lists many-to-many fields such as an IP
    address's interfaces only with ``exclude_m2m=false``; a natural key two levels down
    needs ``depth=2``).
    """

    def __init__(self, name, path, identity, fields, platform, required_identity=None,
                 display=None, by_id=False, lifecycle=None, waits=False, identities=None,
                 extra_options=None, one_of_on_create=(), mutually_exclusive=(), replace_guard=None,
                 check=None, find=None, create=None, update=None, delete=None, check_write=None, view=None,
                 is_absent=None, resend=(), read_params=None):
        self.name = name
        self.path = path
        self.identity = tuple(identity)
        # other complete sets of options that find the object when ``identity`` is not given
        self.identities = [self.identity] + [tuple(i) for i in identities or []]
        self.required_identity = tuple(identity[:1] if required_identity is None else required_identity)
        self.fields = fields
        self.platform = platform
        self.display = display or self.identity[0]
        self.by_id = by_id
        self.lifecycle = lifecycle
        self.waits = waits or lifecycle is not None
        # options an action plugin consumes before the module runs (a file read on the controller)
        self.extra_options = extra_options or {}
        # groups of options of which a create needs at least one, and groups that exclude each other
        self.one_of_on_create = [tuple(g) for g in one_of_on_create]
        self.mutually_exclusive = [list(g) for g in mutually_exclusive]
        # a bool option that must be true before a replace (delete + create) may happen
        self.replace_guard = replace_guard
        # check(params) raises ValueError for options that do not fit together (a workspace
        # permission type on an organization), reported before any request
        self.check = check
        # the platform's own ways with this resource (see above)
        self.find = find
        self.create = create
        self.update = update
        self.delete = delete
        self.check_write = check_write
        self.view = view
        self.is_absent = is_absent
        self.resend = tuple(resend)
        self.read_params = dict(read_params or {})
        for option, field in fields.items():
            field.name = option

    def argument_spec(self):
        spec = {}
        for field in self.fields.values():
            spec.update(field.argspec())
        # which names may be cleared is checked by the engine, so one doc fragment serves all
        spec["clear"] = {"type": "list", "elements": "str", "default": []}
        spec.update(self.extra_options)
        if self.replace_guard:
            spec[self.replace_guard] = {"type": "bool", "default": False}
        if any(f.secret for f in self.fields.values()):
            spec["update_secrets"] = {"type": "str", "default": "on_create", "choices": ["always", "on_create"]}
        states = ["present", "absent"] + sorted(self.lifecycle.goals if self.lifecycle else [])
        spec["state"] = {"type": "str", "default": "present", "choices": states}
        if self.by_id:
            spec["id"] = {"type": "str"}
        if self.waits:
            spec["wait"] = {"type": "bool", "default": True}
            spec["wait_timeout"] = {"type": "int", "default": 600}
            spec["wait_sleep"] = {"type": "float", "default": 2}
        return spec
