# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Airbyte's public API as a platform of the shared HTTP client and ensure engine.

The same paths serve Airbyte Cloud (``https://api.airbyte.com/v1``) and a self-managed
Airbyte (``http://HOST:8000/api/public/v1``). The vendor SDK's typed connector
configuration is lossy (it picks one of hundreds of connector models for a plain dict),
so configurations travel as plain JSON here.

The resources, with what some of them need beyond this adapter (a user's permissions found
per organization, a connection's streams checked before a write), are declared in
``_airbyte_resources.py``; jobs, OAuth overrides and the info module's reads are in
``_airbyte_tasks.py``.
"""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    UUID_RE,
    RestAdapter,
    env_fallback_for,
    http_client,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Basic, Bearer, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, deep_merge
from ansible_collections.statecraft.infra.plugins.module_utils._http import NO_JSON, error_body
from ansible_collections.statecraft.infra.plugins.module_utils._http import mask_secrets as shared_mask_secrets

CLOUD_URL = "https://api.airbyte.com/v1"
SECRET_MASK = "**********"  # how Airbyte shows a stored secret (ten asterisks)
PAGE_SIZE = 100  # the API's maximum
UNPAGED = ("tags", "permissions", "organizations", "users")
SCOPED = ("sources", "destinations", "tags")  # related objects looked up within the task's workspace
IN_WORKSPACE_PATH = "{workspaceId}"  # collections under their workspace (custom definitions)


def connection_argspec():
    env = env_fallback_for
    return dict({
        "url": {"type": "str", "aliases": ["server_url"], "default": CLOUD_URL,
                "fallback": env("AIRBYTE_URL", "AIRBYTE_SERVER_URL")},
        "client_id": {"type": "str", "fallback": env("AIRBYTE_CLIENT_ID")},
        "client_secret": {"type": "str", "no_log": True, "fallback": env("AIRBYTE_CLIENT_SECRET")},
        "token_url": {"type": "str", "no_log": False, "fallback": env("AIRBYTE_TOKEN_URL")},
        "token": {"type": "str", "aliases": ["bearer_token"], "no_log": True, "fallback": env("AIRBYTE_BEARER_TOKEN")},
        "username": {"type": "str", "fallback": env("AIRBYTE_USERNAME")},
        "password": {"type": "str", "no_log": True, "fallback": env("AIRBYTE_PASSWORD")},
    }, **transport_options("AIRBYTE", timeout={"default": 60.0}))


def auth_from_params(params, server_url):
    """Exactly one way in: client credentials, a bearer token, or username + password."""
    ways = [
        ("client_id + client_secret", ("client_id", "client_secret")),
        ("token", ("token",)),
        ("username + password", ("username", "password")),
    ]
    given = [(label, names) for label, names in ways if any(params.get(n) for n in names)]
    if len(given) != 1:
        raise ModuleError("give exactly one way to authenticate: client_id + client_secret, token, "
                          "or username + password (%s)" % (
                              "none was given: set the options or the environment variables AIRBYTE_CLIENT_ID and "
                              "AIRBYTE_CLIENT_SECRET, AIRBYTE_BEARER_TOKEN, or AIRBYTE_USERNAME and AIRBYTE_PASSWORD"
                              if not given else "got " + " and ".join(label for label, _n in given)))
    label, names = given[0]
    missing = [n for n in names if not params.get(n)]
    if missing:
        raise ModuleError("%s: %s is missing" % (label, ", ".join(missing)))
    if names[0] == "token":
        return Bearer(params["token"])
    if names[0] == "username":
        return Basic(params["username"], params["password"])
    # an absolute token URL: the vendor SDK's default ("/applications/token") drops the
    # base path of a self-managed server's URL (airbyte.md 2.1)
    token_url = params.get("token_url") or server_url.rstrip("/") + "/applications/token"

    def fetch(client):
        body = client.request("POST", token_url, use_auth=False, expect=(200,), data={
            "grant_type": "client_credentials", "client_id": params["client_id"],
            "client_secret": params["client_secret"]})
        if not isinstance(body, dict) or not body.get("access_token"):
            raise ModuleError("the token endpoint %s answered without an access_token" % token_url)
        return body["access_token"], body.get("expires_in")

    return TokenExchange(fetch, credentials=[params["client_secret"]], expired_statuses=(401,), early=60)


def problem_error(response):
    """Airbyte's problem bodies ({type, title, status, detail, data: {message | value}}),
    framework bodies ({errorId}) and legacy ones ({message})."""
    body, text = error_body(response)
    if body is NO_JSON:
        return text, {}
    if not isinstance(body, dict):
        return str(body)[:300], {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    parts = [body.get("title") or "", data.get("message") or body.get("message") or body.get("detail") or ""]
    if data.get("value"):
        parts.append("value %r" % data["value"])
    if data.get("resourceType"):
        parts.append("%s %s" % (data["resourceType"], data.get("resourceId") or ""))
    if body.get("errorId") and not any(parts):
        parts.append("error id %s" % body["errorId"])
    return ": ".join(p for p in parts if p) or "error", {}


def mask_secrets(value):
    return shared_mask_secrets(value, keep=(SECRET_MASK,))


def versioned_path(parts):
    """Airbyte's public API URL ends with its version."""
    if not parts.path.rstrip("/").endswith("/v1"):
        return ("Airbyte's public API URL ends with its version, /v1 (for example "
                "http://airbyte.example.com:8000/api/public/v1 or https://api.airbyte.com/v1)")
    return None


class AirbyteAdapter(RestAdapter):
    platform_name = "Airbyte"
    masks = (SECRET_MASK,)
    url_option = "url"
    url_path_problem = staticmethod(versioned_path)
    scope_options = ("workspace",)  # sources, destinations, connectors are found within it

    # the key of an object's own id, most specific first: a job names its connection, a
    # connection its source and destination, everything its workspace; users and definitions
    # have a plain id
    ID_KEYS = ("jobId", "connectionId", "permissionId", "tagId", "sourceId", "destinationId", "id", "workspaceId",
               "organizationId")

    @classmethod
    def from_params(cls, params):
        server_url = (params.get("url") or CLOUD_URL).rstrip("/")
        client = http_client(params, server_url, auth_from_params(params, server_url), 60, "url",
                             headers={"Content-Type": "application/json"}, error_parser=problem_error)
        return cls(client)

    def __init__(self, client):
        super(AirbyteAdapter, self).__init__(client)
        self._workspace_ids = []

    @staticmethod
    def option_secrets(params):
        """The keys of encryption mappers a connection's streams give."""
        streams = params.get("streams") if isinstance(params.get("streams"), list) else []
        return [m["mapperConfiguration"]["key"] for s in streams if isinstance(s, dict)
                for m in api_mappers(s.get("mappers")) or []
                if isinstance(m["mapperConfiguration"], dict) and isinstance(m["mapperConfiguration"].get("key"), str)]

    def begin(self, params):
        super(AirbyteAdapter, self).begin(params)
        self._workspace_ids = []  # the item's own workspace is found again

    # -- reads -------------------------------------------------------------------------------
    def list(self, path, params=None):
        """Every object of a collection: limit/offset pages until a short one (``next`` is
        set even on the last page, airbyte.md 4); tags, permissions, organizations and users
        come in one answer."""
        if path in UNPAGED:
            body = self.client.request("GET", path, params=params, expect=(200,))
            return list((body or {}).get("data") or [])
        return list(self.client.iter_offset(path, params=params, limit=PAGE_SIZE, results_key="data"))

    def workspace_ids(self, query):
        """Ids of the workspaces a query ({"id": ..} or {"name": ..}), a name or an id names."""
        if not isinstance(query, dict):
            query = {"id": str(query)} if UUID_RE.match(str(query)) else {"name": str(query)}
        if set(query) == {"id"}:
            return [query["id"]]
        return [w["workspaceId"] for w in self.resolve_path("workspaces", query)]

    def organization_ids(self):
        return [o["organizationId"] for o in self.resolve_path("organizations", {})]

    def users(self, query):
        """Users of the caller's organizations (Airbyte lists users per organization only),
        by id or by e-mail (in any case)."""
        found = {}
        for organization in self.organization_ids():
            for user in self.list("users", {"organizationId": organization}):
                found[user["id"]] = dict(user, email=str(user.get("email") or "").lower())
        return [u for u in found.values() if all(str(u.get(k)).lower() == str(v).lower() for k, v in query.items())]

    def find(self, resource, identity, deep=False):
        params = {}
        workspace = identity.get("workspace")
        if workspace is not None:
            ids = self.workspace_ids(workspace)
            self._workspace_ids = ids  # connector names resolve within it
            if not ids:
                return []
            params["workspaceIds"] = ids
        if IN_WORKSPACE_PATH in resource.path:
            found = []
            for workspace_id in self._workspace_ids:
                body = self.client.request("GET", self.collection(resource, workspace_id), expect=(200,))
                found += [dict(o, workspaceId=workspace_id) for o in (body or {}).get("data") or []]
        else:
            found = self.list(resource.path, params)
        name = identity.get("name")
        return [o for o in found if name is None or o.get("name") == name]

    def collection(self, resource, workspace_id=None):
        """A collection's path; custom definitions sit under their workspace."""
        if IN_WORKSPACE_PATH not in resource.path:
            return resource.path
        return resource.path.replace(IN_WORKSPACE_PATH, str(workspace_id or (self._workspace_ids or [""])[0]))

    def resolve_path(self, path, query):
        """Objects of ``path`` matching ``query``, remembered for the task; each carries its
        id also as ``id``, the key the engine matches related objects on."""
        key = (path, repr(sorted(query.items())))
        if key not in self.resolved:
            if path == "users":
                found = self.users(query)
            elif path == "organizations":  # no read by id: the caller's organizations, listed
                found = [o for o in self.list(path)
                         if all(str(self.object_id(o) if k == "id" else o.get(k)) == str(v) for k, v in query.items())]
            elif set(query) == {"id"}:
                one = self.get_or_none("%s/%s" % (path, query["id"]))
                found = [one] if one else []
            else:
                params = {"workspaceIds": self._workspace_ids} if path in SCOPED and self._workspace_ids else None
                found = [o for o in self.list(path, params)
                         if all(o.get(k) == v for k, v in query.items() if not isinstance(v, dict))]
            self.resolved[key] = [dict(o, id=self.object_id(o)) for o in found]
        return self.resolved[key]

    def resolve(self, field, query):
        if field.path.startswith("definitions/"):
            return self.definitions(field.path, query)
        return self.resolve_path(field.path, query)

    def definitions(self, path, query):
        """Connector definitions the workspace can use, by id or by connector name (the
        name as Airbyte lists it, or its docker image: postgres = airbyte/source-postgres)."""
        workspace = self._workspace_ids[0] if self._workspace_ids else None
        if workspace is None:
            return []
        key = ("definitions", path, workspace)
        if key not in self.resolved:
            body = self.client.request("GET", "workspaces/%s/%s" % (workspace, path), expect=(200,))
            self.resolved[key] = list((body or {}).get("data") or [])
        kind = path.rsplit("/", 1)[1][:-1]  # sources -> source
        if set(query) == {"id"}:
            return [d for d in self.resolved[key] if d.get("id") == query["id"]]
        given = str(query.get("connector", ""))
        wanted = given.lower()
        # each match carries the name it was asked by, which the engine compares again
        return [dict(d, connector=given) for d in self.resolved[key]
                if str(d.get("name", "")).lower() == wanted
                or str(d.get("dockerRepository", "")).lower() in ("airbyte/%s-%s" % (kind, wanted), wanted)]

    def get(self, resource, object_id):
        found = self.get_or_none("%s/%s" % (self.collection(resource), object_id))
        if found is not None and IN_WORKSPACE_PATH in resource.path:
            found["workspaceId"] = self._workspace_ids[0]
        return found

    def ref_query(self, field, value, params):
        query = super(AirbyteAdapter, self).ref_query(field, value, params)
        if field.path == "users" and "email" in query:
            query["email"] = str(query["email"]).lower()  # e-mail addresses match in any case
        return query

    def read(self, field, obj):
        if obj is None:
            return None
        value = obj.get(field.read_key or field.wire_name)
        if field.kind == "ref" and isinstance(value, str):
            return {"id": value}
        return value

    def object_id(self, obj):
        if not isinstance(obj, dict):
            return obj
        for key in self.ID_KEYS:
            if obj.get(key) is not None:
                return obj[key]
        return obj.get("id")

    # -- writes ------------------------------------------------------------------------------
    def create(self, resource, payload):
        payload = self.wire(payload)
        if IN_WORKSPACE_PATH in resource.path:
            workspace_id = payload.pop("workspaceId")
            created = self.client.request("POST", self.collection(resource, workspace_id), json_body=payload,
                                          expect=(200,))
            return dict(created, workspaceId=workspace_id)
        return self.client.request("POST", resource.path, json_body=payload, expect=(200,))

    def check_write(self, resource, current, payload):
        if current is not None and current.get("status") == "locked":
            raise ModuleError("the %s %r is locked by Airbyte (%s) and cannot be changed"
                              % (resource.name, current.get("name"), current.get("statusReason") or "no reason given"))

    def update(self, resource, current, payload):
        if IN_WORKSPACE_PATH in resource.path:  # definitions are replaced with PUT
            payload.pop("workspaceId", None)
            updated = self.client.request("PUT", "%s/%s" % (self.collection(resource), self.object_id(current)),
                                          json_body=self.wire(payload), expect=(200,))
            return dict(updated, workspaceId=current.get("workspaceId"))
        return self.client.request("PATCH", "%s/%s" % (resource.path, self.object_id(current)),
                                   json_body=self.wire(payload), expect=(200,))

    def delete(self, resource, current):
        self.client.request("DELETE", "%s/%s" % (self.collection(resource), self.object_id(current)),
                            expect=(204, 200))

    @staticmethod
    def wire(payload):
        """The options' forms as the API takes them: secrets travel inside the configuration,
        a schedule as its type and expression, streams as the connection's configurations."""
        payload = dict(payload)
        secrets = payload.pop("secrets", None)
        if secrets:
            payload["configuration"] = deep_merge(payload.get("configuration") or {}, secrets)
        if "schedule" in payload:
            schedule = schedule_text(payload["schedule"])
            payload["schedule"] = ({"scheduleType": "manual"} if schedule == "manual"
                                   else {"scheduleType": "cron", "cronExpression": schedule})
        if isinstance(payload.get("configurations"), list):
            payload["configurations"] = {"streams": [api_stream(s) for s in payload["configurations"]]}
        if isinstance(payload.get("resourceAllocation"), dict):
            payload["resourceAllocation"] = canonical_allocation(payload["resourceAllocation"])
        return payload

    def merge_payload(self, field, merged, differ):
        return differ  # PATCH deep-merges: only the keys that differ (never a mask back)

    # -- related objects ---------------------------------------------------------------------
    def ref_payload(self, field, query, obj):
        if field.path == "tags" and obj is not None:
            return dict((k, obj.get(k)) for k in ("tagId", "name", "color", "workspaceId"))  # tags go as objects
        if obj is not None:
            return self.object_id(obj)
        return query.get("id")

    def is_stub(self, obj):
        return isinstance(obj, dict) and set(obj) <= {"id"}

    def display(self, field, obj):
        if not isinstance(obj, dict):
            return obj
        return obj.get(field.key) or obj.get("name") or self.object_id(obj)

    def describe(self, obj):
        return "%s (id %s)" % (obj.get("name") or obj.get("permissionType") or obj.get("email"), self.object_id(obj))

    # -- output ------------------------------------------------------------------------------
    def shown(self, field, value):
        return mask_secrets(value) if field.merge == "deep" else value

    def result_view(self, resource, obj):
        if not isinstance(obj, dict):
            return obj
        # a predicted object (check mode) holds related objects where the API has their ids
        view = dict((k, self.object_id(v) if isinstance(v, dict) and k.endswith("Id") else v)
                    for k, v in obj.items() if k not in ("secrets", "secretId"))
        if isinstance(view.get("configuration"), dict):
            view["configuration"] = mask_secrets(view["configuration"])
        if isinstance(view.get("configurations"), dict):  # a connection's streams: their mappers' keys
            streams = view["configurations"].get("streams") or []
            view["configurations"] = dict(view["configurations"], streams=[
                dict(s, mappers=masked_mappers(s["mappers"])) if isinstance(s, dict) and s.get("mappers") else s
                for s in streams])
        return view


# -- connection schedules and streams in one form: written by the adapter, compared by the resource
def schedule_text(value):
    """A schedule in one comparable form: "manual", or the Quartz cron expression with
    single spaces and without the " UTC" Airbyte adds when it shows one."""
    if isinstance(value, dict):
        if value.get("scheduleType") != "cron":
            return value.get("scheduleType") or "manual"
        value = value.get("cronExpression") or ""
    text = " ".join(str(value).split())
    if text.upper().endswith(" UTC"):
        text = text[:-4]
    return text


def _paths(value):
    """A field path given as "a", "a.b", ["a", "b"] or [["a", "b"]] as a list of lists."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value.split(".")]
    if value and all(isinstance(v, str) for v in value):
        return [[v] for v in value]
    return [list(v) if isinstance(v, (list, tuple)) else str(v).split(".") for v in value]


def _given(stream, name, wire):
    return stream.get(name, stream.get(wire))


def api_mappers(value):
    """Stream mappers in the API's form ({type, mapperConfiguration}), in their order (a mapper
    works on what the one before it made); an id Airbyte gave one is no part of it."""
    if value is None:
        return None
    return [{"type": m.get("type"), "mapperConfiguration": _given(m, "mapper_configuration", "mapperConfiguration") or {}}
            if isinstance(m, dict) else {"type": None, "mapperConfiguration": m}
            for m in (value if isinstance(value, list) else [value])]


def masked_mappers(mappers):
    """Mappers with an encryption key hidden: it is a secret, written, never compared or shown."""
    masked = []
    for mapper in mappers:
        config = mapper.get("mapperConfiguration")
        if isinstance(config, dict) and config.get("key") is not None:
            mapper = dict(mapper, mapperConfiguration=dict(config, key=SECRET_MASK))
        masked.append(mapper)
    return masked


def canonical_streams(value):
    """Streams as the task gives them or as Airbyte shows them, in one form, by name."""
    if isinstance(value, dict):
        value = value.get("streams") or []
    streams = []
    for stream in value or []:
        stream = dict((k, v) for k, v in stream.items() if v is not None)
        cursor = _given(stream, "cursor_field", "cursorField")
        selected = _given(stream, "selected_fields", "selectedFields")
        if selected and isinstance(selected[0], dict):
            selected = [s.get("fieldPath") for s in selected]
        mappers = api_mappers(stream.get("mappers"))
        streams.append({
            "name": stream.get("name"),
            "namespace": stream.get("namespace"),
            "sync_mode": _given(stream, "sync_mode", "syncMode"),
            "cursor_field": _paths(cursor)[0] if cursor else None,
            "primary_key": _paths(_given(stream, "primary_key", "primaryKey")),
            "selected_fields": sorted(_paths(selected)) if selected else None,
            "mappers": masked_mappers(mappers) if mappers is not None else None,
            "include_files": _given(stream, "include_files", "includeFiles"),
            "destination_object_name": _given(stream, "destination_object_name", "destinationObjectName"),
        })
    return sorted(streams, key=lambda s: (s["namespace"] or "", s["name"] or ""))


def api_stream(stream):
    one = canonical_streams([stream])[0]
    wire = {"name": one["name"], "namespace": one["namespace"], "syncMode": one["sync_mode"],
            "cursorField": one["cursor_field"], "primaryKey": one["primary_key"],
            "selectedFields": [{"fieldPath": p} for p in one["selected_fields"]] if one["selected_fields"] else None,
            "mappers": api_mappers(stream.get("mappers")),  # with their keys: canonical ones are masked
            "includeFiles": one["include_files"], "destinationObjectName": one["destination_object_name"]}
    return dict((k, v) for k, v in wire.items() if v is not None)


# -- resource allocation (ScopedResourceRequirements, airbyte.md 3.2.2) of sources and destinations
REQUIREMENTS = ("cpu_request", "cpu_limit", "memory_request", "memory_limit", "ephemeral_storage_request",
                "ephemeral_storage_limit")
JOB_TYPES = ("get_spec", "check_connection", "discover_schema", "sync", "reset_connection", "connection_updater",
             "replicate")


def _requirements(value, where):
    if not isinstance(value, dict):
        raise ValueError("%s: a dict of %s expected" % (where, ", ".join(REQUIREMENTS)))
    unknown = sorted(set(value) - set(REQUIREMENTS))
    if unknown:
        raise ValueError("%s: unknown key(s) %s; known: %s" % (where, ", ".join(unknown), ", ".join(REQUIREMENTS)))
    # quantities are strings in the API ("0.5", "2Gi"): a number given is the same quantity
    return dict((k, str(v)) for k, v in value.items() if v is not None)


def canonical_allocation(value):
    """A resource allocation in the API's form, its job types in one order; as the task gives
    it (``default``, ``job_specific`` of ``job_type`` + ``resource_requirements``, or the
    API's camelCase names) or as Airbyte shows it. Raises ValueError for what Airbyte refuses."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("a dict with default and job_specific expected")
    unknown = sorted(set(value) - {"default", "job_specific", "jobSpecific"})
    if unknown:
        raise ValueError("unknown key(s) %s; known: default, job_specific" % ", ".join(unknown))
    allocation = {}
    if value.get("default") is not None:
        allocation["default"] = _requirements(value["default"], "default")
    jobs = _given(value, "job_specific", "jobSpecific")
    if jobs is not None:
        limits = []
        for job in jobs:
            job_type = _given(job, "job_type", "jobType") if isinstance(job, dict) else None
            if job_type not in JOB_TYPES:
                raise ValueError("job_specific: job_type %r is not one of %s" % (job_type, ", ".join(JOB_TYPES)))
            limits.append({"jobType": job_type, "resourceRequirements": _requirements(
                _given(job, "resource_requirements", "resourceRequirements") or {}, "job_specific " + job_type)})
        allocation["jobSpecific"] = sorted(limits, key=lambda j: j["jobType"])
    return allocation


AIRBYTE = Platform("airbyte", connection_argspec, AirbyteAdapter)
