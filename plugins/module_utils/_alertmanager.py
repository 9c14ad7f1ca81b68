# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alertmanager API v2 (silences): the client, its error messages, RFC 3339 times and matchers.

The same API is served by Prometheus' Alertmanager at ``<base>/api/v2`` and by Grafana's
built-in Alertmanager at ``<grafana>/api/alertmanager/grafana/api/v2``; the client takes the base
URL and appends ``/api/v2/...``.

``AlertmanagerClient`` is ``GrafanaClient`` (one transport, retries, check-mode guard) with an
Alertmanager URL check and ``AlertmanagerError`` messages: one line naming the request and, for a
404 of the silence list, that the URL is probably not an Alertmanager API base.
"""

from __future__ import annotations

import datetime
import re

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.vigil.observability.plugins.module_utils._client import GrafanaClient, quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ValidationError, VigilError

API = "/api/v2"
SILENCES = API + "/silences"
GRAFANA_BASE = "/api/alertmanager/grafana"

# Prometheus' (classic) label name rule.
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

_HINTS = {
    400: "bad request",
    401: "authentication failed: wrong or missing credentials (username/password or token)",
    403: "permission denied: the credentials are not allowed to manage silences",
    404: "not found",
    422: "unprocessable entity",
    429: "rate limited",
    500: "internal server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}


def not_an_api_base(base_url):
    """Why a 404 of the silence list most likely happened."""
    return ("%s is probably not an Alertmanager API base URL: give the URL that /api/v2/... is appended to, such as "
            "http://alertmanager.example.com:9093, or <grafana url>%s for Grafana's built-in Alertmanager"
            % (base_url, GRAFANA_BASE))


def one_line(text, limit=300):
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."


class AlertmanagerError(ApiError):
    """An HTTP error answer of the Alertmanager API, as one line."""

    def _hint(self):
        return _HINTS.get(self.status, "HTTP error")

    def _message(self):
        parts = ["%s %s failed with HTTP %s (%s)" % (self.method, self.url, self.status, self._hint())]
        said = one_line(self.server_message)
        if said and not said.startswith("<"):  # an HTML error page of a proxy says nothing useful
            parts.append("the server says: %s" % said)
        if self.context:
            parts.append(self.context)
        return "; ".join(parts)

    def with_context(self, context):
        return AlertmanagerError(self.status, self.method, self.url, self.body, context=context)


def check_base_url(url):
    """The base URL without trailing slashes; refused when it cannot be one."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("url must be an http:// or https:// URL of Alertmanager (or of Grafana's built-in "
                              "Alertmanager, <grafana url>%s), got %r" % (GRAFANA_BASE, text))
    if parts.username is not None or parts.password is not None:
        raise ValidationError("url must not carry credentials: use the username and password options")
    if parts.query or parts.fragment:
        raise ValidationError("url must be a base URL without a query or fragment, got %r" % text)
    base = text.rstrip("/")
    if re.search(r"/api/v[12]$", base):
        raise ValidationError("url %r ends with the API path: give the base URL, the module appends /api/v2/... itself"
                              % base)
    return base


class AlertmanagerClient(GrafanaClient):
    """JSON over HTTP to one Alertmanager API v2 (or Grafana's built-in Alertmanager)."""

    @classmethod
    def from_params(cls, params, check_mode=False):
        # The shared connection options, with the base URL checked; Alertmanager has no organisations.
        return super().from_params(dict(params, url=check_base_url(params.get("url")), org_id=None), check_mode)

    def request(self, method, path, body=None, query=None, headers=None, missing_ok=False):
        try:
            return super(AlertmanagerClient, self).request(method, path, body=body, query=query, headers=headers,
                                                           missing_ok=missing_ok)
        except AlertmanagerError:
            raise
        except ApiError as err:
            raise AlertmanagerError(err.status, err.method, err.url, err.body)

    # -- the silence endpoints -----------------------------------------------------------------

    def list_silences(self):
        """Every silence Alertmanager keeps (expired ones too)."""
        try:
            answer = self.request("GET", SILENCES)
        except AlertmanagerError as err:
            if err.status == 404:
                raise err.with_context(not_an_api_base(self.url))
            raise err.with_context("the silences could not be listed")
        if not isinstance(answer, list):
            raise VigilError("GET %s%s answered %r instead of a list of silences; %s"
                             % (self.url, SILENCES, one_line(answer, 80), not_an_api_base(self.url)))
        return [s for s in answer if isinstance(s, dict)]

    def get_silence(self, silence_id):
        """One silence by id; None when Alertmanager does not know it."""
        try:
            answer = self.request("GET", API + "/silence/" + quote_segment(silence_id), missing_ok=True)
        except AlertmanagerError as err:
            raise err.with_context("silence %r could not be read" % silence_id)
        return answer if isinstance(answer, dict) else None

    def post_silence(self, body):
        """Create (no id) or update (id) a silence; the id Alertmanager answers with."""
        what = "silence %r could not be updated" % body["id"] if body.get("id") else "the silence could not be created"
        try:
            answer = self.request("POST", SILENCES, body=body)
        except AlertmanagerError as err:
            raise err.with_context(what)
        silence_id = answer.get("silenceID") if isinstance(answer, dict) else None
        if not silence_id:
            raise VigilError("POST %s%s answered %r without a silenceID" % (self.url, SILENCES, one_line(answer, 80)))
        return silence_id

    def expire_silence(self, silence_id):
        """DELETE (expire) one silence; False when it is gone already (HTTP 404)."""
        try:
            self.request("DELETE", API + "/silence/" + quote_segment(silence_id))
        except AlertmanagerError as err:
            if err.status == 404:
                return False
            raise err.with_context("silence %r could not be expired" % silence_id)
        return True


# -- RFC 3339 times --------------------------------------------------------------------------

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")
UTC = datetime.timezone.utc


def parse_time(text, what="time"):
    """An RFC 3339 time (``2030-01-31T18:00:00Z``, ``...+02:00``, any fraction) as an aware UTC datetime."""
    match = _RFC3339.match(str(text or "").strip())
    if not match:
        raise ValidationError("%s must be an RFC 3339 time such as 2030-01-31T18:00:00Z, got %r" % (what, text))
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        value = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                                  int((fraction or "0")[:6].ljust(6, "0")), tzinfo=UTC)
    except ValueError as err:
        raise ValidationError("%s %r is not a valid time: %s" % (what, text, err)) from None
    if not zulu:
        offset = datetime.timedelta(hours=int(off_h), minutes=int(off_m))
        value = value - offset if sign == "+" else value + offset
    return value


def format_time(value):
    """UTC, millisecond precision, as Alertmanager answers: ``2030-01-31T18:00:00.000Z``."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)


def now_ms():
    """The current UTC time, truncated to milliseconds (what a round trip through the API keeps)."""
    now = datetime.datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# -- matchers --------------------------------------------------------------------------------

def api_matcher(matcher):
    """A module matcher (name, value, is_regex, is_equal) in the API's form."""
    return {"name": matcher["name"], "value": matcher["value"], "isRegex": bool(matcher.get("is_regex")),
            "isEqual": matcher.get("is_equal") is not False}


def module_matcher(matcher):
    """An API matcher in the module's form; ``isEqual`` missing (Alertmanager < 0.22) means true."""
    return {"name": matcher.get("name"), "value": matcher.get("value"), "is_regex": bool(matcher.get("isRegex")),
            "is_equal": matcher.get("isEqual") is not False}


def matcher_key(matcher):
    return (matcher["name"] or "", matcher["value"] or "", matcher["is_regex"], matcher["is_equal"])


def sorted_matchers(matchers):
    """Module-form matchers in a stable order: the comparison ignores the order."""
    return sorted(matchers, key=matcher_key)


def matcher_text(matcher):
    operator = ("=~" if matcher["is_regex"] else "=") if matcher["is_equal"] else ("!~" if matcher["is_regex"] else "!=")
    return "%s%s%r" % (matcher["name"], operator, matcher["value"])


def _matches_empty(matcher, pattern):
    if matcher["is_regex"]:
        return bool(pattern.fullmatch("")) == matcher["is_equal"]
    return (matcher["value"] == "") == matcher["is_equal"]


def validate_matchers(matchers):
    """Module-form matchers checked the way Alertmanager checks a silence (regexes with Python's ``re``,
    a sanity check: Alertmanager's Go regexp is stricter)."""
    if not matchers:
        raise ValidationError("matchers: at least one matcher is needed for state=present")
    out = []
    empty = 0
    for index, raw in enumerate(matchers):
        where = "matchers[%d]" % index
        name = raw.get("name")
        value = raw.get("value")
        if not isinstance(name, str) or not LABEL_NAME.match(name):
            raise ValidationError("%s: %r is not a valid label name (letters, digits and '_', not starting with a digit)"
                                  % (where, name))
        matcher = {"name": name, "value": "" if value is None else str(value), "is_regex": bool(raw.get("is_regex")),
                   "is_equal": raw.get("is_equal") is not False}
        pattern = None
        if matcher["is_regex"]:
            try:
                pattern = re.compile("(?:%s)" % matcher["value"])
            except re.error as err:
                raise ValidationError("%s: %r of label %s is not a valid regular expression: %s"
                                      % (where, matcher["value"], name, err)) from None
        empty += _matches_empty(matcher, pattern)
        out.append(matcher)
    if empty == len(out):
        raise ValidationError("matchers: every matcher also matches alerts without the label (the empty value); "
                              "Alertmanager refuses such a silence, at least one must not match the empty string")
    return out
