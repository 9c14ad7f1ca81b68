"""Structural checks of grafana.ini and the data source provisioning file the grafana role renders."""

import configparser

import pytest
import yaml

from harness import render

# Sections and keys of Grafana's conf/defaults.ini that the role renders by default.
KNOWN = {
    "paths": {"data", "logs", "plugins", "provisioning", "temp_data_lifetime"},
    "server": {"protocol", "http_addr", "http_port", "domain", "root_url", "enforce_domain", "serve_from_sub_path",
               "cert_file", "cert_key", "min_tls_version", "router_logging", "static_root_path", "enable_gzip"},
    "security": {"admin_user", "admin_password", "admin_email", "secret_key", "disable_gravatar", "cookie_secure",
                 "cookie_samesite", "allow_embedding", "strict_transport_security", "strict_transport_security_max_age_seconds",
                 "disable_initial_admin_creation", "content_security_policy", "x_content_type_options", "x_xss_protection"},
    "users": {"allow_sign_up", "allow_org_create", "auto_assign_org", "auto_assign_org_role", "default_theme"},
    "auth.anonymous": {"enabled", "org_name", "org_role", "hide_version"},
    "snapshots": {"enabled", "external_enabled", "external_snapshot_url", "external_snapshot_name"},
    "analytics": {"reporting_enabled", "check_for_updates", "check_for_plugin_updates", "feedback_links_enabled"},
    "log": {"mode", "level", "filters"},
    "smtp": {"enabled", "host", "user", "password", "from_address", "from_name"},
    "auth.generic_oauth": {"enabled", "name", "client_id", "client_secret", "scopes", "auth_url", "token_url", "api_url",
                           "use_refresh_token"},
    "database": {"type", "host", "name", "user", "password", "url", "ssl_mode"},
    "remote_cache": {"type", "connstr"},
}
PASSWORD = "Adm1n;pass#word"
BASE = {"grafana_admin_password": PASSWORD}
VARIANTS = {
    "server": {"vigil_address": "10.1.1.1"},
    "default": BASE,
    "tls": dict(BASE, grafana_tls_cert_file="/etc/ssl/grafana.crt", grafana_tls_key_file="/etc/ssl/grafana.key",
                grafana_domain="grafana.example.test"),
    "custom": dict(BASE, grafana_ini={"smtp": {"enabled": True, "host": "mail.test:25", "password": "s;m#tp"},
                                      "auth.generic_oauth": {"enabled": True, "client_id": "grafana", "client_secret": "oidc-S3cret",
                                                             "use_refresh_token": True},
                                      "database": {"type": "postgres", "user": "grafana", "password": "",
                                                   "url": "$__env{GRAFANA_DB_URL}"},
                                      "remote_cache": {"type": "redis", "connstr": "addr=redis:6379,password=r3dis"},
                                      "security": {"allow_embedding": True}, "log": {"level": "warn"}},
                   grafana_root_url="https://monitor.example.test/grafana/",
                   grafana_datasources_enabled=["prometheus", "loki"],
                   grafana_datasources_extra=[{"name": "Tempo", "type": "tempo", "uid": "tempo", "url": "http://server:3200"}]),
    "explicit": dict(BASE, grafana_servers_group="nobody", grafana_prometheus_url="http://default:9090",
                     grafana_loki_url="http://10.1.1.1:3100", grafana_jaeger_url="http://localhost:16686",
                     grafana_alertmanager_url="http://server:9093/am"),
    "unchecked": dict(BASE, grafana_loki_url="http://loki.elsewhere.test:3100", grafana_datasources_check_hosts=False),
    "bad_host": dict(BASE, grafana_loki_url="http://lokii.example.test:3100"),
    "bad_extra_host": dict(BASE, grafana_datasources_extra=[{"name": "X", "type": "loki", "uid": "x", "url": "http://nowhere.test"}]),
    "bad_no_password": {},
    "bad_default_password": {"grafana_admin_password": "admin"},
    "bad_no_server": dict(BASE, grafana_servers_group="nobody"),
    "bad_nested_ini": dict(BASE, grafana_ini={"server": {"router": {"x": 1}}}),
    "bad_duplicate_uid": dict(BASE, grafana_datasources_extra=[{"name": "Other", "type": "loki", "uid": "vigil-loki",
                                                                "url": "http://server:3100"}]),
    "bad_datasource_name": dict(BASE, grafana_datasources_enabled=["prometheus", "tempo"]),
    "bad_tls": dict(BASE, grafana_tls_cert_file="/etc/ssl/grafana.crt"),
    # A server that asks for credentials everywhere ($ in a password is doubled for Grafana's
    # provisioning), rendered from another host and from the server itself.
    "secured": dict(BASE, vigil_address="10.1.1.2", grafana_servers_group="secured_servers",
                    prometheus_basic_auth_users={"grafana": "prom$pw"}, alertmanager_basic_auth_users={"grafana": "am-pw", "ops": "x"},
                    gateway_basic_auth_users={"gw": "gw-pw"}),
    "viewer": dict(BASE, grafana_servers_group="secured_servers"),
    "bad_placeholder_password": {"grafana_admin_password": "change-me"},
    "bad_placeholder_hook": dict(BASE, grafana_mattermost_webhook_url="https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx"),
    # The apt key is trusted only with its fingerprint pinned: checked with the package method only.
    "package": dict(BASE, grafana_install_method="package"),
    "bad_fingerprint": dict(BASE, grafana_install_method="package", grafana_apt_key_fingerprint="B53AE77BADB630A683046005"),
    "archive_any_fingerprint": dict(BASE, grafana_apt_key_fingerprint="not used by the archive method"),
}
GROUPS = {"monitoring_servers": ["server"], "secured_servers": ["secured"]}


@pytest.fixture(scope="module")
def rendered():
    return render("grafana", VARIANTS, ["grafana.ini.j2", "datasources.yml.j2"], groups=GROUPS,
                  dump=["_grafana_exec_args", "_grafana_home", "_grafana_needs_lookup",
                        "_grafana_api", "_grafana_hardening", "_grafana_notification_policy", "_grafana_datasources",
                        "_grafana_ini_secret_files"])


def ini(rendered, name):
    assert rendered[name]["failed"] is None, rendered[name]["failed"]
    text = rendered[name]["files"]["grafana.ini.j2"]
    parser = configparser.RawConfigParser(comment_prefixes=(";",), inline_comment_prefixes=None, strict=True)
    parser.read_string(text)
    return text, dict((s, dict(parser.items(s))) for s in parser.sections())


def datasources(rendered, name):
    assert rendered[name]["failed"] is None, rendered[name]["failed"]
    return yaml.safe_load(rendered[name]["files"]["datasources.yml.j2"])


@pytest.mark.parametrize("name", ["default", "tls", "custom", "explicit"])
def test_every_section_and_key_is_a_grafana_setting(rendered, name):
    _text, sections = ini(rendered, name)
    for section, keys in sections.items():
        assert section in KNOWN, section
        assert set(keys) <= KNOWN[section], (section, set(keys) - KNOWN[section])


def test_secure_defaults(rendered):
    text, sections = ini(rendered, "default")
    assert PASSWORD not in text
    assert sections["security"]["admin_password"] == "$__file{/etc/grafana/admin_password}"
    assert sections["security"]["secret_key"] == "$__file{/etc/grafana/secret_key}"
    assert sections["security"]["cookie_secure"] == "false"
    assert sections["auth.anonymous"] == {"enabled": "false"}
    assert sections["users"] == {"allow_sign_up": "false", "allow_org_create": "false"}
    assert sections["analytics"]["reporting_enabled"] == "false"
    assert sections["snapshots"]["external_enabled"] == "false"
    assert sections["server"]["protocol"] == "http" and sections["server"]["http_port"] == "3000"
    assert sections["server"]["root_url"] == "http://default:3000/"
    assert sections["paths"] == {"data": "/var/lib/grafana", "logs": "/var/log/grafana",
                                 "plugins": "/var/lib/grafana/plugins", "provisioning": "/etc/grafana/provisioning"}
    variables = rendered["default"]["vars"]
    assert variables["_grafana_home"] == "/opt/grafana-13.2.0"
    assert variables["_grafana_exec_args"] == ["server", "--homepath=/opt/grafana-13.2.0", "--config=/etc/grafana/grafana.ini"]
    assert variables["_grafana_hardening"] == {"MemoryDenyWriteExecute": False}
    assert variables["_grafana_api"] == "http://127.0.0.1:3000"
    assert variables["_grafana_needs_lookup"] is True
    assert variables["_grafana_notification_policy"] == {}


def test_tls_turns_on_secure_cookies(rendered):
    _text, sections = ini(rendered, "tls")
    server, security = sections["server"], sections["security"]
    assert server["protocol"] == "https" and server["cert_file"] == "/etc/ssl/grafana.crt"
    assert server["cert_key"] == "/etc/ssl/grafana.key"
    assert server["root_url"] == "https://grafana.example.test:3000/"
    assert security["cookie_secure"] == "true" and security["strict_transport_security"] == "true"
    assert rendered["tls"]["vars"]["_grafana_api"] == "https://grafana.example.test:3000"


def test_grafana_ini_is_deep_merged(rendered):
    text, sections = ini(rendered, "custom")
    assert sections["smtp"]["enabled"] == "true" and sections["smtp"]["host"] == "mail.test:25"
    assert sections["auth.generic_oauth"]["client_id"] == "grafana"
    assert sections["security"]["allow_embedding"] == "true"
    assert sections["security"]["admin_user"] == "admin"
    assert sections["log"] == {"mode": "console", "level": "warn"}
    assert sections["server"]["root_url"] == "https://monitor.example.test/grafana/"
    assert sections["security"]["cookie_secure"] == "true"


SECRETS_DIR = "/etc/grafana/secrets"
USER_SECRETS = {SECRETS_DIR + "/smtp.password": "s;m#tp", SECRETS_DIR + "/auth.generic_oauth.client_secret": "oidc-S3cret",
                SECRETS_DIR + "/remote_cache.connstr": "addr=redis:6379,password=r3dis"}


def test_user_secrets_of_grafana_ini_are_read_from_files(rendered):
    text, sections = ini(rendered, "custom")
    for secret in list(USER_SECRETS.values()) + [PASSWORD]:
        assert secret not in text
    assert sections["smtp"]["password"] == "$__file{%s/smtp.password}" % SECRETS_DIR
    assert sections["auth.generic_oauth"]["client_secret"] == "$__file{%s/auth.generic_oauth.client_secret}" % SECRETS_DIR
    assert sections["remote_cache"]["connstr"] == "$__file{%s/remote_cache.connstr}" % SECRETS_DIR
    # settings, empty values and values Grafana already expands stay in grafana.ini
    assert sections["auth.generic_oauth"]["use_refresh_token"] == "true"
    assert sections["database"] == {"type": "postgres", "user": "grafana", "password": "", "url": "$__env{GRAFANA_DB_URL}"}
    # the role's own references are kept as they were
    assert sections["security"]["admin_password"] == "$__file{/etc/grafana/admin_password}"
    assert sections["security"]["secret_key"] == "$__file{/etc/grafana/secret_key}"
    files = rendered["custom"]["vars"]["_grafana_ini_secret_files"]
    assert files == [{"path": path, "content": USER_SECRETS[path]} for path in sorted(USER_SECRETS)]
    assert rendered["default"]["vars"]["_grafana_ini_secret_files"] == []


def test_stack_datasources_with_stable_uids_and_links(rendered):
    data = datasources(rendered, "default")
    assert data["apiVersion"] == 1
    by_uid = dict((d["uid"], d) for d in data["datasources"])
    assert list(by_uid) == ["vigil-prometheus", "vigil-loki", "vigil-jaeger", "vigil-alertmanager"]
    # Loki and Jaeger's query service through the server's gateway (TLS + basic auth), the others direct
    urls = ["http://10.1.1.1:9090", "https://10.1.1.1:8443", "https://10.1.1.1:8443/jaeger", "http://10.1.1.1:9093"]
    assert [d["url"] for d in data["datasources"]] == urls
    assert not [d for d in data["datasources"] if "basicAuth" in d or "secureJsonData" in d]
    assert by_uid["vigil-prometheus"]["isDefault"] is True
    assert [d.get("isDefault", False) for d in data["datasources"]].count(True) == 1
    assert all(d["access"] == "proxy" and d["editable"] is False for d in data["datasources"])
    jaeger = by_uid["vigil-jaeger"]["jsonData"]
    assert jaeger["tracesToLogsV2"]["datasourceUid"] == "vigil-loki"
    assert jaeger["tracesToLogsV2"]["filterByTraceID"] is True
    assert jaeger["tracesToMetrics"]["datasourceUid"] == "vigil-prometheus"
    for query in jaeger["tracesToMetrics"]["queries"]:
        assert "{$$__tags" in query["query"]  # $ escaped for Grafana's provisioning interpolation
    assert by_uid["vigil-loki"]["jsonData"]["derivedFields"][0]["datasourceUid"] == "vigil-jaeger"
    assert by_uid["vigil-loki"]["jsonData"]["derivedFields"][0]["url"] == "$${__value.raw}"
    assert by_uid["vigil-alertmanager"]["jsonData"]["implementation"] == "prometheus"


def test_datasources_log_in_where_their_server_asks(rendered):
    by_uid = dict((d["uid"], d) for d in datasources(rendered, "viewer")["datasources"])
    assert by_uid["vigil-prometheus"]["basicAuth"] is True
    assert by_uid["vigil-prometheus"]["basicAuthUser"] == "grafana"
    assert by_uid["vigil-prometheus"]["secureJsonData"] == {"basicAuthPassword": "prom$$pw"}
    assert by_uid["vigil-alertmanager"]["basicAuthUser"] == "grafana"
    assert by_uid["vigil-alertmanager"]["secureJsonData"] == {"basicAuthPassword": "am-pw"}
    for uid in ("vigil-loki", "vigil-jaeger"):
        assert by_uid[uid]["url"].startswith("https://10.1.1.2:8443")
        assert (by_uid[uid]["basicAuth"], by_uid[uid]["basicAuthUser"]) == (True, "gw")
        assert by_uid[uid]["secureJsonData"] == {"basicAuthPassword": "gw-pw"}
    # jsonData and the rest of the catalog entry are kept
    assert by_uid["vigil-prometheus"]["jsonData"]["httpMethod"] == "POST"
    # the server itself reaches Loki directly on loopback, without the gateway's credentials
    own = dict((d["uid"], d) for d in datasources(rendered, "secured")["datasources"])
    assert own["vigil-loki"]["url"] == "http://127.0.0.1:3100"
    assert "basicAuth" not in own["vigil-loki"]
    assert own["vigil-prometheus"]["basicAuthUser"] == "grafana"


def test_selected_and_extra_datasources(rendered):
    data = datasources(rendered, "custom")
    assert [d["uid"] for d in data["datasources"]] == ["vigil-prometheus", "vigil-loki", "tempo"]
    explicit = datasources(rendered, "explicit")
    urls = ["http://default:9090", "http://10.1.1.1:3100", "http://localhost:16686", "http://server:9093/am"]
    assert [d["url"] for d in explicit["datasources"]] == urls
    assert datasources(rendered, "unchecked")["datasources"][1]["url"] == "http://loki.elsewhere.test:3100"


@pytest.mark.parametrize("name, words", [
    ("bad_host", ["Loki (grafana_loki_url)", "lokii.example.test", "not a host of the inventory"]),
    ("bad_extra_host", ["X (grafana_datasources_extra)", "nowhere.test"]),
    ("bad_no_password", ["grafana_admin_password is required"]),
    ("bad_default_password", ["grafana_admin_password"]),
    ("bad_no_server", ["grafana_servers_group ('nobody')", "grafana_prometheus_url"]),
    ("bad_nested_ini", ["server.router: a mapping is not an INI value"]),
    ("bad_duplicate_uid", ["names and uids unique"]),
    ("bad_datasource_name", ["grafana_datasources_enabled may name"]),
    ("bad_tls", ["grafana_tls_cert_file and grafana_tls_key_file"]),
    ("bad_placeholder_password", ["grafana_admin_password is the placeholder (secret)"]),
    ("bad_placeholder_hook", ["grafana_mattermost_webhook_url is the placeholder"]),
    ("bad_fingerprint", ["grafana_apt_key_fingerprint 'B53AE77BADB630A683046005' is not an OpenPGP v4 fingerprint"]),
])
def test_bad_input_fails_in_preflight_naming_the_variable(rendered, name, words):
    message = rendered[name]["failed"]
    assert message, "%s was accepted" % name
    for word in words:
        assert word in message
    assert PASSWORD not in message and "change-me" not in message


@pytest.mark.parametrize("name", ["package", "archive_any_fingerprint"])
def test_the_apt_key_fingerprint_is_checked_for_the_package_method_only(rendered, name):
    assert rendered[name]["failed"] is None, rendered[name]["failed"]
