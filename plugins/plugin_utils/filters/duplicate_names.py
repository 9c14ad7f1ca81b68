# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The names of a list that occur more than once."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def duplicate_names(names):
    """Each name given more than once, once, in the order of its first repetition; empty names
    (counted by the caller as unnamed) are ignored."""
    if names is None:
        return []
    if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple)):
        raise AnsibleFilterError("duplicate_names: expects a list of names, not a %s" % type(names).__name__)
    seen, duplicates = set(), []
    for name in names:
        if not isinstance(name, (str, int, float)) or isinstance(name, bool):
            raise AnsibleFilterError("duplicate_names: %r is not a name" % (name,))
        name = str(name)
        if name == "":
            continue
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    return duplicates
