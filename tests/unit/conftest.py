# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real local HTTP servers for the unit tests of the shared HTTP client.

``RecordingServer`` is a stdlib ``http.server`` running in a thread on a loopback address
and an ephemeral port. It speaks HTTP/1.1 with keep-alive, answers from a per-route
script, and records what it *received*: every request (method, path, headers, body) and
every accepted TCP connection. Tests assert on those server-side observations, never
on counters inside the client.

Fixtures:
- ``http_server``: the configured host, http://127.0.0.1:<port>
- ``other_server``: "another host", http://127.0.0.2:<port>
- ``tls_other_server``: another host over https (https://127.0.0.2:<port>) with a
  self-signed certificate; ``tls_other_server.ca_file`` is the CA to trust
- ``server_factory``: start more servers (another port, a port that was closed)
- ``reply``: the ``Reply`` class (scripted answers: slow, dropped connection)
- ``closed_port``: a loopback port with nothing listening (connection refused)
- ``delays``: a list; pass ``sleep=delays.append`` to HttpClient to record back-off delays
"""

from __future__ import absolute_import, division, print_function

import datetime
import http.server
import ipaddress
import json
import socket
import ssl
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest


class Reply(object):
    """One scripted answer.

    ``body``: dict/list -> JSON, str/bytes -> sent as is, None -> empty body.
    ``delay``: seconds to wait before answering (a slow server).
    ``drop``: close the connection without sending anything (a dropped connection).
    """

    def __init__(self, status=200, body=None, headers=None, delay=0, drop=False):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.delay = delay
        self.drop = drop


class Seen(object):
    """A request as the server received it."""

    def __init__(self, method, target, headers, body, connection):
        self.method = method
        self.target = target  # path with query string, as sent on the request line
        parts = urlsplit(target)
        self.path = parts.path
        self.query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query).items()}
        self.headers = headers  # http.client.HTTPMessage: case-insensitive .get()
        self.body = body
        self.connection = connection  # serial number of the TCP connection it came on

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def __repr__(self):
        return "<Seen %s %s conn=%s>" % (self.method, self.target, self.connection)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one handler instance per TCP connection
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stalls

    def setup(self):
        http.server.BaseHTTPRequestHandler.setup(self)
        with self.server.lock:
            self.server.connections += 1
            self.conn_id = self.server.connections

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(self.command, self.path, self.headers, body, self.conn_id)
        with self.server.lock:
            self.server.requests.append(seen)
        reply = self.server.reply_for(seen)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True  # socket closed, nothing written
            return
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body).encode("utf-8")
            ctype = "application/json"
        elif isinstance(reply.body, str):
            payload = reply.body.encode("utf-8")
            ctype = "text/plain; charset=utf-8"
        else:
            payload = reply.body or b""
            ctype = "application/octet-stream"
        try:
            self.send_response(reply.status)
            headers = dict(reply.headers)
            if payload and not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = ctype
            for key, value in headers.items():
                self.send_header(key, value)
            if reply.status not in (204, 304):
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if reply.status not in (204, 304):
                self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up (timeout): nothing to do

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class RecordingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host, tls_context=None, port=0):
        http.server.ThreadingHTTPServer.__init__(self, (host, port), _Handler)
        self.scheme = "http"
        if tls_context is not None:
            self.socket = tls_context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"
        self.host = host
        self.port = self.server_address[1]
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = []
        self._routes = {}
        self._thread = None
        self.ca_file = None

    # -- scripting -------------------------------------------------------------------------
    def add(self, method, path, *replies):
        """Script the answers for METHOD PATH (query ignored): used in order, the last one
        repeats. A reply is a Reply, a (status, body[, headers]) tuple, or a callable taking
        the Seen request and returning one of those."""
        self._routes[(method.upper(), path)] = list(replies) or [Reply()]

    def reply_for(self, seen):
        with self.lock:
            script = self._routes.get((seen.method, seen.path))
            if not script:
                return Reply(404, {"detail": "no route for %s %s" % (seen.method, seen.path)})
            reply = script.pop(0) if len(script) > 1 else script[0]
        if callable(reply) and not isinstance(reply, Reply):
            reply = reply(seen)
        if isinstance(reply, tuple):
            reply = Reply(*reply)
        return reply

    # -- observations ----------------------------------------------------------------------
    @property
    def url(self):
        return "%s://%s:%d" % (self.scheme, self.host, self.port)

    def seen(self, method=None, path=None):
        with self.lock:
            return [r for r in self.requests
                    if (method is None or r.method == method) and (path is None or r.path == path)]

    # -- lifecycle -------------------------------------------------------------------------
    def handle_error(self, request, client_address):
        pass  # a client that timed out or a TLS probe: not a test failure by itself

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


def _self_signed(tmp_dir, ip):
    """A throw-away certificate for an IP address (EC key: fast), written as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u"statecraft-test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = tmp_dir / "cert.pem"
    key_file = tmp_dir / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@pytest.fixture
def no_proxy_env(monkeypatch):
    """requests honours environment proxies; loopback test servers must be reached directly."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,127.0.0.2,localhost")


@pytest.fixture
def http_server(no_proxy_env):
    server = RecordingServer("127.0.0.1").start()
    yield server
    server.stop()


@pytest.fixture
def other_server(no_proxy_env):
    server = RecordingServer("127.0.0.2").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _tls_files(tmp_path_factory):
    return _self_signed(tmp_path_factory.mktemp("tls"), "127.0.0.2")


@pytest.fixture
def tls_other_server(no_proxy_env, _tls_files):
    cert_file, key_file = _tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = RecordingServer("127.0.0.2", tls_context=context)
    server.ca_file = cert_file
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server_factory(no_proxy_env):
    """``server_factory(host="127.0.0.1", port=0)`` starts one more RecordingServer."""
    started = []

    def make(host="127.0.0.1", port=0):
        server = RecordingServer(host, port=port).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def reply():
    """The Reply class, for scripts that drop the connection or answer slowly."""
    return Reply


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connecting is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def delays():
    return []
