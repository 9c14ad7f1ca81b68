"""Command line of the Collector-like stand-ins (`jaeger`, `otelcol-contrib`)."""
from __future__ import annotations

import os
import signal
import sys
import time

import yaml

from . import STANDIN_NOTE, catalog
from .config import ConfigError, load, validate
from .httpkit import StartError, log

# What `jaeger` runs without --config: the all-in-one defaults (memory storage, localhost).
JAEGER_ALL_IN_ONE = {
    "service": {"extensions": ["jaeger_storage", "jaeger_query", "healthcheckv2"],
                "pipelines": {"traces": {"receivers": ["otlp"], "processors": ["batch"],
                                         "exporters": ["jaeger_storage_exporter"]}}},
    "extensions": {"healthcheckv2": {"use_v2": True, "http": {"endpoint": "localhost:13133"}},
                   "jaeger_query": {"storage": {"traces": "some_storage"}},
                   "jaeger_storage": {"backends": {"some_storage": {"memory": {"max_traces": 100000}}}}},
    "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "localhost:4317"},
                                         "http": {"endpoint": "localhost:4318"}}}},
    "processors": {"batch": {}},
    "exporters": {"jaeger_storage_exporter": {"trace_storage": "some_storage"}},
}


class Product:
    def __init__(self, distribution, prog, version, title):
        self.distribution, self.prog, self.version, self.title = distribution, prog, version, title

    def version_line(self):
        return "%s version %s (%s, not %s)" % (self.prog, self.version, STANDIN_NOTE, self.title)


def _parse(argv):
    """Cobra-style flags: --config (repeatable), --set, --feature-gates; one optional subcommand."""
    command, configs, rest = None, [], list(argv)
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg in ("-v", "--version"):
            return "version", configs
        if arg in ("-h", "--help"):
            return "help", configs
        if arg.startswith("--config=") or arg.startswith("--set=") or arg.startswith("--feature-gates="):
            name, _sep, value = arg.partition("=")
            if name == "--config":
                configs.append(value)
            elif name == "--set":
                configs.append("yaml:" + _set_to_yaml(value))
        elif arg in ("--config", "--set", "--feature-gates"):
            if i + 1 >= len(rest):
                raise ConfigError("flag needs an argument: %s" % arg)
            if arg == "--config":
                configs.append(rest[i + 1])
            elif arg == "--set":
                configs.append("yaml:" + _set_to_yaml(rest[i + 1]))
            i += 1
        elif arg.startswith("-"):
            raise ConfigError("unknown flag: %s" % arg)
        elif command is None:
            command = arg
        else:
            raise ConfigError("unknown command %r" % arg)
        i += 1
    return command or "run", configs


def _set_to_yaml(expr):
    key, _sep, value = expr.partition("=")
    node = yaml.safe_load(value) if value else None
    for part in reversed(key.replace("::", ".").split(".")):
        node = {part: node}
    return yaml.safe_dump(node)


def _components(product):
    data = {"buildinfo": {"command": product.prog, "description": "%s (%s)" % (product.title, STANDIN_NOTE),
                          "version": product.version}}
    for kind in catalog.KINDS:
        data[kind] = [{"name": name} for name in sorted(catalog.known_types(product.distribution, product.version,
                                                                            kind))]
    return yaml.safe_dump(data, sort_keys=False)


def _load_checked(product, configs):
    if not configs:
        if product.distribution == "jaeger":
            cfg = JAEGER_ALL_IN_ONE
        else:
            raise ConfigError("at least one config flag must be provided")
    else:
        cfg = load(configs)
    for warning in validate(cfg, product.distribution, product.version):
        log("warn", warning)
    return cfg


def main(distribution, prog, version, title, argv=None):
    product = Product(distribution, prog, version, title)
    argv = sys.argv[1:] if argv is None else argv
    try:
        command, configs = _parse(argv)
    except ConfigError as exc:
        sys.stderr.write("Error: %s\n" % exc)
        return 1
    if command == "version":
        print(product.version_line())
        return 0
    if command == "help":
        print("Usage:\n  %s [flags]\n  %s [command]\n\nAvailable Commands:\n  components\n  validate\n  version\n\n"
              "Flags:\n      --config -config=file:/path/to/first --config=file:path/to/second\n"
              "      --feature-gates\n      --set\n  -v, --version\n\n%s" % (prog, prog, product.version_line()))
        return 0
    if command == "components":
        sys.stdout.write(_components(product))
        return 0
    if command not in ("run", "validate"):
        sys.stderr.write("Error: unknown command %r for %r\n" % (command, prog))
        return 1
    try:
        cfg = _load_checked(product, configs)
    except ConfigError as exc:
        sys.stderr.write("Error: %s\n" % exc)
        return 1
    if command == "validate":
        return 0
    return _run(product, cfg, configs)


def _run(product, cfg, configs):
    from .runtime import Runtime

    reload_requested, stop_requested = [], []
    signal.signal(signal.SIGHUP, lambda *_: reload_requested.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append(True))
    signal.signal(signal.SIGINT, lambda *_: stop_requested.append(True))
    log("info", "Starting %s..." % product.prog, Version=product.version, NumCPU=os.cpu_count(),
        note=STANDIN_NOTE)
    runtime = Runtime(cfg, product.distribution, product.version, product.prog)
    try:
        runtime.start()
    except StartError as exc:
        log("error", "collector server run finished with error", error=str(exc))
        sys.stderr.write("Error: cannot start pipelines: %s\n" % exc)
        return 1
    while not stop_requested:
        time.sleep(0.2)
        if reload_requested:
            reload_requested.clear()
            log("info", "Received signal from OS", signal="hangup")
            try:
                _load_checked(product, configs)
            except ConfigError as exc:
                # The real Collector ends the process when a reload fails.
                log("error", "collector server run finished with error", error="failed to reload config: %s" % exc)
                sys.stderr.write("Error: failed to get config: %s\n" % exc)
                return 1
            log("info", "Config updated, restart service")
            # Listening sockets are not inheritable: the re-executed process binds them anew.
            os.execv(sys.executable, [sys.executable] + sys.argv)
    log("info", "Received signal from OS", signal="terminated")
    log("info", "Shutdown complete.")
    return 0
