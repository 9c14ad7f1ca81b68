# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight_problems filters: the plausible mistakes the roles' preflights refuse, one line each."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.preflight_problems import (
    SCRAPE_CONFIG_KEYS, URL_VARS, host_roles, listen_problems, port_clashes, preflight_problems, receiver_file_collisions,
    scrape_job_settings_problems, tier_roles, url_problems)
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import SERVICES, role_defaults

PREFIX = "/etc/alertmanager/secrets/receiver-"
BOTH = ["monitoring_servers", "monitoring_clients"]


# --- a. receiver names that become the same file name ---------------------------------------------

def test_receiver_names_that_become_one_file_name_are_named_both():
    (line,) = receiver_file_collisions([{"name": "ops team", "webhook_url": "https://mm/x"}],
                                       [{"name": "ops_team", "webhook_url": "https://hook/y"}], PREFIX)
    assert "'ops team' (alertmanager_mattermost_receivers) and 'ops_team' (alertmanager_webhook_receivers)" in line
    assert PREFIX + "ops_team.webhook_url" in line
    assert "https://" not in line  # never the secret URLs


def test_receiver_names_collide_within_one_list_too():
    (line,) = receiver_file_collisions([{"name": "a/b"}, {"name": "a b"}, {"name": "ok"}], [], PREFIX)
    assert "'a/b'" in line and "'a b'" in line and "'ok'" not in line


def test_distinct_file_names_and_exact_duplicates_pass():
    # an exact duplicate is the duplicate_names check's to report
    assert receiver_file_collisions([{"name": "ops"}, {"name": "ops"}], [{"name": "ops.team"}, {"name": "ops-team"}], PREFIX) == []
    assert receiver_file_collisions(None, [{"webhook_url": "x"}, "not a mapping"], PREFIX) == []


def test_receiver_lists_must_be_lists():
    with pytest.raises(AnsibleFilterError, match="^receiver_file_collisions: alertmanager_webhook_receivers must be a list"):
        receiver_file_collisions([], {"name": "x"}, PREFIX)


# --- b. prometheus_scrape_job_settings -------------------------------------------------------------

JOBS = [{"job": "node", "group": "clients", "endpoint": "node_exporter"}, {"job": "alloy", "group": "clients", "endpoint": "alloy"}]


def test_known_jobs_and_scrape_config_keys_pass():
    settings = {"node": {"scrape_interval": "2s", "scheme": "https", "basic_auth": {"username": "u", "password": "p"},
                         "tls_config": {"ca_file": "/ca"}, "metric_relabel_configs": [], "vultr_sd_configs": []},
                "alloy": {"enabled": False}, "blackbox": {"metrics_path": "/probe", "params": {"module": ["http_2xx"]}}}
    assert scrape_job_settings_problems(settings, JOBS, {"blackbox": []}) == []


def test_a_job_that_is_no_job_is_named():
    (line,) = scrape_job_settings_problems({"nodes": {"scrape_interval": "2s"}}, JOBS, {})
    assert line.startswith("prometheus_scrape_job_settings: 'nodes' is no job") and "did you mean node?" in line
    assert "(the jobs: alloy, node)" in line


def test_a_key_that_is_no_scrape_config_key_is_named_with_its_job():
    lines = scrape_job_settings_problems({"node": {"scrape_intervall": "2s", "interval": "5s"}}, JOBS, {})
    assert lines[0] == ("prometheus_scrape_job_settings: job node: 'scrape_intervall' is not a Prometheus scrape_config key "
                        "(did you mean scrape_interval?)")
    assert lines[1].startswith("prometheus_scrape_job_settings: job node: 'interval' is not a Prometheus scrape_config key")


def test_item_keys_are_settings_of_inventory_jobs_only():
    (line,) = scrape_job_settings_problems({"blackbox": {"enabled": False}}, JOBS, {"blackbox": []})
    assert "job blackbox: 'enabled' is not a Prometheus scrape_config key" in line


def test_settings_of_a_job_must_be_a_mapping():
    (line,) = scrape_job_settings_problems({"node": ["2s"]}, JOBS, {})
    assert "the settings of job node must be a mapping" in line


def test_the_scrape_config_keys_are_prometheus_own():
    assert {"job_name", "scrape_interval", "fallback_scrape_protocol", "http_headers", "file_sd_configs"} <= SCRAPE_CONFIG_KEYS
    assert "interval" not in SCRAPE_CONFIG_KEYS and "targets" not in SCRAPE_CONFIG_KEYS


@pytest.mark.parametrize("settings,jobs", [(["node"], JOBS), ({}, "node")])
def test_scrape_job_settings_bad_input(settings, jobs):
    with pytest.raises(AnsibleFilterError, match="^scrape_job_settings_problems: "):
        scrape_job_settings_problems(settings, jobs, {})


# --- c. listen addresses in the wrong form ----------------------------------------------------------

def test_loki_address_with_a_port():
    (line,) = listen_problems("h", "loki", {"h": {"loki_http_listen_address": "0.0.0.0:3100"}})
    assert line.startswith("loki_http_listen_address is '0.0.0.0:3100', not an address without a port")
    assert "the port is loki_http_listen_port" in line and "set loki_http_listen_address: 0.0.0.0 and loki_http_listen_port: 3100" in line


def test_prometheus_listen_address_without_host_part():
    (line,) = listen_problems("h", "prometheus", {"h": {"prometheus_web_listen_address": "9090"}})
    assert line.startswith("prometheus_web_listen_address is '9090', not a listen address: it takes host:port, e.g. 0.0.0.0:9090")


@pytest.mark.parametrize("value", ["127.0.0.1", "::", "::1", "", "mon-1.example.org", "10.0.0.5"])
def test_addresses_without_port_pass(value):
    assert listen_problems("h", "loki", {"h": {"loki_http_listen_address": value}}) == []


@pytest.mark.parametrize("value", ["[::1]", "http://0.0.0.0", "3100", ":3100", "a b"])
def test_addresses_in_another_form_fail(value):
    (line,) = listen_problems("h", "grafana", {"h": {"grafana_http_addr": value}})
    assert line.startswith("grafana_http_addr is %r, not an address without a port" % value)


@pytest.mark.parametrize("value", ["http", 0, 70000, True])
def test_ports_must_be_numbers(value):
    (line,) = listen_problems("h", "loki", {"h": {"loki_http_listen_port": value}})
    assert line == "loki_http_listen_port is %r, not a port number: it takes 1-65535, e.g. 3100" % (value,)


def _listener_cases():
    """(role, variables, variable named) for every listener variable of the table, with a bad value."""
    cases = []
    for spec in SERVICES.values():
        role = spec["role"]
        switches = {spec["active"]: True} if "active" in spec else {}
        for cond in spec.get("active_when", ()):
            switches[cond["var"]] = cond["in"][0] if "in" in cond else True
        if "listen" in spec:
            default = role_defaults(role)[spec["listen"]]
            if isinstance(default, dict):
                key = spec.get("listen_key") or next(k for k in default if k not in spec.get("skip_keys", ()))
                cases.append((role, dict(switches, **{spec["listen"]: dict(default, **{key: "4317"})}), "%s.%s" % (spec["listen"], key)))
            elif isinstance(default, list):
                cases.append((role, dict(switches, **{spec["listen"]: ["9100"]}), spec["listen"] + "[0]"))
            else:
                cases.append((role, dict(switches, **{spec["listen"]: "9100"}), spec["listen"]))
            continue
        if "host" in spec:
            cases.append((role, dict(switches, **{spec["host"]: "0.0.0.0:1234"}), spec["host"]))
        cases.append((role, dict(switches, **{spec["port"]: "port"}), spec["port"]))
    return cases


@pytest.mark.parametrize("role,variables,var", _listener_cases())
def test_every_listener_variable_of_the_table_is_checked(role, variables, var):
    lines = listen_problems("h", role, {"h": variables})
    assert [line for line in lines if line.startswith(var + " is ")], lines


@pytest.mark.parametrize("role", sorted({spec["role"] for spec in SERVICES.values()}))
def test_the_role_defaults_pass(role):
    assert listen_problems("h", role, {"h": {}}) == []


def test_a_dict_of_listeners_must_be_a_mapping():
    (line,) = listen_problems("h", "jaeger", {"h": {"jaeger_legacy_receivers_enabled": True, "jaeger_legacy_receivers": "0.0.0.0:14250"}})
    assert line.startswith("jaeger_legacy_receivers must be a mapping of protocol to listen address")


@pytest.mark.parametrize("role", ["lokki", None])
def test_unknown_role(role):
    with pytest.raises(AnsibleFilterError, match="^listen_problems: .* is not a role of the stack"):
        listen_problems("h", role, {"h": {}})


# --- e. two listeners of one host on one port ---------------------------------------------------------

# The example inventory's servers: the Collector beside Jaeger on other ports.
MOVED_COLLECTOR = {"otel_collector_otlp_grpc_listen_address": "0.0.0.0:4327", "otel_collector_otlp_http_listen_address": "0.0.0.0:4328",
                   "otel_collector_health_listen_address": "0.0.0.0:13134", "otel_collector_metrics_listen_address": "0.0.0.0:8898"}


def test_the_tiers_come_from_the_playbooks():
    tiers = {group: roles for _var, group, roles in tier_roles()}
    assert "jaeger" in tiers["monitoring_servers"] and "gateway" in tiers["monitoring_servers"]
    assert tiers["monitoring_clients"] == ("node_exporter", "alloy", "telegraf", "jaeger_agent")


def test_host_roles_follow_groups_and_switches():
    assert host_roles({"group_names": ["monitoring_clients"]}, "jaeger") == ["jaeger", "node_exporter", "alloy", "telegraf", "jaeger_agent"]
    assert "jaeger_agent" not in host_roles({"group_names": BOTH, "vigil_jaeger_agent_enabled": False}, "jaeger")
    assert host_roles({"group_names": ["web"], "vigil_clients_group": "web"}, "loki")[1:] == ["node_exporter", "alloy", "telegraf",
                                                                                              "jaeger_agent"]
    assert host_roles({}, "loki") == ["loki"]


def test_jaeger_agent_beside_jaeger():
    lines = port_clashes("h", "jaeger_agent", {"h": dict(MOVED_COLLECTOR, group_names=BOTH)})
    grpc = [line for line in lines if "port 4317/tcp" in line]
    assert grpc == ["jaeger_otlp_grpc_listen_address of jaeger (0.0.0.0:4317) and jaeger_agent_otlp_grpc_listen_address of "
                    "jaeger_agent (127.0.0.1:4317) claim the same port 4317/tcp on h; move one of them, or switch one role "
                    "off on this host (vigil_jaeger_enabled: false)"]
    assert port_clashes("h", "jaeger_agent", {"h": dict(MOVED_COLLECTOR, group_names=BOTH, vigil_jaeger_enabled=False)}) == []
    assert port_clashes("h", "jaeger_agent", {"h": {"group_names": ["monitoring_clients"]}}) == []


def test_loopback_and_wildcard_clash_two_specific_addresses_do_not():
    hv = {"group_names": ["monitoring_servers"], "grafana_http_port": 9090, "grafana_http_addr": "127.0.0.1"}
    (line,) = port_clashes("h", "grafana", {"h": hv})
    assert "prometheus_web_listen_address of prometheus (0.0.0.0:9090) and grafana_http_port of grafana (127.0.0.1:9090)" in line
    hv.update(prometheus_web_listen_address="10.0.0.5:9090")
    assert port_clashes("h", "grafana", {"h": hv}) == []
    hv.update(grafana_http_addr="localhost", prometheus_web_listen_address="127.0.0.1:9090")
    assert len(port_clashes("h", "prometheus", {"h": hv})) == 1


def test_udp_and_tcp_on_one_port_do_not_clash():
    hv = {"jaeger_agent_thrift_compact_listen_address": "127.0.0.1:8888", "jaeger_agent_metrics_listen_address": "127.0.0.1:8888"}
    assert port_clashes("h", "jaeger_agent", {"h": hv}) == []
    hv["jaeger_agent_thrift_binary_listen_address"] = "127.0.0.1:8888"
    (line,) = port_clashes("h", "jaeger_agent", {"h": hv})
    assert "claim the same port 8888/udp on h" in line and line.endswith("move one of them")


def test_switched_off_listeners_claim_nothing():
    hv = {"group_names": BOTH, "jaeger_agent_flavor": "legacy"}  # the legacy agent: only admin and sampling on TCP
    assert [line for line in port_clashes("h", "jaeger_agent", {"h": hv}) if "/tcp" in line] == [
        "jaeger_sampling_http_listen_address of jaeger (127.0.0.1:5778) and jaeger_agent_legacy_sampling_listen_address of "
        "jaeger_agent (127.0.0.1:5778) claim the same port 5778/tcp on h; move one of them, or switch one role off on "
        "this host (vigil_jaeger_enabled: false)"]
    hv["jaeger_sampling_enabled"] = False
    assert [line for line in port_clashes("h", "jaeger_agent", {"h": hv}) if "/tcp" in line] == []


def test_only_clashes_of_the_role_are_its_own():
    # jaeger and otel_collector clash with their defaults; loki's preflight does not report it
    hv = {"group_names": ["monitoring_servers"]}
    assert port_clashes("h", "loki", {"h": hv}) == []
    assert any("otel_collector_otlp_grpc_listen_address of otel_collector" in line for line in port_clashes("h", "jaeger", {"h": hv}))


# --- d. URLs -----------------------------------------------------------------------------------------

def test_urls_without_a_scheme():
    (line,) = url_problems("h", "grafana", {"h": {"grafana_prometheus_url": "mon-1:9090"}})
    assert line.startswith("grafana_prometheus_url ('mon-1:9090') is not an http:// or https:// URL with a host")
    (line,) = url_problems("h", "jaeger", {"h": {"jaeger_storage_server_urls": ["https://es:9200", "es:9200"]}})
    assert line.startswith("jaeger_storage_server_urls[1] ('es:9200') is not an http:// or https:// URL")
    (line,) = url_problems("h", "loki", {"h": {"loki_ruler_alertmanager_url": "http://a:9093,ftp://b:9093"}})
    assert line.startswith("loki_ruler_alertmanager_url ('ftp://b:9093') is not an http:// or https:// URL")


def test_loki_push_url_must_end_in_the_push_api():
    (line,) = url_problems("h", "alloy", {"h": {"alloy_loki_push_url": "http://mon-1:3100/loki/api/v1/query"}})
    assert line == ("alloy_loki_push_url ('http://mon-1:3100/loki/api/v1/query') is not Loki's push API: the URL must end in "
                    "/loki/api/v1/push, e.g. https://mon-1.example.org:8443/loki/api/v1/push")
    assert url_problems("h", "alloy", {"h": {"alloy_loki_push_url": "https://logs.example.org/loki/api/v1/push"}}) == []
    (line,) = url_problems("h", "grafana", {"h": {"grafana_loki_url": "http://logs.example.org/loki/api/v1/push"}})
    assert line.startswith("grafana_loki_url ('http://logs.example.org/loki/api/v1/push') is Loki's base URL for Grafana")


def test_secret_urls_are_never_shown_and_credentials_are_masked():
    hv = {"alertmanager_mattermost_receivers": [{"name": "ops", "webhook_url": "mm.example/hooks/secret-token"}],
          "alertmanager_webhook_receivers": [{"name": "hook", "webhook_url": "https://hooks.example/ok"}]}
    (line,) = url_problems("h", "alertmanager", {"h": hv})
    assert line.startswith("alertmanager_mattermost_receivers[ops].webhook_url is not an http:// or https:// URL")
    assert "secret-token" not in line
    hv = {"prometheus_remote_write": [{"name": "cloud", "url": "https://u:pw@remote.example:9999/api/v1/push?token=t"},
                                      {"name": "bad", "url": "remote.example/api/v1/push"}]}
    (line,) = url_problems("h", "prometheus", {"h": hv})
    assert line.startswith("prometheus_remote_write[bad].url ('remote.example/api/v1/push')")


@pytest.mark.parametrize("role", sorted(URL_VARS))
def test_unset_urls_pass(role):
    assert url_problems("h", role, {"h": {}}) == []


# --- f. the scheme against the TLS of the service of ours ----------------------------------------------

def test_https_to_a_service_of_ours_without_tls():
    hostvars = {"h": {"grafana_prometheus_url": "https://mon-1:9090"}, "mon-1": {"ansible_host": "10.0.0.5"}}
    (line,) = url_problems("h", "grafana", hostvars)
    assert line == ("grafana_prometheus_url (https://mon-1:9090) is https:// but prometheus on mon-1 serves plain HTTP on port 9090 "
                    "(none of prometheus_tls_cert, prometheus_tls_cert_file is set): use http://, or turn TLS on for prometheus "
                    "(prometheus_tls_cert or prometheus_tls_cert_file)")
    hostvars["h"]["grafana_prometheus_url"] = "https://10.0.0.5:9090"
    assert len(url_problems("h", "grafana", hostvars)) == 1
    hostvars["mon-1"]["prometheus_tls_cert_file"] = "/etc/ssl/p.crt"
    assert url_problems("h", "grafana", hostvars) == []


def test_http_to_a_service_of_ours_with_tls_and_loopback_is_this_host():
    hostvars = {"h": {"otel_collector_spanmetrics_remote_write_url": "http://127.0.0.1:9090/api/v1/write",
                      "prometheus_tls_cert_file": "/etc/ssl/p.crt"}}
    (line,) = url_problems("h", "otel_collector", hostvars)
    assert "is http:// but prometheus on h serves HTTPS on port 9090 (prometheus_tls_cert_file is set): use https://" in line


def test_the_gateway_serves_https():
    hostvars = {"c": {"alloy_loki_push_url": "http://mon-1:8443/loki/api/v1/push"}, "mon-1": {}}
    (line,) = url_problems("c", "alloy", hostvars)
    assert "is http:// but the gateway on mon-1 serves loki over HTTPS on port 8443" in line
    hostvars["c"]["alloy_loki_push_url"] = "https://mon-1:8443/loki/api/v1/push"
    assert url_problems("c", "alloy", hostvars) == []


def test_urls_to_other_hosts_or_ports_are_not_judged():
    hostvars = {"h": {"grafana_prometheus_url": "https://prom.example.org:9090"}, "mon-1": {}}
    assert url_problems("h", "grafana", hostvars) == []
    hostvars["h"]["grafana_prometheus_url"] = "https://mon-1:443/prometheus"
    assert url_problems("h", "grafana", hostvars) == []


# --- all of them ---------------------------------------------------------------------------------------

def test_listener_problems_come_first():
    hv = {"group_names": BOTH, "loki_http_listen_address": "0.0.0.0:3100"}
    (line,) = preflight_problems("h", "loki", {"h": hv})
    assert line.startswith("loki_http_listen_address is '0.0.0.0:3100'")
