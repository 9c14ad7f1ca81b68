# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Prometheus scrape_configs of the jobs generated from the inventory (one target per host)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError, AnsibleUndefinedVariable
from ansible.utils.vars import merge_hash
from jinja2 import UndefinedError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import address_of, endpoint_keys
from ansible_collections.vigil.observability.plugins.module_utils._address import WILDCARDS, is_loopback, split_hostport
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import (
    ansible_bool, condition_holds, defined, host_var)

# Keys of a job item that are not scrape_config data.
_JOB_KEYS = frozenset(("job", "group", "endpoint", "role", "port", "enabled", "listen_var", "listen_default", "host_conditions", "tls_vars",
                       "basic_auth_vars", "users_var", "metrics_path_var"))
# What an ``endpoint`` item takes from the stack's table (service_endpoint.SERVICES).
_ENDPOINT_KEYS = ("role", "port", "listen_var", "listen_default", "tls_vars", "basic_auth_vars", "users_var", "metrics_path_var")
_CONDITION_KEYS = frozenset(("var", "default", "in"))
# Listen hosts that mean "every interface": the target is the host's inventory address.
_MISSING = object()


def _fail(message, *args):
    raise AnsibleFilterError("inventory_scrape_configs: " + (message % args if args else message))


def _merged(index, item, settings):
    """The job item with its prometheus_scrape_job_settings merged in (recursively)."""
    if not isinstance(item, Mapping):
        _fail("job item %d is a %s, not a dict", index + 1, type(item).__name__)
    job = item.get("job")
    if not isinstance(job, str) or not job:
        _fail("job item %d has no job name (keys: %s)", index + 1, ", ".join(sorted(str(k) for k in item)))
    extra = settings.get(job, {})
    if not isinstance(extra, Mapping):
        _fail("job %s: its scrape job settings are a %s, not a dict", job, type(extra).__name__)
    spec = merge_hash(dict(item), dict(extra), True, "replace")
    if "endpoint" in spec:  # the exporter's facts from the stack's table; the item's own keys win
        keys = endpoint_keys(spec["endpoint"], "inventory_scrape_configs: job %s" % job)
        if "listen_var" not in keys:
            _fail("job %s: endpoint %s has no listen address variable; give listen_var and port", job, spec["endpoint"])
        spec = dict({key: value for key, value in keys.items() if key in _ENDPOINT_KEYS}, **spec)
    if not isinstance(spec.get("group"), str):
        _fail("job %s: group must be an inventory group name ('' for none), got %r", job, spec.get("group"))
    return spec


def _is_name(value):
    return isinstance(value, str) and value != ""


def _check(spec):
    """Fail on a job item the filter cannot read; the message names the job and the key."""
    job = spec["job"]
    if not _is_name(spec.get("role")):
        _fail("job %s: role must be the name of the role deploying the exporter, got %r", job, spec.get("role"))
    if not re.match(r"^[0-9]+$", str(spec.get("port"))):
        _fail("job %s: port must be a port number, got %r", job, spec.get("port"))
    for key in ("listen_var", "metrics_path_var", "users_var"):
        if key in spec and not _is_name(spec[key]):
            _fail("job %s: %s must be a variable name, got %r", job, key, spec[key])
    conditions = spec.get("host_conditions", [])
    if not isinstance(conditions, list):
        _fail("job %s: host_conditions must be a list, got a %s", job, type(conditions).__name__)
    for cond in conditions:
        if not isinstance(cond, Mapping):
            _fail("job %s: host_conditions item %r is not a dict of var, default and in", job, cond)
        unknown = set(cond) - _CONDITION_KEYS
        if unknown:
            _fail("job %s: host_conditions item for %s has unknown keys %s (known: default, in, var)",
                  job, cond.get("var", "?"), ", ".join(sorted(str(k) for k in unknown)))
        if not _is_name(cond.get("var")):
            _fail("job %s: host_conditions item %r needs a var (a variable name)", job, dict(cond))
        if "in" in cond and not isinstance(cond["in"], list):
            _fail("job %s: host_conditions in for %s must be a list, got %r", job, cond["var"], cond["in"])
    tls_vars = spec.get("tls_vars", [])
    if not isinstance(tls_vars, list) or not all(_is_name(v) for v in tls_vars):
        _fail("job %s: tls_vars must be a list of variable names, got %r", job, tls_vars)
    if "basic_auth_vars" in spec:
        auth = spec["basic_auth_vars"]
        if not isinstance(auth, Mapping) or not _is_name(auth.get("username")) or not _is_name(auth.get("password")):
            _fail("job %s: basic_auth_vars must name the username and password variables, got %r", job, auth)


def _listen(spec, hv, host):
    """(host, port) of the exporter's listen address on ``host``; port None when it has none."""
    name = spec["listen_var"]
    value = host_var(hv, name, _MISSING)
    if value is _MISSING:
        name = "listen_default"
        value = spec.get("listen_default", ":%s" % spec["port"])
    if isinstance(value, (list, tuple)):  # a list of addresses: the first one is scraped
        try:
            value = defined(value[0], None) if value else None
        except (AnsibleUndefinedVariable, UndefinedError):  # an undefined item, as Jinja's default filter has it
            value = None
    text = str(value).strip() if value else ""
    if not text:  # unset: every interface, the job's port
        return "", None
    try:
        listen_host = split_hostport(text)[0]
    except ValueError:
        _fail("job %s, host %s: %s is %r, not a listen address such as :%s or 10.0.0.5:%s",
              spec["job"], host, name, text, spec["port"], spec["port"])
    return listen_host, text.rsplit(":", 1)[1]  # the port as written


def _target(spec, hv, host, scraper=None):
    """The target group of ``host`` for the job, or None when the host has no target (a listener on
    loopback can only be scraped by a Prometheus on the same host, ``scraper``)."""
    if not ansible_bool(host_var(hv, "vigil_%s_enabled" % spec["role"], True)):
        return None
    if not all(condition_holds(hv, cond) for cond in spec.get("host_conditions", [])):
        return None
    address, port = _MISSING, str(spec["port"])
    if "listen_var" in spec:
        listen_host, listen_port = _listen(spec, hv, host)
        port = listen_port or port
        if is_loopback(listen_host) and host != scraper:  # it could never be scraped from here
            return None
        if listen_host not in WILDCARDS:
            address = "[%s]" % listen_host if ":" in listen_host else listen_host
    if address is _MISSING:
        address = address_of(host, hv)
    labels = host_var(hv, "prometheus_target_labels", {})
    if not isinstance(labels, Mapping):
        _fail("job %s, host %s: prometheus_target_labels must be a dict, got a %s", spec["job"], host, type(labels).__name__)
    labels = dict(labels)
    labels["instance"] = host
    if any(host_var(hv, name) for name in spec.get("tls_vars", [])):
        labels["__scheme__"] = "https"
    if "metrics_path_var" in spec:
        path = host_var(hv, spec["metrics_path_var"], "")
        if path:
            labels["__metrics_path__"] = path
    return {"targets": ["%s:%s" % (address, port)], "labels": labels}


def _credentials(spec, hv, data):
    """The host's own basic-auth credentials for the job: its ``basic_auth_vars`` pair, or the first
    user of its ``users_var`` mapping unless the job's settings give basic_auth themselves."""
    auth = spec.get("basic_auth_vars")
    if auth:
        user = host_var(hv, auth["username"], "")
        return {"username": user, "password": host_var(hv, auth["password"], "")} if user else None
    if "users_var" in spec and "basic_auth" not in data and "authorization" not in data:
        users = host_var(hv, spec["users_var"], {})
        if users and isinstance(users, Mapping):
            username, password = next(iter(users.items()))
            return {"username": str(username), "password": "" if password is None else str(password)}
    return None


def inventory_scrape_configs(jobs, settings, groups, hostvars, scraper=None):
    """The inventory jobs and their scrape_configs.

    ``jobs``: prometheus_inventory_jobs items (``job``, ``group``, ``role``, ``port``, optional
    ``enabled``, ``listen_var``/``listen_default``, ``host_conditions``, ``tls_vars``,
    ``basic_auth_vars``, ``users_var``, ``metrics_path_var``; any other key is scrape_config data).
    ``settings``: {job name: dict merged recursively into that job}. ``groups``, ``hostvars``: the
    inventory's. ``scraper``: the Prometheus host, which alone reaches its own loopback listeners.

    Returns ``{'jobs': [{'job', 'group'}], 'scrape_configs': [...]}``: the enabled jobs (with a
    group), and per job one scrape_config for its hosts without their own credentials (when there
    is one) and one ``<job>_<host>`` per host with its own (``basic_auth_vars``).
    """
    if not isinstance(jobs, list):
        _fail("the jobs must be a list, got a %s", type(jobs).__name__)
    if not isinstance(settings, Mapping):
        _fail("the scrape job settings must be a dict, got a %s", type(settings).__name__)
    if not isinstance(groups, Mapping):
        _fail("groups must be the inventory's groups (a dict), got a %s", type(groups).__name__)
    enabled = [spec for spec in (_merged(index, item, settings) for index, item in enumerate(jobs))
               if ansible_bool(spec.get("enabled", True)) and spec["group"]]
    read = {}  # each host's variables are looked up once
    found_jobs, configs = [], []
    for spec in enabled:
        _check(spec)
        job = spec["job"]
        data = {key: value for key, value in spec.items() if key not in _JOB_KEYS}
        shared, own = [], []
        for host in groups.get(spec["group"], []):
            if host not in read:
                try:
                    read[host] = hostvars[host]
                except KeyError:
                    read[host] = {}
            group = _target(spec, read[host], host, scraper)
            if group is None:
                continue
            credentials = _credentials(spec, read[host], data)
            if credentials is None:
                shared.append(group)
                continue
            config = {"job_name": "%s_%s" % (job, host)}
            config.update(data)
            config["basic_auth"] = credentials
            config["static_configs"] = [{"targets": group["targets"], "labels": dict(group["labels"], job=job)}]
            own.append(config)
        if shared:
            config = {"job_name": job}
            config.update(data)
            config["static_configs"] = shared
            configs.append(config)
        configs.extend(own)
        found_jobs.append({"job": job, "group": spec["group"]})
    return {"jobs": found_jobs, "scrape_configs": configs}
