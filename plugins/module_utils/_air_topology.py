# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Air topologies in one comparable form, from a DOT or JSON file and from the API.

The form: ``{"nodes": {name: {os, cpu, memory, storage}}, "links": ["a:swp1 -- b:swp1"]}``
with each link's ends sorted and the list sorted. Only the node attributes Air returns
are compared (an attribute the file leaves out takes Air's default and is not compared);
the out-of-band management nodes Air adds on its own are ignored unless the file names them.
"""

from __future__ import absolute_import, division, print_function

import json
import re

NODE_ATTRIBUTES = ("os", "cpu", "memory", "storage")
OOB_NODES = ("oob-mgmt-server", "oob-mgmt-switch")
EXIT = "exit"  # a JSON link end: the interface is outbound (air.md 8.5)
_TOKEN = re.compile(r'\s+|//[^\n]*|#[^\n]*|/\*.*?\*/|"((?:[^"\\]|\\.)*)"|(--|->|[\[\]{}=:;,])|([^\s\[\]{}=:;,"]+)',
                    re.S)


def _tokens(text):
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError("cannot read the DOT text near %r" % text[pos:pos + 20])
        pos = match.end()
        quoted, symbol, word = match.groups()
        if quoted is not None:
            yield ("id", quoted.replace('\\"', '"'))
        elif symbol is not None:
            yield (symbol, symbol)
        elif word is not None:
            yield ("id", word)


def parse_dot(text):
    """The DOT subset Air documents: node statements with attributes and port-to-port edges."""
    tokens = list(_tokens(text))
    pos = 0

    def take(kind=None):
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("the DOT text ends early")
        token = tokens[pos]
        if kind is not None and token[0] != kind:
            raise ValueError("expected %s in the DOT text, found %r" % (kind, token[1]))
        pos += 1
        return token[1]

    def peek():
        if pos >= len(tokens):
            raise ValueError("the DOT text ends early (a } is missing)")
        return tokens[pos][0]

    header = []
    while pos < len(tokens) and tokens[pos] != ("{", "{"):
        header.append(tokens[pos][1].lower())
        pos += 1
    if not header or header[0] not in ("graph", "digraph", "strict"):
        raise ValueError("DOT text starts with graph \"<name>\" { (found %r)" % " ".join(header[:3]))
    take("{")
    nodes, links = {}, []

    def attributes():
        found = {}
        if pos < len(tokens) and tokens[pos][0] == "[":
            take("[")
            while peek() != "]":
                key = take("id")
                take("=")
                found[key] = take("id")
                if peek() in (",", ";"):
                    take()
            take("]")
        return found

    def endpoint():
        node = take("id")
        port = None
        if pos < len(tokens) and tokens[pos][0] == ":":
            take(":")
            port = take("id")
        return node, port

    while peek() != "}":
        if peek() == ";":
            take()
            continue
        first = endpoint()
        if pos < len(tokens) and tokens[pos][0] in ("--", "->"):
            take()
            second = endpoint()
            attributes()
            links.append((first, second))
            for node, _port in (first, second):
                nodes.setdefault(node, {})
        elif pos < len(tokens) and tokens[pos][0] == "=":
            take("=")
            take("id")  # a graph attribute (label=...)
        else:
            nodes.setdefault(first[0], {}).update(attributes())
    return nodes, links


def _end(node, port):
    return "%s:%s" % (node, port) if port else str(node)


def _link(ends):
    return " -- ".join(sorted(ends))


def _node(attrs):
    out = {}
    for key in NODE_ATTRIBUTES:
        value = attrs.get(key)
        if value is None or value == "":
            continue
        out[key] = int(value) if key != "os" and str(value).isdigit() else value
    return out


def url_id(value):
    """The id in a v1 relation: an absolute URL (``.../api/v1/<resource>/<id>/``) or a bare id."""
    if isinstance(value, dict):
        return value.get("id")
    if isinstance(value, str) and "/" in value:
        return value.rstrip("/").rsplit("/", 1)[-1]
    return value


def json_topology(content):
    """The JSON topology in ``content`` (a dict or JSON text) as a dict; None for DOT text."""
    if isinstance(content, dict):
        return dict(content)
    if str(content).lstrip().startswith("{"):
        return json.loads(content)
    return None


def from_content(content):
    """The comparable form of a DOT text, a JSON text or a JSON topology dict."""
    if isinstance(content, dict) and isinstance(content.get("links"), list) and all(
            isinstance(lk, str) for lk in content["links"]):
        return content  # already this form
    data = json_topology(content)
    if data is None:
        nodes, links = parse_dot(content)
        return {"nodes": dict((n, _node(a)) for n, a in nodes.items()),
                "links": sorted(_link([_end(*a), _end(*b)]) for a, b in links)}
    if not isinstance(data.get("nodes"), dict):
        raise ValueError("a JSON topology needs a nodes mapping (name: attributes)")
    links = []
    for link in data.get("links") or []:
        ends = [e if isinstance(e, str) else _end(e.get("node"), e.get("interface")) for e in link]
        links.append(_link(ends))
    return {"nodes": dict((n, _node(a or {})) for n, a in data["nodes"].items()), "links": sorted(links)}


def from_api(nodes, links, images):
    """The comparable form of a v1 topology's nodes and links (``images``: id -> name), and
    the index of their ids that an in-place change needs:
    ``{"nodes": {name: {"id", "function", "interfaces": {name: {"id", "outbound"}}}},
    "links": {link: id}}``. An outbound interface is the link ``node:intf -- exit``."""
    model, ends_by_interface, index = {}, {}, {"nodes": {}, "links": {}}
    model_links = []
    for node in nodes:
        attrs = dict((k, node.get(k)) for k in NODE_ATTRIBUTES)
        attrs["os"] = images.get(url_id(attrs["os"]), url_id(attrs["os"]))
        model[node["name"]] = _node(attrs)
        interfaces = {}
        for intf in node.get("interfaces") or []:
            if isinstance(intf, dict):
                ends_by_interface[intf.get("id")] = _end(node["name"], intf.get("name"))
                interfaces[intf.get("name")] = {"id": intf.get("id"), "outbound": bool(intf.get("outbound"))}
                if intf.get("outbound"):
                    model_links.append(_link([_end(node["name"], intf.get("name")), EXIT]))
        index["nodes"][node["name"]] = {"id": node.get("id"), "function": node.get("function"),
                                        "interfaces": interfaces}
    for link in links:
        ends = [ends_by_interface.get(url_id(i), url_id(i)) for i in link.get("interfaces") or []]
        if len(ends) == 1:
            ends.append(EXIT)
        model_links.append(_link(ends))
        index["links"][_link(ends)] = link.get("id")
    return {"nodes": model, "links": sorted(set(model_links))}, index


def managed(current, desired):
    """``current`` as far as ``desired`` manages it, so that a diff shows what the file says:
    of the nodes it names, the attributes it sets; other nodes whole (Air's own out-of-band
    nodes aside); the links it can name. ``same`` gives the same answer for it as for
    ``current``, and a converged topology shows exactly ``desired``."""
    named = set(desired["nodes"])
    nodes = {}
    for name, attrs in current["nodes"].items():
        if name in named:
            nodes[name] = dict((k, v) for k, v in attrs.items() if k in desired["nodes"][name])
        elif name not in OOB_NODES:
            nodes[name] = attrs
    return {"nodes": nodes, "links": sorted(filter(_ours(named), current["links"]))}


def _ends(link):
    """(node, interface) of each end of a link in the comparable form, "exit" as (EXIT, None)."""
    return [tuple(end.split(":", 1)) if ":" in end else (end, None) for end in link.split(" -- ")]


def _ours(named):
    """Links that belong to the file: not those of Air's own out-of-band nodes."""
    def ours(link):
        return not any(node in OOB_NODES and node not in named for node, _intf in _ends(link))
    return ours


def plan(current, index, desired):
    """The writes that turn the topology ``current`` (with its ``index``, see ``from_api``)
    into ``desired``, in place where v1's node/ and link/ allow it (air.md 6.1):

    - ``delete_links``: link ids; ``delete_nodes``: node ids (gone from the file, or replaced);
    - ``patch_nodes``: (node id, {attribute: value}) for changed node attributes;
    - ``create_nodes``: (name, attributes, [{name, outbound}]) for new nodes and replaced ones;
    - ``create_links``: [(node, interface), (node, interface)] pairs.

    A node's interfaces are set when it is created and cannot be changed afterwards (v1 has
    no interface writes), so a node that needs a port it lacks, or whose outbound ("exit")
    ports change, is replaced: deleted and created again with its attributes and ports,
    and the links it keeps are created again."""
    named = set(desired["nodes"])
    ours = _ours(named)
    wanted_links = set(desired["links"])
    ports = dict((n, {}) for n in named)  # node -> {interface: outbound}
    for link in wanted_links:
        ends = _ends(link)
        outbound = any(node == EXIT for node, _intf in ends)
        for node, intf in ends:
            if node != EXIT and intf:
                ports.setdefault(node, {})[intf] = outbound
    removed = sorted(n for n in current["nodes"] if n not in named and n not in OOB_NODES)
    replaced = []
    for name in sorted(named & set(current["nodes"])):
        have = index["nodes"][name]["interfaces"]
        missing = [i for i in ports[name] if i not in have]
        exits = set(i for i, out in ports[name].items() if out)
        if missing or exits != set(i for i, v in have.items() if v["outbound"]):
            replaced.append(name)
    steps = {"delete_links": [], "delete_nodes": [], "patch_nodes": [], "create_nodes": [], "create_links": []}
    gone = set(removed) | set(replaced)
    kept_links = set(lk for lk in current["links"] if ours(lk) and EXIT not in lk.split(" -- ")
                     and not any(node in gone for node, _intf in _ends(lk)))
    steps["delete_links"] = sorted(index["links"][lk] for lk in kept_links - wanted_links if lk in index["links"])
    steps["delete_nodes"] = [index["nodes"][n]["id"] for n in removed + replaced]
    for name in sorted(named):
        wanted = desired["nodes"][name]
        if name in current["nodes"] and name not in replaced:
            have = current["nodes"][name]
            changed = dict((k, v) for k, v in wanted.items() if str(have.get(k)) != str(v))
            if changed:
                steps["patch_nodes"].append((index["nodes"][name]["id"], changed))
            continue
        attrs = dict(current["nodes"].get(name) or {}, **wanted)
        interfaces = dict((i, False) for i in (index["nodes"].get(name) or {}).get("interfaces", {}))
        interfaces.update(ports[name])
        function = (index["nodes"].get(name) or {}).get("function")
        if function:
            attrs["function"] = function
        steps["create_nodes"].append((name, attrs, [{"name": i, "outbound": interfaces[i]}
                                                    for i in sorted(interfaces)]))
    for link in sorted(wanted_links - kept_links):
        ends = _ends(link)
        if all(node != EXIT for node, _intf in ends):
            steps["create_links"].append(ends)
    return steps


def same(current, desired):
    """Equal when the file's nodes and links are Air's, and each attribute the file sets
    has that value (Air's own out-of-band nodes aside)."""
    named = set(desired["nodes"])
    extra = set(n for n in current["nodes"] if n not in named and n not in OOB_NODES)
    if extra or named - set(current["nodes"]):
        return False
    for name, attrs in desired["nodes"].items():
        have = current["nodes"][name]
        if any(str(have.get(k)) != str(v) for k, v in attrs.items()):
            return False

    return sorted(filter(_ours(named), current["links"])) == sorted(desired["links"])
