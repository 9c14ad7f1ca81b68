# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Uptime Kuma monitors of every endpoint the stack deployed, from the inventory."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import address_of, endpoint_keys
from ansible_collections.vigil.observability.plugins.module_utils._address import WILDCARDS, is_loopback, split_hostport
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import ansible_bool, condition_holds

_SERVICE_KEYS = {"service", "endpoint", "tier", "group", "role", "listen_var", "listen_default", "port_var", "address_var",
                 "path", "tls_vars", "auth_vars", "host_conditions", "title"}

# What an ``endpoint`` item takes from the stack's table (service_endpoint.SERVICES).
_ENDPOINT_KEYS = ("role", "listen_var", "listen_default", "address_var", "port_var", "tls_vars", "auth_vars")


def _listen(value, default, what):
    """(host, port) of a Go-style listen address; a list means its first entry."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else default
    text = str(value if value not in (None, "") else default).strip()
    try:
        return split_hostport(text)
    except ValueError:
        raise AnsibleFilterError("stack_monitors: %s is %r, not a listen address such as :9100 or 10.0.0.5:9100" % (what, text)) from None


def _format_host(host):
    return "[%s]" % host if ":" in host else host


def stack_monitors(groups, hostvars, services, kuma_host, groups_map, monitor=None):
    """Uptime Kuma monitors for the endpoints of ``services`` on the hosts of the inventory.

    ``services``: items with ``service``, ``tier`` (key into ``groups_map``), ``role`` (its
    ``vigil_<role>_enabled`` switch), ``path`` and either ``listen_var``/``listen_default`` (a
    Go-style listen address) or ``address_var`` + ``port_var`` with ``listen_default`` giving the
    defaults; optional ``tls_vars`` (any set: https), ``auth_vars`` (any set: a 401 also counts as
    up, the endpoint answers but wants credentials) and ``host_conditions``
    (``[{var, default, in?}]``).
    ``groups_map``: tier -> inventory group name. ``kuma_host``: the host Uptime Kuma runs on: an
    endpoint bound to loopback is monitored only there (as 127.0.0.1). ``monitor``: options every
    monitor gets (interval, retries, notifications, tags, ...).

    Returns ``{tier: [monitor, ...]}``; each monitor is named ``<host> <service>``.
    """
    if not isinstance(services, list):
        raise AnsibleFilterError("stack_monitors: services must be a list, got %s" % type(services).__name__)
    base = dict(monitor or {})
    out = {}
    for spec in services:
        if not isinstance(spec, dict) or not spec.get("service") or not spec.get("tier"):
            raise AnsibleFilterError("stack_monitors: every service needs service and tier, got %r" % (spec,))
        unknown = set(spec) - _SERVICE_KEYS
        if unknown:
            raise AnsibleFilterError("stack_monitors: service %s has unknown keys %s" % (spec["service"], sorted(unknown)))
        if "endpoint" in spec:  # where it listens, TLS and auth from the stack's table; the item's own keys win
            keys = endpoint_keys(spec["endpoint"], "stack_monitors: service %s" % spec["service"])
            spec = dict({key: value for key, value in keys.items() if key in _ENDPOINT_KEYS}, **spec)
        group = groups_map.get(spec["tier"])
        if group is None:
            raise AnsibleFilterError("stack_monitors: service %s names tier %r, not one of %s"
                                     % (spec["service"], spec["tier"], sorted(groups_map)))
        found = out.setdefault(spec["tier"], [])
        for host in groups.get(group, []):
            hv = hostvars.get(host, {})
            role = spec.get("role", spec["service"])
            if not ansible_bool(hv.get("vigil_%s_enabled" % role, True)):
                continue
            if not all(condition_holds(hv, cond) for cond in spec.get("host_conditions", [])):
                continue
            what = "%s of %s" % (spec.get("listen_var") or spec.get("address_var"), host)
            if spec.get("address_var"):
                default_host, default_port = _listen(None, spec["listen_default"], what)
                # set, even to "" (every interface), the host's own value counts
                value = hv.get(spec["address_var"], default_host)
                listen_host = str(value if value is not None else default_host)
                port = int(hv.get(spec["port_var"], default_port)) if spec.get("port_var") else default_port
            else:
                listen_host, port = _listen(hv.get(spec["listen_var"]), spec["listen_default"], what)
            if is_loopback(listen_host):
                if host != kuma_host:
                    continue
                address = "127.0.0.1"
            elif listen_host in WILDCARDS:
                address = "127.0.0.1" if host == kuma_host else address_of(host, hv)
            else:
                address = listen_host
            scheme = "https" if any(hv.get(var) for var in spec.get("tls_vars", [])) else "http"
            codes = ["200-299"] + (["401"] if any(hv.get(var) for var in spec.get("auth_vars", [])) else [])
            item = dict(base)
            item.update(name="%s %s" % (host, spec.get("title", spec["service"])), type="http",
                        url="%s://%s:%d%s" % (scheme, _format_host(address), port, spec.get("path", "/")),
                        accepted_status_codes=codes)
            found.append(item)
    return out
