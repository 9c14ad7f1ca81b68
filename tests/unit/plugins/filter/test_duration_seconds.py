import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.duration_seconds import duration_seconds


@pytest.mark.parametrize(
    "text, seconds",
    [("30s", 30), ("15m", 900), ("24h", 86400), ("744h", 2678400), ("7d", 604800), ("4w", 2419200),
     ("1y", 31536000), ("1h30m", 5400), ("1.5s", 1.5), ("250ms", 0.25), ("0s", 0), ("0", 0),
     ("2d12h", 216000), (" 10m ", 600)],
)
def test_durations(text, seconds):
    assert duration_seconds(text) == pytest.approx(seconds)


def test_numbers_are_seconds():
    assert duration_seconds(90) == 90.0
    assert duration_seconds(1.5) == 1.5


@pytest.mark.parametrize("bad", ["", "h", "10", "10x", "1h 30m", "-5m", "5m3", "1.h", None])
def test_not_a_duration_is_named(bad):
    with pytest.raises(AnsibleFilterError, match="duration"):
        duration_seconds(bad)


def test_bool_is_refused():
    with pytest.raises(AnsibleFilterError, match="True"):
        duration_seconds(True)
