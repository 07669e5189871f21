# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small recording reverse proxy in front of a real server, on loopback.

Tests point a module at the proxy and read back every request it forwarded (method,
path with query, JSON body), so "no write happened" and "the PATCH carried only
``serial``" are observed outside the client. Bodies are forwarded unchanged.

It can also inject faults, as the API emulators do (tests/emulators/README.md), per method,
path regex (``re.search`` on the path without its query) and count: ``proxy.faults.add(...)``
answers a status (with ``Retry-After`` and a body), waits, or drops the connection, before
the request is forwarded, or (``after=True``) once the server has answered it; ``before`` is
a hook called with the record first (another client racing this request).

Each record: ``method``, ``path`` (with the query), ``body``, ``headers``, ``status`` (what the
client was answered; None when the connection was dropped), ``forwarded`` (whether the server
got the request) and ``upstream_status`` (the server's own answer, None when not forwarded).
A record is appended when the request arrives.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length", "content-encoding"}


# the same fault rules as the API emulators (method, path regex, count; status, delay, drop,
# after, before), so a test arms a fault the same way in front of Nautobot
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "emulators"))
from emulator_base import Faults as ProxyFaults, fault_response  # noqa: E402  pylint: disable=wrong-import-position


def fault_answer(fault):
    """(status, headers, payload bytes) of an injected error answer."""
    response = fault_response(fault)
    headers = dict(response.headers, **{"Content-Type": response.content_type})
    return response.status, headers, response.encode()


class RecordingProxy(object):
    def __init__(self, upstream, host="127.0.0.1", port=0, timeout=120):
        self.upstream = upstream.rstrip("/")
        self.records = []
        self.faults = ProxyFaults()
        self._lock = threading.Lock()
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _injected(self, record, fault):
                """Wait the fault's delay, then drop or answer its status: True when it answered."""
                if fault["delay"]:
                    time.sleep(fault["delay"])
                if fault["drop"]:
                    self._drop()
                    return True
                if fault["status"] is not None:
                    self._fault_answer(record, fault)
                    return True
                return False

            def _drop(self):
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def _answer(self, status, headers, payload):
                try:
                    self.send_response(status)
                    for key, value in headers:
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (a delay past its timeout)

            def _fault_answer(self, record, fault):
                status, headers, payload = fault_answer(fault)
                record["status"] = status
                self._answer(status, headers.items(), payload)

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                record = {"method": self.command, "path": self.path, "body": body,
                          "headers": dict(self.headers), "status": None, "forwarded": False,
                          "upstream_status": None}
                with proxy._lock:
                    proxy.records.append(record)
                fault = proxy.faults.take(self.command, self.path.split("?", 1)[0])
                if fault and fault["before"] is not None:
                    try:
                        fault["before"](dict(record))
                    except Exception as err:  # a broken hook is a test bug: say so loudly
                        traceback.print_exc(file=sys.stderr)
                        self._fault_answer(record, dict(fault, status=500, retry_after=None,
                                                        body={"detail": "Proxy error: the before hook raised %r" % err}))
                        return
                if fault and not fault["after"] and self._injected(record, fault):
                    return
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"})
                upstream = proxy._session().request(self.command, proxy.upstream + self.path, data=raw or None,
                                                    headers=headers, allow_redirects=False, timeout=proxy.timeout)
                payload = upstream.content
                record.update(forwarded=True, upstream_status=upstream.status_code, status=upstream.status_code)
                if fault and fault["after"]:
                    if fault["drop"]:
                        record["status"] = None
                    elif fault["status"] is not None:
                        record["status"] = fault["status"]
                    if self._injected(record, fault):
                        return
                self._answer(upstream.status_code,
                             [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP], payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = _forward

        self.timeout = timeout
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = "http://%s:%d" % (host, self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _session(self):
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def mark(self):
        with self._lock:
            return len(self.records)

    def since(self, mark):
        with self._lock:
            return [dict(r) for r in self.records[mark:]]
