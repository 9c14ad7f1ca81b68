# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests our modules send and answers the double gives, against Grafana's OpenAPI spec.

Every test that uses the ``fake_grafana`` fixture is validated when it ends (conftest). This
file proves the checker bites, and runs a tour through every operation the modules use so that
none of them can drift from the spec unnoticed.
"""

from __future__ import annotations

import openapi_check
import pytest

if openapi_check.missing():
    pytest.skip(openapi_check.missing(), allow_module_level=True)
SPEC = openapi_check.spec()


def entry(method, path, body=None, status=200, response=None):
    return {"method": method, "path": path, "route": path.partition("?")[0], "body": body, "status": status,
            "response": response}


@pytest.mark.parametrize("exchange,fragment", [
    (entry("POST", "/api/folders", {"title": 5}), "request body: 5 is not of type 'string'"),
    (entry("GET", "/api/datasources/uid/x", response={"id": "one"}), "response 200: 'one' is not of type 'integer'"),
    (entry("GET", "/api/folders?colour=red", response=[]), "query parameter 'colour' is not declared"),
    (entry("GET", "/api/nothing/here"), "no such operation"),
    (entry("POST", "/api/v1/provisioning/alert-rules", {"title": "x"}, 201, {}), "'folderUID' is a required property"),
    (entry("GET", "/api/dashboards/uid/x", status=404, response=["not", "an", "error"]), "response 404"),
    (entry("PUT", "/api/v1/provisioning/contact-points/x", {"type": "slack", "settings": {}}, 404, {"no": "message"}),
     "none of Grafana's error shapes"),
    (entry("DELETE", "/api/v1/provisioning/alert-rules/x", status=200, response={}), "success status 200 is not declared"),
])
def test_the_checker_bites(exchange, fragment):
    problems = SPEC.check(exchange)
    assert any(fragment in p for p in problems), problems


def test_documented_exceptions_only():
    assert all(isinstance(v, str) and len(v) > 40 for v in openapi_check.KNOWN_GAPS.values())
    # dashboards answer `slug`, not the `title` the spec requires
    ok = entry("POST", "/api/dashboards/db", {"dashboard": {}}, 200,
               {"status": "success", "slug": "s", "version": 1, "id": 1, "uid": "u", "url": "/d/u/s"})
    assert SPEC.check(ok) == []
    assert SPEC.check(entry("GET", "/api/health", status=503, response={"database": "failing"})) == []
    assert SPEC.check(entry("GET", "/api/v1/provisioning/alert-rules/x", status=404, response=None)) == []


RULE = {"uid": "r", "title": "R", "folder_uid": "f", "rule_group": "g", "condition": "A", "group_interval": "2m",
        "data": [{"refId": "A", "datasourceUid": "__expr__", "model": {"type": "math", "expression": "1"}}]}

TOUR = [
    ("grafana_folder", {"uid": "f", "title": "F"}, {"title": "F2", "parent_uid": "p"}),
    ("grafana_dashboard", {"uid": "d", "dashboard": {"title": "D"}, "folder_path": ["P", "Q"]},
     {"folder_path": ["Parent", "F2"], "create_folders": False}),
    ("grafana_datasource", {"uid": "ds", "name": "DS", "type": "loki", "secure_json_data": {"password": "secret-x"}},
     {"json_data": {"maxLines": 5}}),
    ("grafana_contact_point", {"uid": "cp", "name": "ops", "type": "slack", "settings": {"url": "https://hook-secret"}},
     {"settings": {"url": "https://hook-secret", "recipient": "#r"}}),
    ("grafana_mute_timing", {"name": "w", "time_intervals": [{"weekdays": ["saturday"]}]}, {"time_intervals": []}),
    ("grafana_notification_policy", {"receiver": "ops", "routes": [{"object_matchers": [["a", "=", "b"]]}]},
     {"group_wait": "1m"}),
    ("grafana_alert_rule", RULE, {"title": "R2", "group_interval": "3m"}),
]

# (method, spec path) of every operation the modules use
EXPECTED = {
    ("GET", "/folders"), ("GET", "/folders/{folder_uid}"), ("POST", "/folders"), ("PUT", "/folders/{folder_uid}"),
    ("POST", "/folders/{folder_uid}/move"), ("DELETE", "/folders/{folder_uid}"),
    ("GET", "/dashboards/uid/{uid}"), ("POST", "/dashboards/db"), ("DELETE", "/dashboards/uid/{uid}"),
    ("GET", "/datasources/uid/{uid}"), ("POST", "/datasources"), ("PUT", "/datasources/uid/{uid}"),
    ("DELETE", "/datasources/uid/{uid}"),
    ("GET", "/v1/provisioning/contact-points"), ("GET", "/v1/provisioning/contact-points/export"),
    ("POST", "/v1/provisioning/contact-points"), ("PUT", "/v1/provisioning/contact-points/{UID}"),
    ("DELETE", "/v1/provisioning/contact-points/{UID}"),
    ("GET", "/v1/provisioning/mute-timings/{name}"), ("POST", "/v1/provisioning/mute-timings"),
    ("PUT", "/v1/provisioning/mute-timings/{name}"), ("DELETE", "/v1/provisioning/mute-timings/{name}"),
    ("GET", "/v1/provisioning/policies"), ("PUT", "/v1/provisioning/policies"), ("DELETE", "/v1/provisioning/policies"),
    ("GET", "/v1/provisioning/alert-rules/{UID}"), ("POST", "/v1/provisioning/alert-rules"),
    ("PUT", "/v1/provisioning/alert-rules/{UID}"), ("DELETE", "/v1/provisioning/alert-rules/{UID}"),
    ("GET", "/v1/provisioning/folder/{FolderUID}/rule-groups/{Group}"),
    ("PUT", "/v1/provisioning/folder/{FolderUID}/rule-groups/{Group}"), ("GET", "/org"),
}


def test_tour_of_every_operation_the_modules_use(grafana):
    grafana.run("grafana_folder", {"uid": "p", "title": "Parent"})
    for module, create, change in TOUR:
        for args in (create, dict(create, **change)):
            result = grafana.run(module, args)
            assert result.get("changed") and not result.get("failed"), (module, result)
    for module, create, change in reversed(TOUR):
        absent = {"state": "absent"} if module == "grafana_notification_policy" else dict(create, state="absent")
        result = grafana.run(module, absent)
        assert result["changed"] and not result.get("failed"), (module, result)
    used = set()
    for exchange in grafana.fake.requests:
        template = SPEC.operation(exchange["method"], exchange["route"])[0]
        used.add((exchange["method"], template))
        assert SPEC.check(exchange) == [], exchange["path"]
    assert EXPECTED <= used, sorted(EXPECTED - used)
