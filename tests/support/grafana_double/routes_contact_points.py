# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: alerting provenance, contact points and the notification policy tree."""

from __future__ import annotations

import collections
import copy
import re

from .common import (
    DEFAULT_POLICY, REDACTED, ROLES, SECRET_KEYS, _get, _set, errutil, format_duration, legacy, new_uid,
    parse_duration, redact, secret_keys)
from .routing import route


# --------------------------------------------------------------------------------------------
# alerting: provenance
# --------------------------------------------------------------------------------------------

def check_provenance(ctx, stored, legacy_500=False):
    """ValidateProvenanceRelaxed: none -> anything; non-none -> none is rejected."""
    new = ctx.provenance
    if stored == "file":
        raise errutil(403, "alerting.notifications.invalidProvenance",
                      "Resource with provenance status 'file' cannot be managed via API")
    if stored and not new:
        if legacy_500:
            raise legacy(500, "cannot change provenance from '%s' to ''" % stored)
        raise errutil(403, "alerting.notifications.invalidProvenance",
                      "Resource with provenance status '%s' cannot be changed to 'none'" % stored,
                      {"storedProvenance": stored})


def with_provenance(obj, provenance):
    if provenance:
        obj["provenance"] = provenance
    return obj


# --------------------------------------------------------------------------------------------
# alerting: contact points
# --------------------------------------------------------------------------------------------

def cp_dto(rec, decrypt=False):
    out = {"uid": rec["uid"], "name": rec["name"], "type": rec["type"],
           "settings": copy.deepcopy(rec["settings"]) if decrypt else redact(rec["type"], rec["settings"]),
           "disableResolveMessage": rec["disableResolveMessage"]}
    return with_provenance(out, rec["provenance"])


def policy_receivers(node):
    out = set()
    if node.get("receiver"):
        out.add(node["receiver"])
    for child in node.get("routes") or []:
        out |= policy_receivers(child)
    return out


def policy_intervals(node):
    out = set(node.get("mute_time_intervals") or []) | set(node.get("active_time_intervals") or [])
    for child in node.get("routes") or []:
        out |= policy_intervals(child)
    return out


def rename_in_policy(node, key, old, new):
    if key == "receiver":
        if node.get("receiver") == old:
            node["receiver"] = new
    else:
        for field in ("mute_time_intervals", "active_time_intervals"):
            if node.get(field):
                node[field] = [new if v == old else v for v in node[field]]
    for child in node.get("routes") or []:
        rename_in_policy(child, key, old, new)


def validate_cp(body):
    kind = body.get("type")
    settings = body.get("settings")
    if not kind or not isinstance(kind, str):
        raise legacy(400, "type should not be an empty string")
    if kind.lower() not in SECRET_KEYS:
        raise legacy(400, "invalid receiver type '%s'" % kind)
    if not isinstance(settings, dict):
        raise legacy(400, "settings should not be empty")
    name = body.get("name")
    if not name or not isinstance(name, str):
        raise legacy(400, "name should not be empty")
    kind = kind.lower()
    if kind == "slack" and not (settings.get("url") or settings.get("token")):
        raise legacy(400, "failed to validate integration \"%s\" (UID %s) of type \"slack\": token must be specified "
                          "when using the Slack chat API" % (name, body.get("uid") or ""))
    if kind == "slack" and settings.get("token") and not settings.get("recipient") and not settings.get("url"):
        raise legacy(400, "failed to validate integration: recipient must be specified when using the Slack chat API")
    if kind == "email" and not settings.get("addresses"):
        raise legacy(400, "failed to validate integration \"%s\" of type \"email\": could not find addresses in settings" % name)
    if kind in ("webhook", "discord", "googlechat", "teams") and not settings.get("url"):
        raise legacy(400, "failed to validate integration \"%s\" of type \"%s\": could not find url property in settings" % (name, kind))


def find_cp(org, uid):
    return next((r for r in org.receivers if r["uid"] == uid), None)


@route("GET", r"/api/v1/provisioning/contact-points", role="Editor")
def list_contact_points(ctx):
    name = ctx.q("name")
    recs = [r for r in ctx.org.receivers if name is None or r["name"] == name]
    return [cp_dto(r) for r in sorted(recs, key=lambda r: (r["name"], r["uid"]))]


@route("GET", r"/api/v1/provisioning/contact-points/export", role="Editor")
def export_contact_points(ctx):
    decrypt = (ctx.q("decrypt", "false") or "false").lower() == "true"
    if decrypt and ROLES[ctx.role] < ROLES["Admin"]:
        raise errutil(403, "alerting.provisioning.secrets.forbidden",
                      "You'll need additional permissions to perform this action. Permissions needed: alert.provisioning.secrets:read")
    fmt = (ctx.q("format", "yaml") or "yaml").lower()
    if fmt != "json":
        raise legacy(400, "this Grafana stand-in serves format=json only")
    name = ctx.q("name")
    groups = collections.OrderedDict()
    for rec in sorted(ctx.org.receivers, key=lambda r: (r["name"], r["uid"])):
        if name is not None and rec["name"] != name:
            continue
        dto = cp_dto(rec, decrypt=decrypt)
        groups.setdefault(rec["name"], []).append({"uid": dto["uid"], "type": dto["type"], "settings": dto["settings"],
                                                   "disableResolveMessage": dto["disableResolveMessage"]})
    return {"apiVersion": 1, "contactPoints": [{"orgId": ctx.org.id, "name": n, "receivers": r} for n, r in groups.items()]}


@route("POST", r"/api/v1/provisioning/contact-points", role="Editor")
def create_contact_point(ctx):
    org = ctx.org
    body = ctx.json_body()
    validate_cp(body)
    uid = str(body.get("uid") or "").strip()
    if uid:
        if len(uid) > 40 or not re.match(r"^[a-zA-Z0-9\-_]+$", uid):
            raise legacy(400, "UID is invalid: %s" % uid)
        existing = find_cp(org, uid)
        if existing is not None:
            if ctx.state.legacy_duplicate_uid_500:
                raise legacy(500, "failed to save config: receiver configuration with UID '%s' already exists" % uid)
            raise errutil(409, "alerting.notifications.contact-points.uidInUse",
                          "Receiver configuration with UID '%s' already exists in contact point '%s'. Please use unique "
                          "identifiers for receivers across all contact points" % (uid, existing["name"]),
                          {"uid": uid, "name": existing["name"]})
    else:
        uid = new_uid()
    rec = {"uid": uid, "name": body["name"], "type": body["type"], "settings": copy.deepcopy(body["settings"]),
           "disableResolveMessage": bool(body.get("disableResolveMessage")), "provenance": ctx.provenance}
    org.receivers.append(rec)
    return 202, cp_dto(rec)


@route("PUT", r"/api/v1/provisioning/contact-points/(?P<uid>[^/]+)", role="Editor")
def update_contact_point(ctx):
    org = ctx.org
    rec = find_cp(org, ctx.params["uid"])
    if rec is None:
        raise errutil(404, "alerting.notifications.contact-points.notFound", "contact point not found")
    body = ctx.json_body()
    validate_cp(body)
    check_provenance(ctx, rec["provenance"], ctx.state.legacy_provenance_500)
    settings = copy.deepcopy(body["settings"])
    for key in secret_keys(body["type"]):
        if _get(settings, key) == REDACTED:
            _set(settings, key, _get(rec["settings"], key) if body["type"].lower() == rec["type"].lower() else "")
    old_name = rec["name"]
    rec.update({"name": body["name"], "type": body["type"], "settings": settings,
                "disableResolveMessage": bool(body.get("disableResolveMessage")), "provenance": ctx.provenance})
    if old_name != rec["name"] and not any(r["name"] == old_name for r in org.receivers):
        rename_in_policy(org.policy, "receiver", old_name, rec["name"])
    return 202, {"message": "contactpoint updated"}


@route("DELETE", r"/api/v1/provisioning/contact-points/(?P<uid>[^/]+)", role="Editor")
def delete_contact_point(ctx):
    org = ctx.org
    rec = find_cp(org, ctx.params["uid"])
    if rec is None:
        return 202, {"message": "contactpoint deleted"}
    last = sum(1 for r in org.receivers if r["name"] == rec["name"]) == 1
    if last and rec["name"] in policy_receivers(org.policy):
        if ctx.state.legacy_duplicate_uid_500:
            raise legacy(500, "contact point '%s' is currently used by a notification policy" % rec["name"])
        raise errutil(409, "alerting.notifications.contact-points.referenced",
                      "Contact point '%s' is currently used by a notification policy" % rec["name"])
    if last and any((r.get("notification_settings") or {}).get("receiver") == rec["name"] for r in org.rules.values()):
        raise errutil(409, "alerting.notifications.contact-points.used-by-rule",
                      "Contact point '%s' is currently used by an alert rule" % rec["name"])
    org.receivers.remove(rec)
    return 202, {"message": "contactpoint deleted"}


# --------------------------------------------------------------------------------------------
# alerting: notification policy tree
# --------------------------------------------------------------------------------------------

MATCH_OPS = ("=", "!=", "=~", "!~")


def _canonical_route(ctx, node, root):
    if not isinstance(node, dict):
        raise legacy(400, "invalid route: expected an object")
    out = copy.deepcopy(node)
    out.pop("provenance", None)
    if root and not out.get("receiver"):
        raise legacy(400, "invalid object specification: root route must specify a default receiver")
    if root and (out.get("object_matchers") or out.get("matchers") or out.get("match") or out.get("match_re")):
        raise legacy(400, "invalid object specification: root route must not have any matchers")
    for key in ("group_wait", "group_interval", "repeat_interval"):
        if out.get(key) not in (None, ""):
            try:
                ms = parse_duration(out[key])
            except ValueError as err:
                raise legacy(400, "invalid object specification: %s" % err)
            if key != "group_wait" and ms == 0:
                raise legacy(400, "invalid object specification: %s cannot be zero" % key)
            out[key] = format_duration(ms)
    for matcher in out.get("object_matchers") or []:
        if not isinstance(matcher, list) or len(matcher) != 3 or matcher[1] not in MATCH_OPS:
            raise legacy(400, "invalid object specification: bad matcher %r" % (matcher,))
    out["routes"] = [_canonical_route(ctx, child, False) for child in (out.get("routes") or [])]
    if not out["routes"]:
        del out["routes"]
    return out


@route("GET", r"/api/v1/provisioning/policies", role="Editor")
def read_policy(ctx):
    return with_provenance(copy.deepcopy(ctx.org.policy), ctx.org.policy_provenance)


@route("PUT", r"/api/v1/provisioning/policies", role="Editor")
def update_policy(ctx):
    org = ctx.org
    tree = _canonical_route(ctx, ctx.json_body(), True)
    names = set(r["name"] for r in org.receivers)
    missing = sorted(policy_receivers(tree) - names)
    if missing:
        raise legacy(400, "invalid object specification: receiver '%s' does not exist" % missing[0])
    unknown = sorted(policy_intervals(tree) - set(org.mute_timings))
    if unknown:
        raise legacy(400, "invalid object specification: mute time interval '%s' does not exist" % unknown[0])
    check_provenance(ctx, org.policy_provenance)
    org.policy = tree
    org.policy_provenance = ctx.provenance
    return 202, {"message": "policies updated"}


@route("DELETE", r"/api/v1/provisioning/policies", role="Editor")
def reset_policy(ctx):
    ctx.org.policy = copy.deepcopy(DEFAULT_POLICY)
    ctx.org.policy_provenance = ""
    return 202, copy.deepcopy(DEFAULT_POLICY)
