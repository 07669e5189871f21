# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one HTTP client every platform adapter talks through.

It owns the ``requests`` session, authentication headers, retries, redirects and the
single error type. It knows nothing about any platform's resources.
"""

from __future__ import absolute_import, division, print_function

import datetime
import email.utils
import json
import random
import re
import time
from urllib.parse import urljoin, urlsplit

try:
    import requests
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import ConnectTimeout, ReadTimeout, SSLError

    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # the module reports Ansible's missing-library message
    requests = None
    RequestsConnectionError = ConnectTimeout = ReadTimeout = SSLError = Exception
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.statecraft.infra.plugins.module_utils._version import COLLECTION_VERSION

USER_AGENT = "statecraft.infra/%s" % COLLECTION_VERSION
MASK = "********"
RETRY_STATUSES = frozenset((429, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0


class ApiError(Exception):
    """A request failed: method, path, status and the server's own message.

    ``status`` is None when no HTTP answer came back (connection error, timeout); then
    ``message`` names the root cause (for example ``ConnectionRefusedError``).
    ``fields`` carries a platform's per-field error details when it has them.
    """

    def __init__(self, method, path, status, message, body=None, fields=None, uncertain=False):
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.body = body
        self.fields = fields or {}
        # a write that was sent and then lost (timeout, reset): the server may have done it
        self.uncertain = uncertain
        super(ApiError, self).__init__(str(self))

    def __str__(self):
        where = "%s %s" % (self.method, self.path)
        if self.status is None:
            return "%s failed: %s" % (where, self.message)
        return "%s returned HTTP %s: %s" % (where, self.status, self.message)


def scrub(text, secrets):
    """``text`` with every secret (4+ characters) replaced by MASK."""
    secrets = sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    # a message cut to a length (error parsers do) may end inside a secret: mask its head too
    for secret in secrets:
        for size in range(len(secret) - 1, 3, -1):
            if text.endswith(secret[:size]):
                text = text[:-size] + MASK
                break
    return text


# keys whose values output never shows, wherever they sit in a settings dict
SECRET_NAME = re.compile(r"(password|secret|token|api_?key|private_?key|access_?key|shared_?key|psk|credentials_json)",
                         re.I)


def mask_secrets(value, keep=()):
    """A dict as output shows it: values under secret-looking keys masked (a platform's own
    mask, in ``keep``, stays as it is)."""
    if isinstance(value, dict):
        return dict((k, MASK if SECRET_NAME.search(k) and isinstance(v, (str, int, float)) and v not in keep
                     else mask_secrets(v, keep)) for k, v in value.items())
    if isinstance(value, list):
        return [mask_secrets(v, keep) for v in value]
    return value


def secret_values(value, under_secret=False):
    """Every string (4+ characters) held under a secret-looking key at any depth of
    ``value``: a pre-shared key inside a VPN's metadata, a password in a connector's
    configuration."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += secret_values(inner, under_secret or bool(SECRET_NAME.search(str(key))))
    elif isinstance(value, list):
        for inner in value:
            found += secret_values(inner, under_secret)
    elif under_secret and isinstance(value, str) and len(value) >= 4 and value != MASK:
        found.append(value)
    return found


NO_JSON = object()
USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@\s]*@")


def error_body(response):
    """An error answer's JSON body, or ``(NO_JSON, one line of text)`` when it has none
    (an HTML error page is named by its reason, never quoted)."""
    try:
        return response.json(), None
    except ValueError:
        text = (response.text or "").strip()
        if "<html" in text.lower():
            text = response.reason or "HTML error page"
        return NO_JSON, text[:300] or response.reason or "no message"


def default_error_message(response):
    """Best-effort message from an error body; adapters pass a better parser."""
    body, text = error_body(response)
    if body is NO_JSON:
        return text, None
    if isinstance(body, dict):
        for key in ("detail", "message", "error", "errors"):
            if body.get(key):
                return str(body[key]), None
    return json.dumps(body, sort_keys=True)[:500], None


def root_cause(exc):
    """Name the deepest cause of a requests/urllib3 exception (``ConnectionRefusedError: ...``)."""
    seen = set()
    cause = exc
    while True:
        nxt = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        if nxt is None and cause.args and isinstance(cause.args[0], BaseException):
            nxt = cause.args[0]
        if nxt is None or id(nxt) in seen or not isinstance(nxt, BaseException):
            break
        seen.add(id(nxt))
        cause = nxt
    text = str(cause)
    # urllib3 wraps the socket error text as "<connection object>: Failed to ...": keep the tail
    if ": " in text and text.startswith("<"):
        text = text.split(": ", 1)[1]
    return "%s: %s" % (type(cause).__name__, text) if text else type(cause).__name__


def _retry_after_seconds(value):
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date), None if unusable."""
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
    return seconds if seconds >= 0 else None  # negative or NaN: not a delay


def _never_reached_server(exc):
    """True when the connection was never established, so even a POST is safe to resend."""
    if isinstance(exc, ConnectTimeout):
        return True
    if isinstance(exc, SSLError):
        return False
    text = root_cause(exc)
    return any(
        marker in text
        for marker in ("NewConnectionError", "ConnectionRefusedError", "Name or service not known",
                       "NameResolutionError", "Failed to establish a new connection")
    )


def _no_netrc(request):
    return request


def check_url(option, value, path_hint=None):
    """Raise ValueError naming ``option`` unless ``value`` is an http(s) URL with a host;
    ``path_hint(parts)`` (the ``urlsplit`` parts) may return what is wrong with its path for
    the platform."""
    text = str(value or "").strip()
    if not text:
        raise ValueError("%s: an empty URL" % option)
    parts = urlsplit(text)
    shown = shown_url(text)  # a password in the URL stays out of the message
    if parts.scheme.lower() not in ("http", "https"):
        if "://" in text:
            raise ValueError("%s: %r uses %s://; only http:// and https:// URLs are supported"
                             % (option, shown, parts.scheme))
        raise ValueError("%s: %r has no scheme; give the full URL, for example https://%s"
                         % (option, shown, shown.lstrip("/")))
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a port that is not a number
        raise ValueError("%s: %r is not a valid URL: %s" % (option, shown, exc))
    if not host:
        raise ValueError("%s: %r names no host" % (option, shown))
    del port
    if parts.query or parts.fragment:
        raise ValueError("%s: %r: a base URL takes no query or fragment" % (option, shown))
    problem = path_hint(parts) if path_hint is not None else None
    if problem:
        raise ValueError("%s: %r: %s" % (option, shown, problem))
    return text


def shown_url(url):
    """A URL as messages show it: without a ``user:password@`` part (with or without a scheme)."""
    return USERINFO.sub(r"\1", url)


def netloc(origin):
    """``host:port`` of an ``_origin`` tuple, as messages show it."""
    return "%s:%s" % (origin[1], origin[2])


class HttpClient(object):
    """One session per target. ``request`` returns decoded JSON (or None for no body).

    Parameters mirror the shared connection options: ``timeout`` (seconds), ``validate_certs``,
    ``ca_path``, ``retries`` (how many times a retryable failure is retried). ``auth`` is a
    strategy from ``_auth``. ``error_parser(response) -> (message, fields)`` turns a
    platform's error body into text. ``trusted_hosts`` are extra host names (beyond the
    configured one) that may receive credentials on a redirect. ``url_option`` names the
    option the base URL came from, for messages that suggest it may be wrong.
    """

    def __init__(self, base_url, auth=None, timeout=30, validate_certs=True, ca_path=None,
                 retries=3, headers=None, error_parser=None, trusted_hosts=(), backoff=0.5,
                 sleep=time.sleep, session=None, url_option="url"):
        if requests is None:
            raise REQUESTS_IMPORT_ERROR
        self.base_url = base_url.rstrip("/") + "/"
        self.auth = auth
        self.timeout = timeout
        self.verify = ca_path if ca_path else bool(validate_certs)
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.error_parser = error_parser or default_error_message
        self.trusted_hosts = {h.lower() for h in trusted_hosts}
        self._sleep = sleep
        self.session = session or requests.Session()
        # a no-op auth hook stops requests adding ~/.netrc credentials (for any host);
        # environment proxies are still honoured
        self.session.auth = _no_netrc
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"
        self.session.headers.update(headers or {})
        self._home = self._origin(self.base_url)
        self.url_option = url_option
        self.answered = 0  # HTTP answers received: a 404 on the first one may mean a wrong URL

    # -- secrets ---------------------------------------------------------------------------
    def secrets(self):
        """Every secret in play, including ones minted at login, for scrubbing output."""
        return [s for s in (self.auth.secrets() if self.auth else []) if s]

    def scrub(self, text):
        return scrub(text, self.secrets())

    def _scrub_value(self, value):
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, (list, tuple)):
            return [self._scrub_value(v) for v in value]
        if isinstance(value, dict):
            return dict((k, self._scrub_value(v)) for k, v in value.items())
        return value

    # -- URLs ------------------------------------------------------------------------------
    @staticmethod
    def _origin(url):
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        return (parts.scheme, (parts.hostname or "").lower(), port)

    def url_for(self, path):
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url, path.lstrip("/"))

    def path_of(self, url):
        """The path shown in messages: relative to the base URL, query dropped (may hold keys)."""
        parts = urlsplit(url)
        return parts.path

    def credentials_allowed(self, url):
        scheme, host, port = self._origin(url)
        if (scheme, host, port) == self._home:
            return True
        return scheme == "https" and host in self.trusted_hosts

    # -- requests --------------------------------------------------------------------------
    def request(self, method, path, params=None, json_body=None, expect=None, headers=None,
                use_auth=True, data=None, idempotent=None):
        """Send one request (with retries and one auth refresh) and return the decoded body.

        ``use_auth=False`` sends no credentials (a login or token request carries its own);
        ``idempotent``: see ``send``.
        """
        if isinstance(data, dict):
            # form fields: the session's JSON content type would misname them
            headers = dict(headers or {})
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        response = self.send(method, path, params=params, json_body=json_body, headers=headers,
                             use_auth=use_auth, data=data, idempotent=idempotent)
        ok = expect or (200, 201, 202, 204)
        if response.status_code not in ok:
            raise self.error(method, response.url, response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(method, self.path_of(response.url), response.status_code,
                           "the answer is not JSON: %s" % self.scrub(response.text[:200]))

    def error(self, method, url, response):
        message, fields = self.error_parser(response)
        if response.status_code == 404 and self.first_answer:
            message = "%s (%s)" % (message, self.url_hint())
        return ApiError(method, self.path_of(url), response.status_code, self.scrub(message),
                        body=None, fields=self._scrub_value(fields or {}))

    @property
    def first_answer(self):
        """True while only one HTTP answer has come in this task."""
        return self.answered <= 1

    def url_hint(self):
        """What a 404 on a task's first request suggests."""
        return "the first request to %s was not found: check that %s (%s) is the API's URL" % (
            netloc(self._home), self.url_option, shown_url(self.base_url))

    def send(self, method, path, params=None, json_body=None, headers=None, use_auth=True, data=None,
             idempotent=None):
        """One request with retries. ``idempotent`` (default: by method) says whether a
        request that may have reached the server can be sent again: a create never, a
        platform action sent as PATCH/PUT passes False."""
        method = method.upper()
        url = self.url_for(path)
        auth = self.auth if use_auth else None
        # a request without credentials that carries a body is a login or token request
        login = not use_auth and (json_body is not None or data is not None)
        resendable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        refreshed = False
        attempt = 0
        while True:
            try:
                response = self._send_following_redirects(method, url, params, json_body, headers,
                                                          auth, data, login)
            except (RequestsConnectionError, ReadTimeout) as exc:
                reached = not _never_reached_server(exc)
                if (resendable or not reached) and attempt < self.retries:
                    self._sleep(self._delay(attempt, None))
                    attempt += 1
                    continue
                message = root_cause(exc)
                if isinstance(exc, (ConnectTimeout, ReadTimeout)):
                    # the root cause is a bare "TimeoutError: timed out": say which timeout
                    message = "%s timeout (%s s): %s" % (
                        "connect" if isinstance(exc, ConnectTimeout) else "read", self.timeout, message)
                uncertain = reached and method not in ("GET", "HEAD", "OPTIONS")
                raise ApiError(method, self.path_of(url), None, self.scrub(message), uncertain=uncertain)
            self.answered += 1
            status = response.status_code
            # only a refusal from a host that got the credentials can mean they expired
            if auth and not refreshed and self.credentials_allowed(response.url) and auth.is_expired(response):
                # the platform says the token expired: log in again once, then resend once
                refreshed = True
                auth.refresh(self)
                continue
            # 429 means "not processed": any request may be resent after the delay
            retry = status == 429 or (status in RETRY_STATUSES and resendable)
            if retry and attempt < self.retries:
                self._sleep(self._delay(attempt, response.headers.get("Retry-After")))
                attempt += 1
                continue
            return response

    def _delay(self, attempt, retry_after):
        seconds = _retry_after_seconds(retry_after) if retry_after else None
        if seconds is not None:
            return min(seconds, MAX_RETRY_AFTER)
        base = self.backoff * (2 ** attempt)
        return base + random.uniform(0, base)

    def _send_following_redirects(self, method, url, params, json_body, headers, auth, data, login=False):
        # requests' own redirect handling keeps custom auth headers (X-Auth-Token) across
        # hosts, so redirects are followed here and credentials attached per hop
        for _hop in range(MAX_REDIRECTS + 1):
            send_headers = dict(headers or {})
            if auth and self.credentials_allowed(url):
                send_headers.update(auth.headers(self))
            response = self.session.request(
                method, url, params=params, json=json_body, data=data, headers=send_headers,
                timeout=self.timeout, verify=self.verify, allow_redirects=False,
            )
            if response.status_code not in REDIRECT_STATUSES or "Location" not in response.headers:
                return response
            status = response.status_code
            target = urljoin(response.url, response.headers["Location"])
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, json_body, data = "GET", None, None  # what browsers and requests do
            self._check_redirect(method, url, target, status, login,
                                 json_body is not None or data is not None)
            url = target
            params = None  # the Location carries its own query
        raise ApiError(method, self.path_of(url), None, "more than %d redirects" % MAX_REDIRECTS)

    def _check_redirect(self, method, url, target, status, login, has_body):
        """Refuse a redirect that would carry secrets to another host: a login or token
        request goes nowhere but the configured host, and a body (a create can hold a
        connector's password) only where credentials may go."""
        home, there = self._home, self._origin(target)
        if there == home or (there[1] == home[1] and there[0] == "https"):
            return  # the configured host (an upgrade to https included)
        if login:
            why = "a login or token request is sent only to the configured host"
        elif has_body and not self.credentials_allowed(target):
            why = "that would send the request body to another host"
        else:
            return
        raise ApiError(method, self.path_of(url), status,
                       "the server redirected to %s, a host other than %s; not followed: %s "
                       "(if the API now lives there, set %s to its URL)"
                       % (netloc(there), netloc(home), why, self.url_option))

    # -- pagination ------------------------------------------------------------------------
    def iter_next_links(self, path, params=None, results_key="results", next_key="next"):
        """Follow ``next`` links (Nautobot, DRF): yields items of every page."""
        url = self.url_for(path)
        body = self.request("GET", url, params=params)
        while True:
            yield from body.get(results_key) or []
            nxt = body.get(next_key)
            if not nxt:
                return
            url = urljoin(url, nxt)  # a next link may be absolute or relative to the page
            if not self.credentials_allowed(url):
                raise ApiError("GET", self.path_of(url), None,
                               "the server's next link points to another host; not followed")
            body = self.request("GET", url)

    def iter_offset(self, path, params=None, limit=100, results_key="results",
                    limit_param="limit", offset_param="offset"):
        """Limit/offset pages until a short page."""
        offset = 0
        while True:
            query = dict(params or {})
            query.update({limit_param: limit, offset_param: offset})
            body = self.request("GET", path, params=query)
            items = body.get(results_key) if isinstance(body, dict) else body
            items = items or []
            yield from items
            if len(items) < limit:
                return
            offset += limit

    def iter_pages(self, path, params=None, page_size=100, results_key="results",
                   total_key="total", page_param="page", size_param="limit", first_page=1, on_page=None,
                   total=None):
        """Page/limit pages until a page is empty or short, or the total (``body[total_key]``,
        or ``total(body)`` where it sits deeper: CloudCIX's metadata) have come. ``on_page(body)``
        sees each page's body (notices a platform puts beside the items)."""
        page = first_page
        seen = 0
        while True:
            query = dict(params or {})
            query.update({page_param: page, size_param: page_size})
            body = self.request("GET", path, params=query, expect=(200,)) or {}
            if on_page is not None:
                on_page(body)
            items = body.get(results_key) or []
            yield from items
            seen += len(items)
            count = total(body) if total is not None else body.get(total_key)
            if not items or (count is not None and seen >= int(count)) or len(items) < page_size:
                return
            page += 1
