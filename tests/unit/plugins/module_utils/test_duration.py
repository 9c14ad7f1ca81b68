# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_duration: the one duration parser (Prometheus and Go spellings), exact."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._duration import PROMETHEUS_UNITS, duration_ns

S = 10 ** 9


@pytest.mark.parametrize("text, ns", [
    ("30s", 30 * S), ("15m", 900 * S), ("744h", 2678400 * S), ("7d", 604800 * S), ("4w", 2419200 * S),
    ("1y", 31536000 * S), ("1h30m", 5400 * S), ("1.5s", Fraction(3, 2) * S), ("250ms", S // 4), ("10us", 10000),
    ("10\u00b5s", 10000), ("7ns", 7), ("0s", 0), ("2d12h", 216000 * S), (" 10m ", 600 * S), ("0.1m", 6 * S)])
def test_durations_are_exact(text, ns):
    assert duration_ns(text) == ns


def test_units_can_be_limited():
    assert duration_ns("1m500ms", PROMETHEUS_UNITS) == 60 * S + S // 2
    for text in ("5us", "1h5ns"):
        with pytest.raises(ValueError, match="is not a duration"):
            duration_ns(text, PROMETHEUS_UNITS)


@pytest.mark.parametrize("bad", ["", "  ", "0", "h", "10", "10x", "1h 30m", "-5m", "5m3", "1.h", ".5s", None, 5, True])
def test_what_is_not_a_duration_is_named(bad):
    with pytest.raises(ValueError, match="is not a duration"):
        duration_ns(bad)
