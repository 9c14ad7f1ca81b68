"""Which component types each distribution ships (the products' documented component lists).

Jaeger v2's list follows its builder manifest (cmd/jaeger/builder.yaml); otelcol-contrib's is
the subset of its ~200 components a monitoring stack plausibly uses (a type outside it is
reported as unknown, as the real binary would report a type it does not ship).

Exporter names: the Collector renamed ``otlp`` -> ``otlp_grpc`` and ``otlphttp`` -> ``otlp_http``
in 0.144.0 and keeps the old names as deprecated aliases. Jaeger v2 builds on the Collector
core; the stand-in takes Jaeger >= 2.15.0 as the first release on a Collector >= 0.144.0.
"""
from __future__ import annotations

KINDS = ("receivers", "processors", "exporters", "connectors", "extensions")

# Collector core version from which the new OTLP exporter names exist.
NEW_EXPORTER_NAMES_SINCE = {"otelcol-contrib": (0, 144, 0), "jaeger": (2, 15, 0)}

JAEGER = {
    "receivers": {"otlp", "nop", "jaeger", "kafka", "zipkin"},
    "processors": {"batch", "memory_limiter", "tail_sampling", "attributes", "filter", "adaptive_sampling"},
    "exporters": {"debug", "otlp", "otlphttp", "nop", "jaeger_storage_exporter", "kafka", "prometheus"},
    "connectors": {"forward", "spanmetrics"},
    "extensions": {"healthcheckv2", "pprof", "zpages", "basicauth", "sigv4auth", "jaeger_mcp", "jaeger_query",
                   "jaeger_storage", "remote_sampling", "expvar", "remote_storage"},
}

OTELCOL_CONTRIB = {
    "receivers": {"otlp", "nop", "jaeger", "zipkin", "kafka", "prometheus", "hostmetrics", "filelog", "journald",
                  "syslog", "statsd", "docker_stats", "httpcheck", "fluentforward", "carbon", "influxdb",
                  "prometheus_simple", "k8s_cluster", "kubeletstats", "opencensus", "tcplog", "udplog"},
    "processors": {"batch", "memory_limiter", "attributes", "resource", "resourcedetection", "probabilistic_sampler",
                   "tail_sampling", "filter", "transform", "k8sattributes", "groupbytrace", "span",
                   "cumulativetodelta", "deltatocumulative", "metricstransform", "redaction",
                   "interval", "groupbyattrs"},
    "exporters": {"debug", "nop", "otlp", "otlphttp", "prometheus", "prometheusremotewrite", "file", "kafka",
                  "zipkin", "elasticsearch", "opensearch", "loadbalancing"},
    "connectors": {"forward", "spanmetrics", "servicegraph", "count", "routing", "exceptions", "failover",
                   "roundrobin", "sum"},
    "extensions": {"health_check", "healthcheckv2", "pprof", "zpages", "basicauth", "bearertokenauth",
                   "headers_setter", "oauth2client", "file_storage", "jaeger_remote_sampling", "sigv4auth",
                   "oidc", "memory_limiter", "opamp"},
}

DISTRIBUTIONS = {"jaeger": JAEGER, "otelcol-contrib": OTELCOL_CONTRIB}

# Pipeline data types a connector joins: (exporter side, receiver side).
CONNECTOR_TYPES = {
    "spanmetrics": {("traces", "metrics")},
    "servicegraph": {("traces", "metrics")},
    "exceptions": {("traces", "metrics"), ("traces", "logs")},
    "count": {(a, "metrics") for a in ("traces", "metrics", "logs")},
    "forward": {(a, a) for a in ("traces", "metrics", "logs")},
    "routing": {(a, a) for a in ("traces", "metrics", "logs")},
    "failover": {(a, a) for a in ("traces", "metrics", "logs")},
    "roundrobin": {(a, a) for a in ("traces", "metrics", "logs")},
    "sum": {(a, "metrics") for a in ("traces", "metrics", "logs")},
}

# Which pipeline types a receiver/exporter supports (None: all).
SIGNALS = {
    ("receivers", "jaeger"): {"traces"},
    ("receivers", "zipkin"): {"traces"},
    ("receivers", "hostmetrics"): {"metrics"},
    ("receivers", "prometheus"): {"metrics"},
    ("exporters", "jaeger_storage_exporter"): {"traces"},
    ("exporters", "prometheus"): {"metrics"},
    ("exporters", "prometheusremotewrite"): {"metrics"},
    ("processors", "tail_sampling"): {"traces"},
    ("processors", "probabilistic_sampler"): {"traces", "logs"},
    ("processors", "adaptive_sampling"): {"traces"},
}


def parse_version(text):
    parts = []
    for piece in str(text).split("-", 1)[0].split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return tuple((parts + [0, 0, 0])[:3])


def new_exporter_names(distribution, version):
    return parse_version(version) >= NEW_EXPORTER_NAMES_SINCE[distribution]


def known_types(distribution, version, kind):
    types = set(DISTRIBUTIONS[distribution][kind])
    if kind == "exporters" and new_exporter_names(distribution, version):
        types |= {"otlp_grpc", "otlp_http"}
    return types


def deprecated_alias(distribution, version, kind, ctype):
    """The new name when ``ctype`` is a deprecated alias in this version, else None."""
    if kind == "exporters" and new_exporter_names(distribution, version):
        return {"otlp": "otlp_grpc", "otlphttp": "otlp_http"}.get(ctype)
    return None


def canonical(ctype):
    """Behaviour class of a type (aliases behave like their new names)."""
    return {"otlp_grpc": "otlp", "otlp_http": "otlphttp"}.get(ctype, ctype)
