# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful Grafana HTTP API double (Python standard library only).

It serves the part of Grafana's HTTP API that the vigil.observability grafana_* modules and the
grafana role use, with Grafana's status codes, error bodies, ``[REDACTED]`` masking, version
counters, provenance rules, uid rules and folder semantics, as described in
``shared/reference/grafana-api.md`` (target: Grafana 11.3+ / 12.x; legacy behaviours behind
switches). Every request is recorded (method, path, headers, body, status, response).

Run it in-process (tests)::

    fake = FakeGrafana(); fake.start(); ...; fake.stop()

or standalone (a "Grafana stand-in")::

    python3 fake_grafana.py --host 0.0.0.0 --port 3000 --admin-user admin --admin-password X [--token T]

The secret-key table and the duration rules are implemented here independently of the modules
(as Grafana implements them independently), so a mistake in the modules is not mirrored here.
"""

from __future__ import annotations

import argparse
import base64
import collections
import copy
import datetime
import hashlib
import json
import random
import re
import string
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

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


# --------------------------------------------------------------------------------------------
# state
# --------------------------------------------------------------------------------------------

class Org(object):
    def __init__(self, org_id, name):
        self.id = org_id
        self.name = name
        self.dashboards = {}   # uid -> record
        self.versions = {}     # uid -> [version records]
        self.folders = {}      # uid -> record
        self.datasources = {}  # uid -> record
        self.receivers = [{"uid": new_uid(), "name": DEFAULT_RECEIVER, "type": "email",
                           "settings": {"addresses": "<example@email.com>"},
                           "disableResolveMessage": False, "provenance": ""}]
        self.policy = copy.deepcopy(DEFAULT_POLICY)
        self.policy_provenance = ""
        self.rules = {}        # uid -> rule
        self.group_intervals = {}  # (folderUID, group) -> seconds
        self.mute_timings = {}  # name -> record
        self.templates = {}     # name -> record
        self.service_accounts = {}  # id -> record


class State(object):
    """Everything the double knows; one lock serialises requests."""

    def __init__(self, admin_user="admin", admin_password="admin", version=VERSION):
        self.lock = threading.RLock()
        self.version = version
        self.hide_version = False
        self.db_failing = False
        self.min_refresh_interval = "5s"
        # legacy behaviours
        self.legacy_duplicate_uid_500 = False   # contact point POST with a used uid -> 500
        self.legacy_name_exists = False         # <= 11.2: dashboard/folder title unique per folder
        self.legacy_provenance_500 = False      # older contact points: 500 on api -> none
        self.legacy_template_wrap = False       # older templates: wrap content without define
        self.next_id = 1
        self.orgs = {1: Org(1, "Main Org.")}
        self.users = {}
        self.tokens = {}
        self.add_user(admin_user, admin_password, "Admin", org_id=1, server_admin=True)

    def ident(self):
        value = self.next_id
        self.next_id += 1
        return value

    def add_org(self, name):
        org_id = max(self.orgs) + 1
        self.orgs[org_id] = Org(org_id, name)
        return org_id

    def add_user(self, login, password, role="Viewer", org_id=1, server_admin=False):
        self.users[login] = {"id": self.ident(), "login": login, "password": password,
                             "server_admin": server_admin, "orgs": {org_id: role}, "current_org": org_id}
        return self.users[login]

    def add_service_account(self, org_id, name, role="Admin", disabled=False):
        org = self.orgs[org_id]
        sa_id = self.ident()
        org.service_accounts[sa_id] = {
            "id": sa_id, "uid": new_uid()[:14], "name": name,
            "login": "sa-%d-%s" % (org_id, slugify(name)), "orgId": org_id, "role": role,
            "isDisabled": bool(disabled), "tokens": []}
        return org.service_accounts[sa_id]

    def add_token(self, token, role="Admin", org_id=1, name=None):
        """A service-account token valid for ``org_id`` with ``role`` (helper for tests/CLI)."""
        sa = self.add_service_account(org_id, name or "sa-%d" % (len(self.tokens) + 1), role)
        self._attach_token(sa, name or "token", token, None)
        return sa

    def _attach_token(self, sa, name, key, seconds_to_live):
        token = {"id": self.ident(), "name": name, "key": key, "created": now(),
                 "secondsToLive": seconds_to_live or 0, "isRevoked": False}
        sa["tokens"].append(token)
        self.tokens[key] = (sa["orgId"], sa["id"])
        return token


# --------------------------------------------------------------------------------------------
# the HTTP handler
# --------------------------------------------------------------------------------------------

ROUTES = []


def route(method, pattern, role="Viewer"):
    """Register a handler; role None = no authentication (health)."""
    def decorate(func):
        ROUTES.append((method, re.compile("^" + pattern + "$"), role, func))
        return func
    return decorate


class Ctx(object):
    """One request as the handlers see it."""

    def __init__(self, state, method, path, query, headers, body, org, role, identity):
        self.state = state
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.org = org
        self.role = role
        self.identity = identity
        self.params = {}

    def q(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def provenance(self):
        """Any X-Disable-Provenance header (any value) means none, otherwise api."""
        return "" if self.header("X-Disable-Provenance") is not None else "api"

    def require(self, role):
        if ROLES[self.role] < ROLES[role]:
            raise HttpError(403, {"accessErrorId": "ACE%s" % fingerprint(self.path)[:10], "title": "Access denied",
                                  "message": "You'll need additional permissions to perform this action. "
                                             "Permissions needed: role %s" % role})

    def json_body(self):
        if not isinstance(self.body, dict):
            raise legacy(400, "bad request data")
        return self.body


class Handler(BaseHTTPRequestHandler):
    server_version = "Grafana"
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if getattr(self.server, "verbose", False):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def do_GET(self):
        self._handle("GET")

    def do_HEAD(self):
        self._handle("HEAD")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None, raw
        try:
            return json.loads(raw.decode("utf-8")), raw
        except ValueError:
            return raw.decode("utf-8", "replace"), raw

    def _handle(self, method):
        fake = self.server.fake
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        body, raw = self._read_body()
        headers = dict(self.headers.items())
        status, payload, extra_headers = 500, None, {}
        try:
            with fake.state.lock:
                status, payload, extra_headers = fake.dispatch(method, parts.path, path, query, headers, body, raw)
        except Exception as exc:  # pylint: disable=broad-except
            status, payload = 500, {"message": "fake grafana internal error: %r" % (exc,)}
        fake.record(method, self.path, path, headers, body, status, payload)
        self._send(method, status, payload, extra_headers)

    def _send(self, method, status, payload, extra_headers):
        if isinstance(payload, RawBody):
            data = payload.data
            ctype = payload.content_type
        elif payload is None:
            data = b""
            ctype = "application/json"
        else:
            data = json.dumps(payload).encode("utf-8")
            ctype = "application/json"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for key, value in extra_headers.items():
            self.send_header(key, value)
        self.end_headers()
        if method != "HEAD" and data:
            self.wfile.write(data)


class RawBody(object):
    def __init__(self, data, content_type):
        self.data = data
        self.content_type = content_type


class Injected(object):
    def __init__(self, method, pattern, status, body, times, headers, after):
        self.method = method
        self.pattern = re.compile(pattern)
        self.status = status
        self.body = body
        self.times = times
        self.headers = headers or {}
        self.after = after


class FakeGrafana(object):
    """The double: ``start()`` serves on loopback (port 0 = any free port)."""

    def __init__(self, host="127.0.0.1", port=0, admin_user="admin", admin_password="admin",
                 version=VERSION, log_size=None, record_bodies=True, verbose=False):
        self.state = State(admin_user, admin_password, version)
        self.host = host
        self.port = port
        self.requests = collections.deque(maxlen=log_size) if log_size else []
        self.record_bodies = record_bodies
        self.verbose = verbose
        self.injected = []
        self.seq = 0
        self._server = None
        self._thread = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self):
        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._server.verbose = self.verbose
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-grafana", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._server.verbose = self.verbose
        self.port = self._server.server_address[1]
        return self._server

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return "http://%s:%d" % (host, self.port)

    # -- test helpers --------------------------------------------------------------------------

    def add_token(self, token, role="Admin", org_id=1, name=None):
        with self.state.lock:
            return self.state.add_token(token, role, org_id, name)

    def add_user(self, login, password, role="Viewer", org_id=1):
        with self.state.lock:
            return self.state.add_user(login, password, role, org_id)

    def add_org(self, name):
        with self.state.lock:
            return self.state.add_org(name)

    def org(self, org_id=1):
        return self.state.orgs[org_id]

    def inject(self, method, pattern, status, body=None, times=1, headers=None, after=0):
        """After letting ``after`` matching requests through, the next ``times`` requests matching
        ``method`` ("*" for any) and the path regex get this answer instead of the real one."""
        self.injected.append(Injected(method, pattern, status, body, times, headers, after))

    def record(self, method, raw_path, path, headers, body, status, payload):
        self.seq += 1
        entry = {"seq": self.seq, "method": method, "path": raw_path, "route": path, "headers": headers,
                 "status": status}
        if self.record_bodies:
            if isinstance(payload, RawBody):
                try:
                    payload = json.loads(payload.data.decode("utf-8"))
                except ValueError:
                    payload = payload.data.decode("utf-8", "replace")
            entry["body"] = body
            entry["response"] = payload
        self.requests.append(entry)

    def clear_log(self):
        self.requests.clear()

    def writes(self, since=0):
        """Recorded mutating requests with seq > since."""
        return [r for r in self.requests if r["method"] in MUTATING and r["seq"] > since
                and not r["route"].startswith("/__fake__")]

    # -- dispatch ------------------------------------------------------------------------------

    def dispatch(self, method, raw_path, path, query, headers, body, raw):
        for inj in list(self.injected):
            if inj.method in (method, "*") and inj.pattern.search(path):
                if inj.after > 0:
                    inj.after -= 1
                    continue
                inj.times -= 1
                if inj.times <= 0:
                    self.injected.remove(inj)
                return inj.status, inj.body, inj.headers
        if path.startswith("/__fake__/"):
            return self._control(method, path, query)
        lookup_method = "GET" if method == "HEAD" else method
        allowed = False
        for r_method, regex, role, func in ROUTES:
            match = regex.match(path)
            if not match:
                continue
            allowed = True
            if r_method != lookup_method:
                continue
            try:
                ctx = self._authenticate(role, method, path, query, headers, body)
                ctx.params = dict((k, unquote(v)) for k, v in match.groupdict().items())
                result = func(ctx)
            except HttpError as err:
                return err.status, err.body, {}
            if isinstance(result, tuple):
                if len(result) == 3:
                    return result
                return result[0], result[1], {}
            return 200, result, {}
        if allowed:
            return 405, {"message": "Method Not Allowed"}, {}
        return 404, {"message": "Not found"}, {}

    def _control(self, method, path, query):
        if path == "/__fake__/requests" and method == "GET":
            since = int((query.get("since") or ["0"])[0])
            return 200, [{"seq": r["seq"], "method": r["method"], "path": r["path"], "status": r["status"]}
                         for r in self.requests if r["seq"] > since], {}
        if path == "/__fake__/stats" and method == "GET":
            return 200, {"requests": self.seq, "writes": len(self.writes())}, {}
        return 404, {"message": "Not found"}, {}

    def _authenticate(self, role, method, path, query, headers, body):
        state = self.state
        if role is None:
            return Ctx(state, method, path, query, headers, body, state.orgs[1], "None", None)
        auth = None
        for key, value in headers.items():
            if key.lower() == "authorization":
                auth = value
        if not auth:
            raise errutil(401, "auth.unauthorized", "Unauthorized")
        scheme, cred = auth.partition(" ")[0], auth.partition(" ")[2]
        if scheme.lower() == "bearer":
            found = state.tokens.get(cred.strip())
            if not found:
                raise errutil(401, "api-key.invalid", "Invalid API key")
            org_id, sa_id = found
            org = state.orgs[org_id]
            sa = org.service_accounts.get(sa_id)
            if sa is None or sa["isDisabled"]:
                raise errutil(401, "api-key.invalid", "Invalid API key")
            identity = {"kind": "sa", "login": sa["login"], "server_admin": False}
            ctx = Ctx(state, method, path, query, headers, body, org, sa["role"], identity)
        elif scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(cred.strip()).decode("utf-8")
                login, password = decoded.partition(":")[0], decoded.partition(":")[2]
            except ValueError:
                raise errutil(401, "password-auth.failed", "Invalid username or password")
            user = state.users.get(login)
            if user is None or user["password"] != password:
                raise errutil(401, "password-auth.failed", "Invalid username or password")
            org_id = user["current_org"]
            wanted = (query.get("targetOrgId") or [None])[0]
            if wanted is None:
                for key, value in headers.items():
                    if key.lower() == "x-grafana-org-id":
                        wanted = value
            if wanted is not None and str(wanted).strip().isdigit():
                org_id = int(wanted)
                if org_id not in user["orgs"]:
                    raise errutil(401, "auth.unauthorized", "Unauthorized: user is not a member of organisation %d" % org_id)
            ctx = Ctx(state, method, path, query, headers, body, state.orgs[org_id], user["orgs"][org_id],
                      {"kind": "user", "login": login, "server_admin": user["server_admin"], "user": user})
        else:
            raise errutil(401, "auth.unauthorized", "Unauthorized")
        ctx.require(role)
        return ctx


# --------------------------------------------------------------------------------------------
# health, settings, users, orgs
# --------------------------------------------------------------------------------------------

@route("GET", r"/api/health", role=None)
def health(ctx):
    state = ctx.state
    data = {"database": "failing" if state.db_failing else "ok"}
    if not state.hide_version:
        data["version"] = state.version
        data["commit"] = COMMIT
    text = json.dumps(data, indent=2, sort_keys=True).encode("utf-8")
    return (503 if state.db_failing else 200), RawBody(text, "application/json; charset=UTF-8"), {}


@route("GET", r"/healthz", role=None)
def healthz(ctx):
    return 200, RawBody(b"Ok", "text/plain; charset=utf-8"), {}


@route("GET", r"/api/frontend/settings")
def frontend_settings(ctx):
    return {"buildInfo": {"version": ctx.state.version, "commit": COMMIT, "edition": "Open Source"},
            "appSubUrl": "", "defaultDatasource": ""}


@route("GET", r"/api/user/orgs")
def user_orgs(ctx):
    user = (ctx.identity or {}).get("user")
    if user is None:
        raise legacy(403, "Access denied: not a user")
    return [{"orgId": oid, "name": ctx.state.orgs[oid].name, "role": role} for oid, role in sorted(user["orgs"].items())]


@route("POST", r"/api/user/using/(?P<org_id>[^/]+)")
def user_using(ctx):
    user = (ctx.identity or {}).get("user")
    if user is None:
        raise legacy(403, "Access denied: not a user")
    try:
        org_id = int(ctx.params["org_id"])
    except ValueError:
        raise legacy(400, "id is invalid")
    if org_id not in user["orgs"]:
        raise legacy(401, "Not a valid organization")
    user["current_org"] = org_id
    return {"message": "Active organization changed"}


@route("GET", r"/api/org")
def current_org(ctx):
    return {"id": ctx.org.id, "name": ctx.org.name,
            "address": {"address1": "", "address2": "", "city": "", "zipCode": "", "state": "", "country": ""}}


@route("POST", r"/api/orgs")
def create_org(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise legacy(400, "bad request data")
    if any(o.name == name for o in ctx.state.orgs.values()):
        raise legacy(409, "Organization name taken")
    org_id = ctx.state.add_org(name)
    user = (ctx.identity or {}).get("user")
    if user is not None:
        user["orgs"][org_id] = "Admin"
    return {"message": "Organization created", "orgId": org_id}


# --------------------------------------------------------------------------------------------
# folders
# --------------------------------------------------------------------------------------------

def folder_chain(org, uid):
    """The folder's ancestors from the root down (excluding itself)."""
    chain = []
    parent = org.folders[uid]["parent_uid"]
    while parent:
        chain.insert(0, org.folders[parent])
        parent = org.folders[parent]["parent_uid"]
    return chain


def folder_dto(ctx, rec, with_parents=True):
    can = ROLES[ctx.role] >= ROLES["Editor"]
    out = {"id": rec["id"], "uid": rec["uid"], "orgId": ctx.org.id, "title": rec["title"],
           "url": "/dashboards/f/%s/%s" % (rec["uid"], slugify(rec["title"])), "hasAcl": False,
           "canSave": can, "canEdit": can, "canAdmin": ROLES[ctx.role] >= ROLES["Admin"], "canDelete": can,
           "createdBy": rec["created_by"], "created": rec["created"], "updatedBy": rec["updated_by"],
           "updated": rec["updated"], "version": rec["version"]}
    if rec.get("description"):
        out["description"] = rec["description"]
    if rec["parent_uid"]:
        out["parentUid"] = rec["parent_uid"]
        if with_parents:
            out["parents"] = [folder_dto(ctx, p, with_parents=False) for p in folder_chain(ctx.org, rec["uid"])]
    return out


def descendants(org, uid):
    out = [uid]
    for child in [f["uid"] for f in org.folders.values() if f["parent_uid"] == uid]:
        out.extend(descendants(org, child))
    return out


def get_folder(ctx, uid):
    rec = ctx.org.folders.get(uid)
    if rec is None:
        raise typed(404, "not-found", "folder not found")
    return rec


def paginate(items, ctx, default_limit=1000):
    try:
        limit = int(ctx.q("limit", default_limit))
        page = max(1, int(ctx.q("page", 1)))
    except ValueError:
        raise legacy(400, "invalid paging parameters")
    if limit <= 0:
        limit = default_limit
    return items[(page - 1) * limit: page * limit]


@route("GET", r"/api/folders")
def list_folders(ctx):
    parent = ctx.q("parentUid", "") or ""
    if parent and parent not in ctx.org.folders:
        raise typed(404, "not-found", "folder not found")
    hits = sorted((f for f in ctx.org.folders.values() if f["parent_uid"] == parent), key=lambda f: f["title"].lower())
    out = []
    for rec in paginate(hits, ctx):
        hit = {"id": rec["id"], "uid": rec["uid"], "title": rec["title"]}
        if rec["parent_uid"]:
            hit["parentUid"] = rec["parent_uid"]
        out.append(hit)
    return out


@route("GET", r"/api/folders/(?P<uid>[^/]+)")
def read_folder(ctx):
    return folder_dto(ctx, get_folder(ctx, ctx.params["uid"]))


def _folder_title_taken(org, title, parent, exclude=None):
    return any(f["title"].lower() == title.lower() and f["parent_uid"] == parent and f["uid"] != exclude
               for f in org.folders.values())


@route("POST", r"/api/folders", role="Editor")
def create_folder(ctx):
    body = ctx.json_body()
    title = str(body.get("title") or "").strip()
    if not title:
        raise legacy(400, "folder title cannot be empty")
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "uid too long, max 40 characters"), legacy(400, "uid contains illegal characters"))
    else:
        uid = new_uid()
    if title.lower() == "general":
        raise legacy(400, "A folder with that name already exists")
    if uid in ctx.org.folders or uid in ctx.org.dashboards:
        raise legacy(409, "a folder/dashboard with the same uid already exists")
    parent = str(body.get("parentUid") or "")
    if parent and parent not in ctx.org.folders:
        raise typed(404, "not-found", "parent folder not found")
    if parent and len(folder_chain(ctx.org, parent)) >= 3:
        raise legacy(400, "folder max depth exceeded")
    if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, title, parent):
        raise legacy(409, "a folder with the same name already exists in the current location")
    login = ctx.identity["login"]
    rec = {"id": ctx.state.ident(), "uid": uid, "title": title, "parent_uid": parent,
           "description": body.get("description") or "", "version": 1, "created": now(), "updated": now(),
           "created_by": login, "updated_by": login}
    ctx.org.folders[uid] = rec
    return folder_dto(ctx, rec)


@route("PUT", r"/api/folders/(?P<uid>[^/]+)", role="Editor")
def update_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    body = ctx.json_body()
    if not body.get("overwrite") and int(body.get("version") or 0) != rec["version"]:
        raise typed(412, "version-mismatch", "the folder has been changed by someone else")
    if "title" in body:
        title = str(body.get("title") or "").strip()
        if not title:
            raise legacy(400, "folder title cannot be empty")
        if title.lower() == "general":
            raise legacy(400, "A folder with that name already exists")
        if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, title, rec["parent_uid"], rec["uid"]):
            raise legacy(409, "a folder with the same name already exists in the current location")
        rec["title"] = title
    if "description" in body:
        rec["description"] = body.get("description") or ""
    rec["version"] += 1
    rec["updated"] = now()
    rec["updated_by"] = ctx.identity["login"]
    return folder_dto(ctx, rec)


@route("POST", r"/api/folders/(?P<uid>[^/]+)/move", role="Editor")
def move_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    body = ctx.json_body()
    parent = str(body.get("parentUid") or "")
    if parent:
        if parent not in ctx.org.folders:
            raise typed(404, "not-found", "folder not found")
        if parent in descendants(ctx.org, rec["uid"]):
            raise legacy(400, "circular reference detected")
        if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, rec["title"], parent, rec["uid"]):
            raise legacy(409, "a folder with the same name already exists in the current location")
    rec["parent_uid"] = parent
    rec["version"] += 1
    rec["updated"] = now()
    return folder_dto(ctx, rec)


@route("DELETE", r"/api/folders/(?P<uid>[^/]+)", role="Editor")
def delete_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    tree = descendants(ctx.org, rec["uid"])
    rules = [u for u, r in ctx.org.rules.items() if r["folderUID"] in tree]
    if rules and ctx.q("forceDeleteRules", "false").lower() != "true":
        raise legacy(400, "folder cannot be deleted: folder contains alert rules")
    for uid in rules:
        del ctx.org.rules[uid]
    for uid in [u for u, d in ctx.org.dashboards.items() if d["folder_uid"] in tree]:
        del ctx.org.dashboards[uid]
    for uid in tree:
        del ctx.org.folders[uid]
    return {"message": "Folder deleted", "id": rec["id"], "title": rec["title"]}


# --------------------------------------------------------------------------------------------
# dashboards
# --------------------------------------------------------------------------------------------

def dashboard_meta(ctx, rec):
    org = ctx.org
    can = ROLES[ctx.role] >= ROLES["Editor"]
    slug = slugify(rec["data"].get("title", ""))
    meta = {"type": "db", "canSave": can, "canEdit": can, "canAdmin": ROLES[ctx.role] >= ROLES["Admin"],
            "canStar": True, "canDelete": can, "slug": slug, "url": "/d/%s/%s" % (rec["uid"], slug),
            "expires": "0001-01-01T00:00:00Z", "created": rec["created"], "updated": rec["updated"],
            "updatedBy": rec["updated_by"], "createdBy": rec["created_by"], "version": rec["version"],
            "hasAcl": False, "isFolder": False, "folderId": 0, "folderTitle": "General",
            "provisioned": rec["provisioned"], "provisionedExternalId": "",
            "annotationsPermissions": {"dashboard": {"canAdd": can, "canEdit": can, "canDelete": can},
                                       "organization": {"canAdd": can, "canEdit": can, "canDelete": can}},
            "publicDashboardEnabled": False, "isStarred": False}
    if rec["folder_uid"]:
        folder = org.folders[rec["folder_uid"]]
        meta["folderId"] = folder["id"]
        meta["folderUid"] = folder["uid"]
        meta["folderTitle"] = folder["title"]
        meta["folderUrl"] = "/dashboards/f/%s/%s" % (folder["uid"], slugify(folder["title"]))
    return meta


@route("POST", r"/api/dashboards/db", role="Editor")
def save_dashboard(ctx):
    state, org = ctx.state, ctx.org
    body = ctx.json_body()
    dash = body.get("dashboard")
    if not isinstance(dash, dict):
        raise legacy(400, "bad request data")
    dash = copy.deepcopy(dash)
    if body.get("isFolder") or dash.get("isFolder"):
        raise legacy(400, "Use folders endpoint for saving folders.")
    title = dash.get("title")
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        raise typed(400, "empty-name", "Dashboard title cannot be empty")
    if len(title) > 5000:
        raise typed(400, "title-too-long", "Dashboard title cannot be longer than 5000 characters")
    dash["title"] = title
    dash_id = dash.get("id")
    if not isinstance(dash_id, int) or isinstance(dash_id, bool) or dash_id == 0:
        dash_id = None
    uid = dash.get("uid")
    uid = uid.strip() if isinstance(uid, str) else ""
    if uid:
        check_uid(uid, legacy(400, "uid too long, max 40 characters"), legacy(400, "uid contains illegal characters"))
    # folder: folderUid wins over the deprecated folderId
    folder_uid = body.get("folderUid")
    if folder_uid is None and body.get("folderId"):
        match = [f for f in org.folders.values() if f["id"] == body.get("folderId")]
        if not match:
            raise legacy(400, "folder not found")
        folder_uid = match[0]["uid"]
    folder_uid = str(folder_uid or "")
    if folder_uid and folder_uid not in org.folders:
        raise legacy(400, "folder not found")
    existing = None
    if dash_id is not None:
        existing = next((d for d in org.dashboards.values() if d["id"] == dash_id), None)
        if existing is None:
            raise typed(404, "not-found", "Dashboard not found")
        if uid and uid != existing["uid"] and uid in org.dashboards:
            raise legacy(400, "A dashboard with the same uid already exists")
    elif uid:
        existing = org.dashboards.get(uid)
    if uid in org.folders:
        raise legacy(400, "A folder with the same uid already exists")
    overwrite = bool(body.get("overwrite"))
    if existing is not None:
        if existing["provisioned"]:
            raise legacy(400, "Cannot save provisioned dashboard")
        if not overwrite:
            sent = dash.get("version")
            sent = sent if isinstance(sent, int) and not isinstance(sent, bool) else 0
            if sent != existing["version"]:
                raise typed(412, "version-mismatch", "The dashboard has been changed by someone else")
            if existing.get("plugin_id"):
                raise typed(412, "plugin-dashboard", "The dashboard belongs to plugin %s." % existing["plugin_id"])
    if state.legacy_name_exists:
        clash = next((d for d in org.dashboards.values() if d["folder_uid"] == folder_uid
                      and d["data"].get("title", "").lower() == title.lower()
                      and (existing is None or d["uid"] != existing["uid"]) and d["uid"] != uid), None)
        if clash is not None:
            if not overwrite:
                raise typed(412, "name-exists", "A dashboard with the same name in the folder already exists")
            del org.dashboards[clash["uid"]]  # grafana/grafana#89698: silently replaced
    # refresh shorter than min_refresh_interval is replaced ("" and "auto" are left alone)
    refresh = dash.get("refresh")
    if isinstance(refresh, str) and refresh not in ("", "auto"):
        try:
            if gtime_seconds(refresh) < gtime_seconds(state.min_refresh_interval):
                dash["refresh"] = state.min_refresh_interval
        except ValueError:
            pass
    login = ctx.identity["login"]
    if existing is None:
        dash_id = state.ident()
        uid = uid or new_uid()
        version = 1
        rec = {"id": dash_id, "uid": uid, "created": now(), "created_by": login, "provisioned": False}
    else:
        rec = existing
        dash_id = rec["id"]
        uid = uid or rec["uid"]
        version = rec["version"] + 1
        if uid != rec["uid"]:
            del org.dashboards[rec["uid"]]
            rec["uid"] = uid
    dash["id"] = dash_id
    dash["uid"] = uid
    dash["version"] = version
    rec.update({"data": dash, "version": version, "folder_uid": folder_uid, "updated": now(), "updated_by": login})
    org.dashboards[uid] = rec
    org.versions.setdefault(uid, []).append({"version": version, "message": str(body.get("message") or ""),
                                             "created": rec["updated"], "createdBy": login})
    slug = slugify(title)
    return {"status": "success", "slug": slug, "version": version, "id": dash_id, "uid": uid,
            "url": "/d/%s/%s" % (uid, slug), "folderUid": folder_uid}


@route("GET", r"/api/dashboards/uid/(?P<uid>[^/]+)")
def read_dashboard(ctx):
    rec = ctx.org.dashboards.get(ctx.params["uid"])
    if rec is None:
        raise legacy(404, "Dashboard not found")
    data = copy.deepcopy(rec["data"])
    data["version"] = rec["version"]
    return {"dashboard": data, "meta": dashboard_meta(ctx, rec)}


@route("DELETE", r"/api/dashboards/uid/(?P<uid>[^/]+)", role="Editor")
def delete_dashboard(ctx):
    uid = ctx.params["uid"]
    if uid in ctx.org.folders:
        raise legacy(400, "Use folders endpoint for deleting folders.")
    rec = ctx.org.dashboards.get(uid)
    if rec is None:
        raise typed(404, "not-found", "Dashboard not found")
    if rec["provisioned"]:
        raise legacy(400, "provisioned dashboard cannot be deleted")
    del ctx.org.dashboards[uid]
    title = rec["data"].get("title", "")
    return {"title": title, "message": "Dashboard %s deleted" % title, "uid": uid}


@route("GET", r"/api/dashboards/uid/(?P<uid>[^/]+)/versions")
def dashboard_versions(ctx):
    if ctx.params["uid"] not in ctx.org.dashboards:
        raise typed(404, "not-found", "Dashboard not found")
    rec = ctx.org.dashboards[ctx.params["uid"]]
    versions = list(reversed(ctx.org.versions.get(ctx.params["uid"], [])))
    out = []
    for i, ver in enumerate(versions):
        out.append({"id": i + 1, "dashboardId": rec["id"], "uid": rec["uid"], "parentVersion": max(0, ver["version"] - 1),
                    "restoredFrom": 0, "version": ver["version"], "created": ver["created"],
                    "createdBy": ver["createdBy"], "message": ver["message"]})
    limit = int(ctx.q("limit", 0) or 0)
    return out[:limit] if limit else out


@route("GET", r"/api/search")
def search(ctx):
    org = ctx.org
    query = (ctx.q("query", "") or "").lower()
    kind = ctx.q("type")
    tags = ctx.query.get("tag", [])
    uids = ctx.query.get("dashboardUIDs", [])
    folder_uids = ctx.query.get("folderUIDs", [])
    folder_ids = [int(v) for v in ctx.query.get("folderIds", []) if v.lstrip("-").isdigit()]
    hits = []
    if kind in (None, "dash-folder"):
        for rec in org.folders.values():
            if query and query not in rec["title"].lower():
                continue
            if uids and rec["uid"] not in uids:
                continue
            if tags:
                continue
            if folder_uids and (rec["parent_uid"] or "general") not in folder_uids:
                continue
            hit = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "title": rec["title"],
                   "uri": "db/%s" % slugify(rec["title"]), "url": "/dashboards/f/%s/%s" % (rec["uid"], slugify(rec["title"])),
                   "slug": "", "type": "dash-folder", "tags": [], "isStarred": False}
            hits.append(hit)
    if kind in (None, "dash-db"):
        for rec in org.dashboards.values():
            data = rec["data"]
            title = data.get("title", "")
            if query and query not in title.lower():
                continue
            if uids and rec["uid"] not in uids:
                continue
            dtags = data.get("tags") or []
            if any(t not in dtags for t in tags):
                continue
            fuid = rec["folder_uid"]
            if folder_uids and (fuid or "general") not in folder_uids and not (fuid == "" and "" in folder_uids):
                continue
            folder = org.folders.get(fuid) if fuid else None
            if folder_ids and (folder["id"] if folder else 0) not in folder_ids:
                continue
            hit = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "title": title,
                   "uri": "db/%s" % slugify(title), "url": "/d/%s/%s" % (rec["uid"], slugify(title)), "slug": "",
                   "type": "dash-db", "tags": list(dtags), "isStarred": False}
            if folder:
                hit.update({"folderId": folder["id"], "folderUid": folder["uid"], "folderTitle": folder["title"],
                            "folderUrl": "/dashboards/f/%s/%s" % (folder["uid"], slugify(folder["title"]))})
            hits.append(hit)
    hits.sort(key=lambda h: (h["type"] != "dash-folder", h["title"].lower()))
    try:
        limit = min(5000, int(ctx.q("limit", 1000)))
    except ValueError:
        raise legacy(422, "limit must be a number")
    page = max(1, int(ctx.q("page", 1)))
    return hits[(page - 1) * limit: page * limit]


# --------------------------------------------------------------------------------------------
# data sources
# --------------------------------------------------------------------------------------------

DS_FIELDS = ("name", "type", "access", "url", "user", "database", "basicAuth", "basicAuthUser",
             "withCredentials", "isDefault", "jsonData")
DS_DEFAULTS = {"access": "", "url": "", "user": "", "database": "", "basicAuth": False, "basicAuthUser": "",
               "withCredentials": False, "isDefault": False, "jsonData": {}}


def ds_dto(org, rec, full=True):
    out = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "name": rec["name"], "type": rec["type"],
           "typeLogoUrl": "public/app/plugins/datasource/%s/img/logo.svg" % rec["type"],
           "access": rec["access"], "url": rec["url"], "user": rec["user"], "database": rec["database"],
           "basicAuth": rec["basicAuth"], "isDefault": rec["isDefault"], "jsonData": copy.deepcopy(rec["jsonData"]),
           "readOnly": rec["readOnly"]}
    if full:
        out.update({"basicAuthUser": rec["basicAuthUser"], "withCredentials": rec["withCredentials"],
                    "secureJsonFields": dict((k, True) for k, v in rec["secure"].items() if v),
                    "version": rec["version"]})
    else:
        out["typeName"] = rec["type"].capitalize()
    return out


def _ds_apply(org, rec, body, creating):
    for key in DS_FIELDS:
        if key in body and body[key] is not None:
            rec[key] = copy.deepcopy(body[key])
        elif not creating:
            rec[key] = copy.deepcopy(DS_DEFAULTS.get(key, rec.get(key)))
    if not isinstance(rec.get("jsonData"), dict):
        rec["jsonData"] = {}
    secure = body.get("secureJsonData")
    if isinstance(secure, dict):
        for key, value in secure.items():
            rec["secure"][key] = "" if value is None else str(value)
    if rec.get("isDefault"):
        for other in org.datasources.values():
            if other["uid"] != rec["uid"]:
                other["isDefault"] = False


def get_ds(ctx, uid):
    rec = ctx.org.datasources.get(uid)
    if rec is None:
        raise legacy(404, "Data source not found")
    return rec


@route("GET", r"/api/datasources")
def list_datasources(ctx):
    return [ds_dto(ctx.org, r, full=False) for r in sorted(ctx.org.datasources.values(), key=lambda r: r["name"].lower())]


@route("GET", r"/api/datasources/uid/(?P<uid>[^/]+)")
def read_datasource(ctx):
    return ds_dto(ctx.org, get_ds(ctx, ctx.params["uid"]))


@route("GET", r"/api/datasources/name/(?P<name>[^/]+)")
def read_datasource_by_name(ctx):
    rec = next((r for r in ctx.org.datasources.values() if r["name"] == ctx.params["name"]), None)
    if rec is None:
        raise legacy(404, "Data source not found")
    return ds_dto(ctx.org, rec)


@route("POST", r"/api/datasources", role="Admin")
def create_datasource(ctx):
    org = ctx.org
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name or not body.get("type"):
        raise legacy(400, "Validation error, need to specify name and type")
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "Failed to add datasource: uid too long, max 40 characters"),
                  legacy(400, "Failed to add datasource: uid contains illegal characters"))
        if uid in org.datasources:
            raise legacy(409, "data source with the same uid already exists")
    else:
        uid = new_uid()
    if any(r["name"] == name for r in org.datasources.values()):
        raise legacy(409, "data source with the same name already exists")
    rec = dict(copy.deepcopy(DS_DEFAULTS), id=ctx.state.ident(), uid=uid, version=1, readOnly=False, secure={})
    _ds_apply(org, rec, dict(body, name=name), creating=True)
    if not org.datasources:
        rec["isDefault"] = True
    org.datasources[uid] = rec
    return {"datasource": ds_dto(org, rec), "id": rec["id"], "message": "Datasource added", "name": rec["name"]}


@route("PUT", r"/api/datasources/uid/(?P<uid>[^/]+)", role="Admin")
def update_datasource(ctx):
    org = ctx.org
    rec = get_ds(ctx, ctx.params["uid"])
    body = ctx.json_body()
    if rec["readOnly"]:
        raise legacy(403, "Cannot update read-only data source")
    name = str(body.get("name") or "").strip()
    if not name or not body.get("type"):
        raise legacy(400, "Validation error, need to specify name and type")
    version = body.get("version")
    if isinstance(version, int) and version and version < rec["version"]:
        raise legacy(409, "Datasource has already been updated by someone else. Please reload and try again")
    if any(r["name"] == name and r["uid"] != rec["uid"] for r in org.datasources.values()):
        raise legacy(409, "data source with the same name already exists")
    _ds_apply(org, rec, dict(body, name=name), creating=False)
    rec["version"] += 1
    return {"datasource": ds_dto(org, rec), "id": rec["id"], "message": "Datasource updated", "name": rec["name"]}


@route("DELETE", r"/api/datasources/uid/(?P<uid>[^/]+)", role="Admin")
def delete_datasource(ctx):
    rec = get_ds(ctx, ctx.params["uid"])
    if rec["readOnly"]:
        raise legacy(403, "Cannot delete read-only data source")
    del ctx.org.datasources[rec["uid"]]
    return {"message": "Data source deleted"}


# --------------------------------------------------------------------------------------------
# alerting: provenance
# --------------------------------------------------------------------------------------------

def check_provenance(ctx, stored, legacy_500=False):
    """ValidateProvenanceRelaxed: none -> anything; non-none -> none is rejected."""
    new = ctx.provenance
    if stored == "file":
        raise errutil(403, "alerting.notifications.invalidProvenance",
                      "Resource with provenance status 'file' cannot be managed via API")
    if stored and not new:
        if legacy_500:
            raise legacy(500, "cannot change provenance from '%s' to ''" % stored)
        raise errutil(403, "alerting.notifications.invalidProvenance",
                      "Resource with provenance status '%s' cannot be changed to 'none'" % stored,
                      {"storedProvenance": stored})


def with_provenance(obj, provenance):
    if provenance:
        obj["provenance"] = provenance
    return obj


# --------------------------------------------------------------------------------------------
# alerting: contact points
# --------------------------------------------------------------------------------------------

def cp_dto(rec, decrypt=False):
    out = {"uid": rec["uid"], "name": rec["name"], "type": rec["type"],
           "settings": copy.deepcopy(rec["settings"]) if decrypt else redact(rec["type"], rec["settings"]),
           "disableResolveMessage": rec["disableResolveMessage"]}
    return with_provenance(out, rec["provenance"])


def policy_receivers(node):
    out = set()
    if node.get("receiver"):
        out.add(node["receiver"])
    for child in node.get("routes") or []:
        out |= policy_receivers(child)
    return out


def policy_intervals(node):
    out = set(node.get("mute_time_intervals") or []) | set(node.get("active_time_intervals") or [])
    for child in node.get("routes") or []:
        out |= policy_intervals(child)
    return out


def rename_in_policy(node, key, old, new):
    if key == "receiver":
        if node.get("receiver") == old:
            node["receiver"] = new
    else:
        for field in ("mute_time_intervals", "active_time_intervals"):
            if node.get(field):
                node[field] = [new if v == old else v for v in node[field]]
    for child in node.get("routes") or []:
        rename_in_policy(child, key, old, new)


def validate_cp(body):
    kind = body.get("type")
    settings = body.get("settings")
    if not kind or not isinstance(kind, str):
        raise legacy(400, "type should not be an empty string")
    if kind.lower() not in SECRET_KEYS:
        raise legacy(400, "invalid receiver type '%s'" % kind)
    if not isinstance(settings, dict):
        raise legacy(400, "settings should not be empty")
    name = body.get("name")
    if not name or not isinstance(name, str):
        raise legacy(400, "name should not be empty")
    kind = kind.lower()
    if kind == "slack" and not (settings.get("url") or settings.get("token")):
        raise legacy(400, "failed to validate integration \"%s\" (UID %s) of type \"slack\": token must be specified "
                          "when using the Slack chat API" % (name, body.get("uid") or ""))
    if kind == "slack" and settings.get("token") and not settings.get("recipient") and not settings.get("url"):
        raise legacy(400, "failed to validate integration: recipient must be specified when using the Slack chat API")
    if kind == "email" and not settings.get("addresses"):
        raise legacy(400, "failed to validate integration \"%s\" of type \"email\": could not find addresses in settings" % name)
    if kind in ("webhook", "discord", "googlechat", "teams") and not settings.get("url"):
        raise legacy(400, "failed to validate integration \"%s\" of type \"%s\": could not find url property in settings" % (name, kind))


def find_cp(org, uid):
    return next((r for r in org.receivers if r["uid"] == uid), None)


@route("GET", r"/api/v1/provisioning/contact-points", role="Editor")
def list_contact_points(ctx):
    name = ctx.q("name")
    recs = [r for r in ctx.org.receivers if name is None or r["name"] == name]
    return [cp_dto(r) for r in sorted(recs, key=lambda r: (r["name"], r["uid"]))]


@route("GET", r"/api/v1/provisioning/contact-points/export", role="Editor")
def export_contact_points(ctx):
    decrypt = (ctx.q("decrypt", "false") or "false").lower() == "true"
    if decrypt and ROLES[ctx.role] < ROLES["Admin"]:
        raise errutil(403, "alerting.provisioning.secrets.forbidden",
                      "You'll need additional permissions to perform this action. Permissions needed: alert.provisioning.secrets:read")
    fmt = (ctx.q("format", "yaml") or "yaml").lower()
    if fmt != "json":
        raise legacy(400, "this Grafana stand-in serves format=json only")
    name = ctx.q("name")
    groups = collections.OrderedDict()
    for rec in sorted(ctx.org.receivers, key=lambda r: (r["name"], r["uid"])):
        if name is not None and rec["name"] != name:
            continue
        dto = cp_dto(rec, decrypt=decrypt)
        groups.setdefault(rec["name"], []).append({"uid": dto["uid"], "type": dto["type"], "settings": dto["settings"],
                                                   "disableResolveMessage": dto["disableResolveMessage"]})
    return {"apiVersion": 1, "contactPoints": [{"orgId": ctx.org.id, "name": n, "receivers": r} for n, r in groups.items()]}


@route("POST", r"/api/v1/provisioning/contact-points", role="Editor")
def create_contact_point(ctx):
    org = ctx.org
    body = ctx.json_body()
    validate_cp(body)
    uid = str(body.get("uid") or "").strip()
    if uid:
        if len(uid) > 40 or not re.match(r"^[a-zA-Z0-9\-_]+$", uid):
            raise legacy(400, "UID is invalid: %s" % uid)
        existing = find_cp(org, uid)
        if existing is not None:
            if ctx.state.legacy_duplicate_uid_500:
                raise legacy(500, "failed to save config: receiver configuration with UID '%s' already exists" % uid)
            raise errutil(409, "alerting.notifications.contact-points.uidInUse",
                          "Receiver configuration with UID '%s' already exists in contact point '%s'. Please use unique "
                          "identifiers for receivers across all contact points" % (uid, existing["name"]),
                          {"uid": uid, "name": existing["name"]})
    else:
        uid = new_uid()
    rec = {"uid": uid, "name": body["name"], "type": body["type"], "settings": copy.deepcopy(body["settings"]),
           "disableResolveMessage": bool(body.get("disableResolveMessage")), "provenance": ctx.provenance}
    org.receivers.append(rec)
    return 202, cp_dto(rec)


@route("PUT", r"/api/v1/provisioning/contact-points/(?P<uid>[^/]+)", role="Editor")
def update_contact_point(ctx):
    org = ctx.org
    rec = find_cp(org, ctx.params["uid"])
    if rec is None:
        raise errutil(404, "alerting.notifications.contact-points.notFound", "contact point not found")
    body = ctx.json_body()
    validate_cp(body)
    check_provenance(ctx, rec["provenance"], ctx.state.legacy_provenance_500)
    settings = copy.deepcopy(body["settings"])
    for key in secret_keys(body["type"]):
        if _get(settings, key) == REDACTED:
            _set(settings, key, _get(rec["settings"], key) if body["type"].lower() == rec["type"].lower() else "")
    old_name = rec["name"]
    rec.update({"name": body["name"], "type": body["type"], "settings": settings,
                "disableResolveMessage": bool(body.get("disableResolveMessage")), "provenance": ctx.provenance})
    if old_name != rec["name"] and not any(r["name"] == old_name for r in org.receivers):
        rename_in_policy(org.policy, "receiver", old_name, rec["name"])
    return 202, {"message": "contactpoint updated"}


@route("DELETE", r"/api/v1/provisioning/contact-points/(?P<uid>[^/]+)", role="Editor")
def delete_contact_point(ctx):
    org = ctx.org
    rec = find_cp(org, ctx.params["uid"])
    if rec is None:
        return 202, {"message": "contactpoint deleted"}
    last = sum(1 for r in org.receivers if r["name"] == rec["name"]) == 1
    if last and rec["name"] in policy_receivers(org.policy):
        if ctx.state.legacy_duplicate_uid_500:
            raise legacy(500, "contact point '%s' is currently used by a notification policy" % rec["name"])
        raise errutil(409, "alerting.notifications.contact-points.referenced",
                      "Contact point '%s' is currently used by a notification policy" % rec["name"])
    if last and any((r.get("notification_settings") or {}).get("receiver") == rec["name"] for r in org.rules.values()):
        raise errutil(409, "alerting.notifications.contact-points.used-by-rule",
                      "Contact point '%s' is currently used by an alert rule" % rec["name"])
    org.receivers.remove(rec)
    return 202, {"message": "contactpoint deleted"}


# --------------------------------------------------------------------------------------------
# alerting: notification policy tree
# --------------------------------------------------------------------------------------------

MATCH_OPS = ("=", "!=", "=~", "!~")


def _canonical_route(ctx, node, root):
    if not isinstance(node, dict):
        raise legacy(400, "invalid route: expected an object")
    out = copy.deepcopy(node)
    out.pop("provenance", None)
    if root and not out.get("receiver"):
        raise legacy(400, "invalid object specification: root route must specify a default receiver")
    if root and (out.get("object_matchers") or out.get("matchers") or out.get("match") or out.get("match_re")):
        raise legacy(400, "invalid object specification: root route must not have any matchers")
    for key in ("group_wait", "group_interval", "repeat_interval"):
        if out.get(key) not in (None, ""):
            try:
                ms = parse_duration(out[key])
            except ValueError as err:
                raise legacy(400, "invalid object specification: %s" % err)
            if key != "group_wait" and ms == 0:
                raise legacy(400, "invalid object specification: %s cannot be zero" % key)
            out[key] = format_duration(ms)
    for matcher in out.get("object_matchers") or []:
        if not isinstance(matcher, list) or len(matcher) != 3 or matcher[1] not in MATCH_OPS:
            raise legacy(400, "invalid object specification: bad matcher %r" % (matcher,))
    out["routes"] = [_canonical_route(ctx, child, False) for child in (out.get("routes") or [])]
    if not out["routes"]:
        del out["routes"]
    return out


@route("GET", r"/api/v1/provisioning/policies", role="Editor")
def read_policy(ctx):
    return with_provenance(copy.deepcopy(ctx.org.policy), ctx.org.policy_provenance)


@route("PUT", r"/api/v1/provisioning/policies", role="Editor")
def update_policy(ctx):
    org = ctx.org
    tree = _canonical_route(ctx, ctx.json_body(), True)
    names = set(r["name"] for r in org.receivers)
    missing = sorted(policy_receivers(tree) - names)
    if missing:
        raise legacy(400, "invalid object specification: receiver '%s' does not exist" % missing[0])
    unknown = sorted(policy_intervals(tree) - set(org.mute_timings))
    if unknown:
        raise legacy(400, "invalid object specification: mute time interval '%s' does not exist" % unknown[0])
    check_provenance(ctx, org.policy_provenance)
    org.policy = tree
    org.policy_provenance = ctx.provenance
    return 202, {"message": "policies updated"}


@route("DELETE", r"/api/v1/provisioning/policies", role="Editor")
def reset_policy(ctx):
    ctx.org.policy = copy.deepcopy(DEFAULT_POLICY)
    ctx.org.policy_provenance = ""
    return 202, copy.deepcopy(DEFAULT_POLICY)


# --------------------------------------------------------------------------------------------
# alerting: rules and rule groups
# --------------------------------------------------------------------------------------------

RULE_FIELDS = ("uid", "title", "condition", "data", "noDataState", "execErrState", "for", "annotations", "labels",
               "isPaused", "notification_settings", "keep_firing_for", "folderUID", "ruleGroup", "record",
               "missingSeriesEvalsToResolve")


def _validate_rule(ctx, body, uid):
    org = ctx.org
    for field, limit in (("title", 190), ("ruleGroup", 190)):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise legacy(400, "invalid alert rule: %s must be between 1 and %d characters" % (field, limit))
    folder = body.get("folderUID")
    if not folder or folder not in org.folders:
        raise legacy(400, "invalid alert rule: folder does not exist")
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise legacy(400, "invalid alert rule: no queries or expressions are found")
    refs = []
    out_data = []
    for query in data:
        if not isinstance(query, dict) or not query.get("refId"):
            raise legacy(400, "invalid alert rule: query must have a refId")
        query = copy.deepcopy(query)
        refs.append(query["refId"])
        model = query.get("model")
        if not isinstance(model, dict):
            model = {}
        # AlertQuery.PreSave: defaults written into the model
        model.setdefault("intervalMs", 1000)
        model.setdefault("maxDataPoints", 43200)
        query["model"] = model
        query.setdefault("queryType", "")
        rtr = query.get("relativeTimeRange") or {"from": 0, "to": 0}
        query["relativeTimeRange"] = {"from": int(rtr.get("from") or 0), "to": int(rtr.get("to") or 0)}
        if query.get("datasourceUid") != "__expr__" and query["relativeTimeRange"]["from"] <= query["relativeTimeRange"]["to"]:
            raise legacy(400, "invalid alert rule: invalid relative time range [From: %ss, To: %ss]"
                         % (query["relativeTimeRange"]["from"], query["relativeTimeRange"]["to"]))
        out_data.append(query)
    if body.get("condition") not in refs:
        raise legacy(400, "invalid alert rule: condition %s does not exist, must be one of %s" % (body.get("condition"), refs))
    if body.get("noDataState", "NoData") not in ("Alerting", "NoData", "OK", "KeepLast"):
        raise legacy(400, "invalid alert rule: unknown noDataState %r" % body.get("noDataState"))
    if body.get("execErrState", "Error") not in ("Alerting", "Error", "OK", "KeepLast"):
        raise legacy(400, "invalid alert rule: unknown execErrState %r" % body.get("execErrState"))
    rule = {"uid": uid, "orgID": org.id, "folderUID": folder, "ruleGroup": body["ruleGroup"], "title": body["title"],
            "condition": body["condition"], "data": out_data, "noDataState": body.get("noDataState") or "NoData",
            "execErrState": body.get("execErrState") or "Error",
            "annotations": dict(body.get("annotations") or {}), "labels": dict(body.get("labels") or {}),
            "isPaused": bool(body.get("isPaused"))}
    for key in ("for", "keep_firing_for"):
        try:
            rule[key] = format_duration(parse_duration(body.get(key) or "0s"))
        except ValueError as err:
            raise legacy(400, "invalid alert rule: %s" % err)
    if body.get("notification_settings"):
        ns = body["notification_settings"]
        if ns.get("receiver") not in set(r["name"] for r in org.receivers):
            raise legacy(400, "invalid alert rule: receiver '%s' does not exist" % ns.get("receiver"))
        rule["notification_settings"] = copy.deepcopy(ns)
    return rule


def _store_rule(ctx, rule, existing):
    org = ctx.org
    rule["id"] = existing["id"] if existing else ctx.state.ident()
    rule["updated"] = now()
    rule["provenance"] = ctx.provenance
    org.rules[rule["uid"]] = rule
    org.group_intervals.setdefault((rule["folderUID"], rule["ruleGroup"]), 60)
    _forget_empty_groups(org)


def _forget_empty_groups(org):
    used = set((r["folderUID"], r["ruleGroup"]) for r in org.rules.values())
    for key in list(org.group_intervals):
        if key not in used:
            del org.group_intervals[key]


def rule_dto(rule):
    out = copy.deepcopy(rule)
    provenance = out.pop("provenance", "")
    return with_provenance(out, provenance)


@route("GET", r"/api/v1/provisioning/alert-rules", role="Editor")
def list_rules(ctx):
    return [rule_dto(r) for r in sorted(ctx.org.rules.values(), key=lambda r: r["id"])]


@route("GET", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def read_rule(ctx):
    rule = ctx.org.rules.get(ctx.params["uid"])
    if rule is None:
        raise empty(404)
    return rule_dto(rule)


@route("POST", r"/api/v1/provisioning/alert-rules", role="Editor")
def create_rule(ctx):
    body = ctx.json_body()
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "invalid alert rule: uid too long"), legacy(400, "invalid alert rule: uid contains illegal characters"))
        if uid in ctx.org.rules:
            raise errutil(409, "alerting.alert-rule.conflict", "failed to save alert rule: a rule with UID '%s' already exists" % uid)
    else:
        uid = new_uid()
    rule = _validate_rule(ctx, body, uid)
    _store_rule(ctx, rule, None)
    return 201, rule_dto(rule)


@route("PUT", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def update_rule(ctx):
    existing = ctx.org.rules.get(ctx.params["uid"])
    if existing is None:
        raise empty(404)
    body = ctx.json_body()
    check_provenance(ctx, existing["provenance"])
    rule = _validate_rule(ctx, body, existing["uid"])
    _store_rule(ctx, rule, existing)
    return 200, rule_dto(rule)


@route("DELETE", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def delete_rule(ctx):
    rule = ctx.org.rules.get(ctx.params["uid"])
    if rule is not None:
        check_provenance(ctx, rule["provenance"])
        del ctx.org.rules[rule["uid"]]
        _forget_empty_groups(ctx.org)
    return 204, None


def _group(ctx, folder, group):
    key = (folder, group)
    if key not in ctx.org.group_intervals:
        raise empty(404)
    rules = [rule_dto(r) for r in sorted(ctx.org.rules.values(), key=lambda r: r["id"])
             if r["folderUID"] == folder and r["ruleGroup"] == group]
    return {"title": group, "folderUid": folder, "interval": ctx.org.group_intervals[key], "rules": rules}


@route("GET", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def read_group(ctx):
    return _group(ctx, ctx.params["folder"], ctx.params["group"])


@route("PUT", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def update_group(ctx):
    org = ctx.org
    folder, group = ctx.params["folder"], ctx.params["group"]
    if folder not in org.folders:
        raise legacy(400, "invalid alert rule group: folder does not exist")
    body = ctx.json_body()
    interval = body.get("interval")
    if not isinstance(interval, int) or isinstance(interval, bool) or interval <= 0 or interval % 10:
        raise legacy(400, "invalid alert rule group: interval (%r) should be non-zero and divided exactly by scheduler "
                          "interval: 10s" % (interval,))
    incoming = body.get("rules") or []
    old = dict((u, r) for u, r in org.rules.items() if r["folderUID"] == folder and r["ruleGroup"] == group)
    for rule in old.values():
        check_provenance(ctx, rule["provenance"])
    validated = []
    for item in incoming:
        item = dict(item, folderUID=folder, ruleGroup=group)
        uid = str(item.get("uid") or "") or new_uid()
        validated.append((_validate_rule(ctx, item, uid), org.rules.get(uid)))
    keep = set(pair[0]["uid"] for pair in validated)
    for uid in old:
        if uid not in keep:
            del org.rules[uid]
    for rule, existing in validated:
        _store_rule(ctx, rule, existing)
    if validated:
        org.group_intervals[(folder, group)] = interval
    _forget_empty_groups(org)
    if not validated:
        return 200, {"title": group, "folderUid": folder, "interval": interval, "rules": []}
    return 200, _group(ctx, folder, group)


@route("DELETE", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def delete_group(ctx):
    org = ctx.org
    folder, group = ctx.params["folder"], ctx.params["group"]
    if (folder, group) not in org.group_intervals:
        raise errutil(404, "alerting.rule-group.notFound", "rule group not found")
    for uid in [u for u, r in org.rules.items() if r["folderUID"] == folder and r["ruleGroup"] == group]:
        check_provenance(ctx, org.rules[uid]["provenance"])
        del org.rules[uid]
    _forget_empty_groups(org)
    return 204, None


# --------------------------------------------------------------------------------------------
# alerting: mute timings and templates
# --------------------------------------------------------------------------------------------

def _range_ok(value, names, low, high):
    parts = str(value).lower().split(":")
    if len(parts) > 2:
        return False
    for part in parts:
        if names and part in names:
            continue
        if not re.match(r"^-?\d+$", part) or not low <= int(part) <= high:
            return False
    return True


def _canonical_intervals(intervals):
    if not isinstance(intervals, list):
        raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time_intervals must be a list")
    out = []
    for item in intervals:
        if not isinstance(item, dict):
            raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time interval must be an object")
        item = copy.deepcopy(item)
        for rng in item.get("times") or []:
            for key in ("start_time", "end_time"):
                if not re.match(r"^([01]\d|2[0-4]):[0-5]\d$", str(rng.get(key, ""))):
                    raise errutil(400, "alerting.notifications.time-intervals.invalidFormat",
                                  "invalid time interval: bad %s %r" % (key, rng.get(key)))
        checks = (("weekdays", WEEKDAYS, 0, 6), ("days_of_month", None, -31, 31), ("months", MONTHS, 1, 12),
                  ("years", None, 0, 9999))
        for key, names, low, high in checks:
            values = item.get(key) or []
            for value in values:
                if not _range_ok(value, names, low, high):
                    raise errutil(400, "alerting.notifications.time-intervals.invalidFormat",
                                  "invalid time interval: bad %s value %r" % (key, value))
            if names:
                item[key] = [str(v).lower() for v in values]
        out.append(dict((k, v) for k, v in item.items() if v not in (None, [], "")))
    return out


def mt_dto(rec):
    out = {"name": rec["name"], "time_intervals": copy.deepcopy(rec["time_intervals"]), "version": rec["version"]}
    return with_provenance(out, rec["provenance"])


def _mt_version(rec):
    return fingerprint([rec["name"], rec["time_intervals"]])


@route("GET", r"/api/v1/provisioning/mute-timings", role="Editor")
def list_mute_timings(ctx):
    return [mt_dto(ctx.org.mute_timings[name]) for name in sorted(ctx.org.mute_timings)]


@route("GET", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def read_mute_timing(ctx):
    rec = ctx.org.mute_timings.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.time-intervals.notFound", "time interval not found")
    return mt_dto(rec)


@route("POST", r"/api/v1/provisioning/mute-timings", role="Editor")
def create_mute_timing(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time interval name must not be empty")
    if name in ctx.org.mute_timings:
        raise errutil(400, "alerting.notifications.time-intervals.nameExists",
                      "Time interval with this name already exists. Use a different name or update existing one.")
    rec = {"name": name, "time_intervals": _canonical_intervals(body.get("time_intervals") or []),
           "provenance": ctx.provenance}
    rec["version"] = _mt_version(rec)
    ctx.org.mute_timings[name] = rec
    return 201, mt_dto(rec)


@route("PUT", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def update_mute_timing(ctx):
    org = ctx.org
    rec = org.mute_timings.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.time-intervals.notFound", "time interval not found")
    body = ctx.json_body()
    if body.get("version") and body["version"] != rec["version"]:
        raise errutil(409, "alerting.notifications.conflict",
                      "provided version %s of time interval %s does not match current version %s"
                      % (body["version"], rec["name"], rec["version"]))
    check_provenance(ctx, rec["provenance"])
    new_name = str(body.get("name") or rec["name"]).strip()
    if new_name != rec["name"] and new_name in org.mute_timings:
        raise errutil(409, "alerting.notifications.time-intervals.nameExists", "Time interval with this name already exists.")
    intervals = _canonical_intervals(body.get("time_intervals") or [])
    if new_name != rec["name"]:
        del org.mute_timings[rec["name"]]
        rename_in_policy(org.policy, "interval", rec["name"], new_name)
    rec.update({"name": new_name, "time_intervals": intervals, "provenance": ctx.provenance})
    rec["version"] = _mt_version(rec)
    org.mute_timings[new_name] = rec
    return 202, mt_dto(rec)


@route("DELETE", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def delete_mute_timing(ctx):
    org = ctx.org
    rec = org.mute_timings.get(ctx.params["name"])
    if rec is None:
        return 204, None
    version = ctx.q("version")
    if version and version != rec["version"]:
        raise errutil(409, "alerting.notifications.conflict", "provided version does not match current version")
    if rec["name"] in policy_intervals(org.policy):
        raise errutil(409, "alerting.notifications.time-intervals.used",
                      "Time interval is used by one or many notification policies", {"uid": rec["name"]})
    check_provenance(ctx, rec["provenance"])
    del org.mute_timings[rec["name"]]
    return 204, None


@route("GET", r"/api/v1/provisioning/templates", role="Editor")
def list_templates(ctx):
    return [with_provenance({"name": r["name"], "template": r["template"], "version": r["version"]}, r["provenance"])
            for r in (ctx.org.templates[name] for name in sorted(ctx.org.templates))]


@route("GET", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def read_template(ctx):
    rec = ctx.org.templates.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.templates.notFound", "Template not found")
    return with_provenance({"name": rec["name"], "template": rec["template"], "version": rec["version"]}, rec["provenance"])


@route("PUT", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def put_template(ctx):
    name = ctx.params["name"]
    body = ctx.json_body()
    text = body.get("template")
    if not isinstance(text, str) or not text.strip():
        raise errutil(400, "alerting.notifications.templates.invalidFormat", "template must not be empty")
    if ctx.state.legacy_template_wrap and "{{ define" not in text and "{{define" not in text:
        text = '{{ define "%s" }}\n  %s\n{{ end }}' % (name, text)
    rec = ctx.org.templates.get(name)
    if rec is not None:
        if body.get("version") and body["version"] != rec["version"]:
            raise errutil(409, "alerting.notifications.conflict", "provided version does not match current version")
        check_provenance(ctx, rec["provenance"])
    rec = {"name": name, "template": text, "provenance": ctx.provenance}
    rec["version"] = fingerprint([name, text])
    ctx.org.templates[name] = rec
    return 202, with_provenance({"name": name, "template": text, "version": rec["version"]}, rec["provenance"])


@route("DELETE", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def delete_template(ctx):
    rec = ctx.org.templates.pop(ctx.params["name"], None)
    if rec is not None:
        check_provenance(ctx, rec["provenance"])
    return 204, None


# --------------------------------------------------------------------------------------------
# service accounts (what the grafana role needs) and provisioning reloads
# --------------------------------------------------------------------------------------------

def sa_dto(rec):
    return {"id": rec["id"], "uid": rec["uid"], "name": rec["name"], "login": rec["login"], "orgId": rec["orgId"],
            "isDisabled": rec["isDisabled"], "role": rec["role"], "tokens": len(rec["tokens"]),
            "avatarUrl": "/avatar/%s" % hashlib.md5(rec["login"].encode("utf-8")).hexdigest(),  # nosec - not security
            "isExternal": False}


def get_sa(ctx):
    try:
        rec = ctx.org.service_accounts.get(int(ctx.params["id"]))
    except ValueError:
        rec = None
    if rec is None:
        raise errutil(404, "serviceaccounts.ErrNotFound", "service account not found")
    return rec


@route("POST", r"/api/serviceaccounts", role="Admin")
def create_sa(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise errutil(400, "serviceaccounts.ErrNameEmpty", "service account name is required")
    role = body.get("role") or "Viewer"
    if role not in ROLES:
        raise errutil(400, "serviceaccounts.ErrInvalidRole", "invalid role %r" % role)
    if any(s["name"] == name for s in ctx.org.service_accounts.values()):
        raise errutil(400, "serviceaccounts.ErrAlreadyExists", "service account already exists")
    rec = ctx.state.add_service_account(ctx.org.id, name, role, body.get("isDisabled"))
    return 201, sa_dto(rec)


@route("GET", r"/api/serviceaccounts/search", role="Admin")
def search_sa(ctx):
    query = (ctx.q("query", "") or "").lower()
    hits = [sa_dto(s) for s in sorted(ctx.org.service_accounts.values(), key=lambda s: s["name"].lower())
            if query in s["name"].lower() or query in s["login"].lower()]
    try:
        perpage = int(ctx.q("perpage", 1000) or 1000)
        page = max(1, int(ctx.q("page", 1) or 1))
    except ValueError:
        raise legacy(400, "invalid paging parameters")
    return {"totalCount": len(hits), "serviceAccounts": hits[(page - 1) * perpage: page * perpage], "page": page,
            "perPage": perpage}


@route("GET", r"/api/serviceaccounts/(?P<id>\d+)", role="Admin")
def read_sa(ctx):
    return sa_dto(get_sa(ctx))


@route("DELETE", r"/api/serviceaccounts/(?P<id>\d+)", role="Admin")
def delete_sa(ctx):
    rec = get_sa(ctx)
    for token in rec["tokens"]:
        ctx.state.tokens.pop(token["key"], None)
    del ctx.org.service_accounts[rec["id"]]
    return {"message": "Service account deleted"}


@route("POST", r"/api/serviceaccounts/(?P<id>\d+)/tokens", role="Admin")
def create_sa_token(ctx):
    rec = get_sa(ctx)
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise legacy(400, "token name is required")
    if any(t["name"] == name for t in rec["tokens"]):
        raise legacy(409, "service account token with given name already exists in the organization")
    ttl = body.get("secondsToLive") or 0
    if not isinstance(ttl, int) or ttl < 0:
        raise legacy(400, "secondsToLive must be a positive integer")
    key = "glsa_%s_%s" % ("".join(random.SystemRandom().choices(string.ascii_letters + string.digits, k=32)),
                          hashlib.sha256(name.encode("utf-8")).hexdigest()[:8])
    token = ctx.state._attach_token(rec, name, key, ttl)  # pylint: disable=protected-access
    return {"id": token["id"], "name": name, "key": key}


@route("GET", r"/api/serviceaccounts/(?P<id>\d+)/tokens", role="Admin")
def list_sa_tokens(ctx):
    rec = get_sa(ctx)
    out = []
    for token in rec["tokens"]:
        item = {"id": token["id"], "name": token["name"], "created": token["created"], "hasExpired": False,
                "isRevoked": token["isRevoked"], "secondsUntilExpiration": float(token["secondsToLive"] or 0)}
        if token["secondsToLive"]:
            expires = datetime.datetime.strptime(token["created"], "%Y-%m-%dT%H:%M:%SZ") + \
                datetime.timedelta(seconds=token["secondsToLive"])
            item["expiration"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(item)
    return out


@route("DELETE", r"/api/serviceaccounts/(?P<id>\d+)/tokens/(?P<token_id>\d+)", role="Admin")
def delete_sa_token(ctx):
    rec = get_sa(ctx)
    token = next((t for t in rec["tokens"] if t["id"] == int(ctx.params["token_id"])), None)
    if token is None:
        raise errutil(404, "serviceaccounts.ErrTokenNotFound", "service account token not found")
    rec["tokens"].remove(token)
    ctx.state.tokens.pop(token["key"], None)
    return {"message": "Service account token deleted"}


@route("POST", r"/api/admin/provisioning/(?P<kind>dashboards|datasources|alerting)/reload", role="Viewer")
def provisioning_reload(ctx):
    if not (ctx.identity or {}).get("server_admin"):
        raise legacy(403, "Permission denied: requires Grafana server admin")
    names = {"dashboards": "Dashboards", "datasources": "Datasources", "alerting": "Alerting"}
    return {"message": "%s config reloaded" % names[ctx.params["kind"]]}


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description="Stateful Grafana HTTP API double (vigil.observability).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--token", action="append", default=[], help="an Admin service-account token of org 1 (repeatable)")
    parser.add_argument("--version", dest="grafana_version", default=VERSION, help="version reported by /api/health")
    parser.add_argument("--min-refresh-interval", default="5s")
    parser.add_argument("--legacy", action="append", default=[],
                        choices=["duplicate-uid-500", "name-exists", "provenance-500", "template-wrap"],
                        help="enable a pre-11.3 behaviour (repeatable)")
    parser.add_argument("--log-size", type=int, default=10000, help="requests kept in the log")
    parser.add_argument("--no-record-bodies", action="store_true", help="log method/path/status only")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    fake = FakeGrafana(args.host, args.port, args.admin_user, args.admin_password, args.grafana_version,
                       log_size=args.log_size, record_bodies=not args.no_record_bodies, verbose=args.verbose)
    fake.state.min_refresh_interval = args.min_refresh_interval
    for flag in args.legacy:
        setattr(fake.state, "legacy_" + flag.replace("-", "_"), True)
    for token in args.token:
        fake.add_token(token, "Admin", 1, name="cli-token-%d" % (args.token.index(token) + 1))
    server = fake.serve_forever()
    sys.stdout.write("fake grafana %s listening on http://%s:%d\n" % (args.grafana_version, args.host, fake.port))
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
