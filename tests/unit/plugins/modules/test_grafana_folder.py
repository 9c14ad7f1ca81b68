# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_folder: nesting, title changes, moves, cascading delete, bad input."""

from __future__ import annotations

import pytest


def folders(grafana):
    return grafana.fake.org(1).folders


def test_nested_title_change_and_move(grafana):
    assert grafana.run("grafana_folder", {"uid": "a", "title": "A"})["changed"]
    assert grafana.run("grafana_folder", {"uid": "b", "title": "B"})["changed"]
    nested = grafana.run("grafana_folder", {"uid": "c", "title": "C", "parent_uid": "a"})
    assert nested["folder"]["parent_uid"] == "a" and folders(grafana)["c"]["parent_uid"] == "a"

    renamed = grafana.run("grafana_folder", {"uid": "c", "title": "C renamed", "parent_uid": "a"})
    assert renamed["changed"] and folders(grafana)["c"]["title"] == "C renamed"
    put = [r for r in grafana.fake.requests if r["method"] == "PUT"][-1]
    assert put["body"] == {"title": "C renamed", "version": 1}

    mark = grafana.mark()
    moved = grafana.run("grafana_folder", {"uid": "c", "title": "C renamed", "parent_uid": "b"}, diff=True)
    assert moved["changed"] and folders(grafana)["c"]["parent_uid"] == "b"
    assert [(r["method"], r["route"]) for r in grafana.writes(mark)] == [("POST", "/api/folders/c/move")]
    assert moved["diff"]["before"]["parent_uid"] == "a" and moved["diff"]["after"]["parent_uid"] == "b"

    to_root = grafana.run("grafana_folder", {"uid": "c", "title": "C renamed"})
    assert to_root["changed"] and folders(grafana)["c"]["parent_uid"] == ""
    assert not grafana.run("grafana_folder", {"uid": "c", "title": "C renamed"})["changed"]


def test_description_is_managed_only_when_given(grafana):
    grafana.run("grafana_folder", {"uid": "d", "title": "D", "description": "first"})
    assert folders(grafana)["d"]["description"] == "first"
    assert not grafana.run("grafana_folder", {"uid": "d", "title": "D"})["changed"]
    assert grafana.run("grafana_folder", {"uid": "d", "title": "D", "description": "second"})["changed"]


def test_absent_cascades_and_respects_alert_rules(grafana):
    grafana.run("grafana_folder", {"uid": "top", "title": "Top"})
    grafana.run("grafana_folder", {"uid": "sub", "title": "Sub", "parent_uid": "top"})
    grafana.run("grafana_dashboard", {"dashboard": {"uid": "dash", "title": "Dash"}, "folder_uid": "sub"})
    grafana.run("grafana_alert_rule", {"uid": "r", "title": "R", "folder_uid": "sub", "rule_group": "g", "condition": "A",
                                       "data": [{"refId": "A", "datasourceUid": "__expr__", "model": {"type": "math", "expression": "1"}}]})
    refused = grafana.run("grafana_folder", {"uid": "top", "state": "absent"})
    assert refused["failed"] and "HTTP 400" in refused["msg"] and "contains alert rules" in refused["msg"]
    assert "folder 'top' could not be deleted" in refused["msg"]
    gone = grafana.run("grafana_folder", {"uid": "top", "state": "absent", "force_delete_rules": True})
    assert gone["changed"] and gone["folder"] is None
    org = grafana.fake.org(1)
    assert org.folders == {} and org.dashboards == {} and org.rules == {}


@pytest.mark.parametrize("args,message", [
    ({"uid": "x" * 41, "title": "T"}, "at most 40"),
    ({"uid": "a/b", "title": "T"}, "characters Grafana rejects"),
    ({"uid": "ok", "title": "T", "parent_uid": "bad uid"}, "parent_uid 'bad uid' contains characters"),
    ({"uid": "ok"}, "state is present but all of the following are missing: title"),
])
def test_bad_input(grafana, args, message):
    result = grafana.run("grafana_folder", args)
    assert result["failed"] and message in result["msg"]
    assert grafana.writes() == []


def test_server_refusals_are_clean(grafana):
    general = grafana.run("grafana_folder", {"uid": "g", "title": "General"})
    assert general["failed"] and "HTTP 400" in general["msg"] and "A folder with that name already exists" in general["msg"]
    orphan = grafana.run("grafana_folder", {"uid": "o", "title": "Orphan", "parent_uid": "nowhere"})
    assert orphan["failed"] and "HTTP 404" in orphan["msg"] and "parent folder not found" in orphan["msg"]
    grafana.run("grafana_folder", {"uid": "v", "title": "V"})
    grafana.fake.inject("PUT", r"^/api/folders/v$", 412,
                        {"status": "version-mismatch", "message": "the folder has been changed by someone else"})
    stale = grafana.run("grafana_folder", {"uid": "v", "title": "V2"})
    assert stale["failed"] and "HTTP 412 (precondition failed (version mismatch))" in stale["msg"]
    assert "the folder has been changed by someone else" in stale["msg"]


def test_folders_in_one_call_parents_first_then_nothing_to_write(grafana):
    args = {"folders": [{"uid": "child", "title": "Child", "parent_uid": "top"}, {"uid": "top", "title": "Top"},
                        {"uid": "other", "title": "Other"}]}
    planned = grafana.run("grafana_folder", args, check=True)
    assert planned["changed"] and [(f["uid"], f["action"]) for f in planned["folders"]] == \
        [("top", "create"), ("other", "create"), ("child", "create")]
    assert grafana.writes() == []

    mark = grafana.mark()
    done = grafana.run("grafana_folder", args, diff=True)
    assert done["changed"] and [f["uid"] for f in done["folders"]] == ["top", "other", "child"]
    assert [(r["method"], r["body"]["uid"]) for r in grafana.writes(mark)] == [("POST", "top"), ("POST", "other"), ("POST", "child")]
    assert folders(grafana)["child"]["parent_uid"] == "top"
    assert [d["after_header"] for d in done["diff"]] == ["top", "other", "child"]

    mark = grafana.mark()
    again = grafana.run("grafana_folder", args, diff=True)
    assert not again["changed"] and again["diff"] == [] and grafana.writes(mark) == []
    assert all(f["action"] is None and not f["changed"] for f in again["folders"])

    # A title changed, a folder deleted (its child first), one kept: only those written.
    mark = grafana.mark()
    args = {"folders": [{"uid": "top", "title": "Top", "state": "absent"}, {"uid": "other", "title": "Renamed"},
                        {"uid": "child", "parent_uid": "top", "state": "absent"}]}
    changed = grafana.run("grafana_folder", args)
    assert [(f["uid"], f["action"]) for f in changed["folders"]] == [("other", "update"), ("child", "delete"), ("top", "delete")]
    assert [(r["method"], r["route"]) for r in grafana.writes(mark)] == \
        [("PUT", "/api/folders/other"), ("DELETE", "/api/folders/child"), ("DELETE", "/api/folders/top")]
    assert set(folders(grafana)) == {"other"}


@pytest.mark.parametrize("items,message", [
    ([{"uid": "a", "title": "A"}, {"uid": "a", "title": "again"}], "folders[3]: uid 'a' is listed twice"),
    ([{"uid": "a"}], "folders[2] ('a'): a title is required to keep a folder"),
    ([{"uid": "a", "title": "A", "parent_uid": "bad uid"}], "parent_uid 'bad uid' contains characters"),
    ([{"uid": "a/b", "title": "A"}], "folders[2]: uid 'a/b' contains characters"),
    (["a"], "unable to convert to dict"),
    ([{"uid": "a", "title": "A", "colour": "red"}], "folders[2]: unknown option colour (an item takes uid, title"),
    ([{"uid": "a", "title": "A", "parent_uid": "b"}, {"uid": "b", "title": "B", "parent_uid": "a"}], "form a loop"),
])
def test_a_bad_folder_item_writes_nothing(grafana, items, message):
    grafana.run("grafana_folder", {"uid": "a", "title": "A before"})
    mark = grafana.mark()
    result = grafana.run("grafana_folder", {"folders": [{"uid": "z", "title": "Z"}] + items})
    assert result["failed"] and message in result["msg"] and "\n" not in result["msg"], result["msg"]
    assert grafana.writes(mark) == []


def test_a_failed_write_names_the_folder_and_what_came_before(grafana):
    grafana.run("grafana_folder", {"uid": "v", "title": "V"})
    grafana.fake.inject("PUT", r"^/api/folders/v$", 412,
                        {"status": "version-mismatch", "message": "the folder has been changed by someone else"})
    result = grafana.run("grafana_folder", {"folders": [{"uid": "n", "title": "New"}, {"uid": "v", "title": "V2"},
                                                        {"uid": "m", "title": "Never"}]})
    assert result["failed"] and result["msg"].startswith("folder 'v': ") and "HTTP 412" in result["msg"]
    assert result["msg"].endswith("applied before this failure: n") and result["applied"] == ["n"]
    assert [f["uid"] for f in result["folders"]] == ["n"] and "m" not in folders(grafana)


def test_uid_or_folders_but_not_both(grafana):
    both = grafana.run("grafana_folder", {"uid": "a", "title": "A", "folders": [{"uid": "b", "title": "B"}]})
    assert both["failed"] and "mutually exclusive" in both["msg"]
    neither = grafana.run("grafana_folder", {"title": "A"})
    assert neither["failed"] and "one of the following is required: uid, folders" in neither["msg"]
