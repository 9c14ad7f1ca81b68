# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's one systemd unit template sets per service beyond the shared hardening:
the sandbox options only some services work with, and the memory and task limits, with the
inventory's per-host overrides (``vigil_service_limits``)."""

from __future__ import annotations

import re
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail as _fail, mapping as _mapping

# One entry per unit (the name without .service) the roles run through _artifact's service entry
# point. ``private_users``: PrivateUsers=yes (the unit sees only root and its own user and group;
# not for services that need supplementary groups or other users' files). ``proc_subset``:
# ProcSubset=pid (no system-wide /proc files such as /proc/stat or /proc/meminfo). ``meminfo``:
# the service reads /proc/meminfo when its cgroup has no memory limit (the Collector's
# memory_limiter), so ProcSubset=pid only while MemoryMax is bounded. The limits are the
# defaults of MemoryHigh (the kernel reclaims and throttles above it), MemoryMax (the OOM killer
# acts above it) and TasksMax (processes and threads); a percentage is of the host's memory.
UNITS = {
    # Server tier. Go services with client_golang's process collector lose
    # process_start_time_seconds under ProcSubset=pid (it reads the boot time from /proc/stat).
    "prometheus": {"private_users": True, "proc_subset": False,
                   "MemoryHigh": "70%", "MemoryMax": "80%", "TasksMax": 4096},
    "alertmanager": {"private_users": True, "proc_subset": False,
                     "MemoryHigh": "768M", "MemoryMax": "1G", "TasksMax": 1024},
    "loki": {"private_users": True, "proc_subset": False,
             "MemoryHigh": "50%", "MemoryMax": "60%", "TasksMax": 4096},
    "grafana": {"private_users": True, "proc_subset": False,
                "MemoryHigh": "20%", "MemoryMax": "25%", "TasksMax": 4096},
    # Collector-based (OpenTelemetry telemetry, no client_golang process collector).
    "jaeger": {"private_users": True, "proc_subset": True, "meminfo": True,
               "MemoryHigh": "40%", "MemoryMax": "50%", "TasksMax": 4096},
    "otelcol-contrib": {"private_users": True, "proc_subset": True, "meminfo": True,
                        "MemoryHigh": "20%", "MemoryMax": "25%", "TasksMax": 4096},
    # Node.js: os.totalmem(), os.cpus() and V8's heap sizing read /proc/meminfo and /proc/stat.
    "uptime-kuma": {"private_users": True, "proc_subset": False,
                    "MemoryHigh": "768M", "MemoryMax": "1G", "TasksMax": 2048},
    # Client tier.
    "jaeger-agent": {"private_users": True, "proc_subset": True, "meminfo": True,
                     "MemoryHigh": "384M", "MemoryMax": "512M", "TasksMax": 1024},
    # node_exporter, Telegraf and Alloy read the host's /proc and /sys, other users' processes and
    # files, and (Alloy, Telegraf) files through supplementary groups: neither option.
    "node_exporter": {"private_users": False, "proc_subset": False,
                      "MemoryHigh": "192M", "MemoryMax": "256M", "TasksMax": 1024},
    "telegraf": {"private_users": False, "proc_subset": False,
                 "MemoryHigh": "15%", "MemoryMax": "20%", "TasksMax": 2048},
    "alloy": {"private_users": False, "proc_subset": False,
              "MemoryHigh": "25%", "MemoryMax": "30%", "TasksMax": 2048},
}

LIMIT_KEYS = ("MemoryHigh", "MemoryMax", "TasksMax")

_SUFFIX = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4, "P": 1024 ** 5, "E": 1024 ** 6}
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMGTPE]?)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


def _unit(name, service):
    if not isinstance(service, str) or service not in UNITS:
        _fail(name, "%r is not a unit of the collection; known: %s", service, ", ".join(sorted(UNITS)))
    return UNITS[service]


def _parse(name, where, key, value):
    """``(text, kind, number)``: kind ``size`` (bytes), ``percent``, ``count`` or ``infinity``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        _fail(name, "%s.%s: %r is not a value systemd takes for %s", where, key, value, key)
    text = str(value).strip()
    if text == "infinity":
        return text, "infinity", None
    percent = _PERCENT.match(text)
    if percent:
        number = float(percent.group(1))
        if not 0 < number <= 100:
            _fail(name, "%s.%s: %s is not a percentage above 0 and up to 100", where, key, text)
        return text, "percent", number
    if key == "TasksMax":
        if not re.match(r"^\d+$", text) or int(text) < 1:
            _fail(name, "%s.TasksMax: %r is not a number of tasks such as 512, a percentage such as 10%% or infinity", where, value)
        return text, "count", int(text)
    size = _SIZE.match(text)
    if not size:
        _fail(name, "%s.%s: %r is not a size such as 512M, 8G, 1.5T (base 1024, upper-case suffix), a percentage such as 50%% or infinity",
              where, key, value)
    number = int(float(size.group(1)) * _SUFFIX[size.group(2)])
    if number < 1:
        _fail(name, "%s.%s: %r is not a size above zero", where, key, value)
    return text, "size", number


def _bytes(parsed, memtotal_mb):
    _text, kind, number = parsed
    if kind == "size":
        return number
    if kind == "percent" and memtotal_mb is not None:
        return int(memtotal_mb * 1024 * 1024 * number / 100)
    return None


def _overrides(name, overrides, service):
    """The overrides of ``service``, after checking the whole mapping (unit names and keys)."""
    overrides = _mapping(name, overrides, "vigil_service_limits")
    for unit, entry in overrides.items():
        if unit not in UNITS:
            _fail(name, "vigil_service_limits: %r is not a unit of the collection; known: %s", unit, ", ".join(sorted(UNITS)))
        entry = _mapping(name, entry, "vigil_service_limits.%s" % unit)
        unknown = sorted(str(key) for key in entry if key not in LIMIT_KEYS)
        if unknown:
            _fail(name, "vigil_service_limits.%s: %s not a limit this collection sets; known: %s",
                  unit, ", ".join(unknown) + (" is" if len(unknown) == 1 else " are"), ", ".join(LIMIT_KEYS))
    return overrides.get(service) or {}


def unit_limits(service, overrides=None, memtotal_mb=None):
    """The effective limits of the unit ``service`` (see unit_limits.yml for the shape)."""
    name = "unit_limits"
    spec = _unit(name, service)
    own = _overrides(name, overrides, service)
    if memtotal_mb is not None and (isinstance(memtotal_mb, bool) or not isinstance(memtotal_mb, (int, float)) or memtotal_mb <= 0):
        _fail(name, "memtotal_mb must be the host's memory in MiB (ansible_facts.memtotal_mb), not %r", memtotal_mb)
    directives, parsed = {}, {}
    for key in LIMIT_KEYS:
        value = own[key] if key in own else spec[key]
        if value is None:
            continue
        where = "vigil_service_limits.%s" % service if key in own else "the default of %s" % service
        parsed[key] = _parse(name, where, key, value)
        directives[key] = parsed[key][0]
    high, top = parsed.get("MemoryHigh"), parsed.get("MemoryMax")
    high_bytes = _bytes(high, memtotal_mb) if high else None
    max_bytes = _bytes(top, memtotal_mb) if top else None
    if high and top and top[1] != "infinity":
        if high[1] == top[1] == "percent":
            lower, upper = high[2], top[2]
        else:
            lower, upper = high_bytes, max_bytes
        if lower is not None and upper is not None and lower > upper:
            _fail(name, "vigil_service_limits.%s: MemoryHigh %s is above MemoryMax %s", service, high[0], top[0])
    tasks = parsed.get("TasksMax")
    return {
        "directives": directives,
        "bounded": bool(top) and top[1] != "infinity",
        "memory_max_bytes": max_bytes,
        "memory_max_mib": max_bytes // (1024 * 1024) if max_bytes is not None else None,
        "memory_high_bytes": high_bytes,
        "tasks_max": tasks[2] if tasks and tasks[1] == "count" else None,
    }


def unit_sandbox(service, overrides=None, private_users=True):
    """The sandbox directives the unit ``service`` adds to the shared hardening."""
    name = "unit_sandbox"
    spec = _unit(name, service)
    if not isinstance(private_users, bool):
        _fail(name, "private_users must be true or false, not %r", private_users)
    out = {}
    if spec["private_users"] and private_users:
        out["PrivateUsers"] = True
    if spec["proc_subset"] and (not spec.get("meminfo") or unit_limits(service, overrides)["bounded"]):
        out["ProcSubset"] = "pid"
    return out
