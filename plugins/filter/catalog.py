# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every filter of the collection, each imported from its module when it is first called.

The filters live in ``plugins/plugin_utils/filters/`` (one module per topic, with their unit tests
in ``tests/unit/plugins/filter/``); their documentation is the YAML file of the filter's name in
this directory. This file is the only Python file here on purpose: ansible-core finds a filter of a
collection by importing every Python file of the collection's filter directory, in every worker
process that renders a task using one, so each file here costs every such task (a run makes one
worker per task and host). Keep it to this table: the implementation is imported only by the
worker that calls it.
"""

from __future__ import annotations

from importlib import import_module

_PLUGINS = "ansible_collections.vigil.observability.plugins."

# module (under plugins/) -> the filters it defines, each a function of the filter's name
_MODULES = {
    "plugin_utils.filters.alertmanager_receivers": ("alertmanager_receivers",),
    "plugin_utils.filters.alloy_blocks": ("alloy_http_client_blocks", "alloy_pipeline_blocks"),
    "plugin_utils.filters.alloy_destinations": ("alloy_destinations",),
    "plugin_utils.filters.apt_policy": ("apt_policy", "upstream_version"),
    "plugin_utils.filters.artifact_plan": ("artifact_plan",),
    "plugin_utils.filters.bcrypt_hash": ("bcrypt_hash",),
    "plugin_utils.filters.cache_dir": ("cache_dir",),
    "plugin_utils.filters.cli_flags": ("cli_flags",),
    "plugin_utils.filters.collector_trace_config": (
        "jaeger_agent_processors", "jaeger_components", "jaeger_sampling_strategies", "otel_collector_traces"),
    "plugin_utils.filters.config_file_plan": ("config_file_plan",),
    "plugin_utils.filters.duplicate_names": ("duplicate_names",),
    "plugin_utils.filters.duration_seconds": ("duration_seconds",),
    "plugin_utils.filters.go_arch": ("go_arch",),
    "plugin_utils.filters.grafana_ini_secrets": ("grafana_ini_secrets",),
    "plugin_utils.filters.http_secret_files": ("http_secret_files",),
    "plugin_utils.filters.inventory_scrape_configs": ("inventory_scrape_configs",),
    "plugin_utils.filters.loki_config": ("loki_config",),
    "plugin_utils.filters.node_exporter_collector_flags": ("node_exporter_collector_flags",),
    "plugin_utils.filters.otelcol_checksums": ("otelcol_checksums",),
    "plugin_utils.filters.otlp_exporter": ("otlp_exporter",),
    "plugin_utils.filters.otlp_exporter_config": ("otlp_exporter_config",),
    "plugin_utils.filters.paths_to_change": ("paths_to_change",),
    "plugin_utils.filters.placeholder_secrets": ("placeholder_secrets",),
    "plugin_utils.filters.preflight_problems": (
        "listen_problems", "port_clashes", "receiver_file_collisions", "scrape_job_settings_problems", "url_problems"),
    "plugin_utils.filters.probe_address": ("probe_address",),
    "plugin_utils.filters.prometheus_config": ("prometheus_config", "prometheus_file_sd", "prometheus_rule_files"),
    "plugin_utils.filters.reported_version": ("reported_version",),
    "plugin_utils.filters.service_endpoint": (
        "endpoint_ports", "gateway_trust_changes", "gateway_trust_servers", "host_address", "listen_parts",
        "loopback_host", "service_endpoint", "service_endpoints", "unprotected_listeners"),
    "plugin_utils.filters.sha256_from_sums": ("sha256_from_sums",),
    "plugin_utils.filters.stack_monitors": ("stack_monitors",),
    "plugin_utils.filters.telegraf_config": ("telegraf_config",),
    "plugin_utils.filters.telegraf_problems": ("telegraf_problems",),
    "plugin_utils.filters.to_alloy": ("to_alloy",),
    "plugin_utils.filters.to_ini": ("to_ini",),
    "plugin_utils.filters.to_toml": ("to_toml",),
    "plugin_utils.filters.unit_limits": ("unit_limits", "unit_sandbox"),
    "plugin_utils.filters.verify_results": (
        "metric_sum", "verify_datasource", "verify_monitors", "verify_report", "verify_targets"),
    "plugin_utils.filters.web_config": ("web_config",),
    "module_utils._passwords": ("password_problem",),
}


def _deferred(module, name):
    def call(*args, **kwargs):
        return getattr(import_module(_PLUGINS + module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = "Filter %s of plugins/%s.py, imported on its first call." % (name, module.replace(".", "/"))
    return call


class FilterModule:
    """All filters of vigil.observability."""

    def filters(self):
        return {name: _deferred(module, name) for module, names in _MODULES.items() for name in names}
