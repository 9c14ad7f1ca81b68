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

def _range_ok(value, names, low, high):
    parts = str(value).lower().split(":")
    if len(parts) > 2:
        return False
    for part in parts:
        if names and part in names:
            continue
        if not re.match(r"^-?\d+$", part) or not low <= int(part) <= high:
            return False
    return True


def _canonical_intervals(intervals):
    if not isinstance(intervals, list):
        raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time_intervals must be a list")
    out = []
    for item in intervals:
        if not isinstance(item, dict):
            raise errutil(400, "alerting.notifications.time-intervals.invalidFormat", "time interval must be an object")
        item = copy.deepcopy(item)
        for rng in item.get("times") or []:
            for key in ("start_time", "end_time"):
                if not re.match(r"^([01]\d|2[0-4]):[0-5]\d$", str(rng.get(key, ""))):
                    raise errutil(400, "alerting.notifications.time-intervals.invalidFormat",
                                  "invalid time interval: bad %s %r" % (key, rng.get(key)))
        checks = (("weekdays", WEEKDAYS, 0, 6), ("days_of_month", None, -31, 31), ("months", MONTHS, 1, 12),
                  ("years", None, 0, 9999))
        for key, names, low, high in checks:
            values = item.get(key) or []
            for value in values:
                if not _range_ok(value, names, low, high):
                    raise errutil(400, "alerting.notifications.time-intervals.invalidFormat",
                                  "invalid time interval: bad %s value %r" % (key, value))
            if names:
                item[key] = [str(v).lower() for v in values]
        out.append(dict((k, v) for k, v in item.items() if v not in (None, [], "")))
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
