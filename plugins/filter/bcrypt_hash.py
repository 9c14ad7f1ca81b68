# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""bcrypt hashes for exporter-toolkit web configs, stable across runs."""

from __future__ import annotations

import base64
import hashlib

from ansible.errors import AnsibleFilterError

try:
    import bcrypt

    HAS_BCRYPT = True
except ImportError:  # pragma: no cover - depends on the controller
    HAS_BCRYPT = False

# bcrypt's own base64 alphabet
_STD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BCRYPT = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def bcrypt_hash(password, seed, rounds=10):
    """Hash ``password`` with a salt derived from ``seed`` and the password.

    The same (password, seed) always gives the same hash, so a rendered web config does not change
    on every run; a different seed per host (e.g. the inventory hostname) keeps hashes distinct
    between hosts.
    """
    if not HAS_BCRYPT:
        raise AnsibleFilterError("bcrypt_hash needs the 'bcrypt' Python package on the controller (pip install bcrypt)")
    if password is None or str(password) == "":
        raise AnsibleFilterError("bcrypt_hash: refusing to hash an empty password")
    rounds = int(rounds)
    if not 4 <= rounds <= 31:
        raise AnsibleFilterError("bcrypt_hash: rounds must be between 4 and 31")
    secret = str(password).encode("utf-8")
    if len(secret) > 72:
        raise AnsibleFilterError("bcrypt_hash: bcrypt uses at most 72 bytes of a password; this one is longer")
    raw = hashlib.sha256(b"vigil-bcrypt\0" + str(seed).encode("utf-8") + b"\0" + secret).digest()[:16]
    salt = base64.b64encode(raw).rstrip(b"=").translate(bytes.maketrans(_STD, _BCRYPT))[:22]
    return bcrypt.hashpw(secret, b"$2b$%02d$" % rounds + salt).decode("ascii")


class FilterModule:
    """The bcrypt_hash filter."""

    def filters(self):
        return {"bcrypt_hash": bcrypt_hash}
