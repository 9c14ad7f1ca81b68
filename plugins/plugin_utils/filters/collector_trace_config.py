# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parts of the Collector configurations (Jaeger v2 and otelcol-contrib) the jaeger_agent,
otel_collector and jaeger roles generate: processors, samplers, pipelines and extensions."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.vigil.observability.plugins.module_utils._address import split_hostport
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail as _fail, mapping as _mapping, plain

_AGENT_FLAVORS = ("jaeger", "otelcol")
_SAMPLING = ("none", "probabilistic", "tail")
_SPANMETRICS_OUTPUTS = ("prometheus", "remote_write")


def _settings(name, settings, required):
    if not isinstance(settings, Mapping):
        _fail(name, "expects a dict of settings, not a %s", type(settings).__name__)
    missing = [key for key in required if key not in settings]
    if missing:
        _fail(name, "the settings lack %s", ", ".join(missing))
    return settings


def _percentage(name, probability):
    """A sampling probability in [0, 1] as the percentage the samplers take (4 decimals)."""
    try:
        value = float(probability)
    except (TypeError, ValueError):
        _fail(name, "the sampling probability %r is not a number", probability)
    if not 0 <= value <= 1:
        _fail(name, "the sampling probability %r is not in [0, 1]", probability)
    return round(value * 100, 4)


def jaeger_agent_processors(settings):
    """The processors of the agent's traces pipeline, in pipeline order.

    ``{flavor, host_name, host_tags, tags, sampling_probability, memory_limit_mib, batch_timeout}``.
    The jaeger flavour sets the tags as span attributes (host tags inserted, ``tags`` upserted) and
    samples with ``tail_sampling``; otelcol sets them on the resource, detects the rest of the
    host and samples with ``probabilistic_sampler``. A probability of 1 adds no sampler.
    """
    name = "jaeger_agent_processors"
    s = _settings(name, settings, ("flavor", "host_name", "tags", "sampling_probability", "memory_limit_mib", "batch_timeout"))
    if s["flavor"] not in _AGENT_FLAVORS:
        _fail(name, "flavor must be %s, not %r", " or ".join(_AGENT_FLAVORS), s["flavor"])
    tags = _mapping(name, s["tags"], "tags")
    pct = _percentage(name, s["sampling_probability"])
    procs = {"memory_limiter": {"check_interval": "1s", "limit_mib": s["memory_limit_mib"]}}
    if s["flavor"] == "jaeger":
        host_tags = _mapping(name, s.get("host_tags"), "host_tags")
        actions = [{"key": k, "value": v, "action": "insert"} for k, v in host_tags.items()]
        actions += [{"key": k, "value": v, "action": "upsert"} for k, v in tags.items()]
        procs["attributes/tags"] = {"actions": actions}
        if pct < 100:
            procs["tail_sampling"] = {"decision_wait": "5s", "policies": [
                {"name": "probabilistic", "type": "probabilistic", "probabilistic": {"sampling_percentage": pct}}]}
    else:
        attributes = [{"key": "host.name", "value": s["host_name"], "action": "insert"}]
        attributes += [{"key": k, "value": v, "action": "upsert"} for k, v in tags.items()]
        procs["resource/tags"] = {"attributes": attributes}
        procs["resourcedetection"] = {"detectors": ["env", "system"], "override": False}
        if pct < 100:
            procs["probabilistic_sampler"] = {"sampling_percentage": pct}
    procs["batch"] = {"timeout": s["batch_timeout"]}
    return procs


def otel_collector_traces(settings):
    """The trace path of the otel_collector role: ``{sampler, connectors, pipelines}``.

    ``{jaeger_exporter, sampling, sampling_probability, tail_decision_wait, tail_policies,
    tail_latency_threshold_ms, spanmetrics, spanmetrics_output, spanmetrics_dimensions,
    spanmetrics_flush_interval}``. Sampling applies only on the way to Jaeger (``jaeger_exporter``,
    the exporter id, empty when traces are not forwarded): with span metrics on as well, a second
    pipeline fed by the same receiver samples, so span metrics see every span.
    """
    name = "otel_collector_traces"
    s = _settings(name, settings, ("jaeger_exporter", "sampling", "sampling_probability", "spanmetrics"))
    if s["sampling"] not in _SAMPLING:
        _fail(name, "sampling must be one of %s, not %r", ", ".join(_SAMPLING), s["sampling"])
    jaeger = s["jaeger_exporter"] or ""
    spm = bool(s["spanmetrics"])
    output = s.get("spanmetrics_output", "prometheus")
    if spm and output not in _SPANMETRICS_OUTPUTS:
        _fail(name, "spanmetrics_output must be one of %s, not %r", ", ".join(_SPANMETRICS_OUTPUTS), output)
    pct = _percentage(name, s["sampling_probability"])
    sampler = {}
    if jaeger and s["sampling"] == "probabilistic":
        sampler = {"probabilistic_sampler": {"sampling_percentage": pct}}
    elif jaeger and s["sampling"] == "tail":
        policies = s.get("tail_policies") or [
            {"name": "errors", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}},
            {"name": "slow", "type": "latency", "latency": {"threshold_ms": s.get("tail_latency_threshold_ms", 1000)}},
            {"name": "probabilistic", "type": "probabilistic", "probabilistic": {"sampling_percentage": pct}}]
        sampler = {"tail_sampling": {"decision_wait": s.get("tail_decision_wait", "10s"), "policies": list(policies)}}
    sampling = list(sampler)
    if spm and sampling and jaeger:
        pipelines = {
            "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["spanmetrics"]},
            "traces/jaeger": {"receivers": ["otlp"], "processors": ["memory_limiter"] + sampling + ["batch"], "exporters": [jaeger]}}
    else:
        pipelines = {"traces": {"receivers": ["otlp"], "processors": ["memory_limiter"] + sampling + ["batch"],
                                "exporters": (["spanmetrics"] if spm else []) + ([jaeger] if jaeger else [])}}
    connectors = {}
    if spm:
        pipelines["metrics/spanmetrics"] = {"receivers": ["spanmetrics"],
                                            "exporters": ["prometheus" if output == "prometheus" else "prometheusremotewrite"]}
        spanmetrics = {"metrics_flush_interval": s.get("spanmetrics_flush_interval", "15s")}
        dimensions = s.get("spanmetrics_dimensions") or []
        if isinstance(dimensions, str) or not isinstance(dimensions, (list, tuple)):
            _fail(name, "spanmetrics_dimensions must be a list of attribute names, not %r", dimensions)
        if dimensions:
            spanmetrics["dimensions"] = [{"name": dimension} for dimension in dimensions]
        connectors["spanmetrics"] = spanmetrics
    return {"sampler": sampler, "connectors": connectors, "pipelines": pipelines}


# Legacy Jaeger receivers that can carry the OTLP receivers' TLS and authentication.
LEGACY_SECURED = ("grpc", "thrift_http")


def jaeger_components(settings):
    """The receivers, extensions and service of the jaeger role's configuration.

    ``{otlp_grpc_endpoint, otlp_http_endpoint, otlp_security, legacy_receivers (protocol ->
    listen address; empty: none), health_endpoint, trace_store, trace_backend, metrics_store,
    spm (false, or {prometheus_url}), query ({base_path, ui_config_file, http_endpoint,
    grpc_endpoint}), sampling (false, or {file, default_probability, http_endpoint,
    grpc_endpoint}), auth (false, or {id, htpasswd_file}), log_level, metrics_endpoint}``.
    """
    name = "jaeger_components"
    s = _settings(name, settings, ("otlp_grpc_endpoint", "otlp_http_endpoint", "health_endpoint", "trace_store",
                                   "trace_backend", "metrics_store", "query", "log_level", "metrics_endpoint"))
    security = dict(_mapping(name, s.get("otlp_security"), "otlp_security"))
    legacy = _mapping(name, s.get("legacy_receivers"), "legacy_receivers")
    # Each receiver gets its own copy of the security settings: a shared object would be written as a
    # YAML anchor and alias by some ansible-core versions and not by others.
    receivers = {"otlp": {"protocols": {"grpc": dict({"endpoint": s["otlp_grpc_endpoint"]}, **plain(security)),
                                        "http": dict({"endpoint": s["otlp_http_endpoint"]}, **plain(security))}}}
    if legacy:
        # The legacy gRPC and Thrift HTTP receivers take the OTLP receivers' TLS and authentication
        # (UDP cannot authenticate).
        receivers["jaeger"] = {"protocols": {
            protocol: dict({"endpoint": address}, **(plain(security) if protocol in LEGACY_SECURED else {}))
            for protocol, address in legacy.items()}}
    query = _mapping(name, s["query"], "query")
    storage = {"traces": s["trace_store"]}
    ext = {"healthcheckv2": {"use_v2": True, "http": {"endpoint": s["health_endpoint"]}},
           "jaeger_storage": {"backends": {s["trace_store"]: s["trace_backend"]}},
           "jaeger_query": {"base_path": query.get("base_path", "/"), "storage": storage,
                            "ui": {"config_file": query.get("ui_config_file")},
                            "http": {"endpoint": query.get("http_endpoint")}, "grpc": {"endpoint": query.get("grpc_endpoint")}}}
    spm = s.get("spm") or {}
    if spm:
        spm = _mapping(name, spm, "spm")
        ext["jaeger_storage"]["metric_backends"] = {s["metrics_store"]: {"prometheus": {
            "endpoint": spm.get("prometheus_url"), "normalize_calls": True, "normalize_duration": True}}}
        storage["metrics"] = s["metrics_store"]
    sampling = s.get("sampling") or {}
    if sampling:
        sampling = _mapping(name, sampling, "sampling")
        ext["remote_sampling"] = {"file": {"path": sampling.get("file"),
                                           "default_sampling_probability": float(sampling.get("default_probability", 1.0))},
                                  "http": {"endpoint": sampling.get("http_endpoint")},
                                  "grpc": {"endpoint": sampling.get("grpc_endpoint")}}
    auth = s.get("auth") or {}
    if auth:
        auth = _mapping(name, auth, "auth")
        ext[auth["id"]] = {"htpasswd": {"file": auth["htpasswd_file"]}}
    pipelines = {"traces": {"receivers": ["otlp"] + (["jaeger"] if legacy else []), "processors": ["batch"],
                            "exporters": ["jaeger_storage_exporter"] + (["spanmetrics"] if spm else [])}}
    if spm:
        pipelines["metrics/spanmetrics"] = {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}
    metrics = _listen(name, s["metrics_endpoint"])
    service = {"extensions": list(ext), "pipelines": pipelines,
               "telemetry": {"resource": {"service.name": "jaeger"}, "logs": {"level": s["log_level"]},
                             "metrics": {"level": "basic", "readers": [{"pull": {"exporter": {"prometheus": metrics}}}]}}}
    return {"receivers": receivers, "extensions": ext, "service": service}


def _listen(name, address):
    """``{host, port}`` of the Collector's own Prometheus reader, from ``host:port`` (the host without
    brackets: the reader joins host and port itself), as the ``listen_parts`` filter gives it."""
    try:
        host, port = split_hostport(str(address or ""))
    except ValueError:
        _fail(name, "%r is not a listen address host:port", str(address or ""))
    return {"host": host, "port": port}


def jaeger_sampling_strategies(services, default_probability):
    """``[{service, probability}] | jaeger_sampling_strategies(default)``: Jaeger's file-based
    sampling strategies (probabilistic, per service and by default)."""
    name = "jaeger_sampling_strategies"
    if isinstance(services, str) or not isinstance(services, (list, tuple)):
        _fail(name, "expects a list of {service, probability}, not %r", services)
    strategies = []
    for index, item in enumerate(services):
        if not isinstance(item, Mapping) or not item.get("service") or "probability" not in item:
            _fail(name, "item %d needs a service and a probability (got %r)", index, item)
        _percentage(name, item["probability"])
        strategies.append({"service": item["service"], "type": "probabilistic", "param": float(item["probability"])})
    _percentage(name, default_probability)
    return {"default_strategy": {"type": "probabilistic", "param": float(default_probability)}, "service_strategies": strategies}
