# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo`: the whole collection at work on one machine.

Starts a real Nautobot (tests/harness, unless one runs already) and the NVIDIA Air,
Azure CycleCloud, Airbyte and CloudCIX sandboxes (tests/emulators), then runs each
platform's example playbook (examples/) three times: a first run that builds, a second that
must change nothing, and a check-mode run that must predict no change. Prints a summary,
and stops what it started. Each run's output is kept in build/demo/<platform>-<run>.log.

    python tests/demo/demo.py [--only nautobot,air,...] [--keep]
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HARNESS = os.path.join(REPO, "tests", "harness", "nautobot_harness.py")
LOGS = os.path.join(REPO, "build", "demo")
sys.path.insert(0, os.path.join(REPO, "tests", "emulators"))

PLATFORMS = ("nautobot", "air", "cyclecloud", "airbyte", "cloudcix")
PLAYBOOKS = {
    "nautobot": "nautobot_fabric.yml",
    "air": "air_lab.yml",
    "cyclecloud": "cyclecloud_cluster.yml",
    "airbyte": "airbyte_pipeline.yml",
    "cloudcix": "cloudcix_project.yml",
}
RUNS = (("first", False), ("second", False), ("check", True))
RECAP_LINE = re.compile(r"^\S+\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
                        r"\s+failed=(?P<failed>\d+)", re.M)


def recap(output):
    """The play recap's counts, summed over its hosts; None without a recap."""
    lines = list(RECAP_LINE.finditer(output))
    if not lines:
        return None
    return dict((key, sum(int(m.group(key)) for m in lines)) for key in ("ok", "changed", "unreachable", "failed"))


class Result(object):
    """One platform's three runs: {run name: (return code, recap or None, seconds)}."""

    def __init__(self, platform):
        self.platform = platform
        self.runs = {}

    def add(self, name, rc, output, seconds):
        self.runs[name] = (rc, recap(output), seconds)

    def problems(self):
        found = []
        for name, _check in RUNS:
            if name not in self.runs:
                found.append("%s run missing" % name)
                continue
            rc, counts, _seconds = self.runs[name]
            if rc != 0 or counts is None or counts["failed"] or counts["unreachable"]:
                found.append("%s run failed" % name)
            elif name != "first" and counts["changed"]:
                found.append("%s run changed %d" % (name, counts["changed"]))
        return found

    def cells(self):
        def changed(name):
            run = self.runs.get(name)
            return "-" if not run or run[1] is None else str(run[1]["changed"])
        seconds = sum(run[2] for run in self.runs.values())
        return [self.platform, changed("first"), changed("second"), changed("check"), "%.0f s" % seconds,
                "ok" if not self.problems() else "; ".join(self.problems())]


def summary(results):
    """The summary table (text)."""
    rows = [["platform", "1st run changed", "2nd run changed", "check run changed", "time", "result"]]
    rows += [result.cells() for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


# -- what the demo starts ----------------------------------------------------------------------
def harness(*args):
    return subprocess.run([sys.executable, HARNESS] + list(args), capture_output=True, text=True, check=False)


class Nautobot(object):
    """The harness's Nautobot 3.2: started unless it runs, stopped at the end if started here."""

    def __init__(self):
        self.started = False

    def start(self):
        if harness("status").returncode != 0:
            print("demo: starting Nautobot (a first start migrates its database, several minutes)", flush=True)
            # stopped at the end even if `up` fails halfway: `down` stops only what the harness started
            self.started = True
            up = subprocess.run([sys.executable, HARNESS, "up"], check=False)
            if up.returncode != 0:
                raise SystemExit("demo: Nautobot did not start")
        env = json.loads(harness("env", "--json").stdout)
        return {"NAUTOBOT_URL": env["NAUTOBOT_URL"], "NAUTOBOT_TOKEN": env["NAUTOBOT_TOKEN"]}

    def stop(self):
        if self.started:
            harness("down")


class Sandbox(object):
    """An emulator of a hosted platform, in this process, on a free loopback port; its clock
    runs fast so that loads, builds and syncs take seconds."""

    def __init__(self, platform):
        self.platform = platform
        self.emulator = None

    def start(self):
        if self.platform == "air":
            from air_emulator import AirEmulator

            emu = self.emulator = AirEmulator(speed=60.0).start()
            return {"AIR_URL": emu.url, "AIR_USERNAME": emu.username, "AIR_PASSWORD": emu.api_token}
        if self.platform == "cyclecloud":
            from cyclecloud_emulator import CycleCloudEmulator

            emu = self.emulator = CycleCloudEmulator(speed=120.0).start()
            return {"CYCLECLOUD_URL": emu.url, "CYCLECLOUD_USERNAME": emu.username,
                    "CYCLECLOUD_PASSWORD": emu.password}
        if self.platform == "airbyte":
            from airbyte_emulator import AirbyteEmulator

            emu = self.emulator = AirbyteEmulator(speed=60.0).start()
            return {"AIRBYTE_URL": emu.url + "/api/public/v1", "AIRBYTE_CLIENT_ID": emu.client_id,
                    "AIRBYTE_CLIENT_SECRET": emu.client_secret}
        if self.platform == "cloudcix":
            from cloudcix_emulator import CloudcixEmulator

            emu = self.emulator = CloudcixEmulator(speed=60.0).start()
            return {"CLOUDCIX_URL": emu.api_url, "CLOUDCIX_API_USERNAME": emu.email,
                    "CLOUDCIX_API_PASSWORD": emu.password, "CLOUDCIX_API_KEY": emu.api_key,
                    "CLOUDCIX_REGION_ID": str(emu.region_id)}
        raise ValueError(self.platform)

    def stop(self):
        if self.emulator is not None:
            self.emulator.stop()


# -- the runs ----------------------------------------------------------------------------------
def playbook_env(connection):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(
        ("NAUTOBOT_", "AIR_", "AIRBYTE_", "CLOUDCIX_", "CYCLECLOUD_")))
    env.update({
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
    })
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections"))
    env.update(connection)
    return env


def run_platform(platform, connection):
    """The three runs of a platform's example playbook."""
    result = Result(platform)
    playbook = os.path.join(REPO, "examples", PLAYBOOKS[platform])
    env = playbook_env(connection)
    for name, check in RUNS:
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook]
        if check:
            cmd.append("--check")
        began = time.time()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=os.path.join(REPO, "examples"),
                              check=False)
        output = proc.stdout + proc.stderr
        result.add(name, proc.returncode, output, time.time() - began)
        with open(os.path.join(LOGS, "%s-%s.log" % (platform, name)), "w") as log:
            log.write(output)
        rc, counts, seconds = result.runs[name]
        print("demo: %-10s %-6s run: rc=%d %s (%.1f s)" % (platform, name, rc, counts, seconds), flush=True)
        if rc != 0:
            break
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--only", default=",".join(PLATFORMS), help="platforms, comma-separated")
    parser.add_argument("--keep", action="store_true", help="leave Nautobot running if the demo started it")
    args = parser.parse_args(argv)
    chosen = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(chosen) - set(PLATFORMS))
    if unknown:
        parser.error("--only: unknown platform %s (choose from %s)" % (", ".join(unknown), ", ".join(PLATFORMS)))
    if not os.path.isdir(LOGS):
        os.makedirs(LOGS)
    began = time.time()
    nautobot, sandboxes, results = Nautobot(), [], []
    try:
        for platform in chosen:
            if platform == "nautobot":
                connection = nautobot.start()
            else:
                sandbox = Sandbox(platform)
                sandboxes.append(sandbox)
                connection = sandbox.start()
            results.append(run_platform(platform, connection))
    finally:
        for sandbox in sandboxes:
            sandbox.stop()
        if not args.keep:
            nautobot.stop()
    print("\n" + summary(results))
    print("\ndemo: %.0f s in all; logs in %s" % (time.time() - began, os.path.relpath(LOGS, os.getcwd())))
    return 1 if any(result.problems() for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
