#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage Uptime Kuma monitors, one or a whole list in one call."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_monitor
short_description: Manage Uptime Kuma monitors, one or a whole list in one call
version_added: "0.1.0"
description:
  - Creates, updates, pauses, resumes and deletes monitors of Uptime Kuma 2.x, found by name.
  - One monitor from the top-level options (O(name) and the monitor options), or many from
    O(monitors) in one call with one login. With O(prune), monitors this module manages that are
    not listed are deleted.
  - Only the options you set are compared and written; an option left out keeps what the monitor
    has (on a new monitor it gets the web app's default, listed with each option). A run that
    changes nothing sends no write (see RV(requests)).
  - Every monitor the module writes carries the tag C(managed-by) with the value O(managed_by).
    This marker is how O(prune) tells the module's monitors from the ones made by hand; a monitor
    without it is never pruned. The tag is created on first use; it is reserved and cannot be
    given in O(tags).
  - Supported types are V(http), V(keyword), V(json-query), V(port), V(ping), V(dns), V(push)
    and V(group). Any other type is refused with an error.
  - Every monitor is validated (options, required fields of its type, names of its parent,
    notifications and tags) before the first write, so a bad item writes nothing.
author:
  - vigil.observability maintainers (@vigil)
options:
  name:
    description:
      - Name of the monitor; monitors are found by name. Required unless O(monitors) is given.
      - Mutually exclusive with O(monitors).
    type: str
  monitors:
    description:
      - Many monitors in one call, in place of O(name). Each item is a dict with C(name)
        (required), an optional C(state) (V(present) or V(absent), default O(state)), and any
        of the monitor options of this module (O(type), O(monitor_url), O(hostname), O(port),
        O(keyword), O(invert_keyword), O(json_path), O(json_path_operator), O(expected_value),
        O(dns_resolve_server), O(dns_resolve_type), O(method), O(headers), O(body),
        O(body_encoding), O(basic_auth_user), O(basic_auth_password), O(interval),
        O(retry_interval), O(retries), O(request_timeout), O(resend_interval),
        O(accepted_status_codes), O(ignore_tls), O(expiry_notification), O(upside_down),
        O(max_redirects), O(description), O(push_token), O(tags), O(notifications), O(parent),
        O(active)) with the same meaning.
      - In an item, C(url) is accepted for O(monitor_url) (at the top level O(url) is the
        address of Uptime Kuma).
      - A monitor option given at the top level is the default for every item; an item's own
        value wins.
      - Names must be unique in the list. Group monitors are written before the monitors in
        them, so a group and its members can be created in the same call.
    type: list
    elements: dict
  prune:
    description:
      - With O(monitors), also delete every monitor whose C(managed-by) tag has the value
        O(managed_by) and that the list does not name. Monitors without that tag (made by hand,
        or managed under another O(managed_by)) are never deleted.
      - Deleting a group leaves its members in place, at the top level.
    type: bool
    default: false
  paused_if_new:
    description:
      - Names of monitors that start paused when this call creates them. A listed monitor that does
        not exist yet is created with C(active) false, whatever its item says; one that exists is
        written as its item says. RV(monitors) names the ones created (C(action) V(create)), so a
        caller can put exactly the new ones in a maintenance before it resumes them, without a read
        of its own first.
      - Names this call does not list are ignored.
    type: list
    elements: str
    default: []
  managed_by:
    description:
      - Value of the C(managed-by) tag the module puts on every monitor it writes. Use a value per
        independent list (for example per team) so that O(prune) of one list leaves the others
        alone. A listed monitor marked with another value is taken over (its marker is changed).
    type: str
    default: vigil.observability
  type:
    description:
      - Monitor type, one of V(http), V(keyword), V(json-query), V(port), V(ping), V(dns),
        V(push), V(group). Required to create a monitor; an existing monitor keeps its type when
        omitted.
    type: str
  monitor_url:
    description:
      - The URL checked by V(http), V(keyword) and V(json-query) monitors (required for them),
        V(http://) or V(https://).
    type: str
  hostname:
    description:
      - Host name or IP address checked by V(port), V(ping) and V(dns) monitors (required for them).
    type: str
  port:
    description:
      - TCP port of a V(port) monitor (required for it); DNS server port of a V(dns) monitor
        (default V(53)).
    type: int
  keyword:
    description:
      - Text a V(keyword) monitor looks for in the response (required for it; case-sensitive).
    type: str
  invert_keyword:
    description:
      - The V(keyword) monitor is up when the keyword is NOT found. New monitors default to V(false).
    type: bool
  json_path:
    description:
      - JSONata expression a V(json-query) monitor evaluates on the response. New monitors default to V($).
    type: str
  json_path_operator:
    description:
      - How a V(json-query) monitor compares the result with O(expected_value). New monitors
        default to V(==).
    type: str
    choices: ["==", "!=", "<", "<=", ">", ">=", contains]
  expected_value:
    description:
      - Value a V(json-query) monitor expects (required for it).
    type: str
  dns_resolve_server:
    description:
      - Resolver(s) a V(dns) monitor asks, comma separated. New V(dns) monitors default to V(1.1.1.1).
    type: str
  dns_resolve_type:
    description:
      - Record type a V(dns) monitor resolves. New monitors default to V(A).
    type: str
    choices: [A, AAAA, CAA, CNAME, MX, NS, PTR, SOA, SRV, TXT]
  method:
    description:
      - HTTP method. New monitors default to V(GET).
    type: str
    choices: [GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS]
  headers:
    description:
      - HTTP request headers. Compared as data; values of headers whose name suggests a secret
        (C(Authorization), C(*token*), C(*key*), C(Cookie), ...) are masked in results and diffs.
      - V({}) removes all headers.
    type: dict
  body:
    description:
      - HTTP request body, a string or data (sent as JSON, indented as the web app does).
    type: raw
  body_encoding:
    description:
      - Encoding of O(body). New HTTP monitors default to V(json).
    type: str
    choices: [json, form, xml]
  basic_auth_user:
    description:
      - User for HTTP basic authentication.
    type: str
  basic_auth_password:
    description:
      - Password for HTTP basic authentication. Never shown; a diff shows whether it changes.
    type: str
  interval:
    description:
      - Seconds between two checks, at least 20. New monitors default to V(60).
    type: int
  retry_interval:
    description:
      - Seconds between checks while a failing monitor is retried, at least 20. New monitors default to O(interval).
    type: int
  retries:
    description:
      - Failed checks before the monitor is marked down and notifications are sent. New monitors default to V(0).
    type: int
  request_timeout:
    description:
      - Seconds a check may take. New monitors default to 80% of O(interval), at most V(48); new
        V(ping) monitors to V(10) (for V(ping) it is the whole ping's deadline, 2 to 300 seconds, whole seconds).
    type: float
  resend_interval:
    description:
      - Resend the down notification every this many checks while down; V(0) (the default of new monitors) never.
    type: int
  accepted_status_codes:
    description:
      - HTTP status codes counted as up, each a code (V("200")) or a range (V("200-299")). Compared
        as a set. New monitors default to V(["200-299"]).
    type: list
    elements: str
  ignore_tls:
    description:
      - Ignore TLS and certificate errors. New monitors default to V(false).
    type: bool
  expiry_notification:
    description:
      - Notify when the site's TLS certificate is about to expire. New monitors default to V(false).
    type: bool
  upside_down:
    description:
      - Upside down mode; the monitor is up when the check fails. New monitors default to V(false).
    type: bool
  max_redirects:
    description:
      - Redirects an HTTP monitor follows; V(0) follows none. New monitors default to V(10).
    type: int
  description:
    description:
      - Description shown in the web app.
    type: str
  push_token:
    description:
      - Token in the URL a V(push) monitor listens on (C(/api/push/<token>)). When omitted, a new
        V(push) monitor gets a random 32-character token, which the module never shows; set it
        here to know the push URL.
    type: str
  tags:
    description:
      - Tags of the monitor (every other tag link is removed). The tags must exist in Uptime Kuma;
        an unknown tag name is an error. Omit to leave the tags alone.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of an existing tag.
        type: str
        required: true
      value:
        description:
          - Value of the tag on this monitor.
        type: str
        default: ""
  notifications:
    description:
      - Names of the notifications the monitor sends to (others are unlinked); V([]) for none.
        Unknown names are an error. When omitted, an existing monitor keeps its notifications and
        a new one gets those marked "default enabled", as in the web app.
    type: list
    elements: str
  parent:
    description:
      - Name of the group monitor this monitor is in (an existing group, or a V(group) item of
        the same O(monitors) list). V("") moves it to the top level. Omit to leave it where it is.
    type: str
  active:
    description:
      - V(false) pauses the monitor, V(true) resumes it. New monitors default to V(true). A
        monitor in a paused group reads as paused; its own state is then left alone.
    type: bool
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
  - vigil.observability._state
attributes:
  check_mode:
    description:
      - Nothing is written in check mode, not even the C(managed-by) tag; C(changed), each
        RV(monitors[].action) and the diff say what a real run would do.
    support: full
notes:
  - Uptime Kuma identifies monitors by id and allows two monitors with one name; the module fails
    when a name it needs is used by more than one monitor.
  - The server rewrites a whole monitor on every edit, so the module reads the monitor as the
    server has it and sends it back with only the managed options changed.
seealso:
  - module: vigil.observability.uptime_kuma_info
  - module: vigil.observability.uptime_kuma_tag
  - module: vigil.observability.uptime_kuma_notification
"""

EXAMPLES = r"""
- name: One HTTP monitor
  vigil.observability.uptime_kuma_monitor:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /etc/uptime-kuma/admin.token
    name: Website
    type: http
    monitor_url: https://www.example.com/health
    interval: 60
    accepted_status_codes: ["200-299", "301"]
    notifications: [Ops mail]
    tags:
      - name: env
        value: production

- name: The whole list in one call; monitors of this list that are no longer in it are deleted
  vigil.observability.uptime_kuma_monitor:
    token_file: /etc/uptime-kuma/admin.token
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    interval: 120                  # default for every item
    notifications: [Ops mail]      # default for every item
    prune: true
    monitors:
      - name: Backends
        type: group
      - name: API
        type: keyword
        monitor_url: https://api.example.com/status
        keyword: '"status":"ok"'
        parent: Backends
      - name: API version
        type: json-query
        monitor_url: https://api.example.com/version
        json_path: major
        expected_value: "2"
        parent: Backends
      - name: Database port
        type: port
        hostname: db.example.com
        port: 5432
        parent: Backends
      - name: Gateway
        type: ping
        hostname: 192.0.2.1
      - name: MX record
        type: dns
        hostname: example.com
        dns_resolve_type: MX
      - name: Nightly backup
        type: push
        push_token: "{{ vault_backup_push_token }}"
        interval: 86400

- name: Pause a monitor for maintenance work
  vigil.observability.uptime_kuma_monitor:
    token_file: /etc/uptime-kuma/admin.token
    name: Database port
    active: false

- name: Delete a monitor
  vigil.observability.uptime_kuma_monitor:
    token_file: /etc/uptime-kuma/admin.token
    name: Old website
    state: absent
"""

RETURN = r"""
monitors:
  description: One entry per monitor (listed ones in write order, then pruned ones).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Monitor id (null for a monitor that check mode would create).
      type: int
    name:
      description: Monitor name (O(name), or C(name) of an item of O(monitors)).
      type: str
    type:
      description: Monitor type (see O(type)).
      type: str
    active:
      description: Whether the monitor runs (false when it or its group is paused, or it was deleted).
      type: bool
    parent:
      description: Name of its group, or null.
      type: str
    changed:
      description: Whether it was (or in check mode would be) written.
      type: bool
    action:
      description: V(create), V(update), V(delete) or null.
      type: str
    pruned:
      description: Deleted by O(prune) (only on deleted monitors).
      type: bool
  sample: [{"id": 7, "name": "API", "type": "keyword", "active": true, "parent": "Backends", "changed": true,
            "action": "create"}]
monitor:
  description: The single entry of RV(monitors), when O(name) was given.
  returned: when O(name) was given
  type: dict
  sample: {"id": 7, "name": "Website", "type": "http", "active": true, "parent": null, "changed": false, "action": null}
action:
  description: What was (or would be) done to the monitor given by O(name).
  returned: when O(name) was given
  type: str
  sample: update
counts:
  description: How many monitors were (or would be) created, updated, deleted, or left unchanged.
  returned: always
  type: dict
  sample: {"created": 2, "updated": 1, "deleted": 0, "unchanged": 97}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma; a run that changes nothing has no write.
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 1, "writes": 0}
applied:
  description: On a failed write, the names of the monitors written before it.
  returned: when a write fails in bulk mode (O(monitors))
  type: list
  elements: str
diff:
  description:
    - Before and after of the managed options per changed monitor (a list with O(monitors), a dict with O(name));
      secrets appear only as C([REDACTED]) (unchanged) or C([REDACTED:changed]).
  returned: when diff mode is on
  type: raw
  sample: {"before": {"name": "Website", "interval": 60, "managed_by": "vigil.observability"},
           "after": {"name": "Website", "interval": 120, "managed_by": "vigil.observability"}}
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_monitor
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import kuma_module, run

ITEM_SPEC = dict(_kuma_monitor.MONITOR_OPTIONS, name=dict(type="str", required=True),
                 state=dict(type="str", choices=["present", "absent"]),
                 # In an item, url names nothing else: accepted for monitor_url.
                 monitor_url=dict(_kuma_monitor.MONITOR_OPTIONS["monitor_url"], aliases=["url"]))


def validate_items(module):
    """Each item of ``monitors`` checked against ITEM_SPEC (its secrets then kept out of all output)."""
    validator = ArgumentSpecValidator(ITEM_SPEC)
    checked = []
    for position, entry in enumerate(module.params["monitors"] or [], 1):
        where = "monitors[%d]" % position
        if not isinstance(entry, dict):
            raise ValidationError("%s is not a dict of monitor options" % where)
        if entry.get("name"):
            where += " (%r)" % entry["name"]
        result = validator.validate(entry)
        module.no_log_values.update(result._no_log_values)  # pylint: disable=protected-access
        if isinstance(result.validated_parameters.get("headers"), dict):
            module.no_log_values.update(_kuma_monitor.secret_header_values(result.validated_parameters["headers"]))
        if result.unsupported_parameters:
            raise ValidationError("%s: unsupported option(s) %s" % (where, ", ".join(sorted(result.unsupported_parameters))))
        if result.error_messages:
            raise ValidationError("%s: %s" % (where, result.error_messages[0]))
        checked.append(result.validated_parameters)
    return checked


def main():
    module = kuma_module(
        dict(_kuma_monitor.MONITOR_OPTIONS,
             name=dict(type="str"),
             monitors=dict(type="list", elements="dict"),
             prune=dict(type="bool", default=False),
             paused_if_new=dict(type="list", elements="str", default=[]),
             managed_by=dict(type="str", default=_kuma_monitor.DEFAULT_MANAGED_BY)),
        mutually_exclusive=[("name", "monitors")],
        required_one_of=[("name", "monitors")],
        required_if=[("prune", True, ("monitors",))],
    )
    params = module.params
    module.no_log_values.update(_kuma_monitor.secret_header_values(params["headers"]))
    try:
        if not params["managed_by"].strip():
            raise ValidationError("managed_by must not be empty: it marks the monitors this module manages")
        if params["monitors"] is not None:
            params = dict(params, monitors=validate_items(module))
        items, bulk = _kuma_monitor.items_from_params(params)
        _kuma_monitor.check_items(items)
    except VigilError as err:
        module.fail_json(msg=str(err))
    run(module, lambda client: _kuma_monitor.apply(client, items, bulk, params, module.check_mode, module._diff))


if __name__ == "__main__":
    main()
