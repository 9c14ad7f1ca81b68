"""Running a validated configuration: listeners, pipelines and the components the roles use.

Telemetry travels as OTLP/JSON dictionaries. What works end to end: OTLP/HTTP (JSON) in and
out, span/resource attribute processors, sampling processors, spanmetrics -> prometheus
exporter, Jaeger storage (memory; badger as a JSON-lines file under its values directory) and
the Jaeger query HTTP API, remote sampling from a strategies file, health and self-metrics.
gRPC, Thrift and Kafka endpoints are bound (so ports and conflicts are real) but their traffic
is only counted or refused; the log says so.
"""
from __future__ import annotations

import copy
import ctypes
import ctypes.util
import base64
import hashlib
import hmac
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from . import catalog
from .config import split_id
from .httpkit import (Metrics, Response, StartError, TCPSink, UDPListener, client_tls_context, format_labels,
                      http_server, log)

SPAN_KINDS = {0: "SPAN_KIND_UNSPECIFIED", 1: "SPAN_KIND_INTERNAL", 2: "SPAN_KIND_SERVER", 3: "SPAN_KIND_CLIENT",
              4: "SPAN_KIND_PRODUCER", 5: "SPAN_KIND_CONSUMER"}
STATUS_CODES = {0: "STATUS_CODE_UNSET", 1: "STATUS_CODE_OK", 2: "STATUS_CODE_ERROR"}
DEFAULT_BUCKETS_MS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000]


# --- OTLP/JSON helpers ------------------------------------------------------

def attr_value(value):
    if not isinstance(value, dict):
        return value
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in value:
            return value[key]
    if "intValue" in value:
        return int(value["intValue"])
    return json.dumps(value)


def attrs_to_dict(attrs):
    return {a.get("key"): attr_value(a.get("value")) for a in attrs or []}


def dict_to_attrs(values):
    out = []
    for key, value in values.items():
        if isinstance(value, bool):
            out.append({"key": key, "value": {"boolValue": value}})
        elif isinstance(value, int):
            out.append({"key": key, "value": {"intValue": str(value)}})
        elif isinstance(value, float):
            out.append({"key": key, "value": {"doubleValue": value}})
        else:
            out.append({"key": key, "value": {"stringValue": str(value)}})
    return out


def spans_of(data):
    for rs in data.get("resourceSpans") or []:
        for ss in rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []:
            for span in ss.get("spans") or []:
                yield rs, span


def count_spans(data):
    return sum(1 for _pair in spans_of(data))


def _kind(span):
    kind = span.get("kind", 0)
    if isinstance(kind, str):
        return kind if kind.startswith("SPAN_KIND") else "SPAN_KIND_" + kind.upper()
    return SPAN_KINDS.get(int(kind), "SPAN_KIND_UNSPECIFIED")


def _status(span):
    code = (span.get("status") or {}).get("code", 0)
    if isinstance(code, str):
        return code if code.startswith("STATUS_CODE") else "STATUS_CODE_" + code.upper()
    return STATUS_CODES.get(int(code), "STATUS_CODE_UNSET")


def _duration_ms(span):
    try:
        return max(0.0, (int(span.get("endTimeUnixNano", 0)) - int(span.get("startTimeUnixNano", 0))) / 1e6)
    except (TypeError, ValueError):
        return 0.0


def _trace_hash(trace_id):
    digest = hashlib.sha256(str(trace_id).lower().encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10000  # 0..9999


def parse_duration(text, default):
    if text is None:
        return default
    if isinstance(text, (int, float)):
        return float(text) / 1e9  # Go durations as numbers are nanoseconds
    total, found = 0.0, False
    for number, unit in re.findall(r"([0-9.]+)(ns|us|µs|ms|s|m|h)", str(text)):
        found = True
        total += float(number) * {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}[unit]
    return total if found else default


def _apply_actions(values, actions):
    for action in actions or []:
        key, kind = action.get("key"), action.get("action")
        if "value" in action:
            new = action["value"]
        elif action.get("from_attribute") in values:
            new = values[action["from_attribute"]]
        else:
            new = None
        if kind == "insert" and key not in values and new is not None:
            values[key] = new
        elif kind == "update" and key in values and new is not None:
            values[key] = new
        elif kind == "upsert" and new is not None:
            values[key] = new
        elif kind == "delete":
            values.pop(key, None)
        elif kind == "hash" and key in values:
            values[key] = hashlib.sha256(str(values[key]).encode()).hexdigest()
    return values


# --- authenticators ----------------------------------------------------------

# crypt(3) returns a static buffer: two requests checked at once (the HTTP servers are threaded)
# would read each other's hash and refuse a right password. One caller at a time.
_CRYPT_LOCK = threading.Lock()


def _libcrypt():
    name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
    lib = ctypes.CDLL(name)
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    return lib


def _crypt(password, setting):
    """crypt(3) of ``password`` with ``setting`` (bytes), or None."""
    with _CRYPT_LOCK:
        result = _libcrypt().crypt(password, setting)
        return None if result is None else bytes(result)


class BearerTokenAuth:
    sides = ("server", "client")

    def __init__(self, cid, cfg):
        self.cid, self.cfg = cid, cfg
        self.header = cfg.get("header") or "Authorization"
        self.scheme = cfg.get("scheme", "Bearer")
        if cfg.get("filename") and not os.path.exists(cfg["filename"]):
            raise StartError("%s: failed to read the token file %s: no such file or directory" % (cid, cfg["filename"]))

    def _tokens(self):
        if self.cfg.get("filename"):
            with open(self.cfg["filename"], encoding="utf-8") as handle:
                return [handle.read().strip()]
        return [str(t) for t in (self.cfg.get("tokens") or [self.cfg.get("token")]) if t]

    def authenticate(self, headers):
        got = headers.get(self.header) or ""
        prefix = (self.scheme + " ") if self.scheme else ""
        return any(hmac.compare_digest(got, prefix + token) for token in self._tokens())

    def client_headers(self):
        prefix = (self.scheme + " ") if self.scheme else ""
        return {self.header: prefix + self._tokens()[0]}


class BasicAuth:
    """basicauth: a server authenticator (htpasswd) or a client one (client_auth), never both."""

    def __init__(self, cid, cfg):
        self.cid, self.cfg, self.users = cid, cfg, {}
        self.sides = ("client",) if cfg.get("client_auth") else ("server",)
        htpasswd = cfg.get("htpasswd") or {}
        lines = []
        if htpasswd.get("file"):
            try:
                with open(htpasswd["file"], encoding="utf-8") as handle:
                    lines += handle.read().splitlines()
            except OSError as exc:
                raise StartError("%s: open %s: %s" % (cid, htpasswd["file"], exc.strerror)) from None
        lines += str(htpasswd.get("inline") or "").splitlines()
        for line in lines:
            if ":" in line.strip():
                user, _sep, hashed = line.strip().partition(":")
                self.users[user] = hashed

    def _check(self, hashed, password):
        if hashed.startswith("{SHA}"):
            return hmac.compare_digest(hashed[5:], base64.b64encode(hashlib.sha1(password.encode()).digest()).decode())
        if hashed.startswith("$"):
            setting = hashed.replace("$2y$", "$2b$", 1)
            result = _crypt(password.encode(), setting.encode())
            return result is not None and hmac.compare_digest(result.decode(), setting)
        return False

    def authenticate(self, headers):
        got = headers.get("Authorization") or ""
        if not got.startswith("Basic "):
            return False
        try:
            user, _sep, password = base64.b64decode(got[6:]).decode().partition(":")
        except ValueError:
            return False
        return user in self.users and self._check(self.users[user], password)

    def client_headers(self):
        client = self.cfg.get("client_auth") or {}
        token = base64.b64encode(("%s:%s" % (client.get("username", ""), client.get("password", ""))).encode())
        return {"Authorization": "Basic " + token.decode()}


# --- storage -----------------------------------------------------------------

class SpanStore:
    """Jaeger trace storage: memory, or badger kept as JSON lines in its values directory."""

    def __init__(self, name, kind, cfg):
        self.name, self.kind, self.lock = name, kind, threading.Lock()
        self.records, self.path = [], None
        self.max_traces = int((cfg or {}).get("max_traces") or 100000)
        if kind == "badger" and not (cfg or {}).get("ephemeral"):
            dirs = cfg.get("directories") or {}
            for directory in (dirs.get("keys"), dirs.get("values")):
                try:
                    os.makedirs(directory, exist_ok=True)
                except OSError as exc:
                    raise StartError("jaeger_storage: badger: cannot create %s: %s" % (directory, exc.strerror)) from None
            self.path = os.path.join(dirs["values"], "vigil-standin-spans.jsonl")
            if os.path.exists(self.path):
                with open(self.path, encoding="utf-8") as handle:
                    self.records = [json.loads(line) for line in handle if line.strip()]
        elif kind in ("elasticsearch", "opensearch"):
            log("warn", "%s: the stand-in keeps %s spans in memory (no %s client)" % (name, kind, kind),
                server_urls=(cfg or {}).get("server_urls"))

    def write(self, data):
        records = []
        for rs, span in spans_of(data):
            resource = attrs_to_dict((rs.get("resource") or {}).get("attributes"))
            records.append({
                "traceId": str(span.get("traceId", "")).lower(), "spanId": str(span.get("spanId", "")).lower(),
                "parentSpanId": str(span.get("parentSpanId", "")).lower(), "name": span.get("name", ""),
                "kind": _kind(span), "status": _status(span),
                "start": int(span.get("startTimeUnixNano", 0) or 0), "end": int(span.get("endTimeUnixNano", 0) or 0),
                "attributes": attrs_to_dict(span.get("attributes")), "resource": resource})
        with self.lock:
            self.records.extend(records)
            traces = list(dict.fromkeys(r["traceId"] for r in self.records))
            if len(traces) > self.max_traces:
                keep = set(traces[-self.max_traces:])
                self.records = [r for r in self.records if r["traceId"] in keep]
            if self.path:
                with open(self.path, "a", encoding="utf-8") as handle:
                    for record in records:
                        handle.write(json.dumps(record, sort_keys=True) + "\n")
        return len(records)

    def snapshot(self):
        with self.lock:
            return list(self.records)


# --- the runtime -------------------------------------------------------------

class Runtime:
    def __init__(self, cfg, distribution, version, prog):
        self.cfg, self.distribution, self.version, self.prog = cfg, distribution, version, prog
        self.metrics = Metrics()
        self.listeners = []
        self.started = time.time()
        # Health answers "starting" (503) until every receiver is bound, as the product's does.
        self.ready = False
        self.extensions = {}
        self.stores = {}
        self.metric_backends = {}
        self.pipelines = {}
        self.exporters = {}
        self.prom_series = {}  # prometheus exporter id -> {(name, labels): value}
        self.prom_types = {}
        self.span_aggregates = {}  # spanmetrics connector id -> aggregates
        self.queues = {}
        self.warned = set()

    # ---- helpers
    def warn_once(self, key, message, **fields):
        if key not in self.warned:
            self.warned.add(key)
            log("warn", message, **fields)

    def authenticator(self, auth, side="server"):
        """The started extension a component's ``auth`` names, on the side it is used (a receiver's
        is a server authenticator, an exporter's a client one), as the Collector resolves it."""
        if not auth:
            return None
        cid = auth.get("authenticator")
        ext = self.extensions.get(cid)
        if ext is None:
            raise StartError("failed to resolve authenticator %r: authenticator not found" % cid)
        if side not in getattr(ext, "sides", ()):
            raise StartError("failed to resolve authenticator %r: requested authenticator is not a %s authenticator"
                             % (cid, side))
        return ext

    # ---- startup
    def start(self):
        service = self.cfg.get("service") or {}
        for xid in service.get("extensions") or []:
            self._start_extension(xid, (self.cfg.get("extensions") or {}).get(xid) or {})
        self.pipelines = {pid: p or {} for pid, p in (service.get("pipelines") or {}).items()}
        used_exporters = {e for p in self.pipelines.values() for e in p.get("exporters") or []}
        for eid in used_exporters:
            if eid in (self.cfg.get("exporters") or {}):
                self._start_exporter(eid, (self.cfg.get("exporters") or {}).get(eid) or {})
        used_receivers = {r for p in self.pipelines.values() for r in p.get("receivers") or []}
        for rid in sorted(used_receivers):
            if rid in (self.cfg.get("receivers") or {}):
                self._start_receiver(rid, (self.cfg.get("receivers") or {}).get(rid) or {})
        self._start_telemetry(service.get("telemetry") or {})
        self.ready = True
        log("info", "Everything is ready. Begin running and processing data.")

    def _listen_http(self, name, endpoint, route, tls=None):
        self.listeners.append(http_server(name, endpoint, route, tls=tls))

    # ---- extensions
    def _start_extension(self, xid, xcfg):
        xtype = split_id(xid)[0]
        if xtype == "healthcheckv2":
            if xcfg.get("use_v2"):
                http = xcfg.get("http") if "http" in xcfg else ({} if "grpc" not in xcfg else None)
                if http is not None:
                    path = ((http or {}).get("status") or {}).get("path", "/status")
                    self._listen_http(xid, (http or {}).get("endpoint", "localhost:13133"),
                                      self._health_v2_route(path), tls=(http or {}).get("tls"))
                if xcfg.get("grpc") is not None:
                    grpc_endpoint = (xcfg.get("grpc") or {}).get("endpoint", "localhost:13132")
                    self.listeners.append(TCPSink(xid + "/grpc", grpc_endpoint))
            else:
                self._listen_http(xid, xcfg.get("endpoint", "localhost:13133"),
                                  self._health_v1_route(xcfg.get("path", "/")))
        elif xtype == "health_check":
            self._listen_http(xid, xcfg.get("endpoint", "localhost:13133"),
                              self._health_v1_route(xcfg.get("path", "/")), tls=xcfg.get("tls"))
        elif xtype == "bearertokenauth":
            self.extensions[xid] = BearerTokenAuth(xid, xcfg)
        elif xtype == "basicauth":
            self.extensions[xid] = BasicAuth(xid, xcfg)
        elif xtype == "jaeger_storage":
            for name, backend in (xcfg.get("backends") or {}).items():
                kind, bcfg = next(iter(backend.items()))
                self.stores[name] = SpanStore(name, kind, bcfg or {})
            for name, backend in (xcfg.get("metric_backends") or {}).items():
                self.metric_backends[name] = backend
        elif xtype == "jaeger_query":
            self._start_query(xid, xcfg)
        elif xtype == "remote_sampling":
            self._start_sampling(xid, xcfg)
        elif xtype in ("zpages", "pprof", "expvar"):
            default = {"zpages": "localhost:55679", "pprof": "localhost:1777", "expvar": "localhost:27777"}[xtype]
            self._listen_http(xid, xcfg.get("endpoint", default),
                              lambda req, t=xtype: Response(200, "%s (stand-in)\n" % t))
        self.extensions.setdefault(xid, xcfg)

    def _health_v2_route(self, path):
        def route(req):
            if req.path != path:
                return Response(404, "404 page not found\n")
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            status = "StatusOK" if self.ready else "StatusStarting"
            return Response(200 if self.ready else 503,
                            {"start_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
                             "healthy": self.ready, "status": status, "error": None, "status_time": now,
                             "components": {"pipeline:%s" % p: {"healthy": self.ready, "status": status}
                                            for p in self.pipelines}})
        return route

    def _health_v1_route(self, path):
        def route(req):
            if req.path != path:
                return Response(404, "404 page not found\n")
            uptime = time.time() - self.started
            return Response(200 if self.ready else 503,
                            {"status": "Server available" if self.ready else "Server not available",
                             "upSince": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
                             "uptime": "%.3fs" % uptime})
        return route

    def _start_query(self, xid, xcfg):
        storage = xcfg.get("storage") or {}
        store = self.stores.get(storage.get("traces"))
        if store is None:
            raise StartError("%s: cannot find trace storage %r in the jaeger_storage extension"
                             % (xid, storage.get("traces")))
        if storage.get("metrics") and storage["metrics"] not in self.metric_backends:
            raise StartError("%s: cannot find metrics storage %r in the jaeger_storage extension"
                             % (xid, storage["metrics"]))
        ui_config = {}
        ui_file = (xcfg.get("ui") or {}).get("config_file")
        if ui_file:
            try:
                with open(ui_file, encoding="utf-8") as handle:
                    ui_config = json.load(handle)
            except (OSError, ValueError) as exc:
                raise StartError("%s: cannot load the UI configuration %s: %s" % (xid, ui_file, exc)) from None
        base = "/" + str(xcfg.get("base_path") or "/").strip("/")
        base = "" if base == "/" else base
        self._listen_http(xid, (xcfg.get("http") or {}).get("endpoint", "localhost:16686"),
                          self._query_route(store, base, ui_config, storage.get("metrics")),
                          tls=(xcfg.get("http") or {}).get("tls"))
        self.listeners.append(TCPSink(xid + "/grpc", (xcfg.get("grpc") or {}).get("endpoint", "localhost:16685")))

    def _query_route(self, store, base, ui_config, metrics_backend):
        def trace_json(trace_id, records):
            processes, pids, spans = {}, {}, []
            for rec in records:
                key = json.dumps(rec["resource"], sort_keys=True)
                if key not in pids:
                    pids[key] = "p%d" % (len(pids) + 1)
                    tags = {k: v for k, v in rec["resource"].items() if k != "service.name"}
                    processes[pids[key]] = {"serviceName": rec["resource"].get("service.name", "unknown_service"),
                                            "tags": [{"key": k, "type": "string", "value": str(v)}
                                                     for k, v in sorted(tags.items())]}
                spans.append({"traceID": trace_id, "spanID": rec["spanId"], "operationName": rec["name"],
                              "references": ([{"refType": "CHILD_OF", "traceID": trace_id, "spanID": rec["parentSpanId"]}]
                                             if rec["parentSpanId"] else []),
                              "startTime": rec["start"] // 1000, "duration": max(0, rec["end"] - rec["start"]) // 1000,
                              "tags": [{"key": k, "type": "string", "value": str(v)}
                                       for k, v in sorted(rec["attributes"].items())]
                              + [{"key": "span.kind", "type": "string",
                                  "value": rec["kind"].replace("SPAN_KIND_", "").lower()}],
                              "logs": [], "processID": pids[key], "warnings": None})
            return {"traceID": trace_id, "spans": spans, "processes": processes, "warnings": None}

        def envelope(data):
            return {"data": data, "total": len(data), "limit": 0, "offset": 0, "errors": None}

        def route(req):
            if base and not (req.path == base or req.path.startswith(base + "/")):
                return Response(404, "404 page not found\n")
            path = req.path[len(base):] or "/"
            records = store.snapshot()
            if path == "/api/services":
                return Response(200, envelope(sorted({r["resource"].get("service.name", "unknown_service")
                                                      for r in records})))
            match = re.match(r"^/api/services/([^/]+)/operations$", path)
            if match:
                svc = urllib.parse.unquote(match.group(1))
                return Response(200, envelope(sorted({r["name"] for r in records
                                                      if r["resource"].get("service.name") == svc})))
            if path == "/api/traces":
                svc, limit = req.query.get("service"), int(req.query.get("limit", 20))
                if not svc:
                    return Response(400, {"data": None, "total": 0, "limit": 0, "offset": 0,
                                          "errors": [{"code": 400, "msg": "parameter 'service' is required"}]})
                ids = list(dict.fromkeys(r["traceId"] for r in records if r["resource"].get("service.name") == svc))
                ids = ids[-limit:]
                return Response(200, envelope([trace_json(t, [r for r in records if r["traceId"] == t]) for t in ids]))
            match = re.match(r"^/api/traces/([0-9a-fA-F]+)$", path)
            if match:
                tid = match.group(1).lower()
                found = [r for r in records if r["traceId"] == tid]
                if not found:
                    return Response(404, {"data": None, "total": 0, "limit": 0, "offset": 0,
                                          "errors": [{"code": 404, "msg": "trace not found"}]})
                return Response(200, envelope([trace_json(tid, found)]))
            if path.startswith("/api/metrics/"):
                if not metrics_backend:
                    return Response(501, {"errors": [{"code": 501,
                                                      "msg": "SPM is not configured: metrics storage is not set"}]})
                return Response(501, {"errors": [{"code": 501, "msg": "the stand-in does not query Prometheus"}]})
            if path.startswith("/api/"):
                return Response(404, "404 page not found\n")
            page = ("<!doctype html><html><head><title>Jaeger UI</title></head><body>"
                    "<p>Jaeger UI (vigil.observability TEST STAND-IN)</p><script>window.uiConfig=%s</script>"
                    "</body></html>\n" % json.dumps(ui_config))
            return Response(200, page, content_type="text/html; charset=utf-8")
        return route

    def _start_sampling(self, xid, xcfg):
        fcfg = xcfg.get("file")
        if fcfg is None:
            self.warn_once(xid, "%s: adaptive sampling is not implemented by the stand-in" % xid)
        elif fcfg.get("path") and not os.path.exists(fcfg["path"]):
            raise StartError("%s: failed to read sampling strategies file %s: no such file or directory"
                             % (xid, fcfg["path"]))

        def route(req):
            if req.path not in ("/", "/sampling", "/api/sampling"):
                return Response(404, "404 page not found\n")
            service = req.query.get("service")
            if not service:
                return Response(400, "'service' parameter must be provided once\n")
            default = float((fcfg or {}).get("default_sampling_probability", 0.001))
            strategies = {}
            if fcfg and fcfg.get("path"):
                with open(fcfg["path"], encoding="utf-8") as handle:
                    strategies = json.load(handle)
            chosen = strategies.get("default_strategy") or {"type": "probabilistic", "param": default}
            for strat in strategies.get("service_strategies") or []:
                if strat.get("service") == service:
                    chosen = strat
            if chosen.get("type") == "ratelimiting":
                return Response(200, {"strategyType": "RATE_LIMITING",
                                      "rateLimitingSampling": {"maxTracesPerSecond": int(chosen.get("param", 0))}})
            return Response(200, {"strategyType": "PROBABILISTIC",
                                  "probabilisticSampling": {"samplingRate": float(chosen.get("param", default))}})

        if xcfg.get("http") is not None:
            self._listen_http(xid + "/http", (xcfg.get("http") or {}).get("endpoint", "localhost:5778"), route)
        if xcfg.get("grpc") is not None:
            self.listeners.append(TCPSink(xid + "/grpc", (xcfg.get("grpc") or {}).get("endpoint", "localhost:5779")))

    # ---- receivers
    def _start_receiver(self, rid, rcfg):
        rtype = split_id(rid)[0]
        if rtype == "otlp":
            protocols = rcfg.get("protocols") or {}
            if "http" in protocols:
                http = protocols.get("http") or {}
                auth = self.authenticator(http.get("auth"))
                path = http.get("traces_url_path", "/v1/traces")
                self._listen_http(rid + "/http", http.get("endpoint", "localhost:4318"),
                                  self._otlp_route(rid, auth, path), tls=http.get("tls"))
            if "grpc" in protocols:
                grpc = protocols.get("grpc") or {}
                self.authenticator(grpc.get("auth"))
                self.listeners.append(TCPSink(rid + "/grpc", grpc.get("endpoint", "localhost:4317")))
                self.warn_once(rid + "grpc", "%s: the stand-in binds OTLP/gRPC but does not speak gRPC; "
                                             "send OTLP/HTTP (JSON) instead" % rid)
        elif rtype == "jaeger":
            protocols = rcfg.get("protocols") or {}
            defaults = {"grpc": "localhost:14250", "thrift_http": "localhost:14268",
                        "thrift_binary": "localhost:6832", "thrift_compact": "localhost:6831"}
            for proto, pcfg in protocols.items():
                endpoint = (pcfg or {}).get("endpoint", defaults[proto])
                if proto in ("thrift_binary", "thrift_compact"):
                    self.listeners.append(UDPListener("%s/%s" % (rid, proto), endpoint,
                                                      lambda data, p=proto: self._udp(rid, p, data)))
                elif proto == "thrift_http":
                    auth = self.authenticator((pcfg or {}).get("auth"))
                    self._listen_http("%s/%s" % (rid, proto), endpoint, self._thrift_http_route(rid, auth),
                                      tls=(pcfg or {}).get("tls"))
                else:
                    self.authenticator((pcfg or {}).get("auth"))
                    self.listeners.append(TCPSink("%s/%s" % (rid, proto), endpoint))
        elif rtype == "zipkin":
            self._listen_http(rid, rcfg.get("endpoint", "localhost:9411"),
                              lambda req: Response(202, "") if req.method == "POST" else Response(404, ""))

    def _udp(self, rid, proto, data):
        self.metrics.add("vigil_standin_jaeger_udp_datagrams_total", {"receiver": rid, "protocol": proto})
        self.warn_once(rid + proto, "%s: thrift datagrams are counted, not decoded, by the stand-in" % rid)

    def _thrift_http_route(self, rid, auth=None):
        def route(req):
            if req.path != "/api/traces" or req.method != "POST":
                return Response(404, "404 page not found\n")
            if auth is not None and not auth.authenticate(req.headers):
                return Response(401, "Unauthorized\n")
            self.metrics.add("vigil_standin_jaeger_thrift_http_batches_total", {"receiver": rid})
            return Response(202, "")
        return route

    def _otlp_route(self, rid, auth, traces_path):
        def route(req):
            labels = {"receiver": rid, "transport": "http"}
            if req.method != "POST" or req.path not in (traces_path, "/v1/metrics", "/v1/logs"):
                return Response(404, "404 page not found\n")
            if auth is not None and not auth.authenticate(req.headers):
                return Response(401, "Unauthorized\n")
            ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip()
            if ctype != "application/json":
                return Response(415, "the stand-in accepts OTLP/HTTP as application/json only\n")
            try:
                data = json.loads(req.body or b"{}")
            except ValueError as exc:
                return Response(400, {"code": 3, "message": "unable to parse JSON: %s" % exc})
            if req.path != traces_path:
                return Response(200, {"partialSuccess": {}})
            n = count_spans(data)
            self.metrics.add("otelcol_receiver_accepted_spans_total", labels, n)
            self.consume(rid, "traces", data)
            return Response(200, {"partialSuccess": {}})
        return route

    # ---- pipelines
    def consume(self, source, signal, data):
        for pid, pipe in self.pipelines.items():
            if split_id(pid)[0] != signal or source not in (pipe.get("receivers") or []):
                continue
            out = copy.deepcopy(data)
            for proc in pipe.get("processors") or []:
                out = self._process(proc, out)
                if out is None:
                    break
            if out is None:
                continue
            for eid in pipe.get("exporters") or []:
                self._export(eid, signal, copy.deepcopy(out))

    def _process(self, pid, data):
        ptype = split_id(pid)[0]
        pcfg = (self.cfg.get("processors") or {}).get(pid) or {}
        if ptype == "attributes":
            for _rs, span in spans_of(data):
                span["attributes"] = dict_to_attrs(_apply_actions(attrs_to_dict(span.get("attributes")),
                                                                  pcfg.get("actions")))
        elif ptype == "resource":
            for rs in data.get("resourceSpans") or []:
                res = rs.setdefault("resource", {})
                res["attributes"] = dict_to_attrs(_apply_actions(attrs_to_dict(res.get("attributes")),
                                                                 pcfg.get("attributes")))
        elif ptype == "resourcedetection":
            detected = {}
            for detector in pcfg.get("detectors") or []:
                if detector == "env":
                    for pair in os.environ.get("OTEL_RESOURCE_ATTRIBUTES", "").split(","):
                        if "=" in pair:
                            key, _sep, value = pair.partition("=")
                            detected[key.strip()] = value.strip()
                elif detector == "system":
                    sources = (pcfg.get("system") or {}).get("hostname_sources") or ["dns", "os"]
                    detected["host.name"] = socket.getfqdn() if sources[0] == "dns" else socket.gethostname()
                    detected["os.type"] = "linux"
            for rs in data.get("resourceSpans") or []:
                res = rs.setdefault("resource", {})
                values = attrs_to_dict(res.get("attributes"))
                for key, value in detected.items():
                    if pcfg.get("override", True) or key not in values:
                        values[key] = value
                res["attributes"] = dict_to_attrs(values)
        elif ptype == "probabilistic_sampler":
            pct = float(pcfg.get("sampling_percentage", 0))
            data = self._keep(data, lambda tid, _spans: _trace_hash(tid) < pct * 100)
        elif ptype == "tail_sampling":
            data = self._keep(data, lambda tid, spans: self._tail_decision(pcfg, tid, spans))
        return data if data is None or count_spans(data) else None

    @staticmethod
    def _tail_decision(pcfg, trace_id, spans):
        for policy in pcfg.get("policies") or []:
            ptype = policy.get("type")
            if ptype == "always_sample":
                return True
            if ptype == "probabilistic":
                pct = float((policy.get("probabilistic") or {}).get("sampling_percentage", 0))
                if _trace_hash(trace_id) < pct * 100:
                    return True
            if ptype == "status_code":
                wanted = set((policy.get("status_code") or {}).get("status_codes") or [])
                if any(_status(s).replace("STATUS_CODE_", "") in wanted for s in spans):
                    return True
            if ptype == "latency":
                threshold = float((policy.get("latency") or {}).get("threshold_ms", 0))
                if any(_duration_ms(s) >= threshold for s in spans):
                    return True
        return False

    @staticmethod
    def _keep(data, decide):
        by_trace = {}
        for _rs, span in spans_of(data):
            by_trace.setdefault(str(span.get("traceId", "")).lower(), []).append(span)
        keep = {tid for tid, spans in by_trace.items() if decide(tid, spans)}
        for rs in data.get("resourceSpans") or []:
            for ss in rs.get("scopeSpans") or []:
                ss["spans"] = [s for s in ss.get("spans") or [] if str(s.get("traceId", "")).lower() in keep]
        return data

    # ---- exporters and connectors
    def _export(self, eid, signal, data):
        if eid in (self.cfg.get("connectors") or {}):
            self._connect(eid, signal, data)
            return
        etype = catalog.canonical(split_id(eid)[0])
        ecfg = (self.cfg.get("exporters") or {}).get(eid) or {}
        labels = {"exporter": eid}
        if signal == "traces":
            n = count_spans(data)
        else:
            n = len(data)
        if etype == "jaeger_storage_exporter":
            store = self.stores.get(ecfg.get("trace_storage"))
            if store is None:
                self.metrics.add("otelcol_exporter_send_failed_spans_total", labels, n)
                return
            store.write(data)
            self.metrics.add("otelcol_exporter_sent_spans_total", labels, n)
        elif etype == "otlphttp":
            self.queues[eid].put(data, n)
        elif etype == "otlp":
            self.metrics.add("otelcol_exporter_send_failed_spans_total", labels, n)
            self.warn_once(eid, "%s: the stand-in cannot send OTLP/gRPC; data dropped (use OTLP/HTTP)" % eid)
        elif etype == "prometheus":
            with self.metrics.lock:
                series = self.prom_series.setdefault(eid, {})
                for point in data:
                    series[(point["name"], tuple(sorted(point["labels"].items())))] = point["value"]
                    self.prom_types[point["name"]] = point["type"]
        elif etype == "prometheusremotewrite":
            self.metrics.add("otelcol_exporter_send_failed_metric_points_total", labels, n)
            self.warn_once(eid, "%s: the stand-in does not implement remote write; data dropped" % eid)
        elif etype == "debug":
            log("info", "%s: %s" % (eid, signal), items=n)
        else:
            self.metrics.add("otelcol_exporter_sent_spans_total", labels, n)

    def _connect(self, cid, signal, data):
        ctype = split_id(cid)[0]
        ccfg = (self.cfg.get("connectors") or {}).get(cid) or {}
        if ctype == "spanmetrics" and signal == "traces":
            self.consume(cid, "metrics", self._spanmetrics(cid, ccfg, data))
        elif ctype == "forward":
            self.consume(cid, signal, data)

    def _spanmetrics(self, cid, ccfg, data):
        namespace = str(ccfg.get("namespace", "traces.span.metrics")).replace(".", "_")
        prefix = (namespace + "_") if namespace else ""
        buckets = [parse_duration(b, 0) * 1000 for b in ((ccfg.get("histogram") or {}).get("explicit") or {}).get(
            "buckets") or []] or DEFAULT_BUCKETS_MS
        extra = [d.get("name") for d in ccfg.get("dimensions") or [] if isinstance(d, dict)]
        agg = self.span_aggregates.setdefault(cid, {})
        with self.metrics.lock:
            for rs, span in spans_of(data):
                resource = attrs_to_dict((rs.get("resource") or {}).get("attributes"))
                attrs = attrs_to_dict(span.get("attributes"))
                labels = {"service_name": resource.get("service.name", "unknown_service"),
                          "span_name": span.get("name", ""), "span_kind": _kind(span), "status_code": _status(span),
                          "job": resource.get("service.name", "unknown_service")}
                for dim in extra:
                    value = attrs.get(dim, resource.get(dim))
                    if value is not None:
                        labels[dim.replace(".", "_")] = value
                key = tuple(sorted(labels.items()))
                entry = agg.setdefault(key, {"calls": 0, "sum": 0.0, "buckets": [0] * len(buckets)})
                duration = _duration_ms(span)
                entry["calls"] += 1
                entry["sum"] += duration
                for i, bound in enumerate(buckets):
                    if duration <= bound:
                        entry["buckets"][i] += 1
            points = []
            for key, entry in agg.items():
                labels = dict(key)
                points.append({"name": prefix + "calls_total", "type": "counter", "labels": labels,
                               "value": entry["calls"]})
                hist = prefix + "duration_milliseconds"
                for bound, count in zip(buckets, entry["buckets"]):
                    points.append({"name": hist + "_bucket", "type": "histogram",
                                   "labels": dict(labels, le=("%g" % bound)), "value": count})
                points.append({"name": hist + "_bucket", "type": "histogram", "labels": dict(labels, le="+Inf"),
                               "value": entry["calls"]})
                points.append({"name": hist + "_sum", "type": "histogram", "labels": labels, "value": entry["sum"]})
                points.append({"name": hist + "_count", "type": "histogram", "labels": labels,
                               "value": entry["calls"]})
        return points

    def _start_exporter(self, eid, ecfg):
        etype = catalog.canonical(split_id(eid)[0])
        if etype == "otlphttp":
            self.queues[eid] = OTLPHTTPQueue(self, eid, ecfg)
        elif etype == "otlp":
            # gRPC per-RPC credentials (basicauth, bearertokenauth) demand a secure transport
            if self.authenticator(ecfg.get("auth"), "client") is not None and (ecfg.get("tls") or {}).get("insecure"):
                raise StartError("%s: grpc: the credentials require transport level security "
                                 "(use grpc.WithTransportCredentials() to set)" % eid)
        elif etype == "prometheus":
            namespace = ecfg.get("namespace")
            const = ecfg.get("const_labels") or {}

            def route(req, eid=eid):
                if req.path != "/metrics":
                    return Response(404, "404 page not found\n")
                lines, seen = [], set()
                with self.metrics.lock:
                    for (name, labels), value in list(self.prom_series.get(eid, {}).items()):
                        full = ("%s_%s" % (namespace, name)) if namespace else name
                        base = re.sub(r"_(bucket|sum|count)$", "", full) if self.prom_types.get(name) == "histogram" \
                            else full
                        if base not in seen:
                            lines.append("# TYPE %s %s" % (base, self.prom_types.get(name, "untyped")))
                            seen.add(base)
                        lines.append("%s%s %s" % (full, format_labels(dict(dict(labels), **const)), value))
                return Response(200, "\n".join(lines) + "\n", content_type="text/plain; version=0.0.4")
            self._listen_http(eid, ecfg.get("endpoint"), route, tls=ecfg.get("tls"))

    # ---- self-telemetry
    def _start_telemetry(self, telemetry):
        metrics = telemetry.get("metrics") or {}
        if metrics.get("level") == "none":
            return
        addresses = []
        if metrics.get("address"):
            addresses.append(metrics["address"])
        for reader in metrics.get("readers") or []:
            prom = (((reader or {}).get("pull") or {}).get("exporter") or {}).get("prometheus")
            if prom is not None:
                addresses.append("%s:%s" % (prom.get("host", "localhost"), prom.get("port", 8888)))
        if metrics.get("readers") is None and not metrics.get("address"):
            addresses.append("localhost:8888")

        def route(req):
            if req.path != "/metrics":
                return Response(404, "404 page not found\n")
            self.metrics.set("otelcol_process_uptime_seconds_total", {}, round(time.time() - self.started, 3),
                             mtype="counter")
            self.metrics.set("target_info", {"service_name": self.prog, "service_version": self.version,
                                             "vigil_standin": "true"}, 1)
            return Response(200, self.metrics.render(), content_type="text/plain; version=0.0.4")
        for address in addresses:
            self._listen_http("service::telemetry", address, route)


class OTLPHTTPQueue:
    """The sending queue + retry of an OTLP/HTTP exporter (exporterhelper semantics, simplified)."""

    def __init__(self, runtime, eid, ecfg):
        self.runtime, self.eid, self.cfg = runtime, eid, ecfg
        endpoint = str(ecfg.get("endpoint") or "").rstrip("/")
        self.url = ecfg.get("traces_endpoint") or (endpoint + "/v1/traces")
        self.headers = {str(k): str(v) for k, v in (ecfg.get("headers") or {}).items()}
        self.auth = runtime.authenticator(ecfg.get("auth"), "client")
        self.ctx = client_tls_context(ecfg.get("tls")) if self.url.startswith("https") else None
        queue = ecfg.get("sending_queue") or {}
        self.queue_size = int(queue.get("queue_size", 1000))
        retry = ecfg.get("retry_on_failure") or {}
        self.retry = retry.get("enabled", True)
        self.initial = parse_duration(retry.get("initial_interval"), 5.0)
        self.max_interval = parse_duration(retry.get("max_interval"), 30.0)
        self.max_elapsed = parse_duration(retry.get("max_elapsed_time"), 300.0)
        self.timeout = parse_duration(ecfg.get("timeout"), 30.0)
        self.items, self.cond = [], threading.Condition()
        threading.Thread(target=self._loop, name=eid, daemon=True).start()

    def put(self, data, n):
        with self.cond:
            if len(self.items) >= self.queue_size:
                self.runtime.metrics.add("otelcol_exporter_enqueue_failed_spans_total", {"exporter": self.eid}, n)
                return
            self.items.append((data, n, time.time()))
            self.runtime.metrics.set("otelcol_exporter_queue_size", {"exporter": self.eid}, len(self.items))
            self.cond.notify()

    def _send(self, data):
        headers = dict(self.headers, **{"Content-Type": "application/json"})
        if self.auth is not None:
            headers.update(self.auth.client_headers())
        req = urllib.request.Request(self.url, data=json.dumps(data).encode(), headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout, context=self.ctx) as resp:
            return resp.status

    def _loop(self):
        while True:
            with self.cond:
                while not self.items:
                    self.cond.wait()
                data, n, first = self.items[0]
            labels = {"exporter": self.eid}
            delay = self.initial
            while True:
                try:
                    self._send(data)
                    self.runtime.metrics.add("otelcol_exporter_sent_spans_total", labels, n)
                    break
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    permanent = isinstance(exc, urllib.error.HTTPError) and exc.code in (400, 401, 403, 404, 413, 415)
                    if not self.retry or permanent or time.time() - first + delay > self.max_elapsed:
                        self.runtime.metrics.add("otelcol_exporter_send_failed_spans_total", labels, n)
                        log("error", "%s: exporting failed, dropping data" % self.eid, error=str(exc),
                            dropped_items=n)
                        break
                    log("info", "%s: exporting failed, will retry" % self.eid, error=str(exc), interval=delay)
                    time.sleep(delay)
                    delay = min(delay * 1.5, self.max_interval)
            with self.cond:
                self.items.pop(0)
                self.runtime.metrics.set("otelcol_exporter_queue_size", labels, len(self.items))
