# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An action plugin that reads a file option on the controller and hands the module its
text: a topology file lives in the playbook's repository, not on the host that runs the
module. The file is looked up as the copy module's ``src`` is (the role's ``files/``,
the playbook's ``files/``, the playbook's directory). The module then runs as every module
of the collection does (in the controller for a local task)."""

from __future__ import absolute_import, division, print_function

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.statecraft.infra.plugins.plugin_utils._in_process import ModuleAction


class FileOptionAction(ModuleAction):
    """Subclasses set ``file_option`` (the path the user gives) and ``content_option``
    (the module option that takes the text)."""

    file_option = None
    content_option = None

    def prepare(self, args):
        source = args.pop(self.file_option, None)
        if source is None:
            return None
        if args.get(self.content_option) is not None:
            return "%s and %s are mutually exclusive; give one" % (self.file_option, self.content_option)
        try:
            path = self._find_needle("files", source)
            with open(path, "rb") as handle:
                args[self.content_option] = to_text(handle.read(), errors="surrogate_or_strict")
        except (AnsibleError, OSError, UnicodeError) as exc:
            return "%s: cannot read %s: %s" % (self.file_option, source, to_text(exc))
        return None
