# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_mute_timing: normalisation, optimistic version, used-by-policy delete, argument validation."""

from __future__ import annotations

import pytest
from grafana_modules import ADMIN_TOKEN

from ansible_collections.vigil.observability.plugins.module_utils._client import GrafanaClient
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ValidationError
from ansible_collections.vigil.observability.plugins.modules import grafana_mute_timing as mute_timing

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


SPELLINGS = {"name": "quarters", "time_intervals": [
    {"weekdays": ["Monday:FRIDAY", "saturday:saturday"], "months": ["January:March", "december", "07:08", "may:5"],
     "days_of_month": ["01:07", "-1:-1", "+15"], "years": ["2030:2030", "2031:2032"],
     "times": [{"start_time": "00:00", "end_time": "24:00"}], "location": "Europe/Berlin"}]}
# What Grafana answers for SPELLINGS (alertmanager's timeinterval parses and marshals every range).
STORED = [{"weekdays": ["monday:friday", "saturday"], "months": ["1:3", "12", "7:8", "5"],
           "days_of_month": ["1:7", "-1", "15"], "years": ["2030", "2031:2032"],
           "times": [{"start_time": "00:00", "end_time": "24:00"}], "location": "Europe/Berlin"}]


def test_grafana_rewrites_names_to_numbers_and_a_rerun_is_a_noop(grafana):
    first = grafana.run("grafana_mute_timing", SPELLINGS)
    assert first["changed"] and first["action"] == "create"
    assert grafana.fake.org(1).mute_timings["quarters"]["time_intervals"] == STORED
    mark = grafana.mark()
    again = grafana.run("grafana_mute_timing", SPELLINGS, diff=True)
    assert not again["changed"] and again["mute_timing"]["time_intervals"] == STORED
    assert not grafana.run("grafana_mute_timing", SPELLINGS, check=True)["changed"]
    # the stored spelling is the same mute timing too
    assert not grafana.run("grafana_mute_timing", {"name": "quarters", "time_intervals": STORED})["changed"]
    assert grafana.writes(mark) == []
    moved = grafana.run("grafana_mute_timing", {"name": "quarters", "time_intervals": [dict(STORED[0], months=["april:june"])]})
    assert moved["changed"] and grafana.fake.org(1).mute_timings["quarters"]["time_intervals"][0]["months"] == ["4:6"]


@pytest.mark.parametrize("interval,message", [
    ({"weekdays": ["someday"]}, "bad weekdays value 'someday'"),
    ({"weekdays": ["1"]}, "bad weekdays value '1'"),
    ({"weekdays": ["friday:monday"]}, "bad weekdays value 'friday:monday'"),
    ({"months": ["march:january"]}, "bad months value 'march:january'"),
    ({"months": ["13"]}, "bad months value '13'"),
    ({"months": ["janvier"]}, "bad months value 'janvier'"),
    ({"days_of_month": ["0"]}, "bad days_of_month value '0'"),
    ({"days_of_month": ["-3:5"]}, "bad days_of_month value '-3:5'"),
    ({"days_of_month": ["1:2:3"]}, "bad days_of_month value '1:2:3'"),
    ({"years": ["2031:2030"]}, "bad years value '2031:2030'"),
    ({"times": [{"start_time": "7:00", "end_time": "08:00"}]}, "bad start_time '7:00'"),
    ({"times": [{"start_time": "08:00", "end_time": "08:00"}]}, "start_time 08:00 is not before end_time 08:00"),
])
def test_what_grafana_refuses_fails_in_check_mode_too(grafana, interval, message):
    args = {"name": "bad", "time_intervals": [interval]}
    mark = grafana.mark()
    for check in (True, False):
        result = grafana.run("grafana_mute_timing", args, check=check)
        assert result["failed"] and message in result["msg"], result
        assert result["msg"].startswith("mute timing 'bad': time_intervals[0]: ") and "\n" not in result["msg"]
    assert grafana.writes(mark) == []


@pytest.mark.invalid_request("the module's own check is bypassed to show the double refuses the same input")
@pytest.mark.parametrize("interval", [{"months": ["march:january"]}, {"weekdays": ["1"]}, {"days_of_month": ["0"]},
                                      {"times": [{"start_time": "08:00", "end_time": "07:00"}]}])
def test_the_double_refuses_what_the_module_refuses(grafana, interval):
    with pytest.raises(ValidationError):
        mute_timing.canonical_intervals([interval])
    client = GrafanaClient(grafana.fake.url, token=ADMIN_TOKEN)
    with pytest.raises(ApiError) as err:
        client.post("/api/v1/provisioning/mute-timings", {"name": "x", "time_intervals": [interval]})
    assert err.value.status == 400 and "invalid time interval" in err.value.server_message


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
    ([{"times": [{"start_time": "25:00", "end_time": "26:00"}]}], "bad start_time '25:00'"),
    ([{"weekdays": ["someday"]}], "bad weekdays value 'someday'"),
])
def test_bad_input(grafana, intervals, message):
    result = grafana.run("grafana_mute_timing", {"name": "bad", "time_intervals": intervals})
    if message is None:  # a string where a list is expected is split by Ansible, like any list option
        assert result["changed"]
        return
    assert result["failed"] and message in result["msg"]
