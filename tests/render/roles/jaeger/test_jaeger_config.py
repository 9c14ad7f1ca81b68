"""The configuration the jaeger role renders (through Ansible, from the role's own files), per variant."""

import json

import pytest

import otelcol_checks
from harness import render

TEMPLATES = ["config.yaml.j2", "sampling-strategies.json.j2", "ui-config.json.j2", "otlp.htpasswd.j2",
             "storage.password.j2"]
SEARCH = {"jaeger_storage_server_urls": ["https://es-1.test:9200", "https://es-2.test:9200"],
          "jaeger_storage_index_prefix": "lab", "jaeger_storage_username": "jaeger",
          "jaeger_storage_password": "es-Secret-1", "jaeger_storage_tls_skip_verify": True}
# The OTLP receivers listen on the network and must authenticate: every good variant has a user
# (or mutual TLS, or says explicitly that something else protects them).
AUTH = {"jaeger_otlp_auth_users": {"agent": "agent-Pass-1"}}
GOOD = {
    "default": AUTH,
    "mtls_only": {"jaeger_otlp_tls_cert_file": "/etc/ssl/jaeger.crt", "jaeger_otlp_tls_key_file": "/etc/ssl/jaeger.key",
                  "jaeger_otlp_tls_client_ca_file": "/etc/ssl/clients.crt", "jaeger_legacy_receivers_enabled": True},
    "allowed_open": {"jaeger_allow_unauthenticated": True, "jaeger_query_http_listen_address": "0.0.0.0:16686"},
    "memory_no_spm": dict(AUTH, jaeger_storage_type="memory", jaeger_spm_enabled=False, jaeger_memory_max_traces=5000),
    "elasticsearch": dict(SEARCH, jaeger_storage_type="elasticsearch", jaeger_legacy_receivers_enabled=True,
                          jaeger_otlp_auth_users={"agent": "agent-Pass-1", "ops": "ops-Pass-2"},
                          jaeger_otlp_tls_cert_file="/etc/ssl/jaeger.crt", jaeger_otlp_tls_key_file="/etc/ssl/jaeger.key",
                          jaeger_otlp_tls_client_ca_file="/etc/ssl/clients.crt", jaeger_query_base_path="/jaeger"),
    "opensearch": dict(AUTH, jaeger_storage_type="opensearch", jaeger_storage_server_urls=["http://os.test:9200"],
                       jaeger_storage_tls_ca_file="/etc/ssl/os-ca.crt"),
    "no_sampling": dict(AUTH, jaeger_sampling_enabled=False, jaeger_spm_enabled=False),
    "strategies": dict(AUTH, jaeger_sampling_default_probability=0.25,
                       jaeger_sampling_service_strategies=[{"service": "checkout", "probability": 0.8},
                                                           {"service": "batch-jobs", "probability": 0}]),
    "passthrough": dict(AUTH, jaeger_config={"service": {"telemetry": {"logs": {"level": "debug"}}},
                                             "processors": {"batch": {"timeout": "2s"}}},
                        jaeger_ui_config={"dependencies": {"menuEnabled": False}}),
}
BAD = {
    "bad_bare_defaults": ({}, "jaeger_otlp_grpc_listen_address listens on 0.0.0.0:4317 without authentication"),
    "bad_open_query": (dict(AUTH, jaeger_query_http_listen_address="0.0.0.0:16686"),
                       "jaeger_query_http_listen_address listens on 0.0.0.0:16686 without authentication"),
    "bad_open_health": (dict(AUTH, jaeger_health_listen_address=":13133"), "jaeger_health_listen_address"),
    "bad_open_udp": (dict(AUTH, jaeger_legacy_receivers_enabled=True,
                          jaeger_legacy_receivers={"grpc": "0.0.0.0:14250", "thrift_http": "127.0.0.1:14268",
                                                   "thrift_compact": "0.0.0.0:6831", "thrift_binary": "127.0.0.1:6832"}),
                     "jaeger_legacy_receivers"),
    "bad_empty_password": ({"jaeger_otlp_auth_users": {"agent": ""}}, "non-empty password"),
    "bad_placeholder_password": ({"jaeger_otlp_auth_users": {"agent": "change-me"}}, "jaeger_otlp_auth_users"),
    "bad_default_probability": ({"jaeger_sampling_default_probability": 1.5}, "jaeger_sampling_default_probability"),
    "bad_service_probability": ({"jaeger_sampling_service_strategies": [{"service": "a", "probability": -0.1}]},
                                "jaeger_sampling_service_strategies"),
    "bad_es_without_urls": ({"jaeger_storage_type": "elasticsearch"}, "jaeger_storage_server_urls"),
    "bad_os_url": ({"jaeger_storage_type": "opensearch", "jaeger_storage_server_urls": ["os.test:9200"]},
                   "jaeger_storage_server_urls"),
    "bad_port_collision": (dict(AUTH, jaeger_spm_exporter_listen_address="127.0.0.1:8888"), "same port"),
    "bad_tls_half": (dict(AUTH, jaeger_otlp_tls_cert_file="/etc/ssl/jaeger.crt"), "jaeger_otlp_tls_key_file"),
    "bad_base_path": (dict(AUTH, jaeger_query_base_path="jaeger"), "jaeger_query_base_path"),
    "bad_password_alone": (dict(AUTH, jaeger_storage_password="x"), "jaeger_storage_username"),
    "bad_v1_version": (dict(AUTH, jaeger_version="1.76.0"), "jaeger_version"),
}


@pytest.fixture(scope="module")
def rendered():
    variants = dict(GOOD)
    variants.update({name: values for name, (values, _message) in BAD.items()})
    return render("jaeger", variants, TEMPLATES, dump=["jaeger_version"])


config = otelcol_checks.rendered_config


@pytest.mark.parametrize("variant", sorted(GOOD))
def test_structure_is_sound(rendered, variant):
    cfg = config(rendered, variant)
    assert otelcol_checks.problems(cfg, "jaeger", rendered[variant]["vars"]["jaeger_version"]) == []


def test_spm_has_the_code_shape(rendered):
    cfg = config(rendered, "default")
    query = cfg["extensions"]["jaeger_query"]
    assert query["storage"] == {"traces": "main_store", "metrics": "prom_store"}
    assert "metrics_storage" not in json.dumps(cfg)  # the docs page's form, which the code does not read
    prom = cfg["extensions"]["jaeger_storage"]["metric_backends"]["prom_store"]["prometheus"]
    assert prom == {"endpoint": "http://127.0.0.1:9090", "normalize_calls": True, "normalize_duration": True}
    assert cfg["connectors"] == {"spanmetrics": {"metrics_flush_interval": "15s"}}
    pipelines = cfg["service"]["pipelines"]
    assert pipelines["traces"]["exporters"] == ["jaeger_storage_exporter", "spanmetrics"]
    assert pipelines["metrics/spanmetrics"] == {"receivers": ["spanmetrics"], "exporters": ["prometheus"]}
    assert cfg["exporters"]["prometheus"] == {"endpoint": "127.0.0.1:8889"}
    ports = otelcol_checks.listening_ports(cfg)
    assert ports[("tcp", 8889)] == "prometheus" and ports[("tcp", 8888)] == "service::telemetry"
    assert json.loads(rendered["default"]["files"]["ui-config.json.j2"]) == {"monitor": {"menuEnabled": True}}


def test_spm_off_leaves_no_trace(rendered):
    cfg = config(rendered, "memory_no_spm")
    assert "spanmetrics" not in json.dumps(cfg["service"]) and not cfg["connectors"]
    assert "prometheus" not in cfg["exporters"]
    assert "metrics" not in cfg["extensions"]["jaeger_query"]["storage"]
    assert "metric_backends" not in cfg["extensions"]["jaeger_storage"]
    assert ("tcp", 8889) not in otelcol_checks.listening_ports(cfg)
    assert json.loads(rendered["memory_no_spm"]["files"]["ui-config.json.j2"])["monitor"]["menuEnabled"] is False


def test_storage_backends(rendered):
    badger = config(rendered, "default")["extensions"]["jaeger_storage"]["backends"]
    assert badger == {"main_store": {"badger": {"directories": {"keys": "/var/lib/jaeger/keys",
                                                                "values": "/var/lib/jaeger/values"},
                                                "ephemeral": False, "ttl": {"spans": "168h"}}}}
    memory = config(rendered, "memory_no_spm")["extensions"]["jaeger_storage"]["backends"]
    assert memory == {"main_store": {"memory": {"max_traces": 5000}}}
    search = config(rendered, "elasticsearch")["extensions"]["jaeger_storage"]["backends"]["main_store"]
    assert search == {"elasticsearch": {
        "server_urls": SEARCH["jaeger_storage_server_urls"], "indices": {"index_prefix": "lab"},
        "auth": {"basic": {"username": "jaeger", "password_file": "/etc/jaeger/storage.password"}},
        "tls": {"insecure_skip_verify": True}}}
    assert "es-Secret-1" not in rendered["elasticsearch"]["files"]["config.yaml.j2"]
    assert rendered["elasticsearch"]["files"]["storage.password.j2"] == "es-Secret-1"
    opensearch = config(rendered, "opensearch")["extensions"]["jaeger_storage"]["backends"]["main_store"]
    assert opensearch == {"opensearch": {"server_urls": ["http://os.test:9200"], "indices": {"index_prefix": "jaeger"},
                                         "tls": {"insecure_skip_verify": False, "ca_file": "/etc/ssl/os-ca.crt"}}}


def test_receiver_auth_tls_and_legacy(rendered):
    cfg = config(rendered, "elasticsearch")
    security = {"auth": {"authenticator": "basicauth/otlp"},
                "tls": {"cert_file": "/etc/ssl/jaeger.crt", "key_file": "/etc/ssl/jaeger.key",
                        "client_ca_file": "/etc/ssl/clients.crt"}}
    for protocol, port in (("grpc", 4317), ("http", 4318)):
        assert cfg["receivers"]["otlp"]["protocols"][protocol] == dict(security, endpoint="0.0.0.0:%d" % port)
    assert cfg["extensions"]["basicauth/otlp"] == {"htpasswd": {"file": "/etc/jaeger/otlp.htpasswd"}}
    assert cfg["service"]["pipelines"]["traces"]["receivers"] == ["otlp", "jaeger"]
    ports = otelcol_checks.listening_ports(cfg)
    assert {("udp", 6831), ("udp", 6832), ("tcp", 14250), ("tcp", 14268)} <= set(ports)
    htpasswd = rendered["elasticsearch"]["files"]["otlp.htpasswd.j2"].splitlines()
    assert [line.split(":", 1)[0] for line in htpasswd] == ["agent", "ops"]
    assert all(line.split(":", 1)[1].startswith("$2b$") for line in htpasswd)
    assert "agent-Pass-1" not in "\n".join(htpasswd)
    assert cfg["extensions"]["jaeger_query"]["base_path"] == "/jaeger"
    # the legacy gRPC and Thrift HTTP receivers take the same TLS and authenticator; UDP cannot
    legacy = cfg["receivers"]["jaeger"]["protocols"]
    assert legacy["grpc"] == dict(security, endpoint="0.0.0.0:14250")
    assert legacy["thrift_http"] == dict(security, endpoint="127.0.0.1:14268")
    assert legacy["thrift_compact"] == {"endpoint": "127.0.0.1:6831"}
    assert legacy["thrift_binary"] == {"endpoint": "127.0.0.1:6832"}


def test_only_the_authenticated_receivers_leave_loopback(rendered):
    for variant in ("default", "elasticsearch", "mtls_only"):
        cfg = config(rendered, variant)
        open_listeners = sorted((owner, port) for owner, _proto, host, port in otelcol_checks.listeners(cfg)
                                if host not in ("127.0.0.1", "localhost"))
        expected = [("otlp/grpc", 4317), ("otlp/http", 4318)]
        if cfg["receivers"].get("jaeger"):
            expected.append(("jaeger/grpc", 14250))
        assert open_listeners == sorted(expected), variant
        for protocol in ("grpc", "http"):
            receiver = cfg["receivers"]["otlp"]["protocols"][protocol]
            assert receiver.get("auth") or receiver.get("tls", {}).get("client_ca_file"), (variant, protocol)
    default = config(rendered, "default")
    assert default["extensions"]["jaeger_query"]["base_path"] == "/jaeger"
    assert default["extensions"]["jaeger_query"]["http"] == {"endpoint": "127.0.0.1:16686"}
    assert default["receivers"]["otlp"]["protocols"]["http"]["auth"] == {"authenticator": "basicauth/otlp"}
    mtls = config(rendered, "mtls_only")
    assert "auth" not in mtls["receivers"]["otlp"]["protocols"]["grpc"]
    assert mtls["receivers"]["jaeger"]["protocols"]["grpc"]["tls"]["client_ca_file"] == "/etc/ssl/clients.crt"
    allowed = config(rendered, "allowed_open")
    assert allowed["extensions"]["jaeger_query"]["http"] == {"endpoint": "0.0.0.0:16686"}


def test_sampling_strategies(rendered):
    strategies = json.loads(rendered["strategies"]["files"]["sampling-strategies.json.j2"])
    assert strategies == {"default_strategy": {"type": "probabilistic", "param": 0.25},
                          "service_strategies": [
                              {"service": "checkout", "type": "probabilistic", "param": 0.8},
                              {"service": "batch-jobs", "type": "probabilistic", "param": 0.0}]}
    sampling = config(rendered, "strategies")["extensions"]["remote_sampling"]
    assert sampling["file"] == {"path": "/etc/jaeger/sampling-strategies.json", "default_sampling_probability": 0.25}
    assert "remote_sampling" not in config(rendered, "no_sampling")["extensions"]


def test_passthrough_is_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["service"]["telemetry"]["logs"]["level"] == "debug"
    assert cfg["service"]["telemetry"]["metrics"]["readers"]  # merged, not replaced
    assert cfg["processors"]["batch"] == {"timeout": "2s"}
    ui = json.loads(rendered["passthrough"]["files"]["ui-config.json.j2"])
    assert ui == {"monitor": {"menuEnabled": True}, "dependencies": {"menuEnabled": False}}


@pytest.mark.parametrize("variant", sorted(BAD))
def test_bad_input_fails_naming_the_problem(rendered, variant):
    failure = rendered[variant]["failed"]
    assert failure is not None, "%s was accepted" % variant
    assert BAD[variant][1] in failure
