# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants, error bodies and value helpers of the Grafana double (durations, uids, secrets)."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import random
import re
import string


VERSION = "12.2.0"
COMMIT = "00012cef29356c2024d8c6cb769de6b3a31ce843"
UID_RE = re.compile(r"^[a-zA-Z0-9\-_]*$")
ROLES = {"None": 0, "Viewer": 1, "Editor": 2, "Admin": 3}
MUTATING = ("POST", "PUT", "PATCH", "DELETE")

# Secret settings per contact-point type (Grafana's channels_config); dotted keys are nested.
_TLS = ["tlsConfig.caCertificate", "tlsConfig.clientCertificate", "tlsConfig.clientKey"]
SECRET_KEYS = {
    "alertmanager": ["basicAuthPassword"],
    "prometheus-alertmanager": ["basicAuthPassword"],
    "dingding": ["url"],
    "discord": ["url"],
    "googlechat": ["url"],
    "victorops": ["url"],
    "email": [],
    "teams": [],
    "jira": ["user", "password", "api_token"],
    "kafka": ["password"],
    "line": ["token"],
    "mqtt": ["password"] + _TLS,
    "oncall": ["password", "authorization_credentials"],
    "opsgenie": ["apiKey"],
    "pagerduty": ["integrationKey"],
    "pushover": ["apiToken", "userKey"],
    "sensugo": ["apikey"],
    "slack": ["token", "url"],
    "sns": ["sigv4.access_key", "sigv4.secret_key"],
    "telegram": ["bottoken"],
    "threema": ["api_secret"],
    "webex": ["bot_token"],
    "webhook": ["password", "authorization_credentials"] + _TLS + [
        "hmacConfig.secret", "http_config.oauth2.client_secret",
        "http_config.oauth2.tls_config.caCertificate", "http_config.oauth2.tls_config.clientCertificate",
        "http_config.oauth2.tls_config.clientKey"],
    "wecom": ["url", "secret"],
}
REDACTED = "[REDACTED]"
DEFAULT_RECEIVER = "grafana-default-email"
DEFAULT_POLICY = {"receiver": DEFAULT_RECEIVER, "group_by": ["grafana_folder", "alertname"]}
WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]


# --------------------------------------------------------------------------------------------
# error bodies (the four shapes of grafana-api.md section 1)
# --------------------------------------------------------------------------------------------

class HttpError(Exception):
    def __init__(self, status, body):
        super(HttpError, self).__init__(status)
        self.status = status
        self.body = body


def legacy(status, message):
    """``response.Error``: ``{"message": ...}``."""
    return HttpError(status, {"message": message})


def typed(status, kind, message):
    """Dashboard/folder typed error: ``{"status": ..., "message": ...}``."""
    return HttpError(status, {"status": kind, "message": message})


def errutil(status, message_id, message, extra=None):
    """errutil ``PublicError``."""
    body = {"statusCode": status, "messageId": message_id, "message": message}
    if extra is not None:
        body["extra"] = extra
    return HttpError(status, body)


def empty(status):
    """No body at all (alert rule not found)."""
    return HttpError(status, None)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_uid():
    """Grafana's current generated uid format: 26 lowercase chars starting/ending with a letter."""
    rng = random.SystemRandom()
    middle = "".join(rng.choices(string.ascii_lowercase + string.digits, k=24))
    return rng.choice(string.ascii_lowercase) + middle + rng.choice(string.ascii_lowercase)


def slugify(title):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]


def check_uid(uid, too_long, illegal):
    if len(uid) > 40:
        raise too_long
    if not UID_RE.match(uid):
        raise illegal


_DUR = re.compile(r"(\d+)(ms|y|w|d|h|m|s)")
_MS = {"y": 365 * 86400000, "w": 7 * 86400000, "d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}


def parse_duration(value):
    """Prometheus ``model.ParseDuration`` (milliseconds); ValueError when invalid."""
    if not isinstance(value, str):
        raise ValueError("not a string: %r" % (value,))
    if value == "0":
        return 0
    pos, total = 0, 0
    for match in _DUR.finditer(value):
        if match.start() != pos:
            break
        total += int(match.group(1)) * _MS[match.group(2)]
        pos = match.end()
    if pos == 0 or pos != len(value):
        raise ValueError("not a valid duration string: %r" % value)
    return total


def format_duration(ms):
    """Prometheus ``model.Duration.String()``."""
    if ms == 0:
        return "0s"
    out = ""
    for unit, exact in (("y", True), ("w", True), ("d", False), ("h", False), ("m", False), ("s", False), ("ms", False)):
        if exact and ms % _MS[unit]:
            continue
        count = ms // _MS[unit]
        if count > 0:
            out += "%d%s" % (count, unit)
            ms -= count * _MS[unit]
    return out


def gtime_seconds(value):
    """Grafana's ``gtime.ParseDuration`` for dashboard refresh (s, m, h, d, w, M, y)."""
    match = re.match(r"^(\d+)(ms|s|m|h|d|w|M|y)$", value)
    if not match:
        raise ValueError(value)
    mult = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
    return int(match.group(1)) * mult[match.group(2)]


def _get(obj, dotted):
    for key in dotted.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def _set(obj, dotted, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        obj = obj.setdefault(key, {})
    obj[keys[-1]] = value


def secret_keys(kind):
    return SECRET_KEYS.get(str(kind).lower(), [])


def redact(kind, settings):
    out = copy.deepcopy(settings)
    for key in secret_keys(kind):
        if _get(out, key) not in (None, ""):
            _set(out, key, REDACTED)
    return out


def fingerprint(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]
