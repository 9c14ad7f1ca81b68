# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alloy_http_client_blocks and alloy_pipeline_blocks: the blocks of the alloy role's config.alloy."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.alloy_blocks import alloy_http_client_blocks, alloy_pipeline_blocks
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.to_alloy import to_alloy

METRICS = {"source": "node_exporter", "instance": "web-1", "job": "integrations/node_exporter", "scrape_interval": "60s",
           "unix_arguments": {}, "node_exporter": {"address": "127.0.0.1:9100", "scheme": "http", "client": {}},
           "remote_write_urls": ["http://10.0.0.1:9090/api/v1/write"], "remote_write_client": {}, "external_labels": {}}
LOGS = {"instance": "web-1", "journal_enabled": True, "journal_max_age": "12h", "journal_labels": {"job": "systemd-journal"},
        "files": [{"path": "/var/log/*.log", "labels": {"job": "varlog"}}], "loki_url": "http://10.0.0.1:3100/loki/api/v1/push",
        "tenant_id": "", "loki_client": {}, "external_labels": {}}
TRACES = {"otlp_grpc_endpoint": "0.0.0.0:4317", "otlp_http_endpoint": "0.0.0.0:4318",
          "jaeger_protocols": {"grpc": "0.0.0.0:14250", "thrift_compact": "0.0.0.0:6831"}, "batch_arguments": {},
          "otlp_endpoint": "10.0.0.1:4317", "token": {}, "insecure": True, "insecure_skip_verify": False, "ca_file": ""}


def by_name(blocks):
    return {(b["name"] + "." + b["label"]) if b.get("label") else b["name"]: b for b in blocks}


# --- alloy_http_client_blocks -------------------------------------------------------------
def test_no_settings_no_blocks():
    assert alloy_http_client_blocks({}) == []
    assert alloy_http_client_blocks(None) == []
    assert alloy_http_client_blocks({"username": "", "password_file": "/p", "ca_file": "", "insecure_skip_verify": False}) == []


def test_basic_auth_and_tls():
    blocks = alloy_http_client_blocks({"username": "agent", "password_file": "/etc/alloy/pw", "ca_file": "/ca.pem",
                                       "server_name": "ne.example", "insecure_skip_verify": True})
    assert blocks == [{"name": "basic_auth", "attributes": {"username": "agent", "password_file": "/etc/alloy/pw"}},
                      {"name": "tls_config", "attributes": {"ca_file": "/ca.pem", "server_name": "ne.example",
                                                            "insecure_skip_verify": True}}]


def test_tls_alone_without_empty_values():
    assert alloy_http_client_blocks({"insecure_skip_verify": True, "ca_file": ""}) == [
        {"name": "tls_config", "attributes": {"insecure_skip_verify": True}}]


@pytest.mark.parametrize("bad, message", [
    ("agent", "the client settings must be a mapping"),
    ({"user": "agent"}, "unknown setting(s) user"),
    ({"username": "agent"}, "basic auth for 'agent' needs a password_file"),
])
def test_client_bad_input(bad, message):
    with pytest.raises(AnsibleFilterError, match="^alloy_http_client_blocks: ") as err:
        alloy_http_client_blocks(bad)
    assert message in str(err.value)


# --- metrics --------------------------------------------------------------------------------
def test_metrics_from_node_exporter():
    blocks = alloy_pipeline_blocks(METRICS, "metrics")
    assert [b["name"] for b in blocks] == ["prometheus.scrape", "prometheus.remote_write"]
    scrape = blocks[0]
    assert scrape["attributes"] == {"job_name": "integrations/node_exporter", "scrape_interval": "60s",
                                    "targets": [{"__address__": "127.0.0.1:9100", "instance": "web-1"}]}
    assert scrape["expressions"] == {"forward_to": "[prometheus.remote_write.default.receiver]"}
    assert "blocks" not in scrape
    assert blocks[1] == {"name": "prometheus.remote_write", "label": "default", "attributes": {},
                         "blocks": [{"name": "endpoint", "attributes": {"url": "http://10.0.0.1:9090/api/v1/write"}, "blocks": []}]}


def test_metrics_protected_node_exporter_and_every_remote_write_url():
    settings = dict(METRICS, node_exporter={"address": "127.0.0.1:9100", "scheme": "https",
                                            "client": {"username": "prometheus", "password_file": "/etc/alloy/ne", "ca_file": "/ca"}},
                    remote_write_urls=["https://a:9090/api/v1/write", "https://b:9090/api/v1/write"],
                    remote_write_client={"username": "agent", "password_file": "/etc/alloy/prom"},
                    external_labels={"env": "lab"})
    scrape, write = alloy_pipeline_blocks(settings, "metrics")
    assert scrape["attributes"]["scheme"] == "https"
    assert [b["name"] for b in scrape["blocks"]] == ["basic_auth", "tls_config"]
    assert write["attributes"] == {"external_labels": {"env": "lab"}}
    assert [e["attributes"]["url"] for e in write["blocks"]] == ["https://a:9090/api/v1/write", "https://b:9090/api/v1/write"]
    assert all(e["blocks"] == [{"name": "basic_auth", "attributes": {"username": "agent", "password_file": "/etc/alloy/prom"}}]
               for e in write["blocks"])


def test_metrics_from_the_unix_exporter():
    blocks = by_name(alloy_pipeline_blocks(dict(METRICS, source="unix", unix_arguments={"disable_collectors": ["ipvs"]}), "metrics"))
    assert blocks["prometheus.exporter.unix.default"]["attributes"] == {"disable_collectors": ["ipvs"]}
    assert blocks["discovery.relabel.unix"]["blocks"] == [
        {"name": "rule", "attributes": {"target_label": "instance", "replacement": "web-1"}}]
    scrape = blocks["prometheus.scrape.default"]
    assert "targets" not in scrape["attributes"]
    assert scrape["expressions"] == {"targets": "discovery.relabel.unix.output",
                                     "forward_to": "[prometheus.remote_write.default.receiver]"}


# --- logs -----------------------------------------------------------------------------------
def test_logs_journal_files_and_loki():
    blocks = by_name(alloy_pipeline_blocks(dict(LOGS, tenant_id="ops", external_labels={"env": "lab"},
                                                loki_client={"username": "agent", "password_file": "/etc/alloy/loki"}), "logs"))
    assert list(blocks) == ["loki.relabel.journal", "loki.source.journal.journal", "local.file_match.files",
                            "loki.source.file.files", "loki.write.default"]
    assert blocks["loki.source.journal.journal"]["attributes"]["labels"] == {"job": "systemd-journal", "instance": "web-1"}
    assert blocks["local.file_match.files"]["attributes"]["path_targets"] == [
        {"__path__": "/var/log/*.log", "job": "varlog", "instance": "web-1"}]
    endpoint = blocks["loki.write.default"]["blocks"][0]
    assert endpoint["attributes"] == {"url": "http://10.0.0.1:3100/loki/api/v1/push", "tenant_id": "ops"}
    assert endpoint["blocks"][0]["name"] == "basic_auth"
    assert blocks["loki.write.default"]["attributes"] == {"external_labels": {"env": "lab"}}


def test_logs_without_journal_or_files_still_write():
    blocks = alloy_pipeline_blocks(dict(LOGS, journal_enabled=False, files=[]), "logs")
    assert [b["name"] for b in blocks] == ["loki.write"]


# --- traces ---------------------------------------------------------------------------------
def test_traces_default_receivers_and_plain_grpc_export():
    blocks = by_name(alloy_pipeline_blocks(TRACES, "traces"))
    assert list(blocks) == ["otelcol.receiver.otlp.default", "otelcol.receiver.jaeger.default",
                            "otelcol.processor.batch.default", "otelcol.exporter.otlp.default"]
    assert [b["name"] for b in blocks["otelcol.receiver.otlp.default"]["blocks"]] == ["grpc", "http", "output"]
    protocols = blocks["otelcol.receiver.jaeger.default"]["blocks"][0]["blocks"]
    assert [(p["name"], p["attributes"]["endpoint"]) for p in protocols] == [("grpc", "0.0.0.0:14250"), ("thrift_compact", "0.0.0.0:6831")]
    client = blocks["otelcol.exporter.otlp.default"]["blocks"][0]
    assert client == {"name": "client", "attributes": {"endpoint": "10.0.0.1:4317"}, "expressions": {},
                      "blocks": [{"name": "tls", "attributes": {"insecure": True}}]}


def test_traces_token_and_tls():
    settings = dict(TRACES, otlp_http_endpoint="", jaeger_protocols={}, token={"file": "/etc/alloy/otlp_token", "header": "X-Token"},
                    insecure=False, insecure_skip_verify=True, ca_file="/ca")
    blocks = by_name(alloy_pipeline_blocks(settings, "traces"))
    assert "otelcol.receiver.jaeger.default" not in blocks
    assert blocks["local.file.otlp_token"]["attributes"] == {"filename": "/etc/alloy/otlp_token", "is_secret": True}
    assert blocks["otelcol.auth.headers.otlp"]["blocks"][0]["attributes"] == {"key": "X-Token"}
    client = blocks["otelcol.exporter.otlp.default"]["blocks"][0]
    assert client["expressions"] == {"auth": "otelcol.auth.headers.otlp.handler"}
    assert client["blocks"] == [{"name": "tls", "attributes": {"insecure": False, "insecure_skip_verify": True, "ca_file": "/ca"}}]


def test_every_pipeline_renders_through_to_alloy():
    text = to_alloy(alloy_pipeline_blocks(METRICS, "metrics") + alloy_pipeline_blocks(LOGS, "logs")
                    + alloy_pipeline_blocks(TRACES, "traces"))
    assert 'url = "http://10.0.0.1:9090/api/v1/write"' in text
    assert 'prometheus.scrape "default" {' in text and 'otelcol.exporter.otlp "default" {' in text


@pytest.mark.parametrize("settings, pipeline, message", [
    (METRICS, "events", "unknown pipeline 'events' (metrics, logs, traces)"),
    ([], "metrics", "the metrics settings must be a mapping, not a list"),
    ({"source": "unix"}, "metrics", "the metrics settings lack instance, job, scrape_interval, remote_write_urls"),
    (dict(METRICS, source="telegraf"), "metrics", "the metrics source must be node_exporter or unix, not 'telegraf'"),
    (dict(METRICS, node_exporter={}), "metrics", "node_exporter.address"),
    (dict(METRICS, remote_write_urls="http://x/api/v1/write"), "metrics", "remote_write_urls must be a list"),
    (dict(LOGS, files=[{"labels": {}}]), "logs", "log file item 0 needs a path"),
    (dict(LOGS, journal_labels=["job"]), "logs", "journal_labels must be a mapping"),
    (dict(TRACES, token={"file": "/t"}), "traces", "the OTLP token needs its file and header"),
    ({}, "traces", "the traces settings lack otlp_endpoint"),
])
def test_pipeline_bad_input(settings, pipeline, message):
    with pytest.raises(AnsibleFilterError, match="^alloy_pipeline_blocks: ") as err:
        alloy_pipeline_blocks(settings, pipeline)
    assert message in str(err.value)
