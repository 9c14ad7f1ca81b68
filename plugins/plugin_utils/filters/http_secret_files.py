# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Move inline credentials of Prometheus-style HTTP client configurations into files."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import plain

# (block, inline key, file key, file suffix): what the Prometheus HTTP client configuration
# (prometheus/common) can read from a file instead of the configuration. The inline TLS
# certificate fields are moved too: older servers (Prometheus 2.42) only know the *_file form.
_FIELDS = (
    ("basic_auth", "password", "password_file", "password"),
    ("authorization", "credentials", "credentials_file", "credentials"),
    ("oauth2", "client_secret", "client_secret_file", "client_secret"),
    ("tls_config", "key", "key_file", "tls.key"),
    ("tls_config", "cert", "cert_file", "tls.crt"),
    ("tls_config", "ca", "ca_file", "ca.crt"),
)


def _slug(value):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(value)).strip("_") or "unnamed"


def _move(block, where, path_base, files):
    """Rewrite one HTTP client block in place; record the secret files it needs."""
    if not isinstance(block, dict):
        return
    if "bearer_token" in block:
        token = block.pop("bearer_token")
        if token is None or str(token) == "":
            raise AnsibleFilterError("%s: bearer_token is empty" % where)
        if "authorization" in block:
            raise AnsibleFilterError("%s: give either bearer_token or authorization, not both" % where)
        block["authorization"] = {"type": "Bearer", "credentials": token}
    for section, inline, file_key, suffix in _FIELDS:
        sub = block.get(section)
        if not isinstance(sub, dict) or inline not in sub:
            continue
        value = sub.pop(inline)
        if value is None or str(value) == "":
            raise AnsibleFilterError("%s: %s.%s is empty" % (where, section, inline))
        if file_key in sub:
            raise AnsibleFilterError("%s: give either %s.%s or %s.%s, not both" % (where, section, inline, section, file_key))
        path = "%s.%s" % (path_base, suffix)
        files[path] = str(value)
        sub[file_key] = path


def http_secret_files(items, directory, prefix, name_key="name", what="item"):
    """Return ``{'configs': [...], 'files': {path: secret}}`` for a list of configurations.

    Every inline credential (``basic_auth.password``, ``authorization.credentials``,
    ``bearer_token``, ``oauth2.client_secret``, ``tls_config.key``) and inline TLS certificate
    (``tls_config.cert``, ``tls_config.ca``) is replaced by its ``*_file``
    counterpart pointing to ``<directory>/<prefix><name>.<field>``, and the secret values are
    returned separately so that they can be written to 0640 files: the configuration itself then
    holds no secret and stays diffable. An empty credential is an error naming the item.
    """
    if items is None:
        return {"configs": [], "files": {}}
    if not isinstance(items, (list, tuple)):
        raise AnsibleFilterError("http_secret_files expects a list, got %s" % type(items).__name__)
    directory = str(directory).rstrip("/")
    configs, files, bases = [], {}, set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise AnsibleFilterError("%s #%d is not a mapping" % (what, index + 1))
        item = plain(item)
        name = item.get(name_key) or str(index + 1)
        where = "%s '%s'" % (what, name)
        base = "%s/%s%s" % (directory, prefix, _slug(name))
        if base in bases:
            raise AnsibleFilterError("%s: another %s has the same name" % (where, what))
        bases.add(base)
        _move(item, where, base, files)
        configs.append(item)
    return {"configs": configs, "files": files}
