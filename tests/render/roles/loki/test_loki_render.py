"""Structural checks of the Loki configuration the loki role renders (through Ansible, with the role's defaults)."""

import pytest
import yaml

import loki_schema
from harness import render

S3 = {"loki_storage_type": "s3", "loki_s3_endpoint": "minio.test:9000", "loki_s3_bucket": "loki-chunks",
      "loki_s3_access_key_id": "AKIDVIGILTEST", "loki_s3_secret_access_key": "s3cr3t\"$with`quotes"}
HA = dict(S3, loki_ha_enabled=True, loki_cluster_group="loki_nodes", loki_replication_factor=3)
MTLS = {"loki_tls_cert_file": "/etc/loki/tls/node.crt", "loki_tls_key_file": "/etc/loki/tls/node.key",
        "loki_tls_client_ca_file": "/etc/loki/tls/ca.crt"}
# A cluster: gRPC on every interface under mTLS; memberlist has no authentication of its own, so
# the operator says a firewall guards it.
HA_NODE = dict(HA, loki_grpc_listen_address="", loki_allow_unauthenticated=True, **MTLS)
VARIANTS = {
    "default": {},
    "s3": S3,
    "ha1": dict(HA_NODE, vigil_address="10.0.0.1"),
    "ha2": dict(HA_NODE, vigil_address="10.0.0.2"),
    "ha3": dict(HA_NODE, ansible_host="loki-3.test"),
    "mtls": dict(MTLS, loki_http_listen_address="0.0.0.0"),
    "exposed_allowed": {"loki_http_listen_address": "0.0.0.0", "loki_allow_unauthenticated": True},
    "passthrough": {"loki_config": {"server": {"log_format": "json"}, "limits_config": {"max_query_series": 1000}},
                    "loki_limits": {"ingestion_rate_mb": 8}, "loki_http_listen_address": "10.1.2.3",
                    "loki_allow_unauthenticated": True,
                    "loki_ruler_alertmanager_url": "http://am.test:9093",
                    "loki_retention_streams": [{"selector": '{job="audit"}', "priority": 1, "period": "2160h"}]},
    "no_retention": {"loki_retention_enabled": False},
    "keep_forever": {"loki_retention_period": "0s"},
    "bad_retention": {"loki_retention_period": "12h"},
    "bad_stream_retention": {"loki_retention_streams": [{"selector": '{job="x"}', "priority": 1, "period": "6h"}]},
    "bad_index_period": {"loki_schema_configs": [{"from": "2024-01-01", "store": "tsdb", "schema": "v13",
                                                  "index": {"prefix": "index_", "period": "168h"}}]},
    "bad_schema_order": {"loki_schema_configs": [
        {"from": "2025-01-01", "store": "tsdb", "schema": "v13", "index": {"prefix": "index_", "period": "24h"}},
        {"from": "2024-01-01", "store": "tsdb", "schema": "v13", "index": {"prefix": "index_", "period": "24h"}}]},
    "bad_ha_filesystem": {"loki_ha_enabled": True, "loki_cluster_group": "loki_nodes"},
    "bad_s3": {"loki_storage_type": "s3"},
    "bad_exposed": {"loki_http_listen_address": "0.0.0.0"},
    "bad_exposed_ip": {"loki_http_listen_address": "10.1.2.3"},
    "bad_address_with_port": {"loki_http_listen_address": "0.0.0.0:3100"},
    "bad_tls_key": {"loki_tls_key_file": "/etc/loki/tls/node.key"},
    "bad_client_ca": {"loki_tls_client_ca_file": "/etc/loki/tls/ca.crt"},
    "bad_ha_loopback": dict(HA, loki_cluster_group="loki_nodes_bad", vigil_address="10.0.0.9", **MTLS),
}
GROUPS = {"loki_nodes": ["ha1", "ha2", "ha3"], "loki_nodes_bad": ["bad_ha_loopback", "ha2", "ha3"]}


@pytest.fixture(scope="module")
def rendered():
    return render("loki", VARIANTS, ["config.yml.j2", "loki.env.j2"],
                  dump=["_loki_exec_args", "_loki_validate", "_loki_uses_env", "_loki_probe_url"], groups=GROUPS)


def config(rendered, name):
    assert rendered[name]["failed"] is None, rendered[name]["failed"]
    return yaml.safe_load(rendered[name]["files"]["config.yml.j2"])


@pytest.mark.parametrize("name", ["default", "s3", "ha1", "ha2", "ha3", "mtls", "exposed_allowed", "passthrough", "no_retention",
                                  "keep_forever"])
def test_every_key_is_a_documented_loki_key(rendered, name):
    cfg = config(rendered, name)
    assert loki_schema.unknown_keys(cfg) == []
    assert loki_schema.semantic_errors(cfg) == []


def test_default_is_single_node_tsdb_v13_with_retention(rendered):
    cfg = config(rendered, "default")
    assert cfg["auth_enabled"] is False
    assert cfg["server"] == {"http_listen_port": 3100, "grpc_listen_port": 9095, "log_level": "info",
                             "http_listen_address": "127.0.0.1", "grpc_listen_address": "127.0.0.1"}
    assert cfg["common"]["path_prefix"] == "/var/lib/loki"
    assert cfg["common"]["storage"] == {"filesystem": {"chunks_directory": "/var/lib/loki/chunks",
                                                       "rules_directory": "/var/lib/loki/rules"}}
    assert cfg["common"]["ring"] == {"kvstore": {"store": "inmemory"}}
    assert cfg["common"]["replication_factor"] == 1
    assert cfg["schema_config"]["configs"] == [{"from": "2024-01-01", "store": "tsdb", "object_store": "filesystem",
                                                "schema": "v13", "index": {"prefix": "index_", "period": "24h"}}]
    assert cfg["compactor"]["retention_enabled"] is True
    assert cfg["compactor"]["delete_request_store"] == "filesystem"
    assert cfg["compactor"]["working_directory"].startswith("/var/lib/loki/")
    assert cfg["limits_config"]["retention_period"] == "744h"
    assert cfg["analytics"] == {"reporting_enabled": False}
    assert "memberlist" not in cfg and "ruler" not in cfg
    assert rendered["default"]["vars"]["_loki_uses_env"] is False
    assert rendered["default"]["vars"]["_loki_exec_args"] == ["-config.file=/etc/loki/config.yml", "-target=all"]
    assert rendered["default"]["vars"]["_loki_validate"] == "/usr/local/bin/loki -config.file=%s -verify-config"
    assert rendered["default"]["vars"]["_loki_probe_url"] == "http://127.0.0.1:3100/ready"


def test_mtls_serves_https_and_requires_client_certificates(rendered):
    server = config(rendered, "mtls")["server"]
    assert server["http_listen_address"] == "0.0.0.0"
    assert server["http_tls_config"] == {"cert_file": "/etc/loki/tls/node.crt", "key_file": "/etc/loki/tls/node.key",
                                         "client_auth_type": "RequireAndVerifyClientCert",
                                         "client_ca_file": "/etc/loki/tls/ca.crt"}
    # gRPC stays on loopback, plain: Loki dials itself at 127.0.0.1
    assert server["grpc_listen_address"] == "127.0.0.1" and "grpc_tls_config" not in server
    assert rendered["mtls"]["vars"]["_loki_probe_url"] == "https://127.0.0.1:3100/ready"


def test_the_allow_switch_lets_loki_listen_without_authentication(rendered):
    server = config(rendered, "exposed_allowed")["server"]
    assert server["http_listen_address"] == "0.0.0.0" and "http_tls_config" not in server


def test_s3_credentials_stay_out_of_the_config(rendered):
    text = rendered["s3"]["files"]["config.yml.j2"]
    cfg = yaml.safe_load(text)
    s3 = cfg["common"]["storage"]["s3"]
    assert s3["access_key_id"] == "${LOKI_S3_ACCESS_KEY_ID}"
    assert s3["secret_access_key"] == "${LOKI_S3_SECRET_ACCESS_KEY}"
    assert s3["bucketnames"] == "loki-chunks" and s3["endpoint"] == "minio.test:9000" and s3["s3forcepathstyle"] is True
    assert "s3cr3t" not in text and "AKIDVIGILTEST" not in text
    assert cfg["schema_config"]["configs"][0]["object_store"] == "s3"
    assert cfg["compactor"]["delete_request_store"] == "s3"
    variables = rendered["s3"]["vars"]
    assert "-config.expand-env=true" in variables["_loki_exec_args"]
    assert variables["_loki_validate"].endswith("-verify-config -config.expand-env=true")


def test_env_file_quotes_the_secret_for_systemd(rendered):
    env = rendered["s3"]["files"]["loki.env.j2"]
    assert 'LOKI_S3_ACCESS_KEY_ID="AKIDVIGILTEST"' in env
    assert 'LOKI_S3_SECRET_ACCESS_KEY="s3cr3t\\"\\$with\\`quotes"' in env


def test_ha_joins_the_group_through_memberlist(rendered):
    first, third = config(rendered, "ha1"), config(rendered, "ha3")
    assert first["memberlist"]["join_members"] == ["10.0.0.1:7946", "10.0.0.2:7946", "loki-3.test:7946"]
    assert first["memberlist"]["cluster_label"] == "vigil-loki"
    assert first["common"]["ring"]["kvstore"]["store"] == "memberlist"
    assert first["common"]["replication_factor"] == 3
    assert first["common"]["instance_addr"] == "10.0.0.1"
    assert third["common"]["instance_addr"] == "loki-3.test"
    assert first["common"]["compactor_grpc_address"] == third["common"]["compactor_grpc_address"] == "10.0.0.1:9095"
    # gRPC on every interface under mTLS, for the server and every client of it; memberlist over TLS
    assert "grpc_listen_address" not in first["server"]
    assert first["server"]["grpc_tls_config"]["client_auth_type"] == "RequireAndVerifyClientCert"
    assert first["ingester_client"]["grpc_client_config"]["tls_enabled"] is True
    assert first["compactor_grpc_client"]["tls_ca_path"] == "/etc/loki/tls/ca.crt"
    assert first["memberlist"]["tls_enabled"] is True and "bind_addr" not in first["memberlist"]


def test_pass_through_and_limits_are_deep_merged(rendered):
    cfg = config(rendered, "passthrough")
    assert cfg["server"]["log_format"] == "json" and cfg["server"]["http_listen_port"] == 3100
    assert cfg["server"]["http_listen_address"] == "10.1.2.3"
    assert cfg["limits_config"]["max_query_series"] == 1000
    assert cfg["limits_config"]["ingestion_rate_mb"] == 8
    assert cfg["limits_config"]["retention_period"] == "744h"
    assert cfg["limits_config"]["retention_stream"] == [{"selector": '{job="audit"}', "priority": 1, "period": "2160h"}]
    assert cfg["ruler"] == {"alertmanager_url": "http://am.test:9093"}


def test_retention_off_renders_no_delete_settings(rendered):
    cfg = config(rendered, "no_retention")
    assert cfg["compactor"]["retention_enabled"] is False
    assert "delete_request_store" not in cfg["compactor"]
    assert "retention_period" not in cfg["limits_config"]


@pytest.mark.parametrize("name, words", [
    ("bad_retention", ["loki_retention_period (12h)", "index period (24h)"]),
    ("bad_stream_retention", ["loki_retention_streams"]),
    ("bad_index_period", ["index.period 24h"]),
    ("bad_schema_order", ["ascending order"]),
    ("bad_ha_filesystem", ["loki_ha_enabled needs loki_storage_type s3"]),
    ("bad_s3", ["loki_s3_bucket"]),
    ("bad_exposed", ["loki_http_listen_address listens on 0.0.0.0:3100 without authentication", "loki_allow_unauthenticated"]),
    ("bad_exposed_ip", ["loki_http_listen_address listens on 10.1.2.3:3100", "loki_tls_client_ca_file"]),
    ("bad_address_with_port", ["loki_http_listen_address is '0.0.0.0:3100', not an address without a port",
                               "set loki_http_listen_address: 0.0.0.0 and loki_http_listen_port: 3100"]),
    ("bad_tls_key", ["loki_tls_cert_file and loki_tls_key_file", "got only loki_tls_key_file"]),
    ("bad_client_ca", ["loki_tls_client_ca_file", "needs them too"]),
    ("bad_ha_loopback", ["other nodes reach this one over gRPC", "loki_grpc_listen_address is '127.0.0.1'"]),
])
def test_bad_input_fails_in_preflight_naming_the_variable(rendered, name, words):
    message = rendered[name]["failed"]
    assert message, "%s was accepted" % name
    for word in words:
        assert word in message


def test_schema_knows_loki_rules():
    good = {"common": {"path_prefix": "/x"}, "schema_config": {"configs": [
        {"from": "2024-01-01", "store": "tsdb", "object_store": "filesystem", "schema": "v13", "index": {"period": "24h"}}]}}
    assert loki_schema.check(good) == []
    assert loki_schema.check(dict(good, bogus=1)) == ["field bogus not found in type loki.ConfigWrapper"]
    assert loki_schema.unknown_keys({"server": {"http_port": 1}}) == ["server.http_port"]
    retention = dict(good, compactor={"retention_enabled": True})
    assert any("delete-request-store" in e for e in loki_schema.check(retention))
    short = dict(good, limits_config={"retention_period": "12h"})
    assert any("retention period must be >= 24h" in e for e in loki_schema.check(short))
    old = {"common": {"path_prefix": "/x"}, "schema_config": {"configs": [
        {"from": "2024-01-01", "store": "tsdb", "object_store": "filesystem", "schema": "v12", "index": {"period": "24h"}}]}}
    assert any("schema v13 is required" in e for e in loki_schema.check(old))
