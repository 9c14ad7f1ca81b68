# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guarantees every grafana_* module gives, checked module by module against the double.

create -> changed; re-run -> not changed and no write request; check mode -> changed with no
mutating request; diff shape with secrets masked; absent semantics; error mapping (401, 403,
404, 409, 412, 500, unreachable) -> failed with a clean message.
"""

from __future__ import annotations

import json
import socket

import pytest

SECRET = "s3cr3t-Value-that-must-never-show"


def _folder(grafana):
    assert grafana.run("grafana_folder", {"uid": "rules", "title": "Rules"})["changed"]


def _receiver(grafana):
    assert grafana.run("grafana_contact_point", {"uid": "ops-mail", "name": "ops", "type": "email",
                                                 "settings": {"addresses": "ops@example.com"}})["changed"]
    assert grafana.run("grafana_mute_timing", {"name": "weekends", "time_intervals": [{"weekdays": ["saturday", "sunday"]}]})["changed"]


RULE_DATA = [
    {"refId": "A", "datasourceUid": "prometheus", "relativeTimeRange": {"from": 600, "to": 0},
     "model": {"expr": "up == 0", "instant": True}},
    {"refId": "B", "datasourceUid": "__expr__", "model": {"type": "threshold", "expression": "A",
                                                          "conditions": [{"evaluator": {"type": "gt", "params": [0]}}]}},
]

# module -> (result key, setup, create args, changed args, absent args, (method, path regex) of the first write)
CASES = {
    "grafana_folder": ("folder", None, {"uid": "ops", "title": "Ops"}, {"title": "Operations"}, {"uid": "ops"},
                       ("POST", r"^/api/folders$")),
    "grafana_dashboard": ("dashboard", None, {"uid": "d1", "dashboard": {"title": "Service", "panels": [], "refresh": "1m"}},
                          {"dashboard": {"title": "Service", "panels": [{"type": "text", "id": 1}], "refresh": "1m"}},
                          {"uid": "d1"}, ("POST", r"^/api/dashboards/db$")),
    "grafana_datasource": ("datasource", None, {"uid": "prom", "name": "Prometheus", "type": "prometheus",
                                                "datasource_url": "http://prometheus:9090", "basic_auth": True,
                                                "basic_auth_user": "grafana",
                                                "secure_json_data": {"basicAuthPassword": SECRET}},
                           {"datasource_url": "http://prometheus-2:9090"}, {"uid": "prom"}, ("POST", r"^/api/datasources$")),
    "grafana_contact_point": ("contact_point", None, {"uid": "ops-slack", "name": "ops", "type": "slack",
                                                      "settings": {"recipient": "#ops", "url": "https://hooks.example/" + SECRET}},
                              {"settings": {"recipient": "#ops-2", "url": "https://hooks.example/" + SECRET}},
                              {"uid": "ops-slack"}, ("POST", r"^/api/v1/provisioning/contact-points$")),
    "grafana_notification_policy": ("policy", _receiver, {"receiver": "ops", "group_by": ["alertname"],
                                                          "routes": [{"receiver": "ops", "object_matchers": [["team", "=", "db"]],
                                                                      "mute_time_intervals": ["weekends"]}]},
                                    {"repeat_interval": "12h"}, {}, ("PUT", r"^/api/v1/provisioning/policies$")),
    "grafana_alert_rule": ("alert_rule", _folder, {"uid": "node-down", "title": "Node down", "folder_uid": "rules",
                                                   "rule_group": "availability", "condition": "B", "data": RULE_DATA,
                                                   "pending_period": "5m", "labels": {"severity": "critical"}},
                           {"pending_period": "10m"}, {"uid": "node-down"}, ("POST", r"^/api/v1/provisioning/alert-rules$")),
    "grafana_mute_timing": ("mute_timing", None,
                            {"name": "nights", "time_intervals": [{"times": [{"start_time": "00:00", "end_time": "06:00"}],
                                                                   "weekdays": ["monday:friday"]}]},
                            {"time_intervals": [{"times": [{"start_time": "00:00", "end_time": "07:00"}]}]},
                            {"name": "nights"}, ("POST", r"^/api/v1/provisioning/mute-timings$")),
}
MODULES = sorted(CASES)


class Case(object):
    """One module's inputs, prerequisites already created."""

    def __init__(self, grafana, module):
        self.key, setup, self.create, change, absent, self.write = CASES[module]
        if setup:
            setup(grafana)
        self.change = dict(self.create, **change)
        self.absent = dict(absent, state="absent")


def unmark(view):
    """A view with 'will be set' secret markers read as 'set'."""
    return json.loads(json.dumps(view).replace("[REDACTED:changed]", "[REDACTED]"))


def no_secret(result):
    text = json.dumps(result)
    assert SECRET not in text, "a secret leaked into the result"
    return result


@pytest.mark.parametrize("module", MODULES)
def test_create_then_rerun_sends_no_write(grafana, module):
    c = Case(grafana, module)
    key, create = c.key, c.create
    first = no_secret(grafana.run(module, create))
    assert first["changed"] and first["action"] in ("create", "update"), first
    assert first[key]
    mark = grafana.mark()
    second = no_secret(grafana.run(module, create))
    assert not second["changed"], second
    assert second["action"] is None
    assert grafana.writes(mark) == []
    assert second[key] == first[key] or module in ("grafana_dashboard",)


@pytest.mark.parametrize("module", MODULES)
def test_check_mode_predicts_without_writing(grafana, module):
    c = Case(grafana, module)
    create, change = c.create, c.change
    mark = grafana.mark()
    predicted = no_secret(grafana.run(module, create, check=True))
    assert predicted["changed"] and grafana.writes(mark) == []
    real = grafana.run(module, create)
    assert real["changed"] and real["action"] == predicted["action"]
    mark = grafana.mark()
    predicted = no_secret(grafana.run(module, change, check=True))
    assert predicted["changed"] and predicted["action"] == "update" and grafana.writes(mark) == []
    assert grafana.run(module, change)["changed"]
    mark = grafana.mark()
    assert not grafana.run(module, change, check=True)["changed"]
    assert not grafana.run(module, change)["changed"]
    assert grafana.writes(mark) == []


@pytest.mark.parametrize("module", MODULES)
def test_diff_shows_the_compared_values_with_secrets_masked(grafana, module):
    c = Case(grafana, module)
    create, change = c.create, c.change
    created = no_secret(grafana.run(module, create, diff=True))
    diff = created["diff"]
    assert set(diff) >= {"before", "after"}
    if module == "grafana_notification_policy":
        assert diff["before"] and diff["before"] != diff["after"]  # the tree always exists
    else:
        assert diff["before"] == {} and diff["after"]
    updated = no_secret(grafana.run(module, change, diff=True))
    assert updated["diff"]["before"] != updated["diff"]["after"]
    assert unmark(updated["diff"]["before"]) == unmark(created["diff"]["after"])
    same = no_secret(grafana.run(module, change, diff=True))
    assert same["diff"]["before"] == same["diff"]["after"] or module == "grafana_dashboard"
    assert "provenance" not in json.dumps(updated["diff"])
    assert "diff" not in grafana.run(module, change, diff=False)


@pytest.mark.parametrize("module", MODULES)
def test_absent(grafana, module):
    c = Case(grafana, module)
    create, absent = c.create, c.absent
    grafana.run(module, create)
    mark = grafana.mark()
    assert grafana.run(module, absent, check=True)["changed"]
    assert grafana.writes(mark) == []
    gone = grafana.run(module, absent)
    assert gone["changed"] and gone["action"] in ("delete", "reset"), gone
    mark = grafana.mark()
    again = grafana.run(module, absent)
    assert not again["changed"], again
    assert not grafana.run(module, absent, check=True)["changed"]
    assert grafana.writes(mark) == []


def failed(result, *fragments):
    assert result.get("failed"), result
    for fragment in fragments:
        assert fragment in result["msg"], (fragment, result["msg"])
    assert "Traceback" not in result["msg"] and "exception" not in result
    return result


@pytest.mark.parametrize("module", MODULES)
def test_wrong_credentials(grafana, module):
    create = Case(grafana, module).create
    result = grafana.run(module, dict(create, token="glsa_not_a_real_token"))
    failed(result, "HTTP 401", "wrong or missing credentials", "Grafana says: Invalid API key")
    result = grafana.run(module, dict(create, username="admin", password="wrong"), auth="none")
    failed(result, "HTTP 401", "Invalid username or password")


@pytest.mark.parametrize("module", MODULES)
def test_missing_permission(grafana, module):
    create = Case(grafana, module).create
    failed(grafana.run(module, create, auth="viewer"), "HTTP 403", "permission denied")


@pytest.mark.parametrize("status,meaning,body", [
    (404, "not found", {"message": "injected: not found"}),
    (409, "conflict", {"statusCode": 409, "messageId": "injected.conflict", "message": "injected: conflict"}),
    (412, "version mismatch", {"status": "version-mismatch", "message": "injected: changed by someone else"}),
    (500, "internal server error", {"message": "injected: database is locked"}),
])
@pytest.mark.parametrize("module", MODULES)
def test_write_errors_fail_cleanly(grafana, module, status, meaning, body):
    c = Case(grafana, module)
    create, (method, path) = c.create, c.write
    grafana.fake.inject(method, path, status, body)
    result = failed(grafana.run(module, create), "HTTP %d (" % status, meaning, "Grafana says: injected:")
    assert result["status"] == status


def closed_port_url():
    """A loopback URL nobody listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = "http://127.0.0.1:%d" % sock.getsockname()[1]
    sock.close()
    return url


@pytest.mark.parametrize("module", MODULES)
def test_unreachable_server(grafana, module):
    create = Case(grafana, module).create
    url = closed_port_url()
    failed(grafana.run(module, dict(create, url=url)), "cannot reach %s" % url)


# Modules that act on the server instead of managing an object (no state, no diff): the same error
# mapping and the same check-mode guarantee. module -> arguments that reach an authenticated call.
ACTIONS = {
    "grafana_health": {"datasources": ["missing"], "datasource_failure": "warn", "wait_timeout": 0},
    "grafana_provisioning": {"reload": ["datasources"], "wait_timeout": 0},
}


@pytest.mark.parametrize("module", sorted(ACTIONS))
def test_action_check_mode_writes_nothing(grafana, module):
    args = ACTIONS[module]
    mark = grafana.mark()
    check = grafana.run(module, args, check=True, auth="basic")
    assert not check.get("failed") and grafana.writes(mark) == [], check
    real = grafana.run(module, args, auth="basic")
    assert not real.get("failed") and check["changed"] == real["changed"], real
    assert "diff" not in check and "diff" not in real


@pytest.mark.parametrize("module", sorted(ACTIONS))
def test_action_wrong_credentials(grafana, module):
    args = ACTIONS[module]
    failed(grafana.run(module, dict(args, token="glsa_not_a_real_token")), "HTTP 401", "wrong or missing credentials",
           "Grafana says: Invalid API key")
    failed(grafana.run(module, dict(args, username="admin", password="not-the-admin-pw"), auth="none"),
           "HTTP 401", "Invalid username or password")


@pytest.mark.parametrize("module", sorted(ACTIONS))
def test_action_unreachable_server(grafana, module):
    url = closed_port_url()
    result = failed(grafana.run(module, dict(ACTIONS[module], url=url)), "cannot reach %s" % url)
    # One line naming the server, after a single attempt (wait_timeout 0).
    assert result["msg"].startswith("Grafana at %s is not healthy after 1 attempt in 0 seconds: " % url), result["msg"]
