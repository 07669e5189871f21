# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for the pip bootstrap script ansible-test downloads from its own CI host.

That host is out of reach here (only the package registries are), so `make sanity` puts
this file where ansible-test caches the script. It behaves like get-pip.py: it puts pip
into the running (empty) virtual environment with ensurepip, then installs the requested
pip and packages from the package index.
"""

from __future__ import absolute_import, division, print_function

import subprocess
import sys

GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
                          stdout=subprocess.DEVNULL)
    args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", "--quiet"] + args)


if __name__ == "__main__":
    main()
