# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CloudCIX modules through ansible-playbook against the CloudCIX emulator
(tests/emulators/cloudcix_emulator.py). Evidence comes from the emulator's request log.
"""

from __future__ import absolute_import, division, print_function

import json
import uuid

import pytest


@pytest.fixture
def lab(cloudcix_lab):
    return cloudcix_lab


# -- the generic module ----------------------------------------------------------------------
def test_generic_contract(lab):
    emu = lab.emulator
    email = "grace-%s@example.com" % uuid.uuid4().hex[:6]
    task = lab.task("cloudcix_resource", application="contact", service="contact", search={"email__iexact": email},
                    data={"first_name": "Grace", "email": email})
    run = lab.play(task, check=True, diff=True)
    result = run.ok()
    assert result["changed"] and run.writes == []
    assert result["diff"]["after"]["data"] == {"first_name": "Grace", "email": email}

    run = lab.play(task, verbosity=3)
    contact = run.ok()["resource"]
    assert run.write_calls() == [("POST", "/contact/contact/")]
    assert run.writes[0]["body"] == {"first_name": "Grace", "email": email}
    assert emu.get("contact", "contact", contact["id"])["email"] == email
    run.assert_hidden(*emu.secrets())
    assert emu.issued_tokens

    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []

    # the search finds it in another case; only the key that differs is sent
    run = lab.play(lab.task("cloudcix_resource", application="contact", service="contact",
                            search={"email__iexact": email.upper()}, data={"first_name": "Grace", "last_name": "Hopper"}),
                   diff=True)
    result = run.ok()
    assert run.write_calls() == [("PATCH", "/contact/contact/%s/" % contact["id"])]
    assert run.writes[0]["body"] == {"last_name": "Hopper"}
    assert result["diff"]["after"]["data"]["last_name"] == "Hopper"

    # by pk; numbers given as strings compare by value
    by_pk = lab.task("cloudcix_resource", application="contact", service="contact", pk=contact["id"],
                     data={"id": str(contact["id"]), "last_name": "Hopper"})
    run = lab.play(by_pk)
    assert not run.ok()["changed"] and run.writes == []

    # a nested service with a placeholder: put the contact in group 1 (POST {contact_id}), take it out
    group = dict(application="contact", service="group/{group_id}/contact", path={"group_id": 1})
    run = lab.play(lab.task("cloudcix_resource", search={"id": contact["id"]}, data={"contact_id": contact["id"]}, **group))
    assert run.ok()["changed"] and run.write_calls() == [("POST", "/contact/group/1/contact/")]
    out = lab.task("cloudcix_resource", pk=contact["id"], state="absent", **group)
    run = lab.play(out)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", "/contact/group/1/contact/%s/" % contact["id"])]
    run = lab.play(out)
    assert not run.ok()["changed"] and run.writes == []

    absent = lab.task("cloudcix_resource", application="contact", service="contact", pk=contact["id"], state="absent")
    run = lab.play(absent, check=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", "/contact/contact/%s/" % contact["id"])]
    run = lab.play(absent)
    assert not run.ok()["changed"] and run.writes == []


def test_generic_delete_not_allowed_and_by_state(lab):
    run = lab.play(lab.task("cloudcix_resource", application="contact", service="group", pk=1, state="absent"))
    message = run.failed()["msg"]
    assert "state: CloudCIX does not delete group/ objects with DELETE (405" in message and "delete_state" in message

    # a Compute object deleted by asking for its delete state; once queued it counts as absent
    project = lab.play(lab.task("cloudcix_project", name="gen-" + uuid.uuid4().hex[:6])).ok()["project"]
    key = lab.task("cloudcix_resource", application="compute", service="network/ip_groups",
                   search={"name": "office"}, data={"name": "office", "cidrs": ["192.0.2.0/24"], "version": 4})
    group = lab.play(key).ok()["resource"]
    absent = lab.task("cloudcix_resource", application="compute", service="network/ip_groups", pk=group["id"],
                      state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", "/compute/network/ip_groups/%s/" % group["id"])]
    assert project["region_id"] == lab.emulator.region_id


@pytest.mark.parametrize("options,message", [
    ({"application": "nosuchapp", "service": "thing", "search": {"name": "x"}, "data": {"name": "x"}},
     "service: CloudCIX's nosuchapp application has no service thing"),
    ({"application": "contact", "service": "nosuchservice", "search": {"name": "x"}, "data": {"name": "x"}},
     "service: CloudCIX's contact application has no service nosuchservice"),
    ({"application": "contact", "service": "group/{group_id}/contact", "search": {"contact_id": 1},
      "data": {"contact_id": 1}}, "path: the service group/{group_id}/contact needs group_id"),
    ({"application": "contact", "service": "contact", "search": {"emial": "x@example.com"}, "data": {"first_name": "x"}},
     "search: CloudCIX skipped filters it does not know"),
    ({"application": "contact", "service": "contact", "search": {"first_name__istartswith": ""}, "data": {"first_name": "x"}},
     "resource objects match"),
    ({"application": "contact", "service": "contact", "pk": 99999, "data": {"first_name": "x"}},
     "pk: contact/contact/ has no object 99999"),
    ({"application": "contact", "service": "contact", "search": {"email": "x@example.com"}, "data": {"first_name": "x"},
      "api_token": "a-token"}, "give either token or api_username + api_password + api_key, not both"),
])
def test_generic_bad_input_fails_before_any_write(lab, options, message):
    lab.emulator.get("contact", "contact", 1)
    if "__istartswith" in json.dumps(options):  # two contacts so that the search is ambiguous
        lab.play(lab.task("cloudcix_resource", application="contact", service="contact", search={"email": "b@example.com"},
                          data={"first_name": "B", "email": "b@example.com"})).ok()
    run = lab.play(lab.task("cloudcix_resource", **options))
    assert message in run.failed()["msg"]
    assert run.writes == []


# -- info ------------------------------------------------------------------------------------
def test_info_every_page_filters_and_warnings(lab):
    emu = lab.emulator
    token = emu.issue_token()
    import requests

    for index in range(105):
        answer = requests.post(emu.api_url.format(application="contact") + "contact/", timeout=10,
                               headers={"X-Auth-Token": token},
                               json={"first_name": "bulk%03d" % index, "email": "bulk%03d@example.com" % index})
        assert answer.status_code == 201, answer.text
    # the token expires while the first page is on its way (the emulator checks it after the
    # delay): the page is refused (401), the module logs in again and goes on
    emu.token_lifetime = 60  # emulated seconds; at speed 60, one second
    emu.faults.add(path=r"^/contact/contact/$", method="GET", delay=1.5, count=1)
    tasks = "\n".join([
        lab.task("cloudcix_resource_info", application="contact", service="contact", search={"first_name__istartswith": "bulk"},
                 order="-first_name", _task="all"),
        lab.task("cloudcix_resource_info", application="contact", service="contact", search={"frist_name": "x"},
                 _task="misspelt"),
        lab.task("cloudcix_resource_info", application="contact", service="contact", pk=1, exists_only=True, _task="head"),
        lab.task("cloudcix_resource_info", application="contact", service="contact", pk=99999, _task="missing"),
    ])
    run = lab.play(tasks)
    found = run.ok("all")["objects"]
    assert len(found) == 105 and found[0]["first_name"] == "bulk104"
    pages = [(r["query"].get("page"), r["status"]) for r in run.requests if r["path"] == "/contact/contact/"][:3]
    assert pages == [("0", 401), ("0", 200), ("1", 200)]
    assert len([r for r in run.requests if r["path"] == "/membership/auth/login/"]) >= 2
    run.assert_hidden(*emu.secrets())
    assert "frist_name" in run.ok("misspelt")["metadata_warnings"][0]
    assert "frist_name" in run.output  # shown as a warning
    assert run.ok("head")["exists"] and not run.ok("missing")["exists"]
    assert any(r["method"] == "HEAD" for r in run.requests)
    assert run.writes == []


# -- project ---------------------------------------------------------------------------------
def test_project_contract(lab):
    name = "web-" + uuid.uuid4().hex[:6]
    task = lab.task("cloudcix_project", name=name, note="first")
    run = lab.play(task, check=True, diff=True)
    assert run.ok()["changed"] and run.writes == []
    run = lab.play(task)
    project = run.ok()["project"]
    assert run.write_calls() == [("POST", "/compute/project/")]
    assert run.writes[0]["body"] == {"name": name, "note": "first", "region_id": lab.emulator.region_id}
    for check in (True, False):
        run = lab.play(task, check=check)
        assert not run.ok()["changed"] and run.writes == []
    run = lab.play(task.replace("first", "second"), diff=True)
    result = run.ok()
    assert run.write_calls() == [("PATCH", "/compute/project/%s/" % project["id"])]
    assert run.writes[0]["body"] == {"note": "second"}
    assert (result["diff"]["before"]["note"], result["diff"]["after"]["note"]) == ("first", "second")

    absent = lab.task("cloudcix_project", name=name, state="absent")
    run = lab.play(absent)
    assert run.ok()["changed"] and run.write_calls() == [("DELETE", "/compute/project/%s/" % project["id"])]
    assert lab.emulator.get("compute", "project", project["id"])["closed"]
    run = lab.play(absent)  # closed: absent already
    assert not run.ok()["changed"] and run.writes == []

    run = lab.play(lab.task("cloudcix_project", name="x-" + name, region_id=None), connection=False, env={
        "CLOUDCIX_API_URL": lab.emulator.api_url, "CLOUDCIX_API_USERNAME": lab.emulator.email,
        "CLOUDCIX_API_PASSWORD": lab.emulator.password, "CLOUDCIX_API_KEY": lab.emulator.api_key})
    assert "region_id: needed to create the project" in run.failed()["msg"] and run.writes == []


def test_generic_pk_of_a_queued_object(lab):
    """A queued instance by pk: absent is no change, present would not bring it back (fails
    before any write), and asking for its restart state restores it."""
    emu = lab.emulator
    name = "q-" + uuid.uuid4().hex[:6]
    specs = [{"sku_name": "RAM_001", "quantity": 1}, {"sku_name": "vCPU_001", "quantity": 1},
             {"sku_name": "SSD_001", "quantity": 10}, {"sku_name": "UBUNTU2404", "quantity": 1}]
    run = lab.play(lab.task("cloudcix_project", name=name, _task="project")
                   + lab.task("cloudcix_network_router", project=name, wait_sleep=0.2, _task="router")
                   + lab.task("cloudcix_instance", project=name, name="vm", specs=specs, wait_sleep=0.2, _task="vm")
                   + lab.task("cloudcix_instance", project=name, name="vm", state="absent", wait_sleep=0.2,
                              _task="queue"))
    pk = run.ok("vm")["instance"]["id"]
    assert emu.get("compute", "compute/instances", pk)["state"] == "delete_queue"
    by_pk = dict(application="compute", service="compute/instances", pk=pk)

    run = lab.play(lab.task("cloudcix_resource", state="absent", **by_pk))
    assert not run.ok()["changed"] and run.writes == []
    run = lab.play(lab.task("cloudcix_resource", data={"name": "vm"}, **by_pk))
    assert "is deleted or queued for deletion" in run.failed()["msg"] and run.writes == []
    run = lab.play(lab.task("cloudcix_resource", data={"state": "restart"}, **by_pk))
    assert run.ok()["changed"] and [w["body"] for w in run.writes] == [{"state": "restart"}]
    assert emu.get("compute", "compute/instances", pk)["state"] in ("restart", "running")


# -- an object of another Address --------------------------------------------------------------
def test_another_addresss_object_fails_never_absent(lab):
    """CloudCIX answers 403 to a read by id of another Address's object (cloudcix.md 2.4): every
    module fails, naming the option and quoting CloudCIX, before any write, with state=absent
    too (the object exists: "absent, nothing to do" would be untrue); HEAD says 404, so the
    info module's exists_only reports it missing, as documented."""
    import requests

    emu = lab.emulator
    other = emu.issue_token(emu.other_email)
    answer = requests.post(emu.api_url.format(application="compute") + "project/", timeout=10,
                           headers={"X-Auth-Token": other}, json={"name": "theirs", "region_id": emu.region_id})
    assert answer.status_code == 201, answer.text
    theirs = answer.json()["content"]["id"]
    by_pk = dict(application="compute", service="project", pk=theirs)
    run = lab.play("\n".join(lab.task(module, _task=name, **options) + "  ignore_errors: true\n" for name, module, options in [
        ("update", "cloudcix_resource", dict(by_pk, data={"note": "mine"})),
        ("absent", "cloudcix_resource", dict(by_pk, state="absent")),
        ("info", "cloudcix_resource_info", by_pk),
        ("head", "cloudcix_resource_info", dict(by_pk, exists_only=True)),
        ("router", "cloudcix_network_router", dict(project=theirs, wait_sleep=0.2)),
        ("instance", "cloudcix_instance", dict(project=theirs, name="vm", state="absent")),
    ]))
    for name, option in (("update", "pk"), ("absent", "pk"), ("info", "pk"), ("router", "project"),
                         ("instance", "project")):
        message = run.failed(name)["msg"]
        assert message.startswith("%s: compute/project/%s/ exists, but CloudCIX does not let this user read it "
                                  "(HTTP 403: " % (option, theirs)), (name, message)
        assert "compute_project_read_203" in message, message
    assert not run.ok("head")["exists"]
    assert run.writes == []
    assert emu.get("compute", "project", theirs)["note"] == ""
