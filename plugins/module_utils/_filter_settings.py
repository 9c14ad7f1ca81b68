# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks shared by the filters that take a role's settings as one mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def is_list(value):
    """A list or tuple (any sequence but text)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def check_settings(name, settings, names, what="settings", error=ValueError):
    """``settings`` when it is a mapping with exactly the keys ``names``; else ``error`` (a filter
    passes AnsibleFilterError) with one line, ``<name>: ...``, naming what is missing or unknown."""
    if not isinstance(settings, Mapping):
        raise error("%s: the %s must be a mapping, not %s" % (name, what, type(settings).__name__))
    missing = [key for key in names if key not in settings]
    if missing:
        raise error("%s: %s missing: %s" % (name, what, ", ".join(missing)))
    unknown = sorted(str(key) for key in settings if key not in names)
    if unknown:
        raise error("%s: unknown %s: %s" % (name, what, ", ".join(unknown)))
    return settings
