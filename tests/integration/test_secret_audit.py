# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never reach any output (issue 14, contract 6).

Representative tasks of every platform (Nautobot for real, through the recording proxy; Air,
Airbyte, CloudCIX and CycleCloud on their emulators) run at -vvvv with --diff: tasks that
change, converge, run in check mode (task-level and a whole ``--check`` play) and fail (wrong
credentials; a server error whose body echoes a secret). Then stdout, stderr and every
recorded task result (the record_results callback's JSON, ``invocation`` included) are
searched for every secret and every derived form of one: the Basic ``user:password`` base64
(CycleCloud, Airbyte), the CLI's ``key =`` form (CycleCloud), the tokens minted at login
(read from the emulators), the signature part of those JWTs, and each line of a generated
private key.

Secrets reach the plays from a vars file, never from the play text: ansible-core shows the
source lines of a failed task, so a secret written into a playbook would show up there.
"""

from __future__ import absolute_import, division, print_function

import base64
import copy
import json
import os
import stat
import uuid

import pytest

FAST = {"wait_sleep": 0.2}


def secret(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex)


def basic(user, password):
    return base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")


def derived(values):
    """Each secret and the forms of it that could leak on their own: a JWT's signature, the
    lines of a PEM block."""
    out = []
    for value in values:
        if not value:
            continue
        out.append(value)
        if value.count(".") == 2 and len(value) > 40:
            out.append(value.rsplit(".", 1)[1])
        if "-----BEGIN" in value:
            out += [line for line in value.splitlines() if line and not line.startswith("-----")]
    return sorted(set(out), key=out.index)


def indent(text, width):
    return "".join(" " * width + line + "\n" if line.strip() else "\n" for line in text.splitlines())


def task(module, _name, **options):
    """One task; ``_extra`` keys (no_log, check_mode, ignore_errors, register) go on the task."""
    extra = options.pop("_extra", {})
    text = "- name: %s\n  statecraft.infra.%s:\n%s" % (_name, module, indent("".join(
        "%s: %s\n" % (k, json.dumps(v)) for k, v in options.items()), 4))
    return text + "".join("  %s: %s\n" % (k, json.dumps(v)) for k, v in extra.items())


def failing(module, _name, **options):
    options["_extra"] = dict(options.get("_extra", {}), ignore_errors=True)
    return task(module, _name, **options)


class Audit(object):
    """Plays of one platform, its connection and secret variables in a vars file, and the
    check that none of the secrets shows anywhere."""

    def __init__(self, playbook, tmp_path, group, connection, variables, emulator=None):
        self.playbook = playbook
        self.tmp_path = tmp_path
        self.group = group
        self.connection = connection
        self.variables = variables
        self.emulator = emulator
        self.runs = []

    def play(self, tasks, check=False, use_defaults=True):
        vars_file = self.tmp_path / ("vars-%s.json" % uuid.uuid4().hex[:6])
        values = dict(("lab_" + k, v) for k, v in self.connection.items())
        values.update(self.variables)
        vars_file.write_text(json.dumps(values))
        defaults = "  module_defaults:\n    group/statecraft.infra.%s:\n%s" % (self.group, "".join(
            '      %s: "{{ lab_%s }}"\n' % (k, k) for k in self.connection)) if use_defaults else ""
        text = "- hosts: localhost\n  gather_facts: false\n  vars_files: [%s]\n%s  tasks:\n%s" % (
            vars_file, defaults, indent(tasks, 4))
        mark = len(self.emulator.log) if self.emulator is not None else 0
        run = self.playbook(text, check=check, diff=True, verbosity=4)
        run.requests = self.emulator.log[mark:] if self.emulator is not None else []
        self.runs.append(run)
        return run

    def assert_hidden(self, secrets, skip_tasks=()):
        """No secret (nor derived form) in any run's stdout, stderr or recorded results.
        ``skip_tasks``: tasks whose own output and result may show a value (a generated key
        the docs say is returned); everything else is searched."""
        found = []
        for number, run in enumerate(self.runs):
            results = [r for r in run.tasks if r["_task"] not in skip_tasks]
            places = {"stdout": without_tasks(run.stdout, skip_tasks), "stderr": run.stderr,
                      "results": json.dumps(results)}
            for value in derived(secrets):
                for place, text in places.items():
                    at = text.find(value)
                    if at >= 0:
                        found.append("play %d %s: %r... shows %s...: ...%s..." % (
                            number, place, value[:12], value[:6], text[max(0, at - 400):at + len(value) + 80]))
        assert not found, "\n\n".join(found)


def without_tasks(stdout, names):
    """``stdout`` without the sections of the tasks ``names`` (TASK [name] up to the next header)."""
    if not names:
        return stdout
    kept, skipping = [], False
    for line in stdout.splitlines(True):
        if line.startswith(("TASK [", "PLAY [", "PLAY RECAP")):
            skipping = any(line.startswith("TASK [%s]" % name) for name in names)
        if not skipping:
            kept.append(line)
    return "".join(kept)


def ok(run, name):
    result = run.task(name)
    assert result["_status"] == "ok", result
    return result


def failed(run, name):
    result = run.task(name)
    assert result["_status"] == "failed", result
    return result


# -- Nautobot (the real one, through the recording proxy) -----------------------------------------
def test_nautobot_secrets(playbook, tmp_path, connection, proxy, unique):
    token, wrong = connection["token"], "0123456789abcdef0123456789abcdef" + uuid.uuid4().hex[:8]
    audit = Audit(playbook, tmp_path, "nautobot", connection, {"wrong_token": wrong})
    name = "audit-mfr-" + unique
    # a server error whose body quotes the request's token back
    proxy.faults.add(path=r"^/api/dcim/manufacturers/$", method="POST", status=500,
                     body={"detail": "Server Error: token %s has no database connection" % token})
    try:
        run = audit.play("".join([
            failing("nautobot_manufacturer", "server-error", name=name + "-x"),
            task("nautobot_manufacturer", "create", name=name, description="first"),
            task("nautobot_manufacturer", "again", name=name, description="first"),
            task("nautobot_manufacturer", "check", name=name, description="second", _extra={"check_mode": True}),
            failing("nautobot_manufacturer", "wrong-token", name=name, token="{{ wrong_token }}"),
        ]))
    finally:
        proxy.faults.clear()
    assert "500" in failed(run, "server-error")["msg"]
    assert ok(run, "create")["changed"] and not ok(run, "again")["changed"]
    assert ok(run, "check")["changed"] and ok(run, "check")["diff"]
    assert "403" in failed(run, "wrong-token")["msg"]
    run = audit.play(task("nautobot_manufacturer", "check-play", name=name + "-new")
                     + task("nautobot_manufacturer", "check-change", name=name, description="third"), check=True)
    assert ok(run, "check-play")["changed"] and ok(run, "check-change")["changed"]
    audit.assert_hidden([token, wrong])


# -- Air: username + API token, traded for a bearer token at login ------------------------------
AIR_USER, AIR_TOKEN = "audit@example.com", secret("air-api-token")


@pytest.fixture(scope="module")
def air():
    from air_emulator import AirEmulator

    emulator = AirEmulator(speed=30.0).start()
    yield emulator
    emulator.stop()


def ssh_key(seed):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + (seed * 32)[:32].encode()
    return "ssh-ed25519 %s ci@runner" % base64.b64encode(blob).decode()


def test_air_secrets(air, playbook, tmp_path):
    air.reset()
    air.add_account(AIR_USER, api_token=AIR_TOKEN)
    wrong = secret("wrong-air-token")
    audit = Audit(playbook, tmp_path, "air", {"api_url": air.url, "username": AIR_USER, "password": AIR_TOKEN},
                  {"wrong_password": wrong}, emulator=air)
    name = "audit-" + uuid.uuid4().hex[:6]
    # a server error whose body quotes the API token back, on the one DELETE of the play
    air.faults.add(path=r"^/api/v1/sshkey/[^/]+/$", method="DELETE", status=500,
                   body={"detail": "Internal error while checking token %s" % AIR_TOKEN}, count=None)
    run = audit.play("".join([
        task("air_ssh_key", "create", name=name, public_key=ssh_key("a")),
        task("air_ssh_key", "again", name=name, public_key=ssh_key("a")),
        task("air_ssh_key", "check", name=name + "-2", public_key=ssh_key("b"), _extra={"check_mode": True}),
        failing("air_ssh_key", "wrong-password", name=name + "-3", public_key=ssh_key("c"),
                password="{{ wrong_password }}"),
        failing("air_ssh_key", "server-error", name=name, state="absent"),
    ]))
    air.faults.clear()
    assert ok(run, "create")["changed"] and not ok(run, "again")["changed"] and ok(run, "check")["changed"]
    assert "login" in failed(run, "wrong-password")["msg"].lower()
    assert "500" in failed(run, "server-error")["msg"]
    run = audit.play(task("air_ssh_key", "check-create", name=name + "-4", public_key=ssh_key("d"))
                     + task("air_ssh_key", "check-delete", name=name, state="absent"), check=True)
    assert ok(run, "check-create")["changed"] and ok(run, "check-delete")["changed"]
    assert [w["method"] for w in run.requests if w["method"] != "GET" and w["path"] != "/api/v1/login/"] == []
    tokens = air.issued_tokens()
    assert len(tokens) >= 4  # one login per task that reached the server
    audit.assert_hidden([AIR_TOKEN, wrong] + tokens)


# -- Airbyte: client credentials, Basic auth, connector passwords -------------------------------
API = "/api/public/v1"


@pytest.fixture(scope="module")
def airbyte():
    from airbyte_emulator import DEFAULT_FIXTURE, AirbyteEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["basic_auth"] = {"username": "airbyte", "password": secret("basic")}
    fixture["applications"][0]["client_secret"] = secret("client-secret")
    emulator = AirbyteEmulator(speed=60.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


def test_airbyte_secrets(airbyte, playbook, tmp_path):
    emu = airbyte
    emu.reset()
    wrong, db_password, conf_password, echoed = (secret("wrong-client-secret"), secret("db-pass"),
                                                 secret("conf-pass"), secret("echoed-pass"))
    audit = Audit(playbook, tmp_path, "airbyte",
                  {"server_url": emu.url + API, "client_id": emu.client_id, "client_secret": emu.client_secret},
                  {"wrong_secret": wrong, "db_password": db_password, "conf_password": conf_password,
                   "echoed_password": echoed, "basic_password": emu.password}, emulator=emu)
    config = {"host": "db.example.com", "port": 5432, "database": "shop", "username": "airbyte"}
    name = "audit-" + uuid.uuid4().hex[:6]
    source = dict(workspace="Default Workspace", connector="postgres")
    # a server error whose problem body quotes the connector's password back
    emu.faults.add(path=r"^/api/public/v1/sources$", method="POST", status=500,
                   body={"type": "https://reference.airbyte.com/reference/errors", "title": "internal-server-error",
                         "status": 500, "detail": "could not connect with password %s" % echoed})
    run = audit.play("".join([
        failing("airbyte_source", "server-error", name=name + "-x", configuration=config,
                secrets={"password": "{{ echoed_password }}"}, **source),
        task("airbyte_source", "create-secrets", name=name, configuration=config,
             secrets={"password": "{{ db_password }}"}, **source),
        task("airbyte_source", "again", name=name, configuration=config,
             secrets={"password": "{{ db_password }}"}, **source),
        task("airbyte_source", "create-in-configuration", name=name + "-c",
             configuration=dict(config, password="{{ conf_password }}"), **source),
        task("airbyte_source", "check-in-configuration", name=name + "-c",
             configuration=dict(config, port=5433, password="{{ conf_password }}"), _extra={"check_mode": True},
             **source),
        task("airbyte_source", "basic-auth", name=name, configuration=dict(config, port=5434),
             client_id=None, client_secret=None, username=emu.username, password="{{ basic_password }}", **source),
        failing("airbyte_source", "wrong-secret", name=name, configuration=config, client_secret="{{ wrong_secret }}",
                **source),
    ]))
    assert "500" in failed(run, "server-error")["msg"]
    assert ok(run, "create-secrets")["changed"] and not ok(run, "again")["changed"]
    assert ok(run, "create-in-configuration")["changed"] and ok(run, "check-in-configuration")["changed"]
    assert ok(run, "basic-auth")["changed"]
    assert "Basic" in [r["authorization"] for r in run.requests]
    assert "401" in failed(run, "wrong-secret")["msg"] or "invalid" in failed(run, "wrong-secret")["msg"].lower()
    ids = dict((s["name"], s["sourceId"]) for s in (ok(run, "create-secrets")["source"],
                                                    ok(run, "create-in-configuration")["source"]))
    assert emu.raw_secret("source", ids[name], "password") == db_password
    assert emu.raw_secret("source", ids[name + "-c"], "password") == conf_password
    run = audit.play(task("airbyte_source", "check-play", name=name + "-c",
                          configuration=dict(config, port=5435, password="{{ conf_password }}"),
                          secrets={"password": "{{ db_password }}"}, update_secrets="always", **source), check=True)
    assert ok(run, "check-play")["changed"]
    assert emu.issued_tokens
    audit.assert_hidden([emu.client_secret, wrong, db_password, conf_password, echoed, emu.password,
                         basic(emu.username, emu.password)] + list(emu.issued_tokens))


# -- CloudCIX: login, VPN pre-shared key, generated SSH keys --------------------------------------
def test_cloudcix_secrets(cloudcix, playbook, tmp_path, monkeypatch):
    import cloudcix_emulator

    emu = cloudcix
    emu.clock.speed = 60.0
    emu.reset()
    generated = {}
    make_pair = cloudcix_emulator.ed25519_key_pair

    def recording_pair(comment):
        public, private = make_pair(comment)
        generated[comment] = private
        return public, private

    monkeypatch.setattr(cloudcix_emulator, "ed25519_key_pair", recording_pair)
    psk, psk2, wrong = secret("psk"), secret("psk-two"), secret("wrong-password")
    audit = Audit(playbook, tmp_path, "cloudcix",
                  {"api_url": emu.api_url, "api_username": emu.email, "api_password": emu.password,
                   "api_key": emu.api_key, "region_id": emu.region_id},
                  {"psk": psk, "psk2": psk2, "wrong_password": wrong}, emulator=emu)
    project = "audit-" + uuid.uuid4().hex[:6]
    key_file = tmp_path / "generated.key"
    metadata = {"ike_version": "v2", "ike_pre_shared_key": "{{ psk }}",
                "child_sas": [{"local_ts": "10.0.0.0/24", "remote_ts": "192.168.10.0/24"}]}
    # a server error whose body quotes the Member's API key back
    emu.faults.add(path=r"^/compute/network/ip_groups/$", method="POST", status=500,
                   body={"detail": "api_key %s is not allowed to do this" % emu.api_key}, count=None)
    run = audit.play("".join([
        task("cloudcix_project", "project", name=project),
        task("cloudcix_network_router", "router", project=project, **FAST),
        task("cloudcix_vpn", "vpn", project=project, name="office", metadata=metadata,
             _extra={"register": "vpn_result"}, **FAST),
        "- name: registered\n  ansible.builtin.debug:\n    var: vpn_result\n",
        task("cloudcix_vpn", "vpn-again", project=project, name="office", metadata=metadata, **FAST),
        task("cloudcix_vpn", "vpn-check", project=project, name="office",
             metadata=dict(metadata, ike_pre_shared_key="{{ psk2 }}", ike_version="v1"),
             _extra={"check_mode": True}, **FAST),
        task("cloudcix_ssh_key", "key-to-file", name="gen-file", private_key_path=str(key_file)),
        task("cloudcix_ssh_key", "key-no-log", name="gen-nolog", _extra={"no_log": True}),
        task("cloudcix_ssh_key", "key-returned", name="gen-returned"),
        task("cloudcix_ssh_key", "key-returned-again", name="gen-returned"),
        failing("cloudcix_ip_group", "server-error", name="audit_" + uuid.uuid4().hex[:6], cidrs=["10.8.0.0/24"]),
        failing("cloudcix_project", "wrong-password", name=project, api_password="{{ wrong_password }}"),
    ]))
    emu.faults.clear()
    vpn = ok(run, "vpn")
    assert vpn["changed"] and not ok(run, "vpn-again")["changed"] and ok(run, "vpn-check")["changed"]
    # no_log now: the invocation shows the key masked, as the result and the diff do
    assert vpn["invocation"]["module_args"]["metadata"]["ike_pre_shared_key"] != psk
    assert emu.get("compute", "network/vpns", vpn["vpn"]["id"])["metadata"]["ike_pre_shared_key"] == psk

    # generated keys (docs: shown once, in the answer to the creation; written to
    # private_key_path and left out of the result, or returned as private_key)
    assert set(generated) == {"gen-file", "gen-nolog", "gen-returned"}
    to_file = ok(run, "key-to-file")
    assert to_file["private_key"] == "" and to_file["private_key_path"] == str(key_file)
    assert key_file.read_text().strip() == generated["gen-file"].strip()
    assert stat.S_IMODE(os.stat(str(key_file)).st_mode) == 0o600
    returned = ok(run, "key-returned")
    assert returned["private_key"] == generated["gen-returned"]
    assert json.dumps(returned).count(generated["gen-returned"].splitlines()[1]) == 1  # once: not in ssh_key
    assert "private_key" not in returned["ssh_key"]
    again = ok(run, "key-returned-again")
    assert not again["changed"] and again["private_key"] == ""
    assert run.task("key-no-log")["_status"] == "ok"

    assert "500" in failed(run, "server-error")["msg"]
    assert "401" in failed(run, "wrong-password")["msg"] or "login" in failed(run, "wrong-password")["msg"].lower()
    run = audit.play(task("cloudcix_vpn", "check-play", project=project, name="office",
                          metadata=dict(metadata, ike_pre_shared_key="{{ psk2 }}", ike_version="v1"), **FAST)
                     + task("cloudcix_ssh_key", "check-key", name="gen-check"), check=True)
    assert ok(run, "check-play")["changed"] and ok(run, "check-key")["changed"]
    assert emu.issued_tokens
    audit.assert_hidden([psk, psk2, wrong, generated["gen-file"], generated["gen-nolog"], generated["gen-returned"]]
                        + emu.secrets(), skip_tasks=("key-returned",))
    # the key returned by design shows in its own task only: not in the other tasks, not in the rerun
    audit.assert_hidden([generated["gen-returned"]], skip_tasks=("key-returned",))


# -- CycleCloud: Basic auth with every request, the CLI's config file ---------------------------
# the operator's password is the second encoded-key vector of cyclecloud.md 1.2
OPERATOR, OPERATOR_PASSWORD = "operator", "Adm1n-pass!word"
OPERATOR_KEY = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae7c1d4965e0b4725c007aaf96bf034859b6c6d48ab1c9a"
CC_USER, CC_PASSWORD = "ccadmin", secret("cc-pass")


@pytest.fixture(scope="module")
def cyclecloud():
    from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator

    fixture = copy.deepcopy(DEFAULT_FIXTURE)
    fixture["users"] = {CC_USER: CC_PASSWORD, OPERATOR: OPERATOR_PASSWORD}
    emulator = CycleCloudEmulator(speed=120.0, fixture=fixture).start()
    yield emulator
    emulator.stop()


def test_cyclecloud_secrets(cyclecloud, playbook, tmp_path):
    emu = cyclecloud
    emu.clock.speed = 120.0
    emu.reset()
    wrong = secret("wrong-cc-pass")
    config = tmp_path / "cycle.ini"
    config.write_text("[cycleserver]\nurl = %s\nusername = %s\nkey = %s\nauth_option = username_password\n"
                      % (emu.url, OPERATOR, OPERATOR_KEY))
    audit = Audit(playbook, tmp_path, "cyclecloud", {"url": emu.url, "username": CC_USER, "password": CC_PASSWORD},
                  {"wrong_password": wrong}, emulator=emu)
    # a server error whose body quotes the password back
    emu.faults.add(path=r"^/clusters/hpc/scale/gpu$", method="POST", status=500,
                   body={"Exception": "Error", "Message": "cannot scale for %s:%s" % (CC_USER, CC_PASSWORD),
                         "Detail": "see the log"}, count=None)
    run = audit.play("".join([
        task("cyclecloud_cluster_info", "info", name="hpc"),
        task("cyclecloud_scale", "scale", cluster="hpc", node_array="execute", nodes=3, **FAST),
        task("cyclecloud_scale", "again", cluster="hpc", node_array="execute", nodes=3, **FAST),
        task("cyclecloud_node", "check", cluster="hpc", names=["execute-1"], state="terminated",
             _extra={"check_mode": True}),
        task("cyclecloud_cluster_info", "config-file", name="hpc", url=None, username=None, password=None,
             config_file=str(config)),
        failing("cyclecloud_scale", "server-error", cluster="hpc", node_array="gpu", nodes=1, **FAST),
        failing("cyclecloud_cluster_info", "wrong-password", name="hpc", password="{{ wrong_password }}"),
    ]))
    emu.faults.clear()
    assert ok(run, "info")["exists"] and ok(run, "config-file")["exists"]
    assert ok(run, "scale")["changed"] and not ok(run, "again")["changed"] and ok(run, "check")["changed"]
    assert "500" in failed(run, "server-error")["msg"]
    assert "401" in failed(run, "wrong-password")["msg"]
    run = audit.play(task("cyclecloud_scale", "check-play", cluster="hpc", node_array="execute", nodes=5, **FAST)
                     + task("cyclecloud_node", "check-node", cluster="hpc", names=["execute-2"], state="terminated"),
                     check=True)
    assert ok(run, "check-play")["changed"] and ok(run, "check-node")["changed"]
    assert [r for r in run.requests if r["method"] != "GET"] == []
    audit.assert_hidden([CC_PASSWORD, basic(CC_USER, CC_PASSWORD), wrong, basic(CC_USER, wrong),
                         OPERATOR_PASSWORD, basic(OPERATOR, OPERATOR_PASSWORD), OPERATOR_KEY])
