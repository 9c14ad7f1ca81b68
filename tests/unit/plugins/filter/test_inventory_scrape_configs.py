# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""inventory_scrape_configs: Prometheus's inventory jobs and their scrape_configs, from the inventory."""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from jinja2 import Undefined

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.inventory_scrape_configs import inventory_scrape_configs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
NODE = {"job": "node", "group": "clients", "role": "node_exporter", "port": 9100,
        "listen_var": "node_exporter_web_listen_addresses", "listen_default": ":9100",
        "tls_vars": ["node_exporter_tls_cert", "node_exporter_tls_cert_file"], "metrics_path_var": "node_exporter_web_telemetry_path"}
TELEGRAF = {"job": "telegraf", "group": "clients", "role": "telegraf", "port": 9273,
            "listen_var": "telegraf_prometheus_client_listen", "listen_default": ":9273",
            "host_conditions": [{"var": "telegraf_prometheus_client_enabled", "default": True}],
            "basic_auth_vars": {"username": "telegraf_prometheus_client_basic_username",
                                "password": "telegraf_prometheus_client_basic_password"}}


def run(jobs, hostvars, groups=None, settings=None):
    groups = {"clients": list(hostvars)} if groups is None else groups
    return inventory_scrape_configs(jobs, settings or {}, groups, hostvars)


def configs(jobs, hostvars, **kwargs):
    return run(jobs, hostvars, **kwargs)["scrape_configs"]


def targets(jobs, hostvars, **kwargs):
    """[(target, labels)] of the one scrape_config."""
    (config,) = configs(jobs, hostvars, **kwargs)
    return [(group["targets"][0], group["labels"]) for group in config["static_configs"]]


def addresses(jobs, hostvars, **kwargs):
    return [target for target, _labels in targets(jobs, hostvars, **kwargs)]


def role_jobs():
    """The role's job list, with its groups."""
    with open(os.path.join(ROOT, "roles", "prometheus", "defaults", "main.yml"), encoding="utf-8") as handle:
        jobs = yaml.safe_load(handle)["prometheus_inventory_jobs"]
    names = {"{{ prometheus_clients_group }}": "monitoring_clients", "{{ prometheus_servers_group }}": "monitoring_servers"}
    return [dict(job, group=names[job["group"]]) for job in jobs]


class RecordingHostvars(Mapping):
    """hostvars that record each host looked up and each variable read, and refuse to be walked."""

    def __init__(self, hosts):
        self.hosts = hosts
        self.looked_up = []
        self.read = []

    def __getitem__(self, host):
        self.looked_up.append(host)
        return RecordingVars(self, self.hosts[host])

    def __iter__(self):
        raise AssertionError("hostvars walked")

    def __len__(self):
        raise AssertionError("hostvars counted")


class RecordingVars(Mapping):
    def __init__(self, owner, values):
        self.owner = owner
        self.values = values

    def __getitem__(self, name):
        self.owner.read.append(name)
        return self.values[name]

    def __iter__(self):
        raise AssertionError("a host's variables walked")

    def __len__(self):
        raise AssertionError("a host's variables counted")


# --- The role's jobs -------------------------------------------------------------------------

def test_the_roles_jobs_on_a_small_inventory():
    groups = {"monitoring_servers": ["prom"], "monitoring_clients": ["c1", "c2"]}
    hostvars = {
        "prom": {"vigil_address": "10.0.0.10", "jaeger_spm_enabled": False},
        "c1": {"ansible_host": "10.0.0.11", "telegraf_prometheus_client_basic_username": "scraper",
               "telegraf_prometheus_client_basic_password": "pw", "jaeger_agent_flavor": "legacy",
               "jaeger_agent_legacy_admin_listen_address": ":14271"},
        "c2": {"node_exporter_web_listen_addresses": ["127.0.0.1:9100"], "alloy_http_listen_address": "0.0.0.0:12345",
               "jaeger_agent_metrics_listen_address": "0.0.0.0:8888"},
    }
    # prom scrapes: its own loopback listeners are targets too
    result = inventory_scrape_configs(role_jobs(), {}, groups, hostvars, "prom")
    assert result["jobs"] == [{"job": job["job"], "group": job["group"]} for job in role_jobs()]
    by_name = {config["job_name"]: config for config in result["scrape_configs"]}
    assert list(by_name) == ["node", "telegraf", "telegraf_c1", "alloy", "jaeger_agent", "jaeger_agent_legacy", "prometheus",
                             "alertmanager", "otel_spanmetrics"]
    assert by_name["node"] == {"job_name": "node", "static_configs": [{"targets": ["10.0.0.11:9100"], "labels": {"instance": "c1"}}]}
    assert by_name["telegraf"]["static_configs"] == [{"targets": ["c2:9273"], "labels": {"instance": "c2"}}]
    assert by_name["telegraf_c1"] == {
        "job_name": "telegraf_c1", "basic_auth": {"username": "scraper", "password": "pw"},
        "static_configs": [{"targets": ["10.0.0.11:9273"], "labels": {"instance": "c1", "job": "telegraf"}}]}
    assert by_name["alloy"]["static_configs"] == [{"targets": ["c2:12345"], "labels": {"instance": "c2"}}]
    assert by_name["jaeger_agent"]["static_configs"] == [{"targets": ["c2:8888"], "labels": {"instance": "c2"}}]
    assert by_name["jaeger_agent_legacy"]["static_configs"] == [{"targets": ["10.0.0.11:14271"], "labels": {"instance": "c1"}}]
    assert by_name["prometheus"]["static_configs"] == [{"targets": ["10.0.0.10:9090"], "labels": {"instance": "prom"}}]
    assert by_name["otel_spanmetrics"]["static_configs"] == [{"targets": ["127.0.0.1:8889"], "labels": {"instance": "prom"}}]
    # By default the agents' own metrics are on each client's loopback: not scraped over the network.
    default = inventory_scrape_configs(role_jobs(), {}, {"monitoring_clients": ["c3"]}, {"c3": {}}, "prom")
    assert [c["job_name"] for c in default["scrape_configs"]] == ["node", "telegraf"]


# --- Jobs and their settings --------------------------------------------------------------------

def test_settings_are_merged_recursively_by_job_name():
    job = dict(NODE, scrape_interval="5s", tls_config={"ca_file": "/ca", "server_name": "a"}, params={"x": ["1", "2"]})
    settings = {"node": {"scrape_interval": "2s", "tls_config": {"server_name": "b"}, "params": {"x": ["3"]}, "scheme": "https"},
                "other": {"scrape_interval": "1s"}}
    (config,) = configs([job], {"c1": {}}, settings=settings)
    assert config == {"job_name": "node", "scrape_interval": "2s", "tls_config": {"ca_file": "/ca", "server_name": "b"},
                      "params": {"x": ["3"]}, "scheme": "https",
                      "static_configs": [{"targets": ["c1:9100"], "labels": {"instance": "c1"}}]}
    assert list(config) == ["job_name", "scrape_interval", "tls_config", "params", "scheme", "static_configs"]


def test_settings_can_change_the_contract_keys():
    settings = {"node": {"port": 9200, "listen_default": "", "group": "servers", "role": "other"}}
    result = run([NODE], {"s1": {"vigil_node_exporter_enabled": False}}, groups={"servers": ["s1"], "clients": []}, settings=settings)
    assert result["jobs"] == [{"job": "node", "group": "servers"}]
    assert addresses([NODE], {"s1": {"vigil_node_exporter_enabled": False}}, groups={"servers": ["s1"]}, settings=settings) == ["s1:9200"]


@pytest.mark.parametrize("switch", [{"enabled": False}, {"enabled": "no"}, {"enabled": "False"}, {"enabled": None}, {"group": ""}])
def test_disabled_jobs_and_jobs_without_a_group_are_dropped(switch):
    assert run([NODE, TELEGRAF], {"c1": {}}, settings={"node": switch})["jobs"] == [{"job": "telegraf", "group": "clients"}]
    assert run([dict(NODE, **switch)], {"c1": {}}) == {"jobs": [], "scrape_configs": []}


@pytest.mark.parametrize("switch", [True, "yes", "on", "true", "True", 1, "1"])
def test_enabled_jobs(switch):
    assert run([dict(NODE, enabled=switch)], {"c1": {}})["jobs"] == [{"job": "node", "group": "clients"}]


def test_a_job_without_targets_is_listed_but_has_no_scrape_config():
    result = run([NODE, dict(TELEGRAF, group="missing"), dict(TELEGRAF, job="t2", group="empty")],
                 {"c1": {"node_exporter_web_listen_addresses": ["127.0.0.1:9100"]}}, groups={"clients": ["c1"], "empty": []})
    assert result == {"jobs": [{"job": "node", "group": "clients"}, {"job": "telegraf", "group": "missing"},
                               {"job": "t2", "group": "empty"}], "scrape_configs": []}


def test_contract_keys_are_stripped_from_the_scrape_config():
    job = dict(TELEGRAF, enabled=True, tls_vars=["t"], metrics_path_var="p", metrics_path="/m", honor_labels=True)
    (config,) = configs([job], {"c1": {}})
    assert config == {"job_name": "telegraf", "metrics_path": "/m", "honor_labels": True,
                      "static_configs": [{"targets": ["c1:9273"], "labels": {"instance": "c1"}}]}


def test_a_job_without_listen_var_uses_its_port_and_the_hosts_address():
    job = {"job": "app", "group": "clients", "role": "app", "port": "8080"}
    assert addresses([job], {"c1": {}, "c2": {"ansible_host": "192.0.2.2"}, "c3": {"vigil_address": "10.0.0.3", "ansible_host": "x"}}) == [
        "c1:8080", "192.0.2.2:8080", "10.0.0.3:8080"]


def test_hosts_keep_the_group_order_and_unknown_hosts_count_as_without_variables():
    assert addresses([NODE], {"b": {}, "a": {}}, groups={"clients": ["b", "ghost", "a"]}) == ["b:9100", "ghost:9100", "a:9100"]


# --- Per host ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, scraped", [(False, False), ("false", False), ("no", False), (0, False), (None, False),
                                            (True, True), ("True", True), ("yes", True), (1, True)])
def test_the_role_switch_of_each_host(value, scraped):
    hostvars = {"c1": {"vigil_node_exporter_enabled": value}, "c2": {}}
    assert addresses([NODE], hostvars) == (["c1:9100", "c2:9100"] if scraped else ["c2:9100"])


def test_host_conditions_var_default_and_in():
    job = dict(NODE, host_conditions=[{"var": "flavor", "default": "jaeger", "in": ["jaeger", "otelcol"]},
                                      {"var": "on", "default": True}, {"var": "off_by_default", "default": False, "in": [False]},
                                      {"var": "plain"}])
    hostvars = {
        "defaults": {},
        "otelcol": {"flavor": "otelcol"},
        "legacy": {"flavor": "legacy"},
        "switched_off": {"on": "false"},
        "not_in": {"off_by_default": True},
        "plain_off": {"plain": "no"},
    }
    assert addresses([job], hostvars) == ["defaults:9100", "otelcol:9100"]


@pytest.mark.parametrize("listen, address", [
    (":9101", "c1:9101"),
    ("0.0.0.0:9101", "c1:9101"),
    ("[::]:9101", "c1:9101"),
    ("*:9101", "c1:9101"),
    ("[]:9101", "c1:9101"),
    ("10.0.0.5:9101", "10.0.0.5:9101"),
    ("exporter.example:9101", "exporter.example:9101"),
    ("[2001:db8::5]:9101", "[2001:db8::5]:9101"),
    ("[10.0.0.5]:9101", "10.0.0.5:9101"),
    (" 10.0.0.5:9101 ", "10.0.0.5:9101"),
    ("10.0.0.5:09101", "10.0.0.5:09101"),
    (["10.0.0.5:9101", "10.0.0.6:9102"], "10.0.0.5:9101"),
    # unset or empty: every interface on the job's port
    ("", "c1:9100"), (None, "c1:9100"), ([], "c1:9100"), ([None], "c1:9100"), (Undefined(), "c1:9100"), ([Undefined()], "c1:9100"),
])
def test_listen_address_gives_port_and_address(listen, address):
    assert addresses([NODE], {"c1": {"node_exporter_web_listen_addresses": listen}}) == [address]


@pytest.mark.parametrize("listen", ["127.0.0.1:9100", "127.1.2.3:9100", "localhost:9100", "[::1]:9100", ["127.0.0.1:9100", ":9100"]])
def test_loopback_hosts_are_skipped(listen):
    assert configs([NODE], {"c1": {"node_exporter_web_listen_addresses": listen}}) == []


def test_listen_default_when_the_host_does_not_set_it():
    assert addresses([dict(NODE, listen_default="0.0.0.0:9109")], {"c1": {}}) == ["c1:9109"]
    assert addresses([dict(NODE, listen_default=["10.0.0.5:9109"])], {"c1": {}}) == ["10.0.0.5:9109"]
    assert configs([dict(NODE, listen_default="127.0.0.1:9109")], {"c1": {}}) == []
    # no listen_default: every interface on the job's port
    assert addresses([{k: v for k, v in NODE.items() if k != "listen_default"}], {"c1": {}}) == ["c1:9100"]


def test_wildcard_address_is_vigil_address_then_ansible_host_then_the_name():
    hostvars = {"a": {"vigil_address": "10.0.0.1", "ansible_host": "192.0.2.1"}, "b": {"ansible_host": "192.0.2.2"}, "c": {},
                "d": {"vigil_address": Undefined(), "ansible_host": "192.0.2.4"}}
    assert addresses([NODE], hostvars) == ["10.0.0.1:9100", "192.0.2.2:9100", "c:9100", "192.0.2.4:9100"]


def test_labels_instance_scheme_and_metrics_path():
    hostvars = {
        "c1": {"prometheus_target_labels": {"site": "paris", "instance": "ignored"}, "node_exporter_tls_cert_file": "/tls.crt",
               "node_exporter_web_telemetry_path": "/node"},
        "c2": {"node_exporter_tls_cert": "", "node_exporter_tls_cert_file": None, "node_exporter_web_telemetry_path": ""},
        "c3": {"node_exporter_tls_cert": "PEM", "prometheus_target_labels": {}},
    }
    assert targets([NODE], hostvars) == [
        ("c1:9100", {"site": "paris", "instance": "c1", "__scheme__": "https", "__metrics_path__": "/node"}),
        ("c2:9100", {"instance": "c2"}),
        ("c3:9100", {"instance": "c3", "__scheme__": "https"}),
    ]
    assert list(targets([NODE], hostvars)[0][1]) == ["site", "instance", "__scheme__", "__metrics_path__"]


def test_hosts_with_their_own_credentials_get_their_own_scrape_config():
    settings = {"telegraf": {"scrape_interval": "5s", "basic_auth": {"username": "shared", "password": "shared-pw"}}}
    hostvars = {
        "c1": {"telegraf_prometheus_client_basic_username": "scraper", "telegraf_prometheus_client_basic_password": "pw",
               "prometheus_target_labels": {"job": "overridden", "site": "paris"}},
        "c2": {"telegraf_prometheus_client_basic_username": ""},
        "c3": {"telegraf_prometheus_client_basic_username": "u3"},
        "c4": {},
    }
    assert configs([TELEGRAF], hostvars, settings=settings) == [
        {"job_name": "telegraf", "scrape_interval": "5s", "basic_auth": {"username": "shared", "password": "shared-pw"},
         "static_configs": [{"targets": ["c2:9273"], "labels": {"instance": "c2"}},
                            {"targets": ["c4:9273"], "labels": {"instance": "c4"}}]},
        {"job_name": "telegraf_c1", "scrape_interval": "5s", "basic_auth": {"username": "scraper", "password": "pw"},
         "static_configs": [{"targets": ["c1:9273"], "labels": {"job": "telegraf", "site": "paris", "instance": "c1"}}]},
        {"job_name": "telegraf_c3", "scrape_interval": "5s", "basic_auth": {"username": "u3", "password": ""},
         "static_configs": [{"targets": ["c3:9273"], "labels": {"instance": "c3", "job": "telegraf"}}]},
    ]


def test_only_hosts_with_own_credentials_no_shared_scrape_config():
    hostvars = {"c1": {"telegraf_prometheus_client_basic_username": "u", "telegraf_prometheus_client_basic_password": "p"}}
    assert [c["job_name"] for c in configs([TELEGRAF], hostvars)] == ["telegraf_c1"]


def test_each_host_is_looked_up_once_and_only_the_named_variables_are_read():
    hostvars = RecordingHostvars({"c1": {"node_exporter_web_listen_addresses": ["127.0.0.1:9100"]}, "c2": {"ansible_host": "192.0.2.2"}})
    result = inventory_scrape_configs([NODE, TELEGRAF], {}, {"clients": ["c1", "c2"]}, hostvars)
    assert [c["job_name"] for c in result["scrape_configs"]] == ["node", "telegraf"]
    assert sorted(hostvars.looked_up) == ["c1", "c2"]
    assert set(hostvars.read) <= {"vigil_node_exporter_enabled", "vigil_telegraf_enabled", "node_exporter_web_listen_addresses",
                                  "telegraf_prometheus_client_listen", "telegraf_prometheus_client_enabled", "vigil_address",
                                  "ansible_host", "prometheus_target_labels", "node_exporter_tls_cert", "node_exporter_tls_cert_file",
                                  "node_exporter_web_telemetry_path", "telegraf_prometheus_client_basic_username"}


def test_a_disabled_host_is_not_read_further():
    hostvars = RecordingHostvars({"c1": {"vigil_node_exporter_enabled": False, "node_exporter_web_listen_addresses": "bad"}})
    assert inventory_scrape_configs([NODE], {}, {"clients": ["c1"]}, hostvars)["scrape_configs"] == []
    assert hostvars.read == ["vigil_node_exporter_enabled"]


# --- Bad input ----------------------------------------------------------------------------------

def fails(pattern, jobs, hostvars=None, settings=None, groups=None):
    with pytest.raises(AnsibleFilterError, match=pattern) as caught:
        inventory_scrape_configs(jobs, settings or {}, groups or {"clients": list(hostvars or {})}, hostvars or {})
    message = str(caught.value)
    assert message.startswith("inventory_scrape_configs: ") and "\n" not in message
    return message


@pytest.mark.parametrize("listen", ["10.0.0.5", "9100", 9100, "a:b:9100", "fe80::1:9100", "::", "host:", ":0", "host:70000", "[::1:9100",
                                    {"a": 1}])
def test_a_listen_address_that_is_not_one(listen):
    fails(r"job node, host c1: node_exporter_web_listen_addresses is .*, not a listen address such as :9100 or 10\.0\.0\.5:9100",
          [NODE], {"c1": {"node_exporter_web_listen_addresses": listen}})


def test_a_bad_listen_default_names_it():
    fails(r"job node, host c1: listen_default is '10\.0\.0\.5', not a listen address", [dict(NODE, listen_default="10.0.0.5")], {"c1": {}})


@pytest.mark.parametrize("item, pattern", [
    ({"group": "clients", "role": "x", "port": 1}, r"job item 1 has no job name \(keys: group, port, role\)"),
    ({"job": "", "group": "clients"}, r"job item 1 has no job name"),
    ({"job": 5, "group": "clients"}, r"job item 1 has no job name"),
    ("node", r"job item 1 is a str, not a dict"),
    ({"job": "x", "role": "x", "port": 1}, r"job x: group must be an inventory group name \(''"),
    ({"job": "x", "group": None, "role": "x", "port": 1}, r"job x: group must be"),
    ({"job": "x", "group": ["clients"], "role": "x", "port": 1}, r"job x: group must be"),
    ({"job": "x", "group": "clients", "port": 1}, r"job x: role must be"),
    ({"job": "x", "group": "clients", "role": "x"}, r"job x: port must be a port number, got None"),
    ({"job": "x", "group": "clients", "role": "x", "port": "http"}, r"job x: port must be a port number, got 'http'"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "listen_var": ""}, r"job x: listen_var must be a variable name"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "metrics_path_var": 3}, r"job x: metrics_path_var must be a variable name"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "host_conditions": {"var": "a"}}, r"job x: host_conditions must be a list"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "host_conditions": ["a"]}, r"job x: host_conditions item 'a' is not a dict"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "host_conditions": [{"var": "a", "if": [1], "defualt": 2}]},
     r"job x: host_conditions item for a has unknown keys defualt, if \(known: default, in, var\)"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "host_conditions": [{"default": True}]},
     r"job x: host_conditions item \{'default': True\} needs a var"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "host_conditions": [{"var": "a", "in": "abc"}]},
     r"job x: host_conditions in for a must be a list"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "tls_vars": "cert"}, r"job x: tls_vars must be a list of variable names"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "basic_auth_vars": {"username": "u"}},
     r"job x: basic_auth_vars must name the username and password variables"),
    ({"job": "x", "group": "clients", "role": "x", "port": 1, "basic_auth_vars": None}, r"job x: basic_auth_vars must name"),
])
def test_a_job_the_filter_cannot_read(item, pattern):
    fails(pattern, [item], {"c1": {}})


def test_a_disabled_job_needs_a_name_and_a_group_but_nothing_else():
    assert run([{"job": "x", "group": "clients", "enabled": False, "tls_vars": "junk"}], {"c1": {}}) == {"jobs": [], "scrape_configs": []}
    fails(r"job x: group must be", [{"job": "x", "enabled": False}])


def test_bad_settings_labels_and_arguments():
    fails(r"job node: its scrape job settings are a list, not a dict", [NODE], {"c1": {}}, settings={"node": ["x"]})
    fails(r"job node, host c1: prometheus_target_labels must be a dict, got a list", [NODE], {"c1": {"prometheus_target_labels": ["a"]}})
    fails(r"job node, host c1: prometheus_target_labels must be a dict, got a NoneType", [NODE], {"c1": {"prometheus_target_labels": None}})
    fails(r"the jobs must be a list, got a dict", NODE)
    with pytest.raises(AnsibleFilterError, match=r"the scrape job settings must be a dict"):
        inventory_scrape_configs([NODE], [], {}, {})
    with pytest.raises(AnsibleFilterError, match=r"groups must be the inventory's groups"):
        inventory_scrape_configs([NODE], {}, None, {})


def test_a_bad_listen_address_on_a_host_that_is_not_scraped_is_not_an_error():
    hostvars = {"c1": {"vigil_telegraf_enabled": False, "telegraf_prometheus_client_listen": "junk"},
                "c2": {"telegraf_prometheus_client_enabled": False, "telegraf_prometheus_client_listen": "junk"}}
    assert configs([TELEGRAF], hostvars) == []


def test_an_endpoint_item_takes_its_facts_from_the_stacks_table():
    """`endpoint: telegraf` scrapes exactly as the facts written out; the item's own keys win."""
    hostvars = {"c1": {"ansible_host": "10.0.0.11", "telegraf_prometheus_client_listen": ":9274",
                       "telegraf_prometheus_client_basic_username": "prom",
                       "telegraf_prometheus_client_basic_password": "pw"},
                "c2": {"vigil_address": "10.0.0.12", "telegraf_prometheus_client_tls_cert_file": "/etc/t.crt"}}
    written = dict(TELEGRAF, metrics_path_var="telegraf_prometheus_client_path",
                   tls_vars=["telegraf_prometheus_client_tls_cert", "telegraf_prometheus_client_tls_cert_file"])
    short = {"job": "telegraf", "group": "clients", "endpoint": "telegraf",
             "host_conditions": [{"var": "telegraf_prometheus_client_enabled", "default": True}]}
    assert run([short], hostvars) == run([written], hostvars)
    assert run([dict(short, port=1)], hostvars) == run([dict(written, port=1)], hostvars)
    with pytest.raises(AnsibleFilterError, match="job loki: endpoint loki has no listen address variable"):
        run([{"job": "loki", "group": "clients", "endpoint": "loki"}], hostvars)
    with pytest.raises(AnsibleFilterError, match="job x: endpoint 'nope' is not a service of the stack"):
        run([{"job": "x", "group": "clients", "endpoint": "nope"}], hostvars)


def test_the_prometheus_host_scrapes_its_own_loopback_listeners():
    """A listener on loopback is a target only for the Prometheus on the same host, at 127.0.0.1."""
    job = [{"job": "spanmetrics", "group": "servers", "endpoint": "otel_collector_spanmetrics"}]
    hostvars = {"s1": {"otel_collector_spanmetrics_exporter_listen_address": "127.0.0.1:8889"},
                "s2": {"otel_collector_spanmetrics_exporter_listen_address": "127.0.0.1:8889"}}
    groups = {"servers": ["s1", "s2"]}
    out = inventory_scrape_configs(job, {}, groups, hostvars, "s1")
    assert out["scrape_configs"][0]["static_configs"] == [{"targets": ["127.0.0.1:8889"], "labels": {"instance": "s1"}}]
    assert inventory_scrape_configs(job, {}, groups, hostvars)["scrape_configs"] == []


def test_credentials_follow_the_targets_users():
    """`endpoint: node_exporter` sends the first user of each host's node_exporter_basic_auth_users,
    unless the job's settings give basic_auth themselves."""
    job = [{"job": "node", "group": "clients", "endpoint": "node_exporter"}]
    hostvars = {"c1": {"node_exporter_basic_auth_users": {"prometheus": "p1", "other": "x"}}, "c2": {}}
    groups = {"clients": ["c1", "c2"]}
    out = inventory_scrape_configs(job, {}, groups, hostvars)["scrape_configs"]
    assert [c["job_name"] for c in out] == ["node", "node_c1"]
    assert out[1]["basic_auth"] == {"username": "prometheus", "password": "p1"}
    assert out[1]["static_configs"][0]["labels"]["job"] == "node"
    settings = {"node": {"basic_auth": {"username": "u", "password": "v"}}}
    out = inventory_scrape_configs(job, settings, groups, hostvars)["scrape_configs"]
    assert [c["job_name"] for c in out] == ["node"] and out[0]["basic_auth"] == {"username": "u", "password": "v"}
