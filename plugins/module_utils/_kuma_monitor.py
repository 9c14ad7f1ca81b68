# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Uptime Kuma monitors: options, validation, comparison and writes of uptime_kuma_monitor.

What the Uptime Kuma 2.x server does with a monitor (read from its code, measured on 2.5.3):

- ``add(monitor)`` imports every key of the object as a column (so only real columns may be
  sent; ``tags`` may not), needs ``accepted_statuscodes`` as a list of strings, stores
  ``notificationIDList`` ({id: true}) separately and starts the monitor unless ``active`` is
  false; it answers ``monitorID``.
- ``editMonitor(monitor)`` rewrites every column from the object it gets, so an edit sends the
  whole current monitor (as the server pushed it in ``monitorList``, secrets included) with the
  managed fields merged in. It never changes ``active``: ``pauseMonitor`` / ``resumeMonitor`` do.
- tag links (``addMonitorTag`` / ``editMonitorTag`` / ``deleteMonitorTag``) are rows the server
  never de-duplicates, so a link is only added when it is missing.
- in ``monitorList`` a monitor's ``active`` is its own flag AND its parents' (``forceInactive``
  says a parent is paused); ports come back as numbers, booleans as booleans, headers as the
  stored JSON text.

Monitors this module writes carry the tag ``managed-by`` (value: the module's ``managed_by``
option); ``prune`` deletes only monitors with that tag and value.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import string

from ansible_collections.vigil.observability.plugins.module_utils import _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_lookup import (
    notifications_by_name, resolve, tags_by_name,
)
from ansible_collections.vigil.observability.plugins.module_utils._resource import SECRET, SECRET_CHANGED

TYPES = ("http", "keyword", "json-query", "port", "ping", "dns", "push", "group")
HTTP_TYPES = ("http", "keyword", "json-query")
MARKER_TAG = "managed-by"
MARKER_COLOR = "#4B5563"
DEFAULT_MANAGED_BY = "vigil.observability"
DNS_TYPES = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"]
JSON_OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "contains"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

# The options of one monitor (top level in single mode; each item of ``monitors``).
MONITOR_OPTIONS = dict(
    type=dict(type="str"),
    monitor_url=dict(type="str"),
    hostname=dict(type="str"),
    port=dict(type="int"),
    keyword=dict(type="str", no_log=False),
    invert_keyword=dict(type="bool"),
    json_path=dict(type="str"),
    json_path_operator=dict(type="str", choices=JSON_OPERATORS),
    expected_value=dict(type="str"),
    dns_resolve_server=dict(type="str"),
    dns_resolve_type=dict(type="str", choices=DNS_TYPES),
    method=dict(type="str", choices=METHODS),
    headers=dict(type="dict"),
    body=dict(type="raw"),
    body_encoding=dict(type="str", choices=["json", "form", "xml"]),
    basic_auth_user=dict(type="str"),
    basic_auth_password=dict(type="str", no_log=True),
    interval=dict(type="int"),
    retry_interval=dict(type="int"),
    retries=dict(type="int"),
    request_timeout=dict(type="float"),
    resend_interval=dict(type="int"),
    accepted_status_codes=dict(type="list", elements="str"),
    ignore_tls=dict(type="bool"),
    expiry_notification=dict(type="bool"),
    upside_down=dict(type="bool"),
    max_redirects=dict(type="int"),
    description=dict(type="str"),
    push_token=dict(type="str", no_log=True),
    tags=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        value=dict(type="str", default=""),
    )),
    notifications=dict(type="list", elements="str"),
    parent=dict(type="str"),
    active=dict(type="bool"),
)

# option -> (server key, kind). Kinds decide how a value is normalised and sent.
FIELDS = (
    ("type", "type", "str"),
    ("monitor_url", "url", "str"),
    ("hostname", "hostname", "str"),
    ("port", "port", "int"),
    ("keyword", "keyword", "str"),
    ("invert_keyword", "invertKeyword", "bool"),
    ("json_path", "jsonPath", "str"),
    ("json_path_operator", "jsonPathOperator", "str"),
    ("expected_value", "expectedValue", "str"),
    ("dns_resolve_server", "dns_resolve_server", "str"),
    ("dns_resolve_type", "dns_resolve_type", "str"),
    ("method", "method", "str"),
    ("headers", "headers", "headers"),
    ("body", "body", "body"),
    ("body_encoding", "httpBodyEncoding", "str"),
    ("basic_auth_user", "basic_auth_user", "str"),
    ("basic_auth_password", "basic_auth_pass", "secret"),
    ("interval", "interval", "int"),
    ("retry_interval", "retryInterval", "int"),
    ("retries", "maxretries", "int"),
    ("request_timeout", "timeout", "float"),
    ("resend_interval", "resendInterval", "int"),
    ("accepted_status_codes", "accepted_statuscodes", "codes"),
    ("ignore_tls", "ignoreTls", "bool"),
    ("expiry_notification", "expiryNotification", "bool"),
    ("upside_down", "upsideDown", "bool"),
    ("max_redirects", "maxredirects", "int"),
    ("description", "description", "str"),
    ("push_token", "pushToken", "secret"),
)

# What the web app sends for a new monitor (src/pages/EditMonitor.vue: monitorDefaults, init()
# and the type watcher), minus what the module sets per type below.
CREATE_DEFAULTS = {
    "parent": None, "url": "https://", "wsSubprotocol": "", "method": "GET", "protocol": None, "location": "world",
    "ipFamily": None, "interval": 60, "resendInterval": 0, "maxretries": 0, "retryOnlyOnStatusCodeFailure": False,
    "notificationIDList": {}, "ignoreTls": False, "upsideDown": False, "expiryNotification": False,
    "domainExpiryNotification": True, "maxredirects": 10, "accepted_statuscodes": ["200-299"], "saveResponse": False,
    "saveErrorResponse": True, "responseMaxLength": 1024, "dns_resolve_type": "A", "dns_resolve_server": "",
    "docker_container": "", "docker_host": None, "proxyId": None, "basic_auth_user": "", "basic_auth_pass": "",
    "bearer_token": "", "mqttUsername": "", "mqttPassword": "", "mqttTopic": "", "mqttWebsocketPath": "",
    "mqttSuccessMessage": "", "mqttCheckType": "keyword", "authMethod": None, "oauth_auth_method": "client_secret_basic",
    "httpBodyEncoding": "json", "kafkaProducerBrokers": [], "kafkaProducerSaslOptions": {"mechanism": "None"},
    "cacheBust": False, "kafkaProducerSsl": False, "kafkaProducerAllowAutoTopicCreation": False,
    "gamedigGivenPortOnly": True, "gamedigToken": "", "remote_browser": None, "screenshot_delay": 0, "rabbitmqNodes": [],
    "rabbitmqUsername": "", "rabbitmqPassword": "", "conditions": [], "system_service_name": "",
    "ntpStratumThreshold": 5, "ntpTimeOffsetThreshold": 1000, "ntpRootDispersionThreshold": 500,
    "ping_count": 3, "ping_numeric": True, "packetSize": 56, "ping_per_request_timeout": 2, "snmpVersion": "2c",
    "jsonPath": "$", "jsonPathOperator": "==",
}

_STATUS_CODES = re.compile(r"^\d{3}(-\d{3})?$")
_SENSITIVE_HEADER = re.compile(r"auth|token|secret|key|cookie|pass|session|signature|credential", re.I)
_PLACEHOLDER_URLS = ("", "https://", "http://")
_PUSH_TOKEN_ALPHABET = string.ascii_letters + string.digits


# -- values ------------------------------------------------------------------------------------

def _parse_json(text):
    if text in (None, ""):
        return None
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


_NUMBERS = {"int": int, "float": float}


def normalize(kind, value):
    """A server or option value in the form both sides are compared in."""
    if kind in ("str", "secret"):
        return "" if value is None else str(value)
    if kind in _NUMBERS:
        if value in (None, ""):
            return None
        try:
            return _NUMBERS[kind](value)
        except (TypeError, ValueError):
            return value
    if kind == "bool":
        return bool(value)
    if kind == "codes":
        return sorted(set(str(code) for code in value or []))
    if kind == "headers":
        parsed = _parse_json(value)
        return parsed if parsed not in (None, "") else {}
    if kind == "body":
        if isinstance(value, (dict, list)):
            return value
        return "" if value is None else str(value)
    raise VigilError("internal error: unknown field kind %r" % kind)


def send_value(kind, value):
    """An option value in the form Uptime Kuma stores."""
    if kind == "headers":
        return json.dumps(value, indent=4) if value else None
    if kind == "body" and isinstance(value, (dict, list)):
        return json.dumps(value, indent=4)
    if kind == "codes":
        return [str(code) for code in value]
    return value


def _same_body(desired, current):
    if isinstance(desired, (dict, list)):
        return desired == _parse_json(current)
    return normalize("body", desired) == normalize("body", current)


def _mask_secret(before, after):
    """(before view, after view) of a secret: markers only, never the value."""
    shown_before = SECRET if before else ""
    if not after:
        return shown_before, ""
    return shown_before, SECRET if after == before else SECRET_CHANGED


def _mask_headers(before, after):
    before = before if isinstance(before, dict) else {"(not JSON)": SECRET}
    shown_before, shown_after = {}, {}
    for key, value in before.items():
        shown_before[key] = SECRET if _SENSITIVE_HEADER.search(str(key)) and value not in (None, "") else value
    if after is None:
        return shown_before, None
    for key, value in after.items():
        if _SENSITIVE_HEADER.search(str(key)) and value not in (None, ""):
            shown_after[key] = SECRET if before.get(key) == value else SECRET_CHANGED
        else:
            shown_after[key] = value
    return shown_before, shown_after


def secret_header_values(headers):
    """Values of the headers whose name suggests a secret (to keep them out of every output)."""
    return set(str(value) for key, value in (headers or {}).items()
               if _SENSITIVE_HEADER.search(str(key)) and value not in (None, ""))


def generate_push_token():
    return "".join(secrets.choice(_PUSH_TOKEN_ALPHABET) for _position in range(32))


# -- one monitor as given ------------------------------------------------------------------------

class Item(object):
    """One monitor of the task: its name, state and the options the user set."""

    def __init__(self, options, state, position):
        self.name = options.get("name")
        self.state = state
        self.position = position
        self.pruned = False
        self.options = dict((key, value) for key, value in options.items()
                            if key in MONITOR_OPTIONS and value is not None)

    @property
    def label(self):
        return "monitor %r" % (self.name,)

    def error(self, text):
        return ValidationError("%s: %s" % (self.label, text))


def items_from_params(params):
    """The task's monitors: one Item per ``monitors`` entry (top-level options as defaults) or one."""
    top = dict((key, params.get(key)) for key in MONITOR_OPTIONS)
    if params.get("monitors") is None:
        options = dict(top, name=params.get("name"))
        return [Item(options, params["state"], None)], False
    items = []
    for position, entry in enumerate(params["monitors"], 1):
        entry = entry or {}
        options = dict(top)
        options.update((key, value) for key, value in entry.items() if value is not None)
        items.append(Item(dict(options, name=entry.get("name")), entry.get("state") or params["state"], position))
    return items, True


def check_item(item):
    """What can be said about one monitor without the server (one-line ValidationError)."""
    opts = item.options
    if not item.name or not str(item.name).strip():
        where = "monitors[%d]" % item.position if item.position else "name"
        raise ValidationError("%s: a monitor needs a non-empty name" % where)
    if item.state == "absent":
        return
    kind = opts.get("type")
    if kind is not None and kind not in TYPES:
        raise item.error("unsupported type %r: this module manages the types %s" % (kind, ", ".join(TYPES)))
    url = opts.get("monitor_url")
    if url is not None and not re.match(r"^https?://[^/\s]", url.strip()):
        raise item.error("monitor_url %r is not an http:// or https:// URL" % url)
    port = opts.get("port")
    if port is not None and not 1 <= port <= 65535:
        raise item.error("port %s is not between 1 and 65535" % port)
    for option in ("interval", "retry_interval"):
        if opts.get(option) is not None and opts[option] < 20:
            raise item.error("%s %s is below 20 seconds (Uptime Kuma's smallest recommended interval)" % (option, opts[option]))
    for option in ("retries", "resend_interval", "max_redirects"):
        if opts.get(option) is not None and opts[option] < 0:
            raise item.error("%s must not be negative" % option)
    if opts.get("request_timeout") is not None and opts["request_timeout"] < 0:
        raise item.error("request_timeout must not be negative")
    for code in opts.get("accepted_status_codes") or []:
        if not _STATUS_CODES.match(str(code)):
            raise item.error("accepted_status_codes entry %r is neither a status code such as '200' nor a range "
                             "such as '200-299'" % code)
    if "body" in opts and not isinstance(opts["body"], (str, dict, list)):
        raise item.error("body must be a string, a dict or a list")
    for tag in opts.get("tags") or []:
        if not str(tag.get("name") or "").strip():
            raise item.error("a tag in tags has an empty name")
        if tag["name"] == MARKER_TAG:
            raise item.error("the tag %r is reserved: it marks the monitors this module manages (see managed_by)"
                             % MARKER_TAG)
    if opts.get("parent") and opts["parent"] == item.name:
        raise item.error("a monitor cannot be its own parent")


def check_items(items):
    """Every local check, and no name twice; raises before anything is sent."""
    seen = {}
    for item in items:
        check_item(item)
        if item.name in seen:
            raise ValidationError("monitor %r is listed twice in monitors (items %d and %d): names identify monitors"
                                  % (item.name, seen[item.name], item.position))
        seen[item.name] = item.position


# -- the server's state --------------------------------------------------------------------------

class State(object):
    """What the server has: monitors by name, notifications, tags (read once, lazily)."""

    def __init__(self, client, managed_by):
        self.client = client
        self.managed_by = managed_by
        self._tags = None
        self._notifications = None
        self.created = {}  # name -> id of monitors created in this run

    def monitors(self):
        return self.client.wait_list("monitorList")

    def by_name(self, name):
        """The one monitor named ``name`` or None; two of them are an error."""
        found = [m for m in self.monitors().values() if m.get("name") == name]
        if len(found) > 1:
            raise ValidationError("Uptime Kuma has %d monitors named %r (ids %s): rename all but one, monitors are "
                                  "found by name" % (len(found), name, ", ".join(str(m.get("id")) for m in found)))
        return found[0] if found else None

    def name_of(self, monitor_id):
        if monitor_id in (None, ""):
            return None
        monitor = self.monitors().get(str(monitor_id))
        return monitor.get("name") if monitor else "#%s" % monitor_id

    def notification_list(self):
        return self.client.wait_list("notificationList")

    def notifications(self):
        """{name: notification}; two with one name are an error, raised only when names are used."""
        if self._notifications is None:
            self._notifications = notifications_by_name(self.client)
        return self._notifications

    def notification_names(self, id_list):
        names = dict((str(n.get("id")), n.get("name")) for n in self.notification_list())
        return sorted(names.get(str(key), "#%s" % key) for key, on in (id_list or {}).items() if on)

    def tags(self):
        if self._tags is None:
            self._tags = tags_by_name(self.client)
        return self._tags

    def tag_id(self, name, monitor_label=None):
        try:
            return resolve("tag", self.tags(), name, "tags")["id"]
        except ValidationError as err:
            raise ValidationError("%s: %s" % (monitor_label, err)) if monitor_label else err

    def marker_tag_id(self):
        """Id of the ``managed-by`` tag, created on first use (never called in check mode)."""
        tag = self.tags().get(MARKER_TAG)
        if tag is None:
            answer = self.client.call("addTag", {"name": MARKER_TAG, "color": MARKER_COLOR}, write=True,
                                      what="creating the tag %r" % MARKER_TAG)
            tag = answer.get("tag") or {}
            self._tags[MARKER_TAG] = tag
        return tag.get("id")


def marker_of(monitor):
    """The value of a monitor's ``managed-by`` tag, or None."""
    for link in monitor.get("tags") or []:
        if link.get("name") == MARKER_TAG:
            return link.get("value") or ""
    return None


def user_tags(monitor):
    """The monitor's tag links other than the marker, as sorted {name, value}."""
    out = []
    for link in monitor.get("tags") or []:
        if link.get("name") == MARKER_TAG:
            continue
        out.append({"name": link.get("name"), "value": link.get("value") or ""})
    return sorted(out, key=lambda t: (t["name"], t["value"]))


def own_active(monitor):
    """The monitor's own active flag, or None when a paused parent hides it."""
    if monitor.get("forceInactive"):
        return None
    return bool(monitor.get("active"))


# -- views ---------------------------------------------------------------------------------------

def desired_tags(item):
    seen = set()
    out = []
    for tag in item.options.get("tags") or []:
        key = (tag["name"], tag.get("value") or "")
        if key in seen:
            continue
        seen.add(key)
        out.append({"name": key[0], "value": key[1]})
    return sorted(out, key=lambda t: (t["name"], t["value"]))


def views(item, current, state):
    """(before, after) views of the managed fields, secrets masked; ``current`` None for a new monitor."""
    opts = item.options
    cur = current or {}
    before, after = {"name": cur.get("name")}, {"name": item.name}
    for option, key, kind in FIELDS:
        if option not in opts:
            continue
        have = normalize(kind, cur.get(key)) if current is not None else None
        want = normalize(kind, opts[option])
        if kind == "secret":
            before[option], after[option] = _mask_secret(have, want)
            if current is None:
                before.pop(option)
        elif kind == "headers":
            shown_before, shown_after = _mask_headers(have or {}, want)
            after[option] = shown_after
            if current is not None:
                before[option] = shown_before
        elif kind == "body":
            after[option] = want
            if current is not None:
                before[option] = want if _same_body(opts[option], cur.get(key)) else normalize("body", cur.get(key))
        else:
            if option == "request_timeout" and (opts.get("type") or cur.get("type")) == "ping" and want is not None:
                want = float(round(want))
            after[option] = want
            if current is not None:
                before[option] = have
    if "tags" in opts:
        after["tags"] = desired_tags(item)
        if current is not None:
            before["tags"] = user_tags(cur)
    if "notifications" in opts:
        after["notifications"] = sorted(set(opts["notifications"]))
        if current is not None:
            before["notifications"] = state.notification_names(cur.get("notificationIDList"))
    if "parent" in opts:
        after["parent"] = opts["parent"] or None
        if current is not None:
            before["parent"] = state.name_of(cur.get("parent"))
    if "active" in opts:
        after["active"] = opts["active"]
        if current is not None:
            have = own_active(cur)
            before["active"] = opts["active"] if have is None else have
    after["managed_by"] = state.managed_by
    if current is not None:
        before["managed_by"] = marker_of(cur)
        return before, after
    return None, after  # a new monitor: nothing before


def changed_keys(before, after):
    return sorted(key for key in after if (before or {}).get(key) != after[key])


# -- planning ------------------------------------------------------------------------------------

class Plan(object):
    """One monitor's planned change, worked out (and validated) before anything is written."""

    def __init__(self, item, current, kind):
        self.item = item
        self.current = current
        self.type = kind


def _missing(value):
    return value is None or (isinstance(value, str) and value.strip() in _PLACEHOLDER_URLS)


def required_fields(item, current, kind):
    """The one-line error for a field the type needs but neither the options nor the monitor have."""
    need = {"http": ("monitor_url",), "keyword": ("monitor_url", "keyword"), "json-query": ("monitor_url", "expected_value"),
            "port": ("hostname", "port"), "ping": ("hostname",), "dns": ("hostname",)}.get(kind, ())
    keys = dict((option, key) for option, key, _kind in FIELDS)
    for option in need:
        value = item.options.get(option)
        if value is None and current is not None and current.get("type") in TYPES:
            value = current.get(keys[option])
        if _missing(value):
            verb = "create" if current is None else "turn it into"
            raise item.error("%s is required to %s a %s monitor" % (option, verb, kind))


def plan_items(items, state):
    """Validate every item against the server's state; [Plan] of the present ones, in write order."""
    present = dict((item.name, item) for item in items if item.state == "present")
    absent = set(item.name for item in items if item.state == "absent")
    plans = []
    for item in items:
        current = state.by_name(item.name)
        if item.state == "absent":
            plans.append(Plan(item, current, current.get("type") if current else None))
            continue
        kind = item.options.get("type") or (current or {}).get("type")
        if kind is None:
            raise item.error("it does not exist yet, and type is needed to create it")
        if kind not in TYPES:
            raise item.error("it has the type %r, which this module does not manage (it manages %s)"
                             % (kind, ", ".join(TYPES)))
        required_fields(item, current, kind)
        if kind == "ping" and item.options.get("request_timeout") is not None \
                and not 2 <= item.options["request_timeout"] <= 300:
            raise item.error("request_timeout of a ping monitor must be between 2 and 300 seconds")
        plan = Plan(item, current, kind)
        parent = item.options.get("parent")
        if parent:
            if parent in absent:
                raise item.error("its parent %r is deleted by this task (state absent)" % parent)
            if parent in present:
                parent_type = present[parent].options.get("type") or (state.by_name(parent) or {}).get("type")
            else:
                existing = state.by_name(parent)
                if existing is None:
                    raise item.error("unknown parent %r: no group monitor has that name (nor one in this task)" % parent)
                parent_type = existing.get("type")
            if parent_type != "group":
                raise item.error("parent %r is a %s monitor, not a group" % (parent, parent_type))
        for name in item.options.get("notifications") or []:
            try:
                resolve("notification", state.notifications(), name, "notifications")
            except ValidationError as err:
                raise item.error(str(err))
        linked = set(link["name"] for link in user_tags(current or {}))
        for tag in desired_tags(item):
            if tag["name"] not in linked:
                state.tag_id(tag["name"], item.label)
        plans.append(plan)
    _check_cycles(items, state)
    return _write_order(plans, present)


def _check_cycles(items, state):
    parents = dict((m.get("name"), state.name_of(m.get("parent"))) for m in state.monitors().values())
    for item in items:
        if item.state == "present" and "parent" in item.options:
            parents[item.name] = item.options["parent"] or None
    for item in items:
        seen = [item.name]
        name = parents.get(item.name)
        while name:
            if name in seen:
                raise item.error("its parent chain loops: %s" % " -> ".join(seen + [name]))
            seen.append(name)
            name = parents.get(name)


def _write_order(plans, present):
    def depth(plan):
        level, name, seen = 0, plan.item.options.get("parent"), set()
        while name and name in present and name not in seen:
            seen.add(name)
            level += 1
            name = present[name].options.get("parent")
        return level

    writes = [p for p in plans if p.item.state == "present"]
    deletes = [p for p in plans if p.item.state == "absent"]
    writes.sort(key=lambda p: (0 if p.type == "group" else 1, depth(p), p.item.position or 0))
    return writes + deletes


# -- writes --------------------------------------------------------------------------------------

def _api_fields(item, kind):
    out = {}
    for option, key, field_kind in FIELDS:
        if option in item.options:
            value = send_value(field_kind, item.options[option])
            if option == "request_timeout" and kind == "ping":
                value = round(value)
            out[key] = value
    return out


def _parent_id(item, state):
    parent = item.options.get("parent")
    if not parent:
        return None
    if parent in state.created:
        return state.created[parent]
    found = state.by_name(parent)
    if found is None:
        raise item.error("its parent %r does not exist" % parent)
    return found["id"]


def _notification_ids(names, state):
    return dict((str(state.notifications()[name]["id"]), True) for name in names)


def create_payload(plan, state):
    item, kind = plan.item, plan.type
    body = copy.deepcopy(CREATE_DEFAULTS)
    body.update(type=kind, name=item.name, active=item.options.get("active", True))
    if kind == "dns":
        body.update(port=53, dns_resolve_server="1.1.1.1")
    if kind not in HTTP_TYPES:
        body["httpBodyEncoding"] = None
    fields = _api_fields(item, kind)
    body.update(fields)
    if "retryInterval" not in fields:
        body["retryInterval"] = body["interval"]
    if "timeout" not in fields:
        body["timeout"] = 10 if kind == "ping" else min(48, int(body["interval"] * 8) / 10.0)
    if kind == "push" and not body.get("pushToken"):
        body["pushToken"] = generate_push_token()
    body["parent"] = _parent_id(item, state)
    if "notifications" in item.options:
        body["notificationIDList"] = _notification_ids(item.options["notifications"], state)
    else:  # as the web app does: the notifications switched on for new monitors
        body["notificationIDList"] = dict((str(n["id"]), True) for n in state.notification_list() if n.get("isDefault"))
    return body


def edit_payload(plan, current, state):
    body = copy.deepcopy(current)
    body.update(_api_fields(plan.item, plan.type))
    if "parent" in plan.item.options:
        body["parent"] = _parent_id(plan.item, state)
    if "notifications" in plan.item.options:
        body["notificationIDList"] = _notification_ids(plan.item.options["notifications"], state)
    if not isinstance(body.get("accepted_statuscodes"), list):
        body["accepted_statuscodes"] = ["200-299"]
    body["accepted_statuscodes"] = [str(code) for code in body["accepted_statuscodes"]]
    return body


def sync_tags(client, plan, monitor_id, current, state):
    """Tag links: the marker, and the user's tags when managed; no link is ever added twice."""
    item = plan.item
    links = (current or {}).get("tags") or []
    markers = [link for link in links if link.get("name") == MARKER_TAG]
    if not any((link.get("value") or "") == state.managed_by for link in markers):
        if markers:  # another task's marker: this one takes the monitor over
            client.call("editMonitorTag", markers[0]["tag_id"], monitor_id, state.managed_by, write=True,
                        what="%s: setting its %s tag" % (item.label, MARKER_TAG))
        else:
            client.call("addMonitorTag", state.marker_tag_id(), monitor_id, state.managed_by, write=True,
                        what="%s: adding its %s tag" % (item.label, MARKER_TAG))
    if "tags" not in item.options:
        return
    have = {}
    for link in links:
        if link.get("name") != MARKER_TAG:
            have.setdefault((link.get("name"), link.get("value") or ""), []).append(link)
    want = set((t["name"], t["value"]) for t in desired_tags(item))
    remove = [key for key, found in have.items() if key not in want or len(found) > 1]
    add = [key for key in want if key not in have or len(have[key]) > 1]
    # The one link of a tag whose value changed: edited in place (one write instead of two).
    for old in list(remove):
        old_links = [k for k in remove if k[0] == old[0]]
        new_links = [k for k in add if k[0] == old[0]]
        if len(old_links) == 1 and len(new_links) == 1 and len(have[old]) == 1:
            client.call("editMonitorTag", have[old][0]["tag_id"], monitor_id, new_links[0][1], write=True,
                        what="%s: changing the value of tag %r" % (item.label, old[0]))
            remove.remove(old)
            add.remove(new_links[0])
    for key in sorted(remove):
        client.call("deleteMonitorTag", have[key][0]["tag_id"], monitor_id, key[1], write=True,
                    what="%s: removing tag %r" % (item.label, key[0]))
    for name, value in sorted(add):
        client.call("addMonitorTag", state.tag_id(name, item.label), monitor_id, value, write=True,
                    what="%s: adding tag %r" % (item.label, name))


def summary(monitor, state):
    return {"id": monitor.get("id"), "name": monitor.get("name"), "type": monitor.get("type"),
            "active": bool(monitor.get("active")), "parent": state.name_of(monitor.get("parent"))}


def brief_view(raw):
    """What a diff shows of a monitor that is deleted."""
    return {"name": raw.get("name"), "type": raw.get("type"), "managed_by": marker_of(raw)}


def monitor_resource(plan, state):
    """The ``_resource.Resource`` of one monitor: reads the pushed list, writes over socket.io."""
    item = plan.item

    def read(client):
        found = state.by_name(item.name)
        return copy.deepcopy(found) if found is not None else None

    def create(client, desired, current):
        answer = client.call("add", create_payload(plan, state), write=True, what="%s: adding it" % item.label)
        monitor_id = answer.get("monitorID")
        state.created[item.name] = monitor_id
        sync_tags(client, plan, monitor_id, None, state)
        return answer

    def update(client, desired, current):
        before, after = views(item, current, state)
        keys = set(changed_keys(before, after))
        if keys - {"tags", "managed_by", "active"}:
            client.call("editMonitor", edit_payload(plan, current, state), write=True, what="%s: saving it" % item.label)
        if keys & {"tags", "managed_by"}:
            sync_tags(client, plan, current["id"], current, state)
        if "active" in keys:
            event = "resumeMonitor" if item.options["active"] else "pauseMonitor"
            client.call(event, current["id"], write=True,
                        what="%s: %s it" % (item.label, "resuming" if item.options["active"] else "pausing"))
        return None

    def delete(client, desired, current):
        return client.call("deleteMonitor", current["id"], False, write=True, what="%s: deleting it" % item.label)

    def predict(desired, current):
        if current is None:
            return {"id": None, "name": item.name, "type": plan.type, "active": item.options.get("active", True),
                    "parent": item.options.get("parent") or None}
        out = summary(current, state)
        out.update(type=plan.type)
        if "active" in item.options:
            out["active"] = item.options["active"]
        if "parent" in item.options:
            out["parent"] = item.options["parent"] or None
        return out

    return _resource.Resource(
        "monitor", read=read, create=create, update=update, delete=delete,
        view=(lambda raw: views(item, raw, state)[0]) if item.state == "present" else brief_view,
        summary=lambda raw: summary(raw, state), predict=predict, label=item.label)


def prune_plans(items, state):
    """Plans deleting the monitors marked as this task's that the task does not list."""
    listed = set(item.name for item in items)
    out = []
    for monitor in sorted(state.monitors().values(), key=lambda m: m.get("id") or 0):
        if monitor.get("name") in listed or marker_of(monitor) != state.managed_by:
            continue
        item = Item({"name": monitor.get("name")}, "absent", None)
        item.pruned = True
        out.append(Plan(item, monitor, monitor.get("type")))
    return out


def prune_resource(plan, state):
    """A pruned monitor, found by its id (its name may be used twice)."""
    monitor_id = plan.current["id"]

    def delete(client, desired, current):
        return client.call("deleteMonitor", monitor_id, False, write=True,
                           what="monitor %r: deleting it (prune)" % current.get("name"))

    return _resource.Resource("monitor", read=lambda client: state.monitors().get(str(monitor_id)), delete=delete,
                              view=brief_view, summary=lambda raw: summary(raw, state), label=plan.item.label)


def desired_view(item, state):
    """``ensure()``'s desired view of a present monitor, computed from the monitor it reads."""
    if item.state != "present":
        return None

    def desired(current):
        return views(item, current, state)[1]
    return desired


class BulkFailure(VigilError):
    """A write failed part way: name the monitor and what was written before it."""

    def __init__(self, label, cause, applied, results):
        self.cause = cause
        self.applied = applied
        self.results = results
        message = "%s" % cause if str(cause).startswith(label) else "%s: %s" % (label, cause)
        if applied is not None:
            message += "; written before this failure: %s" % (", ".join(applied) if applied else "nothing")
        super(BulkFailure, self).__init__(message)

    def details(self):
        out = dict(self.cause.details()) if isinstance(self.cause, VigilError) else {}
        out["monitors"] = self.results
        if self.applied is not None:
            out["applied"] = self.applied
        return out


def start_paused(plans, names):
    """Each planned monitor of ``names`` that does not exist yet is created paused (``paused_if_new``)."""
    names = set(names)
    for plan in plans:
        if plan.item.name in names and plan.current is None and plan.item.state == "present" and not plan.item.pruned:
            plan.item.options["active"] = False


def apply(client, items, bulk, params, check_mode, diff_mode):
    """Plan every monitor (validation, no write), then write; returns the exit_json keyword arguments."""
    state = State(client, params["managed_by"])
    plans = plan_items(items, state)
    start_paused(plans, params.get("paused_if_new") or ())
    if params.get("prune"):
        plans += prune_plans(items, state)
    counts = dict(created=0, updated=0, deleted=0, unchanged=0)
    results, diffs, applied = [], [], []
    for plan in plans:
        item = plan.item
        resource = prune_resource(plan, state) if item.pruned else monitor_resource(plan, state)
        try:
            res = _resource.ensure(client, resource, desired_view(item, state), item.state, check_mode)
        except VigilError as err:
            raise BulkFailure(item.label, err, applied if bulk else None, results)
        if res.action == "delete":
            obj = dict(summary(res.current, state), active=False)
            obj["pruned"] = item.pruned
        elif res.object is not None:
            obj = dict(res.object)
        else:
            obj = {"id": None, "name": item.name, "type": None, "active": None, "parent": None}
        obj.update(changed=res.changed, action=res.action)
        if res.action is None:
            counts["unchanged"] += 1
        else:
            counts[{"create": "created", "update": "updated", "delete": "deleted"}[res.action]] += 1
            applied.append(item.name)
            diff = res.diff
            diff.update(before_header=item.name, after_header=item.name)
            diffs.append(diff)
        results.append(obj)

    out = dict(changed=bool(applied), monitors=results, counts=counts)
    if not bulk:
        out["monitor"] = results[0]
        out["action"] = results[0]["action"]
    if diff_mode:
        if bulk:
            out["diff"] = diffs
        else:
            out["diff"] = diffs[0] if diffs else {"before": {}, "after": {}}
    return out
