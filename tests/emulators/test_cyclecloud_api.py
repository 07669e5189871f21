# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CycleCloud emulator checked two ways, since the vendor's client (cyclecloud_api 8.1.0) is not on PyPI:

* every response body is validated with jsonschema against its definition in specs/cyclecloud-openapi.json
  (the whole document is the root schema, so "#/definitions/..." resolve);
* requests go out exactly as the 8.1.0 client sends them (cyclecloud.md 1.1/1.2 [PROBE]): a requests.Session
  whose headers are replaced wholesale, POST bodies as a JSON string through ``data=`` (so no Content-Type),
  Basic auth through ``session.auth``, ``nodes=true`` only when truthy, falsy scale counts not sent.

The emulated clock is stepped with ``cc.clock.advance``; nothing waits for real time beyond a fraction of a second.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
import socket
import subprocess
import sys
import time
import uuid

import jsonschema
import pytest
import requests

from cyclecloud_emulator import DEFAULT_FIXTURE, SAMPLE_TEMPLATE, ClassAdFilter, CycleCloudEmulator, FilterError

HERE = pathlib.Path(__file__).resolve().parent
SPEC = json.loads((HERE / "specs" / "cyclecloud-openapi.json").read_text(encoding="utf-8"))
PASSWORD = "cc-Adm1n-pass!word"
NODE_VERBS = ["deallocate", "remove", "shutdown", "start", "terminate", "reimage", "restart"]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ERROR_DETAIL = re.compile(r"^Please see /opt/cycle_server/logs/cycle_server\.log for lines tagged with request-\d+ for details\.$")


def strict_spec():
    """The spec's definitions, made stricter where it is silent and looser where the spec itself says so:

    * no undeclared keys in a modelled object (catches a misspelt camelCase key);
    * ``invalidReason`` only required when ``valid`` is false: the docs' sample status (cyclecloud.md 0
      [DOCS-REST-HOWTO]) shows valid buckets without it, although the 8.1.0 model lists it as required;
    * OperationStatus.action: the model's enum has only "create", but the client does not check it and other
      actions probably exist (cyclecloud.md 3.7); the emulator names node operations by their verb [INFERRED];
    * the error body (cyclecloud.md 5) always has all three keys.
    """
    spec = copy.deepcopy(SPEC)
    definitions = spec["definitions"]
    for definition in definitions.values():
        if "properties" in definition:
            definition["additionalProperties"] = False
    bucket = definitions["NodearrayBucketStatus"]
    bucket["required"].remove("invalidReason")
    bucket["anyOf"] = [{"properties": {"valid": {"enum": [True]}}}, {"required": ["invalidReason"]}]
    definitions["OperationStatus"]["properties"]["action"]["enum"] += NODE_VERBS
    definitions["CycleCloudError"]["required"] = ["Exception", "Message", "Detail"]
    return spec


STRICT = strict_spec()


def validate(instance, definition, array=False):
    ref = {"$ref": "#/definitions/%s" % definition}
    schema = dict(STRICT, type="array", items=ref) if array else dict(STRICT, **ref)
    jsonschema.Draft4Validator(schema).validate(instance)
    return instance


class Client81:
    """What cyclecloud_api 8.1.0 puts on the wire (cyclecloud.md 1.1, 1.2, 8), with the expected codes of
    cyclecloud.api.* (200 for GETs, 202 for POSTs); every body is validated against the spec."""

    def __init__(self, url, username, password):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        # replaced wholesale: no Accept, no Accept-Encoding, no Content-Type (cyclecloud.md 1.1 [PROBE])
        self.session.headers = {"X-Cycle-Client-Version": "cyclecloud-python-api:8.1.0-545",
                                "User-Agent": "CycleCloudPythonApi/8.1.0-545"}
        self.session.auth = (username, password)

    def call(self, verb, path, expected, definition=None, query=None, body=None, array=False):
        data = json.dumps(body) if body is not None else None
        response = self.session.request(verb, self.url + path, params=query or {}, data=data, timeout=10)
        assert "Content-Type" not in response.request.headers and "Accept" not in response.request.headers
        if response.status_code == expected and definition:
            validate(response.json(), definition, array)
        elif response.status_code >= 400:
            assert ERROR_DETAIL.match(validate(response.json(), "CycleCloudError")["Detail"])
        return response

    # cyclecloud.api.clusters
    def get_cluster_status(self, cluster, nodes=None):
        query = {"nodes": "true"} if nodes else {}
        return self.call("GET", "/clusters/%s/status" % cluster, 200, "ClusterStatus", query)

    def get_nodes(self, cluster, operation=None, request_id=None):
        query = {k: v for k, v in (("operation", operation), ("request_id", request_id)) if v is not None}
        return self.call("GET", "/clusters/%s/nodes" % cluster, 200, "NodeList", query)

    def create_nodes(self, cluster, nodes):
        return self.call("POST", "/clusters/%s/nodes/create" % cluster, 202, "NodeCreationResult", body=nodes)

    def action(self, cluster, verb, request):
        return self.call("POST", "/clusters/%s/nodes/%s" % (cluster, verb), 202, "NodeManagementResult", body=request)

    def scale(self, cluster, nodearray, total_core_count=None, total_node_count=None):
        query = {}
        if total_core_count:   # cyclecloud.md 1.2: a falsy count is not sent at all
            query["totalCoreCount"] = total_core_count
        if total_node_count:
            query["totalNodeCount"] = total_node_count
        return self.call("POST", "/clusters/%s/scale/%s" % (cluster, nodearray), 202, "NodeCreationResult", query)

    # cyclecloud.api.operations
    def list_operations(self, request_id=None):
        query = {"request_id": request_id} if request_id is not None else {}
        return self.call("GET", "/operations/", 200, "OperationStatus", query, array=True)

    def get_operation(self, id):
        return self.call("GET", "/operations/%s" % id, 200, "OperationStatus")

    # undocumented, CLI-backed (cyclecloud.md 2.2)
    def cloud_action(self, action, cluster):
        return self.call("POST", "/cloud/actions/%s/%s" % (action, cluster), 200)

    # the other CLI-backed calls, as Microsoft's sample makes them (cyclecloud.md 2.2 [BW-DEMO]): through the 8.1.0
    # session's _request(verb, full_url, params, headers, body), which passes body to requests as data=, so a dict
    # goes out url-encoded (requests names that type: the session's own headers have none)
    def _request(self, verb, path, params=None, body=None):
        response = self.session.request(verb, self.url + path, params=params or {}, headers={}, data=body, timeout=10)
        if response.status_code >= 400:
            assert ERROR_DETAIL.match(validate(response.json(), "CycleCloudError")["Detail"])
        return response

    def import_cluster(self, cluster, template_text=None, parameters=None, template=None, force=False,
                       as_template=False):
        """BW-DEMO generate_import_params: source, cluster (the text), force, template, parameters (JSON)."""
        body = {"source": "standard", "parameters": json.dumps(parameters or {}), "parameters_format": "json"}
        if template_text is not None:
            body["cluster"] = template_text
        if template is not None:
            body["template"] = template
        if force:
            body["force"] = "true"
        if as_template:
            body["as_template"] = "true"
        response = self._request("POST", "/cloud/api/import_cluster/%s" % cluster, body=body)
        assert response.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        return response

    def show_cluster(self, cluster=None, summary=True, include_templates=False):
        params = {"cloud_instances": "true"}
        if summary:
            params["summary"] = "true"
        if include_templates:
            params["templates"] = "true"
        return self._request("GET", "/cloud/clusters" + ("/%s" % cluster if cluster else ""), params)

    def delete_cluster(self, cluster, force=False, template=False):
        params = {"wait_time": 30}
        if force:
            params["force"] = "true"
        if template:
            params["template"] = "true"
        return self._request("POST", "/cloud/actions/removecluster/%s" % cluster, params)


@pytest.fixture
def api(cc):
    return Client81(cc.url, cc.username, cc.password)


def names(records):
    return sorted(r["Name"] if "Name" in r else r["name"] for r in records)


def statuses(cc, cluster="hpc"):
    return {n["Name"]: n["Status"] for n in cc.nodes(cluster)}


def bucket(status, nodearray, machine_type=None):
    array = next(na for na in status["nodearrays"] if na["name"] == nodearray)
    if machine_type is None:
        return array["buckets"][0]
    return next(b for b in array["buckets"] if b["definition"]["machineType"] == machine_type)


def location_id(cc, response):
    prefix = cc.url + "/operations/"
    assert response.headers["Location"].startswith(prefix)
    operation_id = response.headers["Location"][len(prefix):]
    assert operation_id == response.json()["operationId"]
    return operation_id


# ==================================================================================================
# spec and client shape
# ==================================================================================================
def test_spec_definitions_are_a_valid_schema():
    jsonschema.Draft4Validator.check_schema(STRICT)
    assert SPEC["swagger"] == "2.0" and "NodearrayBucketStatus" in SPEC["definitions"]


def test_basic_auth_401(cc, api):
    url = cc.url + "/clusters/hpc/status"
    for auth in (None, ("admin", "wrong"), ("nobody", PASSWORD)):
        answer = requests.get(url, auth=auth, timeout=5)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Basic")
        body = validate(answer.json(), "CycleCloudError")
        assert body["Message"] == "Invalid username or password" and ERROR_DETAIL.match(body["Detail"])
    for header in ("Basic !!!", "Bearer abc", "Basic"):
        assert requests.get(url, headers={"Authorization": header}, timeout=5).status_code == 401
    assert api.get_cluster_status("hpc").status_code == 200
    assert cc.password == PASSWORD and cc.username == "admin"
    assert [e["authorization"] for e in cc.log] == [None, "Basic", "Basic", "Basic", "Bearer", "Basic", "Basic"]
    assert PASSWORD not in json.dumps(cc.log)


def test_bodies_parsed_whatever_the_content_type(cc, api):
    body = {"sets": [{"nodearray": "execute", "count": 1}]}
    sent = [api.create_nodes("hpc", body)]   # no Content-Type at all (the 8.1.0 client)
    for content_type in ("text/plain", "application/json", "application/octet-stream"):
        sent.append(requests.post(cc.url + "/clusters/hpc/nodes/create", data=json.dumps(body), auth=(cc.username, cc.password),
                                  headers={"Content-Type": content_type}, timeout=5))
    assert [s.status_code for s in sent] == [202] * 4
    assert [s.json()["sets"] for s in sent] == [[{"added": 1}]] * 4
    assert names(cc.nodes("hpc")) == ["execute-1", "execute-2", "execute-3", "execute-4", "execute-5", "execute-6",
                                      "login-1", "scheduler"]
    bad = requests.post(cc.url + "/clusters/hpc/nodes/create", data="{nope", auth=(cc.username, cc.password), timeout=5)
    assert bad.status_code == 409 and "Invalid JSON" in validate(bad.json(), "CycleCloudError")["Message"]


# ==================================================================================================
# cluster status and its counters (cyclecloud.md 3.1-3.3, 7)
# ==================================================================================================
def test_status_shape_and_counters(cc, api):
    status = api.get_cluster_status("hpc").json()
    assert (status["state"], status["targetState"], status["maxCount"], status["maxCoreCount"]) == ("Started", "Started", 50, 400)
    assert "nodes" not in status and [na["name"] for na in status["nodearrays"]] == ["execute", "gpu", "login"]
    execute = status["nodearrays"][0]
    assert (execute["maxCount"], execute["maxCoreCount"]) == (10, 64)
    record = execute["nodearray"]
    assert (record["Name"], record["MachineType"], record["Region"], record["ShutdownPolicy"]) == (
        "execute", "Standard_F4s_v2", "westeurope", "Terminate")
    f4, f8 = execute["buckets"]
    assert f4["definition"] == {"machineType": "Standard_F4s_v2"} and f8["definition"] == {"machineType": "Standard_F8s_v2"}
    assert f4["bucketId"] == str(uuid.UUID(f4["bucketId"])) and f4["bucketId"] != f8["bucketId"]
    assert f4["valid"] is True and "invalidReason" not in f4 and "activeNodes" not in f4
    # F4s_v2: nodearray maxCount 10 binds (64 cores would allow 16); 2 active
    assert (f4["maxCount"], f4["maxCoreCount"], f4["activeCount"], f4["activeCoreCount"]) == (10, 40, 2, 8)
    assert (f4["availableCount"], f4["availableCoreCount"]) == (8, 32)
    # F8s_v2: the nodearray's 64 cores bind: 8 nodes at most, (64 - 8 active cores) // 8 = 7 more
    assert (f8["maxCount"], f8["maxCoreCount"], f8["activeCount"], f8["availableCount"], f8["availableCoreCount"]) == (8, 64, 0, 7, 56)
    assert f4["virtualMachine"] == {"vcpuCount": 4, "pcpuCount": 2, "gpuCount": 0, "memory": 8.0, "infiniband": False}
    assert (f4["quotaCoreCount"], f4["quotaCount"], f4["familyQuotaCoreCount"], f4["regionalQuotaCoreCount"]) == (400, 100, 400, 1000)
    # FSv2 family cores in use region-wide: execute-1, execute-2, login-1; regional adds the scheduler
    assert (f4["consumedCoreCount"], f4["familyConsumedCoreCount"], f4["regionalConsumedCoreCount"]) == (12, 12, 16)
    assert (f4["maxPlacementGroupSize"], f4["maxPlacementGroupCoreSize"], f4["placementGroups"]) == (40, 160, [])
    assert f4["lastCapacityFailure"] == -1
    gpu = bucket(status, "gpu")
    assert (gpu["availableCount"], gpu["virtualMachine"]["vcpuCount"], gpu["virtualMachine"]["gpuCount"]) == (2, 6, 1)
    login = bucket(status, "login")
    assert (login["activeCount"], login["availableCount"]) == (1, 3)
    assert status["nodearrays"][2]["nodearray"]["ShutdownPolicy"] == "Deallocate"

    full = api.get_cluster_status("hpc", nodes=True).json()
    assert names(full["nodes"]) == ["execute-1", "execute-2", "login-1", "scheduler"]
    assert bucket(full, "execute")["activeNodes"] == ["execute-1", "execute-2"] and bucket(full, "gpu")["activeNodes"] == []
    assert bucket(full, "execute") == dict(f4, activeNodes=["execute-1", "execute-2"])
    assert api.get_cluster_status("hpc").json()["nodearrays"][0]["buckets"][0]["bucketId"] == f4["bucketId"]   # stable


def test_seed_node_records(cc, api):
    nodes = {n["Name"]: n for n in api.get_nodes("hpc").json()["nodes"]}
    scheduler, execute = nodes["scheduler"], nodes["execute-1"]
    assert scheduler == cc.node("hpc", "scheduler")
    assert (scheduler["Template"], scheduler["Fixed"], scheduler["MachineType"], scheduler["CoreCount"], scheduler["Memory"]) == (
        "scheduler", True, "Standard_D4s_v3", 4, 16.0)
    assert (execute["Template"], execute["Fixed"], execute["ShutdownPolicy"], execute["ClusterName"]) == ("execute", False, "Terminate", "hpc")
    assert nodes["login-1"]["ShutdownPolicy"] == "Deallocate"
    for node in nodes.values():
        assert (node["Status"], node["TargetState"], node["State"]) == ("Ready", "Started", "Started")
        assert UUID.match(node["NodeId"]) and node["NodeId"] == str(uuid.uuid5(uuid.UUID(
            "5f0c6d2e-8a57-4c1b-9a43-2f4e0c9b7d11"), "hpc/" + node["Name"]))
        assert re.fullmatch(r"10\.1\.0\.\d+", node["PrivateIp"]) and node["Hostname"] == "ip-%08X" % int.from_bytes(
            socket.inet_aton(node["PrivateIp"]), "big")
        assert node["InstanceId"] and node["KeepAlive"] is False and node["Region"] == "westeurope"
        assert "StatusMessage" not in node and "RequestId" not in node
    assert len({n["PrivateIp"] for n in nodes.values()}) == 4
    cc.reset()
    assert api.get_nodes("hpc").json()["nodes"] == list(nodes.values())   # stable across resets


def test_never_started_cluster(cc, api):
    status = api.get_cluster_status("maint", nodes=True).json()
    assert "state" not in status and "targetState" not in status
    execute = bucket(status, "execute")
    assert (execute["valid"], execute["invalidReason"], execute["availableCount"]) == (False, "NotActivated", 0)
    master = status["nodes"][0]
    assert (master["Name"], master["Status"], master["TargetState"], master["Fixed"]) == ("master", "Off", "Terminated", True)
    assert "Hostname" not in master and "PrivateIp" not in master
    assert status["nodearrays"][0]["nodearray"]["InitialCount"] == 2
    scaled = api.scale("maint", "execute", total_node_count=2).json()
    assert scaled["sets"] == [{"added": 0, "message": "Nodearray execute has no valid bucket (NotActivated)"}]


def test_unknown_cluster_is_404_on_get_and_409_on_post(cc, api):
    for answer in (api.get_cluster_status("nope"), api.get_nodes("nope")):
        assert answer.status_code == 404 and answer.json()["Message"] == "Cluster nope not found"
    assert answer.json()["Exception"].startswith("com.cyclecomputing.")
    posts = [api.create_nodes("nope", {"sets": [{"nodearray": "execute", "count": 1}]}),
             api.scale("nope", "execute", total_node_count=3), api.action("nope", "terminate", {"names": ["x"]})]
    assert [p.status_code for p in posts] == [409, 409, 409]
    for action in ("startcluster", "terminatecluster", "retry"):
        assert api.cloud_action(action, "nope").status_code == 404


def test_unknown_paths_and_methods(cc, api):
    assert api.call("GET", "/clusters/hpc/nothing", 200).status_code == 404
    assert api.call("GET", "/", 200).status_code == 404
    wrong = api.call("GET", "/clusters/hpc/nodes/create", 202)
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "POST"
    assert api.call("POST", "/clusters/hpc/status", 200).status_code == 405


# ==================================================================================================
# scale (cyclecloud.md 4.1)
# ==================================================================================================
def test_scale_by_nodes(cc, api):
    answer = api.scale("hpc", "execute", total_node_count=5)
    assert answer.status_code == 202 and answer.json()["sets"] == [{"added": 3}]
    operation_id = location_id(cc, answer)
    assert names(api.get_nodes("hpc", operation=operation_id).json()["nodes"]) == ["execute-3", "execute-4", "execute-5"]
    new = cc.node("hpc", "execute-4")
    assert (new["Status"], new["TargetState"], new["MachineType"], new["Template"], new["Fixed"]) == (
        "Allocation", "Started", "Standard_F4s_v2", "execute", False)
    f4 = bucket(api.get_cluster_status("hpc").json(), "execute", "Standard_F4s_v2")
    assert (f4["activeCount"], f4["activeCoreCount"], f4["availableCount"]) == (5, 20, 5)   # still allocating counts
    f8 = bucket(api.get_cluster_status("hpc").json(), "execute", "Standard_F8s_v2")
    assert f8["availableCount"] == 5   # the nodearray's maxCount now binds: 10 - 5
    again = api.scale("hpc", "execute", total_node_count=5)
    assert again.status_code == 202 and again.json()["sets"] == [{"added": 0}] and location_id(cc, again)
    assert api.scale("hpc", "execute", total_node_count=3).json()["sets"] == [{"added": 0}]   # never removes
    assert len(cc.nodes("hpc")) == 7


def test_scale_fills_the_lowest_free_names(cc, api):
    api.action("hpc", "remove", {"names": ["execute-1"]})
    cc.clock.advance(cc.timing["terminating"] + cc.timing["removing"])
    assert cc.node("hpc", "execute-1") is None
    assert api.scale("hpc", "execute", total_node_count=3).json()["sets"] == [{"added": 2}]
    assert names(n for n in cc.nodes("hpc") if n["Template"] == "execute") == ["execute-1", "execute-2", "execute-3"]


def test_scale_by_cores_rounds_up(cc, api):
    answer = api.scale("hpc", "execute", total_core_count=18)   # 8 active cores: ceil(10 / 4) = 3 nodes
    assert answer.json()["sets"] == [{"added": 3}]
    f4 = bucket(api.get_cluster_status("hpc").json(), "execute")
    assert (f4["activeCount"], f4["activeCoreCount"]) == (5, 20)
    assert api.scale("hpc", "execute", total_core_count=20).json()["sets"] == [{"added": 0}]
    assert api.scale("hpc", "execute", total_core_count=21).json()["sets"] == [{"added": 1}]


def test_scale_stops_at_the_limits(cc, api):
    answer = api.scale("hpc", "execute", total_node_count=25).json()
    assert answer["sets"][0]["added"] == 8 and answer["sets"][0]["message"] == (
        "Added 8 of 23 nodes: limited by nodearray execute's MaxCount (10)")
    status = api.get_cluster_status("hpc").json()
    assert [b["availableCount"] for b in status["nodearrays"][0]["buckets"]] == [0, 0]
    assert bucket(status, "gpu")["availableCount"] == 2
    gpu = api.scale("hpc", "gpu", total_core_count=100).json()["sets"][0]
    assert gpu["added"] == 2 and "limited by" in gpu["message"]


def test_cluster_and_quota_limits():
    fixture = {
        "users": {"ops": "s3cret"},
        "vm_sizes": {"Standard_F4s_v2": {"familyQuotaCoreCount": 20}},
        "clusters": [
            {"name": "small", "state": "Started", "targetState": "Started", "maxCount": 4, "maxCoreCount": 1000,
             "nodearrays": [{"name": "a", "machineTypes": ["Standard_D2s_v3"]},
                            {"name": "b", "machineTypes": ["Standard_F4s_v2"], "maxCount": 100}]},
            {"name": "other", "state": "Started", "targetState": "Started",
             "nodearrays": [{"name": "c", "machineTypes": ["Standard_F4s_v2"]}],
             "nodes": [{"name": "c-1", "template": "c", "status": "Ready"}, {"name": "c-2", "template": "c", "status": "Ready"}]},
            {"name": "cores", "state": "Started", "targetState": "Started", "maxCoreCount": 11,
             "nodearrays": [{"name": "d", "machineTypes": ["Standard_D2s_v3"], "maxCount": 40, "maxCoreCount": 100}]},
        ],
    }
    with CycleCloudEmulator(fixture=fixture) as emulator:
        client = Client81(emulator.url, "ops", "s3cret")
        status = client.get_cluster_status("small").json()
        # b: F4s_v2 quota 20 cores, 8 used by the other cluster: 3 more
        assert [bucket(status, na)["availableCount"] for na in ("a", "b")] == [4, 3]
        assert bucket(status, "b")["familyConsumedCoreCount"] == 8 and bucket(status, "b")["quotaCount"] == 5
        limited = client.scale("small", "b", total_node_count=10).json()["sets"][0]
        assert limited == {"added": 3, "message": "Added 3 of 10 nodes: limited by the standardFSv2Family core quota (20)"}
        limited = client.scale("small", "a", total_node_count=10).json()["sets"][0]
        assert limited == {"added": 1, "message": "Added 1 of 10 nodes: limited by cluster small's MaxCount (4)"}
        assert client.get_cluster_status("other").json()["nodearrays"][0]["buckets"][0]["availableCount"] == 0
        cores = bucket(client.get_cluster_status("cores").json(), "d")
        assert (cores["maxCount"], cores["maxCoreCount"], cores["availableCount"], cores["availableCoreCount"]) == (5, 10, 5, 10)
        limited = client.scale("cores", "d", total_core_count=40).json()["sets"][0]
        assert limited == {"added": 5, "message": "Added 5 of 20 nodes: limited by cluster cores's MaxCoreCount (11)"}
        assert emulator.username == "ops" and emulator.password == "s3cret"
        assert emulator.nodes("other")[0]["Fixed"] is False


def test_scale_needs_exactly_one_total(cc, api):
    url = "/clusters/hpc/scale/execute"
    both = api.call("POST", url, 202, query={"totalNodeCount": 3, "totalCoreCount": 12})
    neither = api.scale("hpc", "execute", total_node_count=0)   # the 8.1.0 client drops a 0: nothing is sent
    assert neither.request.url.endswith(url)
    garbage = api.call("POST", url, 202, query={"totalNodeCount": "three"})
    negative = api.call("POST", url, 202, query={"totalNodeCount": "-1"})
    assert [r.status_code for r in (both, neither, garbage, negative)] == [409] * 4
    assert "exactly one" in both.json()["Message"]
    unknown = api.scale("hpc", "nope", total_node_count=3)
    assert unknown.status_code == 409 and unknown.json()["Message"] == "Nodearray nope not found in cluster hpc"
    assert len(cc.nodes("hpc")) == 4 and cc.writes()[0]["status"] == 409


# ==================================================================================================
# create (cyclecloud.md 3.5)
# ==================================================================================================
def test_create_with_exact_names_attributes_and_request_id(cc, api):
    request = {"requestId": "req-1", "sets": [
        {"nodearray": "execute", "count": 1, "nameFormat": "special", "definition": {"machineType": "Standard_F8s_v2"},
         "nodeAttributes": {"KeepAlive": True, "Configuration": {"slurm": {"partition": "big"}}, "Status": "Ready"},
         "placementGroupId": "pg1"},
        {"nodearray": "gpu", "count": 2, "nameFormat": "gpu%02d", "nameOffset": 4},
    ]}
    answer = api.create_nodes("hpc", request)
    assert answer.status_code == 202 and answer.json()["sets"] == [{"added": 1}, {"added": 2}]
    operation_id = location_id(cc, answer)
    special = cc.node("hpc", "special")
    assert (special["MachineType"], special["CoreCount"], special["Memory"], special["KeepAlive"]) == ("Standard_F8s_v2", 8, 16.0, True)
    assert special["Configuration"] == {"slurm": {"partition": "big"}} and special["Status"] == "Allocation"   # Status not settable
    assert (special["RequestId"], special["PlacementGroupId"], special["Template"]) == ("req-1", "pg1", "execute")
    assert names(n for n in cc.nodes("hpc") if n["Template"] == "gpu") == ["gpu05", "gpu06"]
    by_request = api.get_nodes("hpc", request_id="req-1").json()
    assert names(by_request["nodes"]) == ["gpu05", "gpu06", "special"] and by_request["operation"]["action"] == "create"
    assert api.list_operations(request_id="req-1").json() == [api.get_operation(operation_id).json()]
    f8 = bucket(api.get_cluster_status("hpc").json(), "execute", "Standard_F8s_v2")
    assert f8["placementGroups"] == [{"name": "pg1", "activeCount": 1, "activeCoreCount": 8}]

    before, log_size = cc.nodes("hpc"), len(cc.log)
    reused = api.create_nodes("hpc", {"requestId": "req-1", "sets": [{"nodearray": "execute", "count": 1}]})
    assert reused.status_code == 409 and "req-1" in reused.json()["Message"]
    assert cc.nodes("hpc") == before and len(cc.log) == log_size + 1

    taken = api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 1, "nameFormat": "execute-1"}]})
    assert taken.json()["sets"] == [{"added": 0, "message": "Added 0 of 1 nodes: Node execute-1 already exists"}]
    assert cc.nodes("hpc") == before


@pytest.mark.parametrize("body, message", [
    ({}, "at least one set"),
    ({"sets": []}, "at least one set"),
    ([], "NodeCreationRequest"),
    ({"sets": [{"nodearray": "nope", "count": 1}]}, "Nodearray nope not found"),
    ({"sets": [{"count": 1}]}, "nodearray is required"),
    ({"sets": [{"nodearray": "execute", "count": 0}]}, "positive integer"),
    ({"sets": [{"nodearray": "execute", "count": "2"}]}, "positive integer"),
    ({"sets": [{"nodearray": "execute", "count": True}]}, "positive integer"),
    ({"sets": [{"nodearray": "execute", "count": 1, "definition": {"machineType": "Standard_HC44rs"}}]},
     "MachineType Standard_HC44rs is not recognized"),
    ({"sets": [{"nodearray": "execute", "count": 2, "nameFormat": "one"}]}, "count must be 1"),
    ({"sets": [{"nodearray": "execute", "count": 1}, {"nodearray": "execute", "count": -1}]}, "sets[1].count"),
    ({"sets": [{"nodearray": "execute", "count": 1, "nodeAttributes": []}]}, "nodeAttributes"),
    ({"sets": [{"nodearray": "execute", "count": 1}], "requestId": 5}, "requestId"),
])
def test_create_rejects_invalid_input(cc, api, body, message):
    answer = api.create_nodes("hpc", body)
    assert answer.status_code == 409 and message in answer.json()["Message"]
    assert len(cc.nodes("hpc")) == 4   # nothing created, even for the valid first set


def test_create_keys_are_case_insensitive(cc, api):
    answer = api.create_nodes("hpc", {"Sets": [{"NodeArray": "login", "COUNT": 2}], "RequestID": "ci"})
    assert answer.json()["sets"] == [{"added": 2}]
    assert names(api.get_nodes("hpc", request_id="ci").json()["nodes"]) == ["login-2", "login-3"]


def test_create_on_a_limit_and_an_invalid_bucket(cc, api):
    answer = api.create_nodes("hpc", {"sets": [{"nodearray": "login", "count": 5}, {"nodearray": "login", "count": 1}]})
    assert answer.json()["sets"] == [
        {"added": 3, "message": "Added 3 of 5 nodes: limited by nodearray login's MaxCount (4)"},
        {"added": 0, "message": "Added 0 of 1 nodes: limited by nodearray login's MaxCount (4)"}]
    maint = api.create_nodes("maint", {"sets": [{"nodearray": "execute", "count": 1}]})
    assert maint.json()["sets"] == [{"added": 0, "message": "Added 0 of 1 nodes: the bucket Standard_F4s_v2 is not valid (NotActivated)"}]


# ==================================================================================================
# node state machines (cyclecloud.md 4.2)
# ==================================================================================================
def test_allocation_preparing_ready(cc, api):
    api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 1}]})
    node = cc.node("hpc", "execute-3")
    assert (node["Status"], node["State"]) == ("Allocation", "Starting") and "Hostname" not in node and "PrivateIp" not in node
    cc.clock.advance(cc.timing["allocation"] - 1)
    assert cc.node("hpc", "execute-3")["Status"] == "Allocation"
    cc.clock.advance(1)
    node = cc.node("hpc", "execute-3")
    assert node["Status"] == "Preparing" and node["Hostname"].startswith("ip-") and node["PrivateIp"] and node["InstanceId"]
    cc.clock.advance(cc.timing["preparing"])
    ready = cc.node("hpc", "execute-3")
    assert (ready["Status"], ready["State"], ready["TargetState"]) == ("Ready", "Started", "Started")
    assert ready["Hostname"] == node["Hostname"]


def test_large_clock_steps_replay_every_phase(cc, api):
    api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 2}]})
    cc.fail_next("hpc", nodearray="execute", phase="Terminating", message="disk busy")
    cc.clock.advance(3600)
    assert statuses(cc)["execute-3"] == "Ready"
    api.action("hpc", "terminate", {"names": ["execute-3", "execute-4"]})
    cc.clock.advance(3600)
    assert statuses(cc).get("execute-3") == "Failed" and "execute-4" not in statuses(cc)


def test_fail_next_in_allocation_and_preparing(cc, api):
    cc.fail_next("hpc", nodearray="execute", count=1, message="Capacity unavailable for Standard_F4s_v2", phase="Allocation")
    cc.fail_next("hpc", node="execute-4", message="cluster-init failed", phase="Preparing")
    api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 3}]})
    cc.clock.advance(cc.timing["allocation"])
    failed = cc.node("hpc", "execute-3")
    assert (failed["Status"], failed["TargetState"], failed["StatusMessage"]) == (
        "Failed", "Started", "Capacity unavailable for Standard_F4s_v2")
    assert statuses(cc)["execute-4"] == "Preparing" and statuses(cc)["execute-5"] == "Preparing"
    cc.clock.advance(cc.timing["preparing"])
    assert cc.node("hpc", "execute-4")["StatusMessage"] == "cluster-init failed"
    assert statuses(cc)["execute-5"] == "Ready" and "StatusMessage" not in cc.node("hpc", "execute-5")
    assert cc.pending_failures() == []
    status = api.get_cluster_status("hpc").json()
    f4 = bucket(status, "execute")
    assert f4["activeCount"] == 5   # a Failed node with TargetState Started still counts (cyclecloud.md 4.1)
    assert f4["lastCapacityFailure"] == pytest.approx(cc.timing["preparing"], abs=2)
    # retry (cyclecloud.md 2.2): each runs its failed phase again
    retried = api.cloud_action("retry", "hpc")
    assert retried.status_code == 200 and retried.json() == {"name": "hpc", "retried": ["execute-3", "execute-4"]}
    assert (statuses(cc)["execute-3"], statuses(cc)["execute-4"]) == ("Allocation", "Preparing")
    cc.clock.advance(cc.timing["allocation"] + cc.timing["preparing"])
    assert set(statuses(cc).values()) == {"Ready"}


def test_fail_next_validation_and_admin_endpoint(cc, api):
    with pytest.raises(ValueError):
        cc.fail_next("hpc", phase="Booting")
    with pytest.raises(ValueError):
        cc.fail_next("nope")
    with pytest.raises(ValueError):
        cc.fail_next("hpc", count=0)
    admin = cc.url + "/_emulator/failures"
    rule = {"cluster": "hpc", "nodearray": "gpu", "count": 2, "message": "No GPU capacity", "phase": "Allocation"}
    answer = requests.post(admin, json=rule, timeout=5)
    assert answer.status_code == 201 and answer.json() == dict(rule, node=None)
    assert requests.get(admin, timeout=5).json() == [dict(rule, node=None)]
    assert requests.post(admin, json={"cluster": "hpc", "phase": "x"}, timeout=5).status_code == 400
    assert requests.post(admin, json={"cluster": "hpc", "colour": "red"}, timeout=5).status_code == 400
    api.scale("hpc", "gpu", total_node_count=2)
    cc.clock.advance(cc.timing["allocation"])
    assert {n["Name"]: n.get("StatusMessage") for n in cc.nodes("hpc") if n["Template"] == "gpu"} == {
        "gpu-1": "No GPU capacity", "gpu-2": "No GPU capacity"}
    assert cc.log[-1]["path"] != admin and all(not e["path"].startswith("/_emulator") for e in cc.log)


def test_terminate_removes_nodearray_nodes_and_leaves_fixed_ones_off(cc, api):
    answer = api.action("hpc", "terminate", {"names": ["execute-1", "scheduler"]})
    assert answer.json()["nodes"] == [
        {"id": cc.node("hpc", "scheduler")["NodeId"], "name": "scheduler", "status": "OK"},
        {"id": cc.node("hpc", "execute-1")["NodeId"], "name": "execute-1", "status": "OK"}]
    location_id(cc, answer)
    for name in ("execute-1", "scheduler"):
        node = cc.node("hpc", name)
        assert (node["Status"], node["TargetState"]) == ("Terminating", "Terminated")
    assert bucket(api.get_cluster_status("hpc").json(), "execute")["activeCount"] == 2   # still moving: active
    cc.clock.advance(cc.timing["terminating"])
    assert statuses(cc)["execute-1"] == "Off" and statuses(cc)["scheduler"] == "Off"
    assert "PrivateIp" not in cc.node("hpc", "scheduler") and "Hostname" not in cc.node("hpc", "scheduler")
    assert bucket(api.get_cluster_status("hpc").json(), "execute")["activeCount"] == 1
    cc.clock.advance(cc.timing["removing"])
    assert cc.node("hpc", "execute-1") is None
    scheduler = cc.node("hpc", "scheduler")
    assert (scheduler["Status"], scheduler["TargetState"], scheduler["Fixed"]) == ("Off", "Terminated", True)
    again = api.action("hpc", "terminate", {"names": ["scheduler", "execute-1"]})   # Off: an OK no-op; gone: no match
    assert [(n["name"], n["status"]) for n in again.json()["nodes"]] == [("scheduler", "OK")]
    assert statuses(cc)["scheduler"] == "Off"


def test_fixed_nodearray_node_stays_off(cc, api):
    api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 1, "nodeAttributes": {"Fixed": True}}]})
    cc.clock.advance(100)
    api.action("hpc", "terminate", {"names": ["execute-3"]})
    cc.clock.advance(100)
    assert cc.node("hpc", "execute-3")["Status"] == "Off"


def test_deallocate_and_start_again(cc, api):
    hostname = cc.node("hpc", "execute-1")["Hostname"]
    answer = api.action("hpc", "deallocate", {"names": ["execute-1", "scheduler"], "requestId": "dealloc-1"})
    assert [n["status"] for n in answer.json()["nodes"]] == ["OK", "OK"]
    node = cc.node("hpc", "execute-1")
    assert (node["Status"], node["TargetState"]) == ("Deallocating", "Deallocated")
    cc.clock.advance(cc.timing["deallocating"])
    node = cc.node("hpc", "execute-1")
    assert (node["Status"], node["State"], node["Hostname"]) == ("Deallocated", "Deallocated", hostname)
    f4 = bucket(api.get_cluster_status("hpc").json(), "execute")
    assert (f4["activeCount"], f4["availableCount"]) == (1, 9)   # a Deallocated node is not active
    assert api.scale("hpc", "execute", total_node_count=2).json()["sets"] == [{"added": 1}]
    assert names(api.get_nodes("hpc", request_id="dealloc-1").json()["nodes"]) == ["execute-1", "scheduler"]
    again = api.action("hpc", "deallocate", {"names": ["execute-1"]})
    assert again.json()["nodes"][0]["status"] == "OK"   # already deallocated: no-op
    started = api.action("hpc", "start", {"names": ["execute-1"]})
    assert started.json()["nodes"][0]["status"] == "OK"
    node = cc.node("hpc", "execute-1")
    assert (node["Status"], node["TargetState"], node["Hostname"]) == ("Preparing", "Started", hostname)   # no Allocation
    cc.clock.advance(cc.timing["preparing"])
    assert statuses(cc)["execute-1"] == "Ready"


def test_per_node_errors(cc, api):
    api.action("hpc", "terminate", {"names": ["execute-1"]})
    off = api.action("maint", "deallocate", {"names": ["master"]}).json()["nodes"][0]
    assert off["status"] == "Error" and "terminated" in off["error"]
    terminating = api.action("hpc", "start", {"names": ["execute-1"]}).json()["nodes"][0]
    assert terminating == {"id": cc.node("hpc", "execute-1")["NodeId"], "name": "execute-1", "status": "Error",
                           "error": "Node execute-1 is terminating; start it once that has finished"}
    dealloc = api.action("hpc", "deallocate", {"names": ["execute-1"]}).json()["nodes"][0]
    assert dealloc["status"] == "Error"
    cc.clock.advance(cc.timing["terminating"])
    removing = api.action("hpc", "start", {"names": ["execute-1"]}).json()["nodes"][0]
    assert removing["status"] == "Error" and "removed" in removing["error"]
    restart = api.action("maint", "restart", {"names": ["master"]}).json()["nodes"][0]
    assert restart["status"] == "Error" and "only a Ready node" in restart["error"]
    mixed = api.action("hpc", "deallocate", {"names": ["execute-1", "execute-2"]}).json()["nodes"]
    assert [n["status"] for n in mixed] == ["Error", "OK"]
    operation = api.get_nodes("hpc", operation=api.action("hpc", "start", {"names": ["scheduler"]}).json()["operationId"]).json()
    assert names(operation["nodes"]) == ["scheduler"] and operation["operation"]["action"] == "start"


def test_start_no_ops_and_from_off(cc, api):
    ready = api.action("hpc", "start", {"names": ["execute-1"]}).json()["nodes"][0]
    assert ready["status"] == "OK" and statuses(cc)["execute-1"] == "Ready"
    answer = api.action("maint", "start", {"names": ["master"]})
    assert answer.json()["nodes"][0]["status"] == "OK"
    master = cc.node("maint", "master")
    assert (master["Status"], master["TargetState"]) == ("Allocation", "Started")
    cc.clock.advance(cc.timing["allocation"] + cc.timing["preparing"])
    assert statuses(cc, "maint") == {"master": "Ready"}


def test_shutdown_follows_each_shutdown_policy(cc, api):
    answer = api.action("hpc", "shutdown", {"names": ["login-1", "execute-1", "scheduler"]})
    assert [n["status"] for n in answer.json()["nodes"]] == ["OK", "OK", "OK"]
    assert {k: v for k, v in statuses(cc).items() if k != "execute-2"} == {
        "scheduler": "Terminating", "execute-1": "Terminating", "login-1": "Deallocating"}
    assert cc.node("hpc", "login-1")["TargetState"] == "Deallocated"
    cc.clock.advance(cc.timing["terminating"] + cc.timing["removing"])
    assert statuses(cc) == {"scheduler": "Off", "execute-2": "Ready", "login-1": "Deallocated"}
    again = api.action("hpc", "shutdown", {"names": ["login-1", "scheduler"]}).json()["nodes"]
    assert [n["status"] for n in again] == ["OK", "OK"] and statuses(cc)["login-1"] == "Deallocated"
    assert api.get_operation(answer.json()["operationId"]).json()["action"] == "shutdown"


def test_remove(cc, api):
    answer = api.action("hpc", "remove", {"names": ["scheduler"]})
    assert answer.json()["nodes"][0]["status"] == "OK"
    assert (cc.node("hpc", "scheduler")["Status"], cc.node("hpc", "scheduler")["TargetState"]) == ("Terminating", "Terminated")
    cc.clock.advance(cc.timing["terminating"])
    assert cc.node("hpc", "scheduler")["Status"] == "Off"
    cc.clock.advance(cc.timing["removing"])
    assert cc.node("hpc", "scheduler") is None   # removed although Fixed
    gone = api.action("maint", "remove", {"names": ["master"]})   # already Off: gone at once
    assert gone.json()["nodes"][0]["status"] == "OK" and cc.nodes("maint") == []
    assert api.get_nodes("maint", operation=gone.json()["operationId"]).json()["nodes"] == []


def test_restart_and_reimage(cc, api):
    assert api.action("hpc", "restart", {"names": ["execute-1"]}).json()["nodes"][0]["status"] == "OK"
    assert api.action("hpc", "reimage", {"names": ["execute-2"]}).json()["nodes"][0]["status"] == "OK"
    assert (statuses(cc)["execute-1"], statuses(cc)["execute-2"]) == ("Restarting", "Reimaging")
    assert cc.node("hpc", "execute-1")["TargetState"] == "Started"
    cc.clock.advance(cc.timing["reimaging"])
    assert (statuses(cc)["execute-1"], statuses(cc)["execute-2"]) == ("Ready", "Preparing")
    cc.clock.advance(cc.timing["preparing"])
    assert statuses(cc)["execute-2"] == "Ready"


# ==================================================================================================
# selectors and filters (cyclecloud.md 3.6)
# ==================================================================================================
def test_selectors_are_a_union(cc, api):
    nodes = {n["Name"]: n for n in cc.nodes("hpc")}
    request = {"names": ["scheduler"], "ids": [nodes["execute-1"]["NodeId"]],
               "hostnames": [nodes["execute-2"]["Hostname"].lower() + ".internal.cloudapp.net"],
               "ip_addresses": [nodes["login-1"]["PrivateIp"], nodes["scheduler"]["PrivateIp"]],
               "filter": 'Name == "execute-1"'}
    answer = api.action("hpc", "terminate", request).json()
    assert [n["name"] for n in answer["nodes"]] == ["scheduler", "execute-1", "execute-2", "login-1"]   # once each
    assert set(statuses(cc).values()) == {"Terminating"}


def test_selector_edge_cases(cc, api):
    none = api.action("hpc", "terminate", {"requestId": "r-empty"})
    assert none.status_code == 409 and "No nodes specified" in none.json()["Message"]
    assert api.action("hpc", "terminate", None).status_code == 409
    assert api.list_operations(request_id="r-empty").json() == []   # a refused request uses no requestId
    empty = api.action("hpc", "terminate", {"names": []})
    assert empty.status_code == 202 and empty.json()["nodes"] == []
    unmatched = api.action("hpc", "terminate", {"names": ["ghost"], "ip_addresses": ["192.0.2.1"], "filter": "false"})
    assert unmatched.status_code == 202 and unmatched.json()["nodes"] == []
    assert api.action("hpc", "terminate", {"names": "scheduler"}).status_code == 409
    assert api.action("hpc", "terminate", {"ids": [1]}).status_code == 409
    assert api.action("hpc", "terminate", ["scheduler"]).status_code == 409
    first = api.action("hpc", "terminate", {"names": ["execute-1"], "requestId": "t-1"})
    reused = api.action("hpc", "start", {"names": ["execute-2"], "requestId": "t-1"})
    assert (first.status_code, reused.status_code) == (202, 409)
    assert statuses(cc)["execute-2"] == "Ready"
    assert set(statuses(cc).values()) == {"Ready", "Terminating"}


FILTERS = [
    ('Template == "execute"', ["execute-1", "execute-2"]),
    ('template == "EXECUTE"', ["execute-1", "execute-2"]),   # names and == on strings ignore case
    ('Template =?= "EXECUTE"', []),                          # =?= is exact
    ('Template === "execute"', ["execute-1", "execute-2"]),
    ('Template is "execute" && Name isnt "execute-2"', ["execute-1"]),
    ('Name =!= "scheduler" && !Fixed', ["execute-1", "execute-2", "login-1"]),
    ('Name in {"execute-1", "login-1", "ghost"}', ["execute-1", "login-1"]),
    ('CoreCount >= 4 && MachineType != "Standard_D4s_v3"', ["execute-1", "execute-2", "login-1"]),
    ("Memory > 8.5", ["scheduler"]),
    ('StatusMessage == "x"', []),                            # undefined never matches
    ("StatusMessage =?= undefined", ["execute-1", "execute-2", "login-1", "scheduler"]),
    ('!(Template == "execute") || Name == "execute-2"', ["execute-2", "login-1", "scheduler"]),
    ('(ShutdownPolicy == "Deallocate" || Fixed == true) && KeepAlive == false', ["login-1", "scheduler"]),
    ('State === "Started"', ["execute-1", "execute-2", "login-1", "scheduler"]),   # the docs' example
    ('Name < "f"', ["execute-1", "execute-2"]),
    ('Fixed == "true"', []),                                 # a type clash is an error: no match
    ("Missing || true", ["execute-1", "execute-2", "login-1", "scheduler"]),
    ("Missing && false", []),
    ("CoreCount <= 4.0 && CoreCount > 3", ["execute-1", "execute-2", "login-1", "scheduler"]),
]


@pytest.mark.parametrize("expression, expected", FILTERS)
def test_filter_subset(cc, api, expression, expected):
    answer = api.action("hpc", "terminate", {"filter": expression})
    assert answer.status_code == 202 and names(answer.json()["nodes"]) == expected


def test_filter_by_node_id(cc, api):
    ids = [cc.node("hpc", name)["NodeId"] for name in ("execute-2", "scheduler")]
    answer = api.action("hpc", "deallocate", {"filter": "NodeId in {%s}" % ", ".join('"%s"' % i for i in ids)})
    assert names(answer.json()["nodes"]) == ["execute-2", "scheduler"]


@pytest.mark.parametrize("expression", ['Name ==', 'Name in ("a")', '"unterminated', 'Name == "a" )', "", "Name ~ 1",
                                        "(Fixed", 'Name in {Template}', "&& Fixed"])
def test_unparseable_filter(cc, api, expression):
    answer = api.action("hpc", "terminate", {"filter": expression})
    assert answer.status_code == 409 and "Could not parse the filter expression" in answer.json()["Message"]
    assert set(statuses(cc).values()) == {"Ready"}


def test_filter_class_directly():
    record = {"Name": "n1", "Configuration": {"slurm": {"Partition": "hpc"}}, "Count": 3, "On": True}
    assert ClassAdFilter('Configuration.slurm.partition == "HPC"').matches(record)
    assert ClassAdFilter("!On == false").matches(record)
    assert ClassAdFilter("Count == 3.0 && Count != 4 && !(Count < 3)").matches(record)
    assert not ClassAdFilter("Count == undefined").matches(record)
    assert ClassAdFilter("Nothing =!= 3 && Nothing is undefined").matches(record)
    assert not ClassAdFilter("!Nothing").matches(record)
    assert ClassAdFilter('Name in {}') is not None and not ClassAdFilter('Name in {}').matches(record)
    assert ClassAdFilter('"a\\"b" == "A\\"B"').matches(record)
    with pytest.raises(FilterError):
        ClassAdFilter("   ")


# ==================================================================================================
# operations and nodes by operation (cyclecloud.md 3.7, 4.3)
# ==================================================================================================
def test_operations_and_nodes_by_operation(cc, api):
    created = api.create_nodes("hpc", {"requestId": "op-req", "sets": [{"nodearray": "execute", "count": 2}]}).json()
    scaled = api.scale("hpc", "gpu", total_node_count=1).json()
    terminated = api.action("hpc", "terminate", {"names": ["execute-3"], "requestId": "term-req"}).json()
    listed = api.list_operations().json()
    assert [o["action"] for o in listed] == ["create", "create", "terminate"]
    assert all(TIMESTAMP.match(o["startTime"]) for o in listed)
    assert api.list_operations(request_id="op-req").json() == [listed[0]]
    assert api.list_operations(request_id="nope").json() == []
    assert api.get_operation(scaled["operationId"]).json() == listed[1]
    missing = api.get_operation("0000")
    assert missing.status_code == 404 and missing.json()["Message"] == "No operation found for operation 0000"
    by_op = api.get_nodes("hpc", operation=created["operationId"]).json()
    assert names(by_op["nodes"]) == ["execute-3", "execute-4"] and by_op["operation"] == listed[0]
    assert names(api.get_nodes("hpc", request_id="term-req").json()["nodes"]) == ["execute-3"]
    assert api.get_nodes("hpc", operation=terminated["operationId"]).json()["operation"]["action"] == "terminate"
    cc.clock.advance(cc.timing["terminating"] + cc.timing["removing"])
    assert names(api.get_nodes("hpc", operation=created["operationId"]).json()["nodes"]) == ["execute-4"]   # still existing ones
    unknown = api.get_nodes("hpc", request_id="rid-404")
    assert unknown.status_code == 404 and "No operation found for request id rid-404" in unknown.json()["Message"]
    unknown_op = api.get_nodes("hpc", operation="op-404")
    assert unknown_op.status_code == 404 and "No operation found for operation op-404" in unknown_op.json()["Message"]
    both = api.get_nodes("hpc", operation=created["operationId"], request_id="op-req")
    assert both.status_code == 400
    assert api.call("GET", "/operations", 200, "OperationStatus", array=True).json() == listed   # slash-less too
    assert api.get_nodes("maint", operation=created["operationId"]).json()["nodes"] == []


# ==================================================================================================
# cluster start / terminate (cyclecloud.md 2.2, 4.2)
# ==================================================================================================
def test_start_and_terminate_a_cluster(cc, api):
    started = api.cloud_action("startcluster", "maint")
    assert started.status_code == 200 and started.json() == {"name": "maint", "state": "Starting", "targetState": "Started"}
    assert statuses(cc, "maint") == {"master": "Allocation", "execute-1": "Allocation", "execute-2": "Allocation"}
    status = api.get_cluster_status("maint").json()
    assert (status["state"], status["targetState"]) == ("Starting", "Started")
    assert bucket(status, "execute")["valid"] is True and bucket(status, "execute")["activeCount"] == 2
    cc.clock.advance(cc.timing["allocation"])
    assert api.get_cluster_status("maint").json()["state"] == "Starting"
    cc.clock.advance(cc.timing["preparing"])
    assert api.get_cluster_status("maint").json()["state"] == "Started"
    assert set(statuses(cc, "maint").values()) == {"Ready"}
    again = api.cloud_action("startcluster", "maint")   # only the missing initial nodes are added: none
    assert again.json()["state"] == "Started" and len(cc.nodes("maint")) == 3

    api.action("maint", "deallocate", {"names": ["execute-2"]})
    terminated = api.cloud_action("terminatecluster", "maint")
    assert terminated.json() == {"name": "maint", "state": "Terminating", "targetState": "Terminated"}
    assert set(statuses(cc, "maint").values()) == {"Terminating"}
    cc.clock.advance(cc.timing["terminating"])
    status = api.get_cluster_status("maint", nodes=True).json()
    assert (status["state"], status["targetState"]) == ("Terminated", "Terminated")
    assert statuses(cc, "maint") == {"master": "Off", "execute-1": "Off", "execute-2": "Off"}
    cc.clock.advance(cc.timing["removing"])
    assert statuses(cc, "maint") == {"master": "Off"}   # nodearray nodes removed, the standalone node stays Off

    restarted = api.cloud_action("startcluster", "maint").json()
    assert restarted["state"] == "Starting" and names(cc.nodes("maint")) == ["execute-1", "execute-2", "master"]


def test_start_cluster_while_terminating_and_with_failures(cc, api):
    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["timing"]["starting_cluster"] = 100
    with CycleCloudEmulator(fixture=fixture) as emulator:
        client = Client81(emulator.url, emulator.username, emulator.password)
        client.cloud_action("terminatecluster", "hpc")
        assert client.get_cluster_status("hpc").json()["state"] == "Terminating"
        emulator.fail_next("hpc", node="scheduler", phase="Preparing", message="chef failed")
        assert client.cloud_action("startcluster", "hpc").json()["state"] == "Starting"
        assert emulator.node("hpc", "scheduler")["Status"] == "Terminating"   # starts again once down
        emulator.clock.advance(emulator.timing["terminating"])
        assert emulator.node("hpc", "scheduler")["Status"] == "Allocation"
        emulator.clock.advance(emulator.timing["allocation"] + emulator.timing["preparing"])
        scheduler = emulator.node("hpc", "scheduler")
        assert (scheduler["Status"], scheduler["StatusMessage"]) == ("Failed", "chef failed")
        assert client.get_cluster_status("hpc").json()["state"] == "Starting"   # starting_cluster: 100 s
        emulator.clock.advance(100)
        assert client.get_cluster_status("hpc").json()["state"] == "Started"


# ==================================================================================================
# cluster definitions: import_cluster, show_cluster, removecluster (cyclecloud.md 2.2)
# ==================================================================================================
LAB_PARAMETERS = {"SubnetId": "lab-rg/lab-vnet/compute", "InitialExecuteNodes": 1}


def test_import_cluster_from_template_text(cc, api):
    # cyclecloud.md 2.2: import_cluster takes the template text (cluster=), the name of its [cluster] section
    # (template=) and the parameters as JSON; the new cluster is never started (3.1: no state)
    answer = api.import_cluster("lab", SAMPLE_TEMPLATE, LAB_PARAMETERS, template="simple")
    assert answer.status_code == 200 and answer.json() == {"name": "lab"}
    status = validate(api.get_cluster_status("lab", nodes=True).json(), "ClusterStatus")
    assert "state" not in status and "targetState" not in status and status["maxCount"] == 40
    execute = next(na for na in status["nodearrays"] if na["name"] == "execute")
    assert execute["maxCount"] == 8 and execute["nodearray"]["SubnetId"] == "lab-rg/lab-vnet/compute"
    # cyclecloud.md 4.2: a node array is activated by a cluster start
    assert [(b["definition"]["machineType"], b["valid"], b["invalidReason"]) for b in execute["buckets"]] == [
        ("Standard_F4s_v2", False, "NotActivated"), ("Standard_F8s_v2", False, "NotActivated")]
    assert [(n["Name"], n["Status"], n["MachineType"], n["Fixed"]) for n in status["nodes"]] == [
        ("scheduler", "Off", "Standard_D4s_v3", True)]
    # show_cluster: a list of one record, with the parameter values (the defaults filled in) [INFERRED key]
    records = api.show_cluster("lab").json()
    assert [(r["ClusterName"], r["TemplateName"], r["NodeArrays"]) for r in records] == [
        ("lab", "simple", [{"Name": "execute", "Count": 0}])]
    assert records[0]["Parameters"] == dict(LAB_PARAMETERS, Region="westeurope", SchedulerMachineType="Standard_D4s_v3",
                                            ExecuteMachineTypes="Standard_F4s_v2, Standard_F8s_v2", MaxExecuteNodes=8)
    assert api.show_cluster("nope").json() == []
    assert [r["ClusterName"] for r in api.show_cluster().json()] == ["hpc", "maint", "lab"]
    # start_cluster brings up the scheduler and InitialCount execute nodes
    assert api.cloud_action("startcluster", "lab").json()["state"] == "Starting"
    assert statuses(cc, "lab") == {"scheduler": "Allocation", "execute-1": "Allocation"}
    assert api.scale("lab", "execute", total_node_count=3).json()["sets"] == [{"added": 2}]


def test_import_again_needs_force_and_replaces_the_definition(cc, api):
    api.import_cluster("lab", SAMPLE_TEMPLATE, LAB_PARAMETERS)   # one [cluster] section: template may be left out
    api.cloud_action("startcluster", "lab")
    cc.clock.advance(cc.timing["allocation"] + cc.timing["preparing"])
    refused = api.import_cluster("lab", SAMPLE_TEMPLATE, dict(LAB_PARAMETERS, MaxExecuteNodes=2))
    assert refused.status_code == 409 and "already exists" in refused.json()["Message"]
    # BW-DEMO: force=true "allow[s] updating existing clusters"; the parameters given replace them all
    changed = api.import_cluster("lab", SAMPLE_TEMPLATE, {"SubnetId": "other/vnet/x", "MaxExecuteNodes": 2}, force=True)
    assert changed.status_code == 200 and changed.json()["state"] == "Started"
    record = api.show_cluster("lab").json()[0]
    assert (record["Parameters"]["MaxExecuteNodes"], record["Parameters"]["InitialExecuteNodes"]) == (2, 0)
    execute = api.get_cluster_status("lab").json()["nodearrays"][0]
    assert execute["maxCount"] == 2 and bucket({"nodearrays": [execute]}, "execute")["valid"] is True   # stays active
    assert statuses(cc, "lab") == {"scheduler": "Ready", "execute-1": "Ready"}   # running nodes are left alone
    # cyclecloud.md 4.2: a node array added to a running cluster is not activated until start_cluster runs again
    two_arrays = SAMPLE_TEMPLATE.replace("    [[nodearray execute]]", "    [[nodearray gpu]]\n    MachineType = "
                                         "Standard_NC6s_v3\n\n    [[nodearray execute]]")
    assert api.import_cluster("lab", two_arrays, LAB_PARAMETERS, force=True).status_code == 200
    gpu = bucket(api.get_cluster_status("lab").json(), "gpu")
    assert (gpu["valid"], gpu["invalidReason"]) == (False, "NotActivated")
    api.cloud_action("startcluster", "lab")
    assert bucket(api.get_cluster_status("lab").json(), "gpu")["valid"] is True


def test_create_from_a_stored_template(cc, api):
    # a template stored in CycleCloud (as_template=true, or the fixture's "simple"): named, with no text
    listed = api.show_cluster(include_templates=True).json()
    assert [(r["ClusterName"], r["IsTemplate"]) for r in listed][-1] == ("simple", True)
    missing = api.import_cluster("lab", template="simple", parameters={})
    assert missing.status_code == 409 and missing.json()["Message"] == "Parameter SubnetId is required"
    assert api.import_cluster("lab", template="simple", parameters=LAB_PARAMETERS).status_code == 200
    assert api.show_cluster("lab").json()[0]["TemplateName"] == "simple"
    small = SAMPLE_TEMPLATE.replace("[cluster simple]", "[cluster tiny]").replace("DefaultValue = 8", "DefaultValue = 1")
    stored = api.import_cluster("tiny", small, as_template=True)
    assert stored.status_code == 200 and api.show_cluster("tiny").json() == []   # a template is not a cluster
    assert api.import_cluster("tiny", small, as_template=True).status_code == 409   # exists: force replaces it
    assert api.import_cluster("lab2", template="tiny", parameters=LAB_PARAMETERS).status_code == 200
    assert api.get_cluster_status("lab2").json()["nodearrays"][0]["maxCount"] == 1
    unknown = api.import_cluster("lab3", template="nope", parameters=LAB_PARAMETERS)
    assert unknown.status_code == 409 and unknown.json()["Message"] == "Template nope not found"
    assert api.delete_cluster("tiny", template=True).status_code == 200
    assert api.delete_cluster("tiny", template=True).status_code == 404


def test_template_language_extends_defaults_and_multiline_values(cc, api):
    # the constructs of the template BW-DEMO imports (cyclecloud.md 2.2): [[node defaults]], Extends, ":=",
    # '''-quoted values over several lines, deeper sections that describe what the emulator does not model
    text = """[cluster spot]
Autoscale = true
    [[node defaults]]
    Region = $Region
    [[nodearray execute]]
    MachineType = Standard_F4s_v2, Standard_F8s_v2
    Interruptible = false
    MaxCount = 5
        [[[configuration]]]
        cyclecloud.discoverable = true
    [[nodearray execute-spot]]
    Extends = execute
    Interruptible = true
[parameters About]
    [[parameters Notes]]
        [[[parameter Readme]]]
        Config.Template := '''<p>Two lines,
        the second one [[not a section]]</p>'''
        [[[parameter Region]]]
        DefaultValue = "northeurope"
"""
    assert api.import_cluster("spot", text).status_code == 200
    arrays = {a["name"]: a for a in api.get_cluster_status("spot").json()["nodearrays"]}
    assert [arrays[n]["nodearray"]["Interruptible"] for n in ("execute", "execute-spot")] == [False, True]
    assert arrays["execute-spot"]["maxCount"] == 5 and arrays["execute-spot"]["nodearray"]["Region"] == "northeurope"
    assert [b["definition"]["machineType"] for b in arrays["execute-spot"]["buckets"]] == ["Standard_F4s_v2",
                                                                                           "Standard_F8s_v2"]
    assert api.show_cluster("spot").json()[0]["Parameters"] == {"Region": "northeurope"}


@pytest.mark.parametrize("text, template, parameters, message", [
    (SAMPLE_TEMPLATE.replace("Standard_D4s_v3", "Standard_Q9"), None, LAB_PARAMETERS,
     "MachineType Standard_Q9 is not recognized"),   # cyclecloud.md 5: the one real error body
    ("[parameters only]\nOrder = 1\n", None, {}, "the template has no [cluster NAME] section"),
    (SAMPLE_TEMPLATE, "other", LAB_PARAMETERS, "Cluster other is not defined in the template (it defines simple)"),
    (SAMPLE_TEMPLATE + "\n[cluster two]\n", None, {}, "the template defines clusters simple, two: name one"),
    ("[cluster x]\nthis is not an attribute\n", None, {}, "line 2: expected [section] or Key = value"),
    (SAMPLE_TEMPLATE, None, dict(LAB_PARAMETERS, MaxExecuteNodes="many"), "maxCount must be a whole number"),
])
def test_import_rejects_bad_templates(cc, api, text, template, parameters, message):
    answer = api.import_cluster("lab", text, parameters, template=template)
    assert answer.status_code == 409 and message in answer.json()["Message"]
    assert api.show_cluster("lab").json() == []


def test_import_form_checks(cc, api):
    bad_json = api._request("POST", "/cloud/api/import_cluster/lab", body={"cluster": SAMPLE_TEMPLATE, "parameters": "{"})
    assert bad_json.status_code == 409 and "Invalid JSON in parameters" in bad_json.json()["Message"]
    nothing = api._request("POST", "/cloud/api/import_cluster/lab", body={"source": "standard"})
    assert nothing.status_code == 409 and "Give the cluster template" in nothing.json()["Message"]
    xml = api._request("POST", "/cloud/api/import_cluster/lab", body={"template": "simple", "parameters_format": "xml"})
    assert xml.status_code == 409 and cc.writes() and api.show_cluster("lab").json() == []


def test_remove_cluster_only_once_terminated(cc, api):
    # the CLI's delete_cluster "deletes a non-running cluster" (cyclecloud.md 2.2 removecluster)
    running = api.delete_cluster("hpc")
    assert running.status_code == 409 and running.json()["Message"].startswith("Cluster hpc must be terminated")
    api.cloud_action("terminatecluster", "hpc")
    assert api.delete_cluster("hpc").status_code == 409   # still Terminating
    cc.clock.advance(cc.timing["terminating"])
    removed = api.delete_cluster("hpc")
    assert removed.status_code == 200 and removed.json() == {"name": "hpc"}
    assert api.get_cluster_status("hpc").status_code == 404 and api.show_cluster("hpc").json() == []
    assert api.delete_cluster("hpc").status_code == 404
    never_started = api.delete_cluster("maint")   # its only node is Off
    assert never_started.status_code == 200 and [r["ClusterName"] for r in api.show_cluster().json()] == []


def test_remove_cluster_force_passes_failed_nodes(cc, api):
    # cyclecloud-openapi.json removecluster force: "delete even if resource cleanup had issues"
    cc.fail_next("hpc", phase="Terminating", node="execute-1", message="disk still attached")
    api.cloud_action("terminatecluster", "hpc")
    cc.clock.advance(cc.timing["terminating"])
    assert statuses(cc)["execute-1"] == "Failed"
    assert api.delete_cluster("hpc").status_code == 409
    assert api.delete_cluster("hpc", force=True).status_code == 200


# ==================================================================================================
# faults, log, admin, reset, sandbox
# ==================================================================================================
def test_faults(cc, api):
    cc.faults.add(path=r"/status$", method="GET", status=429, retry_after=7)
    throttled = api.get_cluster_status("hpc")
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "7")
    assert throttled.json()["Message"] == "Too Many Requests; retry after 7 seconds"
    assert api.get_cluster_status("hpc").status_code == 200
    cc.faults.add(path="/nodes/create", status=500, body={"Exception": "java.lang.NullPointerException", "Message": "boom",
                                                          "Detail": "Please see /opt/cycle_server/logs/cycle_server.log"
                                                                    " for lines tagged with request-9 for details."})
    assert api.create_nodes("hpc", {"sets": [{"nodearray": "execute", "count": 1}]}).status_code == 500
    assert len(cc.nodes("hpc")) == 4
    cc.faults.add(path="/clusters/", drop=True)
    with pytest.raises(requests.ConnectionError):
        api.get_nodes("hpc")
    requests.post(cc.url + "/_emulator/faults", json={"path": "/operations/", "status": 503}, timeout=5)
    assert api.list_operations().status_code == 503
    assert [e["status"] for e in cc.log] == [429, 200, 500, None, 503]


def test_request_log(cc, api):
    api.get_cluster_status("hpc", nodes=True)
    api.action("hpc", "terminate", {"names": ["execute-1"]})
    requests.post(cc.url + "/clusters/hpc/nodes/start", data='{"names": ["execute-2"]}', headers={"Content-Type": "text/plain"},
                  auth=(cc.username, cc.password), timeout=5)
    host = cc.url.split("//")[1]
    assert cc.log[:2] == [
        {"method": "GET", "path": "/clusters/hpc/status", "query": {"nodes": "true"}, "body": None, "status": 200,
         "authorization": "Basic", "host": host},
        {"method": "POST", "path": "/clusters/hpc/nodes/terminate", "query": {}, "body": {"names": ["execute-1"]}, "status": 202,
         "authorization": "Basic", "host": host}]
    assert cc.log[2]["body"] == '{"names": ["execute-2"]}' and cc.log[2]["status"] == 202   # text/plain: logged as text
    assert [e["path"] for e in cc.writes()] == ["/clusters/hpc/nodes/terminate", "/clusters/hpc/nodes/start"]
    assert PASSWORD not in json.dumps(cc.log)


def test_admin_endpoints_and_reset(cc, api):
    admin = cc.url + "/_emulator/"
    api.scale("hpc", "execute", total_node_count=4)
    cc.fail_next("hpc")
    assert [e["path"] for e in requests.get(admin + "log", timeout=5).json()] == ["/clusters/hpc/scale/execute"]
    now = requests.post(admin + "clock", json={"advance": 60}, timeout=5).json()["now"]
    assert now.endswith("Z") and statuses(cc)["execute-3"] == "Failed"   # the pending Preparing failure
    assert requests.post(admin + "reset", timeout=5).status_code == 204
    assert names(cc.nodes("hpc")) == ["execute-1", "execute-2", "login-1", "scheduler"]
    assert cc.pending_failures() == [] and cc.log == [] and api.list_operations().json() == []
    assert cc.status("hpc") == api.get_cluster_status("hpc").json()
    assert cc.status("hpc", nodes=True)["nodes"] == cc.nodes("hpc")
    with pytest.raises(KeyError):
        cc.nodes("nope")
    assert cc.node("nope", "x") is None and cc.node("hpc", "x") is None


def test_bad_fixtures():
    with pytest.raises(ValueError):
        CycleCloudEmulator(fixture={"users": {}})
    base = {"users": {"a": "b"}}
    with pytest.raises(ValueError):
        CycleCloudEmulator(fixture=dict(base, clusters=[{"name": "c", "nodearrays": [{"name": "x", "machineTypes": ["Standard_Nope"]}]}]))
    with pytest.raises(ValueError):   # a standalone node needs its machine type
        CycleCloudEmulator(fixture=dict(base, clusters=[{"name": "c", "nodes": [{"name": "n", "template": "head"}]}]))
    with pytest.raises(ValueError):
        CycleCloudEmulator(fixture=dict(base, clusters=[{"name": "c"}, {"name": "c"}]))
    emulator = CycleCloudEmulator(fixture=dict(base, clusters=[{"name": "c", "nodes": [
        {"name": "n", "template": "head", "machineType": "Standard_D2s_v3", "status": "Deallocated"}]}]))
    assert emulator.status("c") == {"maxCount": 100, "maxCoreCount": 10000, "nodearrays": []}
    node = emulator.node("c", "n")
    assert (node["Template"], node["Fixed"], node["TargetState"], node["PrivateIp"]) == ("head", True, "Deallocated", "10.1.0.4")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(*arguments):
    port = free_port()
    process = subprocess.Popen([sys.executable, str(HERE / "cyclecloud_emulator.py"), "--port", str(port)] + list(arguments),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, "http://127.0.0.1:%d" % port


def wait_for(process, url, auth):
    deadline = time.monotonic() + 15
    while True:
        try:
            return requests.get(url, auth=auth, timeout=2)
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.05)


def test_sandbox_cli(tmp_path):
    process, url = serve("--speed", "10")
    try:
        answer = wait_for(process, url + "/clusters/hpc/status", ("admin", PASSWORD))
        assert answer.status_code == 200 and answer.json()["state"] == "Started"
        validate(answer.json(), "ClusterStatus")
    finally:
        process.kill()
        out, _err = process.communicate(timeout=10)
    assert url in out and "admin" in out
    lab = {"name": "lab", "state": "Started", "targetState": "Started",
           "nodearrays": [{"name": "htc", "machineTypes": ["Standard_D2s_v3"]}]}
    fixture = {"users": {"ops": "pw"}, "clusters": [lab]}
    (tmp_path / "lab.json").write_text(json.dumps(fixture), encoding="utf-8")
    process, url = serve("--fixture", str(tmp_path / "lab.json"))
    try:
        answer = wait_for(process, url + "/clusters/lab/status", ("ops", "pw"))
        assert answer.status_code == 200 and bucket(answer.json(), "htc")["availableCount"] == 50   # D2s_v3 quota: 100 cores
    finally:
        process.kill()
        process.communicate(timeout=10)
