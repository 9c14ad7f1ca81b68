"""Collector configuration: providers, ${...} expansion and the structure rules of `validate`.

Mirrors what the Collector's own ``validate`` reports (messages shaped like the real ones):
unknown top-level or component keys, unknown component types, pipelines referring to
components that are not configured, connectors not used on both sides, service extensions
that are not configured, and the per-component rules of the components the roles render.
It does not bind ports or check storage connectivity (neither does the real ``validate``).
"""
from __future__ import annotations

import os
import re
import urllib.parse

import yaml

from . import catalog


class ConfigError(Exception):
    """A configuration the product would refuse."""


# --- loading -----------------------------------------------------------------

_EXPR = re.compile(r"\$\$|\$\{(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?([^}]*)\}")


def _provider(scheme, value):
    if scheme in (None, "env"):
        name, _sep, default = value.partition(":-")
        if not re.match(r"^[a-zA-Z_][a-zA-Z0-9_]*$", name):
            raise ConfigError("environment variable %r has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$" % name)
        return yaml.safe_load(os.environ.get(name, default)) if os.environ.get(name, default) != "" else None
    if scheme == "file":
        try:
            with open(value, encoding="utf-8") as handle:
                return yaml.safe_load(handle.read())
        except OSError as exc:
            raise ConfigError("unable to read the file %s: %s" % (value, exc.strerror)) from None
    if scheme == "yaml":
        return yaml.safe_load(value)
    raise ConfigError("scheme %r is not supported for uri %r" % (scheme, "%s:%s" % (scheme, value)))


def _expand(node):
    if isinstance(node, dict):
        return {key: _expand(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand(value) for value in node]
    if not isinstance(node, str) or "$" not in node:
        return node
    whole = _EXPR.fullmatch(node)
    if whole and whole.group(0) != "$$":
        return _provider(whole.group(1), whole.group(2))

    def repl(match):
        if match.group(0) == "$$":
            return "$"
        value = _provider(match.group(1), match.group(2))
        if isinstance(value, (dict, list)):
            raise ConfigError("expanding %s: a map or list cannot be embedded in a string" % match.group(0))
        return "" if value is None else str(value)

    return _EXPR.sub(repl, node)


def _merge(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def load(uris):
    """Read and merge the --config sources (later ones win), then expand ${...}."""
    merged = {}
    for uri in uris:
        scheme, sep, rest = uri.partition(":")
        if sep and scheme == "yaml":
            text = rest
        else:
            path = rest if sep and scheme == "file" else uri
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as exc:
                raise ConfigError("cannot retrieve the configuration: unable to read the file %s: %s"
                                  % (path, exc.strerror)) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError("cannot retrieve the configuration: retrieved value (type=string) cannot be used "
                              "as a Conf: %s" % str(exc).replace("\n", " ")) from None
        if data is None:
            continue
        if not isinstance(data, dict):
            raise ConfigError("cannot retrieve the configuration: retrieved value (type=%s) cannot be used as a Conf"
                              % type(data).__name__)
        _merge(merged, data)
    return _expand(merged)


# --- component ids ----------------------------------------------------------

_TYPE = re.compile(r"^[a-zA-Z][0-9a-zA-Z_]{0,62}$")
_NAME = re.compile(r"^[^\s/]+$")


def split_id(cid):
    """'otlp_grpc/jaeger' -> ('otlp_grpc', 'jaeger'); raises ConfigError on a malformed id."""
    ctype, sep, name = str(cid).partition("/")
    if not _TYPE.match(ctype):
        raise ConfigError("in %r id: invalid character(s) in type %r" % (cid, ctype))
    if sep and not _NAME.match(name):
        raise ConfigError("in %r id: the part after / should not be empty" % cid)
    return ctype, name


# --- key schemas of the components the roles render -------------------------

GRPC_SERVER = {"endpoint", "transport", "tls", "auth", "max_recv_msg_size_mib", "max_concurrent_streams",
               "read_buffer_size", "write_buffer_size", "keepalive", "include_metadata"}
HTTP_SERVER = {"endpoint", "tls", "auth", "cors", "include_metadata", "max_request_body_size", "response_headers",
               "compression_algorithms", "read_timeout", "read_header_timeout", "write_timeout", "idle_timeout"}
UDP_SERVER = {"endpoint", "queue_size", "max_packet_size", "workers", "socket_buffer_size"}
TLS_SERVER = {"cert_file", "key_file", "cert_pem", "key_pem", "ca_file", "ca_pem", "client_ca_file",
              "client_ca_file_reload", "min_version", "max_version", "cipher_suites", "reload_interval",
              "include_system_ca_certs_pool", "curve_preferences"}
TLS_CLIENT = {"insecure", "insecure_skip_verify", "ca_file", "ca_pem", "cert_file", "key_file", "cert_pem", "key_pem",
              "server_name_override", "min_version", "max_version", "cipher_suites", "reload_interval",
              "include_system_ca_certs_pool", "curve_preferences"}
EXPORTER_HELPER = {"timeout", "retry_on_failure", "sending_queue"}
GRPC_CLIENT = {"endpoint", "tls", "headers", "compression", "auth", "balancer_name", "keepalive", "wait_for_ready",
               "read_buffer_size", "write_buffer_size", "authority"} | EXPORTER_HELPER
HTTP_CLIENT = {"endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint", "profiles_endpoint", "tls",
               "headers", "compression", "auth", "encoding", "read_buffer_size", "write_buffer_size",
               "max_idle_conns", "max_idle_conns_per_host", "max_conns_per_host", "idle_conn_timeout",
               "disable_keep_alives", "proxy_url", "cookies", "http2_read_idle_timeout", "http2_ping_timeout"} \
    | EXPORTER_HELPER

SCHEMAS = {
    ("receivers", "otlp"): {"protocols": {"grpc": GRPC_SERVER, "http": HTTP_SERVER | {
        "traces_url_path", "metrics_url_path", "logs_url_path"}}},
    ("receivers", "jaeger"): {"protocols": {"grpc": GRPC_SERVER, "thrift_http": HTTP_SERVER,
                                            "thrift_binary": UDP_SERVER, "thrift_compact": UDP_SERVER},
                              "remote_sampling": None},
    ("receivers", "nop"): {},
    ("processors", "batch"): {"send_batch_size", "send_batch_max_size", "timeout", "metadata_keys",
                              "metadata_cardinality_limit"},
    ("processors", "memory_limiter"): {"check_interval", "limit_mib", "spike_limit_mib", "limit_percentage",
                                       "spike_limit_percentage"},
    ("processors", "attributes"): {"actions", "include", "exclude"},
    ("processors", "resource"): {"attributes"},
    ("processors", "probabilistic_sampler"): {"sampling_percentage", "hash_seed", "mode", "sampling_precision",
                                              "fail_closed", "attribute_source", "from_attribute", "sampling_priority"},
    ("processors", "tail_sampling"): {"decision_wait", "num_traces", "expected_new_traces_per_sec", "policies",
                                      "decision_cache", "sample_on_first_match", "drop_pending_traces_on_shutdown"},
    ("exporters", "otlp"): GRPC_CLIENT,
    ("exporters", "otlphttp"): HTTP_CLIENT,
    ("exporters", "prometheus"): {"endpoint", "namespace", "const_labels", "send_timestamps", "metric_expiration",
                                  "resource_to_telemetry_conversion", "enable_open_metrics", "add_metric_suffixes",
                                  "tls", "translation_strategy", "without_scope_info"},
    ("exporters", "prometheusremotewrite"): {"endpoint", "tls", "headers", "auth", "timeout", "namespace",
                                             "external_labels", "resource_to_telemetry_conversion", "target_info",
                                             "retry_on_failure", "remote_write_queue", "max_batch_size_bytes",
                                             "compression", "send_metadata", "add_metric_suffixes",
                                             "protobuf_message", "max_batch_request_parallelism"},
    ("exporters", "jaeger_storage_exporter"): {"trace_storage", "queue", "retry_on_failure", "timeout",
                                               "sending_queue"},
    ("exporters", "debug"): {"verbosity", "sampling_initial", "sampling_thereafter", "use_internal_logger"},
    ("connectors", "spanmetrics"): {"histogram", "dimensions", "exclude_dimensions", "namespace",
                                    "metrics_flush_interval", "metrics_expiration", "aggregation_temporality",
                                    "dimensions_cache_size", "resource_metrics_cache_size", "exemplars", "events",
                                    "resource_metrics_key_attributes", "aggregation_cardinality_limit",
                                    "include_instrumentation_scope", "add_resource_attributes"},
    ("connectors", "forward"): set(),
    ("extensions", "healthcheckv2"): {"use_v2", "http", "grpc", "component_health", "endpoint", "path",
                                      "response_body", "check_collector_pipeline"},
    ("extensions", "health_check"): {"endpoint", "path", "response_body", "check_collector_pipeline", "tls", "auth",
                                     "cors", "include_metadata", "response_headers"},
    ("extensions", "bearertokenauth"): {"scheme", "token", "filename", "tokens", "header"},
    ("extensions", "basicauth"): {"htpasswd", "client_auth"},
    ("extensions", "jaeger_storage"): {"backends", "metric_backends"},
    ("extensions", "jaeger_query"): {"storage", "base_path", "ui", "bearer_token_propagation", "multi_tenancy",
                                     "max_clock_skew_adjust", "enable_tracing", "http", "grpc"},
    ("extensions", "remote_sampling"): {"file", "adaptive", "http", "grpc"},
    ("extensions", "zpages"): {"endpoint", "expvar", "tls", "auth", "cors"},
    ("extensions", "pprof"): {"endpoint", "block_profile_fraction", "mutex_profile_fraction", "save_to_file"},
    ("extensions", "expvar"): {"endpoint", "tls", "auth", "cors"},
}

TRACE_BACKENDS = {"memory", "badger", "cassandra", "elasticsearch", "opensearch", "clickhouse", "grpc"}
METRIC_BACKENDS = {"prometheus", "elasticsearch", "opensearch", "clickhouse"}
PIPELINE_TYPES = ("traces", "metrics", "logs", "profiles")


def _keys(where, value, allowed):
    if value is None:
        return
    if not isinstance(value, dict):
        raise ConfigError("%s: expected a map, got %s" % (where, type(value).__name__))
    if allowed is None:
        return
    names = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
    bad = sorted(str(k) for k in value if k not in names)
    if bad:
        raise ConfigError("%s: decoding failed due to the following error(s):\n\n'' has invalid keys: %s"
                          % (where, ", ".join(bad)))
    if isinstance(allowed, dict):
        for key, sub in allowed.items():
            if sub is not None and value.get(key) is not None:
                _keys("%s::%s" % (where, key), value[key], sub)


def _tls_keys(where, tls, client):
    if tls is not None:
        _keys(where + "::tls", tls, TLS_CLIENT if client else TLS_SERVER)


def _check_url(where, url):
    parts = urllib.parse.urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("%s: %r is not a valid URL" % (where, url))


def _probability(where, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise ConfigError("%s: %r does not validate as range(0|1)" % (where, value))


def _component_rules(kind, ctype, cid, cfg):
    where = "%s::%s" % (kind, cid)
    cfg = cfg or {}
    base = catalog.canonical(ctype)
    schema = SCHEMAS.get((kind, base), None)
    if (kind, base) in SCHEMAS:
        _keys(where, cfg, schema)
    if kind == "receivers" and base in ("otlp", "jaeger"):
        protocols = cfg.get("protocols") or {}
        if not protocols:
            raise ConfigError("%s: must specify at least one protocol when using the %s receiver" % (where, base))
        for name, proto in protocols.items():
            if isinstance(proto, dict):
                _tls_keys("%s::protocols::%s" % (where, name), proto.get("tls"), client=False)
    if kind == "exporters" and base in ("otlp", "otlphttp"):
        if not cfg.get("endpoint") and not cfg.get("traces_endpoint"):
            raise ConfigError("%s: requires a non-empty \"endpoint\"" % where)
        _tls_keys(where, cfg.get("tls"), client=True)
        if base == "otlphttp" and cfg.get("endpoint"):
            _check_url(where + "::endpoint", cfg["endpoint"])
    if kind == "exporters" and base in ("prometheus", "prometheusremotewrite") and not cfg.get("endpoint"):
        raise ConfigError("%s: endpoint must be specified" % where)
    if kind == "exporters" and base == "jaeger_storage_exporter" and not cfg.get("trace_storage"):
        raise ConfigError("%s: TraceStorage: non zero value required" % where)
    if kind == "processors" and base == "probabilistic_sampler":
        pct = cfg.get("sampling_percentage", 0)
        if not isinstance(pct, (int, float)) or pct < 0 or pct > 100:
            raise ConfigError("%s: sampling rate %r must be between 0 and 100" % (where, pct))
    if kind == "processors" and base == "tail_sampling":
        for policy in cfg.get("policies") or []:
            if not isinstance(policy, dict) or not policy.get("name") or not policy.get("type"):
                raise ConfigError("%s: every policy needs a name and a type" % where)
            if policy["type"] == "probabilistic":
                pct = (policy.get("probabilistic") or {}).get("sampling_percentage", 0)
                if not isinstance(pct, (int, float)) or not 0 <= pct <= 100:
                    raise ConfigError("%s: policy %s: sampling_percentage %r out of range"
                                      % (where, policy["name"], pct))
    if kind == "extensions":
        _extension_rules(where, base, cfg)


def _extension_rules(where, base, cfg):
    if base == "bearertokenauth":
        if not cfg.get("token") and not cfg.get("filename") and not cfg.get("tokens"):
            raise ConfigError("%s: no bearer token configured: token, tokens or filename is required" % where)
    if base == "basicauth":
        _keys(where, cfg, {"htpasswd", "client_auth"})
        if cfg.get("htpasswd") and cfg.get("client_auth"):
            raise ConfigError("%s: either server (htpasswd) or client (client_auth) can be configured, not both"
                              % where)
        if not cfg.get("htpasswd") and not cfg.get("client_auth"):
            raise ConfigError("%s: no credential source provided" % where)
        if cfg.get("htpasswd") is not None:
            _keys(where + "::htpasswd", cfg["htpasswd"], {"file", "inline"})
        if cfg.get("client_auth") is not None:
            _keys(where + "::client_auth", cfg["client_auth"], {"username", "password"})
    if base == "healthcheckv2" and cfg.get("http") is not None:
        _keys(where + "::http", cfg["http"], {"endpoint", "status", "config", "tls", "auth", "cors",
                                              "include_metadata", "response_headers"})
    if base == "jaeger_query":
        if not (cfg.get("storage") or {}).get("traces"):
            raise ConfigError("%s: Storage.TracesPrimary: non zero value required" % where)
        _keys(where + "::storage", cfg.get("storage"), {"traces", "traces_archive", "metrics"})
        _keys(where + "::ui", cfg.get("ui"), {"config_file", "assets_path", "log_access"})
    if base == "remote_sampling":
        if cfg.get("file") is None and cfg.get("adaptive") is None:
            raise ConfigError("%s: no sampling strategy provider specified, expecting 'adaptive' or 'file'" % where)
        if cfg.get("file") is not None and cfg.get("adaptive") is not None:
            raise ConfigError("%s: only one sampling strategy provider can be specified, 'adaptive' or 'file'"
                              % where)
        if cfg.get("file") is not None:
            _keys(where + "::file", cfg["file"], {"path", "reload_interval", "default_sampling_probability"})
            if "default_sampling_probability" in (cfg["file"] or {}):
                _probability(where + "::file::default_sampling_probability",
                             cfg["file"]["default_sampling_probability"])
    if base == "jaeger_storage":
        backends = cfg.get("backends") or {}
        for name, backend in backends.items():
            _storage_backend("%s::backends::%s" % (where, name), backend, TRACE_BACKENDS)
        for name, backend in (cfg.get("metric_backends") or {}).items():
            _storage_backend("%s::metric_backends::%s" % (where, name), backend, METRIC_BACKENDS)


def _storage_backend(where, backend, allowed):
    if not isinstance(backend, dict) or len(backend) != 1:
        raise ConfigError("%s: exactly one storage type must be configured" % where)
    stype, scfg = next(iter(backend.items()))
    if stype not in allowed:
        raise ConfigError("%s: unknown storage type %r" % (where, stype))
    scfg = scfg or {}
    if stype in ("elasticsearch", "opensearch"):
        urls = scfg.get("server_urls") or []
        if not urls:
            raise ConfigError("%s: Servers: non zero value required" % where)
        for url in urls:
            _check_url(where + "::server_urls", url)
        _keys(where + "::" + stype + "::auth", scfg.get("auth"), {"basic", "bearer_token"})
        _tls_keys(where + "::" + stype, scfg.get("tls"), client=True)
    if stype == "badger" and not scfg.get("ephemeral", False):
        dirs = scfg.get("directories") or {}
        if not dirs.get("keys") or not dirs.get("values"):
            raise ConfigError("%s: badger: directories.keys and directories.values are required unless ephemeral"
                              % where)
    if stype == "prometheus" and scfg.get("endpoint"):
        _check_url(where + "::prometheus::endpoint", scfg["endpoint"])


# --- validate ----------------------------------------------------------------

def validate(cfg, distribution, version):
    """Raise ConfigError like the product's `validate` would; return the deprecation warnings."""
    warnings = []
    allowed_top = set(catalog.KINDS) | {"service"}
    bad = sorted(str(k) for k in cfg if k not in allowed_top)
    if bad:
        raise ConfigError("'' has invalid keys: %s" % ", ".join(bad))
    defined = {}
    for kind in catalog.KINDS:
        section = cfg.get(kind) or {}
        if not isinstance(section, dict):
            raise ConfigError("'%s' expected a map, got %s" % (kind, type(section).__name__))
        known = catalog.known_types(distribution, version, kind)
        defined[kind] = {}
        for cid, ccfg in section.items():
            ctype, _name = split_id(cid)
            if ctype not in known:
                raise ConfigError("'%s' unknown type: %r for id: %r (valid values: [%s])"
                                  % (kind, ctype, cid, " ".join(sorted(known))))
            alias = catalog.deprecated_alias(distribution, version, kind, ctype)
            if alias:
                warnings.append("%r alias is deprecated; use %r instead (%s)" % (ctype, alias, cid))
            _component_rules(kind, ctype, cid, ccfg)
            defined[kind][cid] = ctype
    service = cfg.get("service")
    if not isinstance(service, dict):
        raise ConfigError("service must be configured with pipelines")
    _keys("service", service, {"extensions", "pipelines", "telemetry"})
    for ext in service.get("extensions") or []:
        if ext not in defined["extensions"]:
            raise ConfigError("service::extensions: references extension %r which is not configured" % ext)
    pipelines = service.get("pipelines") or {}
    if not pipelines:
        raise ConfigError("service must have at least one pipeline")
    used_as_exporter, used_as_receiver = {}, {}
    for pid, pipe in pipelines.items():
        ptype, _name = split_id(pid)
        if ptype not in PIPELINE_TYPES:
            raise ConfigError("service::pipelines: unknown pipeline signal %r" % ptype)
        where = "service::pipelines::%s" % pid
        _keys(where, pipe, {"receivers", "processors", "exporters"})
        pipe = pipe or {}
        if not pipe.get("receivers"):
            raise ConfigError("%s: must have at least one receiver" % where)
        if not pipe.get("exporters"):
            raise ConfigError("%s: must have at least one exporter" % where)
        for rid in pipe.get("receivers") or []:
            if rid in defined["connectors"]:
                used_as_receiver.setdefault(rid, set()).add(ptype)
            elif rid not in defined["receivers"]:
                raise ConfigError("%s: references receiver %r which is not configured" % (where, rid))
            else:
                _signal(where, "receivers", defined["receivers"][rid], rid, ptype)
        for xid in pipe.get("processors") or []:
            if xid not in defined["processors"]:
                raise ConfigError("%s: references processor %r which is not configured" % (where, xid))
            _signal(where, "processors", defined["processors"][xid], xid, ptype)
        if len(set(pipe.get("processors") or [])) != len(pipe.get("processors") or []):
            raise ConfigError("%s: references a processor more than once" % where)
        for eid in pipe.get("exporters") or []:
            if eid in defined["connectors"]:
                used_as_exporter.setdefault(eid, set()).add(ptype)
            elif eid not in defined["exporters"]:
                raise ConfigError("%s: references exporter %r which is not configured" % (where, eid))
            else:
                _signal(where, "exporters", defined["exporters"][eid], eid, ptype)
    for cid, ctype in defined["connectors"].items():
        if cid not in used_as_exporter and cid not in used_as_receiver:
            continue  # like any unused component, an unused connector is simply not built
        if cid not in used_as_receiver:
            raise ConfigError("connectors::%s: must be used as both receiver and exporter but is not used as receiver"
                              % cid)
        if cid not in used_as_exporter:
            raise ConfigError("connectors::%s: must be used as both receiver and exporter but is not used as exporter"
                              % cid)
        supported = catalog.CONNECTOR_TYPES.get(ctype)
        if supported is not None:
            for left in used_as_exporter[cid]:
                for right in used_as_receiver[cid]:
                    if (left, right) not in supported:
                        raise ConfigError("connectors::%s: connector %r cannot connect from %s to %s"
                                          % (cid, ctype, left, right))
    _telemetry(service.get("telemetry"))
    return warnings


def _signal(where, kind, ctype, cid, ptype):
    supported = catalog.SIGNALS.get((kind, catalog.canonical(ctype)))
    if supported is not None and ptype not in supported:
        raise ConfigError("%s: %s %r does not support %s" % (where, kind[:-1], cid, ptype))


def _telemetry(telemetry):
    if telemetry is None:
        return
    _keys("service::telemetry", telemetry, {"logs", "metrics", "traces", "resource"})
    metrics = telemetry.get("metrics") or {}
    _keys("service::telemetry::metrics", metrics, {"level", "address", "readers", "views"})
    if metrics.get("level") not in (None, "none", "basic", "normal", "detailed"):
        raise ConfigError("service::telemetry::metrics::level: unknown metrics level %r" % metrics["level"])
    logs = telemetry.get("logs") or {}
    _keys("service::telemetry::logs", logs, {"level", "development", "encoding", "disable_caller",
                                             "disable_stacktrace", "sampling", "output_paths",
                                             "error_output_paths", "initial_fields", "processors"})


# --- what listens where ------------------------------------------------------

def _hostport(endpoint, default_host="localhost"):
    text = str(endpoint)
    if "://" in text:
        text = urllib.parse.urlsplit(text).netloc
    host, sep, port = text.rpartition(":")
    if not sep:
        return default_host, None
    return (host or "0.0.0.0"), int(port)


def endpoints(cfg):
    """Every address the configuration listens on: [(owner, protocol, host, port)].

    Only the components a pipeline or the service actually starts listen (unused ones are not
    built). Defaults of the upstream components apply where no endpoint is written.
    """
    service = cfg.get("service") or {}
    pipelines = service.get("pipelines") or {}
    used_receivers = {r for p in pipelines.values() for r in (p or {}).get("receivers") or []}
    used_exporters = {e for p in pipelines.values() for e in (p or {}).get("exporters") or []}
    result = []
    for rid, rcfg in (cfg.get("receivers") or {}).items():
        if rid not in used_receivers:
            continue
        rtype = split_id(rid)[0]
        defaults = {"otlp": {"grpc": 4317, "http": 4318},
                    "jaeger": {"grpc": 14250, "thrift_http": 14268, "thrift_binary": 6832, "thrift_compact": 6831},
                    "zipkin": {}}.get(rtype, {})
        if rtype == "zipkin":
            result.append((rid, "tcp") + _hostport((rcfg or {}).get("endpoint", "localhost:9411")))
            continue
        for proto, pcfg in ((rcfg or {}).get("protocols") or {}).items():
            udp = proto in ("thrift_binary", "thrift_compact")
            host, port = _hostport((pcfg or {}).get("endpoint", "localhost:%s" % defaults.get(proto)))
            result.append(("%s/%s" % (rid, proto), "udp" if udp else "tcp", host, port))
    for eid, ecfg in (cfg.get("exporters") or {}).items():
        if eid in used_exporters and split_id(eid)[0] == "prometheus":
            result.append((eid, "tcp") + _hostport((ecfg or {}).get("endpoint", "")))
    started = set(service.get("extensions") or [])
    for xid, xcfg in (cfg.get("extensions") or {}).items():
        if xid not in started:
            continue
        xtype, xcfg = split_id(xid)[0], xcfg or {}
        if xtype == "healthcheckv2":
            if xcfg.get("use_v2"):
                for proto in ("http", "grpc"):
                    if xcfg.get(proto) is not None or (proto == "http" and "grpc" not in xcfg):
                        default = "localhost:13133" if proto == "http" else "localhost:13132"
                        result.append(("%s/%s" % (xid, proto), "tcp")
                                      + _hostport((xcfg.get(proto) or {}).get("endpoint", default)))
            else:
                result.append((xid, "tcp") + _hostport(xcfg.get("endpoint", "localhost:13133")))
        elif xtype == "health_check":
            result.append((xid, "tcp") + _hostport(xcfg.get("endpoint", "localhost:13133")))
        elif xtype == "jaeger_query":
            result.append((xid + "/http", "tcp") + _hostport((xcfg.get("http") or {}).get("endpoint",
                                                                                          "localhost:16686")))
            result.append((xid + "/grpc", "tcp") + _hostport((xcfg.get("grpc") or {}).get("endpoint",
                                                                                          "localhost:16685")))
        elif xtype == "remote_sampling":
            for proto, default in (("http", "localhost:5778"), ("grpc", "localhost:5779")):
                if xcfg.get(proto) is not None:
                    result.append(("%s/%s" % (xid, proto), "tcp")
                                  + _hostport((xcfg.get(proto) or {}).get("endpoint", default)))
        elif xtype in ("zpages", "pprof", "expvar"):
            default = {"zpages": "localhost:55679", "pprof": "localhost:1777", "expvar": "localhost:27777"}[xtype]
            result.append((xid, "tcp") + _hostport(xcfg.get("endpoint", default)))
    metrics = (service.get("telemetry") or {}).get("metrics") or {}
    if metrics.get("level") != "none":
        if metrics.get("address"):
            result.append(("service::telemetry", "tcp") + _hostport(metrics["address"]))
        readers = metrics.get("readers")
        if readers is None and not metrics.get("address"):
            result.append(("service::telemetry", "tcp", "localhost", 8888))
        for reader in readers or []:
            prom = (((reader or {}).get("pull") or {}).get("exporter") or {}).get("prometheus")
            if prom is not None:
                result.append(("service::telemetry", "tcp", prom.get("host", "localhost"), int(prom.get("port", 8888))))
    return result
