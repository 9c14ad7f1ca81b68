# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GrafanaClient: base URL, authentication, organisation, retries and error mapping, once.

- Auth: a service-account token (``Authorization: Bearer``) or basic auth. The organisation
  is chosen per request with ``X-Grafana-Org-Id`` (basic auth only: a token always acts in
  the organisation it belongs to). ``POST /api/user/using`` is never used, because it changes
  the user's default organisation persistently.
- Retries: 429, 502, 503 and 504 are retried for every method and 500 for reads only (Grafana
  answers some deterministic errors with 500), with exponential backoff bounded by
  ``MAX_BACKOFF`` and ``Retry-After`` honoured up to the same bound.
- Every HTTP error becomes one ``ApiError`` carrying the status and Grafana's message.
- ``read_only=True`` (check mode) makes any mutating request raise before it is sent, so
  check mode can never write, whatever a module does.
"""

from __future__ import annotations

import re
import time

from ansible.module_utils.six.moves.urllib.parse import quote, urlencode

from ansible_collections.vigil.observability.plugins.module_utils import _http
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, VigilError

READ_METHODS = ("GET", "HEAD")
RETRY_ANY = (429, 502, 503, 504)
RETRY_READS = (500,)
MAX_BACKOFF = 8.0


def quote_segment(value):
    """A path segment (uid, name) safely quoted."""
    return quote(str(value), safe="")


def parse_version(text):
    """``"12.2.0-pre+security"`` -> ``(12, 2, 0)``; None when unknown."""
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", str(text or ""))
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


class GrafanaClient(object):
    """JSON over HTTP to one Grafana organisation."""

    def __init__(self, url, token=None, username=None, password=None, org_id=None,
                 validate_certs=True, ca_path=None, timeout=30, retries=3, backoff=0.5,
                 read_only=False, transport=None, sleep=None):
        if not url:
            raise VigilError("no Grafana URL: set the url option or the GRAFANA_URL environment variable")
        if not re.match(r"^https?://", url):
            raise VigilError("url must start with http:// or https://, got %r" % url)
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.read_only = read_only
        self.transport = transport or _http.request
        self.sleep = sleep or time.sleep
        self.warnings = []
        self.requests = 0
        self._version = False
        self.headers = {}
        if token:
            self.headers["Authorization"] = "Bearer %s" % token
            self.auth = "token"
            if org_id:
                self.warnings.append("org_id is ignored with a token: a service-account token always acts in its own organisation")
        elif username:
            self.headers.update(_http.basic_auth(username, password))
            self.auth = "basic"
            if org_id:
                self.headers["X-Grafana-Org-Id"] = str(org_id)
        else:
            self.auth = "anonymous"

    @classmethod
    def from_params(cls, params, check_mode=False):
        """A client from the shared connection options of a module."""
        return cls(
            url=params.get("url"),
            token=params.get("token"),
            username=params.get("username"),
            password=params.get("password"),
            org_id=params.get("org_id"),
            validate_certs=params.get("validate_certs", True),
            ca_path=params.get("ca_path"),
            timeout=params.get("timeout") or 30,
            read_only=check_mode,
        )

    @classmethod
    def from_module(cls, module):
        """A client for an AnsibleModule: its options, its check mode, its warnings."""
        client = cls.from_params(module.params, check_mode=module.check_mode)
        for warning in client.warnings:
            module.warn(warning)
        return client

    # -- transport -------------------------------------------------------------------------

    def _delay(self, attempt, response):
        delay = self.backoff * (2 ** attempt)
        retry_after = response.header("Retry-After")
        if retry_after:
            try:
                delay = float(retry_after)
            except ValueError:
                pass
        return max(0.0, min(MAX_BACKOFF, delay))

    def request(self, method, path, body=None, query=None, headers=None, missing_ok=False):
        """Send one request; the parsed JSON answer, or None for 404 when ``missing_ok``."""
        method = method.upper()
        if self.read_only and method not in READ_METHODS:
            raise VigilError("internal error: %s %s attempted in check mode" % (method, path))
        url = self.url + path
        if query:
            url += "?" + urlencode(query, doseq=True)
        all_headers = dict(self.headers)
        all_headers.update(headers or {})
        attempt = 0
        while True:
            self.requests += 1
            response = self.transport(method, url, body=body, headers=all_headers, timeout=self.timeout,
                                      validate_certs=self.validate_certs, ca_path=self.ca_path)
            retryable = response.status in RETRY_ANY or (method in READ_METHODS and response.status in RETRY_READS)
            if retryable and attempt < self.retries:
                self.sleep(self._delay(attempt, response))
                attempt += 1
                continue
            break
        if response.ok:
            return response.json()
        if response.status == 404 and missing_ok:
            return None
        raise ApiError(response.status, method, self.url + path, response.json())

    def get(self, path, query=None, missing_ok=True):
        return self.request("GET", path, query=query, missing_ok=missing_ok)

    def post(self, path, body=None, query=None, headers=None):
        return self.request("POST", path, body=body, query=query, headers=headers)

    def put(self, path, body=None, query=None, headers=None):
        return self.request("PUT", path, body=body, query=query, headers=headers)

    def delete(self, path, query=None, headers=None, missing_ok=False):
        return self.request("DELETE", path, query=query, headers=headers, missing_ok=missing_ok)

    # -- server facts ----------------------------------------------------------------------

    def server_version(self):
        """Grafana's version from ``/api/health`` (cached), as a tuple; None when hidden."""
        if self._version is False:
            health = self.request("GET", "/api/health")
            self._version = parse_version(health.get("version")) if isinstance(health, dict) else None
        return self._version
