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

TEMPLATES = ["config.yaml.j2", "otlp.token.j2", "jaeger.token.j2", "jaeger.password.j2"]
DUMP = ["otel_collector_version", "_otel_collector_checksums_url", "_otel_collector_checksums"]
# jaeger-server: a Jaeger with the role's defaults (it asks for nothing); jaeger-auth: basic auth on
# its receivers; jaeger-tls: basic auth and TLS, with the site CA its clients must trust.
GROUPS = {"monitoring_servers": ["jaeger-server", "other-jaeger-off", "other-jaeger-clash"],
          "auth_jaegers": ["jaeger-auth"], "tls_jaegers": ["jaeger-tls"]}
JAEGER_PASSWORD = "collector-Pass-1"
JAEGERS = {
    "other-jaeger-off": {"vigil_jaeger_enabled": False, "otel_collector_jaeger_enabled": False},
    "jaeger-auth": {"vigil_address": "10.0.0.6", "jaeger_otlp_auth_users": {"collector": JAEGER_PASSWORD}},
    "jaeger-tls": {"vigil_address": "10.0.0.7", "jaeger_otlp_auth_users": {"collector": JAEGER_PASSWORD},
                   "jaeger_otlp_tls_cert_file": "/etc/ssl/jaeger.crt", "jaeger_otlp_tls_key_file": "/etc/ssl/jaeger.key",
                   "vigil_tls_ca_file": "/etc/ssl/site-ca.crt"},
}
# The OTLP receivers listen on the network and must authenticate: every good variant has the token
# (or mutual TLS, or says explicitly that something else protects them).
AUTH = {"otel_collector_otlp_auth_token_file": OTLP_TOKEN}
GOOD = {
    "default": AUTH,
    "mtls_only": {"otel_collector_otlp_tls_cert_file": "/etc/ssl/otelcol.crt",
                  "otel_collector_otlp_tls_key_file": "/etc/ssl/otelcol.key",
                  "otel_collector_otlp_tls_client_ca_file": "/etc/ssl/clients.crt"},
    "allowed_open": {"otel_collector_allow_unauthenticated": True},
    "basic_http": dict(AUTH, otel_collector_jaeger_group="auth_jaegers", otel_collector_jaeger_protocol="http"),
    "basic_grpc_tls": dict(AUTH, otel_collector_jaeger_group="tls_jaegers"),
    "token_override": dict(AUTH, otel_collector_jaeger_group="auth_jaegers", otel_collector_jaeger_token_file=JAEGER_TOKEN),
    "token_tls_http": {"otel_collector_otlp_auth_token_file": OTLP_TOKEN,
                       "otel_collector_otlp_tls_cert_file": "/etc/ssl/otelcol.crt",
                       "otel_collector_otlp_tls_key_file": "/etc/ssl/otelcol.key",
                       "otel_collector_jaeger_protocol": "http", "otel_collector_jaeger_tls_enabled": True,
                       "otel_collector_jaeger_tls_skip_verify": True, "otel_collector_jaeger_token_file": JAEGER_TOKEN,
                       "otel_collector_jaeger_auth_scheme": "Basic"},
    "probabilistic": dict(AUTH, otel_collector_sampling="probabilistic", otel_collector_sampling_probability=0.25),
    "tail": dict(AUTH, otel_collector_sampling="tail", otel_collector_sampling_probability=0.1,
                 otel_collector_jaeger_endpoint="jaeger.example:4317"),
    "remote_write": dict(AUTH, otel_collector_spanmetrics_output="remote_write",
                         otel_collector_spanmetrics_dimensions=["http.method", "deployment.environment"]),
    "spanmetrics_only": dict(AUTH, otel_collector_jaeger_enabled=False, otel_collector_sampling="tail"),
    "sampled_no_spanmetrics": dict(AUTH, otel_collector_spanmetrics_enabled=False, otel_collector_sampling="probabilistic",
                                   otel_collector_sampling_probability=0.5),
    "old_version": dict(AUTH, otel_collector_version="0.143.0"),
    "unit_limit": dict(AUTH, vigil_service_limits={"otelcol-contrib": {"MemoryHigh": "1G", "MemoryMax": "2G"}},
                       otel_collector_memory_limit_percentage=60),
    # Beside a Jaeger (this host is in the group): moved ports, export to localhost.
    "jaeger-server": dict(AUTH, vigil_address="10.0.0.5", otel_collector_otlp_grpc_listen_address="0.0.0.0:4327",
                          otel_collector_otlp_http_listen_address="0.0.0.0:4328",
                          otel_collector_health_listen_address="127.0.0.1:13134",
                          otel_collector_metrics_listen_address="127.0.0.1:8898",
                          otel_collector_spanmetrics_exporter_listen_address="127.0.0.1:8899"),
    "passthrough": dict(AUTH, otel_collector_config={"processors": {"batch": {"timeout": "1s"}}}),
}
BAD = {
    "other-jaeger-clash": (AUTH, "jaeger_otlp_grpc_listen_address of jaeger (0.0.0.0:4317) and otel_collector_otlp_grpc_listen_address "
                                 "of otel_collector (0.0.0.0:4317) claim the same port 4317/tcp on other-jaeger-clash"),
    "bad_bare_defaults": ({}, "otel_collector_otlp_grpc_listen_address listens on 0.0.0.0:4317 without authentication"),
    "bad_open_spanmetrics": (dict(AUTH, otel_collector_spanmetrics_exporter_listen_address="0.0.0.0:8889"),
                             "otel_collector_spanmetrics_exporter_listen_address listens on 0.0.0.0:8889"),
    "bad_open_metrics": (dict(AUTH, otel_collector_metrics_listen_address="0.0.0.0:8888"),
                         "otel_collector_metrics_listen_address"),
    "bad_basic_over_plain_grpc": (dict(AUTH, otel_collector_jaeger_group="auth_jaegers"), "only with TLS"),
    "bad_missing_token": ({"otel_collector_otlp_auth_token_file": os.path.join(TOKENS, "absent.token")},
                          "otel_collector_otlp_auth_token_file"),
    "bad_probability": (dict(AUTH, otel_collector_sampling_probability=1.2), "otel_collector_sampling_probability"),
    "bad_ports": (dict(AUTH, otel_collector_health_listen_address="127.0.0.1:8888"), "same port"),
    "bad_remote_write": (dict(AUTH, otel_collector_spanmetrics_output="remote_write",
                              otel_collector_spanmetrics_remote_write_url="prometheus:9090"),
                         "otel_collector_spanmetrics_remote_write_url"),
}


@pytest.fixture(scope="module")
def rendered():
    variants = dict(GOOD)
    variants.update({name: values for name, (values, _message) in BAD.items()})
    variants.update(JAEGERS)
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
    assert cfg["exporters"]["prometheus"] == {"endpoint": "127.0.0.1:8889"}
    assert cfg["extensions"] == {"health_check": {"endpoint": "127.0.0.1:13133"},
                                 "bearertokenauth/otlp": {"filename": "/etc/otelcol-contrib/otlp.token"}}
    # only the authenticated OTLP receivers leave loopback; a Jaeger that asks for nothing gets nothing
    for protocol in ("grpc", "http"):
        assert cfg["receivers"]["otlp"]["protocols"][protocol]["auth"] == {"authenticator": "bearertokenauth/otlp"}
    open_listeners = sorted((owner, port) for owner, _proto, host, port in otelcol_checks.listeners(cfg)
                            if host not in ("127.0.0.1", "localhost"))
    assert open_listeners == [("otlp/grpc", 4317), ("otlp/http", 4318)]
    assert "auth" not in jaeger and rendered["default"]["files"]["jaeger.password.j2"] == ""


def test_mutual_tls_or_the_switch_instead_of_the_token(rendered):
    mtls = config(rendered, "mtls_only")["receivers"]["otlp"]["protocols"]["http"]
    assert mtls["tls"]["client_ca_file"] == "/etc/ssl/clients.crt" and "auth" not in mtls
    assert "auth" not in json.dumps(config(rendered, "allowed_open")["receivers"])


def test_credentials_follow_jaeger(rendered):
    result = rendered["basic_http"]
    cfg = config(rendered, "basic_http")
    jaeger = cfg["exporters"]["otlp_http/jaeger"]
    assert jaeger["endpoint"] == "http://10.0.0.6:4318"
    assert jaeger["auth"] == {"authenticator": "basicauth/client"} and "headers" not in jaeger
    assert cfg["extensions"]["basicauth/client"] == {
        "client_auth": {"username": "collector", "password": "${file:/etc/otelcol-contrib/jaeger.password}"}}
    assert JAEGER_PASSWORD not in result["files"]["config.yaml.j2"]
    assert result["files"]["jaeger.password.j2"] == JAEGER_PASSWORD
    tls = config(rendered, "basic_grpc_tls")["exporters"]["otlp_grpc/jaeger"]
    assert tls["endpoint"] == "10.0.0.7:4317" and tls["tls"] == {"ca_file": "/etc/ssl/site-ca.crt"}
    assert tls["auth"] == {"authenticator": "basicauth/client"}
    override = config(rendered, "token_override")
    assert override["exporters"]["otlp_grpc/jaeger"]["headers"] == {
        "authorization": "Bearer ${file:/etc/otelcol-contrib/jaeger.token}"}
    assert "basicauth/client" not in override["extensions"]


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


def test_memory_limiter_follows_the_unit(rendered):
    # a unit bound in bytes: limit and spike in MiB of it (60 % and 15 % of 2G)
    assert config(rendered, "unit_limit")["processors"]["memory_limiter"] == {
        "check_interval": "1s", "limit_mib": 1228, "spike_limit_mib": 307}
    # the default bound is a share of the host: without the host's facts, the processor's own percentages
    assert config(rendered, "default")["processors"]["memory_limiter"] == {
        "check_interval": "1s", "limit_percentage": 80, "spike_limit_percentage": 20}


def test_passthrough_is_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["processors"]["batch"] == {"timeout": "1s"} and "memory_limiter" in cfg["processors"]


@pytest.mark.parametrize("variant", sorted(BAD))
def test_bad_input_fails_naming_the_problem(rendered, variant):
    failure = rendered[variant]["failed"]
    assert failure is not None, "%s was accepted" % variant
    assert BAD[variant][1] in failure
