"""The configuration the otel_collector role renders (through Ansible, from the role's own files), per variant."""

import json
import os
import tempfile

import pytest

import otelcol_checks
from harness import render

TOKENS = tempfile.mkdtemp(prefix="vigil-otelcol-tokens-")
OTLP_TOKEN = os.path.join(TOKENS, "otlp.token")
JAEGER_TOKEN = os.path.join(TOKENS, "jaeger.token")
with open(OTLP_TOKEN, "w", encoding="utf-8") as _handle:
    _handle.write("otlp-Token-123\n")
with open(JAEGER_TOKEN, "w", encoding="utf-8") as _handle:
    _handle.write("YWdlbnQ6c2VjcmV0\n")

TEMPLATES = ["config.yaml.j2", "otlp.token.j2", "jaeger.token.j2"]
DUMP = ["otel_collector_version", "_otel_collector_checksums_url", "_otel_collector_checksums"]
GROUPS = {"monitoring_servers": ["jaeger-server", "other-jaeger-off", "other-jaeger-clash"]}
GOOD = {
    "default": {},
    "token_tls_http": {"otel_collector_otlp_auth_token_file": OTLP_TOKEN,
                       "otel_collector_otlp_tls_cert_file": "/etc/ssl/otelcol.crt",
                       "otel_collector_otlp_tls_key_file": "/etc/ssl/otelcol.key",
                       "otel_collector_jaeger_protocol": "http", "otel_collector_jaeger_tls_enabled": True,
                       "otel_collector_jaeger_tls_skip_verify": True, "otel_collector_jaeger_token_file": JAEGER_TOKEN,
                       "otel_collector_jaeger_auth_scheme": "Basic"},
    "probabilistic": {"otel_collector_sampling": "probabilistic", "otel_collector_sampling_probability": 0.25},
    "tail": {"otel_collector_sampling": "tail", "otel_collector_sampling_probability": 0.1,
             "otel_collector_jaeger_endpoint": "jaeger.example:4317"},
    "remote_write": {"otel_collector_spanmetrics_output": "remote_write",
                     "otel_collector_spanmetrics_dimensions": ["http.method", "deployment.environment"]},
    "spanmetrics_only": {"otel_collector_jaeger_enabled": False, "otel_collector_sampling": "tail"},
    "sampled_no_spanmetrics": {"otel_collector_spanmetrics_enabled": False, "otel_collector_sampling": "probabilistic",
                               "otel_collector_sampling_probability": 0.5},
    "old_version": {"otel_collector_version": "0.143.0"},
    # Beside a Jaeger (this host is in the group): moved ports, export to localhost.
    "jaeger-server": {"vigil_address": "10.0.0.5", "otel_collector_otlp_grpc_listen_address": "0.0.0.0:4327",
                      "otel_collector_otlp_http_listen_address": "0.0.0.0:4328",
                      "otel_collector_health_listen_address": "0.0.0.0:13134",
                      "otel_collector_metrics_listen_address": "0.0.0.0:8898",
                      "otel_collector_spanmetrics_exporter_listen_address": "0.0.0.0:8899"},
    "passthrough": {"otel_collector_config": {"processors": {"batch": {"timeout": "1s"}}}},
}
BAD = {
    "other-jaeger-clash": ({}, "both listen on port(s) 4317, 4318, 8888, 8889, 13133 "),
    "bad_missing_token": ({"otel_collector_otlp_auth_token_file": os.path.join(TOKENS, "absent.token")},
                          "otel_collector_otlp_auth_token_file"),
    "bad_probability": ({"otel_collector_sampling_probability": 1.2}, "otel_collector_sampling_probability"),
    "bad_ports": ({"otel_collector_health_listen_address": "0.0.0.0:8888"}, "same port"),
    "bad_remote_write": ({"otel_collector_spanmetrics_output": "remote_write",
                          "otel_collector_spanmetrics_remote_write_url": "prometheus:9090"},
                         "otel_collector_spanmetrics_remote_write_url"),
}


@pytest.fixture(scope="module")
def rendered():
    variants = dict(GOOD)
    variants.update({name: values for name, (values, _message) in BAD.items()})
    variants["other-jaeger-off"] = {"vigil_jaeger_enabled": False, "otel_collector_jaeger_enabled": False}
    return render("otel_collector", variants, TEMPLATES, dump=DUMP, groups=GROUPS)


config = otelcol_checks.rendered_config


@pytest.mark.parametrize("variant", sorted(GOOD))
def test_structure_is_sound(rendered, variant):
    cfg = config(rendered, variant)
    assert otelcol_checks.problems(cfg, "otelcol-contrib", rendered[variant]["vars"]["otel_collector_version"]) == []


def test_default_spanmetrics_and_jaeger_from_the_group(rendered):
    cfg = config(rendered, "default")
    jaeger = cfg["exporters"]["otlp_grpc/jaeger"]
    assert jaeger["endpoint"] == "10.0.0.5:4317" and jaeger["tls"] == {"insecure": True}
    assert jaeger["sending_queue"]["enabled"] and jaeger["retry_on_failure"]["enabled"]
    assert cfg["service"]["pipelines"] == {
        "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"],
                   "exporters": ["spanmetrics", "otlp_grpc/jaeger"]},
        "metrics/spanmetrics": {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}}
    assert cfg["exporters"]["prometheus"] == {"endpoint": "0.0.0.0:8889"}
    assert cfg["extensions"] == {"health_check": {"endpoint": "0.0.0.0:13133"}}
    assert "auth" not in json.dumps(cfg["receivers"])


def test_beside_jaeger_exports_to_localhost(rendered):
    cfg = config(rendered, "jaeger-server")
    assert cfg["exporters"]["otlp_grpc/jaeger"]["endpoint"] == "localhost:4317"
    assert cfg["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"] == "0.0.0.0:4327"


def test_token_auth_tls_and_secret_files(rendered):
    result = rendered["token_tls_http"]
    cfg = config(rendered, "token_tls_http")
    assert cfg["extensions"]["bearertokenauth/otlp"] == {"filename": "/etc/otelcol-contrib/otlp.token"}
    for protocol in ("grpc", "http"):
        proto = cfg["receivers"]["otlp"]["protocols"][protocol]
        assert proto["auth"] == {"authenticator": "bearertokenauth/otlp"}
        assert proto["tls"] == {"cert_file": "/etc/ssl/otelcol.crt", "key_file": "/etc/ssl/otelcol.key"}
    jaeger = cfg["exporters"]["otlp_http/jaeger"]
    assert jaeger["endpoint"] == "https://10.0.0.5:4318"
    assert jaeger["tls"] == {"insecure_skip_verify": True}
    assert jaeger["headers"] == {"authorization": "Basic ${file:/etc/otelcol-contrib/jaeger.token}"}
    text = result["files"]["config.yaml.j2"]
    assert "otlp-Token-123" not in text and "YWdlbnQ6c2VjcmV0" not in text
    assert result["files"]["otlp.token.j2"] == "otlp-Token-123"
    assert result["files"]["jaeger.token.j2"] == "YWdlbnQ6c2VjcmV0"


def test_sampling_spares_the_span_metrics(rendered):
    cfg = config(rendered, "probabilistic")
    assert cfg["processors"]["probabilistic_sampler"] == {"sampling_percentage": 25.0}
    pipelines = cfg["service"]["pipelines"]
    assert pipelines["traces"]["exporters"] == ["spanmetrics"] and "probabilistic_sampler" not in pipelines["traces"]["processors"]
    assert pipelines["traces/jaeger"] == {"receivers": ["otlp"],
                                          "processors": ["memory_limiter", "probabilistic_sampler", "batch"],
                                          "exporters": ["otlp_grpc/jaeger"]}
    tail = config(rendered, "tail")
    policies = tail["processors"]["tail_sampling"]["policies"]
    assert [p["type"] for p in policies] == ["status_code", "latency", "probabilistic"]
    assert policies[2]["probabilistic"] == {"sampling_percentage": 10.0}
    assert tail["exporters"]["otlp_grpc/jaeger"]["endpoint"] == "jaeger.example:4317"
    single = config(rendered, "sampled_no_spanmetrics")["service"]["pipelines"]
    assert single == {"traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "probabilistic_sampler", "batch"],
                                 "exporters": ["otlp_grpc/jaeger"]}}


def test_spanmetrics_outputs(rendered):
    cfg = config(rendered, "remote_write")
    assert cfg["exporters"]["prometheusremotewrite"] == {"endpoint": "http://127.0.0.1:9090/api/v1/write"}
    assert "prometheus" not in cfg["exporters"]
    assert cfg["connectors"]["spanmetrics"]["dimensions"] == [{"name": "http.method"}, {"name": "deployment.environment"}]
    assert ("tcp", 8889) not in otelcol_checks.listening_ports(cfg)
    only = config(rendered, "spanmetrics_only")
    assert not any(e.startswith("otlp") for e in only["exporters"]) and "tail_sampling" not in only["processors"]


def test_version_gates(rendered):
    new, old = rendered["default"]["vars"], rendered["old_version"]["vars"]
    assert new["_otel_collector_checksums"] == {"file": "otelcol-contrib_0.159.0_linux_{arch}.tar.gz.sha256", "format": "bare"}
    assert new["_otel_collector_checksums_url"] == (
        "https://github.com/open-telemetry/opentelemetry-collector-releases/"
        "releases/download/v0.159.0/otelcol-contrib_0.159.0_linux_{arch}.tar.gz.sha256")
    assert old["_otel_collector_checksums"]["format"] == "sums"
    assert old["_otel_collector_checksums_url"].endswith("/v0.143.0/opentelemetry-collector-releases_otelcol-contrib_checksums.txt")
    assert "otlp/jaeger" in config(rendered, "old_version")["exporters"]


def test_passthrough_is_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["processors"]["batch"] == {"timeout": "1s"} and "memory_limiter" in cfg["processors"]


@pytest.mark.parametrize("variant", sorted(BAD))
def test_bad_input_fails_naming_the_problem(rendered, variant):
    failure = rendered[variant]["failed"]
    assert failure is not None, "%s was accepted" % variant
    assert BAD[variant][1] in failure
