# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection options every platform checks before its first request: the URL's
scheme, host and the path shape the platform expects, ``retries`` and ``timeout``."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._air import AirAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import AirbyteAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import CloudcixAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import CycleCloudAdapter
from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import NautobotAdapter

GOOD = [
    (NautobotAdapter, "url", "https://nautobot.example.com"),
    (NautobotAdapter, "url", "https://example.com/nautobot/api/"),
    (AirAdapter, "url", "https://air.nvidia.com/api/"),
    (AirAdapter, "url", "http://127.0.0.1:8280"),
    (AirbyteAdapter, "url", "https://api.airbyte.com/v1"),
    (AirbyteAdapter, "url", "http://airbyte.example.com:8000/api/public/v1/"),
    (CloudcixAdapter, "url", "https://api.cloudcix.com/"),
    (CloudcixAdapter, "url", "http://127.0.0.1:8580/{application}/"),
    (CycleCloudAdapter, "url", "https://cyclecloud.example.com/prefix"),
]

BAD = [
    (NautobotAdapter, "url", "https://nautobot.example.com/api/dcim/devices/", "goes past /api"),
    (AirAdapter, "url", "https://air.nvidia.com/api/v1/", "goes past /api"),
    (AirbyteAdapter, "url", "https://api.airbyte.com/", "ends with its version"),
    (CloudcixAdapter, "url", "https://api.cloudcix.com/compute/", "{application}"),
    (CycleCloudAdapter, "url", "https://cyclecloud.example.com/clusters/hpc", "root URL"),
    (NautobotAdapter, "url", "nautobot.example.com", "no scheme"),
    (AirbyteAdapter, "url", "ftp://airbyte.example.com/v1", "ftp://"),
    (CloudcixAdapter, "url", "http://", "no host"),
]


@pytest.mark.parametrize("adapter,option,url", GOOD)
def test_platform_urls_that_fit(adapter, option, url):
    adapter.check_connection({option: url, "token": "t", "retries": 0, "timeout": 0.5})


@pytest.mark.parametrize("adapter,option,url,words", BAD)
def test_platform_urls_that_do_not_fit_name_the_option(adapter, option, url, words):
    with pytest.raises(ValueError) as info:
        adapter.check_connection({option: url, "token": "t"})
    assert str(info.value).startswith(option + ": ") and words in str(info.value)


@pytest.mark.parametrize("params,words", [
    ({"retries": -5}, "retries: -5 is negative"),
    ({"timeout": 0}, "timeout: 0 is not"),
    ({"timeout": -1.5}, "timeout: -1.5 is not"),
])
def test_retries_and_timeout_bounds(params, words):
    for adapter in (NautobotAdapter, AirAdapter, AirbyteAdapter, CloudcixAdapter, CycleCloudAdapter):
        with pytest.raises(ValueError, match="^" + words):
            adapter.check_connection(dict(params, url="https://nautobot.example.com", token="t")
                                     if adapter is NautobotAdapter else params)


def test_unset_options_are_left_to_their_defaults():
    for adapter in (AirAdapter, AirbyteAdapter, CloudcixAdapter, CycleCloudAdapter):
        adapter.check_connection({})


@pytest.mark.parametrize("params,missing", [({"token": "t"}, "url"), ({"url": "https://nautobot.example.com"}, "token"),
                                            ({"url": "", "token": "t"}, "url")])
def test_a_missing_nautobot_url_or_token_names_the_option_and_its_variable(params, missing):
    with pytest.raises(ValueError) as info:
        NautobotAdapter.check_connection(params)
    assert str(info.value) == "%s is required: set the %s option or the NAUTOBOT_%s environment variable" % (
        missing, missing, missing.upper())
