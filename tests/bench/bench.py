# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: wall time and server-side requests of statecraft.infra's execution paths.

Nautobot (the real one `make nautobot-up` runs), for each N in BENCH_SIZES and each path in
BENCH_PATHS, tests/bench/nautobot_devices.yml three times:

- create:    from nothing (a location type, location, manufacturer, device type, role, N devices)
- converged: the same playbook again (changed 0 expected)
- update:    every device's serial changes (one field)

The paths: ``module`` (-e statecraft_infra_in_process=false: a module launch per task and loop
item), ``inprocess`` (the default for a local task: the module runs in the controller's worker)
and ``bulk`` (the devices in one statecraft.infra.nautobot_bulk task, in-process). Each N/path
uses its own names (bench-<N>-<path>-<random>) and removes what it made afterwards
(tests/bench/nautobot_teardown.yml). Requests are counted server side, from Nautobot's access
log (one line per request): the lines of the run's window that the run itself sent (see
BENCH_ATTRIBUTION); a run during which others used the server is marked ``*`` and their
requests are left out.

With ANCHOR=<networktocode.nautobot tarball>, the anchor is installed into a scratch
collections path (ansible-galaxy, offline), pynautobot into this Python if missing (from
tests/bench/requirements.txt), and tests/bench/anchor_devices.yml (same shape, looped
networktocode.nautobot.device) runs against the same server; the ratios anchor/statecraft
are printed for the in-process path (and bulk).

Inventory (path ``inventory``): N devices with everything the inventories group by (a
location below a region, role, platform, tenant, tag, status; tests/bench/inventory_setup.yml,
one nautobot_bulk task) read by ``ansible-inventory --list`` through statecraft.infra.nautobot
(``read``: no cache; ``cached``: a second run with ``cache: true``, jsonfile in a scratch
directory, after one that filled it) and, with ANCHOR, through networktocode.nautobot.inventory
(REST; services off, as ours reads none) and networktocode.nautobot.gql_inventory (GraphQL, the
same fields and groups as ours) on the same server; each filtered to the run's tenant. Each is
run BENCH_INVENTORY_REPEAT times (3) and the run of median wall time is shown; the ratios
anchor/statecraft are printed.

Emulators (tests/emulators, started in this process): a BENCH_EMULATOR_ITEMS-item loop (50)
of one simple module per platform, create then converged, module path vs in-process; requests
from each emulator's request log.

Environment:
  BENCH_SIZES           Nautobot sizes, default "20,200,1000" ("" or "none": no Nautobot part)
  BENCH_PATHS           default "module,inprocess,bulk,inventory" ("inventory" alone: only the inventory part)
  ANCHOR                path of a networktocode.nautobot collection tarball (optional)
  BENCH_MODULE_SIZES    sizes the module path runs at, default those of BENCH_SIZES up to 200
  BENCH_ANCHOR_SIZES    sizes the anchor runs at, default those of BENCH_SIZES up to 200
  BENCH_INPROCESS_SIZES sizes the in-process path runs at, default all of BENCH_SIZES
  BENCH_ANCHOR_RUNS     default "create,converged,update"
  BENCH_INVENTORY_SIZES sizes the inventory part runs at, default the largest of BENCH_SIZES
  BENCH_INVENTORY_REPEAT runs of each inventory (the median is shown), default 3
  BENCH_EMULATORS       default "air,cloudcix,cyclecloud,airbyte" ("" or "none": none)
  BENCH_EMULATOR_ITEMS  default 50
  BENCH_ATTRIBUTION     how the runs' own lines of the access log are told from others': "proxy"
                        (default: the playbooks talk to Nautobot through a pass-through proxy on
                        loopback, and the lines counted are those it relayed; its cost was lost
                        in the noise of Nautobot's ~80 ms per request when checked) or "log"
                        (straight to Nautobot; all lines of the run's window count but those
                        recognisably another client's)

Quick run: BENCH_SIZES=20 BENCH_PATHS=inprocess BENCH_EMULATORS=none make bench
Inventory only: BENCH_PATHS=inventory BENCH_EMULATORS=none ANCHOR=<tarball> make bench

Figures only: nothing here asserts anything about time. Wall times include ansible-playbook's
own start (about 1-2 s per run).
"""

from __future__ import absolute_import, division, print_function

import base64
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "emulators"))

RUN_DIR = os.environ.get("STATECRAFT_RUN", "/tmp/statecraft-nautobot")
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d{3})')
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
NAME_FILTERS = ("name", "model", "name__ie", "name__iexact", "model__ie", "q")
OURS_BY_NAME = ("Active",)  # related objects the bench's playbooks look up by a name without the run's tag
ANSIBLE_CFG = os.path.join(REPO, "tests", "integration", "ansible.cfg")  # inventory + record_results callback
BIN = os.path.dirname(sys.executable)
PATHS = ("module", "inprocess", "bulk", "inventory")
PATH_ALIASES = {"in-process": "inprocess", "in_process": "inprocess", "loop": "inprocess"}
RUNS = ("create", "converged", "update")
EMULATORS = ("air", "cloudcix", "cyclecloud", "airbyte")
BULK_MODULE = os.path.join(REPO, "plugins", "modules", "nautobot_bulk.py")


def env_list(name, default, allowed=None, aliases=None):
    raw = os.environ.get(name, default)
    if raw.strip().lower() in ("", "none", "0", "no"):
        return []
    values = [(aliases or {}).get(v.strip().lower(), v.strip().lower()) for v in raw.split(",") if v.strip()]
    if allowed:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            sys.exit("%s: unknown %s (choose from %s)" % (name, ", ".join(unknown), ", ".join(allowed)))
    return values


def say(text=""):
    print(text, flush=True)


# -- one ansible-playbook run --------------------------------------------------------------------
class Run(object):
    """One measured playbook run: target (nautobot, anchor or a platform), N, path, run kind."""

    def __init__(self, target, n, path, kind):
        self.target, self.n, self.path, self.kind = target, n, path, kind
        self.wall = None
        self.requests = None
        self.writes = None
        self.changed = None
        self.failed = None
        self.busy = False  # the server was in use when the run started, or others' requests were seen
        self.foreign = 0  # requests in the run's window that are someone else's (left out)
        self.missing = 0  # requests the run sent that its window of the access log lacks
        self.hosts = self.groups = None  # what an inventory run lists
        self.load = os.getloadavg()[0]

    @property
    def per_object(self):
        return self.requests / float(self.n) if self.requests is not None and self.n else None


def ansible_playbook(playbook, env, extra_args=(), workdir=None):
    """(proc, task results, wall seconds). Task results come from the record_results callback
    of tests/integration (enabled by its ansible.cfg)."""
    handle, results_path = tempfile.mkstemp(prefix="bench-results-", suffix=".json", dir=workdir)
    os.close(handle)
    os.unlink(results_path)
    run_env = dict(env, STATECRAFT_RESULTS=results_path)
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook] + list(extra_args)
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env, cwd=REPO, check=False)
    wall = time.monotonic() - start
    try:
        with open(results_path) as results_file:
            results = json.load(results_file)
        os.unlink(results_path)
    except (IOError, ValueError):
        results = []
    return proc, results, wall


def changed_objects(results):
    """Objects changed: one per changed task, per changed loop item, per changed bulk object."""
    count = 0
    for result in results:
        if result.get("_status") == "skipped" or result.get("skipped"):
            continue
        if isinstance(result.get("results"), list):  # a loop: one result per item
            count += sum(1 for item in result["results"] if item.get("changed"))
        elif isinstance(result.get("objects"), list) and all(isinstance(o, dict) for o in result["objects"]):
            count += sum(1 for o in result["objects"] if o.get("changed"))  # nautobot_bulk
        elif result.get("changed"):
            count += 1
    return count


def failure_text(proc, results):
    for result in results:
        if result.get("_status") == "failed":
            message = result.get("msg") or ""
            for item in result.get("results") or []:
                if item.get("failed"):
                    message = item.get("msg") or message
                    break
            return "%s: %s" % (result.get("_task"), str(message)[:400])
    return "rc=%s %s %s" % (proc.returncode, proc.stdout[-1500:], proc.stderr[-1500:])


# -- Nautobot's access log ---------------------------------------------------------------------
class AccessLog(object):
    def __init__(self, path):
        self.path = path

    def mark(self):
        return os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def entries(self, mark, settle=0.5):
        time.sleep(settle)  # the server writes its line after the response is sent
        with open(self.path, "rb") as handle:
            handle.seek(mark)
            text = handle.read().decode("utf-8", "replace")
        return [m.groupdict() for m in ACCESS_LINE.finditer(text)]

    @staticmethod
    def foreign(entry, tag, anchor):
        """Whether a logged request is recognisably another client's: a health check, a lookup by a
        name that is not the run's, or (pynautobot adds exclude_m2m to every query but GET /api/)
        a request of the other client library than the run's."""
        parts = urlsplit(entry["path"])
        if parts.path == "/health/":
            return True
        query = parse_qsl(parts.query, keep_blank_values=True)
        pynautobot = any(k == "exclude_m2m" for k, _v in query)
        if parts.path != "/api/" and pynautobot != anchor:
            return True
        if parts.path == "/api/" and not anchor:
            return True
        return any(k in NAME_FILTERS and tag not in v and v not in OURS_BY_NAME for k, v in query)

    def wait_quiet(self, quiet=1.0, timeout=15.0):
        """Wait until nobody has used the server for ``quiet`` seconds; False if that never came."""
        deadline = time.monotonic() + timeout
        size, since = self.mark(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now_size = self.mark()
            if now_size != size:
                size, since = now_size, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return True
        return False


HOP_BY_HOP = frozenset(("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                        "proxy-authorization", "proxy-authenticate", "content-length", "content-encoding"))


class Tally(object):
    """A pass-through proxy on loopback in front of Nautobot that notes (method, path) of each
    request it relays, so the bench can tell its own lines in Nautobot's access log from those
    of anyone else using the same server meanwhile. The Host header goes through unchanged, so
    the URLs in Nautobot's answers (next pages) point back at the proxy."""

    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.records = []
        self.lock = threading.Lock()
        self.local = threading.local()
        tally = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with tally.lock:
                    tally.records.append((self.command, self.path))
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP)
                try:
                    answer = tally.session().request(self.command, tally.upstream + self.path, data=body,
                                                     headers=headers, allow_redirects=False, timeout=600)
                except requests.RequestException as exc:
                    self.send_error(502, "bench proxy: %s" % exc)
                    return
                payload = answer.content
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def mark(self):
        with self.lock:
            return len(self.records)

    def since(self, mark):
        with self.lock:
            return list(self.records[mark:])

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class NautobotBench(object):
    """Measured runs against Nautobot. ``attribution``: "proxy" (the run's requests go through a
    Tally; the requests counted are the access-log lines of the run's window that it relayed) or
    "log" (straight to Nautobot; every line of the window counts but those recognisably someone
    else's, see AccessLog.foreign)."""

    def __init__(self, workdir, attribution):
        with open(os.path.join(RUN_DIR, "env.json")) as handle:
            self.server = json.load(handle)
        self.log = AccessLog(os.path.join(RUN_DIR, "access.log"))
        self.workdir = workdir
        self.tally = Tally(self.server["NAUTOBOT_URL"]) if attribution == "proxy" else None
        url = self.tally.url if self.tally else self.server["NAUTOBOT_URL"]
        self.collections = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(REPO, "build", "collections")
        self.env = dict(os.environ, NAUTOBOT_URL=url, NAUTOBOT_TOKEN=self.server["NAUTOBOT_TOKEN"],
                        ANSIBLE_CONFIG=ANSIBLE_CFG, ANSIBLE_COLLECTIONS_PATH=self.collections, ANSIBLE_NOCOLOR="1",
                        ANSIBLE_DEPRECATION_WARNINGS="0")
        self.has_bulk = os.path.exists(BULK_MODULE)

    def vars_file(self, tag, n, mode, serial_prefix):
        devices = [{"name": "%s-d%04d" % (tag, i), "serial": "%s%04d" % (serial_prefix, i)} for i in range(1, n + 1)]
        data = {"bench_tag": tag, "bench_mode": mode, "bench_devices": devices,
                "bench_device_keys": [{"name": d["name"]} for d in devices]}
        path = os.path.join(self.workdir, "%s-%s.json" % (tag, serial_prefix))
        with open(path, "w") as handle:
            json.dump(data, handle)
        return path

    def measure(self, row, tag, playbook, extra_args, env=None):
        return self.measure_launch(row, tag, lambda: ansible_playbook(playbook, env or self.env, extra_args,
                                                                      self.workdir))

    def measure_launch(self, row, tag, launch):
        """``launch()``: run the measured command, return (proc, task results, wall seconds)."""
        row.busy = not self.log.wait_quiet()
        row.load = os.getloadavg()[0]
        mark = self.log.mark()
        sent = self.tally.mark() if self.tally else 0
        proc, results, row.wall = launch()
        entries = self.log.entries(mark)
        if self.tally:
            relayed = Counter(self.tally.since(sent))
            logged = Counter((e["method"], e["path"]) for e in entries)
            for _attempt in range(5):  # the server writes a line after its answer: give it time
                if not relayed - logged:
                    break
                entries = self.log.entries(mark, settle=1.0)
                logged = Counter((e["method"], e["path"]) for e in entries)
            ours = relayed & logged
            row.missing = sum((relayed - logged).values())  # relayed but not (yet) in the access log
            entries = [{"method": m, "path": p} for (m, p), count in ours.items() for _i in range(count)]
            row.foreign = sum((logged - relayed).values())
        elif row.path == "inventory":  # reads without names to tell them by: only health checks are others'
            row.foreign = sum(1 for e in entries if e["path"] == "/health/")
            entries = [e for e in entries if e["path"] != "/health/"]
        else:
            anchor = row.path == "anchor"
            row.foreign = sum(1 for e in entries if self.log.foreign(e, tag, anchor))
            entries = [e for e in entries if not self.log.foreign(e, tag, anchor)]
        row.busy = row.busy or row.foreign > 0
        row.requests = len(entries)
        row.writes = sum(1 for e in entries if e["method"] in WRITE_METHODS)
        row.changed = changed_objects(results)
        if proc.returncode != 0:
            row.failed = failure_text(proc, results)
        return row

    def series(self, target, n, path, runs, playbook, mode, extra=(), env=None):
        """create / converged / update of one N and path, then its teardown; the measured rows."""
        short = {"module": "mod", "inprocess": "inp", "bulk": "blk", "anchor": "anc"}[path]
        tag = "bench-%d-%s-%s" % (n, short, uuid.uuid4().hex[:6])
        rows = []
        try:
            for kind in runs:
                serials = "SNB" if kind == "update" else "SNA"
                row = Run(target, n, path, kind)
                args = ["-e", "@" + self.vars_file(tag, n, mode, serials)] + list(extra)
                self.measure(row, tag, playbook, args, env)
                rows.append(row)
                report_row(row)
                if row.failed:
                    break
        finally:
            self.teardown(tag, n)
        return rows

    def teardown(self, tag, n):
        mode = "bulk" if self.has_bulk else "loop"
        args = ["-e", "@" + self.vars_file(tag, n, mode, "SNA")]
        proc, results, wall = ansible_playbook(os.path.join(HERE, "nautobot_teardown.yml"), self.env, args, self.workdir)
        if proc.returncode != 0:
            say("  teardown of %s FAILED (remove its objects by hand): %s" % (tag, failure_text(proc, results)))
        else:
            say("  teardown of %s: %.1f s (%s)" % (tag, wall, "nautobot_bulk absent" if mode == "bulk" else "loop"))

    # -- the inventory part ------------------------------------------------------------------------
    def inventory_series(self, n, anchor_path, repeats):
        """N devices made once, read by each inventory plugin (median of ``repeats`` runs), removed."""
        tag = "bench-%d-inv-%s" % (n, uuid.uuid4().hex[:6])
        setup = os.path.join(HERE, "inventory_setup.yml")
        rows = []
        try:
            proc, results, wall = ansible_playbook(setup, self.env, ["-e", "@" + self.inventory_vars(tag, n, "present")],
                                                   self.workdir)
            if proc.returncode != 0:
                say("  inventory setup of %s FAILED: %s" % (tag, failure_text(proc, results)))
                return rows
            say("  inventory setup of %s: %d devices in %.1f s" % (tag, n, wall))
            for target, kind, source, env in self.inventory_sources(tag, anchor_path):
                row = self.inventory_row(tag, n, target, kind, source, env, repeats)
                rows.append(row)
                report_inventory_row(row)
                if (target, kind) == ("statecraft.infra.nautobot", "read") and not row.failed:
                    # the floor: ansible-inventory itself (start, add, print) with no plugin to wait for
                    static = self.static_inventory_file(tag, source, env)
                    if static:
                        row = self.inventory_row(tag, n, STATIC_TARGET, "read", static, env, repeats)
                        rows.append(row)
                        report_inventory_row(row)
        finally:
            proc, results, wall = ansible_playbook(setup, self.env, ["-e", "@" + self.inventory_vars(tag, n, "absent")],
                                                   self.workdir)
            if proc.returncode != 0:
                say("  teardown of %s FAILED (remove its objects by hand): %s" % (tag, failure_text(proc, results)))
            else:
                say("  teardown of %s: %.1f s" % (tag, wall))
        return rows

    def inventory_vars(self, tag, n, state):
        path = os.path.join(self.workdir, "%s-%s.json" % (tag, state))
        with open(path, "w") as handle:
            json.dump({"bench_tag": tag, "bench_state": state,
                       "bench_devices": [{"name": "%s-d%04d" % (tag, i)} for i in range(1, n + 1)]}, handle)
        return path

    def inventory_sources(self, tag, anchor_path):
        """(target, run kind, inventory file, environment) of each measured inventory."""
        tenant = tag + "-tenant"
        ours = {"plugin": "statecraft.infra.nautobot", "tenant": [tenant]}
        cached = dict(ours, cache=True, cache_plugin="ansible.builtin.jsonfile",
                      cache_connection=os.path.join(self.workdir, tag + "-cache"), cache_timeout=3600)
        sources = [("statecraft.infra.nautobot", "read", self.inventory_file(tag + "-read.nautobot.yml", ours),
                    self.env),
                   ("statecraft.infra.nautobot", "cached", self.inventory_file(tag + "-cached.nautobot.yml", cached),
                    self.env)]
        if anchor_path:
            env = dict(self.env, ANSIBLE_COLLECTIONS_PATH=anchor_path + os.pathsep + self.collections)
            rest = {"plugin": "networktocode.nautobot.inventory", "plurals": False, "services": False,
                    "group_by": ["location", "role", "platform", "tenant", "tag", "status"],
                    "query_filters": [{"tenant": tenant}]}
            fields = {"name": None, "location": "name", "role": "name", "platform": {"name": None, "napalm_driver": None},
                      "tenant": "name", "tags": "name", "status": "name", "primary_ip4": "host",
                      "filters": {"tenant": tenant}}
            gql = {"plugin": "networktocode.nautobot.gql_inventory",
                   "query": {"devices": fields, "virtual_machines": dict(
                       (k, v) for k, v in fields.items() if k not in ("location",))},
                   "group_by": ["location.name", "role.name", "platform.name", "tenant.name", "tags.name",
                                "status.name"]}
            sources += [("networktocode.nautobot.inventory", "read", self.inventory_file(tag + "-rest.yml", rest), env),
                        ("networktocode.nautobot.gql_inventory", "read", self.inventory_file(tag + "-gql.yml", gql),
                         env)]
        return sources

    def static_inventory_file(self, tag, source, env):
        """What ``source`` lists (hosts, their variables, the groups and their nesting) as a static
        YAML inventory file, or None when it cannot be read."""
        proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", source, "--list"], capture_output=True,
                              text=True, env=env, cwd=REPO, check=False)
        try:
            listing = json.loads(proc.stdout)
        except ValueError:
            say("  static copy of %s: no listing (%s)" % (source, proc.stderr.strip()[-300:]))
            return None
        groups = dict((name, {"hosts": dict((host, None) for host in group.get("hosts", [])),
                              "children": dict((child, None) for child in group.get("children", []))})
                      for name, group in listing.items() if name not in ("_meta", "all"))
        static = {"all": {"hosts": listing["_meta"]["hostvars"], "children": groups}}
        return self.inventory_file(tag + "-static.yml", static)

    def inventory_file(self, name, config):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as handle:
            json.dump(config, handle, indent=1)  # JSON is YAML
        return path

    def inventory_row(self, tag, n, target, kind, source, env, repeats):
        """The run of median wall time of ``repeats`` (a cached one after a run that fills the cache)."""
        if kind == "cached":
            ansible_inventory(Run(target, n, "inventory", "fill"), source, env)
        rows = []
        for _attempt in range(repeats):
            row = Run(target, n, "inventory", kind)
            self.measure_launch(row, tag, lambda row=row: ansible_inventory(row, source, env))
            rows.append(row)
            if row.failed:
                return row
        return sorted(rows, key=lambda r: r.wall)[len(rows) // 2]


def ansible_inventory(row, source, env):
    """``ansible-inventory --list`` of ``source``: (proc, no task results, wall seconds); the
    hosts and groups it lists go on ``row``."""
    start = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", source, "--list"], capture_output=True,
                          text=True, env=dict(env, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true"), cwd=REPO,
                          check=False)
    wall = time.monotonic() - start
    try:
        listing = json.loads(proc.stdout)
    except ValueError:
        listing = {}
    row.hosts = len(listing.get("_meta", {}).get("hostvars", {}))
    row.groups = len([g for g in listing if g not in ("_meta", "all", "ungrouped")])
    return proc, [], wall


# -- the anchor ------------------------------------------------------------------------------------
def install_anchor(tarball, workdir):
    """The anchor collection in a scratch collections path, pynautobot importable; the path or None."""
    if not os.path.isfile(tarball):
        say("ANCHOR=%s: no such file; anchor skipped" % tarball)
        return None
    target = os.path.join(workdir, "anchor-collections")
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", tarball, "-p", target,
                           "--offline", "--no-deps", "--force"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        say("anchor: ansible-galaxy collection install failed; anchor skipped\n%s%s" % (proc.stdout, proc.stderr))
        return None
    # pynautobot for the anchor's modules, netutils for its gql_inventory
    check = [sys.executable, "-c", "import netutils, pynautobot; print(pynautobot.__version__)"]
    probe = subprocess.run(check, capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        requirements = os.path.join(HERE, "requirements.txt")
        say("anchor: pynautobot or netutils is not importable by %s; pip install -r %s" % (sys.executable, requirements))
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", requirements],
                             capture_output=True, text=True, check=False)
        if pip.returncode != 0:
            say("anchor: pip install failed; anchor skipped\n%s%s" % (pip.stdout[-2000:], pip.stderr[-2000:]))
            return None
        probe = subprocess.run(check, capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            say("anchor: pynautobot or netutils still not importable; anchor skipped\n%s" % probe.stderr[-2000:])
            return None
    with open(os.path.join(target, "ansible_collections", "networktocode", "nautobot", "MANIFEST.json")) as handle:
        version = json.load(handle)["collection_info"]["version"]
    say("anchor: networktocode.nautobot %s in %s, pynautobot %s" % (version, target, probe.stdout.strip()))
    return target


# -- emulators -------------------------------------------------------------------------------------
def fake_ssh_key(seed):
    """A well-formed ssh-ed25519 public key (32 bytes derived from ``seed``)."""
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + hashlib.sha256(seed.encode()).digest()
    return "ssh-ed25519 %s bench@runner" % base64.b64encode(blob).decode()


def ssh_key_items(seed):
    def items(n):
        return [{"name": "bench-key-%03d" % i, "key": fake_ssh_key("%s%d" % (seed, i))} for i in range(1, n + 1)]
    return items


def node_items(n):
    return [{"name": "bench-%03d" % i} for i in range(1, n + 1)]


def tag_items(n):
    return [{"name": "bench-tag-%03d" % i, "color": "%06X" % (i * 4099 % 0xFFFFFF)} for i in range(1, n + 1)]


def start_emulator(platform):
    """(emulator, module group, connection options, module, task options, items(n), login path: a POST
    that writes no state, left out of the writes)."""
    if platform == "air":
        from air_emulator import AirEmulator
        emu = AirEmulator(speed=30.0).start()
        connection = {"api_url": emu.url, "username": emu.username, "password": emu.api_token}
        options = {"name": "{{ item.name }}", "public_key": "{{ item.key }}"}
        return emu, "air", connection, "air_ssh_key", options, ssh_key_items("air"), "/api/v1/login/"
    if platform == "cloudcix":
        from cloudcix_emulator import CloudcixEmulator
        emu = CloudcixEmulator(speed=60.0).start()
        connection = {"api_url": emu.api_url, "api_username": emu.email, "api_password": emu.password,
                      "api_key": emu.api_key, "region_id": emu.region_id}
        options = {"name": "{{ item.name }}", "public_key": "{{ item.key }}"}
        return emu, "cloudcix", connection, "cloudcix_ssh_key", options, ssh_key_items("cloudcix"), "/membership/auth/login/"
    if platform == "cyclecloud":
        from cyclecloud_emulator import DEFAULT_FIXTURE, CycleCloudEmulator
        fixture = copy.deepcopy(DEFAULT_FIXTURE)
        hpc = fixture["clusters"][0]  # room for the bench's nodes in cluster hpc, node array execute
        hpc.update(maxCount=1000, maxCoreCount=10000)
        for nodearray in hpc["nodearrays"]:
            if nodearray["name"] == "execute":
                nodearray.update(maxCount=1000, maxCoreCount=10000)
        emu = CycleCloudEmulator(speed=120.0, fixture=fixture).start()
        connection = {"url": emu.url, "username": emu.username, "password": emu.password}
        options = {"cluster": "hpc", "names": ["{{ item.name }}"], "node_array": "execute", "wait": False}
        return emu, "cyclecloud", connection, "cyclecloud_node", options, node_items, None
    if platform == "airbyte":
        from airbyte_emulator import AirbyteEmulator
        emu = AirbyteEmulator(speed=60.0).start()
        connection = {"server_url": emu.url + "/api/public/v1", "client_id": emu.client_id,
                      "client_secret": emu.client_secret}
        options = {"workspace": "Default Workspace", "name": "{{ item.name }}", "color": "{{ item.color }}"}
        return emu, "airbyte", connection, "airbyte_tag", options, tag_items, "/api/public/v1/applications/token"
    raise ValueError(platform)


def emulator_bench(platform, paths, n, workdir):
    emu, group, connection, module, options, items, login = start_emulator(platform)
    rows = []
    try:
        vars_path = os.path.join(workdir, "%s-vars.json" % platform)
        with open(vars_path, "w") as handle:
            json.dump(dict([("bench_conn_" + k, v) for k, v in connection.items()] + [("bench_items", items(n))]),
                      handle)
        play = [{"name": "Bench %s" % platform, "hosts": "localhost", "gather_facts": False,
                 "vars_files": [vars_path],
                 "module_defaults": {"group/statecraft.infra." + group:
                                     dict((k, "{{ bench_conn_%s }}" % k) for k in connection)},
                 "tasks": [{"name": "Items", "statecraft.infra." + module: options,
                            "loop": "{{ bench_items }}", "loop_control": {"label": "{{ item.name }}"}}]}]
        playbook = os.path.join(workdir, "%s.yml" % platform)
        with open(playbook, "w") as handle:
            json.dump(play, handle, indent=1)  # JSON is YAML
        env = dict(os.environ, ANSIBLE_CONFIG=ANSIBLE_CFG, ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="0",
                   ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH")
                   or os.path.join(REPO, "build", "collections"))
        for name in list(env):
            if name.startswith(("NAUTOBOT_", "AIR_", "CYCLECLOUD_", "CLOUDCIX_", "AIRBYTE_")):
                del env[name]  # the connection comes from the play
        for path in paths:
            emu.reset()
            for kind in ("create", "converged"):
                row = Run("%s: %s" % (platform, module), n, path, kind)
                mark = len(emu.log)
                args = ["-e", json.dumps({"statecraft_infra_in_process": path != "module"})]
                proc, results, row.wall = ansible_playbook(playbook, env, args, workdir)
                time.sleep(0.2)
                log = emu.log[mark:]
                row.requests = len(log)
                row.writes = sum(1 for r in log if r["method"] in WRITE_METHODS and r["path"] != login)
                row.changed = changed_objects(results)
                if proc.returncode != 0:
                    row.failed = failure_text(proc, results)
                rows.append(row)
                report_row(row)
                if row.failed:
                    break
        errors = getattr(emu, "validation_errors", None)
        if errors:
            say("  %s: the emulator saw %d requests or responses off its OpenAPI document" % (platform, len(errors)))
    finally:
        emu.stop()
    return rows


# -- output ----------------------------------------------------------------------------------------
ROW_FORMAT = "%-28s %5s %-10s %-10s %8s %9s %8s %7s %8s %5s  %s"


def report_header():
    say(ROW_FORMAT % ("target", "N", "path", "run", "wall_s", "requests", "req/obj", "writes", "changed", "load", ""))


def report_row(row):
    note = "FAILED " + row.failed if row.failed else ""
    if row.busy and not row.failed:
        note = "* server in use by others (%d of their requests in the window, left out)" % row.foreign
    if row.missing:
        note += " (%d requests sent but not in the access log)" % row.missing
    per_object = "-" if row.failed else "%.2f" % row.per_object
    say(ROW_FORMAT % (row.target, row.n, row.path, row.kind, "%.1f" % row.wall, row.requests, per_object, row.writes,
                      row.changed, "%.1f" % row.load, note))


STATIC_TARGET = "static file, same hosts (floor)"
INVENTORY_FORMAT = "%-38s %5s %-7s %8s %9s %6s %7s %5s  %s"


def report_inventory_header():
    say(INVENTORY_FORMAT % ("inventory", "N", "run", "wall_s", "requests", "hosts", "groups", "load", ""))


def report_inventory_row(row):
    note = "FAILED " + row.failed if row.failed else ""
    if row.busy and not row.failed:
        note = "* server in use by others (%d of their requests in the window, left out)" % row.foreign
    say(INVENTORY_FORMAT % (row.target, row.n, row.kind, "%.2f" % row.wall, row.requests, row.hosts, row.groups,
                            "%.1f" % row.load, note))


def inventory_markdown(rows):
    """The inventory rows as a table, and the anchors' wall times over ours."""
    lines = ["| inventory | N | run | wall s | requests | hosts | groups |", "|---|---:|---|---:|---:|---:|---:|"]
    for row in rows:
        lines.append("| %s | %d | %s | %s | %s | %s | %s |" % (
            row.target, row.n, row.kind, "failed" if row.failed else "%.2f%s" % (row.wall, "*" if row.busy else ""),
            row.requests, row.hosts, row.groups))
    for n in sorted(set(r.n for r in rows)):
        found = dict(((r.target, r.kind), r) for r in rows if r.n == n and not r.failed)
        ours = found.get(("statecraft.infra.nautobot", "read"))
        anchors = [r for (target, _kind), r in found.items() if target.startswith("networktocode.")]
        floor = found.get((STATIC_TARGET, "read"))
        if ours and floor:
            lines.append("\nN=%d: ansible-inventory alone (a static file of the same hosts and groups) takes %.2f s; "
                         "above that, ours %.2f s%s" % (
                             n, floor.wall, ours.wall - floor.wall, "".join(
                                 ", %s %.2f s" % (r.target, r.wall - floor.wall) for r in anchors)))
        if ours and anchors:
            fastest = min(anchors, key=lambda r: r.wall)
            lines.append("\nN=%d: statecraft.infra.nautobot %.2f s; %s; the faster anchor (%s) over ours: %.1fx%s" % (
                n, ours.wall, "; ".join("%s %.2f s (%.1fx)" % (r.target, r.wall, r.wall / ours.wall) for r in anchors),
                fastest.target, fastest.wall / ours.wall, "; cached %.2f s" % found[(ours.target, "cached")].wall
                if (ours.target, "cached") in found else ""))
    return "\n".join(lines)


def cell(row):
    if row is None:
        return "", ""
    if row.failed:
        return "failed", ""
    return "%.1f%s" % (row.wall, "*" if row.busy else ""), "%.2f" % row.per_object


def markdown(rows, ratios):
    groups = []
    for row in rows:
        key = (row.target, row.n, row.path)
        if key not in groups:
            groups.append(key)
    lines = ["| target | N | path | create s | req/obj | converged s | req/obj | update s | req/obj | changed c/cv/u |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for key in groups:
        by_kind = dict((r.kind, r) for r in rows if (r.target, r.n, r.path) == key)
        cells = []
        for kind in RUNS:
            cells.extend(cell(by_kind.get(kind)))
        changed = "/".join(str(by_kind[k].changed) if k in by_kind else "-" for k in RUNS)
        lines.append("| %s | %d | %s | %s | %s |" % (key[0], key[1], key[2], " | ".join(cells), changed))
    out = "\n".join(lines)
    if ratios:
        out += "\n\nAnchor (networktocode.nautobot, looped device task) over statecraft.infra:\n\n"
        out += "\n".join("- " + r for r in ratios)
    return out


def anchor_ratios(rows):
    """One line per run kind and N: the anchor's figures over statecraft's in-process (and bulk) ones."""
    found = dict(((r.n, r.path, r.kind), r) for r in rows if r.target == "nautobot" and not r.failed)
    lines = []
    for (n, path, kind), anchor in sorted(found.items(), key=lambda kv: (kv[0][0], RUNS.index(kv[0][2]))):
        if path != "anchor":
            continue
        parts = []
        for ours, label in (("inprocess", "statecraft in-process"), ("bulk", "bulk")):
            mine = found.get((n, ours, kind))
            if mine:
                parts.append("%s %.1f s / %d req: %.1fx time, %.1fx req" % (
                    label, mine.wall, mine.requests, anchor.wall / mine.wall,
                    anchor.requests / float(mine.requests) if mine.requests else float("inf")))
        if parts:
            lines.append("%s %d: anchor %.1f s / %d req; %s" % (kind, n, anchor.wall, anchor.requests, "; ".join(parts)))
    return lines


def main():
    sizes = [int(s) for s in env_list("BENCH_SIZES", "20,200,1000")]
    paths = env_list("BENCH_PATHS", ",".join(PATHS), PATHS, PATH_ALIASES)
    # a launch per item is what the other paths remove: at 1,000 items the module path and
    # the anchor would take an hour each, and show nothing 200 items do not
    small = ",".join(str(s) for s in sizes if s <= 200)
    module_sizes = [int(s) for s in env_list("BENCH_MODULE_SIZES", small)]
    anchor_sizes = [int(s) for s in env_list("BENCH_ANCHOR_SIZES", small)]
    inprocess_sizes = [int(s) for s in env_list("BENCH_INPROCESS_SIZES", ",".join(str(s) for s in sizes))]
    anchor_runs = env_list("BENCH_ANCHOR_RUNS", ",".join(RUNS), RUNS)
    inventory_sizes = [int(s) for s in env_list("BENCH_INVENTORY_SIZES", str(max(sizes)) if sizes else "")]
    inventory_repeat = int(os.environ.get("BENCH_INVENTORY_REPEAT", "3"))
    platforms = env_list("BENCH_EMULATORS", ",".join(EMULATORS), EMULATORS)
    items = int(os.environ.get("BENCH_EMULATOR_ITEMS", "50"))
    attribution = (env_list("BENCH_ATTRIBUTION", "proxy", ("proxy", "log")) or ["log"])[0]
    tarball = os.environ.get("ANCHOR", "").strip()

    collection = os.path.join(os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(REPO, "build", "collections"),
                              "ansible_collections", "statecraft", "infra")
    if not os.path.isdir(collection):
        sys.exit("no collection at %s: run `make collection` (or `make bench`)" % collection)

    workdir = tempfile.mkdtemp(prefix="statecraft-bench-")
    rows, ratios, inventory_rows = [], [], []
    try:
        say("statecraft.infra bench, %s; ansible-core from %s" % (time.strftime("%Y-%m-%d %H:%M:%S"), BIN))
        if "bulk" in paths and not os.path.exists(BULK_MODULE):
            say("bulk path SKIPPED: plugins/modules/nautobot_bulk.py is not there (statecraft.infra.nautobot_bulk "
                "is not written yet); the other paths run")
            paths = [p for p in paths if p != "bulk"]
        if sizes:
            nautobot = NautobotBench(workdir, attribution)
            say("Nautobot %s at %s; requests from %s%s; sizes %s; paths %s" % (
                nautobot.server.get("NAUTOBOT_VERSION", "?"), nautobot.server["NAUTOBOT_URL"], nautobot.log.path,
                " (the runs' own lines: relayed by a pass-through proxy at %s)" % nautobot.tally.url
                if nautobot.tally else "", ",".join(map(str, sizes)), ",".join(paths)))
            anchor_path = install_anchor(tarball, workdir) if tarball else None
            if not tarball:
                say("no ANCHOR: the networktocode.nautobot comparison is skipped")
            device_paths = [p for p in paths if p != "inventory"]
            if device_paths:
                report_header()
            playbook = os.path.join(HERE, "nautobot_devices.yml")
            for n in sizes if device_paths else []:
                for path in paths:
                    if (path == "module" and n not in module_sizes) or (path == "inprocess" and n not in inprocess_sizes):
                        continue
                    if path == "inventory":
                        continue  # below, once the device runs are done
                    extra = ["-e", json.dumps({"statecraft_infra_in_process": path != "module"})]
                    rows += nautobot.series("nautobot", n, path, RUNS, playbook,
                                            "bulk" if path == "bulk" else "loop", extra)
                if anchor_path and n in anchor_sizes and anchor_runs:
                    env = dict(nautobot.env, ANSIBLE_COLLECTIONS_PATH=anchor_path + os.pathsep + nautobot.collections)
                    rows += nautobot.series("nautobot", n, "anchor", anchor_runs,
                                            os.path.join(HERE, "anchor_devices.yml"), "loop", env=env)
            ratios = anchor_ratios(rows)
            if "inventory" in paths and inventory_sizes:
                say("")
                say("Inventory: ansible-inventory --list of N devices with their groups, median of %d runs" %
                    inventory_repeat)
                report_inventory_header()
                for n in inventory_sizes:
                    inventory_rows += nautobot.inventory_series(n, anchor_path, inventory_repeat)
            if nautobot.tally:
                nautobot.tally.stop()
        emulator_paths = [p for p in paths if p not in ("bulk", "inventory")]
        if platforms and emulator_paths:
            say("")
            say("Emulators: a %d-item loop per platform, paths %s" % (items, ",".join(emulator_paths)))
            report_header()
            for platform in platforms:
                rows += emulator_bench(platform, emulator_paths, items, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    say("")
    loads = [r.load for r in rows + inventory_rows]
    say("Summary (wall s include ansible-playbook's start; req/obj = all requests of the run / N; * = others used "
        "the server around the run; load average %.1f-%.1f on %d CPUs):" % (
            min(loads or [0]), max(loads or [0]), os.cpu_count() or 0))
    say("")
    if rows:
        say(markdown(rows, ratios))
    if inventory_rows:
        say("")
        say(inventory_markdown(inventory_rows))
    return 1 if any(r.failed for r in rows + inventory_rows) else 0


if __name__ == "__main__":
    sys.exit(main())
