# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the verify playbook's filters."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.verify_results import metric_sum, verify_report, verify_targets


def _target(job, instance, health="up", error=""):
    return {"labels": {"job": job, "instance": instance}, "health": health, "lastError": error, "scrapePool": job}


def test_targets_one_result_per_job_sorted():
    answer = {"status": "success", "data": {"activeTargets": [
        _target("node", "web-1"), _target("alertmanager", "mon-1"), _target("node", "web-2")]}}
    assert verify_targets(answer) == [
        {"check": "targets of job alertmanager", "passed": True, "detail": "1/1 up"},
        {"check": "targets of job node", "passed": True, "detail": "2/2 up"},
    ]


def test_targets_down_named_with_error():
    answer = {"data": {"activeTargets": [
        _target("node", "web-1"), _target("node", "web-2", "down", "connection refused"), _target("node", "web-3", "unknown")]}}
    result = verify_targets(answer)
    assert result == [{"check": "targets of job node", "passed": False,
                       "detail": "1/3 up; web-2 down (connection refused), web-3 unknown"}]


def test_targets_none_or_bad_answer_fails():
    assert verify_targets({"data": {"activeTargets": []}})[0]["passed"] is False
    assert verify_targets({"status": "error"})[0]["detail"] == "no activeTargets in the answer (status error)"
    with pytest.raises(AnsibleFilterError, match="expects the JSON answer"):
        verify_targets("up")


METRICS = """# HELP alertmanager_notifications_total The total number of attempted notifications.
# TYPE alertmanager_notifications_total counter
alertmanager_notifications_total{integration="slack"} 2
alertmanager_notifications_total{integration="webhook"} 1
alertmanager_notifications_total_other 5
alertmanager_notifications_failed_total{integration="slack",reason="other"} 0
alertmanager_notifications_total{integration="email"} NaN
"""


def test_metric_sum_adds_every_label_set_of_that_name_only():
    assert metric_sum(METRICS, "alertmanager_notifications_total") == 3.0
    assert metric_sum(METRICS, "alertmanager_notifications_failed_total") == 0.0
    assert metric_sum(METRICS, "absent_metric") == 0.0
    assert metric_sum(None, "x") == 0.0


def test_metric_sum_bad_input():
    with pytest.raises(AnsibleFilterError, match="give the metric name"):
        metric_sum(METRICS, "")
    with pytest.raises(AnsibleFilterError, match="text of a /metrics page"):
        metric_sum({"a": 1}, "x")


def test_report_table_sorted_with_summary():
    results = [
        {"host": "web-1", "component": "node_exporter", "check": "serving", "passed": True, "detail": "active"},
        {"host": "mon-1", "component": "prometheus", "check": "serving", "passed": True, "detail": "active,  /-/ready\n200"},
        {"host": "mon-1", "component": "prometheus", "check": "targets of job node", "passed": False, "detail": "1/2 up"},
        {"host": "mon-1", "component": "alertmanager", "check": "serving", "passed": "yes", "detail": ""},
    ]
    report = verify_report(results)
    assert report["passed"] == 2 and report["failed"] == 2
    lines = report["lines"]
    assert lines[0].split() == ["host", "component", "check", "result", "detail"]
    assert [line.split()[:2] for line in lines[1:5]] == [
        ["mon-1", "alertmanager"], ["mon-1", "prometheus"], ["mon-1", "prometheus"], ["web-1", "node_exporter"]]
    # a truthy value that is not true does not pass; the checks of one component keep their order
    assert "FAIL" in lines[1]
    assert "serving" in lines[2] and "PASS" in lines[2] and lines[2].endswith("active, /-/ready 200")
    assert "targets of job node" in lines[3] and "FAIL" in lines[3]
    assert lines[-1] == "4 checks, 2 passed, 2 failed"
    # the columns line up
    assert len({line.index("PASS") if "PASS" in line else line.index("FAIL") for line in lines[1:5]}) == 1


def test_report_empty_and_bad_input():
    assert verify_report([]) == {"passed": 0, "failed": 0, "lines": ["host  component  check  result  detail", "0 checks, 0 passed, 0 failed"]}
    with pytest.raises(AnsibleFilterError, match="result #1 lacks passed, detail"):
        verify_report([{"host": "a", "component": "b", "check": "c"}])
    with pytest.raises(AnsibleFilterError, match="result #2 is a str"):
        verify_report([{"host": "a", "component": "b", "check": "c", "passed": True, "detail": ""}, "x"])


def test_monitors_every_active_one_up():
    from ansible_collections.vigil.observability.plugins.plugin_utils.filters.verify_results import verify_monitors
    monitors = [
        {"name": "Servers", "type": "group", "active": True, "status": None},
        {"name": "web-1 node_exporter", "type": "http", "active": True, "status": "up"},
        {"name": "web-2 node_exporter", "type": "http", "active": True, "status": "down"},
        {"name": "web-3 node_exporter", "type": "http", "active": True, "status": None},
        {"name": "paused", "type": "http", "active": False, "status": "down"},
    ]
    assert verify_monitors(monitors) == [{"check": "monitors up", "passed": False,
                                          "detail": "1/3 up; web-2 node_exporter down, web-3 node_exporter no status yet"}]
    assert verify_monitors(monitors[:2])[0] == {"check": "monitors up", "passed": True, "detail": "1/1 up"}
    assert verify_monitors([monitors[0], monitors[4]])[0]["passed"] is False
    with pytest.raises(AnsibleFilterError, match="expects the monitors"):
        verify_monitors({"monitors": []})


def test_datasource_result():
    from ansible_collections.vigil.observability.plugins.plugin_utils.filters.verify_results import verify_datasource
    assert verify_datasource({"uid": "vigil-loki", "name": "Loki", "healthy": True, "status": "OK", "message": "Data source is working",
                              "http_status": 200}) == {"check": "data source Loki", "passed": True, "detail": "OK Data source is working"}
    assert verify_datasource({"uid": "vigil-jaeger", "healthy": False, "status": "ERROR", "message": "no route", "http_status": 400}) == {
        "check": "data source vigil-jaeger", "passed": False, "detail": "HTTP 400: ERROR no route"}
    assert verify_datasource({"uid": "x", "healthy": "true"})["passed"] is False
    with pytest.raises(AnsibleFilterError, match="expects one entry"):
        verify_datasource(["x"])
