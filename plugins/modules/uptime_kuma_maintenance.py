#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage one Uptime Kuma maintenance window, found by its title."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_maintenance
short_description: Manage Uptime Kuma maintenance windows
version_added: "0.1.0"
description:
  - Creates, updates, pauses, resumes and deletes one maintenance of Uptime Kuma 2.x, found by its
    O(title), with the monitors it silences and the status pages that announce it.
  - The schedule follows O(strategy), as in Uptime Kuma's web app. Options left out keep what the
    maintenance has; when O(strategy) changes (or the maintenance is created) the options the new
    strategy needs must be given, and options another strategy uses are refused.
author:
  - vigil.observability maintainers (@vigil)
options:
  title:
    description:
      - Title of the maintenance. Two maintenances with one title make the module fail, naming both ids.
    type: str
    required: true
  description:
    description:
      - Text shown with the maintenance (on status pages too).
    type: str
  strategy:
    description:
      - V(manual) is active until paused (O(active=false)); V(single) is one window
        (O(date_range)); V(cron) starts at each match of O(cron) for O(duration) minutes;
        V(recurring-interval) every O(interval_day) days, V(recurring-weekday) on O(weekdays) and
        V(recurring-day-of-month) on O(days_of_month), each in O(time_range).
      - A new maintenance is V(manual) without it.
    type: str
    choices: [manual, single, cron, recurring-interval, recurring-weekday, recurring-day-of-month]
  active:
    description:
      - V(false) pauses the maintenance, V(true) resumes it. A new maintenance is active without it.
    type: bool
  date_range:
    description:
      - V(single) - the window, as two local date-times V(YYYY-MM-DD HH:MM) (or with a C(T), or
        with seconds) in O(timezone), start and end.
      - V(cron) and V(recurring-*) - the optional dates within which the schedule applies, one
        (from) or two (from, to); V([]) for always.
    type: list
    elements: str
  time_range:
    description:
      - V(recurring-*) - start and end time of the daily window, two V(HH:MM); an end before the
        start ends the next day.
    type: list
    elements: str
  weekdays:
    description:
      - V(recurring-weekday) - the days, as V(mon) ... V(sun) (or full names), or numbers with
        V(0) for Sunday and V(1) for Monday. Compared in any order.
    type: list
    elements: raw
  days_of_month:
    description:
      - V(recurring-day-of-month) - days V(1) to V(31), and V(last) for the last day of the month.
        Compared in any order.
    type: list
    elements: raw
  interval_day:
    description:
      - V(recurring-interval) - every how many days (1 to 3650). A new schedule uses V(1) without it.
    type: int
  cron:
    description:
      - V(cron) - the cron expression of the starts (five or six fields), in O(timezone).
    type: str
  duration:
    description:
      - V(cron) - minutes each window lasts.
    type: int
  timezone:
    description:
      - Time zone of the dates, times and cron expression, an IANA name such as V(Europe/Berlin),
        V(UTC), or V(SAME_AS_SERVER) (Uptime Kuma's own setting; the default of a new maintenance).
      - Checked against the time zones this host knows before anything is sent, because Uptime Kuma 2.5.3
        saves a maintenance with an unknown time zone and then cannot list any maintenance.
    type: str
  monitors:
    description:
      - Names of the monitors the maintenance silences (all of them; compared in any order). An
        unknown name is an error, unless O(missing_monitors=ignore).
    type: list
    elements: str
  missing_monitors:
    description:
      - V(fail) - a name of O(monitors) that Uptime Kuma has no monitor of fails the module, naming it.
      - V(ignore) - such names are left out (RV(missing_monitors) lists them), for a maintenance of the
        monitors of some hosts when some of them have none yet.
    type: str
    choices: [fail, ignore]
    default: fail
  unit:
    description:
      - A systemd unit of the host that runs the module, for example V(uptime-kuma.service), when the module
        runs where Uptime Kuma does. When the unit is not active there (not installed, not started yet,
        stopped), the module connects to nothing and the task is skipped with the unit's state as the reason.
    type: str
  status_pages:
    description:
      - Slugs of the status pages that show the maintenance (all of them; compared in any order).
    type: list
    elements: str
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
  - vigil.observability._state
notes:
  - Dates are stored as given, in the maintenance's time zone; the module sends them the way the web app does
    (C(YYYY-MM-DDTHH:MM)).
seealso:
  - module: vigil.observability.uptime_kuma_status_page
"""

EXAMPLES = r"""
- name: Database upgrade on Saturday night
  vigil.observability.uptime_kuma_maintenance:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /var/lib/vigil/uptime-kuma.token
    title: Database upgrade
    description: The shop is read-only during the upgrade.
    strategy: single
    date_range: ["2030-03-02 22:00", "2030-03-03 02:00"]
    timezone: Europe/Berlin
    monitors: [shop-api, shop-db]
    status_pages: [shop]

- name: Backups every weekday night
  vigil.observability.uptime_kuma_maintenance:
    title: Nightly backup
    strategy: recurring-weekday
    weekdays: [mon, tue, wed, thu, fri]
    time_range: ["01:00", "01:30"]
    timezone: UTC
    monitors: [shop-db]

- name: Patch window from a cron expression, paused for now
  vigil.observability.uptime_kuma_maintenance:
    title: Patch window
    strategy: cron
    cron: "0 4 * * 2"
    duration: 45
    active: false
"""

RETURN = r"""
maintenance:
  description: The maintenance with its id and the C(status) Uptime Kuma gives it.
  returned: always
  type: dict
  sample: {"id": 3, "title": "Nightly backup", "description": "", "strategy": "recurring-weekday", "active": true,
           "timezone": "UTC", "weekdays": [1, 2, 3, 4, 5], "time_range": ["01:00", "01:30"], "date_range": [null, null],
           "monitors": ["shop-db"], "status_pages": [], "status": "scheduled"}
action:
  description: V(create), V(update) (schedule, monitors, status pages, pause or resume), V(delete), or null.
  returned: always
  type: str
  sample: update
missing_monitors:
  description: The names of O(monitors) Uptime Kuma has no monitor of, left out (O(missing_monitors=ignore)).
  returned: with O(state=present)
  type: list
  elements: str
  sample: [web-03 node_exporter]
diff:
  description:
    - The schedule options of the strategy, C(active), the monitors and the status pages before and after, exactly
      as compared (weekdays as numbers, 0 is Sunday).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"active": true}, "after": {"active": false}}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma (a no-op sends no write).
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 3, "writes": 0}
"""

import copy
import datetime
import re

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_lookup, _kuma_module, _systemd
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_objects import (
    monitor_ids, monitor_names, status_page_ids, status_page_slugs, text, write,
)

try:
    import zoneinfo
except ImportError:  # pragma: no cover - Python < 3.9
    zoneinfo = None

RECURRING = ("recurring-interval", "recurring-weekday", "recurring-day-of-month")
# Which schedule options each strategy uses, and which it needs when it is newly chosen.
USES = {
    "manual": (),
    "single": ("date_range",),
    "cron": ("cron", "duration", "date_range"),
    "recurring-interval": ("interval_day", "time_range", "date_range"),
    "recurring-weekday": ("weekdays", "time_range", "date_range"),
    "recurring-day-of-month": ("days_of_month", "time_range", "date_range"),
}
NEEDS = {
    "single": ("date_range",),
    "cron": ("cron", "duration"),
    "recurring-interval": ("time_range",),
    "recurring-weekday": ("weekdays", "time_range"),
    "recurring-day-of-month": ("days_of_month", "time_range"),
}
# What an edit keeps from the stored maintenance unless an option changes it.
KEPT = ("description", "active", "intervalDay", "dateRange", "timeRange", "weekdays", "daysOfMonth", "cron",
        "durationMinutes", "timezoneOption")
SCHEDULE = ("date_range", "time_range", "weekdays", "days_of_month", "interval_day", "cron", "duration")
WEEKDAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
FULL_WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
SERVER_ZONE = "SAME_AS_SERVER"


# -- values as compared and as sent -------------------------------------------------------------

def parse_date(value):
    """A date-time string -> datetime, or None when it is not one of the forms above."""
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value).strip(), form)
        except ValueError:
            continue
    return None


def show_date(value):
    """The compared form of a stored or given date: ``YYYY-MM-DD HH:MM[:SS]`` (unknown forms as they are)."""
    if value in (None, ""):
        return None
    parsed = parse_date(value)
    if parsed is None:
        return str(value)
    return parsed.strftime("%Y-%m-%d %H:%M:%S" if parsed.second else "%Y-%m-%d %H:%M")


def send_date(value):
    """The form the web app sends: ``YYYY-MM-DDTHH:MM[:SS]``."""
    if value is None:
        return None
    parsed = parse_date(value)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S" if parsed.second else "%Y-%m-%dT%H:%M")


def date_pair(values):
    values = list(values or [])[:2]
    values += [None] * (2 - len(values))
    return [show_date(v) for v in values]


def show_time(obj):
    if not isinstance(obj, dict):
        return None
    return "%02d:%02d" % (int(obj.get("hours") or 0), int(obj.get("minutes") or 0))


def weekday_list(values, label):
    out = set()
    for value in values:
        key = str(value).strip().lower()
        if key.isdigit() and 0 <= int(key) <= 6:
            out.add(int(key))
        elif key in WEEKDAYS or key in FULL_WEEKDAYS:
            out.add(WEEKDAYS[key[:3]])
        else:
            raise ValidationError("%s: weekdays: %r is not a weekday (mon ... sun, or 0 to 6 with 0 for Sunday)" % (label, value))
    return sorted(out)


def day_list(values, label):
    days, last = set(), False
    for value in values:
        key = str(value).strip()
        if key.lower() in ("last", "l", "lastday1"):
            last = True
        elif key.isdigit() and 1 <= int(key) <= 31:
            days.add(int(key))
        else:
            raise ValidationError("%s: days_of_month: %r is not a day (1 to 31, or last)" % (label, value))
    return sorted(days) + (["lastDay1"] if last else [])


def stored_days(values):
    days = sorted(int(v) for v in values or [] if isinstance(v, int) or str(v).isdigit())
    return days + (["lastDay1"] if any(str(v).startswith("lastDay") for v in values or []) else [])


def check_timezone(name, label):
    if name in (SERVER_ZONE, "UTC"):
        return name
    known = None
    if zoneinfo is not None:
        try:
            known = zoneinfo.available_timezones()
        except Exception:  # pylint: disable=broad-except
            known = None
    if known:
        if name not in known:
            raise ValidationError("%s: timezone %r is not a time zone this host knows (an IANA name such as "
                                  "'Europe/Berlin', 'UTC' or SAME_AS_SERVER)" % (label, name))
    elif not re.match(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", name):
        raise ValidationError("%s: timezone %r is not an IANA time zone name" % (label, name))
    return name


def view(raw):
    """The comparable form of {"maintenance": listed object, "monitors": [names], "status_pages": [slugs]}."""
    item = raw["maintenance"]
    strategy = item.get("strategy") or "manual"
    out = {"title": item.get("title"), "description": text(item.get("description")), "strategy": strategy,
           "active": bool(item.get("active")), "timezone": item.get("timezoneOption") or SERVER_ZONE}
    uses = USES.get(strategy, ())
    if "date_range" in uses:
        out["date_range"] = date_pair(item.get("dateRange"))
    if "time_range" in uses:
        out["time_range"] = [show_time(t) for t in (item.get("timeRange") or [None, None])[:2]]
    if "weekdays" in uses:
        out["weekdays"] = sorted(set(int(d) for d in item.get("weekdays") or []))
    if "days_of_month" in uses:
        out["days_of_month"] = stored_days(item.get("daysOfMonth"))
    if "interval_day" in uses:
        out["interval_day"] = item.get("intervalDay")
    if "cron" in uses:
        out["cron"] = item.get("cron")
        out["duration"] = item.get("durationMinutes")
    out["monitors"] = sorted(raw["monitors"])
    out["status_pages"] = sorted(raw["status_pages"])
    return out


class Maintenance(_kuma_module.KumaObject):
    kind = "maintenance"
    identity = "title"
    payload = None
    links = None
    active = None
    missing = ()

    # -- reading -----------------------------------------------------------------------------

    def read(self, client):
        item = _kuma_lookup.maintenances_by_title(client).get(self.name)
        if item is None:
            return None
        mid = item["id"]
        monitors = client.call("getMonitorMaintenance", mid, what="%s: reading its monitors" % self.label)
        pages = client.call("getMaintenanceStatusPage", mid, what="%s: reading its status pages" % self.label)
        names, slugs = monitor_names(client), status_page_slugs(client)
        monitor_ids_ = [int(m["id"]) for m in monitors.get("monitors") or []]
        page_ids = [int(p["id"]) for p in pages.get("statusPages") or []]
        return {"maintenance": item, "monitor_ids": monitor_ids_, "status_page_ids": page_ids,
                "monitors": [names.get(i) or "#%d" % i for i in monitor_ids_],
                "status_pages": [slugs.get(i) or "#%d" % i for i in page_ids]}

    # -- the desired state -------------------------------------------------------------------

    def desired(self, client, current):
        params, label = self.params, self.label
        item = current["maintenance"] if current is not None else None
        old_strategy = (item.get("strategy") or "manual") if item is not None else None
        strategy = params["strategy"] or old_strategy or "manual"
        given = [o for o in SCHEDULE if params[o] is not None]
        for option in given:
            if option not in USES[strategy]:
                users = [s for s in USES if option in USES[s]]
                raise ValidationError("%s: %s is for strategy %s, not %s" % (label, option, " or ".join(users), strategy))
        if strategy != old_strategy:
            missing = [o for o in NEEDS.get(strategy, ()) if params[o] is None]
            if missing:
                raise ValidationError("%s: strategy %s needs %s" % (label, strategy, " and ".join(missing)))

        payload = {"title": self.name, "description": "", "strategy": strategy, "active": True,
                   "intervalDay": 1, "dateRange": [], "timeRange": [{"hours": 0, "minutes": 0}, {"hours": 0, "minutes": 0}],
                   "weekdays": [], "daysOfMonth": [], "cron": "", "durationMinutes": None, "timezoneOption": SERVER_ZONE}
        if item is not None:
            payload.update({k: copy.deepcopy(item[k]) for k in KEPT if k in item})
            payload["id"] = item["id"]
            payload["dateRange"] = [send_date(d) if parse_date(d) else d for d in payload.get("dateRange") or []]
            payload["timeRange"] = [{"hours": t.get("hours", 0), "minutes": t.get("minutes", 0)}
                                    for t in payload.get("timeRange") or [] if isinstance(t, dict)]
            if strategy != old_strategy:
                payload["dateRange"] = []
        payload["strategy"] = strategy
        if params["description"] is not None:
            payload["description"] = params["description"]
        if params["timezone"] is not None:
            payload["timezoneOption"] = check_timezone(params["timezone"], label)
        if params["date_range"] is not None:
            payload["dateRange"] = self.dates(strategy)
        if params["time_range"] is not None:
            payload["timeRange"] = self.times()
        if params["weekdays"] is not None:
            payload["weekdays"] = weekday_list(params["weekdays"], label)
            if not payload["weekdays"]:
                raise ValidationError("%s: weekdays must name at least one day" % label)
        if params["days_of_month"] is not None:
            payload["daysOfMonth"] = day_list(params["days_of_month"], label)
            if not payload["daysOfMonth"]:
                raise ValidationError("%s: days_of_month must name at least one day" % label)
        if params["interval_day"] is not None:
            if not 1 <= params["interval_day"] <= 3650:
                raise ValidationError("%s: interval_day must be 1 to 3650, got %d" % (label, params["interval_day"]))
            payload["intervalDay"] = params["interval_day"]
        if params["cron"] is not None:
            fields = params["cron"].split()
            if len(fields) not in (5, 6):
                raise ValidationError("%s: cron %r must have five or six fields" % (label, params["cron"]))
            payload["cron"] = " ".join(fields)
        if params["duration"] is not None:
            if params["duration"] < 1:
                raise ValidationError("%s: duration must be at least 1 (minutes), got %d" % (label, params["duration"]))
            payload["durationMinutes"] = params["duration"]
        self.active = params["active"] if params["active"] is not None else bool(payload["active"])
        payload["active"] = self.active if item is None else bool(item.get("active"))

        links = {"monitors": current["monitor_ids"] if current is not None else [],
                 "status_pages": current["status_page_ids"] if current is not None else []}
        names = {"monitors": list(current["monitors"]) if current is not None else [],
                 "status_pages": list(current["status_pages"]) if current is not None else []}
        if params["monitors"] is not None:
            wanted = list(params["monitors"])
            if params["missing_monitors"] == "ignore":
                known = _kuma_lookup.monitors_by_name(client)
                self.missing = [name for name in wanted if name not in known]
                wanted = [name for name in wanted if name in known]
            links["monitors"] = monitor_ids(client, wanted, "monitors", label)
            names["monitors"] = wanted
        if params["status_pages"] is not None:
            links["status_pages"] = status_page_ids(client, params["status_pages"], "status_pages", label)
            names["status_pages"] = list(params["status_pages"])
        self.payload, self.links = payload, links

        shown = dict(payload, active=self.active, timezoneOption=payload["timezoneOption"],
                     timeRange=[dict(t) for t in payload["timeRange"]])
        return view({"maintenance": shown, "monitors": names["monitors"], "status_pages": names["status_pages"]})

    def dates(self, strategy):
        values = self.params["date_range"]
        if len(values) > 2:
            raise ValidationError("%s: date_range has a start and an end, got %d values" % (self.label, len(values)))
        for value in values:
            if parse_date(value) is None:
                raise ValidationError("%s: date_range: %r is not a date-time such as '2030-03-02 22:00'" % (self.label, value))
        if strategy == "single" and len(values) != 2:
            raise ValidationError("%s: strategy single needs date_range with a start and an end" % self.label)
        if len(values) == 2 and parse_date(values[1]) <= parse_date(values[0]):
            raise ValidationError("%s: date_range ends (%s) before it starts (%s)" % (self.label, values[1], values[0]))
        return [send_date(v) for v in values]

    def times(self):
        values = self.params["time_range"]
        out = []
        for value in values:
            match = TIME.match(str(value).strip())
            if not match:
                raise ValidationError("%s: time_range: %r is not a time such as '22:30'" % (self.label, value))
            out.append({"hours": int(match.group(1)), "minutes": int(match.group(2))})
        if len(out) != 2:
            raise ValidationError("%s: time_range has a start and an end time, got %d values" % (self.label, len(out)))
        return out

    # -- writing -----------------------------------------------------------------------------

    def link(self, client, mid, current):
        if current is None or sorted(current["monitor_ids"]) != sorted(self.links["monitors"]):
            if current is not None or self.links["monitors"]:
                write(client, "addMonitorMaintenance", mid, [{"id": i} for i in self.links["monitors"]],
                      what="%s: setting its monitors" % self.label)
        if current is None or sorted(current["status_page_ids"]) != sorted(self.links["status_pages"]):
            if current is not None or self.links["status_pages"]:
                write(client, "addMaintenanceStatusPage", mid, [{"id": i} for i in self.links["status_pages"]],
                      what="%s: setting its status pages" % self.label)

    def switch(self, client, mid, active):
        event = "resumeMaintenance" if active else "pauseMaintenance"
        write(client, event, mid, refresh=("maintenanceList",),
              what="%s: %s" % (self.label, "resuming" if active else "pausing"))

    def create(self, client, desired, current):
        answer = write(client, "addMaintenance", self.payload, refresh=("maintenanceList",),
                       what="%s: adding" % self.label)
        mid = answer["maintenanceID"]
        self.link(client, mid, None)
        if not self.active:
            self.switch(client, mid, False)
        return answer

    def update(self, client, desired, current):
        mid = current["maintenance"]["id"]
        before = view(current)
        after_schedule = {k: v for k, v in desired.items() if k not in ("active", "monitors", "status_pages")}
        if {k: v for k, v in before.items() if k not in ("active", "monitors", "status_pages")} != after_schedule:
            write(client, "editMaintenance", self.payload, refresh=("maintenanceList",), what="%s: saving" % self.label)
        self.link(client, mid, current)
        if bool(current["maintenance"].get("active")) != self.active:
            self.switch(client, mid, self.active)

    def delete(self, client, desired, current):
        return write(client, "deleteMaintenance", current["maintenance"]["id"], refresh=("maintenanceList",),
                     what="%s: deleting" % self.label)

    def extra(self):
        return {"missing_monitors": list(self.missing)}

    def view(self, raw):
        return view(raw)

    def summary(self, raw):
        return dict(view(raw), id=raw["maintenance"].get("id"), status=raw["maintenance"].get("status"))

    def predict(self, desired, current):
        return dict(copy.deepcopy(desired), id=current["maintenance"].get("id") if current is not None else None)


def check(params):
    if params["timezone"] is not None:
        check_timezone(params["timezone"], "maintenance %r" % params["title"])


def main():
    module = _kuma_module.kuma_module(dict(
        title=dict(type="str", required=True),
        description=dict(type="str"),
        strategy=dict(type="str", choices=list(USES)),
        active=dict(type="bool"),
        date_range=dict(type="list", elements="str"),
        time_range=dict(type="list", elements="str"),
        weekdays=dict(type="list", elements="raw"),
        days_of_month=dict(type="list", elements="raw"),
        interval_day=dict(type="int"),
        cron=dict(type="str"),
        duration=dict(type="int"),
        timezone=dict(type="str"),
        monitors=dict(type="list", elements="str"),
        missing_monitors=dict(type="str", choices=["fail", "ignore"], default="fail"),
        status_pages=dict(type="list", elements="str"),
        unit=dict(type="str"),
    ), "title", check)
    _systemd.skip_unless_active(module, module.params["unit"], maintenance=None, action=None)
    _kuma_module.run_object(module, Maintenance(module), "maintenance")


if __name__ == "__main__":
    main()
