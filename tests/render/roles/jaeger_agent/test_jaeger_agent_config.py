"""What the jaeger_agent role renders per flavour (through Ansible, from the role's own files)."""

import os
import tempfile

import pytest

import otelcol_checks
from harness import render

TOKEN = os.path.join(tempfile.mkdtemp(prefix="vigil-agent-token-"), "server.token")
with open(TOKEN, "w", encoding="utf-8") as _handle:
    _handle.write("YWdlbnQ6dmlnaWw=\n")

TEMPLATES = ["config.yaml.j2", "server.token.j2", "server.password.j2"]
DUMP = ["_jaeger_agent_exec_args", "_jaeger_agent_artifact", "_jaeger_agent_server_target"]
# srv: a Jaeger with the role's defaults; srv-auth: basic auth on its receivers; srv-tls: basic auth
# and TLS, with the site CA the clients must trust.
GROUPS = {"monitoring_servers": ["srv-off", "srv"], "tiers_both": ["bad_beside_jaeger"], "auth_servers": ["srv-auth"], "tls_servers": ["srv-tls"]}
SERVER_PASSWORD = "agent-Pass-1"
SERVERS = {
    "srv": {"vigil_address": "10.0.0.9"},
    "srv-off": {"vigil_jaeger_enabled": False, "vigil_address": "10.0.0.8"},
    "srv-auth": {"vigil_address": "10.0.0.10", "jaeger_otlp_auth_users": {"agent": SERVER_PASSWORD, "ops": "ops-Pass-2"}},
    "srv-tls": {"vigil_address": "10.0.0.11", "jaeger_otlp_auth_users": {"agent": SERVER_PASSWORD},
                "jaeger_otlp_tls_cert_file": "/etc/ssl/jaeger.crt", "jaeger_otlp_tls_key_file": "/etc/ssl/jaeger.key",
                "vigil_tls_ca_file": "/etc/ssl/site-ca.crt"},
}
SEED_004 = {"jaeger_agent_tags": {"deployment.environment": "lab", "team": "ops"},
            "jaeger_agent_sampling_probability": 0.3, "jaeger_agent_server_token_file": TOKEN,
            "jaeger_agent_server_auth_scheme": "Basic", "jaeger_agent_server_protocol": "http",
            "jaeger_agent_server_tls_enabled": True, "jaeger_agent_server_tls_skip_verify": True}
GOOD = {
    "default": {"jaeger_agent_host_name": "app-1.lab"},
    "seed004": dict(SEED_004, jaeger_agent_host_name="app-2.lab"),
    "otelcol": dict(SEED_004, jaeger_agent_flavor="otelcol", jaeger_agent_host_name="app-3.lab",
                    jaeger_agent_sampling_probability=0.5),
    "otelcol_old": {"jaeger_agent_flavor": "otelcol", "jaeger_agent_otelcol_version": "0.143.0"},
    "jaeger_old": {"jaeger_agent_version": "2.14.0"},
    "explicit": {"jaeger_agent_server_endpoint": "jaeger.lab:4317", "jaeger_agent_servers_group": "none"},
    "passthrough": {"jaeger_agent_config": {"processors": {"batch": {"send_batch_size": 512}}}},
    "basic_http": {"jaeger_agent_servers_group": "auth_servers", "jaeger_agent_server_protocol": "http"},
    "basic_otelcol_http": {"jaeger_agent_servers_group": "auth_servers", "jaeger_agent_server_protocol": "http",
                           "jaeger_agent_flavor": "otelcol"},
    "basic_grpc_tls": {"jaeger_agent_servers_group": "tls_servers"},
    "token_override": {"jaeger_agent_servers_group": "auth_servers", "jaeger_agent_server_token_file": TOKEN},
    "unit_limit": {"vigil_service_limits": {"jaeger-agent": {"MemoryHigh": "800M", "MemoryMax": "1G"}}},
    "explicit_limit": {"jaeger_agent_memory_limit_mib": 300},
    "bridge_allowed": {"jaeger_agent_allow_unauthenticated": True, "jaeger_agent_otlp_http_listen_address": "172.17.0.1:4318"},
}
LEGACY = {"jaeger_agent_flavor": "legacy", "jaeger_agent_host_name": "old-1.lab",
          "jaeger_agent_tags": {"team": "ops"}, "jaeger_agent_server_tls_enabled": True,
          "jaeger_agent_server_tls_skip_verify": True}
BAD = {
    "bad_probability": ({"jaeger_agent_sampling_probability": 1.5}, "jaeger_agent_sampling_probability"),
    "bad_token_missing": ({"jaeger_agent_server_token_file": TOKEN + ".absent"}, "jaeger_agent_server_token_file"),
    "bad_legacy_token": (dict(LEGACY, jaeger_agent_server_token_file=TOKEN), "jaeger_agent_server_token_file"),
    "bad_legacy_sampling": (dict(LEGACY, jaeger_agent_sampling_probability=0.5), "jaeger_agent_sampling_probability"),
    "bad_legacy_http": (dict(LEGACY, jaeger_agent_server_protocol="http"), "jaeger_agent_server_protocol"),
    "bad_legacy_tag": (dict(LEGACY, jaeger_agent_tags={"team": "a,b"}), "jaeger_agent_tags"),
    "bad_no_server": ({"jaeger_agent_servers_group": "empty_group"}, "jaeger_agent_server_endpoint"),
    "bad_ports": ({"jaeger_agent_health_listen_address": "127.0.0.1:4318"}, "same port"),
    # a host of both tiers runs jaeger (server tier) beside the agent (client tier) on their default ports
    "bad_beside_jaeger": ({"vigil_servers_group": "tiers_both", "vigil_clients_group": "tiers_both", "vigil_otel_collector_enabled": False},
                          "jaeger_otlp_grpc_listen_address of jaeger (0.0.0.0:4317) and jaeger_agent_otlp_grpc_listen_address of "
                          "jaeger_agent (127.0.0.1:4317) claim the same port 4317/tcp on bad_beside_jaeger; move one of them, or switch "
                          "one role off on this host (vigil_jaeger_enabled: false)"),
    "bad_legacy_version": (dict(LEGACY, jaeger_agent_legacy_version="1.63.0"), "jaeger_agent_legacy_version"),
    "bad_v1_jaeger": ({"jaeger_agent_version": "1.62.0"}, "jaeger_agent_version"),
    "bad_open_otlp": ({"jaeger_agent_otlp_http_listen_address": "0.0.0.0:4318"},
                      "jaeger_agent_otlp_http_listen_address listens on 0.0.0.0:4318 without authentication"),
    "bad_open_udp": ({"jaeger_agent_thrift_compact_listen_address": ":6831"}, "jaeger_agent_thrift_compact_listen_address"),
    "bad_basic_over_plain_grpc": ({"jaeger_agent_servers_group": "auth_servers"}, "only with TLS"),
    "bad_legacy_to_basic_auth": (dict(LEGACY, jaeger_agent_servers_group="auth_servers"),
                                 "the legacy jaeger-agent cannot send credentials"),
}


@pytest.fixture(scope="module")
def rendered():
    variants = dict(GOOD, legacy=LEGACY)
    variants.update({name: values for name, (values, _message) in BAD.items()})
    variants.update(SERVERS)
    return render("jaeger_agent", variants, TEMPLATES, dump=DUMP, groups=GROUPS)


def result(rendered, variant):
    res = rendered[variant]
    assert res["failed"] is None, res["failed"]
    return res


def config(rendered, variant):
    return otelcol_checks.parse(result(rendered, variant)["files"]["config.yaml.j2"])


@pytest.mark.parametrize("variant", sorted(GOOD))
def test_structure_is_sound(rendered, variant):
    artifact = result(rendered, variant)["vars"]["_jaeger_agent_artifact"]
    assert otelcol_checks.problems(config(rendered, variant), artifact["distribution"], artifact["version"]) == []


def test_default_is_jaeger_v2_on_the_agent_ports(rendered):
    res = result(rendered, "default")
    assert res["vars"]["_jaeger_agent_artifact"]["binary"] == "jaeger"
    assert res["vars"]["_jaeger_agent_exec_args"] == ["--config=/etc/jaeger-agent/config.yaml"]
    cfg = config(rendered, "default")
    assert set(otelcol_checks.listening_ports(cfg)) == {
        ("tcp", 4317), ("tcp", 4318), ("udp", 6831), ("udp", 6832), ("tcp", 14268), ("tcp", 13133), ("tcp", 8888)}
    # every listener is on loopback: applications on the host send to the agent
    assert {host for _owner, _proto, host, _port in otelcol_checks.listeners(cfg)} == {"127.0.0.1"}
    # the server comes from the servers group, skipping the host whose jaeger is disabled
    assert cfg["exporters"]["otlp_grpc/server"]["endpoint"] == "10.0.0.9:4317"
    assert cfg["exporters"]["otlp_grpc/server"]["tls"] == {"insecure": True}
    assert cfg["exporters"]["otlp_grpc/server"]["sending_queue"] == {"enabled": True, "queue_size": 1000}
    assert cfg["processors"]["attributes/tags"]["actions"] == [
        {"key": "host.name", "value": "app-1.lab", "action": "insert"},
        {"key": "os.type", "value": "linux", "action": "insert"}]
    assert cfg["service"]["pipelines"]["traces"]["processors"] == ["memory_limiter", "attributes/tags", "batch"]
    assert cfg["extensions"] == {"healthcheckv2": {"use_v2": True, "http": {"endpoint": "127.0.0.1:13133"}}}
    # a server that asks for nothing gets nothing: no credentials, no password file
    assert "auth" not in cfg["exporters"]["otlp_grpc/server"]
    assert res["files"]["server.password.j2"] == ""


def test_seed_004_options_in_the_jaeger_flavour(rendered):
    res = result(rendered, "seed004")
    cfg = config(rendered, "seed004")
    exporter = cfg["exporters"]["otlp_http/server"]
    assert exporter["endpoint"] == "https://10.0.0.9:4318"
    assert exporter["tls"] == {"insecure_skip_verify": True}
    assert exporter["headers"] == {"authorization": "Basic ${file:/etc/jaeger-agent/server.token}"}
    assert "YWdlbnQ6dmlnaWw=" not in res["files"]["config.yaml.j2"]
    assert res["files"]["server.token.j2"] == "YWdlbnQ6dmlnaWw="
    actions = cfg["processors"]["attributes/tags"]["actions"]
    assert {"key": "deployment.environment", "value": "lab", "action": "upsert"} in actions
    assert cfg["processors"]["tail_sampling"]["policies"] == [
        {"name": "probabilistic", "type": "probabilistic", "probabilistic": {"sampling_percentage": 30.0}}]
    assert cfg["service"]["pipelines"]["traces"]["processors"] == ["memory_limiter", "attributes/tags", "tail_sampling",
                                                                   "batch"]


def test_otelcol_flavour_sets_resource_tags(rendered):
    res = result(rendered, "otelcol")
    assert res["vars"]["_jaeger_agent_artifact"]["name"] == "otelcol_contrib"
    assert res["vars"]["_jaeger_agent_artifact"]["checksums_format"] == "bare"
    cfg = config(rendered, "otelcol")
    assert cfg["processors"]["resource/tags"]["attributes"][0] == {"key": "host.name", "value": "app-3.lab",
                                                                   "action": "insert"}
    assert cfg["processors"]["resourcedetection"] == {"detectors": ["env", "system"], "override": False}
    assert cfg["processors"]["probabilistic_sampler"] == {"sampling_percentage": 50.0}
    assert cfg["service"]["pipelines"]["traces"]["processors"] == [
        "memory_limiter", "resource/tags", "resourcedetection", "probabilistic_sampler", "batch"]
    assert cfg["extensions"] == {"health_check": {"endpoint": "127.0.0.1:13133"}}
    assert "otlp_http/server" in cfg["exporters"]


def test_exporter_names_follow_the_versions(rendered):
    assert "otlp/server" in config(rendered, "otelcol_old")["exporters"]
    assert result(rendered, "otelcol_old")["vars"]["_jaeger_agent_artifact"]["checksums_format"] == "sums"
    assert "otlp/server" in config(rendered, "jaeger_old")["exporters"]
    assert config(rendered, "explicit")["exporters"]["otlp_grpc/server"]["endpoint"] == "jaeger.lab:4317"


def test_legacy_flavour_flags(rendered):
    res = result(rendered, "legacy")
    assert res["vars"]["_jaeger_agent_artifact"] == {
        "name": "jaeger", "version": "1.62.0", "binary": "jaeger-agent", "strip": 1, "distribution": "jaeger",
        "url": "https://github.com/jaegertracing/jaeger/releases/download/v1.62.0/jaeger-1.62.0-linux-{arch}.tar.gz",
        "checksums_url": "https://github.com/jaegertracing/jaeger/releases/download/v1.62.0/jaeger-1.62.0.sha256sum.txt",
        "checksums_format": "sums"}
    assert res["vars"]["_jaeger_agent_exec_args"] == [
        "--reporter.grpc.host-port=10.0.0.9:14250",
        "--agent.tags=host.name=old-1.lab,os.type=linux,team=ops",
        "--processor.jaeger-compact.server-host-port=127.0.0.1:6831",
        "--processor.jaeger-binary.server-host-port=127.0.0.1:6832",
        "--processor.zipkin-compact.server-host-port=127.0.0.1:5775",
        "--http-server.host-port=127.0.0.1:5778",
        "--admin.http.host-port=127.0.0.1:14271",
        "--log-level=info",
        "--reporter.grpc.tls.enabled=true",
        "--reporter.grpc.tls.skip-host-verify=true"]


@pytest.mark.parametrize("variant", ["basic_http", "basic_otelcol_http"])
def test_credentials_follow_the_server(rendered, variant):
    res = result(rendered, variant)
    cfg = config(rendered, variant)
    exporter = cfg["exporters"]["otlp_http/server"]
    assert exporter["endpoint"] == "http://10.0.0.10:4318"
    assert exporter["auth"] == {"authenticator": "basicauth/client"}
    assert "headers" not in exporter
    # the first user of the server's jaeger_otlp_auth_users; the password only in its 0640 file
    assert cfg["extensions"]["basicauth/client"] == {
        "client_auth": {"username": "agent", "password": "${file:/etc/jaeger-agent/server.password}"}}
    assert "basicauth/client" in cfg["service"]["extensions"]
    assert SERVER_PASSWORD not in res["files"]["config.yaml.j2"]
    assert res["files"]["server.password.j2"] == SERVER_PASSWORD


def test_tls_and_ca_follow_the_server(rendered):
    cfg = config(rendered, "basic_grpc_tls")
    exporter = cfg["exporters"]["otlp_grpc/server"]
    assert exporter["endpoint"] == "10.0.0.11:4317"
    assert exporter["tls"] == {"ca_file": "/etc/ssl/site-ca.crt"}
    assert exporter["auth"] == {"authenticator": "basicauth/client"}


def test_a_token_file_overrides_the_servers_credentials(rendered):
    res = result(rendered, "token_override")
    cfg = config(rendered, "token_override")
    exporter = cfg["exporters"]["otlp_grpc/server"]
    assert exporter["headers"] == {"authorization": "Bearer ${file:/etc/jaeger-agent/server.token}"}
    assert "auth" not in exporter and "basicauth/client" not in cfg["extensions"]
    assert res["files"]["server.password.j2"] == ""


def test_an_open_listener_needs_the_explicit_switch(rendered):
    cfg = config(rendered, "bridge_allowed")
    assert cfg["receivers"]["otlp"]["protocols"]["http"] == {"endpoint": "172.17.0.1:4318"}


def test_memory_limiter_follows_the_unit(rendered):
    # 80 % of the unit's MemoryMax: 512M by default, 1G from vigil_service_limits; or as set
    assert config(rendered, "default")["processors"]["memory_limiter"] == {"check_interval": "1s", "limit_mib": 409}
    assert config(rendered, "unit_limit")["processors"]["memory_limiter"]["limit_mib"] == 819
    assert config(rendered, "explicit_limit")["processors"]["memory_limiter"]["limit_mib"] == 300


def test_passthrough_is_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["processors"]["batch"] == {"timeout": "5s", "send_batch_size": 512}


@pytest.mark.parametrize("variant", sorted(BAD))
def test_bad_input_fails_naming_the_problem(rendered, variant):
    failure = rendered[variant]["failed"]
    assert failure is not None, "%s was accepted" % variant
    assert BAD[variant][1] in failure
