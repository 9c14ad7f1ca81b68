# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_alert_rule: normalised durations and models, group interval, partial management, errors."""

from __future__ import annotations

import pytest

DATA = [
    {"refId": "A", "datasourceUid": "prometheus", "relativeTimeRange": {"from": "10m", "to": 0},
     "model": {"expr": 'up{job="node"}', "instant": True}},
    {"refId": "B", "datasourceUid": "__expr__", "model": {"type": "reduce", "expression": "A", "reducer": "last"}},
    {"refId": "C", "datasourceUid": "__expr__", "model": {"type": "threshold", "expression": "B",
                                                          "conditions": [{"evaluator": {"type": "lt", "params": [1]}}]}},
]
RULE = {"uid": "node-down", "title": "Node down", "folder_uid": "platform", "rule_group": "availability",
        "condition": "C", "data": DATA, "pending_period": "300s", "labels": {"severity": "critical"},
        "annotations": {"summary": "{{ $labels.instance }} is down"}}


@pytest.fixture
def folder(grafana):
    grafana.run("grafana_folder", {"uid": "platform", "title": "Platform"})
    return grafana


def stored(grafana, uid="node-down"):
    return grafana.fake.org(1).rules[uid]


def test_server_normalisation_does_not_cause_changes(folder):
    first = folder.run("grafana_alert_rule", RULE)
    assert first["changed"]
    rule = stored(folder)
    assert rule["for"] == "5m" and rule["data"][0]["relativeTimeRange"] == {"from": 600, "to": 0}
    assert rule["data"][1]["model"]["intervalMs"] == 1000 and rule["data"][1]["model"]["maxDataPoints"] == 43200
    mark = folder.mark()
    assert not folder.run("grafana_alert_rule", dict(RULE, pending_period="5m"))["changed"]
    assert folder.writes(mark) == []
    post = [r for r in folder.fake.requests if r["method"] == "POST" and r["route"].endswith("/alert-rules")][0]
    assert post["body"]["orgID"] == 1 and post["body"]["for"] == "5m"


def test_group_interval(folder):
    created = folder.run("grafana_alert_rule", dict(RULE, group_interval="2m"))
    assert created["changed"] and folder.fake.org(1).group_intervals[("platform", "availability")] == 120
    mark = folder.mark()
    assert not folder.run("grafana_alert_rule", dict(RULE, group_interval="120s"))["changed"]
    changed = folder.run("grafana_alert_rule", dict(RULE, group_interval="1m"), diff=True)
    assert changed["changed"] and changed["diff"]["before"]["group_interval"] == 120
    writes = folder.writes(mark)
    assert [(w["method"], w["route"]) for w in writes] == [("PUT", "/api/v1/provisioning/folder/platform/rule-groups/availability")]
    assert writes[0]["body"]["interval"] == 60 and [r["uid"] for r in writes[0]["body"]["rules"]] == ["node-down"]
    bad = folder.run("grafana_alert_rule", dict(RULE, group_interval="15s"))
    assert bad["failed"] and "multiple of 10s" in bad["msg"]


def test_partial_management(folder):
    folder.run("grafana_alert_rule", RULE)
    loose = {k: v for k, v in RULE.items() if k not in ("pending_period", "labels", "annotations")}
    assert not folder.run("grafana_alert_rule", loose)["changed"]
    relabel = folder.run("grafana_alert_rule", dict(loose, labels={"severity": "warning"}))
    assert relabel["changed"] and stored(folder)["labels"] == {"severity": "warning"}
    assert stored(folder)["for"] == "5m" and stored(folder)["annotations"]  # kept
    paused = folder.run("grafana_alert_rule", dict(loose, is_paused=True))
    assert paused["changed"] and stored(folder)["isPaused"] is True


def test_move_to_another_group(folder):
    folder.run("grafana_alert_rule", RULE)
    moved = folder.run("grafana_alert_rule", dict(RULE, rule_group="critical"))
    assert moved["changed"] and stored(folder)["ruleGroup"] == "critical"
    assert ("platform", "availability") not in folder.fake.org(1).group_intervals


def test_provenance_header_on_every_write(folder):
    args = dict(RULE, disable_provenance=True, group_interval="2m")
    folder.run("grafana_alert_rule", args)
    folder.run("grafana_alert_rule", dict(args, title="Node is down"))
    folder.run("grafana_alert_rule", dict(args, state="absent"))
    writes = [w for w in folder.writes() if "/v1/provisioning/" in w["route"]]
    assert {w["method"] for w in writes} == {"POST", "PUT", "DELETE"}
    assert all("X-Disable-Provenance" in w["headers"] for w in writes)


@pytest.mark.parametrize("args,message", [
    ({"condition": "Z"}, "condition 'Z' is not the refId of any query"),
    ({"data": []}, "data must hold at least one query"),
    ({"data": [{"datasourceUid": "x"}]}, "data[0] must be a dict with a refId"),
    ({"pending_period": "five minutes"}, "pending_period must be a duration"),
    ({"uid": "x" * 41}, "at most 40"),
    ({"folder_uid": "bad uid"}, "folder_uid 'bad uid' contains characters"),
])
def test_bad_input(folder, args, message):
    mark = folder.mark()
    result = folder.run("grafana_alert_rule", dict(RULE, **args))
    assert result["failed"] and message in result["msg"] and folder.writes(mark) == []


def test_grafana_refusals(folder):
    nowhere = folder.run("grafana_alert_rule", dict(RULE, folder_uid="nowhere"))
    assert nowhere["failed"] and "HTTP 400" in nowhere["msg"] and "folder does not exist" in nowhere["msg"]
    folder.run("grafana_alert_rule", RULE)
    folder.fake.inject("PUT", r"/alert-rules/node-down$", 404, None)
    gone = folder.run("grafana_alert_rule", dict(RULE, title="Renamed"))
    assert gone["failed"] and "HTTP 404 (not found)" in gone["msg"] and "alert rule 'node-down' could not be updated" in gone["msg"]


# Grafana's AlertQuery.PreSave: a queryType in the model is copied onto the query; intervalMs and
# maxDataPoints that are missing, not numbers or 0 are replaced by the defaults.
LOKI = [{"refId": "A", "datasourceUid": "loki", "relativeTimeRange": {"from": 600, "to": 0},
         "model": {"expr": 'count_over_time({job="x"}[5m])', "queryType": "range", "maxDataPoints": 0, "intervalMs": "15s"}},
        {"refId": "B", "datasourceUid": "__expr__", "queryType": "", "model": {"type": "reduce", "expression": "A", "reducer": "last"}}]
ROUTED = dict(RULE, condition="B", data=LOKI, notification_settings={
    "receiver": "grafana-default-email", "group_by": ["alertname", "grafana_folder"], "group_wait": "60s",
    "repeat_interval": "240m", "mute_time_intervals": []})


def test_what_grafana_rewrites_on_a_rule_is_not_a_change(folder):
    assert folder.run("grafana_alert_rule", ROUTED)["changed"]
    rule = stored(folder)
    assert rule["data"][0]["queryType"] == "range" and rule["data"][0]["model"]["queryType"] == "range"
    assert rule["data"][0]["model"]["maxDataPoints"] == 43200 and rule["data"][0]["model"]["intervalMs"] == 1000
    assert rule["notification_settings"] == {"receiver": "grafana-default-email", "group_by": ["alertname", "grafana_folder"],
                                             "group_wait": "1m", "repeat_interval": "4h"}
    mark = folder.mark()
    again = folder.run("grafana_alert_rule", ROUTED, diff=True)
    assert not again["changed"], again["diff"]
    assert not folder.run("grafana_alert_rule", ROUTED, check=True)["changed"]
    assert folder.writes(mark) == []
    # a real difference is still one
    retyped = [dict(LOKI[0], model=dict(LOKI[0]["model"], queryType="instant")), LOKI[1]]
    changed = folder.run("grafana_alert_rule", dict(ROUTED, data=retyped), diff=True)
    assert changed["changed"] and changed["diff"]["after"]["data"][0]["queryType"] == "instant"
    assert stored(folder)["data"][0]["queryType"] == "instant"


def test_a_query_type_grafana_refuses_fails_in_check_mode_too(folder):
    bad = [dict(LOKI[0], model=dict(LOKI[0]["model"], queryType=3)), LOKI[1]]
    mark = folder.mark()
    for check in (True, False):
        result = folder.run("grafana_alert_rule", dict(ROUTED, data=bad), check=check)
        assert result["failed"] and result["msg"] == "alert rule 'node-down': data[0].model.queryType must be a string, got 3 (Grafana refuses it)"
    assert folder.writes(mark) == []
