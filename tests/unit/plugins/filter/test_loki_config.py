# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""loki_config: the blocks of Loki's config.yml from the loki role's settings."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.loki_config import SETTINGS, loki_config

SCHEMA = {"from": "2024-01-01", "store": "tsdb", "schema": "v13", "index": {"prefix": "index_", "period": "24h"}}
# The role's defaults.
DEFAULT = {
    "auth_enabled": False, "log_level": "info", "http_listen_address": "127.0.0.1", "http_listen_port": 3100,
    "grpc_listen_address": "127.0.0.1", "grpc_listen_port": 9095, "tls_cert_file": "", "tls_key_file": "",
    "tls_client_ca_file": "", "tls_server_name": "", "data_dir": "/var/lib/loki", "storage_type": "filesystem", "s3_endpoint": "",
    "s3_region": "", "s3_bucket": "", "s3_insecure": False, "s3_force_path_style": True, "schema_configs": [SCHEMA],
    "retention_enabled": True, "retention_period": "744h", "retention_streams": [], "retention_delete_delay": "2h",
    "compaction_interval": "10m", "limits": {}, "ha_enabled": False, "replication_factor": 3, "memberlist_port": 7946,
    "memberlist_cluster_label": "vigil-loki", "ruler_alertmanager_url": "", "instance_address": "loki-1",
    "cluster_addresses": [], "compactor_address": "loki-1",
}
S3 = dict(DEFAULT, storage_type="s3", s3_endpoint="minio.test:9000", s3_bucket="loki-chunks")
HA = dict(S3, ha_enabled=True, instance_address="10.0.0.2", cluster_addresses=["10.0.0.1", "10.0.0.2", "loki-3.test"],
          compactor_address="10.0.0.1", grpc_listen_address="")
TLS = {"tls_cert_file": "/etc/loki/tls/node.crt", "tls_key_file": "/etc/loki/tls/node.key"}
MTLS = dict(TLS, tls_client_ca_file="/etc/loki/tls/ca.crt")


def test_default_is_a_single_node_on_the_filesystem():
    config = loki_config(DEFAULT)
    assert list(config) == ["auth_enabled", "server", "common", "schema_config", "compactor", "limits_config", "analytics"]
    assert config["server"] == {"http_listen_port": 3100, "grpc_listen_port": 9095, "log_level": "info",
                                "http_listen_address": "127.0.0.1", "grpc_listen_address": "127.0.0.1"}
    assert config["common"] == {
        "path_prefix": "/var/lib/loki", "instance_addr": "127.0.0.1", "replication_factor": 1,
        "ring": {"kvstore": {"store": "inmemory"}},
        "storage": {"filesystem": {"chunks_directory": "/var/lib/loki/chunks", "rules_directory": "/var/lib/loki/rules"}}}
    assert config["schema_config"] == {"configs": [dict(SCHEMA, object_store="filesystem")]}
    assert config["compactor"] == {"working_directory": "/var/lib/loki/compactor", "compaction_interval": "10m",
                                   "retention_enabled": True, "retention_delete_delay": "2h",
                                   "delete_request_store": "filesystem"}
    assert config["limits_config"] == {"reject_old_samples": True, "reject_old_samples_max_age": "168h",
                                       "allow_structured_metadata": True, "volume_enabled": True,
                                       "retention_period": "744h"}
    assert config["analytics"] == {"reporting_enabled": False}


def test_the_input_is_not_changed():
    settings = dict(DEFAULT, schema_configs=[dict(SCHEMA)], limits={"max_query_series": 10})
    loki_config(settings)
    assert settings["schema_configs"] == [SCHEMA] and settings["limits"] == {"max_query_series": 10}


def test_s3_names_the_credentials_and_sets_only_the_given_endpoint_and_region():
    storage = loki_config(S3)["common"]["storage"]
    assert storage == {"s3": {"bucketnames": "loki-chunks", "access_key_id": "${LOKI_S3_ACCESS_KEY_ID}",
                              "secret_access_key": "${LOKI_S3_SECRET_ACCESS_KEY}", "s3forcepathstyle": True,
                              "insecure": False, "endpoint": "minio.test:9000"}}
    aws = loki_config(dict(S3, s3_endpoint="", s3_region="eu-west-1"))["common"]["storage"]["s3"]
    assert aws["region"] == "eu-west-1" and "endpoint" not in aws


def test_a_period_keeps_its_own_object_store():
    other = dict(SCHEMA, **{"from": "2025-01-01", "object_store": "filesystem"})
    configs = loki_config(dict(S3, schema_configs=[SCHEMA, other]))["schema_config"]["configs"]
    assert [c["object_store"] for c in configs] == ["s3", "filesystem"]
    assert list(configs[1]) == list(other)  # the period's own key order stays


def test_ha_joins_every_node_through_memberlist():
    config = loki_config(HA)
    assert config["common"]["instance_addr"] == "10.0.0.2"
    assert config["common"]["replication_factor"] == 3
    assert config["common"]["ring"] == {"kvstore": {"store": "memberlist"}}
    assert config["common"]["compactor_grpc_address"] == "10.0.0.1:9095"
    assert config["memberlist"] == {"join_members": ["10.0.0.1:7946", "10.0.0.2:7946", "loki-3.test:7946"],
                                    "bind_port": 7946, "cluster_label": "vigil-loki"}
    assert "grpc_listen_address" not in config["server"]


def test_ha_memberlist_binds_where_grpc_listens():
    config = loki_config(dict(HA, grpc_listen_address="10.0.0.2"))
    assert config["server"]["grpc_listen_address"] == "10.0.0.2"
    assert config["memberlist"]["bind_addr"] == ["10.0.0.2"]
    assert loki_config(dict(HA, grpc_listen_address="[fd00::2]"))["memberlist"]["bind_addr"] == ["fd00::2"]


def test_tls_on_a_single_node_covers_http_only():
    """gRPC on loopback is Loki talking to itself at 127.0.0.1: no TLS there, no client to change."""
    config = loki_config(dict(DEFAULT, **MTLS))
    assert config["server"]["http_tls_config"] == {
        "cert_file": "/etc/loki/tls/node.crt", "key_file": "/etc/loki/tls/node.key",
        "client_auth_type": "RequireAndVerifyClientCert", "client_ca_file": "/etc/loki/tls/ca.crt"}
    assert "grpc_tls_config" not in config["server"]
    assert not {"ingester_client", "frontend_worker", "compactor_grpc_client", "storage_config"} & set(config)


def test_tls_without_client_ca_asks_for_no_client_certificate():
    server = loki_config(dict(DEFAULT, **TLS))["server"]
    assert server["http_tls_config"] == {"cert_file": "/etc/loki/tls/node.crt", "key_file": "/etc/loki/tls/node.key"}


def test_ha_mtls_covers_grpc_its_clients_and_memberlist():
    config = loki_config(dict(HA, tls_server_name="loki.cluster.test", ruler_alertmanager_url="http://am.test:9093", **MTLS))
    assert config["server"]["grpc_tls_config"] == config["server"]["http_tls_config"]
    assert config["server"]["grpc_tls_config"]["client_auth_type"] == "RequireAndVerifyClientCert"
    client = {"tls_enabled": True, "tls_cert_path": "/etc/loki/tls/node.crt", "tls_key_path": "/etc/loki/tls/node.key",
              "tls_ca_path": "/etc/loki/tls/ca.crt", "tls_server_name": "loki.cluster.test"}
    assert config["ingester_client"] == {"grpc_client_config": client}
    assert config["frontend"] == config["frontend_worker"] == config["query_scheduler"] == {"grpc_client_config": client}
    assert config["compactor_grpc_client"] == client
    assert config["ruler"] == {"alertmanager_url": "http://am.test:9093", "ruler_client": client}
    assert config["storage_config"] == {"tsdb_shipper": {"index_gateway_client": {"grpc_client_config": client}}}
    memberlist = config["memberlist"]
    assert {key: memberlist[key] for key in client} == client


def test_ha_tls_without_client_ca_checks_servers_against_the_system_roots():
    config = loki_config(dict(HA, **TLS))
    assert config["compactor_grpc_client"] == {"tls_enabled": True, "tls_cert_path": "/etc/loki/tls/node.crt",
                                               "tls_key_path": "/etc/loki/tls/node.key"}


def test_ha_brackets_ipv6_addresses():
    config = loki_config(dict(HA, cluster_addresses=["fd00::1", "fd00::2"], compactor_address="fd00::1"))
    assert config["memberlist"]["join_members"] == ["[fd00::1]:7946", "[fd00::2]:7946"]
    assert config["common"]["compactor_grpc_address"] == "[fd00::1]:9095"


def test_listen_address_ruler_and_limits():
    config = loki_config(dict(DEFAULT, http_listen_address="10.1.2.3", grpc_listen_address="10.1.2.3",
                              ruler_alertmanager_url="http://am.test:9093",
                              retention_streams=[{"selector": '{job="audit"}', "priority": 1, "period": "2160h"}],
                              limits={"ingestion_rate_mb": 8, "reject_old_samples": False}))
    assert config["server"]["http_listen_address"] == config["server"]["grpc_listen_address"] == "10.1.2.3"
    assert config["ruler"] == {"alertmanager_url": "http://am.test:9093"}
    limits = config["limits_config"]
    assert limits["retention_stream"] == [{"selector": '{job="audit"}', "priority": 1, "period": "2160h"}]
    assert limits["ingestion_rate_mb"] == 8 and limits["reject_old_samples"] is False
    assert list(config)[-1] == "ruler"


def test_retention_off_deletes_nothing():
    config = loki_config(dict(DEFAULT, retention_enabled=False,
                              retention_streams=[{"selector": "{a=\"b\"}", "priority": 1, "period": "24h"}]))
    assert config["compactor"] == {"working_directory": "/var/lib/loki/compactor", "compaction_interval": "10m",
                                   "retention_enabled": False}
    assert "retention_period" not in config["limits_config"] and "retention_stream" not in config["limits_config"]


@pytest.mark.parametrize("settings, message", [
    ("loki", "the settings must be a mapping, not str"),
    ({k: v for k, v in DEFAULT.items() if k != "data_dir"}, "settings missing: data_dir"),
    (dict(DEFAULT, storage="s3"), "unknown settings: storage"),
    (dict(DEFAULT, storage_type="gcs"), "storage_type must be filesystem or s3, not 'gcs'"),
    (dict(DEFAULT, schema_configs=SCHEMA), "schema_configs must be a list of mappings"),
    (dict(DEFAULT, schema_configs=["2024-01-01"]), "schema_configs must be a list of mappings"),
    (dict(DEFAULT, retention_streams="24h"), "retention_streams must be a list"),
    (dict(DEFAULT, cluster_addresses="10.0.0.1"), "cluster_addresses must be a list"),
    (dict(DEFAULT, limits=["x"]), "limits must be a mapping of limits_config keys"),
    (dict(DEFAULT, tls_cert_file="/c.crt"), "tls_cert_file and tls_key_file come together (got only tls_cert_file)"),
    (dict(DEFAULT, tls_key_file="/c.key"), "tls_cert_file and tls_key_file come together (got only tls_key_file)"),
    (dict(DEFAULT, tls_client_ca_file="/ca.crt"), "tls_client_ca_file needs tls_cert_file and tls_key_file"),
])
def test_bad_settings_fail_naming_the_setting(settings, message):
    with pytest.raises(AnsibleFilterError, match="^loki_config: ") as err:
        loki_config(settings)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_every_setting_is_read():
    assert set(DEFAULT) == set(SETTINGS)
