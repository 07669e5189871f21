# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the Airbyte public REST API (the surface of the airbyte-api 1.0.1 SDK).

Facts come from tests/emulators/specs/airbyte.md ("airbyte.md N.M" below) and the official OpenAPI
document beside it (specs/airbyte-openapi.yaml); guesses are marked [INFERRED]. Every request and
every answer is validated against that document (openapi_check.py): a request that does not fit is
answered as the server's framework does (airbyte.md 6.1: ``{"errorId": ...}``, 422 for a JSON body,
400 for parameters), an answer that does not fit is answered 500, and both are listed in
``validation_errors``. Standard library plus jsonschema and pyyaml.

The API is served at ``<url>/v1`` (Cloud-like) and ``<url>/api/public/v1`` (self-managed), the token
endpoint also at ``<url>/applications/token`` (the SDK's default token URL resolves there, airbyte.md
2.1) and ``<url>/api/v1/applications/token`` (airbyte.md 2.2).

Sandbox:  python3.11 tests/emulators/airbyte_emulator.py --host 127.0.0.1 --port 8480
Tests:    ab = AirbyteEmulator().start(); AirbyteAPI(server_url=ab.url + "/v1", security=Security(
          client_credentials=SchemeClientCredentials(client_id=ab.client_id, client_secret=ab.client_secret,
          token_url=ab.url + "/v1/applications/token"))); ...; ab.stop()      (see tests/emulators/README.md)
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import itertools
import json
import os
import re
import uuid
from datetime import datetime, timezone
from http import HTTPStatus
from urllib.parse import unquote, urlencode

import jsonschema

from emulator_base import ApiError, EmulatorServer, Faults, Response, admin_object, load_fixture, redact, sandbox_parser, serve
from openapi_check import OpenApiChecker, load_document

HERE = os.path.dirname(os.path.abspath(__file__))
OPENAPI_DOCUMENT = os.path.join(HERE, "specs", "airbyte-openapi.yaml")
API_PREFIXES = ("/api/public/v1", "/v1")                               # airbyte.md 1.1
TOKEN_ALIASES = ("/applications/token", "/api/v1/applications/token")  # airbyte.md 2.1, 2.2, 8.6
SECRET_MASK = "**********"                                             # airbyte.md 5.2
SECRET_COORDINATE = "secret_coordinate::"                              # airbyte.md 5.2
ID_NAMESPACE = uuid.UUID("0c4a5d0e-6f3b-4b8e-9d1a-2e7c5f8a9b30")       # uuid5 namespace of derived ids

# ----- seed ids (stable across resets and instances) --------------------------------------------
DEFAULT_ORGANIZATION_ID = "00000000-0000-0000-0000-000000000000"       # airbyte.md 5.7 (OSS default organization)
DEFAULT_WORKSPACE_ID = "5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6"          # [INFERRED] any uuid
DEFAULT_REGION_ID = "3f5e7a9c-1b2d-4e6f-8a0c-2d4f6b8d0e1a"             # [INFERRED] any uuid
ADMIN_USER_ID = "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b"
READER_USER_ID = "7c9e1a3b-5d7f-4b2c-9e4d-6f8a0b2c4d6e"
DEFAULT_CLIENT_ID = "0f3e5d7c-9b1a-4c2d-8e6f-1a3b5c7d9e0f"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret-4f1d9c2e7a"

# ----- problems (airbyte.md 6.1, 6.2) ----------------------------------------------------------
ERRORS = "https://reference.airbyte.com/reference/errors"


def problem(status, title, type_, detail, data=None, headers=None):
    """An ApiError with a problem body; Content-Type application/json, documentationUrl null (airbyte.md 6.1)."""
    body = {"type": type_, "title": title, "status": status, "detail": detail, "documentationUrl": None}
    if data is not None:
        body["data"] = data
    return ApiError(status, body, headers)


def not_found(resource_type, resource_id):
    return problem(404, "resource-not-found", ERRORS + "#resource-not-found", "The requested resource could not be found.",
                   {"resourceType": resource_type, "resourceId": str(resource_id)})


def bad_request(message):
    return problem(400, "bad-request", ERRORS + "#bad-request",
                   "The request could not be understood by the server due to malformed syntax.", {"message": message})


def unknown_value(value):
    return problem(400, "value-not-found", ERRORS, "The submitted value could not be found.", {"value": str(value)})


def unprocessable(message=None):
    return problem(422, "unprocessable-entity", ERRORS + "#unprocessable-entity", "The body of the request was not understood",
                   None if message is None else {"message": message})


def error_id(status):
    """airbyte.md 6.1: the framework's own answer to a request that does not fit, before any controller runs:
    only an errorId (400 for parameters and constraint violations, 422 for a JSON body that does not parse or map)."""
    return ApiError(status, {"errorId": str(uuid.uuid4())})


def invalid_api_key():
    return problem(401, "invalid-api-key", ERRORS + "#invalid-api-key", "The API key in the Authorization header is invalid.")


def forbidden(message):
    return problem(403, "forbidden", ERRORS + "#forbidden", "The request is forbidden.", {"message": message})


def try_again_later(message):
    return problem(409, "try-again-later", ERRORS + "#try-again-later", "Please try again later.", {"message": message})


def state_conflict(message):
    return problem(409, "state-conflict", ERRORS + "#409-state-conflict", "State conflict", {"message": message})


def unexpected(message):
    return problem(500, "unexpected-problem", ERRORS, "An unexpected problem has occurred. If this is an error that needs to be "
                   "addressed, please submit a pull request or github issue.", {"message": message})


# ----- connector specs and catalogs of the seed definitions -------------------------------------
S = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
SECRET = {"type": "string", "airbyte_secret": True}   # airbyte.md 5.2: the spec marks secrets with airbyte_secret


def spec_object(required=(), **properties):
    return {"type": "object", "required": list(required), "properties": properties}


def const(value):
    return {"type": "string", "const": value}


TUNNEL_METHOD = {"type": "object", "oneOf": [
    spec_object(["tunnel_method"], tunnel_method=const("NO_TUNNEL")),
    spec_object(["tunnel_method", "tunnel_host", "tunnel_port", "tunnel_user", "ssh_key"], tunnel_method=const("SSH_KEY_AUTH"),
                tunnel_host=S, tunnel_port=INT, tunnel_user=S, ssh_key=SECRET),
    spec_object(["tunnel_method", "tunnel_host", "tunnel_port", "tunnel_user", "tunnel_user_password"],
                tunnel_method=const("SSH_PASSWORD_AUTH"), tunnel_host=S, tunnel_port=INT, tunnel_user=S, tunnel_user_password=SECRET),
]}
PORT = {"type": "integer", "minimum": 0, "maximum": 65536}


def stream(name, fields, sync_modes=("full_refresh", "incremental"), cursor=None, source_defined_cursor=False,
           primary_key=None, namespace=None):
    """A catalog stream of a seed definition; ``fields`` are dotted paths ("address.city")."""
    found = {"name": name, "syncModes": list(sync_modes), "sourceDefinedCursor": source_defined_cursor,
             "defaultCursorField": list(cursor or []), "sourceDefinedPrimaryKey": [list(k) for k in primary_key or []],
             "fields": list(fields)}
    if namespace:
        found["namespace"] = namespace
    return found


FAKER_USER_FIELDS = ["id", "created_at", "updated_at", "name", "title", "age", "email", "telephone", "gender", "language",
                     "academic_degree", "nationality", "occupation", "height", "blood_type", "weight", "address.city",
                     "address.country_code", "address.postal_code", "address.province", "address.state", "address.street_name",
                     "address.street_number"]


def faker_stream(name, fields):
    return stream(name, fields, cursor=["updated_at"], source_defined_cursor=True, primary_key=[["id"]])


SOURCE_DEFINITIONS = [
    # ids: airbyte.md 5.1 (NameToDefinitionMapper.kt); image tags and display names: sandbox values [INFERRED]
    {"id": "dfd88b22-b603-4c3d-aad7-3701784586b1", "name": "faker", "displayName": "Sample Data",
     "dockerRepository": "airbyte/source-faker", "dockerImageTag": "6.2.21",
     "documentationUrl": "https://docs.airbyte.com/integrations/sources/faker",
     "spec": spec_object(["count"], count={"type": "integer", "minimum": 1}, seed=INT, records_per_slice={"type": "integer", "minimum": 1},
                         always_updated=BOOL, parallelism={"type": "integer", "minimum": 1}),
     "streams": [faker_stream("users", FAKER_USER_FIELDS),
                 faker_stream("products", ["id", "make", "model", "year", "price", "created_at", "updated_at"]),
                 faker_stream("purchases", ["id", "user_id", "product_id", "created_at", "updated_at", "added_to_cart_at",
                                            "purchased_at", "returned_at"])]},
    {"id": "decd338e-5647-4c0b-adf4-da0e75f5a750", "name": "postgres", "displayName": "Postgres",
     "dockerRepository": "airbyte/source-postgres", "dockerImageTag": "3.6.30",
     "documentationUrl": "https://docs.airbyte.com/integrations/sources/postgres",
     "spec": spec_object(["host", "port", "database", "username"], host=S, port=PORT, database=S,
                         schemas={"type": "array", "items": S}, username=S, password=SECRET, jdbc_url_params=S,
                         ssl_mode={"type": "object"}, replication_method={"type": "object"}, tunnel_method=TUNNEL_METHOD,
                         entra_service_principal_auth=BOOL),
     "streams": [stream("customers", ["id", "name", "email", "created_at", "updated_at"], primary_key=[["id"]], namespace="public"),
                 stream("orders", ["id", "customer_id", "amount", "status", "created_at", "updated_at"], primary_key=[["id"]],
                        namespace="public")]},
    {"id": "6371b14b-bc68-4236-bfbd-468e8df8e968", "name": "pokeapi", "displayName": "PokeAPI",
     "dockerRepository": "airbyte/source-pokeapi", "dockerImageTag": "0.3.20",
     "documentationUrl": "https://docs.airbyte.com/integrations/sources/pokeapi",
     "spec": spec_object(["pokemon_name"], pokemon_name=S),
     "streams": [stream("pokemon", ["id", "name", "base_experience", "height", "weight", "is_default", "order", "abilities",
                                    "forms", "types", "sprites.front_default"], sync_modes=["full_refresh"], primary_key=[["id"]])]},
    {"id": "778daa7c-feaf-4db6-96f3-70fd645acc77", "name": "file", "displayName": "File (CSV, JSON, Excel, Feather, Parquet)",
     "dockerRepository": "airbyte/source-file", "dockerImageTag": "0.5.17",
     "documentationUrl": "https://docs.airbyte.com/integrations/sources/file",
     "spec": spec_object(["dataset_name", "format", "url", "provider"], dataset_name=S,
                         format={"type": "string", "enum": ["csv", "json", "jsonl", "excel", "excel_binary", "fwf", "feather",
                                                            "parquet", "yaml"]},
                         reader_options=S, url=S,
                         provider={"type": "object", "oneOf": [
                             spec_object(["storage"], storage=const("HTTPS"), user_agent=BOOL),
                             spec_object(["storage"], storage=const("GCS"), service_account_json=SECRET),
                             spec_object(["storage"], storage=const("S3"), aws_access_key_id=S, aws_secret_access_key=SECRET),
                             spec_object(["storage", "user", "host"], storage={"type": "string", "enum": ["SSH", "SCP", "SFTP"]},
                                         user=S, password=SECRET, host=S, port=S)]}),
     # [INFERRED] source-file names its one stream after dataset_name; its columns depend on the file
     "streams": [stream("{dataset_name}", ["id", "name", "value"], sync_modes=["full_refresh"])]},
    {"id": "d53f9084-fa6b-4a5a-976c-5b8392f4ad8a", "name": "e2e-test", "displayName": "End-to-End Testing (Mock API)",
     "dockerRepository": "airbyte/source-e2e-test", "dockerImageTag": "2.2.1",
     "documentationUrl": "https://docs.airbyte.com/integrations/sources/e2e-test",
     "spec": spec_object([], type=S, max_messages=INT, message_interval_ms=INT, seed=INT, mock_catalog={"type": "object"}),
     "streams": [stream("data_stream", ["column1"])]},   # [INFERRED] the connector's default single-stream mock catalog
]

DESTINATION_DEFINITIONS = [
    {"id": "25c5221d-dce2-4163-ade9-739ef790f503", "name": "postgres", "displayName": "Postgres",
     "dockerRepository": "airbyte/destination-postgres", "dockerImageTag": "2.4.7",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/postgres",
     "spec": spec_object(["host", "port", "database", "schema", "username"], host=S, port=PORT, database=S, schema=S, username=S,
                         password=SECRET, ssl=BOOL, ssl_mode={"type": "object"}, jdbc_url_params=S, raw_data_schema=S,
                         disable_type_dedupe=BOOL, drop_cascade=BOOL, unconstrained_number=BOOL, tunnel_method=TUNNEL_METHOD),
     "destinationSyncModes": ["overwrite", "append", "append_dedup"]},
    {"id": "2eb65e87-983a-4fd7-b3e3-9d9dc6eb8537", "name": "e2e-test", "displayName": "End-to-End Testing",
     "dockerRepository": "airbyte/destination-e2e-test", "dockerImageTag": "0.4.1",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/e2e-test",
     "spec": spec_object(["test_destination"], test_destination={"type": "object", "oneOf": [
         spec_object(["test_destination_type"], test_destination_type=const("LOGGING"), logging_config={"type": "object"}),
         spec_object(["test_destination_type"], test_destination_type=const("SILENT")),
         spec_object(["test_destination_type", "millis_per_record"], test_destination_type=const("THROTTLED"), millis_per_record=INT),
         spec_object(["test_destination_type", "num_messages"], test_destination_type=const("FAILING"), num_messages=INT)]}),
     "destinationSyncModes": ["overwrite", "append"]},
    {"id": "a625d593-bba5-4a1c-a53d-2d246268a816", "name": "local-json", "displayName": "Local JSON",
     "dockerRepository": "airbyte/destination-local-json", "dockerImageTag": "0.2.11",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/local-json",
     "spec": spec_object(["destination_path"], destination_path=S),
     "destinationSyncModes": ["overwrite", "append"]},
    {"id": "8be1cf83-fde1-477f-a4ad-318d23c9f3c6", "name": "csv", "displayName": "Local CSV",
     "dockerRepository": "airbyte/destination-csv", "dockerImageTag": "1.0.0",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/local-csv",
     "spec": spec_object(["destination_path"], destination_path=S, delimiter_type={"type": "object"}),
     "destinationSyncModes": ["overwrite", "append"]},
    {"id": "4816b78f-1489-44c1-9060-4b19d5fa9362", "name": "s3", "displayName": "S3",
     "dockerRepository": "airbyte/destination-s3", "dockerImageTag": "1.5.1",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/s3",
     # [INFERRED] minimal: the real spec also requires "format"
     "spec": spec_object(["s3_bucket_name", "s3_bucket_path", "s3_bucket_region"], s3_bucket_name=S, s3_bucket_path=S,
                         s3_bucket_region=S, access_key_id=SECRET, secret_access_key=SECRET, role_arn=S, s3_endpoint=S,
                         s3_path_format=S, file_name_pattern=S, format={"type": "object"}),
     "destinationSyncModes": ["overwrite", "append"]},
    {"id": "22f6c74f-5699-40ff-833c-4a879ea40133", "name": "bigquery", "displayName": "BigQuery",
     "dockerRepository": "airbyte/destination-bigquery", "dockerImageTag": "2.9.3",
     "documentationUrl": "https://docs.airbyte.com/integrations/destinations/bigquery",
     "spec": spec_object(["project_id", "dataset_location", "dataset_id"], project_id=S, dataset_location=S, dataset_id=S,
                         credentials_json=SECRET, transformation_priority=S, big_query_client_buffer_size_mb=INT,
                         loading_method={"type": "object", "oneOf": [
                             spec_object(["method"], method=const("Standard")),
                             spec_object(["method", "gcs_bucket_name", "gcs_bucket_path", "credential"], method=const("GCS Staging"),
                                         gcs_bucket_name=S, gcs_bucket_path=S,
                                         credential=spec_object(["credential_type", "hmac_key_access_id", "hmac_key_secret"],
                                                                credential_type=const("HMAC_KEY"), hmac_key_access_id=SECRET,
                                                                hmac_key_secret=SECRET))]}),
     "destinationSyncModes": ["overwrite", "append", "append_dedup"]},
]

DEFAULT_FIXTURE = {
    "basic_auth": {"username": "airbyte", "password": "password"},            # airbyte.md 2 (OSS defaults)
    "organizations": [{"organizationId": DEFAULT_ORGANIZATION_ID, "organizationName": "Default Organization",
                       "email": "admin@example.com"}],
    "users": [   # the first user is the one behind basic auth and the application
        {"id": ADMIN_USER_ID, "name": "Airbyte Admin", "email": "admin@example.com",
         "permissions": [{"permissionType": "organization_admin", "organizationId": DEFAULT_ORGANIZATION_ID}]},
        {"id": READER_USER_ID, "name": "Read Only", "email": "reader@example.com",
         "permissions": [{"permissionType": "workspace_reader", "workspaceId": DEFAULT_WORKSPACE_ID}]},
    ],
    "applications": [{"name": "Default application", "user": ADMIN_USER_ID, "client_id": DEFAULT_CLIENT_ID,
                      "client_secret": DEFAULT_CLIENT_SECRET}],
    # airbyte.md 5.7: a self-managed Airbyte's default dataplane group (region) is AUTO
    "regions": [{"regionId": DEFAULT_REGION_ID, "name": "AUTO", "organizationId": DEFAULT_ORGANIZATION_ID}],
    "workspaces": [{"workspaceId": DEFAULT_WORKSPACE_ID, "name": "Default Workspace", "organizationId": DEFAULT_ORGANIZATION_ID}],
    "source_definitions": SOURCE_DEFINITIONS,
    "destination_definitions": DESTINATION_DEFINITIONS,
}

# ----- model constants ---------------------------------------------------------------------------
NOTIFICATION_KEYS = ("failure", "success", "connectionUpdate", "connectionUpdateActionRequired", "syncDisabled", "syncDisabledWarning")
# airbyte.md 5.5 / ConnectionReadMapper: (source sync mode, destination sync mode) -> connection sync mode
COMBINED_SYNC_MODES = {
    ("full_refresh", "overwrite"): "full_refresh_overwrite",
    ("full_refresh", "overwrite_dedup"): "full_refresh_overwrite_deduped",
    ("full_refresh", "append"): "full_refresh_append",
    ("incremental", "append"): "incremental_append",
    ("incremental", "append_dedup"): "incremental_deduped_history",
}
ALL_DESTINATION_SYNC_MODES = ("overwrite", "append", "append_dedup", "overwrite_dedup")
DEDUP_MODES = ("incremental_deduped_history", "full_refresh_overwrite_deduped")
INCREMENTAL_MODES = ("incremental_append", "incremental_deduped_history")
ACTIVE_JOB_STATUSES = ("pending", "queued", "running", "incomplete")
TERMINAL_JOB_STATUSES = ("failed", "succeeded", "cancelled")
ROLE_RANK = {"workspace_reader": 1, "workspace_runner": 2, "workspace_editor": 3, "workspace_admin": 4, "workspace_owner": 4,
             "organization_member": 0, "organization_reader": 1, "organization_runner": 2, "organization_editor": 3,
             "organization_admin": 4, "instance_admin": 5}
TAG_NAME_MAX = 30           # airbyte.md 5.9
TAG_LIMIT_PER_WORKSPACE = 100   # [INFERRED] the limit's value is not known
HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}")   # [INFERRED] "FF5733" as in the OAS example
ORDER_BY = re.compile(r"([a-zA-Z0-9]+)\|(ASC|DESC)")   # airbyte.md 4 (JobsHelper.kt)
# extra body keys kept out of the request log (the base already hides password, token, secret, private_key)
LOG_SECRET_KEYS = frozenset({"secretId", "key", "client_secret", "access_token", "secret_access_key", "access_key_id", "tunnel_user_password",
                             "ssh_key", "credentials_json", "service_account_json", "aws_secret_access_key", "hmac_key_secret",
                             "hmac_key_access_id", "api_key"})


# ----- helpers -----------------------------------------------------------------------------------
def kotlin(value):
    """A list rendered as Kotlin's toString does in the server's messages: [a, [b, c]]."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(kotlin(v) for v in value) + "]"
    return str(value)


def java_time(epoch):
    """OffsetDateTime.toString of a UTC instant at whole seconds (JobResponseMapper): seconds left out when zero."""
    moment = datetime.fromtimestamp(int(epoch), timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if moment.second else "%Y-%m-%dT%H:%MZ")


def java_duration(seconds):
    """java.time.Duration.toString: PT8H6M12S, PT0S."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + ("%dH" % hours if hours else "") + ("%dM" % minutes if minutes else "") + ("%dS" % secs if secs else "")
    return text if text != "PT" else "PT0S"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_paths(schema, prefix=""):
    """Dotted paths of the properties marked airbyte_secret, through nested objects and oneOf/anyOf branches."""
    found = []
    if not isinstance(schema, dict):
        return found
    for name, prop in (schema.get("properties") or {}).items():
        path = prefix + name
        if isinstance(prop, dict) and prop.get("airbyte_secret"):
            found.append(path)
        else:
            found.extend(secret_paths(prop, path + "."))
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(key) or []:
            found.extend(secret_paths(branch, prefix))
    return list(dict.fromkeys(found))


def dig(config, path):
    """(found, value) at a dotted path of a configuration."""
    node = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def put(config, path, value):
    node = config
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


def deep_merge(stored, patch):
    """airbyte.md 5.3: nested plain objects merge recursively; scalars, arrays and null replace; other keys stay."""
    merged = copy.deepcopy(stored)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def find_value(node, key):
    """Jackson's ObjectNode.findValue: the first value of ``key`` anywhere in the tree (airbyte.md 5.1)."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = find_value(child, key)
        if found is not None:
            return found
    return None


def property_fields(fields):
    """[["id"], ["address"], ["address", "city"], ...] from dotted field names (StreamsController.getStreamFields)."""
    found = []
    for field in fields:
        parts = field.split(".")
        for end in range(1, len(parts) + 1):
            if parts[:end] not in found:
                found.append(parts[:end])
    return found


def top_level_fields(fields):
    return list(dict.fromkeys(field.split(".")[0] for field in fields))


def log_redact(value):
    if isinstance(value, dict):
        return {k: ("********" if k in LOG_SECRET_KEYS and v is not None else log_redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [log_redact(v) for v in value]
    return value


def parse_datetime(text):
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as err:
        raise bad_request("Invalid date-time: %s" % text) from err
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# airbyte.md 3.2.1: a stream mapper's configuration is chosen by the mapper's type
MAPPER_CONFIGURATIONS = {"hashing": "HashingMapperConfiguration", "field-renaming": "FieldRenamingMapperConfiguration",
                         "row-filtering": "RowFilteringMapperConfiguration", "encryption": "EncryptionMapperConfiguration",
                         "field-filtering": "FieldFilteringMapperConfiguration"}


def errata(document):
    """Where the document, read as plain JSON Schema, says something other than the server and the SDK do (every other
    schema is used as is):

    * ConfiguredStreamMapper.mapperConfiguration is a plain ``oneOf`` of the five configurations with no
      discriminator, so a hashing or an encryption configuration (which also has the ``targetField`` that is all a
      field-filtering one requires) matches two of them and fails ``oneOf``. Airbyte chooses the configuration by the
      mapper's ``type`` (airbyte.md 3.2.1), and so does validation here.

    The two places where the document requires a property it does not declare:

    * CreateDeclarativeSourceDefinitionRequest requires ``workspaceId``, which is a path parameter; the SDK (from
      api_sdk.yaml) and airbyte.md 3.2.6 have only name and manifest: not required here.
    * ApplicationTokenRequestWithGrant declares ``grant-type`` but requires ``grant_type`` (airbyte.md 2.2): the
      token handler fills ``grant_type`` in before validation instead (accepting either, or none).
    """
    schemas = document["components"]["schemas"]
    schema = schemas["CreateDeclarativeSourceDefinitionRequest"]
    schema["required"] = [name for name in schema.get("required", []) if name != "workspaceId"]
    mapper = schemas["ConfiguredStreamMapper"]
    mapper["properties"]["mapperConfiguration"] = {"type": "object"}
    mapper["allOf"] = [{"if": {"required": ["type"], "properties": {"type": {"const": kind}}},
                        "then": {"properties": {"mapperConfiguration": {"$ref": "#/components/schemas/" + name}}}}
                       for kind, name in MAPPER_CONFIGURATIONS.items()]
    return document


class AirbyteFaults(Faults):
    """The base's fault injection; an answer without a body gets a problem body (airbyte.md 6.1) [INFERRED shape]."""

    def add(self, path=".*", method=None, status=None, retry_after=None, body=None, delay=0.0, drop=False, count=1,
            **hooks):
        if body is None and status is not None and 100 <= int(status) <= 599:
            try:
                phrase = HTTPStatus(int(status)).phrase
            except ValueError:
                phrase = "Error"
            detail = phrase + ("; retry after %s seconds" % retry_after if retry_after is not None else "")
            body = {"type": ERRORS, "title": phrase.lower().replace(" ", "-"), "status": int(status), "detail": detail,
                    "documentationUrl": None}
        return super().add(path=path, method=method, status=status, retry_after=retry_after, body=body, delay=delay,
                           drop=drop, count=count, **hooks)   # after, before: the base's


class Route:
    def __init__(self, method, template, handler, anonymous=False):
        self.method = method
        self.template = template
        self.handler = handler
        self.anonymous = anonymous
        self.names = re.findall(r"\{([^/]+?)\}", template)
        self.regex = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)) + "$")


# =================================================================================================
# the emulator
# =================================================================================================
class AirbyteEmulator(EmulatorServer):
    """The Airbyte public API with state, OpenAPI validation, jobs on the emulated clock. See tests/emulators/README.md."""

    server_name = "airbyte-emulator"
    # answers built by the emulator itself: no undeclared key may appear in them (openapi_check strict mode)
    STRICT_SCHEMAS = ("WorkspaceResponse", "WorkspacesResponse", "RegionResponse", "RegionsResponse", "SourceResponse",
                      "SourcesResponse", "DestinationResponse",
                      "DestinationsResponse", "ConnectionResponse", "ConnectionsResponse", "ConnectionScheduleResponse",
                      "StreamConfiguration", "StreamConfigurations", "JobResponse", "JobsResponse", "TagResponse", "TagsResponse",
                      "Tag", "PermissionResponse", "PermissionResponseRead", "PermissionsResponse", "OrganizationResponse",
                      "OrganizationsResponse", "UserResponse", "UsersResponse", "DefinitionResponse", "DefinitionsResponse",
                      "DeclarativeSourceDefinitionResponse", "DeclarativeSourceDefinitionsResponse", "StreamProperties",
                      "PublicAccessTokenResponse", "NotificationsConfig", "NotificationConfig", "EmailNotificationConfig",
                      "WebhookNotificationConfig", "SelectedFieldInfo")
    _checker = None   # one OpenApiChecker per process (the document is big)

    def __init__(self, host="127.0.0.1", port=0, speed=1.0, fixture=None, token_lifetime=900, job_seconds=30):
        super().__init__(host, port, speed)
        self.faults = AirbyteFaults()
        self.fixture = copy.deepcopy(DEFAULT_FIXTURE if fixture is None else fixture)
        if AirbyteEmulator._checker is None:
            AirbyteEmulator._checker = OpenApiChecker(errata(load_document(OPENAPI_DOCUMENT)), strict_schemas=self.STRICT_SCHEMAS)
        self.checker = AirbyteEmulator._checker
        self._initial_token_lifetime = int(token_lifetime)
        self._initial_job_seconds = float(job_seconds)
        self.token_lifetime = self._initial_token_lifetime
        self.job_seconds = self._initial_job_seconds
        self.validation_errors = []
        self._routes = self._route_table()
        users = self.fixture.get("users") or []
        apps = self.fixture.get("applications") or []
        if not users or not apps or not self.fixture.get("organizations"):
            raise ValueError("the fixture needs at least one organization, one user and one application")
        basic = self.fixture.get("basic_auth") or {}
        self.username = basic.get("username", "airbyte")
        self.password = basic.get("password", "password")
        self.user_id = users[0]["id"]
        self.reader_user_id = users[1]["id"] if len(users) > 1 else None
        self.client_id = apps[0]["client_id"]
        self.client_secret = apps[0]["client_secret"]
        self.organization_id = self.fixture["organizations"][0]["organizationId"]
        workspaces = self.fixture.get("workspaces") or []
        self.workspace_id = workspaces[0]["workspaceId"] if workspaces else None
        self.reset_state()

    # =============================================================================================
    # Python API for tests
    # =============================================================================================
    def issue_token(self, user_id=None, lifetime=None):
        """A valid bearer token (as the token endpoint would give) for the seed user or ``user_id``."""
        with self.lock:
            user_id = user_id or self.user_id
            if user_id not in self._users:
                raise ValueError("unknown user %r" % user_id)
            app = next((a for a in self._applications.values() if a["user"] == user_id), None)
            return self._mint(user_id, app["client_id"] if app else None, self.token_lifetime if lifetime is None else lifetime)

    def create_application(self, user_id=None, name="Test application"):
        """A new application (client credentials) for the seed user or ``user_id``: {"client_id", "client_secret"}."""
        with self.lock:
            user_id = user_id or self.user_id
            if user_id not in self._users:
                raise ValueError("unknown user %r" % user_id)
            app = {"name": name, "user": user_id, "client_id": str(uuid.uuid4()), "client_secret": uuid.uuid4().hex}
            self._applications[app["client_id"]] = app
            return {"client_id": app["client_id"], "client_secret": app["client_secret"]}

    def definition_id(self, kind, name):
        """The seeded definition id of a source or destination connector name, e.g. ("source", "postgres")."""
        with self.lock:
            table = self._definitions[self._kind(kind)]
            for definition in table.values():
                if definition.get("name") == name and not definition.get("custom"):
                    return definition["id"]
            raise KeyError("no %s definition named %r" % (kind, name))

    def get(self, kind, id):   # pylint: disable=redefined-builtin
        """The stored object as the API shows it (secrets masked), or None: kind workspace, source, destination,
        connection, job, tag, permission."""
        with self.lock:
            self._tick()
            if kind == "workspace":
                found = self._workspaces.get(str(id))
                return self._workspace_view(found) if found and not found["deleted"] else None
            if kind in ("source", "destination"):
                found = self._actors[kind].get(str(id))
                return self._actor_view(kind, found) if found and not found["deleted"] else None
            if kind == "connection":
                found = self._connections.get(str(id))
                return self._connection_view(found) if found else None
            if kind == "job":
                try:
                    found = self._jobs.get(int(id))
                except (TypeError, ValueError):
                    found = None
                return self._job_view(found) if found else None
            if kind == "tag":
                found = self._tags.get(str(id))
                return self._tag_view(found) if found else None
            if kind == "permission":
                found = self._permissions.get(str(id))
                return self._permission_view(found) if found else None
            raise ValueError("unknown kind %r" % kind)

    def raw_secret(self, kind, id, path):   # pylint: disable=redefined-builtin
        """The stored (unmasked) value at a dotted ``path`` of a source/destination configuration (None if absent)."""
        with self.lock:
            actor = self._actors[self._kind(kind)].get(str(id))
            if actor is None:
                raise KeyError("no %s %s" % (kind, id))
            return copy.deepcopy(dig(actor["configuration"], path)[1])

    def secret_id(self, source_id):
        """The secretId a source was created with (never shown by the API), or None."""
        with self.lock:
            return self._actors["source"][str(source_id)].get("secretId")

    def fail_next_job(self, connection_id=None, message="Emulated job failure"):
        """The next job (of ``connection_id``, or of any connection) that starts running ends "failed"."""
        with self.lock:
            rule = {"connection_id": None if connection_id is None else str(connection_id), "message": str(message)}
            self._failures.append(rule)
            return dict(rule)

    def pending_failures(self):
        with self.lock:
            return [dict(rule) for rule in self._failures]

    def lock_connection(self, connection_id, reason="Locked by Airbyte"):
        """Put a connection in status locked (set by Airbyte, e.g. billing, airbyte.md 5.5) with a statusReason."""
        with self.lock:
            connection = self._connections[str(connection_id)]
            connection["status"] = "locked"
            connection["statusReason"] = reason

    def permissions(self):
        """Every permission as GET /permissions/{id} shows it."""
        with self.lock:
            return [self._permission_view(p) for p in self._permissions.values()]

    def oauth_override(self, scope, scope_id, actor_type, name):
        """The stored OAuth override configuration (write-only in the API, airbyte.md 5.7) or None;
        scope "workspace" or "organization"."""
        with self.lock:
            return copy.deepcopy(self._oauth.get((scope, str(scope_id), actor_type, name)))

    def admin_routes(self):
        routes = super().admin_routes()
        routes[("POST", "failures")] = lambda req: Response(201, self.fail_next_job(**admin_object(req.body)))
        routes[("GET", "failures")] = lambda req: Response(200, self.pending_failures())
        routes[("POST", "token_lifetime")] = self._admin_token_lifetime
        routes[("POST", "job_seconds")] = self._admin_job_seconds
        routes[("POST", "tokens")] = lambda req: Response(201, self._token_body(self.issue_token(
            admin_object(req.body).get("user_id"))))
        routes[("GET", "validation_errors")] = lambda req: Response(200, list(self.validation_errors))
        return routes

    def _admin_token_lifetime(self, req):
        seconds = int(admin_object(req.body)["seconds"])
        if seconds < 1:
            raise ValueError("seconds must be >= 1")
        self.token_lifetime = seconds
        return Response(200, {"seconds": seconds})

    def _admin_job_seconds(self, req):
        seconds = float(admin_object(req.body)["seconds"])
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        self.job_seconds = seconds
        return Response(200, {"seconds": seconds})

    # =============================================================================================
    # seed state
    # =============================================================================================
    def reset_state(self):
        fixture = self.fixture
        self.validation_errors.clear()
        self.issued_tokens = []
        self.token_lifetime = self._initial_token_lifetime
        self.job_seconds = self._initial_job_seconds
        self._failures = []
        self._job_ids = itertools.count(1)
        self._seq = itertools.count(1)
        self._organizations = {o["organizationId"]: dict(o) for o in fixture["organizations"]}
        self._users = {}
        self._permissions = {}
        self._workspaces = {}
        self._regions = {}
        for spec in fixture.get("regions") or []:
            self._regions[spec["regionId"]] = {"regionId": spec["regionId"], "name": spec["name"], "enabled": spec.get("enabled", True),
                                               "organizationId": spec.get("organizationId", self.organization_id),
                                               "createdAt": java_time(self._now()), "updatedAt": java_time(self._now())}
        for spec in fixture.get("workspaces") or []:
            org = spec.get("organizationId", self.organization_id)
            if org not in self._organizations:
                raise ValueError("workspace %r: unknown organization %s" % (spec.get("name"), org))
            self._workspaces[spec["workspaceId"]] = self._new_workspace(spec["workspaceId"], spec["name"], org, spec.get("notifications"),
                                                                        spec.get("regionId"))
        for spec in fixture["users"]:
            self._users[spec["id"]] = {"id": spec["id"], "name": spec.get("name", ""), "email": spec.get("email", "")}
            for perm in spec.get("permissions") or []:
                scope = "workspace" if perm.get("workspaceId") else "organization"
                scope_id = perm.get("workspaceId") or perm.get("organizationId")
                if (self._workspaces if scope == "workspace" else self._organizations).get(scope_id) is None:
                    raise ValueError("user %r: unknown %s %s" % (spec["id"], scope, scope_id))
                permission_id = str(uuid.uuid5(ID_NAMESPACE, "permission/%s/%s/%s" % (spec["id"], scope_id, perm["permissionType"])))
                self._permissions[permission_id] = {"permissionId": permission_id, "permissionType": perm["permissionType"],
                                                    "userId": spec["id"], scope + "Id": scope_id}
        self._applications = {}
        for app in fixture["applications"]:
            if app["user"] not in self._users:
                raise ValueError("application %r: unknown user %s" % (app.get("name"), app["user"]))
            self._applications[app["client_id"]] = dict(app)
        self._definitions = {"source": {}, "destination": {}}
        for kind in ("source", "destination"):
            for spec in fixture.get(kind + "_definitions") or []:
                definition = copy.deepcopy(spec)
                definition.update(custom=False, workspaceId=None, deleted=False)
                definition["secretPaths"] = secret_paths(definition.get("spec"))
                self._definitions[kind][definition["id"]] = definition
        self._declarative = {}
        self._actors = {"source": {}, "destination": {}}
        self._connections = {}
        self._jobs = {}
        self._tags = {}
        self._oauth = {}

    def _new_workspace(self, workspace_id, name, organization_id, notifications=None, region_id=None):
        return {"workspaceId": workspace_id, "name": name, "organizationId": organization_id, "regionId": region_id,
                "notifications": self._notifications(notifications or {}, {}), "deleted": False, "seq": next(self._seq)}

    # =============================================================================================
    # HTTP entry point, routing, authentication, validation
    # =============================================================================================
    def _route_table(self):
        ws = "/workspaces/{workspaceId}"
        table = [
            ("GET", "/health", self._health, True),
            ("POST", "/applications/token", self._token, True),
            ("GET", "/workspaces", self._list_workspaces), ("POST", "/workspaces", self._create_workspace),
            ("GET", ws, self._get_workspace), ("PATCH", ws, self._update_workspace), ("DELETE", ws, self._delete_workspace),
            ("PUT", ws + "/oauthCredentials", self._put_workspace_oauth),
            ("DELETE", ws + "/oauthCredentials/{actorType}/{name}", self._delete_workspace_oauth),
            ("GET", ws + "/definitions/declarative_sources", self._list_declarative),
            ("POST", ws + "/definitions/declarative_sources", self._create_declarative),
            ("GET", ws + "/definitions/declarative_sources/{definitionId}", self._get_declarative),
            ("PUT", ws + "/definitions/declarative_sources/{definitionId}", self._update_declarative),
            ("DELETE", ws + "/definitions/declarative_sources/{definitionId}", self._delete_declarative),
            ("GET", "/sources", self._list_sources), ("POST", "/sources", self._create_source),
            ("POST", "/sources/initiateOAuth", self._initiate_oauth),
            ("GET", "/destinations", self._list_destinations), ("POST", "/destinations", self._create_destination),
            ("GET", "/connections", self._list_connections), ("POST", "/connections", self._create_connection),
            ("GET", "/connections/{connectionId}", self._get_connection), ("PATCH", "/connections/{connectionId}", self._patch_connection),
            ("DELETE", "/connections/{connectionId}", self._delete_connection),
            ("GET", "/jobs", self._list_jobs), ("POST", "/jobs", self._create_job),
            ("GET", "/jobs/{jobId}", self._get_job), ("DELETE", "/jobs/{jobId}", self._cancel_job),
            ("GET", "/streams", self._stream_properties),
            ("GET", "/permissions", self._list_permissions), ("POST", "/permissions", self._create_permission),
            ("GET", "/permissions/{permissionId}", self._get_permission), ("PATCH", "/permissions/{permissionId}", self._update_permission),
            ("DELETE", "/permissions/{permissionId}", self._delete_permission),
            ("GET", "/organizations", self._list_organizations),
            ("GET", "/regions", self._list_regions), ("POST", "/regions", self._create_region), ("GET", "/regions/{regionId}", self._get_region),
            ("PUT", "/organizations/{organizationId}/oauthCredentials", self._put_organization_oauth),
            ("DELETE", "/organizations/{organizationId}/oauthCredentials/{actorType}/{name}", self._delete_organization_oauth),
            ("GET", "/users", self._list_users),
            ("GET", "/tags", self._list_tags), ("POST", "/tags", self._create_tag),
            ("GET", "/tags/{tagId}", self._get_tag), ("PATCH", "/tags/{tagId}", self._update_tag), ("DELETE", "/tags/{tagId}", self._delete_tag),
        ]
        for kind, plural in (("source", "sources"), ("destination", "destinations")):
            path = "/%s/{%sId}" % (plural, kind)
            table += [("GET", path, self._actor_handler(kind, self._get_actor)), ("PATCH", path, self._actor_handler(kind, self._patch_actor)),
                      ("PUT", path, self._actor_handler(kind, self._put_actor)), ("DELETE", path, self._actor_handler(kind, self._delete_actor))]
            definitions = ws + "/definitions/" + plural
            table += [("GET", definitions, self._actor_handler(kind, self._list_definitions)),
                      ("POST", definitions, self._actor_handler(kind, self._create_definition)),
                      ("GET", definitions + "/{definitionId}", self._actor_handler(kind, self._get_definition)),
                      ("PUT", definitions + "/{definitionId}", self._actor_handler(kind, self._update_definition)),
                      ("DELETE", definitions + "/{definitionId}", self._actor_handler(kind, self._delete_definition))]
        routes = [Route(*entry) for entry in table]
        # literal segments before templated ones: /sources/initiateOAuth is not /sources/{sourceId}
        return sorted(routes, key=lambda r: len(r.names))

    @staticmethod
    def _actor_handler(kind, handler):
        def bound(req, **params):
            return handler(req, kind, **params)
        return bound

    def _relative(self, req):
        """The path under the API base (sets req.api_prefix), or None."""
        path = req.path.rstrip("/") or "/"
        if path in TOKEN_ALIASES:
            req.api_prefix = path[:-len("/applications/token")]
            return "/applications/token"
        for prefix in API_PREFIXES:
            if path.startswith(prefix + "/"):
                req.api_prefix = prefix
                return path[len(prefix):]
        return None

    def _route(self, method, path):
        allowed = []
        for route in self._routes:
            match = route.regex.match(path)
            if match:
                if route.method == method:
                    return route, {name: unquote(value) for name, value in zip(route.names, match.groups())}
                allowed.append(route.method)
        if allowed:
            raise problem(405, "method-not-allowed", ERRORS, "Method %s is not allowed on %s" % (method, path), headers={
                "Allow": ", ".join(sorted(set(allowed)))})   # [INFERRED] body
        raise not_found("path", path)   # [INFERRED] an unknown path answers like an unknown resource

    def handle(self, req):
        self._tick()   # jobs advance lazily, from the emulated clock
        path = self._relative(req)
        if path is None:
            raise not_found("path", req.path)
        route, params = self._route(req.method, path)
        try:
            if not route.anonymous:
                self._authenticate(req)
            body = req.body
            if route.handler == self._token and isinstance(body, dict):   # pylint: disable=comparison-with-callable
                # airbyte.md 2.2: the OAS names the property grant-type but requires grant_type; accept either, or none
                body = dict(body)
                body.setdefault("grant_type", body.get("grant-type", "client_credentials"))
            parameter_errors, body_errors = self.checker.request_errors(req.method, path, req.query_lists, req.content_type, body)
            if parameter_errors or body_errors:
                self._invalid("request %s %s" % (req.method, req.path), parameter_errors + body_errors)
                # airbyte.md 6.1: a JSON body that does not parse or does not map onto the request model (a missing
                # required property, a wrong type, an unknown enum value) is 422; parameters out of their bounds, a
                # missing body and form fields (bound one by one, then validated) are 400 [INFERRED for forms]
                json_body = (req.content_type or "application/json").startswith("application/json")
                raise error_id(422 if body_errors and json_body else 400)
            response = route.handler(req, **params)
        except ApiError as err:
            response = Response(err.status, err.body, dict(err.headers))
        errors = self.checker.check_response(req.method, path, response.status,
                                             response.content_type if response.body is not None else None, response.body)
        if errors:
            self._invalid("response %s %s %d" % (req.method, req.path, response.status), errors)
            err = unexpected("The emulator's answer does not match the API: " + "; ".join(errors))
            return Response(err.status, err.body)
        return response

    def _invalid(self, what, errors):
        self.validation_errors.append("%s: %s" % (what, "; ".join(errors)))

    def _record(self, req, status):
        # the request log: a few more secret-looking configuration keys hidden than the base hides
        req.body = log_redact(redact(req.body))
        super()._record(req, status)

    # ----- tokens and authentication (airbyte.md 2) ------------------------------------------------
    def _signing_key(self, client_id):
        """Derived from the application's secret: a token stays valid across reset() and between emulators with
        the same credentials (the SDK caches tokens process-wide per client id and secret, airbyte.md 2.1)."""
        app = self._applications.get(client_id) if client_id else None
        material = app["client_secret"] if app else "user-token"
        return hashlib.sha256(("airbyte-emulator:" + material).encode("utf-8")).digest()

    def _mint(self, user_id, client_id, lifetime):
        now = self.clock.now().timestamp()
        header = {"alg": "HS256", "typ": "JWT"}
        payload = {"iss": "airbyte-emulator", "sub": user_id, "client_id": client_id, "iat": int(now),
                   "exp": now + int(lifetime), "jti": uuid.uuid4().hex}
        signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + b64url(
            json.dumps(payload, separators=(",", ":")).encode())
        signature = hmac.new(self._signing_key(client_id), signing_input.encode("ascii"), hashlib.sha256).digest()
        token = signing_input + "." + b64url(signature)
        self.issued_tokens.append(token)   # so tests can check that no minted token reaches any output
        return token

    def _token_body(self, token):
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(self.token_lifetime)}

    def _verify(self, token):
        """The user id of a valid token, else None (unknown, tampered, of a removed application, or expired)."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            payload = json.loads(unb64url(parts[1]))
            signature = unb64url(parts[2])
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if not isinstance(payload, dict):
            return None
        client_id = payload.get("client_id")
        if client_id is not None and client_id not in self._applications:
            return None
        expected = hmac.new(self._signing_key(client_id), (parts[0] + "." + parts[1]).encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            return None
        if not isinstance(payload.get("exp"), (int, float)) or self.clock.now().timestamp() >= payload["exp"]:
            return None
        return payload.get("sub") if payload.get("sub") in self._users else None

    def _authenticate(self, req):
        """airbyte.md 2: Bearer (minted tokens) or Basic (username/password); anything else 401 invalid-api-key."""
        parts = (req.headers.get("Authorization") or "").split(None, 1)
        user = None
        if len(parts) == 2 and parts[0].lower() == "bearer":
            user = self._verify(parts[1].strip())
        elif len(parts) == 2 and parts[0].lower() == "basic":
            try:
                name, _sep, password = base64.b64decode(parts[1].strip(), validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                name = password = None
            if name == self.username and password == self.password:
                user = self.user_id
        if user is None:
            raise invalid_api_key()
        req.user = user

    # =============================================================================================
    # authorization (airbyte.md 5.8; the roles each operation needs are [INFERRED] unless cited)
    # =============================================================================================
    def _workspace_rank(self, user_id, workspace):
        rank = -1
        for perm in self._permissions.values():
            if perm["userId"] != user_id:
                continue
            kind = perm["permissionType"]
            if kind == "instance_admin":
                rank = max(rank, ROLE_RANK[kind])
            elif perm.get("workspaceId") == workspace["workspaceId"]:
                rank = max(rank, ROLE_RANK[kind])
            elif perm.get("organizationId") == workspace["organizationId"] and kind != "organization_member":
                rank = max(rank, ROLE_RANK[kind])
        return rank

    def _organization_rank(self, user_id, organization_id):
        rank = -1
        for perm in self._permissions.values():
            if perm["userId"] == user_id and (perm["permissionType"] == "instance_admin" or perm.get("organizationId") == organization_id):
                rank = max(rank, ROLE_RANK[perm["permissionType"]])
        return rank

    def _member(self, user_id, organization_id):
        """Any permission in the organization, on it or on one of its workspaces."""
        if self._organization_rank(user_id, organization_id) >= 0:
            return True
        return any(p["userId"] == user_id and p.get("workspaceId") in self._workspaces
                   and self._workspaces[p["workspaceId"]]["organizationId"] == organization_id for p in self._permissions.values())

    def _require(self, req, workspace, role):
        if self._workspace_rank(req.user, workspace) < ROLE_RANK[role]:
            raise forbidden("User %s does not have the %s role on workspace %s." % (req.user, role, workspace["workspaceId"]))

    def _require_organization(self, req, organization_id, role):
        if self._organization_rank(req.user, organization_id) < ROLE_RANK[role]:
            raise forbidden("User %s does not have the %s role on organization %s." % (req.user, role, organization_id))

    # =============================================================================================
    # common helpers
    # =============================================================================================
    @staticmethod
    def _kind(kind):
        if kind not in ("source", "destination"):
            raise ValueError("kind must be source or destination")
        return kind

    def _now(self):
        return int(self.clock.now().timestamp())

    @staticmethod
    def _flag(req, name, default=False):
        value = req.query.get(name)
        return default if value is None else value.lower() == "true"

    @staticmethod
    def _ids(req, name):
        """A uuid list parameter, repeated (the SDK) or comma-joined (the server's own next links)."""
        return [part for value in req.query_lists.get(name, []) for part in value.split(",") if part]

    @staticmethod
    def _body(req):
        return req.body if isinstance(req.body, dict) else {}

    def _workspace(self, workspace_id, include_deleted=False):
        found = self._workspaces.get(workspace_id)
        if found is None or (found["deleted"] and not include_deleted):
            raise not_found("workspace", workspace_id)
        return found

    def _readable_workspaces(self, req, ids, include_deleted):
        """The workspaces a list covers: the given ids (each must exist and be readable), else every readable one."""
        if ids:
            chosen = []
            for workspace_id in ids:
                workspace = self._workspace(workspace_id, include_deleted=True)
                self._require(req, workspace, "workspace_reader")
                chosen.append(workspace)
            return {w["workspaceId"] for w in chosen}
        return {w["workspaceId"] for w in self._workspaces.values()
                if self._workspace_rank(req.user, w) >= ROLE_RANK["workspace_reader"] and (include_deleted or not w["deleted"])}

    def _page(self, req, items, resource, echo=()):
        """airbyte.md 4: {data, next, previous}; next whenever the page is non-empty, previous "" at offset 0; the
        links keep the filters (``echo``, None values left out) and point at the base the request used."""
        limit = int(req.query.get("limit", 20))
        offset = int(req.query.get("offset", 0))
        page = items[offset:offset + limit]
        params = [(k, v) for k, v in echo if v is not None]

        def link(at):
            return "%s%s/%s?%s" % (req.base_url, req.api_prefix, resource, urlencode(params + [("limit", limit), ("offset", at)], safe=","))

        return {"data": page, "next": link(offset + limit) if page else "", "previous": link(max(offset - limit, 0)) if offset else ""}

    # =============================================================================================
    # health, token
    # =============================================================================================
    def _health(self, req):
        return Response(200, "Successful operation", content_type="text/plain")   # airbyte.md 5.11

    def _token(self, req):
        """airbyte.md 2.2: form or JSON; bad client credentials 401 [INFERRED body: a problem plus the errorId the
        server's InvalidClientCredentialsExceptionHandler sends, airbyte.md 6.1]."""
        body = self._body(req)
        grant = body.get("grant_type", body.get("grant-type", "client_credentials"))
        if grant != "client_credentials":
            raise bad_request("Unsupported grant type: %s" % grant)   # [INFERRED]
        app = self._applications.get(body.get("client_id"))
        if app is None or not hmac.compare_digest(str(app["client_secret"]), str(body.get("client_secret"))):
            err = problem(401, "invalid-client-credentials", ERRORS + "#invalid-client-credentials",
                          "The client_id or client_secret is invalid.")
            err.body["errorId"] = str(uuid.uuid4())
            raise err
        return Response(200, self._token_body(self._mint(app["user"], app["client_id"], self.token_lifetime)))

    # =============================================================================================
    # workspaces (airbyte.md 5.7)
    # =============================================================================================
    def _notifications(self, given, stored):
        """All six keys; a key given replaces the stored one: email enabled by default except for success, webhook off
        unless enabled (then it needs a url). Keys not given keep their stored value (or the defaults)."""
        result = {}
        for key in NOTIFICATION_KEYS:
            if key not in given and key in stored:
                result[key] = copy.deepcopy(stored[key])
                continue
            config = given.get(key) or {}
            email = config.get("email") or {}
            webhook = config.get("webhook") or {}
            entry = {"email": {"enabled": bool(email.get("enabled", key != "success"))},
                     "webhook": {"enabled": bool(webhook.get("enabled", False))}}
            if webhook.get("url") is not None:
                entry["webhook"]["url"] = webhook["url"]
            if entry["webhook"]["enabled"] and not webhook.get("url"):
                raise problem(400, "Notification missing URL", "error:notification/config/missing-url",
                              "A webhook notification needs a URL.", {"message": "The %s webhook notification is enabled "
                                                                                 "without a URL." % key})   # [INFERRED] texts
            result[key] = entry
        return result

    def _workspace_view(self, workspace):
        # airbyte.md 5.7: dataResidency is the name of the workspace's region (dataplane group), lowercased; OSS: AUTO
        region = self._regions.get(workspace.get("regionId")) or {"name": "AUTO"}
        return {"workspaceId": workspace["workspaceId"], "name": workspace["name"], "dataResidency": region["name"].lower(),
                "notifications": copy.deepcopy(workspace["notifications"])}

    # ----- regions (dataplane groups; in the OAS, not in SDK 1.0.1, airbyte.md 3.1) ---------------------
    def _region(self, region_id):
        found = self._regions.get(region_id)
        if found is None:
            raise not_found("region", region_id)   # [INFERRED] resourceType
        return found

    def _list_regions(self, req):
        organization_id = req.query["organizationId"]
        if not self._member(req.user, organization_id):
            raise forbidden("User %s is not a member of organization %s." % (req.user, organization_id))
        return Response(200, {"data": [dict(r) for r in self._regions.values() if r["organizationId"] == organization_id]})

    def _create_region(self, req):
        body = self._body(req)
        if body["organizationId"] not in self._organizations:
            raise not_found("organization", body["organizationId"])
        self._require_organization(req, body["organizationId"], "organization_admin")   # [INFERRED] role
        now = java_time(self._now())
        region = {"regionId": str(uuid.uuid4()), "name": body["name"], "organizationId": body["organizationId"],
                  "enabled": bool(body.get("enabled", True)), "createdAt": now, "updatedAt": now}
        self._regions[region["regionId"]] = region
        return Response(200, dict(region))

    def _get_region(self, req, regionId):
        region = self._region(regionId)
        if not self._member(req.user, region["organizationId"]):
            raise forbidden("User %s is not a member of organization %s." % (req.user, region["organizationId"]))
        return Response(200, dict(region))

    def _list_workspaces(self, req):
        include_deleted = self._flag(req, "includeDeleted")
        ids = self._ids(req, "workspaceIds")
        chosen = self._readable_workspaces(req, ids, include_deleted)
        items = [self._workspace_view(w) for w in sorted(self._workspaces.values(), key=lambda w: w["seq"])
                 if w["workspaceId"] in chosen and (include_deleted or not w["deleted"])]
        echo = [("includeDeleted", str(include_deleted).lower()), ("workspaceIds", ",".join(ids) or None)]
        return Response(200, self._page(req, items, "workspaces", echo))

    def _create_workspace(self, req):
        body = self._body(req)
        # airbyte.md 5.7: a self-managed Airbyte ignores organizationId, known or not: a new workspace always joins the
        # default organization (Airbyte Cloud's choice of organization is not emulated)
        organization_id = self.organization_id
        self._require_organization(req, organization_id, "organization_editor")
        region_id = self._region(body["regionId"])["regionId"] if body.get("regionId") else None
        workspace = self._new_workspace(str(uuid.uuid4()), body["name"], organization_id, body.get("notifications"), region_id)
        self._workspaces[workspace["workspaceId"]] = workspace
        return Response(200, self._workspace_view(workspace))

    def _get_workspace(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_reader")
        return Response(200, self._workspace_view(workspace))

    def _update_workspace(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_admin")
        body = self._body(req)
        if body.get("notifications") is not None:
            workspace["notifications"] = self._notifications(body["notifications"], workspace["notifications"])
        if body.get("regionId") is not None:   # WorkspaceUpdateRequest has regionId (airbyte.md 3.2.4, 5.7)
            workspace["regionId"] = self._region(body["regionId"])["regionId"]
        if body.get("name") is not None:
            workspace["name"] = body["name"]
        return Response(200, self._workspace_view(workspace))

    def _delete_workspace(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_admin")
        workspace["deleted"] = True   # airbyte.md 5.7: a tombstone, listed with includeDeleted
        return Response(204)

    def _put_workspace_oauth(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_admin")
        body = self._body(req)
        self._oauth[("workspace", workspaceId, body["actorType"], body["name"])] = copy.deepcopy(body["configuration"])
        return Response(200)

    def _delete_workspace_oauth(self, req, workspaceId, actorType, name):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_admin")
        self._oauth.pop(("workspace", workspaceId, actorType, name), None)   # [INFERRED] 204 also when there was none
        return Response(204)

    # =============================================================================================
    # organizations, users
    # =============================================================================================
    def _list_organizations(self, req):
        data = [dict(o) for o in self._organizations.values() if self._member(req.user, o["organizationId"])]
        return Response(200, {"data": data})

    def _put_organization_oauth(self, req, organizationId):
        if organizationId not in self._organizations:
            raise not_found("organization", organizationId)
        self._require_organization(req, organizationId, "organization_admin")
        body = self._body(req)
        self._oauth[("organization", organizationId, body["actorType"], body["name"])] = copy.deepcopy(body["configuration"])
        return Response(200)

    def _delete_organization_oauth(self, req, organizationId, actorType, name):
        if organizationId not in self._organizations:
            raise not_found("organization", organizationId)
        self._require_organization(req, organizationId, "organization_admin")
        if actorType not in ("source", "destination"):
            raise bad_request("actorType must be source or destination")
        self._oauth.pop(("organization", organizationId, actorType, name), None)
        return Response(204)

    def _list_users(self, req):
        organization_id = req.query["organizationId"]
        if organization_id not in self._organizations:
            raise not_found("organization", organization_id)
        if not self._member(req.user, organization_id):
            raise forbidden("User %s is not a member of organization %s." % (req.user, organization_id))
        ids = set(self._ids(req, "ids"))
        emails = {e.lower() for e in self._ids(req, "emails")}
        data = [dict(u) for u in self._users.values() if self._member(u["id"], organization_id)
                and (not ids or u["id"] in ids) and (not emails or u["email"].lower() in emails)]
        return Response(200, {"data": data})

    # =============================================================================================
    # permissions (airbyte.md 5.8)
    # =============================================================================================
    def _permission_view(self, perm):
        view = {"permissionId": perm["permissionId"], "permissionType": perm["permissionType"], "userId": perm["userId"]}
        for key in ("workspaceId", "organizationId"):
            if perm.get(key):
                view[key] = perm[key]
        return view

    def _permission_read(self, perm):
        if perm.get("workspaceId"):
            scope, scope_id = "workspace", perm["workspaceId"]
        elif perm.get("organizationId"):
            scope, scope_id = "organization", perm["organizationId"]
        else:
            scope, scope_id = "none", str(uuid.UUID(int=0))
        return {"permissionId": perm["permissionId"], "permissionType": perm["permissionType"], "userId": perm["userId"],
                "scope": scope, "scopeId": scope_id}

    def _permission(self, permission_id):
        found = self._permissions.get(permission_id)
        if found is None:
            raise not_found("permission", permission_id)
        return found

    def _require_permission_admin(self, req, perm):
        if perm.get("workspaceId"):
            workspace = self._workspaces.get(perm["workspaceId"])
            if workspace is not None and self._workspace_rank(req.user, workspace) >= ROLE_RANK["workspace_admin"]:
                return
            organization_id = workspace["organizationId"] if workspace else None
        else:
            organization_id = perm.get("organizationId")
        self._require_organization(req, organization_id, "organization_admin")

    def _last_admin(self, perm):
        """True when ``perm`` is the only organization_admin of its organization."""
        if perm["permissionType"] != "organization_admin":
            return False
        return not any(p is not perm and p["permissionType"] == "organization_admin" and p.get("organizationId") == perm["organizationId"]
                       for p in self._permissions.values())

    def _create_permission(self, req):
        body = self._body(req)
        workspace_id, organization_id = body.get("workspaceId"), body.get("organizationId")
        if workspace_id and organization_id:
            raise bad_request("A permission cannot target both a workspace and an organization.")
        if not workspace_id and not organization_id:
            raise bad_request("Workspace ID or Organization ID must be provided in order to create a permission.")
        kind = body["permissionType"]
        if kind.startswith("workspace_") != bool(workspace_id):   # [INFERRED] the type must fit the scope
            raise bad_request("Permission type %s does not fit a %s." % (kind, "workspace" if workspace_id else "organization"))
        if body["userId"] not in self._users:
            raise not_found("user", body["userId"])
        perm = {"permissionType": kind, "userId": body["userId"]}
        if workspace_id:
            self._workspace(workspace_id)
            perm["workspaceId"] = workspace_id
        else:
            if organization_id not in self._organizations:
                raise not_found("organization", organization_id)
            perm["organizationId"] = organization_id
        self._require_permission_admin(req, perm)
        for existing in self._permissions.values():   # airbyte.md 5.8: an identical permission is returned, not duplicated
            if all(existing.get(k) == perm.get(k) for k in ("permissionType", "userId", "workspaceId", "organizationId")):
                return Response(200, self._permission_view(existing))
        perm["permissionId"] = str(uuid.uuid4())
        self._permissions[perm["permissionId"]] = perm
        return Response(200, self._permission_view(perm))

    def _get_permission(self, req, permissionId):
        perm = self._permission(permissionId)
        if perm["userId"] != req.user:
            self._require_permission_admin(req, perm)
        return Response(200, self._permission_view(perm))

    def _update_permission(self, req, permissionId):
        perm = self._permission(permissionId)
        self._require_permission_admin(req, perm)
        kind = self._body(req)["permissionType"]
        if kind.startswith("workspace_") != bool(perm.get("workspaceId")) and kind != "instance_admin":
            raise bad_request("Permission type %s does not fit the permission's scope." % kind)   # [INFERRED]
        if kind != perm["permissionType"] and self._last_admin(perm):
            raise state_conflict("Cannot demote the last organization admin.")   # airbyte.md 5.8; text [INFERRED]
        perm["permissionType"] = kind
        return Response(200, self._permission_view(perm))

    def _delete_permission(self, req, permissionId):
        perm = self._permission(permissionId)
        self._require_permission_admin(req, perm)
        if self._last_admin(perm):
            raise state_conflict("Cannot delete the last organization admin.")   # airbyte.md 5.8; text [INFERRED]
        del self._permissions[permissionId]
        return Response(204)

    def _list_permissions(self, req):
        user_id = req.query.get("userId") or req.user
        organization_id = req.query.get("organizationId")
        if user_id != req.user and not organization_id:
            raise bad_request("Organization ID is required when getting someone else's permissions.")
        if organization_id:
            if organization_id not in self._organizations:
                raise not_found("organization", organization_id)
            if user_id != req.user:
                self._require_organization(req, organization_id, "organization_admin")

        def in_scope(perm):
            if not organization_id:
                return True
            if perm.get("organizationId"):
                return perm["organizationId"] == organization_id
            workspace = self._workspaces.get(perm.get("workspaceId"))
            return workspace is not None and workspace["organizationId"] == organization_id

        data = [self._permission_read(p) for p in self._permissions.values() if p["userId"] == user_id and in_scope(p)]
        return Response(200, {"data": data})

    # =============================================================================================
    # tags (airbyte.md 5.9)
    # =============================================================================================
    def _tag_view(self, tag):
        return {"tagId": tag["tagId"], "name": tag["name"], "color": tag["color"], "workspaceId": tag["workspaceId"]}

    def _tag(self, tag_id):
        found = self._tags.get(tag_id)
        if found is None:
            raise not_found("tag", tag_id)
        return found

    def _check_tag(self, workspace_id, name, color, tag_id=None):
        if not HEX_COLOR.fullmatch(color):
            raise problem(400, "Invalid hex color", "error:tag-invalid-hex-color", "The color is not a valid hex color.",
                          {"message": "Invalid hex color: %s" % color})
        if len(name) > TAG_NAME_MAX:
            raise problem(400, "Tag name too long", "error:tag-name-too-long", "The tag name is longer than 30 characters.",
                          {"message": "Tag name too long: %s" % name})
        siblings = [t for t in self._tags.values() if t["workspaceId"] == workspace_id and t["tagId"] != tag_id]
        if any(t["name"] == name for t in siblings):
            raise problem(409, "Tag already exists", "error:tag-already-exists", "A tag with this name already exists.",
                          {"message": "A tag named %s already exists in workspace %s." % (name, workspace_id)})
        if tag_id is None and len(siblings) >= TAG_LIMIT_PER_WORKSPACE:
            raise problem(400, "Tag limit for workspace reached", "error:tag-limit-for-workspace-reached",
                          "The workspace has reached its tag limit.")

    def _list_tags(self, req):
        chosen = self._readable_workspaces(req, self._ids(req, "workspaceIds"), False)
        return Response(200, {"data": [self._tag_view(t) for t in self._tags.values() if t["workspaceId"] in chosen]})

    def _create_tag(self, req):
        body = self._body(req)
        workspace = self._workspace(body["workspaceId"])
        self._require(req, workspace, "workspace_editor")
        self._check_tag(workspace["workspaceId"], body["name"], body["color"])
        tag = {"tagId": str(uuid.uuid4()), "name": body["name"], "color": body["color"], "workspaceId": workspace["workspaceId"]}
        self._tags[tag["tagId"]] = tag
        return Response(200, self._tag_view(tag))

    def _get_tag(self, req, tagId):
        tag = self._tag(tagId)
        self._require(req, self._workspaces[tag["workspaceId"]], "workspace_reader")
        return Response(200, self._tag_view(tag))

    def _update_tag(self, req, tagId):
        tag = self._tag(tagId)
        self._require(req, self._workspaces[tag["workspaceId"]], "workspace_editor")
        body = self._body(req)
        self._check_tag(tag["workspaceId"], body["name"], body["color"], tag_id=tagId)
        tag.update(name=body["name"], color=body["color"])
        return Response(200, self._tag_view(tag))

    def _delete_tag(self, req, tagId):
        tag = self._tag(tagId)
        self._require(req, self._workspaces[tag["workspaceId"]], "workspace_editor")
        del self._tags[tagId]
        for connection in self._connections.values():
            connection["tagIds"] = [t for t in connection["tagIds"] if t != tagId]
        return Response(204)

    # =============================================================================================
    # definitions (airbyte.md 5.10)
    # =============================================================================================
    def _definition_view(self, definition):
        view = {"id": definition["id"], "name": definition.get("displayName") or definition["name"],
                "dockerRepository": definition["dockerRepository"], "dockerImageTag": definition["dockerImageTag"]}
        if definition.get("documentationUrl"):
            view["documentationUrl"] = definition["documentationUrl"]
        return view

    def _visible_definitions(self, kind, workspace_id):
        """The seeded (global) definitions plus the workspace's custom and declarative ones [INFERRED]."""
        return [d for d in self._definitions[kind].values()
                if not d["deleted"] and (d["workspaceId"] is None or d["workspaceId"] == workspace_id)]

    def _definition(self, kind, workspace_id, definition_id):
        found = self._definitions[kind].get(definition_id)
        if found is None or found["deleted"] or found["workspaceId"] not in (None, workspace_id):
            raise not_found(kind + "_definition", definition_id)
        return found

    def _custom_definition(self, kind, workspace_id, definition_id):
        found = self._definition(kind, workspace_id, definition_id)
        if not found["custom"] or found.get("declarative"):
            raise forbidden("Definition %s is not a custom definition of workspace %s." % (definition_id, workspace_id))   # [INFERRED]
        return found

    def _list_definitions(self, req, kind, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_reader")
        return Response(200, {"data": [self._definition_view(d) for d in self._visible_definitions(kind, workspaceId)]})

    def _create_definition(self, req, kind, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        body = self._body(req)
        definition = {"id": str(uuid.uuid4()), "name": body["name"], "displayName": body["name"],
                      "dockerRepository": body["dockerRepository"], "dockerImageTag": body["dockerImageTag"],
                      "documentationUrl": body.get("documentationUrl"), "spec": None, "secretPaths": [], "streams": [],
                      "destinationSyncModes": list(ALL_DESTINATION_SYNC_MODES[:3]), "custom": True, "workspaceId": workspaceId,
                      "deleted": False}   # [INFERRED] a custom connector's spec is unknown: any configuration, no streams
        self._definitions[kind][definition["id"]] = definition
        return Response(200, self._definition_view(definition))

    def _get_definition(self, req, kind, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_reader")
        return Response(200, self._definition_view(self._definition(kind, workspaceId, definitionId)))

    def _update_definition(self, req, kind, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        definition = self._custom_definition(kind, workspaceId, definitionId)
        body = self._body(req)
        definition.update(name=body["name"], displayName=body["name"], dockerImageTag=body["dockerImageTag"])
        return Response(200, self._definition_view(definition))

    def _delete_definition(self, req, kind, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        definition = self._custom_definition(kind, workspaceId, definitionId)
        definition["deleted"] = True
        return Response(200, self._definition_view(definition))

    # ----- declarative source definitions -----------------------------------------------------------
    def _declarative_view(self, definition):
        return {"id": definition["id"], "name": definition["name"], "manifest": copy.deepcopy(definition["manifest"]),
                "version": definition["version"]}

    def _declarative_definition(self, workspace_id, definition_id):
        found = self._declarative.get(definition_id)
        if found is None or found["workspaceId"] != workspace_id or found["deleted"]:
            raise not_found("declarative_source_definition", definition_id)
        return found

    @staticmethod
    def _manifest_catalog(manifest):
        """Streams of a low-code manifest [INFERRED]: name, primary_key, incremental when it has incremental_sync."""
        streams = []
        for entry in manifest.get("streams") or []:
            if not isinstance(entry, dict) or not entry.get("name"):
                continue
            key = entry.get("primary_key") or []
            key = [[key]] if isinstance(key, str) else [[k] if isinstance(k, str) else list(k) for k in key]
            cursor = (entry.get("incremental_sync") or {}).get("cursor_field")
            fields = [k[0] for k in key if k] + ([cursor] if cursor else [])
            streams.append(stream(entry["name"], fields or ["id"], sync_modes=["full_refresh", "incremental"] if cursor else ["full_refresh"],
                                  cursor=[cursor] if cursor else None, source_defined_cursor=bool(cursor), primary_key=key))
        return streams

    def _apply_manifest(self, definition, manifest):
        spec = ((manifest.get("spec") or {}).get("connection_specification")) if isinstance(manifest, dict) else None
        definition.update(manifest=copy.deepcopy(manifest), spec=spec if isinstance(spec, dict) else None,
                          streams=self._manifest_catalog(manifest))
        definition["secretPaths"] = secret_paths(definition["spec"])
        source_definition = self._definitions["source"][definition["id"]]
        source_definition.update(spec=definition["spec"], secretPaths=definition["secretPaths"], streams=definition["streams"],
                                 dockerImageTag=str(definition["version"]))

    def _list_declarative(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_reader")
        return Response(200, {"data": [self._declarative_view(d) for d in self._declarative.values()
                                       if d["workspaceId"] == workspaceId and not d["deleted"]]})

    def _create_declarative(self, req, workspaceId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        body = self._body(req)
        definition = {"id": str(uuid.uuid4()), "name": body["name"], "version": 1, "workspaceId": workspaceId, "deleted": False}
        # a declarative definition is also a (custom) source definition sources can use [INFERRED]
        self._definitions["source"][definition["id"]] = {
            "id": definition["id"], "name": body["name"], "displayName": body["name"],
            "dockerRepository": "airbyte/source-declarative-manifest", "dockerImageTag": "1", "custom": True, "declarative": True,
            "workspaceId": workspaceId, "deleted": False}
        self._declarative[definition["id"]] = definition
        self._apply_manifest(definition, body["manifest"])
        return Response(200, self._declarative_view(definition))

    def _get_declarative(self, req, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_reader")
        return Response(200, self._declarative_view(self._declarative_definition(workspaceId, definitionId)))

    def _update_declarative(self, req, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        definition = self._declarative_definition(workspaceId, definitionId)
        definition["version"] += 1   # airbyte.md 5.10: a PUT makes a new version
        self._apply_manifest(definition, self._body(req)["manifest"])
        return Response(200, self._declarative_view(definition))

    def _delete_declarative(self, req, workspaceId, definitionId):
        workspace = self._workspace(workspaceId)
        self._require(req, workspace, "workspace_editor")
        definition = self._declarative_definition(workspaceId, definitionId)
        definition["deleted"] = True
        self._definitions["source"][definitionId]["deleted"] = True
        return Response(200, self._declarative_view(definition))

    # =============================================================================================
    # sources and destinations (airbyte.md 5.1-5.3)
    # =============================================================================================
    def _actor(self, kind, actor_id):
        found = self._actors[kind].get(actor_id)
        if found is None or found["deleted"]:   # airbyte.md 8.1: the emulator's choice, GET of a deleted one is 404
            raise not_found(kind, actor_id)
        return found

    def _actor_definition(self, kind, actor):
        return self._definitions[kind][actor["definitionId"]]

    def _actor_view(self, kind, actor, coordinates=False):
        definition = self._actor_definition(kind, actor)
        config = copy.deepcopy(actor["configuration"])
        for path in definition.get("secretPaths") or []:   # airbyte.md 5.2: every secret masked on every read
            found, _value = dig(config, path)
            if found:
                put(config, path, self._coordinate(actor, path) if coordinates else SECRET_MASK)
        view = {kind + "Id": actor["id"], "name": actor["name"],
                # airbyte.md 5.1: the name of the seeded table, "" for custom and declarative connectors
                kind + "Type": "" if definition.get("custom") else definition["name"],
                "definitionId": actor["definitionId"], "workspaceId": actor["workspaceId"], "configuration": config,
                "createdAt": actor["createdAt"]}
        if actor.get("resourceAllocation") is not None:
            view["resourceAllocation"] = copy.deepcopy(actor["resourceAllocation"])
        return view

    def _coordinate(self, actor, path):
        """airbyte.md 5.2, 8.10: includeSecretCoordinates shows a coordinate whose version grows with each new value [INFERRED]."""
        handle = uuid.uuid5(ID_NAMESPACE, "%s/%s" % (actor["id"], path))
        return "%sairbyte_workspace_%s_secret_%s_v%d" % (SECRET_COORDINATE, actor["workspaceId"], handle,
                                                         actor["secretVersions"].get(path, 1))

    def _bump_secrets(self, actor, definition, before):
        for path in definition.get("secretPaths") or []:
            if dig(before, path) != dig(actor["configuration"], path) and dig(actor["configuration"], path)[0]:
                actor["secretVersions"][path] = actor["secretVersions"].get(path, 0) + 1

    def _validate_configuration(self, definition, config):
        """airbyte.md 5.3, 6.3: the configuration against the connector spec -> 422 with the validator's message."""
        if not isinstance(config, dict):
            raise unprocessable("json schema validation failed when comparing the data to the json schema. \nErrors: "
                                "$: object expected")
        spec = definition.get("spec")
        if not spec:
            return
        errors = sorted(jsonschema.Draft7Validator(spec).iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
        if not errors:
            return
        lines = []
        for error in errors:
            where = "$" + "".join("." + str(p) for p in error.absolute_path)
            if error.validator == "required":
                missing = re.match(r"'([^']+)' is a required property", error.message)
                lines.append("%s.%s: is missing but it is required" % (where, missing.group(1) if missing else "?"))
            else:
                lines.append("%s: %s" % (where, error.message))
        # [INFERRED] wording modelled on the networknt validator's messages
        raise unprocessable("json schema validation failed when comparing the data to the json schema. \nErrors: " + ", ".join(lines))

    def _resolve_definition(self, kind, body, workspace_id):
        """airbyte.md 5.1: definitionId wins; else configuration.<kind>Type found anywhere in the tree, mapped through
        the seeded name table (unknown name 400 value-not-found; neither 422)."""
        if body.get("definitionId"):
            return self._definition(kind, workspace_id, body["definitionId"])
        name = find_value(body.get("configuration"), kind + "Type")
        name = name if name is None or isinstance(name, str) else json.dumps(name).replace('"', "")   # JsonNode.toString
        if name is None:
            raise unprocessable()   # SourcesController/DestinationsController: UnprocessableEntityProblem() without data
        for definition in self._definitions[kind].values():
            if not definition["custom"] and not definition["deleted"] and definition["name"] == name:
                return definition
        raise unknown_value(name)

    @staticmethod
    def _strip_type(kind, config):
        """airbyte.md 5.1: the top-level sourceType/destinationType is removed before storing (create, PATCH, PUT)."""
        if isinstance(config, dict):
            config = {k: v for k, v in config.items() if k != kind + "Type"}
        return config

    def _list_sources(self, req):
        return self._list_actors(req, "source")

    def _list_destinations(self, req):
        return self._list_actors(req, "destination")

    def _list_actors(self, req, kind):
        include_deleted = self._flag(req, "includeDeleted")
        ids = self._ids(req, "workspaceIds")
        chosen = self._readable_workspaces(req, ids, include_deleted)
        items = [self._actor_view(kind, a) for a in self._actors[kind].values()
                 if a["workspaceId"] in chosen and (include_deleted or not a["deleted"])]
        return Response(200, self._page(req, items, kind + "s", [("includeDeleted", str(include_deleted).lower()),
                                                                 ("workspaceIds", ",".join(ids) or None)]))

    def _create_source(self, req):
        return self._create_actor(req, "source")

    def _create_destination(self, req):
        return self._create_actor(req, "destination")

    def _create_actor(self, req, kind):
        body = self._body(req)
        workspace = self._workspace(body["workspaceId"])
        self._require(req, workspace, "workspace_editor")
        definition = self._resolve_definition(kind, body, workspace["workspaceId"])
        config = self._strip_type(kind, body["configuration"])
        self._validate_configuration(definition, config)
        actor = {"id": str(uuid.uuid4()), "name": body["name"], "workspaceId": workspace["workspaceId"],
                 "definitionId": definition["id"], "configuration": copy.deepcopy(config), "createdAt": self._now(),
                 "resourceAllocation": copy.deepcopy(body.get("resourceAllocation")), "deleted": False, "secretVersions": {},
                 # [INFERRED] the OAuth secret the id stands for is not emulated: the id is kept, never shown (airbyte.md 3.2.2)
                 "secretId": body.get("secretId")}
        self._bump_secrets(actor, definition, {})
        self._actors[kind][actor["id"]] = actor
        return Response(200, self._actor_view(kind, actor))

    def _get_actor(self, req, kind, **ids):
        actor = self._actor(kind, ids[kind + "Id"])
        self._require(req, self._workspaces[actor["workspaceId"]], "workspace_reader")
        return Response(200, self._actor_view(kind, actor, coordinates=self._flag(req, "includeSecretCoordinates")))

    def _patch_actor(self, req, kind, **ids):
        """airbyte.md 5.3: deep merge; "**********" is not special here, it is stored as sent; workspaceId ignored."""
        actor = self._actor(kind, ids[kind + "Id"])
        self._require(req, self._workspaces[actor["workspaceId"]], "workspace_editor")
        body = self._body(req)
        definition = self._actor_definition(kind, actor)
        config = actor["configuration"]
        if body.get("configuration") is not None:
            config = deep_merge(config, self._strip_type(kind, body["configuration"]))
            self._validate_configuration(definition, config)
        before = actor["configuration"]
        actor["configuration"] = config
        if body.get("name") is not None:
            actor["name"] = body["name"]
        if body.get("resourceAllocation") is not None:
            actor["resourceAllocation"] = copy.deepcopy(body["resourceAllocation"])
        if body.get("secretId") is not None:   # SourcePatchRequest has it (airbyte.md 3.2.2) [INFERRED: kept as on create]
            actor["secretId"] = body["secretId"]
        self._bump_secrets(actor, definition, before)
        return Response(200, self._actor_view(kind, actor))

    def _put_actor(self, req, kind, **ids):
        """airbyte.md 5.3: full replacement, except that a secret sent as "**********" keeps the stored value."""
        actor = self._actor(kind, ids[kind + "Id"])
        self._require(req, self._workspaces[actor["workspaceId"]], "workspace_editor")
        body = self._body(req)
        definition = self._actor_definition(kind, actor)
        config = copy.deepcopy(self._strip_type(kind, body["configuration"]))
        for path in definition.get("secretPaths") or []:
            found, value = dig(config, path)
            stored_found, stored = dig(actor["configuration"], path)
            if found and value == SECRET_MASK and stored_found:
                put(config, path, copy.deepcopy(stored))
        self._validate_configuration(definition, config)
        before = actor["configuration"]
        actor.update(name=body["name"], configuration=config, resourceAllocation=copy.deepcopy(body.get("resourceAllocation")))
        self._bump_secrets(actor, definition, before)
        return Response(200, self._actor_view(kind, actor))

    def _delete_actor(self, req, kind, **ids):
        """airbyte.md 5.3: a soft delete; the connections using it are deleted too."""
        actor = self._actor(kind, ids[kind + "Id"])
        self._require(req, self._workspaces[actor["workspaceId"]], "workspace_editor")
        actor["deleted"] = True
        for connection in self._connections.values():
            if connection[kind + "Id"] == actor["id"] and connection["status"] != "deprecated":
                self._deprecate(connection)
        return Response(204)

    def _initiate_oauth(self, req):
        workspace = self._workspace(self._body(req)["workspaceId"])
        self._require(req, workspace, "workspace_editor")
        return Response(501)   # airbyte.md 6.3: not implemented on OSS, empty body

    # =============================================================================================
    # catalogs and stream properties
    # =============================================================================================
    def _catalog(self, source):
        """The discovered catalog of a source (its definition's streams; "{key}" in a name is taken from the config)."""
        config = source["configuration"]
        catalog = []
        for entry in self._actor_definition("source", source).get("streams") or []:
            entry = copy.deepcopy(entry)
            entry["name"] = re.sub(r"\{(\w+)\}", lambda m: str(config.get(m.group(1)) or m.group(1)), entry["name"])
            catalog.append(entry)
        return catalog

    def _destination_modes(self, destination):
        if destination is None:
            return list(ALL_DESTINATION_SYNC_MODES)
        return list(self._actor_definition("destination", destination).get("destinationSyncModes") or ALL_DESTINATION_SYNC_MODES[:2])

    @staticmethod
    def _combined_modes(entry, destination_modes):
        """The connection sync modes a stream allows with a destination, in the enum's order (AirbyteCatalogHelper)."""
        pairs = {COMBINED_SYNC_MODES[(s, d)] for s in entry["syncModes"] for d in destination_modes if (s, d) in COMBINED_SYNC_MODES}
        return [mode for mode in COMBINED_SYNC_MODES.values() if mode in pairs]

    def _stream_properties(self, req):
        source = self._actor("source", req.query["sourceId"])
        self._require(req, self._workspaces[source["workspaceId"]], "workspace_reader")
        destination = None
        if req.query.get("destinationId"):
            destination = self._actor("destination", req.query["destinationId"])
            self._require(req, self._workspaces[destination["workspaceId"]], "workspace_reader")
        modes = self._destination_modes(destination)   # [INFERRED] without a destination: every destination sync mode
        data = []
        for entry in self._catalog(source):
            item = {"streamName": entry["name"], "syncModes": self._combined_modes(entry, modes),
                    "defaultCursorField": list(entry["defaultCursorField"]), "sourceDefinedCursorField": bool(entry["sourceDefinedCursor"]),
                    "sourceDefinedPrimaryKey": copy.deepcopy(entry["sourceDefinedPrimaryKey"]),
                    "propertyFields": property_fields(entry["fields"])}
            if entry.get("namespace"):
                item["streamnamespace"] = entry["namespace"]
            data.append(item)
        return Response(200, data)

    # =============================================================================================
    # connections (airbyte.md 5.5; stream rules and messages from AirbyteCatalogHelper.kt)
    # =============================================================================================
    def _connection(self, connection_id):
        found = self._connections.get(connection_id)
        if found is None:
            raise not_found("connection", connection_id)
        return found

    def _connection_view(self, connection):
        schedule = {"scheduleType": connection["schedule"]["scheduleType"]}
        if connection["schedule"].get("cronExpression"):
            schedule["cronExpression"] = connection["schedule"]["cronExpression"] + " UTC"   # airbyte.md 5.5
        view = {"connectionId": connection["connectionId"], "name": connection["name"], "sourceId": connection["sourceId"],
                "destinationId": connection["destinationId"], "workspaceId": connection["workspaceId"], "status": connection["status"],
                "schedule": schedule, "configurations": {"streams": copy.deepcopy(connection["streams"])},
                "nonBreakingSchemaUpdatesBehavior": connection["nonBreakingSchemaUpdatesBehavior"],
                "namespaceDefinition": connection["namespaceDefinition"], "prefix": connection["prefix"],
                "createdAt": connection["createdAt"],
                "tags": [self._tag_view(self._tags[t]) for t in connection["tagIds"] if t in self._tags]}
        if connection.get("namespaceFormat") is not None:
            view["namespaceFormat"] = connection["namespaceFormat"]
        if connection.get("statusReason"):
            view["statusReason"] = connection["statusReason"]
        return view

    @staticmethod
    def _schedule(schedule):
        """airbyte.md 5.5 (validateCronConfiguration): Quartz, 6 or 7 fields, seconds and minutes numbers, UTC only."""
        if schedule is None:
            return {"scheduleType": "manual"}
        if schedule["scheduleType"] != "cron":
            return {"scheduleType": schedule["scheduleType"]}
        original = schedule.get("cronExpression")
        if original is None:
            raise bad_request("Missing cron expression in the schedule.")
        expression = original.replace("UTC", "").strip() if original.endswith("UTC") else original
        problem_text = cron_problem(expression)
        if problem_text:
            raise bad_request("The cron expression %s is not valid. Error: %s. Please check the cron expression format at "
                              "https://www.quartz-scheduler.org/documentation/quartz-2.3.0/tutorials/crontrigger.html"
                              % (original, problem_text))
        fields = expression.split()
        if not fields[0].isdigit() or not fields[1].isdigit():
            raise bad_request("The cron expression %s is not valid or is less than the one hour minimum. The seconds and minutes "
                              "values cannot be `*`." % original)
        return {"scheduleType": "cron", "cronExpression": " ".join(fields)}

    def _tag_ids(self, tags, workspace_id):
        ids = []
        for tag in tags or []:
            found = self._tag(tag["tagId"])
            if found["workspaceId"] != workspace_id:
                raise bad_request("Tag %s does not belong to workspace %s." % (tag["tagId"], workspace_id))   # [INFERRED]
            if found["tagId"] not in ids:
                ids.append(found["tagId"])
        return ids

    def _configure_streams(self, catalog, configurations, destination_modes):
        """AirbyteCatalogHelper.validateStreams + validateStreamConfig + updateAirbyteStreamConfiguration; catalog order."""
        valid = [entry["name"] for entry in catalog]
        seen = set()
        for item in configurations:
            if item["name"] not in valid:
                raise bad_request("Invalid stream found. The list of valid streams include: %s." % kotlin(valid))
            if item["name"] in seen:
                raise bad_request("Duplicate stream found in configuration for: %s." % item["name"])
            seen.add(item["name"])
        given = {item["name"]: item for item in configurations}
        result = []
        for entry in catalog:
            item = given.get(entry["name"])
            if item is not None:
                self._validate_stream(item, entry, destination_modes)
                result.append(self._stream_config(entry, item))
        return result

    def _validate_stream(self, item, entry, destination_modes):
        name = entry["name"]
        mode = item.get("syncMode")
        fields = property_fields(entry["fields"])
        selected = item.get("selectedFields")
        if selected is not None:
            top = top_level_fields(entry["fields"])
            if not selected:
                raise bad_request("No fields selected for stream %s. The list of valid field names includes: %s." % (name, kotlin(top)))
            chosen = []
            for field in selected:
                path = field.get("fieldPath") or []
                if not path:
                    raise bad_request("Selected field path cannot be empty for stream:  %s." % name)
                if len(path) > 1:
                    raise bad_request("Nested field selection not supported for stream %s." % name)
                chosen.append(path[0])
            if len(set(chosen)) != len(chosen):
                raise bad_request("Duplicate fields selected in configuration for stream: %s." % name)
            if any(c not in top for c in chosen):
                raise bad_request("Invalid fields selected for stream %s. The list of valid field names includes: %s." % (name, kotlin(top)))
            if mode in DEDUP_MODES and any(k and k[0] not in chosen for k in self._select_primary_key(entry, item) or []):
                raise bad_request("Primary key fields are not selected properly for stream: %s. Please include primary key(s) in the "
                                  "configuration for this stream." % name)
            cursor = self._select_cursor(entry, item)
            if mode in INCREMENTAL_MODES and cursor and cursor[0] not in chosen:
                raise bad_request("Cursor field is not selected properly for stream: %s. Please include the cursor field in selected "
                                  "fields for this stream." % name)
        if mode is None:
            return
        allowed = self._combined_modes(entry, destination_modes)
        if mode not in allowed:
            raise bad_request("Cannot set sync mode to %s for stream %s. Valid sync modes are: %s" % (mode, name, kotlin(allowed)))
        if mode in INCREMENTAL_MODES:
            cursor = item.get("cursorField")
            if entry["sourceDefinedCursor"]:
                if cursor and set(cursor) != set(entry["defaultCursorField"]):
                    raise bad_request("Cursor Field %s is already defined by source for stream: %s. Do not include a cursor field "
                                      "configuration for this stream." % (kotlin(cursor), name))
            elif cursor:
                if list(cursor) not in fields:
                    raise bad_request("Invalid cursor field for stream: %s. The list of valid cursor fields include: %s." % (name, kotlin(fields)))
            elif not entry["defaultCursorField"]:
                raise bad_request("No default cursor field for stream: %s. Please include a cursor field configuration for this stream." % name)
        if mode == "incremental_deduped_history":
            key = item.get("primaryKey")
            defined = entry["sourceDefinedPrimaryKey"]
            if defined and key and defined != key:
                raise bad_request("Primary key for stream: %s is already pre-defined. Please remove the primaryKey or provide the value "
                                  "as %s." % (name, kotlin(defined)))
            if not defined and not key:
                raise bad_request("No default primary key for stream: %s. Please include a primary key configuration for this stream." % name)
            for part in key or []:
                if list(part) not in fields:
                    raise bad_request("Invalid cursor field for stream: %s. The list of valid primary keys fields: %s." % (name, kotlin(fields)))
                if len(set(part)) != len(part):
                    raise bad_request("Duplicate primary key detected for stream: %s, please don't provide the same column more than once. "
                                      "Key: %s" % (name, kotlin(key)))

    @staticmethod
    def _select_cursor(entry, item):
        if entry["sourceDefinedCursor"]:
            return entry["defaultCursorField"]
        return item.get("cursorField") or entry["defaultCursorField"]

    @staticmethod
    def _select_primary_key(entry, item):
        return entry["sourceDefinedPrimaryKey"] or item.get("primaryKey")

    def _stream_config(self, entry, item=None):
        """The stored (= answered) configuration of one stream; without ``item`` the create default of every stream
        (full_refresh_overwrite, the default cursor, no primary key: updateConfigDefaultFullRefreshOverwrite)."""
        mode = (item or {}).get("syncMode")
        cursor, key = entry["defaultCursorField"], entry["sourceDefinedPrimaryKey"]
        if item is None or mode not in ("full_refresh_append", "full_refresh_overwrite_deduped", "incremental_append",
                                        "incremental_deduped_history"):
            mode = "full_refresh_overwrite"
            if item is None:
                key = None
        elif mode in INCREMENTAL_MODES:
            cursor, key = self._select_cursor(entry, item), self._select_primary_key(entry, item)
        elif mode == "full_refresh_overwrite_deduped":
            key = self._select_primary_key(entry, item)
        config = {"name": entry["name"], "syncMode": mode}
        if entry.get("namespace"):
            config["namespace"] = entry["namespace"]
        if cursor:
            config["cursorField"] = list(cursor)
        if key:
            config["primaryKey"] = copy.deepcopy(key)
        for name in ("selectedFields", "mappers", "includeFiles", "destinationObjectName"):
            if item is not None and item.get(name) is not None:
                config[name] = copy.deepcopy(item[name])
        if "selectedFields" in config:
            config["selectedFields"] = [{"fieldPath": list(f.get("fieldPath") or [])} for f in config["selectedFields"]]
        return config

    def _list_connections(self, req):
        include_deleted = self._flag(req, "includeDeleted")
        ids = self._ids(req, "workspaceIds")
        chosen = self._readable_workspaces(req, ids, include_deleted)
        tag_ids = set(self._ids(req, "tagIds"))
        items = [self._connection_view(c) for c in self._connections.values()
                 if c["workspaceId"] in chosen and (include_deleted or c["status"] != "deprecated")
                 and (not tag_ids or tag_ids & set(c["tagIds"]))]   # [INFERRED] any of the tags
        # airbyte.md 4: tagIds are not echoed into the links
        return Response(200, self._page(req, items, "connections", [("includeDeleted", str(include_deleted).lower()),
                                                                    ("workspaceIds", ",".join(ids) or None)]))

    def _create_connection(self, req):
        body = self._body(req)
        schedule = self._schedule(body.get("schedule"))
        destination = self._actor("destination", body["destinationId"])
        workspace = self._workspaces[destination["workspaceId"]]   # airbyte.md 5.5: the workspace of the destination
        self._require(req, workspace, "workspace_editor")
        source = self._actor("source", body["sourceId"])
        catalog = self._catalog(source)
        streams = (body.get("configurations") or {}).get("streams")
        if streams:
            configured = self._configure_streams(catalog, streams, self._destination_modes(destination))
        else:   # airbyte.md 5.5: every discovered stream, full_refresh_overwrite
            configured = [self._stream_config(entry) for entry in catalog]
        connection = {
            "connectionId": str(uuid.uuid4()),
            "name": body.get("name") or "%s <> %s" % (source["name"], destination["name"]),   # airbyte.md 5.5 default name
            "sourceId": source["id"], "destinationId": destination["id"], "workspaceId": workspace["workspaceId"],
            "status": body.get("status") or "active", "schedule": schedule, "streams": configured,
            "namespaceDefinition": body.get("namespaceDefinition") or "destination",
            "namespaceFormat": body.get("namespaceFormat"), "prefix": body.get("prefix") or "",
            "nonBreakingSchemaUpdatesBehavior": body.get("nonBreakingSchemaUpdatesBehavior") or "ignore",
            "tagIds": self._tag_ids(body.get("tags"), workspace["workspaceId"]), "createdAt": self._now(),
        }
        self._connections[connection["connectionId"]] = connection
        return Response(200, self._connection_view(connection))

    def _get_connection(self, req, connectionId):
        connection = self._connection(connectionId)
        self._require(req, self._workspaces[connection["workspaceId"]], "workspace_reader")
        return Response(200, self._connection_view(connection))

    def _patch_connection(self, req, connectionId):
        """airbyte.md 5.5: only the fields given change; streams given (non-empty) replace the whole catalog."""
        connection = self._connection(connectionId)
        self._require(req, self._workspaces[connection["workspaceId"]], "workspace_editor")
        body = self._body(req)
        schedule = self._schedule(body["schedule"]) if body.get("schedule") is not None else None
        if connection["status"] == "locked":
            raise problem(409, "Connection is locked", "error:connection/locked", "This connection is locked and cannot be modified.",
                          {"connectionId": connectionId, "statusReason": connection.get("statusReason") or ""})
        streams = (body.get("configurations") or {}).get("streams")
        configured = None
        if streams:
            source = self._actors["source"][connection["sourceId"]]
            destination = self._actors["destination"][connection["destinationId"]]
            configured = self._configure_streams(self._catalog(source), streams, self._destination_modes(destination))
        tag_ids = self._tag_ids(body["tags"], connection["workspaceId"]) if body.get("tags") is not None else None
        if schedule is not None:
            connection["schedule"] = schedule
        if configured is not None:
            connection["streams"] = configured
        if tag_ids is not None:
            connection["tagIds"] = tag_ids
        for key in ("name", "namespaceDefinition", "namespaceFormat", "prefix", "nonBreakingSchemaUpdatesBehavior", "status"):
            if body.get(key) is not None:
                connection[key] = body[key]
        return Response(200, self._connection_view(connection))

    def _deprecate(self, connection):
        """A deleted connection: status deprecated, hidden from lists; its active jobs are cancelled [INFERRED]."""
        connection["status"] = "deprecated"
        for job in self._jobs.values():
            if job["connectionId"] == connection["connectionId"] and job["status"] in ACTIVE_JOB_STATUSES:
                job.update(status="cancelled", updated=self.clock.now().timestamp())

    def _delete_connection(self, req, connectionId):
        connection = self._connection(connectionId)
        self._require(req, self._workspaces[connection["workspaceId"]], "workspace_editor")
        if connection["status"] != "deprecated":
            self._deprecate(connection)
        return Response(204)   # [INFERRED] deleting a deleted connection again is 204 as well

    # =============================================================================================
    # jobs (airbyte.md 5.6), on the emulated clock
    # =============================================================================================
    def _tick(self):
        now = self.clock.now().timestamp()
        for job in sorted(self._jobs.values(), key=lambda j: j["jobId"]):
            if job["status"] == "pending" and now >= job["running_at"]:
                job.update(status="running", updated=job["running_at"])
                job["fail"] = self._take_failure(job)
            if job["status"] == "running" and now >= job["done_at"]:
                job.update(status="failed" if job["fail"] is not None else "succeeded", updated=job["done_at"])

    def _take_failure(self, job):
        for rule in self._failures:
            if rule["connection_id"] in (None, job["connectionId"]):
                self._failures.remove(rule)
                return rule["message"]
        return None

    def _job_view(self, job):
        view = {"jobId": job["jobId"], "status": job["status"], "jobType": job["jobType"], "startTime": java_time(job["created"]),
                "connectionId": job["connectionId"]}
        if job["status"] in TERMINAL_JOB_STATUSES:
            view["lastUpdatedAt"] = java_time(job["updated"])
        if job["status"] != "pending":
            view["duration"] = java_duration(int(job["updated"]) - int(job["created"]))
        if job["status"] == "succeeded" and job["jobType"] == "sync":
            view["rowsSynced"], view["bytesSynced"] = job["rows"], job["rows"] * 256   # [INFERRED] made-up volumes
        elif job["status"] == "succeeded":
            view["rowsSynced"], view["bytesSynced"] = 0, 0
        return view

    def _job(self, job_id):
        found = self._jobs.get(int(job_id))
        if found is None:
            raise not_found("job", job_id)
        return found

    def _create_job(self, req):
        body = self._body(req)
        connection = self._connection(body["connectionId"])
        job_type = body["jobType"]
        workspace = self._workspaces[connection["workspaceId"]]
        self._require(req, workspace, "workspace_editor" if job_type == "clear" else "workspace_runner")   # airbyte.md 5.6
        if job_type == "refresh":
            raise unprocessable("Refreshes are not supported in the public API")   # airbyte.md 5.6
        if connection["status"] == "deprecated":
            raise state_conflict("Connection %s is deprecated." % connection["connectionId"])   # [INFERRED]
        if any(j["connectionId"] == connection["connectionId"] and j["status"] in ACTIVE_JOB_STATUSES for j in self._jobs.values()):
            raise try_again_later("A sync is already running for: %s" % connection["connectionId"])   # airbyte.md 5.6
        now = self.clock.now().timestamp()
        seconds = float(self.job_seconds)
        job = {"jobId": next(self._job_ids), "connectionId": connection["connectionId"], "jobType": job_type, "status": "pending",
               "created": now, "updated": now, "running_at": now + seconds / 10.0, "done_at": now + seconds, "fail": None,
               "rows": 1000 * max(1, len(connection["streams"]))}
        self._jobs[job["jobId"]] = job
        return Response(200, self._job_view(job))

    def _get_job(self, req, jobId):
        job = self._job(jobId)
        self._require(req, self._workspaces[self._connections[job["connectionId"]]["workspaceId"]], "workspace_reader")
        return Response(200, self._job_view(job))

    def _cancel_job(self, req, jobId):
        job = self._job(jobId)
        self._require(req, self._workspaces[self._connections[job["connectionId"]]["workspaceId"]], "workspace_runner")
        if job["status"] not in ACTIVE_JOB_STATUSES:
            raise state_conflict("Job is not currently running")   # airbyte.md 5.6
        job.update(status="cancelled", updated=self.clock.now().timestamp())
        return Response(200, self._job_view(job))

    def _list_jobs(self, req):
        query = req.query
        order = query.get("orderBy", "createdAt|ASC")   # airbyte.md 4: default createdAt ASC
        match = ORDER_BY.fullmatch(order)
        if not match or match.group(1) not in ("createdAt", "updatedAt"):
            raise bad_request("Invalid order by clause provided: %s" % order)
        connection_id = query.get("connectionId")
        ids = self._ids(req, "workspaceIds")
        if connection_id:
            connection = self._connection(connection_id)
            self._require(req, self._workspaces[connection["workspaceId"]], "workspace_reader")
            chosen = {connection["workspaceId"]}
        else:
            chosen = self._readable_workspaces(req, ids, True)
        bounds = [(key, parse_datetime(query[name]).timestamp(), op) for name, key, op in (
            ("createdAtStart", "created", "ge"), ("createdAtEnd", "created", "le"),
            ("updatedAtStart", "updated", "ge"), ("updatedAtEnd", "updated", "le")) if query.get(name)]
        jobs = []
        for job in self._jobs.values():
            if self._connections[job["connectionId"]]["workspaceId"] not in chosen:
                continue
            if connection_id and job["connectionId"] != connection_id:
                continue
            if query.get("jobType") and job["jobType"] != query["jobType"]:
                continue
            if query.get("status") and job["status"] != query["status"]:
                continue
            if any((int(job[key]) < int(limit)) if op == "ge" else (int(job[key]) > int(limit)) for key, limit, op in bounds):
                continue
            jobs.append(job)
        key = "created" if match.group(1) == "createdAt" else "updated"
        jobs.sort(key=lambda j: (j[key], j["jobId"]), reverse=match.group(2) == "DESC")
        echo = [("jobType", query.get("jobType"))]
        echo.append(("connectionId", connection_id) if connection_id else ("workspaceIds", ",".join(ids) or None))   # JobsResponseMapper
        return Response(200, self._page(req, [self._job_view(j) for j in jobs], "jobs", echo))


# =================================================================================================
# cron (Quartz) syntax check, the part of cron-utils' QUARTZ definition the emulator needs
# =================================================================================================
CRON_FIELDS = (("seconds", 0, 59), ("minutes", 0, 59), ("hours", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12),
               ("day-of-week", 1, 7), ("year", 1970, 2099))
CRON_NAMES = {4: ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
              5: ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")}
CRON_SPECIALS = {3: re.compile(r"L(-\d+)?|LW|\d+W"), 5: re.compile(r"L|\d+L|\d+#\d")}


def _cron_value(text, index):
    names = CRON_NAMES.get(index, ())
    if text.upper() in names:
        return names.index(text.upper()) + 1
    return int(text) if text.isdigit() else None


def cron_problem(expression):
    """None for a valid Quartz expression (seconds first, 6 or 7 fields), else what is wrong with it: the checks
    of cron-utils' QUARTZ definition the emulator needs [INFERRED wording, except the field count message]."""
    fields = expression.split()
    if len(fields) not in (6, 7):
        return "Cron expression contains %d parts but we expect one of [6, 7]" % len(fields)
    for index, text in enumerate(fields):
        label, low, high = CRON_FIELDS[index]
        if text == "?":
            if index in (3, 5):
                continue
            return "Invalid chars in expression! Expression: ? Invalid chars: ? (only day-of-month and day-of-week take ?)"
        for part in text.split(","):
            if index in CRON_SPECIALS and CRON_SPECIALS[index].fullmatch(part.upper()):
                continue
            base, slash, step = part.partition("/")
            if slash and not step.isdigit():
                return "Invalid increment %r in the %s field" % (part, label)
            if base == "*" or (slash and base == ""):
                continue
            bounds = base.split("-")
            if len(bounds) > 2 or "" in bounds:
                return "Invalid chars in expression! Expression: %s" % text
            for bound in bounds:
                value = _cron_value(bound, index)
                if value is None:
                    return "Invalid chars in expression! Expression: %s Invalid chars: %s" % (text, bound.upper())
                if not low <= value <= high:
                    return "Value %d not in range [%d, %d]" % (value, low, high)
    if fields[3] != "?" and fields[5] != "?":
        return "Both, a day-of-week AND a day-of-month parameter, are not supported."
    if fields[3] == "?" and fields[5] == "?":
        return "A day-of-week or a day-of-month parameter must be given, not ? for both."
    return None


def main(argv=None):
    parser = sandbox_parser("Airbyte public API emulator (sandbox mode)", 8480, fixture=True)
    parser.add_argument("--token-lifetime", type=int, default=900, help="access token lifetime, emulated seconds")
    parser.add_argument("--job-seconds", type=float, default=30, help="emulated seconds a job stays pending + running")
    args = parser.parse_args(argv)
    emulator = AirbyteEmulator(host=args.host, port=args.port, speed=args.speed, fixture=load_fixture(args.fixture),
                               token_lifetime=args.token_lifetime, job_seconds=args.job_seconds).start()
    serve(emulator, "Airbyte public API emulator", [
        "server_url:     %s/v1  (or %s/api/public/v1)" % (emulator.url, emulator.url),
        "token_url:      %s/v1/applications/token" % emulator.url,
        "client_id:      %s" % emulator.client_id,
        "client_secret:  %s" % emulator.client_secret,
        "basic auth:     %s / %s" % (emulator.username, emulator.password),
        "workspace:      %s (%s)" % (emulator.workspace_id, emulator.get("workspace", emulator.workspace_id)["name"]),
        "speed:          %gx" % args.speed,
    ])


if __name__ == "__main__":
    main()
