# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_provisioning: reloads after a wait for health, check mode sends nothing, refusals are clean."""

from __future__ import annotations

import pytest

MODULE = "grafana_provisioning"
FAST = {"delay": 0.01, "wait_timeout": 5}
RELOAD = "/api/admin/provisioning/%s/reload"


def test_reload_after_health(grafana):
    mark = grafana.mark()
    result = grafana.run(MODULE, dict(FAST, reload=["datasources"]), auth="basic")
    assert result["changed"] and not result.get("failed"), result
    assert result["reloaded"] == ["datasources"] and result["attempts"] == 1
    assert result["messages"] == {"datasources": "Datasources config reloaded"}
    assert [(r["method"], r["route"]) for r in grafana.requests(mark)] == [
        ("GET", "/api/health"), ("POST", RELOAD % "datasources")]
    assert "diff" not in result


def test_several_kinds_in_order_once_each(grafana):
    mark = grafana.mark()
    result = grafana.run(MODULE, dict(FAST, reload=["dashboards", "datasources", "dashboards", "alerting"]), auth="basic")
    assert result["changed"] and result["reloaded"] == ["dashboards", "datasources", "alerting"]
    assert [r["route"] for r in grafana.writes(mark)] == [RELOAD % k for k in ("dashboards", "datasources", "alerting")]
    assert result["messages"]["alerting"] == "Alerting config reloaded"


def test_nothing_to_reload_is_no_change(grafana):
    mark = grafana.mark()
    result = grafana.run(MODULE, {"reload": []}, auth="basic")
    assert not result["changed"] and result["reloaded"] == [] and grafana.requests(mark) == []


def test_check_mode_sends_nothing(grafana):
    mark = grafana.mark()
    check = grafana.run(MODULE, dict(FAST, reload=["datasources"]), auth="basic", check=True)
    assert check["changed"] and check["reloaded"] == ["datasources"] and check["messages"] == {}
    assert grafana.requests(mark) == []
    real = grafana.run(MODULE, dict(FAST, reload=["datasources"]), auth="basic")
    assert real["changed"] == check["changed"] and real["reloaded"] == check["reloaded"]


def test_waits_for_a_restarting_grafana(grafana):
    grafana.fake.inject("GET", r"^/api/health$", 503, {"database": "failing"}, times=2)
    mark = grafana.mark()
    result = grafana.run(MODULE, dict(FAST, reload=["datasources"]), auth="basic")
    assert result["changed"] and result["attempts"] == 3, result
    assert [r["status"] for r in grafana.requests(mark)] == [503, 503, 200, 200]


def test_a_grafana_that_stays_down_is_not_reloaded(grafana):
    grafana.fake.state.db_failing = True
    mark = grafana.mark()
    result = grafana.run(MODULE, {"reload": ["datasources"], "wait_timeout": 0}, auth="basic")
    assert result["failed"] and not result["changed"] and result["reloaded"] == []
    assert result["msg"] == ("Grafana at %s is not healthy after 1 attempt in 0 seconds: the database is failing (HTTP 503)"
                             % grafana.fake.url)
    assert grafana.writes(mark) == []


@pytest.mark.parametrize("auth,args,fragments", [
    ("token", {}, ["HTTP 403", "permission denied", "requires Grafana server admin",
                   "the datasources provisioning files could not be reloaded"]),
    ("none", {"username": "admin", "password": "not-the-admin-pw"},
     ["HTTP 401", "wrong or missing credentials", "Invalid username or password"]),
])
def test_refusals_are_clean(grafana, auth, args, fragments):
    result = grafana.run(MODULE, dict(FAST, reload=["datasources"], **args), auth=auth)
    assert result["failed"] and result["status"] in (401, 403), result
    for fragment in fragments:
        assert fragment in result["msg"], (fragment, result["msg"])
    assert "\n" not in result["msg"]


def test_a_file_grafana_cannot_apply(grafana):
    grafana.fake.inject("POST", r"^/api/admin/provisioning/dashboards/reload$", 500,
                        {"message": "Failed to reload dashboards config", "error": "dashboard.yml: bad folder"})
    result = grafana.run(MODULE, dict(FAST, reload=["datasources", "dashboards"]), auth="basic")
    assert result["failed"] and result["status"] == 500
    assert "Grafana says: Failed to reload dashboards config" in result["msg"]
    assert result["msg"].endswith("the dashboards provisioning files could not be reloaded (dashboard.yml: bad folder); "
                                  "reloaded before: datasources"), result["msg"]


def test_unknown_kind_is_refused(grafana):
    result = grafana.run(MODULE, {"reload": ["plugins-of-doom"]}, auth="basic")
    assert result["failed"] and "reload" in result["msg"] and "plugins-of-doom" in result["msg"]
