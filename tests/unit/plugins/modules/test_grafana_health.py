# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_health: the bounded wait for /api/health, data source checks, fail or warn, check mode."""

from __future__ import annotations

import pytest

MODULE = "grafana_health"
FAST = {"delay": 0.01, "wait_timeout": 5}
LOKI_DOWN = {"status": "ERROR", "message": "Unable to connect with Loki.\nPlease check the server logs for more details."}


def datasources(grafana):
    for uid, name, kind in (("vigil-prometheus", "Prometheus", "prometheus"), ("vigil-loki", "Loki", "loki")):
        assert grafana.run("grafana_datasource", {"uid": uid, "name": name, "type": kind,
                                                  "datasource_url": "http://127.0.0.1:9"})["changed"]


def health_requests(grafana, mark):
    return [r for r in grafana.requests(mark) if r["route"] == "/api/health"]


def test_healthy_at_once_without_credentials(grafana):
    mark = grafana.mark()
    result = grafana.run(MODULE, {}, auth="none")
    assert not result.get("failed") and not result["changed"], result
    assert result["healthy"] and result["problem"] is None and result["attempts"] == 1
    assert result["health"]["database"] == "ok" and result["health"]["version"] == grafana.fake.state.version
    assert result["datasources"] == {} and result["unhealthy_datasources"] == []
    assert len(health_requests(grafana, mark)) == 1 and grafana.writes(mark) == []


def test_waits_out_a_starting_grafana(grafana):
    grafana.fake.inject("GET", r"^/api/health$", 502, {"message": "proxy: upstream not ready"})
    grafana.fake.inject("GET", r"^/api/health$", 503, {"database": "failing"})
    mark = grafana.mark()
    result = grafana.run(MODULE, FAST, auth="none")
    assert result["healthy"] and result["attempts"] == 3 and not result.get("failed"), result
    # One request per attempt: the client's own retries are off while the module waits.
    assert [r["status"] for r in health_requests(grafana, mark)] == [502, 503, 200]


def test_times_out_with_one_line_naming_the_reason(grafana):
    grafana.fake.state.db_failing = True
    result = grafana.run(MODULE, {"wait_timeout": 1, "delay": 0.2}, auth="none")
    assert result["failed"] and not result["healthy"]
    assert result["msg"].startswith("Grafana at %s is not healthy after " % grafana.fake.url), result["msg"]
    assert result["msg"].endswith(" attempts in 1 seconds: the database is failing (HTTP 503)"), result["msg"]
    assert "\n" not in result["msg"] and 4 <= result["attempts"] <= 7


def test_not_failing_on_timeout_skips_the_data_sources(grafana):
    datasources(grafana)
    grafana.fake.state.db_failing = True
    mark = grafana.mark()
    result = grafana.run(MODULE, {"wait_timeout": 0, "fail_on_timeout": False, "datasources": ["vigil-loki"]})
    assert not result.get("failed") and not result["healthy"] and result["attempts"] == 1, result
    assert result["problem"] == "the database is failing (HTTP 503)"
    assert result["datasources"] == {} and result["unhealthy_datasources"] == []
    assert [r["route"] for r in grafana.requests(mark)] == ["/api/health"]


def test_a_wrong_url_fails_at_once(grafana):
    # (An unreachable server: test_common.py.) A 404 will not go away by waiting.
    wrong = grafana.run(MODULE, {"url": grafana.fake.url + "/grafana", "wait_timeout": 30}, auth="none")
    assert wrong["failed"] and "HTTP 404 (not found)" in wrong["msg"], wrong


def test_datasource_results_per_uid(grafana):
    datasources(grafana)
    grafana.fake.inject("GET", r"^/api/datasources/uid/vigil-loki/health$", 400, LOKI_DOWN)
    mark = grafana.mark()
    result = grafana.run(MODULE, dict(FAST, datasources=["vigil-prometheus", "vigil-loki"], datasource_failure="warn"),
                         auth="basic")
    assert not result.get("failed") and not result["changed"], result
    assert result["datasources"] == {
        "vigil-prometheus": {"uid": "vigil-prometheus", "name": "Prometheus", "healthy": True, "status": "OK",
                             "http_status": 200, "message": "Data source is working"},
        "vigil-loki": {"uid": "vigil-loki", "name": "Loki", "healthy": False, "status": "ERROR", "http_status": 400,
                       "message": "Unable to connect with Loki. Please check the server logs for more details."}}
    assert result["unhealthy_datasources"] == ["vigil-loki"]
    assert result["warnings"] == [
        "Loki did not pass Grafana's health check (Loki: Unable to connect with Loki. Please check the server logs "
        "for more details.); dashboards using them stay empty until the service answers."]
    assert grafana.writes(mark) == []


def test_failing_datasources_fail_in_one_line(grafana):
    datasources(grafana)
    grafana.fake.inject("GET", r"^/api/datasources/uid/vigil-loki/health$", 400, LOKI_DOWN)
    grafana.fake.inject("GET", r"^/api/datasources/uid/vigil-prometheus/health$", 404,
                        {"message": "Plugin health check not implemented"})
    result = grafana.run(MODULE, dict(FAST, datasources=["vigil-loki", "vigil-prometheus", "vigil-missing"]))
    assert result["failed"], result
    assert result["msg"] == (
        "Loki, Prometheus, vigil-missing did not pass Grafana's health check (Loki: Unable to connect with Loki. "
        "Please check the server logs for more details.; Prometheus: Plugin health check not implemented; "
        "vigil-missing: no data source with this uid).")
    assert result["unhealthy_datasources"] == ["vigil-loki", "vigil-prometheus", "vigil-missing"]
    assert result["datasources"]["vigil-missing"]["http_status"] == 404
    healthy = grafana.run(MODULE, dict(FAST, datasources=["vigil-loki", "vigil-prometheus"]))
    assert not healthy.get("failed") and healthy["unhealthy_datasources"] == []
    assert [r["healthy"] for r in healthy["datasources"].values()] == [True, True]


def test_refused_credentials_fail_even_when_only_warning(grafana):
    datasources(grafana)
    args = dict(FAST, datasources=["vigil-loki"], datasource_failure="warn", username="admin", password="not-the-admin-pw")
    result = grafana.run(MODULE, args, auth="none")
    assert result["failed"] and "HTTP 401" in result["msg"] and "Invalid username or password" in result["msg"]
    assert "data source 'vigil-loki' could not be read" in result["msg"]
    grafana.fake.inject("GET", r"^/api/datasources/uid/vigil-loki/health$", 403, {"message": "Permission denied"})
    denied = grafana.run(MODULE, dict(args, password="admin-pw"), auth="none")
    assert denied["failed"] and "HTTP 403" in denied["msg"] and "the health of data source 'Loki'" in denied["msg"]


def test_check_mode_does_the_same_reads(grafana):
    datasources(grafana)
    grafana.fake.inject("GET", r"^/api/datasources/uid/vigil-loki/health$", 400, LOKI_DOWN, times=2)
    args = dict(FAST, datasources=["vigil-loki"], datasource_failure="warn")
    mark = grafana.mark()
    check = grafana.run(MODULE, args, check=True)
    real = grafana.run(MODULE, args)
    for key in ("changed", "healthy", "datasources", "unhealthy_datasources", "warnings"):
        assert check[key] == real[key], key
    assert grafana.writes(mark) == []


@pytest.mark.parametrize("args,fragment", [
    ({"datasources": ["bad uid!"]}, "datasources entry 'bad uid!' contains characters Grafana rejects"),
    ({"wait_timeout": -1}, "wait_timeout and delay must be 0 or more"),
    ({"delay": -0.5}, "wait_timeout and delay must be 0 or more"),
])
def test_bad_input_is_refused_before_any_request(grafana, args, fragment):
    mark = grafana.mark()
    result = grafana.run(MODULE, args)
    assert result["failed"] and fragment in result["msg"], result
    assert grafana.requests(mark) == []
