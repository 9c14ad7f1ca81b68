# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The uptime_kuma_* modules' own rules, without a server (the modules against the real Uptime Kuma
are the integration tier, tests/integration)."""

from __future__ import annotations

import pytest

import kuma_server
from module_runner import run_ansible_module

from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError
from ansible_collections.vigil.observability.plugins.modules import uptime_kuma_maintenance as maintenance
from ansible_collections.vigil.observability.plugins.modules import uptime_kuma_notification as notification

ADMIN = "ansible_collections.vigil.observability.plugins.modules.uptime_kuma_admin"
FIRST = "Vigil-First-Passw0rd-2026"


def test_maintenance_normalisers():

    # Every date form the server may hold compares equal; the web app's form is what is sent.
    for value in ("2030-03-02 22:00", "2030-03-02T22:00", "2030-03-02 22:00:00", "2030-03-02T22:00:00"):
        assert maintenance.show_date(value) == "2030-03-02 22:00" and maintenance.send_date(value) == "2030-03-02T22:00"
    assert maintenance.show_date("2030-03-02") == "2030-03-02 00:00" and maintenance.show_date("2030-03-02 22:00:30") == "2030-03-02 22:00:30"
    assert maintenance.show_date("not a date") == "not a date" and maintenance.show_date(None) is None and maintenance.show_date("") is None
    assert maintenance.date_pair(["2030-03-02T22:00"]) == ["2030-03-02 22:00", None] and maintenance.date_pair(None) == [None, None]
    assert maintenance.show_time({"hours": 1, "minutes": 5, "seconds": 0}) == "01:05"

    assert maintenance.weekday_list(["Fri", "monday", 0, "3", "sun"], "m") == [0, 1, 3, 5]
    assert maintenance.day_list([15, "1", "last", "L", 15], "m") == [1, 15, "lastDay1"]
    assert maintenance.stored_days([15, 1, "lastDay1"]) == [1, 15, "lastDay1"]
    for bad in (["7"], ["mo"], ["holiday"]):
        with pytest.raises(ValidationError):
            maintenance.weekday_list(bad, "m")
    for bad in ([0], [32], ["lastDay2"]):
        with pytest.raises(ValidationError):
            maintenance.day_list(bad, "m")

    assert maintenance.check_timezone("SAME_AS_SERVER", "m") == "SAME_AS_SERVER" and maintenance.check_timezone("UTC", "m") == "UTC"
    assert maintenance.check_timezone("Europe/Berlin", "m") == "Europe/Berlin"
    with pytest.raises(ValidationError):
        maintenance.check_timezone("Europe/Atlantis", "m")


def test_notification_type_check_and_secret_guess():

    assert len(notification.PROVIDERS) == len(set(notification.PROVIDERS)) == 105
    assert notification.check_type("mattermost", "2.5.3", "n") is None
    # A newer server may know more providers: passed on with a warning.
    assert "passed on as given" in notification.check_type("brandnew", "2.6.0", "n")
    for version in ("2.5.3", "2.0.0", None, "nightly"):
        with pytest.raises(ValidationError):
            notification.check_type("brandnew", version, "n")

    class Module(object):
        params = {"secret_keys": None, "mattermost": None, "config": {"a": 1}, "type": "webhook", "name": "n"}
        no_log_values = set()

    note = notification.Notification(Module())
    for key in ("webhookURL", "smtpPassword", "telegramBotToken", "pushoverapptoken", "apiKey", "clientSecret"):
        assert note.is_secret(key, "x"), key
    for key in ("telegramChatID", "smtpHost", "mattermostusername"):
        assert not note.is_secret(key, "x"), key
    assert note.is_secret("mattermostWebhookUrl", "mattermost")
    Module.params = dict(Module.params, secret_keys=["telegramChatID"])
    note = notification.Notification(Module())
    assert note.is_secret("telegramChatID", "telegram") and not note.is_secret("telegramBotToken", "telegram")
    assert note.is_secret("mattermostWebhookUrl", "mattermost")


def test_admin_unreachable_and_not_kuma(tmp_path):
    result = run_ansible_module(ADMIN, {"url": "http://127.0.0.1:%d" % kuma_server.free_port(), "username": "admin",
                                        "password": FIRST, "wait": 1})
    assert result["failed"] and "connection refused" in result["msg"] and "exception" not in result
    with kuma_server._serve(str(tmp_path)) as url:  # pylint: disable=protected-access
        result = run_ansible_module(ADMIN, {"url": url, "username": "admin", "password": FIRST, "wait": 0, "timeout": 3})
    assert result["failed"] and "Uptime Kuma" in result["msg"] and "exception" not in result


class _ListClient(object):
    """What desired() reads of a session: the pushed lists."""

    def __init__(self, **lists):
        self.lists = lists

    def wait_list(self, name):
        return self.lists.get(name, {})


class _Params(object):
    def __init__(self, **params):
        self.params = dict({option: None for option in maintenance.SCHEDULE + (
            "description", "strategy", "active", "timezone", "monitors", "status_pages")},
            title="deploy", state="present", missing_monitors="fail")
        self.params.update(params)


MONITORS = {"1": {"id": 1, "name": "web-01 node_exporter"}, "2": {"id": 2, "name": "web-02 node_exporter"}}


def test_missing_monitors_ignore_leaves_out_the_names_uptime_kuma_has_not():
    obj = maintenance.Maintenance(_Params(monitors=["web-02 node_exporter", "web-03 node_exporter", "web-01 node_exporter"],
                                          missing_monitors="ignore"))
    view = obj.desired(_ListClient(monitorList=MONITORS), None)
    assert view["monitors"] == ["web-01 node_exporter", "web-02 node_exporter"]
    assert obj.links["monitors"] == [2, 1] and obj.extra() == {"missing_monitors": ["web-03 node_exporter"]}


def test_missing_monitors_ignore_with_none_known_is_a_maintenance_of_no_monitor():
    obj = maintenance.Maintenance(_Params(monitors=["web-03 node_exporter"], missing_monitors="ignore"))
    assert obj.desired(_ListClient(monitorList=MONITORS), None)["monitors"] == [] and obj.links["monitors"] == []


def test_an_unknown_monitor_fails_by_default_naming_it():
    obj = maintenance.Maintenance(_Params(monitors=["web-03 node_exporter"]))
    with pytest.raises(ValidationError, match="web-03 node_exporter"):
        obj.desired(_ListClient(monitorList=MONITORS), None)
    assert obj.extra() == {"missing_monitors": []}
