# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Azure CycleCloud as a platform of the shared HTTP client: connection options, the CLI's
config file, and the REST calls the CycleCloud modules make.

The vendor's Python API (``cyclecloud.client.Client``) loses status codes (every error is
a bare ``Exception(text)``), so the modules speak REST through ``HttpClient`` and send
what that client sends: Basic auth and JSON bodies.
"""

from __future__ import absolute_import, division, print_function

import configparser
import hashlib
import hmac
import os
import struct

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import (
    Platform,
    RestAdapter,
    check_connection,
    env_fallback_for,
    http_client,
    transport_options,
)
from ansible_collections.statecraft.infra.plugins.module_utils._auth import Basic
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._engine import wait_options as module_wait_options
from ansible_collections.statecraft.infra.plugins.module_utils._http import NO_JSON, ApiError, error_body

DEFAULT_CONFIG_FILE = "~/.cycle/config.ini"
DEFAULT_TIMEOUT = 60  # the vendor client's default
# the CLI writes its connection under [cycleserver]; [cyclecloud] overrides it key by key
CONFIG_SECTIONS = ("cycleserver", "cyclecloud")
# fixed key of the CLI's obfuscated ``key =`` password form ("p3")
P3_KEY = b"09087a22d7e26f97"


def connection_argspec():
    env = env_fallback_for
    return dict({
        "url": {"type": "str", "fallback": env("CYCLECLOUD_URL")},
        "username": {"type": "str", "fallback": env("CYCLECLOUD_USERNAME")},
        "password": {"type": "str", "no_log": True, "fallback": env("CYCLECLOUD_PASSWORD")},
        "config_file": {"type": "path", "fallback": env("CYCLECLOUD_CONFIG_FILE")},
    }, **transport_options(
        # no default for validate_certs: unset, it comes from the CLI config file
        "CYCLECLOUD", validate_certs={"aliases": ["verify_certificates"], "default": None}))


# -- the CLI's config file ---------------------------------------------------------------------
def p3_decode(value):
    """The plain password of a ``key =`` entry: hex of nonce(16) || ciphertext || mac(8)."""
    try:
        raw = bytes.fromhex(value.strip())
    except ValueError:
        raise ModuleError("config_file: the key entry is not hexadecimal")
    if len(raw) < 24:
        raise ModuleError("config_file: the key entry is too short to hold a password")
    nonce, ciphertext, mac = raw[:16], raw[16:-8], raw[-8:]
    enc_key = hashlib.sha1(b"enc" + P3_KEY + nonce).digest()
    auth_key = hashlib.sha1(b"auth" + P3_KEY + nonce).digest()
    if not hmac.compare_digest(hmac.new(auth_key, nonce + ciphertext, hashlib.sha1).digest()[:8], mac):
        raise ModuleError("config_file: the key entry does not decode (invalid key or ciphertext)")
    size = len(ciphertext)
    padded = ciphertext + b"0000"[size & 3:]
    stream, seed = b"", enc_key
    while len(stream) < len(padded):
        seed = hashlib.sha1(enc_key + seed).digest()
        stream += seed
    words = len(padded) // 4
    plain = struct.pack("<%dI" % words, *[
        a ^ b for a, b in zip(struct.unpack("<%dI" % words, padded),
                              struct.unpack("<%dI" % words, stream[:len(padded)]))])
    return plain[:size].decode("utf-8")


def read_config_file(path):
    """The connection the CLI saved: ``[cycleserver]`` updated with ``[cyclecloud]``."""
    parser = configparser.RawConfigParser()
    try:
        with open(path) as handle:
            parser.read_file(handle)
    except (IOError, OSError) as exc:
        raise ModuleError("config_file: cannot read %s (%s); give url, username and password (or the environment "
                          "variables CYCLECLOUD_URL, CYCLECLOUD_USERNAME and CYCLECLOUD_PASSWORD), or run "
                          "'cyclecloud initialize'" % (path, exc.strerror or exc))
    except configparser.Error as exc:
        raise ModuleError("config_file: %s is not an ini file: %s" % (path, str(exc).splitlines()[0]))
    merged = {}
    sections = dict((s.lower(), s) for s in parser.sections())
    for name in CONFIG_SECTIONS:
        if name in sections:
            merged.update(parser.items(sections[name]))
    if not merged:
        raise ModuleError("config_file: %s has no [cycleserver] section" % path)
    if not merged.get("password") and merged.get("key"):
        merged["password"] = p3_decode(merged["key"])
    return merged


def _truthy(value):
    return str(value).strip().lower() in ("true", "yes", "on", "1")


def connection_from_params(params):
    """url, username, password, timeout, validate_certs: from the options (or their
    environment variables) when any of url/username/password is given, else from the
    CLI's config file, as the vendor client falls back to it."""
    given = dict((k, params.get(k)) for k in ("url", "username", "password"))
    connection = dict(given, timeout=params.get("timeout"), validate_certs=params.get("validate_certs"))
    if not any(given.values()):
        path = os.path.expanduser(params.get("config_file") or DEFAULT_CONFIG_FILE)
        saved = read_config_file(path)
        for key in given:
            connection[key] = saved.get(key)
        missing = [k for k in given if not connection[k]]
        if missing:
            raise ModuleError("config_file: %s has no %s" % (path, ", ".join(missing)))
        if connection["timeout"] is None and saved.get("timeout"):
            connection["timeout"] = float(saved["timeout"])
        verify = saved.get("verify_certificates", saved.get("verify"))
        if connection["validate_certs"] is None and verify is not None:
            connection["validate_certs"] = _truthy(verify)
    missing = [k for k in given if not connection[k]]
    if missing:
        raise ModuleError("missing connection option(s) %s: give url, username and password together, as "
                          "options or the environment variables CYCLECLOUD_URL, CYCLECLOUD_USERNAME and "
                          "CYCLECLOUD_PASSWORD (or none, to use the CycleCloud CLI's config file)" % ", ".join(missing))
    return connection


def server_root(parts):
    """CycleCloud's URL is the server's root (or a prefix): the REST paths hang off it."""
    segments = parts.path.strip("/").split("/")
    for known in ("clusters", "cloud", "nodes", "api"):
        if known in segments:
            return ("give the server's root URL (for example https://cyclecloud.example.com); "
                    "the module adds the REST paths (%s/...) itself" % known)
    return None


def cyclecloud_error(response):
    """CycleCloud's error body is ``{"Exception": .., "Message": .., "Detail": ..}`` or text."""
    body, text = error_body(response)
    if body is NO_JSON:
        return text, {}
    if isinstance(body, dict):
        lowered = dict((str(k).lower(), v) for k, v in body.items())
        if lowered.get("message"):
            return str(lowered["message"]), {}
    return str(body)[:300], {}


class CycleCloudAdapter(RestAdapter):
    """The REST calls of the CycleCloud modules (paths relative to the server's root URL).
    Its modules are tasks on a cluster, not records: of the engine's hooks it uses none."""

    platform_name = "CycleCloud"

    @classmethod
    def check_connection(cls, params):
        check_connection(params, "url", server_root)

    @classmethod
    def from_params(cls, params):
        connection = connection_from_params(params)
        # timeout and validate_certs may come from the CLI's config file
        client = http_client(dict(params, timeout=connection["timeout"], validate_certs=connection["validate_certs"]),
                             connection["url"], Basic(connection["username"], connection["password"]),
                             DEFAULT_TIMEOUT, "url", headers={"Content-Type": "application/json"},
                             error_parser=cyclecloud_error)
        return cls(client)

    def __init__(self, client):
        super(CycleCloudAdapter, self).__init__(client)

    # -- reads -------------------------------------------------------------------------------
    def status(self, cluster, nodes=False, missing_ok=False):
        """``GET /clusters/{cluster}/status``; an unknown cluster is a ModuleError (or None)."""
        try:
            return self.client.request("GET", "clusters/%s/status" % cluster,
                                       params={"nodes": "true"} if nodes else None, expect=(200,))
        except ApiError as exc:
            if exc.status in (400, 404):
                if missing_ok:
                    return None
                raise ModuleError("cluster: CycleCloud has no cluster named %r (%s)" % (cluster, exc.message))
            raise

    def nodes(self, cluster, operation=None):
        params = {"operation": operation} if operation else None
        body = self.client.request("GET", "clusters/%s/nodes" % cluster, params=params, expect=(200,))
        return list((body or {}).get("nodes") or [])

    # -- writes (202 Accepted: the work goes on in the background) ---------------------------
    def post(self, path, body=None, params=None):
        return self.client.request("POST", path, params=params, json_body=body, expect=(202,)) or {}

    def scale(self, cluster, node_array, count_key, total):
        return self.post("clusters/%s/scale/%s" % (cluster, node_array), params={count_key: total})

    def create_nodes(self, cluster, sets, request_id):
        return self.post("clusters/%s/nodes/create" % cluster, {"requestId": request_id, "sets": sets})

    def node_action(self, cluster, action, node_ids, request_id):
        return self.post("clusters/%s/nodes/%s" % (cluster, action), {"ids": node_ids, "requestId": request_id})

    # -- cluster definitions (undocumented, CLI-backed endpoints: cyclecloud.md 2.2) ------------
    def cluster_record(self, cluster):
        """The cluster as the CLI's ``show_cluster`` reads it (``GET /cloud/clusters/{cluster}``: a list
        of none or one record), or None."""
        records = self.client.request("GET", "cloud/clusters/%s" % cluster, params={"summary": "true"},
                                      expect=(200,)) or []
        found = [r for r in records if isinstance(r, dict) and r.get("ClusterName") == cluster and not r.get("IsTemplate")]
        return found[0] if found else None

    def import_cluster(self, cluster, form):
        """The CLI's ``import_cluster``: form fields, as Microsoft's sample sends them (cyclecloud.md 2.2)."""
        return self.client.request("POST", "cloud/api/import_cluster/%s" % cluster, data=form, expect=(200, 201, 204))

    def remove_cluster(self, cluster, force=False):
        """The CLI's ``delete_cluster`` (a terminated cluster only; ``force``: also when cleaning up
        its resources had issues)."""
        return self.client.request("POST", "cloud/actions/removecluster/%s" % cluster,
                                   params={"force": "true"} if force else None, expect=(200, 202, 204))

    def cluster_action(self, cluster, action):
        """The CLI's ``start_cluster`` / ``terminate_cluster`` (undocumented endpoints)."""
        try:
            return self.client.request("POST", "cloud/actions/%s/%s" % (action, cluster), expect=(200, 202, 204))
        except ApiError as exc:
            if exc.status == 404:
                raise ModuleError("name: CycleCloud has no cluster named %r" % cluster)
            raise


def wait_options():
    """The wait options of the modules that act (see the doc fragment's WAIT)."""
    return module_wait_options(timeout=1800, sleep=5)


CYCLECLOUD = Platform("cyclecloud", connection_argspec, CycleCloudAdapter)
