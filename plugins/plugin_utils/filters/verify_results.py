# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the verify playbook computes: targets per job, counter sums, the report table."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.module_utils._metrics import metric_sum as _metric_sum

_RESULT_KEYS = ("host", "component", "check", "passed", "detail")


def verify_targets(answer):
    """One result per scrape job of Prometheus' ``/api/v1/targets`` answer: passed when every
    active target of the job is up; the detail names the targets that are not, with their error."""
    if not isinstance(answer, Mapping):
        raise AnsibleFilterError("verify_targets: expects the JSON answer of /api/v1/targets, not a %s" % type(answer).__name__)
    data = answer.get("data")
    targets = data.get("activeTargets") if isinstance(data, Mapping) else None
    if not isinstance(targets, list):
        return [{"check": "targets", "passed": False, "detail": "no activeTargets in the answer (status %s)" % answer.get("status")}]
    jobs = {}
    for target in targets:
        labels = target.get("labels") or {}
        job = str(labels.get("job") or target.get("scrapePool") or "?")
        jobs.setdefault(job, []).append(target)
    if not jobs:
        return [{"check": "targets", "passed": False, "detail": "Prometheus has no active target"}]
    results = []
    for job in sorted(jobs):
        members = jobs[job]
        down = [member for member in members if member.get("health") != "up"]
        detail = "%d/%d up" % (len(members) - len(down), len(members))
        if down:
            detail += "; " + ", ".join(
                "%s %s%s" % ((member.get("labels") or {}).get("instance", "?"), member.get("health", "?"),
                             (" (%s)" % member["lastError"]) if member.get("lastError") else "")
                for member in down)
        results.append({"check": "targets of job %s" % job, "passed": not down, "detail": detail})
    return results


def verify_monitors(monitors):
    """One result for the monitors of Uptime Kuma (the ``monitors`` of ``uptime_kuma_info`` with
    their status): passed when every active monitor that checks something (not a group) is up."""
    if not isinstance(monitors, list):
        raise AnsibleFilterError("verify_monitors: expects the monitors of uptime_kuma_info, not a %s" % type(monitors).__name__)
    watched = [monitor for monitor in monitors
               if isinstance(monitor, Mapping) and monitor.get("active") and monitor.get("type") != "group"]
    if not watched:
        return [{"check": "monitors up", "passed": False, "detail": "no active monitor"}]
    others = [monitor for monitor in watched if monitor.get("status") != "up"]
    detail = "%d/%d up" % (len(watched) - len(others), len(watched))
    if others:
        detail += "; " + ", ".join("%s %s" % (monitor.get("name", "?"), monitor.get("status") or "no status yet") for monitor in others)
    return [{"check": "monitors up", "passed": not others, "detail": detail}]


def verify_datasource(health):
    """The verify result of one data source from ``grafana_health``'s ``datasources`` answer."""
    if not isinstance(health, Mapping):
        raise AnsibleFilterError("verify_datasource: expects one entry of grafana_health's datasources, not a %s" % type(health).__name__)
    name = health.get("name") or health.get("uid") or "?"
    detail = " ".join(str(part) for part in (health.get("status"), health.get("message")) if part)
    if health.get("http_status") and not health.get("healthy"):
        detail = "HTTP %s: %s" % (health["http_status"], detail or "no message")
    return {"check": "data source %s" % name, "passed": health.get("healthy") is True, "detail": detail or "no answer"}


def metric_sum(text, name):
    """The sum of every sample of the metric ``name`` (all label sets) in a Prometheus text
    exposition; 0.0 when it has none."""
    if not isinstance(name, str) or not name:
        raise AnsibleFilterError("metric_sum: give the metric name")
    if text is None:
        return 0.0
    if not isinstance(text, str):
        raise AnsibleFilterError("metric_sum: expects the text of a /metrics page, not a %s" % type(text).__name__)
    return _metric_sum(text, name)


def verify_report(results):
    """The report of the verify playbook: ``{passed, failed, lines}``, where lines is a table with
    a header, one row per result (host, component, check, PASS/FAIL, detail) sorted by host and
    component, and a summary line."""
    if results is None:
        results = []
    if not isinstance(results, list):
        raise AnsibleFilterError("verify_report: expects a list of results, not a %s" % type(results).__name__)
    rows = []
    for index, result in enumerate(results):
        if not isinstance(result, Mapping):
            raise AnsibleFilterError("verify_report: result #%d is a %s, not a mapping" % (index + 1, type(result).__name__))
        missing = [key for key in _RESULT_KEYS if key not in result]
        if missing:
            raise AnsibleFilterError("verify_report: result #%d lacks %s" % (index + 1, ", ".join(missing)))
        rows.append((str(result["host"]), str(result["component"]), str(result["check"]),
                     "PASS" if result["passed"] is True else "FAIL", " ".join(str(result["detail"]).split())))
    rows.sort(key=lambda row: row[:2])
    header = ("host", "component", "check", "result", "detail")
    widths = [max([len(header[column])] + [len(row[column]) for row in rows]) for column in range(4)]

    def line(row):
        return "  ".join(value.ljust(widths[column]) for column, value in enumerate(row[:4])) + "  " + row[4]

    failed = sum(1 for row in rows if row[3] == "FAIL")
    lines = [line(header).rstrip()] + [line(row).rstrip() for row in rows]
    lines.append("%d checks, %d passed, %d failed" % (len(rows), len(rows) - failed, failed))
    return {"passed": len(rows) - failed, "failed": failed, "lines": lines}
