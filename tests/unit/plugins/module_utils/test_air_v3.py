# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Air v3 (DSX Air): how the adapter is chosen, authenticates and serves the v1 declarations,
without a server (nothing here may send a request)."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._air import AirAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._air_v3 import V3_RESOURCES, AirV3Adapter
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.modules import air_service, air_simulation, air_topology

CONNECTION = {"url": "https://air.nvidia.com", "api_version": "v3", "token": "nvapi-key", "timeout": 61.0,
              "retries": 0, "validate_certs": True}


def adapter(params=None, **options):
    built = AirAdapter.from_params(dict(CONNECTION, **options))
    built.begin(params or {})
    return built


def test_v3_is_its_own_adapter_on_the_v3_host_with_the_key_as_bearer():
    built = adapter()
    assert isinstance(built, AirV3Adapter) and built.version == "v3"
    # the url option's default (Air's v1 host) means nv-air-sdk's default host on v3
    assert built.client.base_url == "https://api.air-ngc.nvidia.com/api/"
    assert adapter(url="http://127.0.0.1:8280").client.base_url == "http://127.0.0.1:8280/api/"
    assert "nvapi-key" in built.client.secrets()
    v1 = AirAdapter.from_params(dict(CONNECTION, api_version="v1", token=None, username="u", password="p"))
    assert not isinstance(v1, AirV3Adapter) and v1.client.base_url == "https://air.nvidia.com/api/"


@pytest.mark.parametrize("options,message", [
    ({"token": None}, "no NGC API key"),
    ({"password": "nvapi-other"}, "not both"),
])
def test_v3_takes_one_key(options, message):
    with pytest.raises(ModuleError, match=message):
        adapter(**options)


def test_v3_key_may_come_as_password_and_username_plays_no_part():
    built = adapter(token=None, password="nvapi-pw", username="ignored@example.com")
    assert built.client.secrets() == ["nvapi-pw"]


def test_served_resource_has_v3_paths_and_names_and_leaves_the_declaration_alone():
    served = adapter().serving(air_simulation.RESOURCE)
    assert served.path == "v3/simulations" and served.fields["title"].wire_name == "name"
    assert served.lifecycle.goals["loaded"].action == "start"
    assert air_simulation.RESOURCE.fields["title"].wire_name == "title"  # the v1 declaration is unchanged
    assert air_simulation.RESOURCE.path == "v1/simulation"
    service = adapter().serving(air_service.RESOURCE)
    assert service.fields["dest_port"].wire_name == "node_port"
    assert (service.fields["simulation"].path, service.fields["simulation"].key) == ("v3/simulations", "name")


@pytest.mark.parametrize("params,message", [
    ({"organization": "o"}, "organization: Air's v3 API"),
    ({"sleep": False}, "sleep: Air's v3 API"),
    ({"clear": ["topology"]}, "topology: Air's v3 API"),
])
def test_an_option_v3_lacks_fails(params, message):
    with pytest.raises(ModuleError, match=message):
        adapter(params).serving(air_simulation.RESOURCE)


def test_a_resource_v3_lacks_fails_naming_api_version():
    assert "topology" not in V3_RESOURCES
    with pytest.raises(ModuleError, match="api_version: Air's v3 API has no topology"):
        adapter().serving(air_topology.RESOURCE)


def test_a_v1_path_never_leaves_on_v3():
    with pytest.raises(ModuleError, match="api_version: Air's v3 API has no v1/simulation/"):
        adapter().client.request("GET", "v1/simulation/")


def test_an_option_added_later_is_refused_until_mapped():
    """A field the v1 declaration gains (another helper's work) is not sent to v3 unmapped."""
    import copy

    from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field

    resource = copy.copy(air_simulation.RESOURCE)
    resource.fields = dict(resource.fields, newer=Field(), flag=Field(type="bool", default=False))
    for name in ("newer", "flag"):
        resource.fields[name].name = name
    assert adapter({"newer": None, "flag": False}).serving(resource).fields["newer"].wire_name == "newer"
    with pytest.raises(ModuleError, match="flag: Air's v3 API"):
        adapter({"flag": True}).serving(resource)
    with pytest.raises(ModuleError, match="newer: Air's v3 API"):
        adapter({"newer": "x"}).serving(resource)
