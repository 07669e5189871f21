# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: examples/nautobot_fabric.yml from nothing, then again converged.

Prints wall time, requests and writes per run, counted from Nautobot's own access log
(server side), and the requests one converged device task costs. Prints figures only;
it asserts nothing about time.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_DIR = os.environ.get("STATECRAFT_RUN", "/tmp/statecraft-nautobot")
LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d{3})')


def read_log(path, mark):
    with open(path, "rb") as handle:
        handle.seek(mark)
        return [m.groupdict() for m in LINE.finditer(handle.read().decode("utf-8", "replace"))]


def main():
    devices = int(os.environ.get("BENCH_DEVICES", "20"))
    with open(os.path.join(RUN_DIR, "env.json")) as handle:
        env_vars = json.load(handle)
    log = os.path.join(RUN_DIR, "access.log")
    env = dict(os.environ, NAUTOBOT_URL=env_vars["NAUTOBOT_URL"], NAUTOBOT_TOKEN=env_vars["NAUTOBOT_TOKEN"],
               ANSIBLE_CONFIG=os.path.join(REPO, "tests", "integration", "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"))
    site = "bench-" + uuid.uuid4().hex[:6]
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
           os.path.join(REPO, "examples", "nautobot_fabric.yml"),
           "-e", json.dumps({"fabric_site": site, "fabric_devices": devices})]
    print("fabric %s: location type, location, manufacturer, device type, role, %d devices" % (site, devices))
    print("%-10s %8s %9s %7s %8s %s" % ("run", "wall_s", "requests", "writes", "changed", "device-task requests/device"))
    for label in ("first", "converged"):
        mark = os.path.getsize(log)
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        wall = time.monotonic() - start
        time.sleep(0.5)
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:])
            return 1
        entries = read_log(log, mark)
        writes = [e for e in entries if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]
        device_requests = [e for e in entries if e["path"].startswith("/api/dcim/devices/")]
        changed = re.search(r"changed=(\d+)", proc.stdout).group(1)
        per_device = len(device_requests) / float(devices)
        print("%-10s %8.1f %9d %7d %8s %.2f" % (label, wall, len(entries), len(writes), changed, per_device))
    return 0


if __name__ == "__main__":
    sys.exit(main())
