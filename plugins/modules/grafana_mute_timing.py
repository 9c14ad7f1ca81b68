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
  - The comparison is normalised - weekday and month names are case-insensitive, a range C(x:x) equals
    C(x), empty fields equal missing ones; C(version) and provenance are ignored.
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
          - Months or ranges, by name or number, for example V(january:march), V(12).
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

BASE = "/api/v1/provisioning/mute-timings"
NAMED = ("weekdays", "months")
FIELDS = ("times", "weekdays", "days_of_month", "months", "years", "location")


def canonical_range(value, lower):
    text = str(value).strip()
    if lower:
        text = text.lower()
    start, sep, end = text.partition(":")
    return start if sep and start == end else text


def canonical_intervals(intervals):
    out = []
    for index, item in enumerate(intervals or []):
        if not isinstance(item, dict):
            raise ValidationError("time_intervals[%d] must be a dict" % index)
        norm = {}
        times = [{"start_time": str(t.get("start_time")), "end_time": str(t.get("end_time"))} for t in item.get("times") or []]
        if times:
            norm["times"] = times
        for key in ("weekdays", "days_of_month", "months", "years"):
            values = [canonical_range(v, key in NAMED) for v in item.get(key) or []]
            if values:
                norm[key] = values
        if item.get("location"):
            norm["location"] = item["location"]
        out.append(norm)
    return out


def wire_intervals(intervals):
    """What is sent: the user's intervals without empty fields."""
    out = []
    for item in intervals or []:
        entry = dict((k, v) for k, v in item.items() if k in FIELDS and v not in (None, [], ""))
        if entry.get("times"):
            entry["times"] = [{"start_time": t["start_time"], "end_time": t["end_time"]} for t in entry["times"]]
        out.append(entry)
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
        desired = {"name": name, "time_intervals": canonical_intervals(params["time_intervals"])}

        def create(client, desired, current):
            body = {"name": name, "time_intervals": wire_intervals(params["time_intervals"])}
            return client.request("POST", BASE, body=body, headers=headers)

        def update(client, desired, current):
            body = {"name": name, "time_intervals": wire_intervals(params["time_intervals"]), "version": current.get("version", "")}
            return client.request("PUT", item, body=body, headers=headers)

        def delete(client, desired, current):
            query = {"version": current["version"]} if current.get("version") else None
            return client.request("DELETE", item, query=query, headers=headers)

        client = _client.GrafanaClient.from_module(module)
        resource = _resource.Resource(
            "mute timing", read=("GET", item), create=create, update=update, delete=delete,
            view=lambda raw: {"name": raw.get("name"), "time_intervals": canonical_intervals(raw.get("time_intervals"))},
            label="mute timing %r" % name)
        result = _resource.ensure(client, resource, desired, params["state"], module.check_mode)
        return _resource.module_result(module, result, "mute_timing")

    _resource.run(module, work)


if __name__ == "__main__":
    main()
