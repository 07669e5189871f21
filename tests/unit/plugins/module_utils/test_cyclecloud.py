# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CycleCloud's connection sources (options, the CLI's config file and its encoded key),
the node filter, the "already there" rules, and how a cluster template and its parameters
are read and compared, without a server."""

from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._classad import compile_filter
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud import (
    connection_from_params,
    p3_decode,
    read_config_file,
)
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_cluster import same_value, template_source
from ansible_collections.statecraft.infra.plugins.module_utils._cyclecloud_tasks import reached, select_nodes
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError

# encoded by an independent encoder and decoded back by the vendor's 8.1.0 decoder
# (cyclecloud.md 1.2), so a home-made encoder and decoder cannot agree on a wrong format
P3_VECTORS = [
    ("000102030405060708090a0b0c0d0e0fe9b4d7df8065353421fdf097fd4c", "s3cret"),
    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae7c1d4965e0b4725c007aaf96bf034859b6c6d48ab1c9a", "Adm1n-pass!word"),
]
NODES = [
    {"Name": "scheduler", "NodeId": "n1", "Template": "scheduler", "Status": "Ready", "TargetState": "Started",
     "Hostname": "ip-0A000104", "PrivateIp": "10.0.1.4", "Fixed": True, "Configuration": {"slurm": {"role": "scheduler"}}},
    {"Name": "execute-1", "NodeId": "n2", "Template": "execute", "Status": "Failed", "TargetState": "Started",
     "Hostname": "ip-0A000105", "PrivateIp": "10.0.1.5", "CoreCount": 4},
    {"Name": "execute-2", "NodeId": "n3", "Template": "execute", "Status": "Ready", "TargetState": "Started",
     "Hostname": "ip-0A000106", "PrivateIp": "10.0.1.6", "CoreCount": 8},
]


def params(**given):
    base = dict(url=None, username=None, password=None, timeout=None, validate_certs=None, config_file=None)
    base.update(given)
    return base


@pytest.mark.parametrize("key,plain", P3_VECTORS)
def test_p3_key_decodes_to_the_password(key, plain):
    assert p3_decode(key) == plain


@pytest.mark.parametrize("key,problem", [
    ("zz", "not hexadecimal"),
    ("00" * 10, "too short"),
    (P3_VECTORS[0][0][:-2] + "00", "does not decode"),
])
def test_a_bad_key_is_named(key, problem):
    with pytest.raises(ModuleError, match="config_file: .*" + problem):
        p3_decode(key)


def write(tmp_path, text):
    path = tmp_path / "config.ini"
    path.write_text(text)
    return str(path)


def test_config_file_merges_cyclecloud_over_cycleserver_and_decodes_key(tmp_path):
    path = write(tmp_path, "[CycleServer]\nurl = https://cc.example\nusername = admin\nkey = %s\n"
                           "verify_certificates = false\nauth_option = username_password\n"
                           "[cyclecloud]\nusername = operator\n" % P3_VECTORS[1][0])
    saved = read_config_file(path)
    assert (saved["url"], saved["username"], saved["password"]) == ("https://cc.example", "operator", "Adm1n-pass!word")


def test_password_wins_over_key(tmp_path):
    path = write(tmp_path, "[cycleserver]\nurl = u\nusername = a\npassword = plain\nkey = not-even-hex\n")
    assert read_config_file(path)["password"] == "plain"


def test_options_win_and_the_file_is_not_read(tmp_path):
    connection = connection_from_params(params(url="https://x", username="u", password="p",
                                               config_file=str(tmp_path / "missing.ini")))
    assert (connection["url"], connection["username"], connection["password"]) == ("https://x", "u", "p")


def test_file_used_when_no_connection_option_is_set(tmp_path):
    path = write(tmp_path, "[cycleserver]\nurl = https://cc\nusername = admin\npassword = pw\n"
                           "verify_certificates = False\ntimeout = 12\n")
    connection = connection_from_params(params(config_file=path))
    assert connection == {"url": "https://cc", "username": "admin", "password": "pw", "timeout": 12.0,
                          "validate_certs": False}
    # options given explicitly still win over the file's settings
    assert connection_from_params(params(config_file=path, validate_certs=True, timeout=3))["validate_certs"] is True


def test_partial_options_name_what_is_missing(tmp_path):
    with pytest.raises(ModuleError, match="missing connection option.*password"):
        connection_from_params(params(url="https://x", username="u"))


@pytest.mark.parametrize("text,problem", [
    (None, "cannot read"),
    ("[other]\nurl = x\n", "no \\[cycleserver\\] section"),
    ("[cycleserver]\nurl = x\n", "has no username, password"),
    ("not an ini", "not an ini file"),
])
def test_config_file_problems(tmp_path, text, problem):
    path = write(tmp_path, text) if text is not None else str(tmp_path / "nope.ini")
    with pytest.raises(ModuleError, match="config_file: .*" + problem):
        connection_from_params(params(config_file=path))


@pytest.mark.parametrize("expression,names", [
    ('Status == "failed"', ["execute-1"]),            # == ignores case
    ('Status === "failed"', []),                      # === does not
    ('Template == "execute" && CoreCount >= 8', ["execute-2"]),
    ('!(Template == "execute") || Status =!= "Ready"', ["scheduler", "execute-1"]),
    ('NodeId in {"n1", "n3"}', ["scheduler", "execute-2"]),
    ('Fixed', ["scheduler"]),
    ('Fixed =?= undefined', ["execute-1", "execute-2"]),
    ('configuration.slurm.role == "scheduler"', ["scheduler"]),
    ('KeepAlive == true', []),                        # undefined is never true
])
def test_filter_subset(expression, names):
    matches = compile_filter(expression)
    assert [n["Name"] for n in NODES if matches(n)] == names


@pytest.mark.parametrize("expression", ['Status ==', 'Status == "x" &&', '(Status == "x"', 'Status ~ 1', 'a in {b}'])
def test_bad_filter_is_named(expression):
    with pytest.raises(ModuleError, match="^filter: "):
        compile_filter(expression)


def test_selectors_are_a_union_and_unmatched_ones_are_reported():
    chosen, unmatched = select_nodes(NODES, {"names": ["execute-1", "ghost"], "ids": ["n1"], "hostnames": None,
                                             "ip_addresses": ["10.0.1.6"], "filter": 'Name == "execute-1"'})
    assert sorted(n["Name"] for n in chosen) == ["execute-1", "execute-2", "scheduler"]
    assert unmatched == [("names", "ghost")]


@pytest.mark.parametrize("node,state,done", [
    ({"Status": "Allocation", "TargetState": "Started"}, "started", True),
    ({"Status": "Failed", "TargetState": "Started"}, "started", False),
    ({"Status": "Off", "TargetState": "Terminated"}, "started", False),
    ({"Status": "Terminating", "TargetState": "Terminated"}, "terminated", True),
    ({"Status": "Off", "TargetState": "Off"}, "terminated", True),
    ({"Status": "Ready", "TargetState": "Started"}, "deallocated", False),
    ({"Status": "Deallocated", "TargetState": "Deallocated"}, "shut_down", True),
    ({"Status": "Off", "TargetState": "Terminated"}, "removed", False),
    ({"Status": "Ready", "TargetState": "Started"}, "restarted", False),   # an action: sent on every run
    ({"Status": "Restarting", "TargetState": "Started"}, "restarted", True),
    ({"Status": "Reimaging", "TargetState": "Started"}, "reimaged", True),
])
def test_already_there(node, state, done):
    assert reached(node, state) is done


@pytest.mark.parametrize("current, wanted, same", [
    ("Standard_F4s_v2, Standard_F8s_v2", ["Standard_F4s_v2", "Standard_F8s_v2"], True),   # a multi-select as text
    ("Standard_F4s_v2, Standard_F8s_v2", ["Standard_F8s_v2", "Standard_F4s_v2"], False),   # order is the user's
    ("8", 8, True),
    (8, 9, False),
    ("True", True, True),
    (None, 0, False),
    (None, None, True),
    ({"a": 1}, {"a": 1}, True),
    ({"a": 1}, "{'a': 1}", False),
])
def test_parameters_compare_as_cyclecloud_keeps_them(current, wanted, same):
    assert same_value(current, wanted) is same


TEMPLATE = "[cluster one]\n  [[node scheduler]]\n  MachineType = $M\n[cluster two]\n[parameters p]\n"


@pytest.mark.parametrize("given, found", [
    ({}, None),
    ({"template": "slurm"}, ("slurm", None)),   # stored in CycleCloud
    ({"template_text": TEMPLATE, "template": "two"}, ("two", TEMPLATE)),
    ({"template_text": "[cluster only]\n"}, ("only", "[cluster only]\n")),
])
def test_template_source(given, found):
    assert template_source(given) == found


@pytest.mark.parametrize("given, problem", [
    ({"template_text": TEMPLATE}, "template: the template defines the clusters one, two: name the one to import"),
    ({"template_text": TEMPLATE, "template": "three"}, "template: the template defines one, two, not 'three'"),
    ({"template_text": "[parameters p]\n"}, "template_file/template_text: the template has no [cluster NAME] section"),
])
def test_template_problems_are_named(given, problem):
    with pytest.raises(ModuleError) as caught:
        template_source(given)
    assert str(caught.value) == problem
