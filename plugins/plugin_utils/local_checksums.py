# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SHA-1 of a file of the controller's artifact cache, taken once per file and kept.

The install read compares every installed file of an artifact with its source in the cache, by the
SHA-1 the copy action compares (ansible.utils.hashing.checksum). Hashing a release's binaries
(tens to hundreds of MB each) again for every host of every run costs the controller CPU per host;
the cache's files do not change once their archive is verified and unpacked. So the digest is kept
in a small file of a store directory, named by the file's path, device, inode, size and modification
time: any change to the file names another record and it is hashed again.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile

from ansible.utils.hashing import checksum


def cached_checksum(path, store):
    """SHA-1 (hex) of the controller file ``path`` as ``checksum`` gives it (None for a missing file or a
    directory), read from ``store`` when it was taken for this very file before, else taken and kept there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return None
    key = "%s\0%d\0%d\0%d\0%d" % (os.path.abspath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    record = os.path.join(store, hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest())
    try:
        with open(record, encoding="ascii") as handle:
            kept = handle.read().strip()
        if len(kept) == 40:
            return kept
    except (OSError, ValueError):
        pass
    digest = checksum(path)
    if digest:
        try:
            os.makedirs(store, exist_ok=True)
            # Written whole under another name, then renamed: a worker of another host never reads half a record.
            handle, temporary = tempfile.mkstemp(dir=store, prefix=".record-")
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(digest + "\n")
            os.replace(temporary, record)
        except OSError:
            pass  # a cache that cannot be written costs the hashing next time, nothing else
    return digest
