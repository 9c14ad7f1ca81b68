"""Small HTTP/TCP/UDP listener helpers shared by the stand-ins (stdlib only)."""
from __future__ import annotations

import http.server
import json
import socket
import ssl
import sys
import threading
import time
import urllib.parse


def log(level, message, **fields):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"
    extra = ("\t" + json.dumps(fields, sort_keys=True)) if fields else ""
    sys.stderr.write("%s\t%s\t%s%s\n" % (stamp, level, message, extra))
    sys.stderr.flush()


class StartError(Exception):
    """The process cannot start (bind or file problems), as the product would exit."""


def split_hostport(endpoint, default_host="localhost"):
    text = str(endpoint)
    if "://" in text:
        text = urllib.parse.urlsplit(text).netloc
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise StartError("invalid endpoint %r: missing port" % endpoint)
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def server_tls_context(tls):
    """An SSLContext from a Collector server `tls:` block (None when no TLS is configured)."""
    if not tls:
        return None
    cert, key = tls.get("cert_file"), tls.get("key_file")
    if not cert or not key:
        raise StartError("failed to load TLS config: for auth via TLS, provide both certificate and key")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(cert, key)
        if tls.get("client_ca_file"):
            ctx.load_verify_locations(tls["client_ca_file"])
            ctx.verify_mode = ssl.CERT_REQUIRED
    except (OSError, ssl.SSLError) as exc:
        raise StartError("failed to load TLS config: %s" % exc) from None
    return ctx


def client_tls_context(tls):
    tls = tls or {}
    ctx = ssl.create_default_context(cafile=tls.get("ca_file") or None)
    if tls.get("insecure_skip_verify"):
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if tls.get("cert_file") and tls.get("key_file"):
        ctx.load_cert_chain(tls["cert_file"], tls["key_file"])
    return ctx


class Response:
    def __init__(self, status=200, body=b"", content_type="text/plain; charset=utf-8", headers=None):
        self.status, self.content_type, self.headers = status, content_type, dict(headers or {})
        if isinstance(body, (dict, list)):
            body, self.content_type = json.dumps(body).encode(), "application/json"
        elif isinstance(body, str):
            body = body.encode()
        self.body = body


class Request:
    def __init__(self, method, raw_path, headers, body):
        parts = urllib.parse.urlsplit(raw_path)
        self.method, self.path, self.headers, self.body = method, parts.path, headers, body
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}


def _handler(route, name):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "vigil-standin"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the stand-in logs what matters itself
            pass

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                resp = route(Request(self.command, self.path, self.headers, body))
            except Exception as exc:
                log("error", "%s: request failed" % name, error=str(exc))
                resp = Response(500, "internal error: %s\n" % exc)
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            for key, value in resp.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _serve

    return Handler


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # TLS handshake failures etc.: not worth a traceback
        pass


class _HTTP6Server(_HTTPServer):
    address_family = socket.AF_INET6


def http_server(name, endpoint, route, tls=None, default_host="localhost"):
    """Bind an HTTP(S) server on `endpoint` and serve `route(Request) -> Response` in a thread."""
    host, port = split_hostport(endpoint, default_host)
    cls = _HTTP6Server if _family(host) == socket.AF_INET6 else _HTTPServer
    try:
        server = cls((host, port), _handler(route, name))
    except OSError as exc:
        raise StartError("%s: listen tcp %s:%d: bind: %s" % (name, host, port, exc.strerror)) from None
    ctx = server_tls_context(tls)
    if ctx is not None:
        server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return server


class TCPSink:
    """A bound TCP listener that accepts and closes (for gRPC endpoints the stand-in cannot speak)."""

    def __init__(self, name, endpoint, default_host="localhost"):
        host, port = split_hostport(endpoint, default_host)
        self.sock = socket.socket(_family(host), socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind((host, port))
        except OSError as exc:
            self.sock.close()
            raise StartError("%s: listen tcp %s:%d: bind: %s" % (name, host, port, exc.strerror)) from None
        self.sock.listen(16)
        threading.Thread(target=self._loop, name=name, daemon=True).start()

    def _loop(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            conn.close()

    def shutdown(self):
        self.sock.close()


class UDPListener:
    """A bound UDP socket calling `on_datagram(bytes)` for every datagram."""

    def __init__(self, name, endpoint, on_datagram, default_host="localhost"):
        host, port = split_hostport(endpoint, default_host)
        self.sock = socket.socket(_family(host), socket.SOCK_DGRAM)
        try:
            self.sock.bind((host, port))
        except OSError as exc:
            self.sock.close()
            raise StartError("%s: listen udp %s:%d: bind: %s" % (name, host, port, exc.strerror)) from None
        self.on_datagram = on_datagram
        threading.Thread(target=self._loop, name=name, daemon=True).start()

    def _loop(self):
        while True:
            try:
                data, _addr = self.sock.recvfrom(65535)
            except OSError:
                return
            self.on_datagram(data)

    def shutdown(self):
        self.sock.close()


class Metrics:
    """Thread-safe counters rendered in the Prometheus text format."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.types = {}

    def add(self, name, labels=None, value=1.0, mtype="counter"):
        key = (name, tuple(sorted((labels or {}).items())))
        with self.lock:
            self.values[key] = self.values.get(key, 0.0) + value
            self.types[name] = mtype

    def set(self, name, labels=None, value=0.0, mtype="gauge"):
        key = (name, tuple(sorted((labels or {}).items())))
        with self.lock:
            self.values[key] = value
            self.types[name] = mtype

    def get(self, name, labels=None):
        return self.values.get((name, tuple(sorted((labels or {}).items()))), 0.0)

    def render(self):
        lines, seen = [], set()
        with self.lock:
            items = sorted(self.values.items())
            for (name, labels), value in items:
                if name not in seen:
                    lines.append("# TYPE %s %s" % (name, self.types.get(name, "untyped")))
                    seen.add(name)
                lines.append("%s%s %s" % (name, format_labels(dict(labels)), _number(value)))
        return "\n".join(lines) + "\n"


def format_labels(labels):
    if not labels:
        return ""
    body = ",".join('%s="%s"' % (k, str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
                    for k, v in sorted(labels.items()))
    return "{%s}" % body


def _number(value):
    if value == int(value):
        return str(int(value))
    return repr(value)
