# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_contact_point: secrets compared through the decrypted export or by presence, Mattermost,
provenance, duplicate uids (409 and legacy 500), referenced deletes."""

from __future__ import annotations

import json

import pytest

HOOK = "https://mattermost.example.com/hooks/xk1-secret-hook-value"
HOOK2 = "https://mattermost.example.com/hooks/rotated-secret-hook-value"
MM = {"uid": "ops-mm", "name": "ops", "type": "mattermost", "settings": {"recipient": "#alerts", "username": "grafana"},
      "secure_settings": {"url": HOOK}}
BASE = "/api/v1/provisioning/contact-points"


def stored(grafana, uid="ops-mm"):
    return next(r for r in grafana.fake.org(1).receivers if r["uid"] == uid)


def clean(result, *secrets):
    text = json.dumps(result)
    for secret in secrets:
        assert secret not in text
    return result


def test_mattermost_is_a_slack_integration(grafana):
    result = clean(grafana.run("grafana_contact_point", MM), HOOK)
    assert result["changed"] and result["secrets_compared"] == "new"
    rec = stored(grafana)
    assert rec["type"] == "slack" and rec["settings"] == {"recipient": "#alerts", "username": "grafana", "url": HOOK}
    assert result["contact_point"]["settings"]["url"] == "[REDACTED]"
    missing = grafana.run("grafana_contact_point", dict(MM, uid="x", secure_settings=None))
    assert missing["failed"] and "type mattermost needs the incoming-webhook URL" in missing["msg"]


def test_decrypted_comparison_notices_a_rotated_secret(grafana):
    grafana.run("grafana_contact_point", MM)
    mark = grafana.mark()
    same = clean(grafana.run("grafana_contact_point", MM), HOOK)
    assert not same["changed"] and same["secrets_compared"] == "decrypted" and grafana.writes(mark) == []
    exports = [r for r in grafana.requests(mark) if r["route"] == BASE + "/export"]
    assert exports and "decrypt=true" in exports[0]["path"] and "format=json" in exports[0]["path"]
    rotated = dict(MM, secure_settings={"url": HOOK2})
    check = clean(grafana.run("grafana_contact_point", rotated, check=True, diff=True), HOOK, HOOK2)
    assert check["changed"] and check["diff"]["before"]["settings"]["url"] == "[REDACTED]"
    assert check["diff"]["after"]["settings"]["url"] == "[REDACTED:changed]"
    real = clean(grafana.run("grafana_contact_point", rotated), HOOK, HOOK2)
    assert real["changed"] and stored(grafana)["settings"]["url"] == HOOK2
    assert not grafana.run("grafana_contact_point", rotated)["changed"]


def test_secret_in_plain_settings_is_still_masked_everywhere(grafana):
    args = {"uid": "hook", "name": "hooks", "type": "webhook",
            "settings": {"url": "https://example.com/in", "password": "webhook-pa55word", "username": "u"}}
    result = grafana.run("grafana_contact_point", args, diff=True)
    clean(result, "webhook-pa55word")
    assert result["diff"]["after"]["settings"] == {"url": "https://example.com/in", "password": "[REDACTED:changed]", "username": "u"}
    assert not grafana.run("grafana_contact_point", args)["changed"]


def test_presence_fallback_without_admin(grafana):
    grafana.run("grafana_contact_point", MM)
    mark = grafana.mark()
    rotated = dict(MM, secure_settings={"url": HOOK2})
    result = clean(grafana.run("grafana_contact_point", rotated, auth="editor"), HOOK, HOOK2)
    assert not result["changed"] and result["secrets_compared"] == "presence"
    assert "needs organisation Admin (HTTP 403)" in result["secrets_note"]
    assert grafana.writes(mark) == []
    # any other change sends the given secrets too
    moved = grafana.run("grafana_contact_point", dict(rotated, settings={"recipient": "#other"}), auth="editor")
    assert moved["changed"] and stored(grafana)["settings"]["url"] == HOOK2
    # on_create never asks for the export; always writes every run
    mark = grafana.mark()
    on_create = grafana.run("grafana_contact_point", dict(rotated, settings={"recipient": "#other"}, secure_update="on_create"))
    assert not on_create["changed"] and on_create["secrets_compared"] == "presence" and "secrets_note" not in on_create
    assert not [r for r in grafana.requests(mark) if r["route"].endswith("/export")]
    for attempt in (1, 2):
        always = grafana.run("grafana_contact_point", dict(rotated, settings={"recipient": "#other"}, secure_update="always"))
        assert always["changed"] and always["secrets_compared"] == "always", attempt


def test_no_secrets_no_export(grafana):
    args = {"uid": "mail", "name": "mail", "type": "email", "settings": {"addresses": "a@example.com"}}
    grafana.run("grafana_contact_point", args)
    mark = grafana.mark()
    result = grafana.run("grafana_contact_point", args)
    assert not result["changed"] and result["secrets_compared"] == "none"
    assert [r["route"] for r in grafana.requests(mark)] == [BASE]


def test_provenance_header_on_every_write_and_never_in_the_diff(grafana):
    args = dict(MM, disable_provenance=True)
    grafana.run("grafana_contact_point", args)
    grafana.run("grafana_contact_point", dict(args, settings={"recipient": "#b"}))
    grafana.run("grafana_contact_point", dict(args, state="absent"))
    writes = grafana.writes()
    assert [w["method"] for w in writes] == ["POST", "PUT", "DELETE"]
    assert all("X-Disable-Provenance" in w["headers"] for w in writes)
    # default: provisioned (api); the diff never mentions provenance
    first = grafana.run("grafana_contact_point", MM, diff=True)
    assert stored(grafana)["provenance"] == "api" and first["contact_point"]["provenance"] == "api"
    assert "provenance" not in json.dumps(first["diff"])
    # provenance alone is not a difference, so switching the option does not rewrite
    assert not grafana.run("grafana_contact_point", dict(MM, disable_provenance=True))["changed"]
    # but Grafana refuses api -> none on a real change: a clean failure
    refused = grafana.run("grafana_contact_point", dict(MM, disable_provenance=True, settings={"recipient": "#c"}))
    assert refused["failed"] and "HTTP 403 (provenance conflict, not a permission problem" in refused["msg"]
    assert "cannot be changed to 'none'" in refused["msg"] and "lack the permission" not in refused["msg"]
    assert "disable_provenance" in refused["msg"] and "contact point 'ops-mm' could not be updated" in refused["msg"]
    grafana.fake.state.legacy_provenance_500 = True
    refused = grafana.run("grafana_contact_point", dict(MM, disable_provenance=True, settings={"recipient": "#c"}))
    assert refused["failed"] and "HTTP 500" in refused["msg"] and "cannot change provenance from 'api' to ''" in refused["msg"]


@pytest.mark.parametrize("legacy", [False, True], ids=["409", "legacy-500"])
def test_duplicate_uid_on_create_becomes_an_update(grafana, legacy):
    grafana.fake.state.legacy_duplicate_uid_500 = legacy
    grafana.run("grafana_contact_point", MM)
    # someone else's view: the list does not show it (race), so the module POSTs
    grafana.fake.inject("GET", r"^%s$" % BASE, 200, [], times=1)
    mark = grafana.mark()
    result = grafana.run("grafana_contact_point", dict(MM, settings={"recipient": "#race"}))
    assert result["changed"] and result["action"] == "create"
    statuses = [(r["method"], r["status"]) for r in grafana.requests(mark) if r["method"] != "GET"]
    assert statuses == [("POST", 500 if legacy else 409), ("PUT", 202)]
    assert stored(grafana)["settings"]["recipient"] == "#race"


def test_deleting_a_referenced_contact_point_fails_cleanly(grafana):
    grafana.run("grafana_contact_point", MM)
    grafana.run("grafana_notification_policy", {"receiver": "ops"})
    result = grafana.run("grafana_contact_point", dict(MM, state="absent"))
    assert result["failed"] and "HTTP 409 (conflict)" in result["msg"]
    assert "currently used by a notification policy" in result["msg"] and "contact point 'ops-mm' could not be deleted" in result["msg"]


@pytest.mark.invalid_request("any type is passed through; Grafana itself refuses an unknown one")
def test_unknown_type_is_grafanas_error(grafana):
    result = grafana.run("grafana_contact_point", {"uid": "x", "name": "x", "type": "carrier-pigeon", "settings": {}})
    assert result["failed"] and "HTTP 400" in result["msg"] and "invalid receiver type" in result["msg"]


def test_unknown_type_fails_in_check_mode_too(grafana):
    args = {"uid": "x", "name": "x", "type": "carrier-pigeon", "settings": {}}
    mark = grafana.mark()
    result = grafana.run("grafana_contact_point", args, check=True)
    assert result["failed"] and "\n" not in result["msg"]
    assert result["msg"].startswith("contact point 'x': type 'carrier-pigeon' is not an integration type Grafana knows (known: ")
    assert "a real run would be refused" in result["msg"]
    assert grafana.writes(mark) == []
    # every type Grafana knows still passes check mode, whatever its case
    for kind in ("LINE", "webex", "prometheus-alertmanager", "teams", "mattermost"):
        known = grafana.run("grafana_contact_point", {"uid": "y", "name": "y", "type": kind, "settings": {"url": "https://x.example"}},
                            check=True)
        assert known["changed"] and not known.get("failed"), (kind, known)


def warnings_of(result):
    return [w for w in result.get("warnings") or [] if "contact point" in w]


def test_a_secret_that_cannot_be_applied_warns(grafana):
    grafana.run("grafana_contact_point", MM)
    rotated = dict(MM, secure_settings={"url": HOOK2})
    # an Editor token cannot read the decrypted export: ok, but a warning names the contact point and the secret
    editor = clean(grafana.run("grafana_contact_point", rotated, auth="editor"), HOOK, HOOK2)
    assert not editor["changed"] and editor["secrets_compared"] == "presence"
    assert warnings_of(editor) == [
        "contact point 'ops-mm': a changed secret in settings.url is not applied: the credentials cannot read the decrypted "
        "export (organisation Admin needed), so only its presence is compared; use an organisation Admin token or "
        "secure_update: always to apply a new value"]
    assert warnings_of(grafana.run("grafana_contact_point", rotated, auth="editor", check=True))
    # secure_update: on_create says so too, with its own reason
    on_create = clean(grafana.run("grafana_contact_point", dict(rotated, secure_update="on_create")), HOOK, HOOK2)
    assert not on_create["changed"] and len(warnings_of(on_create)) == 1
    assert "contact point 'ops-mm'" in warnings_of(on_create)[0] and "secure_update is on_create" in warnings_of(on_create)[0]
    assert stored(grafana)["settings"]["url"] == HOOK
    # no warning when the secrets were really compared, or when the run sends them anyway
    assert warnings_of(grafana.run("grafana_contact_point", MM)) == []
    moved = grafana.run("grafana_contact_point", dict(rotated, settings={"recipient": "#other"}), auth="editor")
    assert moved["changed"] and warnings_of(moved) == [] and stored(grafana)["settings"]["url"] == HOOK2
    plain = {"uid": "mail", "name": "mail", "type": "email", "settings": {"addresses": "a@example.com"}}
    grafana.run("grafana_contact_point", plain)
    assert warnings_of(grafana.run("grafana_contact_point", plain, auth="editor")) == []
