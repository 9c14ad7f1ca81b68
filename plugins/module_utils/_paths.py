# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules that read files on a host report of a path (paths_info, service_state)."""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import stat


def _name(lookup, ident):
    try:
        return lookup(ident)[0]
    except KeyError:
        return str(ident)


def _digest(path, algorithm="sha1"):
    digest = hashlib.new(algorithm)
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def path_state(path, checksum=True, algorithm="sha1"):
    """Type, mode, owner, group (and the digest of a regular file, SHA-1 unless ``algorithm`` names another) of
    ``path``; ``{"exists": False}`` when absent."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return {"exists": False}
    if stat.S_ISLNK(info.st_mode):
        kind = "link"
    elif stat.S_ISDIR(info.st_mode):
        kind = "directory"
    elif stat.S_ISREG(info.st_mode):
        kind = "file"
    elif stat.S_ISSOCK(info.st_mode):
        kind = "socket"
    else:
        kind = "other"
    entry = {
        "exists": True,
        "type": kind,
        "mode": "%04o" % stat.S_IMODE(info.st_mode),
        "owner": _name(pwd.getpwuid, info.st_uid),
        "group": _name(grp.getgrgid, info.st_gid),
    }
    if kind == "link":
        entry["target"] = os.readlink(path)
    if kind == "file" and checksum:
        entry["checksum"] = _digest(path, algorithm)
    return entry


def newer_than(reference, paths):
    """The paths (and everything below a directory of them) whose ctime is after the mtime of ``reference``."""
    try:
        since = os.stat(reference).st_mtime
    except OSError:
        return []
    found = []

    def check(path):
        try:
            if os.lstat(path).st_ctime > since:
                found.append(path)
        except OSError:
            pass

    for path in paths:
        check(path)
        if os.path.isdir(path) and not os.path.islink(path):
            for root, dirs, files in os.walk(path):
                for name in sorted(dirs) + sorted(files):
                    check(os.path.join(root, name))
    return found


def newer_groups(reference, groups):
    """``newer_than`` per named group of paths; every group empty without a reference."""
    return {name: (newer_than(reference, [str(p) for p in paths or []]) if reference else []) for name, paths in groups.items()}


def relative_paths(*lists):
    """The paths of the lists that are not absolute."""
    return [str(p) for paths in lists for p in paths or [] if not str(p).startswith("/")]
