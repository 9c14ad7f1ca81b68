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
    """Hash ``password`` with a salt derived from ``seed`` alone.

    The same (password, seed) always gives the same hash, so a rendered web config does not change
    on every run. A salt needs to be unique, not secret: a seed naming the host, the user and the
    file keeps hashes distinct between them. Nothing of the password goes into the salt, so the
    salt (the part of the hash in clear) tells nothing about it; guessing the password takes
    bcrypt's full cost per guess.
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
    return bcrypt.hashpw(secret, b"$2b$%02d$" % rounds + stable_salt(seed)).decode("ascii")


def stable_salt(seed):
    """The 22 characters of bcrypt salt for ``seed``: 128 bits of SHA-256 of the seed only."""
    if seed is None or str(seed) == "":
        raise AnsibleFilterError("bcrypt_hash: the seed (e.g. host/user/file) must not be empty")
    raw = hashlib.sha256(b"vigil-bcrypt-salt\0" + str(seed).encode("utf-8")).digest()[:16]
    # 16 bytes are 22 base64 characters, the last of which carries only 2 bits: bcrypt keeps those.
    return base64.b64encode(raw).rstrip(b"=").translate(bytes.maketrans(_STD, _BCRYPT))
