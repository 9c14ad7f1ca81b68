#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage one Uptime Kuma status page, found by its slug, with its groups of monitors."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_status_page
short_description: Manage Uptime Kuma status pages and their monitor groups
version_added: "0.1.0"
description:
  - Creates, updates and deletes one status page of Uptime Kuma 2.x, found by its O(slug), with
    its settings and its groups of monitors (named as in Uptime Kuma).
  - Options left out keep what the page has (a new page gets Uptime Kuma's defaults);
    O(groups), when given, is the page's complete list of groups, in order.
author:
  - vigil.observability maintainers (@vigil)
options:
  slug:
    description:
      - The page's address part (C(/status/<slug>)), lowercase letters, digits and single dashes
        between them, as Uptime Kuma checks it (it lowers capitals itself, so the module refuses
        them to keep the slug you give the slug stored). A slug cannot be renamed by the module.
    type: str
    required: true
  title:
    description:
      - Title of the page. Required to create it.
    type: str
  description:
    description:
      - Text under the title.
    type: str
  footer_text:
    description:
      - Footer text (Markdown).
    type: str
  custom_css:
    description:
      - CSS added to the page.
    type: str
  theme:
    description:
      - Colour theme of the page.
    type: str
    choices: [auto, light, dark]
  published:
    description:
      - V(true) makes sure the page is published (every page Uptime Kuma creates is).
      - Uptime Kuma 2.5.3 cannot publish or unpublish a page through its API (its
        C(saveStatusPage) ignores the flag), so V(false), or V(true) for a page unpublished by
        other means, is an error rather than a change the module cannot make.
    type: bool
  show_tags:
    description:
      - Show the monitors' tags.
    type: bool
  show_certificate_expiry:
    description:
      - Show when the monitors' TLS certificates expire.
    type: bool
  show_powered_by:
    description:
      - Show the "Powered by Uptime Kuma" line.
    type: bool
  show_only_last_heartbeat:
    description:
      - Show only the last heartbeat of each monitor instead of the bar of recent ones.
    type: bool
  rss_title:
    description:
      - Title of the page's RSS feed.
    type: str
  auto_refresh_interval:
    description:
      - Seconds between refreshes of the page in the browser, at least 5 (a new page has 300).
    type: int
  domain_names:
    description:
      - Domain names that show this page at their root. Uptime Kuma moves a domain name from
        any other page to this one. Compared in any order.
    type: list
    elements: str
  analytics_type:
    description:
      - Web analytics of the page; V(none) turns them off.
    type: str
    choices: [none, google, umami, plausible, matomo, rybbit]
  analytics_id:
    description:
      - Site or tag id of the analytics, for example a Google Analytics tag id.
    type: str
  analytics_script_url:
    description:
      - URL of the analytics script (all types but V(google)).
    type: str
  groups:
    description:
      - The page's groups, in order, each with its monitors in order. Uptime Kuma deletes the
        groups a save leaves out, so this is the complete list; V([]) leaves the page empty.
      - A monitor's "show URL" choice made in the web app is kept while the monitor stays in a
        group of the same name.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the group.
        type: str
        required: true
      monitors:
        description:
          - Names of the monitors the group shows. An unknown name is an error.
        type: list
        elements: str
        default: []
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
  - vigil.observability._state
notes:
  - The groups are read from the page's public JSON (C(GET /api/status-page/<slug>), bypassing its
    five-minute cache), as Uptime Kuma's socket API does not hand them out.
  - Uptime Kuma 2.5.3 cannot protect a page with a password or change its search engine setting
    through its API (its C(saveStatusPage) ignores them); the logo is kept as it is.
seealso:
  - module: vigil.observability.uptime_kuma_maintenance
  - module: vigil.observability.uptime_kuma_notification
"""

EXAMPLES = r"""
- name: The public status page of the shop
  vigil.observability.uptime_kuma_status_page:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /var/lib/vigil/uptime-kuma.token
    slug: shop
    title: Shop status
    description: Live status of the shop and its payment provider.
    footer_text: "Questions? [Contact us](mailto:ops@example.com)"
    show_powered_by: false
    domain_names: [status.example.com]
    groups:
      - name: Shop
        monitors: [shop-web, shop-api]
      - name: Payments
        monitors: [payments]
"""

RETURN = r"""
status_page:
  description: The page with its id, its settings, whether it is published and its groups.
  returned: always
  type: dict
  sample: {"id": 2, "slug": "shop", "title": "Shop status", "description": "", "footer_text": "", "custom_css": "",
           "theme": "auto", "show_tags": false, "show_certificate_expiry": false, "show_powered_by": false,
           "show_only_last_heartbeat": false, "rss_title": "", "auto_refresh_interval": 300,
           "domain_names": ["status.example.com"], "analytics_type": null, "analytics_id": "", "analytics_script_url": "",
           "published": true, "groups": [{"name": "Shop", "monitors": ["shop-web", "shop-api"]}]}
action:
  description: V(create), V(update) (the settings and groups saved whole), V(delete), or null.
  returned: always
  type: str
  sample: update
diff:
  description: Every managed setting and the groups (with monitor names) before and after, exactly as compared.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"groups": []}, "after": {"groups": [{"name": "Shop", "monitors": ["shop-web"]}]}}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma (a no-op sends no write).
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 2, "writes": 0}
"""

import copy

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.vigil.observability.plugins.module_utils import _http, _kuma_module
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_objects import (
    check_slug, monitor_ids, text, unique, write,
)

# option -> key of the server's status page JSON (getStatusPage / saveStatusPage)
TEXT = (("title", "title"), ("description", "description"), ("footer_text", "footerText"),
        ("custom_css", "customCSS"), ("rss_title", "rssTitle"), ("analytics_id", "analyticsId"),
        ("analytics_script_url", "analyticsScriptUrl"))
FLAGS = (("show_tags", "showTags"), ("show_certificate_expiry", "showCertificateExpiry"),
         ("show_powered_by", "showPoweredBy"), ("show_only_last_heartbeat", "showOnlyLastHeartbeat"))
# What addStatusPage gives a new page (status_page's column defaults).
NEW_PAGE = {"description": None, "footerText": None, "customCSS": None, "rssTitle": None, "analyticsId": None,
            "analyticsScriptUrl": None, "analyticsType": None, "showTags": False, "showCertificateExpiry": False,
            "showPoweredBy": True, "showOnlyLastHeartbeat": False, "theme": "auto", "autoRefreshInterval": 300,
            "domainNameList": [], "icon": "/icon.svg"}


def view(page):
    """The comparable form of ``page``: {"config": getStatusPage's config, "groups": publicGroupList}."""
    config = page["config"]
    out = {"slug": config.get("slug")}
    for option, key in TEXT:
        out[option] = text(config.get(key))
    for option, key in FLAGS:
        out[option] = bool(config.get(key))
    out["theme"] = config.get("theme") or "auto"
    out["auto_refresh_interval"] = config.get("autoRefreshInterval")
    out["domain_names"] = sorted(config.get("domainNameList") or [])
    out["analytics_type"] = config.get("analyticsType") or None
    out["groups"] = [{"name": group.get("name"), "monitors": [m.get("name") for m in group.get("monitorList") or []]}
                     for group in page["groups"]]
    return out


class StatusPage(_kuma_module.KumaObject):
    kind = "status page"
    identity = "slug"
    body = None

    def read(self, client):
        answer = client.call("getStatusPage", self.name, check=False, what="%s: reading" % self.label)
        if isinstance(answer, dict) and not answer.get("ok"):
            if answer.get("msg") == "No slug?":
                return None
            raise VigilError("%s: reading it failed: Uptime Kuma says: %s" % (self.label, answer.get("msg")))
        return {"config": answer["config"], "groups": self.read_groups(client)}

    def read_groups(self, client):
        """The page's groups as its public JSON lists them (the socket API has no call for them)."""
        params = self.params
        url = "%s/api/status-page/%s" % (client.url, quote(self.name, safe=""))
        client.stats["round_trips"] += 1
        response = _http.request("GET", url, headers={"x-apicache-bypass": "true"}, timeout=params["timeout"],
                                 validate_certs=params["validate_certs"], ca_path=params.get("ca_path"))
        data = response.json() if response.ok else None
        if not isinstance(data, dict) or not isinstance(data.get("publicGroupList"), list):
            raise VigilError("%s: its groups could not be read: GET %s answered HTTP %s" % (self.label, url, response.status))
        return data["publicGroupList"]

    def desired(self, client, current):
        params = self.params
        if current is None and not params["title"]:
            raise ValidationError("%s does not exist: title is needed to create it" % self.label)
        if params["published"] and current is not None and not current["config"].get("published", True):
            raise ValidationError("%s is not published, and Uptime Kuma's API cannot publish it (publish it in the "
                                  "database or recreate the page)" % self.label)
        base = copy.deepcopy(current["config"]) if current is not None else dict(NEW_PAGE, slug=self.name)
        config = dict(base)
        for option, key in TEXT:
            if params[option] is not None:
                config[key] = params[option]
        for option, key in FLAGS:
            if params[option] is not None:
                config[key] = params[option]
        if params["theme"] is not None:
            config["theme"] = params["theme"]
        if params["auto_refresh_interval"] is not None:
            config["autoRefreshInterval"] = params["auto_refresh_interval"]
        if params["domain_names"] is not None:
            config["domainNameList"] = list(params["domain_names"])
        if params["analytics_type"] is not None:
            config["analyticsType"] = None if params["analytics_type"] == "none" else params["analytics_type"]
        config["slug"] = self.name
        groups = current["groups"] if current is not None else []
        if params["groups"] is not None:
            groups = self.desired_groups(client, groups)
        self.body = {"config": config, "groups": groups, "icon": base.get("icon") or "/icon.svg"}
        return view({"config": config, "groups": groups})

    def desired_groups(self, client, current_groups):
        """publicGroupList to save: existing groups keep their id (by name) and each monitor its URL choice."""
        unique([group["name"] for group in self.params["groups"]], "groups (names)", self.label)
        spare = list(current_groups)
        out = []
        for index, group in enumerate(self.params["groups"]):
            option = "groups[%d].monitors" % index
            ids = monitor_ids(client, group["monitors"] or [], option, self.label)
            names = list(group["monitors"] or [])
            old = next((g for g in spare if g.get("name") == group["name"]), None)
            entries = []
            for monitor_id, name in zip(ids, names):
                entry = {"id": monitor_id, "name": name}
                for kept in (old or {}).get("monitorList") or []:
                    if kept.get("id") == monitor_id:
                        for key in ("sendUrl", "url"):
                            if key in kept:
                                entry[key] = kept[key]
                entries.append(entry)
            saved = {"name": group["name"], "monitorList": entries}
            if old is not None:
                spare.remove(old)
                saved["id"] = old["id"]
            out.append(saved)
        return out

    def save(self, client):
        groups = [dict(g, monitorList=[{k: v for k, v in m.items() if k != "name"} for m in g["monitorList"]])
                  for g in self.body["groups"]]
        return write(client, "saveStatusPage", self.name, self.body["config"], self.body["icon"], groups,
                     what="%s: saving" % self.label)

    def create(self, client, desired, current):
        write(client, "addStatusPage", self.params["title"], self.name, what="%s: adding" % self.label)
        return self.save(client)

    def update(self, client, desired, current):
        return self.save(client)

    def delete(self, client, desired, current):
        return write(client, "deleteStatusPage", self.name, what="%s: deleting" % self.label)

    def view(self, raw):
        return view(raw)

    def summary(self, raw):
        return dict(view(raw), id=raw["config"].get("id"), published=bool(raw["config"].get("published", True)))

    def predict(self, desired, current):
        out = copy.deepcopy(desired)
        out["id"] = current["config"].get("id") if current is not None else None
        out["published"] = bool(current["config"].get("published", True)) if current is not None else True
        return out


def check(params):
    """The options Uptime Kuma would take or mangle, refused before connecting."""
    label = "status page %r" % params["slug"]
    check_slug(params["slug"])
    if params["title"] is not None and not params["title"].strip():
        raise ValidationError("%s: title must not be empty" % label)
    if params["auto_refresh_interval"] is not None and params["auto_refresh_interval"] < 5:
        raise ValidationError("%s: auto_refresh_interval must be at least 5 (seconds), got %d"
                              % (label, params["auto_refresh_interval"]))
    if params["published"] is False:
        raise ValidationError("%s: published: false is not possible, Uptime Kuma 2.5.3's API cannot "
                              "unpublish a page" % label)
    for name in params["domain_names"] or []:
        if not name.strip() or any(c.isspace() for c in name):
            raise ValidationError("%s: %r is not a domain name" % (label, name))


def main():
    module = _kuma_module.kuma_module(dict(
        slug=dict(type="str", required=True),
        title=dict(type="str"),
        published=dict(type="bool"),
        description=dict(type="str"),
        footer_text=dict(type="str"),
        custom_css=dict(type="str"),
        theme=dict(type="str", choices=["auto", "light", "dark"]),
        show_tags=dict(type="bool"),
        show_certificate_expiry=dict(type="bool"),
        show_powered_by=dict(type="bool"),
        show_only_last_heartbeat=dict(type="bool"),
        rss_title=dict(type="str"),
        auto_refresh_interval=dict(type="int"),
        domain_names=dict(type="list", elements="str"),
        analytics_type=dict(type="str", choices=["none", "google", "umami", "plausible", "matomo", "rybbit"]),
        analytics_id=dict(type="str"),
        analytics_script_url=dict(type="str"),
        groups=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            monitors=dict(type="list", elements="str", default=[]),
        )),
    ), check=check)
    _kuma_module.run_object(module, StatusPage(module), "status_page")


if __name__ == "__main__":
    main()
