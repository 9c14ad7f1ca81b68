# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_notification against the REAL Uptime Kuma 2.5.3 (the session's server).

``monitors()`` and ``notifications()`` are shared with the status page and maintenance tests.
"""

from __future__ import annotations

import contextlib
import json


MODULE = "uptime_kuma_notification"
HOOK = "https://chat.example.com/hooks/unit-s3cr3t-hook-0123456789"
HOOK_2 = "https://chat.example.com/hooks/unit-s3cr3t-hook-rotated-42"
TOKEN = "unit-bot-token-s3cr3t-987654321"

# The fields the server's "add" handler needs for a paused HTTP monitor.
MONITOR = {"type": "http", "url": "http://127.0.0.1:9/", "interval": 60, "retryInterval": 60, "resendInterval": 0,
           "maxretries": 0, "accepted_statuscodes": ["200-299"], "notificationIDList": {}, "active": False,
           "conditions": [], "kafkaProducerBrokers": [], "kafkaProducerSaslOptions": {}, "rabbitmqNodes": []}


@contextlib.contextmanager
def monitors(kuma, *names):
    """Paused monitors ``names`` for the duration of the block: {name: id}."""
    ids = {}
    client = kuma.client()
    try:
        for name in names:
            ids[name] = client.call("add", dict(MONITOR, name=name))["monitorID"]
    finally:
        client.close()
    try:
        yield ids
    finally:
        client = kuma.client()
        try:
            for monitor_id in ids.values():
                client.call("deleteMonitor", monitor_id, False, check=False)
        finally:
            client.close()


def notifications(kuma):
    """{name: (notification as listed, its stored config)}."""
    client = kuma.client()
    try:
        listed = client.wait_list("notificationList")
    finally:
        client.close()
    return {n["name"]: (n, json.loads(n["config"])) for n in listed}


def monitor_notifications(kuma, ids):
    client = kuma.client()
    try:
        listed = client.wait_list("monitorList")
    finally:
        client.close()
    return {name: sorted(int(k) for k, v in (listed[str(mid)].get("notificationIDList") or {}).items() if v)
            for name, mid in ids.items()}


def assert_no_secret(result, *secrets):
    text = json.dumps(result)
    for secret in secrets:
        assert secret not in text


def test_mattermost_lifecycle(kuma):
    args = {"name": "unit-mm", "mattermost": {"webhook_url": HOOK, "username": "kuma", "channel": "alerts"}}

    result = kuma.run(MODULE, args, check=True)
    assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 0
    assert result["diff"]["after"]["config"]["mattermostWebhookUrl"] == "[REDACTED:changed]"
    assert "unit-mm" not in notifications(kuma)
    assert_no_secret(result, HOOK)

    result = kuma.run(MODULE, args)
    assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 1
    note = result["notification"]
    assert note["id"] and note["type"] == "mattermost" and note["is_default"] is False
    assert note["config"] == {"mattermostWebhookUrl": "[REDACTED]", "mattermostusername": "kuma", "mattermostchannel": "alerts"}
    assert result["secret_keys"] == ["mattermostWebhookUrl"]
    assert_no_secret(result, HOOK)
    listed, stored = notifications(kuma)["unit-mm"]
    assert stored["mattermostWebhookUrl"] == HOOK and stored["mattermostusername"] == "kuma"
    assert stored["mattermostchannel"] == "alerts" and stored["type"] == "mattermost" and not listed["isDefault"]

    # Re-run: nothing to do, no write; the secret is compared, not shown.
    result = kuma.run(MODULE, args)
    assert not result["changed"] and result["requests"]["writes"] == 0
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["diff"]["after"]["config"]["mattermostWebhookUrl"] == "[REDACTED]"

    # One field changes: one write; a field left out is removed.
    result = kuma.run(MODULE, {"name": "unit-mm", "mattermost": {"webhook_url": HOOK, "username": "kuma-2"},
                               "is_default": True})
    assert result["changed"] and result["action"] == "update" and result["requests"]["writes"] == 1
    assert result["diff"]["before"]["config"]["mattermostchannel"] == "alerts"
    assert "mattermostchannel" not in result["diff"]["after"]["config"]
    listed, stored = notifications(kuma)["unit-mm"]
    assert stored["mattermostusername"] == "kuma-2" and "mattermostchannel" not in stored and listed["isDefault"]

    # is_default omitted: kept.
    result = kuma.run(MODULE, {"name": "unit-mm", "mattermost": {"webhook_url": HOOK, "username": "kuma-2"}})
    assert not result["changed"] and result["requests"]["writes"] == 0

    # A rotated webhook: noticed by its stored value, shown only as a marker; check mode writes nothing.
    rotated = {"name": "unit-mm", "mattermost": {"webhook_url": HOOK_2, "username": "kuma-2"}}
    result = kuma.run(MODULE, rotated, check=True)
    assert result["changed"] and result["requests"]["writes"] == 0
    assert result["diff"]["before"]["config"]["mattermostWebhookUrl"] == "[REDACTED]"
    assert result["diff"]["after"]["config"]["mattermostWebhookUrl"] == "[REDACTED:changed]"
    assert_no_secret(result, HOOK, HOOK_2)
    assert notifications(kuma)["unit-mm"][1]["mattermostWebhookUrl"] == HOOK

    # update_secrets: on_create keeps the stored secret.
    result = kuma.run(MODULE, dict(rotated, update_secrets="on_create"))
    assert not result["changed"] and result["requests"]["writes"] == 0

    result = kuma.run(MODULE, rotated)
    assert result["changed"] and result["requests"]["writes"] == 1
    assert_no_secret(result, HOOK, HOOK_2)
    assert notifications(kuma)["unit-mm"][1]["mattermostWebhookUrl"] == HOOK_2

    # Absent: check mode, then for real, then again no change.
    result = kuma.run(MODULE, {"name": "unit-mm", "state": "absent"}, check=True)
    assert result["changed"] and result["requests"]["writes"] == 0 and "unit-mm" in notifications(kuma)
    assert_no_secret(result, HOOK_2)
    result = kuma.run(MODULE, {"name": "unit-mm", "state": "absent"})
    assert result["changed"] and result["action"] == "delete" and result["notification"] is None
    assert "unit-mm" not in notifications(kuma)
    result = kuma.run(MODULE, {"name": "unit-mm", "state": "absent"})
    assert not result["changed"] and result["requests"]["writes"] == 0


def test_other_provider_secret_keys(kuma):
    args = {"name": "unit-tg", "type": "telegram",
            "config": {"telegramBotToken": TOKEN, "telegramChatID": "-100123", "telegramSendSilently": False}}
    result = kuma.run(MODULE, args)
    assert result["changed"] and result["secret_keys"] == ["telegramBotToken"]
    assert result["notification"]["config"] == {"telegramBotToken": "[REDACTED]", "telegramChatID": "-100123",
                                                "telegramSendSilently": False}
    assert_no_secret(result, TOKEN)
    assert notifications(kuma)["unit-tg"][1]["telegramBotToken"] == TOKEN
    try:
        result = kuma.run(MODULE, args)
        assert not result["changed"] and result["requests"]["writes"] == 0

        # Omitted config: the stored settings are kept (here: only is_default changes).
        result = kuma.run(MODULE, {"name": "unit-tg", "is_default": True})
        assert result["changed"] and result["requests"]["writes"] == 1
        assert notifications(kuma)["unit-tg"][1]["telegramBotToken"] == TOKEN

        # secret_keys replaces the guess: here the chat id is a secret too.
        result = kuma.run(MODULE, dict(args, secret_keys=["telegramChatID", "telegramBotToken"], is_default=True))
        assert not result["changed"] and result["notification"]["config"]["telegramChatID"] == "[REDACTED]"
        assert_no_secret(result, TOKEN, "-100123")
    finally:
        kuma.run(MODULE, {"name": "unit-tg", "state": "absent"})


def test_apply_existing_is_idempotent(kuma):
    with monitors(kuma, "unit-n-a", "unit-n-b") as ids:
        args = {"name": "unit-apply", "mattermost": {"webhook_url": HOOK}, "apply_existing": True}
        result = kuma.run(MODULE, args, check=True)
        assert result["changed"] and result["requests"]["writes"] == 0
        assert set(result["applied_to"]) >= {"unit-n-a", "unit-n-b"}

        result = kuma.run(MODULE, args)
        assert result["changed"] and result["requests"]["writes"] == 1
        nid = result["notification"]["id"]
        assert monitor_notifications(kuma, ids) == {"unit-n-a": [nid], "unit-n-b": [nid]}

        result = kuma.run(MODULE, args)
        assert not result["changed"] and result["requests"]["writes"] == 0 and result["applied_to"] == []

        # A monitor added later lacks it: the next run applies it (one write), and says where.
        with monitors(kuma, "unit-n-c") as later:
            result = kuma.run(MODULE, args)
            assert result["changed"] and result["applied_to"] == ["unit-n-c"] and result["requests"]["writes"] == 1
            assert result["diff"]["before"]["not_applied_to"] == ["unit-n-c"] and result["diff"]["after"]["not_applied_to"] == []
            assert monitor_notifications(kuma, later) == {"unit-n-c": [nid]}

        # apply_existing false never detaches.
        result = kuma.run(MODULE, dict(args, apply_existing=False))
        assert not result["changed"] and "applied_to" not in result
        assert monitor_notifications(kuma, ids) == {"unit-n-a": [nid], "unit-n-b": [nid]}
        kuma.run(MODULE, {"name": "unit-apply", "state": "absent"})


def test_bad_input_writes_nothing(kuma):
    cases = [
        ({"name": "unit-bad", "type": "mattermots", "config": {"x": "y"}}, "unknown notification type 'mattermots': did you mean 'mattermost'"),
        ({"name": "unit-bad", "type": "Slack", "config": {}}, "did you mean 'slack'"),
        ({"name": "unit-bad", "type": "nosuchprovider", "config": {}}, "the types are: alerta, AlertNow"),
        ({"name": "unit-bad", "mattermost": {"username": "x"}}, "webhook_url"),
        ({"name": "unit-bad", "type": "mattermost", "config": {"mattermostusername": "x"}}, "needs the webhook URL"),
        ({"name": "unit-bad", "mattermost": {"webhook_url": HOOK}, "config": {"a": 1}}, "mutually exclusive"),
        ({"name": "unit-bad", "type": "slack", "mattermost": {"webhook_url": HOOK}}, "mattermost is for type mattermost"),
        ({"name": "unit-bad", "type": "slack", "config": {"type": "discord"}}, "config must not set type"),
        ({"name": "unit-bad", "config": {"a": "b"}}, "type (or mattermost) is needed"),
    ]
    for args, expected in cases:
        result = kuma.run(MODULE, args)
        assert result.get("failed"), args
        assert expected in result["msg"] and "\n" not in result["msg"] and "exception" not in result, result["msg"]
        assert result.get("requests", {}).get("writes", 0) == 0
        assert_no_secret(result, HOOK)
    assert "unit-bad" not in notifications(kuma)
