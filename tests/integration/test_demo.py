# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo` for the hosted platforms: the example playbooks converge against the sandboxes
(the Nautobot example runs in `make demo` itself, and its modules in the Nautobot tests)."""

from __future__ import absolute_import, division, print_function

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_of_the_hosted_platforms():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "tests", "demo", "demo.py"),
                           "--only", "air,cyclecloud,airbyte,cloudcix"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    table = proc.stdout.split("platform", 1)[1].splitlines()
    rows = dict((line.split()[0], line.split()) for line in table[2:] if line.strip() and not line.startswith("demo:"))
    assert sorted(rows) == ["air", "airbyte", "cloudcix", "cyclecloud"]
    for platform, cells in rows.items():
        assert int(cells[1]) > 0, (platform, cells)  # the first run built something
        assert cells[2:4] == ["0", "0"] and cells[-1] == "ok", (platform, cells)
