# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared HTTP client against real loopback HTTP servers (see tests/unit/conftest.py).

Every assertion about what was sent is made on what the server *received* (its request
log and its count of accepted TCP connections), never on counters inside the client.
Back-off sleeps are recorded through the ``sleep=`` hook instead of slept.
"""

from __future__ import absolute_import, division, print_function

import email.utils
import os
import re
import time

import pytest

from ansible_collections.statecraft.infra.plugins.module_utils._auth import (
    Basic,
    Bearer,
    StaticHeader,
)
from ansible_collections.statecraft.infra.plugins.module_utils._http import (
    MASK,
    MAX_REDIRECTS,
    MAX_RETRY_AFTER,
    USER_AGENT,
    ApiError,
    HttpClient,
    check_url,
)

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # a Nautobot-style 40-hex key
GALAXY_YML = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")


def client_for(server, delays=None, **kwargs):
    """An HttpClient on <server>/api whose back-off sleeps are recorded, not slept."""
    kwargs.setdefault("sleep", delays.append if delays is not None else _no_sleep)
    return HttpClient(server.url + "/api", **kwargs)


def _no_sleep(seconds):
    raise AssertionError("the client slept %r s where no retry was expected" % seconds)


def auth_headers(seen):
    return {name: seen.headers.get(name) for name in ("Authorization", "X-Auth-Token")
            if seen.headers.get(name) is not None}


# -- session, keep-alive, identification ----------------------------------------------------

def test_one_session_keep_alive_one_tcp_connection(http_server):
    http_server.add("GET", "/api/things/", (200, {"results": []}))
    http_server.add("POST", "/api/things/", (201, {"id": 1}))
    client = client_for(http_server, auth=StaticHeader("Authorization", TOKEN, "Token "))
    for _attempt in range(3):
        assert client.request("GET", "things/") == {"results": []}
    assert client.request("POST", "things/", json_body={"name": "a"}) == {"id": 1}
    assert client.request("GET", "/things/") == {"results": []}

    seen = http_server.seen()
    assert [(r.method, r.path) for r in seen] == [("GET", "/api/things/")] * 3 + [
        ("POST", "/api/things/"), ("GET", "/api/things/")]
    assert http_server.connections == 1
    assert {r.connection for r in seen} == {1}
    assert seen[3].json() == {"name": "a"}


def test_user_agent_names_collection_and_galaxy_version(http_server):
    with open(GALAXY_YML) as handle:
        version = re.search(r"^version:\s*(\S+)", handle.read(), re.M).group(1)
    http_server.add("GET", "/api/", (200, {}))
    client_for(http_server, headers={"X-Extra": "1"}).request("GET", "/")
    seen = http_server.seen()[0]
    assert seen.headers["User-Agent"] == "statecraft.infra/%s" % version == USER_AGENT
    assert seen.headers["Accept"] == "application/json"
    assert seen.headers["X-Extra"] == "1"


def test_query_params_and_no_body_answers(http_server):
    http_server.add("GET", "/api/things/", (200, {"ok": True}))
    http_server.add("DELETE", "/api/things/1/", (204, None))
    http_server.add("PUT", "/api/things/1/", (200, ""))
    client = client_for(http_server)
    assert client.request("GET", "things/", params={"name": "a b", "limit": 5}) == {"ok": True}
    assert client.request("DELETE", "things/1/") is None
    assert client.request("PUT", "things/1/", expect=(200,)) is None
    assert http_server.seen()[0].query == {"name": "a b", "limit": "5"}


def test_answer_that_is_not_json_is_an_error_and_scrubbed(http_server):
    http_server.add("GET", "/api/x/", (200, "<html>login page for %s</html>" % TOKEN))
    client = client_for(http_server, auth=Bearer(TOKEN))
    with pytest.raises(ApiError) as info:
        client.request("GET", "x/")
    assert info.value.status == 200
    assert "not JSON" in str(info.value)
    assert TOKEN not in str(info.value) and MASK in str(info.value)


def test_unexpected_status_is_an_error(http_server):
    http_server.add("POST", "/api/x/", (200, {"id": 1}))
    with pytest.raises(ApiError) as info:
        client_for(http_server).request("POST", "x/", json_body={}, expect=(201,))
    assert info.value.status == 200


# -- retries ------------------------------------------------------------------------------

def test_get_503_then_200_is_retried_once(http_server, delays):
    http_server.add("GET", "/api/x/", (503, {"detail": "busy"}), (200, {"ok": 1}))
    assert client_for(http_server, delays).request("GET", "x/") == {"ok": 1}
    assert len(http_server.seen("GET", "/api/x/")) == 2
    assert len(delays) == 1
    assert 0.5 <= delays[0] <= 1.0  # backoff 0.5 * 2**0 plus up to as much jitter


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retry_after_is_honoured(http_server, delays, status):
    http_server.add("GET", "/api/x/", (status, {"detail": "later"}, {"Retry-After": "7"}),
                    (200, {"ok": 1}))
    assert client_for(http_server, delays).request("GET", "x/") == {"ok": 1}
    assert len(http_server.seen()) == 2
    assert delays == [7.0]


def test_retry_after_is_capped(http_server, delays):
    http_server.add("GET", "/api/x/", (429, {}, {"Retry-After": "3600"}), (200, {}))
    client_for(http_server, delays).request("GET", "x/")
    assert delays == [MAX_RETRY_AFTER]


def test_retry_after_http_date_is_honoured(http_server, delays):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    http_server.add("GET", "/api/x/", (503, {}, {"Retry-After": when}), (200, {}))
    client_for(http_server, delays).request("GET", "x/")
    assert len(http_server.seen()) == 2
    assert len(delays) == 1 and 17 <= delays[0] <= 21


@pytest.mark.parametrize("value", ["-5", "nan", "soon"])
def test_retry_after_nonsense_falls_back_to_backoff(http_server, delays, value):
    http_server.add("GET", "/api/x/", (503, {}, {"Retry-After": value}), (200, {}))
    client_for(http_server, delays).request("GET", "x/")
    assert len(http_server.seen()) == 2
    assert len(delays) == 1 and 0.5 <= delays[0] <= 1.0  # never negative or NaN (time.sleep raises)


def test_retry_budget_exhausted_raises_with_status_and_message(http_server, delays):
    http_server.add("GET", "/api/x/", (503, {"detail": "down for maintenance"}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays, retries=2).request("GET", "x/")
    assert len(http_server.seen()) == 3  # one try plus the budget of two retries
    err = info.value
    assert (err.method, err.path, err.status, err.message) == (
        "GET", "/api/x/", 503, "down for maintenance")
    assert str(err) == "GET /api/x/ returned HTTP 503: down for maintenance"
    assert len(delays) == 2
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0  # exponential with jitter


def test_retries_zero_sends_one_request(http_server, delays):
    http_server.add("GET", "/api/x/", (503, {"detail": "busy"}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays, retries=0).request("GET", "x/")
    assert info.value.status == 503
    assert len(http_server.seen()) == 1
    assert delays == []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_idempotent_writes_are_retried(http_server, delays, method):
    http_server.add(method, "/api/x/", (502, {}), (200, {"ok": 1}))
    assert client_for(http_server, delays).request(method, "x/", json_body={"a": 1}) == {"ok": 1}
    seen = http_server.seen(method)
    assert len(seen) == 2 and all(r.json() == {"a": 1} for r in seen)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_post_on_retryable_status_is_not_retried(http_server, status):
    http_server.add("POST", "/api/x/", (status, {"detail": "busy"}, {"Retry-After": "1"}),
                    (201, {"id": 1}))
    with pytest.raises(ApiError) as info:
        client_for(http_server).request("POST", "x/", json_body={"name": "a"})
    assert info.value.status == status
    assert len(http_server.seen("POST")) == 1


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_429_is_retried_after_retry_after_on_any_method(http_server, delays, method):
    """429 means the request was not processed: even a create is sent again after the delay."""
    http_server.add(method, "/api/x/", (429, {"detail": "slow down"}, {"Retry-After": "2"}),
                    (201, {"id": 1}))
    assert client_for(http_server, delays).request(method, "x/", json_body={"name": "a"}) == {"id": 1}
    seen = http_server.seen(method)
    assert len(seen) == 2 and all(r.json() == {"name": "a"} for r in seen)
    assert delays == [2.0]


def test_429_forever_stops_after_the_retry_budget(http_server, delays):
    http_server.add("POST", "/api/x/", *[(429, {"detail": "slow"}, {"Retry-After": "1"})] * 5)
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays, retries=2).request("POST", "x/", json_body={})
    assert info.value.status == 429
    assert len(http_server.seen("POST")) == 3 and delays == [1.0, 1.0]


def test_action_sent_as_patch_is_not_resent_when_marked_not_idempotent(http_server, delays):
    http_server.add("PATCH", "/api/x/", (503, {"detail": "busy"}), (200, {}))
    with pytest.raises(ApiError):
        client_for(http_server, delays).request("PATCH", "x/", json_body={"state": "restart"}, idempotent=False)
    assert len(http_server.seen("PATCH")) == 1 and delays == []


def test_post_connection_refused_is_retried_then_fails_naming_root_cause(
        closed_port, delays, no_proxy_env):
    client = HttpClient("http://127.0.0.1:%d/api" % closed_port, retries=2, sleep=delays.append)
    with pytest.raises(ApiError) as info:
        client.request("POST", "x/", json_body={"name": "a"})
    err = info.value
    assert err.status is None and err.method == "POST" and err.path == "/api/x/"
    assert "ConnectionRefusedError" in err.message
    assert str(err).startswith("POST /api/x/ failed: ConnectionRefusedError")
    assert len(delays) == 2  # the budget was used: a refused POST never reached the server


def test_post_connection_refused_is_retried_and_reaches_a_server_that_came_up(closed_port,
                                                                              server_factory):
    """Server-side proof of the retry: the server only starts during the first back-off."""
    started = []

    def sleep(seconds):
        if not started:
            started.append(server_factory("127.0.0.1", port=closed_port))
            started[0].add("POST", "/api/x/", (201, {"id": 7}))

    client = HttpClient("http://127.0.0.1:%d/api" % closed_port, retries=3, sleep=sleep)
    assert client.request("POST", "x/", json_body={"name": "a"}) == {"id": 7}
    seen = started[0].seen()
    assert [(r.method, r.path, r.json()) for r in seen] == [("POST", "/api/x/", {"name": "a"})]


def test_dropped_connection_get_is_retried(http_server, delays, reply):
    http_server.add("GET", "/api/x/", reply(drop=True), (200, {"ok": 1}))
    assert client_for(http_server, delays).request("GET", "x/") == {"ok": 1}
    assert len(http_server.seen("GET")) == 2
    assert http_server.connections == 2  # the dropped one and a fresh one
    assert len(delays) == 1


def test_dropped_connection_post_is_not_retried(http_server, delays, reply):
    http_server.add("POST", "/api/x/", reply(drop=True), (201, {"id": 1}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays).request("POST", "x/", json_body={"name": "a"})
    assert len(http_server.seen("POST")) == 1  # it reached the server: resending could duplicate
    assert info.value.status is None
    assert "RemoteDisconnected" in info.value.message
    assert info.value.uncertain  # the engine reads again before it reports
    assert delays == []


# -- timeouts -------------------------------------------------------------------------------

def test_read_timeout_get_retried_then_names_read_timeout(http_server, delays, reply):
    http_server.add("GET", "/api/slow/", reply(200, {}, delay=1.5))
    client = client_for(http_server, delays, timeout=0.5, retries=1)
    started = time.monotonic()
    with pytest.raises(ApiError) as info:
        client.request("GET", "slow/")
    assert time.monotonic() - started < 1.4  # each try gave up at the 0.5 s timeout
    assert len(http_server.seen("GET")) == 2
    err = info.value
    assert err.status is None
    assert "read timeout" in err.message.lower() or "read timed out" in err.message.lower()
    assert "0.5" in err.message


def test_read_timeout_post_is_not_retried(http_server, delays, reply):
    http_server.add("POST", "/api/slow/", reply(201, {}, delay=1.5))
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays, timeout=0.5, retries=3).request("POST", "slow/", json_body={})
    assert len(http_server.seen("POST")) == 1
    assert "read time" in info.value.message.lower()
    assert info.value.uncertain
    assert delays == []


def test_read_timeout_of_a_get_is_not_an_uncertain_write(http_server, delays, reply):
    http_server.add("GET", "/api/slow/", reply(200, {}, delay=1.5))
    with pytest.raises(ApiError) as info:
        client_for(http_server, delays, timeout=0.5, retries=0).request("GET", "slow/")
    assert not info.value.uncertain


# -- redirects ----------------------------------------------------------------------------

CREDENTIAL_STRATEGIES = [
    pytest.param(lambda: StaticHeader("Authorization", TOKEN, "Token "), id="token"),
    pytest.param(lambda: StaticHeader("X-Auth-Token", TOKEN), id="x-auth-token"),
    pytest.param(lambda: Bearer(TOKEN), id="bearer"),
    pytest.param(lambda: Basic("admin", "s3cret-pass"), id="basic"),
]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("make_auth", CREDENTIAL_STRATEGIES)
def test_redirect_to_same_host_keeps_credentials(http_server, status, make_auth):
    auth = make_auth()
    http_server.add("GET", "/api/old/", (status, None, {"Location": "/api/new/?page=2"}))
    http_server.add("GET", "/api/new/", (200, {"moved": True}))
    assert client_for(http_server, auth=auth).request("GET", "old/") == {"moved": True}
    old, new = http_server.seen()
    assert new.target == "/api/new/?page=2"
    expected = auth.headers(None)
    assert auth_headers(old) == expected and auth_headers(new) == expected


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("make_auth", CREDENTIAL_STRATEGIES)
def test_redirect_to_another_host_drops_credentials(http_server, other_server, status, make_auth):
    http_server.add("GET", "/api/x/", (status, None, {"Location": other_server.url + "/elsewhere/"}))
    other_server.add("GET", "/elsewhere/", (200, {"there": True}))
    client = client_for(http_server, auth=make_auth(), headers={"X-Request-Id": "r1"})
    assert client.request("GET", "x/") == {"there": True}
    assert auth_headers(http_server.seen()[0])  # the configured host got them
    [hop] = other_server.seen()
    assert auth_headers(hop) == {}
    assert hop.headers["X-Request-Id"] == "r1"  # only credentials are dropped
    assert hop.headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT"])
def test_body_is_never_resent_to_another_host(http_server, other_server, status, method):
    """A 307/308 keeps the body: to another host it would carry a connector's password or a
    login there. The redirect is refused, naming both hosts; the other host gets nothing."""
    http_server.add(method, "/api/x/", (status, None, {"Location": other_server.url + "/steal/"}))
    other_server.add(method, "/steal/", (201, {}))
    client = client_for(http_server, auth=Bearer(TOKEN), url_option="api_url")
    with pytest.raises(ApiError) as info:
        client.request(method, "x/", json_body={"password": "s3cret-value"})
    assert other_server.seen() == []
    message = str(info.value)
    assert http_server.url.split("://")[1] in message and other_server.url.split("://")[1] in message
    assert "api_url" in message and "s3cret-value" not in message


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("form", [True, False])
def test_login_request_is_never_redirected_to_another_host(http_server, other_server, status, form):
    """A login (no credentials of the client, a body of its own) stays on the configured host."""
    http_server.add("POST", "/api/login/", (status, None, {"Location": other_server.url + "/login/"}))
    other_server.add("POST", "/login/", (200, {"token": "x"}))
    other_server.add("GET", "/login/", (200, {"token": "x"}))
    body = {"data": {"client_secret": "s3cret-value"}} if form else {"json_body": {"password": "s3cret-value"}}
    with pytest.raises(ApiError) as info:
        client_for(http_server).request("POST", "login/", use_auth=False, **body)
    assert other_server.seen() == []
    assert other_server.url.split("://")[1] in str(info.value)


def test_login_redirect_on_the_same_host_is_followed(http_server):
    http_server.add("POST", "/api/login/", (308, None, {"Location": "/api/v2/login/"}))
    http_server.add("POST", "/api/v2/login/", (200, {"token": "t"}))
    assert client_for(http_server).request("POST", "login/", use_auth=False,
                                           json_body={"password": "p"}) == {"token": "t"}


def test_a_get_still_follows_to_another_host_without_credentials(http_server, other_server):
    http_server.add("GET", "/api/x/", (307, None, {"Location": other_server.url + "/x/"}))
    other_server.add("GET", "/x/", (200, {"ok": 1}))
    assert client_for(http_server, auth=Bearer(TOKEN)).request("GET", "x/") == {"ok": 1}
    assert auth_headers(other_server.seen()[0]) == {}


def test_404_on_the_first_request_names_the_url_option_and_host(http_server):
    http_server.add("GET", "/api/x/", (404, {"detail": "Not found."}), (404, {"detail": "Not found."}))
    client = client_for(http_server, url_option="server_url")
    with pytest.raises(ApiError) as info:
        client.request("GET", "x/")
    assert "server_url" in info.value.message and http_server.url.split("://")[1] in info.value.message
    with pytest.raises(ApiError) as later:
        client.request("GET", "x/")
    assert "server_url" not in later.value.message  # later 404s are about objects, not the URL


def test_redirect_to_same_ip_other_port_drops_credentials(http_server, server_factory):
    """Another port is another origin: the credentials stay with the configured one."""
    other_port = server_factory("127.0.0.1")
    other_port.add("GET", "/x/", (200, {}))
    http_server.add("GET", "/api/x/", (302, None, {"Location": other_port.url + "/x/"}))
    client_for(http_server, auth=Bearer(TOKEN)).request("GET", "x/")
    assert auth_headers(other_port.seen()[0]) == {}


def test_credentials_come_back_when_redirected_home(http_server, other_server):
    http_server.add("GET", "/api/a/", (302, None, {"Location": other_server.url + "/b/"}))
    other_server.add("GET", "/b/", (302, None, {"Location": http_server.url + "/api/c/"}))
    http_server.add("GET", "/api/c/", (200, {"home": True}))
    client_for(http_server, auth=StaticHeader("X-Auth-Token", TOKEN)).request("GET", "a/")
    assert auth_headers(other_server.seen()[0]) == {}
    assert auth_headers(http_server.seen("GET", "/api/c/")[0]) == {"X-Auth-Token": TOKEN}


def test_trusted_host_gets_credentials_over_https_only(http_server, other_server,
                                                       tls_other_server):
    """trusted_hosts=["127.0.0.2"]: a redirect to https://127.0.0.2 (a real TLS server with a
    self-signed certificate trusted through ca_path) carries the credentials; a redirect to
    plain http://127.0.0.2 does not. Without trusted_hosts, the https host gets none either."""
    http_server.add("GET", "/api/tls/", (302, None, {"Location": tls_other_server.url + "/t/"}))
    http_server.add("GET", "/api/plain/", (302, None, {"Location": other_server.url + "/p/"}))
    tls_other_server.add("GET", "/t/", (200, {"tls": True}))
    other_server.add("GET", "/p/", (200, {"plain": True}))

    trusting = client_for(http_server, auth=StaticHeader("X-Auth-Token", TOKEN),
                          trusted_hosts=["127.0.0.2"], ca_path=tls_other_server.ca_file)
    assert trusting.request("GET", "tls/") == {"tls": True}
    assert trusting.request("GET", "plain/") == {"plain": True}
    assert auth_headers(tls_other_server.seen()[0]) == {"X-Auth-Token": TOKEN}
    assert auth_headers(other_server.seen()[0]) == {}

    plain = client_for(http_server, auth=StaticHeader("X-Auth-Token", TOKEN),
                       ca_path=tls_other_server.ca_file)
    assert plain.request("GET", "tls/") == {"tls": True}
    assert auth_headers(tls_other_server.seen()[1]) == {}


@pytest.mark.parametrize("status", [301, 302, 303])
def test_redirect_after_post_becomes_get(http_server, status):
    http_server.add("POST", "/api/jobs/", (status, None, {"Location": "/api/jobs/42/"}))
    http_server.add("GET", "/api/jobs/42/", (200, {"id": 42}))
    result = client_for(http_server, auth=Bearer(TOKEN)).request("POST", "jobs/",
                                                                 json_body={"run": True})
    assert result == {"id": 42}
    post, get = http_server.seen()
    assert (post.method, post.json()) == ("POST", {"run": True})
    assert (get.method, get.path, get.body) == ("GET", "/api/jobs/42/", b"")
    assert get.headers.get("Content-Type") is None


@pytest.mark.parametrize("status", [307, 308])
def test_307_308_after_post_resend_the_post_on_the_same_host(http_server, status):
    http_server.add("POST", "/api/jobs/", (status, None, {"Location": "/api/v2/jobs/"}))
    http_server.add("POST", "/api/v2/jobs/", (201, {"id": 1}))
    client_for(http_server).request("POST", "jobs/", json_body={"run": True})
    assert [(r.method, r.path, r.json()) for r in http_server.seen()] == [
        ("POST", "/api/jobs/", {"run": True}), ("POST", "/api/v2/jobs/", {"run": True})]


def test_redirect_loop_is_an_error(http_server):
    http_server.add("GET", "/api/loop/", (302, None, {"Location": "/api/loop/"}))
    with pytest.raises(ApiError) as info:
        client_for(http_server).request("GET", "loop/")
    assert "redirects" in info.value.message
    assert len(http_server.seen()) == MAX_REDIRECTS + 1


# -- error messages -----------------------------------------------------------------------

def test_error_names_method_path_without_query_status_and_message(http_server):
    http_server.add("GET", "/api/dcim/devices/", (404, {"detail": "Not found."}))
    http_server.add("GET", "/api/status/", (200, {}))
    client = client_for(http_server)
    client.request("GET", "status/")  # not the first answer: a 404 is about the object
    with pytest.raises(ApiError) as info:
        client.request("GET", "dcim/devices/", params={"name": "sw1", "api_key": "k-in-url"})
    err = info.value
    assert http_server.seen()[1].query == {"name": "sw1", "api_key": "k-in-url"}
    assert (err.method, err.path, err.status, err.message) == (
        "GET", "/api/dcim/devices/", 404, "Not found.")
    assert str(err) == "GET /api/dcim/devices/ returned HTTP 404: Not found."
    assert "k-in-url" not in str(err) and "?" not in str(err)


@pytest.mark.parametrize("body", [
    {"detail": "Invalid token %s" % TOKEN},
    {"errors": ["token %s refused" % TOKEN]},
    "plain text: your token was %s" % TOKEN,
])
def test_secret_echoed_by_the_server_is_scrubbed(http_server, body):
    http_server.add("GET", "/api/x/", (403, body))
    with pytest.raises(ApiError) as info:
        client_for(http_server, auth=StaticHeader("Authorization", TOKEN, "Token ")).request(
            "GET", "x/")
    assert http_server.seen()[0].headers["Authorization"] == "Token " + TOKEN
    assert TOKEN not in str(info.value) and TOKEN not in info.value.message
    assert MASK in str(info.value)


def test_basic_password_and_its_base64_are_scrubbed(http_server):
    auth = Basic("admin", "s3cret-pass")
    encoded = auth.secret
    http_server.add("GET", "/api/x/", (401, {"detail": "bad s3cret-pass / Basic %s" % encoded}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, auth=auth).request("GET", "x/")
    text = str(info.value)
    assert "s3cret-pass" not in text and encoded not in text
    assert text.count(MASK) == 2


def test_secret_cut_by_message_truncation_is_not_leaked(http_server):
    """The default parser keeps 500 characters: a token cut in two must not leak its head."""
    body = "x" * 480 + TOKEN  # 20 characters of the token fall inside the kept 500
    http_server.add("GET", "/api/x/", (500, body))
    with pytest.raises(ApiError) as info:
        client_for(http_server, auth=Bearer(TOKEN), retries=0).request("GET", "x/")
    assert TOKEN[:8] not in str(info.value)


def test_platform_error_parser_message_and_fields_are_scrubbed(http_server):
    def parser(response):
        body = response.json()
        return "; ".join("%s: %s" % kv for kv in sorted(body.items())), dict(body)

    http_server.add("POST", "/api/x/", (400, {"name": ["required"], "token": ["bad %s" % TOKEN]}))
    with pytest.raises(ApiError) as info:
        client_for(http_server, auth=Bearer(TOKEN), error_parser=parser).request(
            "POST", "x/", json_body={})
    err = info.value
    assert err.status == 400 and "name: ['required']" in err.message
    assert TOKEN not in err.message
    assert set(err.fields) == {"name", "token"}
    assert TOKEN not in repr(err.fields)


# -- pagination ---------------------------------------------------------------------------

def test_iter_next_links_follows_every_page(http_server):
    base = http_server.url
    http_server.add("GET", "/api/items/", lambda seen: {
        None: (200, {"results": [1, 2], "next": base + "/api/items/?offset=2&limit=2"}),
        "2": (200, {"results": [3, 4], "next": base + "/api/items/?offset=4&limit=2"}),
        "4": (200, {"results": [5], "next": None}),
    }[seen.query.get("offset")])
    client = client_for(http_server, auth=Bearer(TOKEN))
    assert list(client.iter_next_links("items/", params={"limit": 2, "q": "x"})) == [1, 2, 3, 4, 5]
    seen = http_server.seen()
    assert [r.query for r in seen] == [{"limit": "2", "q": "x"}, {"offset": "2", "limit": "2"},
                                       {"offset": "4", "limit": "2"}]
    assert all(auth_headers(r) == {"Authorization": "Bearer " + TOKEN} for r in seen)


def test_iter_next_links_refuses_a_next_link_to_another_host(http_server, other_server):
    http_server.add("GET", "/api/items/", (200, {"results": [1], "next": other_server.url + "/steal/?p=2"}))
    other_server.add("GET", "/steal/", (200, {"results": [2], "next": None}))
    pages = client_for(http_server, auth=Bearer(TOKEN)).iter_next_links("items/")
    assert next(pages) == 1
    with pytest.raises(ApiError) as info:
        next(pages)
    assert "another host" in info.value.message
    assert "?" not in str(info.value)
    assert other_server.seen() == []


@pytest.mark.parametrize("total,expected_offsets", [
    (250, ["0", "100", "200"]),
    (200, ["0", "100", "200"]),  # a full last page needs one more (empty) page to know
    (0, ["0"]),
])
def test_iter_offset(http_server, total, expected_offsets):
    def page(seen):
        offset, limit = int(seen.query["offset"]), int(seen.query["limit"])
        return 200, {"results": list(range(offset, min(offset + limit, total)))}

    http_server.add("GET", "/api/items/", page)
    items = list(client_for(http_server).iter_offset("items/", params={"kind": "a"}, limit=100))
    assert items == list(range(total))
    seen = http_server.seen()
    assert [r.query["offset"] for r in seen] == expected_offsets
    assert all(r.query["limit"] == "100" and r.query["kind"] == "a" for r in seen)


def test_iter_offset_plain_list_and_custom_names(http_server):
    http_server.add("GET", "/api/items/",
                    lambda seen: (200, [1, 2] if seen.query["skip"] == "0" else [3]))
    client = client_for(http_server)
    assert list(client.iter_offset("items/", limit=2, limit_param="take", offset_param="skip")) == [1, 2, 3]
    assert [r.query for r in http_server.seen()] == [{"take": "2", "skip": "0"}, {"take": "2", "skip": "2"}]


@pytest.mark.parametrize("total,expected_pages", [
    (5, ["1", "2", "3"]),
    (4, ["1", "2"]),  # the total says it is done: no request for an empty page 3
    (0, ["1"]),
])
def test_iter_pages(http_server, total, expected_pages):
    def page(seen):
        number, size = int(seen.query["page"]), int(seen.query["limit"])
        start = (number - 1) * size
        return 200, {"results": list(range(start, min(start + size, total))), "total": total}

    http_server.add("GET", "/api/items/", page)
    assert list(client_for(http_server).iter_pages("items/", page_size=2)) == list(range(total))
    assert [r.query["page"] for r in http_server.seen()] == expected_pages


def test_iter_pages_without_total_stops_on_short_page(http_server):
    http_server.add("GET", "/api/items/",
                    lambda seen: (200, {"data": [1, 2]} if seen.query["p"] == "0" else {"data": [3]}))
    client = client_for(http_server)
    assert list(client.iter_pages("items/", page_size=2, results_key="data", page_param="p",
                                  size_param="n", first_page=0)) == [1, 2, 3]
    assert [r.query for r in http_server.seen()] == [{"p": "0", "n": "2"}, {"p": "1", "n": "2"}]


def test_relative_next_link_is_followed_from_the_page(http_server):
    http_server.add("GET", "/api/things/", lambda req: (200, {"results": [1], "next": "/api/things/?page=2"})
                    if "page=2" not in req.target else (200, {"results": [2], "next": None}))
    client = HttpClient(http_server.url + "/api")
    assert list(client.iter_next_links("things/")) == [1, 2]
    assert [r.target for r in http_server.seen("GET")] == ["/api/things/", "/api/things/?page=2"]


def test_netrc_credentials_are_never_added(http_server, tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    http_server.add("GET", "/api/x/", (200, {}))
    HttpClient(http_server.url + "/api").request("GET", "x/")
    assert "Authorization" not in http_server.seen("GET")[0].headers


# -- URL checks ----------------------------------------------------------------------------

@pytest.mark.parametrize("url,words", [
    ("nautobot.example.com", "no scheme"),
    ("ftp://nautobot.example.com", "ftp://"),
    ("http://", "no host"),
    ("https://:8080/", "no host"),
    ("http://host:port/", "not a valid URL"),
    ("", "empty"),
    ("https://host/api?x=1", "no query"),
])
def test_check_url_names_the_option_and_the_problem(url, words):
    with pytest.raises(ValueError) as info:
        check_url("server_url", url)
    assert str(info.value).startswith("server_url: ") and words in str(info.value)


def test_check_url_accepts_http_and_https():
    assert check_url("url", "https://nautobot.example.com/") == "https://nautobot.example.com/"
    assert check_url("url", " http://[::1]:8080/prefix ") == "http://[::1]:8080/prefix"


def test_url_hint_never_shows_a_password_in_the_url(http_server):
    http_server.add("GET", "/api/x/", (404, {"detail": "Not found."}))
    url = http_server.url.replace("http://", "http://admin:pa55word-in-url@") + "/api"
    with pytest.raises(ApiError) as info:
        HttpClient(url, sleep=_no_sleep).request("GET", "x/")
    assert "pa55word-in-url" not in str(info.value) and "url (http://127.0.0.1" in str(info.value)


@pytest.mark.parametrize("url", ["ftp://admin:pa55word-in-url@host/x", "admin:pa55word-in-url@host",
                                 "https://admin:pa55word-in-url@host:port/", "http://admin:pa55word-in-url@/x"])
def test_check_url_never_shows_a_password_in_the_url(url):
    with pytest.raises(ValueError) as info:
        check_url("url", url)
    assert "pa55word-in-url" not in str(info.value) and str(info.value).startswith("url: ")
