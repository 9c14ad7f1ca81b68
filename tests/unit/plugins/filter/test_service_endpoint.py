# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_endpoint and friends: how a host reaches a service of the stack on another."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from jinja2 import Undefined

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import (
    SERVICES, endpoint_keys, endpoint_ports, host_address, listen_parts, loopback_host, role_defaults, service_endpoint, service_endpoints,
    unprotected_listeners)


def test_host_address_prefers_vigil_address_then_ansible_host_then_name():
    hostvars = {"a": {"vigil_address": "10.0.0.1", "ansible_host": "a.example"},
                "b": {"ansible_host": "b.example"}, "c": {}, "d": {"vigil_address": Undefined()}}
    assert [host_address(h, hostvars) for h in "abcd"] == ["10.0.0.1", "b.example", "c", "d"]
    assert host_address("not-in-inventory", hostvars) == "not-in-inventory"


@pytest.mark.parametrize("bad", ["", None, 3, ["a"]])
def test_host_address_refuses_what_is_not_a_host_name(bad):
    with pytest.raises(AnsibleFilterError, match="host_address: .* is not an inventory host name"):
        host_address(bad, {})


@pytest.mark.parametrize("text,host,port", [
    (":9093", "", 9093), ("0.0.0.0:9090", "0.0.0.0", 9090), ("[::1]:9090", "::1", 9090),
    ("10.0.0.5:3100", "10.0.0.5", 3100), ([":9100", "10.0.0.1:9100"], "", 9100)])
def test_listen_parts(text, host, port):
    assert listen_parts(text) == {"host": host, "port": port}


@pytest.mark.parametrize("bad", ["9090", "host:", "host:99999", "host:0", "::1:9090", None, []])
def test_listen_parts_refuses_what_is_not_a_listen_address(bad):
    with pytest.raises(AnsibleFilterError, match="is not a listen address"):
        listen_parts(bad)


def test_every_service_defaults_are_literal_values_of_the_role():
    """Each variable the table names exists in its role's defaults, with a literal value."""
    for service, spec in SERVICES.items():
        defaults = role_defaults(spec["role"])
        for key in ("listen", "host", "port", "url_path", "base_path", "metrics_path"):
            if key in spec:
                assert spec[key] in defaults, (service, spec[key])
                assert "{{" not in str(defaults[spec[key]]), (service, spec[key])
        for var in spec.get("tls", ()) + spec.get("auth", ()) + tuple(spec.get("basic_auth", {}).values()):
            assert var in defaults, (service, var)
        # Every service answers with the role's defaults alone.
        if "users" in spec:
            assert isinstance(defaults[spec["users"]], dict), (service, spec["users"])
        if "active" in spec:
            assert spec["active"] in defaults, (service, spec["active"])
        if spec.get("listener_only"):
            continue
        # Every service answers with the role's defaults alone.
        endpoint = service_endpoint("srv", service, {"srv": {}})
        assert endpoint["address"] == "srv" and endpoint["enabled"]
        assert endpoint["scheme"] == ("https" if endpoint["gateway"] else "http")


def test_defaults_give_the_well_known_ports():
    hostvars = {"srv": {"vigil_address": "10.0.0.5", "vigil_gateway_enabled": False}}
    urls = {s: service_endpoint("srv", s, hostvars)["url"] for s, spec in SERVICES.items() if not spec.get("listener_only")}
    assert urls == {
        "prometheus": "http://10.0.0.5:9090", "alertmanager": "http://10.0.0.5:9093",
        "alertmanager_cluster": "http://10.0.0.5:9094", "loki": "http://10.0.0.5:3100", "loki_grpc": "http://10.0.0.5:9095",
        "jaeger_otlp_grpc": "http://10.0.0.5:4317", "jaeger_otlp_http": "http://10.0.0.5:4318",
        "jaeger_query": "http://10.0.0.5:16686/jaeger", "jaeger_query_grpc": "http://10.0.0.5:16685",
        "jaeger_sampling_http": "http://10.0.0.5:5778", "jaeger_sampling_grpc": "http://10.0.0.5:5779",
        "otel_collector_metrics": "http://10.0.0.5:8888", "jaeger_agent_legacy_sampling": "http://10.0.0.5:5778",
        "otel_collector_otlp_grpc": "http://10.0.0.5:4317",
        "otel_collector_otlp_http": "http://10.0.0.5:4318", "grafana": "http://10.0.0.5:3000",
        "jaeger_health": "http://10.0.0.5:13133", "jaeger_spm": "http://10.0.0.5:8889", "jaeger_metrics": "http://10.0.0.5:8888",
        "jaeger_legacy_grpc": "http://10.0.0.5:14250", "otel_collector_health": "http://10.0.0.5:13133",
        "otel_collector_spanmetrics": "http://10.0.0.5:8889", "node_exporter": "http://10.0.0.5:9100",
        "telegraf": "http://10.0.0.5:9273", "alloy": "http://10.0.0.5:12345", "jaeger_agent_health": "http://10.0.0.5:13133",
        "jaeger_agent_metrics": "http://10.0.0.5:8888", "jaeger_agent_legacy_admin": "http://10.0.0.5:14271",
        "jaeger_agent_otlp_grpc": "http://10.0.0.5:4317", "jaeger_agent_otlp_http": "http://10.0.0.5:4318",
        "jaeger_agent_thrift_compact": "http://10.0.0.5:6831", "jaeger_agent_thrift_binary": "http://10.0.0.5:6832",
        "jaeger_agent_thrift_http": "http://10.0.0.5:14268"}


def test_the_servers_own_settings_win():
    hostvars = {"srv": {"ansible_host": "srv.example", "prometheus_web_listen_address": ":9999",
                        "prometheus_tls_cert_file": "/etc/tls/p.crt", "prometheus_basic_auth_users": {"a": "b"},
                        "prometheus_web_external_url": "https://metrics.example/prom/",
                        "loki_http_listen_port": "3200", "grafana_http_addr": "10.1.1.1",
                        "jaeger_query_base_path": "/jaeger/", "vigil_gateway_enabled": "no",
                        "vigil_tls_ca_file": "/etc/ssl/ours.pem"}}
    prom = service_endpoint("srv", "prometheus", hostvars)
    assert prom == {"host": "srv", "service": "prometheus", "address": "srv.example", "port": 9999,
                    "hostport": "srv.example:9999", "scheme": "https", "url": "https://srv.example:9999/prom",
                    "tls": True, "auth": True, "basic_auth": {"username": "a", "password": "b"}, "gateway": False,
                    "ca_file": "/etc/ssl/ours.pem", "enabled": True}
    assert service_endpoint("srv", "loki", hostvars)["hostport"] == "srv.example:3200"
    # A specific listen address is where the server can be reached.
    assert service_endpoint("srv", "grafana", hostvars)["url"] == "http://10.1.1.1:3000"
    assert service_endpoint("srv", "jaeger_query", hostvars)["url"] == "http://srv.example:16686/jaeger"


def test_a_client_on_the_server_itself_uses_the_local_address():
    hostvars = {"srv": {"vigil_address": "10.0.0.5", "jaeger_otlp_grpc_listen_address": "[::]:4317",
                        "jaeger_otlp_http_listen_address": "[::1]:4318"}}
    assert service_endpoint("srv", "jaeger_otlp_grpc", hostvars, client="srv")["hostport"] == "127.0.0.1:4317"
    assert service_endpoint("srv", "jaeger_otlp_http", hostvars, client="srv")["hostport"] == "[::1]:4318"
    assert service_endpoint("srv", "jaeger_otlp_grpc", hostvars, client="other")["hostport"] == "10.0.0.5:4317"
    # A loopback listen address is not another host's way in: the inventory address is given.
    assert service_endpoint("srv", "jaeger_otlp_http", hostvars, client="other")["hostport"] == "10.0.0.5:4318"


def test_service_endpoints_leaves_out_servers_that_do_not_run_it():
    hostvars = {"a": {}, "b": {"vigil_prometheus_enabled": "false"}, "c": {"vigil_prometheus_enabled": True}}
    assert [e["host"] for e in service_endpoints(["a", "b", "c"], "prometheus", hostvars)] == ["a", "c"]
    assert service_endpoints([], "prometheus", hostvars) == []


def test_bad_input_names_the_thing():
    with pytest.raises(AnsibleFilterError, match="unknown service 'prometeus'; known: alertmanager"):
        service_endpoint("srv", "prometeus", {})
    with pytest.raises(AnsibleFilterError, match="prometheus_web_listen_address of srv.*not a listen address"):
        service_endpoint("srv", "prometheus", {"srv": {"prometheus_web_listen_address": "9090"}})
    with pytest.raises(AnsibleFilterError, match="loki_http_listen_port of srv is 'http', not a port number"):
        service_endpoint("srv", "loki", {"srv": {"loki_http_listen_port": "http"}})
    with pytest.raises(AnsibleFilterError, match="loki_http_listen_port of srv is 70000, not a port number"):
        service_endpoint("srv", "loki", {"srv": {"loki_http_listen_port": 70000}})
    with pytest.raises(AnsibleFilterError, match="must be an inventory host name"):
        service_endpoint("", "loki", {})
    with pytest.raises(AnsibleFilterError, match="must be a list of inventory host names"):
        service_endpoints("srv", "loki", {})


def test_an_entry_of_a_dict_variable():
    """jaeger-agent reports to the grpc entry of the jaeger role's jaeger_legacy_receivers."""
    assert service_endpoint("srv", "jaeger_legacy_grpc", {"srv": {}})["hostport"] == "srv:14250"
    hostvars = {"srv": {"jaeger_legacy_receivers": {"grpc": "10.0.0.5:24250"}},
                "other": {"jaeger_legacy_receivers": {"thrift_http": "0.0.0.0:1"}}}
    assert service_endpoint("srv", "jaeger_legacy_grpc", hostvars)["hostport"] == "10.0.0.5:24250"
    # An inventory dict without the entry keeps the role's default for it.
    assert service_endpoint("other", "jaeger_legacy_grpc", hostvars)["port"] == 14250
    with pytest.raises(AnsibleFilterError, match=r"jaeger_legacy_receivers\.grpc of srv.*not a listen address"):
        service_endpoint("srv", "jaeger_legacy_grpc", {"srv": {"jaeger_legacy_receivers": {"grpc": "x"}}})


def test_endpoint_ports_of_a_host():
    hostvars = {"srv": {"jaeger_otlp_grpc_listen_address": "0.0.0.0:4417"}}
    assert endpoint_ports("srv", ["jaeger_otlp_http", "jaeger_otlp_grpc", "jaeger_health"], hostvars) == [4318, 4417, 13133]
    with pytest.raises(AnsibleFilterError, match="endpoint_ports: services must be a list"):
        endpoint_ports("srv", "jaeger_health", hostvars)


def test_endpoint_keys_give_a_job_or_monitor_its_exporter_facts():
    assert endpoint_keys("telegraf", "x") == {
        "role": "telegraf", "listen_var": "telegraf_prometheus_client_listen", "listen_default": ":9273", "port": 9273,
        "tls_vars": ["telegraf_prometheus_client_tls_cert", "telegraf_prometheus_client_tls_cert_file"],
        "auth_vars": ["telegraf_prometheus_client_basic_username"],
        "basic_auth_vars": {"username": "telegraf_prometheus_client_basic_username",
                            "password": "telegraf_prometheus_client_basic_password"},
        "metrics_path_var": "telegraf_prometheus_client_path"}
    # node_exporter listens on a list: its first default.
    assert endpoint_keys("node_exporter", "x")["listen_default"] == ":9100"
    assert endpoint_keys("loki", "x") == {"role": "loki", "address_var": "loki_http_listen_address",
                                          "port_var": "loki_http_listen_port", "port": 3100, "listen_default": "127.0.0.1:3100",
                                          "tls_vars": ["loki_tls_cert_file"], "auth_vars": ["loki_tls_client_ca_file"]}
    with pytest.raises(AnsibleFilterError, match="x: endpoint 'nope' is not a service of the stack; known: "):
        endpoint_keys("nope", "x")
    with pytest.raises(AnsibleFilterError, match="endpoint jaeger_legacy_grpc is an entry of jaeger_legacy_receivers"):
        endpoint_keys("jaeger_legacy_grpc", "x")


def test_credentials_follow_the_server():
    """The first user of the server's users mapping is what the stack's own clients send."""
    hostvars = {"srv": {"prometheus_basic_auth_users": {"grafana": "s3cret", "other": "x"},
                        "telegraf_prometheus_client_basic_username": "scraper",
                        "telegraf_prometheus_client_basic_password": "pw"}}
    assert service_endpoint("srv", "prometheus", hostvars)["basic_auth"] == {"username": "grafana", "password": "s3cret"}
    assert service_endpoint("srv", "telegraf", hostvars)["basic_auth"] == {"username": "scraper", "password": "pw"}
    assert service_endpoint("srv", "alertmanager", hostvars)["basic_auth"] == {}
    assert service_endpoint("srv", "alertmanager", hostvars)["auth"] is False
    with pytest.raises(AnsibleFilterError, match="prometheus_basic_auth_users must be a mapping"):
        service_endpoint("srv", "prometheus", {"srv": {"prometheus_basic_auth_users": ["a"]}})


def test_the_gateway_fronts_loki_and_jaeger_query_for_other_hosts():
    hostvars = {"srv": {"vigil_address": "10.0.0.5", "gateway_basic_auth_users": {"alloy": "pw", "ops": "x"},
                        "gateway_routes": ["loki", {"service": "jaeger_query", "users": {"ui": "u"}}]}}
    loki = service_endpoint("srv", "loki", hostvars)
    assert loki == {"host": "srv", "service": "loki", "address": "10.0.0.5", "port": 8443, "hostport": "10.0.0.5:8443",
                    "scheme": "https", "url": "https://10.0.0.5:8443", "tls": True, "auth": True,
                    "basic_auth": {"username": "alloy", "password": "pw"}, "gateway": True,
                    "ca_file": "/usr/local/share/ca-certificates/vigil-gateway-srv.crt", "enabled": True}
    query = service_endpoint("srv", "jaeger_query", hostvars, client="c1")
    assert query["url"] == "https://10.0.0.5:8443/jaeger" and query["basic_auth"] == {"username": "ui", "password": "u"}
    # The server itself reaches the service directly on loopback.
    assert service_endpoint("srv", "loki", hostvars, client="srv")["url"] == "http://127.0.0.1:3100"
    # A certificate of the operator's: the CA is theirs too.
    hostvars["srv"].update(gateway_tls_cert_file="/etc/tls/gw.crt", gateway_port=443, vigil_tls_ca_file="/etc/ssl/corp.pem")
    assert service_endpoint("srv", "loki", hostvars)["ca_file"] == "/etc/ssl/corp.pem"
    assert service_endpoint("srv", "loki", hostvars)["hostport"] == "10.0.0.5:443"
    # Not routed, or no gateway: the service's own listener.
    assert service_endpoint("srv", "loki", {"srv": {"gateway_routes": ["jaeger_query"]}})["gateway"] is False
    assert service_endpoint("srv", "loki", {"srv": {"vigil_gateway_enabled": False}})["url"] == "http://srv:3100"


def test_unprotected_listeners_names_each_and_the_way_out():
    assert unprotected_listeners("h", "loki", {"h": {}}) == []
    problems = unprotected_listeners("h", "loki", {"h": {"loki_http_listen_address": "0.0.0.0", "loki_grpc_listen_address": ""}})
    assert len(problems) == 2 and ":9095 without" in problems[1]
    assert problems[0] == ("loki_http_listen_address listens on 0.0.0.0:3100 without authentication: bind it to 127.0.0.1, "
                           "route it through the gateway (gateway_routes), set loki_tls_client_ca_file, or set "
                           "loki_allow_unauthenticated: true when something else protects it")
    # Memberlist of an HA cluster has no authentication at all.
    ha = unprotected_listeners("h", "loki", {"h": {"loki_ha_enabled": True, "loki_grpc_listen_address": "10.0.0.5",
                                                   "loki_tls_client_ca_file": "/etc/ca.pem"}})
    assert len(ha) == 1 and ha[0].startswith("loki_grpc_listen_address listens on 10.0.0.5:7946")
    assert "loki_allow_unauthenticated: true" in problems[0]
    assert unprotected_listeners("h", "loki", {"h": {"loki_http_listen_address": "0.0.0.0",
                                                     "loki_allow_unauthenticated": "yes"}}) == []
    # Authentication on: protected wherever it listens.
    assert unprotected_listeners("h", "prometheus", {"h": {"prometheus_web_listen_address": ":9090"}}) != []
    assert unprotected_listeners("h", "prometheus", {"h": {"prometheus_web_listen_address": ":9090",
                                                           "prometheus_basic_auth_users": {"p": "x"}}}) == []
    # Every address of a list; a listener that is off is not checked.
    node = unprotected_listeners("h", "node_exporter", {"h": {"node_exporter_web_listen_addresses": ["127.0.0.1:9100", "[::]:9100"]}})
    assert len(node) == 1 and "[::]:9100" in node[0]
    assert unprotected_listeners("h", "telegraf", {"h": {"telegraf_prometheus_client_listen": ":9273",
                                                         "telegraf_prometheus_client_enabled": False}}) == []
    legacy = {"jaeger_legacy_receivers_enabled": True,
              "jaeger_legacy_receivers": {"grpc": "127.0.0.1:14250", "thrift_compact": "0.0.0.0:6831"}}
    thrift = unprotected_listeners("h", "jaeger", {"h": legacy})
    assert [p.split(" ")[0] for p in thrift if "legacy" in p] == ["jaeger_legacy_receivers.thrift_compact"]
    with pytest.raises(AnsibleFilterError, match="unprotected_listeners: 'lokki' is not a role with listeners"):
        unprotected_listeners("h", "lokki", {})


@pytest.mark.parametrize("host, expected", [("127.0.0.1", True), ("127.1.2.3", True), ("[::1]", True), ("::1", True),
                                            ("localhost", True), ("", False), ("0.0.0.0", False), ("[::]", False),
                                            ("10.0.0.5", False), ("srv", False), (None, False)])
def test_loopback_host(host, expected):
    assert loopback_host(host) is expected
