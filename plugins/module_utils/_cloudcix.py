# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CloudCIX as a platform of the shared HTTP client and ensure engine.

Every CloudCIX application has its own host (``https://<application>.api.cloudcix.com/``),
so the adapter keeps one client per application, all sharing one login. Objects come in
``{"content": ...}`` envelopes; lists in 0-based pages with ``_metadata.total_records``.
Compute objects are deleted by asking for a state and go away in the background.

The resources the modules declare are in ``_cloudcix_resources.py`` (``ComputeResource``,
the kind of declaration this adapter writes in its own way, is here); what the modules do
besides ensuring one resource (keeping a generated private key, the info module's reads)
is in ``_cloudcix_tasks.py``.
"""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    RestAdapter,
    env_fallback_for,
    http_client,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import StaticHeader, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import NO_JSON, ApiError, error_body
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Ref, Resource

from urllib.parse import quote, urlsplit, urlunsplit

DEFAULT_URL = "https://api.cloudcix.com/"
PAGE_SIZE = 100  # the API's maximum
# states of an object on its way out: "absent" leaves them alone (cloudcix.md 5.3.2)
GONE_STATES = ("delete", "delete_queue", "deleting", "deleted")
# the robot's work in progress: CloudCIX refuses any change until it is over
BUSY_STATES = ("pending", "building", "stop", "restart", "update_running", "update_stopped")
# collections whose objects belong to a project: one named in a task is looked up in the task's project
PROJECT_OWNED = ("compute/instances",)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def connection_argspec():
    env = env_fallback_for
    return dict({
        "url": {"type": "str", "aliases": ["api_url"], "default": DEFAULT_URL,
                "fallback": env("CLOUDCIX_URL", "CLOUDCIX_API_URL", "CLOUDCIX_API_V2_URL")},
        "api_username": {"type": "str", "fallback": env("CLOUDCIX_API_USERNAME")},
        "api_password": {"type": "str", "no_log": True, "fallback": env("CLOUDCIX_API_PASSWORD")},
        "api_key": {"type": "str", "no_log": True, "fallback": env("CLOUDCIX_API_KEY")},
        "token": {"type": "str", "aliases": ["api_token"], "no_log": True, "fallback": env("CLOUDCIX_API_TOKEN")},
        "region_id": {"type": "int", "fallback": env("CLOUDCIX_REGION_ID")},
    }, **transport_options("CLOUDCIX", timeout={"default": 60.0}))


def application_url(api_url, application):
    """The base URL of one application: the ``{application}`` placeholder filled, or the
    application put in front of the host as a sub-domain, as the vendor SDK does."""
    application = application.lower()
    if "{application}" in api_url:
        return api_url.replace("{application}", application).rstrip("/") + "/"
    parts = urlsplit(api_url)
    return urlunsplit((parts.scheme, "%s.%s" % (application, parts.netloc), parts.path, "", "")).rstrip("/") + "/"


def auth_from_params(params, login_url):
    """A token given as is, or e-mail + password + the Member's API key traded for one at
    login (again when CloudCIX says it expired, HTTP 401)."""
    credentials = [n for n in ("api_username", "api_password", "api_key") if params.get(n)]
    if params.get("token") and credentials:
        raise ModuleError("give either token or api_username + api_password + api_key, not both (got token "
                          "and %s)" % ", ".join(credentials))
    if params.get("token"):
        return StaticHeader("X-Auth-Token", params["token"])
    missing = [n for n in ("api_username", "api_password", "api_key") if not params.get(n)]
    if missing:
        raise ModuleError("give token, or api_username + api_password + api_key (missing: %s); set the options or "
                          "the environment variables CLOUDCIX_API_TOKEN, or CLOUDCIX_API_USERNAME, "
                          "CLOUDCIX_API_PASSWORD and CLOUDCIX_API_KEY" % ", ".join(missing))

    def fetch(client):
        body = client.request("POST", login_url, use_auth=False, expect=(201,), json_body={
            "email": params["api_username"], "password": params["api_password"], "api_key": params["api_key"]})
        if not isinstance(body, dict) or not body.get("token"):
            raise ModuleError("the login at %s answered without a token" % login_url)
        return body["token"], None  # a JWT: renewed when refused, its claims are not read

    return TokenExchange(fetch, credentials=[params["api_password"], params["api_key"]], header="X-Auth-Token",
                         prefix="", expired_statuses=(401,))


def cloudcix_error(response):
    """CloudCIX error bodies: {error_code, detail}, {errors: {field: {error_code, detail}},
    detail} (list fields: one entry per item, null for good ones), or {detail}."""
    body, text = error_body(response)
    if body is NO_JSON:
        return text, {}
    if not isinstance(body, dict):
        return str(body)[:300], {}
    fields = {}
    for name, error in (body.get("errors") or {}).items():
        items = error if isinstance(error, list) else [error]
        fields[name] = "; ".join(_error_text(e) for e in items if e)
    if fields:
        return "; ".join("%s: %s" % kv for kv in sorted(fields.items())), fields
    return _error_text(body), {}


def _error_text(error):
    if isinstance(error, dict) and "detail" in error:
        code = error.get("error_code")
        return "%s (%s)" % (error["detail"], code) if code else str(error["detail"])
    if isinstance(error, dict):  # a nested field of a list item
        return ", ".join("%s: %s" % (k, _error_text(v)) for k, v in sorted(error.items()))
    return str(error)


def application_path(parts):
    """Without the {application} placeholder the URL is a host: the application becomes its
    sub-domain, and a path would be kept after it."""
    if "{application}" not in parts.geturl() and parts.path.strip("/"):
        return ("a path (%s) needs the {application} placeholder (for example "
                "http://127.0.0.1:8580/{application}/); without it the URL is a host whose "
                "sub-domains are the applications" % parts.path)
    return None


class CloudcixAdapter(RestAdapter):
    platform_name = "CloudCIX"
    url_option = "url"
    url_path_problem = staticmethod(application_path)
    scope_options = ("project",)  # project-owned objects are looked up by name within it

    @classmethod
    def from_params(cls, params):
        api_url = params.get("url") or DEFAULT_URL
        membership = application_url(api_url, "membership")
        return cls(params, api_url, auth_from_params(params, membership + "auth/login/"))

    def __init__(self, params, api_url, auth):
        self.params = params
        self.api_url = api_url
        self.auth = auth
        self.clients = {}
        super(CloudcixAdapter, self).__init__(self.client_for("membership"))
        self._known = {}  # (path, id) -> object, of those resolved: a diff names them

    def client_for(self, application):
        """One client per application host, all sharing one login."""
        application = application.lower()
        if application not in self.clients:
            self.clients[application] = http_client(
                self.params, application_url(self.api_url, application), self.auth, 60, "url",
                headers={"Content-Type": "application/json"}, error_parser=cloudcix_error)
        return self.clients[application]

    # -- where a resource lives ----------------------------------------------------------------
    def target(self, resource):
        """(application, service path with its placeholders filled) of a resource's collection:
        the task's application and service for the generic module, else a Compute service."""
        if resource.path is not None:
            return "compute", resource.path.strip("/") + "/"
        return self.params["application"], service_path(self.params["service"], self.params.get("path"))

    def call(self, application, method, path, **kwargs):
        return self.client_for(application).request(method, path, **kwargs)

    # -- reads -------------------------------------------------------------------------------
    def list(self, application, path, filters=None, warn=None):
        """Every object of a collection, page by page (0-based; a page past the end is
        empty). ``warn(warnings)`` gets what CloudCIX says it skipped (a misspelt filter
        is ignored, not refused, so a lookup would match everything)."""
        notices = []

        def noticed(body):
            notices.extend(w for w in metadata(body).get("warnings") or [] if w not in notices)

        found = list(self.client_for(application).iter_pages(
            path, filters, page_size=PAGE_SIZE, results_key="content", first_page=0, on_page=noticed,
            total=lambda body: metadata(body).get("total_records", metadata(body).get("totalRecords"))))
        if notices and warn is not None:
            warn(notices)
        return found

    def read_one(self, application, path, option=None):
        """One object by its path; None when CloudCIX answers 404. A 403 fails, naming
        ``option``: the object exists but is another Address's (cloudcix.md 2.4), so it is
        neither absent (nothing to delete) nor to be created."""
        try:
            body = self.get_or_none(path, client=self.client_for(application))
        except ApiError as exc:
            if exc.status != 403:
                raise
            raise ModuleError("%s%s/%s exists, but CloudCIX does not let this user read it (HTTP 403: %s); it "
                              "answers so for an object of another Address: use that Address's credentials, or "
                              "name an object of your own" % (option + ": " if option else "", application, path,
                                                              exc.message))
        return (body or {}).get("content")

    def get(self, resource, object_id, option=None):
        application, path = self.target(resource)
        return self.read_one(application, "%s%s/" % (path, quote(str(object_id), safe="")), option)

    def find(self, resource, identity, deep=False):
        try:
            return self._find(resource, identity)
        except ApiError as exc:
            if resource.path is None and exc.status is None:
                raise ModuleError("application: cannot reach CloudCIX's %s application: %s"
                                  % (self.params["application"], exc))
            if resource.path is None and exc.status == 404:
                raise ModuleError("service: CloudCIX's %s application has no service %s (404 on %s)"
                                  % (self.params["application"], self.params["service"], exc.path))
            raise

    def _find(self, resource, identity):
        application, path = self.target(resource)
        if identity.get("pk") is not None:
            found = self.get(resource, identity["pk"], option="pk")
            if found is None:
                self.call(application, "GET", path, params={"limit": 1}, expect=(200,))  # 404: no such service
                if self.params.get("state") != "absent":
                    raise ModuleError("pk: %s%s has no object %s (a pk cannot be chosen for a new object; give search "
                                      "instead)" % (application, "/" + path, identity["pk"]))
            if found is not None and self.is_gone(found) and (self.params.get("data") or {}).get("state"):
                return [found]  # a state asked for by pk: restore (restart) a queued object
            if found is not None and self.is_gone(found):
                if self.params.get("state") != "absent":  # creating anew would not bring this one back
                    raise ModuleError("pk: %s%s %s is deleted or queued for deletion (%s); restore it with "
                                      "data: {state: restart}, or give search (not pk) to create a new one"
                                      % (application, "/" + path, identity["pk"], self.describe(found)))
                return []
            return [found] if found is not None else []
        filters = search_filters(identity.get("search") or {})
        filters.update(search_filters(getattr(resource, "fixed", {})))
        for name, value in identity.items():
            if name in ("pk", "search"):
                continue
            field = resource.fields[name]
            if "." in field.wire_name:
                continue  # inside metadata, which lists do not filter by: the engine compares it on each object
            if field.kind == "ref":
                ids = [o["id"] for o in self.resolve(field, value)]
                if not ids:
                    return []
                filters["search[%s__in]" % field.wire_name] = ",".join(str(i) for i in ids)
            else:
                filters["search[%s]" % field.wire_name] = value

        def refuse(warnings):
            raise ModuleError("search: CloudCIX skipped filters it does not know, so the lookup would match more than "
                              "asked: %s" % "; ".join(str(w) for w in warnings))

        return [o for o in self.list(application, path, filters, warn=refuse) if not self.is_gone(o)]

    def resolve(self, field, query):
        """Compute objects of ``field.path`` matching ``query`` (by id, or by exact values),
        leaving out those on their way out; remembered for the task."""
        key = (field.path, repr(sorted(query.items())))
        if key not in self.resolved:
            path = field.path.strip("/") + "/"
            if set(query) == {"id"}:
                one = self.read_one("compute", "%s%s/" % (path, query["id"]), option=field.name)
                found = [one] if one is not None else []
            else:
                plain = dict((k, v) for k, v in query.items() if not isinstance(v, dict))
                found = self.list("compute", path, dict(("search[%s]" % k, v) for k, v in plain.items()))
            found = [o for o in found if not self.is_gone(o)]
            if field.path in PROJECT_OWNED and self.params.get("project") is not None:
                projects = set(p["id"] for p in self.resolve(PROJECT, self.ref_query(PROJECT, self.params["project"],
                                                                                     self.params)))
                found = [o for o in found if o.get("project_id") in projects]
            self.resolved[key] = found
            self._known.update(((field.path, o["id"]), o) for o in found)
        return self.resolved[key]

    def known(self, path, object_id):
        """A related object this task has read already (``path``, ``object_id``), or None."""
        return self._known.get((path, object_id))

    def ref_query(self, field, value, params):
        if isinstance(value, dict):
            return dict(value)
        if isinstance(value, int) or str(value).isdigit():
            return {"id": int(value)}  # CloudCIX ids are numbers; a name of digits goes as {name: ..}
        return {field.key: value}

    def read(self, field, obj):
        if obj is None:
            return None
        key = field.read_key or field.wire_name
        value = obj
        for part in [key] if key in obj else key.split("."):  # metadata.mount_path (a prediction holds it flat)
            value = value.get(part) if isinstance(value, dict) else None
        if field.kind == "ref" and value is not None and not isinstance(value, dict):
            return {"id": value}
        return value

    @staticmethod
    def is_gone(obj):
        """Closed projects and objects deleted or queued for deletion count as absent."""
        return bool(obj.get("closed")) or obj.get("state") in GONE_STATES

    # -- writes ------------------------------------------------------------------------------
    def body(self, payload, resource=None, current=None):
        """The request body: the generic module's data as they are, dotted wire names
        (metadata.mount_path) nested, the fixed type of a typed resource on create and the
        update state its configuration changes need (cloudcix.md 5.3.2)."""
        payload = dict(payload)
        body = dict(payload.pop("_data", None) or {})
        for key, value in payload.items():
            outer, _dot, inner = key.partition(".")
            if inner:
                body.setdefault(outer, {})[inner] = value
            else:
                body[key] = value
        if isinstance(resource, ComputeResource):
            if current is None:
                body.update(resource.fixed)
            else:
                attached = body.get("metadata", {}).pop("attach_instance_ids", None)
                if attached is not None:  # the set wanted, as CloudCIX's attach and detach verbs
                    before = set(o["id"] for o in current.get("contra_instances") or [])
                    body["metadata"]["attach_instance_ids"] = sorted(set(attached) - before)
                    body["metadata"]["detach_instance_ids"] = sorted(before - set(attached))
                if set(body) & set(resource.config):
                    body["state"] = "update_stopped" if current.get("state") == "stopped" else "update_running"
        return body

    def create(self, resource, payload):
        application, path = self.target(resource)
        body = self.call(application, "POST", path, json_body=self.body(payload, resource), expect=(201, 200))
        return (body or {}).get("content")

    def update(self, resource, current, payload):
        application, path = self.target(resource)
        method = "PATCH"
        body = self.body(payload, resource, current)
        if resource.path is None and self.params.get("update_method") == "put":
            method = "PUT"  # PUT wants every field the task manages, not only the changed ones
            body = dict(self.params.get("data") or {}, **dict((k, v) for k, v in body.items()))
        # a body with a state asks the robot for work: never resent once it may have arrived
        answer = self.call(application, method, "%s%s/" % (path, current["id"]), json_body=body, expect=(200, 202),
                           idempotent=False if "state" in body else None)
        return (answer or {}).get("content") or dict(current, **body)

    def delete(self, resource, current):
        application, path = self.target(resource)
        item = "%s%s/" % (path, current["id"])
        delete_state = self.params.get("delete_state") if resource.path is None else None
        if resource.lifecycle is not None and not self.params.get("purge"):
            delete_state = "delete"  # queued for deletion, restorable for grace_period hours
        if delete_state:
            self.call(application, "PATCH", item, json_body={"state": delete_state}, expect=(200, 202),
                      idempotent=False)
            return
        try:
            self.call(application, "DELETE", item, expect=(204, 200, 202))
        except ApiError as exc:
            if exc.status == 405:
                raise ModuleError("state: CloudCIX does not delete %s objects with DELETE (405 Method Not Allowed)%s"
                                  % (path, "; if the service deletes by a state value, set delete_state"
                                     if resource.path is None else ""))
            raise

    def act(self, resource, obj, action):
        """Ask the robot for a state (stop, restart)."""
        application, path = self.target(resource)
        answer = self.call(application, "PATCH", "%s%s/" % (path, obj["id"]), json_body={"state": action},
                           expect=(200, 202), idempotent=False)
        return (answer or {}).get("content") or self.get(resource, obj["id"])

    def merge_payload(self, field, merged, differ):
        return differ  # PATCH only what differs

    # -- output ------------------------------------------------------------------------------
    def display(self, field, obj):
        if self.is_stub(obj) and (field.path, obj["id"]) in self._known:
            obj = self._known[(field.path, obj["id"])]  # {"id": 12} is the project "web"
        return super(CloudcixAdapter, self).display(field, obj)

    def result_view(self, resource, obj):
        if isinstance(obj, dict) and ("_data" in obj or obj.get("id") is None):  # a prediction (check mode)
            view = dict((k, v) for k, v in obj.items() if k != "_data" and not (k == "id" and v is None))
            view.update(obj.get("_data") or {})
            for key, value in list(view.items()):
                if key.endswith("_id") and isinstance(value, dict):
                    view[key] = value.get("id")  # the related object found: shown as CloudCIX shows it
                outer, _dot, inner = key.partition(".")
                if inner:  # metadata.mount_path, as CloudCIX nests it
                    view.setdefault(outer, {})
                    view[outer] = dict(view[outer] or {}, **{inner: view.pop(key)})
            return view
        return obj

    def describe(self, obj):
        return "%s (id %s%s)" % (obj.get("name") or obj.get("email") or obj.get("uri"), obj.get("id"),
                                 ", %s" % obj["state"] if obj.get("state") else "")


def service_options():
    """Where the generic modules work: an application, a service path, its placeholders."""
    return dict(application=dict(type="str", required=True), service=dict(type="str", required=True),
                path=dict(type="dict", default={}))


def service_path(service, placeholders):
    """A service path with its ``{name}`` placeholders filled from ``placeholders``."""
    placeholders = placeholders or {}
    names = PLACEHOLDER.findall(service)
    missing = [n for n in names if placeholders.get(n) in (None, "")]
    if missing:
        raise ModuleError("path: the service %s needs %s" % (service, ", ".join(missing)))
    unknown = sorted(set(placeholders) - set(names))
    if unknown:
        raise ModuleError("path: the service %s has no placeholder %s" % (service, ", ".join(unknown)))
    path = service.strip("/")
    for name in names:
        path = path.replace("{%s}" % name, quote(str(placeholders[name]), safe=""))
    return path + "/"


def metadata(body):
    return body.get("_metadata") or {} if isinstance(body, dict) else {}


def search_filters(search, kind="search"):
    """Filters as CloudCIX's query: {"name": "web"} -> search[name]=web (``kind`` exclude:
    exclude[...]); a key may carry an operator (name__icontains); lists go as "a,b" (for
    __in and __range)."""
    filters = {}
    for key, value in search.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        filters["%s[%s]" % (kind, key)] = value
    return filters


# -- what a typed Compute module declares, as this adapter reads it -------------------------------
class ComputeResource(Resource):
    """A gen-2 Compute object. ``fixed``: wire values it is created with and found by (a
    network router is the project's router, not a static route); ``config``: the wire
    fields CloudCIX changes only together with the state update_running/update_stopped."""

    def __init__(self, name, path, fields, fixed=None, config=(), **kwargs):
        kwargs.setdefault("platform", CLOUDCIX)
        super(ComputeResource, self).__init__(name, path, fields=fields, **kwargs)
        self.fixed = fixed or {}
        self.config = tuple(config)


PROJECT = Ref("project", wire="project_id", required=True, clearable=False)
PROJECT.name = "project"


CLOUDCIX = Platform("cloudcix", connection_argspec, CloudcixAdapter)
