# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small recording reverse proxy in front of a real server, on loopback.

Tests point a module at the proxy and read back every request it forwarded (method,
path with query, JSON body), so "no write happened" and "the PATCH carried only
``serial``" are observed outside the client. Bodies are forwarded unchanged.
"""

from __future__ import absolute_import, division, print_function

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length", "content-encoding"}


class RecordingProxy(object):
    def __init__(self, upstream, host="127.0.0.1", port=0):
        self.upstream = upstream.rstrip("/")
        self.records = []
        self._lock = threading.Lock()
        self._local = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                record = {"method": self.command, "path": self.path, "body": body,
                          "headers": dict(self.headers), "status": None}
                with proxy._lock:
                    proxy.records.append(record)
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"})
                upstream = proxy._session().request(self.command, proxy.upstream + self.path, data=raw or None,
                                                    headers=headers, allow_redirects=False)
                payload = upstream.content
                record["status"] = upstream.status_code
                self.send_response(upstream.status_code)
                for key, value in upstream.headers.items():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = _forward

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
            return list(self.records[mark:])
