# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_dashboard: real dashboards, bulk directories, folders, inputs, server rewrites, bad input."""

from __future__ import annotations

import copy
import json

import pytest

NEF = "node-exporter-full.json"
MLTP = "mltp-metrics-logs-traces-export.json"
MLTP_INPUTS = {"DS_GRAFANACLOUD-EXAMPLE1-PROM": "prom", "DS_GRAFANACLOUD-EXAMPLE1-LOGS": "loki",
               "DS_GRAFANACLOUD-EXAMPLE1-TRACES": "tempo"}


def write(directory, name, data):
    path = directory / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


@pytest.fixture
def real_dir(tmp_path, real_dashboards):
    for name, data in real_dashboards.items():
        write(tmp_path, name, data)
    return tmp_path


def stored(grafana, uid):
    return grafana.fake.org(1).dashboards[uid]


def test_node_exporter_full_round_trip(grafana, tmp_path, real_dashboards):
    """version 102 in the file, stored as 1; a re-run is a no-op; a re-POST without overwrite would be 412."""
    path = write(tmp_path, NEF, real_dashboards[NEF])
    first = grafana.run("grafana_dashboard", {"path": path})
    assert first["changed"] and first["dashboard"]["action"] == "create"
    assert first["dashboard"]["version"] == 1 and stored(grafana, "rYdddlPWk")["version"] == 1
    mark = grafana.mark()
    second = grafana.run("grafana_dashboard", {"path": path})
    assert not second["changed"] and grafana.writes(mark) == []
    # the raw file would be refused by Grafana: 102 != 1 (what peers run into)
    body = {"dashboard": real_dashboards[NEF], "overwrite": False}
    from ansible_collections.vigil.observability.plugins.module_utils import _http
    raw = _http.request("POST", grafana.fake.url + "/api/dashboards/db", body=body,
                        headers={"Authorization": "Bearer glsa_admin_0123456789abcdef"})
    assert raw.status == 412 and raw.json()["status"] == "version-mismatch"
    # edited in the UI meanwhile: the module puts it back without a 412
    data = copy.deepcopy(stored(grafana, "rYdddlPWk")["data"])
    data["title"] = "Edited in the UI"
    grafana.fake.org(1).dashboards["rYdddlPWk"]["data"] = data
    grafana.fake.org(1).dashboards["rYdddlPWk"]["version"] = 7
    third = grafana.run("grafana_dashboard", {"path": path})
    assert third["changed"] and third["dashboard"]["version"] == 8
    assert stored(grafana, "rYdddlPWk")["data"]["title"] == "Node Exporter Full"


def test_bulk_directory_one_call(grafana, real_dir):
    first = grafana.run("grafana_dashboard", {"path": str(real_dir), "folder_path": ["Platform", "Linux"]})
    assert first["changed"]
    assert [d["uid"] for d in first["dashboards"]] == ["4VSk5Lank", "rYdddlPWk"]
    assert all(d["action"] == "create" for d in first["dashboards"])
    assert [f["title"] for f in first["folders_created"]] == ["Platform", "Linux"]
    assert first["applied"] == ["4VSk5Lank", "rYdddlPWk"]
    assert "dashboard" not in first
    folder = first["folder_uid"]
    assert stored(grafana, "rYdddlPWk")["folder_uid"] == folder
    mark = grafana.mark()
    second = grafana.run("grafana_dashboard", {"path": str(real_dir), "folder_path": ["Platform", "Linux"]}, diff=True)
    assert not second["changed"] and second["folders_created"] == [] and second["diff"] == []
    assert grafana.writes(mark) == []
    assert [d["action"] for d in second["dashboards"]] == [None, None]


def test_bulk_diff_lists_each_changed_dashboard(grafana, real_dir):
    result = grafana.run("grafana_dashboard", {"path": str(real_dir)}, diff=True)
    assert [d["before_header"].split()[0] for d in result["diff"]] == ["4VSk5Lank", "rYdddlPWk"]
    assert all(d["before"] == {} for d in result["diff"])


def test_check_mode_creates_no_folder(grafana, real_dir):
    mark = grafana.mark()
    result = grafana.run("grafana_dashboard", {"path": str(real_dir), "folder_path": ["New", "Sub"]}, check=True)
    assert result["changed"] and grafana.writes(mark) == []
    assert [f["uid"] for f in result["folders_created"]] == [None, None]
    assert result["dashboards"][0]["folder_uid"] == "(to be created: New/Sub)"
    assert grafana.fake.org(1).folders == {}


def test_existing_folder_path_is_reused_and_moves_are_detected(grafana, real_dashboards, tmp_path):
    grafana.run("grafana_folder", {"uid": "team", "title": "Team"})
    grafana.run("grafana_folder", {"uid": "team-db", "title": "DB", "parent_uid": "team"})
    path = write(tmp_path, MLTP, real_dashboards[MLTP])
    result = grafana.run("grafana_dashboard", {"path": path, "folder_path": ["Team", "DB"], "create_folders": False})
    assert result["changed"] and result["folder_uid"] == "team-db" and result["folders_created"] == []
    moved = grafana.run("grafana_dashboard", {"path": path, "folder_uid": "team"}, diff=True)
    assert moved["changed"] and moved["diff"]["before"]["folder_uid"] == "team-db" and moved["diff"]["after"]["folder_uid"] == "team"
    root = grafana.run("grafana_dashboard", {"path": path})
    assert root["changed"] and stored(grafana, "4VSk5Lank")["folder_uid"] == ""
    assert not grafana.run("grafana_dashboard", {"path": path})["changed"]


def test_server_rewrites_are_applied_before_comparing(grafana):
    dashboard = {"uid": "fast", "title": "  Fast refresh  ", "refresh": "1s", "id": 99, "version": 40, "panels": []}
    first = grafana.run("grafana_dashboard", {"dashboard": dashboard})
    assert first["changed"]
    data = stored(grafana, "fast")["data"]
    assert data["title"] == "Fast refresh" and data["refresh"] == "5s"
    mark = grafana.mark()
    assert not grafana.run("grafana_dashboard", {"dashboard": dashboard})["changed"]
    assert grafana.writes(mark) == []
    # "" and "auto" are left alone; a server with a higher minimum is followed with min_refresh_interval
    grafana.fake.state.min_refresh_interval = "1m"
    assert grafana.run("grafana_dashboard", {"dashboard": dict(dashboard, refresh="10s"), "min_refresh_interval": "1m"})["changed"]
    assert stored(grafana, "fast")["data"]["refresh"] == "1m"
    assert not grafana.run("grafana_dashboard", {"dashboard": dict(dashboard, refresh="10s"), "min_refresh_interval": "1m"})["changed"]
    assert grafana.run("grafana_dashboard", {"dashboard": dict(dashboard, refresh="auto")})["changed"]
    assert stored(grafana, "fast")["data"]["refresh"] == "auto"


def test_inputs_resolved_when_asked(grafana, real_dashboards, tmp_path):
    path = write(tmp_path, MLTP, real_dashboards[MLTP])
    verbatim = grafana.run("grafana_dashboard", {"path": path, "uid": "verbatim"})
    assert verbatim["changed"]
    assert "${DS_GRAFANACLOUD-EXAMPLE1-PROM}" in json.dumps(stored(grafana, "verbatim")["data"])
    resolved = grafana.run("grafana_dashboard", {"path": path, "inputs": MLTP_INPUTS})
    assert resolved["changed"]
    text = json.dumps(stored(grafana, "4VSk5Lank")["data"])
    assert "${DS_" not in text and '"uid": "prom"' in text and "__inputs" not in stored(grafana, "4VSk5Lank")["data"]
    assert "__requires" in stored(grafana, "4VSk5Lank")["data"]
    assert not grafana.run("grafana_dashboard", {"path": path, "inputs": MLTP_INPUTS})["changed"]
    missing = grafana.run("grafana_dashboard", {"path": path, "inputs": {"DS_GRAFANACLOUD-EXAMPLE1-PROM": "prom"}})
    assert missing["failed"]
    assert "needs values for its inputs DS_GRAFANACLOUD-EXAMPLE1-LOGS, DS_GRAFANACLOUD-EXAMPLE1-TRACES" in missing["msg"]


def test_commit_message_is_kept_in_history(grafana):
    grafana.run("grafana_dashboard", {"dashboard": {"uid": "m", "title": "M"}, "commit_message": "first by ansible"})
    grafana.run("grafana_dashboard", {"dashboard": {"uid": "m", "title": "M2"}, "commit_message": "second"})
    assert [v["message"] for v in grafana.fake.org(1).versions["m"]] == ["first by ansible", "second"]
    bodies = [r["body"] for r in grafana.fake.requests if r["route"] == "/api/dashboards/db"]
    assert all(b["overwrite"] is True and "folderUid" in b and "id" not in b["dashboard"] for b in bodies)
    assert all("version" not in b["dashboard"] for b in bodies)


def test_absent_by_uid_and_by_directory(grafana, real_dir):
    grafana.run("grafana_dashboard", {"path": str(real_dir)})
    by_uid = grafana.run("grafana_dashboard", {"uid": "rYdddlPWk", "state": "absent"})
    assert by_uid["changed"] and by_uid["dashboard"]["action"] == "delete"
    by_dir = grafana.run("grafana_dashboard", {"path": str(real_dir), "state": "absent"})
    assert by_dir["changed"] and [d["changed"] for d in by_dir["dashboards"]] == [True, False]
    assert grafana.fake.org(1).dashboards == {}


def test_bulk_failure_reports_what_was_applied(grafana, real_dir):
    write(real_dir, "zz-third.json", {"uid": "third", "title": "Third"})
    grafana.fake.inject("POST", r"^/api/dashboards/db$", 500, {"message": "database is locked"})
    result = grafana.run("grafana_dashboard", {"path": str(real_dir)})
    assert result["failed"] and result["applied"] == [] and grafana.fake.org(1).dashboards == {}
    assert result["msg"].startswith("dashboard '4VSk5Lank' (%s): POST " % (real_dir / MLTP))
    assert "HTTP 500" in result["msg"] and result["msg"].endswith("applied before this failure: none")
    # the second write fails: the first is reported as applied, the third is not attempted
    grafana.fake.inject("POST", r"^/api/dashboards/db$", 500, {"message": "database is locked"}, after=1)
    result = grafana.run("grafana_dashboard", {"path": str(real_dir)})
    assert result["failed"] and result["applied"] == ["4VSk5Lank"]
    assert result["msg"].startswith("dashboard 'rYdddlPWk' (%s): POST " % (real_dir / NEF))
    assert "Grafana says: database is locked" in result["msg"]
    assert result["msg"].endswith("applied before this failure: 4VSk5Lank")
    assert [d["uid"] for d in result["dashboards"]] == ["4VSk5Lank"]
    assert set(grafana.fake.org(1).dashboards) == {"4VSk5Lank"}
    # a re-run finishes the job
    result = grafana.run("grafana_dashboard", {"path": str(real_dir)})
    assert result["applied"] == ["rYdddlPWk", "third"]


@pytest.mark.parametrize("files,args,message", [
    ({"bad.json": "{ not json"}, {}, "invalid JSON in dashboard file"),
    ({"list.json": "[1, 2]"}, {}, "is not a JSON object"),
    ({"nouid.json": {"title": "No uid"}}, {}, "has no uid"),
    ({"long.json": {"title": "Long", "uid": "x" * 41}}, {}, "41 characters long; Grafana accepts at most 40"),
    ({"bad-uid.json": {"title": "Bad", "uid": "has space"}}, {}, "contains characters Grafana rejects"),
    ({"notitle.json": {"uid": "nt", "title": "  "}}, {}, "has no title"),
    ({"a.json": {"uid": "same", "title": "A"}, "b.json": {"uid": "same", "title": "B"}}, {}, "uid 'same' is used by both"),
    ({"a.json": {"uid": "a", "title": "A"}, "b.json": {"uid": "b", "title": "B"}}, {"uid": "c"}, "needs a single dashboard"),
    ({"a.json": {"uid": "a", "title": "A"}}, {"folder_path": ["Nope", "Deeper"], "create_folders": False},
     "folder 'Nope' of folder_path does not exist and create_folders is false"),
    ({"a.json": {"uid": "a", "title": "A"}}, {"folder_uid": "missing"}, "folder_uid 'missing' does not exist"),
    ({"a.json": {"uid": "a", "title": "A"}}, {"commit_message": "x" * 501}, "longer than 500"),
])
def test_bad_input_fails_before_any_write(grafana, tmp_path, files, args, message):
    for name, data in files.items():
        write(tmp_path, name, data)
    write(tmp_path, "0-good.json", {"uid": "good", "title": "Good"})
    mark = grafana.mark()
    result = grafana.run("grafana_dashboard", dict({"path": str(tmp_path)}, **args))
    assert result.get("failed") and message in result["msg"], result
    assert grafana.writes(mark) == [] and grafana.fake.org(1).dashboards == {}


def test_missing_path_and_empty_directory(grafana, tmp_path):
    assert "does not exist" in grafana.run("grafana_dashboard", {"path": str(tmp_path / "nope.json")})["msg"]
    assert "holds no *.json" in grafana.run("grafana_dashboard", {"path": str(tmp_path)})["msg"]
    assert grafana.run("grafana_dashboard", {"dashboard": {"title": "x"}, "path": str(tmp_path)})["failed"]


def test_api_export_wrapper_is_unwrapped(grafana):
    wrapped = {"dashboard": {"uid": "w", "title": "Wrapped", "version": 3}, "meta": {"slug": "wrapped"}}
    assert grafana.run("grafana_dashboard", {"dashboard": wrapped})["dashboard"]["uid"] == "w"
    assert not grafana.run("grafana_dashboard", {"dashboard": wrapped})["changed"]


def test_check_mode_with_the_folder_created_by_an_earlier_task(grafana):
    """A play: grafana_folder, then grafana_dashboard into it; in check mode the folder is not there yet."""
    dashboard = {"uid": "ops-overview", "title": "Ops overview", "panels": []}
    mark = grafana.mark()
    folder = grafana.run("grafana_folder", {"uid": "ops", "title": "Ops"}, check=True)
    assert folder["changed"] and grafana.fake.org(1).folders.get("ops") is None
    check = grafana.run("grafana_dashboard", {"dashboard": dashboard, "folder_uid": "ops"}, check=True, diff=True)
    assert not check.get("failed"), check["msg"]
    assert check["changed"] and check["dashboard"]["action"] == "create" and check["folder_uid"] == "ops"
    assert check["folders_created"] == [] and check["diff"]["after"]["folder_uid"] == "ops"
    assert [w for w in check["warnings"] if "folder_uid 'ops' does not exist yet" in w and "earlier task" in w]
    assert grafana.writes(mark) == []
    # the real play does what check mode said
    assert grafana.run("grafana_folder", {"uid": "ops", "title": "Ops"})["changed"]
    real = grafana.run("grafana_dashboard", {"dashboard": dashboard, "folder_uid": "ops"})
    assert real["changed"] and real["dashboard"]["action"] == "create" and stored(grafana, "ops-overview")["folder_uid"] == "ops"
    again = grafana.run("grafana_dashboard", {"dashboard": dashboard, "folder_uid": "ops"}, check=True)
    assert not again["changed"] and not [w for w in again.get("warnings") or [] if "folder_uid" in w]
    # a dashboard that exists elsewhere would be moved into the folder still to be created
    moved = grafana.run("grafana_dashboard", {"dashboard": dashboard, "folder_uid": "later"}, check=True)
    assert moved["changed"] and moved["dashboard"]["action"] == "update" and moved["folder_uid"] == "later"
    # without check mode a missing folder still fails, naming it
    missing = grafana.run("grafana_dashboard", {"dashboard": dashboard, "folder_uid": "later"})
    assert missing["failed"] and missing["msg"] == "folder_uid 'later' does not exist"
