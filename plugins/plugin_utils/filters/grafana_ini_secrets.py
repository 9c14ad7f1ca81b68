# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Move the secrets of a grafana.ini mapping into files Grafana reads through ``$__file{}``."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail, mapping, plain

NAME = "grafana_ini_secrets"

# Keys (in any section, any case) whose string value is a secret.
SECRET_KEYS = frozenset(("password", "client_secret", "secret_key", "access_key", "account_key", "api_key", "token", "connstr"))
SECRET_SUFFIXES = ("_password", "_secret", "_token")
# Keys that are secrets in one section only: [database] url carries user:password@host.
SECRET_SECTION_KEYS = frozenset((("database", "url"),))
# A value Grafana already expands ($__file{...}, $__env{...}, $__vault{...}) is left as it is.
_EXPANSION = re.compile(r"\$__[a-z]+\{")


def is_secret_key(section, key):
    """Whether ``key`` of ``section`` (``None`` for a top-level key) holds a secret."""
    key = str(key).lower()
    if key in SECRET_KEYS or key.endswith(SECRET_SUFFIXES):
        return True
    return section is not None and (str(section).lower(), key) in SECRET_SECTION_KEYS


def _is_secret_value(value):
    # Booleans and numbers are settings (use_refresh_token: true), not secrets; an empty value
    # sets nothing; an expansion is already read from elsewhere.
    return isinstance(value, str) and value != "" and not _EXPANSION.search(value)


def _file_name(section, key):
    name = str(key) if section is None else "%s.%s" % (section, key)
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "unnamed"


def grafana_ini_secrets(ini, secrets_dir):
    """Return ``{'ini': ..., 'files': {path: secret}}`` for a grafana.ini mapping.

    Every non-empty string value of a secret key (see ``is_secret_key``) is replaced by
    ``$__file{<secrets_dir>/<section>.<key>}`` and returned in ``files`` for a task that writes
    it 0640 without diff or log; values that already use an expansion are left alone. The input
    is not modified. Errors never show a value.
    """
    ini = mapping(NAME, ini, "the grafana.ini data")
    if not isinstance(secrets_dir, str) or not secrets_dir.startswith("/") or re.search(r"[{}\s]", secrets_dir):
        fail(NAME, "secrets_dir must be an absolute path without braces or blanks")
    directory = secrets_dir.rstrip("/")
    out, files, owners = {}, {}, {}

    def move(section, key, value):
        if not is_secret_key(section, key) or not _is_secret_value(value):
            return value
        where = str(key) if section is None else "[%s] %s" % (section, key)
        path = "%s/%s" % (directory, _file_name(section, key))
        if path in owners:
            fail(NAME, "%s and %s would share the secret file %s", owners[path], where, path)
        owners[path] = where
        files[path] = value
        return "$__file{%s}" % path

    for section, body in ini.items():
        if isinstance(body, Mapping):
            out[section] = dict((key, move(section, key, plain(value))) for key, value in body.items())
        else:
            out[section] = move(None, section, plain(body))
    return {"ini": out, "files": files}
