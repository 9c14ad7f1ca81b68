"""What the jaeger_agent role renders per flavour (through Ansible, from the role's own files)."""

import os
import tempfile

import pytest

import otelcol_checks
from harness import render

TOKEN = os.path.join(tempfile.mkdtemp(prefix="vigil-agent-token-"), "server.token")
with open(TOKEN, "w", encoding="utf-8") as _handle:
    _handle.write("YWdlbnQ6dmlnaWw=\n")

TEMPLATES = ["config.yaml.j2", "server.token.j2"]
DUMP = ["_jaeger_agent_exec_args", "_jaeger_agent_artifact", "_jaeger_agent_server_target"]
GROUPS = {"monitoring_servers": ["srv-off", "srv"]}
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
    "bad_ports": ({"jaeger_agent_health_listen_address": "0.0.0.0:4318"}, "same port"),
    "bad_legacy_version": (dict(LEGACY, jaeger_agent_legacy_version="1.63.0"), "jaeger_agent_legacy_version"),
    "bad_v1_jaeger": ({"jaeger_agent_version": "1.62.0"}, "jaeger_agent_version"),
}


@pytest.fixture(scope="module")
def rendered():
    variants = dict(GOOD, legacy=LEGACY)
    variants.update({name: values for name, (values, _message) in BAD.items()})
    variants["srv"] = {"vigil_address": "10.0.0.9"}
    variants["srv-off"] = {"vigil_jaeger_enabled": False, "vigil_address": "10.0.0.8"}
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
    # the server comes from the servers group, skipping the host whose jaeger is disabled
    assert cfg["exporters"]["otlp_grpc/server"]["endpoint"] == "10.0.0.9:4317"
    assert cfg["exporters"]["otlp_grpc/server"]["tls"] == {"insecure": True}
    assert cfg["exporters"]["otlp_grpc/server"]["sending_queue"] == {"enabled": True, "queue_size": 1000}
    assert cfg["processors"]["attributes/tags"]["actions"] == [
        {"key": "host.name", "value": "app-1.lab", "action": "insert"},
        {"key": "os.type", "value": "linux", "action": "insert"}]
    assert cfg["service"]["pipelines"]["traces"]["processors"] == ["memory_limiter", "attributes/tags", "batch"]
    assert cfg["extensions"] == {"healthcheckv2": {"use_v2": True, "http": {"endpoint": "0.0.0.0:13133"}}}


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
    assert cfg["extensions"] == {"health_check": {"endpoint": "0.0.0.0:13133"}}
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
        "--processor.jaeger-compact.server-host-port=0.0.0.0:6831",
        "--processor.jaeger-binary.server-host-port=0.0.0.0:6832",
        "--processor.zipkin-compact.server-host-port=127.0.0.1:5775",
        "--http-server.host-port=0.0.0.0:5778",
        "--admin.http.host-port=0.0.0.0:14271",
        "--log-level=info",
        "--reporter.grpc.tls.enabled=true",
        "--reporter.grpc.tls.skip-host-verify=true"]


def test_passthrough_is_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["processors"]["batch"] == {"timeout": "5s", "send_batch_size": 512}


@pytest.mark.parametrize("variant", sorted(BAD))
def test_bad_input_fails_naming_the_problem(rendered, variant):
    failure = rendered[variant]["failed"]
    assert failure is not None, "%s was accepted" % variant
    assert BAD[variant][1] in failure
