# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The `make demo` driver's judgement of a run (tests/demo/demo.py)."""

from __future__ import absolute_import, division, print_function

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "tests", "demo"))
import demo  # noqa: E402  pylint: disable=wrong-import-position

RECAP = """
PLAY RECAP *********************************************************************
localhost                  : ok=18   changed=%d    unreachable=0    failed=%d    skipped=0    rescued=0    ignored=0
"""


def test_recap_sums_the_hosts():
    two_hosts = RECAP % (3, 0) + "leaf01                     : ok=2    changed=1    unreachable=0    failed=0\n"
    assert demo.recap(two_hosts) == {"ok": 20, "changed": 4, "unreachable": 0, "failed": 0}
    assert demo.recap("ERROR! the playbook could not be read") is None


def result(first, second, check, rc=0):
    found = demo.Result("air")
    found.add("first", rc, RECAP % (first, 0), 2.0)
    found.add("second", 0, RECAP % (second, 0), 1.0)
    found.add("check", 0, RECAP % (check, 0), 1.0)
    return found


def test_a_converged_second_run_and_check_run_pass():
    assert result(4, 0, 0).problems() == []
    assert result(4, 0, 0).cells() == ["air", "4", "0", "0", "4 s", "ok"]


@pytest.mark.parametrize("runs,problem", [
    ((4, 1, 0), "second run changed 1"),
    ((4, 0, 2), "check run changed 2"),
])
def test_a_change_after_the_first_run_fails_the_demo(runs, problem):
    assert result(*runs).problems() == [problem]


def test_a_failed_or_missing_run_fails_the_demo():
    assert "first run failed" in result(4, 0, 0, rc=2).problems()
    failed = demo.Result("nautobot")
    failed.add("first", 2, RECAP % (1, 1), 3.0)
    assert failed.problems() == ["first run failed", "second run missing", "check run missing"]


def test_summary_lines_up_the_platforms():
    text = demo.summary([result(4, 0, 0), result(2, 1, 0)])
    lines = text.splitlines()
    assert lines[0].startswith("platform") and set(lines[1]) <= {"-", " "}
    assert lines[2].split()[-1] == "ok" and "second run changed 1" in lines[3]


def test_unknown_platform_is_refused_before_anything_starts(capsys):
    with pytest.raises(SystemExit):
        demo.main(["--only", "air,netbox"])
    assert "--only: unknown platform netbox" in capsys.readouterr().err
