# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jaeger_agent_processors, otel_collector_traces, jaeger_components and jaeger_sampling_strategies."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.collector_trace_config import (
    jaeger_agent_processors, jaeger_components, jaeger_sampling_strategies, otel_collector_traces)

AGENT = {"flavor": "jaeger", "host_name": "web-1", "host_tags": {"host.name": "web-1", "os.type": "linux"},
         "tags": {"env": "lab"}, "sampling_probability": 1.0, "memory_limit_mib": 256, "batch_timeout": "5s"}
TRACES = {"jaeger_exporter": "otlp_grpc/jaeger", "sampling": "none", "sampling_probability": 1.0, "tail_decision_wait": "10s",
          "tail_policies": [], "tail_latency_threshold_ms": 1000, "spanmetrics": True, "spanmetrics_output": "prometheus",
          "spanmetrics_dimensions": [], "spanmetrics_flush_interval": "15s"}
JAEGER = {"otlp_grpc_endpoint": "0.0.0.0:4317", "otlp_http_endpoint": "0.0.0.0:4318", "otlp_security": {}, "legacy_receivers": {},
          "health_endpoint": "0.0.0.0:13133", "trace_store": "main_store", "trace_backend": {"memory": {"max_traces": 10}},
          "metrics_store": "prom_store", "spm": {}, "sampling": {}, "auth": {}, "log_level": "info", "metrics_endpoint": "0.0.0.0:8888",
          "query": {"base_path": "/", "ui_config_file": "/etc/jaeger/ui-config.json", "http_endpoint": "0.0.0.0:16686",
                    "grpc_endpoint": "0.0.0.0:16685"}}


def fails(function, message, *args):
    with pytest.raises(AnsibleFilterError, match="^%s: " % function.__name__) as err:
        function(*args)
    assert message in str(err.value)


# --- jaeger_agent_processors ----------------------------------------------------------------
def test_agent_jaeger_flavour_tags_as_span_attributes_in_order():
    procs = jaeger_agent_processors(AGENT)
    assert list(procs) == ["memory_limiter", "attributes/tags", "batch"]
    assert procs["memory_limiter"] == {"check_interval": "1s", "limit_mib": 256}
    assert procs["attributes/tags"]["actions"] == [
        {"key": "host.name", "value": "web-1", "action": "insert"}, {"key": "os.type", "value": "linux", "action": "insert"},
        {"key": "env", "value": "lab", "action": "upsert"}]
    assert procs["batch"] == {"timeout": "5s"}


def test_agent_jaeger_flavour_samples_at_the_tail():
    procs = jaeger_agent_processors(dict(AGENT, sampling_probability="0.25"))
    assert list(procs) == ["memory_limiter", "attributes/tags", "tail_sampling", "batch"]
    assert procs["tail_sampling"]["policies"][0]["probabilistic"] == {"sampling_percentage": 25.0}


def test_agent_otelcol_flavour_resource_tags_and_head_sampling():
    procs = jaeger_agent_processors(dict(AGENT, flavor="otelcol", sampling_probability=0.123456))
    assert list(procs) == ["memory_limiter", "resource/tags", "resourcedetection", "probabilistic_sampler", "batch"]
    assert procs["resource/tags"]["attributes"] == [{"key": "host.name", "value": "web-1", "action": "insert"},
                                                    {"key": "env", "value": "lab", "action": "upsert"}]
    assert procs["probabilistic_sampler"] == {"sampling_percentage": 12.3456}


def test_jaeger_receivers_share_no_object():
    """Every receiver has its own security settings: an object shared between two places of the
    configuration is written as a YAML anchor and alias by some ansible-core versions only."""
    security = {"tls": {"cert_file": "/c", "key_file": "/k"}, "auth": {"authenticator": "basicauth/otlp"}}
    result = jaeger_components(dict(JAEGER, otlp_security=security,
                                    legacy_receivers={"grpc": ":14250", "thrift_http": ":14268", "thrift_compact": ":6831"}))
    otlp = result["receivers"]["otlp"]["protocols"]
    legacy = result["receivers"]["jaeger"]["protocols"]
    secured = [otlp["grpc"], otlp["http"], legacy["grpc"], legacy["thrift_http"]]
    assert all(r["tls"] == security["tls"] and r["auth"] == security["auth"] for r in secured)
    assert "tls" not in legacy["thrift_compact"] and "auth" not in legacy["thrift_compact"]
    objects = [id(r[key]) for r in secured for key in ("tls", "auth")] + [id(security["tls"]), id(security["auth"])]
    assert len(set(objects)) == len(objects)


@pytest.mark.parametrize("settings, message", [
    ("jaeger", "expects a dict of settings, not a str"),
    ({"flavor": "jaeger"}, "the settings lack host_name, tags, sampling_probability, memory_limit_mib, batch_timeout"),
    (dict(AGENT, flavor="legacy"), "flavor must be jaeger or otelcol, not 'legacy'"),
    (dict(AGENT, sampling_probability=1.5), "the sampling probability 1.5 is not in [0, 1]"),
    (dict(AGENT, sampling_probability="half"), "the sampling probability 'half' is not a number"),
    (dict(AGENT, tags=["env=lab"]), "tags must be a mapping"),
])
def test_agent_bad_input(settings, message):
    fails(jaeger_agent_processors, message, settings)


# --- otel_collector_traces ------------------------------------------------------------------
def test_collector_without_sampling_one_traces_pipeline():
    result = otel_collector_traces(TRACES)
    assert result["sampler"] == {}
    assert result["connectors"] == {"spanmetrics": {"metrics_flush_interval": "15s"}}
    assert result["pipelines"] == {
        "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["spanmetrics", "otlp_grpc/jaeger"]},
        "metrics/spanmetrics": {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}}


def test_collector_sampling_only_on_the_way_to_jaeger():
    result = otel_collector_traces(dict(TRACES, sampling="tail", sampling_probability=0.1, spanmetrics_dimensions=["http.method"],
                                        spanmetrics_output="remote_write"))
    policies = result["sampler"]["tail_sampling"]["policies"]
    assert [p["name"] for p in policies] == ["errors", "slow", "probabilistic"]
    assert policies[2]["probabilistic"] == {"sampling_percentage": 10.0}
    assert result["pipelines"]["traces"]["exporters"] == ["spanmetrics"]
    assert result["pipelines"]["traces/jaeger"] == {"receivers": ["otlp"], "processors": ["memory_limiter", "tail_sampling", "batch"],
                                                    "exporters": ["otlp_grpc/jaeger"]}
    assert result["pipelines"]["metrics/spanmetrics"]["exporters"] == ["prometheusremotewrite"]
    assert result["connectors"]["spanmetrics"]["dimensions"] == [{"name": "http.method"}]


def test_collector_own_policies_and_no_jaeger_no_sampler():
    own = [{"name": "all", "type": "always_sample"}]
    assert otel_collector_traces(dict(TRACES, sampling="tail", tail_policies=own))["sampler"]["tail_sampling"]["policies"] == own
    result = otel_collector_traces(dict(TRACES, jaeger_exporter="", sampling="probabilistic"))
    assert result["sampler"] == {}
    assert result["pipelines"]["traces"] == {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["spanmetrics"]}


def test_collector_without_span_metrics():
    result = otel_collector_traces(dict(TRACES, spanmetrics=False, sampling="probabilistic", sampling_probability=0.5))
    assert result["connectors"] == {}
    assert result["pipelines"] == {"traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "probabilistic_sampler", "batch"],
                                              "exporters": ["otlp_grpc/jaeger"]}}


@pytest.mark.parametrize("settings, message", [
    (None, "expects a dict of settings, not a NoneType"),
    ({"sampling": "none"}, "the settings lack jaeger_exporter, sampling_probability, spanmetrics"),
    (dict(TRACES, sampling="head"), "sampling must be one of none, probabilistic, tail, not 'head'"),
    (dict(TRACES, spanmetrics_output="otlp"), "spanmetrics_output must be one of prometheus, remote_write, not 'otlp'"),
    (dict(TRACES, spanmetrics_dimensions="http.method"), "spanmetrics_dimensions must be a list"),
    (dict(TRACES, sampling_probability=-0.1), "is not in [0, 1]"),
])
def test_collector_bad_input(settings, message):
    fails(otel_collector_traces, message, settings)


# --- jaeger_components ----------------------------------------------------------------------
def test_jaeger_minimal():
    result = jaeger_components(JAEGER)
    assert result["receivers"] == {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}}}
    assert list(result["extensions"]) == ["healthcheckv2", "jaeger_storage", "jaeger_query"]
    assert result["extensions"]["jaeger_storage"] == {"backends": {"main_store": {"memory": {"max_traces": 10}}}}
    assert result["extensions"]["jaeger_query"]["storage"] == {"traces": "main_store"}
    service = result["service"]
    assert service["extensions"] == ["healthcheckv2", "jaeger_storage", "jaeger_query"]
    assert service["pipelines"] == {"traces": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["jaeger_storage_exporter"]}}
    assert service["telemetry"]["metrics"]["readers"] == [{"pull": {"exporter": {"prometheus": {"host": "0.0.0.0", "port": 8888}}}}]


def test_jaeger_everything_on():
    result = jaeger_components(dict(
        JAEGER, otlp_security={"auth": {"authenticator": "basicauth/otlp"}}, legacy_receivers={"grpc": "0.0.0.0:14250"},
        spm={"prometheus_url": "http://localhost:9090"}, auth={"id": "basicauth/otlp", "htpasswd_file": "/etc/jaeger/otlp.htpasswd"},
        sampling={"file": "/etc/jaeger/s.json", "default_probability": "0.5", "http_endpoint": "0.0.0.0:5778",
                  "grpc_endpoint": "0.0.0.0:5779"}, metrics_endpoint="[::1]:8888"))
    assert result["receivers"]["otlp"]["protocols"]["grpc"] == {"endpoint": "0.0.0.0:4317", "auth": {"authenticator": "basicauth/otlp"}}
    # the legacy gRPC receiver takes the OTLP receivers' authentication
    assert result["receivers"]["jaeger"] == {"protocols": {"grpc": {"endpoint": "0.0.0.0:14250", "auth": {"authenticator": "basicauth/otlp"}}}}
    assert list(result["extensions"]) == ["healthcheckv2", "jaeger_storage", "jaeger_query", "remote_sampling", "basicauth/otlp"]
    assert result["extensions"]["jaeger_storage"]["metric_backends"]["prom_store"]["prometheus"]["endpoint"] == "http://localhost:9090"
    assert result["extensions"]["jaeger_query"]["storage"] == {"traces": "main_store", "metrics": "prom_store"}
    assert result["extensions"]["remote_sampling"]["file"] == {"path": "/etc/jaeger/s.json", "default_sampling_probability": 0.5}
    pipelines = result["service"]["pipelines"]
    assert pipelines["traces"]["receivers"] == ["otlp", "jaeger"]
    assert pipelines["traces"]["exporters"] == ["jaeger_storage_exporter", "spanmetrics"]
    assert pipelines["metrics/spanmetrics"] == {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}
    assert result["service"]["telemetry"]["metrics"]["readers"][0]["pull"]["exporter"]["prometheus"] == {"host": "::1", "port": 8888}


@pytest.mark.parametrize("settings, message", [
    ("config", "expects a dict of settings, not a str"),
    ({"log_level": "info"}, "the settings lack otlp_grpc_endpoint"),
    (dict(JAEGER, metrics_endpoint="8888"), "'8888' is not a listen address host:port"),
    (dict(JAEGER, legacy_receivers=["grpc"]), "legacy_receivers must be a mapping"),
])
def test_jaeger_bad_input(settings, message):
    fails(jaeger_components, message, settings)


# --- jaeger_sampling_strategies -------------------------------------------------------------
def test_sampling_strategies():
    assert jaeger_sampling_strategies([{"service": "api", "probability": "0.2"}], 1) == {
        "default_strategy": {"type": "probabilistic", "param": 1.0},
        "service_strategies": [{"service": "api", "type": "probabilistic", "param": 0.2}]}
    assert jaeger_sampling_strategies([], 0.5)["service_strategies"] == []


@pytest.mark.parametrize("services, default, message", [
    ("api", 1, "expects a list of {service, probability}"),
    ([{"service": "api"}], 1, "item 0 needs a service and a probability"),
    ([{"service": "api", "probability": 2}], 1, "the sampling probability 2 is not in [0, 1]"),
    ([], "all", "the sampling probability 'all' is not a number"),
])
def test_sampling_strategies_bad_input(services, default, message):
    fails(jaeger_sampling_strategies, message, services, default)
