# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_tag against the REAL Uptime Kuma 2.5.3 (the session's server)."""

from __future__ import annotations

MODULE = "uptime_kuma_tag"


def stored(kuma, name):
    client = kuma.client()
    try:
        tags = client.call("getTags")["tags"]
    finally:
        client.close()
    return [t for t in tags if t["name"] == name]


def test_create_rerun_change_check_delete(kuma):
    # Check mode on a missing tag: would create, writes nothing.
    result = kuma.run(MODULE, {"name": "unit-prod", "color": "#dc2626"}, check=True)
    assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 0
    assert stored(kuma, "unit-prod") == []

    result = kuma.run(MODULE, {"name": "unit-prod", "color": "#dc2626"})
    assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 1
    assert result["tag"]["color"] == "#DC2626" and result["tag"]["id"]
    assert result["diff"]["after"] == {"name": "unit-prod", "color": "#DC2626"}
    [tag] = stored(kuma, "unit-prod")
    assert tag["color"] == "#DC2626"

    # Re-run (any case of the same colour): nothing to do, no write.
    for color in ("#DC2626", "#dc2626"):
        result = kuma.run(MODULE, {"name": "unit-prod", "color": color})
        assert not result["changed"] and result["action"] is None and result["requests"]["writes"] == 0

    # Check mode on a change: reported, not written.
    result = kuma.run(MODULE, {"name": "unit-prod", "color": "#059669"}, check=True)
    assert result["changed"] and result["action"] == "update" and result["requests"]["writes"] == 0
    assert stored(kuma, "unit-prod")[0]["color"] == "#DC2626"

    # The default colour is a change too.
    result = kuma.run(MODULE, {"name": "unit-prod"})
    assert result["changed"] and result["requests"]["writes"] == 1
    assert result["diff"] == {"before": {"name": "unit-prod", "color": "#DC2626"},
                              "after": {"name": "unit-prod", "color": "#4B5563"}}
    assert stored(kuma, "unit-prod")[0]["color"] == "#4B5563"

    # Delete: check mode first, then for real, then absent again is no change.
    result = kuma.run(MODULE, {"name": "unit-prod", "state": "absent"}, check=True)
    assert result["changed"] and result["requests"]["writes"] == 0 and stored(kuma, "unit-prod")
    result = kuma.run(MODULE, {"name": "unit-prod", "state": "absent"})
    assert result["changed"] and result["action"] == "delete" and result["tag"] is None
    assert stored(kuma, "unit-prod") == []
    result = kuma.run(MODULE, {"name": "unit-prod", "state": "absent"})
    assert not result["changed"] and result["requests"]["writes"] == 0


def test_bad_input(kuma):
    for color in ("red", "#12345", "#GGGGGG", "123456"):
        result = kuma.run(MODULE, {"name": "unit-bad", "color": color})
        assert result["failed"] and "#RRGGBB" in result["msg"] and "unit-bad" in result["msg"]
        assert "exception" not in result and "\n" not in result["msg"]
    assert stored(kuma, "unit-bad") == []


def test_two_tags_with_one_name(kuma):
    client = kuma.client()
    try:
        ids = [client.call("addTag", {"name": "unit-twin", "color": "#4B5563"})["tag"]["id"] for _twin in range(2)]
    finally:
        client.close()
    try:
        result = kuma.run(MODULE, {"name": "unit-twin"})
        assert result["failed"] and "two tags named 'unit-twin'" in result["msg"] and "exception" not in result
        assert result["requests"]["writes"] == 0
    finally:
        client = kuma.client()
        try:
            for tag_id in ids:
                client.call("deleteTag", tag_id)
        finally:
            client.close()
