# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_mute_timing: normalisation, optimistic version, used-by-policy delete, argument validation."""

from __future__ import annotations

import pytest

NIGHTS = {"name": "nights", "time_intervals": [
    {"times": [{"start_time": "00:00", "end_time": "06:00"}], "weekdays": ["Monday:Friday", "Sunday:sunday"],
     "months": ["January:March"], "location": "Europe/Berlin"}]}


def test_normalised_comparison(grafana):
    assert grafana.run("grafana_mute_timing", NIGHTS)["changed"]
    mark = grafana.mark()
    respelled = {"name": "nights", "time_intervals": [
        {"times": [{"start_time": "00:00", "end_time": "06:00"}], "weekdays": ["monday:friday", "sunday"],
         "months": ["january:march"], "location": "Europe/Berlin", "years": []}]}
    assert not grafana.run("grafana_mute_timing", respelled)["changed"]
    assert grafana.writes(mark) == []


def test_update_sends_the_current_version(grafana):
    grafana.run("grafana_mute_timing", NIGHTS)
    version = grafana.fake.org(1).mute_timings["nights"]["version"]
    result = grafana.run("grafana_mute_timing", {"name": "nights", "time_intervals": [{"weekdays": ["saturday"]}]}, diff=True)
    assert result["changed"] and result["diff"]["after"]["time_intervals"] == [{"weekdays": ["saturday"]}]
    put = grafana.writes()[-1]
    assert put["method"] == "PUT" and put["body"]["version"] == version
    grafana.fake.inject("PUT", r"/mute-timings/nights$", 409, {"statusCode": 409, "messageId": "alerting.notifications.conflict",
                                                               "message": "provided version does not match current version"})
    conflict = grafana.run("grafana_mute_timing", NIGHTS)
    assert conflict["failed"] and "HTTP 409" in conflict["msg"] and "does not match current version" in conflict["msg"]


def test_used_by_a_policy_cannot_be_deleted(grafana):
    grafana.run("grafana_mute_timing", NIGHTS)
    grafana.run("grafana_notification_policy", {"receiver": "grafana-default-email",
                                                "routes": [{"object_matchers": [["a", "=", "b"]], "mute_time_intervals": ["nights"]}]})
    result = grafana.run("grafana_mute_timing", {"name": "nights", "state": "absent"})
    assert result["failed"] and "HTTP 409" in result["msg"] and "used by one or many notification policies" in result["msg"]
    grafana.run("grafana_notification_policy", {"state": "absent"})
    gone = grafana.run("grafana_mute_timing", {"name": "nights", "state": "absent"})
    assert gone["changed"] and "version=" in grafana.writes()[-1]["path"]


@pytest.mark.parametrize("intervals,message", [
    ([{"times": [{"start_time": "00:00"}]}], "missing required arguments: end_time"),
    ([{"weekdays": "monday"}], None),
    ([{"times": [{"start_time": "25:00", "end_time": "26:00"}]}], "HTTP 400"),
    ([{"weekdays": ["someday"]}], "bad weekdays value 'someday'"),
])
def test_bad_input(grafana, intervals, message):
    result = grafana.run("grafana_mute_timing", {"name": "bad", "time_intervals": intervals})
    if message is None:  # a string where a list is expected is split by Ansible, like any list option
        assert result["changed"]
        return
    assert result["failed"] and message in result["msg"]
