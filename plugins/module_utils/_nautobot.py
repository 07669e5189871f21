# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nautobot adapter: URL layout, token auth, pinned API version, DRF errors, natural keys.

Reads use ``depth=1`` so related objects arrive with their names and a converged task is
decided from one request. Writes send related objects as attribute dicts
(``{"name": "dc1"}``), which Nautobot resolves itself, so no name-to-id lookups are
spent on them.
"""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    RestAdapter,
    drf_error,
    env_fallback_for,
    http_client,
    path_below,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import StaticHeader
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

# the newest API version every supported server (Nautobot 2.4 and 3.x) accepts; the
# serializers differ by version only below 2.2, so 3.x answers 2.4 as it answers 3.0
DEFAULT_API_VERSION = "2.4"
PAGE_SIZE = 100
STUB_KEYS = frozenset(("id", "object_type", "url"))
# a filter value that names no existing object is a 400, not an empty list
NO_SUCH_CHOICE = ("Select a valid choice", "is not one of the available choices")


def read_params_over(depth, read_params):
    """A read's query parameters: ``depth`` unless the resource reads deeper, plus the
    resource's own (``Resource.read_params``)."""
    params = dict(read_params or {})
    params["depth"] = max(depth, int(params.get("depth") or 0))
    return params


def connection_argspec():
    env = env_fallback_for
    return dict({
        "url": {"type": "str", "fallback": env("NAUTOBOT_URL")},
        "token": {"type": "str", "no_log": True, "fallback": env("NAUTOBOT_TOKEN")},
        "api_version": {"type": "str", "default": DEFAULT_API_VERSION, "fallback": env("NAUTOBOT_API_VERSION")},
    }, **transport_options("NAUTOBOT", timeout={"default": 30.0}))


class NautobotAdapter(RestAdapter):
    platform_name = "Nautobot"
    required_options = (("url", "NAUTOBOT_URL"), ("token", "NAUTOBOT_TOKEN"))
    url_path_problem = staticmethod(path_below("/api", "the endpoint paths"))

    @classmethod
    def from_params(cls, params):
        url = params["url"].rstrip("/")
        if not url.endswith("/api"):
            url += "/api"
        version = params.get("api_version") or DEFAULT_API_VERSION
        client = http_client(params, url, StaticHeader("Authorization", params["token"], prefix="Token "), 30, "url",
                             headers={"Accept": "application/json; version=%s" % version}, error_parser=drf_error)
        return cls(client)

    # -- reads -----------------------------------------------------------------------------
    def list_objects(self, path, filters, depth=1, limit=PAGE_SIZE, read_params=None):
        """Every object of ``path`` that ``filters`` select (a list value: any of them);
        ``read_params``: the resource's own read parameters (``Resource.read_params``)."""
        params = dict(filters, limit=limit)
        params.update(read_params_over(depth, read_params))
        try:
            return list(self.client.iter_next_links(path + "/", params=params))
        except ApiError as exc:
            if exc.status == 400 and any(marker in exc.message for marker in NO_SUCH_CHOICE):
                return []
            raise

    @staticmethod
    def _filters(query):
        """Server-side filters for the plain values of a query; nested ones match locally."""
        filters = {}
        for key, value in query.items():
            if isinstance(value, dict):
                if set(value) == {"id"}:
                    filters[key] = value["id"]
                continue
            filters[key] = value
        return filters

    def find(self, resource, identity, deep=False):
        filters = {}
        for name, value in identity.items():
            field = resource.fields[name]
            if field.kind != "ref":
                filters[field.wire_name] = value
            elif set(value) == {"id"}:
                filters[field.wire_name] = value["id"]
            elif field.find_filter and isinstance(value.get(field.key), (str, int)):
                filters[field.wire_name] = value[field.key]  # its other fields match locally
        return self.list_objects(resource.path, filters, depth=2 if deep else 1, read_params=resource.read_params)

    def resolve(self, field, query):
        if set(query) == {"id"}:
            found = self.get_or_none("%s/%s/" % (field.path, query["id"]), params={"depth": 1})
            return [found] if found else []
        return self.list_objects(field.path, self._filters(query))

    def get(self, resource, object_id):
        return self.get_or_none("%s/%s/" % (resource.path, object_id), params=read_params_over(1, resource.read_params))

    # -- writes ----------------------------------------------------------------------------
    # Nautobot answers writes at depth 0 (related objects as bare ids), so the object is
    # read back once at depth 1: results and diffs name related objects, never ids
    def create(self, resource, payload):
        created = self.client.request("POST", resource.path + "/", json_body=payload)
        return self._read_back(resource, created)

    def update(self, resource, current, payload):
        updated = self.client.request("PATCH", "%s/%s/" % (resource.path, current["id"]), json_body=payload)
        return self._read_back(resource, updated)

    def _read_back(self, resource, written):
        return self.client.request("GET", "%s/%s/" % (resource.path, written["id"]),
                                   params=read_params_over(1, resource.read_params))

    def delete(self, resource, current):
        self.client.request("DELETE", "%s/%s/" % (resource.path, current["id"]))

    # -- related objects -------------------------------------------------------------------
    def server_resolves(self, field, query):
        # Nautobot resolves {"name": ...} (and a scope such as a rack's location) on write;
        # a user's own attribute dict may hold names of related objects that Nautobot would
        # read as ids, so it is resolved here first and sent as an id. Nautobot reads a
        # nested dict as filters of the related object, so a scope is sent only as one name
        # or id ({"location": {"name": "dc1"}}); a scope of several fields, or a bare value
        # ({"location": "dc1"}, read as an id), is looked up here
        if field.key not in query or not set(query) <= set([field.key]) | set(field.scope):
            return False
        return all(isinstance(value, dict) and len(value) == 1 for key, value in query.items() if key != field.key)

    def ref_payload(self, field, query, obj):
        if obj is not None:
            return obj["id"]
        if set(query) == {"id"}:
            return query["id"]
        return dict(query)

    @staticmethod
    def is_stub(obj):
        return isinstance(obj, dict) and set(obj) <= STUB_KEYS

    @staticmethod
    def path_of(obj):
        url = obj.get("url") or ""
        if "/api/" in url:
            return url.split("/api/", 1)[1].rstrip("/").rsplit("/", 1)[0]
        object_type = obj.get("object_type") or ""
        return object_type.replace(".", "/") + "s" if object_type else None

    @staticmethod
    def plain(value):
        """Choice fields arrive as {"value": ..., "label": ...}: compare their value."""
        if isinstance(value, dict) and "value" in value and "label" in value:
            return value["value"]
        return value


NAUTOBOT = Platform("nautobot", connection_argspec, NautobotAdapter)
