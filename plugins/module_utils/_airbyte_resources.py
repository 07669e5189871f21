# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Airbyte resources the modules declare, with the checks of their options and the
ways Airbyte handles some of them, set as hooks on their ``Resource`` (see ``_spec.py``):
a user's permissions are found per organization, a connection is created without its
workspace and its streams are checked against the source before a write, and a tag's or
a definition's update carries its whole body (``resend``). Each hook takes the adapter
first (``_airbyte.AirbyteAdapter``).
"""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import (
    AIRBYTE,
    IN_WORKSPACE_PATH,
    api_mappers,
    canonical_allocation,
    canonical_streams,
    schedule_text,
)
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Ref, RefSet, Resource


def workspace_resource(name, path, fields, **kwargs):
    """An Airbyte object found by its name within a workspace (names need not be unique)."""
    identity = dict(workspace=Ref(path="workspaces", wire="workspaceId", required=True, clearable=False),
                    name=Field(required=True))
    identity.update(fields)
    return Resource(name=name, path=path, platform=AIRBYTE, identity=("workspace", "name"),
                    required_identity=("workspace", "name"), fields=identity, **kwargs)


def connector_resource(kind):
    """A source or a destination: its connector by name or definition id, its configuration
    compared key by key over what the task gives, the resources its jobs get. A source may
    also be created with the secretId of credentials Airbyte keeps in its secret store (the
    OAuth flow's); Airbyte never shows it, so it is written once, never compared."""
    fields = dict(
        connector=Ref(path="definitions/%ss" % kind, key="connector", wire="definitionId", aliases=["definition_id"],
                      replace=True, clearable=False, required_on_create=True),
        configuration=Field(type="dict", merge="deep", clearable=False, required_on_create=True),
        secrets=Field(type="dict", secret=True, clearable=False),
        # PATCH replaces the allocation whole, so it is compared whole
        resource_allocation=Field(type="dict", wire="resourceAllocation", canonical=canonical_allocation,
                                  clearable=False),
    )
    if kind == "source":  # SourceCreateRequest and SourcePatchRequest have it; the destination ones do not
        fields["secret_id"] = Field(wire="secretId", secret=True, create_only=True, clearable=False)
    return workspace_resource(kind, kind + "s", fields, replace_guard="recreate")


HEX_COLOR = re.compile(r"^[0-9A-Fa-f]{6}$")


def check_tag_name(value):
    if len(value) > 30:
        raise ValueError("%r is longer than 30 characters" % value)


def check_tag_color(value):
    if not HEX_COLOR.match(value):
        raise ValueError("%r is not six hexadecimal digits (such as FF5733)" % value)


def tag_resource():
    """A workspace tag: its colour compared without case (Airbyte keeps what it was sent)."""
    return workspace_resource("tag", "tags", dict(
        name=Field(required=True, check=check_tag_name),
        color=Field(canonical=lambda v: str(v).upper(), check=check_tag_color, clearable=False,
                    required_on_create=True),
    ), resend=("name", "color"))  # a tag's PATCH wants both


def definition_resource(kind):
    """A custom connector of a workspace: the docker image Airbyte runs for sources or
    destinations of that name."""
    return workspace_resource(
        kind + "_definition", "workspaces/%s/definitions/%ss" % (IN_WORKSPACE_PATH, kind),
        dict(
            docker_repository=Field(wire="dockerRepository", replace=True, clearable=False, required_on_create=True),
            docker_image_tag=Field(wire="dockerImageTag", clearable=False, required_on_create=True),
            documentation_url=Field(wire="documentationUrl", create_only=True),
        ),
        replace_guard="recreate",
        resend=("name", "dockerImageTag"),  # the PUT body is whole
    )


def declarative_source_resource():
    """A low-code (declarative) source of a workspace: its manifest, a new version on each change."""
    return workspace_resource(
        "declarative_source", "workspaces/%s/definitions/declarative_sources" % IN_WORKSPACE_PATH,
        dict(manifest=Field(type="dict", clearable=False, required_on_create=True)),
        resend=("manifest",),  # the PUT body is whole
    )


# -- permissions: on a workspace or on an organization ------------------------------------------
PERMISSION_TYPES = ("organization_admin", "organization_editor", "organization_runner", "organization_reader",
                    "organization_member", "workspace_admin", "workspace_editor", "workspace_runner",
                    "workspace_reader")


def check_permission_scope(params):
    kind, scope = params.get("permission_type"), "workspace" if params.get("workspace") is not None else "organization"
    if kind and not kind.startswith(scope + "_"):
        raise ValueError("permission_type: %s is not a permission on %s %s; use one of %s" % (
            kind, "a" if scope == "workspace" else "an", scope,
            ", ".join(t for t in PERMISSION_TYPES if t.startswith(scope + "_"))))


def find_permissions(adapter, resource, identity):
    """A user's permissions, as one object per permission with its workspaceId or
    organizationId (the list answers scope + scopeId). Airbyte lists another user's
    permissions per organization, so each organization of the caller is asked."""
    users = adapter.resolve_path("users", identity["user"])
    organization = identity.get("organization")
    organizations = ([o["organizationId"] for o in adapter.resolve_path("organizations", organization)]
                     if organization is not None else adapter.organization_ids())
    found = {}
    for organization_id in organizations:
        for user in users:
            for perm in adapter.list("permissions", {"userId": user["id"], "organizationId": organization_id}):
                view = dict((k, perm.get(k)) for k in ("permissionId", "permissionType", "userId"))
                if perm.get("scope") in ("workspace", "organization"):
                    view[perm["scope"] + "Id"] = perm.get("scopeId")
                found[view["permissionId"]] = view
    return list(found.values())


def permission_resource():
    return Resource(
        name="permission", path="permissions", platform=AIRBYTE,
        identity=("user", "workspace"), identities=[("user", "organization")], required_identity=("user",),
        fields=dict(
            user=Ref(path="users", key="email", wire="userId", required=True, clearable=False),
            workspace=Ref(path="workspaces", wire="workspaceId", clearable=False),
            organization=Ref(path="organizations", key="organizationName", wire="organizationId", clearable=False),
            permission_type=Field(wire="permissionType", choices=PERMISSION_TYPES, clearable=False,
                                  required_on_create=True),
        ),
        mutually_exclusive=[("workspace", "organization")],
        check=check_permission_scope,
        find=find_permissions,
    )


# -- connections: schedules and streams -----------------------------------------------------------
QUARTZ_FIELD = re.compile(r"^[0-9A-Za-z*?/,#LW-]+$")


def check_schedule(value):
    """Airbyte's own rules for a cron schedule (airbyte.md 5.5), before any request."""
    text = schedule_text(value)
    if text == "manual":
        return
    fields = text.split(" ")
    if len(fields) not in (6, 7) or not all(QUARTZ_FIELD.match(f) for f in fields):
        raise ValueError("%r is not a Quartz cron expression (6 or 7 fields, seconds first, for example "
                         "'0 0 2 * * ?'), nor 'manual'; Airbyte runs schedules in UTC only" % value)
    if not fields[0].isdigit() or not fields[1].replace(",", "").isdigit():
        raise ValueError("%r: seconds and minutes must be numbers; Airbyte runs a connection at most hourly" % value)


# what each stream mapper's configuration needs (airbyte.md 3.2.1), checked before any request
MAPPER_NEEDS = {"hashing": ("targetField", "method", "fieldNameSuffix"), "field-renaming": ("originalFieldName", "newFieldName"),
                "row-filtering": ("conditions",), "field-filtering": ("targetField",),
                "encryption": ("algorithm", "targetField", "fieldNameSuffix")}
ENCRYPTION_NEEDS = {"RSA": ("publicKey",), "AES": ("key", "mode", "padding")}
HASHING_METHODS = ("MD2", "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512")


def check_mapper(stream, mapper):
    where = "stream %r, mapper %s" % (stream, mapper.get("type"))
    if mapper.get("type") not in MAPPER_NEEDS:
        raise ValueError("stream %r: mapper type %r is not one of %s" % (stream, mapper.get("type"), ", ".join(MAPPER_NEEDS)))
    config = mapper["mapperConfiguration"]
    if not isinstance(config, dict):
        raise ValueError("%s: mapper_configuration must be a dict" % where)
    needs = MAPPER_NEEDS[mapper["type"]]
    if mapper["type"] == "encryption":
        if config.get("algorithm") not in ENCRYPTION_NEEDS:
            raise ValueError("%s: algorithm must be RSA or AES" % where)
        needs += ENCRYPTION_NEEDS[config["algorithm"]]
    missing = [k for k in needs if config.get(k) in (None, "")]
    if missing:
        raise ValueError("%s: mapper_configuration needs %s" % (where, ", ".join(missing)))
    if mapper["type"] == "hashing" and config["method"] not in HASHING_METHODS:
        raise ValueError("%s: method %r is not one of %s" % (where, config["method"], ", ".join(HASHING_METHODS)))


def check_streams_given(value):
    """Each stream has a name; its mappers are ones Airbyte knows, each with what it needs."""
    for stream in value:
        if not stream.get("name"):
            raise ValueError("each stream needs a name")
        for mapper in api_mappers(stream.get("mappers")) or []:
            check_mapper(stream["name"], mapper)


def same_streams(have, want):
    """The same streams (by name, and namespace where given), each equal on what the task sets."""
    if len(have) != len(want):
        return False
    for wanted in want:
        found = [h for h in have if h["name"] == wanted["name"]
                 and (wanted["namespace"] is None or h["namespace"] == wanted["namespace"])]
        if len(found) != 1:
            return False
        if any(v is not None and found[0].get(k) != v for k, v in wanted.items()):
            return False
    return True


def check_streams(adapter, resource, current, payload):
    """Streams the source does not have, or a sync mode it cannot do, fail before the write
    with the option named (Airbyte's own answer would be a bare 400)."""
    payload = adapter.wire(payload)
    ends = current or payload
    streams = (payload.get("configurations") or {}).get("streams") if isinstance(payload.get("configurations"), dict) else None
    if not streams:
        return
    if not isinstance(ends.get("sourceId"), str):
        return  # a source an earlier task of this check run creates: nothing to read yet
    params = {"sourceId": ends["sourceId"]}
    if ends.get("destinationId") and isinstance(ends["destinationId"], str):
        params["destinationId"] = ends["destinationId"]
    known = adapter.client.request("GET", "streams", params=params, expect=(200,)) or []
    by_name = {}
    for prop in known:
        by_name.setdefault(prop.get("streamName"), []).append(prop)
    for stream in streams:
        found = [p for p in by_name.get(stream["name"], [])
                 if stream.get("namespace") in (None, p.get("streamnamespace"))]
        if not found:
            raise ModuleError("streams: the source has no stream %r%s (it has: %s)" % (
                stream["name"], " in namespace %r" % stream["namespace"] if stream.get("namespace") else "",
                ", ".join(sorted(set(str(p.get("streamName")) for p in known))) or "none"))
        modes = found[0].get("syncModes") or []
        if stream.get("syncMode") and modes and stream["syncMode"] not in modes:
            raise ModuleError("streams: stream %r cannot sync as %s (it can: %s)"
                              % (stream["name"], stream["syncMode"], ", ".join(modes)))


# -- workspaces: the region, which Airbyte shows only by its name ----------------------------------
def region(adapter, region_id):
    """The region (dataplane group) of an id, or None; read once per task."""
    key = ("regions", region_id)
    if key not in adapter.resolved:
        adapter.resolved[key] = adapter.get_or_none("regions/%s" % region_id)
    return adapter.resolved[key]


def workspace_region(adapter, obj):
    """A workspace's region as the task names it: the id given, when the workspace's
    dataResidency is that region's name (lowercased, airbyte.md 5.7), else the name shown."""
    residency = obj.get("dataResidency")
    wanted = adapter.params.get("region_id")
    found = region(adapter, wanted) if wanted and residency else None
    if found and str(found.get("name", "")).lower() == str(residency).lower():
        return wanted
    return residency


def check_workspace_write(adapter, resource, current, payload):
    """A region id that names no region fails before the write."""
    if payload.get("regionId") and region(adapter, payload["regionId"]) is None:
        raise ModuleError("region_id: no region has id %s" % payload["regionId"])


def create_connection(adapter, resource, payload):
    """A connection's workspace is its source's and destination's, not a field of its create."""
    payload = dict(payload)
    payload.pop("workspaceId", None)
    return adapter.create(resource, payload)


def connection_resource():
    return workspace_resource(
        "connection", "connections",
        dict(
            source=Ref(path="sources", wire="sourceId", replace=True, clearable=False, required_on_create=True),
            destination=Ref(path="destinations", wire="destinationId", replace=True, clearable=False,
                            required_on_create=True),
            streams=Field(type="list", elements="dict", wire="configurations", canonical=canonical_streams,
                          compare=same_streams, check=check_streams_given, clearable=False),
            schedule=Field(type="str", canonical=schedule_text, check=check_schedule, clearable=False),
            status=Field(choices=["active", "inactive"], clearable=False),
            namespace_definition=Field(wire="namespaceDefinition", choices=["source", "destination", "custom_format"],
                                       clearable=False),
            namespace_format=Field(wire="namespaceFormat"),
            prefix=Field(empty=""),
            non_breaking_schema_updates_behavior=Field(
                wire="nonBreakingSchemaUpdatesBehavior", clearable=False,
                choices=["ignore", "disable_connection", "propagate_columns", "propagate_fully"]),
            tags=RefSet(path="tags", key="name"),
        ),
        replace_guard="recreate",
        create=create_connection,
        check_write=check_streams,
    )
