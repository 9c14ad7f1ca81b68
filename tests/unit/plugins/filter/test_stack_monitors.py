# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stack_monitors: the Uptime Kuma monitors of the stack's endpoints, from the inventory."""

from __future__ import annotations

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.stack_monitors import stack_monitors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
GROUPS_MAP = {"servers": "monitoring_servers", "clients": "monitoring_clients"}


def role_services():
    """The service table the uptime_kuma role hands the filter."""
    with open(os.path.join(ROOT, "roles", "uptime_kuma", "vars", "main.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["_uptime_kuma_stack_services"]


def by_name(result):
    return {m["name"]: m for tier in result.values() for m in tier}


def test_lab_like_inventory():
    groups = {"monitoring_servers": ["srv"], "monitoring_clients": ["c1", "c2"]}
    hostvars = {
        "srv": {"otel_collector_health_listen_address": "0.0.0.0:13134", "loki_http_listen_address": ""},
        "c1": {"ansible_host": "10.0.0.11", "jaeger_agent_health_listen_address": "0.0.0.0:13133"},
        "c2": {"vigil_address": "10.0.0.12", "ansible_host": "ignored", "vigil_telegraf_enabled": False,
               "jaeger_agent_health_listen_address": "0.0.0.0:13133",
               "node_exporter_web_listen_addresses": ["10.0.0.12:9101"], "node_exporter_tls_cert": "PEM",
               "node_exporter_basic_auth_users": {"prometheus": "x"}},
    }
    result = stack_monitors(groups, hostvars, role_services(), "srv", GROUPS_MAP, {"interval": 20})
    found = by_name(result)
    # Server services on the Uptime Kuma host itself are reached on loopback, with their own ports.
    assert found["srv prometheus"]["url"] == "http://127.0.0.1:9090/-/healthy"
    assert found["srv otel_collector"]["url"] == "http://127.0.0.1:13134/"
    assert found["srv loki"]["url"] == "http://127.0.0.1:3100/ready"
    assert found["srv grafana"]["url"] == "http://127.0.0.1:3000/api/health"
    # Clients by their inventory address; a switched-off role has no monitor.
    assert found["c1 node_exporter"]["url"] == "http://10.0.0.11:9100/metrics"
    assert found["c1 telegraf"]["url"] == "http://10.0.0.11:9273/metrics"
    assert "c2 telegraf" not in found
    # A specific listen address, TLS and basic auth: https, and a 401 counts as up.
    assert found["c2 node_exporter"]["url"] == "https://10.0.0.12:9101/metrics"
    assert found["c2 node_exporter"]["accepted_status_codes"] == ["200-299", "401"]
    assert found["c1 node_exporter"]["accepted_status_codes"] == ["200-299"]
    assert all(m["interval"] == 20 and m["type"] == "http" for m in found.values())
    assert sorted(result) == ["clients", "servers"]
    expected = {"c1 node_exporter", "c1 telegraf", "c1 jaeger_agent", "c2 node_exporter", "c2 jaeger_agent"}
    assert {m["name"] for m in result["clients"]} == expected


def test_loopback_endpoints_only_on_the_kuma_host():
    groups = {"monitoring_servers": ["srv", "srv2"], "monitoring_clients": []}
    hostvars = {"srv": {}, "srv2": {"prometheus_web_listen_address": "127.0.0.1:9090", "ansible_host": "10.0.0.2"}}
    found = by_name(stack_monitors(groups, hostvars, role_services(), "srv", GROUPS_MAP))
    assert "srv2 prometheus" not in found
    assert found["srv2 alertmanager"]["url"] == "http://10.0.0.2:9093/-/healthy"


def test_agent_flavours_have_their_own_health_path():
    groups = {"monitoring_servers": [], "monitoring_clients": ["a", "b", "c"]}
    network = {"jaeger_agent_health_listen_address": ":13133"}
    hostvars = {"a": dict(network), "b": dict(network, jaeger_agent_flavor="otelcol"),
                "c": dict(network, jaeger_agent_flavor="legacy"), "d": {}}
    groups["monitoring_clients"].append("d")
    found = by_name(stack_monitors(groups, hostvars, role_services(), "srv", GROUPS_MAP))
    assert found["a jaeger_agent"]["url"].endswith(":13133/status")
    assert found["b jaeger_agent"]["url"].endswith(":13133/")
    assert "c jaeger_agent" not in found
    # By default the agent's health endpoint is on the client's loopback: no monitor from elsewhere.
    assert "d jaeger_agent" not in found


@pytest.mark.parametrize("services, hostvars, message", [
    ([{"service": "x"}], {}, "needs service and tier"),
    ([{"service": "x", "tier": "servers", "listen_var": "v", "listen_default": ":1", "bogus": 1}], {}, "unknown keys"),
    ([{"service": "x", "tier": "nowhere", "listen_var": "v", "listen_default": ":1"}], {}, "names tier"),
    ([{"service": "x", "tier": "servers", "listen_var": "v", "listen_default": ":1"}], {"srv": {"v": "9090"}},
     "v of srv is '9090', not a listen address"),
])
def test_bad_input(services, hostvars, message):
    with pytest.raises(AnsibleFilterError, match=message):
        stack_monitors({"monitoring_servers": ["srv"]}, hostvars, services, "srv", GROUPS_MAP)


def test_an_endpoint_item_takes_its_facts_from_the_stacks_table():
    """`endpoint: node_exporter` gives the same monitors as the facts written out, own keys winning."""
    groups = {"monitoring_clients": ["c1"]}
    hostvars = {"c1": {"ansible_host": "10.0.0.11", "node_exporter_web_listen_addresses": [":9101"],
                       "node_exporter_basic_auth_users": {"p": "x"}}}
    written = [{"service": "node_exporter", "tier": "clients", "role": "node_exporter",
                "listen_var": "node_exporter_web_listen_addresses", "listen_default": ":9100", "path": "/metrics",
                "tls_vars": ["node_exporter_tls_cert", "node_exporter_tls_cert_file"],
                "auth_vars": ["node_exporter_basic_auth_users"]}]
    short = [{"service": "node_exporter", "tier": "clients", "endpoint": "node_exporter", "path": "/metrics"}]
    expected = stack_monitors(groups, hostvars, written, "srv", GROUPS_MAP)
    assert stack_monitors(groups, hostvars, short, "srv", GROUPS_MAP) == expected
    assert expected["clients"][0]["url"] == "http://10.0.0.11:9101/metrics"
    assert expected["clients"][0]["accepted_status_codes"] == ["200-299", "401"]
    # Loki: an address and a port variable.
    loki = [{"service": "loki", "tier": "servers", "endpoint": "loki", "path": "/ready"}]
    found = stack_monitors({"monitoring_servers": ["s"]}, {"s": {"loki_http_listen_port": 3200, "loki_http_listen_address": ""}},
                           loki, "k", GROUPS_MAP)
    assert found["servers"][0]["url"] == "http://s:3200/ready"
    # On loopback (the default): monitored only from the same host.
    found = stack_monitors({"monitoring_servers": ["s"]}, {"s": {}}, loki, "s", GROUPS_MAP)
    assert found["servers"][0]["url"] == "http://127.0.0.1:3100/ready"
    with pytest.raises(AnsibleFilterError, match="stack_monitors: service x: endpoint 'nope' is not a service of the stack"):
        stack_monitors(groups, hostvars, [{"service": "x", "tier": "clients", "endpoint": "nope"}], "srv", GROUPS_MAP)
