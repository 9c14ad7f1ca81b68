# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The items of a file, copy or template step whose path on the host differs from what the step writes."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible.utils.hashing import checksum as controller_checksum
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail
from ansible_collections.vigil.observability.plugins.plugin_utils.local_checksums import cached_checksum

_OCTAL = re.compile(r"^0?[0-7]{3,4}$")


def _mode(value):
    """Four octal digits for an octal mode (``'640'``, ``'0640'``, ``0o640``), None for a symbolic one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "%04o" % value
    text = str(value)
    if not _OCTAL.match(text):
        return None
    return "%04o" % int(text, 8)


def _differs(item, have, want_type, checksum, owner, group, mode):
    if not isinstance(have, Mapping) or not have.get("exists") or have.get("type") != want_type:
        return True
    if want_type == "file" and (checksum is None or have.get("checksum") != checksum):
        return True
    if want_type == "link" and have.get("target") != str(item.get("src") or ""):
        return True
    for key, default in (("owner", owner), ("group", group)):
        wanted = item.get(key, default)
        if wanted not in (None, "") and str(wanted) != str(have.get(key)):
            return True
    wanted = item.get("mode", mode)
    if wanted not in (None, ""):
        normal = _mode(wanted)
        if normal is None or normal != have.get("mode"):
            return True
    return False


def paths_to_change(items, state, checksums=None, path_key="dest", kind="file", owner=None, group=None, mode=None,
                    local_src=False, checksum_store=None):
    """The items of ``items`` whose path differs on the host from what the step would write.

    ``state`` is the ``paths`` result of ``vigil.observability.paths_info`` for those paths. An item
    differs when its path is missing or of another type, when a file's SHA-1 is not the wanted one
    (``checksums``, one per item, from ``template_checksums``; or, with ``local_src``, the SHA-1 of
    the item's ``src`` on the controller, kept in ``checksum_store`` when one is given, so a file of the
    artifact cache is hashed once, not once per host and run), when a link does not point at the item's ``src`` (the
    target as ``file state=link`` writes it), or when its owner, group or octal mode (the item's own,
    else the defaults given here) is not the wanted one. Whatever cannot be compared here (a
    symbolic mode, a directory as the source of a copy, no checksum) counts as different: the step
    itself then decides, so the answer may cost a step but never skips a change.
    """
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        fail("paths_to_change", "expects a list of items, not a %s", type(items).__name__)
    if not isinstance(state, Mapping):
        fail("paths_to_change", "the state must be the paths of vigil.observability.paths_info, not a %s", type(state).__name__)
    if kind not in ("file", "directory", "link"):
        fail("paths_to_change", "kind must be file, directory or link, not %r", kind)
    if checksums is not None and len(checksums) != len(items):
        fail("paths_to_change", "%d checksums for %d items", len(checksums), len(items))
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or not item.get(path_key):
            fail("paths_to_change", "item #%d has no %s", index + 1, path_key)
        checksum = None
        if kind == "file":
            if checksums is not None:
                checksum = checksums[index]
            elif local_src:
                # What the copy action compares: None for a missing file or a directory.
                src = str(item.get("src") or "")
                checksum = cached_checksum(src, checksum_store) if checksum_store else controller_checksum(src)
        if _differs(item, state.get(str(item[path_key])), kind, checksum, owner, group, mode):
            out.append(item)
    return out
