# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_alert_rule
short_description: Manage Grafana-managed alert rules
version_added: 0.1.0
description:
  - Creates, updates and deletes one Grafana-managed alert rule, identified by its O(uid), in a
    folder and rule group, through the alerting provisioning API.
  - Optionally sets the evaluation interval of the rule's group (O(group_interval)); Grafana gives a
    new group its default (1m) and ignores an interval sent with a rule.
  - The comparison is normalised like Grafana stores rules; durations by value (V(300s) equals
    V(5m)), in C(notification_settings) too; query models with Grafana's defaults (C(intervalMs) 1000,
    C(maxDataPoints) 43200) filled in where missing, not a number or 0; a C(queryType) in a query's
    model copied onto the query, as Grafana does; relative time ranges as seconds; empty
    labels/annotations and empty C(notification_settings) entries equal missing ones. Rules are
    sent in that form.
    C(id), C(updated), C(orgID) and provenance are ignored.
author:
  - vigil.observability maintainers (@vigil)
options:
  uid:
    description:
      - Stable identifier of the rule (1 to 40 letters, digits, V(-) and V(_)).
    type: str
    required: true
  title:
    description:
      - Rule name (1 to 190 characters). Required with O(state=present).
    type: str
  folder_uid:
    description:
      - Uid of the folder the rule lives in. Required with O(state=present).
    type: str
  rule_group:
    description:
      - Name of the evaluation group (1 to 190 characters). Required with O(state=present).
    type: str
  group_interval:
    description:
      - Evaluation interval of the whole group, a multiple of 10s such as V(1m). Left as it is
        when omitted.
    type: str
  condition:
    description:
      - C(refId) of the query or expression that decides whether the rule fires. Required with O(state=present).
    type: str
  data:
    description:
      - The queries and expressions, as Grafana's API names them - each a dict with C(refId),
        C(datasourceUid) (V(__expr__) for expressions), C(model), optional C(queryType) and
        C(relativeTimeRange) C({from, to}) in seconds (durations such as V(10m) are accepted too).
      - Required with O(state=present).
    type: list
    elements: dict
  pending_period:
    description:
      - How long the condition must hold before the rule fires (Grafana's C(for)), for example V(5m).
      - Left as it is when omitted; V(0s) for a new rule.
    type: str
    aliases: [for]
  keep_firing_for:
    description:
      - How long the rule keeps firing after the condition stopped holding. Left as it is when omitted.
    type: str
  no_data_state:
    description:
      - State when the queries return no data.
    type: str
    choices: [Alerting, NoData, OK, KeepLast]
    default: NoData
  exec_err_state:
    description:
      - State when evaluation fails.
    type: str
    choices: [Alerting, Error, OK, KeepLast]
    default: Error
  labels:
    description:
      - Labels attached to the alerts (what notification policies match on). Left as they are when omitted.
    type: dict
  annotations:
    description:
      - Annotations such as C(summary), C(description), C(runbook_url). Left as they are when omitted.
    type: dict
  is_paused:
    description:
      - Pause the rule's evaluation.
    type: bool
    default: false
  notification_settings:
    description:
      - Simplified routing (C(receiver), C(group_by), timings) instead of the notification policy tree.
        Left as it is when omitted.
    type: dict
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._grafana.provenance
  - vigil.observability._state
seealso:
  - module: vigil.observability.grafana_folder
  - module: vigil.observability.grafana_notification_policy
"""

EXAMPLES = r"""
- name: Alert when a node_exporter target is down for 5 minutes
  vigil.observability.grafana_alert_rule:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: node-down
    title: Node down
    folder_uid: platform
    rule_group: availability
    group_interval: 1m
    condition: C
    pending_period: 5m
    data:
      - refId: A
        datasourceUid: prometheus
        relativeTimeRange: {from: 600, to: 0}
        model: {expr: 'up{job="node"}', instant: true}
      - refId: B
        datasourceUid: __expr__
        model: {type: reduce, expression: A, reducer: last}
      - refId: C
        datasourceUid: __expr__
        model: {type: threshold, expression: B, conditions: [{evaluator: {type: lt, params: [1]}}]}
    labels: {severity: critical, team: platform}
    annotations:
      summary: "{{ '{{' }} $labels.instance {{ '}}' }} is down"
"""

RETURN = r"""
alert_rule:
  description: The rule in the normalised form the module compares.
  returned: always
  type: dict
  sample: {"uid": "node-down", "title": "Node down", "folderUID": "platform", "ruleGroup": "availability",
           "condition": "C", "for": "5m", "noDataState": "NoData", "execErrState": "Error", "isPaused": false,
           "labels": {"severity": "critical"}, "annotations": {}, "group_interval": 60, "data": []}
action:
  description: V(create), V(update) (the rule, or only its group's interval), V(delete), or null.
  returned: always
  type: str
  sample: create
diff:
  description: The normalised rule (and the group interval when managed) before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"for": "1m"}, "after": {"for": "5m"}}
"""

import copy

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

BASE = "/api/v1/provisioning/alert-rules"
# AlertQuery.PreSave writes these into every query model when they are missing, not numbers, or 0.
MODEL_DEFAULTS = {"intervalMs": 1000, "maxDataPoints": 43200}
# Durations of notification_settings, answered in Prometheus' spelling ("300s" -> "5m").
SETTINGS_DURATIONS = ("group_wait", "group_interval", "repeat_interval")


def seconds(value, where):
    if isinstance(value, bool):
        raise ValidationError("%s must be seconds or a duration, got %r" % (where, value))
    if isinstance(value, (int, float)):
        return int(value)
    return _resource.parse_duration(value, where) // 1000


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normalise_query(query, where):
    """A query as Grafana stores it (AlertQuery.PreSave).

    A ``queryType`` in the model is copied onto the query (it wins over the query's own), and
    ``intervalMs``/``maxDataPoints`` that are missing, not numbers or 0 get Grafana's defaults.
    """
    if not isinstance(query, dict) or not query.get("refId"):
        raise ValidationError("%s must be a dict with a refId" % where)
    rtr = query.get("relativeTimeRange") or {}
    model = copy.deepcopy(query.get("model") or {})
    if not isinstance(model, dict):
        raise ValidationError("%s.model must be a dict, got %r" % (where, model))
    query_type = query.get("queryType") or ""
    if "queryType" in model:
        if not isinstance(model["queryType"], str):
            raise ValidationError("%s.model.queryType must be a string, got %r (Grafana refuses it)" % (where, model["queryType"]))
        query_type = model["queryType"]
    for key, value in MODEL_DEFAULTS.items():
        if not _number(model.get(key)) or model[key] == 0:
            model[key] = value
    return {"refId": str(query["refId"]), "datasourceUid": str(query.get("datasourceUid") or ""),
            "queryType": str(query_type),
            "relativeTimeRange": {"from": seconds(rtr.get("from") or 0, where + ".relativeTimeRange.from"),
                                  "to": seconds(rtr.get("to") or 0, where + ".relativeTimeRange.to")},
            "model": model}


def normalise_settings(settings, where="notification_settings"):
    """notification_settings as Grafana answers them: durations in Prometheus' spelling, empty values omitted."""
    if not isinstance(settings, dict):
        raise ValidationError("%s must be a dict, got %r" % (where, settings))
    out = {}
    for key, value in settings.items():
        if value in (None, "", [], {}):
            continue
        if key in SETTINGS_DURATIONS:
            value = _resource.canonical_duration(value, "%s.%s" % (where, key))
        out[str(key)] = value
    return out


def rule_view(raw, managed):
    """The compared form of a stored rule (raw) restricted to what the module manages."""
    out = {"uid": raw.get("uid"), "title": raw.get("title"), "folderUID": raw.get("folderUID"),
           "ruleGroup": raw.get("ruleGroup"), "condition": raw.get("condition"),
           "data": [normalise_query(q, "data[%d]" % i) for i, q in enumerate(raw.get("data") or [])],
           "noDataState": raw.get("noDataState"), "execErrState": raw.get("execErrState"),
           "isPaused": bool(raw.get("isPaused"))}
    if "for" in managed:
        out["for"] = _resource.canonical_duration(raw.get("for") or "0s")
    if "keep_firing_for" in managed:
        out["keep_firing_for"] = _resource.canonical_duration(raw.get("keep_firing_for") or "0s")
    for key in ("labels", "annotations"):
        if key in managed:
            out[key] = raw.get(key) or {}
    if "notification_settings" in managed:
        try:
            out["notification_settings"] = normalise_settings(raw.get("notification_settings") or {})
        except ValidationError:  # not ours to refuse: shown as it is, so the difference is visible
            out["notification_settings"] = raw.get("notification_settings")
    if "group_interval" in managed:
        out["group_interval"] = raw.get("_group_interval")
    return out


def desired_view(params):
    out = {"uid": params["uid"], "title": params["title"], "folderUID": params["folder_uid"],
           "ruleGroup": params["rule_group"], "condition": params["condition"],
           "data": [normalise_query(q, "data[%d]" % i) for i, q in enumerate(params["data"] or [])],
           "noDataState": params["no_data_state"], "execErrState": params["exec_err_state"],
           "isPaused": params["is_paused"]}
    if not out["data"]:
        raise ValidationError("data must hold at least one query or expression")
    refs = [q["refId"] for q in out["data"]]
    if params["condition"] not in refs:
        raise ValidationError("condition %r is not the refId of any query (refIds: %s)" % (params["condition"], ", ".join(refs)))
    if params["pending_period"] is not None:
        out["for"] = _resource.canonical_duration(params["pending_period"], "pending_period") or "0s"
    if params["keep_firing_for"] is not None:
        out["keep_firing_for"] = _resource.canonical_duration(params["keep_firing_for"], "keep_firing_for") or "0s"
    for key in ("labels", "annotations"):
        if params[key] is not None:
            out[key] = dict((str(k), str(v)) for k, v in params[key].items())
    if params["notification_settings"] is not None:
        out["notification_settings"] = normalise_settings(params["notification_settings"])
    if params["group_interval"] is not None:
        interval = seconds(params["group_interval"], "group_interval")
        if interval <= 0 or interval % 10:
            raise ValidationError("group_interval must be a positive multiple of 10s, got %r" % params["group_interval"])
        out["group_interval"] = interval
    return out


def main():
    module = _args.grafana_module(
        dict(
            title=dict(type="str"),
            folder_uid=dict(type="str"),
            rule_group=dict(type="str"),
            group_interval=dict(type="str"),
            condition=dict(type="str"),
            data=dict(type="list", elements="dict"),
            pending_period=dict(type="str", aliases=["for"]),
            keep_firing_for=dict(type="str"),
            no_data_state=dict(type="str", choices=["Alerting", "NoData", "OK", "KeepLast"], default="NoData"),
            exec_err_state=dict(type="str", choices=["Alerting", "Error", "OK", "KeepLast"], default="Error"),
            labels=dict(type="dict"),
            annotations=dict(type="dict"),
            is_paused=dict(type="bool", default=False),
            notification_settings=dict(type="dict"),
            **_args.PROVENANCE_SPEC
        ),
        uid=True,
        required_if=[("state", "present", ("title", "folder_uid", "rule_group", "condition", "data"))],
    )
    _resource.run(module, lambda: apply(module))


def apply(module):
    params = module.params
    headers = _args.provenance_headers(params)
    item = BASE + "/" + quote_segment(params["uid"])
    try:
        desired = desired_view(params) if params["state"] == "present" else None
    except ValidationError as err:
        raise ValidationError("alert rule %r: %s" % (params["uid"], err)) from None
    managed = set(desired or ())
    if desired is not None:
        params["folder_uid"] = _args.validate_uid(params["folder_uid"], "folder_uid")

    def group_path(folder, group):
        return "/api/v1/provisioning/folder/%s/rule-groups/%s" % (quote_segment(folder), quote_segment(group))

    def read(client):
        rule = client.get(item)
        if rule is not None and "group_interval" in managed:
            group = client.get(group_path(rule["folderUID"], rule["ruleGroup"])) or {}
            rule["_group_interval"] = group.get("interval")
        return rule

    def body(client, current):
        out = dict((k, copy.deepcopy(v)) for k, v in desired.items() if k != "group_interval")
        if current is not None:
            out["orgID"] = current.get("orgID")
            for key in ("for", "keep_firing_for", "labels", "annotations", "notification_settings"):
                if key not in out and current.get(key) is not None:
                    out[key] = current[key]
        else:
            out["orgID"] = client.request("GET", "/api/org")["id"]
        out.setdefault("for", "0s")
        if not out.get("notification_settings"):
            out.pop("notification_settings", None)
        return out

    def set_interval(client, folder, group, interval):
        if interval is None:
            return
        current = client.get(group_path(folder, group))
        if current is None or current.get("interval") == interval:
            return
        current["interval"] = interval
        client.request("PUT", group_path(folder, group), body=current, headers=headers)

    def create(client, desired, current):
        response = client.request("POST", BASE, body=body(client, None), headers=headers)
        set_interval(client, desired["folderUID"], desired["ruleGroup"], desired.get("group_interval"))
        return response

    def update(client, desired, current):
        before = rule_view(current, managed)
        response = None
        if dict(before, group_interval=None) != dict(desired, group_interval=None):
            response = client.request("PUT", item, body=body(client, current), headers=headers)
        set_interval(client, desired["folderUID"], desired["ruleGroup"], desired.get("group_interval"))
        return response

    def delete(client, desired, current):
        return client.request("DELETE", item, headers=headers)

    client = _client.GrafanaClient.from_module(module)
    resource = _resource.Resource(
        "alert rule", read=read, create=create, update=update, delete=delete,
        view=lambda raw: rule_view(raw, managed), label="alert rule %r" % params["uid"])
    result = _resource.ensure(client, resource, desired, params["state"], module.check_mode)
    return _resource.module_result(module, result, "alert_rule")


if __name__ == "__main__":
    main()
