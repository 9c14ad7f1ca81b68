# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The receivers the alertmanager role renders from its Mattermost and webhook helpers."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean


def _fail(message, *args):
    raise AnsibleFilterError("alertmanager_receivers: " + (message % args if args else message))


def _items(value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        _fail("%s must be a list, not a %s", what, type(value).__name__)
    for item in value:
        if not isinstance(item, Mapping):
            _fail("every item of %s must be a mapping, not %r", what, item)
        if not item.get("name"):
            _fail("every item of %s needs a name", what)
        if item.get("webhook_url") is None or str(item.get("webhook_url")) == "":
            _fail("receiver %s needs a non-empty webhook_url", item["name"])
    return value


def alertmanager_receivers(mattermost, webhooks, secret_prefix, slack_url_file=True, webhook_url_file=True,
                           mattermost_defaults=None, mattermost_keys=None):
    """``{receivers: [...], files: {path: webhook URL}}``.

    A Mattermost item becomes a receiver with one ``slack_configs`` entry: ``mattermost_defaults``
    merged with the item, restricted to ``mattermost_keys``. A webhook item becomes a receiver with
    one ``webhook_configs`` entry (``send_resolved``, default true, and ``max_alerts``). The
    webhook URL goes to the file ``<secret_prefix><name>.webhook_url`` referenced by
    ``api_url_file`` / ``url_file`` where the version reads it (``slack_url_file``,
    ``webhook_url_file``), inline otherwise.
    """
    mattermost = _items(mattermost, "the Mattermost receivers")
    webhooks = _items(webhooks, "the webhook receivers")
    if mattermost_defaults is None:
        mattermost_defaults = {}
    if not isinstance(mattermost_defaults, Mapping):
        _fail("mattermost_defaults must be a mapping, not a %s", type(mattermost_defaults).__name__)
    keys = list(mattermost_keys or [])
    if not secret_prefix:
        _fail("the secret file prefix is empty")
    slack_url_file = boolean(slack_url_file, strict=False)
    webhook_url_file = boolean(webhook_url_file, strict=False)
    receivers, files = [], {}

    def url_setting(item, key, in_file):
        """The receiver's webhook URL inline (``key``), or in a secret file (``<key>_file``)."""
        if not in_file:
            return {key: item["webhook_url"]}
        path = "%s%s.webhook_url" % (secret_prefix, re.sub(r"[^A-Za-z0-9_.-]+", "_", str(item["name"])))
        files[path] = str(item["webhook_url"])
        return {key + "_file": path}

    for item in mattermost:
        spec = dict(mattermost_defaults)
        spec.update(item)
        slack = {key: value for key, value in spec.items() if key in keys}
        slack.update(url_setting(item, "api_url", slack_url_file))
        receivers.append({"name": item["name"], "slack_configs": [slack]})
    for item in webhooks:
        hook = {"send_resolved": item.get("send_resolved", True)}
        if "max_alerts" in item:
            hook["max_alerts"] = item["max_alerts"]
        hook.update(url_setting(item, "url", webhook_url_file))
        receivers.append({"name": item["name"], "webhook_configs": [hook]})
    return {"receivers": receivers, "files": files}
