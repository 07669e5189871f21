# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authentication strategies for the shared HTTP client, one small class per scheme.

A strategy gives the headers for a request, says whether a response means "the token
expired" (then the client calls ``refresh`` once and resends once), and lists every
secret it holds, including tokens minted at login, so output can be scrubbed.
"""

from __future__ import absolute_import, division, print_function

import base64
import time


class StaticHeader(object):
    """A fixed header: Nautobot ``Authorization: Token <key>``, CloudCIX ``X-Auth-Token``."""

    def __init__(self, header, secret, prefix=""):
        self.header = header
        self.secret = secret
        self.prefix = prefix

    def headers(self, client):
        return {self.header: self.prefix + self.secret}

    def is_expired(self, response):
        return False  # nothing to refresh: a refused static token is an error

    def refresh(self, client):
        pass

    def secrets(self):
        return [self.secret]


class Bearer(StaticHeader):
    def __init__(self, token):
        super(Bearer, self).__init__("Authorization", token, "Bearer ")


class Basic(StaticHeader):
    def __init__(self, username, password):
        encoded = base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")
        super(Basic, self).__init__("Authorization", encoded, "Basic ")
        self.password = password

    def secrets(self):
        return [self.password, self.secret]


class TokenExchange(object):
    """Credentials traded for a token on first use, and once more when the platform says
    the token expired (``expired_statuses``: 401 for most, 403 for Air).

    ``fetch(client) -> (token, lifetime_seconds_or_None)`` does the login request itself
    (with ``use_auth=False``); ``header``/``prefix`` say how the token is sent.
    """

    def __init__(self, fetch, credentials=(), header="Authorization", prefix="Bearer ",
                 expired_statuses=(401,), clock=time.time, early=30):
        self.fetch = fetch
        self.credentials = [c for c in credentials if c]
        self.header = header
        self.prefix = prefix
        self.expired_statuses = frozenset(expired_statuses)
        self.token = None
        self.expires_at = None
        self._clock = clock
        self._early = early

    def _login(self, client):
        self.token, lifetime = self.fetch(client)
        # renew ``early`` seconds before the end, but never sooner than half-way through a
        # short lifetime (else a lifetime under ``early`` means one login per request)
        self.expires_at = (self._clock() + lifetime - min(self._early, lifetime / 2.0)
                           if lifetime else None)

    def headers(self, client):
        if self.token is None or (self.expires_at is not None and self._clock() >= self.expires_at):
            self._login(client)
        return {self.header: self.prefix + self.token}

    def is_expired(self, response):
        return self.token is not None and response.status_code in self.expired_statuses

    def refresh(self, client):
        self._login(client)

    def secrets(self):
        return self.credentials + ([self.token] if self.token else [])
