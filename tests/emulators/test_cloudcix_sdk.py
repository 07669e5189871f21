# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CloudCIX emulator driven by CloudCIX's own SDK, ``cloudcix==5.0.11``, unmodified, plus plain HTTP tests.

The SDK builds ``http://<application>.api.cloudcix.test/<service>/`` URLs once, when ``cloudcix.api`` is first
imported (cloudcix.md 1.2), from a settings module named by CLOUDCIX_SETTINGS_MODULE: the ``sdk`` fixture writes one
to a temporary directory once per session. Each test then points ``HTTP_PROXY`` at the emulator, so requests sends
absolute-form request lines to it and the emulator routes on the Host header. Plain ``requests`` calls go to the
emulator directly, with the application as the first path segment (the modules' ``api_url`` template).

The emulated clock is stepped with ``cx.clock.advance``; nothing waits for real time.
"""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import time
import types
from datetime import datetime
from pathlib import Path

import pytest
import requests

from cloudcix_emulator import DEFAULT_FIXTURE, DEFAULT_TIMING, CloudcixEmulator, ed25519_public

HERE = Path(__file__).resolve().parent
BASE = "http://api.cloudcix.test/"
SPECS = [{"sku_name": "RAM_001", "quantity": 4}, {"sku_name": "vCPU_001", "quantity": 2},
         {"sku_name": "SSD_001", "quantity": 50}, {"sku_name": "UBUNTU2404", "quantity": 1}]
BUILD = DEFAULT_TIMING["pending"] + DEFAULT_TIMING["build"]


# ==================================================================================================
# fixtures: the SDK configured once, the proxy per test
# ==================================================================================================
@pytest.fixture(scope="session")
def sdk(tmp_path_factory):
    """cloudcix.api, cloudcix.auth and cloudcix.exceptions, configured for http://<app>.api.cloudcix.test/."""
    if "cloudcix.api" in sys.modules:
        pytest.fail("cloudcix.api was imported before its settings were written (URLs are fixed at import)")
    folder = tmp_path_factory.mktemp("cloudcix_settings")
    (folder / "cloudcix_emulator_settings.py").write_text(
        "CLOUDCIX_API_URL = %r\nCLOUDCIX_API_V2_URL = %r\nCLOUDCIX_API_VERSION = 2\n" % (BASE, BASE), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        patch.setenv("CLOUDCIX_SETTINGS_MODULE", "cloudcix_emulator_settings")
        api = importlib.import_module("cloudcix.api")
        auth = importlib.import_module("cloudcix.auth")
        exceptions = importlib.import_module("cloudcix.exceptions")
        yield types.SimpleNamespace(api=api, auth=auth, exceptions=exceptions, Compute=api.Compute,
                                    Contact=api.Contact, Membership=api.Membership)


@pytest.fixture
def proxied(cx, monkeypatch):
    """Route http://*.api.cloudcix.test through the emulator; loopback stays direct."""
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, cx.proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    return cx


@pytest.fixture
def token(sdk, proxied):
    return sdk.auth.get_token(proxied.email, proxied.password, proxied.api_key)


@pytest.fixture
def C(sdk):
    return sdk.Compute


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()["content"] if status != 204 else None


def error_of(response, status=400):
    assert response.status_code == status, response.content
    return response.json()


def codes(body):
    return {field: (err["error_code"] if isinstance(err, dict) else err) for field, err in body["errors"].items()}


def make_project(C, token, cx, name="web"):
    return ok(C.project.create(token=token, data={"name": name, "region_id": cx.region_id}), 201)


def make_router(C, token, project, networks=None):
    data = {"project_id": project["id"], "type": "router", "name": "r1"}
    if networks is not None:
        data["networks"] = networks
    return ok(C.network_routers.create(token=token, data=data), 201)


def make_instance(C, token, project, name="vm1", **extra):
    data = dict({"project_id": project["id"], "name": name, "type": "lxd", "metadata": {}, "specs": SPECS}, **extra)
    return ok(C.compute_instances.create(token=token, data=data), 201)


def state(C, token, service, pk):
    return ok(getattr(C, service).read(pk=pk, token=token))["state"]


def running_instance(C, token, cx, name="vm1", **extra):
    project = make_project(C, token, cx)
    make_router(C, token, project)
    instance = make_instance(C, token, project, name=name, **extra)
    cx.clock.advance(BUILD)
    return project, instance


# ==================================================================================================
# URLs and authentication (cloudcix.md 1.2, 2)
# ==================================================================================================
def test_sdk_builds_per_application_hosts(sdk, C):
    assert C.compute_instances.base_url == "http://compute.api.cloudcix.test/compute/instances/"
    assert sdk.Membership.token.base_url == "http://membership.api.cloudcix.test/auth/login/"
    assert sdk.Contact.group_contact.base_url == "http://contact.api.cloudcix.test/group/{group_id}/contact/"


def test_get_token_and_what_the_log_keeps(sdk, proxied):
    cx = proxied
    token = sdk.auth.get_token(cx.email, cx.password, cx.api_key)
    assert token.count(".") == 2 and token in cx.issued_tokens
    header, payload, _sig = token.split(".")
    claims = json.loads(_b64(payload))
    assert json.loads(_b64(header)) == {"alg": "RS256", "typ": "JWT"} and claims["uid"] == 1
    assert abs(claims["exp"] - (cx.clock.now().timestamp() + 7200)) < 5
    (entry,) = cx.log
    assert (entry["method"], entry["path"], entry["host"], entry["status"]) == (
        "POST", "/auth/login/", "membership.api.cloudcix.test", 201)
    assert entry["body"] == {"email": cx.email, "password": "********", "api_key": "********"}
    ok(sdk.Compute.project.list(token=token))
    dump = json.dumps(cx.log)
    assert token not in dump and cx.password not in dump and cx.api_key not in dump


def _b64(text):
    import base64
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_login_errors(sdk, proxied):
    cx = proxied
    cases = [(("", cx.password, cx.api_key), "membership_token_create_001"),
             ((cx.email, "wrong", cx.api_key), "membership_token_create_002"),
             (("nobody@example.com", cx.password, cx.api_key), "membership_token_create_002"),
             ((cx.email, cx.password, "other-member-api-key"), "membership_token_create_003"),
             ((cx.email, cx.password, "bogus"), "membership_token_create_003")]
    for args, code in cases:
        with pytest.raises(sdk.exceptions.CloudCIXAuthException) as caught:
            sdk.auth.get_token(*args)
        assert str(caught.value).startswith(code + ": ")
    # without api_key: a credential check only, 200 {} (cloudcix.md 2.3)
    answer = sdk.Membership.token.create(data={"email": cx.email.upper(), "password": cx.password})
    assert answer.status_code == 200 and answer.json() == {}
    assert sdk.auth.get_token(cx.email.upper(), cx.password, cx.api_key) in cx.issued_tokens


def test_401_missing_invalid_expired(sdk, C, token, proxied):
    cx = proxied
    expected = [(None, "Authentication credentials were not provided."),
                ("not-a-token", "An error occurred while decoding your token, try again later.")]
    for bad, detail in expected:
        answer = C.project.list(token=bad)
        assert answer.status_code == 401 and answer.json() == {"detail": detail}
        assert answer.headers["WWW-Authenticate"] == "X-Auth-Token"
    assert C.project.list(token=token).status_code == 200
    cx.clock.advance(7199)
    assert C.project.list(token=token).status_code == 200
    cx.clock.advance(2)
    answer = C.project.list(token=token)
    assert answer.status_code == 401 and answer.json() == {"detail": "JWT token is expired. Please login again."}
    # a fresh login works again; unknown paths answer 404 before authentication
    fresh = sdk.auth.get_token(cx.email, cx.password, cx.api_key)
    assert C.project.list(token=fresh).status_code == 200
    assert requests.get("http://compute.api.cloudcix.test/nothing/", timeout=5).status_code == 404


def test_token_refresh_with_put(sdk, token, proxied):
    url = "http://membership.api.cloudcix.test/auth/login/"
    answer = requests.put(url, headers={"X-Auth-Token": token}, timeout=5)
    assert answer.status_code == 200
    fresh = answer.json()["token"]
    assert fresh != token and fresh in proxied.issued_tokens
    proxied.clock.advance(3601)   # a refreshed token lives 1 hour (cloudcix.md 2.3)
    assert sdk.Compute.project.list(token=fresh).status_code == 401
    assert sdk.Compute.project.list(token=token).status_code == 200
    assert requests.put(url, timeout=5).status_code == 401
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=5).status_code == 405
    # Client.update appends a pk: no such route (cloudcix.md 2.3)
    assert sdk.Membership.token.update(pk=1, token=token).status_code == 404


# ==================================================================================================
# every Client method on a plain CRUD application (contact)
# ==================================================================================================
def test_client_methods_on_contacts(sdk, token, proxied):
    Contact = sdk.Contact
    created = ok(Contact.contact.create(token=token, data={"first_name": "Grace", "last_name": "Hopper",
                                                           "email": "grace@example.com"}), 201)
    pk = created["id"]
    assert isinstance(pk, int) and created["uri"] == "/contact/%d/" % pk
    assert isinstance(created["created"], datetime) and created["created"].tzinfo is None
    assert ok(Contact.contact.read(pk=pk, token=token))["email"] == "grace@example.com"
    listed = Contact.contact.list(token=token).json()
    assert [c["email"] for c in listed["content"]] == ["grace@example.com", "ada@example.com"]   # order last_name
    assert listed["_metadata"] == {"page": 0, "limit": 50, "order": "last_name", "total_records": 2, "warnings": []}
    # PUT is a partial update too (cloudcix.md 4.3/8.9)
    assert ok(Contact.contact.update(pk=pk, token=token, data={"company": "Navy"}))["first_name"] == "Grace"
    assert ok(Contact.contact.partial_update(pk=pk, token=token, data={"last_name": "Murray"}))["company"] == "Navy"
    clash = error_of(Contact.contact.create(token=token, data={"first_name": "A", "email": "ADA@example.com"}))
    assert clash == {"errors": {"email": {"error_code": "contact_contact_create_105", "detail":
                     'The "email" parameter is invalid. A Contact with this email already exists.'}},
                     "detail": "Bad request."}
    assert codes(error_of(Contact.contact.partial_update(pk=pk, token=token, data={"email": "ada@example.com"}))) \
        == {"email": "contact_contact_update_105"}
    assert Contact.contact.head(token=token, pk=pk).status_code == 200
    assert Contact.contact.delete(pk=pk, token=token).status_code == 204
    head = Contact.contact.head(token=token, pk=pk)
    assert head.status_code == 404 and head.content == b""
    assert error_of(Contact.contact.read(pk=pk, token=token), 404)["error_code"] == "contact_contact_read_001"
    assert error_of(Contact.contact.partial_update(pk=pk, token=token, data={}), 404)["error_code"] == \
        "contact_contact_update_001"
    assert error_of(Contact.contact.delete(pk=pk, token=token), 404)["error_code"] == "contact_contact_delete_001"
    # a service without DELETE answers 405 (DRF's text) after authentication
    assert error_of(Contact.group.delete(pk=1, token=token), 405) == {"detail": 'Method "DELETE" not allowed.'}
    assert Contact.group.delete(pk=1).status_code == 401
    assert Contact.group.head(token=token).status_code == 405   # HEAD on a collection [INFERRED]


def test_nested_group_contacts(sdk, token, proxied):
    Contact = sdk.Contact
    group = ok(Contact.group.create(token=token, data={"name": "Suppliers"}), 201)
    assert codes(error_of(Contact.group.create(token=token, data={"name": "Suppliers"}))) == \
        {"name": "contact_group_create_104"}
    contact = ok(Contact.contact.create(token=token, data={"first_name": "Al", "email": "al@example.com"}), 201)
    assert ok(Contact.group_contact.list(token=token, group_id=group["id"])) == []
    ok(Contact.group_contact.create(token=token, group_id=group["id"], data={"contact_id": contact["id"]}), 201)
    assert [c["id"] for c in ok(Contact.group_contact.list(token=token, group_id=group["id"]))] == [contact["id"]]
    assert ok(Contact.group_contact.read(pk=contact["id"], token=token, group_id=group["id"]))["group_ids"] == [
        group["id"]]
    assert Contact.group_contact.update(pk=contact["id"], token=token, group_id=group["id"]).status_code == 405
    assert Contact.group_contact.delete(pk=contact["id"], token=token, group_id=group["id"]).status_code == 204
    assert Contact.group_contact.read(pk=contact["id"], token=token, group_id=group["id"]).status_code == 404
    missing = error_of(Contact.group_contact.list(token=token, group_id=999), 404)
    assert missing["error_code"] == "contact_group_contact_list_001"
    with pytest.raises(sdk.exceptions.MissingClientKeywordArgumentException):
        Contact.group_contact.list(token=token)


def test_get_all_pages_past_100(sdk, token, proxied):
    Contact = sdk.Contact
    for n in range(130):
        ok(Contact.contact.create(token=token, data={"first_name": "n%03d" % n, "last_name": "L%03d" % n,
                                                     "email": "p%03d@example.com" % n}), 201)
    proxied.clear_log()
    everything = Contact.contact.get_all(token=token, params={"search[email__icontains]": "example.com"})
    assert len(everything) == 131 and len({c["id"] for c in everything}) == 131
    assert [(e["query"]["page"], e["query"]["limit"]) for e in proxied.log] == [("0", "100"), ("1", "100")]
    assert len(Contact.contact.get_all(token=token, params={"search[first_name__istartswith]": "N1"})) == 30


def test_paging_rules(sdk, token, proxied):
    for n in range(7):
        ok(sdk.Contact.group.create(token=token, data={"name": "g%d" % n}), 201)

    def meta(**params):
        body = sdk.Contact.group.list(token=token, params=params).json()
        return len(body["content"]), body["_metadata"]["page"], body["_metadata"]["limit"]
    assert meta(limit=3) == (3, 0, 3)
    assert meta(limit=3, page=2) == (2, 2, 3)
    assert meta(limit=3, page=5) == (0, 5, 3)
    assert meta(limit=0) == (8, 0, 50) and meta(limit=101) == (8, 0, 50) and meta(limit="x") == (8, 0, 50)
    assert meta(page=-1) == (8, 0, 50) and meta(page="x") == (8, 0, 50) and meta(limit=100) == (8, 0, 100)
    body = sdk.Contact.group.list(token=token, params={"limit": 3, "page": 9}).json()
    assert body["content"] == [] and body["_metadata"]["total_records"] == 8


def test_filters_ordering_and_warnings(sdk, token, proxied):
    Contact = sdk.Contact
    people = [("Ann", "Ames", "ann@a.org"), ("Bob", "Baker", "bob@b.org"), ("Cid", "Cole", "cid@c.org")]
    ids = [ok(Contact.contact.create(token=token, data={"first_name": f, "last_name": n, "email": e}), 201)["id"]
           for f, n, e in people]

    def names(**params):
        answer = Contact.contact.list(token=token, params=params)
        assert answer.status_code == 200, answer.content
        return [c["first_name"] for c in answer.json()["content"]]
    assert names(**{"search[first_name]": "Ann"}) == ["Ann"]
    assert names(**{"search[first_name]": "ann"}) == []                     # exact is case-sensitive
    assert names(**{"search[first_name__iexact]": "ann"}) == ["Ann"]
    assert names(**{"search[email__icontains]": "B.ORG"}) == ["Bob"]
    assert names(**{"search[last_name__istartswith]": "c"}) == ["Cid"]
    assert names(**{"search[email__iendswith]": ".ORG"}) == ["Ann", "Bob", "Cid"]
    assert names(**{"search[id__in]": ids[:2]}) == ["Ann", "Bob"]           # the SDK sends "['1', '2']"
    assert names(**{"search[id__in]": json.dumps(ids[1:])}) == ["Bob", "Cid"]
    assert names(**{"search[first_name__in]": "Ann,Cid"}) == ["Ann", "Cid"]
    assert names(**{"search[id__gt]": ids[1]}) == ["Cid"]
    assert names(**{"search[id__range]": "[%d, %d]" % (ids[0], ids[1])}) == ["Ann", "Bob"]
    assert names(**{"exclude[first_name]": "Bob", "search[email__icontains]": ".org"}) == ["Ann", "Cid"]
    assert names(**{"search[id__isnull]": True}) == []
    assert names(**{"search[created__lte]": datetime(2000, 1, 1)}) == []
    assert names(order="-first_name", **{"search[email__icontains]": ".org"}) == ["Cid", "Bob", "Ann"]
    body = Contact.contact.list(token=token, params={"order": "email_bogus", "first_name": "Bob", "search[nope]": 1,
                                                     "search[id__range]": "1"}).json()
    assert [c["first_name"] for c in body["content"]] == ["Bob"] and body["_metadata"]["order"] == "last_name"
    warnings = body["_metadata"]["warnings"]
    assert any(w.startswith("DeprecationWarning: first_name") for w in warnings)
    assert "SearchFilterWarning: nope is an invalid filter for this list method and was skipped." in warnings
    assert any(w.startswith("SearchFilterWarning: id__range") for w in warnings)
    # a bad value for a typed field: 400 <app>_<svc>_list_001 (cloudcix.md 6.1)
    for bad in ({"search[id]": "abc"}, {"search[created__gt]": "yesterday"}, {"search[id__isnull]": "maybe"}):
        assert error_of(Contact.contact.list(token=token, params=bad))["error_code"] == "contact_contact_list_001"


def test_string_operators_beyond_the_five_are_skipped_with_a_warning(sdk, token, proxied):
    """cloudcix.md 6.1: strings take `in icontains iendswith iexact istartswith` only; any other operator is skipped
    with a SearchFilterWarning in _metadata.warnings (4.1), so the list is not narrowed by it."""
    Contact = sdk.Contact
    for first, email in (("Ann", "ann@a.org"), ("Bob", "bob@b.org")):
        ok(Contact.contact.create(token=token, data={"first_name": first, "email": email}), 201)
    everyone = len(ok(Contact.contact.list(token=token)))
    for key, value in (("first_name__contains", "nn"), ("first_name__exact", "Ann"), ("first_name__startswith", "A"),
                       ("first_name__endswith", "n"), ("email__isnull", "false"), ("first_name__regex", "^A"),
                       ("id__exact", "1"), ("id__icontains", "1")):
        body = Contact.contact.list(token=token, params={"search[%s]" % key: value}).json()
        assert len(body["content"]) == everyone, key
        assert body["_metadata"]["warnings"] == [
            "SearchFilterWarning: %s is an invalid filter for this list method and was skipped." % key]
        body = Contact.contact.list(token=token, params={"exclude[%s]" % key: value}).json()
        assert len(body["content"]) == everyone and body["_metadata"]["warnings"][0].startswith(
            "ExcludeFilterWarning: %s " % key), key
    for key, value, first_names in (("first_name__iexact", "ANN", ["Ann"]), ("first_name__icontains", "O", ["Bob"]),
                                    ("first_name__istartswith", "b", ["Bob"]), ("email__iendswith", "A.ORG", ["Ann"]),
                                    ("first_name__in", "Ann,Bob", ["Ann", "Bob"]), ("first_name", "Ann", ["Ann"])):
        body = Contact.contact.list(token=token, params={"search[%s]" % key: value}).json()
        assert [c["first_name"] for c in body["content"]] == first_names and body["_metadata"]["warnings"] == [], key


# ==================================================================================================
# compute: projects (cloudcix.md 5.3.3)
# ==================================================================================================
def test_projects(sdk, C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    assert {k: project[k] for k in ("name", "note", "region_id", "address_id", "closed", "manager_id")} == {
        "name": "web", "note": "", "region_id": cx.region_id, "address_id": cx.address_id, "closed": False,
        "manager_id": 1}
    assert set(project) == {"id", "address_id", "archived", "closed", "created", "manager_id", "name", "note",
                            "region_id", "reseller_id", "updated", "uri"}
    assert codes(error_of(C.project.create(token=token, data={"name": "web", "region_id": cx.region_id}))) == \
        {"name": "compute_project_create_107"}
    assert codes(error_of(C.project.create(token=token, data={}))) == {
        "region_id": "compute_project_create_101", "name": "compute_project_create_111"}
    assert codes(error_of(C.project.create(token=token, data={"name": "x", "region_id": 7}))) == {
        "region_id": "compute_project_create_102"}
    other = make_project(C, token, cx, "db")
    assert codes(error_of(C.project.partial_update(pk=other["id"], token=token, data={"name": "web"}))) == \
        {"name": "compute_project_update_103"}
    changed = ok(C.project.partial_update(pk=other["id"], token=token, data={"note": "n", "region_id": 5}))
    assert (changed["note"], changed["region_id"]) == ("n", cx.region_id)
    # another Address sees nothing; a private user reads but may not create (cloudcix.md 2.4)
    other_token = sdk.auth.get_token(cx.other_email, cx.other_password, cx.api_key)
    assert ok(C.project.list(token=other_token)) == []
    assert error_of(C.project.read(pk=9999, token=other_token), 404)["error_code"] == "compute_project_read_001"
    private = sdk.auth.get_token(cx.private_email, cx.private_password, cx.api_key)
    assert len(ok(C.project.list(token=private))) == 2
    assert error_of(C.project.create(token=private, data={"name": "z", "region_id": cx.region_id}), 403)[
        "error_code"] == "compute_project_create_201"
    # DELETE closes an empty project; the name is free again
    assert C.project.delete(pk=project["id"], token=token).status_code == 204
    assert ok(C.project.read(pk=project["id"], token=token))["closed"] is True
    assert sorted(p["name"] for p in ok(C.project.list(token=token))) == ["db", "web"]
    assert make_project(C, token, cx)["closed"] is False
    assert C.project.delete(pk=project["id"], token=token).status_code == 204


def test_closed_is_no_gen2_project_filter(C, token, proxied):
    """cloudcix.md 5.3.3: the gen-2 project list filters are address_id, archived, created, id, manager_id,
    region_id, reseller_id, updated, name and all_projects; "closed" (a gen-1 filter, 5.2.3) is skipped with a
    warning (6.1), so closed projects are listed too."""
    cx = proxied
    closed = make_project(C, token, cx, "old")
    assert C.project.delete(pk=closed["id"], token=token).status_code == 204
    make_project(C, token, cx, "new")
    for value in (False, True):
        body = C.project.list(token=token, params={"search[closed]": value}).json()
        assert sorted((p["name"], p["closed"]) for p in body["content"]) == [("new", False), ("old", True)]
        assert body["_metadata"]["warnings"] == [
            "SearchFilterWarning: closed is an invalid filter for this list method and was skipped."]


def test_another_addresss_object_by_id_is_403(sdk, C, token, proxied):
    """cloudcix.md 2.4: a read of an object that exists but belongs to another Address is 403 with an error code
    (the spec's evidence is gen 1, CloudCIX/iaas permissions: iaas_project_read_203, iaas_vm_read_203,
    iaas_vm_update_202); HEAD answers 404 whether it is missing or denied. Lists just leave it out."""
    cx = proxied
    project, instance = running_instance(C, token, cx)
    other = sdk.auth.get_token(cx.other_email, cx.other_password, cx.api_key)
    for service, pk, code in (("project", project["id"], "compute_project"),
                              ("compute_instances", instance["id"], "compute_compute_instance")):
        client = getattr(C, service)
        body = error_of(client.read(pk=pk, token=other), 403)
        assert body["error_code"] == code + "_read_203"
        assert body["detail"].startswith("You do not have permission to make this request. You can only read ")
        assert error_of(client.partial_update(pk=pk, token=other, data={"name": "mine"}), 403)["error_code"] == \
            code + "_update_202"
        assert error_of(client.delete(pk=pk, token=other), 403)["error_code"] == code + "_delete_202"
        assert client.head(pk=pk, token=other).status_code == 404
        assert client.head(pk=pk, token=token).status_code == 200
        assert ok(client.list(token=other)) == []
        assert error_of(client.read(pk=99999, token=other), 404)["error_code"] == code + "_read_001"
    assert ok(C.project.read(pk=project["id"], token=token))["name"] == "web"   # nothing changed


def test_project_delete_needs_every_resource_gone(C, token, proxied):
    cx = proxied
    project, instance = running_instance(C, token, cx)
    refused = error_of(C.project.delete(pk=project["id"], token=token))
    assert refused["error_code"] == "compute_project_delete_101"
    ok(C.compute_instances.partial_update(pk=instance["id"], token=token, data={"state": "delete"}))
    router = ok(C.network_routers.list(token=token, params={"search[project_id]": project["id"]}))[0]
    assert error_of(C.project.delete(pk=project["id"], token=token))["error_code"] == "compute_project_delete_101"
    cx.clock.advance(DEFAULT_TIMING["delete"])
    ok(C.network_routers.partial_update(pk=router["id"], token=token, data={"state": "delete"}))
    assert C.project.delete(pk=project["id"], token=token).status_code == 204
    assert codes(error_of(C.network_routers.create(token=token, data={"project_id": project["id"]}))) == \
        {"project_id": "compute_network_router_create_103"}


# ==================================================================================================
# compute: network routers (cloudcix.md 5.3.5)
# ==================================================================================================
def test_routers(C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    router = ok(C.network_routers.create(token=token, data={"project_id": project["id"]}), 201)
    # grace_period: days, the router's default 7 (cloudcix.md 5.3.5; the SDK's unit wins over the samples', 5.3.4)
    assert (router["type"], router["state"], router["grace_period"]) == ("router", "pending", 7)
    (network,) = router["networks"]
    assert network["ipv4"] == "10.0.0.1/24" and network["name"] == "default"
    assert network["ipv6"].endswith("::1/64") and isinstance(network["vlan"], int)
    assert codes(error_of(C.network_routers.create(token=token, data={"project_id": project["id"]}))) == \
        {"type": "compute_network_router_create_105"}
    pk = router["id"]
    cx.clock.advance(DEFAULT_TIMING["pending"])
    assert state(C, token, "network_routers", pk) == "building"
    # unstable: no transition, but a new name alone is fine
    assert codes(error_of(C.network_routers.partial_update(pk=pk, token=token, data={"state": "delete"}))) == \
        {"state": "compute_network_router_update_151"}
    assert ok(C.network_routers.partial_update(pk=pk, token=token, data={"name": "edge"}))["name"] == "edge"
    cx.clock.advance(DEFAULT_TIMING["build"])
    assert state(C, token, "network_routers", pk) == "running"
    grown = [dict(network, name="lan"), {"name": "dmz", "ipv4": "10.0.9.1/24"}]
    assert codes(error_of(C.network_routers.partial_update(pk=pk, token=token, data={"networks": grown}))) == \
        {"networks": "compute_network_router_update_153"}
    updated = ok(C.network_routers.partial_update(pk=pk, token=token, data={
        "networks": grown, "state": "update_running"}))
    assert [n["name"] for n in updated["networks"]] == ["lan", "dmz"] and updated["state"] == "update_running"
    assert updated["networks"][0] == dict(network, name="lan") and updated["networks"][1]["vlan"] != network["vlan"]
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert state(C, token, "network_routers", pk) == "running"
    current = updated["networks"]
    # ranges are immutable, the list is complete, overlaps refused; renames alone need no update state
    moved = [dict(current[0], ipv4="10.0.5.1/24"), current[1]]
    body = error_of(C.network_routers.partial_update(pk=pk, token=token, data={
        "networks": moved, "state": "update_running"}))
    assert body["errors"]["networks"][0]["ipv4"]["error_code"] == "compute_network_router_update_165"
    assert body["errors"]["networks"][1] is None
    assert codes(error_of(C.network_routers.partial_update(pk=pk, token=token, data={
        "networks": current[:1], "state": "update_running"}))) == {"networks": "compute_network_router_update_168"}
    overlap = current + [{"name": "x", "ipv4": "10.0.9.129/25"}]
    assert error_of(C.network_routers.partial_update(pk=pk, token=token, data={
        "networks": overlap, "state": "update_running"}))["errors"]["networks"][2]["ipv4"]["error_code"] == \
        "compute_network_router_update_167"
    renamed = ok(C.network_routers.partial_update(pk=pk, token=token, data={
        "networks": [dict(current[0], name="inside"), current[1]]}))
    assert renamed["state"] == "running" and renamed["networks"][0]["name"] == "inside"
    # static routes: nexthop inside a router network, destinations do not overlap, only nat/name change
    route = ok(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route",
        "metadata": {"destination": "192.168.50.0/24", "nexthop": "10.0.0.254"}}), 201)
    assert route["metadata"] == {"destination": "192.168.50.0/24", "nexthop": "10.0.0.254", "nat": False}
    assert codes(error_of(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route",
        "metadata": {"destination": "192.168.50.128/25", "nexthop": "10.0.0.254"}}))) == \
        {"metadata": "compute_network_router_create_177"}
    assert codes(error_of(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route",
        "metadata": {"destination": "172.16.0.0/16", "nexthop": "10.200.0.1"}}))) == \
        {"metadata": "compute_network_router_create_176"}
    cx.clock.advance(BUILD)
    assert codes(error_of(C.network_routers.partial_update(pk=route["id"], token=token, data={
        "metadata": {"nat": True}}))) == {"metadata": "compute_network_router_update_153"}
    natted = ok(C.network_routers.partial_update(pk=route["id"], token=token, data={
        "metadata": {"nat": True}, "state": "update_running"}))
    assert natted["metadata"]["nat"] is True
    # the router goes last (cloudcix.md 5.3.2)
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert codes(error_of(C.network_routers.partial_update(pk=pk, token=token, data={"state": "delete"}))) == \
        {"state": "compute_network_router_update_154"}
    ok(C.network_routers.partial_update(pk=route["id"], token=token, data={"state": "delete"}))
    assert ok(C.network_routers.partial_update(pk=pk, token=token, data={"state": "delete"}))["state"] == "delete"


def test_static_routes_as_cloudcix_static_route_uses_them(C, token, proxied):
    """Every call of cloudcix_static_route (cloudcix.md 5.3.5): the router's networks read for the next hop, the
    routes of a project listed by type, create, read, a rename alone, nat with update_running, delete by state and
    the purge (HTTP DELETE)."""
    cx = proxied
    project = make_project(C, token, cx)
    make_router(C, token, project, networks=[{"name": "lan", "ipv4": "10.0.1.1/24"}])
    routers = ok(C.network_routers.list(token=token, params={
        "search[project_id]": project["id"], "search[type]": "router"}))
    assert [n["ipv4"] for r in routers for n in r["networks"]] == ["10.0.1.1/24"]
    route = ok(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route", "name": "office", "grace_period": 3,
        "metadata": {"destination": "192.168.50.7/24", "nexthop": "10.0.1.254"}}), 201)
    assert (route["type"], route["name"], route["state"], route["grace_period"]) == (
        "static_route", "office", "pending", 3)
    assert route["metadata"] == {"destination": "192.168.50.0/24", "nexthop": "10.0.1.254", "nat": False}
    other = ok(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route",
        "metadata": {"destination": "172.16.0.0/16", "nexthop": "10.0.1.253", "nat": True}}), 201)
    assert other["name"] == "Static Route" and other["metadata"]["nat"] is True
    listed = ok(C.network_routers.list(token=token, params={"search[project_id__in]": [project["id"]],
                                                            "search[type]": "static_route"}))
    assert sorted(r["id"] for r in listed) == sorted([route["id"], other["id"]])
    cx.clock.advance(BUILD)
    assert state(C, token, "network_routers", route["id"]) == "running"
    renamed = ok(C.network_routers.partial_update(pk=route["id"], token=token, data={"name": "branch"}))
    assert (renamed["name"], renamed["state"]) == ("branch", "running")
    natted = ok(C.network_routers.partial_update(pk=route["id"], token=token, data={
        "metadata": {"nat": True}, "state": "update_running"}))
    assert natted["metadata"] == {"destination": "192.168.50.0/24", "nexthop": "10.0.1.254", "nat": True}
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert codes(error_of(C.network_routers.partial_update(pk=route["id"], token=token, data={
        "metadata": {"nexthop": "10.0.1.9"}, "state": "update_running"}))) == {
        "metadata": "compute_network_router_update_175"}
    assert ok(C.network_routers.partial_update(pk=route["id"], token=token, data={"state": "delete"}))["state"] == \
        "delete"
    assert C.network_routers.delete(pk=other["id"], token=token).status_code == 204
    purged = ok(C.network_routers.read(pk=other["id"], token=token))
    assert (purged["state"], purged["grace_period"]) == ("delete", 0)
    # a deleted route's destination is free again
    ok(C.network_routers.create(token=token, data={
        "project_id": project["id"], "type": "static_route",
        "metadata": {"destination": "192.168.50.0/24", "nexthop": "10.0.1.9"}}), 201)


def test_snapshot_revert_as_cloudcix_snapshot_revert_uses_it(C, token, proxied):
    """cloudcix.md 5.3.2: a snapshot's update_running reverts its instance to it; the snapshot goes back to running.
    Refused while the instance is not running [INFERRED from gen 1, 5.2.7] and while the snapshot is being taken."""
    cx = proxied
    project, instance = running_instance(C, token, cx)
    # the module finds the project and the instance by name, then the snapshot by both
    assert [p["id"] for p in ok(C.project.list(token=token, params={"search[name]": "web"}))] == [project["id"]]
    assert [i["id"] for i in ok(C.compute_instances.list(token=token, params={"search[name]": "vm1"}))] == [
        instance["id"]]
    snapshot = ok(C.compute_snapshots.create(token=token, data={
        "project_id": project["id"], "instance_id": instance["id"], "type": "lxd", "name": "before"}), 201)
    assert codes(error_of(C.compute_snapshots.partial_update(pk=snapshot["id"], token=token, data={
        "state": "update_running"}))) == {"state": "compute_compute_snapshot_update_151"}
    cx.clock.advance(BUILD)
    found = ok(C.compute_snapshots.list(token=token, params={
        "search[project_id__in]": [project["id"]], "search[name]": "before",
        "search[instance_id__in]": [instance["id"]]}))
    assert [s["id"] for s in found] == [snapshot["id"]]
    assert found[0]["instance"] == {"id": instance["id"], "name": "vm1", "state": "running"}
    reverting = ok(C.compute_snapshots.partial_update(pk=snapshot["id"], token=token, data={
        "state": "update_running"}))
    assert reverting["state"] == "update_running"
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert state(C, token, "compute_snapshots", snapshot["id"]) == "running"
    ok(C.compute_instances.partial_update(pk=instance["id"], token=token, data={"state": "stop"}))
    cx.clock.advance(DEFAULT_TIMING["stop"])
    assert codes(error_of(C.compute_snapshots.partial_update(pk=snapshot["id"], token=token, data={
        "state": "update_running"}))) == {"state": "compute_compute_snapshot_update_155"}


def test_hyperv_snapshot_active_follows_creates_and_reverts(C, token, proxied):
    """cloudcix.md 5.3.6: Hyper-V snapshots carry metadata.active; the newest, and the one reverted to, is the
    active one (5.2.7, gen 1)."""
    cx = proxied
    project, instance = running_instance(C, token, cx, type="hyperv", metadata={"dns4": "8.8.8.8"}, specs=[
        {"sku_name": "RAM_001", "quantity": 4}, {"sku_name": "vCPU_002", "quantity": 2},
        {"sku_name": "SSD_001", "quantity": 50}, {"sku_name": "MSServer2022", "quantity": 1}])
    first, second = (ok(C.compute_snapshots.create(token=token, data={
        "project_id": project["id"], "instance_id": instance["id"], "name": name}), 201) for name in ("a", "b"))
    cx.clock.advance(BUILD)

    def active():
        return [s["name"] for s in ok(C.compute_snapshots.list(token=token)) if s["metadata"]["active"]]
    assert active() == ["b"]
    ok(C.compute_snapshots.partial_update(pk=first["id"], token=token, data={"state": "update_running"}))
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert active() == ["a"] and second["id"]


# ==================================================================================================
# compute: instances (cloudcix.md 5.3.2, 5.3.4)
# ==================================================================================================
def test_instance_life_cycle(C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    make_router(C, token, project, [{"name": "web", "ipv4": "10.0.1.1/24"}])
    instance = make_instance(C, token, project)
    pk = instance["id"]
    assert (instance["state"], instance["type"], instance["grace_period"]) == ("pending", "lxd", 7)
    assert instance["metadata"]["instance_type"] == "container" and instance["specs"] == SPECS
    (itf,) = instance["interfaces"]
    assert itf["gateway"] is True and itf["ipv4_addresses"][0]["address"] == "10.0.1.2"
    assert itf["ipv4_addresses"][0]["nat"] is False and itf["ipv4_addresses"][0]["public_ip"] is None
    assert itf["ipv6_addresses"][0]["address"].startswith(itf["ipv6_addresses"][0]["address"].split("::")[0])
    steps = [(DEFAULT_TIMING["pending"], "building"), (DEFAULT_TIMING["build"], "running")]
    for seconds, expected in steps:
        cx.clock.advance(seconds)
        assert state(C, token, "compute_instances", pk) == expected

    def patch(data, status=200):
        answer = C.compute_instances.partial_update(pk=pk, token=token, data=data)
        return ok(answer) if status == 200 else error_of(answer, status)
    assert codes(patch({"state": "restart"}, 400)) == {"state": "compute_compute_instance_update_152"}
    assert patch({"state": "running"})["state"] == "running"          # the current state: a no-op
    assert patch({"state": "stop"})["state"] == "stop"
    assert codes(patch({"state": "restart"}, 400)) == {"state": "compute_compute_instance_update_151"}
    cx.clock.advance(DEFAULT_TIMING["stop"])
    assert state(C, token, "compute_instances", pk) == "stopped"
    resized = patch({"specs": [{"sku_name": "RAM_001", "quantity": 8}], "state": "update_stopped"})
    assert resized["specs"][0] == {"sku_name": "RAM_001", "quantity": 8} and len(resized["specs"]) == 4
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert state(C, token, "compute_instances", pk) == "stopped"
    assert patch({"state": "restart"})["state"] == "restart"
    cx.clock.advance(DEFAULT_TIMING["restart"])
    assert state(C, token, "compute_instances", pk) == "running"
    # config changes need an update state; name and grace_period do not
    assert codes(patch({"specs": [{"sku_name": "vCPU_001", "quantity": 4}]}, 400)) == {
        "specs": "compute_compute_instance_update_153"}
    assert codes(patch({"metadata": {"userdata": "#cloud-config\n"}}, 400)) == {
        "metadata": "compute_compute_instance_update_153"}
    assert patch({"specs": SPECS[1:2]})["state"] == "running"   # unchanged values: nothing to do
    assert patch({"name": "vm-one", "grace_period": 0})["name"] == "vm-one"
    # delete -> delete_queue -> restore; delete again -> (grace 0) deleting -> deleted
    assert patch({"state": "delete"})["state"] == "delete"
    cx.clock.advance(DEFAULT_TIMING["delete"])
    assert state(C, token, "compute_instances", pk) == "deleting"   # grace 0: straight through the queue
    cx.clock.advance(DEFAULT_TIMING["scrub"])
    assert state(C, token, "compute_instances", pk) == "deleted"
    assert codes(patch({"name": "x"}, 400)) == {"state": "compute_compute_instance_update_150"}
    # lists keep deleted objects (with their state); filters by state string or gen-1 number
    assert len(ok(C.compute_instances.list(token=token))) == 1
    assert ok(C.compute_instances.list(token=token, params={"exclude[state]": 99})) == []
    assert len(ok(C.compute_instances.list(token=token, params={"search[state]": "deleted"}))) == 1
    assert ok(C.compute_instances.list(token=token, params={"search[state__lt]": 99})) == []


def test_grace_period_and_restore(C, proxied):
    cx = proxied
    token = cx.issue_token(lifetime=30 * 86400)   # outlives the clock steps below
    _project, instance = running_instance(C, token, cx, grace_period=2)
    pk = instance["id"]
    ok(C.compute_instances.partial_update(pk=pk, token=token, data={"state": "delete"}))
    cx.clock.advance(DEFAULT_TIMING["delete"])
    assert state(C, token, "compute_instances", pk) == "delete_queue"
    cx.clock.advance(2 * 86400 - 1)   # grace_period is in days (cloudcix.md 5.3.4/5.3.5: the SDK's unit)
    assert state(C, token, "compute_instances", pk) == "delete_queue"
    assert ok(C.compute_instances.partial_update(pk=pk, token=token, data={"state": "stop"}))["state"] == "stop"
    cx.clock.advance(DEFAULT_TIMING["stop"])
    assert state(C, token, "compute_instances", pk) == "stopped"
    ok(C.compute_instances.partial_update(pk=pk, token=token, data={"state": "delete"}))
    # one big step replays delete -> delete_queue -> deleting -> deleted in order
    cx.clock.advance(10 * 86400)
    assert state(C, token, "compute_instances", pk) == "deleted"
    assert cx.get("compute", "compute/instances", pk)["state"] == "deleted"


def test_http_delete_purges(C, token, proxied):
    cx = proxied
    project, instance = running_instance(C, token, cx)
    pk = instance["id"]
    assert C.compute_instances.delete(pk=pk, token=token).status_code == 204
    got = ok(C.compute_instances.read(pk=pk, token=token))
    assert (got["state"], got["grace_period"]) == ("delete", 0)
    cx.clock.advance(DEFAULT_TIMING["delete"] + DEFAULT_TIMING["scrub"])
    assert state(C, token, "compute_instances", pk) == "deleted"
    assert C.compute_instances.delete(pk=pk, token=token).status_code == 204
    # an unstable instance cannot be deleted
    building = make_instance(C, token, project, name="vm2")
    refused = error_of(C.compute_instances.delete(pk=building["id"], token=token))
    assert refused["error_code"] == "compute_compute_instance_delete_151"
    # the deleted instance's address was handed out again
    assert building["interfaces"][0]["ipv4_addresses"][0]["address"] == "10.0.0.2"
    again = make_instance(C, token, project, name="vm3")
    assert again["interfaces"][0]["ipv4_addresses"][0]["address"] == "10.0.0.3"


def test_instance_validation(sdk, C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    body = error_of(C.compute_instances.create(token=token, data={"project_id": project["id"], "metadata": {},
                                                                  "specs": SPECS}))
    assert codes(body) == {"interfaces": "compute_compute_instance_create_171"}   # no router yet
    make_router(C, token, project)
    assert codes(error_of(C.compute_instances.create(token=token, data={}))) == {
        "project_id": "compute_compute_instance_create_101", "metadata": "compute_compute_instance_create_140",
        "specs": "compute_compute_instance_create_191"}
    bad_specs = [{"sku_name": "RAM_001", "quantity": 0}, {"sku_name": "vCPU_002", "quantity": 2},
                 {"sku_name": "SSD_001", "quantity": 50}, {"sku_name": "MSServer2022"}, {"sku_name": "NOPE"}]
    body = error_of(C.compute_instances.create(token=token, data={"project_id": project["id"], "metadata": {},
                                                                  "specs": bad_specs}))
    items = body["errors"]["specs"]
    assert items[0]["quantity"]["error_code"] == "compute_compute_instance_create_197"
    assert items[1]["sku_name"]["error_code"] == "compute_compute_instance_create_194"
    assert items[2] is None
    assert items[3]["sku_name"]["error_code"] == "compute_compute_instance_create_195"
    assert items[4]["sku_name"]["error_code"] == "compute_compute_instance_create_193"
    assert codes(error_of(C.compute_instances.create(token=token, data={
        "project_id": project["id"], "metadata": {}, "specs": SPECS[:3]}))) == {
        "specs": "compute_compute_instance_create_199"}
    assert codes(error_of(C.compute_instances.create(token=token, data={
        "project_id": project["id"], "metadata": {"dns": "x", "ssh_key_names": ["missing"]}, "specs": SPECS}))) == {
        "metadata": "compute_compute_instance_create_143"}
    # given addresses: inside the network, free; nat allocates a public IP
    first = make_instance(C, token, project, interfaces=[{"gateway": True, "ipv4_addresses": [
        {"address": "10.0.0.10", "nat": True}]}])
    address = first["interfaces"][0]["ipv4_addresses"][0]
    assert address["address"] == "10.0.0.10" and address["public_ip"] == "185.49.60.1"
    for wanted, code in (("10.0.0.10", 180), ("10.0.0.1", 179), ("10.9.0.5", 179)):
        body = error_of(C.compute_instances.create(token=token, data={
            "project_id": project["id"], "metadata": {}, "specs": SPECS,
            "interfaces": [{"ipv4_addresses": [{"address": wanted}]}]}))
        assert body["errors"]["interfaces"][0]["ipv4_addresses"]["error_code"] == \
            "compute_compute_instance_create_%d" % code
    hyperv = make_instance(C, token, project, name="win", type="hyperv", specs=[
        {"sku_name": "RAM_001", "quantity": 8}, {"sku_name": "vCPU_002", "quantity": 2},
        {"sku_name": "SSD_001", "quantity": 64}, {"sku_name": "MSServer2022", "quantity": 1}],
        metadata={"dns4": "1.1.1.1"})
    assert hyperv["metadata"]["instance_type"] == "virtual-machine" and hyperv["name"] == "win"
    # the SDK turns numeric-looking strings into numbers (cloudcix.md 3)
    assert make_instance(C, token, project, name="2024")["name"] == 2024
    private = sdk.auth.get_token(cx.private_email, cx.private_password, cx.api_key)
    assert error_of(C.compute_instances.partial_update(pk=first["id"], token=private, data={"name": "x"}), 403)[
        "error_code"] == "compute_compute_instance_update_201"


def test_fail_next_ends_in_unresourced(C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    make_router(C, token, project)
    cx.fail_next("compute_instances", name="bad")
    assert cx.pending_failures() == [{"service": "compute/instances", "name": "bad", "count": 1}]
    good = make_instance(C, token, project, name="good")
    bad = make_instance(C, token, project, name="bad")
    cx.clock.advance(BUILD)
    assert state(C, token, "compute_instances", good["id"]) == "running"
    assert state(C, token, "compute_instances", bad["id"]) == "unresourced" and cx.pending_failures() == []
    assert codes(error_of(C.compute_instances.partial_update(pk=bad["id"], token=token, data={"state": "delete"}))) \
        == {"state": "compute_compute_instance_update_151"}
    answer = requests.post(cx.url + "/_emulator/failures", json={"service": "compute/instances"}, timeout=5)
    assert answer.status_code == 201
    ok(C.compute_instances.partial_update(pk=good["id"], token=token, data={
        "specs": [{"sku_name": "SSD_001", "quantity": 80}], "state": "update_running"}))
    cx.clock.advance(DEFAULT_TIMING["update"])
    assert state(C, token, "compute_instances", good["id"]) == "unresourced"
    with pytest.raises(ValueError):
        cx.fail_next("project")


# ==================================================================================================
# compute: firewalls, IP groups, VPNs (cloudcix.md 5.3.6)
# ==================================================================================================
def test_firewalls(C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    rules = [{"allow": True, "inbound": True, "source": "0.0.0.0/0", "destination": "10.0.0.0/24", "port": "22",
              "protocol": "tcp", "description": "ssh"}]
    firewall = ok(C.network_firewalls.create(token=token, data={
        "project_id": project["id"], "type": "project", "rules": rules}), 201)
    assert firewall["rules"][0]["zone"] == "Public" and firewall["state"] == "pending"
    assert codes(error_of(C.network_firewalls.create(token=token, data={
        "project_id": project["id"], "type": "project"}))) == {
        "type": "compute_network_firewall_create_105"}
    geo = ok(C.network_firewalls.create(token=token, data={"project_id": project["id"], "type": "geo", "rules": [
        {"group_name": "@IE_v4", "allow": True, "inbound": True}]}), 201)
    assert geo["rules"] == [{"group_name": "@IE_v4", "allow": True, "inbound": True}]
    assert codes(error_of(C.network_firewalls.create(token=token, data={"project_id": project["id"]}))) == {
        "type": "compute_network_firewall_create_104"}
    bad = error_of(C.network_firewalls.create(token=token, data={
        "project_id": project["id"], "type": "project", "rules": [rules[0], {"allow": "yes", "protocol": "gre"}]}))
    assert bad["errors"]["rules"][0] is None and set(bad["errors"]["rules"][1]) >= {"allow", "inbound", "protocol"}
    cx.clock.advance(BUILD)
    replacement = [dict(rules[0], port="443", description="https")]
    assert codes(error_of(C.network_firewalls.partial_update(pk=firewall["id"], token=token,
                                                             data={"rules": replacement}))) == {
        "rules": "compute_network_firewall_update_153"}
    updated = ok(C.network_firewalls.update(pk=firewall["id"], token=token, data={
        "rules": replacement, "state": "update_running"}))
    assert [r["port"] for r in updated["rules"]] == [443]   # replaced wholesale; the SDK decodes "443"
    assert ok(C.network_firewalls.list(token=token, params={"search[type]": "geo"}))[0]["id"] == geo["id"]


def test_ip_groups(sdk, C, token, proxied):
    group = ok(C.network_ip_groups.create(token=token, data={"name": "office", "cidrs": ["91.103.0.0/24"]}), 201)
    assert (group["version"], group["cidrs"], group["description"]) == (4, ["91.103.0.0/24"], "")
    assert "state" not in group
    for data, field in (({"name": "1bad", "cidrs": ["10.0.0.0/8"]}, "name"),
                        ({"name": "office", "cidrs": ["10.0.0.0/8"]}, "name"),
                        ({"name": "v6", "cidrs": ["10.0.0.0/8"], "version": 6}, "cidrs"),
                        ({"name": "empty", "cidrs": []}, "cidrs")):
        assert field in error_of(C.network_ip_groups.create(token=token, data=data))["errors"]
    updated = ok(C.network_ip_groups.partial_update(pk=group["id"], token=token, data={
        "cidrs": ["91.103.0.0/24", "91.103.1.0/24"]}))
    assert len(updated["cidrs"]) == 2
    assert C.network_ip_groups.delete(pk=group["id"], token=token).status_code == 204
    assert C.network_ip_groups.read(pk=group["id"], token=token).status_code == 404
    assert proxied.get("compute", "network/ip_groups", group["id"]) is None


def test_vpn(C, token, proxied):
    cx = proxied
    project = make_project(C, token, cx)
    assert codes(error_of(C.network_vpns.create(token=token, data={"project_id": project["id"]}))) == {
        "project_id": "compute_network_vpn_create_104"}
    make_router(C, token, project)
    vpn = ok(C.network_vpns.create(token=token, data={"project_id": project["id"], "metadata": {
        "ike_version": "v2", "child_sas": [{"local_ts": "10.0.0.0/24", "remote_ts": "10.10.0.0/24"}]}}), 201)
    assert vpn["type"] == "site-to-site" and vpn["metadata"]["child_sas"][0]["remote_ts"] == "10.10.0.0/24"


# ==================================================================================================
# compute: volumes, snapshots, backups, GPUs, images, SSH keys (cloudcix.md 5.3.1, 5.3.6)
# ==================================================================================================
def test_volumes_snapshots_backups_gpus(C, token, proxied):
    cx = proxied
    project, instance = running_instance(C, token, cx)
    volume = ok(C.storage_volumes.create(token=token, data={
        "project_id": project["id"], "type": "cephfs", "specs": [{"sku_name": "CEPH_001", "quantity": 100}],
        "metadata": {"mount_path": "/data", "attach_instance_ids": [instance["id"]]}}), 201)
    assert volume["contra_instances"] == [{"id": instance["id"], "name": "vm1", "state": "running"}]
    assert volume["name"] == "Ceph" and volume["metadata"] == {"mount_path": "/data"}
    cx.clock.advance(BUILD)
    assert codes(error_of(C.storage_volumes.partial_update(pk=volume["id"], token=token, data={
        "specs": [{"sku_name": "CEPH_001", "quantity": 50}], "state": "update_running"}))) == {
        "specs": "compute_storage_volume_update_198"}
    grown = ok(C.storage_volumes.partial_update(pk=volume["id"], token=token, data={
        "specs": [{"sku_name": "CEPH_001", "quantity": 200}], "metadata": {"detach_instance_ids": [instance["id"]]},
        "state": "update_running"}))
    assert grown["specs"] == [{"sku_name": "CEPH_001", "quantity": 200}] and grown["contra_instances"] == []
    snapshot = ok(C.compute_snapshots.create(token=token, data={
        "project_id": project["id"], "instance_id": instance["id"]}), 201)
    assert (snapshot["name"], snapshot["type"], snapshot["instance"]["id"]) == (
        "Compute Snapshot", "lxd", instance["id"])
    backup = ok(C.compute_backups.create(token=token, data={
        "project_id": project["id"], "instance_id": instance["id"], "name": "nightly"}), 201)
    assert backup["time_valid"] is None
    gpu = ok(C.compute_gpus.create(token=token, data={
        "project_id": project["id"], "instance_id": instance["id"], "specs": [{"sku_name": "A100_GPU"}]}), 201)
    cx.clock.advance(BUILD)
    assert isinstance(ok(C.compute_backups.read(pk=backup["id"], token=token))["time_valid"], datetime)
    reverted = ok(C.compute_snapshots.partial_update(pk=snapshot["id"], token=token, data={
        "state": "update_running"}))
    assert reverted["state"] == "update_running"
    assert codes(error_of(C.compute_backups.partial_update(pk=backup["id"], token=token, data={
        "state": "update_running"}))) == {"state": "compute_compute_backup_update_152"}
    assert ok(C.compute_gpus.partial_update(pk=gpu["id"], token=token, data={"state": "delete"}))["state"] == "delete"
    assert codes(error_of(C.compute_snapshots.create(token=token, data={
        "project_id": project["id"], "instance_id": 999}))) == {
        "instance_id": "compute_compute_snapshot_create_132"}
    listed = ok(C.compute_snapshots.list(token=token, params={"search[instance_id]": instance["id"]}))
    assert [s["id"] for s in listed] == [snapshot["id"]]


def test_images_are_read_only(C, token, proxied):
    images = C.compute_images.get_all(token=token)
    assert {i["sku_name"] for i in images} == {i["sku_name"] for i in DEFAULT_FIXTURE["images"]}
    hyperv = ok(C.compute_images.list(token=token, params={"search[type]": "hyperv"}))
    assert [i["sku_name"] for i in hyperv] == ["MSServer2022"]
    assert ok(C.compute_images.read(pk=1, token=token))["os_variant"] == "ubuntu24.04"
    assert C.compute_images.create(token=token, data={"name": "x"}).status_code == 405
    assert C.compute_images.partial_update(pk=1, token=token, data={"name": "x"}).status_code == 405


def test_ssh_keys(C, token, proxied):
    from cryptography.hazmat.primitives import serialization  # installed with ansible-core

    created = ok(C.compute_ssh_keys.create(token=token, data={"name": "deploy"}), 201)
    private = serialization.load_ssh_private_key(created["private_key"].encode(), password=None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert created["public_key"].split()[:2] == public.decode().split()[:2]
    read = ok(C.compute_ssh_keys.read(pk=created["id"], token=token))
    assert "private_key" not in read and read["public_key"] == created["public_key"]
    assert all("private_key" not in k for k in ok(C.compute_ssh_keys.list(token=token)))
    imported = ok(C.compute_ssh_keys.create(token=token, data={"name": "mine", "public_key": read["public_key"]}),
                  201)
    assert "private_key" not in imported
    assert codes(error_of(C.compute_ssh_keys.create(token=token, data={"name": "deploy"}))) == {
        "name": "compute_compute_ssh_key_create_114"}
    assert codes(error_of(C.compute_ssh_keys.create(token=token, data={"name": "x", "public_key": "ssh-rsa abc"}))) \
        == {"public_key": "compute_compute_ssh_key_create_121"}
    assert codes(error_of(C.compute_ssh_keys.create(token=token, data={"name": "n" * 51}))) == {
        "name": "compute_compute_ssh_key_create_113"}
    assert ok(C.compute_ssh_keys.partial_update(pk=imported["id"], token=token, data={"name": "ops"}))["name"] == "ops"
    assert C.compute_ssh_keys.delete(pk=imported["id"], token=token).status_code == 204
    assert created["private_key"] not in json.dumps(proxied.log)


def test_ed25519_matches_rfc8032_vector():
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    assert ed25519_public(seed).hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"


# ==================================================================================================
# faults, admin endpoints, the Python API
# ==================================================================================================
def test_faults(C, token, proxied):
    cx = proxied
    cx.clear_log()
    cx.faults.add(path="^/project/$", status=429, retry_after=3)
    answer = C.project.list(token=token)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "3"
    assert answer.json() == {"detail": "Request was throttled. Expected available in 3 seconds."}
    cx.faults.add(path="project", method="POST", status=503, count=2)
    assert [C.project.create(token=token, data={"name": "x", "region_id": 100}).status_code
            for attempt in range(3)] == [503, 503, 201]
    cx.faults.add(path="project", drop=True)
    with pytest.raises(requests.ConnectionError):
        C.project.list(token=token)
    cx.faults.add(path="project", delay=0.2)
    started = time.monotonic()
    assert C.project.list(token=token).status_code == 200 and time.monotonic() - started >= 0.2
    assert [e["status"] for e in cx.log] == [429, 503, 503, 201, None, 200]
    assert [e["method"] for e in cx.writes()] == ["POST"] * 3


def test_admin_endpoints(cx):
    token = requests.post(cx.url + "/_emulator/tokens", json={"email": cx.other_email}, timeout=5).json()["token"]
    answer = requests.get(cx.url + "/compute/project/", headers={"X-Auth-Token": token}, timeout=5)
    assert answer.status_code == 200 and token in cx.issued_tokens
    clock = requests.post(cx.url + "/_emulator/clock", json={"advance": 7200}, timeout=5)
    assert clock.status_code == 200
    assert requests.get(cx.url + "/compute/project/", headers={"X-Auth-Token": token}, timeout=5).status_code == 401
    assert requests.post(cx.url + "/_emulator/failures", json={"service": "nope"}, timeout=5).status_code == 400
    assert requests.get(cx.url + "/_emulator/failures", timeout=5).json() == []
    assert requests.get(cx.url + "/_emulator/log", timeout=5).json()[0]["path"] == "/compute/project/"


def test_python_api_and_reset(cx):
    token = cx.issue_token()
    headers = {"X-Auth-Token": token}
    created = requests.post(cx.url + "/compute/project/", json={"name": "p", "region_id": cx.region_id},
                            headers=headers, timeout=5).json()["content"]
    assert cx.get("compute", "project", created["id"]) == created
    assert cx.get("compute", "project/", 999) is None
    assert [p["name"] for p in cx.objects("compute", "project")] == ["p"]
    assert [g["name"] for g in cx.objects("contact", "group")] == ["Customers"]
    assert cx.api_url == cx.url + "/{application}/" and cx.proxy_url == cx.url
    assert (cx.base_domain, cx.address_id, cx.member_id, cx.region_id) == ("api.cloudcix.test", 10, 1, 100)
    cx.token_lifetime = 5
    cx.reset()
    assert cx.objects("compute", "project") == [] and cx.token_lifetime == 7200
    assert requests.get(cx.url + "/compute/project/", headers=headers, timeout=5).status_code == 401   # forgotten
    with pytest.raises(KeyError):
        cx.objects("compute", "nothing")


def test_custom_fixture_and_timing():
    fixture = dict(DEFAULT_FIXTURE, timing={"pending": 1, "build": 2}, grace_unit_seconds=86400,
                   objects={"compute/project": [{"id": 7, "name": "seeded", "region_id": 100, "address_id": 10,
                                                 "closed": False, "note": "", "manager_id": 1}]})
    with CloudcixEmulator(fixture=fixture) as emulator:
        headers = {"X-Auth-Token": emulator.issue_token()}
        url = emulator.api_url.format(application="compute")
        assert requests.get(url + "project/7/", headers=headers, timeout=5).json()["content"]["name"] == "seeded"
        router = requests.post(url + "network/routers/", json={"project_id": 7}, headers=headers,
                               timeout=5).json()["content"]
        emulator.clock.advance(3)
        assert emulator.get("compute", "network_routers", router["id"])["state"] == "running"
        created = requests.post(url + "project/", json={"name": "new", "region_id": 100}, headers=headers,
                                timeout=5).json()["content"]
        assert created["id"] == 8


# ==================================================================================================
# plain HTTP: path-prefix routing, version segments, bodies (cloudcix.md 1.2, 3, 4)
# ==================================================================================================
def test_path_prefix_routing(cx):
    login = requests.post(cx.url + "/membership/auth/login/", json={"email": cx.email, "password": cx.password,
                                                                    "api_key": cx.api_key}, timeout=5)
    assert login.status_code == 201
    headers = {"X-Auth-Token": login.json()["token"]}
    for prefix in ("/compute/", "/compute/v5.0/", "/Compute/v2/", "/COMPUTE/v1/"):
        answer = requests.get(cx.url + prefix + "project/", headers=headers, timeout=5)
        assert answer.status_code == 200, prefix
        assert answer.json()["_metadata"]["total_records"] == 0
    assert requests.post(cx.url + "/membership/v5.0/auth/login/", json={"email": cx.email, "password": cx.password},
                         timeout=5).json() == {}
    for path in ("/nothing/project/", "/compute/nothing/", "/compute/project/abc/", "/compute/project",
                 "/", "/membership/user/", "/compute/v5.0/v5.0/project/"):
        answer = requests.get(cx.url + path, headers=headers, timeout=5)
        assert (answer.status_code, answer.json()) == (404, {"detail": "Not Found."}), path
    # JSON null bodies on GET and DELETE, as the SDK sends them (cloudcix.md 3)
    null = {"Content-Type": "application/json", **headers}
    assert requests.get(cx.url + "/compute/project/", data="null", headers=null, timeout=5).status_code == 200
    created = requests.post(cx.url + "/compute/project/", json={"name": "p", "region_id": cx.region_id},
                            headers=headers, timeout=5)
    assert created.status_code == 201
    content = created.json()["content"]
    assert re_timestamp(content["created"]) and content["uri"] == "/project/%d/" % content["id"]
    item = cx.url + "/compute/project/%d/" % content["id"]
    assert requests.head(item, headers=headers, timeout=5).status_code == 200
    assert requests.put(item, json={"note": "x"}, headers=headers, timeout=5).json()["content"]["name"] == "p"
    assert requests.delete(item, data="null", headers=null, timeout=5).status_code == 204
    broken = requests.post(cx.url + "/compute/project/", data="{nope", headers=null, timeout=5)
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON parse error")
    assert requests.post(cx.url + "/compute/project/", json=[1], headers=headers, timeout=5).json() == {
        "detail": "Bad request."}


def re_timestamp(text):
    import re
    return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", text) is not None


def test_proxy_form_with_a_version_segment(cx, monkeypatch, proxied):
    # what cloudcix 5.0.11 sends with CLOUDCIX_API_VERSION = "5.0" (cloudcix.md 5.3.1)
    login = requests.post("http://membership.api.cloudcix.test/v5.0/auth/login/", json={
        "email": cx.email, "password": cx.password, "api_key": cx.api_key}, timeout=5)
    assert login.status_code == 201
    headers = {"X-Auth-Token": login.json()["token"]}
    answer = requests.get("http://compute.api.cloudcix.test/v5.0/compute/images/", headers=headers, timeout=5)
    assert answer.status_code == 200 and answer.json()["_metadata"]["total_records"] == 4
    assert cx.log[-1]["host"] == "compute.api.cloudcix.test" and cx.log[-1]["path"] == "/v5.0/compute/images/"
    for url in ("http://nope.api.cloudcix.test/x/", "http://api.cloudcix.test/project/",
                "http://a.b.api.cloudcix.test/project/", "http://elsewhere.test/compute/project/"):
        assert requests.get(url, headers=headers, timeout=5).status_code == 404, url


# ==================================================================================================
# the sandbox command
# ==================================================================================================
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sandbox_cli(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, str(HERE / "cloudcix_emulator.py"), "--port", str(port),
                                "--speed", "10"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                answer = requests.post(url + "/membership/auth/login/", json={
                    "email": "sandbox@example.com", "password": "sandbox-password", "api_key": "sandbox-api-key"},
                    timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        assert answer.status_code == 201
    finally:
        process.kill()
        out, _err = process.communicate(timeout=10)
    assert url + "/{application}/" in out and "sandbox-api-key" in out and "region_id:  100" in out
