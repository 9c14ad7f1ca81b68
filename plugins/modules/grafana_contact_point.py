# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_contact_point
short_description: Manage Grafana Alerting contact points, idempotent with secrets
version_added: 0.1.0
description:
  - Creates, updates and deletes one integration of a Grafana Alerting contact point through the
    provisioning API, identified by its O(uid). Integrations sharing a O(name) form one contact
    point in the UI.
  - Any integration type works (O(type) + O(settings)); V(mattermost) is a convenience that
    creates a V(slack) integration carrying the Mattermost incoming-webhook URL, as Grafana has
    no native Mattermost type.
  - Grafana answers secrets as V([REDACTED]). To stay idempotent and still notice a changed
    secret, the module reads the decrypted export (C(export?decrypt=true)) when the credentials
    allow it (organisation Admin) and compares the real values; otherwise it falls back to
    comparing whether each secret is set, and says so in RV(secrets_compared).
  - Provenance is never compared and never shown in the diff; O(disable_provenance) sends
    C(X-Disable-Provenance) on every write.
  - Secrets are masked everywhere in the output.
author:
  - vigil.observability maintainers (@vigil)
options:
  uid:
    description:
      - Stable identifier of the integration (1 to 40 letters, digits, V(-) and V(_)).
    type: str
    required: true
  name:
    description:
      - Contact point name, the grouping key and what notification policies reference.
        Required with O(state=present).
    type: str
  type:
    description:
      - Integration type as Grafana names it, for example V(email), V(slack), V(webhook),
        V(pagerduty), V(opsgenie), V(teams), V(telegram), V(discord), V(googlechat), V(victorops),
        V(pushover), V(sensugo), V(threema), V(kafka), V(LINE), V(wecom), V(webex), V(sns), V(mqtt),
        V(jira), V(oncall), V(prometheus-alertmanager), V(dingding).
      - V(mattermost) is translated to a V(slack) integration whose C(url) (a secret) is the
        Mattermost webhook; C(recipient), C(username), C(icon_url) and C(icon_emoji) are optional.
      - Required with O(state=present).
      - In check mode a type that is not one of the types above (Grafana 12's list) fails the task,
        as Grafana refuses an unknown type in a real run.
    type: str
  settings:
    description:
      - The integration's settings as Grafana's API names them, for example C(addresses) for
        email or C(url) and C(recipient) for slack. Nested settings are nested dicts.
      - Values of the type's secret keys (for example slack C(url) and C(token), webhook
        C(password) and C(authorization_credentials), pagerduty C(integrationKey)) are treated as
        secrets automatically.
    type: dict
    default: {}
  secure_settings:
    description:
      - Settings that are secrets, merged into O(settings). Use it to keep secrets out of
        O(settings) in logs, or for secret keys of types this module does not know.
    type: dict
  disable_resolve_message:
    description:
      - Do not send a notification when the alert resolves.
    type: bool
    default: false
  secure_update:
    description:
      - How secrets of an existing contact point are compared.
      - V(auto) compares the decrypted values when the credentials may read them (organisation
        Admin), otherwise falls back to V(on_create).
      - V(on_create) only compares whether each secret is set, so re-runs are idempotent but a
        rotated secret alone is not noticed (it is sent with any other change).
      - Whenever a secret could only be compared by presence and nothing else changed, the task
        is V(ok) and warns, naming the contact point and the secret, that a new value would not be applied.
      - V(always) sends the secrets on every run and reports C(changed) every time.
    type: str
    choices: [auto, always, on_create]
    default: auto
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._grafana.provenance
  - vigil.observability._state
notes:
  - Grafana answers a POST with a uid already in use with HTTP 409 (older versions with 500); the
    module reads the contact point again and updates it instead.
  - Deleting the last integration of a name that a notification policy references fails with HTTP 409.
seealso:
  - module: vigil.observability.grafana_notification_policy
"""

EXAMPLES = r"""
- name: Mattermost (a slack integration carrying the webhook URL)
  vigil.observability.grafana_contact_point:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: ops-mattermost
    name: ops
    type: mattermost
    settings:
      recipient: "#alerts"
      username: grafana
    secure_settings:
      url: "{{ mattermost_webhook_url }}"

- name: E-mail, editable in the UI
  vigil.observability.grafana_contact_point:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: ops-email
    name: ops
    type: email
    settings:
      addresses: ops@example.com;oncall@example.com
      singleEmail: true
    disable_provenance: true
"""

RETURN = r"""
contact_point:
  description: The integration, secrets masked, with its provenance when Grafana has one.
  returned: always
  type: dict
  sample: {"uid": "ops-mattermost", "name": "ops", "type": "slack", "settings": {"recipient": "#alerts", "url": "[REDACTED]"},
           "disableResolveMessage": false, "provenance": "api"}
secrets_compared:
  description:
    - How secrets were compared. V(decrypted) (real values), V(presence) (set or not set only),
      V(always) (sent every run), V(new) (the contact point was created) or V(none) (no secrets involved).
  returned: with O(state=present)
  type: str
  sample: decrypted
secrets_note:
  description: Why secrets were compared by presence only, when O(secure_update=auto) had to fall back.
  returned: when the decrypted export was refused
  type: str
  sample: "the decrypted export needs organisation Admin (HTTP 403): secrets were compared by presence only"
action:
  description: V(create), V(update) (also when only a secret is sent again), V(delete), or null.
  returned: always
  type: str
  sample: update
diff:
  description:
    - Uid, name, type, settings and C(disableResolveMessage) before and after, exactly as compared. Secrets appear only
      as V([REDACTED]) (set, unchanged) or V([REDACTED:changed]) (set or replaced by this run); provenance never appears.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"settings": {"url": "[REDACTED]"}}, "after": {"settings": {"url": "[REDACTED:changed]"}}}
"""

import copy

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ValidationError

BASE = "/api/v1/provisioning/contact-points"
_TLS = ["tlsConfig.caCertificate", "tlsConfig.clientCertificate", "tlsConfig.clientKey"]
# Secret settings per integration type (Grafana's channels_config, grafana-api.md 6.1).
SECRET_KEYS = {
    "alertmanager": ["basicAuthPassword"],
    "prometheus-alertmanager": ["basicAuthPassword"],
    "dingding": ["url"],
    "discord": ["url"],
    "googlechat": ["url"],
    "victorops": ["url"],
    "jira": ["user", "password", "api_token"],
    "kafka": ["password"],
    "line": ["token"],
    "mqtt": ["password"] + _TLS,
    "oncall": ["password", "authorization_credentials"],
    "opsgenie": ["apiKey"],
    "pagerduty": ["integrationKey"],
    "pushover": ["apiToken", "userKey"],
    "sensugo": ["apikey"],
    "slack": ["token", "url"],
    "sns": ["sigv4.access_key", "sigv4.secret_key"],
    "telegram": ["bottoken"],
    "threema": ["api_secret"],
    "webex": ["bot_token"],
    "webhook": ["password", "authorization_credentials"] + _TLS + [
        "hmacConfig.secret", "http_config.oauth2.client_secret",
        "http_config.oauth2.tls_config.caCertificate", "http_config.oauth2.tls_config.clientCertificate",
        "http_config.oauth2.tls_config.clientKey"],
    "wecom": ["url", "secret"],
}


# Integration types Grafana 12 knows (channels_config; teams and email have no secrets).
KNOWN_TYPES = frozenset(SECRET_KEYS) | frozenset(["email", "teams"])


def check_type(kind, uid):
    """Check mode's stand-in for Grafana's refusal of an unknown integration type."""
    if str(kind).lower() not in KNOWN_TYPES:
        raise ValidationError("contact point %r: type %r is not an integration type Grafana knows (known: %s, and mattermost); "
                              "a real run would be refused" % (uid, kind, ", ".join(sorted(KNOWN_TYPES))))


def secret_paths(kind, extra=()):
    paths = set(tuple(key.split(".")) for key in SECRET_KEYS.get(str(kind).lower(), []))
    paths.update(extra)
    return sorted(paths)


def leaf_paths(value, prefix=()):
    if isinstance(value, dict) and value:
        out = []
        for key, item in value.items():
            out.extend(leaf_paths(item, prefix + (key,)))
        return out
    return [prefix]


def merge(base, extra):
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def desired_integration(params):
    kind = params["type"]
    settings = merge(params["settings"] or {}, params["secure_settings"])
    if kind == "mattermost":
        kind = "slack"
        if not settings.get("url"):
            raise ValidationError("type mattermost needs the incoming-webhook URL in settings.url or secure_settings.url")
    return {"uid": params["uid"], "name": params["name"], "type": kind, "settings": settings,
            "disableResolveMessage": params["disable_resolve_message"]}


class ContactPoint(object):
    """Reads, secret comparison and writes of one integration."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.uid = self.params["uid"]
        self.extra_secrets = [p for p in leaf_paths(self.params["secure_settings"] or {}) if p]
        self.headers = _args.provenance_headers(self.params)
        self.compared = "none"
        self.note = None
        self.unverified = []
        self.wanted = desired_integration(self.params) if self.params["state"] == "present" else None
        if self.wanted:
            for path in secret_paths(self.wanted["type"], self.extra_secrets):
                value = _resource.get_path(self.wanted["settings"], path)
                if isinstance(value, str) and len(value) >= 4:
                    module.no_log_values.add(value)

    def read(self, client):
        for item in client.request("GET", BASE) or []:
            if item.get("uid") == self.uid:
                return item
        return None

    def view(self, raw):
        paths = secret_paths(raw.get("type"), self.extra_secrets)
        settings = _resource.mask(raw.get("settings") or {}, paths)
        return {"uid": raw.get("uid"), "name": raw.get("name"), "type": raw.get("type"), "settings": settings,
                "disableResolveMessage": bool(raw.get("disableResolveMessage"))}

    def decrypted(self, client, current):
        """Plaintext settings of the stored integration, or None when the export is refused."""
        try:
            export = client.request("GET", BASE + "/export", query={"decrypt": "true", "format": "json", "name": current["name"]})
        except ApiError as err:
            if err.status in (401, 403):
                self.note = ("the decrypted export needs organisation Admin (HTTP %d): secrets were compared by presence only" % err.status)
                return None
            raise err.with_context("contact point %r: the decrypted export could not be read" % self.uid)
        for group in (export or {}).get("contactPoints") or []:
            for receiver in group.get("receivers") or []:
                if receiver.get("uid") == self.uid:
                    return receiver.get("settings") or {}
        return None

    def desired(self, client, current):
        wanted = self.wanted
        paths = secret_paths(wanted["type"], self.extra_secrets)
        given = [p for p in paths if _resource.has_value(_resource.get_path(wanted["settings"], p))]
        settings = _resource.mask(wanted["settings"], paths)
        view = dict(wanted, settings=settings)
        if current is None:
            self.compared = "new" if given else "none"
            for path in given:
                _resource.set_path(settings, path, _resource.SECRET_CHANGED)
            return view
        stored = current.get("settings") or {}
        stored_set = [p for p in secret_paths(current.get("type"), self.extra_secrets)
                      if _resource.has_value(_resource.get_path(stored, p))]
        if not given and not stored_set:
            self.compared = "none"
            return view
        policy = self.params["secure_update"]
        plain = None
        if policy == "auto":
            plain = self.decrypted(client, current)
        if policy == "always":
            self.compared = "always"
        elif plain is not None:
            self.compared = "decrypted"
        else:
            self.compared = "presence"
        same_type = str(current.get("type")).lower() == str(wanted["type"]).lower()
        for path in given:
            value = _resource.get_path(wanted["settings"], path)
            if self.compared == "always" or not same_type or path not in stored_set:
                changed = True
            elif self.compared == "decrypted":
                changed = _resource.get_path(plain, path) != value
            else:
                changed = False
                self.unverified.append(".".join(("settings",) + tuple(path)))
            _resource.set_path(settings, path, _resource.SECRET_CHANGED if changed else _resource.SECRET)
        return view

    def warning(self):
        """Why a rotated secret would not be applied by this run, or None."""
        if not self.unverified:
            return None
        if self.params["secure_update"] == "on_create":
            why = "secure_update is on_create, so only its presence is compared"
            fix = "set secure_update to always (or auto with an organisation Admin token) to apply a new value"
        else:
            why = "the credentials cannot read the decrypted export (organisation Admin needed), so only its presence is compared"
            fix = "use an organisation Admin token or secure_update: always to apply a new value"
        return ("contact point %r: a changed secret in %s is not applied: %s; %s"
                % (self.uid, ", ".join(self.unverified), why, fix))

    def body(self):
        return copy.deepcopy(self.wanted)

    def create(self, client, desired, current):
        try:
            return client.request("POST", BASE, body=self.body(), headers=self.headers)
        except ApiError as err:
            in_use = err.status == 409 or (err.status == 500 and "already exists" in err.server_message)
            if not in_use:
                raise
            again = self.read(client)
            if again is None:
                raise err.with_context("uid %r is already used by another contact point that these credentials cannot see" % self.uid)
            return self.update(client, desired, again)

    def update(self, client, desired, current):
        return client.request("PUT", BASE + "/" + quote_segment(self.uid), body=self.body(), headers=self.headers)

    def delete(self, client, desired, current):
        return client.request("DELETE", BASE + "/" + quote_segment(self.uid), headers=self.headers)

    def summary(self, raw):
        out = self.view(raw)
        if raw.get("provenance"):
            out["provenance"] = raw["provenance"]
        return out

    def predict(self, desired, current):
        out = copy.deepcopy(desired)
        out["settings"] = _resource.mask(self.wanted["settings"], secret_paths(self.wanted["type"], self.extra_secrets))
        out["provenance"] = "" if self.params["disable_provenance"] else "api"
        if not out["provenance"]:
            del out["provenance"]
        return out


def main():
    module = _args.grafana_module(
        dict(
            name=dict(type="str"),
            type=dict(type="str"),
            settings=dict(type="dict", default={}),
            secure_settings=dict(type="dict", no_log=True),
            disable_resolve_message=dict(type="bool", default=False),
            secure_update=dict(type="str", choices=["auto", "always", "on_create"], default="auto"),
            **_args.PROVENANCE_SPEC
        ),
        uid=True,
        required_if=[("state", "present", ("name", "type"))],
    )

    def work():
        params = module.params
        point = ContactPoint(module)
        client = _client.GrafanaClient.from_module(module)
        resource = _resource.Resource(
            "contact point", read=point.read, create=point.create, update=point.update, delete=point.delete,
            view=point.view, summary=point.summary, predict=point.predict, label="contact point %r" % params["uid"])
        result = _resource.ensure(client, resource, lambda current: point.desired(client, current) if point.wanted else None,
                                  params["state"], module.check_mode)
        if module.check_mode and result.changed and point.wanted:
            check_type(point.wanted["type"], params["uid"])
        if not result.changed and point.warning():
            module.warn(point.warning())
        extra = {}
        if params["state"] == "present":
            extra["secrets_compared"] = point.compared
            if point.note:
                extra["secrets_note"] = point.note
        return _resource.module_result(module, result, "contact_point", **extra)

    _resource.run(module, work)


if __name__ == "__main__":
    main()
