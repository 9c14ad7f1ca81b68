# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files of the prometheus role: prometheus.yml, the rule files and the file_sd target files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.filter.core import to_nice_yaml
from ansible.utils.vars import merge_hash

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.config_file_plan import jinja_sorted
from ansible_collections.vigil.observability.plugins.module_utils._address import join_hostport as hostport
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail as _fail, mapping as _mapping

_RULE_FILE_SUFFIX = re.compile(r"\.(yml|yaml|rules)$")


def _list(name, value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        _fail(name, "%s must be a list, not a %s", what, type(value).__name__)
    return value


def _text(value):
    return "" if value is None else str(value)


def nice_yaml(data):
    """The text Ansible's ``to_nice_yaml(indent=2, sort_keys=false, width=1000)`` gives."""
    return to_nice_yaml(data, indent=2, sort_keys=False, width=1000)


def _alertmanagers(endpoints, targets, port):
    """``alerting.alertmanagers``: the inventory's Alertmanagers (service_endpoints dicts), one
    entry per scheme, path prefix, credentials and CA, then the further ``host:port`` targets.

    An endpoint's ``basic_auth`` ({username, password}) becomes the entry's ``basic_auth``, its
    ``ca_file`` (https only) the entry's ``tls_config.ca_file``."""
    name = "prometheus_config"
    try:
        port = int(port or 0)
    except (TypeError, ValueError):
        _fail(name, "alertmanager_port %r is not a port number", port)
    if not 0 <= port < 65536:
        _fail(name, "alertmanager_port %d is not a port number (0: each Alertmanager's own)", port)
    groups = {}
    for endpoint in _list(name, endpoints, "alertmanagers"):
        if not isinstance(endpoint, Mapping) or not {"address", "hostport", "scheme", "url"} <= set(endpoint):
            _fail(name, "alertmanagers must be service_endpoint results, not %r", endpoint)
        prefix = "%s://%s" % (endpoint["scheme"], endpoint["hostport"])
        path = endpoint["url"][len(prefix):] if endpoint["url"].startswith(prefix) else ""
        target = hostport(endpoint["address"], port) if port else endpoint["hostport"]
        auth = _mapping(name, endpoint.get("basic_auth"), "the basic_auth of Alertmanager %s" % endpoint.get("host", endpoint["hostport"]))
        user = (_text(auth.get("username")), _text(auth.get("password"))) if auth else ("", "")
        if user[0] and not user[1]:
            _fail(name, "Alertmanager %s asks for user %s with an empty password", endpoint.get("host", endpoint["hostport"]), user[0])
        ca_file = _text(endpoint.get("ca_file")) if endpoint["scheme"] == "https" else ""
        groups.setdefault((endpoint["scheme"], path, user, ca_file), []).append(target)
    for target in _list(name, targets, "alertmanager_targets"):
        if not isinstance(target, str) or not target:
            _fail(name, "alertmanager_targets items must be host:port strings, not %r", target)
        groups.setdefault(("http", "", ("", ""), ""), []).append(target)
    entries = []
    for (scheme, path, user, ca_file), found in groups.items():
        entry = {"static_configs": [{"targets": found}]}
        if scheme != "http":
            entry["scheme"] = scheme
        if path:
            entry["path_prefix"] = path
        if user[0]:
            entry["basic_auth"] = {"username": user[0], "password": user[1]}
        if ca_file:
            entry["tls_config"] = {"ca_file": ca_file}
        entries.append(entry)
    return entries


def prometheus_config(parts):
    """The generated prometheus.yml (before ``prometheus_config`` is merged over it), from ``parts``:

    ``global`` (scrape_interval, scrape_timeout, evaluation_interval), ``external_labels``,
    ``replica_label`` and ``replica`` (HA pairs), ``rule_files``, ``alertmanagers``
    (service_endpoints results), ``alertmanager_targets`` (further host:port),
    ``alertmanager_port`` (0: each Alertmanager's own), ``scrape_configs``, ``remote_write``,
    ``retention`` ({time, size}) and ``retention_in_config`` (the version reads it from the file).
    """
    name = "prometheus_config"
    parts = _mapping(name, parts, "the configuration parts")
    known = {"global", "external_labels", "replica_label", "replica", "rule_files", "alertmanagers", "alertmanager_targets",
             "alertmanager_port", "scrape_configs", "remote_write", "retention", "retention_in_config"}
    unknown = sorted(set(parts) - known)
    if unknown:
        _fail(name, "unknown part(s) %s", ", ".join(map(str, unknown)))
    global_ = dict(_mapping(name, parts.get("global"), "global"))
    replica = _text(parts.get("replica"))
    labels = dict(_mapping(name, parts.get("external_labels"), "external_labels"))
    if replica:
        label = _text(parts.get("replica_label"))
        if not re.match(r"^[a-zA-Z_][a-zA-Z0-9_]*$", label):
            _fail(name, "replica_label %r is not a valid label name", label)
        labels[label] = replica
    if labels:
        global_["external_labels"] = labels
    config = {"global": global_, "rule_files": list(_list(name, parts.get("rule_files"), "rule_files"))}
    alerting = {}
    if replica:
        alerting["alert_relabel_configs"] = [{"action": "labeldrop", "regex": _text(parts.get("replica_label"))}]
    alertmanagers = _alertmanagers(parts.get("alertmanagers"), parts.get("alertmanager_targets"), parts.get("alertmanager_port"))
    if alertmanagers:
        alerting["alertmanagers"] = alertmanagers
    if alerting:
        config["alerting"] = alerting
    config["scrape_configs"] = list(_list(name, parts.get("scrape_configs"), "scrape_configs"))
    remote_write = _list(name, parts.get("remote_write"), "remote_write")
    if remote_write:
        config["remote_write"] = list(remote_write)
    if boolean(parts.get("retention_in_config", False), strict=False):
        retention = _mapping(name, parts.get("retention"), "retention")
        kept = {key: retention[key] for key in ("time", "size") if _text(retention.get(key))}
        if kept:
            config["storage"] = {"tsdb": {"retention": kept}}
    return config


def prometheus_rule_files(bundled, rules_dir, enabled=True, disabled=None, overrides=None, interval="", rules=None, files=None):
    """``{path on the host: content}`` of the rule files in ``rules_dir``.

    ``vigil-bundled.yml``: the ``bundled`` rules without the ``disabled`` alert names, each merged
    with its ``overrides`` entry, in group ``vigil-bundled`` (evaluated every ``interval`` when
    set); ``<stem>.yml`` for each ``rules`` entry ``{stem: [rule groups]}``; and for each
    ``files`` entry ``{controller path: text}`` the text, under the file's name with its
    .yml/.yaml/.rules suffix replaced by .yml.
    """
    name = "prometheus_rule_files"
    bundled = _list(name, bundled, "the bundled rules")
    disabled = [str(alert) for alert in _list(name, disabled, "disabled")]
    overrides = _mapping(name, overrides, "overrides")
    rules_dir = _text(rules_dir)
    if not rules_dir:
        _fail(name, "the rules directory is empty")
    known = []
    for rule in bundled:
        if not isinstance(rule, Mapping) or not rule.get("alert"):
            _fail(name, "every bundled rule needs an alert name, not %r", rule)
        known.append(rule["alert"])
    unknown = [alert for alert in disabled + list(overrides) if alert not in known]
    if unknown:
        _fail(name, "unknown bundled rule(s) %s; the bundled rules are %s", ", ".join(dict.fromkeys(map(str, unknown))), ", ".join(known))
    contents = {}
    effective = []
    for rule in bundled:
        if rule["alert"] in disabled:
            continue
        override = _mapping(name, overrides.get(rule["alert"]), "the override of %s" % rule["alert"])
        effective.append(merge_hash(rule, override, recursive=True))
    if boolean(enabled, strict=False) and effective:
        group = {"name": "vigil-bundled"}
        if _text(interval):
            group["interval"] = interval
        group["rules"] = effective
        contents[rules_dir + "/vigil-bundled.yml"] = nice_yaml({"groups": [group]})
    rules = _mapping(name, rules, "rules")
    for stem in jinja_sorted(rules):
        if not isinstance(stem, str) or not stem or "/" in stem:
            _fail(name, "rule file stem %r must be a file name without '/'", stem)
        contents["%s/%s.yml" % (rules_dir, stem)] = nice_yaml({"groups": _list(name, rules[stem], "the rule groups of %s" % stem)})
    for path, text in _mapping(name, files, "files").items():
        stem = _RULE_FILE_SUFFIX.sub("", posixpath.basename(str(path)))
        if not stem:
            _fail(name, "rule file %r has no file name", path)
        contents["%s/%s.yml" % (rules_dir, stem)] = _text(text)
    return contents


def prometheus_file_sd(targets, directory, settings=None):
    """``{scrape_configs, files}`` of file-based service discovery.

    For each ``targets`` entry ``{job: [target groups]}`` (sorted by job): a scrape job reading
    ``<directory>/<job>.yml`` (``settings[job]`` merged in) and that file's content.
    """
    name = "prometheus_file_sd"
    targets = _mapping(name, targets, "the file_sd targets")
    settings = _mapping(name, settings, "the job settings")
    directory = _text(directory)
    if not directory:
        _fail(name, "the file_sd directory is empty")
    configs, files = [], {}
    for job in jinja_sorted(targets):
        if not isinstance(job, str) or not job or "/" in job:
            _fail(name, "job name %r must be a non-empty name without '/'", job)
        path = "%s/%s.yml" % (directory, job)
        config = merge_hash({"job_name": job}, _mapping(name, settings.get(job), "the settings of job %s" % job), recursive=True)
        config["file_sd_configs"] = [{"files": [path]}]
        configs.append(config)
        files[path] = nice_yaml(_list(name, targets[job], "the target groups of job %s" % job))
    return {"scrape_configs": configs, "files": files}
