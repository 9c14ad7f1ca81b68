# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_maintenance against the REAL Uptime Kuma 2.5.3 (the session's server)."""

from __future__ import annotations

import contextlib

from test_uptime_kuma_notification import monitors

MODULE = "uptime_kuma_maintenance"


@contextlib.contextmanager
def status_page(kuma, slug):
    client = kuma.client()
    try:
        client.call("addStatusPage", slug.title(), slug)
    finally:
        client.close()
    try:
        yield slug
    finally:
        client = kuma.client()
        try:
            client.call("deleteStatusPage", slug, check=False)
        finally:
            client.close()


def stored(kuma, title):
    """(the listed maintenance, [monitor ids], [status page ids]) or None."""
    client = kuma.client()
    try:
        found = [m for m in client.wait_list("maintenanceList").values() if m["title"] == title]
        if not found:
            return None
        mid = found[0]["id"]
        return (found[0], [m["id"] for m in client.call("getMonitorMaintenance", mid)["monitors"]],
                [p["id"] for p in client.call("getMaintenanceStatusPage", mid)["statusPages"]])
    finally:
        client.close()


def test_lifecycle(kuma):
    with monitors(kuma, "unit-mt-api", "unit-mt-db") as ids, status_page(kuma, "unit-mt-page"):
        args = {"title": "unit-upgrade", "strategy": "single", "date_range": ["2030-03-02 22:00", "2030-03-03T02:00"],
                "timezone": "Europe/Berlin", "monitors": ["unit-mt-api", "unit-mt-db"], "status_pages": ["unit-mt-page"]}

        result = kuma.run(MODULE, args, check=True)
        assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 0
        assert stored(kuma, "unit-upgrade") is None

        result = kuma.run(MODULE, args)
        assert result["changed"] and result["action"] == "create"
        item = result["maintenance"]
        assert item["id"] and item["active"] is True and item["status"] == "scheduled"
        assert item["date_range"] == ["2030-03-02 22:00", "2030-03-03 02:00"]
        assert item["monitors"] == ["unit-mt-api", "unit-mt-db"] and item["status_pages"] == ["unit-mt-page"]
        listed, monitor_ids, page_ids = stored(kuma, "unit-upgrade")
        assert listed["strategy"] == "single" and listed["timezoneOption"] == "Europe/Berlin"
        assert sorted(monitor_ids) == sorted(ids.values()) and len(page_ids) == 1

        # Re-run, monitors in another order: nothing to do, no write.
        result = kuma.run(MODULE, dict(args, monitors=["unit-mt-db", "unit-mt-api"]))
        assert not result["changed"] and result["requests"]["writes"] == 0
        assert result["diff"]["before"] == result["diff"]["after"]
        result = kuma.run(MODULE, {"title": "unit-upgrade"})
        assert not result["changed"] and result["requests"]["writes"] == 0

        # One field: one write. Monitors alone: one write, no save of the schedule.
        result = kuma.run(MODULE, dict(args, description="Read-only shop"))
        assert result["changed"] and result["action"] == "update" and result["requests"]["writes"] == 1
        assert stored(kuma, "unit-upgrade")[0]["description"] == "Read-only shop"
        result = kuma.run(MODULE, {"title": "unit-upgrade", "monitors": ["unit-mt-db"]})
        assert result["changed"] and result["requests"]["writes"] == 1
        assert stored(kuma, "unit-upgrade")[1] == [ids["unit-mt-db"]]

        # Pause: check mode writes nothing, then one write, then idempotent.
        result = kuma.run(MODULE, {"title": "unit-upgrade", "active": False}, check=True)
        assert result["changed"] and result["requests"]["writes"] == 0 and stored(kuma, "unit-upgrade")[0]["active"]
        result = kuma.run(MODULE, {"title": "unit-upgrade", "active": False})
        assert result["changed"] and result["requests"]["writes"] == 1 and result["maintenance"]["status"] == "inactive"
        assert stored(kuma, "unit-upgrade")[0]["active"] is False
        assert not kuma.run(MODULE, {"title": "unit-upgrade", "active": False})["changed"]

        # Every strategy: set, then idempotent.
        for schedule in (
            {"strategy": "recurring-weekday", "weekdays": ["fri", "monday", 3], "time_range": ["22:30", "01:15"]},
            {"strategy": "recurring-day-of-month", "days_of_month": [15, 1, "last"], "time_range": ["02:00", "03:00"],
             "date_range": ["2030-01-01 00:00"]},
            {"strategy": "recurring-interval", "interval_day": 3, "time_range": ["04:00", "05:00"]},
            {"strategy": "cron", "cron": "0 4 * * 2", "duration": 45, "timezone": "UTC"},
            {"strategy": "manual", "active": True},
        ):
            result = kuma.run(MODULE, dict(schedule, title="unit-upgrade"))
            assert result["changed"] and result["diff"]["after"]["strategy"] == schedule["strategy"], result
            result = kuma.run(MODULE, dict(schedule, title="unit-upgrade"))
            assert not result["changed"] and result["requests"]["writes"] == 0, result
        listed = stored(kuma, "unit-upgrade")[0]
        assert listed["strategy"] == "manual" and listed["active"] and listed["status"] == "under-maintenance"

        result = kuma.run(MODULE, {"title": "unit-upgrade", "state": "absent"}, check=True)
        assert result["changed"] and result["requests"]["writes"] == 0 and stored(kuma, "unit-upgrade")
        result = kuma.run(MODULE, {"title": "unit-upgrade", "state": "absent"})
        assert result["changed"] and result["action"] == "delete" and result["maintenance"] is None
        assert stored(kuma, "unit-upgrade") is None
        result = kuma.run(MODULE, {"title": "unit-upgrade", "state": "absent"})
        assert not result["changed"] and result["requests"]["writes"] == 0


def test_created_paused(kuma):
    args = {"title": "unit-paused", "strategy": "cron", "cron": "0 4 * * 2", "duration": 30, "active": False}
    result = kuma.run(MODULE, args)
    assert result["changed"] and result["maintenance"]["active"] is False
    assert stored(kuma, "unit-paused")[0]["active"] is False
    assert not kuma.run(MODULE, args)["changed"]
    kuma.run(MODULE, {"title": "unit-paused", "state": "absent"})


def test_bad_input_writes_nothing(kuma):
    with monitors(kuma, "unit-mt-known"):
        single = {"title": "unit-bad", "strategy": "single", "date_range": ["2030-01-01 10:00", "2030-01-01 11:00"]}
        cases = [
            (dict(single, monitors=["unit-mt-known", "unit-mt-nope"]), "maintenance 'unit-bad': unknown monitor 'unit-mt-nope' (in monitors)"),
            (dict(single, status_pages=["unit-no-such-page"]), "unknown status page 'unit-no-such-page' (in status_pages)"),
            (dict(single, timezone="Mars/Olympus_Mons"), "timezone 'Mars/Olympus_Mons' is not a time zone"),
            (dict(single, date_range=["2030-01-01 11:00", "2030-01-01 10:00"]), "ends (2030-01-01 10:00) before it starts"),
            (dict(single, date_range=["next tuesday", "2030-01-01 10:00"]), "'next tuesday' is not a date-time"),
            (dict(single, date_range=["2030-01-01 10:00"]), "needs date_range with a start and an end"),
            (dict(single, weekdays=["mon"]), "weekdays is for strategy recurring-weekday, not single"),
            ({"title": "unit-bad", "strategy": "cron", "cron": "0 4 * * 2"}, "strategy cron needs duration"),
            ({"title": "unit-bad", "strategy": "cron", "cron": "0 4 * *", "duration": 5}, "five or six fields"),
            ({"title": "unit-bad", "strategy": "recurring-weekday", "weekdays": ["someday"], "time_range": ["01:00", "02:00"]},
             "'someday' is not a weekday"),
            ({"title": "unit-bad", "strategy": "recurring-weekday", "weekdays": ["mon"], "time_range": ["25:00", "02:00"]},
             "'25:00' is not a time"),
            ({"title": "unit-bad", "strategy": "recurring-day-of-month", "days_of_month": [32], "time_range": ["01:00", "02:00"]},
             "32 is not a day"),
            ({"title": "unit-bad", "strategy": "recurring-interval", "time_range": ["01:00", "02:00"], "interval_day": 0},
             "interval_day must be 1 to 3650"),
        ]
        for args, expected in cases:
            result = kuma.run(MODULE, args)
            assert result.get("failed"), args
            assert expected in result["msg"] and "\n" not in result["msg"] and "exception" not in result, result["msg"]
            assert result.get("requests", {}).get("writes", 0) == 0
        # Nothing was stored, and the maintenance list still loads (an unknown time zone would break it).
        assert stored(kuma, "unit-bad") is None
