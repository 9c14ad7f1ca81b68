# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find the SHA-256 digest of one file in a release's checksum file."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

_HEX = re.compile(r"^[0-9a-fA-F]{64}$")


def sha256_from_sums(content, filename, fmt="sums"):
    """Return the hex digest for ``filename`` from ``content``.

    ``sums``: lines ``<hash>  <file>`` (text mode) or ``<hash> *<file>`` (binary mode), as
    written by ``sha256sum`` and ``shasum -b``; a path before the file name is ignored.
    ``bare``: the whole content is the digest (otelcol-contrib >= 0.158 ``.sha256`` files).
    """
    text = str(content or "")
    if fmt == "bare":
        digest = text.strip().split()[0] if text.strip() else ""
        if not _HEX.match(digest):
            raise AnsibleFilterError("checksum file does not hold a bare SHA-256 digest: %r" % text[:80])
        return digest.lower()
    if fmt != "sums":
        raise AnsibleFilterError("sha256_from_sums: unknown format %r (sums or bare)" % fmt)
    for line in text.splitlines():
        parts = line.strip().split(None, 1)
        if len(parts) != 2 or not _HEX.match(parts[0]):
            continue
        name = parts[1].strip()
        if name.startswith("*"):
            name = name[1:]
        if name == filename or name.rsplit("/", 1)[-1] == filename:
            return parts[0].lower()
    raise AnsibleFilterError("no SHA-256 for %r in the checksum file" % filename)
