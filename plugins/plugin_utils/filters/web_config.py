# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The exporter-toolkit web configuration (web.yml) of a Prometheus-style server or exporter."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.bcrypt_hash import bcrypt_hash

_USER = re.compile(r"^[^:\s]+$")


def _fail(message, *args):
    raise AnsibleFilterError("web_config: " + (message % args if args else message))


def web_config(users, cert_file="", key_file="", seed=None):
    """``{tls_server_config: {cert_file, key_file}, basic_auth_users: {user: bcrypt hash}}``.

    Each part only when it is asked for: TLS when ``cert_file`` is set, basic auth when ``users``
    (``{user: plaintext password}``) is not empty. A password is hashed with the salt
    ``<seed>/<user>`` (``bcrypt_hash``), so the file stays the same between runs.
    """
    if users is None:
        users = {}
    if not isinstance(users, Mapping):
        _fail("the basic-auth users must be a mapping {user: password}, not a %s", type(users).__name__)
    cert_file = "" if cert_file is None else str(cert_file)
    key_file = "" if key_file is None else str(key_file)
    if bool(cert_file) != bool(key_file):
        _fail("TLS needs both a certificate and a key file (cert_file %r, key_file %r)", cert_file, key_file)
    web = {}
    if cert_file:
        web["tls_server_config"] = {"cert_file": cert_file, "key_file": key_file}
    if users:
        if seed is None or str(seed) == "":
            _fail("a seed (the inventory hostname) is needed to hash the passwords")
        hashed = {}
        for user in sorted(users, key=lambda name: str(name).lower()):
            if not isinstance(user, str) or not _USER.match(user):
                _fail("user name %r must be a non-empty string without ':' or blanks", user)
            password = users[user]
            if password is None or str(password) == "":
                _fail("user %s has an empty password", user)
            hashed[user] = bcrypt_hash(password, "%s/%s" % (seed, user))
        web["basic_auth_users"] = hashed
    return web
