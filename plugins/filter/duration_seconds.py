# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn a Prometheus or Go duration string (``744h``, ``31d``, ``1h30m``, ``1.5s``) into seconds."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# Units of Prometheus' model.Duration (y w d h m s ms) and of Go's time.ParseDuration (h m s ms
# us/µs ns); a year is 365 days, as in Prometheus.
_UNITS = {
    "y": 365 * 86400.0,
    "w": 7 * 86400.0,
    "d": 86400.0,
    "h": 3600.0,
    "m": 60.0,
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "\u00b5s": 1e-6,
    "ns": 1e-9,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|\u00b5s|ns|y|w|d|h|m|s)")


def duration_seconds(value):
    """Return the number of seconds of ``value`` (a float; ``0`` for ``0``, ``0s`` and ``""`` is an error).

    An int or float is taken as seconds already.
    """
    if isinstance(value, bool):
        raise AnsibleFilterError("duration_seconds: %r is not a duration" % (value,))
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value if value is not None else "").strip()
    if text == "0":
        return 0.0
    if not text:
        raise AnsibleFilterError("duration_seconds: an empty string is not a duration (use 0s)")
    total = 0.0
    pos = 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        raise AnsibleFilterError(
            "duration_seconds: %r is not a duration such as 30s, 15m, 24h, 7d, 4w, 1y or 1h30m" % text
        )
    return total


class FilterModule:
    """The duration_seconds filter."""

    def filters(self):
        return {"duration_seconds": duration_seconds}
