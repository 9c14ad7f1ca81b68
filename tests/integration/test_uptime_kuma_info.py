# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_info against the REAL Uptime Kuma 2.5.3 of the session: what it returns, no secret, no write."""

from __future__ import annotations

import json
import time
import uuid

import kuma_server

WEBHOOK_SECRET = "http://127.0.0.1:9/hook/Webhook-s3cret-Never-Shown"
PASSWORD = "Basic-Auth-s3cret-Never-Shown"


def test_sections_no_secrets_no_writes(kuma):
    suffix = uuid.uuid4().hex[:8]
    group, web, tag, note = "info-grp-" + suffix, "info-web-" + suffix, "info-tag-" + suffix, "info-note-" + suffix
    client = kuma.client()
    try:
        tag_id = client.call("addTag", {"name": tag, "color": "#059669"})["tag"]["id"]
        note_id = client.call("addNotification", {"name": note, "type": "webhook", "webhookURL": WEBHOOK_SECRET,
                                                  "webhookContentType": "json", "isDefault": False}, None)["id"]
    finally:
        client.close()
    created = kuma.run("uptime_kuma_monitor", {"monitors": [
        {"name": group, "type": "group", "active": False},
        {"name": web, "type": "http", "monitor_url": "http://probe:%s@127.0.0.1:9/" % PASSWORD, "parent": group,
         "basic_auth_password": PASSWORD, "tags": [{"name": tag, "value": "x"}], "notifications": [note],
         "description": "checked"}]})
    assert created["changed"], created
    try:
        for check in (False, True):
            result = kuma.run("uptime_kuma_info", {}, check=check)
            assert not result["changed"] and result["requests"]["writes"] == 0, result
            assert result["server"]["version"] == kuma_server.VERSION and result["server"]["db_type"] == "sqlite"
            monitors = dict((m["name"], m) for m in result["monitors"])
            entry = monitors[web]
            assert entry["type"] == "http" and entry["parent"] == group and entry["description"] == "checked"
            assert entry["active"] is False  # its group is paused
            assert entry["target"] == "http://probe:[REDACTED]@127.0.0.1:9/"
            assert entry["notifications"] == [note] and entry["managed_by"] == "vigil.observability"
            assert {"name": tag, "value": "x"} in entry["tags"]
            assert monitors[group]["type"] == "group" and monitors[group]["target"] is None
            notes = dict((n["name"], n) for n in result["notifications"])
            assert notes[note] == {"id": note_id, "name": note, "type": "webhook", "is_default": False, "active": True,
                                   "config_keys": ["webhookContentType", "webhookURL"]}
            assert {"id": tag_id, "name": tag, "color": "#059669"} in result["tags"]
            assert isinstance(result["status_pages"], list) and isinstance(result["maintenances"], list)
            text = json.dumps(result)
            assert "s3cret" not in text, "a secret leaked"

        # Sections: only what is asked for, one round trip for the tags only.
        result = kuma.run("uptime_kuma_info", {"gather": ["tags"]})
        assert set(result) & {"server", "monitors", "notifications", "status_pages", "maintenances"} == set()
        assert result["requests"] == {"logins": 1, "round_trips": 2, "writes": 0}
        result = kuma.run("uptime_kuma_info", {"gather": ["server", "monitors"]})
        assert "tags" not in result and result["requests"]["round_trips"] == 1

        # A running monitor soon has a status (127.0.0.1:9 refuses: down, or pending while retried).
        kuma.run("uptime_kuma_monitor", {"name": group, "active": True})
        deadline = time.time() + 20
        while True:
            result = kuma.run("uptime_kuma_info", {"gather": ["monitors"], "monitor_status": True})
            entry = dict((m["name"], m) for m in result["monitors"])[web]
            if entry["status"] is not None or time.time() > deadline:
                break
            time.sleep(1)
        assert entry["status"] in ("down", "pending") and entry["status_since"]
        assert result["requests"]["writes"] == 0
    finally:
        kuma.run("uptime_kuma_monitor", {"monitors": [{"name": web, "state": "absent"}, {"name": group, "state": "absent"}]})
        client = kuma.client()
        try:
            client.call("deleteTag", tag_id)
            client.call("deleteNotification", note_id)
        finally:
            client.close()


def test_bad_connection_is_one_line(kuma, tmp_path):
    url = "http://127.0.0.1:%d" % kuma_server.free_port()
    result = kuma.run("uptime_kuma_info", {"url": url, "username": "admin", "password": "x", "timeout": 5,
                                           "token_file": str(tmp_path / "token")}, connection=False)
    assert result["failed"] and "exception" not in result and "\n" not in result["msg"]
    assert url in result["msg"] and "connection refused" in result["msg"]
    result = kuma.run("uptime_kuma_info", {"gather": ["everything"]})
    assert result["failed"] and "gather" in result["msg"] and "exception" not in result
