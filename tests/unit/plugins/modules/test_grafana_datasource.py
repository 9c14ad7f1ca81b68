# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_datasource: uid stability, partial management, write-only secrets and secure_update."""

from __future__ import annotations

import json

PASSWORD = "ds-pa55word-never-shown"
BASE = {"uid": "loki", "name": "Loki", "type": "loki", "datasource_url": "http://loki:3100"}


def stored(grafana, uid="loki"):
    return grafana.fake.org(1).datasources[uid]


def test_secrets_on_create_then_presence(grafana):
    args = dict(BASE, basic_auth=True, basic_auth_user="grafana", secure_json_data={"basicAuthPassword": PASSWORD})
    first = grafana.run("grafana_datasource", args, diff=True)
    assert first["changed"] and first["secrets"] == {"compared": "presence", "policy": "on_create", "sent": True}
    assert stored(grafana)["secure"] == {"basicAuthPassword": PASSWORD}
    assert first["diff"]["after"]["secureJsonData"] == {"basicAuthPassword": "[REDACTED:changed]"}
    assert PASSWORD not in json.dumps(first)
    mark = grafana.mark()
    again = grafana.run("grafana_datasource", dict(args, secure_json_data={"basicAuthPassword": "rotated"}))
    assert not again["changed"] and again["secrets"]["sent"] is False and grafana.writes(mark) == []
    # a new secret key is a difference (presence differs)
    more = grafana.run("grafana_datasource", dict(args, secure_json_data={"basicAuthPassword": PASSWORD, "httpHeaderValue1": "header-secret"}),
                       diff=True)
    assert more["changed"] and more["secrets"]["sent"] is True
    assert more["diff"]["before"]["secureJsonData"] == {"basicAuthPassword": "[REDACTED]"}
    assert more["diff"]["after"]["secureJsonData"] == {"basicAuthPassword": "[REDACTED]", "httpHeaderValue1": "[REDACTED:changed]"}


def test_secure_update_always_is_honestly_changed(grafana):
    args = dict(BASE, secure_json_data={"basicAuthPassword": PASSWORD}, secure_update="always")
    grafana.run("grafana_datasource", args)
    for attempt in (1, 2):
        mark = grafana.mark()
        result = grafana.run("grafana_datasource", dict(args, secure_json_data={"basicAuthPassword": "new-one"}))
        assert result["changed"] and result["secrets"] == {"compared": "presence", "policy": "always", "sent": True}
        assert [r["method"] for r in grafana.writes(mark)] == ["PUT"], attempt
    assert stored(grafana)["secure"]["basicAuthPassword"] == "new-one"
    check = grafana.run("grafana_datasource", args, check=True)
    assert check["changed"] and check["secrets"]["sent"] is True  # would be sent


def test_partial_management_and_uid_stable_rename(grafana):
    grafana.run("grafana_datasource", dict(BASE, json_data={"maxLines": 1000}, is_default=True))
    version = stored(grafana)["version"]
    # options not given are not compared; a rename keeps the uid
    renamed = grafana.run("grafana_datasource", {"uid": "loki", "name": "Logs", "type": "loki"})
    assert renamed["changed"] and stored(grafana)["name"] == "Logs"
    assert stored(grafana)["jsonData"] == {"maxLines": 1000} and stored(grafana)["url"] == "http://loki:3100"
    put = [r for r in grafana.fake.requests if r["method"] == "PUT"][-1]["body"]
    assert put["version"] == version and put["uid"] == "loki" and "secureJsonFields" not in put
    assert not grafana.run("grafana_datasource", {"uid": "loki", "name": "Logs", "type": "loki"})["changed"]
    changed = grafana.run("grafana_datasource", {"uid": "loki", "name": "Logs", "type": "loki", "json_data": {"maxLines": 5000}})
    assert changed["changed"] and stored(grafana)["jsonData"] == {"maxLines": 5000}


def test_conflicts_and_read_only_are_clean_failures(grafana):
    grafana.run("grafana_datasource", BASE)
    clash = grafana.run("grafana_datasource", dict(BASE, uid="other"))
    assert clash["failed"] and "HTTP 409 (conflict)" in clash["msg"]
    assert "data source with the same name already exists" in clash["msg"] and "data source 'other' could not be created" in clash["msg"]
    stored(grafana)["readOnly"] = True
    locked = grafana.run("grafana_datasource", dict(BASE, datasource_url="http://elsewhere"))
    assert locked["failed"] and "HTTP 403" in locked["msg"] and "Cannot update read-only data source" in locked["msg"]


def test_first_datasource_becomes_default(grafana):
    grafana.run("grafana_datasource", BASE)
    grafana.run("grafana_datasource", dict(BASE, uid="prom", name="Prometheus", type="prometheus", is_default=True))
    assert stored(grafana, "prom")["isDefault"] and not stored(grafana)["isDefault"]
    assert not grafana.run("grafana_datasource", BASE)["changed"]  # is_default unmanaged
