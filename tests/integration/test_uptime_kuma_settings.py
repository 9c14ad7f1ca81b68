# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_settings against the real Uptime Kuma 2.5.3."""

from __future__ import annotations

import json
import urllib.request


def settings(kuma):
    client = kuma.client()
    try:
        return client.call("getSettings")["data"]
    finally:
        client.close()


def test_base_url_and_other_keys_merged_idempotent(kuma):
    before = settings(kuma)
    args = {"primary_base_url": "https://status.example.org/", "settings": {"searchEngineIndex": True}}
    checked = kuma.run("uptime_kuma_settings", args, check=True)
    assert checked["changed"] and checked["requests"]["writes"] == 0
    assert settings(kuma).get("primaryBaseURL") == before.get("primaryBaseURL")

    result = kuma.run("uptime_kuma_settings", args)
    assert result["changed"] and result["requests"]["writes"] == 1
    assert result["settings"] == {"primaryBaseURL": "https://status.example.org", "searchEngineIndex": True}
    after = settings(kuma)
    # Every key not given is kept as it was (the server applies the whole object), and the entry
    # page still answers (a save without entryPage would have emptied it).
    for key, value in before.items():
        if key not in ("primaryBaseURL", "searchEngineIndex"):
            assert after.get(key) == value, key
    with urllib.request.urlopen(kuma.server.url + "/api/entry-page", timeout=5) as answer:
        assert json.load(answer)["entryPage"] == "dashboard"

    again = kuma.run("uptime_kuma_settings", args)
    assert not again["changed"] and again["requests"]["writes"] == 0

    cleared = kuma.run("uptime_kuma_settings", {"primary_base_url": ""})
    assert cleared["changed"] and cleared["settings"] == {"primaryBaseURL": ""}
    assert not kuma.run("uptime_kuma_settings", {"primary_base_url": ""})["changed"]


def test_bad_input(kuma):
    result = kuma.run("uptime_kuma_settings", {"primary_base_url": "status.example.org"})
    assert result["failed"] and "primary_base_url must be empty or an http(s):// URL" in result["msg"]
    assert result["requests"]["writes"] == 0
    result = kuma.run("uptime_kuma_settings", {"settings": {"disableAuth": True}})
    assert result["failed"] and "disableAuth" in result["msg"] and result["requests"]["writes"] == 0
