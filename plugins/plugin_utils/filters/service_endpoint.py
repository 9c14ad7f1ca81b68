# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How one host reaches a service of the stack on another: the one place that knows the
services' listen variables, TLS and auth settings, and how an inventory host is addressed."""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.paths_to_change import paths_to_change
from ansible_collections.vigil.observability.plugins.module_utils._address import (
    WILDCARDS, is_loopback, join_hostport, split_hostport)
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import ansible_bool, fail as _fail, host_var as _get, read_yaml

_ROLES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir, "roles")

# When a listener exists (read only by the preflight checks of preflight_problems): every
# condition holds ({var, in}: the variable, or its role default, is one of ``in``; {var}: it is true).
_AGENT_COLLECTOR = ({"var": "jaeger_agent_flavor", "in": ("jaeger", "otelcol")},)
_AGENT_LEGACY = ({"var": "jaeger_agent_flavor", "in": ("legacy",)},)

# The services other roles reach, and every other listener of the stack's roles. Each names its
# role, where it listens (``listen``: one Go-style listen variable, ``listen_key`` an entry of a dict
# variable, ``listen_all`` every entry of a dict or list variable; or ``host`` + ``port``
# variables), the variables that turn TLS and authentication on when any is non-empty (``tls``,
# ``auth``), the users dict whose first entry the stack's own clients send (``users``), the variable
# with its external URL or base path, ``gateway`` when the nginx gateway may front it, ``active``
# when the listener exists only while a variable is true, and the inventory switch that turns the
# role off on a host. The defaults are the role's own (roles/<role>/defaults/main.yml). For the
# preflight checks only: ``active_when`` (conditions on variables), ``udp`` / ``udp_keys`` (UDP
# listeners, which do not clash with TCP ones) and ``optional_port`` (0 means no listener).
SERVICES = {
    "prometheus": {"role": "prometheus", "listen": "prometheus_web_listen_address",
                   "tls": ("prometheus_tls_cert", "prometheus_tls_cert_file"),
                   "auth": ("prometheus_basic_auth_users",), "users": "prometheus_basic_auth_users",
                   "url_path": "prometheus_web_external_url", "enabled": "vigil_prometheus_enabled"},
    "alertmanager": {"role": "alertmanager", "listen": "alertmanager_web_listen_address",
                     "tls": ("alertmanager_tls_cert", "alertmanager_tls_cert_file"),
                     "auth": ("alertmanager_basic_auth_users",), "users": "alertmanager_basic_auth_users",
                     "url_path": "alertmanager_web_external_url", "enabled": "vigil_alertmanager_enabled"},
    # Whether the cluster listens depends on its peers: the alertmanager role checks it itself.
    "alertmanager_cluster": {"role": "alertmanager", "port": "alertmanager_cluster_port", "unchecked": True,
                             "enabled": "vigil_alertmanager_enabled"},
    "loki": {"role": "loki", "host": "loki_http_listen_address", "port": "loki_http_listen_port",
             "tls": ("loki_tls_cert_file",), "auth": ("loki_tls_client_ca_file",),
             "gateway": True, "enabled": "vigil_loki_enabled"},
    "loki_grpc": {"role": "loki", "host": "loki_grpc_listen_address", "port": "loki_grpc_listen_port",
                  "tls": ("loki_tls_cert_file",), "auth": ("loki_tls_client_ca_file",), "enabled": "vigil_loki_enabled"},
    # Memberlist asks no peer for credentials (its TLS only encrypts): an HA cluster needs the allow switch.
    "loki_memberlist": {"role": "loki", "host": "loki_grpc_listen_address", "port": "loki_memberlist_port",
                        "active": "loki_ha_enabled", "listener_only": True, "enabled": "vigil_loki_enabled"},
    "jaeger_otlp_grpc": {"role": "jaeger", "listen": "jaeger_otlp_grpc_listen_address",
                         "tls": ("jaeger_otlp_tls_cert_file",),
                         "auth": ("jaeger_otlp_auth_users", "jaeger_otlp_tls_client_ca_file"), "users": "jaeger_otlp_auth_users",
                         "enabled": "vigil_jaeger_enabled"},
    "jaeger_otlp_http": {"role": "jaeger", "listen": "jaeger_otlp_http_listen_address",
                         "tls": ("jaeger_otlp_tls_cert_file",),
                         "auth": ("jaeger_otlp_auth_users", "jaeger_otlp_tls_client_ca_file"), "users": "jaeger_otlp_auth_users",
                         "enabled": "vigil_jaeger_enabled"},
    "jaeger_query": {"role": "jaeger", "listen": "jaeger_query_http_listen_address",
                     "base_path": "jaeger_query_base_path", "gateway": True, "enabled": "vigil_jaeger_enabled"},
    "jaeger_query_grpc": {"role": "jaeger", "listen": "jaeger_query_grpc_listen_address", "enabled": "vigil_jaeger_enabled"},
    "jaeger_sampling_http": {"role": "jaeger", "listen": "jaeger_sampling_http_listen_address",
                             "active_when": ({"var": "jaeger_sampling_enabled"},), "enabled": "vigil_jaeger_enabled"},
    "jaeger_sampling_grpc": {"role": "jaeger", "listen": "jaeger_sampling_grpc_listen_address",
                             "active_when": ({"var": "jaeger_sampling_enabled"},), "enabled": "vigil_jaeger_enabled"},
    "otel_collector_otlp_grpc": {"role": "otel_collector", "listen": "otel_collector_otlp_grpc_listen_address",
                                 "tls": ("otel_collector_otlp_tls_cert_file",),
                                 "auth": ("otel_collector_otlp_auth_token_file", "otel_collector_otlp_tls_client_ca_file"),
                                 "enabled": "vigil_otel_collector_enabled"},
    "otel_collector_otlp_http": {"role": "otel_collector", "listen": "otel_collector_otlp_http_listen_address",
                                 "tls": ("otel_collector_otlp_tls_cert_file",),
                                 "auth": ("otel_collector_otlp_auth_token_file", "otel_collector_otlp_tls_client_ca_file"),
                                 "enabled": "vigil_otel_collector_enabled"},
    "grafana": {"role": "grafana", "host": "grafana_http_addr", "port": "grafana_http_port",
                "tls": ("grafana_tls_cert_file",), "enabled": "vigil_grafana_enabled"},
    "jaeger_health": {"role": "jaeger", "listen": "jaeger_health_listen_address", "enabled": "vigil_jaeger_enabled"},
    "jaeger_spm": {"role": "jaeger", "listen": "jaeger_spm_exporter_listen_address", "active_when": ({"var": "jaeger_spm_enabled"},),
                   "enabled": "vigil_jaeger_enabled"},
    "otel_collector_health": {"role": "otel_collector", "listen": "otel_collector_health_listen_address",
                              "enabled": "vigil_otel_collector_enabled"},
    "otel_collector_metrics": {"role": "otel_collector", "listen": "otel_collector_metrics_listen_address",
                               "enabled": "vigil_otel_collector_enabled"},
    "otel_collector_spanmetrics": {"role": "otel_collector", "listen": "otel_collector_spanmetrics_exporter_listen_address",
                                   "active_when": ({"var": "otel_collector_spanmetrics_enabled"},
                                                   {"var": "otel_collector_spanmetrics_output", "in": ("prometheus",)}),
                                   "enabled": "vigil_otel_collector_enabled"},
    # The client tier: what Prometheus scrapes and Uptime Kuma watches on every monitored host.
    "node_exporter": {"role": "node_exporter", "listen": "node_exporter_web_listen_addresses", "listen_all": True,
                      "tls": ("node_exporter_tls_cert", "node_exporter_tls_cert_file"),
                      "auth": ("node_exporter_basic_auth_users",), "users": "node_exporter_basic_auth_users",
                      "metrics_path": "node_exporter_web_telemetry_path", "enabled": "vigil_node_exporter_enabled"},
    "telegraf": {"role": "telegraf", "listen": "telegraf_prometheus_client_listen",
                 "tls": ("telegraf_prometheus_client_tls_cert", "telegraf_prometheus_client_tls_cert_file"),
                 "auth": ("telegraf_prometheus_client_basic_username",),
                 "basic_auth": {"username": "telegraf_prometheus_client_basic_username",
                                "password": "telegraf_prometheus_client_basic_password"},
                 "metrics_path": "telegraf_prometheus_client_path", "active": "telegraf_prometheus_client_enabled",
                 "enabled": "vigil_telegraf_enabled"},
    "alloy": {"role": "alloy", "listen": "alloy_http_listen_address", "enabled": "vigil_alloy_enabled"},
    "alloy_traces_otlp_grpc": {"role": "alloy", "listen": "alloy_traces_otlp_grpc_endpoint", "active": "alloy_traces_enabled",
                               "listener_only": True, "enabled": "vigil_alloy_enabled"},
    "alloy_traces_otlp_http": {"role": "alloy", "listen": "alloy_traces_otlp_http_endpoint", "active": "alloy_traces_enabled",
                               "listener_only": True, "enabled": "vigil_alloy_enabled"},
    "alloy_traces_jaeger": {"role": "alloy", "listen": "alloy_traces_jaeger_protocols", "listen_all": True,
                            "active": "alloy_traces_enabled", "listener_only": True, "udp_keys": ("thrift_compact", "thrift_binary"),
                            "enabled": "vigil_alloy_enabled"},
    "jaeger_metrics": {"role": "jaeger", "listen": "jaeger_metrics_listen_address", "enabled": "vigil_jaeger_enabled"},
    # jaeger-agent's gRPC reporter target: the legacy receivers' grpc entry.
    "jaeger_legacy_grpc": {"role": "jaeger", "listen": "jaeger_legacy_receivers", "listen_key": "grpc",
                           "auth": ("jaeger_otlp_auth_users", "jaeger_otlp_tls_client_ca_file"), "users": "jaeger_otlp_auth_users",
                           "active": "jaeger_legacy_receivers_enabled", "enabled": "vigil_jaeger_enabled"},
    "jaeger_legacy_thrift": {"role": "jaeger", "listen": "jaeger_legacy_receivers", "listen_all": True, "skip_keys": ("grpc",),
                             "listener_only": True,
                             "active": "jaeger_legacy_receivers_enabled", "udp_keys": ("thrift_compact", "thrift_binary"),
                             "enabled": "vigil_jaeger_enabled"},
    "jaeger_agent_otlp_grpc": {"role": "jaeger_agent", "listen": "jaeger_agent_otlp_grpc_listen_address",
                               "active_when": _AGENT_COLLECTOR, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_otlp_http": {"role": "jaeger_agent", "listen": "jaeger_agent_otlp_http_listen_address",
                               "active_when": _AGENT_COLLECTOR, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_thrift_compact": {"role": "jaeger_agent", "listen": "jaeger_agent_thrift_compact_listen_address",
                                    "udp": True, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_thrift_binary": {"role": "jaeger_agent", "listen": "jaeger_agent_thrift_binary_listen_address",
                                   "udp": True, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_thrift_http": {"role": "jaeger_agent", "listen": "jaeger_agent_thrift_http_listen_address",
                                 "active_when": _AGENT_COLLECTOR, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_health": {"role": "jaeger_agent", "listen": "jaeger_agent_health_listen_address",
                            "active_when": _AGENT_COLLECTOR, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_metrics": {"role": "jaeger_agent", "listen": "jaeger_agent_metrics_listen_address",
                             "active_when": _AGENT_COLLECTOR, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_legacy_admin": {"role": "jaeger_agent", "listen": "jaeger_agent_legacy_admin_listen_address",
                                  "active_when": _AGENT_LEGACY, "enabled": "vigil_jaeger_agent_enabled"},
    "jaeger_agent_legacy_sampling": {"role": "jaeger_agent", "listen": "jaeger_agent_legacy_sampling_listen_address",
                                     "active_when": _AGENT_LEGACY, "enabled": "vigil_jaeger_agent_enabled"},
    # Listeners only the port-clash check of the preflights reads (no service other roles reach).
    "gateway": {"role": "gateway", "host": "gateway_listen_address", "port": "gateway_port", "listener_only": True,
                "unchecked": True, "enabled": "vigil_gateway_enabled"},
    "uptime_kuma": {"role": "uptime_kuma", "port": "uptime_kuma_port", "listener_only": True, "unchecked": True,
                    "enabled": "vigil_uptime_kuma_enabled"},
    "uptime_kuma_nginx_https": {"role": "uptime_kuma", "port": "uptime_kuma_nginx_https_port", "active": "uptime_kuma_nginx_enabled",
                                "listener_only": True, "unchecked": True, "enabled": "vigil_uptime_kuma_enabled"},
    "uptime_kuma_nginx_http": {"role": "uptime_kuma", "port": "uptime_kuma_nginx_http_port", "active": "uptime_kuma_nginx_enabled",
                               "optional_port": True, "listener_only": True, "unchecked": True, "enabled": "vigil_uptime_kuma_enabled"},
}

# The nginx gateway (roles/gateway): where it listens and which services it routes, and the path
# of the CA certificate its `trust` entry point installs on every host when it issues its own.
GATEWAY_ROLE = "gateway"
GATEWAY_CA_PREFIX = "/usr/local/share/ca-certificates/vigil-gateway-"
GATEWAY_CA_FILE = GATEWAY_CA_PREFIX + "%s.crt"
# The path prefix of a routed service: Loki's API paths already begin with /loki/; Jaeger's query
# service is proxied at its own base path.
GATEWAY_PREFIX = {"loki": "/loki/", "jaeger_query": None}


def endpoint_keys(service, name):
    """The keys a job of inventory_scrape_configs or a service of stack_monitors takes from the
    table for ``endpoint: <service>``: role, listen_var + listen_default (or address_var + port_var),
    port, tls_vars, auth_vars, basic_auth_vars, users_var, metrics_path_var."""
    spec = SERVICES.get(service) if isinstance(service, str) else None
    if spec is None or spec.get("listener_only"):
        _fail(name, "endpoint %r is not a service of the stack; known: %s", service, ", ".join(sorted(SERVICES)))
    role = spec["role"]
    out = {"role": role, "tls_vars": list(spec.get("tls", ())), "auth_vars": list(spec.get("auth", ()))}
    if "listen_key" in spec:
        _fail(name, "endpoint %s is an entry of %s, which a job or monitor cannot read", service, spec["listen"])
    if "listen" in spec:
        default = _default(role, spec["listen"])
        default = default[0] if isinstance(default, list) else default
        out.update(listen_var=spec["listen"], listen_default=default, port=listen_parts(default, name)["port"])
    else:
        host = _default(role, spec["host"]) if "host" in spec else ""
        port = _default(role, spec["port"])
        out.update(address_var=spec.get("host"), port_var=spec["port"], port=port,
                   listen_default=join_hostport(host or "", port))
        if out["address_var"] is None:
            del out["address_var"]
    if "basic_auth" in spec:
        out["basic_auth_vars"] = dict(spec["basic_auth"])
    if "users" in spec:
        out["users_var"] = spec["users"]
    if "metrics_path" in spec:
        out["metrics_path_var"] = spec["metrics_path"]
    return out


@functools.lru_cache(maxsize=None)
def role_defaults(role):
    """The literal defaults of a role of this collection (read once per controller process)."""
    path = os.path.normpath(os.path.join(_ROLES_DIR, role, "defaults", "main.yml"))
    try:
        data = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AnsibleFilterError("service_endpoint: cannot read the defaults of role %s: %s" % (role, exc)) from exc
    return data


def _default(role, var):
    value = role_defaults(role).get(var)
    if isinstance(value, str) and "{{" in value:
        raise AnsibleFilterError("service_endpoint: the default of %s is a template; it must be a literal value" % var)
    return value


def _setting(hv, role, var):
    return _get(hv, var, _default(role, var))


def _listen_value(hv, spec):
    """The listen address of ``spec`` from the host's variables or the role's default; with
    ``listen_key``, that entry of a dict variable."""
    value = _setting(hv, spec["role"], spec["listen"])
    if "listen_key" in spec:
        default = _default(spec["role"], spec["listen"])[spec["listen_key"]]
        value = value.get(spec["listen_key"], default) if isinstance(value, Mapping) else default
    return value


def listen_parts(value, name="listen_parts"):
    """``{host, port}`` of a Go-style listen address (``:9093``, ``0.0.0.0:9090``, ``[::1]:9090``);
    a list means its first entry."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    text = str(value if value is not None else "").strip()
    try:
        host, port = split_hostport(text)
    except ValueError:
        _fail(name, "%r is not a listen address such as :9093, 0.0.0.0:9090 or [::1]:9090", text)
    return {"host": host, "port": port}


def loopback_host(host):
    """Whether a listen host (``127.0.0.1``, ``[::1]``, ``localhost``) is reachable only from its own machine."""
    return is_loopback(str(host if host is not None else "").strip().strip("[]"))


def host_address(host, hostvars):
    """How other hosts reach inventory host ``host``: vigil_address, else ansible_host, else its name."""
    if not isinstance(host, str) or not host:
        _fail("host_address", "%r is not an inventory host name", host)
    return address_of(host, _get(hostvars, host, {}))


def address_of(host, hv):
    """``host_address`` given the host's variables ``hv`` (already looked up)."""
    return str(_get(hv, "vigil_address") or _get(hv, "ansible_host") or host)


def service_endpoint(server, service, hostvars, client=None):
    """How ``client`` (or any other host) reaches ``service`` on inventory host ``server``."""
    spec = SERVICES.get(service)
    if spec is None or spec.get("listener_only"):
        _fail("service_endpoint", "unknown service %r; known: %s", service,
              ", ".join(sorted(k for k, v in SERVICES.items() if not v.get("listener_only"))))
    if not isinstance(server, str) or not server:
        _fail("service_endpoint", "the server of %s must be an inventory host name, not %r", service, server)
    hv = _get(hostvars, server, {})
    role = spec["role"]
    listen_host, port = _listen_host_port(hv, spec, server)
    enabled = ansible_bool(_get(hv, spec["enabled"], True))
    if client is not None and client == server:
        address = "127.0.0.1" if listen_host in WILDCARDS else listen_host
    else:
        route = _gateway_route(hv, service) if spec.get("gateway") else None
        if route is not None:
            return _gateway_endpoint(server, service, hv, hostvars, route, spec, enabled)
        if listen_host in WILDCARDS or is_loopback(listen_host):
            address = host_address(server, hostvars)
        else:
            address = listen_host
    tls = any(_setting(hv, role, var) for var in spec.get("tls", ()))
    auth = any(_setting(hv, role, var) for var in spec.get("auth", ()))
    path = ""
    if "url_path" in spec:
        path = urlsplit(str(_setting(hv, role, spec["url_path"]) or "")).path
    elif "base_path" in spec:
        path = str(_setting(hv, role, spec["base_path"]) or "")
    path = path.rstrip("/")
    scheme = "https" if tls else "http"
    joined = join_hostport(address, port)
    return {"host": server, "service": service, "address": address, "port": port, "hostport": joined,
            "scheme": scheme, "url": "%s://%s%s" % (scheme, joined, path), "tls": tls, "auth": auth,
            "basic_auth": _client_credentials(hv, spec), "gateway": False,
            "ca_file": str(_get(hv, "vigil_tls_ca_file", "") or "") if tls else "", "enabled": enabled}


def _listen_host_port(hv, spec, server):
    role = spec["role"]
    what = "%s%s of %s" % (spec.get("listen") or spec["port"], "." + spec["listen_key"] if "listen_key" in spec else "", server)
    if "listen" in spec:
        parts = listen_parts(_listen_value(hv, spec), "service_endpoint: %s" % what)
        return parts["host"].strip("[]"), parts["port"]
    listen_host = str(_setting(hv, role, spec["host"]) or "") if "host" in spec else ""
    try:
        port = int(_setting(hv, role, spec["port"]))
    except (TypeError, ValueError):
        _fail("service_endpoint", "%s is %r, not a port number", what, _setting(hv, role, spec["port"]))
    if not 0 < port < 65536:
        _fail("service_endpoint", "%s is %d, not a port number", what, port)
    return listen_host.strip("[]"), port


def _first_user(users, what):
    """``{username, password}`` of the first entry of a users mapping, ``{}`` when it is empty."""
    if not users:
        return {}
    if not isinstance(users, Mapping):
        _fail("service_endpoint", "%s must be a mapping of user names to passwords, not %s", what, type(users).__name__)
    username, password = next(iter(users.items()))
    return {"username": str(username), "password": "" if password is None else str(password)}


def _client_credentials(hv, spec):
    """The basic-auth credentials the stack's own clients send to ``spec``'s service."""
    role = spec["role"]
    if "users" in spec:
        return _first_user(_setting(hv, role, spec["users"]), spec["users"])
    if "basic_auth" in spec:
        username = _setting(hv, role, spec["basic_auth"]["username"])
        if username:
            return {"username": str(username), "password": str(_setting(hv, role, spec["basic_auth"]["password"]) or "")}
    return {}


def _gateway_routes(hv):
    """{service: route users (a mapping, possibly empty)} of the gateway on a host, {} without one."""
    if not ansible_bool(_get(hv, "vigil_gateway_enabled", True)):
        return {}
    routes = {}
    for item in _setting(hv, GATEWAY_ROLE, "gateway_routes") or []:
        if isinstance(item, Mapping):
            routes[str(item.get("service"))] = item.get("users") or {}
        else:
            routes[str(item)] = {}
    return routes


def _gateway_route(hv, service):
    routes = _gateway_routes(hv)
    return routes[service] if service in routes else None


def _gateway_own_ca(hv):
    """Whether the gateway's certificate is issued by its own CA (no gateway_tls_cert or gateway_tls_cert_file given)."""
    return not any(_setting(hv, GATEWAY_ROLE, var) for var in ("gateway_tls_cert", "gateway_tls_cert_file"))


def _gateway_endpoint(server, service, hv, hostvars, route_users, spec, enabled):
    """The gateway's TLS + basic-auth endpoint in front of ``service`` on ``server``."""
    listen = str(_setting(hv, GATEWAY_ROLE, "gateway_listen_address") or "").strip("[]")
    try:
        port = int(_setting(hv, GATEWAY_ROLE, "gateway_port"))
    except (TypeError, ValueError):
        _fail("service_endpoint", "gateway_port of %s is %r, not a port number", server, _setting(hv, GATEWAY_ROLE, "gateway_port"))
    address = host_address(server, hostvars) if listen in WILDCARDS or is_loopback(listen) else listen
    path = ""
    if GATEWAY_PREFIX.get(service) is None and "base_path" in spec:
        path = str(_setting(hv, spec["role"], spec["base_path"]) or "").rstrip("/")
    own_ca = _gateway_own_ca(hv)
    joined = join_hostport(address, port)
    users = route_users or _setting(hv, GATEWAY_ROLE, "gateway_basic_auth_users")
    return {"host": server, "service": service, "address": address, "port": port, "hostport": joined,
            "scheme": "https", "url": "https://%s%s" % (joined, path), "tls": True, "auth": True,
            "basic_auth": _first_user(users, "the gateway users of %s" % service), "gateway": True,
            "ca_file": GATEWAY_CA_FILE % server if own_ca else str(_get(hv, "vigil_tls_ca_file", "") or ""),
            "enabled": enabled}


def unprotected_listeners(host, role, hostvars):
    """One line per listener of ``role`` on ``host`` that binds a non-loopback address without
    authentication, unless the host sets ``<role>_allow_unauthenticated``."""
    if not isinstance(role, str) or not any(spec["role"] == role for spec in SERVICES.values()):
        _fail("unprotected_listeners", "%r is not a role with listeners; known: %s", role,
              ", ".join(sorted({spec["role"] for spec in SERVICES.values()})))
    hv = _get(hostvars, host, {})
    allow = "%s_allow_unauthenticated" % role
    if ansible_bool(_get(hv, allow, False)):
        return []
    problems = []
    for service, spec in SERVICES.items():
        if spec["role"] != role or spec.get("unchecked") or ("active" in spec and not ansible_bool(_setting(hv, role, spec["active"]))):
            continue
        if any(_setting(hv, role, var) for var in spec.get("auth", ())):
            continue
        for var, value in _listen_values(hv, spec, host):
            listen_host = value["host"].strip("[]")
            if listen_host and is_loopback(listen_host):
                continue
            shown = join_hostport(listen_host, value["port"]) if listen_host else ":%d" % value["port"]
            ways = ["bind it to 127.0.0.1"]
            if spec.get("gateway"):
                ways.append("route it through the gateway (gateway_routes)")
            if spec.get("auth"):
                ways.append("set " + " or ".join(spec["auth"]))
            problems.append("%s listens on %s without authentication: %s, or set %s: true when something else "
                            "protects it" % (var, shown, ", ".join(ways), allow))
    return problems


def _listen_values(hv, spec, host):
    """(variable label, {host, port}) of every address a listener entry binds."""
    role = spec["role"]
    if "listen" not in spec:
        listen_host, port = _listen_host_port(hv, spec, host)
        return [(spec["host"] if "host" in spec else spec["port"], {"host": listen_host, "port": port})]
    name = "unprotected_listeners: %s of %s" % (spec["listen"], host)
    if "listen_key" in spec:
        return [("%s.%s" % (spec["listen"], spec["listen_key"]), listen_parts(_listen_value(hv, spec), name))]
    value = _setting(hv, role, spec["listen"])
    if spec.get("listen_all") and isinstance(value, Mapping):
        return [("%s.%s" % (spec["listen"], key), listen_parts(item, name)) for key, item in value.items()
                if key not in spec.get("skip_keys", ()) and item]
    if spec.get("listen_all") and isinstance(value, (list, tuple)):
        return [(spec["listen"], listen_parts(item, name)) for item in value]
    if value in (None, ""):
        return []
    return [(spec["listen"], listen_parts(value, name))]


def service_endpoints(servers, service, hostvars, client=None):
    """The endpoints of ``service`` on each of ``servers`` that runs it (its switch is not false)."""
    if isinstance(servers, str) or not isinstance(servers, (list, tuple)):
        _fail("service_endpoints", "the servers of %s must be a list of inventory host names, not %r", service, servers)
    endpoints = [service_endpoint(server, service, hostvars, client) for server in servers]
    return [endpoint for endpoint in endpoints if endpoint["enabled"]]


def endpoint_ports(server, services, hostvars):
    """The ports ``services`` listen on, on inventory host ``server`` (sorted; to find a clash
    with another role on the same host)."""
    if isinstance(services, str) or not isinstance(services, (list, tuple)):
        _fail("endpoint_ports", "services must be a list of service names, not %r", services)
    return sorted(service_endpoint(server, service, hostvars)["port"] for service in services)


def gateway_trust_servers(servers, hostvars):
    """The hosts of ``servers`` (inventory names) whose gateway issues its own certificate, in order: the gateway on
    (``vigil_gateway_enabled``) and neither ``gateway_tls_cert`` nor ``gateway_tls_cert_file`` given. A name the
    inventory does not have is left out."""
    if isinstance(servers, str) or not isinstance(servers, (list, tuple)):
        _fail("gateway_trust_servers", "the servers must be a list of inventory host names, not %r", servers)
    out = []
    for server in servers:
        if server not in hostvars or server in out:
            continue
        hv = _get(hostvars, server, {})
        if ansible_bool(_get(hv, "vigil_gateway_enabled", True)) and _gateway_own_ca(hv):
            out.append(server)
    return out


def gateway_trust_changes(read, state, servers):
    """What the trust entry point of the gateway role has to do on a host.

    ``read`` is the results of the ``slurp`` of each server's CA certificate (``item`` the server, ``content`` when
    it was read); ``state`` the ``paths`` of ``vigil.observability.paths_info`` for the CA files of the trust store
    (its glob of ``vigil-gateway-*.crt``); ``servers`` the servers this host trusts. Returns ``found`` (the results
    with a certificate), ``missing`` (the servers without one), ``install`` (the servers whose CA file is missing here
    or differs in content, owner root, group root or mode 0644), ``stale`` (the CA files of servers no longer
    trusted; a server still trusted keeps its file while its CA cannot be read) and ``files`` (server -> CA file).
    """
    if not isinstance(read, (list, tuple)):
        _fail("gateway_trust_changes", "the slurp results must be a list, not %r", read)
    if not isinstance(state, Mapping):
        _fail("gateway_trust_changes", "the state must be the paths of vigil.observability.paths_info, not %r", state)
    found = [result for result in read if isinstance(result, Mapping) and "content" in result]
    missing = [result.get("item") for result in read if isinstance(result, Mapping) and "content" not in result]
    files = {result["item"]: GATEWAY_CA_FILE % result["item"] for result in found}
    checksums = [hashlib.sha1(base64.b64decode(str(result["content"]))).hexdigest() for result in found]
    changing = {item["dest"] for item in paths_to_change([{"dest": files[result["item"]]} for result in found], state,
                                                         checksums, owner="root", group="root", mode="0644")}
    trusted = {GATEWAY_CA_FILE % server for server in servers}
    return {"found": found, "missing": missing,
            "install": [server for server, path in files.items() if path in changing],
            "stale": sorted(path for path, info in state.items()
                            if path.startswith(GATEWAY_CA_PREFIX) and path not in trusted and isinstance(info, Mapping) and info.get("exists")),
            "files": files}
