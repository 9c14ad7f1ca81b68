#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Uptime Kuma's general settings: read, merge, and written whole only when one differs."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_settings
short_description: Set Uptime Kuma's general settings (primary base URL and the others)
version_added: "0.1.0"
description:
  - Sets the given keys of Uptime Kuma's general settings (the web app's Settings pages) and
    leaves every other key as it is.
  - Uptime Kuma's C(setSettings) applies the whole settings object it receives (an absent entry
    page or Chrome path would be reset), so the module reads the settings, merges the given keys
    and sends the whole object, and only when a given key differs. Keys never saved before get
    the values the web app's settings page fills in (entry page V(dashboard), and so on).
  - Settings that need the current password (turning authentication off) are refused.
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
options:
  primary_base_url:
    description:
      - The instance's primary base URL (C(primaryBaseURL)), used in notification links and on
        status pages. An empty string clears it.
    type: str
  settings:
    description:
      - Further keys of the general settings by Uptime Kuma's own names, for example
        C(searchEngineIndex), C(entryPage), C(keepDataPeriodDays), C(tlsExpiryNotifyDays),
        C(serverTimezone). Compared and sent as given.
    type: dict
    default: {}
attributes:
  check_mode:
    description: Reads only; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: The given keys before and after.
    support: full
author:
  - vigil.observability maintainers (@vigil)
"""

EXAMPLES = r"""
- name: Links in notifications point at the public name
  vigil.observability.uptime_kuma_settings:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /etc/uptime-kuma/admin.token
    primary_base_url: https://status.example.org
    settings:
      searchEngineIndex: false
      keepDataPeriodDays: 90
"""

RETURN = r"""
settings:
  description: The given keys as Uptime Kuma has them after the run (predicted in check mode).
  returned: always
  type: dict
  sample: {"primaryBaseURL": "https://status.example.org", "searchEngineIndex": false}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma.
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 2, "writes": 0}
"""

from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import kuma_module, run

# Keys whose change Uptime Kuma guards with the current password, or that lock users out.
_REFUSED = ("disableAuth",)

# What the web app's settings page fills in for keys never saved before it sends the whole object
# (the server applies some of them at once, e.g. an absent entryPage would empty the entry page).
_WEB_APP_DEFAULTS = {"checkUpdate": True, "searchEngineIndex": False, "entryPage": "dashboard", "nscd": True,
                     "keepDataPeriodDays": 180, "tlsExpiryNotifyDays": [7, 14, 21], "domainExpiryNotifyDays": [7, 14, 21],
                     "trustProxy": False}


def wanted(params):
    out = dict(params["settings"] or {})
    for key in _REFUSED:
        if key in out:
            raise ValidationError("settings.%s is not managed by this module (it turns authentication off)" % key)
    if params["primary_base_url"] is not None:
        url = params["primary_base_url"].rstrip("/")
        if url and not url.startswith(("http://", "https://")):
            raise ValidationError("primary_base_url must be empty or an http(s):// URL, got %r" % params["primary_base_url"])
        out["primaryBaseURL"] = url
    return out


def _view(data, keys):
    """The given keys of ``data``; an unset base URL (null) reads as the empty string."""
    out = {key: data.get(key) for key in sorted(keys)}
    if "primaryBaseURL" in out and out["primaryBaseURL"] is None:
        out["primaryBaseURL"] = ""
    return out


def apply(module, client):
    desired = wanted(module.params)
    current = client.call("getSettings", what="reading the settings").get("data") or {}
    before = _view(current, desired)
    after = dict(before, **desired)
    changed = before != after
    if changed and not module.check_mode:
        merged = dict(_WEB_APP_DEFAULTS)
        merged.update(current)
        merged.update(desired)
        client.call("setSettings", merged, "", write=True, what="saving the settings")
        fresh = client.call("getSettings", what="reading the settings").get("data") or {}
        after = _view(fresh, desired)
    result = dict(changed=changed, settings=after)
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    return result


def main():
    module = kuma_module(dict(primary_base_url=dict(type="str"), settings=dict(type="dict", default={})), with_state=False)
    run(module, lambda client: apply(module, client))


if __name__ == "__main__":
    main()
