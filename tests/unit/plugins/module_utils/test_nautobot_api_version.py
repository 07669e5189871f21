# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API version a Nautobot task pins in its Accept header, as the server receives it."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._nautobot import (
    DEFAULT_API_VERSION,
    NautobotAdapter,
    connection_argspec,
)

TOKEN = "0123456789abcdef0123456789abcdef01234567"


def accept_sent(server, **params):
    server.add("GET", "/api/status/", (200, {"nautobot-version": "2.4.44"}))
    adapter = NautobotAdapter.from_params(dict({"url": server.url, "token": TOKEN, "retries": 0}, **params))
    adapter.client.request("GET", "status/")
    return server.seen("GET", "/api/status/")[-1].headers.get("Accept")


def test_default_is_2_4_which_nautobot_2_4_and_3_x_both_accept(http_server):
    assert DEFAULT_API_VERSION == "2.4"
    assert accept_sent(http_server) == "application/json; version=2.4"
    assert len(http_server.requests) == 1  # no request spent on finding the server's version


@pytest.mark.parametrize("version", ["3.0", "3.2", "2.2"])
def test_api_version_overrides_the_default(http_server, version):
    assert accept_sent(http_server, api_version=version) == "application/json; version=%s" % version


def test_api_version_falls_back_to_the_environment(monkeypatch):
    monkeypatch.setenv("NAUTOBOT_API_VERSION", "3.1")
    fallback = connection_argspec()["api_version"]["fallback"]
    assert fallback[0](*fallback[1]) == "3.1"
