# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grafana Loki TEST STAND-IN for the vigil.observability test mirror (not Grafana Loki).

A single executable named like the real binary (``loki-linux-<arch>``) that takes Loki's flags,
parses the YAML configuration strictly against the documented blocks (loki_schema, shared with the
unit tests and packaged next to this file by the builder) and applies Loki's own rules, so ``-verify-config`` fails where
Loki would. Run mode serves ``/ready``, ``/metrics``, ``/config``, the push API and a small
stream-selector query API on the configured port, keeping pushed entries below path_prefix.
"""

import json
import os
import re
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import yaml

from loki_schema import check

VERSION = "@VERSION@"
BANNER = "loki, version %s (vigil.observability TEST STAND-IN, not Grafana Loki)" % VERSION


def fail(message, code=1):
    sys.stderr.write("level=error msg=%s\n" % json.dumps(message))
    sys.exit(code)


def parse_flags(argv):
    """Go-style flags: -name=value, --name=value, -name value, boolean -name."""
    booleans = {"verify-config", "config.expand-env", "print-config-stderr", "log-config-reverse-order",
                "version", "help", "h", "list-targets"}
    flags, rest = {}, []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if not arg.startswith("-") or arg in ("-", "--"):
            rest.append(arg)
            continue
        name = arg.lstrip("-")
        if "=" in name:
            name, value = name.split("=", 1)
        elif name in booleans:
            value = "true"
        elif args:
            value = args.pop(0)
        else:
            fail("flag needs an argument: -%s" % name, 2)
        flags[name] = value
    return flags, rest


def expand_env(text):
    def repl(match):
        name, default = match.group(1), match.group(3)
        return os.environ.get(name, default if default is not None else "")
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", repl, text)


def load(path, expand):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        fail("error loading config from %s: %s" % (path, exc))
    if expand:
        text = expand_env(text)
    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        fail("error loading config from %s: yaml: %s" % (path, exc))
    problems = check(config)
    if problems:
        fail("validating config: " + "; ".join(problems))
    return config


class Store(object):
    """Pushed entries, appended to a JSON-lines file below the chunks directory."""

    def __init__(self, directory):
        self.lock = threading.Lock()
        self.streams = {}
        self.lines = 0
        self.path = os.path.join(directory, "standin-entries.jsonl") if directory else None
        if self.path:
            os.makedirs(directory, exist_ok=True)
            if os.path.exists(self.path):
                with open(self.path, encoding="utf-8") as handle:
                    for line in handle:
                        record = json.loads(line)
                        self._add(record["labels"], record["ts"], record["line"])

    def _add(self, labels, ts, line):
        key = tuple(sorted(labels.items()))
        self.streams.setdefault(key, []).append((str(ts), line))
        self.lines += 1

    def push(self, streams):
        with self.lock:
            records = []
            for stream in streams:
                labels = {str(k): str(v) for k, v in (stream.get("stream") or {}).items()}
                if not labels:
                    raise ValueError("error at least one label pair is required per stream")
                for value in stream.get("values") or []:
                    self._add(labels, value[0], value[1])
                    records.append({"labels": labels, "ts": str(value[0]), "line": value[1]})
            if self.path and records:
                with open(self.path, "a", encoding="utf-8") as handle:
                    for record in records:
                        handle.write(json.dumps(record) + "\n")

    def select(self, query, limit=100):
        match = re.match(r"^\s*\{(.*)\}\s*$", query or "")
        if not match:
            raise ValueError("parse error: the stand-in understands stream selectors only, e.g. {job=\"x\"}")
        matchers = []
        for part in re.finditer(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?', match.group(1)):
            matchers.append((part.group(1), part.group(2), part.group(3)))
        if not matchers:
            raise ValueError("parse error: queries require at least one matcher")
        result = []
        with self.lock:
            for key, entries in self.streams.items():
                labels = dict(key)
                ok = True
                for name, op, value in matchers:
                    have = labels.get(name, "")
                    if op == "=":
                        ok = have == value
                    elif op == "!=":
                        ok = have != value
                    elif op == "=~":
                        ok = re.fullmatch(value, have) is not None
                    else:
                        ok = re.fullmatch(value, have) is None
                    if not ok:
                        break
                if ok:
                    result.append({"stream": labels, "values": [[ts, line] for ts, line in entries[-limit:]][::-1]})
        return result


def serve(config, config_text):
    server_cfg = config.get("server") or {}
    host = server_cfg.get("http_listen_address") or "0.0.0.0"
    port = int(server_cfg.get("http_listen_port", 3100))
    prefix = (config.get("common") or {}).get("path_prefix") or ""
    chunks = ((config.get("common") or {}).get("storage") or {}).get("filesystem", {}).get("chunks_directory") \
        or (os.path.join(prefix, "chunks") if prefix else "")
    for sub in ("compactor", "tsdb-shipper-active", "wal"):
        if prefix:
            os.makedirs(os.path.join(prefix, sub), exist_ok=True)
    store = Store(chunks)
    started = time.time()

    class Handler(BaseHTTPRequestHandler):
        server_version = "loki-standin"

        def log_message(self, fmt, *args):
            return

        def reply(self, status, body, ctype="text/plain; charset=utf-8"):
            data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
            if not isinstance(body, (bytes, str)):
                ctype = "application/json"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/ready":
                return self.reply(200, "ready\n")
            if url.path == "/metrics":
                return self.reply(200, (
                    "# HELP loki_build_info A metric with a constant '1' value labeled by version.\n"
                    "# TYPE loki_build_info gauge\n"
                    'loki_build_info{goversion="none",version="%s",standin="true"} 1\n'
                    "# TYPE loki_distributor_lines_received_total counter\n"
                    'loki_distributor_lines_received_total{tenant="fake"} %d\n'
                    "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %.0f\n"
                ) % (VERSION, store.lines, started), "text/plain; version=0.0.4")
            if url.path == "/config":
                return self.reply(200, config_text, "text/plain; charset=utf-8")
            if url.path == "/services":
                return self.reply(200, "all Running\n")
            if url.path == "/loki/api/v1/status/buildinfo":
                return self.reply(200, {"version": VERSION, "revision": "standin", "branch": "standin"})
            if url.path in ("/loki/api/v1/query_range", "/loki/api/v1/query"):
                try:
                    streams = store.select(query.get("query"), int(query.get("limit", 100)))
                except (ValueError, re.error) as exc:
                    return self.reply(400, str(exc) + "\n")
                return self.reply(200, {"status": "success", "data": {"resultType": "streams", "result": streams}})
            if url.path == "/loki/api/v1/labels":
                names = sorted({pair[0] for key in store.streams for pair in key})
                return self.reply(200, {"status": "success", "data": names})
            match = re.match(r"^/loki/api/v1/label/([^/]+)/values$", url.path)
            if match:
                values = sorted({v for key in store.streams for k, v in key if k == match.group(1)})
                return self.reply(200, {"status": "success", "data": values})
            return self.reply(404, "404 page not found\n")

        do_HEAD = do_GET

        def do_POST(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if url.path in ("/loki/api/v1/push", "/api/prom/push"):
                if "json" not in (self.headers.get("Content-Type") or ""):
                    return self.reply(415, "the stand-in accepts JSON pushes only\n")
                try:
                    store.push(json.loads(body or b"{}").get("streams") or [])
                except (ValueError, TypeError, AttributeError, IndexError) as exc:
                    return self.reply(400, str(exc) + "\n")
                return self.reply(204, b"")
            return self.reply(404, "404 page not found\n")

    family = socket.AF_INET6 if ":" in host else socket.AF_INET

    class Server(ThreadingHTTPServer):
        address_family = family
        daemon_threads = True

    try:
        httpd = Server((host, port), Handler)
    except OSError as exc:
        fail("error initialising module: server: listen tcp %s:%d: %s" % (host, port, exc))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown).start())
    sys.stderr.write("level=info msg=\"Loki started\" stand-in=true addr=%s:%d\n" % (host, port))
    sys.stderr.flush()
    httpd.serve_forever()
    return 0


def main(argv):
    flags, _rest = parse_flags(argv)
    if flags.get("version") == "true":
        print(BANNER)
        return 0
    if flags.get("help") == "true" or flags.get("h") == "true":
        print("Usage of loki (stand-in): -config.file=<file> [-verify-config] [-config.expand-env=true] [-target=all]")
        return 0
    path = flags.get("config.file")
    if not path:
        fail("no config file given: -config.file is required", 1)
    target = flags.get("target", "all")
    if target not in ("all", "read", "write", "backend") and not set(target.split(",")) <= {
            "distributor", "ingester", "querier", "query-frontend", "query-scheduler", "compactor", "ruler",
            "index-gateway", "pattern-ingester"}:
        fail("unrecognised module name: %s" % target)
    expand = flags.get("config.expand-env", "false") == "true"
    config = load(path, expand)
    if flags.get("print-config-stderr") == "true":
        sys.stderr.write(yaml.safe_dump(config, sort_keys=False))
    if flags.get("verify-config") == "true":
        sys.stderr.write("level=info msg=\"config is valid\"\n")
        return 0
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return serve(config, expand_env(text) if expand else text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
