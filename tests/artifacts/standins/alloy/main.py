# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grafana Alloy TEST STAND-IN for the vigil.observability test mirror (not Grafana Alloy).

One executable named like the real binary (``alloy-linux-<arch>``) with Alloy's subcommands:
``run``, ``validate`` and ``fmt``, all parsing the Alloy configuration syntax with the checker
shared with the unit tests (tests/support/checkers/alloy_syntax.py, packaged by the builder). ``run`` serves
``/-/ready``, ``/-/healthy``, ``/-/reload`` (and reloads on SIGHUP; a failed reload keeps the
running configuration, as Alloy does) and ``/metrics`` on --server.http.listen-addr, and listens
on the HTTP endpoints of its ``otelcol.receiver.otlp`` blocks, counting the spans it accepts.
"""

import glob
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from alloy_syntax import AlloySyntaxError, components, literal, parse, validate

VERSION = "@VERSION@"
BANNER = "alloy, version v%s (vigil.observability TEST STAND-IN, not Grafana Alloy)" % VERSION
LEVELS = ("experimental", "public-preview", "generally-available")
RUN_FLAGS = {"server.http.listen-addr", "storage.path", "stability.level", "disable-reporting",
             "server.http.enable-pprof", "server.http.memory-addr", "server.http.ui-path-prefix",
             "cluster.enabled", "cluster.node-name", "cluster.join-addresses", "config.format",
             "feature.community-components.enabled", "config.extra-args", "config.bypass-conversion-errors"}
BOOL_FLAGS = {"disable-reporting", "server.http.enable-pprof", "cluster.enabled", "feature.community-components.enabled",
              "config.bypass-conversion-errors", "write", "w", "test", "t"}


def die(message, code=1):
    sys.stderr.write("Error: %s\n" % message)
    sys.exit(code)


def parse_args(argv, allowed):
    flags, rest = {}, []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg.startswith("-") and arg != "-":
            name = arg.lstrip("-")
            if "=" in name:
                name, value = name.split("=", 1)
            elif name in BOOL_FLAGS:
                value = "true"
            elif args:
                value = args.pop(0)
            else:
                die("flag needs an argument: %s" % arg)
            if name not in allowed:
                die("unknown flag: --%s" % name)
            flags[name] = value
        else:
            rest.append(arg)
    return flags, rest


def read_config(path):
    """The text of a file, or of the *.alloy files of a directory (not recursive)."""
    if os.path.isdir(path):
        texts = []
        for name in sorted(glob.glob(os.path.join(path, "*.alloy"))):
            with open(name, encoding="utf-8") as handle:
                texts.append(handle.read())
        return "\n".join(texts)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def diagnose(path, text):
    problems = validate(text)
    return ["%s:%s" % (path, p) for p in problems]


def cmd_validate(argv):
    flags, rest = parse_args(argv, {"stability.level", "config.format", "feature.community-components.enabled",
                                    "config.extra-args", "config.bypass-conversion-errors"})
    if flags.get("stability.level", "generally-available") not in LEVELS:
        die("invalid value for --stability.level")
    if flags.get("config.format", "alloy") != "alloy":
        die("the stand-in validates --config.format=alloy only")
    if len(rest) != 1:
        die("validate needs exactly one path")
    try:
        text = read_config(rest[0])
    except OSError as exc:
        die(str(exc))
    problems = diagnose(rest[0], text)
    if problems:
        sys.stderr.write("\n".join("Error: " + p for p in problems) + "\n")
        return 1
    return 0


def cmd_fmt(argv):
    flags, rest = parse_args(argv, {"write", "w", "test", "t"})
    path = rest[0] if rest else "-"
    text = sys.stdin.read() if path == "-" else read_config(path)
    try:
        parse(text)
    except AlloySyntaxError as exc:
        sys.stderr.write("Error: %s:%s\n" % ("<stdin>" if path == "-" else path, exc))
        return 1
    if flags.get("write") == "true" or flags.get("w") == "true":
        return 0
    sys.stdout.write(text)
    return 0


class Runtime(object):
    """The running configuration, its receivers and the metrics about both."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.text = None
        self.components = {}
        self.loads_ok = 0
        self.load_failures = 0
        self.last_success = 0.0
        self.last_ok = False
        self.spans = {}
        self.receivers = {}  # endpoint -> server

    def load(self):
        """(ok, message): a failed load keeps the previous configuration running."""
        try:
            text = read_config(self.path)
        except OSError as exc:
            return self._failed(str(exc))
        problems = diagnose(self.path, text)
        if problems:
            return self._failed("; ".join(problems))
        tree = parse(text)
        with self.lock:
            self.text = text
            self.components = components(tree)
            self.loads_ok += 1
            self.last_success = time.time()
            self.last_ok = True
        self._sync_receivers()
        return True, "config reloaded"

    def _failed(self, message):
        with self.lock:
            self.load_failures += 1
            self.last_ok = False
        sys.stderr.write("level=error msg=\"failed to reload config\" err=%s\n" % json.dumps(message))
        sys.stderr.flush()
        return False, message

    def _wanted_receivers(self):
        wanted = {}
        for key, block in self.components.items():
            if block.name != "otelcol.receiver.otlp":
                continue
            for http in block.blocks("http"):
                endpoint = literal(http.attributes().get("endpoint", ("literal", "0.0.0.0:4318")))
                wanted[endpoint] = key
        return wanted

    def _sync_receivers(self):
        wanted = self._wanted_receivers()
        for endpoint in list(self.receivers):
            if endpoint not in wanted:
                server = self.receivers.pop(endpoint)
                server.shutdown()
                server.server_close()
        for endpoint, key in wanted.items():
            if endpoint not in self.receivers:
                self.receivers[endpoint] = start_server(endpoint, otlp_handler(self, key))


def start_server(address, handler):
    host, port = address.rsplit(":", 1)
    host = host.strip("[]") or "0.0.0.0"

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True
        allow_reuse_address = True

    try:
        server = Server((host, int(port)), handler)
    except OSError as exc:
        die("failed to listen on %s: %s" % (address, exc))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Base(BaseHTTPRequestHandler):
    server_version = "alloy-standin"

    def log_message(self, fmt, *args):
        return

    def reply(self, status, text, ctype="text/plain; charset=utf-8"):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def otlp_handler(runtime, key):
    class Handler(Base):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/v1/traces":
                return self.reply(404, "404 page not found\n")
            spans = 0
            if "json" in (self.headers.get("Content-Type") or ""):
                try:
                    payload = json.loads(body or b"{}")
                    for resource in payload.get("resourceSpans") or []:
                        for scope in resource.get("scopeSpans") or []:
                            spans += len(scope.get("spans") or [])
                except (ValueError, AttributeError, TypeError):
                    return self.reply(400, "invalid OTLP JSON\n")
            else:
                spans = 1
            with runtime.lock:
                runtime.spans[key] = runtime.spans.get(key, 0) + spans
            return self.reply(200, "{}", "application/json")
    return Handler


def api_handler(runtime):
    class Handler(Base):
        def do_GET(self):
            if self.path == "/-/ready":
                return self.reply(200, "Alloy is ready.\n")
            if self.path == "/-/healthy":
                return self.reply(200, "All Alloy components are healthy.\n")
            if self.path == "/-/reload":
                return self.reload()
            if self.path == "/metrics":
                return self.reply(200, self.metrics(), "text/plain; version=0.0.4")
            if self.path == "/api/v0/web/components":
                with runtime.lock:
                    items = [{"localID": key, "name": block.name, "label": block.label, "health": {"state": "healthy"}}
                             for key, block in sorted(runtime.components.items())]
                return self.reply(200, json.dumps(items), "application/json")
            return self.reply(404, "404 page not found\n")

        do_HEAD = do_GET

        def do_POST(self):
            if self.path == "/-/reload":
                return self.reload()
            return self.reply(404, "404 page not found\n")

        def reload(self):
            ok, message = runtime.load()
            return self.reply(200 if ok else 400, message + "\n")

        def metrics(self):
            with runtime.lock:
                lines = [
                    "# TYPE alloy_build_info gauge",
                    'alloy_build_info{version="v%s",standin="true"} 1' % VERSION,
                    "# TYPE alloy_config_last_load_successful gauge",
                    "alloy_config_last_load_successful %d" % (1 if runtime.last_ok else 0),
                    "# TYPE alloy_config_load_failures_total counter",
                    "alloy_config_load_failures_total %d" % runtime.load_failures,
                    "# TYPE alloy_config_last_load_success_timestamp_seconds gauge",
                    "alloy_config_last_load_success_timestamp_seconds %.3f" % runtime.last_success,
                    "# TYPE alloy_component_controller_running_components gauge",
                    'alloy_component_controller_running_components{health_type="healthy"} %d' % len(runtime.components),
                    "# TYPE otelcol_receiver_accepted_spans_total counter",
                ]
                for key, count in sorted(runtime.spans.items()):
                    lines.append('otelcol_receiver_accepted_spans_total{component_id="%s",transport="http"} %d' % (key, count))
            return "\n".join(lines) + "\n"
    return Handler


def cmd_run(argv):
    flags, rest = parse_args(argv, RUN_FLAGS)
    if len(rest) != 1:
        die("run needs exactly one configuration path")
    if flags.get("stability.level", "generally-available") not in LEVELS:
        die("invalid value for --stability.level")
    storage = flags.get("storage.path", "data-alloy/")
    os.makedirs(storage, exist_ok=True)
    with open(os.path.join(storage, "alloy_seed.json"), "w", encoding="utf-8") as handle:
        json.dump({"UID": "standin", "version": VERSION}, handle)
    runtime = Runtime(rest[0])
    ok, message = runtime.load()
    if not ok:
        die("could not perform the initial load successfully: %s" % message)
    api = start_server(flags.get("server.http.listen-addr", "127.0.0.1:12345"), api_handler(runtime))
    stop = threading.Event()
    signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=runtime.load, daemon=True).start())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sys.stderr.write("level=info msg=\"now listening for http traffic\" service=http addr=%s stand-in=true\n"
                     % flags.get("server.http.listen-addr", "127.0.0.1:12345"))
    sys.stderr.flush()
    while not stop.wait(1):
        pass
    api.shutdown()
    return 0


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print("Usage: alloy [command]\n\nCommands: run, validate, fmt (vigil.observability TEST STAND-IN)")
        return 0
    if argv[0] in ("--version", "-v", "version", "-version"):
        print(BANNER)
        return 0
    commands = {"run": cmd_run, "validate": cmd_validate, "fmt": cmd_fmt}
    if argv[0] not in commands:
        die("unknown command %r for \"alloy\"" % argv[0])
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
