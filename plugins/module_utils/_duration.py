# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one parser of duration strings: Prometheus' ``model.Duration`` (``744h``, ``31d``,
``1h30m``) and Go's ``time.ParseDuration`` (``1.5s``, ``250ms``, ``10us``), added up exactly."""

from __future__ import annotations

import re
from fractions import Fraction

# Nanoseconds per unit; a year is 365 days, as in Prometheus.
UNITS_NS = {
    "y": 365 * 86400 * 10 ** 9,
    "w": 7 * 86400 * 10 ** 9,
    "d": 86400 * 10 ** 9,
    "h": 3600 * 10 ** 9,
    "m": 60 * 10 ** 9,
    "s": 10 ** 9,
    "ms": 10 ** 6,
    "us": 10 ** 3,
    "\u00b5s": 10 ** 3,
    "ns": 1,
}
# The units of Prometheus' model.Duration (and of Grafana's durations).
PROMETHEUS_UNITS = ("y", "w", "d", "h", "m", "s", "ms")
_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|us|\u00b5s|ns|y|w|d|h|m|s)")


def duration_ns(text, units=tuple(UNITS_NS)):
    """The exact number of nanoseconds (a ``Fraction``) of ``text``, a sequence of ``<number><unit>``.

    Only ``units`` are accepted. Raises ``ValueError`` (naming the value) on anything else,
    the empty string included.
    """
    value = text.strip() if isinstance(text, str) else text
    if not isinstance(value, str) or not value:
        raise ValueError("%r is not a duration" % (value,))
    total = Fraction(0)
    pos = 0
    for match in _PART.finditer(value):
        if match.start() != pos or match.group(2) not in units:
            break
        total += Fraction(match.group(1)) * UNITS_NS[match.group(2)]
        pos = match.end()
    if pos != len(value):
        raise ValueError("%r is not a duration" % (value,))
    return total
