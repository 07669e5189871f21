# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection as AWX runs it: each shipped credential type (extensions/awx/) injected
the way AWX injects it, a playbook with no connection option run through ansible-runner
(AWX's engine) in check mode, for real and again, against the real Nautobot or an
emulator; and the execution environment built by ansible-builder."""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import re
import subprocess
import sys
import uuid

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demo"))
from demo import Sandbox  # noqa: E402  pylint: disable=wrong-import-position

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TYPES = os.path.join(REPO, "extensions", "awx", "credential_types")
BIN = os.path.dirname(sys.executable)
# AWX never injects these (awx/main/constants.py ENV_BLOCKLIST)
AWX_ENV_BLOCKLIST = {"VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID",
                     "INVENTORY_UPDATE_ID", "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES",
                     "CALLBACK_QUEUE", "CALLBACK_CONNECTION", "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS",
                     "AWX_HOST", "PROJECT_REVISION", "SUPERVISOR_CONFIG_PATH"}
PLATFORM_PREFIXES = ("NAUTOBOT_", "AIR_", "AIRBYTE_", "CLOUDCIX_", "CYCLECLOUD_")


def credential_type(platform):
    with open(os.path.join(TYPES, platform + ".yml")) as handle:
        return yaml.safe_load(handle)


def awx_inject(cred_type, inputs):
    """The environment AWX gives a job for a credential of ``cred_type`` with ``inputs``, as
    AWX's CredentialType.inject_credential builds it: only inputs with a value enter the
    template namespace, a boolean field left out is False, and each env template renders in
    an immutable sandbox with Jinja2's default Undefined (a blank field renders as "")."""
    namespace = dict((k, v) for k, v in inputs.items() if isinstance(v, bool) or v)
    for field in cred_type["inputs"]["fields"]:
        if field.get("type") == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    sandbox = ImmutableSandboxedEnvironment()
    return dict((name, sandbox.from_string(template).render(**namespace))
                for name, template in cred_type["injectors"].get("env", {}).items()
                if name not in AWX_ENV_BLOCKLIST)


class AwxJob(object):
    """A job template's run through ansible-runner: the play, the credential's environment,
    check mode and --diff (AWX's "Show Changes") as AWX passes them. Every run's stdout and
    events are searched for the credential's secret inputs."""

    def __init__(self, tmp_path, environment, secrets):
        self.tmp_path = tmp_path
        self.environment = environment
        self.secrets = secrets
        self.results = []

    def run(self, tasks, check=False):
        private = self.tmp_path / ("job-%s" % uuid.uuid4().hex[:6])
        private.mkdir()
        play = [{"name": "job template", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
        envvars = {
            "ANSIBLE_CONFIG": os.path.join(HERE, "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        }
        envvars.update(self.environment)
        cmdline = "--diff" + (" --check" if check else "")
        result = ansible_runner.run(private_data_dir=str(private), playbook=play, envvars=envvars,
                                    cmdline=cmdline, inventory="localhost ansible_connection=local",
                                    quiet=True, project_dir=HERE)
        result.output = result.stdout.read()
        result.all_events = list(result.events)
        assert_no_secret(result, self.secrets)
        self.results.append(result)
        return result

    def assert_never_shown(self, secrets):
        """Secrets known only after the runs (tokens the platform minted at login) appear in
        none of this job's runs."""
        assert secrets and self.results
        for result in self.results:
            assert_no_secret(result, secrets)


def task_result(result, name="t"):
    assert result.status == "successful", result.output
    found = [e["event_data"]["res"] for e in result.all_events
             if e.get("event") in ("runner_on_ok", "runner_on_failed") and e["event_data"].get("task") == name]
    assert len(found) == 1, result.output
    return found[0]


def assert_no_secret(result, secrets):
    everything = result.output + json.dumps(result.all_events)
    for secret in secrets:
        assert secret not in everything, "a secret input appears in the job's output"


@pytest.fixture
def awx_job(tmp_path, monkeypatch):
    """``awx_job(platform, inputs)``: an AwxJob with only that credential's environment for
    the platform (the controller's own connection variables removed)."""
    for name in list(os.environ):
        if name.startswith(PLATFORM_PREFIXES):
            monkeypatch.delenv(name)

    def make(platform, inputs):
        cred_type = credential_type(platform)
        secrets = [inputs[f["id"]] for f in cred_type["inputs"]["fields"] if f.get("secret") and inputs.get(f["id"])]
        assert secrets
        return AwxJob(tmp_path, awx_inject(cred_type, inputs), secrets)
    return make


def converge(job, tasks):
    """Check mode predicts a change and writes nothing, the real run makes it, a second run
    changes nothing; returns the three task results."""
    predicted = task_result(job.run(tasks, check=True))
    made = task_result(job.run(tasks))
    again = task_result(job.run(tasks))
    assert predicted["changed"] and made["changed"] and not again["changed"]
    return predicted, made, again


# -- the definitions -------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["nautobot", "air", "cyclecloud", "cloudcix", "airbyte"])
def test_credential_type_is_what_awx_accepts(platform):
    """What AWX's credential type validation checks: field ids, types, required among the
    fields, every injector template naming a field, secrets for passwords and tokens."""
    cred_type = credential_type(platform)
    assert set(cred_type) == {"name", "kind", "description", "inputs", "injectors"}
    assert cred_type["kind"] == "cloud" and "statecraft.infra" in cred_type["name"]
    fields = dict((f["id"], f) for f in cred_type["inputs"]["fields"])
    for field_id, field in fields.items():
        assert re.match(r"^[a-zA-Z_][a-zA-Z0-9_]*$", field_id)
        assert field.get("type", "string") in ("string", "boolean") and field["label"]
        if re.search("password|token|secret|key", field_id):
            assert field.get("secret") is True, field_id
    assert set(cred_type["inputs"].get("required", [])) <= set(fields)
    for env_var, template in cred_type["injectors"]["env"].items():
        assert env_var.startswith(platform.upper() + "_") and env_var not in AWX_ENV_BLOCKLIST
        assert set(re.findall(r"{{\s*(\w+)\s*}}", template)) <= set(fields)
    # each variable is one the modules read (their documentation names it)
    fragment = open(os.path.join(REPO, "plugins", "doc_fragments", platform + ".py")).read()
    for env_var in cred_type["injectors"]["env"]:
        assert "E(%s)" % env_var in fragment, env_var


# awx.awx.credential_type's options as its documentation lists them: the module's own and its
# auth fragment's, with their aliases and choices
AWX_CREDENTIAL_TYPE_OPTIONS = {
    "name": {"required": True}, "description": {}, "kind": {"choices": ["ssh", "vault", "net", "scm", "cloud", "insights"]},
    "inputs": {"type": "dict"}, "injectors": {"type": "dict"},
    "state": {"choices": ["present", "absent"], "default": "present"},
    "controller_host": {"aliases": ["tower_host", "aap_hostname"]},
    "controller_username": {"aliases": ["tower_username", "aap_username"]},
    "controller_password": {"aliases": ["tower_password", "aap_password"], "no_log": True},
    "aap_token": {"type": "raw", "no_log": True},
    "validate_certs": {"type": "bool", "aliases": ["tower_verify_ssl", "aap_validate_certs"]},
    "request_timeout": {"type": "float", "aliases": ["aap_request_timeout"]},
    "max_retries": {"type": "int", "aliases": ["aap_max_retries"]},
    "retry_backoff_factor": {"type": "int", "aliases": ["aap_retry_backoff_factor"]},
    "controller_config_file": {"type": "path", "aliases": ["tower_config_file"]},
}
# a stand-in for that module with only its argument spec: it validates the arguments the
# playbook gives and writes nothing (awx.awx is not a dependency of the collection)
ARGUMENT_CHECK_MODULE = """#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec=%r, supports_check_mode=True)
module.exit_json(changed=False)
"""


def test_credential_types_playbook_gives_awx_awx_each_definition(tmp_path):
    """extensions/awx/credential_types.yml, run in check mode against awx.awx.credential_type's
    argument spec: one call per platform, with exactly the shipped definition."""
    modules = tmp_path / "collections" / "ansible_collections" / "awx" / "awx" / "plugins" / "modules"
    modules.mkdir(parents=True)
    (modules.parent.parent / "galaxy.yml").write_text("namespace: awx\nname: awx\nversion: 24.6.1\n")
    (modules / "credential_type.py").write_text(ARGUMENT_CHECK_MODULE % AWX_CREDENTIAL_TYPE_OPTIONS)
    private = tmp_path / "runner"
    private.mkdir()
    result = ansible_runner.run(
        private_data_dir=str(private), project_dir=os.path.join(REPO, "extensions", "awx"),
        playbook="credential_types.yml", cmdline="--check", inventory="localhost", quiet=True,
        envvars={"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections"), "ANSIBLE_NOCOLOR": "1",
                 "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")})
    output = result.stdout.read()
    assert result.status == "successful", output
    calls = [e["event_data"]["res"] for e in result.events if e.get("event") == "runner_item_on_ok"]
    platforms = ["nautobot", "air", "cyclecloud", "cloudcix", "airbyte"]
    assert [c["item"] for c in calls] == platforms
    for call in calls:
        args = call["invocation"]["module_args"]
        expected = credential_type(call["item"])
        assert dict((k, args[k]) for k in expected) == expected
        assert args["state"] == "present"


def test_blank_optional_fields_count_as_unset(awx_job, nautobot, unique):
    """AWX injects a blank optional field as an empty variable (NAUTOBOT_API_VERSION=""):
    the modules take it as unset, not as a value."""
    job = awx_job("nautobot", {"url": nautobot.url, "token": nautobot.token})
    assert job.environment["NAUTOBOT_API_VERSION"] == ""
    result = task_result(job.run([{"name": "t", "statecraft.infra.nautobot_tag": {
        "name": "awx-blank-" + unique, "content_types": ["dcim.device"]}}], check=True))
    assert result["changed"]


# -- a job per platform ----------------------------------------------------------------------
def sandbox_fixture(platform):
    """A module-scoped fixture: the platform's emulator, started as `make demo` starts it."""
    @pytest.fixture(scope="module")
    def started():
        sandbox = Sandbox(platform)
        sandbox.start()
        yield sandbox.emulator
        sandbox.stop()
    return started


air = sandbox_fixture("air")
cyclecloud = sandbox_fixture("cyclecloud")
cloudcix = sandbox_fixture("cloudcix")
airbyte = sandbox_fixture("airbyte")


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]


def test_nautobot_job_template(awx_job, nautobot, unique):
    job = awx_job("nautobot", {"url": nautobot.url, "token": nautobot.token})
    name = "awx-" + unique
    tasks = [{"name": "t", "statecraft.infra.nautobot_tag": {"name": name, "content_types": ["dcim.device"]}}]
    predicted = task_result(job.run(tasks, check=True))
    assert predicted["changed"] and nautobot.api("GET", "extras/tags/", params={"name": name})["count"] == 0
    converge(job, tasks)
    assert nautobot.api("GET", "extras/tags/", params={"name": name})["count"] == 1


def test_air_job_template(awx_job, air, unique):
    api_token = "air-awx-" + uuid.uuid4().hex
    air.add_account("awx-%s@example.com" % unique, api_token=api_token)
    job = awx_job("air", {"url": air.url, "username": "awx-%s@example.com" % unique, "password": api_token})
    tasks = [{"name": "t", "statecraft.infra.air_user_config": {
        "name": "awx-" + unique, "kind": "cloud-init-user-data", "content": "#cloud-config\nhostname: awx\n"}}]
    predicted, made, _again = converge(job, tasks)
    assert predicted["diff"]["after"] == made["diff"]["after"]
    job.assert_never_shown(air.issued_tokens())


def test_cyclecloud_job_template(awx_job, cyclecloud):
    job = awx_job("cyclecloud", {"url": cyclecloud.url, "username": cyclecloud.username,
                                 "password": cyclecloud.password})
    tasks = [{"name": "t", "statecraft.infra.cyclecloud_scale": {
        "cluster": "hpc", "node_array": "execute", "nodes": 3, "wait_sleep": 0.2}}]
    before = [n for n in cyclecloud.nodes("hpc") if n.get("Template") == "execute"]
    predicted = task_result(job.run(tasks, check=True))
    assert predicted["changed"]
    assert len([n for n in cyclecloud.nodes("hpc") if n.get("Template") == "execute"]) == len(before) == 2
    made = task_result(job.run(tasks))
    again = task_result(job.run(tasks))
    assert made["changed"] and not again["changed"]


def test_cloudcix_job_template(awx_job, cloudcix, unique):
    # the region comes from the credential too (a string field; the module takes it as an int)
    job = awx_job("cloudcix", {"url": cloudcix.api_url, "username": cloudcix.email, "password": cloudcix.password,
                               "api_key": cloudcix.api_key, "region_id": str(cloudcix.region_id)})
    assert job.environment["CLOUDCIX_API_TOKEN"] == ""  # blank: a login, not a token
    tasks = [{"name": "t", "statecraft.infra.cloudcix_project": {"name": "awx-" + unique}}]
    converge(job, tasks)
    job.assert_never_shown(cloudcix.issued_tokens)


def test_airbyte_job_template(awx_job, airbyte, unique):
    job = awx_job("airbyte", {"url": airbyte.url + "/api/public/v1", "client_id": airbyte.client_id,
                              "client_secret": airbyte.client_secret})
    tasks = [{"name": "t", "statecraft.infra.airbyte_workspace": {"name": "awx-" + unique}}]
    converge(job, tasks)
    job.assert_never_shown(airbyte.issued_tokens)


# -- the execution environment ---------------------------------------------------------------
@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """The collection's tarball, built from the working tree as a release is."""
    out_dir = tmp_path_factory.mktemp("tarball")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out_dir), REPO],
                   capture_output=True, text=True, check=True)
    return glob.glob(str(out_dir / "statecraft-infra-*.tar.gz"))[0]


def ansible_builder_create(ee_file, context):
    out = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", str(ee_file), "--context",
                          str(context), "--output-filename", "Containerfile"], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    return (context / "Containerfile").read_text()


def test_ansible_builder_creates_the_example_build_context(tmp_path):
    """`ansible-builder create -f examples/execution-environment.yml` writes the build context
    as shipped (no container engine needed): the base image, the pinned ansible-core and
    ansible-runner, and this collection from Galaxy."""
    containerfile = ansible_builder_create(os.path.join(REPO, "examples", "execution-environment.yml"), tmp_path)
    example = yaml.safe_load(open(os.path.join(REPO, "examples", "execution-environment.yml")))
    assert "ARG EE_BASE_IMAGE=\"%s\"" % example["images"]["base_image"]["name"] in containerfile
    assert "ansible-core==2.19.14" in containerfile and "ansible-runner==" in containerfile
    requirements = yaml.safe_load((tmp_path / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "statecraft.infra", "version": ">=0.1.0"}]}


def test_ansible_builder_creates_the_build_context(tmp_path, tarball):
    """The same with the collection from the tarball just built: the build context installs
    it, then what its meta/execution-environment.yml declares (introspected at build time)."""
    build = tmp_path / "build"
    context = tmp_path / "context"
    example = yaml.safe_load(open(os.path.join(REPO, "examples", "execution-environment.yml")))
    # the example installs the collection from Galaxy; here, from the tarball just built
    example["dependencies"]["galaxy"] = {"collections": [{"name": tarball, "type": "file"}]}
    ee_file = build / "execution-environment.yml"
    build.mkdir()
    ee_file.write_text(yaml.safe_dump(example))
    containerfile = ansible_builder_create(ee_file, context)
    assert "ansible-galaxy collection install" in containerfile and "introspect" in containerfile
    assert (context / "_build" / "requirements.yml").exists()


def test_ansible_builder_introspect_finds_requirements(tmp_path, tarball):
    """What ansible-builder introspect reads from the installed collection: requests from
    requirements.txt, and the bindep file."""
    install = tmp_path / "collections"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", str(install),
                    tarball], capture_output=True, text=True, check=True)
    introspected = introspect(install)
    assert introspected["python"] == ["requests>=2.25  # from collection statecraft.infra"]
    assert introspected["system"] == []  # bindep.txt lists no package
    # the bindep file is the one meta/execution-environment.yml names: a line added to the
    # installed copy is what introspect reports
    bindep = install / "ansible_collections" / "statecraft" / "infra" / "bindep.txt"
    bindep.write_text(bindep.read_text() + "libxml2 [platform:rpm]\n")
    assert introspect(install)["system"] == ["libxml2 [platform:rpm]  # from collection statecraft.infra"]


def introspect(collections_dir):
    out = subprocess.run([os.path.join(BIN, "ansible-builder"), "introspect", str(collections_dir)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    return yaml.safe_load(out.stdout.split("---", 1)[1])
