# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_service_account: account and token, kept, replaced, check mode, refusals."""

from __future__ import annotations

import pytest

MODULE = "grafana_service_account"
ARGS = {"name": "vigil-ansible", "role": "Admin", "token_name": "vigil-ansible"}


def accounts(grafana, name=ARGS["name"]):
    return [a for a in grafana.fake.org(1).service_accounts.values() if a["name"] == name]


def tokens(grafana, name=ARGS["name"]):
    return [t["name"] for t in accounts(grafana, name)[0]["tokens"]]


def test_create_keep_and_replace(grafana):
    created = grafana.run(MODULE, ARGS, auth="basic")
    assert created["changed"] and created["action"] == "create" and created["token_created"]
    assert created["token"].startswith("glsa_")
    assert created["service_account"]["role"] == "Admin" and created["service_account"]["id"] is not None
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"] == {"name": "vigil-ansible", "role": "Admin", "is_disabled": False,
                                        "token": "vigil-ansible (new)"}
    assert len(accounts(grafana)) == 1 and tokens(grafana) == ["vigil-ansible"]
    assert created["token"] not in repr(created["diff"])

    # The token held works: nothing is written, none is returned (the caller holds it).
    mark = grafana.mark()
    again = grafana.run(MODULE, dict(ARGS, current_token=created["token"]), auth="basic")
    assert not again["changed"] and again["action"] is None and not again["token_created"]
    assert again["token"] is None
    assert grafana.writes(mark) == []
    probes = [r for r in grafana.requests(mark) if r["route"] == "/api/folders"]
    assert len(probes) == 1 and probes[0]["headers"]["Authorization"] == "Bearer " + created["token"]

    # The new token works against Grafana (the role provisions with it).
    probe = grafana.run("grafana_folder", {"url": grafana.fake.url, "token": created["token"], "uid": "x", "title": "X"},
                        auth=None)
    assert probe["changed"]

    # A lost token: the one of that name is deleted, a new one created.
    old_token_id = accounts(grafana)[0]["tokens"][0]["id"]
    mark = grafana.mark()
    lost = grafana.run(MODULE, ARGS, auth="basic")
    assert lost["changed"] and lost["action"] is None and lost["token_created"]
    assert lost["token"] != created["token"]
    sa_id = accounts(grafana)[0]["id"]
    assert [(r["method"], r["route"]) for r in grafana.writes(mark)] == [
        ("DELETE", "/api/serviceaccounts/%d/tokens/%d" % (sa_id, old_token_id)),
        ("POST", "/api/serviceaccounts/%d/tokens" % sa_id)]
    assert tokens(grafana) == ["vigil-ansible"]
    old = grafana.run(MODULE, dict(ARGS, current_token=created["token"]), auth="basic")
    assert old["changed"] and old["token_created"], "the revoked token must be replaced"


def test_revoked_or_foreign_token_and_rotate(grafana):
    first = grafana.run(MODULE, ARGS, auth="basic")
    # A token Grafana refuses is replaced.
    refused = grafana.run(MODULE, dict(ARGS, current_token="glsa_not_a_token"), auth="basic")
    assert refused["changed"] and refused["token_created"] and refused["token"] != "glsa_not_a_token"
    # A working token of another account does not count as this account's token.
    grafana.run(MODULE, dict(ARGS, name="other", token_name="other"), auth="basic")
    other_token = grafana.run(MODULE, dict(ARGS, name="other", token_name="other"), auth="basic")["token"]
    borrowed = grafana.run(MODULE, dict(ARGS, token_name="second", current_token=other_token), auth="basic")
    assert borrowed["token_created"] and sorted(tokens(grafana)) == ["second", "vigil-ansible"]
    # rotate replaces even a working token.
    rotated = grafana.run(MODULE, dict(ARGS, current_token=refused["token"], rotate=True), auth="basic")
    assert rotated["changed"] and rotated["token"] not in (refused["token"], first["token"])
    assert sorted(tokens(grafana)) == ["second", "vigil-ansible"]


def test_check_mode_writes_nothing(grafana):
    mark = grafana.mark()
    check = grafana.run(MODULE, ARGS, auth="basic", check=True)
    assert check["changed"] and check["action"] == "create" and check["token_created"] and check["token"] is None
    assert check["service_account"]["name"] == "vigil-ansible" and check["service_account"]["id"] is None
    assert grafana.writes(mark) == [] and accounts(grafana) == []

    real = grafana.run(MODULE, ARGS, auth="basic")
    mark = grafana.mark()
    kept = grafana.run(MODULE, dict(ARGS, current_token=real["token"]), auth="basic", check=True)
    assert not kept["changed"] and not kept["token_created"] and kept["token"] is None
    lost = grafana.run(MODULE, ARGS, auth="basic", check=True)
    assert lost["changed"] and lost["token_created"] and lost["token"] is None and lost["action"] is None
    assert grafana.writes(mark) == [] and tokens(grafana) == ["vigil-ansible"]


def test_account_without_token_and_absent(grafana):
    plain = grafana.run(MODULE, {"name": "reader"}, auth="basic")
    assert plain["changed"] and plain["token"] is None and not plain["token_created"]
    assert accounts(grafana, "reader")[0]["role"] == "Viewer" and accounts(grafana, "reader")[0]["tokens"] == []
    assert not grafana.run(MODULE, {"name": "reader"}, auth="basic")["changed"]

    # Role is set on creation only: a difference is a warning, never a rewrite.
    mark = grafana.mark()
    other_role = grafana.run(MODULE, {"name": "reader", "role": "Editor"}, auth="basic")
    assert not other_role["changed"] and grafana.writes(mark) == []
    assert any("role 'Viewer', not 'Editor'" in w for w in other_role["warnings"])

    # A name that is a substring of another is not mistaken for it.
    assert grafana.run(MODULE, {"name": "read"}, auth="basic")["changed"]

    check = grafana.run(MODULE, {"name": "reader", "state": "absent"}, auth="basic", check=True)
    assert check["changed"] and accounts(grafana, "reader")
    gone = grafana.run(MODULE, {"name": "reader", "state": "absent"}, auth="basic")
    assert gone["changed"] and gone["action"] == "delete" and gone["service_account"] is None
    assert accounts(grafana, "reader") == [] and accounts(grafana, "read")
    assert not grafana.run(MODULE, {"name": "reader", "state": "absent"}, auth="basic")["changed"]


@pytest.mark.parametrize("auth,status", [("editor", "HTTP 403"), ("editor-basic", "HTTP 403")])
def test_refusals_are_clean(grafana, auth, status):
    result = grafana.run(MODULE, ARGS, auth=auth)
    assert result["failed"] and status in result["msg"] and "service account 'vigil-ansible' could not be read" in result["msg"]
    assert grafana.writes() == []


def test_bad_credentials_and_input(grafana):
    wrong = grafana.run(MODULE, dict(ARGS, url=grafana.fake.url, username="admin", password="wrong"), auth=None)
    assert wrong["failed"] and "HTTP 401" in wrong["msg"] and wrong["status"] == 401
    empty = grafana.run(MODULE, {"name": "  "}, auth="basic")
    assert empty["failed"] and empty["msg"] == "name must not be empty"
    negative = grafana.run(MODULE, dict(ARGS, seconds_to_live=-1), auth="basic")
    assert negative["failed"] and "seconds_to_live" in negative["msg"]
    assert grafana.writes() == []
