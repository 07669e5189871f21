# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Run it with python3.11: make nautobot-up / make nautobot-down
"""Start and stop a real Nautobot for the statecraft.infra integration tests.

Stdlib only; run it with python3.11.  Commands:

    up        start (or reuse) private PostgreSQL + Redis, give Nautobot a fresh
              database, create admin user + API token, start Nautobot, write env files
    down      stop everything this harness started (as recorded in state.json)
    status    show what is running
    env       print `export NAUTOBOT_URL=... NAUTOBOT_TOKEN=...` lines (eval-able)
    reset-db  with Nautobot running: replace its database with a fresh migrated
              copy, recreate admin + token, rewrite env files (no server restart)

See tests/harness/README.md for the layout of the cache and runtime directories.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import glob
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

# One instance per Nautobot series, each with its own cache, run dir and ports, so several run
# at once. The default series keeps the unsuffixed environment overrides (STATECRAFT_RUN,
# NAUTOBOT_PORT, STATECRAFT_PG_PORT, STATECRAFT_REDIS_PORT); another series reads the same
# names with its series as a suffix (NAUTOBOT_PORT_2_4), so one shell can hold both.
# Every instance also runs one Nautobot app (`apps`: distribution, release, the module
# PLUGINS names), so the tests reach an app's endpoints (/api/plugins/...); each series
# takes the app's release built for it.
INSTANCES = {
    "3.2": {"version": "3.2.7", "run": "/tmp/statecraft-nautobot", "nautobot": 8180, "postgres": 54329,
            "redis": 6389, "apps": [("nautobot-bgp-models", "3.2.0", "nautobot_bgp_models")]},
    "2.4": {"version": "2.4.44", "run": "/tmp/statecraft-nautobot-2.4", "nautobot": 8124, "postgres": 54324,
            "redis": 6324, "apps": [("nautobot-bgp-models", "2.4.1", "nautobot_bgp_models")]},
}
DEFAULT_SERIES = "3.2"

CACHE_ROOT = os.environ.get("STATECRAFT_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "statecraft-infra"
)
HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
JOBS_SOURCE = os.path.join(HARNESS_DIR, "jobs")  # the test Jobs copied into every instance's JOBS_ROOT
HOST = "127.0.0.1"
HEALTH_TIMEOUT = int(os.environ.get("STATECRAFT_HEALTH_TIMEOUT", "180"))

DB_NAME = "nautobot"
DB_TEMPLATE = "nautobot_template"  # fresh migrated copy; `reset-db` clones it (fast file copy)
DB_USER = "nautobot"
ADMIN_USER = "admin"
REDIS_CACHE_DB = 1  # Django's cache; the Celery broker uses db 0


def series_of(version: str | None) -> str:
    """The instance a version names: a series ("2.4") or its pinned release ("2.4.44")."""
    version = (version or DEFAULT_SERIES).strip()
    for series, instance in INSTANCES.items():
        if version in (series, instance["version"]):
            return series
    known = ", ".join("%s (%s)" % (s, i["version"]) for s, i in INSTANCES.items())
    raise SystemExit(f"[nautobot-harness] ERROR: unknown Nautobot version {version!r}; known: {known}")


def configure(series: str) -> None:
    """Set the paths and ports of one instance (module globals, as every step reads them)."""
    global SERIES, NAUTOBOT_VERSION, NB_CACHE, VENV, VENV_MARKER, DUMP, CACHE_LOCK, NAUTOBOT_SERVER, RUN
    global CONFIG, STATE, ENV_FILE, ENV_JSON, RUN_LOCK, NAUTOBOT_ROOT, JOBS_ROOT, NAUTOBOT_LOG, WORKER_LOG
    global ACCESS_LOG, MIGRATE_LOG, PGDATA, TEMPLATE_STAMP, PGSOCK, PG_LOG, REDIS_DIR, REDIS_PID, REDIS_LOG
    global PG_PORT, REDIS_PORT, NAUTOBOT_PORT, APPS, APPS_KEY, APPS_MARKER, BASE_DUMP
    instance = INSTANCES[series]
    suffix = "" if series == DEFAULT_SERIES else "_" + series.replace(".", "_")

    def override(name, default):
        return os.environ.get(name + suffix) or default

    version = instance["version"]
    cache = os.path.join(CACHE_ROOT, f"nautobot-{version}")
    venv = os.path.join(cache, "venv")
    run_dir = os.path.abspath(override("STATECRAFT_RUN", instance["run"]))
    root = os.path.join(run_dir, "nautobot-root")
    SERIES = series
    NAUTOBOT_VERSION = version
    NB_CACHE = cache
    VENV = venv
    VENV_MARKER = os.path.join(venv, ".statecraft-install-ok")
    APPS = instance["apps"]
    APPS_KEY = " ".join(f"{dist}=={release}" for dist, release, _module in APPS)
    APPS_MARKER = os.path.join(venv, ".statecraft-apps")  # the APPS_KEY installed in the venv
    BASE_DUMP = os.path.join(cache, "migrated.dump")  # Nautobot's own migrations only
    # Nautobot's and the apps' migrations: BASE_DUMP plus the apps' own, named after them
    DUMP = os.path.join(cache, "migrated-%s.dump" % "-".join(f"{m}-{r}" for _d, r, m in APPS))
    CACHE_LOCK = os.path.join(cache, ".lock")
    NAUTOBOT_SERVER = os.path.join(venv, "bin", "nautobot-server")
    RUN = run_dir
    CONFIG = os.path.join(run_dir, "nautobot_config.py")
    STATE = os.path.join(run_dir, "state.json")
    ENV_FILE = os.path.join(run_dir, "env")
    ENV_JSON = os.path.join(run_dir, "env.json")
    RUN_LOCK = os.path.join(run_dir, ".lock")
    NAUTOBOT_ROOT = root
    JOBS_ROOT = os.path.join(root, "jobs")
    NAUTOBOT_LOG = os.path.join(run_dir, "nautobot.log")
    WORKER_LOG = os.path.join(run_dir, "worker.log")
    ACCESS_LOG = os.path.join(run_dir, "access.log")
    MIGRATE_LOG = os.path.join(run_dir, "migrate.log")
    PGDATA = os.path.join(run_dir, "pgdata")
    TEMPLATE_STAMP = os.path.join(run_dir, "template.stamp")  # which dump the template database holds
    PGSOCK = os.path.join(run_dir, "pgsock")
    PG_LOG = os.path.join(run_dir, "postgres.log")
    REDIS_DIR = os.path.join(run_dir, "redis")
    REDIS_PID = os.path.join(run_dir, "redis.pid")
    REDIS_LOG = os.path.join(run_dir, "redis.log")
    PG_PORT = int(override("STATECRAFT_PG_PORT", instance["postgres"]))
    REDIS_PORT = int(override("STATECRAFT_REDIS_PORT", instance["redis"]))
    NAUTOBOT_PORT = int(override("NAUTOBOT_PORT", instance["nautobot"]))


configure(series_of(os.environ.get("STATECRAFT_NAUTOBOT_VERSION")))

IS_ROOT = os.geteuid() == 0


class HarnessError(Exception):
    """A step failed; the message (and optional output tail) is shown to the user."""

    def __init__(self, message: str, output: str | None = None):
        super().__init__(message)
        self.output = output


def step(msg: str) -> None:
    print(f"[nautobot-harness] {msg}", flush=True)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def tail_file(path: str, lines: int = 40) -> str:
    try:
        with open(path, errors="replace") as fh:
            return tail(fh.read(), lines)
    except OSError as exc:
        return f"(cannot read {path}: {exc})"


def run(cmd, what, *, env=None, user=None, check=True, timeout=None, input_text=None):
    """Run cmd, capture output; on failure raise HarnessError with the output tail."""
    if user and IS_ROOT:
        cmd = ["runuser", "-u", user, "--"] + list(cmd)
    try:
        proc = subprocess.run(
            cmd,
            env=env,
            input=input_text,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            stdin=None if input_text is not None else subprocess.DEVNULL,
            check=False,  # the return code is examined below, with the output tail
        )
    except FileNotFoundError as exc:
        raise HarnessError(f"{what}: command not found: {exc.filename}") from None
    except subprocess.TimeoutExpired as exc:
        out = exc.output or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        raise HarnessError(f"{what}: timed out after {timeout}s: {shlex.join(cmd)}", out) from None
    if check and proc.returncode != 0:
        raise HarnessError(f"{what}: exit code {proc.returncode}: {shlex.join(cmd)}", proc.stdout)
    return proc


def run_logged(cmd, what, log_path, *, env=None, progress=None, interval=30, append=False):
    """Run a long command with output to log_path, printing a progress line every `interval` s."""
    start = time.monotonic()
    with open(log_path, "a" if append else "w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        next_report = start + interval
        while proc.poll() is None:
            time.sleep(1)
            if time.monotonic() >= next_report:
                next_report += interval
                extra = progress(log_path) if progress else ""
                step(f"  ... {what}: {int(time.monotonic() - start)}s elapsed{extra}")
    if proc.returncode != 0:
        raise HarnessError(
            f"{what}: exit code {proc.returncode}: {shlex.join(cmd)} (log: {log_path})", tail_file(log_path)
        )
    return time.monotonic() - start


def pid_alive(pid) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is not alive
    try:
        with open(f"/proc/{int(pid)}/stat") as fh:
            if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    except (OSError, IndexError):
        pass
    return True


def pid_cmdline(pid) -> str:
    try:
        with open(f"/proc/{int(pid)}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, ValueError, TypeError):
        return ""


@contextlib.contextmanager
def file_lock(path: str):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            step(f"waiting for lock {path} (another harness process is busy)")
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def write_atomic(path: str, text: str, mode: int = 0o644) -> None:
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def load_state() -> dict:
    try:
        with open(STATE) as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        step(f"warning: ignoring unreadable {STATE}: {exc}")
        return {}


def save_state(state: dict) -> None:
    write_atomic(STATE, json.dumps(state, indent=2, sort_keys=True) + "\n")


# --------------------------------------------------------------------------- packages

def pg_bindir() -> str | None:
    def version_key(path):
        ver = path.split("/")[-3]
        return [int(x) if x.isdigit() else 0 for x in ver.split(".")]

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version_key)
    if candidates:
        return os.path.dirname(candidates[-1])
    found = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(found)) if found else None


def redis_server_bin() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )


def ensure_packages() -> None:
    bindir = pg_bindir()
    missing_pg = not bindir or not all(
        os.path.exists(os.path.join(bindir, b)) for b in ("initdb", "pg_ctl", "psql", "pg_dump", "pg_restore")
    )
    missing_redis = redis_server_bin() is None
    if not (missing_pg or missing_redis):
        return
    if not IS_ROOT:
        raise HarnessError(
            "PostgreSQL and/or redis-server are not installed and we are not root; "
            "install them with: sudo apt-get install -y postgresql redis-server"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    step("installing Debian packages postgresql redis-server (apt-get update) ...")
    run(["apt-get", "update"], "apt-get update", env=env, timeout=900)
    step("installing Debian packages postgresql redis-server (apt-get install) ...")
    run(["apt-get", "install", "-y", "--no-install-recommends", "postgresql", "redis-server"],
        "apt-get install", env=env, timeout=1800)
    if pg_bindir() is None or redis_server_bin() is None:
        raise HarnessError("apt-get install finished but initdb / redis-server still not found")


# --------------------------------------------------------------------------- venv

def venv_python() -> str:
    return os.path.join(VENV, "bin", "python")


def nautobot_version_ok() -> bool:
    if not os.path.exists(NAUTOBOT_SERVER):
        return False
    proc = run([NAUTOBOT_SERVER, "--version"], "nautobot-server --version", env=nautobot_env(), check=False,
               timeout=120)
    return proc.returncode == 0 and f"Nautobot version: {NAUTOBOT_VERSION}" in proc.stdout


def ensure_venv() -> None:
    if os.path.exists(VENV_MARKER) and os.path.exists(NAUTOBOT_SERVER):
        return
    os.makedirs(NB_CACHE, exist_ok=True)
    with file_lock(CACHE_LOCK):
        if os.path.exists(VENV_MARKER) and os.path.exists(NAUTOBOT_SERVER):
            return
        # A venv installed without the marker (e.g. by hand): accept it if it works.
        if nautobot_version_ok():
            step(f"existing venv {VENV} has Nautobot {NAUTOBOT_VERSION}; marking it complete")
            write_atomic(VENV_MARKER, f"nautobot=={NAUTOBOT_VERSION}\n")
            return
        # the interpreter running this script is known to work; otherwise look for python3.11
        python = sys.executable if sys.version_info[:2] == (3, 11) else shutil.which("python3.11")
        if python is None:
            raise HarnessError("python3.11 not found on PATH (needed to create the Nautobot venv)")
        if os.path.exists(VENV):
            step(f"removing incomplete venv {VENV}")
            shutil.rmtree(VENV)
        step(f"creating venv {VENV} with {python}")
        run([python, "-m", "venv", VENV], "python3.11 -m venv", timeout=300)
        log = os.path.join(NB_CACHE, "pip-install.log")
        step(f"pip install nautobot=={NAUTOBOT_VERSION} (several minutes; log: {log})")
        env = clean_env()
        run_logged([venv_python(), "-m", "pip", "install", "--upgrade", "pip"], "pip upgrade", log, env=env)
        took = run_logged(
            [venv_python(), "-m", "pip", "install", f"nautobot=={NAUTOBOT_VERSION}"],
            "pip install", log, env=env, append=True,
            progress=lambda p: f" ({tail_file(p, 1)[:100]})",
        )
        if not nautobot_version_ok():
            raise HarnessError("nautobot-server --version does not report the expected version after install",
                               tail_file(log))
        write_atomic(VENV_MARKER, f"nautobot=={NAUTOBOT_VERSION}\n")
        step(f"venv ready ({took:.0f}s)")


def ensure_apps() -> None:
    """The pinned apps of this instance in its venv (nautobot kept at its release)."""
    try:
        with open(APPS_MARKER) as fh:
            if fh.read().strip() == APPS_KEY:
                return
    except OSError:
        pass
    with file_lock(CACHE_LOCK):
        log = os.path.join(NB_CACHE, "pip-install.log")
        step(f"pip install {APPS_KEY} (log: {log})")
        took = run_logged(
            [venv_python(), "-m", "pip", "install", f"nautobot=={NAUTOBOT_VERSION}"]
            + [f"{dist}=={release}" for dist, release, _module in APPS],
            "pip install (apps)", log, env=clean_env(), append=True,
        )
        if not nautobot_version_ok():
            raise HarnessError("installing the apps changed the Nautobot release", tail_file(log))
        write_atomic(APPS_MARKER, APPS_KEY + "\n")
        step(f"apps installed ({took:.0f}s)")


def clean_env() -> dict:
    env = dict(os.environ)
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE"):
        env.pop(var, None)
    return env


def nautobot_env(extra: dict | None = None) -> dict:
    env = clean_env()
    env.update(
        NAUTOBOT_CONFIG=CONFIG,
        NAUTOBOT_ROOT=NAUTOBOT_ROOT,
        NAUTOBOT_INSTALLATION_METRICS_ENABLED="False",
        PATH=os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", ""),
        VIRTUAL_ENV=VENV,
    )
    if extra:
        env.update(extra)
    return env


# --------------------------------------------------------------------------- postgres

def pg(binary: str) -> str:
    bindir = pg_bindir()
    if bindir is None:
        raise HarnessError("PostgreSQL binaries not found")
    return os.path.join(bindir, binary)


def pg_superuser() -> str:
    return "postgres"


def chown_pg(path: str) -> None:
    if IS_ROOT:
        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


def pg_ready() -> bool:
    proc = run([pg("pg_isready"), "-q", "-h", PGSOCK, "-p", str(PG_PORT)], "pg_isready", check=False, timeout=30)
    return proc.returncode == 0


def pg_pid() -> int | None:
    try:
        with open(os.path.join(PGDATA, "postmaster.pid")) as fh:
            pid = int(fh.readline().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) and "postgres" in pid_cmdline(pid) else None


def psql(sql: str, what: str, db: str = "postgres") -> str:
    return run(
        [pg("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", PGSOCK, "-p", str(PG_PORT),
         "-U", pg_superuser(), "-d", db, "-c", sql],
        what, timeout=300,
    ).stdout.strip()


def ensure_postgres(state: dict) -> None:
    if pg_pid() and pg_ready():
        if "postgres" in state.get("started", {}):
            step(f"postgres already running on {HOST}:{PG_PORT} (started by this harness)")
        else:
            step(f"postgres already running on {HOST}:{PG_PORT} (not started by us; reusing, won't stop it)")
        return
    if IS_ROOT:
        # postgres (the OS user) must be able to reach RUN
        proc = run(["runuser", "-u", "postgres", "--", "test", "-x", RUN], "check access", check=False)
        if proc.returncode != 0:
            raise HarnessError(f"the postgres OS user cannot access {RUN}; choose another STATECRAFT_RUN")
    version = os.path.basename(os.path.dirname(pg_bindir()))
    pg_version_file = os.path.join(PGDATA, "PG_VERSION")
    if os.path.exists(pg_version_file):
        with open(pg_version_file) as fh:
            if fh.read().strip() != version.split(".")[0]:
                step(f"removing {PGDATA} (made by another PostgreSQL major version)")
                shutil.rmtree(PGDATA)
    for path in (PGSOCK,):
        os.makedirs(path, exist_ok=True)
        os.chmod(path, 0o700)
        chown_pg(path)
    if not os.path.exists(pg_version_file):
        if os.path.exists(PGDATA):
            shutil.rmtree(PGDATA)
        os.makedirs(PGDATA, mode=0o700)
        chown_pg(PGDATA)
        step(f"initdb private PostgreSQL {version} cluster in {PGDATA}")
        run([pg("initdb"), "-D", PGDATA, "-U", pg_superuser(), "-E", "UTF8", "--no-locale", "--no-sync",
             "--auth-local=trust", "--auth-host=scram-sha-256"],
            "initdb", user="postgres", timeout=300)
    if not os.path.exists(PG_LOG):
        open(PG_LOG, "a").close()
    chown_pg(PG_LOG)
    stale = os.path.join(PGDATA, "postmaster.pid")
    if os.path.exists(stale) and pg_pid() is None:
        # left by a postgres that was killed (a session that ended): its pid may now be
        # a zombie or another process, which postgres would take for a live postmaster
        step(f"removing stale {stale}")
        os.remove(stale)
    step(f"starting private postgres on {HOST}:{PG_PORT} (socket dir {PGSOCK}, log {PG_LOG})")
    opts = " ".join([
        f"-c listen_addresses={HOST}",
        f"-c port={PG_PORT}",
        f"-c unix_socket_directories={PGSOCK}",
        # throwaway test database: trade durability for speed
        "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
    ])
    try:
        run([pg("pg_ctl"), "-D", PGDATA, "-l", PG_LOG, "-w", "-t", "60", "-o", opts, "start"],
            "pg_ctl start", user="postgres", timeout=120)
    except HarnessError as exc:
        exc.output = (exc.output or "") + "\n--- postgres.log ---\n" + tail_file(PG_LOG)
        raise
    if not pg_ready():
        raise HarnessError("postgres started but pg_isready fails", tail_file(PG_LOG))
    state.setdefault("started", {})["postgres"] = {"pgdata": PGDATA, "port": PG_PORT, "pid": pg_pid()}
    save_state(state)


def stop_postgres(info: dict) -> None:
    if pg_pid() is None:
        step("postgres: not running")
        return
    step(f"stopping postgres (pgdata {info.get('pgdata', PGDATA)})")
    run([pg("pg_ctl"), "-D", info.get("pgdata", PGDATA), "-m", "fast", "-w", "-t", "60", "stop"],
        "pg_ctl stop", user="postgres", timeout=120)


def db_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", "check database") == "1"


def ensure_role(password: str) -> None:
    psql(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') THEN CREATE ROLE %s LOGIN; END IF; END$$;"
        % (DB_USER, DB_USER),
        "create role",
    )
    psql(f"ALTER ROLE {DB_USER} WITH LOGIN PASSWORD '{password}'", "set role password")


def drop_db(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f"drop database {name}")


# --------------------------------------------------------------------------- redis

def redis_cmd(*args: str, timeout: float = 5.0, db: int | None = None) -> str:
    """One command's one-line reply; ``db``: run it in that database (SELECT first)."""
    commands = ([("SELECT", str(db))] if db is not None else []) + [args]
    payload = "".join(f"*{len(c)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in c) for c in commands)
    with socket.create_connection((HOST, REDIS_PORT), timeout=timeout) as sock:
        sock.sendall(payload.encode())
        data = b""
        while data.count(b"\r\n") < len(commands):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace").strip().split("\r\n")[-1]


def redis_pid() -> int | None:
    try:
        with open(REDIS_PID) as fh:
            pid = int(fh.read().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) and "redis-server" in pid_cmdline(pid) else None


def redis_ready() -> bool:
    try:
        return redis_cmd("PING") == "+PONG"
    except OSError:
        return False


def ensure_redis(state: dict) -> None:
    if redis_pid() and redis_ready():
        who = "started by this harness" if "redis" in state.get("started", {}) else "not started by us; reusing"
        step(f"redis already running on {HOST}:{REDIS_PORT} ({who})")
        return
    if redis_ready():
        raise HarnessError(f"port {HOST}:{REDIS_PORT} answers PING but is not our redis (pidfile {REDIS_PID}); "
                           "set STATECRAFT_REDIS_PORT to a free port")
    os.makedirs(REDIS_DIR, exist_ok=True)
    step(f"starting private redis-server on {HOST}:{REDIS_PORT} (log {REDIS_LOG})")
    run([redis_server_bin(), "--bind", HOST, "--port", str(REDIS_PORT), "--daemonize", "yes",
         "--pidfile", REDIS_PID, "--logfile", REDIS_LOG, "--dir", REDIS_DIR, "--save", "",
         "--appendonly", "no", "--protected-mode", "yes"],
        "redis-server", timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if redis_pid() and redis_ready():
            break
        time.sleep(0.2)
    else:
        raise HarnessError("redis-server did not come up within 30s", tail_file(REDIS_LOG))
    state.setdefault("started", {})["redis"] = {"pid": redis_pid(), "port": REDIS_PORT}
    save_state(state)


def stop_redis(info: dict) -> None:
    pid = redis_pid()
    if pid is None:
        step("redis: not running")
        return
    step(f"stopping redis-server (pid {pid})")
    with contextlib.suppress(OSError):
        redis_cmd("SHUTDOWN", "NOSAVE")
    if not wait_exit(pid, 15):
        os.kill(pid, signal.SIGKILL)
        wait_exit(pid, 5)


def wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.2)
    return not pid_alive(pid)


# --------------------------------------------------------------------------- nautobot config / db

CONFIG_TEMPLATE = '''\
# Generated by tests/harness/nautobot_harness.py on every `up`; do not edit.
from nautobot.core.settings import *  # noqa: F401,F403
from nautobot.core.settings import CACHES as _DEFAULT_CACHES

SECRET_KEY = {secret_key!r}
ALLOWED_HOSTS = ["*"]
DEBUG = False
INSTALLATION_METRICS_ENABLED = False
PLUGINS = {plugins!r}

DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": {db_name!r},
        "USER": {db_user!r},
        "PASSWORD": {db_password!r},
        "HOST": {host!r},
        "PORT": {pg_port!r},
        # No persistent connections: `reset-db` drops the database under the running server.
        "CONN_MAX_AGE": 0,
    }}
}}

_REDIS = "redis://{host}:{redis_port}"
CACHES = {{"default": dict(_DEFAULT_CACHES["default"], LOCATION=_REDIS + "/{cache_db}")}}
CELERY_BROKER_URL = _REDIS + "/0"

NAUTOBOT_ROOT = {root!r}
GIT_ROOT = NAUTOBOT_ROOT + "/git"
JOBS_ROOT = NAUTOBOT_ROOT + "/jobs"
MEDIA_ROOT = NAUTOBOT_ROOT + "/media"
STATIC_ROOT = NAUTOBOT_ROOT + "/static"

# Every request handled by `runserver` is logged by the "django.server" logger; send each one, as a
# single line, to the access log so tests can count server-side HTTP requests.
LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {{
        "normal": {{"format": "%(asctime)s.%(msecs)03d %(levelname)-7s %(name)s : %(message)s", "datefmt": "%H:%M:%S"}},
        "access": {{"format": "%(asctime)s %(message)s"}},
    }},
    "handlers": {{
        "console": {{"level": "INFO", "class": "logging.StreamHandler", "formatter": "normal"}},
        "access_file": {{"level": "INFO", "class": "logging.FileHandler", "filename": {access_log!r}, "formatter": "access"}},
    }},
    "loggers": {{
        "django": {{"handlers": ["console"], "level": "INFO"}},
        "django.server": {{"handlers": ["access_file"], "level": "INFO", "propagate": False}},
        "nautobot": {{"handlers": ["console"], "level": "INFO"}},
    }},
}}
'''


def write_config(db_password: str) -> None:
    os.makedirs(NAUTOBOT_ROOT, exist_ok=True)
    text = CONFIG_TEMPLATE.format(
        secret_key=secrets.token_urlsafe(50),
        db_name=DB_NAME,
        db_user=DB_USER,
        db_password=db_password,
        host=HOST,
        pg_port=str(PG_PORT),
        redis_port=REDIS_PORT,
        cache_db=REDIS_CACHE_DB,
        root=NAUTOBOT_ROOT,
        access_log=ACCESS_LOG,
        plugins=[module for _dist, _release, module in APPS],
    )
    write_atomic(CONFIG, text, 0o600)


def migrate_progress(path: str) -> str:
    try:
        with open(path, errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return ""
    applied = sum(1 for line in lines if "Applying " in line)
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return f", {applied} migrations applied, last: {last[:70]}"


def restore(dump: str, db_name: str) -> None:
    run([pg("pg_restore"), "-h", PGSOCK, "-p", str(PG_PORT), "-U", pg_superuser(), "-d", db_name,
         "--no-owner", "--no-privileges", f"--role={DB_USER}", "--exit-on-error", "-j", "2", dump],
        "pg_restore", timeout=900)


def ensure_dump() -> None:
    """Make sure DUMP exists: migrate a database and pg_dump it (once per cache). The database
    starts from BASE_DUMP when a cache has it (Nautobot's migrations done, only the apps' left:
    a minute instead of six), else empty."""
    if os.path.exists(DUMP):
        return
    with file_lock(CACHE_LOCK):
        if os.path.exists(DUMP):
            return
        drop_db(DB_NAME)
        psql(f'CREATE DATABASE "{DB_NAME}" OWNER {DB_USER}', "create database")
        if os.path.exists(BASE_DUMP):
            step(f"no {DUMP}: restoring {BASE_DUMP} and running `nautobot-server migrate` for the apps "
                 f"(log {MIGRATE_LOG})")
            restore(BASE_DUMP, DB_NAME)
        else:
            step(f"no {DUMP}: running `nautobot-server migrate` on an empty database "
                 f"(takes ~6 minutes; log {MIGRATE_LOG})")
        took = run_logged([NAUTOBOT_SERVER, "migrate", "--no-input"], "nautobot-server migrate", MIGRATE_LOG,
                          env=nautobot_env(), progress=migrate_progress)
        step(f"migrate finished in {took:.0f}s; dumping to {DUMP}")
        tmp = f"{DUMP}.tmp.{os.getpid()}"
        try:
            run([pg("pg_dump"), "-Fc", "-h", PGSOCK, "-p", str(PG_PORT), "-U", pg_superuser(), "-d", DB_NAME,
                 "-f", tmp], "pg_dump", timeout=600)
            os.replace(tmp, DUMP)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def dump_stamp() -> str:
    st = os.stat(DUMP)
    return f"{DUMP} {st.st_size} {st.st_mtime_ns}\n"


def ensure_template() -> None:
    """(Re)create DB_TEMPLATE from DUMP with pg_restore, unless it already holds this very dump."""
    try:
        with open(TEMPLATE_STAMP) as fh:
            current = fh.read() == dump_stamp()
    except OSError:
        current = False
    if current and db_exists(DB_TEMPLATE):
        step(f"template database {DB_TEMPLATE} already holds {DUMP}")
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(TEMPLATE_STAMP)
    step(f"restoring {DUMP} into template database {DB_TEMPLATE} (pg_restore)")
    drop_db(DB_TEMPLATE)
    psql(f'CREATE DATABASE "{DB_TEMPLATE}" OWNER {DB_USER}', "create template database")
    restore(DUMP, DB_TEMPLATE)
    # nobody may connect to it, so CREATE DATABASE ... TEMPLATE always works
    psql(f'ALTER DATABASE "{DB_TEMPLATE}" WITH ALLOW_CONNECTIONS false', "lock template database")
    write_atomic(TEMPLATE_STAMP, dump_stamp())


def fresh_database() -> None:
    """Replace DB_NAME by a copy of DB_TEMPLATE (terminating its connections) and empty the redis cache."""
    step(f"creating fresh database {DB_NAME} from {DB_TEMPLATE}")
    drop_db(DB_NAME)
    psql(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{DB_TEMPLATE}" OWNER {DB_USER}', "clone template database")
    # only the cache's database: db 0 holds the Celery broker's queue bindings, which a
    # running worker declared once and which Nautobot needs to route a Job to it
    step("flushing redis cache database (cached data of the old database)")
    reply = redis_cmd("FLUSHDB", db=REDIS_CACHE_DB)
    if reply != "+OK":
        raise HarnessError(f"redis FLUSHDB failed: {reply}")


# Job rows for the modules in JOBS_ROOT (what `post_upgrade` does after a deploy), with the
# harness's own Jobs enabled (Nautobot installs a Job disabled)
REGISTER_JOBS = """
import os
from django.apps import apps
from nautobot.extras.models import Job
from nautobot.extras.signals import refresh_job_models
refresh_job_models(sender=apps.get_app_config("extras"), apps=apps)
enabled = Job.objects.filter(module_name__in=os.environ["SC_JOB_MODULES"].split(",")).update(enabled=True)
print("STATECRAFT-JOBS-OK", enabled)
"""

CREATE_ADMIN = """
import os
from django.contrib.auth import get_user_model
from nautobot.users.models import Token
User = get_user_model()
User.objects.filter(username=os.environ["SC_ADMIN_USER"]).delete()
user = User.objects.create_superuser(os.environ["SC_ADMIN_USER"], "admin@example.com", os.environ["SC_ADMIN_PASSWORD"])
Token.objects.create(user=user, key=os.environ["SC_TOKEN"], description="statecraft test harness")
print("STATECRAFT-ADMIN-OK", user.pk)
""" + REGISTER_JOBS


def shell_command(script: str) -> list[str]:
    """`nautobot-server shell` running ``script``; 3.x's (Django 5.2) would import every model
    first unless told not to, 2.4's has no such option. `--command`, as 2.4's nautobot-server
    reads `-c` as its own --config."""
    skip_imports = ["--no-imports"] if int(NAUTOBOT_VERSION.split(".")[0]) >= 3 else []
    return [NAUTOBOT_SERVER, "shell"] + skip_imports + ["--command", script]


def job_modules() -> list[str]:
    return sorted(name[:-3] for name in os.listdir(JOBS_SOURCE) if name.endswith(".py"))


def install_jobs() -> bool:
    """Copy the harness's Jobs into JOBS_ROOT; True when a file was new or changed."""
    os.makedirs(JOBS_ROOT, exist_ok=True)
    changed = False
    for module in job_modules():
        source, target = os.path.join(JOBS_SOURCE, module + ".py"), os.path.join(JOBS_ROOT, module + ".py")
        with open(source) as fh:
            text = fh.read()
        with contextlib.suppress(OSError), open(target) as fh:
            if fh.read() == text:
                continue
        write_atomic(target, text)
        changed = True
    return changed


def jobs_enabled(token: str) -> bool:
    """Whether Nautobot lists every harness Job, enabled (one API request)."""
    req = urllib.request.Request(f"http://{HOST}:{NAUTOBOT_PORT}/api/extras/jobs/?limit=1000&"
                                 + "&".join(f"module_name={m}" for m in job_modules()))
    req.add_header("Authorization", f"Token {token}")
    req.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            jobs = json.load(resp)["results"]
    except (urllib.error.URLError, OSError, ValueError, KeyError):
        return False
    return {j["module_name"] for j in jobs if j.get("enabled") and j.get("installed")} == set(job_modules())


def ensure_jobs(env: dict) -> None:
    """On a running instance: the harness's Jobs installed in JOBS_ROOT, registered and enabled."""
    if not install_jobs() and jobs_enabled(env["NAUTOBOT_TOKEN"]):
        return
    step(f"registering and enabling the harness Jobs ({', '.join(job_modules())}) (nautobot-server shell)")
    proc = run(shell_command(REGISTER_JOBS), "register jobs",
               env=nautobot_env({"SC_JOB_MODULES": ",".join(job_modules())}), check=False, timeout=300)
    if proc.returncode != 0 or "STATECRAFT-JOBS-OK" not in proc.stdout:
        raise HarnessError("registering the harness Jobs failed", proc.stdout)


def create_admin() -> dict:
    token = secrets.token_hex(20)
    password = secrets.token_urlsafe(16)
    step(f"creating superuser '{ADMIN_USER}' and API token, enabling the harness Jobs (nautobot-server shell)")
    install_jobs()
    env = nautobot_env({"SC_ADMIN_USER": ADMIN_USER, "SC_ADMIN_PASSWORD": password, "SC_TOKEN": token,
                        "SC_JOB_MODULES": ",".join(job_modules())})
    proc = run(shell_command(CREATE_ADMIN), "create superuser/token",
               env=env, check=False, timeout=300)
    if proc.returncode != 0 or "STATECRAFT-ADMIN-OK" not in proc.stdout or "STATECRAFT-JOBS-OK" not in proc.stdout:
        raise HarnessError("creating superuser/token failed", proc.stdout)
    return {
        "NAUTOBOT_URL": f"http://{HOST}:{NAUTOBOT_PORT}",
        "NAUTOBOT_TOKEN": token,
        "NAUTOBOT_USERNAME": ADMIN_USER,
        "NAUTOBOT_PASSWORD": password,
        "NAUTOBOT_VERSION": NAUTOBOT_VERSION,
        "STATECRAFT_NAUTOBOT_ACCESS_LOG": ACCESS_LOG,
    }


def write_env(env: dict) -> None:
    write_atomic(ENV_FILE, "".join(f"{k}={shlex.quote(str(v))}\n" for k, v in env.items()), 0o600)
    write_atomic(ENV_JSON, json.dumps(env, indent=2) + "\n", 0o600)


def read_env() -> dict | None:
    try:
        with open(ENV_JSON) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def print_exports(env: dict) -> None:
    for key, value in env.items():
        print(f"export {key}={shlex.quote(str(value))}")


# --------------------------------------------------------------------------- nautobot process

def http_status(path: str, token: str | None = None, timeout: float = 10) -> int | None:
    req = urllib.request.Request(f"http://{HOST}:{NAUTOBOT_PORT}{path}")
    if token:
        req.add_header("Authorization", f"Token {token}")
        req.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


def nautobot_pid(state: dict) -> int | None:
    pid = state.get("started", {}).get("nautobot", {}).get("pid")
    return pid if pid and pid_alive(pid) and "nautobot-server" in pid_cmdline(pid) else None


def start_nautobot(state: dict) -> None:
    step(f"starting nautobot-server runserver {HOST}:{NAUTOBOT_PORT} (log {NAUTOBOT_LOG}, "
         f"access log {ACCESS_LOG})")
    log = open(NAUTOBOT_LOG, "a")
    log.write(f"\n===== harness up at {time.strftime('%Y-%m-%d %H:%M:%S')} =====\n")
    log.flush()
    proc = subprocess.Popen(
        [NAUTOBOT_SERVER, "runserver", f"{HOST}:{NAUTOBOT_PORT}", "--noreload"],
        env=nautobot_env({"PYTHONUNBUFFERED": "1"}),
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=RUN,
    )
    log.close()
    state.setdefault("started", {})["nautobot"] = {"pid": proc.pid, "port": NAUTOBOT_PORT}
    save_state(state)
    step(f"waiting for GET /health/ == 200 (pid {proc.pid}, timeout {HEALTH_TIMEOUT}s)")
    start = time.monotonic()
    while time.monotonic() - start < HEALTH_TIMEOUT:
        if proc.poll() is not None:
            state["started"].pop("nautobot", None)
            save_state(state)
            raise HarnessError(f"nautobot-server exited with code {proc.returncode} during startup "
                               f"(log {NAUTOBOT_LOG})", tail_file(NAUTOBOT_LOG))
        if http_status("/health/", timeout=10) == 200:
            step(f"nautobot healthy after {time.monotonic() - start:.1f}s")
            return
        time.sleep(1)
    step(f"GET /health/ still not 200 after {HEALTH_TIMEOUT}s: stopping nautobot-server")
    stop_nautobot(state)
    state["started"].pop("nautobot", None)
    save_state(state)
    raise HarnessError(f"GET /health/ did not return 200 within {HEALTH_TIMEOUT}s (log {NAUTOBOT_LOG})",
                       tail_file(NAUTOBOT_LOG))


def stop_nautobot(state: dict) -> None:
    pid = nautobot_pid(state)
    if pid is None:
        step("nautobot: not running")
        return
    step(f"stopping nautobot-server (pid {pid})")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    if not wait_exit(pid, 20):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        wait_exit(pid, 5)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


# --------------------------------------------------------------------------- celery worker

def worker_pid(state: dict) -> int | None:
    pid = state.get("started", {}).get("worker", {}).get("pid")
    return pid if pid and pid_alive(pid) and "celery" in pid_cmdline(pid) else None


def spawn_worker(state: dict):
    """Start a Celery worker for this instance (Nautobot runs Jobs on one); returns
    (process, log offset) for ``wait_worker``."""
    step(f"starting celery worker (log {WORKER_LOG})")
    with open(WORKER_LOG, "a") as log:
        log.write(f"\n===== harness up at {time.strftime('%Y-%m-%d %H:%M:%S')} =====\n")
        offset = log.tell()
    log = open(WORKER_LOG, "a")
    # one child process: a 2-core machine runs the tests' Jobs one at a time anyway
    proc = subprocess.Popen(
        [NAUTOBOT_SERVER, "celery", "worker", "--loglevel", "INFO", "--concurrency", "1",
         "--hostname", f"statecraft-{SERIES}@%h"],
        env=nautobot_env({"PYTHONUNBUFFERED": "1"}),
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=RUN,
    )
    log.close()
    state.setdefault("started", {})["worker"] = {"pid": proc.pid}
    save_state(state)
    return proc, offset


def wait_worker(state: dict, spawned) -> None:
    """Wait until the worker says it is ready (it then consumes the queue Nautobot sends Jobs to)."""
    proc, offset = spawned
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            state["started"].pop("worker", None)
            save_state(state)
            raise HarnessError(f"celery worker exited with code {proc.returncode} (log {WORKER_LOG})",
                               tail_file(WORKER_LOG))
        with open(WORKER_LOG, errors="replace") as fh:
            fh.seek(offset)
            if " ready." in fh.read():
                step("celery worker ready")
                return
        time.sleep(0.5)
    raise HarnessError(f"celery worker not ready within {HEALTH_TIMEOUT}s (log {WORKER_LOG})", tail_file(WORKER_LOG))


def ensure_worker(state: dict) -> None:
    """The instance's worker, started unless it runs."""
    pid = worker_pid(state)
    if pid:
        step(f"celery worker already running (pid {pid})")
        return
    wait_worker(state, spawn_worker(state))


def stop_worker(state: dict) -> None:
    pid = worker_pid(state)
    if pid is None:
        step("celery worker: not running")
        return
    step(f"stopping celery worker (pid {pid})")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    if not wait_exit(pid, 20):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        wait_exit(pid, 5)


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


# --------------------------------------------------------------------------- commands

def check_instance(state: dict) -> None:
    """A run dir belongs to one Nautobot version: never drive another one's services."""
    recorded = state.get("nautobot_version")
    if recorded and recorded != NAUTOBOT_VERSION and state.get("started"):
        raise HarnessError(f"{RUN} holds a running Nautobot {recorded}, not {NAUTOBOT_VERSION}; "
                           "give this version its own run dir and ports (see tests/harness/README.md)")


def cmd_up(_args) -> int:
    os.makedirs(RUN, exist_ok=True)
    os.chmod(RUN, 0o755)
    with file_lock(RUN_LOCK):
        state = load_state()
        check_instance(state)
        env = read_env()
        if nautobot_pid(state) and env and state.get("apps") == APPS_KEY and http_status("/health/") == 200 \
                and http_status("/api/", env["NAUTOBOT_TOKEN"]) == 200:
            # an instance started before the harness ran Jobs gets its worker and Jobs here,
            # without a restart
            ensure_worker(state)
            ensure_jobs(env)
            step(f"already up: {env['NAUTOBOT_URL']} (env file {ENV_FILE})")
            step(f"connection settings (token included): {ENV_FILE}; `env` prints them")
            return 0
        t0 = time.monotonic()
        if nautobot_pid(state):
            step("nautobot is running but not healthy, its token invalid or its apps others: restarting it")
            stop_nautobot(state)
        if worker_pid(state):
            stop_worker(state)  # it holds the old configuration (the database password changes)
        state.get("started", {}).pop("nautobot", None)
        state.get("started", {}).pop("worker", None)
        state.update(nautobot_version=NAUTOBOT_VERSION, apps=APPS_KEY, run_dir=RUN, cache_dir=NB_CACHE,
                     ports={"postgres": PG_PORT, "redis": REDIS_PORT, "nautobot": NAUTOBOT_PORT})
        state.setdefault("started", {})
        save_state(state)
        if port_in_use(NAUTOBOT_PORT):
            raise HarnessError(f"port {HOST}:{NAUTOBOT_PORT} is already in use by something else; "
                               "set NAUTOBOT_PORT to a free port")
        for path in (ENV_FILE, ENV_JSON):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        ensure_packages()
        ensure_venv()
        ensure_apps()
        ensure_postgres(state)
        ensure_redis(state)
        db_password = secrets.token_hex(16)
        step(f"writing {CONFIG}")
        write_config(db_password)
        ensure_role(db_password)
        ensure_dump()
        ensure_template()
        fresh_database()
        env = create_admin()
        worker = spawn_worker(state)  # starts while runserver does: two cores
        start_nautobot(state)
        wait_worker(state, worker)
        if http_status("/api/", env["NAUTOBOT_TOKEN"]) != 200:
            raise HarnessError("GET /api/ with the new token did not return 200", tail_file(NAUTOBOT_LOG))
        write_env(env)
        step(f"up in {time.monotonic() - t0:.1f}s: {env['NAUTOBOT_URL']} (env file {ENV_FILE})")
        step(f"connection settings (token included): {ENV_FILE}; `env` prints them")
        return 0


def cmd_down(_args) -> int:
    if not os.path.isdir(RUN):
        step(f"nothing to do ({RUN} does not exist)")
        return 0
    with file_lock(RUN_LOCK):
        state = load_state()
        check_instance(state)
        started = state.get("started", {})
        if not started:
            step("nothing recorded in state.json as started by this harness; nothing to stop")
        if "worker" in started:
            stop_worker(state)
        if "nautobot" in started:
            stop_nautobot(state)
        if "redis" in started:
            stop_redis(started["redis"])
        if "postgres" in started:
            stop_postgres(started["postgres"])
        for path in (STATE, ENV_FILE, ENV_JSON):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        step("down")
        return 0


def cmd_status(_args) -> int:
    state = load_state()
    started = state.get("started", {})
    env = read_env()

    def describe(name, pid, port):
        if not pid:
            return f"stopped ({HOST}:{port})"
        who = "started by harness" if name in started else "not started by harness, `down` leaves it"
        return f"running pid {pid} on {HOST}:{port} ({who})"

    print(f"postgres : {describe('postgres', pg_pid() if pg_bindir() else None, PG_PORT)}")
    print(f"redis    : {describe('redis', redis_pid(), REDIS_PORT)}")
    npid = nautobot_pid(state)
    health = http_status("/health/") if npid else None
    print(f"nautobot : {'running pid %s' % npid if npid else 'stopped'} on {HOST}:{NAUTOBOT_PORT}"
          f" (health: {health})")
    wpid = worker_pid(state)
    print(f"worker   : {'running pid %s' % wpid if wpid else 'stopped'}")
    print(f"run dir  : {RUN}")
    print(f"env file : {ENV_FILE if env else '(none)'}")
    print(f"cache    : {NB_CACHE} (venv {'ok' if os.path.exists(VENV_MARKER) else 'missing'}, "
          f"dump {'ok' if os.path.exists(DUMP) else 'missing'})")
    return 0 if npid and health == 200 else 1


def cmd_env(args) -> int:
    env = read_env()
    if env is None:
        print(f"nautobot harness is not up (no {ENV_JSON}); run: {sys.argv[0]} up", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(env, indent=2))
    else:
        print_exports(env)
    return 0


def cmd_reset_db(_args) -> int:
    with file_lock(RUN_LOCK):
        state = load_state()
        check_instance(state)
        t0 = time.monotonic()
        if not (pg_pid() and pg_ready()):
            raise HarnessError("postgres is not running; run `up` first")
        if not redis_ready():
            raise HarnessError("redis is not running; run `up` first")
        if not os.path.exists(CONFIG):
            raise HarnessError(f"{CONFIG} missing; run `up` first")
        ensure_dump()
        ensure_template()
        fresh_database()
        env = create_admin()
        write_env(env)
        if nautobot_pid(state):
            ensure_worker(state)
            status = http_status("/api/", env["NAUTOBOT_TOKEN"])
            if status != 200:
                raise HarnessError(f"GET /api/ with the new token returned {status}", tail_file(NAUTOBOT_LOG))
        else:
            step("note: nautobot is not running; run `up` to start it")
        step(f"database reset in {time.monotonic() - t0:.1f}s (env file {ENV_FILE})")
        step(f"connection settings (token included): {ENV_FILE}; `env` prints them")
        return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "env", "reset-db"])
    parser.add_argument("--nautobot", metavar="VERSION", default=os.environ.get("STATECRAFT_NAUTOBOT_VERSION"),
                        help="which instance: a series (%s) or its release; default $STATECRAFT_NAUTOBOT_VERSION, "
                             "then %s" % (", ".join(INSTANCES), DEFAULT_SERIES))
    parser.add_argument("--json", action="store_true", help="env: print env.json instead of exports")
    args = parser.parse_args(argv)
    configure(series_of(args.nautobot))
    handler = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "env": cmd_env,
               "reset-db": cmd_reset_db}[args.command]
    try:
        return handler(args)
    except HarnessError as exc:
        print(f"[nautobot-harness] ERROR: {exc}", file=sys.stderr)
        if exc.output:
            print("----- output (tail) -----", file=sys.stderr)
            print(tail(exc.output), file=sys.stderr)
            print("-------------------------", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("[nautobot-harness] interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
