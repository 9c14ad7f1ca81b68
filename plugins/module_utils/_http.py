# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's only HTTP transport: Ansible's ``open_url``, no third-party library.

``request()`` returns a ``Response`` for every answer the server gives (2xx and HTTP errors
alike, so callers decide what a 404 means) and raises ``ConnectionFailure`` only when there is
no answer at all (refused, DNS, TLS, timeout).

Redirects of GET and HEAD are followed here, not by ``open_url`` (which keeps every header on every
hop): a hop to another origin (scheme, host or port) drops the credentials (``Authorization``,
``Proxy-Authorization``, ``Cookie``), so a token or password never reaches a host it was not
meant for.
"""

from __future__ import annotations

import base64
import json
import socket

from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.six.moves import http_client
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import urljoin, urlsplit
from ansible.module_utils.urls import open_url

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure

USER_AGENT = "vigil.observability"

REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 10
# Headers that carry credentials: never sent to another origin than the one asked for.
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Response(object):
    """Status, headers and body of one HTTP answer."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def ok(self):
        return 200 <= self.status < 300

    def json(self):
        """The body parsed as JSON; None for an empty body; the text when it is not JSON."""
        text = to_text(self.body or b"", errors="surrogate_or_replace")
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    def header(self, name, default=None):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return default


def basic_auth(username, password):
    """The headers that log in as ``username`` with HTTP basic auth; none without a user."""
    if not username:
        return {}
    raw = ("%s:%s" % (username, password or "")).encode("utf-8")
    return {"Authorization": "Basic %s" % base64.b64encode(raw).decode("ascii")}


def text_or_empty(url, headers=None, timeout=5, validate_certs=True, client_cert=None, client_key=None):
    """The body of a 2xx answer to GET ``url`` as text; '' for any other answer or none at all
    (a /metrics page read in passing, where a missing page reads as a page without the metric)."""
    try:
        answer = request("GET", url, headers=headers, timeout=timeout, validate_certs=validate_certs,
                         client_cert=client_cert, client_key=client_key)
    except ConnectionFailure:
        return ""
    return to_text(answer.body or b"", errors="surrogate_or_replace") if answer.ok else ""


def encode_json(value):
    """Compact JSON, the bytes sent as a request body."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def origin(url):
    """(scheme, host, port) of ``url``, lower case, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def without_credentials(headers):
    """``headers`` minus those carrying credentials."""
    return dict((k, v) for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS)


def request(method, url, body=None, headers=None, timeout=30, validate_certs=True, ca_path=None, client_cert=None,
            client_key=None):
    """One HTTP exchange. ``body`` (any JSON value) is sent as JSON; ``client_cert`` and
    ``client_key`` (PEM files) answer a server that asks for a client certificate.

    A redirect of a GET or HEAD is followed (at most ``MAX_REDIRECTS`` hops); on a hop to another
    origin the credential headers are left out, for that hop and every later one. A redirect of
    any other method is returned as it is (a 3xx Response).
    """
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = encode_json(body)
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    first = origin(url)
    method = method.upper()
    for _hop in range(MAX_REDIRECTS + 1):
        response = _exchange(method, url, data, headers, timeout, validate_certs, ca_path, client_cert, client_key)
        location = response.header("Location")
        if response.status not in REDIRECT_CODES or not location or method not in ("GET", "HEAD"):
            return response
        url = urljoin(url, location.strip())
        if response.status not in (307, 308):
            data = None
            headers = dict((k, v) for k, v in headers.items() if k.lower() not in ("content-type", "content-length"))
        if origin(url) != first:
            headers = without_credentials(headers)
    raise ConnectionFailure(url, "more than %d redirects" % MAX_REDIRECTS)


def _exchange(method, url, data, headers, timeout, validate_certs, ca_path, client_cert=None, client_key=None):
    """One request, no redirect followed: a 3xx comes back as a Response with its Location."""
    try:
        resp = open_url(
            url,
            data=data,
            headers=headers,
            method=method,
            timeout=timeout,
            validate_certs=validate_certs,
            ca_path=ca_path,
            client_cert=client_cert,
            client_key=client_key,
            http_agent=USER_AGENT,
            follow_redirects="none",
            use_proxy=True,
            use_netrc=False,
        )
        try:
            return Response(resp.getcode(), dict(resp.headers.items()), resp.read())
        finally:
            resp.close()
    except HTTPError as err:
        try:
            payload = err.read()
        except Exception:  # pylint: disable=broad-except
            payload = b""
        hdrs = dict(err.headers.items()) if err.headers is not None else {}
        return Response(err.code, hdrs, payload)
    except URLError as err:
        raise ConnectionFailure(url, to_native(getattr(err, "reason", err)))
    except socket.timeout:
        raise ConnectionFailure(url, "timed out after %s seconds" % timeout)
    except (OSError, ValueError, http_client.HTTPException) as err:
        # ConnectionResetError, ssl.SSLError, http.client.RemoteDisconnected, bad URLs ...
        raise ConnectionFailure(url, to_native(err) or err.__class__.__name__)
