# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_notification_policy
short_description: Manage the whole Grafana Alerting notification policy tree
version_added: 0.1.0
description:
  - Sets the notification policy tree of the organisation (root route and every nested route) in
    one piece, through C(PUT /api/v1/provisioning/policies); Grafana has one tree per organisation.
  - The comparison is normalised, so re-runs are no-ops whatever spelling Grafana answers with;
    durations are compared by value (V(300s) equals V(5m)); matchers in any of Grafana's forms
    (C(object_matchers), C(matchers) strings, C(match), C(match_re)) are compared as sets of
    C([label, operator, value]); a timing, C(group_by) or receiver that a route inherits anyway
    (equal to its parent's, or at the root to Alertmanager's 30s/5m/4h) counts as omitted; route
    order is kept, because it decides which route matches first. Provenance is ignored.
  - O(state=absent) resets the tree to Grafana's default (C(DELETE .../policies)).
author:
  - vigil.observability maintainers (@vigil)
options:
  receiver:
    description:
      - Contact point name of the root route (the default receiver). Required with O(state=present).
    type: str
  group_by:
    description:
      - Labels the root route groups alerts by; V(...) groups by all labels.
    type: list
    elements: str
  group_wait:
    description:
      - How long to wait before the first notification of a new group (root route), for example V(30s).
    type: str
  group_interval:
    description:
      - How long to wait before notifying about new alerts of a group (root route), for example V(5m).
    type: str
  repeat_interval:
    description:
      - How long to wait before repeating a notification (root route), for example V(4h).
    type: str
  routes:
    description:
      - The child routes, in matching order. Each is a dict with the keys Grafana uses
        C(receiver), C(object_matchers) (list of C([label, operator, value]) with operator
        V(=), V(!=), V(=~) or V(!~)), C(matchers) (strings such as V(team="db")), C(group_by),
        C(continue), C(group_wait), C(group_interval), C(repeat_interval),
        C(mute_time_intervals), C(active_time_intervals) and nested C(routes).
      - Unknown keys fail the task, so a typo cannot silently drop a matcher.
    type: list
    elements: dict
    default: []
  pending_receivers:
    description:
      - Contact point names that tasks before this one create in the same run. In check mode, where
        those tasks only report what they would do, these names count as existing; any other receiver
        the tree names that Grafana does not have fails the task, as a real run would.
      - Not used outside check mode.
    type: list
    elements: str
    default: []
  pending_time_intervals:
    description:
      - The same for mute timings (time intervals) that tasks before this one create in the same run.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._grafana.provenance
  - vigil.observability._state
notes:
  - Every receiver and mute timing a route references must exist (Grafana answers HTTP 400 otherwise);
    create them first with M(vigil.observability.grafana_contact_point) and M(vigil.observability.grafana_mute_timing).
  - In check mode a tree that would change is checked the same way against what Grafana has, and a
    missing receiver or mute timing fails the task as the real run would. A contact point or mute
    timing that an earlier task of the same check-mode run would create does not exist yet, so that
    check fails too; run those tasks for real first, or skip this one in check mode.
seealso:
  - module: vigil.observability.grafana_contact_point
  - module: vigil.observability.grafana_mute_timing
"""

EXAMPLES = r"""
- name: Route database alerts to the DBA team, everything else to ops
  vigil.observability.grafana_notification_policy:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    receiver: ops
    group_by: [grafana_folder, alertname]
    repeat_interval: 4h
    routes:
      - receiver: dba
        object_matchers:
          - [team, "=", db]
        group_wait: 1m
        mute_time_intervals: [weekends]
      - receiver: ops
        matchers: ['severity=~"critical|page"']
        continue: true

- name: Back to Grafana's default tree
  vigil.observability.grafana_notification_policy:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    state: absent
"""

RETURN = r"""
policy:
  description: The normalised tree after the run (predicted in check mode).
  returned: always
  type: dict
  sample: {"receiver": "ops", "group_by": ["alertname", "grafana_folder"],
           "routes": [{"receiver": "dba", "object_matchers": [["team", "=", "db"]], "group_wait": "1m"}]}
action:
  description: V(update) when the tree was replaced, V(reset) when it was reset to the default, null otherwise.
  returned: always
  type: str
  sample: update
diff:
  description: The normalised tree before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"receiver": "grafana-default-email"}, "after": {"receiver": "ops"}}
"""

import re

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

PATH = "/api/v1/provisioning/policies"
CONTACT_POINTS = "/api/v1/provisioning/contact-points"
MUTE_TIMINGS = "/api/v1/provisioning/mute-timings"
DEFAULT_TREE = {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"]}
ROOT_TIMINGS = {"group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}
ROUTE_KEYS = ("receiver", "group_by", "continue", "object_matchers", "matchers", "match", "match_re", "group_wait",
              "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals", "routes", "provenance")
OPERATORS = ("=~", "!~", "!=", "=")
_MATCHER = re.compile(r'^\s*"?([^"=!~\s]+)"?\s*(=~|!~|!=|=)\s*(.*?)\s*$')


def parse_matcher(text):
    """``'team="db"'`` -> ``["team", "=", "db"]``."""
    match = _MATCHER.match(str(text))
    if not match:
        raise ValidationError("matcher %r is not of the form label=value, label!=value, label=~regex or label!~regex" % (text,))
    value = match.group(3)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"')
    return [match.group(1), match.group(2), value]


def matchers_of(node, where):
    out = []
    for item in node.get("object_matchers") or []:
        if not isinstance(item, (list, tuple)) or len(item) != 3 or item[1] not in OPERATORS:
            raise ValidationError("%s: object_matchers entries must be [label, operator, value] with operator one of "
                                  "=, !=, =~, !~; got %r" % (where, item))
        out.append([str(item[0]), str(item[1]), str(item[2])])
    for item in node.get("matchers") or []:
        out.append(parse_matcher(item))
    for label, value in (node.get("match") or {}).items():
        out.append([str(label), "=", str(value)])
    for label, value in (node.get("match_re") or {}).items():
        out.append([str(label), "=~", str(value)])
    return sorted(out)


def canonical(node, parent=None, where="root"):
    """The normalised form of a route: the one that decides ``changed`` and is shown in the diff."""
    if not isinstance(node, dict):
        raise ValidationError("%s must be a dict, got %r" % (where, node))
    unknown = sorted(set(node) - set(ROUTE_KEYS))
    if unknown:
        raise ValidationError("%s has unknown keys %s (known: %s)" % (where, ", ".join(unknown), ", ".join(ROUTE_KEYS[:-1])))
    root = parent is None
    inherited = dict(ROOT_TIMINGS, receiver=None, group_by=[]) if root else parent
    effective = {}
    out = {}
    receiver = node.get("receiver") or None
    effective["receiver"] = receiver or inherited["receiver"]
    if receiver and receiver != inherited["receiver"]:
        out["receiver"] = receiver
    if root:
        out["receiver"] = receiver or ""
    group_by = sorted(str(label) for label in (node.get("group_by") or []))
    effective["group_by"] = group_by or inherited["group_by"]
    if group_by and group_by != inherited["group_by"]:
        out["group_by"] = group_by
    matchers = matchers_of(node, where)
    if matchers:
        out["object_matchers"] = matchers
    if node.get("continue"):
        out["continue"] = True
    for key in ("group_wait", "group_interval", "repeat_interval"):
        value = _resource.canonical_duration(node.get(key), "%s.%s" % (where, key))
        effective[key] = value or inherited[key]
        if value and value != _resource.canonical_duration(inherited[key]):
            out[key] = value
    for key in ("mute_time_intervals", "active_time_intervals"):
        if node.get(key):
            out[key] = sorted(str(v) for v in node[key])
    children = [canonical(child, effective, "%s.routes[%d]" % (where, i)) for i, child in enumerate(node.get("routes") or [])]
    if children:
        out["routes"] = children
    return out


def references(node, where="root"):
    """[(kind, name, where)] for every receiver and time interval the tree names, in tree order."""
    out = []
    if node.get("receiver"):
        out.append(("receiver", str(node["receiver"]), where))
    for key in ("mute_time_intervals", "active_time_intervals"):
        for name in node.get(key) or []:
            out.append(("time interval", str(name), "%s.%s" % (where, key)))
    for index, child in enumerate(node.get("routes") or []):
        out.extend(references(child, "%s.routes[%d]" % (where, index)))
    return out


def check_references(client, tree, pending_receivers=(), pending_intervals=()):
    """What Grafana checks on PUT (every receiver and time interval exists), for check mode; the
    pending ones are created by earlier tasks of the same run."""
    refs = references(tree)
    receivers = set(item.get("name") for item in client.request("GET", CONTACT_POINTS) or []) | set(pending_receivers)
    intervals = None
    for kind, name, where in refs:
        if kind == "receiver" and name not in receivers:
            raise ValidationError("the notification policy tree: %s names receiver %r, which is not a contact point in Grafana "
                                  "(known: %s); a real run would be refused" % (where, name, ", ".join(sorted(receivers)) or "none"))
        if kind == "time interval":
            if intervals is None:
                intervals = set(item.get("name") for item in client.request("GET", MUTE_TIMINGS) or []) | set(pending_intervals)
            if name not in intervals:
                raise ValidationError("the notification policy tree: %s names time interval %r, which is not a mute timing in "
                                      "Grafana; a real run would be refused" % (where, name))


def wire(node):
    """The tree as sent: the user's values, matchers as object_matchers, nothing empty."""
    out = {}
    for key, value in node.items():
        if key in ("matchers", "match", "match_re", "object_matchers", "routes", "provenance") or value in (None, "", []):
            continue
        out[key] = value
    matchers = matchers_of(node, "route")
    if matchers:
        out["object_matchers"] = matchers
    if node.get("routes"):
        out["routes"] = [wire(child) for child in node["routes"]]
    return out


def main():
    module = _args.grafana_module(
        dict(
            receiver=dict(type="str"),
            group_by=dict(type="list", elements="str"),
            group_wait=dict(type="str"),
            group_interval=dict(type="str"),
            repeat_interval=dict(type="str"),
            routes=dict(type="list", elements="dict", default=[]),
            pending_receivers=dict(type="list", elements="str", default=[]),
            pending_time_intervals=dict(type="list", elements="str", default=[]),
            **_args.PROVENANCE_SPEC
        ),
        required_if=[("state", "present", ("receiver",))],
    )

    def work():
        params = module.params
        headers = _args.provenance_headers(params)
        if params["state"] == "present":
            tree = dict((k, params[k]) for k in ("receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "routes"))
            desired = canonical(tree)
            body = wire(tree)

            def write(client, desired, current):
                return client.request("PUT", PATH, body=body, headers=headers)
        else:
            desired = canonical(DEFAULT_TREE)

            def write(client, desired, current):
                return client.request("DELETE", PATH, headers=headers)

        client = _client.GrafanaClient.from_module(module)
        resource = _resource.Resource(
            "notification policy tree", read=("GET", PATH), update=write, view=canonical, label="the notification policy tree")
        # The tree always exists: "absent" is "equal to the default tree", reached by a reset.
        result = _resource.ensure(client, resource, desired, "present", module.check_mode)
        if module.check_mode and result.changed and params["state"] == "present":
            check_references(client, tree, params["pending_receivers"], params["pending_time_intervals"])
        if params["state"] == "absent" and result.action:
            result.action = "reset"
        return _resource.module_result(module, result, "policy")

    _resource.run(module, work)


if __name__ == "__main__":
    main()
