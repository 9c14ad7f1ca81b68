# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: alert rules and rule groups."""

from __future__ import annotations

import copy

from .common import check_uid, empty, errutil, format_duration, legacy, new_uid, now, parse_duration
from .routes_contact_points import check_provenance, with_provenance
from .routing import route


# --------------------------------------------------------------------------------------------
# alerting: rules and rule groups
# --------------------------------------------------------------------------------------------

RULE_FIELDS = ("uid", "title", "condition", "data", "noDataState", "execErrState", "for", "annotations", "labels",
               "isPaused", "notification_settings", "keep_firing_for", "folderUID", "ruleGroup", "record",
               "missingSeriesEvalsToResolve")


def _validate_rule(ctx, body, uid):
    org = ctx.org
    for field, limit in (("title", 190), ("ruleGroup", 190)):
        value = body.get(field)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise legacy(400, "invalid alert rule: %s must be between 1 and %d characters" % (field, limit))
    folder = body.get("folderUID")
    if not folder or folder not in org.folders:
        raise legacy(400, "invalid alert rule: folder does not exist")
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise legacy(400, "invalid alert rule: no queries or expressions are found")
    refs = []
    out_data = []
    for query in data:
        if not isinstance(query, dict) or not query.get("refId"):
            raise legacy(400, "invalid alert rule: query must have a refId")
        query = copy.deepcopy(query)
        refs.append(query["refId"])
        model = query.get("model")
        if not isinstance(model, dict):
            model = {}
        # AlertQuery.PreSave: a queryType in the model is copied onto the query; intervalMs and
        # maxDataPoints that are missing, not numbers or 0 are replaced by the defaults.
        if "queryType" in model:
            if not isinstance(model["queryType"], str):
                raise legacy(400, "invalid alert rule: failed to set query type to query model: "
                                  "failed to get queryType from query model: %s" % (model["queryType"],))
            query["queryType"] = model["queryType"]
        for key, default in (("intervalMs", 1000), ("maxDataPoints", 43200)):
            value = model.get(key)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value == 0:
                model[key] = default
        query["model"] = model
        query["queryType"] = str(query.get("queryType") or "")
        rtr = query.get("relativeTimeRange") or {"from": 0, "to": 0}
        query["relativeTimeRange"] = {"from": int(rtr.get("from") or 0), "to": int(rtr.get("to") or 0)}
        if query.get("datasourceUid") not in ("__expr__", "-100") and query["relativeTimeRange"]["from"] <= query["relativeTimeRange"]["to"]:
            raise legacy(400, "invalid alert rule: invalid relative time range [From: %ss, To: %ss]"
                         % (query["relativeTimeRange"]["from"], query["relativeTimeRange"]["to"]))
        out_data.append(query)
    if body.get("condition") not in refs:
        raise legacy(400, "invalid alert rule: condition %s does not exist, must be one of %s" % (body.get("condition"), refs))
    if body.get("noDataState", "NoData") not in ("Alerting", "NoData", "OK", "KeepLast"):
        raise legacy(400, "invalid alert rule: unknown noDataState %r" % body.get("noDataState"))
    if body.get("execErrState", "Error") not in ("Alerting", "Error", "OK", "KeepLast"):
        raise legacy(400, "invalid alert rule: unknown execErrState %r" % body.get("execErrState"))
    rule = {"uid": uid, "orgID": org.id, "folderUID": folder, "ruleGroup": body["ruleGroup"], "title": body["title"],
            "condition": body["condition"], "data": out_data, "noDataState": body.get("noDataState") or "NoData",
            "execErrState": body.get("execErrState") or "Error",
            "annotations": dict(body.get("annotations") or {}), "labels": dict(body.get("labels") or {}),
            "isPaused": bool(body.get("isPaused"))}
    for key in ("for", "keep_firing_for"):
        try:
            rule[key] = format_duration(parse_duration(body.get(key) or "0s"))
        except ValueError as err:
            raise legacy(400, "invalid alert rule: %s" % err)
    if body.get("notification_settings"):
        ns = body["notification_settings"]
        if ns.get("receiver") not in set(r["name"] for r in org.receivers):
            raise legacy(400, "invalid alert rule: receiver '%s' does not exist" % ns.get("receiver"))
        # model.Duration pointers: answered in Prometheus' spelling; empty lists are omitted.
        stored = {}
        for key, value in ns.items():
            if value in (None, "", []):
                continue
            if key in ("group_wait", "group_interval", "repeat_interval"):
                try:
                    value = format_duration(parse_duration(value))
                except ValueError as err:
                    raise legacy(400, "invalid alert rule: notification_settings.%s: %s" % (key, err))
            stored[key] = copy.deepcopy(value)
        rule["notification_settings"] = stored
    return rule


def _store_rule(ctx, rule, existing):
    org = ctx.org
    rule["id"] = existing["id"] if existing else ctx.state.ident()
    rule["updated"] = now()
    rule["provenance"] = ctx.provenance
    org.rules[rule["uid"]] = rule
    org.group_intervals.setdefault((rule["folderUID"], rule["ruleGroup"]), 60)
    _forget_empty_groups(org)


def _forget_empty_groups(org):
    used = set((r["folderUID"], r["ruleGroup"]) for r in org.rules.values())
    for key in list(org.group_intervals):
        if key not in used:
            del org.group_intervals[key]


def rule_dto(rule):
    out = copy.deepcopy(rule)
    provenance = out.pop("provenance", "")
    return with_provenance(out, provenance)


@route("GET", r"/api/v1/provisioning/alert-rules", role="Editor")
def list_rules(ctx):
    return [rule_dto(r) for r in sorted(ctx.org.rules.values(), key=lambda r: r["id"])]


@route("GET", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def read_rule(ctx):
    rule = ctx.org.rules.get(ctx.params["uid"])
    if rule is None:
        raise empty(404)
    return rule_dto(rule)


@route("POST", r"/api/v1/provisioning/alert-rules", role="Editor")
def create_rule(ctx):
    body = ctx.json_body()
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "invalid alert rule: uid too long"), legacy(400, "invalid alert rule: uid contains illegal characters"))
        if uid in ctx.org.rules:
            raise errutil(409, "alerting.alert-rule.conflict", "failed to save alert rule: a rule with UID '%s' already exists" % uid)
    else:
        uid = new_uid()
    rule = _validate_rule(ctx, body, uid)
    _store_rule(ctx, rule, None)
    return 201, rule_dto(rule)


@route("PUT", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def update_rule(ctx):
    existing = ctx.org.rules.get(ctx.params["uid"])
    if existing is None:
        raise empty(404)
    body = ctx.json_body()
    check_provenance(ctx, existing["provenance"])
    rule = _validate_rule(ctx, body, existing["uid"])
    _store_rule(ctx, rule, existing)
    return 200, rule_dto(rule)


@route("DELETE", r"/api/v1/provisioning/alert-rules/(?P<uid>[^/]+)", role="Editor")
def delete_rule(ctx):
    rule = ctx.org.rules.get(ctx.params["uid"])
    if rule is not None:
        check_provenance(ctx, rule["provenance"])
        del ctx.org.rules[rule["uid"]]
        _forget_empty_groups(ctx.org)
    return 204, None


def _group(ctx, folder, group):
    key = (folder, group)
    if key not in ctx.org.group_intervals:
        raise empty(404)
    rules = [rule_dto(r) for r in sorted(ctx.org.rules.values(), key=lambda r: r["id"])
             if r["folderUID"] == folder and r["ruleGroup"] == group]
    return {"title": group, "folderUid": folder, "interval": ctx.org.group_intervals[key], "rules": rules}


@route("GET", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def read_group(ctx):
    return _group(ctx, ctx.params["folder"], ctx.params["group"])


@route("PUT", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def update_group(ctx):
    org = ctx.org
    folder, group = ctx.params["folder"], ctx.params["group"]
    if folder not in org.folders:
        raise legacy(400, "invalid alert rule group: folder does not exist")
    body = ctx.json_body()
    interval = body.get("interval")
    if not isinstance(interval, int) or isinstance(interval, bool) or interval <= 0 or interval % 10:
        raise legacy(400, "invalid alert rule group: interval (%r) should be non-zero and divided exactly by scheduler "
                          "interval: 10s" % (interval,))
    incoming = body.get("rules") or []
    old = dict((u, r) for u, r in org.rules.items() if r["folderUID"] == folder and r["ruleGroup"] == group)
    for rule in old.values():
        check_provenance(ctx, rule["provenance"])
    validated = []
    for item in incoming:
        item = dict(item, folderUID=folder, ruleGroup=group)
        uid = str(item.get("uid") or "") or new_uid()
        validated.append((_validate_rule(ctx, item, uid), org.rules.get(uid)))
    keep = set(pair[0]["uid"] for pair in validated)
    for uid in old:
        if uid not in keep:
            del org.rules[uid]
    for rule, existing in validated:
        _store_rule(ctx, rule, existing)
    if validated:
        org.group_intervals[(folder, group)] = interval
    _forget_empty_groups(org)
    if not validated:
        return 200, {"title": group, "folderUid": folder, "interval": interval, "rules": []}
    return 200, _group(ctx, folder, group)


@route("DELETE", r"/api/v1/provisioning/folder/(?P<folder>[^/]+)/rule-groups/(?P<group>[^/]+)", role="Editor")
def delete_group(ctx):
    org = ctx.org
    folder, group = ctx.params["folder"], ctx.params["group"]
    if (folder, group) not in org.group_intervals:
        raise errutil(404, "alerting.rule-group.notFound", "rule group not found")
    for uid in [u for u, r in org.rules.items() if r["folderUID"] == folder and r["ruleGroup"] == group]:
        check_provenance(ctx, org.rules[uid]["provenance"])
        del org.rules[uid]
    _forget_empty_groups(org)
    return 204, None
