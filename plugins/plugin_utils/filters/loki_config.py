# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Loki configuration (config.yml) the loki role's variables describe, block by block."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.utils.vars import merge_hash

from ansible_collections.vigil.observability.plugins.module_utils._address import WILDCARDS, is_loopback, join_hostport as hostport
from ansible_collections.vigil.observability.plugins.module_utils._filter_settings import check_settings, is_list

# Every setting the filter reads: the loki role's variable of the same name without ``loki_``,
# except the three addresses, which the role computes from the inventory.
SETTINGS = (
    "auth_enabled", "log_level", "http_listen_address", "http_listen_port", "grpc_listen_address", "grpc_listen_port",
    "tls_cert_file", "tls_key_file", "tls_client_ca_file", "tls_server_name", "data_dir",
    "storage_type", "s3_endpoint", "s3_region", "s3_bucket", "s3_insecure", "s3_force_path_style",
    "schema_configs", "retention_enabled", "retention_period", "retention_streams", "retention_delete_delay",
    "compaction_interval", "limits", "ha_enabled", "replication_factor", "memberlist_port",
    "memberlist_cluster_label", "ruler_alertmanager_url", "instance_address", "cluster_addresses",
    "compactor_address",
)
STORAGE_TYPES = ("filesystem", "s3")
# limits_config of the role, before retention and loki_limits.
LIMITS_DEFAULT = {"reject_old_samples": True, "reject_old_samples_max_age": "168h", "allow_structured_metadata": True,
                  "volume_enabled": True}
# The credentials stay in the unit's environment file: config.yml only names them
# (expanded by -config.expand-env=true).
S3_CREDENTIALS = {"access_key_id": "${LOKI_S3_ACCESS_KEY_ID}", "secret_access_key": "${LOKI_S3_SECRET_ACCESS_KEY}"}
# Client certificates are required and checked against the client CA when one is given (mTLS).
CLIENT_AUTH = "RequireAndVerifyClientCert"
# The gRPC clients one Loki process (-target=all) uses towards the gRPC servers of its cluster:
# they speak TLS when the gRPC server does. Dotted paths into config.yml.
GRPC_CLIENTS = (
    "ingester_client.grpc_client_config", "frontend.grpc_client_config", "frontend_worker.grpc_client_config",
    "query_scheduler.grpc_client_config", "compactor_grpc_client", "ruler.ruler_client",
    "storage_config.tsdb_shipper.index_gateway_client.grpc_client_config",
)


def _fail(message, *args):
    raise AnsibleFilterError("loki_config: " + (message % args if args else message))


def _checked(settings):
    check_settings("loki_config", settings, SETTINGS, error=AnsibleFilterError)
    if settings["storage_type"] not in STORAGE_TYPES:
        _fail("storage_type must be filesystem or s3, not %r", settings["storage_type"])
    configs = settings["schema_configs"]
    if not is_list(configs) or not all(isinstance(period, Mapping) for period in configs):
        _fail("schema_configs must be a list of mappings (one schema period each), got %r", configs)
    for name in ("retention_streams", "cluster_addresses"):
        if not is_list(settings[name]):
            _fail("%s must be a list, not %r", name, settings[name])
    if not isinstance(settings["limits"], Mapping):
        _fail("limits must be a mapping of limits_config keys, not %r", settings["limits"])
    if bool(settings["tls_cert_file"]) != bool(settings["tls_key_file"]):
        _fail("tls_cert_file and tls_key_file come together (got only %s)",
              "tls_cert_file" if settings["tls_cert_file"] else "tls_key_file")
    if settings["tls_client_ca_file"] and not settings["tls_cert_file"]:
        _fail("tls_client_ca_file needs tls_cert_file and tls_key_file: client certificates are checked over TLS")
    return settings


def _grpc_tls(s):
    """gRPC serves TLS only where other machines reach it (empty listens on every interface): a
    loopback gRPC server is Loki talking to itself, dialled at 127.0.0.1, a name a host's
    certificate rarely carries."""
    return bool(s["tls_cert_file"]) and not is_loopback(str(s["grpc_listen_address"] or "").strip("[]"))


def _server_tls(s):
    tls = {"cert_file": s["tls_cert_file"], "key_file": s["tls_key_file"]}
    if s["tls_client_ca_file"]:
        tls.update(client_auth_type=CLIENT_AUTH, client_ca_file=s["tls_client_ca_file"])
    return tls


def _client_tls(s):
    """The TLS settings of one of Loki's own clients (the ``tls_`` keys of a gRPC client and of
    memberlist): its certificate for mTLS, the cluster's CA (the client CA) to check the servers
    (the system's roots without one), and the name to expect on their certificates."""
    tls = {"tls_enabled": True, "tls_cert_path": s["tls_cert_file"], "tls_key_path": s["tls_key_file"]}
    if s["tls_client_ca_file"]:
        tls["tls_ca_path"] = s["tls_client_ca_file"]
    if s["tls_server_name"]:
        tls["tls_server_name"] = s["tls_server_name"]
    return tls


def _set(config, dotted, value):
    node = config
    keys = dotted.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def _server(s):
    server = {"http_listen_port": s["http_listen_port"], "grpc_listen_port": s["grpc_listen_port"],
              "log_level": s["log_level"]}
    for name in ("http_listen_address", "grpc_listen_address"):
        if s[name]:
            server[name] = s[name]
    if s["tls_cert_file"]:
        server["http_tls_config"] = _server_tls(s)
    if _grpc_tls(s):
        server["grpc_tls_config"] = _server_tls(s)
    return server


def _storage(s):
    if s["storage_type"] == "s3":
        s3 = {"bucketnames": s["s3_bucket"]}
        s3.update(S3_CREDENTIALS)
        s3.update(s3forcepathstyle=s["s3_force_path_style"], insecure=s["s3_insecure"])
        if s["s3_endpoint"]:
            s3["endpoint"] = s["s3_endpoint"]
        if s["s3_region"]:
            s3["region"] = s["s3_region"]
        return {"s3": s3}
    return {"filesystem": {"chunks_directory": "%s/chunks" % s["data_dir"], "rules_directory": "%s/rules" % s["data_dir"]}}


def _common(s):
    ha = bool(s["ha_enabled"])
    common = {"path_prefix": s["data_dir"],
              "instance_addr": s["instance_address"] if ha else "127.0.0.1",
              "replication_factor": s["replication_factor"] if ha else 1,
              "ring": {"kvstore": {"store": "memberlist" if ha else "inmemory"}},
              "storage": _storage(s)}
    if ha:
        common["compactor_grpc_address"] = hostport(s["compactor_address"], s["grpc_listen_port"])
    return common


def _schema_configs(s):
    """Each period, with the role's object store where it names none."""
    out = []
    for period in s["schema_configs"]:
        period = dict(period)
        period["object_store"] = period.get("object_store", s["storage_type"])
        out.append(period)
    return out


def _compactor(s):
    compactor = {"working_directory": "%s/compactor" % s["data_dir"], "compaction_interval": s["compaction_interval"],
                 "retention_enabled": s["retention_enabled"]}
    if s["retention_enabled"]:
        compactor.update(retention_delete_delay=s["retention_delete_delay"], delete_request_store=s["storage_type"])
    return compactor


def _limits(s):
    limits = dict(LIMITS_DEFAULT)
    if s["retention_enabled"]:
        limits["retention_period"] = s["retention_period"]
        if s["retention_streams"]:
            limits["retention_stream"] = s["retention_streams"]
    return merge_hash(limits, s["limits"], True, "replace")


def _memberlist(s):
    """The gossip ring: bound where gRPC listens (every interface when that is empty), over TLS
    with the node's certificate when it has one. Loki's memberlist TLS encrypts and checks the
    server, but does not ask the connecting peer for a certificate."""
    memberlist = {"join_members": [hostport(address, s["memberlist_port"]) for address in s["cluster_addresses"]],
                  "bind_port": s["memberlist_port"], "cluster_label": s["memberlist_cluster_label"]}
    address = str(s["grpc_listen_address"] or "").strip("[]")
    if address not in WILDCARDS:
        memberlist["bind_addr"] = [address]
    if s["tls_cert_file"]:
        memberlist.update(_client_tls(s))
    return memberlist


def loki_config(settings):
    """Return the configuration the role renders before ``loki_config`` is merged over it.

    A single node keeps its ring in memory and listens to itself; with ``ha_enabled`` the nodes
    join through memberlist (every address of ``cluster_addresses``) and share the compactor at
    ``compactor_address``. With ``tls_cert_file`` the HTTP server speaks TLS, and so do gRPC (its
    server and Loki's own clients of it) and memberlist where they leave the host;
    ``tls_client_ca_file`` makes the servers require client certificates signed by it.
    """
    s = _checked(settings)
    config = {"auth_enabled": s["auth_enabled"], "server": _server(s), "common": _common(s),
              "schema_config": {"configs": _schema_configs(s)}, "compactor": _compactor(s),
              "limits_config": _limits(s), "analytics": {"reporting_enabled": False}}
    if s["ha_enabled"]:
        config["memberlist"] = _memberlist(s)
    if s["ruler_alertmanager_url"]:
        config["ruler"] = {"alertmanager_url": s["ruler_alertmanager_url"]}
    if _grpc_tls(s):
        for path in GRPC_CLIENTS:
            _set(config, path, _client_tls(s))
    return config
