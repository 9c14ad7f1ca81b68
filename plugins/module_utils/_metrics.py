# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Samples of the Prometheus text exposition format (a /metrics page), read by exact metric name."""

from __future__ import annotations

import math
import re

# One sample line: name, optional labels, value (a timestamp after it is ignored).
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def samples(text, name):
    """The values of every sample of the metric ``name`` (all label sets), in page order; a value
    that is not a number is left out."""
    values = []
    for line in (text or "").splitlines():
        match = SAMPLE.match(line)
        if match and match.group(1) == name:
            try:
                values.append(float(match.group(3)))
            except ValueError:
                continue
    return values


def metric_sum(text, name):
    """The sum of every sample of ``name`` (NaN samples left out); 0.0 when it has none."""
    return sum(value for value in samples(text, name) if not math.isnan(value))


def metric_first(text, name):
    """The first sample of ``name``; NaN when the page has none (a gauge not reported yet)."""
    values = samples(text, name)
    return values[0] if values else float("nan")
