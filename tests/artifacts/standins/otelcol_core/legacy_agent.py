"""`jaeger-agent` 1.62.0 TEST STAND-IN (the last release that shipped the v1 agent).

Parses the agent's flags (pflag style: --name=value, --name value, bare booleans), refuses
unknown ones, answers the admin health endpoint (`:14271/`, "Server available") and
`/metrics`, binds the Thrift UDP processors (6831 compact, 6832 binary, 5775 zipkin-compact)
and the sampling HTTP server (5778). It counts datagrams; it does not speak gRPC to the
collector, which the log says.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time

from . import STANDIN_NOTE
from .httpkit import Metrics, Response, StartError, UDPListener, http_server, log

BOOL_FLAGS = {"reporter.grpc.tls.enabled", "reporter.grpc.tls.skip-host-verify", "admin.http.tls.enabled"}
FLAGS = {
    "admin.http.host-port": ":14271",
    "admin.http.tls.enabled": "false",
    "agent.tags": "",
    "config-file": "",
    "http-server.host-port": ":5778",
    "log-level": "info",
    "metrics-backend": "prometheus",
    "metrics-http-route": "/metrics",
    "reporter.grpc.conn-check-timeout": "1s",
    "reporter.grpc.discovery.min-peers": "3",
    "reporter.grpc.host-port": "",
    "reporter.grpc.retry.max": "3",
    "reporter.grpc.tls.ca": "",
    "reporter.grpc.tls.cert": "",
    "reporter.grpc.tls.enabled": "false",
    "reporter.grpc.tls.key": "",
    "reporter.grpc.tls.server-name": "",
    "reporter.grpc.tls.skip-host-verify": "false",
    "reporter.type": "grpc",
}
for _proc, _port in (("jaeger-compact", 6831), ("jaeger-binary", 6832), ("zipkin-compact", 5775)):
    FLAGS.update({
        "processor.%s.server-host-port" % _proc: ":%d" % _port,
        "processor.%s.server-max-packet-size" % _proc: "65000",
        "processor.%s.server-queue-size" % _proc: "1000",
        "processor.%s.server-socket-buffer-size" % _proc: "0",
        "processor.%s.workers" % _proc: "10",
    })


class FlagError(Exception):
    pass


def parse(argv):
    values, command, i = dict(FLAGS), None, 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return "help", values
        if arg == "--version":
            return "version", values
        if arg.startswith("--"):
            name, sep, value = arg[2:].partition("=")
            if name not in FLAGS:
                raise FlagError("unknown flag: --%s" % name)
            if not sep:
                if name in BOOL_FLAGS:
                    value = "true"
                elif i + 1 < len(argv):
                    i += 1
                    value = argv[i]
                else:
                    raise FlagError("flag needs an argument: --%s" % name)
            if name in BOOL_FLAGS and value not in ("true", "false"):
                raise FlagError('invalid argument "%s" for "--%s" flag: strconv.ParseBool: parsing "%s": '
                                'invalid syntax' % (value, name, value))
            values[name] = value
        elif command is None:
            command = arg
        else:
            raise FlagError("unknown command %r for \"jaeger-agent\"" % arg)
        i += 1
    return command or "run", values


def parse_tags(text):
    tags = {}
    for item in [t for t in text.split(",") if t.strip()]:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise FlagError("invalid agent tag %r: expected key=value" % item)
        value = value.strip()
        if value.startswith("${") and value.endswith("}"):
            env, _sep, default = value[2:-1].partition(":")
            value = os.environ.get(env, default)
        tags[key.strip()] = value
    return tags


def _endpoint(hostport):
    return ("0.0.0.0" + hostport) if hostport.startswith(":") else hostport


def main(version, argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        command, flags = parse(argv)
        tags = parse_tags(flags["agent.tags"])
    except FlagError as exc:
        sys.stderr.write("Error: %s\n" % exc)
        return 1
    if command == "version":
        print(json.dumps({"gitCommit": "", "gitVersion": "v" + version, "buildDate": "",
                          "note": "%s, not Jaeger" % STANDIN_NOTE}))
        return 0
    if command == "help":
        print("Jaeger agent is a daemon program that runs on every host and receives tracing data submitted by "
              "Jaeger client libraries.\n(%s)\n\nFlags:\n%s" % (STANDIN_NOTE, "\n".join(
                  "      --%s (default %r)" % (k, v) for k, v in sorted(FLAGS.items()))))
        return 0
    if command != "run":
        sys.stderr.write("Error: unknown command %r for \"jaeger-agent\"\n" % command)
        return 1
    collectors = [h for h in flags["reporter.grpc.host-port"].split(",") if h]
    if not collectors:
        sys.stderr.write("Error: could not create collector proxy: at least one collector hostPort address is "
                         "required when resolver is not available\n")
        return 1
    started, metrics = time.time(), Metrics()
    log("info", "Starting agent (%s)" % STANDIN_NOTE, version=version, collectors=collectors, tags=tags)
    log("warn", "the stand-in counts Thrift datagrams; it does not forward them over gRPC to the collector")

    def admin(req):
        if req.path == "/":
            return Response(200, {"status": "Server available",
                                  "upSince": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                                  "uptime": "%.3fs" % (time.time() - started)})
        if req.path == flags["metrics-http-route"]:
            metrics.set("jaeger_agent_build_info", {"version": version, "vigil_standin": "true"}, 1)
            return Response(200, metrics.render(), content_type="text/plain; version=0.0.4")
        return Response(404, "404 page not found\n")

    def sampling(req):
        if req.path not in ("/sampling", "/", "/baggageRestrictions"):
            return Response(404, "404 page not found\n")
        return Response(500, "collector error: the stand-in cannot reach %s over gRPC\n" % collectors[0])

    listeners = []
    try:
        listeners.append(http_server("admin", _endpoint(flags["admin.http.host-port"]), admin))
        listeners.append(http_server("sampling", _endpoint(flags["http-server.host-port"]), sampling))
        for proc, model, proto in (("jaeger-compact", "jaeger", "compact"), ("jaeger-binary", "jaeger", "binary"),
                                   ("zipkin-compact", "zipkin", "compact")):
            labels = {"model": model, "protocol": proto}
            listeners.append(UDPListener(proc, _endpoint(flags["processor.%s.server-host-port" % proc]),
                                         lambda _data, lb=labels: metrics.add(
                                             "jaeger_agent_thrift_udp_server_packets_processed_total", lb)))
    except StartError as exc:
        sys.stderr.write("Error: %s\n" % exc)
        return 1
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, lambda *_: stop.append(True))
    while not stop:
        time.sleep(0.2)
    log("info", "Shutting down")
    return 0
