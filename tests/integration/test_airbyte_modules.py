# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Airbyte modules through ansible-playbook against the Airbyte emulator
(tests/emulators/airbyte_emulator.py), which validates every request and response against
Airbyte's OpenAPI document. Evidence comes from the emulator's request log.
"""

from __future__ import absolute_import, division, print_function

import copy
import uuid

import pytest
import requests

API = "/api/public/v1"
DB_PASSWORD = "db-pass-" + uuid.uuid4().hex[:10]


@pytest.fixture(scope="module")
def airbyte():
    from airbyte_emulator import DEFAULT_FIXTURE, AirbyteEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["basic_auth"] = {"username": "airbyte", "password": "basic-" + uuid.uuid4().hex}
    emulator = AirbyteEmulator(speed=60.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def lab(airbyte, emulated_lab):
    airbyte.clock.speed = 60.0
    airbyte.reset()
    yield emulated_lab(airbyte, "airbyte",
                       {"server_url": airbyte.url + API, "client_id": airbyte.client_id,
                        "client_secret": airbyte.client_secret},
                       not_writes=[API + "/applications/token"])
    assert airbyte.validation_errors == []


def source_task(lab, name, **options):
    options.setdefault("workspace", "Default Workspace")
    options.setdefault("connector", "postgres")
    options.setdefault("configuration", {"host": "db.example.com", "port": 5432, "database": "shop", "username": "airbyte"})
    options.setdefault("secrets", {"password": DB_PASSWORD})
    return lab.task("airbyte_source", name=name, **options)


# -- sources ---------------------------------------------------------------------------------
def test_source_contract(lab):
    emu = lab.emulator
    name = "shop-" + uuid.uuid4().hex[:6]
    task = source_task(lab, name)

    run = lab.play(task, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["configuration"]["host"] == "db.example.com"
    assert result["diff"]["after"]["secrets"] == "********"

    run = lab.play(task, diff=True, verbosity=3)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("POST", API + "/sources")]
    source = result["source"]
    assert source["definitionId"] == emu.definition_id("source", "postgres")
    assert emu.raw_secret("source", source["sourceId"], "password") == DB_PASSWORD
    assert emu.issued_tokens  # the play logged in with client credentials: the minted token stays hidden too
    run.assert_hidden(DB_PASSWORD, emu.client_secret, *emu.issued_tokens)

    for check in (True, False):
        run = lab.play(task, check=check, diff=True)
        result = run.ok()
        assert not result["changed"] and run.writes == []

    # an update sends only the keys that differ; the stored secret stays
    run = lab.play(source_task(lab, name, configuration={"port": 5433, "host": "db.example.com"}), diff=True)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("PATCH", API + "/sources/" + source["sourceId"])]
    assert run.writes[0]["body"] == {"configuration": {"port": 5433}}
    assert result["diff"]["before"]["configuration"] == {"port": 5432, "host": "db.example.com"}
    assert result["diff"]["after"]["configuration"] == {"port": 5433, "host": "db.example.com"}
    assert emu.raw_secret("source", source["sourceId"], "password") == DB_PASSWORD

    # a new secret alone is no change (Airbyte cannot show it); with always it goes along
    run = lab.play(source_task(lab, name, configuration={"port": 5433}, secrets={"password": "other"}))
    assert not run.ok()["changed"] and run.writes == []
    run = lab.play(source_task(lab, name, configuration={"port": 5434}, secrets={"password": "other-" + DB_PASSWORD},
                               update_secrets="always"))
    assert run.ok()["changed"]
    assert emu.raw_secret("source", source["sourceId"], "password") == "other-" + DB_PASSWORD
    run.assert_hidden("other-" + DB_PASSWORD)

    absent = lab.task("airbyte_source", workspace="Default Workspace", name=name, state="absent")
    run = lab.play(absent, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", API + "/sources/" + source["sourceId"])]
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []


def test_source_connector_by_definition_id_and_change_guard(lab):
    emu = lab.emulator
    name = "faker-" + uuid.uuid4().hex[:6]
    task = lab.task("airbyte_source", workspace="Default Workspace", name=name,
                    definition_id=emu.definition_id("source", "faker"), configuration={"count": 100})
    assert lab.play(task).ok()["changed"]
    assert not lab.play(task).ok()["changed"]
    other = source_task(lab, name)
    run = lab.play(other)
    assert "connector: the source exists with another connector" in run.failed()["msg"]
    assert "set recreate=true" in run.failed()["msg"] and run.writes == []


@pytest.mark.parametrize("options,message", [
    ({"connector": "no-such-connector"}, "connector: no definitions/sources matches connector=no-such-connector"),
    ({"workspace": "no-such-workspace"}, "workspace"),
    ({"client_id": None}, "give exactly one way to authenticate"),
])
def test_source_bad_input_fails_before_any_write(lab, options, message):
    if options.get("client_id", "") is None:
        run = lab.play(source_task(lab, "x", bearer_token="also-a-token"))
    else:
        run = lab.play(source_task(lab, "x-" + uuid.uuid4().hex[:6], **options))
    assert message in run.failed()["msg"]
    assert run.writes == []


def test_duplicate_names_fail_with_the_matches(lab):
    name = "twin-" + uuid.uuid4().hex[:6]
    task = source_task(lab, name)
    first = lab.play(task).ok()["source"]
    # a second source of the same name, made outside the module (Airbyte allows it)
    answer = requests.post(lab.emulator.url + API + "/sources", timeout=10,
                           headers={"Authorization": "Bearer " + lab.emulator.issue_token()},
                           json={"name": name, "workspaceId": first["workspaceId"], "definitionId": first["definitionId"],
                                 "configuration": {"host": "h", "port": 1, "database": "d", "username": "u", "password": "p"}})
    assert answer.status_code == 200, answer.text
    run = lab.play(task)
    message = run.failed()["msg"]
    assert "2 source objects match" in message and first["sourceId"] in message and run.writes == []


# -- destinations ----------------------------------------------------------------------------
def test_destination_contract(lab):
    name = "lake-" + uuid.uuid4().hex[:6]
    task = lab.task("airbyte_destination", workspace="Default Workspace", name=name, connector="s3",
                    configuration={"s3_bucket_name": "lake", "s3_bucket_path": "raw", "s3_bucket_region": "eu-west-1",
                                   "format": {"format_type": "JSONL"}},
                    secrets={"access_key_id": "AKIA" + DB_PASSWORD, "secret_access_key": "s3-" + DB_PASSWORD})
    run = lab.play(task, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task, verbosity=3)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("POST", API + "/destinations")]
    assert result["destination"]["configuration"]["secret_access_key"] == "**********"
    run.assert_hidden("s3-" + DB_PASSWORD, "AKIA" + DB_PASSWORD)
    run = lab.play(task)
    assert not run.ok()["changed"] and run.writes == []


# -- workspaces ------------------------------------------------------------------------------
def test_workspace_contract(lab):
    name = "team-" + uuid.uuid4().hex[:6]
    task = lab.task("airbyte_workspace", name=name)
    run = lab.play(task, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task)
    workspace = run.ok()["workspace"]
    assert run.write_calls() == [("POST", API + "/workspaces")]
    run = lab.play(task)
    assert not run.ok()["changed"] and run.writes == []

    notify = lab.task("airbyte_workspace", name=name,
                      notifications={"failure": {"webhook": {"enabled": True, "url": "https://hooks.example.com/x"}}})
    run = lab.play(notify, diff=True)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("PATCH", API + "/workspaces/" + workspace["workspaceId"])]
    assert run.writes[0]["body"] == {"notifications": {"failure": {"webhook": {"enabled": True, "url": "https://hooks.example.com/x"}}}}
    assert not lab.play(notify).ok()["changed"]

    renamed = name + "-renamed"
    run = lab.play(lab.task("airbyte_workspace", id=workspace["workspaceId"], name=renamed))
    assert run.ok()["changed"] and run.writes[0]["body"] == {"name": renamed}

    absent = lab.task("airbyte_workspace", name=renamed, state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", API + "/workspaces/" + workspace["workspaceId"])]
    assert not lab.play(absent).ok()["changed"]


def test_basic_and_bearer_auth(lab):
    emu = lab.emulator
    task = lab.task("airbyte_workspace", name="Default Workspace", server_url=emu.url + "/v1",
                    username=emu.username, password=emu.password)
    run = lab.play(task, connection=False, verbosity=3)
    assert not run.ok()["changed"]
    assert {r["authorization"] for r in run.requests} == {"Basic"}
    run.assert_hidden(emu.password)
    token = emu.issue_token()
    run = lab.play(lab.task("airbyte_workspace", name="Default Workspace", server_url=emu.url + "/v1", bearer_token=token),
                   connection=False, verbosity=3)
    assert not run.ok()["changed"]
    run.assert_hidden(token)


# -- connections -----------------------------------------------------------------------------
def pipeline_ends(lab, suffix):
    tasks = "\n".join([
        lab.task("airbyte_source", workspace="Default Workspace", name="faker-" + suffix, connector="faker",
                 configuration={"count": 50}, _task="source"),
        lab.task("airbyte_destination", workspace="Default Workspace", name="json-" + suffix, connector="local-json",
                 configuration={"destination_path": "/local/" + suffix}, _task="destination"),
    ])
    run = lab.play(tasks)
    return run.ok("source")["source"], run.ok("destination")["destination"]


def test_connection_contract(lab):
    suffix = uuid.uuid4().hex[:6]
    source, destination = pipeline_ends(lab, suffix)
    name = "pipe-" + suffix
    options = dict(workspace="Default Workspace", name=name, source="faker-" + suffix, destination="json-" + suffix,
                   schedule="0 0 2 * * ?", status="active",
                   streams=[{"name": "users", "sync_mode": "incremental_append", "cursor_field": "updated_at"},
                            {"name": "products"}])
    task = lab.task("airbyte_connection", **options)

    run = lab.play(task, check=True, diff=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task, diff=True)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("POST", API + "/connections")]
    body = run.writes[0]["body"]
    assert (body["sourceId"], body["destinationId"]) == (source["sourceId"], destination["destinationId"])
    assert body["schedule"] == {"scheduleType": "cron", "cronExpression": "0 0 2 * * ?"}
    connection = result["connection"]
    assert connection["schedule"]["cronExpression"].endswith("UTC")  # Airbyte adds it; no change next time

    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []
    # the same streams in another order and the schedule with Airbyte's suffix: quiet too
    quiet = dict(options, schedule="0 0 2 * * ? UTC", streams=list(reversed(options["streams"])))
    run = lab.play(lab.task("airbyte_connection", **quiet))
    assert not run.ok()["changed"] and run.writes == []

    run = lab.play(lab.task("airbyte_connection", **dict(options, schedule="0 30 4 * * ?")), diff=True)
    result = run.ok()
    assert run.write_calls() == [("PATCH", API + "/connections/" + connection["connectionId"])]
    assert run.writes[0]["body"] == {"schedule": {"scheduleType": "cron", "cronExpression": "0 30 4 * * ?"}}
    assert (result["diff"]["before"]["schedule"], result["diff"]["after"]["schedule"]) == ("0 0 2 * * ?", "0 30 4 * * ?")

    absent = lab.task("airbyte_connection", workspace="Default Workspace", name=name, state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", API + "/connections/" + connection["connectionId"])]
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []


@pytest.mark.parametrize("options,message", [
    ({"schedule": "*/5 * * * * ?"}, "schedule: "),
    ({"schedule": "0 0 2 * *"}, "is not a Quartz cron expression"),
    ({"streams": [{"name": "no_such_stream"}]}, "streams: the source has no stream 'no_such_stream' (it has: "),
    ({"streams": [{"name": "users", "sync_mode": "incremental_update"}]}, "streams: stream 'users' cannot sync as"),
    ({"source": "no-such-source"}, "source: no sources matches name=no-such-source"),
])
def test_connection_bad_input_fails_before_any_write(lab, options, message):
    suffix = uuid.uuid4().hex[:6]
    pipeline_ends(lab, suffix)
    base = dict(workspace="Default Workspace", name="bad-" + suffix, source="faker-" + suffix, destination="json-" + suffix)
    # a dry run predicts the failure, except for a missing source: an earlier task of the
    # same dry run may create it (a warning then)
    for check in (False,) if "source" in options else (True, False):
        run = lab.play(lab.task("airbyte_connection", **dict(base, **options)), check=check)
        assert message in run.failed()["msg"]
        assert run.writes == []


# -- jobs ------------------------------------------------------------------------------------
def test_sync_job_contract(lab):
    suffix = uuid.uuid4().hex[:6]
    pipeline_ends(lab, suffix)
    connection = lab.play(lab.task("airbyte_connection", workspace="Default Workspace", name="pipe-" + suffix,
                                   source="faker-" + suffix, destination="json-" + suffix)).ok()["connection"]
    # a frozen emulator clock must not hold a test for an hour
    sync = lab.task("airbyte_job", workspace="Default Workspace", connection="pipe-" + suffix, wait_sleep=0.2, wait_timeout=60)

    run = lab.play(sync, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(sync)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("POST", API + "/jobs")]
    assert result["job"]["status"] == "succeeded" and result["job"]["rowsSynced"] >= 0

    # a job in progress is reported (and waited for), never started twice
    lab.emulator.clock.speed = 0  # time stands still until the waiting task has looked
    started = lab.play(lab.task("airbyte_job", connection=connection["connectionId"], wait=False)).ok()
    assert started["changed"] and started["job"]["status"] in ("pending", "running")
    done = lab.advance_when(API + "/jobs/", 600)
    run = lab.play(lab.task("airbyte_job", connection=connection["connectionId"], wait_sleep=0.2, wait_timeout=60))
    done.join()
    result = run.ok()
    assert not result["changed"] and run.writes == [] and result["job"]["jobId"] == started["job"]["jobId"]
    assert result["job"]["status"] == "succeeded"

    # cancel: only when one is in progress
    lab.play(lab.task("airbyte_job", connection=connection["connectionId"], wait=False)).ok()
    step = lab.advance_when(API + "/jobs/", 5)
    run = lab.play(lab.task("airbyte_job", connection=connection["connectionId"], state="cancelled", wait_sleep=0.2,
                            wait_timeout=60))
    step.join()
    result = run.ok()
    assert result["changed"] and run.write_calls()[0][0] == "DELETE" and result["job"]["status"] == "cancelled"
    run = lab.play(lab.task("airbyte_job", connection=connection["connectionId"], state="cancelled"))
    assert not run.ok()["changed"] and run.writes == []

    # a failed sync fails the task with its status
    lab.emulator.fail_next_job(connection_id=connection["connectionId"], message="source crashed")
    step = lab.advance_when(API + "/jobs/", 600)
    run = lab.play(sync)
    step.join()
    result = run.failed()
    assert "ended failed" in result["msg"] and result["changed"] and result["job"]["status"] == "failed"


# -- tags ------------------------------------------------------------------------------------
def test_tag_contract_and_connection_tags(lab):
    suffix = uuid.uuid4().hex[:6]
    task = lab.task("airbyte_tag", workspace="Default Workspace", name="fin-" + suffix, color="2e86c1")
    run = lab.play(task)
    tag = run.ok()["tag"]
    assert run.write_calls() == [("POST", API + "/tags")]
    assert not lab.play(task).ok()["changed"]  # colour compared without case
    run = lab.play(task.replace("2e86c1", "FF5733"))
    assert run.ok()["changed"] and run.writes[0]["body"] == {"name": "fin-" + suffix, "color": "FF5733"}
    run = lab.play(lab.task("airbyte_tag", workspace="Default Workspace", name="x" * 31, color="123456"))
    assert "name: " in run.failed()["msg"] and "longer than 30" in run.failed()["msg"] and run.writes == []

    pipeline_ends(lab, suffix)
    pipe = lab.task("airbyte_connection", workspace="Default Workspace", name="pipe-" + suffix, source="faker-" + suffix,
                    destination="json-" + suffix, tags=["fin-" + suffix])
    run = lab.play(pipe)
    assert [t["tagId"] for t in run.ok()["connection"]["tags"]] == [tag["tagId"]]
    assert not lab.play(pipe).ok()["changed"]

    absent = lab.task("airbyte_tag", workspace="Default Workspace", name="fin-" + suffix, state="absent")
    assert lab.play(absent).ok()["changed"]
    assert not lab.play(absent).ok()["changed"]


# -- permissions -----------------------------------------------------------------------------
def test_permission_contract(lab):
    emu = lab.emulator
    seeded = [p for p in emu.permissions() if p["userId"] == emu.reader_user_id]
    assert [p["permissionType"] for p in seeded] == ["workspace_reader"]
    task = lab.task("airbyte_permission", user="Reader@Example.com", workspace="Default Workspace",
                    permission_type="workspace_editor")
    run = lab.play(task, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert (result["diff"]["before"]["permission_type"], result["diff"]["after"]["permission_type"]) == (
        "workspace_reader", "workspace_editor")
    run = lab.play(task)
    assert run.ok()["changed"] and run.write_calls() == [("PATCH", API + "/permissions/" + seeded[0]["permissionId"])]
    assert run.writes[0]["body"] == {"permissionType": "workspace_editor"}  # only the type changes
    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []

    org = lab.task("airbyte_permission", user=emu.reader_user_id, organization="Default Organization",
                   permission_type="organization_reader")
    run = lab.play(org, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(org)
    permission = run.ok()["permission"]
    assert run.write_calls() == [("POST", API + "/permissions")]
    assert run.writes[0]["body"] == {"userId": emu.reader_user_id, "organizationId": emu.organization_id,
                                     "permissionType": "organization_reader"}
    assert permission["organizationId"] == emu.organization_id
    run = lab.play(org)
    assert not run.ok()["changed"] and run.writes == []

    absent = lab.task("airbyte_permission", user=emu.reader_user_id, organization="Default Organization", state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", API + "/permissions/" + permission["permissionId"])]
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []


@pytest.mark.parametrize("options,message", [
    ({"user": "nobody@example.com", "workspace": "Default Workspace", "permission_type": "workspace_reader"},
     "user: no users matches email=nobody@example.com"),
    ({"user": "reader@example.com", "workspace": "Default Workspace", "permission_type": "organization_admin"},
     "permission_type: organization_admin is not a permission on a workspace"),
    ({"user": "reader@example.com", "organization": "Default Organization", "workspace": "Default Workspace"},
     "mutually exclusive"),
])
def test_permission_bad_input_fails_before_any_write(lab, options, message):
    run = lab.play(lab.task("airbyte_permission", **options))
    assert message in run.failed()["msg"]
    assert run.writes == []


# -- custom connectors -----------------------------------------------------------------------
def test_custom_definition_contract(lab):
    emu = lab.emulator
    suffix = uuid.uuid4().hex[:6]
    collection = API + "/workspaces/%s/definitions/sources" % emu.workspace_id
    task = lab.task("airbyte_source_definition", workspace="Default Workspace", name="inventory-" + suffix,
                    docker_repository="example/source-inventory", docker_image_tag="1.0.0")
    run = lab.play(task, check=True, diff=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task)
    definition = run.ok()["source_definition"]
    assert run.write_calls() == [("POST", collection)]
    assert run.writes[0]["body"] == {"name": "inventory-" + suffix, "dockerRepository": "example/source-inventory",
                                     "dockerImageTag": "1.0.0"}
    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []

    upgrade = task.replace("1.0.0", "1.1.0")
    run = lab.play(upgrade, diff=True)
    result = run.ok()
    assert run.write_calls() == [("PUT", collection + "/" + definition["id"])]
    assert run.writes[0]["body"] == {"name": "inventory-" + suffix, "dockerImageTag": "1.1.0"}  # PUT wants both
    assert result["diff"]["after"]["docker_image_tag"] == "1.1.0"

    run = lab.play(upgrade.replace("example/source-inventory", "example/other"))
    assert "docker_repository" in run.failed()["msg"] and "recreate=true" in run.failed()["msg"] and run.writes == []

    # sources take it by name like any connector
    source = lab.task("airbyte_source", workspace="Default Workspace", name="inv-" + suffix,
                      connector="inventory-" + suffix, configuration={"region": "eu"})
    run = lab.play(source)
    assert run.ok()["source"]["definitionId"] == definition["id"]
    assert lab.play(lab.task("airbyte_source", workspace="Default Workspace", name="inv-" + suffix,
                             state="absent")).ok()["changed"]

    absent = lab.task("airbyte_source_definition", workspace="Default Workspace", name="inventory-" + suffix,
                      state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", collection + "/" + definition["id"])]
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []

    destination = lab.task("airbyte_destination_definition", workspace="Default Workspace", name="warehouse-" + suffix,
                           docker_repository="example/destination-warehouse", docker_image_tag="2.0.0",
                           documentation_url="https://docs.example.com/warehouse")
    run = lab.play(destination)
    assert run.ok()["changed"] and run.write_calls() == [
        ("POST", API + "/workspaces/%s/definitions/destinations" % emu.workspace_id)]
    run = lab.play(destination)
    assert not run.ok()["changed"] and run.writes == []


MANIFEST = {
    "version": "6.5.0", "type": "DeclarativeSource",
    "check": {"type": "CheckStream", "stream_names": ["incidents"]},
    "streams": [{"type": "DeclarativeStream", "name": "incidents", "primary_key": ["id"],
                 "retriever": {"type": "SimpleRetriever",
                               "requester": {"type": "HttpRequester", "url_base": "https://status.example.com/api",
                                             "path": "/incidents", "http_method": "GET"},
                               "record_selector": {"type": "RecordSelector",
                                                   "extractor": {"type": "DpathExtractor", "field_path": ["data"]}}}}],
    "spec": {"type": "Spec", "connection_specification": {"type": "object", "properties": {}}},
}


def test_declarative_source_contract(lab):
    emu = lab.emulator
    suffix = uuid.uuid4().hex[:6]
    collection = API + "/workspaces/%s/definitions/declarative_sources" % emu.workspace_id
    task = lab.task("airbyte_declarative_source", workspace="Default Workspace", name="status-" + suffix,
                    manifest=MANIFEST)
    run = lab.play(task, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task)
    definition = run.ok()["declarative_source"]
    assert run.write_calls() == [("POST", collection)] and definition["version"] == 1
    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []

    changed = copy.deepcopy(MANIFEST)
    changed["streams"][0]["retriever"]["requester"]["path"] = "/v2/incidents"
    run = lab.play(lab.task("airbyte_declarative_source", workspace="Default Workspace", name="status-" + suffix,
                            manifest=changed))
    result = run.ok()
    assert run.write_calls() == [("PUT", collection + "/" + definition["id"])]
    assert run.writes[0]["body"] == {"manifest": changed} and result["declarative_source"]["version"] == 2

    source = lab.task("airbyte_source", workspace="Default Workspace", name="status-src-" + suffix,
                      connector="status-" + suffix, configuration={})
    assert lab.play(source).ok()["source"]["definitionId"] == definition["id"]

    absent = lab.task("airbyte_declarative_source", workspace="Default Workspace", name="status-" + suffix,
                      state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", collection + "/" + definition["id"])]
    assert not lab.play(absent).ok()["changed"]


# -- OAuth overrides -------------------------------------------------------------------------
def test_oauth_override_is_write_only(lab):
    emu = lab.emulator
    secret = "oauth-secret-" + uuid.uuid4().hex
    config = {"client_id": "our-app", "client_secret": secret, "developer_token": "dev-" + secret}
    task = lab.task("airbyte_oauth_override", workspace="Default Workspace", name="google-ads", configuration=config)
    run = lab.play(task, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["configuration"] == {"client_id": "********", "client_secret": "********",
                                                        "developer_token": "********"}
    for attempt in range(2):  # nothing reads it back: every run sends it, and says so
        run = lab.play(task, verbosity=3)
        assert run.ok()["changed"] and run.write_calls() == [("PUT", API + "/workspaces/%s/oauthCredentials" % emu.workspace_id)]
        run.assert_hidden(secret, emu.client_secret, *emu.issued_tokens)
    assert emu.oauth_override("workspace", emu.workspace_id, "source", "google-ads") == config

    org = lab.task("airbyte_oauth_override", organization="Default Organization", actor_type="destination",
                   name="google-sheets", configuration={"client_id": "x", "client_secret": secret})
    run = lab.play(org)
    assert run.ok()["oauth_override"] == {"organization_id": emu.organization_id, "actor_type": "destination",
                                          "name": "google-sheets"}
    assert emu.oauth_override("organization", emu.organization_id, "destination", "google-sheets")["client_id"] == "x"

    run = lab.play(lab.task("airbyte_oauth_override", workspace="Default Workspace", name="google-ads", state="absent"))
    assert run.write_calls() == [("DELETE", API + "/workspaces/%s/oauthCredentials/source/google-ads" % emu.workspace_id)]
    assert emu.oauth_override("workspace", emu.workspace_id, "source", "google-ads") is None

    run = lab.play(lab.task("airbyte_oauth_override", workspace="No Such Workspace", name="google-ads", configuration=config))
    assert "workspace: no workspace matches" in run.failed()["msg"] and run.writes == []


# -- info ------------------------------------------------------------------------------------
def test_info_reads_every_page(lab):
    suffix = uuid.uuid4().hex[:6]
    count = 105  # more than one page of 100
    token = lab.emulator.issue_token()
    for index in range(count):
        answer = requests.post(lab.emulator.url + API + "/sources", timeout=10, headers={"Authorization": "Bearer " + token},
                               json={"name": "bulk-%s-%03d" % (suffix, index), "workspaceId": lab.emulator.workspace_id,
                                     "definitionId": lab.emulator.definition_id("source", "faker"), "configuration": {"count": 1}})
        assert answer.status_code == 200, answer.text
    tasks = "\n".join([
        lab.task("airbyte_info", resource="sources", workspace="Default Workspace", _task="sources"),
        lab.task("airbyte_info", resource="health", _task="health"),
        lab.task("airbyte_info", resource="organizations", _task="organizations"),
        lab.task("airbyte_info", resource="workspaces", name="Default Workspace", _task="workspaces"),
        lab.task("airbyte_info", resource="source_definitions", workspace="Default Workspace", _task="source_definitions"),
        lab.task("airbyte_info", resource="destination_definitions", workspace="Default Workspace", name="Postgres",
                 _task="destination_definitions"),
        lab.task("airbyte_info", resource="source_definitions", _task="no_workspace"),
    ])
    run = lab.play(tasks, check=True)
    assert len([s for s in run.ok("sources")["sources"] if s["name"].startswith("bulk-" + suffix)]) == count
    assert run.ok("health")["health"]["healthy"] and run.ok("organizations")["organizations"]
    assert [w["workspaceId"] for w in run.ok("workspaces")["workspaces"]] == [lab.emulator.workspace_id]
    # connector definitions (0.2.0): Airbyte lists them per workspace
    sources = run.ok("source_definitions")["source_definitions"]
    assert lab.emulator.definition_id("source", "faker") in [d["id"] for d in sources]
    assert {d["workspaceId"] for d in sources} == {lab.emulator.workspace_id}
    assert [d["id"] for d in run.ok("destination_definitions")["destination_definitions"]] == [
        lab.emulator.definition_id("destination", "postgres")]
    assert "workspace: needed to read connector definitions" in run.failed("no_workspace")["msg"]
    assert run.writes == []
    pages = [r for r in run.requests if r["path"] == API + "/sources"]
    assert [p["query"].get("offset") for p in pages] == ["0", "100"]


# -- role ------------------------------------------------------------------------------------
def test_pipeline_role(lab):
    suffix = uuid.uuid4().hex[:6]
    role = """- name: pipeline
  ansible.builtin.include_role:
    name: statecraft.infra.airbyte_pipeline
  vars:
    airbyte_pipeline_workspace: Default Workspace
    airbyte_pipeline_source: {name: shop-%(s)s, connector: postgres,
                              configuration: {host: db, port: 5432, database: shop, username: airbyte}}
    airbyte_pipeline_source_secrets: {password: "%(p)s"}
    airbyte_pipeline_destination: {name: lake-%(s)s, connector: local-json, configuration: {destination_path: /local/%(s)s}}
    airbyte_pipeline_name: shop-to-lake-%(s)s
    airbyte_pipeline_schedule: "0 0 2 * * ?"
    airbyte_pipeline_streams: [{name: customers, namespace: public}]
    airbyte_pipeline_sync: true
- name: t
  ansible.builtin.debug:
    var: airbyte_pipeline
""" % {"s": suffix, "p": DB_PASSWORD}
    run = lab.play(role, verbosity=2)
    assert run.rc == 0, run.output
    fact = run.task("t")["airbyte_pipeline"]
    connection = lab.emulator.get("connection", fact["connection_id"])
    assert connection["schedule"]["scheduleType"] == "cron" and fact["job"]["status"] == "succeeded"
    assert [w[0] for w in run.write_calls()] == ["POST", "POST", "POST", "POST"]  # source, destination, connection, job
    run.assert_hidden(DB_PASSWORD)
    run = lab.play(role.replace("airbyte_pipeline_sync: true", "airbyte_pipeline_sync: false"))
    assert run.rc == 0, run.output
    assert run.writes == []


# -- what the Terraform provider manages (0.2.0) ---------------------------------------------
def test_resource_allocation_and_secret_id(lab):
    emu = lab.emulator
    suffix = uuid.uuid4().hex[:6]
    secret_id = "oauth-handle-" + uuid.uuid4().hex
    source_allocation = {"default": {"cpu_request": "0.5", "memory_limit": "2Gi"},
                         "job_specific": [{"job_type": "sync", "resource_requirements": {"cpu_limit": "2"}},
                                          {"job_type": "check_connection", "resource_requirements": {"memory_limit": "1Gi"}}]}
    source = source_task(lab, "sized-" + suffix, resource_allocation=source_allocation, secret_id=secret_id,
                         _task="source")
    # the API's own camelCase names work as well
    destination = lab.task("airbyte_destination", workspace="Default Workspace", name="sized-dw-" + suffix,
                           connector="local-json", configuration={"destination_path": "/local/" + suffix},
                           resource_allocation={"jobSpecific": [{"jobType": "sync",
                                                                 "resourceRequirements": {"memory_request": "1Gi"}}]},
                           _task="destination")
    both = source + "\n" + destination

    run = lab.play(both, check=True, diff=True)
    assert run.ok("source")["changed"] and run.ok("destination")["changed"] and run.writes == []
    after = run.ok("source")["diff"]["after"]
    assert "secretId" not in run.ok("source")["source"]  # the predicted source: never the id, masked or not
    assert after["secret_id"] == "********" and after["resource_allocation"]["jobSpecific"][0]["jobType"] == "check_connection"

    run = lab.play(both, diff=True, verbosity=3)
    created = run.ok("source")["source"]
    assert run.write_calls() == [("POST", API + "/sources"), ("POST", API + "/destinations")]
    assert run.writes[0]["body"]["resourceAllocation"] == {
        "default": {"cpu_request": "0.5", "memory_limit": "2Gi"},
        "jobSpecific": [{"jobType": "check_connection", "resourceRequirements": {"memory_limit": "1Gi"}},
                        {"jobType": "sync", "resourceRequirements": {"cpu_limit": "2"}}]}
    assert run.writes[1]["body"]["resourceAllocation"] == {
        "jobSpecific": [{"jobType": "sync", "resourceRequirements": {"memory_request": "1Gi"}}]}
    assert emu.secret_id(created["sourceId"]) == secret_id
    run.assert_hidden(secret_id, DB_PASSWORD)

    # converged: job types in another order, a quantity given as a number
    reordered = dict(source_allocation, job_specific=list(reversed(source_allocation["job_specific"])),
                     default={"cpu_request": 0.5, "memory_limit": "2Gi"})
    run = lab.play(source_task(lab, "sized-" + suffix, resource_allocation=reordered, secret_id="another-" + secret_id,
                               _task="source") + "\n" + destination)
    assert not run.ok("source")["changed"] and not run.ok("destination")["changed"] and run.writes == []

    # a change sends the allocation whole; bad input fails before its write
    smaller = {"default": {"cpu_request": "0.25"}}
    bad = source_task(lab, "sized-" + suffix, resource_allocation={"job_specific": [{"job_type": "nap"}]}, _task="bad")
    run = lab.play(source_task(lab, "sized-" + suffix, resource_allocation=smaller, _task="source") + "\n" + bad, diff=True)
    result = run.ok("source")
    assert result["changed"] and run.write_calls() == [("PATCH", API + "/sources/" + created["sourceId"])]
    assert run.writes[0]["body"] == {"resourceAllocation": {"default": {"cpu_request": "0.25"}}}
    assert result["diff"]["after"]["resource_allocation"] == {"default": {"cpu_request": "0.25"}}
    assert "resource_allocation: job_specific: job_type 'nap' is not one of" in run.failed("bad")["msg"]


def test_connection_stream_mappers_files_and_object_name(lab):
    suffix = uuid.uuid4().hex[:6]
    pipeline_ends(lab, suffix)
    aes_key = "aes-" + uuid.uuid4().hex
    hashing = {"type": "hashing",
               "mapper_configuration": {"targetField": "email", "method": "SHA-256", "fieldNameSuffix": "_hashed"}}
    encryption = {"type": "encryption",
                  "mapper_configuration": {"algorithm": "AES", "key": aes_key, "mode": "GCM", "padding": "NoPadding",
                                           "targetField": "telephone", "fieldNameSuffix": "_enc"}}
    rows = {"type": "row-filtering",
            "mapper_configuration": {"conditions": {"type": "EQUAL", "fieldName": "gender", "comparisonValue": "F"}}}
    streams = [{"name": "users", "mappers": [hashing, encryption, rows], "include_files": False,
                "destination_object_name": "people"},
               {"name": "products"}]
    options = dict(workspace="Default Workspace", name="mapped-" + suffix, source="faker-" + suffix,
                   destination="json-" + suffix, streams=streams)
    task = lab.task("airbyte_connection", **options)

    run = lab.play(task, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    users = [s for s in result["diff"]["after"]["streams"] if s["name"] == "users"][0]
    assert users["mappers"][1]["mapperConfiguration"]["key"] == "**********"

    run = lab.play(task, diff=True)
    result = run.ok()
    assert run.write_calls() == [("POST", API + "/connections")]
    sent = run.writes[0]["body"]["configurations"]["streams"]
    assert [m["type"] for m in sent[0]["mappers"]] == ["hashing", "encryption", "row-filtering"]
    assert (sent[0]["includeFiles"], sent[0]["destinationObjectName"]) == (False, "people")
    connection = result["connection"]
    stored = lab.emulator.get("connection", connection["connectionId"])["configurations"]["streams"]
    assert stored[0]["mappers"][1]["mapperConfiguration"]["key"] == aes_key  # what was sent, key included
    run.assert_hidden(aes_key)

    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []

    # mappers compare in order: a changed one rewrites the streams; a mapper missing what it needs fails first
    rehash = dict(hashing, mapper_configuration=dict(hashing["mapper_configuration"], method="SHA-512"))
    changed = [dict(streams[0], mappers=[rehash, encryption, rows]), streams[1]]
    bad = lab.task("airbyte_connection", **dict(options, streams=[{"name": "users", "mappers": [
        {"type": "hashing", "mapper_configuration": {"targetField": "email", "fieldNameSuffix": "_h"}}]}], _task="bad"))
    run = lab.play(lab.task("airbyte_connection", **dict(options, streams=changed)) + "\n" + bad, diff=True)
    result = run.ok()
    assert result["changed"] and run.write_calls() == [("PATCH", API + "/connections/" + connection["connectionId"])]
    assert run.writes[0]["body"]["configurations"]["streams"][0]["mappers"][0]["mapperConfiguration"]["method"] == "SHA-512"
    assert "streams: stream 'users', mapper hashing: mapper_configuration needs method" in run.failed("bad")["msg"]
    run.assert_hidden(aes_key)


def test_workspace_region_changes_in_place(lab):
    emu = lab.emulator
    token = emu.issue_token()
    eu = requests.post(emu.url + API + "/regions", timeout=10, headers={"Authorization": "Bearer " + token},
                       json={"name": "EU", "organizationId": emu.organization_id}).json()
    auto = requests.get(emu.url + API + "/regions", timeout=10, headers={"Authorization": "Bearer " + token},
                        params={"organizationId": emu.organization_id}).json()["data"][0]
    name = "regional-" + uuid.uuid4().hex[:6]
    in_eu = lab.task("airbyte_workspace", name=name, region_id=eu["regionId"], _task="create")
    run = lab.play(in_eu + "\n" + in_eu.replace("name: create", "name: again"))
    workspace = run.ok("create")["workspace"]
    assert run.write_calls() == [("POST", API + "/workspaces")] and run.writes[0]["body"]["regionId"] == eu["regionId"]
    assert workspace["dataResidency"] == "eu" and not run.ok("again")["changed"]

    # WorkspaceUpdateRequest has regionId: the workspace moves in place (it was create-only before)
    back = lab.task("airbyte_workspace", name=name, region_id=auto["regionId"])
    run = lab.play(back, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert (result["diff"]["before"]["region_id"], result["diff"]["after"]["region_id"]) == ("eu", auto["regionId"])
    nowhere = lab.task("airbyte_workspace", name=name, region_id=str(uuid.uuid4()), _task="bad")
    run = lab.play(back + "\n" + back.replace("name: t", "name: again") + "\n" + nowhere)
    assert run.ok()["changed"] and run.write_calls() == [("PATCH", API + "/workspaces/" + workspace["workspaceId"])]
    assert run.writes[0]["body"] == {"regionId": auto["regionId"]} and run.ok()["workspace"]["dataResidency"] == "auto"
    assert not run.ok("again")["changed"]
    assert "region_id: no region has id" in run.failed("bad")["msg"]
