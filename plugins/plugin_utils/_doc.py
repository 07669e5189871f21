# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documentation text shared by the doc fragments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re


def with_defaults(options_doc, defaults):
    """The connection options of a platform as its modules document them: the same text as
    the inventory plugin's, with each option's ``default`` declared. The plugin's leave them
    out, so that an inventory reads the environment variable before the default."""
    for name, value in defaults.items():
        pattern = re.compile(r"(\n  %s:\n(?:    .*\n|      .*\n)*?    type: \w+\n)" % re.escape(name))
        if not pattern.search(options_doc):
            raise ValueError("no option %s to give a default" % name)
        options_doc = pattern.sub(lambda m: m.group(1) + "    default: %s\n" % json.dumps(value), options_doc, count=1)
    return options_doc
