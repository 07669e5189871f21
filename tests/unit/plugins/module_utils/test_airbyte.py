# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Airbyte's ways in, its error bodies and the key-by-key configuration comparison, without a server."""

from __future__ import absolute_import, division, print_function

import re

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._airbyte import (
    SECRET_MASK,
    AirbyteAdapter,
    api_stream,
    auth_from_params,
    canonical_allocation,
    canonical_streams,
    mask_secrets,
)
from ansible_collections.statecraft.infra.plugins.module_utils._airbyte_resources import check_streams_given, same_streams
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Basic, Bearer, TokenExchange
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, deep_delta, deep_merge, deep_subset
from ansible_collections.statecraft.infra.plugins.module_utils._http import MASK

STORED = {"host": "db", "port": 5432, "password": SECRET_MASK,
          "tunnel_method": {"tunnel_method": "SSH_PASSWORD_AUTH", "tunnel_host": "bastion", "tunnel_user_password": SECRET_MASK},
          "schemas": ["public"]}


def params(**given):
    base = dict(client_id=None, client_secret=None, token=None, username=None, password=None, token_url=None)
    base.update(given)
    return base


@pytest.mark.parametrize("given,kind", [
    ({"client_id": "i", "client_secret": "s"}, TokenExchange),
    ({"token": "t"}, Bearer),
    ({"username": "airbyte", "password": "password"}, Basic),
])
def test_one_way_in(given, kind):
    assert isinstance(auth_from_params(params(**given), "https://h/api/public/v1"), kind)


@pytest.mark.parametrize("given,message", [
    ({}, "none was given"),
    ({"client_id": "i", "client_secret": "s", "token": "t"}, "got client_id \\+ client_secret and token"),
    ({"client_id": "i"}, "client_id \\+ client_secret: client_secret is missing"),
    ({"password": "p"}, "username \\+ password: username is missing"),
])
def test_ways_in_checked_before_any_request(given, message):
    with pytest.raises(ModuleError, match=message):
        auth_from_params(params(**given), "https://h/v1")


def test_the_token_url_keeps_the_base_path():
    recorded = []

    class Client(object):
        def request(self, method, url, **kwargs):
            recorded.append((method, url, kwargs["data"]))
            return {"access_token": "tok", "token_type": "Bearer", "expires_in": 900}

    auth = auth_from_params(params(client_id="i", client_secret="s"), "http://h:8000/api/public/v1")
    assert auth.fetch(Client()) == ("tok", 900)
    assert recorded == [("POST", "http://h:8000/api/public/v1/applications/token",
                         {"grant_type": "client_credentials", "client_id": "i", "client_secret": "s"})]


def test_deep_delta_compares_only_what_is_given_and_never_a_masked_secret():
    masks = AirbyteAdapter.masks
    assert deep_delta(STORED, {"host": "db", "password": "new", "tunnel_method": {"tunnel_user_password": "x"}}, masks) == {}
    assert deep_delta(STORED, {"port": 5433, "tunnel_method": {"tunnel_host": "jump"}}, masks) == {
        "port": 5433, "tunnel_method": {"tunnel_host": "jump"}}
    assert deep_delta(STORED, {"schemas": ["public", "sales"]}, masks) == {"schemas": ["public", "sales"]}
    assert deep_delta(STORED, {"ssl_mode": {"mode": "require"}}, masks) == {"ssl_mode": {"mode": "require"}}


def test_deep_merge_and_subset():
    merged = deep_merge(STORED, {"tunnel_method": {"tunnel_host": "jump"}})
    assert merged["tunnel_method"] == dict(STORED["tunnel_method"], tunnel_host="jump") and merged["port"] == 5432
    assert deep_subset(merged, {"tunnel_method": {"tunnel_host": 1}, "port": 1}) == {"tunnel_method": {"tunnel_host": "jump"}, "port": 5432}


def test_output_masks_secret_looking_keys():
    shown = mask_secrets({"password": "p", "api_key": "k", "host": "h", "credentials": {"client_secret": "c"}, "token": SECRET_MASK})
    assert shown == {"password": MASK, "api_key": MASK, "host": "h", "credentials": {"client_secret": MASK}, "token": SECRET_MASK}


def test_resource_allocation_in_one_form():
    given = {"default": {"cpu_request": 0.5}, "job_specific": [
        {"job_type": "sync", "resource_requirements": {"cpu_limit": "2"}},
        {"jobType": "check_connection", "resourceRequirements": {"memory_limit": "1Gi"}}]}
    shown = {"default": {"cpu_request": "0.5"}, "jobSpecific": [
        {"jobType": "check_connection", "resourceRequirements": {"memory_limit": "1Gi"}},
        {"jobType": "sync", "resourceRequirements": {"cpu_limit": "2"}}]}
    assert canonical_allocation(given) == canonical_allocation(shown) == shown


@pytest.mark.parametrize("given,message", [
    ({"defaults": {}}, "unknown key(s) defaults"),
    ({"default": {"cpu": "1"}}, "default: unknown key(s) cpu"),
    ({"job_specific": [{"job_type": "nap"}]}, "job_type 'nap' is not one of"),
])
def test_resource_allocation_refused_before_any_request(given, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        canonical_allocation(given)


AES = {"type": "encryption",
       "mapper_configuration": {"algorithm": "AES", "key": "k-123456", "mode": "GCM", "padding": "NoPadding",
                                "targetField": "e", "fieldNameSuffix": "_e"}}
HASH = {"type": "hashing", "mapper_configuration": {"targetField": "email", "method": "SHA-256", "fieldNameSuffix": "_h"}}


def test_stream_mappers_compare_in_order_without_ids_or_keys():
    want = canonical_streams([{"name": "users", "mappers": [HASH, AES], "include_files": False}])
    stored = {"streams": [{"name": "users", "syncMode": "full_refresh_overwrite", "includeFiles": False, "mappers": [
        {"id": "3e1f", "type": "hashing", "mapperConfiguration": HASH["mapper_configuration"]},
        {"id": "9a2b", "type": "encryption", "mapperConfiguration": dict(AES["mapper_configuration"], key=SECRET_MASK)}]}]}
    assert same_streams(canonical_streams(stored), want)
    assert not same_streams(canonical_streams(stored), canonical_streams([{"name": "users", "mappers": [AES, HASH]}]))
    assert not same_streams(canonical_streams(stored), canonical_streams([{"name": "users", "include_files": True}]))
    wire = api_stream({"name": "users", "mappers": [AES], "destination_object_name": "people"})
    assert wire == {"name": "users", "destinationObjectName": "people", "mappers": [
        {"type": "encryption", "mapperConfiguration": AES["mapper_configuration"]}]}   # the key is sent
    assert AirbyteAdapter.option_secrets({"streams": [{"name": "users", "mappers": [HASH, AES]}]}) == ["k-123456"]


@pytest.mark.parametrize("mapper,message", [
    ({"type": "hash"}, "mapper type 'hash' is not one of"),
    ({"type": "hashing", "mapper_configuration": {"targetField": "e", "fieldNameSuffix": "_h"}}, "needs method"),
    ({"type": "hashing", "mapper_configuration": dict(HASH["mapper_configuration"], method="SHA-3")}, "method 'SHA-3'"),
    ({"type": "encryption", "mapper_configuration": {"algorithm": "RSA", "targetField": "e", "fieldNameSuffix": "_e"}},
     "needs publicKey"),
])
def test_stream_mappers_refused_before_any_request(mapper, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_streams_given([{"name": "users", "mappers": [mapper]}])
