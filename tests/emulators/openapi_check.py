# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request and response validation against an OpenAPI 3.1 document, for the emulators.

OpenAPI 3.1 schemas are JSON Schema 2020-12. The whole document is registered as one resource
(``DOCUMENT_URI``) with ``referencing``, and every schema is validated as ``{"$ref":
"<DOCUMENT_URI>#<JSON pointer>"}``, so the ``#/components/...`` references inside it resolve
against the document. Formats checked: ``uuid``, ``email``, ``date-time``, ``int32``, ``int64``
(other format names, e.g. the document's upper-case ``UUID``, are annotations only).

    checker = OpenApiChecker(load_document(path), strict_schemas=("SourceResponse",))
    errors = checker.check_request("POST", "/sources", query_lists, content_type, body)
    errors = checker.check_response("POST", "/sources", 200, content_type, body)

Paths are relative to the server URL (no ``/v1`` prefix). Each check returns a list of strings
(empty = valid). Requests are checked leniently (unknown properties are fine, as the server
ignores them); responses may be checked strictly: the schemas named in ``strict_schemas`` get
``additionalProperties: false`` (when they declare properties and say nothing about it) so a
misspelt key in an emulator's answer is caught. Error responses whose status the document does
not describe are checked against ``ERROR_BODY_SCHEMA`` (a problem body or an ``errorId`` one,
airbyte.md 6.1).
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from datetime import datetime

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:statecraft:openapi-document"
STRICT_DOCUMENT_URI = "urn:statecraft:openapi-document-strict"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# airbyte.md 6.1: BaseProblemFields (type and title required); a live server sends "documentationUrl": null
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "documentationUrl": {"type": ["string", "null"]},
        "data": {"type": ["object", "null"]},
    },
}
# airbyte.md 6.1: what the framework answers before a controller runs (a request that does not fit)
ERROR_ID_SCHEMA = {"type": "object", "required": ["errorId"], "properties": {"errorId": {"type": "string"}}}
ERROR_BODY_SCHEMA = {"anyOf": [PROBLEM_SCHEMA, ERROR_ID_SCHEMA]}


def load_document(path):
    """The OpenAPI document (YAML or JSON) as a dict."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def _format_checker():
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uuid", raises=ValueError)
    def _uuid(value):
        if not isinstance(value, str):
            return True
        return str(uuid.UUID(value)) == value.lower()

    @checker.checks("email")
    def _email(value):
        return not isinstance(value, str) or "@" in value

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value):
        if not isinstance(value, str):
            return True
        if "T" not in value.upper():
            return False
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
        return parsed.tzinfo is not None

    @checker.checks("int32")
    def _int32(value):
        return not isinstance(value, int) or -2 ** 31 <= value < 2 ** 31

    @checker.checks("int64")
    def _int64(value):
        return not isinstance(value, int) or -2 ** 63 <= value < 2 ** 63

    return checker


FORMAT_CHECKER = _format_checker()


def describe(errors, limit=5):
    """'$.path: message' lines of jsonschema errors (the first ``limit``)."""
    lines = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])[:limit]:
        message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
        lines.append("%s: %s" % (error.json_path, message))
    return lines


class Operation:
    """One operation of the document: where its schemas are, as JSON pointers."""

    def __init__(self, method, template, pointer, item, operation):
        self.method = method
        self.template = template
        self.pointer = pointer
        self.operation_id = operation.get("operationId")
        self.parameters = []   # (name, in, required, schema pointer)
        for base, params in (("/paths/%s" % _escape(template), item.get("parameters") or []),
                             (pointer, operation.get("parameters") or [])):
            for index, param in enumerate(params):
                self.parameters = [p for p in self.parameters if (p[0], p[1]) != (param["name"], param["in"])]
                self.parameters.append((param["name"], param["in"], bool(param.get("required")),
                                        "%s/parameters/%d/schema" % (base, index)))
        body = operation.get("requestBody") or {}
        self.body_required = bool(body.get("required"))
        self.body_content = {ctype: ("%s/requestBody/content/%s/schema" % (pointer, _escape(ctype)) if "schema" in media else None)
                             for ctype, media in (body.get("content") or {}).items()}
        self.responses = {}
        for status, response in (operation.get("responses") or {}).items():
            content = response.get("content") or {}
            self.responses[str(status)] = {
                ctype: ("%s/responses/%s/content/%s/schema" % (pointer, _escape(status), _escape(ctype)) if "schema" in media else None)
                for ctype, media in content.items()}

    def __repr__(self):
        return "<Operation %s %s (%s)>" % (self.method.upper(), self.template, self.operation_id)


class OpenApiChecker:
    """Validates requests and responses of the operations of one OpenAPI 3.1 document."""

    def __init__(self, document, strict_schemas=()):
        self.document = document
        strict = copy.deepcopy(document)
        schemas = strict.get("components", {}).get("schemas", {})
        for name in strict_schemas:
            schema = schemas[name]   # KeyError: a name that is not in the document
            if "properties" in schema and "additionalProperties" not in schema:
                schema["additionalProperties"] = False
        self.registry = Registry().with_resources([
            (DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012)),
            (STRICT_DOCUMENT_URI, Resource.from_contents(strict, default_specification=DRAFT202012)),
        ])
        self._validators = {}
        self._lock = threading.Lock()
        self.operations = []
        for template, item in (document.get("paths") or {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    pointer = "/paths/%s/%s" % (_escape(template), method)
                    self.operations.append(Operation(method, template, pointer, item, item[method]))
        # literal segments win over templated ones (/sources/initiateOAuth before /sources/{sourceId})
        self._matchers = sorted(
            ((re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)) + "$"),
              re.findall(r"\{([^/]+?)\}", template), template) for template in (document.get("paths") or {})),
            key=lambda m: (len(m[1]), m[2]))

    # ----- lookup ---------------------------------------------------------------------------------
    def find(self, method, path):
        """(Operation, path parameters) for ``method`` on ``path``, or (None, {})."""
        method = method.lower()
        for regex, names, template in self._matchers:
            match = regex.match(path)
            if match:
                for operation in self.operations:
                    if operation.template == template and operation.method == method:
                        return operation, dict(zip(names, match.groups()))
        return None, {}

    def validator(self, pointer, strict=False):
        key = (pointer, strict)
        with self._lock:
            found = self._validators.get(key)
            if found is None:
                base = STRICT_DOCUMENT_URI if strict else DOCUMENT_URI
                found = jsonschema.Draft202012Validator({"$ref": base + "#" + pointer}, registry=self.registry,
                                                        format_checker=FORMAT_CHECKER)
                self._validators[key] = found
            return found

    def schema_at(self, pointer):
        """The (resolved) schema at ``pointer`` of the document."""
        node = self.document
        for token in pointer.strip("/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            node = self.schema_at(node["$ref"].lstrip("#"))
        return node

    def validate(self, pointer, instance, strict=False):
        return describe(self.validator(pointer, strict).iter_errors(instance))

    # ----- requests -------------------------------------------------------------------------------
    def _coerce(self, schema, values):
        """Query strings -> the parameter's type; raises ValueError."""
        kind = schema.get("type")
        if kind == "array":
            items = self._resolve(schema.get("items") or {})
            # form/explode (repeated keys) or comma-joined values (how the server itself echoes them, airbyte.md 4)
            return [self._coerce(items, [part]) for value in values for part in value.split(",") if part != ""]
        value = values[-1]
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ValueError("%r is not an integer" % value)
            return int(value)
        if kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("%r is not a boolean" % value)
            return value.lower() == "true"
        return value

    def _resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self.schema_at(schema["$ref"].lstrip("#"))
        return schema

    def check_request(self, method, path, query_lists, content_type, body):
        """Errors of a request: parameters (path, query) and body. Undocumented operations: []."""
        parameters, body_errors = self.request_errors(method, path, query_lists, content_type, body)
        return parameters + body_errors

    def request_errors(self, method, path, query_lists, content_type, body):
        """(errors of the parameters, the body's presence and content type; errors of a body's
        JSON or of what it holds): a server answers the two kinds differently (airbyte.md 6.1)."""
        operation, path_params = self.find(method, path)
        if operation is None:
            return [], []
        errors, body_errors = [], []
        for name, location, required, pointer in operation.parameters:
            if location == "path":
                values = [path_params[name]] if name in path_params else []
            elif location == "query":
                values = list(query_lists.get(name) or [])
            else:
                continue
            if not values:
                if required:
                    errors.append("%s parameter %r is required" % (location, name))
                continue
            try:
                value = self._coerce(self._resolve(self.schema_at(pointer)), values)
            except ValueError as err:
                errors.append("%s parameter %r: %s" % (location, name, err))
                continue
            errors.extend("%s parameter %r: %s" % (location, name, line) for line in self.validate(pointer, value))
        if operation.body_content:
            if body is None:
                if operation.body_required:
                    errors.append("a request body is required")
            else:
                ctype = content_type or "application/json"
                if ctype not in operation.body_content:
                    errors.append("content type %r is not one of %s" % (ctype, sorted(operation.body_content)))
                else:
                    pointer = operation.body_content[ctype]
                    if ctype == "application/json" and isinstance(body, str):
                        body_errors.append("the body is not valid JSON")
                    elif pointer is not None:
                        body_errors.extend("body %s" % line for line in self.validate(pointer, body))
        return errors, body_errors

    # ----- responses ------------------------------------------------------------------------------
    def check_response(self, method, path, status, content_type, body):
        """Errors of a response (strict schemas apply). Undocumented operations: []."""
        operation, _params = self.find(method, path)
        if operation is None:
            return []
        spec = (operation.responses.get(str(status)) if str(status) in operation.responses
                else operation.responses.get("%dXX" % (status // 100), operation.responses.get("default")))
        if spec is None or (status >= 400 and not any(spec.values())):
            if status < 400:
                return ["status %d is not documented for %s" % (status, operation.operation_id)]
            if body is None:
                return []
            return ["problem body %s" % line for line in describe(jsonschema.Draft202012Validator(ERROR_BODY_SCHEMA).iter_errors(body))]
        schemas = {ctype: pointer for ctype, pointer in spec.items() if pointer is not None}
        if not schemas:
            if status == 204 and body is not None:
                return ["a 204 answer must have no body"]
            return []
        ctype = (content_type or "").split(";")[0].strip()
        if ctype not in schemas:
            return ["content type %r is not one of %s" % (ctype, sorted(schemas))]
        if body is None:
            return ["the body is empty"]
        return ["body %s" % line for line in self.validate(schemas[ctype], body, strict=True)]
