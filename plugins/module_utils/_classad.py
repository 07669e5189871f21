# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The subset of CycleCloud's ClassAd expressions that selects nodes, evaluated here so a
node filter resolves to node records before anything is sent (and so to what is already
in the state asked for).

Supported: attribute names (case-insensitive, dotted into nested records), strings, numbers,
``true``/``false``/``undefined``, ``==`` ``!=`` (case-insensitive for strings, undefined
when a side is undefined), ``=?=``/``===`` and ``=!=``/``!==`` (identity), ``<`` ``<=``
``>`` ``>=``, ``&&`` ``||`` ``!``, parentheses and ``Attr in {"a", "b"}``.
"""

from __future__ import absolute_import, division, print_function

import re

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError

UNDEFINED = object()
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>=\?=|=!=|===|!==|==|!=|<=|>=|&&|\|\||[<>!(){},])
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
)""", re.X)
_COMPARISONS = ("==", "!=", "=?=", "===", "=!=", "!==", "<", "<=", ">", ">=")


def _tokens(text):
    position, found = 0, []
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ModuleError("filter: cannot read %r at character %d" % (text[position:position + 10].strip(), position + 1))
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "number":
            value = float(value) if "." in value else int(value)
        elif kind == "name" and value.lower() in ("true", "false", "undefined", "in"):
            kind, value = ("keyword", value.lower())
        found.append((kind, value))
        position = match.end()
    return found


class _Parser(object):
    def __init__(self, text):
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.peek()
        if token[0] is None or (value is not None and token[1] != value):
            raise ModuleError("filter: expected %s in %r" % (repr(value) if value else "more", self.text))
        self.position += 1
        return token

    def parse(self):
        tree = self.either()
        if self.position != len(self.tokens):
            raise ModuleError("filter: unexpected %r in %r" % (self.peek()[1], self.text))
        return tree

    def either(self):
        tree = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            tree = ("||", tree, self.both())
        return tree

    def both(self):
        tree = self.negation()
        while self.peek() == ("op", "&&"):
            self.take()
            tree = ("&&", tree, self.negation())
        return tree

    def negation(self):
        if self.peek() == ("op", "!"):
            self.take()
            return ("!", self.negation())
        return self.comparison()

    def comparison(self):
        left = self.operand()
        kind, value = self.peek()
        if kind == "op" and value in _COMPARISONS:
            self.take()
            return (value, left, self.operand())
        if (kind, value) == ("keyword", "in"):
            self.take()
            self.take("{")
            members = [self.literal()]
            while self.peek() == ("op", ","):
                self.take()
                members.append(self.literal())
            self.take("}")
            return ("in", left, members)
        return left

    def literal(self):
        kind, value = self.take()
        if kind in ("string", "number"):
            return value
        if kind == "keyword" and value != "in":
            return {"true": True, "false": False}.get(value, UNDEFINED)
        raise ModuleError("filter: expected a value, found %r in %r" % (value, self.text))

    def operand(self):
        kind, value = self.peek()
        if (kind, value) == ("op", "("):
            self.take()
            tree = self.either()
            self.take(")")
            return tree
        if kind == "name":
            self.take()
            return ("attr", value)
        return ("value", self.literal())


def _lookup(record, dotted):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return UNDEFINED
        lowered = dict((str(k).lower(), v) for k, v in value.items())
        value = lowered.get(part.lower(), UNDEFINED)
        if value is None:
            return UNDEFINED
    return value


def _fold(value):
    return value.lower() if isinstance(value, str) else value


def _compare(op, left, right):
    if op in ("=?=", "==="):
        return type(left) is type(right) and left == right
    if op in ("=!=", "!=="):
        return not (type(left) is type(right) and left == right)
    if left is UNDEFINED or right is UNDEFINED:
        return UNDEFINED
    if op == "==":
        return _fold(left) == _fold(right)
    if op == "!=":
        return _fold(left) != _fold(right)
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    except TypeError:
        return UNDEFINED


def _evaluate(tree, record):
    op = tree[0]
    if op == "value":
        return tree[1]
    if op == "attr":
        return _lookup(record, tree[1])
    if op == "!":
        value = _evaluate(tree[1], record)
        return UNDEFINED if value is UNDEFINED else not value
    if op in ("&&", "||"):
        left = _evaluate(tree[1], record) is True
        if op == "&&":
            return left and _evaluate(tree[2], record) is True
        return left or _evaluate(tree[2], record) is True
    if op == "in":
        value = _fold(_evaluate(tree[1], record))
        return any(value == _fold(m) for m in tree[2])
    return _compare(op, _evaluate(tree[1], record), _evaluate(tree[2], record))


def compile_filter(text):
    """``matches(record) -> bool`` for a ClassAd node filter; a ModuleError names what is wrong."""
    tree = _Parser(text).parse()
    return lambda record: _evaluate(tree, record) is True
