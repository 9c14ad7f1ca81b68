#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage one Uptime Kuma notification (Mattermost first-class), secrets never shown."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_notification
short_description: Manage Uptime Kuma notifications, idempotent with secrets
version_added: "0.1.0"
description:
  - Creates, updates and deletes one notification (an alert channel) of Uptime Kuma 2.x, found by
    its O(name).
  - Mattermost is first-class (O(mattermost)); every other provider takes its settings in
    O(config) under the provider's own keys, as Uptime Kuma's web app sends them.
  - Uptime Kuma keeps a notification as the JSON it was sent. The module compares the provider
    keys it manages (O(mattermost) or O(config)), O(type) and O(is_default); secrets are compared
    by their stored value without ever being shown.
author:
  - vigil.observability maintainers (@vigil)
options:
  name:
    description:
      - Name of the notification, as shown in Uptime Kuma and as monitors reference it. Two
        notifications with one name make the module fail, naming both ids.
    type: str
    required: true
  type:
    description:
      - The provider, as Uptime Kuma 2.5.3 names it (case matters), for example V(mattermost),
        V(slack), V(discord), V(teams), V(telegram), V(smtp), V(webhook), V(ntfy), V(gotify),
        V(pushover), V(PagerDuty), V(Opsgenie), V(matrix), V(signal), V(rocket.chat),
        V(apprise), V(GoogleChat) or V(HomeAssistant); one of the 105 providers of Uptime Kuma's
        C(server/notification.js). An unknown name is refused (and a near miss suggested) unless
        the server is newer than 2.5.3.
      - Defaults to V(mattermost) with O(mattermost), and to the stored type for an existing
        notification. Required to create any other notification.
    type: str
  mattermost:
    description:
      - Settings of a Mattermost incoming webhook (the provider C(mattermost)). Every key not
        given is removed from the stored notification.
    type: dict
    suboptions:
      webhook_url:
        description:
          - The incoming-webhook URL (C(mattermostWebhookUrl)), a secret.
        type: str
        required: true
      username:
        description:
          - User name the posts show (C(mattermostusername)); Uptime Kuma posts as C(Uptime Kuma) without it.
        type: str
      channel:
        description:
          - Channel to post to instead of the webhook's own (C(mattermostchannel)).
        type: str
      icon_url:
        description:
          - URL of the avatar of the posts (C(mattermosticonurl)).
        type: str
      icon_emoji:
        description:
          - Emoji used as avatar (C(mattermosticonemo)); two emojis separated by a space are used for
            up and down.
        type: str
  config:
    description:
      - The provider's settings under the keys Uptime Kuma's web app uses for it, for example
        C(discordWebhookUrl) and C(discordUsername) for V(discord), or C(telegramBotToken) and
        C(telegramChatID) for V(telegram). The keys given are exactly the keys the notification
        keeps; a key set elsewhere (in the web app) and not given here is removed at the next
        change and counts as a difference.
      - Omitted, the stored settings of an existing notification are kept.
      - C(name), C(type), C(isDefault) and C(applyExisting) are options of the module, not keys.
    type: dict
  secret_keys:
    description:
      - Keys of O(config) that hold secrets. Their values never appear in a result or a diff.
      - By default every key whose name contains V(password), V(token), V(secret), V(webhook) or
        V(key) (in any case). The Mattermost webhook URL is always secret.
    type: list
    elements: str
  update_secrets:
    description:
      - V(always) compares every secret with the stored value and writes it when it differs
        (shown as V([REDACTED:changed])).
      - V(on_create) sets secrets only when the notification is created (or a secret key has no
        value yet); a stored secret is kept as it is, for example after a rotation in the web app.
    type: str
    choices: [always, on_create]
    default: always
  is_default:
    description:
      - Enable this notification for new monitors by default. Omitted, an existing notification
        keeps its setting; a new one is not default.
    type: bool
  apply_existing:
    description:
      - Make sure every existing monitor sends this notification. This is Uptime Kuma's one-time
        action "apply on all existing monitors", made idempotent; the module reads which monitors
        lack the notification and writes (with C(applyExisting)) only when one does. The diff shows
        those monitors under C(not_applied_to).
      - V(false) does not detach the notification from any monitor.
    type: bool
    default: false
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
  - vigil.observability._state
notes:
  - Uptime Kuma 2.5.3 stores but never applies an C(active) flag of a notification (its
    C(addNotification) does not write that column), so the module has no such option; the
    returned RV(notification) carries C(active) as the server reports it.
  - Sending a test message is not part of the module.
seealso:
  - module: vigil.observability.uptime_kuma_status_page
  - module: vigil.observability.uptime_kuma_maintenance
"""

EXAMPLES = r"""
- name: Mattermost, enabled for new monitors and on every existing one
  vigil.observability.uptime_kuma_notification:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /var/lib/vigil/uptime-kuma.token
    name: ops-mattermost
    mattermost:
      webhook_url: "{{ vault_mattermost_webhook_url }}"
      username: uptime-kuma
      channel: alerts
    is_default: true
    apply_existing: true

- name: Telegram (any provider with its own keys); the bot token is a secret by its name
  vigil.observability.uptime_kuma_notification:
    name: ops-telegram
    type: telegram
    config:
      telegramBotToken: "{{ vault_telegram_bot_token }}"
      telegramChatID: "-100123456"

- name: A webhook whose URL embeds a key; keep the token rotated in the web app
  vigil.observability.uptime_kuma_notification:
    name: ops-webhook
    type: webhook
    config:
      webhookURL: "https://hooks.example.com/{{ vault_hook_key }}"
      webhookContentType: json
    secret_keys: [webhookURL]
    update_secrets: on_create
"""

RETURN = r"""
notification:
  description: The notification with its id and C(active) flag, secrets masked.
  returned: always
  type: dict
  sample: {"id": 4, "name": "ops-mattermost", "type": "mattermost", "is_default": true, "active": true,
           "config": {"mattermostWebhookUrl": "[REDACTED]", "mattermostusername": "uptime-kuma", "mattermostchannel": "alerts"}}
secret_keys:
  description: The provider keys treated as secrets.
  returned: with O(state=present)
  type: list
  elements: str
  sample: [mattermostWebhookUrl]
applied_to:
  description: Monitors the notification was (in check mode would be) added to by O(apply_existing).
  returned: with O(apply_existing)
  type: list
  elements: str
  sample: [api, web]
action:
  description: V(create), V(update) (saved whole, with O(apply_existing) also attached to monitors), V(delete), or null.
  returned: always
  type: str
  sample: update
diff:
  description:
    - Name, type, C(is_default) and the provider keys before and after, exactly as compared (and with
      O(apply_existing) the monitors that lack the notification). A secret appears only as
      V([REDACTED]) (set, unchanged) or V([REDACTED:changed]) (set or replaced by this run).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"config": {"mattermostWebhookUrl": "[REDACTED]"}}, "after": {"config": {"mattermostWebhookUrl": "[REDACTED:changed]"}}}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma (a no-op sends no write).
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 2, "writes": 0}
"""

import difflib
import json
import re

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_lookup, _kuma_module, _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_objects import write

# The providers of Uptime Kuma 2.5.3 (the ``name`` of every class listed in server/notification.js).
# The server saves a notification of any type and only fails when it sends one.
PROVIDERS = (
    "alerta", "AlertNow", "AliyunSMS", "apprise", "bale", "Bark", "bearsms", "Bitrix24", "Brevo", "CallMeBot",
    "Cellsynt", "clicksendsms", "ClickUp", "DingDing", "discord", "egosms", "Elks", "evolution", "Feishu",
    "FlashDuty", "Flowtriq", "fluxer", "FreeMobile", "GoAlert", "GoogleChat", "GoogleSheets", "gorush", "gotify",
    "GrafanaOncall", "gtxmessaging", "HaloPSA", "HeiiOnCall", "HomeAssistant", "JiraServiceManagement", "Keep",
    "Kook", "line", "lunasea", "matrix", "mattermost", "max", "Milky", "nextcloudtalk", "nostr", "notifery", "ntfy",
    "octopush", "OneBot", "OneChat", "Onesender", "Ooredoo", "openwa", "Opsgenie", "PagerDuty", "PagerTree",
    "pinglet", "plivo", "promosms", "pumble", "pushbullet", "PushByTechulus", "PushDeer", "pushover", "PushPlus",
    "pushy", "Resend", "rocket.chat", "SendGrid", "ServerChan", "serwersms", "SevenIO", "signal", "SIGNL4", "slack",
    "smsc", "SMSEagle", "SMSGateway", "smsir", "SMSManager", "SMSPartner", "SMSPlanet", "smtp", "Splunk", "SpugPush",
    "squadcast", "stackfield", "teams", "telegram", "telnyx", "Teltonika", "threema", "TurboSMTP", "twilio", "VK",
    "VKTeams", "waha", "webhook", "Webpush", "WeCom", "whapi", "Whatsapp360messenger", "WPush", "WxPusher", "YZJ",
    "ZohoCliq",
)
PROVIDERS_VERSION = (2, 5, 3)

# Keys of the stored JSON that are the notification's own fields, not the provider's.
BOOKKEEPING = ("name", "type", "isDefault", "applyExisting")
MATTERMOST_KEYS = (("webhook_url", "mattermostWebhookUrl"), ("username", "mattermostusername"),
                   ("channel", "mattermostchannel"), ("icon_url", "mattermosticonurl"),
                   ("icon_emoji", "mattermosticonemo"))
MATTERMOST_URL = "mattermostWebhookUrl"
SECRET_WORDS = ("password", "token", "secret", "webhook", "key")


def parse_version(text):
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", str(text or ""))
    return tuple(int(part) for part in match.groups()) if match else None


def check_type(kind, server_version, label):
    """None, or the warning for a type this module does not know on a newer server; ValidationError otherwise."""
    if kind in PROVIDERS:
        return None
    version = parse_version(server_version)
    if version is not None and version > PROVIDERS_VERSION:
        return ("%s: type %r is not one of Uptime Kuma 2.5.3's; the server is %s, so it is passed on as given"
                % (label, kind, server_version))
    near = [p for p in PROVIDERS if p.lower() == str(kind).lower()] or difflib.get_close_matches(str(kind), PROVIDERS, 3)
    hint = ("did you mean %s?" % " or ".join(repr(p) for p in near)) if near else \
        ("the types are: %s" % ", ".join(PROVIDERS))
    raise ValidationError("%s: unknown notification type %r: %s" % (label, kind, hint))


def stored_config(raw):
    """The JSON object a notification was saved with ({} when it is not one)."""
    try:
        config = json.loads(raw.get("config") or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def provider_keys(config):
    """The provider's keys of a stored or desired config (bookkeeping and None values left out)."""
    return {k: v for k, v in config.items() if k not in BOOKKEEPING and v is not None}


class Notification(_kuma_module.KumaObject):
    """Secrets, views and writes of one notification."""

    kind = "notification"
    identity = "name"

    def __init__(self, module):
        super(Notification, self).__init__(module)
        params = self.params
        self.provider = params["type"]
        self.wanted = None
        if params["mattermost"] is not None:
            if self.provider not in (None, "mattermost"):
                raise ValidationError("%s: mattermost is for type mattermost, not %r (use config)" % (self.label, self.provider))
            self.provider = "mattermost"
            self.wanted = {key: params["mattermost"][option] for option, key in MATTERMOST_KEYS
                           if params["mattermost"][option] is not None}
        elif params["config"] is not None:
            clash = [k for k in BOOKKEEPING if k in params["config"]]
            if clash:
                raise ValidationError("%s: config must not set %s: use the module's options name, type and is_default"
                                      % (self.label, ", ".join(clash)))
            self.wanted = provider_keys(params["config"])
        if self.provider == "mattermost" and self.wanted is not None and not self.wanted.get(MATTERMOST_URL):
            raise ValidationError("%s: type mattermost needs the webhook URL (mattermost.webhook_url)" % self.label)
        for key in self.secret_keys(self.provider, self.wanted or {}):
            value = (self.wanted or {}).get(key)
            if isinstance(value, str) and len(value) >= 4:
                module.no_log_values.add(value)
        self.applied_to = []

    # -- secrets ---------------------------------------------------------------------------

    def is_secret(self, key, kind):
        if kind == "mattermost" and key == MATTERMOST_URL:
            return True
        if self.params["secret_keys"] is not None:
            return key in self.params["secret_keys"]
        lower = key.lower()
        return any(word in lower for word in SECRET_WORDS)

    def secret_keys(self, kind, config):
        return sorted(k for k in config if self.is_secret(k, kind))

    def masked(self, config, kind, marker=_resource.SECRET):
        return {k: (marker if self.is_secret(k, kind) and _resource.has_value(v) else v) for k, v in config.items()}

    # -- reads and views -------------------------------------------------------------------

    def read(self, client):
        return _kuma_lookup.notifications_by_name(client).get(self.name)

    def missing_monitors(self, client, raw):
        """Names of the monitors that do not send notification ``raw``, sorted."""
        nid = str(raw["id"]) if raw is not None else None
        out = []
        for monitor in _kuma_lookup.monitors_by_name(client).values():
            attached = monitor.get("notificationIDList") or {}
            if nid is None or not attached.get(nid):
                out.append(monitor.get("name"))
        return sorted(out)

    def view(self, raw):
        config = stored_config(raw)
        kind = config.get("type")
        return {"name": raw.get("name"), "type": kind, "is_default": bool(raw.get("isDefault")),
                "config": self.masked(provider_keys(config), kind)}

    def summary(self, raw):
        return dict(self.view(raw), id=raw.get("id"), active=bool(raw.get("active", True)))

    def desired(self, client, current):
        """The desired view (secrets as markers), and the plain config to send in self.body."""
        stored = provider_keys(stored_config(current)) if current is not None else {}
        kind = self.provider or (stored_config(current).get("type") if current is not None else None)
        if not kind:
            raise ValidationError("%s does not exist: type (or mattermost) is needed to create it" % self.label)
        warning = check_type(kind, (client.info or {}).get("version"), self.label)
        if warning:
            self.module.warn(warning)
        plain = dict(self.wanted if self.wanted is not None else stored)
        if kind == "mattermost" and not plain.get(MATTERMOST_URL):
            raise ValidationError("%s: type mattermost needs the webhook URL (mattermost.webhook_url)" % self.label)
        config = self.masked(plain, kind)
        for key in self.secret_keys(kind, plain):
            if not _resource.has_value(plain[key]):
                continue
            if current is None or not _resource.has_value(stored.get(key)):
                config[key] = _resource.SECRET_CHANGED
            elif self.params["update_secrets"] == "on_create":
                plain[key] = stored[key]
            elif stored.get(key) != plain[key]:
                config[key] = _resource.SECRET_CHANGED
        if self.params["is_default"] is not None:
            is_default = self.params["is_default"]
        else:
            is_default = bool(current.get("isDefault")) if current is not None else False
        self.body = {"name": self.name, "type": kind, "isDefault": is_default, "applyExisting": False}
        self.body.update(plain)
        view = {"name": self.name, "type": kind, "is_default": is_default, "config": config}
        if self.params["apply_existing"]:
            self.applied_to = self.missing_monitors(client, current)
            self.body["applyExisting"] = bool(self.applied_to)
            view["not_applied_to"] = []
        return view

    def view_with_monitors(self, client, raw):
        out = self.view(raw)
        if self.params["apply_existing"]:
            out["not_applied_to"] = self.missing_monitors(client, raw)
        return out

    # -- writes ----------------------------------------------------------------------------

    def resource(self, client):
        resource = super(Notification, self).resource(client)
        resource.view = lambda raw: self.view_with_monitors(client, raw)
        return resource

    def extra(self):
        out = {"secret_keys": self.secret_keys(self.body["type"], provider_keys(self.body))}
        if self.params["apply_existing"]:
            out["applied_to"] = self.applied_to
        return out

    def create(self, client, desired, current):
        return self.save(client, None)

    def update(self, client, desired, current):
        return self.save(client, current)

    def save(self, client, current):
        return write(client, "addNotification", self.body, current["id"] if current is not None else None,
                     refresh=("notificationList",), what="%s: saving" % self.label)

    def delete(self, client, desired, current):
        return write(client, "deleteNotification", current["id"], refresh=("notificationList",),
                     what="%s: deleting" % self.label)

    def predict(self, desired, current):
        out = dict(desired)
        out.pop("not_applied_to", None)
        out["config"] = self.masked(provider_keys(self.body), self.body["type"])
        out["id"] = current.get("id") if current is not None else None
        out["active"] = bool(current.get("active", True)) if current is not None else True
        return out


def main():
    module = _kuma_module.kuma_module(dict(
        name=dict(type="str", required=True),
        type=dict(type="str"),
        mattermost=dict(type="dict", options=dict(
            webhook_url=dict(type="str", required=True, no_log=True),
            username=dict(type="str"),
            channel=dict(type="str"),
            icon_url=dict(type="str"),
            icon_emoji=dict(type="str"),
        )),
        config=dict(type="dict"),
        secret_keys=dict(type="list", elements="str", no_log=False),
        update_secrets=dict(type="str", choices=["always", "on_create"], default="always"),
        is_default=dict(type="bool"),
        apply_existing=dict(type="bool", default=False),
    ), "name", mutually_exclusive=[("mattermost", "config")])
    try:
        notification = Notification(module)
    except ValidationError as err:
        module.fail_json(msg=str(err))
    _kuma_module.run_object(module, notification, "notification")


if __name__ == "__main__":
    main()
