#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what an Uptime Kuma server has: monitors, notifications, status pages, maintenances, tags."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_info
short_description: Read monitors, notifications, status pages, maintenances and tags of Uptime Kuma
version_added: "0.1.0"
description:
  - Returns what an Uptime Kuma 2.x server has, section by section (O(gather)), from the lists the
    server sends after the login; it never writes.
  - No secret is returned. Notifications come with the names of their settings, not the values;
    monitors with their target (the password of a URL masked), never their credentials, headers
    or push token.
author:
  - vigil.observability maintainers (@vigil)
options:
  gather:
    description:
      - Sections to return. V(all) is every section; V(server) is the server's version and settings.
    type: list
    elements: str
    choices: [all, server, monitors, notifications, status_pages, maintenances, tags]
    default: [all]
  monitor_status:
    description:
      - Also return each monitor's current status (its last status change), one round trip per monitor.
    type: bool
    default: false
extends_documentation_fragment:
  - vigil.observability._read_only
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
seealso:
  - module: vigil.observability.uptime_kuma_monitor
"""

EXAMPLES = r"""
- name: Everything the server has
  vigil.observability.uptime_kuma_info:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /etc/uptime-kuma/admin.token
  register: kuma

- name: Monitors that are down
  vigil.observability.uptime_kuma_info:
    token_file: /etc/uptime-kuma/admin.token
    gather: [monitors]
    monitor_status: true
  register: kuma_monitors

- name: Show them
  ansible.builtin.debug:
    msg: "{{ kuma_monitors.monitors | selectattr('status', 'equalto', 'down') | map(attribute='name') }}"
"""

RETURN = r"""
server:
  description: The server's version and settings (from its C(info) event after the login).
  returned: when gathered
  type: dict
  contains:
    version:
      description: Uptime Kuma version.
      type: str
    latest_version:
      description: Newest release the server knows of (null when it does not check).
      type: str
    primary_base_url:
      description: The "Primary Base URL" setting, or null.
      type: str
    timezone:
      description: The server's time zone.
      type: str
    db_type:
      description: Database type (V(sqlite), V(mariadb), ...).
      type: str
  sample: {"version": "2.5.3", "latest_version": null, "primary_base_url": null, "timezone": "UTC", "db_type": "sqlite"}
monitors:
  description: Every monitor, ordered by name.
  returned: when gathered
  type: list
  elements: dict
  contains:
    id:
      description: Monitor id.
      type: int
    name:
      description: Monitor name.
      type: str
    type:
      description: Monitor type.
      type: str
    active:
      description: Whether it runs (false when it or a group above it is paused).
      type: bool
    target:
      description: What it checks (URL, C(host:port) or host name; null for push and group monitors).
      type: str
    interval:
      description: Seconds between checks.
      type: int
    description:
      description: Its description.
      type: str
    parent:
      description: Name of its group, or null.
      type: str
    tags:
      description: Its tags as C({name, value}), the C(managed-by) marker included.
      type: list
      elements: dict
    notifications:
      description: Names of the notifications it sends to.
      type: list
      elements: str
    managed_by:
      description: Value of its C(managed-by) tag (see M(vigil.observability.uptime_kuma_monitor)), or null.
      type: str
    status:
      description: V(up), V(down), V(pending) or V(maintenance) at its last status change; null when it never had one.
      type: str
      returned: with O(monitor_status)
    status_since:
      description: Time (UTC) of that status change.
      type: str
      returned: with O(monitor_status)
    status_message:
      description: The message of that status change.
      type: str
      returned: with O(monitor_status)
  sample: [{"id": 3, "name": "Website", "type": "http", "active": true, "target": "https://www.example.com/",
            "interval": 60, "description": null, "parent": null, "tags": [{"name": "env", "value": "prod"}],
            "notifications": ["Ops mail"], "managed_by": "vigil.observability"}]
notifications:
  description: Every notification; of its settings only the names.
  returned: when gathered
  type: list
  elements: dict
  sample: [{"id": 1, "name": "Ops mail", "type": "smtp", "is_default": true, "active": true,
            "config_keys": ["smtpFrom", "smtpHost", "smtpPassword", "smtpPort", "smtpTo", "smtpUsername"]}]
status_pages:
  description: Every status page.
  returned: when gathered
  type: list
  elements: dict
  sample: [{"id": 1, "slug": "public", "title": "Public status", "published": true}]
maintenances:
  description: Every maintenance window.
  returned: when gathered
  type: list
  elements: dict
  sample: [{"id": 1, "title": "Patch night", "strategy": "recurring-weekday", "active": true, "status": "scheduled"}]
tags:
  description: Every tag.
  returned: when gathered
  type: list
  elements: dict
  sample: [{"id": 1, "name": "env", "color": "#059669"}]
requests:
  description: Logins, round trips and writes (always 0) this run sent to Uptime Kuma.
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 2, "writes": 0}
"""

import json
import re

from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import kuma_module, run
from ansible_collections.vigil.observability.plugins.module_utils._kuma_monitor import marker_of
from ansible_collections.vigil.observability.plugins.module_utils._resource import SECRET

SECTIONS = ("server", "monitors", "notifications", "status_pages", "maintenances", "tags")
STATUS = {0: "down", 1: "up", 2: "pending", 3: "maintenance"}
_URL_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^/@:]*):[^/@]*@", re.I)


def _values(data):
    return list(data.values()) if isinstance(data, dict) else list(data or [])


def target(monitor):
    kind = monitor.get("type")
    if kind in ("push", "group"):
        return None
    if kind == "port" or (monitor.get("hostname") and monitor.get("port") and kind not in ("dns", "ping")):
        return "%s:%s" % (monitor.get("hostname"), monitor.get("port"))
    if kind in ("ping", "dns") or not monitor.get("url") or monitor.get("url") in ("https://", "http://"):
        return monitor.get("hostname") or None
    return _URL_PASSWORD.sub(lambda m: "%s:%s@" % (m.group(1), SECRET), monitor["url"])


def monitors(client, with_status):
    pushed = client.wait_list("monitorList")
    names = dict((str(m.get("id")), m.get("name")) for m in pushed.values())
    notification_names = dict((str(n.get("id")), n.get("name")) for n in client.wait_list("notificationList"))
    out = []
    for monitor in sorted(pushed.values(), key=lambda m: (str(m.get("name")), m.get("id") or 0)):
        parent = monitor.get("parent")
        entry = {
            "id": monitor.get("id"), "name": monitor.get("name"), "type": monitor.get("type"),
            "active": bool(monitor.get("active")), "target": target(monitor), "interval": monitor.get("interval"),
            "description": monitor.get("description"),
            "parent": names.get(str(parent), "#%s" % parent) if parent not in (None, "") else None,
            "tags": [{"name": t.get("name"), "value": t.get("value") or ""} for t in monitor.get("tags") or []],
            "notifications": sorted(notification_names.get(str(key), "#%s" % key)
                                    for key, on in (monitor.get("notificationIDList") or {}).items() if on),
            "managed_by": marker_of(monitor),
        }
        if with_status:
            entry.update(last_status(client, monitor))
        out.append(entry)
    return out


def last_status(client, monitor):
    """The monitor's last important heartbeat (a status change): its status now."""
    answer = client.call("monitorImportantHeartbeatListPaged", monitor.get("id"), 0, 1,
                         what="reading the status of monitor %r" % monitor.get("name"))
    beats = answer.get("data") or []
    if not beats:
        return {"status": None, "status_since": None, "status_message": None}
    beat = beats[0]
    return {"status": STATUS.get(beat.get("status"), str(beat.get("status"))), "status_since": beat.get("time"),
            "status_message": beat.get("msg")}


def notifications(client):
    out = []
    for item in sorted(client.wait_list("notificationList"), key=lambda n: (str(n.get("name")), n.get("id") or 0)):
        try:
            config = json.loads(item.get("config") or "{}")
        except ValueError:
            config = {}
        if not isinstance(config, dict):
            config = {}
        out.append({"id": item.get("id"), "name": item.get("name"), "type": config.get("type"),
                    "is_default": bool(item.get("isDefault")), "active": bool(item.get("active", True)),
                    "config_keys": sorted(key for key in config if key not in ("name", "type", "isDefault", "applyExisting"))})
    return out


def status_pages(client):
    pages = sorted(_values(client.wait_list("statusPageList")), key=lambda p: str(p.get("slug")))
    return [{"id": p.get("id"), "slug": p.get("slug"), "title": p.get("title"), "published": bool(p.get("published"))}
            for p in pages]


def maintenances(client):
    items = sorted(_values(client.wait_list("maintenanceList")), key=lambda m: (str(m.get("title")), m.get("id") or 0))
    return [{"id": m.get("id"), "title": m.get("title"), "strategy": m.get("strategy"), "active": bool(m.get("active")),
             "status": m.get("status")} for m in items]


def tags(client):
    answer = client.call("getTags", what="reading the tags")
    return sorted(({"id": t.get("id"), "name": t.get("name"), "color": t.get("color")} for t in answer.get("tags") or []),
                  key=lambda t: (str(t["name"]), t["id"] or 0))


def server(client):
    info = client.info or {}
    return {"version": info.get("version"), "latest_version": info.get("latestVersion"),
            "primary_base_url": info.get("primaryBaseURL"), "timezone": info.get("serverTimezone"),
            "db_type": info.get("dbType")}


def gather(client, params):
    wanted = set(SECTIONS) if "all" in params["gather"] else set(params["gather"])
    out = dict(changed=False)
    if "server" in wanted:
        out["server"] = server(client)
    if "monitors" in wanted:
        out["monitors"] = monitors(client, params["monitor_status"])
    if "notifications" in wanted:
        out["notifications"] = notifications(client)
    if "status_pages" in wanted:
        out["status_pages"] = status_pages(client)
    if "maintenances" in wanted:
        out["maintenances"] = maintenances(client)
    if "tags" in wanted:
        out["tags"] = tags(client)
    return out


def main():
    module = kuma_module(dict(
        gather=dict(type="list", elements="str", default=["all"], choices=["all"] + list(SECTIONS)),
        monitor_status=dict(type="bool", default=False),
    ), with_state=False)
    run(module, lambda client: gather(client, module.params))


if __name__ == "__main__":
    main()
