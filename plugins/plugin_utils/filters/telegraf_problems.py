# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the telegraf role's preflight rejects in its structured variables, item by item."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.module_utils._filter_settings import check_settings, is_list

SETTINGS = ("plugins", "prometheus_inputs", "secrets", "password", "password_variable")
_PLUGIN_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_URL = re.compile(r"https?://[^/\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _fail(message, *args):
    raise AnsibleFilterError("telegraf_problems: " + (message % args if args else message))


def _plugin_problems(plugins):
    """``variable: name`` of each entry that is not a plugin name mapping to blocks (or null)."""
    bad = []
    for variable, value in plugins.items():
        if value is None:
            continue
        if not isinstance(value, Mapping):
            bad.append("%s (a %s, not a mapping)" % (variable, type(value).__name__))
            continue
        for name, blocks in value.items():
            named = isinstance(name, str) and _PLUGIN_NAME.fullmatch(name)
            shaped = blocks is None or isinstance(blocks, Mapping) or (
                is_list(blocks) and all(isinstance(block, Mapping) for block in blocks))
            if not (named and shaped):
                bad.append("%s: %s" % (variable, name))
    return bad


def _prometheus_input_problems(blocks):
    """Indexes (from 0) of the items without ``urls``, a non-empty list of http(s) URLs."""
    if not is_list(blocks):
        return ["(telegraf_prometheus_inputs is a %s, not a list)" % type(blocks).__name__]
    bad = []
    for index, block in enumerate(blocks):
        urls = block.get("urls") if isinstance(block, Mapping) else None
        if not (is_list(urls) and urls and all(isinstance(url, str) and _URL.match(url) for url in urls)):
            bad.append(index)
    return bad


def _secret_problems(secrets, password, password_variable):
    """Names of the secrets that are no environment variable name or whose value is no one-line text."""
    bad = []
    if not isinstance(secrets, Mapping):
        bad.append("(telegraf_environment_secret is a %s, not a mapping)" % type(secrets).__name__)
        secrets = {}
    for name, value in secrets.items():
        named = isinstance(name, str) and _ENV_NAME.fullmatch(name) and name != password_variable
        text = value is not None and not isinstance(value, Mapping) and not is_list(value)
        if not (named and text and str(value) and not _CONTROL.search(str(value))):
            bad.append(str(name))
    if _CONTROL.search(str(password)):
        bad.append("(telegraf_prometheus_client_basic_password)")
    return bad


def telegraf_problems(settings):
    """Return ``{plugins, prometheus_inputs, secrets}``: the offending items of each, empty when all is well."""
    check_settings("telegraf_problems", settings, SETTINGS, error=AnsibleFilterError)
    if not isinstance(settings["plugins"], Mapping):
        _fail("plugins must map each plugin variable's name to its value, not %r", settings["plugins"])
    return {"plugins": _plugin_problems(settings["plugins"]),
            "prometheus_inputs": _prometheus_input_problems(settings["prometheus_inputs"]),
            "secrets": _secret_problems(settings["secrets"], settings["password"], settings["password_variable"])}
