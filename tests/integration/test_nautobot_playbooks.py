# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real ansible-playbook runs: module_defaults, check-mode chains, secrets, semantics."""

from __future__ import absolute_import, division, print_function

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def test_module_defaults_group_and_check_mode_chain(playbook, connection, evidence, unique):
    """A fresh-build playbook in check mode: the location refers to a location type an
    earlier task would create; that is a warning and a predicted change, not a failure."""
    text = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/statecraft.infra.nautobot:
      url: %(url)s
      token: %(token)s
  tasks:
    - name: type
      statecraft.infra.nautobot_location_type:
        name: chain-type-%(u)s
        content_types: [dcim.device]
    - name: location
      statecraft.infra.nautobot_location:
        name: chain-loc-%(u)s
        location_type: chain-type-%(u)s
""" % dict(connection, u=unique)
    ev = evidence()
    run = playbook(text, check=True, diff=True)
    ev.stop()
    assert run.rc == 0, run.output
    location = run.task("location")
    assert location["changed"] is True
    assert any("chain-type-%s" % unique in w for w in location.get("warnings", [])), location
    assert location["diff"]["after"]["location_type"] == "chain-type-%s" % unique
    ev.assert_no_write()

    # the same playbook for real (verbose: the token must not show), then again: converged
    run = playbook(text, verbosity=3)
    assert run.rc == 0 and all(t["changed"] for t in run.tasks), run.output
    assert connection["token"] not in run.output and connection["token"] not in str(run.tasks)
    ev = evidence()
    run = playbook(text)
    ev.stop()
    assert run.rc == 0 and not any(t["changed"] for t in run.tasks), run.output
    assert ev.methods() == ["GET", "GET"], ev.requests


def test_wrong_token_is_clear_and_never_printed(playbook, connection, evidence):
    bad = "0123456789abcdef0123456789abcdef01234567"
    text = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: bad token
      statecraft.infra.nautobot_manufacturer:
        url: %s
        token: %s
        name: never-created
""" % (connection["url"], bad)
    ev = evidence()
    run = playbook(text, verbosity=4)
    ev.stop()
    task = run.task("bad token")
    assert task["_status"] == "failed"
    assert "403" in task["msg"] and "token" in task["msg"].lower(), task["msg"]
    assert bad not in run.output
    assert bad not in str(run.tasks)
    ev.assert_no_write()


def test_connection_error_names_root_cause(playbook):
    text = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: nobody listens
      statecraft.infra.nautobot_manufacturer:
        url: http://127.0.0.1:9
        token: abcd1234abcd1234
        retries: 0
        name: x
"""
    run = playbook(text)
    task = run.task("nobody listens")
    assert task["_status"] == "failed"
    assert "ConnectionRefusedError" in task["msg"], task["msg"]


def test_env_fallback_for_connection(playbook, connection, unique):
    text = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: from env
      statecraft.infra.nautobot_manufacturer:
        name: env-%s
""" % unique
    run = playbook(text, env={"NAUTOBOT_URL": connection["url"], "NAUTOBOT_TOKEN": connection["token"]})
    assert run.task("from env")["changed"] is True, run.output


def test_device_semantics(module_run, base, unique, evidence, nautobot, playbook, connection):
    """Identity is the natural key: a new role updates the same device. Tags add or purge;
    clear empties a field; custom fields merge by key."""
    name = "sem-%s" % unique
    common = {"name": name, "location": base["loc"]}
    nautobot.api("POST", "extras/roles/", json={"name": "spine-" + unique, "content_types": ["dcim.device"]})
    nautobot.api("POST", "extras/tags/", json={"name": "extra-" + unique, "content_types": ["dcim.device"]})
    created = module_run("nautobot_device", device_type=base["dt"], role=base["role"], tenant=base["tenant"],
                         serial="S1", tags=[base["tag"]], **common)
    assert created["changed"] is True, created
    device_id = created["device"]["id"]

    # a new role is an update of the same device, PATCH of role only, sent as a name
    ev = evidence()
    result = module_run("nautobot_device", role="spine-" + unique, **common)
    ev.stop()
    assert result["changed"] is True and result["device"]["id"] == device_id, result
    assert [(r["method"], r["body"]) for r in ev.writes] == [("PATCH", {"role": {"name": "spine-" + unique}})]
    assert nautobot.count("dcim/devices/", name=name) == 1

    # add-only tags keep the existing one; purge makes the set exact
    result = module_run("nautobot_device", tags=["extra-" + unique], **common)
    assert sorted(t["name"] for t in result["device"]["tags"]) == sorted([base["tag"], "extra-" + unique])
    result = module_run("nautobot_device", tags=["extra-" + unique], purge_tags=True, **common)
    assert [t["name"] for t in result["device"]["tags"]] == ["extra-" + unique]
    result = module_run("nautobot_device", tags=["extra-" + unique], purge_tags=True, **common)
    assert result["changed"] is False

    # clear: tenant to null, serial to blank; both set and cleared is refused before any request
    ev = evidence()
    result = module_run("nautobot_device", clear=["tenant", "serial"], **common)
    ev.stop()
    assert result["changed"] is True, result
    assert ev.writes[0]["body"] == {"tenant": None, "serial": ""}
    device = nautobot.get("dcim/devices/%s/" % device_id)
    assert device["tenant"] is None and device["serial"] == ""
    ev = evidence()
    result = module_run("nautobot_device", serial="x", clear=["serial"], **common)
    ev.stop()
    assert result.get("failed") and "serial" in result["msg"]
    assert ev.requests == []

    # related objects by id compare from the same read
    location_id = nautobot.one("dcim/locations/", name=base["loc"])["id"]
    ev = evidence()
    result = module_run("nautobot_device", name=name, location=location_id, role="spine-" + unique)
    ev.stop()
    assert result["changed"] is False and ev.methods() == ["GET"], ev.requests

    # a device type given as a dict of fields is compared from the one read
    dt = {"model": base["dt"], "manufacturer": base["mfr"]}
    ev = evidence()
    result = module_run("nautobot_device", device_type=dt, **common)
    ev.stop()
    assert result["changed"] is False and ev.methods() == ["GET"], ev.requests

    # check mode with --diff on delete shows the device's fields
    text = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: delete
      statecraft.infra.nautobot_device: {url: %s, token: %s, name: %s, location: %s, state: absent}
""" % (connection["url"], connection["token"], name, base["loc"])
    run = playbook(text, check=True, diff=True)
    before = run.task("delete")["diff"]["before"]
    assert before["role"] == "spine-" + unique and before["device_type"] == base["dt"], before


def test_fabric_example_converges(playbook, connection, evidence, unique):
    """The README's example builds a leaf-spine fabric from nothing (rack, devices,
    interfaces, cables, link prefixes and addresses, management addresses as primary IPv4,
    an access VLAN); the second run changes nothing and reads once per task and loop item."""
    with open(os.path.join(REPO, "examples", "nautobot_fabric.yml")) as handle:
        text = handle.read()
    env = {"NAUTOBOT_URL": connection["url"], "NAUTOBOT_TOKEN": connection["token"]}
    octet = int(unique[:4], 16) % 200 + 20  # addresses of this run's own
    extra = {"fabric_site": "fab-" + unique, "fabric_net": "10.%d" % octet}
    run = playbook(text, env=env, extra_vars=extra)
    assert run.rc == 0, run.output
    cables = [t for t in run.tasks if t["_task"] == "A cable per link"][0]["results"]
    assert len(cables) == 8 and all(item["changed"] for item in cables)
    primaries = [t for t in run.tasks if t["_task"].startswith("Each device's management address")][0]["results"]
    assert [item["device"]["primary_ip4"]["address"] for item in primaries] == [
        "10.%d.0.%d/24" % (octet, last) for last in (1, 2, 11, 12, 13, 14)], primaries
    ev = evidence()
    run = playbook(text, env=env, extra_vars=extra)
    ev.stop()
    assert run.rc == 0 and not any(t["changed"] for t in run.tasks), run.output
    assert re.search(r"localhost\s*: ok=18\s+changed=0\s", run.stdout), run.stdout
    ev.assert_no_write()
    executions = sum(len(t["results"]) if "results" in t else 1 for t in run.tasks)
    assert executions == 91  # 18 tasks, 11 of them loops
    assert ev.methods() == ["GET"] * executions, ev.requests


def test_missing_requests_is_ansibles_standard_message(playbook, tmp_path):
    """On a host without requests the module says so the standard way, no traceback."""
    import subprocess
    import sys

    venv = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    text = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: no requests here
      statecraft.infra.nautobot_manufacturer: {url: "http://127.0.0.1:9", token: abcd1234, name: x}
      vars:
        ansible_python_interpreter: %s
""" % (venv / "bin" / "python")
    run = playbook(text)
    task = run.task("no requests here")
    assert task["_status"] == "failed"
    assert "Failed to import the required Python library (requests)" in task["msg"], task
    assert "Traceback" not in task["msg"]
