# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The blocks of an Alloy configuration (for the to_alloy filter): the HTTP client settings of an
endpoint, and the metrics, logs and traces pipelines of the alloy role."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail as _fail, mapping as _mapping

_CLIENT_KEYS = ("username", "password_file", "ca_file", "server_name", "insecure_skip_verify")
_PIPELINES = ("metrics", "logs", "traces")
# What each pipeline needs from its settings (every one of these must be given).
_REQUIRED = {
    "metrics": ("source", "instance", "job", "scrape_interval", "remote_write_urls"),
    "logs": ("instance", "journal_enabled", "files", "loki_url"),
    "traces": ("otlp_endpoint",),
}


def alloy_http_client_blocks(client):
    """``{username, password_file, ca_file, server_name, insecure_skip_verify} | alloy_http_client_blocks``.

    The nested blocks of an Alloy endpoint that speaks HTTP: ``basic_auth`` (username and the
    password read from a file) when a username is given, ``tls_config`` when a CA file, a server
    name or skipping verification is asked for. Empty settings give no block.
    """
    name = "alloy_http_client_blocks"
    client = _mapping(name, client, "the client settings")
    unknown = sorted(str(key) for key in client if key not in _CLIENT_KEYS)
    if unknown:
        _fail(name, "unknown setting(s) %s; known: %s", ", ".join(unknown), ", ".join(_CLIENT_KEYS))
    blocks = []
    username = client.get("username") or ""
    if username:
        if not client.get("password_file"):
            _fail(name, "basic auth for %r needs a password_file", username)
        blocks.append({"name": "basic_auth", "attributes": {"username": username, "password_file": client["password_file"]}})
    tls = {key: client[key] for key in ("ca_file", "server_name") if client.get(key)}
    if client.get("insecure_skip_verify"):
        tls["insecure_skip_verify"] = True
    if tls:
        blocks.append({"name": "tls_config", "attributes": tls})
    return blocks


def _metrics(s):
    blocks = []
    expressions = {}
    scrape_attributes = {"job_name": s["job"], "scrape_interval": s["scrape_interval"]}
    instance = {"instance": s["instance"]}
    if s["source"] == "unix":
        blocks.append({"name": "prometheus.exporter.unix", "label": "default", "attributes": dict(s.get("unix_arguments") or {})})
        blocks.append({"name": "discovery.relabel", "label": "unix",
                       "expressions": {"targets": "prometheus.exporter.unix.default.targets"},
                       "blocks": [{"name": "rule", "attributes": {"target_label": "instance", "replacement": s["instance"]}}]})
        expressions["targets"] = "discovery.relabel.unix.output"
    elif s["source"] == "node_exporter":
        exporter = _mapping("alloy_pipeline_blocks", s.get("node_exporter"), "metrics setting node_exporter")
        if not exporter.get("address"):
            _fail("alloy_pipeline_blocks", "metrics from node_exporter need node_exporter.address (host:port)")
        scrape_attributes["targets"] = [dict({"__address__": exporter["address"]}, **instance)]
        scheme = exporter.get("scheme") or "http"
        if scheme != "http":
            scrape_attributes["scheme"] = scheme
    else:
        _fail("alloy_pipeline_blocks", "the metrics source must be node_exporter or unix, not %r", s["source"])
    expressions["forward_to"] = "[prometheus.remote_write.default.receiver]"
    scrape = {"name": "prometheus.scrape", "label": "default", "attributes": scrape_attributes, "expressions": expressions}
    if s["source"] == "node_exporter":
        client = alloy_http_client_blocks(s["node_exporter"].get("client"))
        if client:
            scrape["blocks"] = client
    blocks.append(scrape)
    urls = s["remote_write_urls"]
    if isinstance(urls, str) or not isinstance(urls, (list, tuple)):
        _fail("alloy_pipeline_blocks", "remote_write_urls must be a list of URLs, not %r", urls)
    shared = s.get("remote_write_client")
    endpoints = []
    for index, item in enumerate(urls):
        # a URL with the shared client settings, or {url or target, client} (an alloy_destinations
        # item) whose own client settings go over the shared ones
        if isinstance(item, Mapping):
            url = item.get("url") or item.get("target")
            if not url:
                _fail("alloy_pipeline_blocks", "remote write item %d needs a url (got %r)", index, sorted(item))
            own = _mapping("alloy_pipeline_blocks", item.get("client"), "the client of remote write item %d" % index)
            client = dict(_mapping("alloy_pipeline_blocks", shared, "remote_write_client"), **own)
        else:
            url, client = item, shared
        endpoints.append({"name": "endpoint", "attributes": {"url": url}, "blocks": alloy_http_client_blocks(client)})
    blocks.append({"name": "prometheus.remote_write", "label": "default", "attributes": _external_labels(s),
                   "blocks": endpoints})
    return blocks


def _external_labels(s):
    labels = _mapping("alloy_pipeline_blocks", s.get("external_labels"), "external_labels")
    return {"external_labels": dict(labels)} if labels else {}


def _logs(s):
    blocks = []
    instance = {"instance": s["instance"]}
    forward = {"forward_to": "[loki.write.default.receiver]"}
    if s["journal_enabled"]:
        blocks.append({"name": "loki.relabel", "label": "journal", "attributes": {"forward_to": []},
                       "blocks": [{"name": "rule", "attributes": {"source_labels": ["__journal__systemd_unit"], "target_label": "unit"}},
                                  {"name": "rule", "attributes": {"source_labels": ["__journal_priority_keyword"], "target_label": "level"}}]})
        labels = _mapping("alloy_pipeline_blocks", s.get("journal_labels"), "journal_labels")
        blocks.append({"name": "loki.source.journal", "label": "journal",
                       "attributes": {"max_age": s.get("journal_max_age", "12h"), "labels": dict(labels, **instance)},
                       "expressions": dict(forward, relabel_rules="loki.relabel.journal.rules")})
    files = s["files"]
    if not isinstance(files, (list, tuple)):
        _fail("alloy_pipeline_blocks", "logs setting files must be a list of {path, labels}, not %r", files)
    if files:
        targets = []
        for index, item in enumerate(files):
            if not isinstance(item, Mapping) or not item.get("path"):
                _fail("alloy_pipeline_blocks", "log file item %d needs a path (got %r)", index, item)
            labels = _mapping("alloy_pipeline_blocks", item.get("labels"), "the labels of log file item %d" % index)
            targets.append(dict(dict({"__path__": item["path"]}, **labels), **instance))
        blocks.append({"name": "local.file_match", "label": "files", "attributes": {"path_targets": targets}})
        blocks.append({"name": "loki.source.file", "label": "files",
                       "expressions": dict({"targets": "local.file_match.files.targets"}, **forward)})
    endpoint = {"url": s["loki_url"]}
    if s.get("tenant_id"):
        endpoint["tenant_id"] = s["tenant_id"]
    blocks.append({"name": "loki.write", "label": "default", "attributes": _external_labels(s),
                   "blocks": [{"name": "endpoint", "attributes": endpoint, "blocks": alloy_http_client_blocks(s.get("loki_client"))}]})
    return blocks


def _traces(s):
    blocks = []
    output = {"name": "output", "expressions": {"traces": "[otelcol.processor.batch.default.input]"}}
    otlp = [{"name": protocol, "attributes": {"endpoint": s[key]}}
            for protocol, key in (("grpc", "otlp_grpc_endpoint"), ("http", "otlp_http_endpoint")) if s.get(key)]
    if otlp:
        blocks.append({"name": "otelcol.receiver.otlp", "label": "default", "blocks": otlp + [output]})
    jaeger = _mapping("alloy_pipeline_blocks", s.get("jaeger_protocols"), "jaeger_protocols")
    if jaeger:
        protocols = [{"name": protocol, "attributes": {"endpoint": endpoint}} for protocol, endpoint in jaeger.items()]
        blocks.append({"name": "otelcol.receiver.jaeger", "label": "default",
                       "blocks": [{"name": "protocols", "blocks": protocols}, output]})
    blocks.append({"name": "otelcol.processor.batch", "label": "default",
                   "attributes": dict(_mapping("alloy_pipeline_blocks", s.get("batch_arguments"), "batch_arguments")),
                   "blocks": [{"name": "output", "expressions": {"traces": "[otelcol.exporter.otlp.default.input]"}}]})
    client = {"name": "client", "attributes": {"endpoint": s["otlp_endpoint"]}, "expressions": {}, "blocks": []}
    token = _mapping("alloy_pipeline_blocks", s.get("token"), "token")
    basic = _mapping("alloy_pipeline_blocks", s.get("basic_auth"), "basic_auth")
    if token:
        if not token.get("file") or not token.get("header"):
            _fail("alloy_pipeline_blocks", "the OTLP token needs its file and header")
        blocks.append({"name": "local.file", "label": "otlp_token", "attributes": {"filename": token["file"], "is_secret": True}})
        blocks.append({"name": "otelcol.auth.headers", "label": "otlp",
                       "blocks": [{"name": "header", "attributes": {"key": token["header"]},
                                   "expressions": {"value": "local.file.otlp_token.content"}}]})
        client["expressions"]["auth"] = "otelcol.auth.headers.otlp.handler"
    elif basic.get("username"):
        # The server's basic auth; the password is read from its file as a secret.
        if not basic.get("password_file"):
            _fail("alloy_pipeline_blocks", "OTLP basic auth for %r needs a password_file", basic["username"])
        blocks.append({"name": "local.file", "label": "otlp_password",
                       "attributes": {"filename": basic["password_file"], "is_secret": True}})
        blocks.append({"name": "otelcol.auth.basic", "label": "otlp",
                       "blocks": [{"name": "client_auth", "attributes": {"username": basic["username"]},
                                   "expressions": {"password": "local.file.otlp_password.content"}}]})
        client["expressions"]["auth"] = "otelcol.auth.basic.otlp.handler"
    tls = {"insecure": s.get("insecure", True)}
    if s.get("insecure_skip_verify"):
        tls["insecure_skip_verify"] = True
    if s.get("ca_file"):
        tls["ca_file"] = s["ca_file"]
    client["blocks"].append({"name": "tls", "attributes": tls})
    blocks.append({"name": "otelcol.exporter.otlp", "label": "default", "blocks": [client]})
    return blocks


def alloy_pipeline_blocks(settings, pipeline):
    """``settings | alloy_pipeline_blocks('metrics' | 'logs' | 'traces')``: the blocks of one pipeline.

    metrics: node_exporter (or the built-in unix exporter) scraped and remote-written to every URL;
    logs: the journal and log files to Loki; traces: OTLP and Jaeger receivers, batched, to OTLP gRPC
    (authenticated by a token header, or else by basic auth).
    """
    name = "alloy_pipeline_blocks"
    if pipeline not in _PIPELINES:
        _fail(name, "unknown pipeline %r (%s)", pipeline, ", ".join(_PIPELINES))
    settings = _mapping(name, settings, "the %s settings" % pipeline)
    missing = [key for key in _REQUIRED[pipeline] if key not in settings]
    if missing:
        _fail(name, "the %s settings lack %s", pipeline, ", ".join(missing))
    return {"metrics": _metrics, "logs": _logs, "traces": _traces}[pipeline](settings)
