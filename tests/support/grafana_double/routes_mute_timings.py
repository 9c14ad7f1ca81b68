# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: mute timings and notification templates."""

from __future__ import annotations

import copy
import re

from .common import MONTHS, WEEKDAYS, errutil, fingerprint
from .routes_contact_points import check_provenance, policy_intervals, rename_in_policy, with_provenance
from .routing import route


# --------------------------------------------------------------------------------------------
# alerting: mute timings and templates
# --------------------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")


def _bad(message):
    return errutil(400, "alerting.notifications.time-intervals.invalidFormat", "invalid time interval: " + message)


def _member(key, text):
    """One end of a range as alertmanager's timeinterval parses it (after lower-casing)."""
    if key == "weekdays":
        if text not in WEEKDAYS:
            raise ValueError(text)
        return WEEKDAYS.index(text)
    if key == "months" and text in MONTHS:
        return MONTHS.index(text) + 1
    if not re.match(r"^[+-]?[0-9]+$", text):
        raise ValueError(text)
    return int(text)


def _stored_range(key, value):
    """A weekday/day/month/year range as Grafana stores it: parsed, checked, written back.

    Grafana keeps these as integer ranges and marshals them again on every read: weekdays by
    lower-case name, everything else by number (``January:March`` -> ``1:3``), and a range whose
    ends are equal as a single value (``5:5`` -> ``5``).
    """
    text = str(value).lower()
    parts = text.split(":")
    if len(parts) > 2:
        raise _bad("bad %s value %r" % (key, value))
    try:
        begin, end = _member(key, parts[0]), _member(key, parts[-1])
    except ValueError:
        raise _bad("bad %s value %r" % (key, value))
    if key == "days_of_month":
        for day in (begin, end):
            if day == 0 or not -31 <= day <= 31:
                raise _bad("bad %s value %r: %d is not a valid day of the month" % (key, value, day))
        if begin < 0 < end:
            raise _bad("bad %s value %r: end day must be negative if start day is negative" % (key, value))
        if (begin + 28 if begin < 0 else begin) > (end + 28 if end < 0 else end):
            raise _bad("bad %s value %r: end day is always before start day" % (key, value))
    elif begin > end:
        raise _bad("bad %s value %r: the end is before the start" % (key, value))
    if key == "months" and not (1 <= begin and end <= 12):
        raise _bad("bad %s value %r: months are 1 to 12" % (key, value))
    if key == "years" and begin < 0:
        raise _bad("bad %s value %r" % (key, value))
    if key == "weekdays":
        begin, end = WEEKDAYS[begin], WEEKDAYS[end]
    return str(begin) if begin == end else "%s:%s" % (begin, end)


def _canonical_intervals(intervals):
    """The intervals as Grafana stores (and answers) them."""
    if not isinstance(intervals, list):
        raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time_intervals must be a list")
    out = []
    for item in intervals:
        if not isinstance(item, dict):
            raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time interval must be an object")
        stored = {}
        times = []
        for rng in item.get("times") or []:
            ends = []
            for key in ("start_time", "end_time"):
                text = str(rng.get(key) or "")
                if not _TIME_RE.match(text):
                    raise _bad("bad %s %r" % (key, rng.get(key)))
                ends.append(int(text[:2]) * 60 + int(text[3:]))
            if ends[0] >= ends[1]:
                raise _bad("start time cannot be equal or greater than end time")
            times.append({"start_time": "%02d:%02d" % divmod(ends[0], 60), "end_time": "%02d:%02d" % divmod(ends[1], 60)})
        if times:
            stored["times"] = times
        for key in ("weekdays", "days_of_month", "months", "years"):
            values = [_stored_range(key, value) for value in item.get(key) or []]
            if values:
                stored[key] = values
        if item.get("location") is not None:
            # time.LoadLocation: "" is UTC, anything else must be a zone name it can load.
            location = str(item["location"]) or "UTC"
            if location not in ("UTC", "Local") and not re.match(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", location):
                raise _bad("unknown time zone %s" % location)
            stored["location"] = location
        out.append(stored)
    return out


def mt_dto(rec):
    out = {"name": rec["name"], "time_intervals": copy.deepcopy(rec["time_intervals"]), "version": rec["version"]}
    return with_provenance(out, rec["provenance"])


def _mt_version(rec):
    return fingerprint([rec["name"], rec["time_intervals"]])


@route("GET", r"/api/v1/provisioning/mute-timings", role="Editor")
def list_mute_timings(ctx):
    return [mt_dto(ctx.org.mute_timings[name]) for name in sorted(ctx.org.mute_timings)]


@route("GET", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def read_mute_timing(ctx):
    rec = ctx.org.mute_timings.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.time-intervals.notFound", "time interval not found")
    return mt_dto(rec)


@route("POST", r"/api/v1/provisioning/mute-timings", role="Editor")
def create_mute_timing(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time interval name must not be empty")
    if name in ctx.org.mute_timings:
        raise errutil(400, "alerting.notifications.time-intervals.nameExists",
                      "Time interval with this name already exists. Use a different name or update existing one.")
    rec = {"name": name, "time_intervals": _canonical_intervals(body.get("time_intervals") or []),
           "provenance": ctx.provenance}
    rec["version"] = _mt_version(rec)
    ctx.org.mute_timings[name] = rec
    return 201, mt_dto(rec)


@route("PUT", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def update_mute_timing(ctx):
    org = ctx.org
    rec = org.mute_timings.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.time-intervals.notFound", "time interval not found")
    body = ctx.json_body()
    if body.get("version") and body["version"] != rec["version"]:
        raise errutil(409, "alerting.notifications.conflict",
                      "provided version %s of time interval %s does not match current version %s"
                      % (body["version"], rec["name"], rec["version"]))
    check_provenance(ctx, rec["provenance"])
    new_name = str(body.get("name") or rec["name"]).strip()
    if new_name != rec["name"] and new_name in org.mute_timings:
        raise errutil(409, "alerting.notifications.time-intervals.nameExists", "Time interval with this name already exists.")
    intervals = _canonical_intervals(body.get("time_intervals") or [])
    if new_name != rec["name"]:
        del org.mute_timings[rec["name"]]
        rename_in_policy(org.policy, "interval", rec["name"], new_name)
    rec.update({"name": new_name, "time_intervals": intervals, "provenance": ctx.provenance})
    rec["version"] = _mt_version(rec)
    org.mute_timings[new_name] = rec
    return 202, mt_dto(rec)


@route("DELETE", r"/api/v1/provisioning/mute-timings/(?P<name>[^/]+)", role="Editor")
def delete_mute_timing(ctx):
    org = ctx.org
    rec = org.mute_timings.get(ctx.params["name"])
    if rec is None:
        return 204, None
    version = ctx.q("version")
    if version and version != rec["version"]:
        raise errutil(409, "alerting.notifications.conflict", "provided version does not match current version")
    if rec["name"] in policy_intervals(org.policy):
        raise errutil(409, "alerting.notifications.time-intervals.used",
                      "Time interval is used by one or many notification policies", {"uid": rec["name"]})
    check_provenance(ctx, rec["provenance"])
    del org.mute_timings[rec["name"]]
    return 204, None


@route("GET", r"/api/v1/provisioning/templates", role="Editor")
def list_templates(ctx):
    return [with_provenance({"name": r["name"], "template": r["template"], "version": r["version"]}, r["provenance"])
            for r in (ctx.org.templates[name] for name in sorted(ctx.org.templates))]


@route("GET", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def read_template(ctx):
    rec = ctx.org.templates.get(ctx.params["name"])
    if rec is None:
        raise errutil(404, "alerting.notifications.templates.notFound", "Template not found")
    return with_provenance({"name": rec["name"], "template": rec["template"], "version": rec["version"]}, rec["provenance"])


@route("PUT", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def put_template(ctx):
    name = ctx.params["name"]
    body = ctx.json_body()
    text = body.get("template")
    if not isinstance(text, str) or not text.strip():
        raise errutil(400, "alerting.notifications.templates.invalidFormat", "template must not be empty")
    if ctx.state.legacy_template_wrap and "{{ define" not in text and "{{define" not in text:
        text = '{{ define "%s" }}\n  %s\n{{ end }}' % (name, text)
    rec = ctx.org.templates.get(name)
    if rec is not None:
        if body.get("version") and body["version"] != rec["version"]:
            raise errutil(409, "alerting.notifications.conflict", "provided version does not match current version")
        check_provenance(ctx, rec["provenance"])
    rec = {"name": name, "template": text, "provenance": ctx.provenance}
    rec["version"] = fingerprint([name, text])
    ctx.org.templates[name] = rec
    return 202, with_provenance({"name": name, "template": text, "version": rec["version"]}, rec["provenance"])


@route("DELETE", r"/api/v1/provisioning/templates/(?P<name>[^/]+)", role="Editor")
def delete_template(ctx):
    rec = ctx.org.templates.pop(ctx.params["name"], None)
    if rec is not None:
        check_provenance(ctx, rec["provenance"])
    return 204, None
