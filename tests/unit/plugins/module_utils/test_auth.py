# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Auth strategies through the shared HTTP client, against a real loopback server.

Login counts, the headers each request carried and the order of requests are read
from the server's request log (tests/unit/conftest.py), never from the client.
"""

from __future__ import absolute_import, division, print_function

import base64

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._auth import (
    Basic,
    Bearer,
    StaticHeader,
    TokenExchange,
)
from ansible_collections.statecraft.infra.plugins.module_utils._http import (
    MASK,
    ApiError,
    HttpClient,
)

USERNAME = "automation"
PASSWORD = "pa55-w0rd-for-login"
TOKEN = "0123456789abcdef0123456789abcdef01234567"


def _no_sleep(seconds):
    raise AssertionError("unexpected back-off sleep %r" % seconds)


class TokenService(object):
    """A login endpoint minting tokens and an API endpoint accepting only valid ones.

    ``POST /api/login/`` with the right credentials mints ``tok-<n>-...``;
    ``GET /api/things/`` answers 200 for a valid token, else ``refusal`` (401 by default,
    403 like NVIDIA Air) with a body that echoes the token it got.
    """

    def __init__(self, server, lifetime=None, refusal=401, header="Authorization", prefix="Bearer "):
        self.server = server
        self.lifetime = lifetime
        self.refusal = refusal
        self.header = header
        self.prefix = prefix
        self.minted = []
        self.valid = set()
        server.add("POST", "/api/login/", self._login)
        server.add("GET", "/api/things/", self._api)

    def _login(self, seen):
        if len(self.minted) >= 5:  # a client stuck in a login loop fails instead of hanging
            return 400, {"detail": "too many logins"}
        if seen.json() != {"username": USERNAME, "password": PASSWORD}:
            return 401, {"detail": "bad credentials"}
        token = "tok-%d-%s" % (len(self.minted) + 1, "9f3a" * 6)
        self.minted.append(token)
        self.valid.add(token)
        return 200, {"token": token, "expires_in": self.lifetime}

    def _api(self, seen):
        sent = seen.headers.get(self.header) or ""
        token = sent[len(self.prefix):] if sent.startswith(self.prefix) else None
        if token in self.valid:
            return 200, {"ok": True, "token_used": "n%d" % (self.minted.index(token) + 1)}
        return self.refusal, {"detail": "token %r is expired or invalid" % token}

    def revoke_all(self):
        self.valid.clear()

    # -- server-side observations --------------------------------------------------------
    def logins(self):
        return self.server.seen("POST", "/api/login/")

    def calls(self):
        return self.server.seen("GET", "/api/things/")

    def log(self):
        return [("login" if r.path == "/api/login/" else "api",
                 (r.headers.get(self.header) or "")[len(self.prefix):] or None)
                for r in self.server.seen()]


def fetch(client, password=PASSWORD):
    body = client.request("POST", "login/", json_body={"username": USERNAME, "password": password},
                          use_auth=False)
    return body["token"], body.get("expires_in")


def exchange(**kwargs):
    kwargs.setdefault("credentials", (USERNAME, PASSWORD))
    return TokenExchange(kwargs.pop("fetch", fetch), **kwargs)


def client_for(server, auth, **kwargs):
    kwargs.setdefault("sleep", _no_sleep)
    return HttpClient(server.url + "/api", auth=auth, **kwargs)


# -- static strategies --------------------------------------------------------------------

@pytest.mark.parametrize("auth,header,value", [
    (StaticHeader("Authorization", TOKEN, prefix="Token "), "Authorization", "Token " + TOKEN),
    (StaticHeader("X-Auth-Token", TOKEN), "X-Auth-Token", TOKEN),
    (Bearer(TOKEN), "Authorization", "Bearer " + TOKEN),
])
def test_static_headers_as_the_server_sees_them(http_server, auth, header, value):
    http_server.add("GET", "/api/x/", (200, {}))
    client = client_for(http_server, auth)
    client.request("GET", "x/")
    client.request("GET", "x/")
    assert [r.headers.get(header) for r in http_server.seen()] == [value, value]
    assert auth.secrets() == [TOKEN] and client.secrets() == [TOKEN]


def test_basic_header_decodes_to_user_and_password_on_the_server(http_server):
    http_server.add("GET", "/api/x/", (200, {}))
    auth = Basic("admin", "p@ss:w\u00f6rd")
    client_for(http_server, auth).request("GET", "x/")
    scheme, _space, encoded = http_server.seen()[0].headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode("utf-8") == "admin:p@ss:w\u00f6rd"
    assert set(auth.secrets()) == {"p@ss:w\u00f6rd", encoded}  # the base64 is a secret too


@pytest.mark.parametrize("status", [401, 403])
def test_static_token_refused_is_an_error_without_retry(http_server, status):
    http_server.add("GET", "/api/x/", (status, {"detail": "Invalid token."}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, StaticHeader("Authorization", TOKEN, "Token ")).request("GET", "x/")
    assert info.value.status == status and info.value.message == "Invalid token."
    assert len(http_server.seen()) == 1


# -- token exchange: lazily, once ---------------------------------------------------------

def test_login_is_lazy_and_happens_once_for_several_calls(http_server):
    service = TokenService(http_server)
    client = client_for(http_server, exchange())
    assert http_server.seen() == []  # building the client logs nobody in
    for _attempt in range(3):
        assert client.request("GET", "things/")["token_used"] == "n1"
    assert service.log() == [("login", None), ("api", "tok-1-" + "9f3a" * 6),
                             ("api", "tok-1-" + "9f3a" * 6), ("api", "tok-1-" + "9f3a" * 6)]
    login = service.logins()[0]
    assert login.headers.get("Authorization") is None  # the login carries its own credentials
    assert login.json() == {"username": USERNAME, "password": PASSWORD}
    assert http_server.connections == 1


def test_token_in_another_header_without_prefix(http_server):
    """CloudCIX style: the minted token goes in X-Auth-Token, as is."""
    service = TokenService(http_server, header="X-Auth-Token", prefix="")
    client = client_for(http_server, exchange(header="X-Auth-Token", prefix=""))
    assert client.request("GET", "things/")["token_used"] == "n1"
    call = service.calls()[0]
    assert call.headers["X-Auth-Token"] == service.minted[0]
    assert call.headers.get("Authorization") is None


def test_expired_token_logs_in_again_once_and_resends_once(http_server):
    service = TokenService(http_server)
    client = client_for(http_server, exchange())
    client.request("GET", "things/")
    service.revoke_all()  # the platform expires the token
    assert client.request("GET", "things/")["token_used"] == "n2"
    tok1, tok2 = service.minted
    assert service.log() == [("login", None), ("api", tok1),
                             ("api", tok1), ("login", None), ("api", tok2)]


def test_second_refusal_is_an_error_never_a_loop(http_server):
    service = TokenService(http_server)
    service.valid = type("NeverValid", (set,), {"__contains__": lambda self, item: False})()
    auth = exchange()
    client = client_for(http_server, auth)
    with pytest.raises(ApiError) as info:
        client.request("GET", "things/")
    assert info.value.status == 401
    assert len(service.logins()) == 2  # the lazy login and one refresh
    assert len(service.calls()) == 2  # the request and one resend
    tok1, tok2 = service.minted
    assert service.log() == [("login", None), ("api", tok1), ("login", None), ("api", tok2)]
    # the body echoed the minted token: the message names neither
    assert tok2 not in str(info.value) and MASK in str(info.value)


def test_air_style_403_means_expired(http_server):
    service = TokenService(http_server, refusal=403)
    client = client_for(http_server, exchange(expired_statuses=(403,)))
    client.request("GET", "things/")
    service.revoke_all()
    assert client.request("GET", "things/")["token_used"] == "n2"
    assert [entry[0] for entry in service.log()] == ["login", "api", "api", "login", "api"]


def test_403_is_not_expiry_for_the_default_strategy(http_server):
    service = TokenService(http_server, refusal=403)
    client = client_for(http_server, exchange())
    client.request("GET", "things/")
    service.revoke_all()
    with pytest.raises(ApiError) as info:
        client.request("GET", "things/")
    assert info.value.status == 403
    assert len(service.logins()) == 1 and len(service.calls()) == 2


def test_failed_login_is_an_error_and_sends_no_api_call(http_server):
    service = TokenService(http_server)
    auth = exchange(fetch=lambda client: fetch(client, password="wrong-password"),
                    credentials=(USERNAME, "wrong-password"))
    with pytest.raises(ApiError) as info:
        client_for(http_server, auth).request("GET", "things/")
    assert (info.value.method, info.value.path, info.value.status) == ("POST", "/api/login/", 401)
    assert len(service.logins()) == 1 and service.calls() == []
    assert "wrong-password" not in str(info.value)


def test_token_is_not_sent_to_another_host_on_redirect(http_server, other_server):
    service = TokenService(http_server)
    http_server.add("GET", "/api/moved/", (302, None, {"Location": other_server.url + "/x/"}))
    other_server.add("GET", "/x/", (200, {"there": True}))
    client = client_for(http_server, exchange())
    client.request("GET", "things/")
    assert client.request("GET", "moved/") == {"there": True}
    assert other_server.seen()[0].headers.get("Authorization") is None
    assert len(service.logins()) == 1
    assert http_server.seen("GET", "/api/moved/")[0].headers["Authorization"] == (
        "Bearer " + service.minted[0])


# -- token lifetime ----------------------------------------------------------------------

class FakeClock(object):
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_token_renewed_before_its_lifetime_ends(http_server):
    service = TokenService(http_server, lifetime=300)
    clock = FakeClock()
    client = client_for(http_server, exchange(clock=clock, early=30))
    client.request("GET", "things/")
    clock.now = 1000 + 269  # still 31 s before the end: keep it
    client.request("GET", "things/")
    clock.now = 1000 + 271  # inside the 30 s margin: log in again before sending
    assert client.request("GET", "things/")["token_used"] == "n2"
    tok1, tok2 = service.minted
    assert service.log() == [("login", None), ("api", tok1), ("api", tok1),
                             ("login", None), ("api", tok2)]  # no 401 was needed


def test_token_without_lifetime_is_kept_until_refused(http_server):
    service = TokenService(http_server, lifetime=None)
    clock = FakeClock()
    client = client_for(http_server, exchange(clock=clock))
    client.request("GET", "things/")
    clock.now += 10 ** 6
    client.request("GET", "things/")
    assert len(service.logins()) == 1


def test_short_lifetime_does_not_mean_a_login_per_request(http_server):
    """A lifetime shorter than the renewal margin must not make every request log in."""
    service = TokenService(http_server, lifetime=20)
    clock = FakeClock()
    client = client_for(http_server, exchange(clock=clock, early=30))
    for _attempt in range(3):
        client.request("GET", "things/")
    assert len(service.logins()) == 1
    clock.now += 21  # now it has really expired
    client.request("GET", "things/")
    assert len(service.logins()) == 2 and len(service.calls()) == 4


# -- secrets ------------------------------------------------------------------------------

def test_secrets_include_the_minted_token(http_server):
    service = TokenService(http_server)
    auth = exchange(credentials=(USERNAME, PASSWORD, "", None))
    client = client_for(http_server, auth)
    assert auth.secrets() == [USERNAME, PASSWORD]  # empty credentials are not "secrets"
    client.request("GET", "things/")
    assert auth.secrets() == [USERNAME, PASSWORD, service.minted[0]]
    assert client.secrets() == auth.secrets()
    service.revoke_all()
    client.request("GET", "things/")
    assert service.minted[1] in client.secrets()


def test_minted_token_echoed_in_an_error_is_scrubbed(http_server):
    service = TokenService(http_server)
    http_server.add("POST", "/api/things/",
                    lambda seen: (400, {"detail": "bad request from %s" % seen.headers["Authorization"]}))
    client = client_for(http_server, exchange())
    with pytest.raises(ApiError) as info:
        client.request("POST", "things/", json_body={})
    token = service.minted[0]
    assert http_server.seen("POST", "/api/things/")[0].headers["Authorization"] == "Bearer " + token
    assert token not in str(info.value)
    assert str(info.value) == "POST /api/things/ returned HTTP 400: bad request from Bearer %s" % MASK
