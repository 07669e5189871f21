# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a Sphinx inventory (objects.inv) of the docs.ansible.com labels the generated
plugin pages link to, so `make docs` resolves them without fetching Ansible's own
inventory (this machine reaches only the package registries). Usage: PATH_TO_WRITE."""

import sys
import zlib

# label -> (page#anchor, title) on https://docs.ansible.com/projects/ansible/devel/
LABELS = {
    "common_return_values": ("reference_appendices/common_return_values.html#common-return-values", "Return Values"),
    "action_plugins": ("plugins/action.html#action-plugins", "Action plugins"),
    "ansible_configuration_settings": ("reference_appendices/config.html#ansible-configuration-settings",
                                       "Ansible Configuration Settings"),
}


def main(path):
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n" \
             "# The remainder of this file is compressed using zlib.\n"
    body = "".join("%s std:label -1 %s %s\n" % (label, uri, title) for label, (uri, title) in sorted(LABELS.items()))
    with open(path, "wb") as handle:
        handle.write(header.encode() + zlib.compress(body.encode()))


if __name__ == "__main__":
    main(sys.argv[1])
