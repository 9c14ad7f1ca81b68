"""Structural checks of the Alloy configuration the alloy role renders (through Ansible, with the role's defaults)."""

import pytest

import alloy_syntax
from harness import render

EXTRA = 'prometheus.scrape "app" {\n  targets    = [{__address__ = "127.0.0.1:8080"}]\n  forward_to = [prometheus.remote_write.default.receiver]\n}'
FULL = {
    "alloy_traces_enabled": True, "alloy_metrics_source": "unix",
    "alloy_metrics_unix_arguments": {"disable_collectors": ["ipvs", "btrfs"]},
    "alloy_traces_otlp_token": "tok-en", "alloy_traces_otlp_token_header": "X-Trace-Token",
    "alloy_traces_otlp_token_scheme": "", "alloy_traces_otlp_insecure": False,
    "alloy_traces_otlp_insecure_skip_verify": True, "alloy_traces_batch_arguments": {"timeout": "5s"},
    "alloy_prometheus_username": "agent", "alloy_prometheus_password": "pw-prom",
    "alloy_loki_username": "agent", "alloy_loki_password": "pw-loki", "alloy_loki_tenant_id": "ops",
    "alloy_loki_ca_file": "/etc/ssl/certs/ca.pem",
    "alloy_external_labels": {"env": "test", "site-name": "lab"},
    "alloy_logs_files": [{"path": "/var/log/*.log", "labels": {"job": "varlog"}},
                         {"path": "/srv/app/logs/*.json", "labels": {"job": "app", "team": "ops"}}],
    "alloy_extra_blocks": [EXTRA],
    "alloy_http_listen_address": "0.0.0.0:12345", "alloy_allow_unauthenticated": True,
    "alloy_traces_otlp_http_endpoint": "0.0.0.0:4318",
}
GATEWAY_CA = "/usr/local/share/ca-certificates/vigil-gateway-server.crt"
VARIANTS = {
    "server": {"vigil_address": "10.9.9.9"},
    "client": {},
    "full": FULL,
    "minimal": {"alloy_logs_enabled": False, "alloy_metrics_enabled": False, "alloy_traces_enabled": True,
                "alloy_traces_jaeger_protocols": {}, "alloy_traces_otlp_http_endpoint": "",
                "alloy_traces_otlp_endpoint": "jaeger.test:4317"},
    "explicit_urls": {"alloy_servers_group": "nobody", "alloy_prometheus_remote_write_url": "https://p.test/api/v1/write",
                      "alloy_loki_push_url": "https://l.test/loki/api/v1/push"},
    "bearer": {"alloy_traces_enabled": True, "alloy_traces_otlp_token": "abc"},
    "bad_no_server": {"alloy_servers_group": "nobody"},
    # an HA pair of servers, and a server that runs no Prometheus
    "server_b": {"vigil_address": "10.9.9.10"},
    "server_no_prometheus": {"vigil_address": "10.9.9.11", "vigil_prometheus_enabled": False},
    "ha_client": {"alloy_servers_group": "ha_servers"},
    "bad_no_prometheus": {"alloy_servers_group": "logs_only_servers", "alloy_loki_push_url": "https://l.test/loki/api/v1/push"},
    "bad_source": {"alloy_metrics_source": "telegraf"},
    "bad_listen": {"alloy_http_listen_address": "12345"},
    "bad_push_path": {"alloy_loki_push_url": "https://l.test/loki/api/v1/query"},
    "bad_push_scheme": {"alloy_loki_push_url": "l.test:3100/loki/api/v1/push"},
    "bad_push_tls": {"alloy_loki_push_url": "https://server:3100/loki/api/v1/push"},
    "bad_glob": {"alloy_logs_files": [{"path": "var/log/*.log"}]},
    "bad_password_pair": {"alloy_loki_username": "agent"},
    # node_exporter asks for a password and serves TLS (the node_exporter role's variables on the host)
    "ne_protected": {"node_exporter_basic_auth_users": {"prometheus": "pw-ne"}, "node_exporter_tls_cert_file": "/etc/ssl/ne.pem",
                     "node_exporter_tls_key_file": "/etc/ssl/ne.key",
                     "alloy_metrics_node_exporter_username": "prometheus", "alloy_metrics_node_exporter_password": "pw-ne",
                     "alloy_metrics_node_exporter_ca_file": "/etc/ssl/ca.pem",
                     "alloy_metrics_node_exporter_server_name": "client.example"},
    "bad_ne_pair": {"alloy_metrics_node_exporter_password": "pw-ne"},
    "bad_ne_scheme": {"alloy_metrics_node_exporter_scheme": "ftp"},
    # clients of the tiers: the Jaeger agent runs there unless switched off
    "bad_agent_clash": {"alloy_traces_enabled": True},
    "tier_client_no_agent": {"alloy_traces_enabled": True, "vigil_jaeger_agent_enabled": False},
    "tier_client_moved": {"alloy_traces_enabled": True, "alloy_traces_otlp_grpc_endpoint": "127.0.0.1:4417",
                          "alloy_traces_otlp_http_endpoint": "", "alloy_traces_jaeger_protocols": {}},
    # listeners without authentication beyond loopback
    "bad_api_exposed": {"alloy_http_listen_address": "0.0.0.0:12345"},
    "bad_receiver_exposed": {"alloy_traces_enabled": True, "alloy_traces_otlp_http_endpoint": "0.0.0.0:4318",
                             "alloy_traces_jaeger_protocols": {"grpc": ":14250"}},
    # servers that ask for credentials and serve TLS: the client takes them from the servers' endpoints
    "secured_server": {"vigil_address": "10.9.9.12", "prometheus_basic_auth_users": {"writer": "pw-remote"},
                       "prometheus_tls_cert_file": "/etc/prometheus/tls.crt", "vigil_tls_ca_file": "/etc/ssl/vigil-ca.crt",
                       "gateway_basic_auth_users": {"shipper": "pw-gw"}, "jaeger_otlp_auth_users": {"tracer": "pw-otlp"},
                       "jaeger_otlp_tls_cert_file": "/etc/jaeger/tls.crt"},
    "secured_client": {"alloy_servers_group": "secured_servers", "alloy_traces_enabled": True},
    "secured_client_explicit": {"alloy_servers_group": "secured_servers", "alloy_loki_username": "mine",
                                "alloy_loki_password": "pw-mine", "alloy_loki_ca_file": "/etc/ssl/mine.crt",
                                "alloy_traces_enabled": True, "alloy_traces_otlp_token": "tok"},
}
GROUPS = {"monitoring_servers": ["server"], "ha_servers": ["server", "server_no_prometheus", "server_b"],
          "secured_servers": ["secured_server"],
          "logs_only_servers": ["server_no_prometheus"], "monitoring_clients": ["bad_agent_clash", "tier_client_no_agent", "tier_client_moved"]}


@pytest.fixture(scope="module")
def rendered():
    return render("alloy", VARIANTS, ["config.alloy.j2"], groups=GROUPS,
                  dump=["_alloy_exec_args", "_alloy_validate", "_alloy_api", "_alloy_hardening", "_alloy_secret_files",
                        "_alloy_secret_config_files"])


def tree(rendered, name):
    assert rendered[name]["failed"] is None, rendered[name]["failed"]
    return alloy_syntax.parse(rendered[name]["files"]["config.alloy.j2"])


def attrs(block):
    return dict((k, v) for k, v in block.attributes().items())


def lit(block, name):
    return alloy_syntax.literal(block.attributes()[name])


def ref(block, name):
    expr = block.attributes()[name]
    if expr[0] == "list":
        return [".".join(e[1]) for e in expr[1]]
    return ".".join(expr[1])


@pytest.mark.parametrize("name", ["server", "client", "full", "minimal", "explicit_urls", "tier_client_no_agent",
                                  "tier_client_moved", "ne_protected", "ha_client", "secured_client",
                                  "secured_client_explicit"])
def test_parses_and_every_reference_is_defined(rendered, name):
    assert alloy_syntax.check(tree(rendered, name)) == []


def test_default_client_pipeline(rendered):
    components = alloy_syntax.components(tree(rendered, "client"))
    assert sorted(components) == ["local.file_match.files", "loki.relabel.journal", "loki.source.file.files",
                                  "loki.source.journal.journal", "loki.write.default", "prometheus.remote_write.default",
                                  "prometheus.scrape.default"]
    scrape = components["prometheus.scrape.default"]
    assert lit(scrape, "targets") == [{"__address__": "127.0.0.1:9100", "instance": "client"}]
    assert lit(scrape, "job_name") == "integrations/node_exporter"
    assert ref(scrape, "forward_to") == ["prometheus.remote_write.default.receiver"]
    write = components["prometheus.remote_write.default"].blocks("endpoint")[0]
    assert lit(write, "url") == "http://10.9.9.9:9090/api/v1/write"
    # Loki through the server's gateway (TLS with the gateway's own CA; it asks for no user by default)
    loki = components["loki.write.default"].blocks("endpoint")[0]
    assert lit(loki, "url") == "https://10.9.9.9:8443/loki/api/v1/push"
    assert lit(loki.blocks("tls_config")[0], "ca_file") == GATEWAY_CA and loki.blocks("basic_auth") == []
    journal = components["loki.source.journal.journal"]
    assert lit(journal, "labels") == {"job": "systemd-journal", "instance": "client"}
    assert ref(journal, "relabel_rules") == "loki.relabel.journal.rules"
    assert ref(journal, "forward_to") == ["loki.write.default.receiver"]
    rules = components["loki.relabel.journal"].blocks("rule")
    assert [lit(r, "target_label") for r in rules] == ["unit", "level"]
    assert lit(components["local.file_match.files"], "path_targets") == [
        {"__path__": "/var/log/*.log", "job": "varlog", "instance": "client"}]
    assert ref(components["loki.source.file.files"], "targets") == "local.file_match.files.targets"
    assert not any(name.startswith("otelcol.") for name in components)


def test_every_prometheus_of_an_ha_pair_gets_the_metrics(rendered):
    components = alloy_syntax.components(tree(rendered, "ha_client"))
    endpoints = components["prometheus.remote_write.default"].blocks("endpoint")
    assert [lit(e, "url") for e in endpoints] == ["http://10.9.9.9:9090/api/v1/write", "http://10.9.9.10:9090/api/v1/write"]
    # logs and traces still go to the first server
    assert [lit(e, "url") for e in components["loki.write.default"].blocks("endpoint")] == [
        "https://10.9.9.9:8443/loki/api/v1/push"]
    # an explicit URL is the only endpoint
    explicit = alloy_syntax.components(tree(rendered, "explicit_urls"))["prometheus.remote_write.default"]
    assert [lit(e, "url") for e in explicit.blocks("endpoint")] == ["https://p.test/api/v1/write"]


def test_every_endpoint_carries_the_credentials(rendered):
    components = alloy_syntax.components(tree(rendered, "full"))
    for endpoint in components["prometheus.remote_write.default"].blocks("endpoint"):
        auth = endpoint.blocks("basic_auth")[0]
        assert lit(auth, "username") == "agent"
        assert lit(auth, "password_file") == "/etc/alloy/prometheus_password"
    assert {"path": "/etc/alloy/prometheus_password", "content": "pw-prom"} in rendered["full"]["vars"]["_alloy_secret_files"]


def test_the_servers_own_credentials_tls_and_ca(rendered):
    text = rendered["secured_client"]["files"]["config.alloy.j2"]
    for secret in ("pw-remote", "pw-gw", "pw-otlp"):
        assert secret not in text
    components = alloy_syntax.components(alloy_syntax.parse(text))
    write = components["prometheus.remote_write.default"].blocks("endpoint")[0]
    assert lit(write, "url") == "https://10.9.9.12:9090/api/v1/write"
    assert attrs_of(write.blocks("basic_auth")[0]) == {"username": "writer", "password_file": "/etc/alloy/prometheus_password"}
    assert attrs_of(write.blocks("tls_config")[0]) == {"ca_file": "/etc/ssl/vigil-ca.crt"}
    loki = components["loki.write.default"].blocks("endpoint")[0]
    assert lit(loki, "url") == "https://10.9.9.12:8443/loki/api/v1/push"
    assert attrs_of(loki.blocks("basic_auth")[0]) == {"username": "shipper", "password_file": "/etc/alloy/loki_password"}
    assert attrs_of(loki.blocks("tls_config")[0]) == {"ca_file": "/usr/local/share/ca-certificates/vigil-gateway-secured_server.crt"}
    client = components["otelcol.exporter.otlp.default"].blocks("client")[0]
    assert lit(client, "endpoint") == "10.9.9.12:4317"
    assert ref(client, "auth") == "otelcol.auth.basic.otlp.handler"
    assert attrs_of(client.blocks("tls")[0]) == {"insecure": False, "ca_file": "/etc/ssl/vigil-ca.crt"}
    basic = components["otelcol.auth.basic.otlp"].blocks("client_auth")[0]
    assert lit(basic, "username") == "tracer" and ref(basic, "password") == "local.file.otlp_password.content"
    assert lit(components["local.file.otlp_password"], "is_secret") is True
    assert sorted(map(tuple, (s.items() for s in rendered["secured_client"]["vars"]["_alloy_secret_files"]))) == sorted([
        (("path", "/etc/alloy/prometheus_password"), ("content", "pw-remote")),
        (("path", "/etc/alloy/loki_password"), ("content", "pw-gw")),
        (("path", "/etc/alloy/otlp_password"), ("content", "pw-otlp"))])
    # Written by the _artifact config call: content.j2 per path, sorted, secret (the passwords stay in
    # the role's variables: the items that template_state reports carry none).
    assert rendered["secured_client"]["vars"]["_alloy_secret_config_files"] == [
        {"src": "content.j2", "dest": "/etc/alloy/%s" % name, "mode": "0640", "secret": True}
        for name in ("loki_password", "otlp_password", "prometheus_password")]


def test_explicit_credentials_and_token_win_over_the_servers(rendered):
    components = alloy_syntax.components(tree(rendered, "secured_client_explicit"))
    loki = components["loki.write.default"].blocks("endpoint")[0]
    assert lit(loki, "url") == "https://10.9.9.12:8443/loki/api/v1/push"
    assert lit(loki.blocks("basic_auth")[0], "username") == "mine"
    assert attrs_of(loki.blocks("tls_config")[0]) == {"ca_file": "/etc/ssl/mine.crt"}
    client = components["otelcol.exporter.otlp.default"].blocks("client")[0]
    assert ref(client, "auth") == "otelcol.auth.headers.otlp.handler" and "otelcol.auth.basic.otlp" not in components
    secrets = rendered["secured_client_explicit"]["vars"]["_alloy_secret_files"]
    assert {"path": "/etc/alloy/loki_password", "content": "pw-mine"} in secrets
    assert not any(s["path"] == "/etc/alloy/otlp_password" for s in secrets)


def attrs_of(block):
    return {name: alloy_syntax.literal(expr) for name, expr in block.attributes().items()}


def test_protected_node_exporter_is_scraped_with_its_password_and_tls(rendered):
    text = rendered["ne_protected"]["files"]["config.alloy.j2"]
    assert "pw-ne" not in text
    scrape = alloy_syntax.components(alloy_syntax.parse(text))["prometheus.scrape.default"]
    assert lit(scrape, "scheme") == "https"  # from node_exporter_tls_cert_file on the host
    auth = scrape.blocks("basic_auth")[0]
    secret = {"path": "/etc/alloy/node_exporter_password", "content": "pw-ne"}
    assert lit(auth, "username") == "prometheus" and lit(auth, "password_file") == secret["path"]
    assert secret in rendered["ne_protected"]["vars"]["_alloy_secret_files"]
    tls = scrape.blocks("tls_config")[0]
    assert lit(tls, "ca_file") == "/etc/ssl/ca.pem" and lit(tls, "server_name") == "client.example"
    # an open node_exporter: plain http, no credentials, no file
    plain = alloy_syntax.components(tree(rendered, "client"))["prometheus.scrape.default"]
    assert "scheme" not in plain.attributes() and plain.blocks("basic_auth") == [] and plain.blocks("tls_config") == []
    assert rendered["client"]["vars"]["_alloy_secret_files"] == []
    assert rendered["client"]["vars"]["_alloy_secret_config_files"] == []


def test_runtime_defaults(rendered):
    variables = rendered["client"]["vars"]
    assert variables["_alloy_exec_args"] == [
        "run", "--server.http.listen-addr=127.0.0.1:12345", "--storage.path=/var/lib/alloy/data",
        "--stability.level=generally-available", "--disable-reporting", "/etc/alloy/config.alloy"]
    assert variables["_alloy_validate"] == "/usr/local/bin/alloy validate --stability.level=generally-available %s"
    assert variables["_alloy_api"] == "http://127.0.0.1:12345"
    assert rendered["full"]["vars"]["_alloy_api"] == "http://127.0.0.1:12345"


def test_full_pipeline_with_traces_secrets_and_extra_blocks(rendered):
    text = rendered["full"]["files"]["config.alloy.j2"]
    components = alloy_syntax.components(alloy_syntax.parse(text))
    for secret in ("pw-prom", "pw-loki", "tok-en"):
        assert secret not in text
    unix = components["prometheus.exporter.unix.default"]
    assert lit(unix, "disable_collectors") == ["ipvs", "btrfs"]
    assert ref(components["discovery.relabel.unix"], "targets") == "prometheus.exporter.unix.default.targets"
    assert ref(components["prometheus.scrape.default"], "targets") == "discovery.relabel.unix.output"
    remote = components["prometheus.remote_write.default"]
    assert lit(remote, "external_labels") == {"env": "test", "site-name": "lab"}
    auth = remote.blocks("endpoint")[0].blocks("basic_auth")[0]
    assert lit(auth, "username") == "agent" and lit(auth, "password_file") == "/etc/alloy/prometheus_password"
    loki = components["loki.write.default"].blocks("endpoint")[0]
    assert lit(loki, "tenant_id") == "ops"
    assert lit(loki.blocks("tls_config")[0], "ca_file") == "/etc/ssl/certs/ca.pem"
    assert lit(loki.blocks("basic_auth")[0], "password_file") == "/etc/alloy/loki_password"
    assert lit(components["local.file_match.files"], "path_targets")[1] == {
        "__path__": "/srv/app/logs/*.json", "job": "app", "team": "ops", "instance": "full"}
    otlp = components["otelcol.receiver.otlp.default"]
    # loopback by default; exposed only with alloy_allow_unauthenticated
    assert lit(otlp.blocks("grpc")[0], "endpoint") == "127.0.0.1:4317"
    assert lit(otlp.blocks("http")[0], "endpoint") == "0.0.0.0:4318"
    assert ref(otlp.blocks("output")[0], "traces") == ["otelcol.processor.batch.default.input"]
    jaeger = components["otelcol.receiver.jaeger.default"].blocks("protocols")[0]
    assert {b.name: lit(b, "endpoint") for b in jaeger.body} == {
        "grpc": "127.0.0.1:14250", "thrift_http": "127.0.0.1:14268", "thrift_binary": "127.0.0.1:6832",
        "thrift_compact": "127.0.0.1:6831"}
    batch = components["otelcol.processor.batch.default"]
    assert lit(batch, "timeout") == "5s"
    assert ref(batch.blocks("output")[0], "traces") == ["otelcol.exporter.otlp.default.input"]
    token = components["local.file.otlp_token"]
    assert lit(token, "filename") == "/etc/alloy/otlp_token" and lit(token, "is_secret") is True
    header = components["otelcol.auth.headers.otlp"].blocks("header")[0]
    assert lit(header, "key") == "X-Trace-Token" and ref(header, "value") == "local.file.otlp_token.content"
    client = components["otelcol.exporter.otlp.default"].blocks("client")[0]
    assert lit(client, "endpoint") == "10.9.9.9:4317"
    assert ref(client, "auth") == "otelcol.auth.headers.otlp.handler"
    assert alloy_syntax.literal(("object", list(client.blocks("tls")[0].attributes().items()))) == {
        "insecure": False, "insecure_skip_verify": True}
    assert "prometheus.scrape.app" in components
    assert text.rstrip().endswith(EXTRA)
    assert {"path": "/etc/alloy/otlp_token", "content": "tok-en"} in rendered["full"]["vars"]["_alloy_secret_files"]
    hardening = rendered["full"]["vars"]["_alloy_hardening"]
    assert hardening["ProtectProc"] is None and hardening["RestrictAddressFamilies"].endswith("AF_NETLINK")


def test_bearer_scheme_prefixes_the_token_file(rendered):
    assert {"path": "/etc/alloy/otlp_token", "content": "Bearer abc"} in rendered["bearer"]["vars"]["_alloy_secret_files"]
    components = alloy_syntax.components(tree(rendered, "bearer"))
    assert lit(components["otelcol.auth.headers.otlp"].blocks("header")[0], "key") == "Authorization"


def test_traces_only(rendered):
    components = alloy_syntax.components(tree(rendered, "minimal"))
    assert sorted(components) == ["otelcol.exporter.otlp.default", "otelcol.processor.batch.default",
                                  "otelcol.receiver.otlp.default"]
    otlp = components["otelcol.receiver.otlp.default"]
    assert [b.name for b in otlp.body] == ["grpc", "output"]
    client = components["otelcol.exporter.otlp.default"].blocks("client")[0]
    assert lit(client, "endpoint") == "jaeger.test:4317" and "auth" not in client.attributes()


def test_explicit_urls_need_no_server_group(rendered):
    components = alloy_syntax.components(tree(rendered, "explicit_urls"))
    endpoint = components["prometheus.remote_write.default"].blocks("endpoint")[0]
    assert lit(endpoint, "url") == "https://p.test/api/v1/write"


@pytest.mark.parametrize("name, words", [
    ("bad_no_server", ["alloy_servers_group ('nobody')", "alloy_prometheus_remote_write_url"]),
    ("bad_no_prometheus", ["alloy_servers_group ('logs_only_servers')", "no host that runs Prometheus",
                           "alloy_prometheus_remote_write_url"]),
    ("bad_source", ["alloy_metrics_source"]),
    ("bad_listen", ["alloy_http_listen_address"]),
    ("bad_glob", ["alloy_logs_files"]),
    ("bad_password_pair", ["alloy_loki_username/alloy_loki_password"]),
    ("bad_ne_pair", ["alloy_metrics_node_exporter_username/alloy_metrics_node_exporter_password"]),
    ("bad_ne_scheme", ["alloy_metrics_node_exporter_scheme is http or https"]),
    ("bad_agent_clash", ["alloy_traces_otlp_grpc_endpoint of alloy (127.0.0.1:4317) and jaeger_agent_otlp_grpc_listen_address of "
                         "jaeger_agent (127.0.0.1:4317) claim the same port 4317/tcp", "vigil_jaeger_agent_enabled: false"]),
    ("bad_push_path", ["alloy_loki_push_url ('https://l.test/loki/api/v1/query') is not Loki's push API",
                       "must end in /loki/api/v1/push"]),
    ("bad_push_scheme", ["alloy_loki_push_url ('l.test:3100/loki/api/v1/push') is not an http:// or https:// URL"]),
    ("bad_push_tls", ["alloy_loki_push_url (https://server:3100/loki/api/v1/push) is https:// but loki on server serves plain HTTP "
                      "on port 3100", "use http://, or turn TLS on for loki (loki_tls_cert_file)"]),
    ("bad_api_exposed", ["alloy_http_listen_address listens on 0.0.0.0:12345 without authentication",
                         "alloy_allow_unauthenticated"]),
    ("bad_receiver_exposed", ["alloy_traces_otlp_http_endpoint listens on 0.0.0.0:4318 without authentication", "alloy_traces_jaeger_protocols.grpc listens on",
                              "alloy_allow_unauthenticated: true"]),
])
def test_bad_input_fails_in_preflight_naming_the_variable(rendered, name, words):
    message = rendered[name]["failed"]
    assert message, "%s was accepted" % name
    for word in words:
        assert word in message
