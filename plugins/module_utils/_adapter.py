# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every platform adapter shares: the engine's adapter interface with the defaults
that fit a JSON REST API whose objects carry an ``id``, and Django REST framework errors
(Nautobot and Air are both DRF servers).

A platform subclasses ``RestAdapter`` and overrides only what its API does differently.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re

from ansible_collections.statecraft.infra.plugins.module_utils._connection import required_message
from ansible_collections.statecraft.infra.plugins.module_utils._http import (
    NO_JSON,
    ApiError,
    HttpClient,
    check_url,
    error_body,
)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def non_empty_env_fallback(*names):
    """The first of ``names`` set to something in the environment. An empty variable counts
    as unset: AWX injects a credential's optional fields left blank as empty strings."""
    from ansible.module_utils.errors import AnsibleFallbackNotFound

    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


def env_fallback_for(*names):
    """``fallback`` for an argument spec: the first of ``names`` set in the environment."""
    return (non_empty_env_fallback, list(names))


def transport_options(prefix, **overrides):
    """The connection options every platform has beyond its URL and credentials, each
    falling back to ``<prefix>_<NAME>`` in the environment; ``overrides`` add to an
    option's spec (CycleCloud's ``verify_certificates`` alias)."""
    options = {
        "timeout": {"type": "float"},
        "validate_certs": {"type": "bool", "default": True},
        "ca_path": {"type": "path"},
        "retries": {"type": "int", "default": 3},
    }
    for name, spec in options.items():
        spec["fallback"] = env_fallback_for("%s_%s" % (prefix, name.upper()))
        spec.update(overrides.get(name) or {})
    return options


def http_client(params, base_url, auth, default_timeout, url_option, **kwargs):
    """The HTTP client for a task's connection options (timeout, validate_certs, ca_path,
    retries with their defaults); ``kwargs`` are the platform's own (headers, error parser)."""
    return HttpClient(
        base_url,
        auth=auth,
        timeout=params.get("timeout") or default_timeout,
        validate_certs=True if params.get("validate_certs") is None else params["validate_certs"],
        ca_path=params.get("ca_path"),
        retries=3 if params.get("retries") is None else params["retries"],
        url_option=url_option,
        **kwargs
    )


def check_connection(params, url_option, path_problem=None):
    """The connection options every platform shares, checked before any request: the URL
    (scheme, host, the platform's path shape), ``retries`` and ``timeout``. Raises
    ValueError naming the option."""
    if params.get(url_option) is not None:
        check_url(url_option, params[url_option], path_problem)
    if params.get("retries") is not None and params["retries"] < 0:
        raise ValueError("retries: %s is negative; give 0 (no retry) or more" % params["retries"])
    if params.get("timeout") is not None and not params["timeout"] > 0:
        raise ValueError("timeout: %s is not a number of seconds above 0" % params["timeout"])


def path_below(marker, what):
    """A path check for a URL that must stop at ``marker`` (``/api``): names what the
    module adds itself."""
    def problem(parts):
        tail = ("/" + parts.path.strip("/") + "/").split(marker + "/", 1)
        if len(tail) == 2 and tail[1].strip("/"):
            return "the URL goes past %s (%s/%s); give it up to %s, the module adds %s" % (
                marker, marker, tail[1].strip("/"), marker, what)
        return None
    return problem


def drf_error(response):
    """Django REST framework error bodies as one readable line, plus per-field details."""
    body, text = error_body(response)
    if body is NO_JSON:
        return text, {}
    return _flatten_errors(body)


def _flatten_errors(body):
    if isinstance(body, list) and any(isinstance(b, dict) for b in body):
        # a bulk write: one error object per object sent, empty for those that passed;
        # fields are keyed "<index>.<field>"
        fields = {}
        for index, item in enumerate(body):
            if item:
                fields.update(("%d.%s" % (index, k), v) for k, v in _flatten_errors(item)[1].items())
        return "; ".join("%s: %s" % kv for kv in sorted(fields.items())) or "error", fields
    if isinstance(body, list):
        parts = [_flatten_errors(b) for b in body if b]
        fields = {}
        for _msg, f in parts:
            fields.update(f)
        return "; ".join(m for m, _f in parts) or "error", fields
    if not isinstance(body, dict):
        return str(body), {}
    if "detail" in body and len(body) == 1:
        return str(body["detail"]), {}
    fields = {}
    for key, value in body.items():
        text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if key in ("non_field_errors", "__all__", "detail"):
            fields.setdefault("(object)", text)
        else:
            fields[key] = text
    return "; ".join("%s: %s" % kv for kv in sorted(fields.items())), fields


class Platform(object):
    """What the module runner needs of a platform: its name, its connection options and
    its adapter class. Each platform's module_utils file declares one; a module imports
    only its own platform's, so its payload carries no other platform's code."""

    def __init__(self, name, connection_argspec, adapter_class):
        self.name = name
        self.connection_argspec = connection_argspec
        self.adapter_class = adapter_class

    def connection_options(self):
        return sorted(self.connection_argspec())


class RestAdapter(object):
    """Defaults of the engine's adapter interface. ``client`` is the shared HttpClient.

    One adapter serves every loop item of a task that runs in the controller (same host,
    same connection options): it keeps the HTTP session, the login and ``resolved``, the
    related objects already looked up."""

    platform_name = "the server"
    masks = ()  # how the platform shows a stored secret on read (compared as "unknown")
    url_option = "url"  # the connection option that holds the base URL
    url_path_problem = None  # urlsplit parts -> what is wrong with the path here (or None)
    # (option, its environment variable) that must have a value: checked here rather than
    # marked required, so that the message names the variable too
    required_options = ()
    params = {}  # the options of the task (loop item) being run, see begin()

    @classmethod
    def check_connection(cls, params):
        for option, variable in cls.required_options:
            if not params.get(option):
                raise ValueError(required_message(option, variable))
        check_connection(params, cls.url_option, cls.url_path_problem)

    # options of an item that narrow where its related objects are looked up (a project, a
    # workspace) without being part of the lookup's query: items differing in them never
    # share lookups
    scope_options = ()

    def __init__(self, client):
        self.client = client
        self.scopes = {}  # scope_options' values -> that scope's lookups
        # (path, ...) -> related objects looked up, for the items of one scope
        self.resolved = self.scopes[None] = {}

    def begin(self, params):
        """A task (or the next loop item of one) starts with ``params``. An adapter may serve
        several items with the same connection options: keep nothing of an earlier item's
        options here, only what the connection determines."""
        self.params = params
        scope = json.dumps([params.get(name) for name in self.scope_options], sort_keys=True, default=str)
        self.resolved = self.scopes.setdefault(scope, {})

    def forget(self, path=None):
        """Drop the lookups of ``path`` (its objects were just written), in every scope; with
        no path, all of them (the task is run again: what it looked up may have changed)."""
        for lookups in self.scopes.values():
            for key in [k for k in lookups if path is None or k[0] == path]:
                del lookups[key]

    def serving(self, resource):
        """``resource`` as this adapter serves it: an API version with other paths and field
        names declares it its own way, or refuses a resource it lacks (before any request)."""
        return resource

    def progress(self, message):
        """Report how a wait goes (the object's state, the time waited); the runner replaces
        this with what the execution path can show while the task runs."""

    # -- reads -----------------------------------------------------------------------------
    def get_or_none(self, path, params=None, client=None):
        """One object by its detail path; None when the server says 404. ``client``: another
        of the adapter's clients (a platform with one host per application)."""
        try:
            return (client or self.client).request("GET", path, params=params)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def get(self, resource, object_id):
        """One object by id (the ``id`` option, and polling while waiting); None if gone."""
        return self.get_or_none("%s/%s/" % (resource.path, object_id))

    def find(self, resource, identity, deep=False):
        """The objects of ``resource`` that may match ``identity`` (option -> value, a
        related object as its query dict): one read where the API allows it, with related
        objects carrying their natural keys. The engine keeps those that match exactly.
        ``deep``: related objects are named two levels down (read them too)."""
        raise NotImplementedError("%s adapters find objects their own way" % self.platform_name)

    def resolve(self, field, query):
        """The related objects of ``field.path`` that may match ``query`` (the engine
        filters and caches them per task)."""
        raise NotImplementedError("%s adapters look up related objects their own way" % self.platform_name)

    def check_write(self, resource, current, payload):
        """Raise ModuleError for a write the platform would refuse, found by reading (check
        mode runs it too, so a dry run predicts the failure). ``current`` is None on create."""

    # -- writes (the engine turns an ApiError with per-field details into the options' words;
    # a create that got no answer or lost a race is settled by reading again with ``find``)
    def create(self, resource, payload):
        """POST ``payload`` (wire names); returns the new object as the server has it."""
        raise NotImplementedError("%s adapters create their own way" % self.platform_name)

    def update(self, resource, current, payload):
        """Send the fields in ``payload`` that differ; returns the object as it is now."""
        raise NotImplementedError("%s adapters update their own way" % self.platform_name)

    def delete(self, resource, current):
        """Delete ``current`` (or ask the platform to)."""
        raise NotImplementedError("%s adapters delete their own way" % self.platform_name)

    def act(self, resource, obj, action):
        raise NotImplementedError("%s has no action %s" % (resource.name, action))

    def read(self, field, obj):
        if obj is None:
            return None
        value = obj.get(field.read_key or field.wire_name)
        return self.plain(value) if field.kind == "value" else value

    @staticmethod
    def plain(value):
        return value

    # -- related objects -------------------------------------------------------------------
    def ref_query(self, field, value, params):
        if isinstance(value, dict):
            return dict(value)
        value = str(value)
        if UUID_RE.match(value):
            return {"id": value}
        return {field.key: value}

    def nested_query(self, value):
        value = str(value)
        return {"id": value} if UUID_RE.match(value) else {"name": value}

    def server_resolves(self, field, query):
        return False

    def ref_payload(self, field, query, obj):
        if obj is not None:
            return obj["id"]
        return query.get("id")

    def placeholder(self, field, query):
        shown = dict(query)
        shown.setdefault("id", None)
        return shown

    @staticmethod
    def is_stub(obj):
        return isinstance(obj, dict) and set(obj) <= {"id"}

    @staticmethod
    def is_related(value):
        return isinstance(value, dict) and "id" in value

    @staticmethod
    def path_of(obj):
        return None

    @staticmethod
    def object_id(obj):
        return obj.get("id") if isinstance(obj, dict) else obj

    # -- output ----------------------------------------------------------------------------
    def display(self, field, obj):
        if not isinstance(obj, dict):
            return obj
        for key in (field.key, "name", "display"):
            if obj.get(key) is not None:
                return obj[key]
        return obj.get("id")

    def describe(self, obj):
        return "%s (id %s)" % (obj.get("display") or obj.get("name") or obj.get("title"), obj.get("id"))

    @staticmethod
    def describe_query(query):
        return ", ".join("%s=%s" % (k, v) for k, v in sorted(query.items()))

    def merge_payload(self, field, merged, differ):
        return merged

    def result_view(self, resource, obj):
        return obj

    def shown(self, field, value):
        """A value as --diff shows it (a platform may hide parts of it)."""
        return value
