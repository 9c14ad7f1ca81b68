# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plausible mistakes the roles' preflights refuse before anything is written, one line each naming
the variable: receiver names that become the same secret file, unknown keys in
prometheus_scrape_job_settings, listen addresses in the wrong form, two listeners of one host on the
same port, URLs without a scheme (or with a path the target's API does not have) and a scheme that
contradicts the TLS setting of the service of ours it points at."""

from __future__ import annotations

import difflib
import functools
import ipaddress
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.alertmanager_receivers import alertmanager_receivers
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.inventory_scrape_configs import _JOB_KEYS
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import (
    GATEWAY_ROLE, SERVICES, _default, _gateway_routes, _setting, address_of)
from ansible_collections.vigil.observability.plugins.module_utils._address import (
    WILDCARDS, is_loopback, join_hostport, split_hostport)
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import (
    ansible_bool, fail, host_var, mapping, read_yaml)

_PLAYBOOKS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir, "playbooks")

# The keys of a Prometheus <scrape_config> (Prometheus 3.14 documentation, configuration.md:
# the scrape_config block, the <http_config> it includes, and a <name>_sd_configs list for every
# documented service discovery).
SCRAPE_CONFIG_KEYS = frozenset((
    "job_name", "scrape_interval", "scrape_timeout", "scrape_protocols", "fallback_scrape_protocol", "metrics_path",
    "honor_labels", "honor_timestamps", "track_timestamps_staleness", "scheme", "params", "enable_compression",
    "scrape_failure_log_file", "static_configs", "relabel_configs", "metric_relabel_configs", "body_size_limit",
    "sample_limit", "label_limit", "label_name_length_limit", "label_value_length_limit", "target_limit",
    "keep_dropped_targets", "metric_name_validation_scheme", "metric_name_escaping_scheme", "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor", "scrape_native_histograms", "convert_classic_histograms_to_nhcb",
    "always_scrape_classic_histograms", "extra_scrape_metrics",
    # <http_config>
    "basic_auth", "authorization", "oauth2", "follow_redirects", "enable_http2", "tls_config", "proxy_url", "no_proxy",
    "proxy_from_environment", "proxy_connect_header", "http_headers",
) + tuple("%s_sd_configs" % sd for sd in (
    "aws", "azure", "consul", "digitalocean", "docker", "dockerswarm", "dns", "ec2", "eureka", "file", "gce", "hetzner", "http",
    "ionos", "kubernetes", "kuma", "lightsail", "linode", "marathon", "nerve", "nomad", "oci", "openstack", "outscale",
    "ovhcloud", "puppetdb", "scaleway", "serverset", "stackit", "triton", "uyuni", "vultr")))

# The tier playbooks and the inventory group each runs on (the variable naming it, its default).
_TIERS = (("server.yml", "vigil_servers_group", "monitoring_servers"), ("client.yml", "vigil_clients_group", "monitoring_clients"))

# The URL-typed variables the roles accept from users, by role (telegraf_prometheus_inputs' urls are
# the telegraf_problems filter's). ``items``: a list of mappings whose ``items`` key holds the URL
# (``label`` names an item); ``list``: a list of URLs; ``csv``:
# comma-separated URLs; ``secret``: the URL itself is a secret (never shown); ``path``: the URL's
# path must end with it; ``base``: the URL is an API's base, without this path; ``service``: the
# service of ours it usually points at, whose TLS setting the scheme must match.
URL_VARS = {
    "alertmanager": (
        {"var": "alertmanager_web_external_url"},
        {"var": "alertmanager_mattermost_receivers", "items": "webhook_url", "secret": True},
        {"var": "alertmanager_webhook_receivers", "items": "webhook_url", "secret": True},
    ),
    "alloy": (
        {"var": "alloy_prometheus_remote_write_url", "service": "prometheus"},
        {"var": "alloy_loki_push_url", "service": "loki", "path": "/loki/api/v1/push"},
    ),
    "grafana": (
        {"var": "grafana_root_url"},
        {"var": "grafana_prometheus_url", "service": "prometheus"},
        {"var": "grafana_loki_url", "service": "loki", "base": "/loki/api/"},
        {"var": "grafana_jaeger_url", "service": "jaeger_query"},
        {"var": "grafana_alertmanager_url", "service": "alertmanager"},
        {"var": "grafana_api_url", "service": "grafana"},
        {"var": "grafana_mattermost_webhook_url", "secret": True},
    ),
    "jaeger": (
        {"var": "jaeger_storage_server_urls", "list": True},
        {"var": "jaeger_spm_prometheus_url", "service": "prometheus"},
    ),
    "loki": (
        {"var": "loki_ruler_alertmanager_url", "csv": True, "service": "alertmanager"},
    ),
    "otel_collector": (
        {"var": "otel_collector_spanmetrics_remote_write_url", "service": "prometheus"},
    ),
    "prometheus": (
        {"var": "prometheus_web_external_url"},
        {"var": "prometheus_remote_write", "items": "url", "label": "name", "service": "prometheus"},
    ),
    "uptime_kuma": (
        {"var": "uptime_kuma_base_url"},
        {"var": "uptime_kuma_mattermost_webhook_url", "secret": True},
    ),
}


def _roles(name, role, table):
    known = sorted({spec["role"] for spec in SERVICES.values()} | set(URL_VARS))
    if not isinstance(role, str) or role not in known:
        fail(name, "%r is not a role of the stack; known: %s", role, ", ".join(known))
    return [(service, spec) for service, spec in table.items() if spec["role"] == role] if table is SERVICES else []


# --- Alertmanager receivers --------------------------------------------------------------------

def receiver_file_collisions(mattermost, webhooks, secret_prefix):
    """One line per secret file two differently named receivers would share (names become file
    names as the alertmanager_receivers filter makes them)."""
    by_file = {}
    for var, items in (("alertmanager_mattermost_receivers", mattermost), ("alertmanager_webhook_receivers", webhooks)):
        if items is None:
            continue
        if not isinstance(items, (list, tuple)):
            fail("receiver_file_collisions", "%s must be a list, not a %s", var, type(items).__name__)
        for item in items:
            if not isinstance(item, Mapping) or not item.get("name"):
                continue  # the role's other checks name these
            one = [dict(item, webhook_url="-")]
            files = alertmanager_receivers(one if var.startswith("alertmanager_mattermost") else [],
                                           one if var.startswith("alertmanager_webhook") else [], secret_prefix)["files"]
            by_file.setdefault(next(iter(files)), []).append((str(item["name"]), var))
    problems = []
    for path, owners in by_file.items():
        names = []
        for name, var in owners:
            if (name, var) not in names:
                names.append((name, var))
        if len({name for name, var in names}) > 1:
            problems.append("alertmanager: receivers %s would share the secret file %s (a receiver name becomes a file name with "
                            "every run of characters other than letters, digits, '.', '_' and '-' replaced by '_'): rename one"
                            % (" and ".join("%r (%s)" % owner for owner in names), path))
    return problems


# --- prometheus_scrape_job_settings --------------------------------------------------------------

def scrape_job_settings_problems(settings, jobs, file_sd_targets=None):
    """One line per job of ``settings`` that is no job of ``jobs`` (prometheus_inventory_jobs) or
    ``file_sd_targets``, and per settings key that is not a scrape_config key (nor, for an inventory
    job, a key of its item)."""
    name = "scrape_job_settings_problems"
    settings = mapping(name, settings, "prometheus_scrape_job_settings")
    if not isinstance(jobs, (list, tuple)):
        fail(name, "the inventory jobs must be a list, not a %s", type(jobs).__name__)
    inventory = [str(item.get("job")) for item in jobs if isinstance(item, Mapping) and item.get("job")]
    file_sd = [str(job) for job in mapping(name, file_sd_targets, "prometheus_file_sd_targets")]
    problems = []
    for job, values in settings.items():
        job = str(job)
        if job not in inventory and job not in file_sd:
            known = sorted(set(inventory) | set(file_sd))
            problems.append("prometheus_scrape_job_settings: %r is no job of prometheus_inventory_jobs or prometheus_file_sd_targets%s "
                            "(the jobs: %s)" % (job, _did_you_mean(job, known), ", ".join(known)))
            continue
        if not isinstance(values, Mapping):
            problems.append("prometheus_scrape_job_settings: the settings of job %s must be a mapping of scrape_config keys, not a %s"
                            % (job, type(values).__name__))
            continue
        allowed = SCRAPE_CONFIG_KEYS | (_JOB_KEYS if job in inventory else frozenset())
        for key in values:
            if str(key) not in allowed:
                problems.append("prometheus_scrape_job_settings: job %s: %r is not a Prometheus scrape_config key%s"
                                % (job, str(key), _did_you_mean(str(key), sorted(allowed))))
    return problems


def _did_you_mean(word, choices):
    close = difflib.get_close_matches(word, choices, n=1)
    return " (did you mean %s?)" % close[0] if close else ""


# --- Listeners -----------------------------------------------------------------------------------

def _active(hv, spec):
    """Whether the listener exists with these variables (``active`` and ``active_when``)."""
    role = spec["role"]
    if "active" in spec and not ansible_bool(_setting(hv, role, spec["active"])):
        return False
    for cond in spec.get("active_when", ()):
        value = _setting(hv, role, cond["var"])
        if not (value in cond["in"] if "in" in cond else ansible_bool(value)):
            return False
    return True


def _listen_entries(hv, spec):
    """(label, value, udp) of every listen address a ``listen`` entry names; a value that cannot
    hold addresses gives (label, None, problem)."""
    role, var = spec["role"], spec["listen"]
    value = _setting(hv, role, var)
    if "listen_key" in spec or spec.get("listen_all") and isinstance(_default(role, var), Mapping):
        if not isinstance(value, Mapping):
            return [(var, None, "%s must be a mapping of protocol to listen address (host:port), not %r" % (var, value))]
        if "listen_key" in spec:
            key = spec["listen_key"]
            return [("%s.%s" % (var, key), value.get(key, _default(role, var)[key]), False)]
        return [("%s.%s" % (var, key), item, key in spec.get("udp_keys", ())) for key, item in value.items()
                if key not in spec.get("skip_keys", ()) and item not in (None, "")]
    if spec.get("listen_all"):
        if not isinstance(value, (list, tuple)) or not value:
            return [(var, None, "%s must be a non-empty list of listen addresses (host:port), not %r" % (var, value))]
        return [("%s[%d]" % (var, index), item, False) for index, item in enumerate(value)]
    if value in (None, "") and "active" in spec:
        return []  # empty switches this optional listener off
    return [(var, value, bool(spec.get("udp")))]


def _listen_problem(label, value, default):
    """Why ``value`` is not a Go-style listen address (``host:port``), or None."""
    try:
        split_hostport(value if isinstance(value, str) else None)
        return None
    except ValueError:
        pass
    text = "" if value is None else str(value).strip()
    port = text if re.fullmatch(r"[0-9]{1,5}", text) else str(split_hostport(default)[1]) if default else "9090"
    return ("%s is %r, not a listen address: it takes host:port, e.g. 0.0.0.0:%s (every interface), 127.0.0.1:%s (this host only), "
            "[::1]:%s or :%s" % (label, value, port, port, port, port))


_HOSTNAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?")


def _host_problem(var, value, port_var, port_default):
    """Why ``value`` is not an address without a port (Loki's and Grafana's listen address), or None."""
    text = value.strip() if isinstance(value, str) else None
    if text == "":
        return None
    if text is not None and "[" not in text and "/" not in text and not text.isdigit():
        try:
            ipaddress.ip_address(text)
            return None
        except ValueError:
            if ":" not in text and _HOSTNAME.fullmatch(text):
                return None
    hint = ""
    try:
        host, port = split_hostport(text)
        hint = ": set %s: %s and %s: %d" % (var, host or '""', port_var, port)
    except ValueError:
        pass
    return ("%s is %r, not an address without a port: it takes an IP address or host name such as 0.0.0.0 (every interface) or "
            "127.0.0.1, the port is %s (e.g. %s)%s" % (var, value, port_var, port_default, hint))


def _port_problem(var, value, optional, default):
    try:
        port = int(str(value).strip())
    except (TypeError, ValueError):
        port = -1
    if not isinstance(value, bool) and (0 < port < 65536 or (optional and port == 0)):
        return None
    return "%s is %r, not a port number: it takes 1-65535%s, e.g. %s" % (var, value, " (0: none)" if optional else "", default)


def _port_of(hv, spec):
    value = _setting(hv, spec["role"], spec["port"])
    return int(str(value).strip())


def listen_problems(host, role, hostvars):
    """One line per listener variable of ``role`` on ``host`` whose value has the wrong form: a
    ``listen`` variable must be host:port, a ``host`` variable an address without a port, a
    ``port`` variable a port number."""
    hv = host_var(hostvars, host, {})
    problems, seen = [], set()

    def add(line):
        if line and line not in seen:
            seen.add(line)
            problems.append(line)

    for _service, spec in _roles("listen_problems", role, SERVICES):
        if not _active(hv, spec):
            continue
        if "listen" in spec:
            default = _default(role, spec["listen"])
            for label, value, udp_or_problem in _listen_entries(hv, spec):
                if value is None and isinstance(udp_or_problem, str):
                    add(udp_or_problem)
                    continue
                example = default.get(label.rsplit(".", 1)[-1]) if isinstance(default, Mapping) else default
                example = example[0] if isinstance(example, list) and example else example
                add(_listen_problem(label, value, example if isinstance(example, str) else None))
            continue
        port_default = _default(role, spec["port"])
        if "host" in spec:
            add(_host_problem(spec["host"], _setting(hv, role, spec["host"]), spec["port"], port_default))
        add(_port_problem(spec["port"], _setting(hv, role, spec["port"]), spec.get("optional_port"), port_default))
    return problems


# --- Ports of one host ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def tier_roles():
    """((group variable, default group, (roles...)), ...) of the tier playbooks: the roles each
    includes (not the ``tasks_from`` entry points such as the gateway's ``trust``)."""
    tiers = []
    for playbook, group_var, group_default in _TIERS:
        path = os.path.normpath(os.path.join(_PLAYBOOKS_DIR, playbook))
        try:
            plays = read_yaml(path) or []
        except (OSError, yaml.YAMLError) as exc:
            raise AnsibleFilterError("port_clashes: cannot read the tier playbook %s: %s" % (playbook, exc)) from exc
        roles = []
        for play in plays:
            for task in play.get("tasks", []):
                include = task.get("ansible.builtin.include_role")
                if isinstance(include, Mapping) and "tasks_from" not in include:
                    roles.append(str(include["name"]).rsplit(".", 1)[-1])
        tiers.append((group_var, group_default, tuple(roles)))
    return tuple(tiers)


def host_roles(hv, role):
    """The roles of the stack that run on a host: ``role`` itself, and the roles of each tier
    playbook whose group the host is in, unless its ``vigil_<role>_enabled`` is false."""
    groups = host_var(hv, "group_names", []) or []
    found = [role]
    for group_var, group_default, roles in tier_roles():
        if host_var(hv, group_var, group_default) not in groups:
            continue
        for other in roles:
            if other not in found and ansible_bool(host_var(hv, "vigil_%s_enabled" % other, True)):
                found.append(other)
    return found


def _bound(hv, spec, host):
    """(label, listen host, port, protocol) of every address a listener binds; [] while it is off."""
    if not ansible_bool(host_var(hv, spec["enabled"], True)) or not _active(hv, spec):
        return []
    role = spec["role"]
    found = []
    if "listen" in spec:
        for label, value, udp in _listen_entries(hv, spec):
            if value is None and isinstance(udp, str):
                continue
            try:
                listen_host, port = split_hostport(value if isinstance(value, str) else None)
            except ValueError:
                continue  # listen_problems names it
            found.append((label, listen_host, port, "udp" if udp else "tcp"))
        return found
    try:
        port = _port_of(hv, spec)
    except (TypeError, ValueError):
        return []
    if port == 0 and spec.get("optional_port"):
        return []
    listen_host = str(_setting(hv, role, spec["host"]) or "").strip().strip("[]") if "host" in spec else ""
    return [(spec["port"], listen_host, port, "tcp")]


def _overlap(one, two):
    """Whether two listen hosts bind a common address (a wildcard binds every one; localhost the loopback)."""
    one, two = one.lower(), two.lower()
    if one in WILDCARDS or two in WILDCARDS or one == two:
        return True
    return one == "localhost" and is_loopback(two) or two == "localhost" and is_loopback(one)


def port_clashes(host, role, hostvars):
    """One line per pair of listeners on ``host``, one of them of ``role``, that bind the same port
    and protocol on a common address (the roles on the host from the tier playbooks)."""
    hv = host_var(hostvars, host, {})
    _roles("port_clashes", role, SERVICES)
    roles = host_roles(hv, role)
    listeners = []
    for service, spec in SERVICES.items():
        if spec["role"] in roles:
            listeners.extend((spec["role"], service) + bound for bound in _bound(hv, spec, host))
    seen, problems = set(), []
    for index, one in enumerate(listeners):
        for two in listeners[index + 1:]:
            if role not in (one[0], two[0]) or one[4] != two[4] or one[5] != two[5] or not _overlap(one[3], two[3]):
                continue
            if one[2] == two[2] or (one[2], two[2]) in seen:
                continue  # one variable read by two entries (Loki's memberlist shares the gRPC address)
            seen.add((one[2], two[2]))
            way = ("move one of them" if one[0] == two[0] else
                   "move one of them, or switch one role off on this host (vigil_%s_enabled: false)"
                   % (two[0] if one[0] == role else one[0]))
            problems.append("%s of %s (%s) and %s of %s (%s) claim the same port %d/%s on %s; %s"
                            % (one[2], one[0], _shown(one[3], one[4]), two[2], two[0], _shown(two[3], two[4]),
                               one[4], one[5], host, way))
    return problems


def _shown(listen_host, port):
    return join_hostport(listen_host, port) if listen_host else ":%d" % port


# --- URLs ----------------------------------------------------------------------------------------

def _url_values(hv, role, entry):
    """(label, value) of every URL a URL variable holds (empty ones are unset: the role derives them)."""
    var = entry["var"]
    value = host_var(hv, var, "")
    if "items" in entry:
        if not isinstance(value, (list, tuple)):
            return [(var, value)] if value else []
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                continue  # the role's own checks name it
            label = "%s[%s].%s" % (var, item.get(entry.get("label", "name"), index) or index, entry["items"])
            url = item.get(entry["items"])
            if url not in (None, ""):
                found.append((label, url))
        return found
    if entry.get("list"):
        if isinstance(value, (list, tuple)):
            return [("%s[%d]" % (var, index), url) for index, url in enumerate(value)]
        return [(var, value)] if value else []
    if value in (None, ""):
        return []
    if entry.get("csv") and isinstance(value, str):
        urls = [part.strip() for part in value.split(",")]
        return [(var, url) for url in urls] if len(urls) > 1 else [(var, value)]
    return [(var, value)]


def _redacted(url):
    """The URL without credentials, query or fragment."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return "%s://%s%s" % (parts.scheme, "***@" + netloc if "@" in parts.netloc else netloc, parts.path)


def _url_problem(label, value, entry):
    shown = "" if entry.get("secret") else " (%r)" % (_redacted(value) if isinstance(value, str) and "://" in value else value)
    if not isinstance(value, str):
        return "%s%s is not a URL: it takes http://host:port/path or https://host:port/path" % (label, shown)
    parts = urlsplit(value.strip())
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        example = "https://mon-1.example.org:8443/loki/api/v1/push" if "path" in entry else "http://mon-1.example.org:9090"
        return ("%s%s is not an http:// or https:// URL with a host: write the scheme, e.g. %s" % (label, shown, example))
    if "path" in entry and not parts.path.rstrip("/").endswith(entry["path"]):
        return ("%s%s is not Loki's push API: the URL must end in %s, e.g. https://mon-1.example.org:8443%s"
                % (label, shown, entry["path"], entry["path"]))
    if "base" in entry and entry["base"] in parts.path:
        return ("%s%s is Loki's base URL for Grafana, which adds the API paths itself: drop %s... from it"
                % (label, shown, entry["base"]))
    return None


def _inventory_host(target, host, hostvars):
    """The inventory host a URL's host names (this one for loopback), or None when it is no host of ours."""
    target = (target or "").lower()
    if target == "localhost" or is_loopback(target):
        return host
    for name in hostvars:
        hv = host_var(hostvars, name, {})
        if target in (str(name).lower(), address_of(name, hv).lower(), str(host_var(hv, "ansible_host", "") or "").lower()):
            return name
    return None


def _tls_problem(label, value, service, host, hostvars, secret):
    """Why the URL's scheme contradicts the TLS of ``service`` on the host of ours it points at, or None."""
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    server = _inventory_host(parts.hostname, host, hostvars)
    if server is None:
        return None
    spec = SERVICES[service]
    hv = host_var(hostvars, server, {})
    if not ansible_bool(host_var(hv, spec["enabled"], True)):
        return None
    port = parts.port or (443 if scheme == "https" else 80)
    role = spec["role"]
    bound = _bound(hv, spec, server)
    tls_vars = spec.get("tls", ())
    if any(entry[2] == port for entry in bound):
        on = [var for var in tls_vars if _setting(hv, role, var)]
        what = "%s on %s serves %s on port %d" % (service, server, "HTTPS" if on else "plain HTTP", port)
        why = ("%s is set" % on[0]) if on else ("none of %s is set" % ", ".join(tls_vars) if tls_vars else "it has no TLS")
    elif spec.get("gateway") and service in _gateway_routes(hv) and port == int(_setting(hv, GATEWAY_ROLE, "gateway_port")):
        on, what, why = True, "the gateway on %s serves %s over HTTPS on port %d" % (server, service, port), "it always has TLS"
    else:
        return None
    shown = "" if secret else " (%s)" % _redacted(value)
    if on and scheme == "http":
        return "%s%s is http:// but %s (%s): use https://" % (label, shown, what, why)
    if not on and scheme == "https":
        return ("%s%s is https:// but %s (%s): use http://, or turn TLS on for %s%s"
                % (label, shown, what, why, service, " (%s)" % " or ".join(tls_vars) if tls_vars else ""))
    return None


def url_problems(host, role, hostvars):
    """One line per URL variable of ``role`` on ``host`` that is not an http(s) URL with a host, has
    a path its API does not have, or whose scheme contradicts the TLS setting of the service of
    ours it points at (``https://`` to a listener without TLS, or ``http://`` to one with)."""
    _roles("url_problems", role, URL_VARS)
    hv = host_var(hostvars, host, {})
    problems = []
    for entry in URL_VARS.get(role, ()):
        for label, value in _url_values(hv, role, entry):
            line = _url_problem(label, value, entry)
            if line is None and "service" in entry:
                line = _tls_problem(label, value, entry["service"], host, hostvars, entry.get("secret"))
            if line:
                problems.append(line)
    return problems


def preflight_problems(host, role, hostvars):
    """listen_problems, then (when the listeners can be read) port_clashes and url_problems."""
    problems = listen_problems(host, role, hostvars) if any(spec["role"] == role for spec in SERVICES.values()) else []
    if problems:
        return problems
    if any(spec["role"] == role for spec in SERVICES.values()):
        problems = port_clashes(host, role, hostvars)
    return problems + url_problems(host, role, hostvars)
