# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documented Loki 3.x configuration blocks and the keys of those the loki role renders.

Written from Loki's configuration reference (docs/sources/shared/configuration.md) and its
retention and storage guides. Used twice: by the unit tests (every key the role renders must be a
documented key) and by the Loki test stand-in, which rejects configurations the way
``loki -verify-config`` does (unknown fields, retention and schema rules). Standard library only;
the stand-in builder inlines this file, so it has no imports of its own package.
"""

import re

ANY = None  # a documented block whose keys are not modelled here: anything is accepted

_TLS = {"cert_path", "key_path", "ca_path", "server_name", "insecure_skip_verify", "cipher_suites", "min_version"}
_HTTP_CONFIG = {"idle_conn_timeout", "response_header_timeout", "insecure_skip_verify", "ca_file"}
_S3 = {
    "s3": ANY, "s3forcepathstyle": ANY, "bucketnames": ANY, "endpoint": ANY, "region": ANY,
    "access_key_id": ANY, "secret_access_key": ANY, "session_token": ANY, "insecure": ANY,
    "disable_dualstack": ANY, "http_config": _HTTP_CONFIG, "signature_version": ANY, "storage_class": ANY,
    "sse": ANY, "backoff_config": ANY, "chunk_delimiter": ANY,
}
_FILESYSTEM_COMMON = {"chunks_directory": ANY, "rules_directory": ANY}
_KVSTORE = {"store": ANY, "prefix": ANY, "consul": ANY, "etcd": ANY, "multi": ANY}
_RING = {
    "kvstore": _KVSTORE, "heartbeat_period": ANY, "heartbeat_timeout": ANY, "tokens_file_path": ANY,
    "zone_awareness_enabled": ANY, "instance_id": ANY, "instance_interface_names": ANY, "instance_port": ANY,
    "instance_addr": ANY, "instance_availability_zone": ANY, "instance_enable_ipv6": ANY,
}
_OBJECT_STORAGE = {
    "s3": _S3, "gcs": ANY, "azure": ANY, "alibabacloud": ANY, "bos": ANY, "swift": ANY,
    "filesystem": _FILESYSTEM_COMMON, "hedging": ANY, "congestion_control": ANY, "cos": ANY,
    "object_store": ANY,
}

SCHEMA = {
    "target": ANY,
    "auth_enabled": ANY,
    "ballast_bytes": ANY,
    "shutdown_delay": ANY,
    "metrics_namespace": ANY,
    "server": {
        "http_listen_network": ANY, "http_listen_address": ANY, "http_listen_port": ANY, "http_listen_conn_limit": ANY,
        "grpc_listen_network": ANY, "grpc_listen_address": ANY, "grpc_listen_port": ANY, "grpc_listen_conn_limit": ANY,
        "tls_cipher_suites": ANY, "tls_min_version": ANY, "http_tls_config": ANY, "grpc_tls_config": ANY,
        "register_instrumentation": ANY, "report_grpc_codes_in_instrumentation_label_enabled": ANY,
        "graceful_shutdown_timeout": ANY, "http_server_read_timeout": ANY, "http_server_read_header_timeout": ANY,
        "http_server_write_timeout": ANY, "http_server_idle_timeout": ANY, "http_log_closed_connections_without_response_enabled": ANY,
        "grpc_server_max_recv_msg_size": ANY, "grpc_server_max_send_msg_size": ANY,
        "grpc_server_max_concurrent_streams": ANY, "grpc_server_max_connection_idle": ANY,
        "grpc_server_max_connection_age": ANY, "grpc_server_max_connection_age_grace": ANY,
        "grpc_server_keepalive_time": ANY, "grpc_server_keepalive_timeout": ANY,
        "grpc_server_min_time_between_pings": ANY, "grpc_server_ping_without_stream_allowed": ANY,
        "grpc_server_num_workers": ANY, "log_format": ANY, "log_level": ANY, "log_source_ips_enabled": ANY,
        "log_source_ips_header": ANY, "log_source_ips_regex": ANY, "log_request_headers": ANY,
        "log_request_at_info_level_enabled": ANY, "log_request_exclude_headers_list": ANY,
        "http_path_prefix": ANY,
    },
    "common": {
        "path_prefix": ANY, "storage": _OBJECT_STORAGE, "persist_tokens": ANY, "replication_factor": ANY,
        "ring": _RING, "instance_interface_names": ANY, "instance_addr": ANY, "instance_enable_ipv6": ANY,
        "compactor_address": ANY, "compactor_grpc_address": ANY,
    },
    "schema_config": {"configs": ANY},
    "storage_config": {
        "tsdb_shipper": ANY, "boltdb_shipper": ANY, "filesystem": {"directory": ANY}, "aws": _S3,
        "azure": ANY, "gcs": ANY, "bos": ANY, "cos": ANY, "swift": ANY, "alibabacloud": ANY,
        "bigtable": ANY, "cassandra": ANY, "grpc_store": ANY, "hedging": ANY, "index_cache_validity": ANY,
        "index_queries_cache_config": ANY, "disable_broad_index_queries": ANY, "max_parallel_get_chunk": ANY,
        "max_chunk_batch_size": ANY, "named_stores": ANY, "use_thanos_objstore": ANY, "object_store": ANY,
        "congestion_control": ANY,
    },
    "limits_config": {
        "ingestion_rate_strategy": ANY, "ingestion_rate_mb": ANY, "ingestion_burst_size_mb": ANY,
        "max_label_name_length": ANY, "max_label_value_length": ANY, "max_label_names_per_series": ANY,
        "reject_old_samples": ANY, "reject_old_samples_max_age": ANY, "creation_grace_period": ANY,
        "max_line_size": ANY, "max_line_size_truncate": ANY, "increment_duplicate_timestamp": ANY,
        "discover_service_name": ANY, "discover_log_levels": ANY, "log_level_fields": ANY,
        "use_owned_stream_count": ANY, "max_streams_per_user": ANY, "max_global_streams_per_user": ANY,
        "unordered_writes": ANY, "per_stream_rate_limit": ANY, "per_stream_rate_limit_burst": ANY,
        "max_chunks_per_query": ANY, "max_query_series": ANY, "max_query_lookback": ANY, "max_query_length": ANY,
        "max_query_range": ANY, "max_query_parallelism": ANY, "tsdb_max_query_parallelism": ANY,
        "tsdb_max_bytes_per_shard": ANY, "tsdb_sharding_strategy": ANY, "cardinality_limit": ANY,
        "max_streams_matchers_per_query": ANY, "max_concurrent_tail_requests": ANY,
        "max_entries_limit_per_query": ANY, "max_cache_freshness_per_query": ANY,
        "max_metadata_cache_freshness": ANY, "max_stats_cache_freshness": ANY, "max_queriers_per_tenant": ANY,
        "max_query_capacity": ANY, "query_ready_index_num_days": ANY, "query_timeout": ANY,
        "split_queries_by_interval": ANY, "split_metadata_queries_by_interval": ANY,
        "split_recent_metadata_queries_by_interval": ANY, "split_instant_metric_queries_by_interval": ANY,
        "split_ingester_queries_by_interval": ANY, "min_sharding_lookback": ANY, "max_query_bytes_read": ANY,
        "max_querier_bytes_read": ANY, "volume_enabled": ANY, "volume_max_series": ANY,
        "retention_period": ANY, "retention_stream": ANY, "per_tenant_override_config": ANY,
        "per_tenant_override_period": ANY, "deletion_mode": ANY, "query_timeout_ingester": ANY,
        "shard_streams": ANY, "blocked_queries": ANY, "required_labels": ANY, "minimum_labels_number": ANY,
        "allow_structured_metadata": ANY, "max_structured_metadata_size": ANY,
        "max_structured_metadata_entries_count": ANY, "otlp_config": ANY, "ruler_remote_write_disabled": ANY,
        "ruler_alertmanager_config": ANY, "ruler_max_rules_per_rule_group": ANY, "ruler_max_rule_groups_per_tenant": ANY,
        "ruler_evaluation_delay_duration": ANY, "ingestion_partitions_tenant_shard_size": ANY,
        "pattern_persistence_enabled": ANY, "bloom_creation_enabled": ANY, "bloom_gateway_enable_filtering": ANY,
        "max_global_streams_per_tenant": ANY, "time_sharding_enabled": ANY, "policy_stream_mapping": ANY,
    },
    "compactor": {
        "working_directory": ANY, "compaction_interval": ANY, "apply_retention_interval": ANY,
        "retention_enabled": ANY, "retention_delete_delay": ANY, "retention_delete_worker_count": ANY,
        "retention_table_timeout": ANY, "retention_backoff_config": ANY, "delete_request_store": ANY,
        "delete_request_store_key_prefix": ANY, "delete_request_store_db_type": ANY, "delete_batch_size": ANY,
        "delete_request_cancel_period": ANY, "delete_max_interval": ANY, "max_compaction_parallelism": ANY,
        "upload_parallelism": ANY, "compactor_ring": ANY, "run_once": ANY, "tables_to_compact": ANY,
        "skip_latest_n_tables": ANY, "horizontal_scaling_mode": ANY, "worker_config": ANY, "jobs_config": ANY,
    },
    "ruler": {
        "external_url": ANY, "datasource_uid": ANY, "external_labels": ANY, "ruler_client": ANY,
        "evaluation_interval": ANY, "poll_interval": ANY, "storage": ANY, "rule_path": ANY,
        "alertmanager_url": ANY, "enable_alertmanager_discovery": ANY, "alertmanager_refresh_interval": ANY,
        "enable_alertmanager_v2": ANY, "alert_relabel_configs": ANY, "notification_queue_capacity": ANY,
        "notification_timeout": ANY, "alertmanager_client": ANY, "for_outage_tolerance": ANY,
        "for_grace_period": ANY, "resend_delay": ANY, "enable_sharding": ANY, "sharding_strategy": ANY,
        "sharding_algo": ANY, "search_pending_for": ANY, "ring": ANY, "flush_period": ANY, "enable_api": ANY,
        "enabled_tenants": ANY, "disabled_tenants": ANY, "query_stats_enabled": ANY,
        "disable_rule_group_label": ANY, "wal": ANY, "wal_cleaner": ANY, "remote_write": ANY, "evaluation": ANY,
    },
    "analytics": {"reporting_enabled": ANY, "leader_election": ANY, "usage_stats_url": ANY, "proxy_url": ANY},
    "memberlist": {
        "node_name": ANY, "randomize_node_name": ANY, "stream_timeout": ANY, "retransmit_factor": ANY,
        "pull_push_interval": ANY, "gossip_interval": ANY, "gossip_nodes": ANY, "gossip_to_dead_nodes_time": ANY,
        "dead_node_reclaim_time": ANY, "compression_enabled": ANY, "notify_interval": ANY,
        "advertise_addr": ANY, "advertise_port": ANY, "cluster_label": ANY,
        "cluster_label_verification_disabled": ANY, "join_members": ANY, "min_join_backoff": ANY,
        "max_join_backoff": ANY, "max_join_retries": ANY, "abort_if_cluster_join_fails": ANY,
        "rejoin_interval": ANY, "left_ingesters_timeout": ANY, "leave_timeout": ANY,
        "broadcast_timeout_for_local_updates_on_shutdown": ANY, "message_history_buffer_bytes": ANY,
        "bind_addr": ANY, "bind_port": ANY, "packet_dial_timeout": ANY, "packet_write_timeout": ANY,
        "max_concurrent_writes": ANY, "acquire_writer_timeout": ANY, "tls_enabled": ANY,
    } | {"tls_" + key: ANY for key in _TLS},
    "ingester": ANY, "ingester_client": ANY, "distributor": ANY, "querier": ANY, "query_scheduler": ANY,
    "frontend": ANY, "frontend_worker": ANY, "query_range": ANY, "pattern_ingester": ANY,
    "index_gateway": ANY, "bloom_build": ANY, "bloom_gateway": ANY, "chunk_store_config": ANY,
    "compactor_grpc_client": ANY, "compactor_client": ANY, "table_manager": ANY, "runtime_config": ANY,
    "operational_config": ANY, "tracing": ANY, "profiling": ANY, "kafka_config": ANY, "dataobj": ANY,
    "block_builder": ANY, "block_scheduler": ANY, "ui": ANY, "ingest_limits": ANY,
    "ingest_limits_frontend": ANY, "ingest_limits_frontend_client": ANY, "limits_config_override": ANY,
}

STORES = ("tsdb", "boltdb-shipper")
SCHEMAS = ("v11", "v12", "v13")
OBJECT_STORES = ("filesystem", "s3", "aws", "gcs", "azure", "swift", "bos", "cos", "alibabacloud", "inmemory")
_DURATION = re.compile(r"^(\d+(ms|y|w|d|h|m|s))+$")
_UNIT = {"y": 31536000, "w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


def duration(value, where):
    """Seconds of a Prometheus duration (what Loki's model.Duration accepts); ValueError naming ``where``."""
    text = str(value).strip()
    if text == "0":
        return 0
    if not _DURATION.match(text):
        raise ValueError("%s: not a valid duration string: %r" % (where, text))
    return sum(int(n) * _UNIT[u] for n, u in re.findall(r"(\d+)(ms|y|w|d|h|m|s)", text))


def unknown_keys(config, schema=None, path=""):
    """Every key of ``config`` that is not a documented Loki key, as dotted paths."""
    schema = SCHEMA if schema is None else schema
    found = []
    if not isinstance(config, dict):
        return found
    for key, value in config.items():
        where = "%s.%s" % (path, key) if path else str(key)
        if key not in schema:
            found.append(where)
            continue
        sub = schema[key]
        if isinstance(sub, dict) and isinstance(value, dict):
            found.extend(unknown_keys(value, sub, where))
        elif isinstance(sub, set) and isinstance(value, dict):
            found.extend("%s.%s" % (where, k) for k in value if k not in sub)
    return found


def _get(config, dotted, default=None):
    node = config
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def semantic_errors(config):
    """Loki's own checks of a parsed configuration, with messages in Loki's words where it has them."""
    errors = []
    configs = _get(config, "schema_config.configs") or []
    if not configs:
        errors.append("invalid schema config: must specify at least one schema configuration")
    previous = ""
    for index, period in enumerate(configs):
        where = "schema_config.configs[%d]" % index
        if not isinstance(period, dict):
            errors.append("%s: not a mapping" % where)
            continue
        start = str(period.get("from", ""))
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", start):
            errors.append("%s: invalid from date %r (YYYY-MM-DD)" % (where, start))
        elif start <= previous:
            errors.append("invalid schema config: schema config periods must be in ascending order (%s)" % start)
        previous = start
        if period.get("store") not in STORES:
            errors.append("%s: unknown index store %r" % (where, period.get("store")))
        if period.get("schema") not in SCHEMAS:
            errors.append("%s: invalid schema version %r" % (where, period.get("schema")))
        if period.get("object_store") not in OBJECT_STORES and period.get("object_store") not in (_get(config, "storage_config.named_stores") or {}):
            errors.append("%s: unrecognized object_store %r" % (where, period.get("object_store")))
        index_period = _get(period, "index.period", "24h")
        try:
            seconds = duration(index_period, where + ".index.period")
            if seconds % 86400:
                errors.append("invalid schema config: the table period must be a multiple of 24h (1h for schema v1)")
        except ValueError as exc:
            errors.append(str(exc))
        if period.get("store") == "tsdb" and period.get("object_store") == "filesystem":
            if not (_get(config, "common.path_prefix") or _get(config, "common.storage.filesystem")
                    or _get(config, "storage_config.filesystem.directory")):
                errors.append("%s: filesystem object store needs common.path_prefix, common.storage.filesystem "
                              "or storage_config.filesystem.directory" % where)
    if configs and isinstance(configs[-1], dict):
        last = configs[-1]
        structured = _get(config, "limits_config.allow_structured_metadata", True)
        if structured and (last.get("store") != "tsdb" or last.get("schema") != "v13"):
            errors.append("CONFIG ERROR: schema v13 is required to store Structured Metadata and use native OTLP ingestion, "
                          "your schema version is %s. Set `allow_structured_metadata: false` in the `limits_config` section "
                          "or set the command line argument `-validation.allow-structured-metadata=false` and restart Loki."
                          % last.get("schema"))
    if _get(config, "compactor.retention_enabled") and not _get(config, "compactor.delete_request_store"):
        errors.append("invalid compactor config: compactor.delete-request-store should be configured when retention is enabled")
    for key in ("limits_config.retention_period", "limits_config.reject_old_samples_max_age",
                "compactor.retention_delete_delay", "compactor.compaction_interval"):
        value = _get(config, key)
        if value is not None:
            try:
                seconds = duration(value, key)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if key == "limits_config.retention_period" and 0 < seconds < 86400:
                errors.append("invalid limits config: retention period must be >= 24h was %s" % value)
    for index, stream in enumerate(_get(config, "limits_config.retention_stream") or []):
        where = "limits_config.retention_stream[%d]" % index
        try:
            if duration(stream.get("period", ""), where + ".period") < 86400:
                errors.append("invalid limits config: retention period must be >= 24h was %s" % stream.get("period"))
        except ValueError as exc:
            errors.append(str(exc))
        if not str(stream.get("selector", "")).startswith("{"):
            errors.append("%s: invalid selector %r" % (where, stream.get("selector")))
    store = _get(config, "common.ring.kvstore.store", "inmemory")
    if store not in ("inmemory", "memberlist", "consul", "etcd", "multi"):
        errors.append("invalid ring config: unknown kvstore %r" % store)
    if store == "memberlist" and not _get(config, "memberlist.join_members"):
        errors.append("memberlist kvstore selected but memberlist.join_members is empty")
    return errors


def check(config):
    """All problems of a parsed configuration: unknown fields first, as Loki's strict YAML reports them."""
    if not isinstance(config, dict):
        return ["config must be a YAML mapping"]
    problems = ["field %s not found in type loki.ConfigWrapper" % key for key in unknown_keys(config)]
    return problems + semantic_errors(config)
