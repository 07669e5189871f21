# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CloudCIX as a platform of the shared HTTP client and ensure engine.

Every CloudCIX application has its own host (``https://<application>.api.cloudcix.com/``),
so the adapter keeps one client per application, all sharing one login. Objects come in
``{"content": ...}`` envelopes; lists in 0-based pages with ``_metadata.total_records``.
Compute objects are deleted by asking for a state and go away in the background.
"""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import RestAdapter, env_fallback_for
from ansible_collections.statecraft.infra.plugins.module_utils._auth import StaticHeader, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import NO_JSON, ApiError, HttpClient, error_body, mask_secrets

from urllib.parse import quote, urlsplit, urlunsplit

DEFAULT_URL = "https://api.cloudcix.com/"
PAGE_SIZE = 100  # the API's maximum
# states of an object on its way out: "absent" leaves them alone (cloudcix.md 5.3.2)
GONE_STATES = ("delete", "delete_queue", "deleting", "deleted")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def connection_argspec():
    env = env_fallback_for
    return {
        "api_url": {"type": "str", "fallback": env("CLOUDCIX_API_URL", "CLOUDCIX_API_V2_URL")},
        "api_username": {"type": "str", "fallback": env("CLOUDCIX_API_USERNAME")},
        "api_password": {"type": "str", "no_log": True, "fallback": env("CLOUDCIX_API_PASSWORD")},
        "api_key": {"type": "str", "no_log": True, "fallback": env("CLOUDCIX_API_KEY")},
        "api_token": {"type": "str", "no_log": True, "fallback": env("CLOUDCIX_API_TOKEN")},
        "region_id": {"type": "int", "fallback": env("CLOUDCIX_REGION_ID")},
        "timeout": {"type": "float", "fallback": env("CLOUDCIX_TIMEOUT")},
        "validate_certs": {"type": "bool", "fallback": env("CLOUDCIX_VALIDATE_CERTS")},
        "ca_path": {"type": "path", "fallback": env("CLOUDCIX_CA_PATH")},
        "retries": {"type": "int", "fallback": env("CLOUDCIX_RETRIES")},
    }


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
    if params.get("api_token") and credentials:
        raise ModuleError("give either api_token or api_username + api_password + api_key, not both (got api_token "
                          "and %s)" % ", ".join(credentials))
    if params.get("api_token"):
        return StaticHeader("X-Auth-Token", params["api_token"])
    missing = [n for n in ("api_username", "api_password", "api_key") if not params.get(n)]
    if missing:
        raise ModuleError("give api_token, or api_username + api_password + api_key (missing: %s)" % ", ".join(missing))

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


class CloudcixAdapter(RestAdapter):
    platform_name = "CloudCIX"

    @classmethod
    def from_params(cls, params):
        api_url = params.get("api_url") or DEFAULT_URL
        membership = application_url(api_url, "membership")
        return cls(params, api_url, auth_from_params(params, membership + "auth/login/"))

    def __init__(self, params, api_url, auth):
        self.params = params
        self.api_url = api_url
        self.auth = auth
        self.clients = {}
        super(CloudcixAdapter, self).__init__(self.client_for("membership"))
        self._resolved = {}

    def client_for(self, application):
        """One client per application host, all sharing one login."""
        application = application.lower()
        if application not in self.clients:
            params = self.params
            self.clients[application] = HttpClient(
                application_url(self.api_url, application),
                auth=self.auth,
                timeout=params.get("timeout") or 60,
                validate_certs=True if params.get("validate_certs") is None else params["validate_certs"],
                ca_path=params.get("ca_path"),
                retries=3 if params.get("retries") is None else params["retries"],
                headers={"Content-Type": "application/json"},
                error_parser=cloudcix_error,
            )
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

    def read_one(self, application, path):
        body = self.get_or_none(path, client=self.client_for(application))
        return (body or {}).get("content")

    def get(self, resource, object_id):
        application, path = self.target(resource)
        return self.read_one(application, "%s%s/" % (path, quote(str(object_id), safe="")))

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
            found = self.get(resource, identity["pk"])
            if found is None:
                self.call(application, "GET", path, params={"limit": 1}, expect=(200,))  # 404: no such service
                if self.params.get("state") != "absent":
                    raise ModuleError("pk: %s%s has no object %s (a pk cannot be chosen for a new object; give search "
                                      "instead)" % (application, "/" + path, identity["pk"]))
            return [found] if found is not None else []
        filters = search_filters(identity.get("search") or {})
        for name, value in identity.items():
            if name in ("pk", "search"):
                continue
            field = resource.fields[name]
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
        if key not in self._resolved:
            path = field.path.strip("/") + "/"
            if set(query) == {"id"}:
                one = self.read_one("compute", "%s%s/" % (path, query["id"]))
                found = [one] if one is not None else []
            else:
                plain = dict((k, v) for k, v in query.items() if not isinstance(v, dict))
                found = self.list("compute", path, dict(("search[%s]" % k, v) for k, v in plain.items()))
            self._resolved[key] = [o for o in found if not self.is_gone(o)]
        return self._resolved[key]

    def ref_query(self, field, value, params):
        if isinstance(value, dict):
            return dict(value)
        if isinstance(value, int) or str(value).isdigit():
            return {"id": int(value)}  # CloudCIX ids are numbers; a name of digits goes as {name: ..}
        return {field.key: value}

    def read(self, field, obj):
        if obj is None:
            return None
        if field.name == "data":
            # the generic module's data are the object's own fields (a prediction holds the
            # new values under "_data")
            return self.result_view(None, obj)
        value = obj.get(field.read_key or field.wire_name)
        if field.kind == "ref" and value is not None and not isinstance(value, dict):
            return {"id": value}
        return value

    @staticmethod
    def is_gone(obj):
        """Closed projects and objects deleted or queued for deletion count as absent."""
        return bool(obj.get("closed")) or obj.get("state") in GONE_STATES

    # -- writes ------------------------------------------------------------------------------
    def body(self, payload):
        payload = dict(payload)
        data = payload.pop("_data", None) or {}
        return dict(data, **payload)

    def check_write(self, resource, current, payload):
        if resource.name == "project" and current is None and self.params.get("region_id") is None:
            raise ModuleError("region_id: needed to create the project %r (or set CLOUDCIX_REGION_ID)"
                              % payload.get("name"))

    def create(self, resource, payload):
        application, path = self.target(resource)
        if resource.name == "project":
            payload = dict(payload, region_id=self.params["region_id"])  # a connection option
        body = self.call(application, "POST", path, json_body=self.body(payload), expect=(201, 200))
        return (body or {}).get("content")

    def update(self, resource, current, payload):
        application, path = self.target(resource)
        method = "PATCH"
        body = self.body(payload)
        if resource.path is None and self.params.get("update_method") == "put":
            method = "PUT"  # PUT wants every field the task manages, not only the changed ones
            body = dict(self.params.get("data") or {}, **dict((k, v) for k, v in body.items()))
        answer = self.call(application, method, "%s%s/" % (path, current["id"]), json_body=body, expect=(200, 202))
        return (answer or {}).get("content") or dict(current, **body)

    def delete(self, resource, current):
        application, path = self.target(resource)
        item = "%s%s/" % (path, current["id"])
        delete_state = self.params.get("delete_state") if resource.path is None else None
        if delete_state:
            self.call(application, "PATCH", item, json_body={"state": delete_state}, expect=(200, 202))
            return
        try:
            self.call(application, "DELETE", item, expect=(204, 200, 202))
        except ApiError as exc:
            if exc.status == 405:
                raise ModuleError("state: CloudCIX does not delete %s objects with DELETE (405 Method Not Allowed)%s"
                                  % (path, "; if the service deletes by a state value, set delete_state"
                                     if resource.path is None else ""))
            raise

    def merge_payload(self, field, merged, differ):
        return differ  # PATCH only what differs

    # -- output ------------------------------------------------------------------------------
    def shown(self, field, value):
        return mask_secrets(value) if field.name == "data" else value  # a --diff never shows a password

    def result_view(self, resource, obj):
        if isinstance(obj, dict) and "_data" in obj:  # a prediction (check mode): no id yet on create
            view = dict((k, v) for k, v in obj.items() if k != "_data" and not (k == "id" and v is None))
            view.update(obj["_data"])
            return view
        return obj

    def describe(self, obj):
        return "%s (id %s%s)" % (obj.get("name") or obj.get("email") or obj.get("uri"), obj.get("id"),
                                 ", %s" % obj["state"] if obj.get("state") else "")


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


# -- what the modules declare ---------------------------------------------------------------------
def generic_resource():
    """Any service of any application: the task names it (application, service, path)."""
    from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Resource

    return Resource(
        name="resource", path=None, platform="cloudcix",
        identity=("pk",), identities=[("search",)], required_identity=(),
        fields=dict(
            pk=Field(type="raw", lookup=True, clearable=False),
            search=Field(type="dict", lookup=True, clearable=False),
            data=Field(type="dict", merge=True, wire="_data", clearable=False),
        ),
        extra_options=dict(
            application=dict(type="str", required=True),
            service=dict(type="str", required=True),
            path=dict(type="dict", default={}),
            update_method=dict(type="str", default="patch", choices=["patch", "put"]),
            delete_state=dict(type="str"),
        ),
        mutually_exclusive=[("pk", "search")],
        check=check_generic_target,
    )


def check_generic_target(params):
    service_path(params["service"], params.get("path"))
    if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", params["application"]):
        raise ValueError("application: %r is not an application name (such as compute, membership, contact)"
                         % params["application"])
    if params.get("pk") is None and params.get("search") is None:
        raise ValueError("give pk or search to find the object")


def project_resource():
    from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Resource

    return Resource(
        name="project", path="project", platform="cloudcix", identity=("name",),
        fields=dict(name=Field(required=True), note=Field(empty="")),
    )


# -- what the info module reads -------------------------------------------------------------------
def info(adapter, params):
    """A list (every page, search/exclude/order), one object by pk, or whether it exists (HEAD)."""
    application = params["application"]
    path = service_path(params["service"], params.get("path"))
    if params.get("pk") is not None:
        item = "%s%s/" % (path, quote(str(params["pk"]), safe=""))
        if params.get("exists_only"):
            response = adapter.client_for(application).send("HEAD", item)
            if response.status_code not in (200, 404):
                raise adapter.client_for(application).error("HEAD", response.url, response)
            return {"exists": response.status_code == 200, "objects": []}
        found = adapter.read_one(application, item)
        return {"exists": found is not None, "objects": [found] if found is not None else []}
    filters = search_filters(params.get("search") or {})
    filters.update(search_filters(params.get("exclude") or {}, "exclude"))
    if params.get("order"):
        filters["order"] = params["order"]
    warnings = []
    objects = adapter.list(application, path, filters, warn=warnings.extend)
    return {"objects": objects, "warnings": ["CloudCIX: %s" % w for w in warnings], "metadata_warnings": warnings}
