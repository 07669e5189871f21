# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Airbyte emulator driven by Airbyte's own SDK (airbyte-api 1.0.1, unmodified) and by plain HTTP.

Every request and answer passes through the emulator's OpenAPI validation (specs/airbyte-openapi.yaml); each test
ends by checking that nothing failed it (``validation_errors == []``), tests that provoke a failure on purpose
clear the list themselves. The SDK's typed ``configuration`` is lossy (airbyte.md 5.4), so configurations are read
from ``raw_response.json()``; its DestinationResponse cannot even be parsed (below), so destination answers are read
from the ResponseValidationError's raw response. The emulated clock is stepped; nothing sleeps for long.
"""

from __future__ import annotations

import base64
import json
import pathlib
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import airbyte_api
import pytest
import requests
from airbyte_api import api, errors, models
from airbyte_api.utils import BackoffStrategy, RetryConfig

from airbyte_emulator import (DEFAULT_FIXTURE, DEFAULT_ORGANIZATION_ID, SECRET_MASK, AirbyteEmulator, cron_problem,
                              java_duration, java_time)

HERE = pathlib.Path(__file__).resolve().parent
PREFIXES = ("/v1", "/api/public/v1")
FAKER = "dfd88b22-b603-4c3d-aad7-3701784586b1"
POSTGRES_SOURCE = "decd338e-5647-4c0b-adf4-da0e75f5a750"
POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503"
PG_CONFIG = {"host": "db.example.com", "port": 5432, "database": "shop", "username": "airbyte", "password": "pg-secret"}
PG_DEST_CONFIG = {"host": "dw.example.com", "port": 5432, "database": "dw", "schema": "public", "username": "loader",
                  "password": "dw-secret"}


@pytest.fixture(autouse=True)
def no_validation_errors(ab):
    """Every test: no request or answer failed the OpenAPI validation (tests that provoke one clear the list)."""
    yield
    assert ab.validation_errors == []


# ==================================================================================================
# helpers
# ==================================================================================================
def sdk_client(ab, auth="client", prefix="/v1", token_url="absolute", credentials=None):
    """AirbyteAPI with client credentials (a fresh application unless given: the SDK caches tokens per process),
    a bearer token or basic auth."""
    if auth == "client":
        credentials = credentials or ab.create_application()
        scheme = {"client_id": credentials["client_id"], "client_secret": credentials["client_secret"]}
        if token_url == "absolute":
            scheme["token_url"] = ab.url + prefix + "/applications/token"
        elif token_url is not None:
            scheme["token_url"] = token_url
        security = models.Security(client_credentials=models.SchemeClientCredentials(**scheme))
    elif auth == "bearer":
        security = models.Security(bearer_auth=ab.issue_token())
    else:
        security = models.Security(basic_auth=models.SchemeBasicAuth(username=ab.username, password=ab.password))
    return airbyte_api.AirbyteAPI(security=security, server_url=ab.url + prefix)


class Http:
    """Plain HTTP against one API base, bearer token of the seed admin unless told otherwise."""

    def __init__(self, ab, prefix="/v1", token=None):
        self.ab = ab
        self.base = ab.url + prefix
        self.headers = {"Authorization": "Bearer " + (token or ab.issue_token())}

    def __call__(self, method, path, expected=None, **kwargs):
        headers = dict(self.headers, **kwargs.pop("headers", {}))
        answer = requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)
        if expected is not None:
            assert answer.status_code == expected, answer.text
        return answer


@pytest.fixture
def http(ab):
    return Http(ab)


def problem_of(answer, status, title, message=None):
    """The answer is a problem body (airbyte.md 6.1) with this status and title (and data.message)."""
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["status"] == status and body["title"] == title and body["type"] and "detail" in body, body
    if message is not None:
        assert body["data"]["message"] == message, body
    return body


def error_id_of(answer, status):
    """The answer is the framework's body of a request that does not fit: only an errorId (airbyte.md 6.1)."""
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert set(body) == {"errorId"} and uuid.UUID(body["errorId"]), body
    return body


def sdk_problem(caught, status, title):
    assert caught.value.status_code == status, caught.value.body
    body = json.loads(caught.value.body)
    assert body["title"] == title, body
    return body


def make_source(http, name="shop-db", config=None, definition=POSTGRES_SOURCE, workspace=None):
    body = {"name": name, "workspaceId": workspace or http.ab.workspace_id, "definitionId": definition,
            "configuration": dict(PG_CONFIG) if config is None else config}
    return http("POST", "/sources", 200, json=body).json()


def make_faker(http, name="fake", count=100):
    return make_source(http, name, {"count": count}, FAKER)


def make_destination(http, name="warehouse", config=None, definition=POSTGRES_DESTINATION):
    body = {"name": name, "workspaceId": http.ab.workspace_id, "definitionId": definition,
            "configuration": dict(PG_DEST_CONFIG) if config is None else config}
    return http("POST", "/destinations", 200, json=body).json()


def make_connection(http, source=None, destination=None, **extra):
    source = source or make_faker(http)
    destination = destination or make_destination(http)
    body = dict({"sourceId": source["sourceId"], "destinationId": destination["destinationId"]}, **extra)
    return http("POST", "/connections", 200, json=body).json()


def token_form(ab, **changes):
    return dict({"grant_type": "client_credentials", "client_id": ab.client_id, "client_secret": ab.client_secret}, **changes)


def post_token(ab, path="/v1/applications/token", **kwargs):
    return requests.post(ab.url + path, timeout=10, **kwargs)


def stream_modes(connection):
    return {s["name"]: s["syncMode"] for s in connection["configurations"]["streams"]}


# ==================================================================================================
# the SDK: authentication
# ==================================================================================================
@pytest.mark.parametrize("prefix", PREFIXES)
def test_sdk_client_credentials_with_an_absolute_token_url(ab, prefix):
    sdk = sdk_client(ab, prefix=prefix)
    first = sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest())
    assert [w.name for w in first.workspaces_response.data] == ["Default Workspace"]
    sdk.workspaces.get_workspace(request=api.GetWorkspaceRequest(workspace_id=ab.workspace_id))
    token_calls = [e for e in ab.log if e["path"].endswith("/applications/token")]
    assert [e["path"] for e in token_calls] == [prefix + "/applications/token"]   # fetched once, then cached (airbyte.md 2.1)
    # airbyte.md 2.1: form-encoded grant_type/client_id/client_secret; the secret stays out of the log
    assert token_calls[0]["body"]["grant_type"] == "client_credentials" and token_calls[0]["body"]["client_secret"] == "********"
    assert [e["authorization"] for e in ab.log[1:]] == ["Bearer", "Bearer"]
    assert ab.log[1]["query"] == {"includeDeleted": "false", "limit": "20", "offset": "0"}   # the SDK's defaults (airbyte.md 3)


def test_sdk_default_token_url_resolves_to_the_host_root(ab):
    sdk = sdk_client(ab, token_url=None)   # "/applications/token" joined to <url>/v1 drops the /v1 (airbyte.md 2.1)
    assert sdk.health.get_health_check().status_code == 200
    sdk.workspaces.get_workspace(request=api.GetWorkspaceRequest(workspace_id=ab.workspace_id))
    assert [e["path"] for e in ab.log] == ["/v1/health", "/applications/token", "/v1/workspaces/" + ab.workspace_id]
    assert ab.log[0]["authorization"] is None   # health needs no authentication


def test_sdk_bearer_and_basic_auth(ab):
    for auth, scheme in (("bearer", "Bearer"), ("basic", "Basic")):
        sdk = sdk_client(ab, auth=auth, prefix="/api/public/v1")
        answer = sdk.organizations.list_organizations_for_user()
        assert [o.organization_id for o in answer.organizations_response.data] == [DEFAULT_ORGANIZATION_ID]
        assert ab.log[-1]["authorization"] == scheme
    with pytest.raises(errors.SDKError) as caught:
        airbyte_api.AirbyteAPI(security=models.Security(basic_auth=models.SchemeBasicAuth(username="airbyte", password="nope")),
                               server_url=ab.url + "/v1").workspaces.list_workspaces(request=api.ListWorkspacesRequest())
    sdk_problem(caught, 401, "invalid-api-key")


def test_sdk_token_expiry_drops_the_cached_token(ab):
    ab.token_lifetime = 120                      # > 60 s: the SDK keeps it (airbyte.md 2.1)
    sdk = sdk_client(ab)
    workspace = api.GetWorkspaceRequest(workspace_id=ab.workspace_id)
    sdk.workspaces.get_workspace(request=workspace)
    ab.clock.advance(121)
    with pytest.raises(errors.SDKError) as caught:   # the SDK does not retry the 401, it forgets the token
        sdk.workspaces.get_workspace(request=workspace)
    sdk_problem(caught, 401, "invalid-api-key")
    sdk.workspaces.get_workspace(request=workspace)   # a new token
    assert [e["status"] for e in ab.log if e["path"].endswith("/applications/token")] == [200, 200]


# ==================================================================================================
# the SDK: workspaces, organizations, users, permissions, tags
# ==================================================================================================
def test_sdk_workspaces(ab):
    sdk = sdk_client(ab, auth="basic")
    created = sdk.workspaces.create_workspace(request=models.WorkspaceCreateRequest(
        name="analytics", notifications=models.NotificationsConfig(failure=models.NotificationConfig(
            webhook=models.WebhookNotificationConfig(enabled=True, url="https://hooks.example.com/a"))))).workspace_response
    assert created.name == "analytics" and created.data_residency == "auto"
    raw = ab.get("workspace", created.workspace_id)
    assert raw["notifications"]["failure"] == {"email": {"enabled": True}, "webhook": {"enabled": True, "url": "https://hooks.example.com/a"}}
    assert raw["notifications"]["success"] == {"email": {"enabled": False}, "webhook": {"enabled": False}}   # airbyte.md 5.7
    listed = sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest(workspace_ids=[created.workspace_id]))
    assert [w.workspace_id for w in listed.workspaces_response.data] == [created.workspace_id]
    updated = sdk.workspaces.update_workspace(request=api.UpdateWorkspaceRequest(
        workspace_id=created.workspace_id, workspace_update_request=models.WorkspaceUpdateRequest(name="analytics-2")))
    assert updated.workspace_response.name == "analytics-2"
    assert ab.writes()[-1]["body"] == {"name": "analytics-2"}
    assert ab.get("workspace", created.workspace_id)["notifications"] == raw["notifications"]   # absent = unchanged
    assert sdk.workspaces.delete_workspace(request=api.DeleteWorkspaceRequest(workspace_id=created.workspace_id)).status_code == 204
    with pytest.raises(errors.SDKError) as caught:
        sdk.workspaces.get_workspace(request=api.GetWorkspaceRequest(workspace_id=created.workspace_id))
    assert sdk_problem(caught, 404, "resource-not-found")["data"] == {"resourceType": "workspace", "resourceId": created.workspace_id}
    every = sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest(include_deleted=True)).workspaces_response.data
    assert [w.name for w in every] == ["Default Workspace", "analytics-2"]
    assert ab.get("workspace", created.workspace_id) is None


def test_sdk_workspace_organization_is_ignored_on_self_managed(ab):
    """airbyte.md 5.7: "organizationId is ignored on OSS (always DEFAULT_ORGANIZATION_ID)": an unknown one is no 404."""
    sdk = sdk_client(ab)
    created = sdk.workspaces.create_workspace(request=models.WorkspaceCreateRequest(
        name="elsewhere", organization_id=str(uuid.uuid4()))).workspace_response
    assert created.name == "elsewhere"
    theirs = sdk.permissions.list_permissions(request=api.ListPermissionsRequest(user_id=ab.reader_user_id, organization_id=ab.organization_id))
    assert theirs.permissions_response.data   # the default organization's workspaces list: the new one is among them
    listed = sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest()).workspaces_response.data
    assert created.workspace_id in [w.workspace_id for w in listed]


def test_sdk_workspace_region_is_updated_in_place(ab):
    """airbyte.md 3.2.4: WorkspaceUpdateRequest has regionId; 5.7: dataResidency is the region's name, lowercased.
    Regions themselves are in the OAS, not in SDK 1.0.1 (airbyte.md 3.1): read and made with plain HTTP."""
    http = Http(ab)
    regions = http("GET", "/regions", 200, params={"organizationId": ab.organization_id}).json()["data"]
    assert [r["name"] for r in regions] == ["AUTO"]
    eu = http("POST", "/regions", 200, json={"name": "EU", "organizationId": ab.organization_id}).json()
    assert http("GET", "/regions/" + eu["regionId"], 200).json() == eu and eu["enabled"] is True
    problem_of(http("GET", "/regions/" + str(uuid.uuid4())), 404, "resource-not-found")
    sdk = sdk_client(ab)
    created = sdk.workspaces.create_workspace(request=models.WorkspaceCreateRequest(name="regional")).workspace_response
    assert created.data_residency == "auto"
    updated = sdk.workspaces.update_workspace(request=api.UpdateWorkspaceRequest(
        workspace_id=created.workspace_id, workspace_update_request=models.WorkspaceUpdateRequest(region_id=eu["regionId"])))
    assert ab.writes()[-1]["body"] == {"regionId": eu["regionId"]}
    assert updated.workspace_response.data_residency == "eu" and ab.get("workspace", created.workspace_id)["dataResidency"] == "eu"
    moved = sdk.workspaces.create_workspace(request=models.WorkspaceCreateRequest(name="born-eu", region_id=eu["regionId"]))
    assert moved.workspace_response.data_residency == "eu"
    with pytest.raises(errors.SDKError) as caught:
        sdk.workspaces.update_workspace(request=api.UpdateWorkspaceRequest(
            workspace_id=created.workspace_id, workspace_update_request=models.WorkspaceUpdateRequest(region_id=str(uuid.uuid4()))))
    sdk_problem(caught, 404, "resource-not-found")


def test_sdk_workspace_oauth_overrides(ab):
    sdk = sdk_client(ab)
    answer = sdk.workspaces.create_or_update_workspace_o_auth_credentials(request=api.CreateOrUpdateWorkspaceOAuthCredentialsRequest(
        workspace_id=ab.workspace_id, workspace_o_auth_credentials_request=models.WorkspaceOAuthCredentialsRequest(
            actor_type=models.ActorTypeEnum.SOURCE, name=models.OAuthActorNames.GITHUB,
            configuration={"credentials": {"client_id": "app", "client_secret": "shh"}})))
    assert answer.status_code == 200 and answer.raw_response.content == b""
    assert ab.oauth_override("workspace", ab.workspace_id, "source", "github") == {"credentials": {"client_id": "app", "client_secret": "shh"}}
    sdk.workspaces.delete_workspace_o_auth_credentials(request=api.DeleteWorkspaceOAuthCredentialsRequest(
        workspace_id=ab.workspace_id, actor_type=models.ActorTypeEnum.SOURCE, name="github"))
    assert ab.oauth_override("workspace", ab.workspace_id, "source", "github") is None
    sdk.organizations.create_or_update_organization_o_auth_credentials(request=api.CreateOrUpdateOrganizationOAuthCredentialsRequest(
        organization_id=ab.organization_id, organization_o_auth_credentials_request=models.OrganizationOAuthCredentialsRequest(
            actor_type=models.ActorTypeEnum.DESTINATION, name="bigquery", configuration={"client_id": "x"})))
    assert ab.oauth_override("organization", ab.organization_id, "destination", "bigquery") == {"client_id": "x"}
    answer = sdk.organizations.delete_organization_o_auth_credentials(request=api.DeleteOrganizationOAuthCredentialsRequest(
        organization_id=ab.organization_id, actor_type=models.ActorTypeEnum.DESTINATION, name="bigquery"))
    assert answer.status_code == 204 and ab.oauth_override("organization", ab.organization_id, "destination", "bigquery") is None


def test_sdk_organizations_and_users(ab):
    sdk = sdk_client(ab)
    organizations = sdk.organizations.list_organizations_for_user().organizations_response.data
    assert [(o.organization_name, o.email) for o in organizations] == [("Default Organization", "admin@example.com")]
    users = sdk.users.list_users_within_an_organization(request=api.ListUsersWithinAnOrganizationRequest(
        organization_id=ab.organization_id)).users_response.data
    assert [(u.name, u.email) for u in users] == [("Airbyte Admin", "admin@example.com"), ("Read Only", "reader@example.com")]
    users = sdk.users.list_users_within_an_organization(request=api.ListUsersWithinAnOrganizationRequest(
        organization_id=ab.organization_id, emails=["reader@example.com"])).users_response.data
    assert [u.id for u in users] == [ab.reader_user_id]
    users = sdk.users.list_users_within_an_organization(request=api.ListUsersWithinAnOrganizationRequest(
        organization_id=ab.organization_id, ids=[ab.user_id])).users_response.data
    assert [u.id for u in users] == [ab.user_id]


def test_sdk_permissions(ab):
    sdk = sdk_client(ab)
    own = sdk.permissions.list_permissions(request=api.ListPermissionsRequest()).permissions_response.data
    assert [(p.permission_type, p.scope, p.scope_id) for p in own] == [("organization_admin", "organization", ab.organization_id)]
    request = models.PermissionCreateRequest(permission_type=models.PublicPermissionType.WORKSPACE_EDITOR, user_id=ab.reader_user_id,
                                             workspace_id=ab.workspace_id)
    created = sdk.permissions.create_permission(request=request).permission_response
    assert (created.permission_type, created.workspace_id, created.organization_id) == ("workspace_editor", ab.workspace_id, None)
    again = sdk.permissions.create_permission(request=request).permission_response   # airbyte.md 5.8: idempotent
    assert again.permission_id == created.permission_id
    got = sdk.permissions.get_permission(request=api.GetPermissionRequest(permission_id=created.permission_id)).permission_response
    assert got.user_id == ab.reader_user_id
    updated = sdk.permissions.update_permission(request=api.UpdatePermissionRequest(
        permission_id=created.permission_id, permission_update_request=models.PermissionUpdateRequest(
            permission_type=models.PermissionType.WORKSPACE_RUNNER))).permission_response
    assert updated.permission_type == "workspace_runner" and ab.get("permission", created.permission_id)["permissionType"] == "workspace_runner"
    theirs = sdk.permissions.list_permissions(request=api.ListPermissionsRequest(
        user_id=ab.reader_user_id, organization_id=ab.organization_id)).permissions_response.data
    assert sorted(p.permission_type for p in theirs) == ["workspace_reader", "workspace_runner"]
    assert sdk.permissions.delete_permission(request=api.DeletePermissionRequest(permission_id=created.permission_id)).status_code == 204
    assert ab.get("permission", created.permission_id) is None
    with pytest.raises(errors.SDKError) as caught:   # someone else's permissions need the organization
        sdk.permissions.list_permissions(request=api.ListPermissionsRequest(user_id=ab.reader_user_id))
    assert sdk_problem(caught, 400, "bad-request")["data"]["message"] == "Organization ID is required when getting someone else's permissions."


def test_sdk_tags(ab):
    sdk = sdk_client(ab)
    tag = sdk.tags.create_tag(request=models.TagCreateRequest(name="finance", color="FF5733", workspace_id=ab.workspace_id)).tag_response
    with pytest.raises(errors.SDKError) as caught:
        sdk.tags.create_tag(request=models.TagCreateRequest(name="finance", color="00FF00", workspace_id=ab.workspace_id))
    assert sdk_problem(caught, 409, "Tag already exists")["type"] == "error:tag-already-exists"
    updated = sdk.tags.update_tag(request=api.UpdateTagRequest(tag_id=tag.tag_id, tag_patch_request=models.TagPatchRequest(
        name="fin", color="00FF00"))).tag_response
    assert (updated.name, updated.color) == ("fin", "00FF00")
    assert [t.name for t in sdk.tags.list_tags(request=api.ListTagsRequest(workspace_ids=[ab.workspace_id])).tags_response.data] == ["fin"]
    assert sdk.tags.get_tag(request=api.GetTagRequest(tag_id=tag.tag_id)).tag_response.workspace_id == ab.workspace_id
    assert sdk.tags.delete_tag(request=api.DeleteTagRequest(tag_id=tag.tag_id)).status_code == 204
    assert ab.get("tag", tag.tag_id) is None


# ==================================================================================================
# the SDK: sources, destinations, definitions
# ==================================================================================================
def test_sdk_sources(ab):
    sdk = sdk_client(ab)
    created = sdk.sources.create_source(request=models.SourceCreateRequest(
        name="shop-db", workspace_id=ab.workspace_id, configuration=models.SourcePostgres(**PG_CONFIG)))
    # the SDK sends sourceType and its defaults (airbyte.md 5.4); the server drops the top-level sourceType (5.1)
    sent = ab.writes()[-1]["body"]["configuration"]
    assert sent["sourceType"] == "postgres" and sent["entra_service_principal_auth"] is False
    body = created.raw_response.json()
    source_id = body["sourceId"]
    assert (body["sourceType"], body["definitionId"]) == ("postgres", POSTGRES_SOURCE)
    assert body["configuration"] == {"host": "db.example.com", "port": 5432, "database": "shop", "username": "airbyte",
                                     "password": SECRET_MASK, "entra_service_principal_auth": False}
    assert ab.raw_secret("source", source_id, "password") == "pg-secret"
    got = sdk.sources.get_source(request=api.GetSourceRequest(source_id=source_id))
    assert got.raw_response.json() == body and got.source_response.name == "shop-db"
    listed = sdk.sources.list_sources(request=api.ListSourcesRequest(workspace_ids=[ab.workspace_id]))
    assert [s.source_id for s in listed.sources_response.data] == [source_id]
    patched = sdk.sources.patch_source(request=api.PatchSourceRequest(source_id=source_id, source_patch_request=models.SourcePatchRequest(
        name="shop-db-2")))
    assert ab.writes()[-1]["body"] == {"name": "shop-db-2"} and patched.raw_response.json()["configuration"] == body["configuration"]
    # PUT with the mask keeps the stored secret (airbyte.md 5.3), a GET -> change -> PUT round trip
    put = sdk.sources.put_source(request=api.PutSourceRequest(source_id=source_id, source_put_request=models.SourcePutRequest(
        name="shop-db-3", configuration=models.SourcePostgres(**dict(PG_CONFIG, port=5433, password=SECRET_MASK)))))
    assert put.raw_response.json()["configuration"]["port"] == 5433 and put.source_response.name == "shop-db-3"
    assert ab.raw_secret("source", source_id, "password") == "pg-secret"
    assert sdk.sources.delete_source(request=api.DeleteSourceRequest(source_id=source_id)).status_code == 204
    with pytest.raises(errors.SDKError) as caught:
        sdk.sources.get_source(request=api.GetSourceRequest(source_id=source_id))
    assert sdk_problem(caught, 404, "resource-not-found")["data"]["resourceType"] == "source"
    assert sdk.sources.list_sources(request=api.ListSourcesRequest()).sources_response.data == []
    assert len(sdk.sources.list_sources(request=api.ListSourcesRequest(include_deleted=True)).sources_response.data) == 1


def test_sdk_destinations_answers_need_the_raw_response(ab):
    """SDK 1.0.1 parses DestinationResponse.configuration as a union discriminated by destinationType, which the
    server never returns (airbyte.md 5.1): every destination answer with a body ends in ResponseValidationError."""
    sdk = sdk_client(ab)
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.create_destination(request=models.DestinationCreateRequest(
            name="warehouse", workspace_id=ab.workspace_id, configuration=models.DestinationPostgres(**PG_DEST_CONFIG)))
    body = caught.value.raw_response.json()
    destination_id = body["destinationId"]
    assert ab.writes()[-1]["body"]["configuration"]["destinationType"] == "postgres"
    assert (body["destinationType"], body["definitionId"], body["configuration"]["password"]) == ("postgres", POSTGRES_DESTINATION, SECRET_MASK)
    assert "destinationType" not in body["configuration"] and ab.raw_secret("destination", destination_id, "password") == "dw-secret"
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.patch_destination(request=api.PatchDestinationRequest(
            destination_id=destination_id, destination_patch_request=models.DestinationPatchRequest(name="dw")))
    assert caught.value.raw_response.json()["name"] == "dw"
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.put_destination(request=api.PutDestinationRequest(
            destination_id=destination_id, destination_put_request=models.DestinationPutRequest(
                name="dw", configuration=models.DestinationPostgres(**dict(PG_DEST_CONFIG, schema="raw", password=SECRET_MASK)))))
    assert caught.value.raw_response.json()["configuration"]["schema"] == "raw"
    assert ab.raw_secret("destination", destination_id, "password") == "dw-secret"
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.get_destination(request=api.GetDestinationRequest(destination_id=destination_id))
    assert caught.value.raw_response.json() == ab.get("destination", destination_id)
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.list_destinations(request=api.ListDestinationsRequest())
    assert [d["destinationId"] for d in caught.value.raw_response.json()["data"]] == [destination_id]
    assert sdk.destinations.delete_destination(request=api.DeleteDestinationRequest(destination_id=destination_id)).status_code == 204
    assert ab.get("destination", destination_id) is None


def test_sdk_resource_allocation_and_secret_id(ab):
    """airbyte.md 3.2.2: resourceAllocation (ScopedResourceRequirements) on source and destination create, PATCH and
    PUT, shown in the answers; secretId on a source's create (kept, never shown)."""
    sdk = sdk_client(ab)
    allocation = models.ScopedResourceRequirements(
        default=models.ResourceRequirements(cpu_request="0.5", memory_limit="2Gi"),
        job_specific=[models.JobTypeResourceLimit(job_type=models.JobType.SYNC, resource_requirements=models.ResourceRequirements(
            cpu_limit="2"))])
    created = sdk.sources.create_source(request=models.SourceCreateRequest(
        name="oauth-db", workspace_id=ab.workspace_id, configuration=models.SourcePostgres(**PG_CONFIG),
        resource_allocation=allocation, secret_id="oauth-secret-handle"))
    wire = {"default": {"cpu_request": "0.5", "memory_limit": "2Gi"},
            "jobSpecific": [{"jobType": "sync", "resourceRequirements": {"cpu_limit": "2"}}]}
    assert ab.writes()[-1]["body"]["resourceAllocation"] == wire and ab.writes()[-1]["body"]["secretId"] == "********"
    body = created.raw_response.json()
    assert body["resourceAllocation"] == wire and "secretId" not in body and "oauth-secret-handle" not in json.dumps(body)
    assert ab.secret_id(body["sourceId"]) == "oauth-secret-handle"
    patched = sdk.sources.patch_source(request=api.PatchSourceRequest(source_id=body["sourceId"], source_patch_request=models.SourcePatchRequest(
        resource_allocation=models.ScopedResourceRequirements(default=models.ResourceRequirements(memory_request="1Gi")))))
    assert patched.raw_response.json()["resourceAllocation"] == {"default": {"memory_request": "1Gi"}}   # replaced whole
    with pytest.raises(errors.ResponseValidationError) as caught:   # DestinationResponse: see the test above
        sdk.destinations.create_destination(request=models.DestinationCreateRequest(
            name="sized", workspace_id=ab.workspace_id, configuration=models.DestinationPostgres(**PG_DEST_CONFIG),
            resource_allocation=allocation))
    destination = caught.value.raw_response.json()
    assert destination["resourceAllocation"] == wire
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.destinations.patch_destination(request=api.PatchDestinationRequest(
            destination_id=destination["destinationId"], destination_patch_request=models.DestinationPatchRequest(
                resource_allocation=models.ScopedResourceRequirements(job_specific=[]))))
    assert caught.value.raw_response.json()["resourceAllocation"] == {"jobSpecific": []}


def test_sdk_definitions(ab):
    sdk = sdk_client(ab)
    sources = sdk.source_definitions.list_source_definitions(request=api.ListSourceDefinitionsRequest(
        workspace_id=ab.workspace_id)).definitions_response.data
    assert {d.id for d in sources} == {ab.definition_id("source", n) for n in ("faker", "postgres", "pokeapi", "file", "e2e-test")}
    destinations = sdk.destination_definitions.list_destination_definitions(request=api.ListDestinationDefinitionsRequest(
        workspace_id=ab.workspace_id)).definitions_response.data
    assert len(destinations) == 6 and {d.docker_repository for d in destinations} >= {"airbyte/destination-s3", "airbyte/destination-bigquery"}
    custom = sdk.source_definitions.create_source_definition(request=api.CreateSourceDefinitionRequest(
        workspace_id=ab.workspace_id, create_definition_request=models.CreateDefinitionRequest(
            name="in-house", docker_repository="acme/source-in-house", docker_image_tag="1.0.0"))).definition_response
    updated = sdk.source_definitions.update_source_definition(request=api.UpdateSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=custom.id, update_definition_request=models.UpdateDefinitionRequest(
            name="in-house-2", docker_image_tag="1.1.0"))).definition_response
    assert (updated.name, updated.docker_image_tag, updated.docker_repository) == ("in-house-2", "1.1.0", "acme/source-in-house")
    got = sdk.source_definitions.get_source_definition(request=api.GetSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=custom.id)).definition_response
    assert got.name == "in-house-2"
    # a source of a custom connector: any configuration, sourceType "" (airbyte.md 5.1)
    source = Http(ab)("POST", "/sources", 200, json={"name": "own", "workspaceId": ab.workspace_id, "definitionId": custom.id,
                                                     "configuration": {"anything": True}}).json()
    assert source["sourceType"] == ""
    deleted = sdk.source_definitions.delete_source_definition(request=api.DeleteSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=custom.id))
    assert deleted.status_code == 200 and deleted.definition_response.id == custom.id   # airbyte.md 3: 200 + the definition
    with pytest.raises(errors.SDKError) as caught:
        sdk.source_definitions.get_source_definition(request=api.GetSourceDefinitionRequest(workspace_id=ab.workspace_id, definition_id=custom.id))
    sdk_problem(caught, 404, "resource-not-found")
    body = models.CreateDefinitionRequest(name="own-dw", docker_repository="acme/destination-dw", docker_image_tag="0.1.0",
                                          documentation_url="https://docs.example.com/dw")
    own = sdk.destination_definitions.create_destination_definition(request=api.CreateDestinationDefinitionRequest(
        workspace_id=ab.workspace_id, create_definition_request=body)).definition_response
    assert own.documentation_url == "https://docs.example.com/dw"
    body = models.UpdateDefinitionRequest(name="own-dw", docker_image_tag="0.2.0")
    sdk.destination_definitions.update_destination_definition(request=api.UpdateDestinationDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=own.id, update_definition_request=body))
    got = sdk.destination_definitions.get_destination_definition(request=api.GetDestinationDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=own.id)).definition_response
    assert got.docker_image_tag == "0.2.0"
    sdk.destination_definitions.delete_destination_definition(request=api.DeleteDestinationDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=own.id))
    with pytest.raises(errors.SDKError) as caught:   # a seeded definition is not the workspace's to change [INFERRED 403]
        sdk.destination_definitions.delete_destination_definition(request=api.DeleteDestinationDefinitionRequest(
            workspace_id=ab.workspace_id, definition_id=POSTGRES_DESTINATION))
    sdk_problem(caught, 403, "forbidden")


def test_sdk_declarative_source_definitions(ab):
    sdk = sdk_client(ab)
    manifest = {"version": "6.0.0", "streams": [{"name": "items", "primary_key": "id", "incremental_sync": {"cursor_field": "updated"}}],
                "spec": {"connection_specification": {"type": "object", "required": ["api_key"],
                                                      "properties": {"api_key": {"type": "string", "airbyte_secret": True}}}}}
    body = models.CreateDeclarativeSourceDefinitionRequest(name="items-api", manifest=manifest)
    created = sdk.declarative_source_definitions.create_declarative_source_definition(request=api.CreateDeclarativeSourceDefinitionRequest(
        workspace_id=ab.workspace_id, create_declarative_source_definition_request=body))
    definition = created.declarative_source_definition_response
    assert (definition.name, definition.version, definition.manifest) == ("items-api", 1, manifest)
    body = models.UpdateDeclarativeSourceDefinitionRequest(manifest=dict(manifest, version="6.1.0"))
    updated = sdk.declarative_source_definitions.update_declarative_source_definition(request=api.UpdateDeclarativeSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=definition.id, update_declarative_source_definition_request=body))
    assert updated.declarative_source_definition_response.version == 2   # airbyte.md 5.10: a PUT is a new version
    listed = sdk.declarative_source_definitions.list_declarative_source_definitions(request=api.ListDeclarativeSourceDefinitionsRequest(
        workspace_id=ab.workspace_id)).declarative_source_definitions_response.data
    assert [d.id for d in listed] == [definition.id]
    # its spec and streams work for sources: 422 without api_key, the secret masked, the stream discovered
    http = Http(ab)
    problem_of(http("POST", "/sources", json={"name": "s", "workspaceId": ab.workspace_id, "definitionId": definition.id,
                                              "configuration": {}}), 422, "unprocessable-entity")
    source = make_source(http, "items", {"api_key": "k"}, definition.id)
    assert source["configuration"] == {"api_key": SECRET_MASK} and source["sourceType"] == ""
    streams = http("GET", "/streams", 200, params={"sourceId": source["sourceId"]}).json()
    assert [(s["streamName"], s["sourceDefinedCursorField"], s["defaultCursorField"]) for s in streams] == [("items", True, ["updated"])]
    got = sdk.declarative_source_definitions.get_declarative_source_definition(request=api.GetDeclarativeSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=definition.id)).declarative_source_definition_response
    assert got.version == 2
    deleted = sdk.declarative_source_definitions.delete_declarative_source_definition(request=api.DeleteDeclarativeSourceDefinitionRequest(
        workspace_id=ab.workspace_id, definition_id=definition.id))
    assert deleted.status_code == 200 and deleted.declarative_source_definition_response.id == definition.id


# ==================================================================================================
# the SDK: connections, streams, jobs
# ==================================================================================================
def test_sdk_connections_with_streams_and_cron(ab):
    sdk = sdk_client(ab)
    http = Http(ab)
    source, destination = make_faker(http), make_destination(http)
    tag = http("POST", "/tags", 200, json={"name": "daily", "color": "0000FF", "workspaceId": ab.workspace_id}).json()
    created = sdk.connections.create_connection(request=models.ConnectionCreateRequest(
        source_id=source["sourceId"], destination_id=destination["destinationId"], name="fake to dw",
        schedule=models.AirbyteAPIConnectionSchedule(schedule_type=models.ScheduleTypeEnum.CRON, cron_expression="0 0 12 * * ?"),
        configurations=models.StreamConfigurations(streams=[
            models.StreamConfiguration(name="purchases", sync_mode=models.ConnectionSyncModeEnum.FULL_REFRESH_APPEND),
            models.StreamConfiguration(name="users", sync_mode=models.ConnectionSyncModeEnum.INCREMENTAL_DEDUPED_HISTORY)]),
        tags=[models.Tag(**{"tag_id": tag["tagId"], "name": tag["name"], "color": tag["color"], "workspace_id": ab.workspace_id})]))
    # the SDK sends its three defaults on create (airbyte.md 3.3)
    sent = ab.writes()[-1]["body"]
    assert (sent["namespaceDefinition"], sent["nonBreakingSchemaUpdatesBehavior"], sent["prefix"]) == ("destination", "ignore", "")
    connection = created.raw_response.json()
    assert connection["schedule"] == {"scheduleType": "cron", "cronExpression": "0 0 12 * * ? UTC"}   # airbyte.md 5.5
    assert connection["configurations"]["streams"] == [   # catalog order, source-defined cursor and key filled in
        {"name": "users", "syncMode": "incremental_deduped_history", "cursorField": ["updated_at"], "primaryKey": [["id"]]},
        {"name": "purchases", "syncMode": "full_refresh_append", "cursorField": ["updated_at"], "primaryKey": [["id"]]}]
    assert (connection["status"], connection["workspaceId"], [t["tagId"] for t in connection["tags"]]) == ("active", ab.workspace_id, [tag["tagId"]])
    connection_id = connection["connectionId"]
    got = sdk.connections.get_connection(request=api.GetConnectionRequest(connection_id=connection_id)).connection_response
    assert got.schedule.cron_expression == "0 0 12 * * ? UTC" and got.name == "fake to dw"
    listed = sdk.connections.list_connections(request=api.ListConnectionsRequest(tag_ids=[tag["tagId"]])).connections_response.data
    assert [c.connection_id for c in listed] == [connection_id]
    patch = models.ConnectionPatchRequest(
        schedule=models.AirbyteAPIConnectionSchedule(schedule_type=models.ScheduleTypeEnum.CRON, cron_expression="0 30 2 * * ? UTC"),
        configurations=models.StreamConfigurations(streams=[models.StreamConfiguration(name="products")]),
        status=models.ConnectionStatusEnum.INACTIVE)
    patched = sdk.connections.patch_connection(request=api.PatchConnectionRequest(connection_id=connection_id, connection_patch_request=patch))
    assert ab.writes()[-1]["body"] == {"configurations": {"streams": [{"name": "products"}]},
                                       "schedule": {"scheduleType": "cron", "cronExpression": "0 30 2 * * ? UTC"}, "status": "inactive"}
    patched = patched.raw_response.json()
    assert patched["schedule"]["cronExpression"] == "0 30 2 * * ? UTC" and patched["status"] == "inactive"
    assert patched["configurations"]["streams"] == [{"name": "products", "syncMode": "full_refresh_overwrite", "cursorField": ["updated_at"],
                                                     "primaryKey": [["id"]]}]   # the whole catalog replaced
    assert patched["name"] == "fake to dw" and patched["tags"] == connection["tags"]   # what was not sent stays
    patch = models.ConnectionPatchRequest(schedule=models.AirbyteAPIConnectionSchedule(schedule_type=models.ScheduleTypeEnum.MANUAL))
    manual = sdk.connections.patch_connection(request=api.PatchConnectionRequest(connection_id=connection_id,
                                                                                 connection_patch_request=patch)).connection_response
    assert manual.schedule.schedule_type == "manual" and manual.schedule.cron_expression is None
    assert sdk.connections.delete_connection(request=api.DeleteConnectionRequest(connection_id=connection_id)).status_code == 204
    # airbyte.md 8.1: a deleted connection reads as deprecated and leaves the lists unless includeDeleted
    assert sdk.connections.get_connection(request=api.GetConnectionRequest(connection_id=connection_id)).connection_response.status == "deprecated"
    assert sdk.connections.list_connections(request=api.ListConnectionsRequest()).connections_response.data == []
    assert len(sdk.connections.list_connections(request=api.ListConnectionsRequest(include_deleted=True)).connections_response.data) == 1


def test_sdk_stream_mappers_are_chosen_by_type(ab):
    """airbyte.md 3.2.1: "Mapper configurations (ConfiguredStreamMapper.mapperConfiguration, chosen by type)". A hashing
    or an encryption configuration also holds the targetField of a field-filtering one; plain oneOf validation refused
    them (422 before that, 400 earlier still). With includeFiles and destinationObjectName, stored and shown."""
    sdk = sdk_client(ab)
    http = Http(ab)
    source, destination = make_faker(http), make_destination(http)
    mappers = [
        models.ConfiguredStreamMapper(type=models.StreamMapperType.HASHING, mapper_configuration=models.HashingMapperConfiguration(
            target_field="email", method=models.HashingMethod.SHA_256, field_name_suffix="_hashed")),
        models.ConfiguredStreamMapper(type=models.StreamMapperType.ENCRYPTION, mapper_configuration=models.EncryptionMapperRSAConfiguration(
            algorithm=models.EncryptionMapperAlgorithm.RSA, public_key="3082010a02820101", target_field="telephone",
            field_name_suffix="_enc")),
        models.ConfiguredStreamMapper(type=models.StreamMapperType.FIELD_RENAMING, mapper_configuration=models.FieldRenamingMapperConfiguration(
            original_field_name="name", new_field_name="full_name")),
        models.ConfiguredStreamMapper(type=models.StreamMapperType.ROW_FILTERING, mapper_configuration=models.RowFilteringMapperConfiguration(
            conditions=models.RowFilteringOperationEqual(type=models.RowFilteringOperationType.EQUAL, field_name="gender",
                                                         comparison_value="F"))),
        models.ConfiguredStreamMapper(type=models.StreamMapperType.FIELD_FILTERING, mapper_configuration=models.FieldFilteringMapperConfiguration(
            target_field="age")),
    ]
    # SDK 1.0.1 sends them, but cannot parse the answer: its MapperConfiguration union tries the encryption model,
    # discriminated by "algorithm", on a hashing configuration; the answer is read from the raw response
    with pytest.raises(errors.ResponseValidationError) as caught:
        sdk.connections.create_connection(request=models.ConnectionCreateRequest(
            source_id=source["sourceId"], destination_id=destination["destinationId"],
            configurations=models.StreamConfigurations(streams=[models.StreamConfiguration(
                name="users", mappers=mappers, include_files=False, destination_object_name="people")])))
    assert "discriminator field algorithm" in str(caught.value)
    connection_id = caught.value.raw_response.json()["connectionId"]
    sent = ab.writes()[-1]["body"]["configurations"]["streams"][0]
    users = caught.value.raw_response.json()["configurations"]["streams"][0]
    assert users["mappers"] == sent["mappers"] and [m["type"] for m in users["mappers"]] == [
        "hashing", "encryption", "field-renaming", "row-filtering", "field-filtering"]
    assert (users["includeFiles"], users["destinationObjectName"]) == (False, "people")
    aes = models.ConfiguredStreamMapper(type=models.StreamMapperType.ENCRYPTION, mapper_configuration=models.EncryptionMapperAESConfiguration(
        algorithm=models.EncryptionMapperAlgorithm.AES, key="00112233445566778899aabbccddeeff", mode="GCM", padding="NoPadding",
        target_field="email", field_name_suffix="_aes"))
    patched = sdk.connections.patch_connection(request=api.PatchConnectionRequest(
        connection_id=connection_id, connection_patch_request=models.ConnectionPatchRequest(configurations=models.StreamConfigurations(
            streams=[models.StreamConfiguration(name="users", mappers=[aes], include_files=True)])))).raw_response.json()
    users = patched["configurations"]["streams"][0]
    assert users["mappers"][0]["mapperConfiguration"]["mode"] == "GCM" and users["includeFiles"] is True
    # a configuration that fits no schema of its type is still refused: hashing without its method
    wrong = {"type": "hashing", "mapperConfiguration": {"targetField": "email", "fieldNameSuffix": "_h"}}
    error_id_of(http("PATCH", "/connections/" + connection_id,
                     json={"configurations": {"streams": [{"name": "users", "mappers": [wrong]}]}}), 422)
    assert len(ab.validation_errors) == 1 and "'method' is a required property" in ab.validation_errors[0]
    ab.validation_errors.clear()


def test_sdk_stream_properties(ab):
    sdk = sdk_client(ab)
    http = Http(ab)
    source = make_source(http)
    destination = make_destination(http, "lake", {"s3_bucket_name": "b", "s3_bucket_path": "p", "s3_bucket_region": "eu-west-1"},
                                   ab.definition_id("destination", "s3"))
    answer = sdk.streams.get_stream_properties(request=api.GetStreamPropertiesRequest(
        source_id=source["sourceId"], destination_id=destination["destinationId"]))
    streams = answer.raw_response.json()
    assert [(s["streamName"], s["streamnamespace"]) for s in streams] == [("customers", "public"), ("orders", "public")]
    customers = streams[0]
    assert customers["syncModes"] == ["full_refresh_overwrite", "full_refresh_append", "incremental_append"]   # s3: no dedup
    assert (customers["sourceDefinedCursorField"], customers["defaultCursorField"], customers["sourceDefinedPrimaryKey"]) == (False, [], [["id"]])
    assert customers["propertyFields"] == [["id"], ["name"], ["email"], ["created_at"], ["updated_at"]]
    assert answer.stream_properties_response[1].stream_name == "orders"


def test_sdk_jobs(ab):
    sdk = sdk_client(ab)
    connection = make_connection(Http(ab))
    connection_id = connection["connectionId"]
    sync = models.JobCreateRequest(connection_id=connection_id, job_type=models.JobTypeEnum.SYNC)
    job = sdk.jobs.create_job(request=sync).job_response
    assert (job.status, job.job_type, job.duration, job.last_updated_at) == ("pending", "sync", None, None)
    with pytest.raises(errors.SDKError) as caught:   # airbyte.md 5.6
        sdk.jobs.create_job(request=sync)
    assert sdk_problem(caught, 409, "try-again-later")["data"]["message"] == "A sync is already running for: " + connection_id
    ab.clock.advance(3)
    running = sdk.jobs.get_job(request=api.GetJobRequest(job_id=job.job_id)).job_response
    assert (running.status, running.duration, running.rows_synced) == ("running", "PT3S", None)
    ab.clock.advance(27)
    done = sdk.jobs.get_job(request=api.GetJobRequest(job_id=job.job_id)).job_response
    assert (done.status, done.duration, done.rows_synced, done.bytes_synced) == ("succeeded", "PT30S", 3000, 768000)
    assert done.last_updated_at is not None
    with pytest.raises(errors.SDKError) as caught:
        sdk.jobs.cancel_job(request=api.CancelJobRequest(job_id=job.job_id))
    assert sdk_problem(caught, 409, "state-conflict")["data"]["message"] == "Job is not currently running"
    second = sdk.jobs.create_job(request=sync).job_response
    cancelled = sdk.jobs.cancel_job(request=api.CancelJobRequest(job_id=second.job_id))
    assert cancelled.status_code == 200 and cancelled.job_response.status == "cancelled"
    ab.fail_next_job(connection_id, "source unreachable")
    failing = sdk.jobs.create_job(request=models.JobCreateRequest(connection_id=connection_id, job_type=models.JobTypeEnum.RESET)).job_response
    ab.clock.advance(60)
    assert ab.get("job", failing.job_id)["status"] == "failed" and ab.pending_failures() == []
    jobs = sdk.jobs.list_jobs(request=api.ListJobsRequest(connection_id=connection_id, order_by="createdAt|DESC")).jobs_response
    assert [(j.job_id, j.status) for j in jobs.data] == [(failing.job_id, "failed"), (second.job_id, "cancelled"), (job.job_id, "succeeded")]
    only = sdk.jobs.list_jobs(request=api.ListJobsRequest(job_type=models.JobTypeEnum.SYNC, status=models.JobStatusEnum.SUCCEEDED)).jobs_response
    assert [j.job_id for j in only.data] == [job.job_id]
    with pytest.raises(errors.SDKError) as caught:   # airbyte.md 5.6: no refresh through the public API
        sdk.jobs.create_job(request=models.JobCreateRequest(connection_id=connection_id, job_type=models.JobTypeEnum.REFRESH))
    sdk_problem(caught, 422, "unprocessable-entity")


def test_sdk_health(ab):
    answer = sdk_client(ab, auth="basic").health.get_health_check()
    assert answer.status_code == 200 and answer.raw_response.text == "Successful operation"


# ==================================================================================================
# plain HTTP: lists and pagination (airbyte.md 4)
# ==================================================================================================
@pytest.mark.parametrize("prefix", PREFIXES)
def test_pagination_envelopes(ab, prefix):
    http = Http(ab, prefix)
    ids = [make_faker(http, "s%d" % n)["sourceId"] for n in range(5)]
    base = ab.url + prefix + "/sources?includeDeleted=false&workspaceIds=%s&limit=2" % ab.workspace_id
    first = http("GET", "/sources", 200, params={"limit": 2, "workspaceIds": ab.workspace_id}).json()
    assert [s["sourceId"] for s in first["data"]] == ids[:2]
    assert (first["next"], first["previous"]) == (base + "&offset=2", "")
    middle = http("GET", "/sources", 200, params={"limit": 2, "offset": 3, "workspaceIds": ab.workspace_id}).json()
    assert [s["sourceId"] for s in middle["data"]] == ids[3:]
    # next is there whenever the page has items, even a short one; previous goes back one page, not below 0
    assert (middle["next"], middle["previous"]) == (base + "&offset=5", base + "&offset=1")
    last = requests.get(middle["next"], headers=http.headers, timeout=10).json()
    assert (last["data"], last["next"], last["previous"]) == ([], "", base + "&offset=3")
    plain = http("GET", "/sources", 200).json()
    assert plain["next"] == ab.url + prefix + "/sources?includeDeleted=false&limit=20&offset=20" and len(plain["data"]) == 5
    # comma-joined and repeated workspaceIds both work (the server's own links join them)
    other = http("POST", "/workspaces", 200, json={"name": "other"}).json()["workspaceId"]
    http("POST", "/sources", 200, json={"name": "elsewhere", "workspaceId": other, "definitionId": FAKER, "configuration": {"count": 1}})
    joined = http("GET", "/sources?workspaceIds=%s,%s" % (ab.workspace_id, other), 200).json()
    repeated = http("GET", "/sources", 200, params=[("workspaceIds", ab.workspace_id), ("workspaceIds", other)]).json()
    assert len(joined["data"]) == len(repeated["data"]) == 6
    assert joined["next"].endswith("workspaceIds=%s,%s&limit=20&offset=20" % (ab.workspace_id, other))


def test_list_bounds_and_other_envelopes(ab, http):
    # airbyte.md 6.1: a constraint violation (limit > 100 or < 1, airbyte.md 8.14) is 400 with only an errorId
    error_id_of(http("GET", "/connections", params={"limit": 101}), 400)
    error_id_of(http("GET", "/workspaces", params={"limit": 0}), 400)
    error_id_of(http("GET", "/jobs", params={"offset": -1}), 400)
    assert len(ab.validation_errors) == 3 and "maximum of 100" in ab.validation_errors[0]
    ab.validation_errors.clear()
    assert set(http("GET", "/tags", 200).json()) == {"data"}
    assert set(http("GET", "/organizations", 200).json()) == {"data"}
    assert set(http("GET", "/permissions", 200).json()) == {"data"}
    assert http("GET", "/workspaces", 200, params={"offset": 1}).json() == {
        "data": [], "next": "", "previous": ab.url + "/v1/workspaces?includeDeleted=false&limit=20&offset=0"}


# ==================================================================================================
# plain HTTP: sources and destinations (airbyte.md 5.1-5.3)
# ==================================================================================================
def test_secret_masking_patch_and_put(ab, http):
    config = dict(PG_CONFIG, tunnel_method={"tunnel_method": "SSH_PASSWORD_AUTH", "tunnel_host": "bastion", "tunnel_port": 22,
                                            "tunnel_user": "jump", "tunnel_user_password": "tunnel-secret"})
    source = make_source(http, config=config)
    source_id = source["sourceId"]
    assert source["configuration"]["password"] == SECRET_MASK
    assert source["configuration"]["tunnel_method"]["tunnel_user_password"] == SECRET_MASK
    for read in (http("GET", "/sources/" + source_id, 200).json(), http("GET", "/sources", 200).json()["data"][0], ab.get("source", source_id)):
        assert read["configuration"]["password"] == SECRET_MASK and "pg-secret" not in json.dumps(read)
    # PATCH: deep merge, the rest kept (the stored secrets too)
    patched = http("PATCH", "/sources/" + source_id, 200, json={"configuration": {"port": 6543, "tunnel_method": {"tunnel_port": 2222}}}).json()
    assert patched["configuration"]["port"] == 6543 and patched["configuration"]["tunnel_method"]["tunnel_host"] == "bastion"
    assert patched["configuration"]["tunnel_method"]["tunnel_port"] == 2222
    assert ab.raw_secret("source", source_id, "password") == "pg-secret"
    assert ab.raw_secret("source", source_id, "tunnel_method.tunnel_user_password") == "tunnel-secret"
    http("PATCH", "/sources/" + source_id, 200, json={"configuration": {"password": "new-secret"}})
    assert ab.raw_secret("source", source_id, "password") == "new-secret"
    # PATCH does not special-case the mask: it is stored as sent (airbyte.md 5.3, 8.8)
    http("PATCH", "/sources/" + source_id, 200, json={"configuration": {"password": SECRET_MASK}})
    assert ab.raw_secret("source", source_id, "password") == SECRET_MASK
    http("PATCH", "/sources/" + source_id, 200, json={"configuration": {"password": "pg-secret"}})
    # PUT: full replacement, a masked secret keeps the stored value, a left-out key is gone
    current = http("GET", "/sources/" + source_id, 200).json()
    put = dict(current["configuration"], database="orders")
    put.pop("tunnel_method")
    answer = http("PUT", "/sources/" + source_id, 200, json={"name": "renamed", "configuration": put}).json()
    assert answer["name"] == "renamed" and "tunnel_method" not in answer["configuration"]
    assert ab.raw_secret("source", source_id, "password") == "pg-secret"
    assert ab.raw_secret("source", source_id, "tunnel_method.tunnel_user_password") is None
    http("PUT", "/sources/" + source_id, 200, json={"name": "renamed", "configuration": dict(put, password="rotated")})
    assert ab.raw_secret("source", source_id, "password") == "rotated"
    # includeSecretCoordinates: a coordinate whose version grows with each new value (airbyte.md 5.2, 8.10)
    coordinate = http("GET", "/sources/" + source_id, 200, params={"includeSecretCoordinates": "true"}).json()["configuration"]["password"]
    assert coordinate.startswith("secret_coordinate::airbyte_workspace_%s_secret_" % ab.workspace_id) and coordinate.endswith("_v5")


def test_destination_secrets_nested_in_one_of(ab, http):
    config = {"project_id": "p", "dataset_location": "EU", "dataset_id": "raw", "credentials_json": "{\"key\": 1}",
              "loading_method": {"method": "GCS Staging", "gcs_bucket_name": "b", "gcs_bucket_path": "x",
                                 "credential": {"credential_type": "HMAC_KEY", "hmac_key_access_id": "id", "hmac_key_secret": "hmac"}}}
    destination = make_destination(http, "bq", config, ab.definition_id("destination", "bigquery"))
    shown = destination["configuration"]
    assert shown["credentials_json"] == SECRET_MASK and shown["loading_method"]["credential"]["hmac_key_secret"] == SECRET_MASK
    assert shown["loading_method"]["gcs_bucket_name"] == "b"
    assert ab.raw_secret("destination", destination["destinationId"], "loading_method.credential.hmac_key_secret") == "hmac"
    s3 = make_destination(http, "lake", {"s3_bucket_name": "b", "s3_bucket_path": "p", "s3_bucket_region": "eu-west-1", "access_key_id": "AKIA",
                                         "secret_access_key": "s3-secret"}, ab.definition_id("destination", "s3"))
    assert (s3["configuration"]["access_key_id"], s3["configuration"]["secret_access_key"]) == (SECRET_MASK, SECRET_MASK)
    assert ab.raw_secret("destination", s3["destinationId"], "secret_access_key") == "s3-secret"


def test_connector_identity_by_name(ab, http):
    body = {"name": "by-name", "workspaceId": ab.workspace_id, "configuration": dict(PG_CONFIG, sourceType="postgres")}
    source = http("POST", "/sources", 200, json=body).json()
    assert source["definitionId"] == POSTGRES_SOURCE and "sourceType" not in source["configuration"]
    assert "sourceType" not in ab.get("source", source["sourceId"])["configuration"]
    # found anywhere in the tree (findValue), but only the top-level key is removed (airbyte.md 5.1)
    nested = http("POST", "/sources", 200, json={"name": "nested", "workspaceId": ab.workspace_id,
                                                 "configuration": {"count": 5, "extra": {"sourceType": "faker"}}}).json()
    assert nested["definitionId"] == FAKER and nested["configuration"]["extra"] == {"sourceType": "faker"}
    # sent again in PATCH/PUT it is dropped and changes nothing
    patched = http("PATCH", "/sources/" + source["sourceId"], 200, json={"configuration": {"sourceType": "faker", "port": 1}}).json()
    assert patched["definitionId"] == POSTGRES_SOURCE and "sourceType" not in patched["configuration"]
    unknown = problem_of(http("POST", "/sources", json=dict(body, configuration={"sourceType": "nope"})), 400, "value-not-found")
    assert unknown["data"] == {"value": "nope"}
    neither = problem_of(http("POST", "/sources", json=dict(body, configuration={"host": "h"})), 422, "unprocessable-entity")
    assert "data" not in neither
    destination = http("POST", "/destinations", 200, json={"name": "d", "workspaceId": ab.workspace_id,
                                                           "configuration": {"destinationType": "local-json", "destination_path": "/tmp/x"}}).json()
    assert (destination["destinationType"], destination["configuration"]) == ("local-json", {"destination_path": "/tmp/x"})


def test_configuration_validation_422(ab, http):
    answer = http("POST", "/sources", json={"name": "bad", "workspaceId": ab.workspace_id, "definitionId": POSTGRES_SOURCE,
                                            "configuration": {"host": "h", "port": "5432"}})
    message = problem_of(answer, 422, "unprocessable-entity")["data"]["message"]
    assert message.startswith("json schema validation failed when comparing the data to the json schema. \nErrors: ")
    assert "$.database: is missing but it is required" in message and "$.username: is missing but it is required" in message
    assert "$.port: '5432' is not of type 'integer'" in message
    source = make_source(http)
    problem_of(http("PATCH", "/sources/" + source["sourceId"], json={"configuration": {"port": -1}}), 422, "unprocessable-entity")
    problem_of(http("PUT", "/sources/" + source["sourceId"], json={"name": "x", "configuration": {"host": "h"}}), 422, "unprocessable-entity")
    assert ab.get("source", source["sourceId"])["configuration"]["port"] == 5432   # nothing changed
    assert ab.writes()[-1]["status"] == 422


def test_deleting_a_source_deletes_its_connections(ab, http):
    connection = make_connection(http)
    other = make_connection(http)
    http("DELETE", "/sources/" + connection["sourceId"], 204)
    problem_of(http("GET", "/sources/" + connection["sourceId"]), 404, "resource-not-found")
    problem_of(http("DELETE", "/sources/" + connection["sourceId"]), 404, "resource-not-found")
    assert ab.get("connection", connection["connectionId"])["status"] == "deprecated"
    assert ab.get("connection", other["connectionId"])["status"] == "active"
    assert [c["connectionId"] for c in http("GET", "/connections", 200).json()["data"]] == [other["connectionId"]]
    http("DELETE", "/destinations/" + other["destinationId"], 204)
    assert ab.get("connection", other["connectionId"])["status"] == "deprecated"
    deleted = http("GET", "/sources", 200, params={"includeDeleted": "true"}).json()["data"]
    assert len(deleted) == 2 and ab.get("source", connection["sourceId"]) is None


# ==================================================================================================
# plain HTTP: connections (airbyte.md 5.5)
# ==================================================================================================
def test_connection_defaults(ab, http):
    source, destination = make_source(http, "shop"), make_destination(http, "dw")
    connection = make_connection(http, source, destination)
    assert connection["name"] == "shop <> dw"   # airbyte.md 5.5 default name
    assert (connection["namespaceDefinition"], connection["nonBreakingSchemaUpdatesBehavior"], connection["prefix"]) == ("destination", "ignore", "")
    assert (connection["status"], connection["schedule"], connection["tags"]) == ("active", {"scheduleType": "manual"}, [])
    # every discovered stream, full_refresh_overwrite; the default cursor kept, no primary key (updateAllStreamsFullRefreshOverwrite)
    assert connection["configurations"]["streams"] == [{"name": "customers", "syncMode": "full_refresh_overwrite", "namespace": "public"},
                                                       {"name": "orders", "syncMode": "full_refresh_overwrite", "namespace": "public"}]
    faker = make_connection(http)
    assert stream_modes(faker) == {"users": "full_refresh_overwrite", "products": "full_refresh_overwrite", "purchases": "full_refresh_overwrite"}
    assert faker["configurations"]["streams"][0] == {"name": "users", "syncMode": "full_refresh_overwrite", "cursorField": ["updated_at"]}
    assert isinstance(connection["createdAt"], int)
    problem_of(http("POST", "/connections", json={"sourceId": str(uuid.uuid4()), "destinationId": destination["destinationId"]}),
               404, "resource-not-found")


@pytest.mark.parametrize("streams,message", [
    ([{"name": "nope"}], "Invalid stream found. The list of valid streams include: [customers, orders]."),
    ([{"name": "orders"}, {"name": "orders"}], "Duplicate stream found in configuration for: orders."),
    ([{"name": "orders", "syncMode": "full_refresh_update"}],
     "Cannot set sync mode to full_refresh_update for stream orders. Valid sync modes are: "
     "[full_refresh_overwrite, full_refresh_append, incremental_append, incremental_deduped_history]"),
    ([{"name": "orders", "syncMode": "incremental_append"}],
     "No default cursor field for stream: orders. Please include a cursor field configuration for this stream."),
    ([{"name": "orders", "syncMode": "incremental_append", "cursorField": ["nope"]}],
     "Invalid cursor field for stream: orders. The list of valid cursor fields include: "
     "[[id], [customer_id], [amount], [status], [created_at], [updated_at]]."),
    ([{"name": "orders", "syncMode": "incremental_deduped_history", "cursorField": ["updated_at"], "primaryKey": [["customer_id"]]}],
     "Primary key for stream: orders is already pre-defined. Please remove the primaryKey or provide the value as [[id]]."),
    ([{"name": "orders", "selectedFields": []}], "No fields selected for stream orders. The list of valid field names includes: "
     "[id, customer_id, amount, status, created_at, updated_at]."),
    ([{"name": "orders", "selectedFields": [{"fieldPath": ["a", "b"]}]}], "Nested field selection not supported for stream orders."),
    ([{"name": "orders", "syncMode": "incremental_deduped_history", "cursorField": ["updated_at"], "selectedFields": [{"fieldPath": ["amount"]}]}],
     "Primary key fields are not selected properly for stream: orders. Please include primary key(s) in the configuration for this stream."),
])
def test_stream_validation(ab, http, streams, message):
    source, destination = make_source(http), make_destination(http)
    answer = http("POST", "/connections", json={"sourceId": source["sourceId"], "destinationId": destination["destinationId"],
                                                "configurations": {"streams": streams}})
    problem_of(answer, 400, "bad-request", message)
    assert ab.get("connection", "x") is None and http("GET", "/connections", 200).json()["data"] == []


def test_stream_configuration_rules(ab, http):
    source, destination = make_source(http), make_destination(http)
    connection = make_connection(http, source, destination, configurations={"streams": [
        {"name": "orders", "syncMode": "incremental_deduped_history", "cursorField": ["updated_at"],
         "selectedFields": [{"fieldPath": ["id"]}, {"fieldPath": ["updated_at"]}]},
        {"name": "customers", "syncMode": "incremental_append", "cursorField": ["updated_at"], "primaryKey": [["id"]]}]})
    assert connection["configurations"]["streams"] == [
        {"name": "customers", "syncMode": "incremental_append", "namespace": "public", "cursorField": ["updated_at"], "primaryKey": [["id"]]},
        {"name": "orders", "syncMode": "incremental_deduped_history", "namespace": "public", "cursorField": ["updated_at"],
         "primaryKey": [["id"]], "selectedFields": [{"fieldPath": ["id"]}, {"fieldPath": ["updated_at"]}]}]
    # faker's cursor is source-defined: another one is refused, the same one accepted
    faker = make_faker(http)
    body = {"sourceId": faker["sourceId"], "destinationId": destination["destinationId"]}
    problem_of(http("POST", "/connections", json=dict(body, configurations={"streams": [
        {"name": "users", "syncMode": "incremental_append", "cursorField": ["created_at"]}]})), 400, "bad-request",
        "Cursor Field [created_at] is already defined by source for stream: users. Do not include a cursor field configuration for this stream.")
    same = http("POST", "/connections", 200, json=dict(body, configurations={"streams": [
        {"name": "users", "syncMode": "incremental_deduped_history", "cursorField": ["updated_at"], "primaryKey": [["id"]]}]})).json()
    assert same["configurations"]["streams"][0]["primaryKey"] == [["id"]]
    # a PATCH without streams leaves them alone; an empty list too (airbyte.md 5.5)
    for patch in ({"name": "n"}, {"configurations": {"streams": []}}):
        assert http("PATCH", "/connections/" + connection["connectionId"], 200, json=patch).json()["configurations"] == connection["configurations"]
    problem_of(http("PATCH", "/connections/" + connection["connectionId"], json={"configurations": {"streams": [{"name": "x"}]}}),
               400, "bad-request")


@pytest.mark.parametrize("expression,message", [
    (None, "Missing cron expression in the schedule."),
    ("0 * * * * ?", "The cron expression 0 * * * * ? is not valid or is less than the one hour minimum. The seconds and minutes values cannot be `*`."),
    ("*/30 0 12 * * ?", None),
    ("0 27 * * * ? * US/Pacific", "The cron expression 0 27 * * * ? * US/Pacific is not valid. Error: Cron expression contains 8 parts but we "
     "expect one of [6, 7]. Please check the cron expression format at "
     "https://www.quartz-scheduler.org/documentation/quartz-2.3.0/tutorials/crontrigger.html"),
    ("0 0 25 * * ?", None),
])
def test_cron_validation(ab, http, expression, message):
    schedule = {"scheduleType": "cron"}
    if expression is not None:
        schedule["cronExpression"] = expression
    answer = http("POST", "/connections", json={"sourceId": str(uuid.uuid4()), "destinationId": str(uuid.uuid4()), "schedule": schedule})
    body = problem_of(answer, 400, "bad-request", message)
    if message is None:
        assert body["data"]["message"].startswith("The cron expression %s is not" % expression)


def test_cron_expressions():
    for valid in ("0 0 12 * * ?", "0 15 10 ? * MON-FRI", "0 0 0 L * ?", "0 0 6 ? * 6#3", "0 0 12 1/5 * ? 2030", "0 0 0,12 * JAN,JUL ?"):
        assert cron_problem(valid) is None, valid
    for invalid in ("0 0 12 * * *", "0 0 12 ? * ?", "0 0 24 * * ?", "0 0 12 * * ? 1800", "a b c d e f", "0 0 12 * *"):
        assert cron_problem(invalid), invalid


def test_connection_tags_locked_and_patch(ab, http):
    connection = make_connection(http)
    url = "/connections/" + connection["connectionId"]
    tag = http("POST", "/tags", 200, json={"name": "t1", "color": "ABCDEF", "workspaceId": ab.workspace_id}).json()
    tagged = http("PATCH", url, 200, json={"tags": [tag], "prefix": "raw_", "namespaceDefinition": "custom_format",
                                           "namespaceFormat": "${SOURCE_NAMESPACE}_x"}).json()
    assert tagged["tags"] == [tag] and (tagged["prefix"], tagged["namespaceFormat"]) == ("raw_", "${SOURCE_NAMESPACE}_x")
    http("PATCH", "/tags/" + tag["tagId"], 200, json={"name": "t2", "color": "ABCDEF"})
    assert http("GET", url, 200).json()["tags"][0]["name"] == "t2"   # tags are shown as they are now
    http("DELETE", "/tags/" + tag["tagId"], 204)
    assert http("GET", url, 200).json()["tags"] == []
    ab.lock_connection(connection["connectionId"], "billing")
    locked = problem_of(http("PATCH", url, json={"name": "x"}), 409, "Connection is locked")
    assert (locked["type"], locked["data"]) == ("error:connection/locked", {"connectionId": connection["connectionId"], "statusReason": "billing"})
    assert http("GET", url, 200).json()["statusReason"] == "billing"


# ==================================================================================================
# plain HTTP: jobs (airbyte.md 5.6)
# ==================================================================================================
def test_job_times_and_list_filters(ab, http):
    connection = make_connection(http)
    created = http("POST", "/jobs", 200, json={"connectionId": connection["connectionId"], "jobType": "sync"}).json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z", created["startTime"])   # OffsetDateTime.toString (airbyte.md 5.6)
    ab.clock.advance(45)
    done = http("GET", "/jobs/%d" % created["jobId"], 200).json()
    assert (done["status"], done["duration"], done["startTime"]) == ("succeeded", "PT30S", created["startTime"])
    later = (ab.clock.now() + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert http("GET", "/jobs", 200, params={"createdAtStart": later}).json()["data"] == []
    assert len(http("GET", "/jobs", 200, params={"createdAtEnd": later, "status": "succeeded"}).json()["data"]) == 1
    problem_of(http("GET", "/jobs", params={"orderBy": "jobId|ASC"}), 400, "bad-request", "Invalid order by clause provided: jobId|ASC")
    problem_of(http("GET", "/jobs", params={"orderBy": "createdAt|UP"}), 400, "bad-request")
    problem_of(http("GET", "/jobs/999"), 404, "resource-not-found")
    error_id_of(http("GET", "/jobs/abc"), 400)   # jobId is an int64 path parameter (airbyte.md 6.1)
    assert len(ab.validation_errors) == 1
    ab.validation_errors.clear()
    ab.job_seconds = 0
    second = http("POST", "/jobs", 200, json={"connectionId": connection["connectionId"], "jobType": "clear"}).json()
    assert http("GET", "/jobs/%d" % second["jobId"], 200).json()["status"] == "succeeded"
    listed = http("GET", "/jobs", 200, params={"connectionId": connection["connectionId"], "jobType": "clear"}).json()
    assert [j["jobId"] for j in listed["data"]] == [second["jobId"]]
    assert listed["next"].endswith("/v1/jobs?jobType=clear&connectionId=%s&limit=20&offset=20" % connection["connectionId"])
    http("DELETE", "/connections/" + connection["connectionId"], 204)
    problem_of(http("POST", "/jobs", json={"connectionId": connection["connectionId"], "jobType": "sync"}), 409, "state-conflict")


def test_java_formats():
    assert java_duration(0) == "PT0S" and java_duration(29166) == "PT8H6M6S" and java_duration(60) == "PT1M"
    moment = datetime(2023, 3, 25, 1, 30, 50, tzinfo=timezone.utc).timestamp()
    assert java_time(moment) == "2023-03-25T01:30:50Z" and java_time(moment - 50) == "2023-03-25T01:30Z"


# ==================================================================================================
# plain HTTP: authentication, authorization, problems (airbyte.md 2, 6)
# ==================================================================================================
@pytest.mark.parametrize("path", ["/applications/token", "/v1/applications/token", "/api/public/v1/applications/token",
                                  "/api/v1/applications/token"])
def test_token_endpoint_paths_and_bodies(ab, path):
    form = {"grant_type": "client_credentials", "client_id": ab.client_id, "client_secret": ab.client_secret}
    for kwargs in ({"data": form}, {"json": form}, {"json": {"grant-type": "client_credentials", "client_id": ab.client_id,
                                                             "client_secret": ab.client_secret}}):
        answer = requests.post(ab.url + path, timeout=10, **kwargs)
        assert answer.status_code == 200, answer.text
        token = answer.json()
        assert (token["token_type"], token["expires_in"]) == ("Bearer", 900) and token["access_token"].count(".") == 2
        header = json.loads(base64.urlsafe_b64decode(token["access_token"].split(".")[0] + "=="))
        assert header == {"alg": "HS256", "typ": "JWT"}
        assert requests.get(ab.url + "/v1/workspaces", headers={"Authorization": "Bearer " + token["access_token"]}, timeout=10).ok


def test_token_errors(ab):
    bad = post_token(ab, data=token_form(ab, client_secret="wrong"))
    body = problem_of(bad, 401, "invalid-client-credentials")
    assert uuid.UUID(body["errorId"])
    error_id_of(post_token(ab, data={"client_id": "x"}), 400)   # form fields are bound, then validated (airbyte.md 6.1)
    problem_of(post_token(ab, data=token_form(ab, grant_type="password")), 400, "bad-request")
    assert len(ab.validation_errors) == 1 and "client_secret" in ab.validation_errors[0]
    ab.validation_errors.clear()


def test_401_answers(ab):
    url = ab.url + "/v1/workspaces"
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Bearer a.b.c"}, {"Authorization": "Token x"},
                    {"Authorization": "Basic " + base64.b64encode(b"airbyte:wrong").decode()}):
        body = problem_of(requests.get(url, headers=headers, timeout=10), 401, "invalid-api-key")
        assert body["detail"] == "The API key in the Authorization header is invalid."
    # a token signed for an application that is gone (reset() drops created ones) no longer works
    app = ab.create_application()
    token = requests.post(ab.url + "/applications/token", timeout=10, data=dict(app, grant_type="client_credentials")).json()["access_token"]
    ab.reset()
    problem_of(requests.get(url, headers={"Authorization": "Bearer " + token}, timeout=10), 401, "invalid-api-key")
    assert requests.get(ab.url + "/v1/health", timeout=10).status_code == 200   # no authentication


def test_token_expiry_on_the_emulated_clock(ab):
    ab.token_lifetime = 60
    answer = post_token(ab, data=token_form(ab))
    assert answer.json()["expires_in"] == 60
    headers = {"Authorization": "Bearer " + answer.json()["access_token"]}
    assert requests.get(ab.url + "/v1/workspaces", headers=headers, timeout=10).status_code == 200
    ab.clock.advance(59)
    assert requests.get(ab.url + "/v1/workspaces", headers=headers, timeout=10).status_code == 200
    ab.clock.advance(2)
    problem_of(requests.get(ab.url + "/v1/workspaces", headers=headers, timeout=10), 401, "invalid-api-key")
    assert requests.get(ab.url + "/v1/workspaces", auth=(ab.username, ab.password), timeout=10).status_code == 200
    short = ab.issue_token(lifetime=5)
    ab.clock.advance(6)
    problem_of(requests.get(ab.url + "/v1/workspaces", headers={"Authorization": "Bearer " + short}, timeout=10), 401, "invalid-api-key")


def test_403_for_a_reader(ab, http):
    reader = Http(ab, token=ab.issue_token(ab.reader_user_id))
    source = make_source(http)
    assert reader("GET", "/sources/" + source["sourceId"], 200).json()["configuration"]["password"] == SECRET_MASK
    assert [w["name"] for w in reader("GET", "/workspaces", 200).json()["data"]] == ["Default Workspace"]
    body = problem_of(reader("PATCH", "/sources/" + source["sourceId"], json={"name": "x"}), 403, "forbidden")
    assert "workspace_editor" in body["data"]["message"]
    problem_of(reader("POST", "/workspaces", json={"name": "mine"}), 403, "forbidden")
    problem_of(reader("POST", "/permissions", json={"permissionType": "workspace_admin", "userId": ab.reader_user_id,
                                                    "workspaceId": ab.workspace_id}), 403, "forbidden")
    other = http("POST", "/workspaces", 200, json={"name": "hidden"}).json()["workspaceId"]
    assert [w["name"] for w in reader("GET", "/workspaces", 200).json()["data"]] == ["Default Workspace"]
    problem_of(reader("GET", "/sources", params={"workspaceIds": other}), 403, "forbidden")
    assert [o["organizationId"] for o in reader("GET", "/organizations", 200).json()["data"]] == [ab.organization_id]


def test_409_and_other_problems(ab, http):
    admin = next(p for p in http("GET", "/permissions", 200).json()["data"])
    problem_of(http("PATCH", "/permissions/" + admin["permissionId"], json={"permissionType": "organization_reader"}), 409, "state-conflict")
    problem_of(http("DELETE", "/permissions/" + admin["permissionId"]), 409, "state-conflict")
    problem_of(http("POST", "/permissions", json={"permissionType": "workspace_reader", "userId": ab.user_id}), 400, "bad-request",
               "Workspace ID or Organization ID must be provided in order to create a permission.")
    problem_of(http("POST", "/permissions", json={"permissionType": "workspace_reader", "userId": ab.user_id, "workspaceId": ab.workspace_id,
                                                  "organizationId": ab.organization_id}), 400, "bad-request",
               "A permission cannot target both a workspace and an organization.")
    problem_of(http("POST", "/tags", json={"name": "x", "color": "red", "workspaceId": ab.workspace_id}), 400, "Invalid hex color")
    problem_of(http("POST", "/tags", json={"name": "x" * 31, "color": "FFFFFF", "workspaceId": ab.workspace_id}), 400, "Tag name too long")
    problem_of(http("PATCH", "/workspaces/" + ab.workspace_id, json={"notifications": {"failure": {"webhook": {"enabled": True}}}}),
               400, "Notification missing URL")
    for path in ("/sources/", "/destinations/", "/connections/", "/tags/", "/permissions/", "/workspaces/"):
        body = problem_of(http("GET", path + str(uuid.uuid4())), 404, "resource-not-found")
        assert body["data"]["resourceType"] == path.strip("/")[:-1] and body["documentationUrl"] is None
    assert http("POST", "/sources/initiateOAuth", json={"redirectUrl": "https://x", "sourceType": "github",
                                                        "workspaceId": ab.workspace_id}).status_code == 501   # airbyte.md 6.3


def test_both_prefixes_unknown_paths_and_methods(ab):
    token = ab.issue_token()
    for prefix in PREFIXES:
        http = Http(ab, prefix, token)
        assert http("GET", "/workspaces/" + ab.workspace_id, 200).json()["name"] == "Default Workspace"
        problem_of(http("GET", "/nowhere"), 404, "resource-not-found")
        answer = http("PUT", "/workspaces")
        problem_of(answer, 405, "method-not-allowed")
        assert answer.headers["Allow"] == "GET, POST"
    problem_of(requests.get(ab.url + "/workspaces", headers={"Authorization": "Bearer " + token}, timeout=10), 404, "resource-not-found")
    assert requests.get(ab.url + "/api/public/v1/health", timeout=10).text == "Successful operation"


def test_invalid_bodies_are_422_with_an_error_id_and_listed(ab, http):
    # airbyte.md 6.1: "malformed JSON -> 422", "JSON that does not map onto the request model (missing required
    # property, wrong type, unknown enum value) -> 422", body {"errorId": "<uuid>"}; the emulator answered 400 problems
    error_id_of(http("POST", "/workspaces", json={"nme": "typo"}), 422)
    error_id_of(http("POST", "/workspaces", data="{not json", headers={"Content-Type": "application/json"}), 422)
    error_id_of(http("POST", "/connections", json={"sourceId": "s", "destinationId": "d"}), 422)   # not uuids
    error_id_of(http("PATCH", "/connections/" + str(uuid.uuid4()), json={"status": "paused"}), 422)
    # airbyte.md 6.1: a missing (@NotNull) body is a constraint violation: 400
    error_id_of(http("POST", "/tags"), 400)
    assert len(ab.validation_errors) == 5
    assert ab.validation_errors[0].startswith("request POST /v1/workspaces: body $: 'name' is a required property")
    assert "'paused' is not one of" in ab.validation_errors[3]
    assert "a request body is required" in ab.validation_errors[4]
    ab.validation_errors.clear()
    with pytest.raises(errors.SDKError) as caught:   # the SDK sees the status and the body as sent
        sdk_client(ab).tags.update_tag(request=api.UpdateTagRequest(tag_id="not-a-uuid", tag_patch_request=models.TagPatchRequest(
            name="x", color="FFFFFF")))
    assert caught.value.status_code == 400 and set(json.loads(caught.value.body)) == {"errorId"}
    ab.validation_errors.clear()
    # unknown properties are ignored, as the server does by default (airbyte.md 8.7)
    assert http("POST", "/workspaces", 200, json={"name": "ok", "unknown": 1}).json()["name"] == "ok"


def test_an_invalid_answer_is_500_and_listed(ab, http, monkeypatch):
    tag = http("POST", "/tags", 200, json={"name": "x", "color": "FFFFFF", "workspaceId": ab.workspace_id}).json()
    monkeypatch.setattr(ab, "_tag_view", lambda stored: {"tagId": stored["tagId"], "name": stored["name"], "colour": stored["color"]})
    body = problem_of(http("GET", "/tags/" + tag["tagId"]), 500, "unexpected-problem")
    assert "'color' is a required property" in body["data"]["message"]
    assert len(ab.validation_errors) == 1
    assert ab.validation_errors[0].startswith("response GET /v1/tags/%s 200: body $: 'color' is a required property" % tag["tagId"])
    assert "('colour' was unexpected)" in ab.validation_errors[0]   # answers are checked strictly
    ab.validation_errors.clear()


def test_every_route_is_an_operation_of_the_document(ab):
    for route in ab._routes:   # pylint: disable=protected-access
        operation, _params = ab.checker.find(route.method, route.template)
        assert operation is not None and operation.template == route.template, route.template


# ==================================================================================================
# faults, log, admin, Python API, reset, sandbox
# ==================================================================================================
def test_faults(ab, http):
    ab.faults.add(path="/v1/workspaces$", method="GET", status=429, retry_after=3)
    throttled = http("GET", "/workspaces")
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "3")
    assert throttled.json()["title"] == "too-many-requests"
    assert http("GET", "/workspaces").status_code == 200
    ab.faults.add(path="/sources", method="POST", status=500)
    problem_of(http("POST", "/sources", json={"name": "x", "workspaceId": ab.workspace_id, "definitionId": FAKER, "configuration": {"count": 1}}),
               500, "internal-server-error")
    assert http("GET", "/sources", 200).json()["data"] == []   # the faulted request changed nothing
    ab.faults.add(path="/connections", drop=True)
    with pytest.raises(requests.ConnectionError):
        http("GET", "/connections")
    with pytest.raises(errors.SDKError) as caught:   # the SDK without a RetryConfig does not retry (airbyte.md 1.1)
        ab.faults.add(path="/workspaces", status=503)
        sdk_client(ab, auth="basic").workspaces.list_workspaces(request=api.ListWorkspacesRequest())
    assert caught.value.status_code == 503
    retrying = sdk_client(ab, auth="basic")
    ab.faults.add(path="/workspaces", status=429, retry_after=0, count=2)
    answer = retrying.workspaces.list_workspaces(request=api.ListWorkspacesRequest(),
                                                 retries=RetryConfig("backoff", BackoffStrategy(1, 10, 1.1, 2000), False))
    assert answer.status_code == 200
    assert [e["status"] for e in ab.log if e["path"] == "/v1/workspaces"][-3:] == [429, 429, 200]


def test_request_log(ab, http):
    source = make_source(http)
    http("PATCH", "/sources/" + source["sourceId"], 200, json={"configuration": {"port": 1234, "password": "changed"}})
    post_token(ab, data=token_form(ab))
    host = ab.url.split("//")[1]
    assert ab.log[1] == {"method": "PATCH", "path": "/v1/sources/" + source["sourceId"], "query": {},
                         "body": {"configuration": {"port": 1234, "password": "********"}}, "status": 200, "authorization": "Bearer",
                         "host": host}
    assert ab.log[2]["body"] == {"grant_type": "client_credentials", "client_id": ab.client_id, "client_secret": "********"}
    assert [e["method"] for e in ab.writes()] == ["POST", "PATCH", "POST"]
    assert "pg-secret" not in json.dumps(ab.log) and ab.client_secret not in json.dumps(ab.log)


def test_python_api(ab, http):
    assert ab.definition_id("source", "postgres") == POSTGRES_SOURCE and ab.definition_id("destination", "postgres") == POSTGRES_DESTINATION
    with pytest.raises(KeyError):
        ab.definition_id("source", "nope")
    with pytest.raises(ValueError):
        ab.get("thing", "x")
    connection = make_connection(http)
    assert ab.get("connection", connection["connectionId"]) == http("GET", "/connections/" + connection["connectionId"], 200).json()
    assert ab.get("source", connection["sourceId"]) == http("GET", "/sources/" + connection["sourceId"], 200).json()
    assert ab.get("workspace", ab.workspace_id)["name"] == "Default Workspace" and ab.get("job", 1) is None
    assert ab.raw_secret("destination", connection["destinationId"], "nope.deeper") is None
    ab.job_seconds = 10
    job = http("POST", "/jobs", 200, json={"connectionId": connection["connectionId"], "jobType": "sync"}).json()
    ab.clock.advance(10)
    assert ab.get("job", job["jobId"])["status"] == "succeeded" and ab.get("job", str(job["jobId"]))["duration"] == "PT10S"
    rule = ab.fail_next_job()
    assert rule == {"connection_id": None, "message": "Emulated job failure"} and ab.pending_failures() == [rule]
    assert (ab.username, ab.password, ab.token_lifetime) == ("airbyte", "password", 900)


def test_admin_endpoints_and_reset(ab, http):
    admin = ab.url + "/_emulator/"
    connection = make_connection(http)
    assert requests.post(admin + "failures", json={"connection_id": connection["connectionId"], "message": "boom"}, timeout=5).status_code == 201
    assert requests.get(admin + "failures", timeout=5).json() == [{"connection_id": connection["connectionId"], "message": "boom"}]
    assert requests.post(admin + "token_lifetime", json={"seconds": 30}, timeout=5).json() == {"seconds": 30}
    assert requests.post(admin + "job_seconds", json={"seconds": 5}, timeout=5).json() == {"seconds": 5.0}
    token = requests.post(admin + "tokens", json={}, timeout=5).json()
    assert token["expires_in"] == 30 and token["token_type"] == "Bearer"
    job = http("POST", "/jobs", 200, json={"connectionId": connection["connectionId"], "jobType": "sync"}).json()
    requests.post(admin + "clock", json={"advance": 5}, timeout=5)
    assert ab.get("job", job["jobId"])["status"] == "failed"
    assert requests.get(admin + "validation_errors", timeout=5).json() == []
    assert requests.post(admin + "token_lifetime", json={"seconds": 0}, timeout=5).status_code == 400
    assert requests.post(admin + "reset", timeout=5).status_code == 204
    assert ab.log == [] and ab.pending_failures() == [] and (ab.token_lifetime, ab.job_seconds) == (900, 30)
    assert http("GET", "/sources", 200).json()["data"] == [] and ab.get("connection", connection["connectionId"]) is None
    assert requests.get(ab.url + "/v1/workspaces", headers={"Authorization": "Bearer " + token["access_token"]}, timeout=5).ok   # kept


def test_fixture_and_other_instances():
    with pytest.raises(ValueError):
        AirbyteEmulator(fixture={"organizations": [], "users": [], "applications": []})
    fixture = json.loads(json.dumps(DEFAULT_FIXTURE))
    fixture["users"] = fixture["users"][:1]
    fixture["basic_auth"] = {"username": "ops", "password": "pw"}
    with AirbyteEmulator(fixture=fixture, token_lifetime=300, job_seconds=2) as other:
        assert other.reader_user_id is None and other.token_lifetime == 300
        answer = requests.get(other.url + "/v1/workspaces", auth=("ops", "pw"), timeout=5)
        assert answer.status_code == 200 and other.validation_errors == []
    fixture["users"][0]["permissions"] = [{"permissionType": "workspace_admin", "workspaceId": str(uuid.uuid4())}]
    with pytest.raises(ValueError):
        AirbyteEmulator(fixture=fixture)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sandbox_cli():
    port = free_port()
    process = subprocess.Popen([sys.executable, str(HERE / "airbyte_emulator.py"), "--port", str(port), "--speed", "10"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                answer = requests.get(url + "/v1/health", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        assert answer.status_code == 200
        listed = requests.get(url + "/api/public/v1/workspaces", auth=("airbyte", "password"), timeout=5)
        assert listed.json()["data"][0]["name"] == "Default Workspace"
    finally:
        process.kill()
        out, _err = process.communicate(timeout=10)
    assert url in out and "client_secret" in out and "Default Workspace" in out
