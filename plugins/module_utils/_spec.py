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
    and written. ``secret=True``: masked in output, written per ``update_secrets``.
    ``empty`` is what ``clear`` sets it to (None, or "" for platforms that store blanks).
    ``create_default`` is used only when the object is created and the option is unset.
    """

    kind = "value"

    def __init__(self, type="str", required=False, choices=None, elements=None, merge=False,
                 secret=False, empty=None, clearable=True, create_default=None,
                 required_on_create=False, wire=None, aliases=None):
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
        self.name = None  # set by Resource

    def argspec(self):
        spec = {"type": self.type}
        if self.required:
            spec["required"] = True
        if self.choices:
            spec["choices"] = list(self.choices)
        if self.elements:
            spec["elements"] = self.elements
        if self.secret:
            spec["no_log"] = True
        if self.aliases:
            spec["aliases"] = list(self.aliases)
        return {self.name: spec}

    @property
    def wire_name(self):
        return self.wire or self.name


class Ref(Field):
    """A related object given by name (``key``), by id, or as a dict of identifying fields.

    ``path`` is the related collection's API path. ``scope`` maps an identifying field of
    the related object to a sibling option whose value narrows a name lookup (a rack's
    name is unique only within its location).
    """

    kind = "ref"

    def __init__(self, path, key="name", scope=None, **kwargs):
        kwargs.setdefault("type", "raw")
        super(Ref, self).__init__(**kwargs)
        self.path = path
        self.key = key
        self.scope = scope or {}


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


class Resource(object):
    """A kind of object a module manages.

    ``name`` is the result key (``device``); ``path`` the collection's API path;
    ``identity`` the fields that find the object (its natural key; the first ones are
    required, the rest narrow the match when given); ``fields`` maps option names to
    ``Field``s. ``platform`` names the adapter that serves it.
    """

    def __init__(self, name, path, identity, fields, platform, required_identity=None,
                 display=None):
        self.name = name
        self.path = path
        self.identity = tuple(identity)
        self.required_identity = tuple(required_identity or identity[:1])
        self.fields = fields
        self.platform = platform
        self.display = display or self.identity[0]
        for option, field in fields.items():
            field.name = option

    def argument_spec(self):
        spec = {}
        for field in self.fields.values():
            spec.update(field.argspec())
        # which names may be cleared is checked by the engine, so one doc fragment serves all
        spec["clear"] = {"type": "list", "elements": "str", "default": []}
        spec["state"] = {"type": "str", "default": "present", "choices": ["present", "absent"]}
        return spec
