# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""NVIDIA Air adapter: the v1 API as the vendor's ``AirApi`` uses it, plus the few v2
calls that SDK makes (a simulation from DOT text) and the v2 JSON import.

URLs are built as the SDK builds them (``<api_url>/api/`` + ``v1/<resource>/``, always a
trailing slash). Login trades the username and API token (or service-account password)
for a bearer token once per task, lazily, and once more when Air answers 403 (how the
SDK sees an expired token). v1 lists are bare arrays; related objects arrive as absolute
URLs, read here as ``{"id": <uuid>}``.

What some resources need beyond this (a simulation's topology sources and its destroy
action, a node's cloud-init, an organization's members) is declared on their ``Resource``
with the hooks of ``_air_resources.py``; the info module's reads are in ``_air_tasks.py``.
"""

from __future__ import absolute_import, division, print_function

import base64
import binascii
import json
import time

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    RestAdapter,
    drf_error,
    env_fallback_for,
    http_client,
    path_below,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import url_id
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Bearer, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import ApiError

DEFAULT_API_URL = "https://air.nvidia.com/api/"
# the hosts the vendor SDK lets credentials follow a redirect to (exact names)
AIR_HOSTS = ("air.nvidia.com", "staging.air.nvidia.com", "air.cumulusnetworks.com",
             "staging.air.cumulusnetworks.com")


def connection_argspec():
    env = env_fallback_for
    return dict({
        "url": {"type": "str", "aliases": ["api_url"], "default": "https://air.nvidia.com",
                "fallback": env("AIR_URL", "AIR_API_URL")},
        "api_version": {"type": "str", "default": "v1", "fallback": env("AIR_API_VERSION")},
        "username": {"type": "str", "fallback": env("AIR_USERNAME")},
        "password": {"type": "str", "no_log": True, "fallback": env("AIR_PASSWORD", "AIR_TOKEN")},
        "token": {"type": "str", "aliases": ["bearer_token"], "no_log": True, "fallback": env("AIR_BEARER_TOKEN")},
    }, **transport_options("AIR", timeout={"default": 61.0}))


def api_root(api_url):
    """The SDK's normalisation: a trailing slash, then ``api/`` unless already there."""
    url = api_url or DEFAULT_API_URL
    if not url.endswith("/"):
        url += "/"
    if not url.endswith("api/"):
        url += "api/"
    return url


API_VERSIONS = ("v1", "v3")


def api_version(value):
    """v1 (air.nvidia.com: the v1 API and the v2 calls the v1 SDK makes) or v3 (DSX Air, _air_v3.py)."""
    version = str(value or "v1").strip().lower()
    version = version if version.startswith("v") else "v" + version
    if version not in API_VERSIONS:
        raise ModuleError("api_version: %s is not supported; give v1 (Air's v1 API, with the v2 calls "
                          "the v1 SDK makes) or v3 (DSX Air, with an NGC API key)" % value)
    return version


def jwt_lifetime(token, now=None):
    """Seconds left on a JWT by its ``exp`` claim (unverified: only to renew in time)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return max(0.0, float(claims["exp"]) - (now or time.time()))
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
        return None


def login(username, password):
    """The TokenExchange fetch: POST v1/login/ (no Authorization header, as the SDK)."""
    def fetch(client):
        try:
            body = client.request("POST", "v1/login/", use_auth=False,
                                  json_body={"username": username, "password": password})
        except ApiError as exc:
            raise ModuleError("Air login as %s failed: %s" % (username, exc))
        token = body.get("token") if isinstance(body, dict) else None
        if not token:
            raise ModuleError("Air login as %s failed: the answer holds no token" % username)
        return token, jwt_lifetime(token)
    return fetch


def auth_from_params(params):
    """Exactly one way to authenticate: username + password, or bearer_token."""
    username, password, bearer = params.get("username"), params.get("password"), params.get("token")
    if bearer and (username or password):
        raise ModuleError("give either token or username + password, not both")
    if bearer:
        return Bearer(bearer)
    if username and password:
        return TokenExchange(login(username, password), credentials=[password],
                             expired_statuses=(403,))
    if username or password:
        raise ModuleError("%s is missing: username and password go together (or give token)"
                          % ("password" if username else "username"))
    raise ModuleError("no Air credentials: give username + password (an API token or a "
                      "service-account password), or token; set the options or the environment "
                      "variables AIR_USERNAME and AIR_PASSWORD, or AIR_BEARER_TOKEN")


class AirAdapter(RestAdapter):
    platform_name = "Air"
    url_option = "url"
    url_path_problem = staticmethod(path_below("/api", "the version (v1/...)"))

    @classmethod
    def from_params(cls, params):
        version = api_version(params.get("api_version"))
        if version == "v3":  # another host, auth and names
            from ansible_collections.statecraft.infra.plugins.module_utils._air_v3 import AirV3Adapter
            return AirV3Adapter.from_params(params)
        root = api_root(params.get("url"))
        client = http_client(params, root, auth_from_params(params), 61, "url",  # 61 s: the SDK's read timeout
                             headers={"Content-Type": "application/json"}, error_parser=drf_error,
                             trusted_hosts=AIR_HOSTS)
        return cls(client, version)

    def __init__(self, client, version="v1"):
        super(AirAdapter, self).__init__(client)
        self.version = version

    # -- reads -----------------------------------------------------------------------------
    def list(self, path, filters=None):
        body = self.client.request("GET", path + "/", params=filters or None)
        if isinstance(body, dict) and "results" in body:  # v2 pages
            items = list(body["results"])
            if body.get("next"):
                items += list(self.client.iter_next_links(body["next"]))
            return items
        return body or []

    def find(self, resource, identity, deep=False):
        return self.list(resource.path, self.filters(resource, identity))

    def filters(self, resource, identity):
        """Equality filters the server may apply; the engine checks every match anyway."""
        filters = {}
        for name, value in identity.items():
            field = resource.fields[name]
            if field.kind == "ref":
                if set(value) == {"id"}:
                    filters[field.wire_name] = value["id"]
            elif field.read_key is None:
                filters[field.wire_name] = value
        return filters

    def resolve_path(self, path, query):
        """Objects of ``path`` matching ``query``; remembered for the task, since the service
        lookup and the engine's match of a related simulation ask the same question."""
        key = (path, json.dumps(query, sort_keys=True, default=str))
        if key not in self.resolved:
            self.resolved[key] = self._resolve_path(path, query)
        return self.resolved[key]

    def _resolve_path(self, path, query):
        if set(query) == {"id"}:
            found = self.get_or_none("%s/%s/" % (path, query["id"]))
            return [found] if found else []
        plain = dict((k, v) for k, v in query.items() if not isinstance(v, dict))
        return [o for o in self.list(path, plain)
                if all(str(o.get(k)) == str(v) for k, v in plain.items())]

    def resolve(self, field, query):
        return self.resolve_path(field.path, query)

    def read(self, field, obj):
        if obj is None:
            return None
        value = obj.get(field.read_key or field.wire_name)
        if field.kind == "ref" and value is not None and not isinstance(value, dict):
            return {"id": url_id(value)}
        return value

    def images(self):
        """The images Air offers (a topology's nodes name theirs by id), read once."""
        if not hasattr(self, "_images"):
            self._images = self.list("v1/image")
        return self._images

    # -- writes ----------------------------------------------------------------------------
    def create(self, resource, payload):
        return self.client.request("POST", resource.path + "/", json_body=payload, expect=(201,))

    def update(self, resource, current, payload):
        return self.client.request("PATCH", "%s/%s/" % (resource.path, current["id"]), json_body=payload)

    def delete(self, resource, current):
        self.client.request("DELETE", "%s/%s/" % (resource.path, current["id"]), json_body={},
                            expect=(204, 200))

    def act(self, resource, obj, action):
        self.client.request("POST", "%s/%s/control/" % (resource.path, obj["id"]),
                            json_body={"action": action}, expect=(200,))
        return self.get(resource, obj["id"])

    # -- output ----------------------------------------------------------------------------
    @staticmethod
    def plain_view(obj):
        """An object with its relations as ids and internal keys dropped."""
        view = {}
        for key, value in obj.items():
            if key == "url" or key.startswith("_"):
                continue
            if isinstance(value, str) and value.startswith(("http://", "https://")) and "/api/" in value:
                value = url_id(value)
            elif isinstance(value, list) and value and all(
                    isinstance(v, str) and "/api/" in v for v in value):
                value = [url_id(v) for v in value]
            view[key] = value
        return view

    def result_view(self, resource, obj):
        if not obj:
            return {}
        return self.plain_view(obj)


AIR = Platform("air", connection_argspec, AirAdapter)
