# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP server of the double (FakeGrafana), its request log and its command line."""

from __future__ import annotations

import argparse
import base64
import collections
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .common import HttpError, MUTATING, VERSION, errutil
from .routing import Ctx, ROUTES, RawBody
from .state import State
# The route modules register their handlers in this order (the first match wins).
from . import (  # noqa: F401  pylint: disable=unused-import
    routes_core, routes_folders, routes_dashboards, routes_datasources, routes_contact_points, routes_rules,
    routes_mute_timings, routes_service_accounts)


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
