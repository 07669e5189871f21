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
    """The comparable form of a v1 topology's nodes and links (``images``: id -> name)."""
    model, ends_by_interface = {}, {}
    for node in nodes:
        attrs = dict((k, node.get(k)) for k in NODE_ATTRIBUTES)
        attrs["os"] = images.get(url_id(attrs["os"]), url_id(attrs["os"]))
        model[node["name"]] = _node(attrs)
        for intf in node.get("interfaces") or []:
            if isinstance(intf, dict):
                ends_by_interface[intf.get("id")] = _end(node["name"], intf.get("name"))
    model_links = []
    for link in links:
        ends = [ends_by_interface.get(url_id(i), url_id(i)) for i in link.get("interfaces") or []]
        if len(ends) == 1:
            ends.append("exit")
        model_links.append(_link(ends))
    return {"nodes": model, "links": sorted(model_links)}


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

    def ours(link):
        return not any(end.split(":")[0] in OOB_NODES and end.split(":")[0] not in named
                       for end in link.split(" -- "))
    return sorted(filter(ours, current["links"])) == sorted(desired["links"])
