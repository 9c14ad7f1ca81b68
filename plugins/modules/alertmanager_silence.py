#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Create, extend and expire one Alertmanager silence, found by its creator and comment."""

from __future__ import annotations

DOCUMENTATION = r"""
module: alertmanager_silence
short_description: Create, extend and expire Alertmanager silences
version_added: 0.1.0
description:
  - Creates, extends and expires a silence of Prometheus' Alertmanager through its API v2, or of Grafana's
    built-in Alertmanager, which serves the same API under C(<grafana url>/api/alertmanager/grafana).
  - A silence is found by O(created_by) and O(comment) together - the active or pending silence with both is
    the one this module manages. Expired silences (Alertmanager keeps listing them for a while) are ignored.
  - V(present) reports no change when that silence has the same O(matchers) (in any order) and ends no more
    than 60 seconds before the requested end (the tolerance keeps a re-run with O(duration) from rewriting
    the silence every time). Otherwise it creates the silence, or updates it when only its end is too early
    (the same id, the start kept), or replaces it when the matchers differ - Alertmanager then gives the
    silence a new id and expires the old one.
  - A silence is never shortened by V(present) - a requested end before the silence's end leaves it as it
    is. Use V(absent) to end it.
  - V(absent) expires every active or pending silence with O(id), or, without O(id), with O(created_by) and
    O(comment). Alertmanager keeps an expired silence (listed as C(expired)) until its retention ends.
  - Input Alertmanager would refuse (no matcher, a bad label name, a regular expression that does not
    compile, only matchers that match the empty value, an end in the past) fails before anything is sent,
    in check mode too.
author:
  - vigil.observability maintainers (@vigil)
options:
  url:
    description:
      - Base URL of the Alertmanager API; the module appends C(/api/v2/...) to it. A path prefix is kept (an
        Alertmanager run with C(--web.route-prefix) or behind a reverse proxy) and a trailing slash is ignored.
      - For example V(http://127.0.0.1:9093), or V(https://grafana.example.com/api/alertmanager/grafana)
        for Grafana's built-in Alertmanager.
    type: str
    required: true
  username:
    description:
      - User for basic authentication (Alertmanager's C(basic_auth_users) web configuration, a reverse proxy,
        or a Grafana user), together with O(password).
      - Mutually exclusive with O(token).
    type: str
  password:
    description:
      - Password for basic authentication.
    type: str
  token:
    description:
      - Token sent in the C(Authorization) header as a Bearer token, for example a Grafana service-account token.
      - Mutually exclusive with O(username).
    type: str
  state:
    description:
      - V(present) makes sure the silence exists with O(matchers) until at least the requested end;
        V(absent) expires it.
    type: str
    default: present
    choices: [present, absent]
  matchers:
    description:
      - What the silence mutes; an alert is muted when every matcher matches its labels.
      - At least one is required for O(state=present), and at least one must not match the empty value
        (a label the alert does not have). Compared in any order.
      - Ignored by O(state=absent).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Label name, as in Prometheus - letters, digits and C(_), not starting with a digit.
        type: str
        required: true
      value:
        description:
          - Label value, or with O(matchers[].is_regex) a regular expression that must match the whole value.
        type: str
        required: true
      is_regex:
        description:
          - O(matchers[].value) is a regular expression (RE2 syntax in Alertmanager; the module checks it
            with Python's C(re) as a sanity check before sending it).
        type: bool
        default: false
      is_equal:
        description:
          - V(false) negates the matcher (C(!=), or C(!~) with O(matchers[].is_regex)).
        type: bool
        default: true
  created_by:
    description:
      - Creator of the silence, shown by Alertmanager; with O(comment) the identity of the silence.
    type: str
    default: vigil.observability
  comment:
    description:
      - Comment of the silence; with O(created_by) the identity of the silence, so it must name the purpose,
        for example C(deploy of web-01 by ansible).
      - Required for O(state=present), and for O(state=absent) without O(id).
    type: str
  duration:
    description:
      - How long the silence lasts from now, for example V(30m), V(2h) or V(1h30m) (units C(ms), C(s), C(m),
        C(h), C(d), C(w), C(y)).
      - One of O(duration) and O(ends_at) is required for O(state=present).
    type: str
  ends_at:
    description:
      - When the silence ends, an RFC 3339 time such as V(2030-01-31T18:00:00Z) or V(2030-01-31T19:00:00+01:00);
        it must be in the future.
    type: str
  id:
    description:
      - With O(state=absent), expire the silence with this id (whatever its creator and comment) instead of
        the one found by O(created_by) and O(comment).
    type: str
  unit:
    description:
      - A systemd unit of the host that runs the module, for example V(alertmanager.service), when the module
        runs where Alertmanager does. When the unit is not active there (not installed, not started yet,
        stopped), the module sends nothing and the task is skipped with the unit's state as the reason, so a run
        that starts before its Alertmanager exists needs no separate look at the unit.
    type: str
extends_documentation_fragment:
  - vigil.observability._transport
attributes:
  check_mode:
    description: No request that changes anything is sent in check mode; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: Shows the silence (its matchers, end, creator and comment) before and after.
    support: full
  action_group:
    description: Use C(group/vigil.observability.alertmanager) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - vigil.observability.alertmanager
notes:
  - All HTTP goes through Ansible's C(open_url); no extra Python library is needed. TLS client certificates
    are not supported.
  - Every HTTP error fails the task with one line naming the request, the status and its meaning, and the
    server's message; HTTP 404 of the silence list says the URL is probably not an Alertmanager API base; an
    unreachable server fails with C(cannot reach <url>). HTTP 429, 502, 503 and 504 are retried.
  - Times are sent in UTC with millisecond precision. The requested end is computed from the clock of the host
    that runs the module, so that clock should agree with Alertmanager's (the 60 second tolerance absorbs
    small differences).
  - Alertmanager 0.28 and later also accept label names outside Prometheus' classic rule (UTF-8 names); this
    module accepts the classic names only.
seealso:
  - name: Alertmanager API v2 (OpenAPI specification)
    description: The endpoints this module uses - GET and POST C(/api/v2/silences), GET and DELETE C(/api/v2/silence/{id}).
    link: https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml
"""

EXAMPLES = r"""
- name: Silence the hosts of this run for the deploy (at the start of the play)
  vigil.observability.alertmanager_silence:
    url: http://alertmanager.example.com:9093
    username: ansible
    password: "{{ alertmanager_password }}"
    matchers:
      - name: instance
        value: "({{ ansible_play_hosts | map('regex_escape') | join('|') }})(:[0-9]+)?"
        is_regex: true
    comment: "deploy of {{ ansible_play_hosts | join(', ') }} by ansible"
    duration: 2h
  run_once: true
  delegate_to: localhost
  register: deploy_silence

- name: End it (at the end of the play)
  vigil.observability.alertmanager_silence:
    url: http://alertmanager.example.com:9093
    username: ansible
    password: "{{ alertmanager_password }}"
    id: "{{ deploy_silence.silence_id }}"
    state: absent
  run_once: true
  delegate_to: localhost

- name: The same against Grafana's built-in Alertmanager, until a fixed time
  vigil.observability.alertmanager_silence:
    url: https://grafana.example.com/api/alertmanager/grafana
    token: "{{ grafana_token }}"
    matchers:
      - {name: team, value: db}
      - {name: severity, value: info, is_equal: false}
    created_by: dba
    comment: database maintenance window
    ends_at: "2030-01-31T18:00:00Z"

- name: Expire the maintenance silence, found by creator and comment
  vigil.observability.alertmanager_silence:
    url: https://grafana.example.com/api/alertmanager/grafana
    token: "{{ grafana_token }}"
    created_by: dba
    comment: database maintenance window
    state: absent
"""

RETURN = r"""
action:
  description:
    - What was (in check mode, would be) done - V(create), V(update) (same id, later end), V(replace) (new
      matchers - Alertmanager creates a new silence and expires the old one), V(expire) (O(state=absent)), or null.
  returned: always
  type: str
  sample: create
silence_id:
  description:
    - Id of the managed silence after the run; null after O(state=absent), and in check mode for a silence
      that would get a new id.
  returned: always
  type: str
  sample: 9f3c9e58-8a0c-4a5f-9a49-3f8f5e8d1c5b
silence:
  description:
    - The silence as Alertmanager stores it (read again after a write), in the API's form; in check mode as a
      real run would leave it (without C(id) when it would get a new one). Null after O(state=absent).
  returned: always
  type: dict
  sample: {"id": "9f3c9e58-8a0c-4a5f-9a49-3f8f5e8d1c5b", "status": {"state": "active"},
           "matchers": [{"name": "instance", "value": "web-01:9100", "isRegex": false, "isEqual": true}],
           "startsAt": "2030-01-31T16:00:00.123Z", "endsAt": "2030-01-31T18:00:00.000Z",
           "updatedAt": "2030-01-31T16:00:00.123Z", "createdBy": "vigil.observability", "comment": "deploy"}
ends_at:
  description: When the silence ends (RFC 3339, UTC); null after O(state=absent).
  returned: always
  type: str
  sample: "2030-01-31T18:00:00.000Z"
expired_ids:
  description:
    - Ids of the silences expired by this run (in check mode, that would be) - by O(state=absent), or the
      silence Alertmanager replaced for new matchers.
  returned: always
  type: list
  elements: str
  sample: ["9f3c9e58-8a0c-4a5f-9a49-3f8f5e8d1c5b"]
diff:
  description:
    - O(state=present) - the silence before and after, as C(matchers) (sorted), C(ends_at), C(created_by) and
      C(comment). O(state=absent) - the expired silences by id before, nothing after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"matchers": [{"name": "instance", "value": "web-01:9100", "is_regex": false,
           "is_equal": true}], "ends_at": "2030-01-31T18:00:00.000Z", "created_by": "vigil.observability",
           "comment": "deploy"}}
"""

import datetime

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils import _alertmanager as am
from ansible_collections.vigil.observability.plugins.module_utils import _args, _resource, _systemd
from ansible_collections.vigil.observability.plugins.module_utils._duration import PROMETHEUS_UNITS, duration_ns
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

# A silence ending at most this long before the requested end is left as it is.
END_TOLERANCE = datetime.timedelta(seconds=60)
LIVE = ("active", "pending")

ARGUMENT_SPEC = dict(
    url=dict(type="str", required=True),
    username=dict(type="str"),
    password=dict(type="str", no_log=True),
    token=dict(type="str", no_log=True),
    matchers=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        value=dict(type="str", required=True),
        is_regex=dict(type="bool", default=False),
        is_equal=dict(type="bool", default=True),
    )),
    created_by=dict(type="str", default="vigil.observability"),
    comment=dict(type="str"),
    duration=dict(type="str"),
    ends_at=dict(type="str"),
    id=dict(type="str"),
    unit=dict(type="str"),
    **dict(_args.TRANSPORT_SPEC, **_args.STATE_SPEC)
)


def requested_end(params, now):
    """The end the run asks for, from duration or ends_at, at millisecond precision."""
    if params["duration"] is not None:
        try:
            nanoseconds = duration_ns(params["duration"], PROMETHEUS_UNITS)
        except ValueError:
            nanoseconds = 0
        if nanoseconds < 10 ** 6:
            raise ValidationError("duration must be a positive duration such as '30m', '2h' or '1h30m', got %r"
                                  % params["duration"])
        return now + datetime.timedelta(milliseconds=int(nanoseconds // 10 ** 6))
    end = am.parse_time(params["ends_at"], "ends_at")
    end = end.replace(microsecond=end.microsecond // 1000 * 1000)
    if end <= now:
        raise ValidationError("ends_at %s is not in the future (now is %s): Alertmanager refuses a silence that has "
                              "ended already" % (params["ends_at"], am.format_time(now)))
    return end


def state_of(silence, now):
    """``status.state`` as Alertmanager reports it, or computed from the times when it is missing."""
    state = (silence.get("status") or {}).get("state")
    if state:
        return state
    if am.parse_time(silence.get("startsAt"), "startsAt of silence %s" % silence.get("id")) > now:
        return "pending"
    if am.parse_time(silence.get("endsAt"), "endsAt of silence %s" % silence.get("id")) <= now:
        return "expired"
    return "active"


def end_of(silence):
    return am.parse_time(silence.get("endsAt"), "endsAt of silence %s" % silence.get("id"))


def stored_matchers(silence):
    return [am.module_matcher(m) for m in silence.get("matchers") or [] if isinstance(m, dict)]


def view(silence):
    """What the diff shows of a silence (API form in, module form out)."""
    return {"matchers": am.sorted_matchers(stored_matchers(silence)),
            "ends_at": am.format_time(end_of(silence)),
            "created_by": silence.get("createdBy"),
            "comment": silence.get("comment")}


def identity(params):
    created_by = params["created_by"]
    comment = params["comment"]
    if created_by is None or not created_by.strip():
        raise ValidationError("created_by must not be empty: with comment it names the silence this module manages")
    if comment is None or not comment.strip():
        raise ValidationError("comment must not be empty: with created_by it names the silence this module manages")
    return created_by, comment


def label(created_by, comment):
    return "silence created by %r with comment %r" % (created_by, comment)


def ensure_present(module, client, now):
    params = module.params
    created_by, comment = identity(params)
    matchers = am.validate_matchers(params["matchers"])
    end = requested_end(params, now)
    wanted = am.sorted_matchers(matchers)

    ours = [s for s in client.list_silences()
            if s.get("createdBy") == created_by and s.get("comment") == comment and state_of(s, now) in LIVE]
    same = sorted((s for s in ours if am.sorted_matchers(stored_matchers(s)) == wanted), key=end_of, reverse=True)
    latest = sorted(ours, key=lambda s: str(s.get("updatedAt") or ""), reverse=True)
    body = {"matchers": [am.api_matcher(m) for m in matchers], "startsAt": am.format_time(now),
            "endsAt": am.format_time(end), "createdBy": created_by, "comment": comment}
    if same and end_of(same[0]) >= end - END_TOLERANCE:
        current, action = same[0], None
    elif same:
        # Same matchers in the stored order, the stored start: Alertmanager updates the silence in place.
        current, action = same[0], "update"
        body = dict(body, id=current["id"], matchers=[am.api_matcher(m) for m in stored_matchers(current)],
                    startsAt=current.get("startsAt"))
    elif ours:
        current, action = latest[0], "replace"
        body = dict(body, id=current["id"])
    else:
        current, action = None, "create"
    others = [s.get("id") for s in ours if current is None or s.get("id") != current.get("id")]
    if others:
        module.warn("%s: %d more active or pending silence(s) with the same creator and comment (%s) are left as "
                    "they are; this run manages %s only" % (label(created_by, comment), len(others), ", ".join(others),
                                                            current.get("id")))

    before = view(current) if current is not None else None
    expired = []
    if action is None:
        silence = current
    elif module.check_mode:
        silence = {"status": {"state": "active"}, "matchers": body["matchers"], "startsAt": body["startsAt"],
                   "endsAt": body["endsAt"], "createdBy": created_by, "comment": comment}
        if action == "update":
            silence = dict(current, **silence)
            silence["status"] = current.get("status") or silence["status"]
            silence["startsAt"] = current.get("startsAt")
        elif action == "replace":
            expired.append(current["id"])
    else:
        new_id = client.post_silence(body)
        if current is not None and new_id != current["id"]:
            action = "replace"  # Alertmanager expires the silence it replaces
            expired.append(current["id"])
        silence = client.get_silence(new_id) or dict(body, id=new_id, status={"state": "active"})

    result = dict(changed=action is not None, action=action, silence_id=silence.get("id"), silence=silence,
                  ends_at=am.format_time(end_of(silence)), expired_ids=expired)
    if module._diff:
        result["diff"] = {"before": before or {}, "after": view(silence)}
    return result


def ensure_absent(module, client, now):
    params = module.params
    if params["id"]:
        found = client.get_silence(params["id"].strip())
        targets = [found] if found is not None and state_of(found, now) in LIVE else []
    else:
        created_by, comment = identity(params)
        targets = [s for s in client.list_silences()
                   if s.get("createdBy") == created_by and s.get("comment") == comment and state_of(s, now) in LIVE]
    expired = []
    for silence in targets:
        if module.check_mode or client.expire_silence(silence["id"]):
            expired.append(silence["id"])
    result = dict(changed=bool(expired), action="expire" if expired else None, silence_id=None, silence=None,
                  ends_at=None, expired_ids=expired)
    if module._diff:
        result["diff"] = {"before": dict((s["id"], view(s)) for s in targets if s["id"] in expired), "after": {}}
    return result


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        mutually_exclusive=[["token", "username"], ["duration", "ends_at"]],
        required_together=[["username", "password"]],
        required_if=[["state", "present", ["matchers", "comment"]],
                     ["state", "present", ["duration", "ends_at"], True],
                     ["state", "absent", ["id", "comment"], True]],
    )
    _systemd.skip_unless_active(module, module.params["unit"], action=None, silence_id=None, silence=None,
                                ends_at=None, expired_ids=[])

    def work():
        now = am.now_ms()
        client = am.AlertmanagerClient.from_module(module)
        if module.params["state"] == "present":
            return ensure_present(module, client, now)
        return ensure_absent(module, client, now)

    _resource.run(module, work)


if __name__ == "__main__":
    main()
