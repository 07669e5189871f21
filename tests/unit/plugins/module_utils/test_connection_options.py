# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One name for the URL and one for the token on every platform, the old names as aliases,
environment variables in a documented order, and defaults declared where ansible-doc shows them."""

from __future__ import absolute_import, division, print_function

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.statecraft.infra.plugins.doc_fragments import air, airbyte, cloudcix, cyclecloud, nautobot
from ansible_collections.statecraft.infra.plugins.module_utils import _air, _airbyte, _cloudcix, _cyclecloud, _nautobot
from ansible_collections.statecraft.infra.plugins.module_utils._connection import canonical_params, required_message

import yaml

# platform: (argument spec, module doc fragment, old URL name, new URL variable, old URL variable,
#            old token name, token variable)
PLATFORMS = {
    "air": (_air.connection_argspec, air, "api_url", "AIR_URL", "AIR_API_URL", "bearer_token", "AIR_BEARER_TOKEN"),
    "airbyte": (_airbyte.connection_argspec, airbyte, "server_url", "AIRBYTE_URL", "AIRBYTE_SERVER_URL",
                "bearer_token", "AIRBYTE_BEARER_TOKEN"),
    "cloudcix": (_cloudcix.connection_argspec, cloudcix, "api_url", "CLOUDCIX_URL", "CLOUDCIX_API_URL", "api_token",
                 "CLOUDCIX_API_TOKEN"),
}
ALL_VARIABLES = [v for p in PLATFORMS.values() for v in (p[3], p[4], p[6])] + [
    "NAUTOBOT_URL", "NAUTOBOT_TOKEN", "CYCLECLOUD_URL", "CLOUDCIX_API_V2_URL"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def validate(spec, params):
    result = ArgumentSpecValidator(spec).validate(canonical_params(params, spec))
    assert not result.error_messages, result.error_messages
    return result


def doc_options(fragment):
    return yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)["options"]


def test_every_platform_calls_its_url_url():
    for spec in (_air.connection_argspec(), _airbyte.connection_argspec(), _cloudcix.connection_argspec(),
                 _cyclecloud.connection_argspec(), _nautobot.connection_argspec()):
        assert spec["url"]["type"] == "str"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_old_names_are_aliases_in_spec_and_docs(platform):
    argspec, fragment, old_url, _new_var, _old_var, old_token, _token_var = PLATFORMS[platform]
    spec, options = argspec(), doc_options(fragment)
    assert spec["url"]["aliases"] == [old_url] and options["url"]["aliases"] == [old_url]
    assert spec["token"]["aliases"] == [old_token] and options["token"]["aliases"] == [old_token]
    assert spec["token"]["no_log"] is True  # its alias shares the spec: masked too


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_an_old_name_alone_gives_the_value_without_a_warning(platform, monkeypatch):
    argspec, _fragment, old_url, new_var, old_var, old_token, token_var = PLATFORMS[platform]
    # the environment sets the option too: AnsibleModule would see both the option (from
    # its fallback) and the alias given, and warn of both set
    monkeypatch.setenv(new_var, "https://from-env.example.com/")
    monkeypatch.setenv(token_var, "env-token")
    result = validate(argspec(), {old_url: "https://given.example.com/", old_token: "given-token"})
    assert result.validated_parameters["url"] == "https://given.example.com/"
    assert result.validated_parameters["token"] == "given-token"
    assert result._warnings == []
    assert "given-token" in result._no_log_values


def test_both_names_from_the_task_still_warn():
    spec = _air.connection_argspec()
    result = ArgumentSpecValidator(spec).validate(canonical_params({"url": "https://a", "api_url": "https://b"}, spec))
    assert result._warnings == [{"option": "url", "alias": "api_url"}]


@pytest.mark.parametrize("task,defaults,expected", [
    ({"url": "https://task", "api_url": "https://play"}, ["api_url"], "https://task"),  # new name in the task
    ({"url": "https://play", "api_url": "https://task"}, ["url"], "https://task"),  # old name in the task
    ({"api_url": "https://play"}, ["api_url"], "https://play"),  # module_defaults with the old name alone
])
def test_the_tasks_own_name_wins_over_module_defaults(task, defaults, expected):
    spec = _air.connection_argspec()
    params = canonical_params(task, spec, defaults)
    assert params == {"url": expected}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_url_order_option_new_variable_old_variable_default(platform, monkeypatch):
    argspec, _fragment, _old_url, new_var, old_var, _old_token, _token_var = PLATFORMS[platform]
    default = argspec()["url"]["default"]
    assert default.startswith("https://")
    assert validate(argspec(), {}).validated_parameters["url"] == default
    monkeypatch.setenv(old_var, "https://old-var.example.com/")
    assert validate(argspec(), {}).validated_parameters["url"] == "https://old-var.example.com/"
    monkeypatch.setenv(new_var, "https://new-var.example.com/")
    assert validate(argspec(), {}).validated_parameters["url"] == "https://new-var.example.com/"
    assert validate(argspec(), {"url": "https://option.example.com/"}).validated_parameters["url"] == \
        "https://option.example.com/"


@pytest.mark.parametrize("argspec,prefix", [
    (_air.connection_argspec, "AIR"), (_airbyte.connection_argspec, "AIRBYTE"), (_cloudcix.connection_argspec, "CLOUDCIX"),
    (_cyclecloud.connection_argspec, "CYCLECLOUD"), (_nautobot.connection_argspec, "NAUTOBOT")])
def test_an_environment_variable_wins_over_a_declared_default(argspec, prefix, monkeypatch):
    monkeypatch.setenv(prefix + "_RETRIES", "7")
    monkeypatch.setenv(prefix + "_TIMEOUT", "4.5")
    monkeypatch.setenv(prefix + "_VALIDATE_CERTS", "false")
    params = validate(argspec(), {}).validated_parameters
    assert (params["retries"], params["timeout"], params["validate_certs"]) == (7, 4.5, False)


@pytest.mark.parametrize("argspec,fragment", [
    (_air.connection_argspec, air), (_airbyte.connection_argspec, airbyte), (_cloudcix.connection_argspec, cloudcix),
    (_cyclecloud.connection_argspec, cyclecloud), (_nautobot.connection_argspec, nautobot)])
def test_documented_defaults_are_the_argument_specs(argspec, fragment):
    spec, options = argspec(), doc_options(fragment)
    for name, option in spec.items():
        assert options[name].get("default") == option.get("default"), name
    assert options["retries"]["default"] == 3
    if fragment is not cyclecloud:  # CycleCloud's come from the CLI's config file when unset
        assert options["validate_certs"]["default"] is True
        assert options["timeout"]["default"] > 0


def test_declared_api_versions():
    assert doc_options(nautobot)["api_version"]["default"] == "2.4"
    assert doc_options(air)["api_version"]["default"] == "v1"


@pytest.mark.parametrize("params,message", [
    ({"token": "t"}, required_message("url", "NAUTOBOT_URL")),
    ({"url": "https://nautobot.example.com"}, required_message("token", "NAUTOBOT_TOKEN")),
])
def test_a_missing_nautobot_option_names_its_variable(params, message):
    assert message.endswith("environment variable")
    with pytest.raises(ValueError, match="^" + message + "$"):
        _nautobot.NautobotAdapter.check_connection(params)


@pytest.mark.parametrize("adapter,params,variables", [
    (_air.AirAdapter, {}, ["AIR_USERNAME", "AIR_PASSWORD", "AIR_BEARER_TOKEN"]),
    (_airbyte.AirbyteAdapter, {}, ["AIRBYTE_CLIENT_ID", "AIRBYTE_CLIENT_SECRET", "AIRBYTE_BEARER_TOKEN"]),
    (_cloudcix.CloudcixAdapter, {}, ["CLOUDCIX_API_TOKEN", "CLOUDCIX_API_USERNAME", "CLOUDCIX_API_KEY"]),
    (_cyclecloud.CycleCloudAdapter, {"url": "https://cc.example.com"}, ["CYCLECLOUD_USERNAME", "CYCLECLOUD_PASSWORD"]),
])
def test_missing_credentials_name_their_variables(adapter, params, variables):
    spec = {"air": _air, "airbyte": _airbyte, "cloudcix": _cloudcix, "cyclecloud": _cyclecloud}[
        adapter.__module__.rsplit("_", 1)[-1]].connection_argspec()
    full = validate(spec, params).validated_parameters
    with pytest.raises(Exception) as info:
        adapter.from_params(full)
    for variable in variables:
        assert variable in str(info.value)
