# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_mute_timing
short_description: Manage Grafana Alerting mute timings
version_added: 0.1.0
description:
  - Creates, updates and deletes a mute timing (time interval) identified by its O(name), for use in
    notification policies (C(mute_time_intervals) / C(active_time_intervals)).
  - The comparison is normalised the way Grafana stores mute timings - weekday names are
    case-insensitive, months are stored as numbers (V(January:March) is stored as V(1:3)), days,
    months and years as plain numbers (V(01) is V(1)), a range C(x:x) equals C(x), empty fields equal
    missing ones; C(version) and provenance are ignored. The intervals are sent in that form.
  - Values Grafana would refuse (an unknown weekday or month, a day 0, a range whose end is before its
    start, a time not in C(HH:MM) or not before its end) fail the task before anything is sent, in
    check mode too.
  - Updates send the current C(version), so a concurrent change is reported (HTTP 409) instead of lost.
author:
  - vigil.observability maintainers (@vigil)
options:
  name:
    description:
      - Name of the mute timing, its identity.
    type: str
    required: true
  time_intervals:
    description:
      - The intervals; the timing is active when any of them matches. Within one interval every
        given field must match.
    type: list
    elements: dict
    default: []
    suboptions:
      times:
        description:
          - Time-of-day ranges, C(start_time) and C(end_time) as V(HH:MM) (end V(24:00) allowed).
        type: list
        elements: dict
        suboptions:
          start_time:
            description: Start, V(HH:MM).
            type: str
            required: true
          end_time:
            description: End, V(HH:MM).
            type: str
            required: true
      weekdays:
        description:
          - Days or ranges, for example V(monday:friday), V(saturday).
        type: list
        elements: str
      days_of_month:
        description:
          - Days or ranges of the month, negative counting from the end, for example V(1:7), V(-1).
        type: list
        elements: str
      months:
        description:
          - Months or ranges, by name or number, for example V(january:march), V(12). Grafana stores
            them as numbers (V(1:3)); the comparison does the same.
        type: list
        elements: str
      years:
        description:
          - Years or ranges, for example V(2030:2031).
        type: list
        elements: str
      location:
        description:
          - Time zone of the interval, for example V(Europe/Berlin). UTC when omitted.
        type: str
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._grafana.provenance
  - vigil.observability._state
notes:
  - Grafana refuses to delete a mute timing that a notification policy uses (HTTP 409); the module fails with that message.
seealso:
  - module: vigil.observability.grafana_notification_policy
"""

EXAMPLES = r"""
- name: Weekends and nights, Berlin time
  vigil.observability.grafana_mute_timing:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    name: off-hours
    time_intervals:
      - weekdays: [saturday, sunday]
        location: Europe/Berlin
      - weekdays: ["monday:friday"]
        times:
          - {start_time: "00:00", end_time: "07:00"}
          - {start_time: "20:00", end_time: "24:00"}
        location: Europe/Berlin
"""

RETURN = r"""
mute_timing:
  description: The mute timing in the normalised form the module compares.
  returned: always
  type: dict
  sample: {"name": "off-hours", "time_intervals": [{"weekdays": ["saturday", "sunday"], "location": "Europe/Berlin"}]}
action:
  description: V(create), V(update) (sent with the stored version), V(delete), or null.
  returned: always
  type: str
  sample: update
diff:
  description: The normalised mute timing before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "off-hours", "time_intervals": []}, "after": {"name": "off-hours", "time_intervals": [{"weekdays": ["saturday"]}]}}
"""

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

import re

BASE = "/api/v1/provisioning/mute-timings"
FIELDS = ("times", "weekdays", "days_of_month", "months", "years", "location")
RANGES = ("weekdays", "days_of_month", "months", "years")
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
EXPECTED = {
    "weekdays": "a weekday name or a range such as monday:friday",
    "days_of_month": "a day 1 to 31 or -31 to -1 or a range such as 1:7 or -3:-1",
    "months": "a month name or number 1 to 12 or a range such as january:march",
    "years": "a year or a range such as 2030:2031",
}
_TIME = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


def _member(key, text):
    if key == "weekdays":
        return WEEKDAYS.index(text)  # Grafana takes weekdays by name only
    if key == "months" and text in MONTHS:
        return MONTHS.index(text) + 1
    if not _INTEGER.match(text):
        raise ValueError(text)
    return int(text)


def _range_ok(key, begin, end):
    if key == "days_of_month":
        if any(day == 0 or not -31 <= day <= 31 for day in (begin, end)) or begin < 0 < end:
            return False
        return (begin + 28 if begin < 0 else begin) <= (end + 28 if end < 0 else end)
    if key == "months" and not (1 <= begin and end <= 12):
        return False
    if key == "years" and begin < 0:
        return False
    return begin <= end


def canonical_range(key, value, where):
    """One weekday/day/month/year range in the form Grafana stores and answers.

    Grafana (alertmanager's timeinterval) parses every range into integers and writes it back:
    weekdays by lower-case name, days, months and years by number (``January:March`` -> ``1:3``,
    ``01`` -> ``1``), and a range whose ends are equal as one value (``sunday:sunday`` -> ``sunday``).
    """
    text = str(value).strip().lower()
    parts = text.split(":")
    try:
        if len(parts) > 2:
            raise ValueError(text)
        begin, end = _member(key, parts[0].strip()), _member(key, parts[-1].strip())
    except ValueError:
        begin = end = None
    if begin is None or not _range_ok(key, begin, end):
        raise ValidationError("%s: bad %s value %r, expected %s" % (where, key, value, EXPECTED[key]))
    if key == "weekdays":
        begin, end = WEEKDAYS[begin], WEEKDAYS[end]
    return str(begin) if begin == end else "%s:%s" % (begin, end)


def canonical_time(value, key, where):
    text = str(value).strip()
    if not _TIME.match(text):
        raise ValidationError("%s: bad %s %r, expected HH:MM from 00:00 to 24:00" % (where, key, value))
    return text


def canonical_intervals(intervals, label="mute timing"):
    """The intervals exactly as Grafana stores them; input Grafana would refuse fails here, in check mode too."""
    out = []
    for index, item in enumerate(intervals or []):
        where = "%s: time_intervals[%d]" % (label, index)
        if not isinstance(item, dict):
            raise ValidationError("%s must be a dict" % where)
        norm = {}
        times = []
        for rng in item.get("times") or []:
            start = canonical_time(rng.get("start_time"), "start_time", where)
            end = canonical_time(rng.get("end_time"), "end_time", where)
            if start >= end:
                raise ValidationError("%s: start_time %s is not before end_time %s" % (where, start, end))
            times.append({"start_time": start, "end_time": end})
        if times:
            norm["times"] = times
        for key in RANGES:
            values = [canonical_range(key, v, where) for v in item.get(key) or []]
            if values:
                norm[key] = values
        if item.get("location"):
            norm["location"] = str(item["location"]).strip()
        out.append(norm)
    return out


def stored_intervals(intervals):
    """What Grafana answered, made comparable (a value this module cannot parse is kept as it is)."""
    out = []
    for item in intervals or []:
        try:
            out.extend(canonical_intervals([item]))
        except ValidationError:
            out.append(dict((k, v) for k, v in (item or {}).items() if k in FIELDS and v not in (None, [], "")))
    return out


def main():
    module = _args.grafana_module(dict(
        name=dict(type="str", required=True),
        time_intervals=dict(type="list", elements="dict", default=[], options=dict(
            times=dict(type="list", elements="dict", options=dict(
                start_time=dict(type="str", required=True),
                end_time=dict(type="str", required=True),
            )),
            weekdays=dict(type="list", elements="str"),
            days_of_month=dict(type="list", elements="str"),
            months=dict(type="list", elements="str"),
            years=dict(type="list", elements="str"),
            location=dict(type="str"),
        )),
        **_args.PROVENANCE_SPEC
    ))

    def work():
        params = module.params
        name = params["name"].strip()
        if not name:
            raise ValidationError("name must not be empty")
        item = BASE + "/" + quote_segment(name)
        headers = _args.provenance_headers(params)
        label = "mute timing %r" % name
        desired = {"name": name, "time_intervals": canonical_intervals(params["time_intervals"], label)}

        # Sent in the canonical form, which is what Grafana stores anyway.
        def create(client, desired, current):
            body = {"name": name, "time_intervals": desired["time_intervals"]}
            return client.request("POST", BASE, body=body, headers=headers)

        def update(client, desired, current):
            body = {"name": name, "time_intervals": desired["time_intervals"], "version": current.get("version", "")}
            return client.request("PUT", item, body=body, headers=headers)

        def delete(client, desired, current):
            query = {"version": current["version"]} if current.get("version") else None
            return client.request("DELETE", item, query=query, headers=headers)

        client = _client.GrafanaClient.from_module(module)
        resource = _resource.Resource(
            "mute timing", read=("GET", item), create=create, update=update, delete=delete,
            view=lambda raw: {"name": raw.get("name"), "time_intervals": stored_intervals(raw.get("time_intervals"))},
            label=label)
        result = _resource.ensure(client, resource, desired, params["state"], module.check_mode)
        return _resource.module_result(module, result, "mute_timing")

    _resource.run(module, work)


if __name__ == "__main__":
    main()
