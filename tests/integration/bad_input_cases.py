# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bad-input matrix of test_bad_input_matrix.py, generated from each module's documented
options (its DOCUMENTATION with the doc fragments it extends, read from the source files,
as ansible-doc resolves them) and from the argument spec it builds (for mutually exclusive
options the docs do not spell out).

Every case is one task with exactly one defect; the identifying and required options of
the module keep valid values (``BASE``). ``Case.expect`` lists groups of option names: the
failure message must name one option of each group.
"""

from __future__ import absolute_import, division, print_function

import ast
import glob
import importlib.util
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODULES = os.path.join(REPO, "plugins", "modules")
FRAGMENTS = os.path.join(REPO, "plugins", "doc_fragments")
PREFIX = "statecraft.infra."

PLATFORMS = ("air", "airbyte", "cloudcix", "cyclecloud", "nautobot")
# every platform names its URL option url (older names are aliases)
URL_OPTION = {"air": "url", "airbyte": "url", "cloudcix": "url", "cyclecloud": "url", "nautobot": "url"}
BAD_URLS = (("no-scheme", "no-scheme.example"), ("ftp-scheme", "ftp://host/x"), ("no-host", "http://"))

DOT_FILE = "bim-topology.dot"  # written to the play's files/ directory (air_topology file, topology_file)
DOT = 'graph "bim" {\n  "a" [os="generic/ubuntu2204"]\n  "b" [os="generic/ubuntu2204"]\n  "a":"eth1" -- "b":"eth1"\n}\n'

# Valid values for what every module needs (required and identifying options), so each case
# has exactly one defect: the option the case breaks.
BASE = {
    "air_node_cloud_init": {"simulation": "bim-sim", "node": "bim-node"},
    "air_organization": {"name": "bim-org"},
    "air_service": {"simulation": "bim-sim", "name": "bim-svc"},
    "air_simulation": {"title": "bim-sim"},
    "air_simulation_info": {},
    "air_ssh_key": {"name": "bim-key"},
    "air_topology": {"name": "bim-topo"},
    "air_user_config": {"name": "bim-uc", "kind": "cloud-init-user-data"},
    "airbyte_connection": {"workspace": "Default Workspace", "name": "bim-conn"},
    "airbyte_declarative_source": {"workspace": "Default Workspace", "name": "bim-decl"},
    "airbyte_destination": {"workspace": "Default Workspace", "name": "bim-dest"},
    "airbyte_destination_definition": {"workspace": "Default Workspace", "name": "bim-ddef"},
    "airbyte_info": {"resource": "workspaces"},
    "airbyte_job": {"workspace": "Default Workspace", "connection": "bim-conn"},
    "airbyte_oauth_override": {"name": "google-ads", "workspace": "Default Workspace",
                               "configuration": {"client_id": "bim-client"}},
    "airbyte_permission": {"user": "bim@example.com", "workspace": "Default Workspace"},
    "airbyte_source": {"workspace": "Default Workspace", "name": "bim-src"},
    "airbyte_source_definition": {"workspace": "Default Workspace", "name": "bim-sdef"},
    "airbyte_tag": {"workspace": "Default Workspace", "name": "bim-tag"},
    "airbyte_workspace": {"name": "bim-ws"},
    "cloudcix_backup": {"project": "bim-proj", "name": "bim-backup"},
    "cloudcix_firewall": {"project": "bim-proj"},
    "cloudcix_gpu": {"project": "bim-proj", "name": "bim-gpu"},
    "cloudcix_instance": {"project": "bim-proj", "name": "bim-vm"},
    "cloudcix_ip_group": {"name": "bim_office"},
    "cloudcix_network_router": {"project": "bim-proj"},
    "cloudcix_project": {"name": "bim-proj"},
    "cloudcix_resource": {"application": "compute", "service": "project", "pk": 1},
    "cloudcix_resource_info": {"application": "compute", "service": "project"},
    "cloudcix_snapshot": {"project": "bim-proj", "name": "bim-snap"},
    "cloudcix_snapshot_revert": {"project": "bim-proj", "name": "bim-snap"},
    "cloudcix_ssh_key": {"name": "bim-key"},
    "cloudcix_static_route": {"project": "bim-proj", "destination": "192.168.50.0/24"},
    "cloudcix_volume": {"project": "bim-proj", "name": "bim-vol"},
    "cloudcix_vpn": {"project": "bim-proj", "name": "bim-vpn"},
    "cyclecloud_cluster": {"name": "hpc"},
    "cyclecloud_cluster_info": {"name": "hpc"},
    "cyclecloud_node": {"cluster": "hpc", "names": ["execute-1"]},
    "cyclecloud_scale": {"cluster": "hpc", "node_array": "execute", "nodes": 2},
    "nautobot_bulk": {"kind": "tag", "objects": [{"name": "bim-bulk-tag"}]},
    "nautobot_cable": {"termination_a": {"device": "bim-dev-a", "interface": "eth0"},
                       "termination_b": {"device": "bim-dev-b", "interface": "eth0"}},
    "nautobot_cluster": {"name": "bim-cluster"},
    "nautobot_cluster_group": {"name": "bim-cluster-group"},
    "nautobot_cluster_type": {"name": "bim-cluster-type"},
    "nautobot_console_port": {"device": "bim-device", "name": "console"},
    "nautobot_contact": {"name": "bim-contact"},
    "nautobot_contact_association": {"contact": "bim-contact", "associated_object_type": "dcim.location",
                                     "associated_object": "bim-location", "role": "bim-role"},
    "nautobot_custom_field": {"key": "bim_field"},
    "nautobot_device": {"name": "bim-device"},
    "nautobot_device_type": {"model": "bim-model"},
    "nautobot_front_port": {"device": "bim-device", "name": "front1"},
    "nautobot_info": {"endpoint": "dcim/manufacturers"},
    "nautobot_interface": {"device": "bim-device", "name": "eth0"},
    "nautobot_ip_address": {"address": "192.0.2.1/24"},
    "nautobot_job": {"job": "bim-job"},
    "nautobot_location": {"name": "bim-location"},
    "nautobot_location_type": {"name": "bim-lt"},
    "nautobot_manufacturer": {"name": "bim-mfr"},
    "nautobot_namespace": {"name": "bim-namespace"},
    "nautobot_object": {"endpoint": "dcim/manufacturers", "identity": {"name": "bim-object"}},
    "nautobot_platform": {"name": "bim-platform"},
    "nautobot_power_port": {"device": "bim-device", "name": "psu1"},
    "nautobot_prefix": {"prefix": "192.0.2.0/24"},
    "nautobot_rack": {"name": "bim-rack"},
    "nautobot_rack_group": {"name": "bim-rack-group"},
    "nautobot_rear_port": {"device": "bim-device", "name": "rear1"},
    "nautobot_relationship": {"key": "bim_relationship"},
    "nautobot_role": {"name": "bim-role"},
    "nautobot_route_target": {"name": "65000:1"},
    "nautobot_status": {"name": "bim-status"},
    "nautobot_tag": {"name": "bim-tag"},
    "nautobot_team": {"name": "bim-team"},
    "nautobot_tenant": {"name": "bim-tenant"},
    "nautobot_tenant_group": {"name": "bim-tenant-group"},
    "nautobot_virtual_chassis": {"name": "bim-vc"},
    "nautobot_virtual_machine": {"name": "bim-vm"},
    "nautobot_vlan": {"vid": 100},
    "nautobot_vlan_group": {"name": "bim-vlan-group"},
    "nautobot_vm_interface": {"virtual_machine": "bim-vm", "name": "eth0"},
    "nautobot_vrf": {"name": "bim-vrf"},
}

# The module each platform's connection-level cases (URL, retries, timeout, ...) run in
REPRESENTATIVE = {"air": "air_ssh_key", "airbyte": "airbyte_workspace", "cloudcix": "cloudcix_project",
                  "cyclecloud": "cyclecloud_cluster_info", "nautobot": "nautobot_tag"}

# Two ways to authenticate given at once ("exactly one of the ways", the connection docs)
AUTH_BOTH = {"air": {"token": "bim-bearer-token"}, "airbyte": {"token": "bim-bearer-token"},
             "cloudcix": {"token": "bim-api-token"}}

# Valid values of options that go into a mutually exclusive pair
SAMPLES = {
    ("air_simulation", "topology"): "bim-topo",
    ("air_simulation", "topology_content"): DOT,
    ("air_simulation", "topology_file"): DOT_FILE,
    ("air_topology", "content"): DOT,
    ("air_topology", "file"): DOT_FILE,
    ("cloudcix_resource", "pk"): 1,
    ("cloudcix_resource", "search"): {"name": "bim-proj"},
    ("cyclecloud_scale", "nodes"): 2,
    ("cyclecloud_scale", "cores"): 8,
}
SAMPLE_BY_NAME = {"workspace": "Default Workspace", "organization": "Default Organization"}
SAMPLE_BY_TYPE = {"str": "bim-x", "raw": "bim-x", "int": 1, "float": 1.5, "bool": True, "list": ["bim-x"],
                  "dict": {"k": "v"}, "path": "bim-x"}

# An action plugin reads a file option into the content option on the controller: a message
# may name either
ALIASES = {"topology_file": ("topology_file", "topology_content"),
           "topology_content": ("topology_content", "topology_file"),
           "file": ("file", "content"), "content": ("content", "file")}

# Values of the wrong type: none of them converts (Ansible turns a string into a one-item
# list and "a=b" into a dict, so strings are not wrong for those)
WRONG_TYPE = {"int": "not-a-number", "bool": "not-a-boolean", "list": {"not": "a list"}, "dict": ["not", "a dict"]}

# Rules the docs (or the issue 14 contract) state beyond the argument spec, checked before any request:
# (id suffix, module, options, option names one of which the message must name)
RULES = [
    # one bad object of many fails the bulk task before any request, naming it and its option
    ("nautobot", "rule-nautobot_bulk-object-bad-choice", "nautobot_bulk",
     {"kind": "device", "objects": [{"name": "bim-ok"}, {"name": "bim-bad", "face": "sideways"}]}, ("face",)),
    ("nautobot", "rule-nautobot_bulk-object-unknown-option", "nautobot_bulk",
     {"kind": "tag", "objects": [{"name": "bim-a"}, {"name": "bim-b", "colour": "ff0000"}]}, ("colour",)),
    ("nautobot", "rule-nautobot_bulk-object-named-twice", "nautobot_bulk",
     {"kind": "tag", "objects": [{"name": "bim-twice"}, {"name": "bim-twice"}]}, ("objects",)),
    ("nautobot", "rule-nautobot_bulk-object-blank-name", "nautobot_bulk",
     {"kind": "tag", "objects": [{"name": "bim-c"}, {"name": "  "}]}, ("name",)),
    ("nautobot", "rule-nautobot_bulk-batch_size-zero", "nautobot_bulk", {"batch_size": 0}, ("batch_size",)),
    ("air", "rule-air_topology-content-not-dot", "air_topology", {"content": "this is not a topology {"},
     ("content",)),
    ("air", "rule-air_simulation-topology_content-not-dot", "air_simulation",
     {"topology_content": "this is not a topology {"}, ("topology_content",)),
    ("airbyte", "rule-airbyte_tag-name-31-chars", "airbyte_tag", {"name": "t" * 31}, ("name",)),
    ("airbyte", "rule-airbyte_connection-schedule-not-cron", "airbyte_connection", {"schedule": "every day at two"},
     ("schedule",)),
    ("cloudcix", "rule-cloudcix_ip_group-name-pattern", "cloudcix_ip_group", {"name": "1-office"}, ("name",)),
    ("cloudcix", "rule-cloudcix_ip_group-name-51-chars", "cloudcix_ip_group", {"name": "g" * 51}, ("name",)),
    ("cloudcix", "rule-cloudcix_ip_group-ipv6-cidr-version-4", "cloudcix_ip_group",
     {"cidrs": ["2001:db8::/64"], "version": 4}, ("cidrs", "version")),
    ("cloudcix", "rule-cloudcix_project-name-101-chars", "cloudcix_project", {"name": "p" * 101}, ("name",)),
    ("cloudcix", "rule-cloudcix_ssh_key-name-51-chars", "cloudcix_ssh_key", {"name": "k" * 51}, ("name",)),
    ("cloudcix", "rule-cloudcix_static_route-destination-not-cidr", "cloudcix_static_route",
     {"destination": "192.168.50.0/33"}, ("destination",)),
    ("cloudcix", "rule-cloudcix_static_route-nexthop-not-address", "cloudcix_static_route",
     {"nexthop": "10.0.1.300"}, ("nexthop",)),
]


class Case(object):
    def __init__(self, cid, platform, module, args, expect, kind, check_mode=False):
        self.id = cid
        self.platform = platform
        self.module = module
        self.args = args
        self.expect = [tuple(group) for group in expect]
        self.kind = kind
        self.check_mode = check_mode

    def __repr__(self):
        return "Case(%s)" % self.id


# -- the documented options ----------------------------------------------------------------
def _string_assignments(path, names=None):
    """Top-level (and class-level) NAME = "..." string assignments of a Python file."""
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and (names is None or target.id in names):
                    found[target.id] = node.value.value
    return found


def _fragment_options(reference):
    """Options of a doc fragment reference, ``statecraft.infra.air`` or ``statecraft.infra.air.wait``.
    The fragment file is imported, as Ansible reads it: its texts may be built from shared parts."""
    parts = reference[len(PREFIX):].split(".")
    attribute = parts[1].upper() if len(parts) > 1 else "DOCUMENTATION"
    spec = importlib.util.spec_from_file_location("doc_fragment_" + parts[0], os.path.join(FRAGMENTS, parts[0] + ".py"))
    fragment = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fragment)
    return (yaml.safe_load(getattr(fragment.ModuleDocFragment, attribute)) or {}).get("options") or {}


def module_docs(name):
    """(options, origin): the module's options with its fragments' (module's own win), and
    for each option where it is documented (the module's name or the fragment reference)."""
    doc = yaml.safe_load(_string_assignments(os.path.join(MODULES, name + ".py"), ["DOCUMENTATION"])["DOCUMENTATION"])
    options, origin = {}, {}
    for reference in doc.get("extends_documentation_fragment") or []:
        for option, spec in _fragment_options(reference).items():
            options[option] = spec
            origin[option] = reference
    for option, spec in (doc.get("options") or {}).items():
        options[option] = spec
        origin[option] = name
    return options, origin


def module_names():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(MODULES, "*.py"))
                  if not os.path.basename(p).startswith("_"))


# -- what the argument spec declares -------------------------------------------------------
def _collection_importable():
    try:
        import ansible_collections.statecraft.infra.plugins.module_utils._module  # noqa: F401
        return True
    except ImportError:
        pass
    for root in (os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS")
                 or "/tmp/sc-coll").split(os.pathsep):
        if os.path.isdir(os.path.join(root, "ansible_collections", "statecraft", "infra")) and root not in sys.path:
            sys.path.insert(0, root)
    try:
        import ansible_collections.statecraft.infra.plugins.module_utils._module  # noqa: F401,F811
        return True
    except ImportError:
        return False


class _Captured(Exception):
    pass


def module_kwargs(name):
    """What the module passes to AnsibleModule (argument_spec, mutually_exclusive, ...), by
    running its main() with AnsibleModule replaced; None if the collection cannot be imported."""
    if not _collection_importable():
        return None
    import importlib

    from ansible_collections.statecraft.infra.plugins.module_utils import _module

    def capture(**kwargs):
        raise _Captured(kwargs)

    real = _module.AnsibleModule
    _module.AnsibleModule = capture
    try:
        importlib.import_module("ansible_collections.statecraft.infra.plugins.modules." + name).main()
    except _Captured as captured:
        return captured.args[0]
    except Exception:  # a module in the middle of an edit: fall back to the docs
        return None
    finally:
        _module.AnsibleModule = real
    return None


_OPTION_REF = re.compile(r"O\(([a-z_]+)(?:=[^)]*)?\)")


def exclusive_groups(name, options):
    """Groups of mutually exclusive options: the spec's ``mutually_exclusive`` and the docs'
    "Mutually exclusive with O(x)" / "Exactly one of O(a) and O(b)" on an option."""
    groups = []
    kwargs = module_kwargs(name) or {}
    for group in kwargs.get("mutually_exclusive") or []:
        groups.append(tuple(group))
    for option, spec in options.items():
        for line in spec.get("description") or []:
            match = re.search(r"(Mutually exclusive with|Exactly one of) (.*)", line)
            if match:
                named = _OPTION_REF.findall(match.group(2))
                group = tuple(named) if option in named else (option,) + tuple(named)
                if len(group) > 1:
                    groups.append(group)
    return groups


def _pairs(groups):
    seen = []
    for group in groups:
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                pair = tuple(sorted((first, second)))
                if pair not in seen:
                    seen.append(pair)
    return seen


def _sample(module, option, spec):
    if (module, option) in SAMPLES:
        return SAMPLES[(module, option)]
    if option in SAMPLE_BY_NAME:
        return SAMPLE_BY_NAME[option]
    return SAMPLE_BY_TYPE[spec.get("type", "str")]


def _identifying(option, spec):
    """name/title that finds the object though not required (required on create, or unless an id is given)."""
    text = " ".join(spec.get("description") or [])
    return option in ("name", "title") and ("Required unless" in text or "Required to create" in text)


# -- the matrix ------------------------------------------------------------------------------
def generate():
    """Every case, in a stable order; ids start with the platform."""
    cases = []
    seen_shared = set()  # (platform, kind, option, fragment): a fragment's option is tested once per platform

    def add(platform, module, suffix, args, expect, kind):
        merged = dict(BASE[module])
        merged.update(args)
        cases.append(Case("%s-%s" % (platform, suffix), platform, module, merged, expect, kind))

    names = module_names()
    documented = dict((name, module_docs(name)) for name in names)
    tested = {}  # (platform, option) -> how many modules test a wrong type for it

    def connection_option(platform, origin):
        return origin == PREFIX + platform

    for name in names:
        platform = name.split("_", 1)[0]
        if name not in BASE:
            raise AssertionError("new module %s: give it valid required options in BASE" % name)
        options, origin = documented[name]
        # a fragment's option is tested once per platform (first module that has it); an
        # empty identifying value in every module (each module finds its object itself),
        # except the connection options (one connection check per platform)
        for option, spec in sorted(options.items()):
            kind_type = spec.get("type", "str")
            shared = origin[option] != name
            for kind in ("type", "choice", "empty"):
                if kind == "type" and kind_type not in WRONG_TYPE:
                    continue
                if kind == "choice" and "choices" not in spec:
                    continue
                if kind == "empty" and not (kind_type == "str" and "choices" not in spec
                                            and (spec.get("required") or _identifying(option, spec))):
                    continue
                key = (platform, kind, option, origin[option])
                once = shared and (kind != "empty" or connection_option(platform, origin[option]))
                if once and key in seen_shared:
                    continue
                seen_shared.add(key)
                if kind == "type":
                    tested[(platform, option)] = tested.get((platform, option), 0) + 1
                    add(platform, name, "%s-%s-wrong-type-%s" % (name, option, kind_type),
                        {option: WRONG_TYPE[kind_type]}, [(option,)], "wrong type")
                elif kind == "choice":
                    bad = 99 if all(isinstance(c, int) for c in spec["choices"]) else "not-a-choice"
                    add(platform, name, "%s-%s-bad-choice" % (name, option), {option: bad}, [(option,)], "bad choice")
                else:
                    add(platform, name, "%s-%s-empty" % (name, option), {option: ""}, [(option,)], "empty string")
        # every module gets at least one wrong type: when all its int/bool/list/dict options
        # come from fragments tested in another module, the least tested of them (a type
        # check is AnsibleModule's, the same for every option: one per fragment option and
        # platform, plus this one, keeps the run short)
        typed = [o for o, s in options.items() if s.get("type", "str") in WRONG_TYPE]
        if typed and not any(c.module == name and c.kind == "wrong type" for c in cases):
            option = min(typed, key=lambda o: (tested.get((platform, o), 0), o))
            tested[(platform, option)] = tested.get((platform, option), 0) + 1
            kind_type = options[option].get("type", "str")
            add(platform, name, "%s-%s-wrong-type-%s" % (name, option, kind_type),
                {option: WRONG_TYPE[kind_type]}, [(option,)], "wrong type")
        for first, second in _pairs(exclusive_groups(name, options)):
            add(platform, name, "%s-%s-with-%s" % (name, first, second),
                {first: _sample(name, first, options[first]), second: _sample(name, second, options[second])},
                [ALIASES.get(first, (first,)), ALIASES.get(second, (second,))], "mutually exclusive")

    for platform in PLATFORMS:
        module = REPRESENTATIVE[platform]
        url = URL_OPTION[platform]
        for label, value in BAD_URLS:
            add(platform, module, "%s-%s" % (url, label), {url: value}, [(url,)], "malformed URL")
        add(platform, module, "retries-negative", {"retries": -5}, [("retries",)], "retries < 0")
        add(platform, module, "timeout-zero", {"timeout": 0}, [("timeout",)], "timeout <= 0")
        identity = "model" if module == "nautobot_device_type" else "name"
        add(platform, module, "%s-whitespace-only" % identity, {identity: "   "}, [(identity,)], "whitespace-only")
        if platform in AUTH_BOTH:
            (option, _value), = AUTH_BOTH[platform].items()
            add(platform, module, "two-auth-ways", AUTH_BOTH[platform], [(option,)], "two ways to authenticate")
    for platform, suffix, module, args, names in RULES:
        add(platform, module, suffix, args, [names], "platform rule")

    ids = [case.id for case in cases]
    duplicates = sorted(set(i for i in ids if ids.count(i) > 1))
    assert not duplicates, duplicates
    return cases


def base_cases():
    """Each module with its BASE options alone, in check mode: valid input, so it must get
    past the module's own checks and reach the server (BASE has no defect of its own)."""
    return [Case("base-%s" % name, name.split("_", 1)[0], name, dict(BASE[name]), [], "base", check_mode=True)
            for name in module_names()]


# -- the play ---------------------------------------------------------------------------------
MARK = "/__bim_mark__/"


def _yaml_value(value):
    return json.dumps(value)  # JSON is YAML


def render_play(cases, group, connection, mark_url):
    """One play: a marker before each case (a controller-side GET of ``mark_url + case id``,
    which the server logs), then the case's task, errors ignored; a last marker at the end."""
    lines = ["- hosts: localhost", "  gather_facts: false", "  module_defaults:",
             "    group/statecraft.infra.%s:" % group]
    lines += ["      %s: %s" % (k, _yaml_value(v)) for k, v in connection.items()]
    lines.append("  tasks:")

    def marker(label):
        lines.extend([
            "    - name: mark %s" % label,
            "      ansible.builtin.debug:",
            "        msg: \"{{ lookup('ansible.builtin.url', %s, use_proxy=false, split_lines=false) }}\""
            % _yaml_value(mark_url + label).replace('"', "'"),
        ])

    for case in cases:
        marker(case.id)
        lines.append("    - name: %s" % case.id)
        lines.append("      %s%s:" % (PREFIX, case.module))
        lines.extend("        %s: %s" % (k, _yaml_value(v)) for k, v in case.args.items())
        if case.check_mode:
            lines.append("      check_mode: true")
        lines.append("      ignore_errors: true")
    marker("__end__")
    return "\n".join(lines) + "\n"


def split_by_marker(entries, path_of):
    """Requests between markers: {case id: [entries]} (the markers themselves left out);
    ``path_of(entry)`` gives an entry's path. Requests before the first marker go under None."""
    slices = {None: []}
    current = None
    for entry in entries:
        path = path_of(entry).split("?", 1)[0]
        if path.startswith(MARK):
            current = path[len(MARK):]
            slices.setdefault(current, [])
            continue
        slices.setdefault(current, []).append(entry)
    return slices
