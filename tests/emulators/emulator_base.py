# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Platform-neutral pieces of the HTTP API emulators (Air today; CycleCloud, Airbyte, CloudCIX later).

Standard library only, Python 3.11. An emulator subclasses ``EmulatorServer`` and implements
``handle(request) -> Response`` (raising ``ApiError`` for error answers) and ``reset_state()``.
The base class gives it:

* a ``ThreadingHTTPServer`` on ``host``/``port`` (port 0 = ephemeral) served from a daemon
  thread: ``start()``, ``stop()``, ``url``; usable as a context manager;
* a request log (``log``, ``writes()``): method, path, query, body (parsed JSON, form fields
  or raw text; secret-looking keys redacted), status, the authorization *scheme* only, host;
* an emulated clock (``clock.now()``, ``clock.advance(seconds)``) running at ``speed`` times
  real time;
* fault injection (``faults.add(...)``): an HTTP status with optional Retry-After and body,
  a delay, or a dropped connection, for requests matching a method and a path regex; before
  the request is served or (``after=True``) after it changed the state; plus an in-process
  ``before`` hook called with the request first (another client racing it);
* redirect rules (``add_redirect(...)``): path regex -> 301/302/307 to another base URL;
* admin endpoints under ``/_emulator/`` (not logged, no auth, no faults) so an out-of-process
  test or a sandbox user can drive all of the above: ``GET``/``DELETE log``, ``GET``/``POST
  clock`` ({"advance": seconds}), ``POST faults``, ``POST redirects``, ``POST reset``.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import json
import re
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ADMIN_PREFIX = "/_emulator/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# body keys whose values never reach the request log (a login body carries the API token; CloudCIX's
# login carries the Member's api_key)
SECRET_KEYS = frozenset({"password", "token", "secret", "private_key", "api_key"})
REDACTED = "********"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def iso(moment):
    """Format an aware datetime as the APIs do: UTC, 6-digit microseconds, 'Z'."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ApiError(Exception):
    """Raised by a handler to answer with ``status`` and a JSON ``body``."""

    def __init__(self, status, body=None, headers=None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


@dataclass
class Request:
    method: str
    path: str            # without the query string
    query: dict          # name -> last value
    query_lists: dict    # name -> every value
    headers: object      # http.client.HTTPMessage (case-insensitive)
    raw: bytes
    body: object         # parsed JSON, form fields (dict), text, or None
    host: str            # the Host header (host:port)
    query_string: str = ""
    user: object = None  # set by the emulator's authentication

    @property
    def base_url(self):
        return "http://" + self.host

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


@dataclass
class Response:
    status: int
    body: object = None  # None = empty; JSON-serialised for a JSON content type, else str sent as is
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self):
        if self.body is None:
            return b""
        if not self.content_type.startswith("application/json"):
            return str(self.body).encode("utf-8")
        # compact separators as Django REST Framework renders them: the Air SDK compares one
        # 403 body byte for byte (air.md 4.2)
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_body(raw, content_type_header):
    """JSON, url-encoded or multipart form fields (as a dict), other text as is; None if empty."""
    if not raw:
        return None
    ctype = content_type_header.split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
    if ctype == "multipart/form-data":
        return _parse_multipart(raw, content_type_header)
    text = raw.decode("utf-8", "replace")
    if ctype.startswith("text/"):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _parse_multipart(raw, content_type_header):
    head = ("Content-Type: %s\r\n\r\n" % content_type_header).encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[name] = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return fields


def redact(value):
    if isinstance(value, dict):
        return {k: (REDACTED if k in SECRET_KEYS and v is not None else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


class Clock:
    """Emulated UTC time: real time since start (or the last reset) times ``speed``, plus manual steps."""

    def __init__(self, speed=1.0):
        self.speed = float(speed)
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._wall = datetime.now(timezone.utc)
            self._mono = time.monotonic()
            self._offset = 0.0

    def now(self):
        with self._lock:
            elapsed = (time.monotonic() - self._mono) * self.speed + self._offset
            return self._wall + timedelta(seconds=elapsed)

    def advance(self, seconds):
        with self._lock:
            self._offset += float(seconds)
        return self.now()

    def set_speed(self, speed):
        """Run at ``speed`` from now on (0 holds the time still); "now" stays where it is, where
        assigning ``speed`` alone would rescale the time already passed."""
        now = self.now()
        with self._lock:
            self._wall, self._mono, self._offset = now, time.monotonic(), 0.0
            self.speed = float(speed)


class _Rules:
    """Rules matched by method (None = any) and a path regex (re.search), each used ``count`` times
    (None = forever), first match wins."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def _add(self, rule, path, method, count):
        re.compile(path)  # fail now on a bad regex
        if count is not None and int(count) < 1:
            raise ValueError("count must be >= 1 (or None for no limit)")
        rule.update(path=path, method=method.upper() if method else None,
                    count=None if count is None else int(count))
        with self._lock:
            self._rules.append(rule)
        return dict(rule)

    def take(self, method, path):
        with self._lock:
            for rule in self._rules:
                if rule["method"] in (None, method) and re.search(rule["path"], path):
                    if rule["count"] is not None:
                        rule["count"] -= 1
                        if rule["count"] == 0:
                            self._rules.remove(rule)
                    return dict(rule)
        return None

    def pending(self):
        with self._lock:
            return [dict(rule) for rule in self._rules]

    def clear(self):
        with self._lock:
            self._rules.clear()


class Faults(_Rules):
    def add(self, path=".*", method=None, status=None, retry_after=None, body=None, delay=0.0, drop=False, count=1,
            after=False, before=None):
        """Queue a fault. ``delay`` seconds pass first; then the connection is dropped (``drop``),
        or ``status`` is answered (with ``Retry-After: retry_after`` and ``body``: dict/list as
        JSON, str as is; default a DRF-style ``{"detail": ...}``), or the request is served
        normally (a pure delay).

        ``after=True``: the request is served normally first (its state change happens and it
        is logged), then the delay passes and the connection is dropped or ``status`` replaces
        the real answer: "the server stored it, the client never heard".

        ``before``: a callable (in-process only, not through the admin endpoint) called with the
        ``Request`` before it is served, outside the state lock: it may take ``emulator.lock``,
        call the emulator's methods or send HTTP to the emulator itself (another client racing
        this request). Alone it is a fault too (the request is then served normally)."""
        if before is not None and not callable(before):
            raise ValueError("before must be a callable (a hook given in-process)")
        if status is None and not drop and not delay and before is None:
            raise ValueError("a fault needs a status, a delay, drop=True or a before hook")
        if after and status is None and not drop and not delay:
            raise ValueError("after=True needs a delay, drop=True or a status")
        if status is not None and not 100 <= int(status) <= 599:
            raise ValueError("status must be an HTTP status code")
        rule = {"status": None if status is None else int(status), "retry_after": retry_after,
                "body": body, "delay": float(delay), "drop": bool(drop), "after": bool(after), "before": before}
        return self._add(rule, path, method, count)


class Redirects(_Rules):
    def add(self, path, location, status=301, method=None, count=None):
        """Answer requests matching ``path`` with ``status`` and ``Location: <location><path>[?query]``."""
        if int(status) not in REDIRECT_STATUSES:
            raise ValueError("status must be one of %s" % sorted(REDIRECT_STATUSES))
        return self._add({"location": location.rstrip("/"), "status": int(status)}, path, method, count)


def no_content(action):
    """An admin handler that runs ``action()`` and answers 204."""
    def handler(req):
        action()
        return Response(204)
    return handler


def fault_response(fault):
    headers = {}
    if fault["retry_after"] is not None:
        headers["Retry-After"] = str(fault["retry_after"])
    body = fault["body"]
    if body is None:
        if fault["status"] == 429 and fault["retry_after"] is not None:
            # Django REST Framework's throttling message
            body = {"detail": "Request was throttled. Expected available in %s seconds." % fault["retry_after"]}
        else:
            body = {"detail": HTTPStatus(fault["status"]).phrase}
    content_type = "application/json" if not isinstance(body, str) else "text/plain; charset=utf-8"
    return Response(fault["status"], body, headers, content_type)


class EmulatorServer:
    """Base class of the emulators; see the module docstring."""

    server_name = "emulator"

    def __init__(self, host="127.0.0.1", port=0, speed=1.0):
        self.host = host
        self.port = port
        self.clock = Clock(speed)
        self.faults = Faults()
        self.redirects = Redirects()
        self.lock = threading.RLock()  # guards the emulated state and the log
        self._log = []
        self._httpd = None
        self._thread = None

    # ----- life cycle -------------------------------------------------------------------------
    def start(self):
        self._httpd = ThreadingHTTPServer((self.host, self.port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=self.server_name, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        """Root URL, e.g. http://127.0.0.1:43121 (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return "http://%s:%d" % ("[%s]" % host if ":" in host else host, port)

    @property
    def netloc(self):
        return self.url.split("://", 1)[1]

    # ----- observation and control ------------------------------------------------------------
    @property
    def log(self):
        """A copy of the request log (admin requests excluded)."""
        with self.lock:
            return [dict(entry) for entry in self._log]

    def writes(self):
        return [entry for entry in self.log if entry["method"] in WRITE_METHODS]

    def clear_log(self):
        with self.lock:
            self._log.clear()

    def add_redirect(self, path, location, status=301, method=None, count=None):
        return self.redirects.add(path, location, status=status, method=method, count=count)

    def reset(self):
        """Forget everything: state (back to the seed), log, faults, redirects, clock steps."""
        with self.lock:
            self._log.clear()
            self.faults.clear()
            self.redirects.clear()
            self.clock.reset()
            self.reset_state()

    # ----- to implement -----------------------------------------------------------------------
    def reset_state(self):
        """Rebuild the emulated state (seed data)."""

    def handle(self, req):
        """Answer one API request (called with ``self.lock`` held): return a Response or raise ApiError."""
        raise NotImplementedError

    def admin_routes(self):
        """(method, name) -> function(request) -> Response, for /_emulator/<name>; extend in subclasses."""
        return {
            ("GET", "log"): lambda req: Response(200, self.log),
            ("DELETE", "log"): no_content(self.clear_log),
            ("GET", "clock"): lambda req: Response(200, self._clock_state()),
            ("POST", "clock"): self._admin_clock,
            ("POST", "faults"): lambda req: Response(201, self.faults.add(**_object(req.body))),
            ("POST", "redirects"): lambda req: Response(201, self.add_redirect(**_object(req.body))),
            ("POST", "reset"): no_content(self.reset),
        }

    # ----- internals --------------------------------------------------------------------------
    def _clock_state(self):
        return {"now": iso(self.clock.now()), "speed": self.clock.speed}

    def _admin_clock(self, req):
        self.clock.advance(_object(req.body).get("advance", 0))
        return Response(200, self._clock_state())

    def _admin(self, req):
        name = req.path[len(ADMIN_PREFIX):].strip("/")
        routes = self.admin_routes()
        handler = routes.get((req.method, name))
        if handler is None:
            if any(route_name == name for _method, route_name in routes):
                return Response(405, {"detail": 'Method "%s" not allowed.' % req.method})
            return Response(404, {"detail": "Not found."})
        try:
            return handler(req)
        except ApiError as err:
            return Response(err.status, err.body, err.headers)
        except (TypeError, ValueError, re.error) as err:
            return Response(400, {"detail": str(err)})

    def _serve(self, req):
        """The API answer for ``req`` (None means drop the connection), logged before it is answered."""
        fault = self.faults.take(req.method, req.path)
        if fault and fault["before"] is not None:
            try:
                fault["before"](req)  # outside the state lock: the hook may take it or call us over HTTP
            except Exception as err:  # a broken hook is a test bug: say so loudly
                traceback.print_exc(file=sys.stderr)
                return self._logged(req, Response(500, {"detail": "Emulator error: the before hook raised %r" % err}))
        if fault and not fault["after"]:
            if fault["delay"]:
                time.sleep(fault["delay"])  # outside the state lock: other requests go on
            if fault["drop"]:
                return self._logged(req, None)
            if fault["status"] is not None:
                return self._logged(req, fault_response(fault))
        response = self._served(req)
        if fault and fault["after"]:
            # the state changed now: log it now, whatever the client gets (or does not get) later
            if fault["drop"]:
                response = None
            elif fault["status"] is not None:
                response = fault_response(fault)
            self._logged(req, response)
            if fault["delay"]:
                time.sleep(fault["delay"])
            return response
        return self._logged(req, response)

    def _logged(self, req, response):
        self._record(req, response.status if response is not None else None)
        return response

    def _served(self, req):
        rule = self.redirects.take(req.method, req.path)
        if rule:
            location = rule["location"] + req.path + ("?" + req.query_string if req.query_string else "")
            return Response(rule["status"], headers={"Location": location})
        with self.lock:
            try:
                return self.handle(req)
            except ApiError as err:
                return Response(err.status, err.body, err.headers)
            except Exception as err:  # an emulator bug: say so loudly, answer like a server would
                traceback.print_exc(file=sys.stderr)
                return Response(500, {"detail": "Emulator error: %r" % err})

    def _record(self, req, status):
        auth = req.headers.get("Authorization")
        entry = {
            "method": req.method,
            "path": req.path,
            "query": {k: (v[0] if len(v) == 1 else list(v)) for k, v in req.query_lists.items()},
            "body": redact(req.body),
            "status": status,
            "authorization": auth.split()[0] if auth and auth.split() else None,
            "host": req.host,
        }
        with self.lock:
            self._log.append(entry)


def _object(body):
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body


def read_body(rfile, headers):
    """A request's body as sent: chunked (trailers skipped) or by Content-Length."""
    if (headers.get("Transfer-Encoding") or "").lower() == "chunked":
        chunks = []
        while True:
            size = int(rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(rfile.read(size))
            rfile.readline()
    length = int(headers.get("Content-Length") or 0)
    return rfile.read(length) if length else b""


def _make_handler(emulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real server behind a proxy

        def log_message(self, *args):
            pass

        def setup(self):
            super().setup()
            # headers and body leave in two writes: without this, Nagle + delayed ACK add ~40 ms each
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _read_body(self):
            if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
                return read_body(self.rfile, self.headers)
            length = int(self.headers.get("Content-Length") or 0)
            if length and hasattr(socket, "TCP_QUICKACK"):
                # acknowledge the headers now: a client that sends its body in a second small write (urllib3
                # through an HTTP proxy) otherwise waits for our delayed ACK, ~40 ms a request (Linux)
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            return self.rfile.read(length) if length else b""

        def _dispatch(self):
            raw = self._read_body()
            target = urlsplit(self.path)
            query_lists = parse_qs(target.query, keep_blank_values=True)
            req = Request(
                method=self.command, path=target.path,
                query={k: v[-1] for k, v in query_lists.items()}, query_lists=query_lists,
                headers=self.headers, raw=raw, body=parse_body(raw, self.headers.get("Content-Type") or ""),
                host=self.headers.get("Host") or emulator.netloc, query_string=target.query,
            )
            if target.path.startswith(ADMIN_PREFIX):
                self._send(emulator._admin(req))
                return
            # logged before answering: a client that got its answer finds its request logged
            response = emulator._serve(req)
            if response is None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            try:
                self._send(response)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a delay past its timeout)

        def _send(self, response):
            payload = response.encode()
            self.send_response(response.status)
            if payload:
                self.send_header("Content-Type", response.content_type)
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":   # a HEAD answer has the headers of the GET answer, no body
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch

    return Handler


# -- what every emulator's sandbox command shares ---------------------------------------------
def admin_object(body):
    """The JSON object of an admin request ({} when empty)."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body


def sandbox_parser(description, port, fixture=False):
    """--host, --port, --speed (and --fixture, a JSON file) for a sandbox command."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--speed", type=float, default=1.0, help="emulated seconds per real second")
    if fixture:
        parser.add_argument("--fixture", help="a JSON fixture file (default: the built-in DEFAULT_FIXTURE)")
    return parser


def load_fixture(path):
    if not path:
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def serve(emulator, title, lines):
    """Print how to reach a started emulator, then serve until Ctrl-C."""
    print("%s (sandbox); Ctrl-C stops" % title)
    for line in lines:
        print("  " + line)
    print("  admin: %s/_emulator/" % emulator.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
