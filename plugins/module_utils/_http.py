# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's only HTTP transport: Ansible's ``open_url``, no third-party library.

``request()`` returns a ``Response`` for every answer the server gives (2xx and HTTP errors
alike, so callers decide what a 404 means) and raises ``ConnectionFailure`` only when there is
no answer at all (refused, DNS, TLS, timeout).
"""

from __future__ import annotations

import json
import socket

from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.six.moves import http_client
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure

USER_AGENT = "vigil.observability"


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


def encode_json(value):
    """Compact JSON, the bytes sent as a request body."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def request(method, url, body=None, headers=None, timeout=30, validate_certs=True, ca_path=None):
    """One HTTP exchange. ``body`` (any JSON value) is sent as JSON."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = encode_json(body)
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    try:
        resp = open_url(
            url,
            data=data,
            headers=headers,
            method=method,
            timeout=timeout,
            validate_certs=validate_certs,
            ca_path=ca_path,
            http_agent=USER_AGENT,
            follow_redirects="safe",
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
