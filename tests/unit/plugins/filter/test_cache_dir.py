# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cache_dir: the one controller cache root, its parts, bad input."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.cache_dir import cache_dir, cache_root


def test_xdg_cache_home_wins(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache/")
    monkeypatch.setenv("HOME", "/home/ops")
    assert cache_dir("node_exporter", "1.9.1", "amd64") == "/srv/cache/vigil.observability/node_exporter/1.9.1/amd64"


@pytest.mark.parametrize("xdg", [None, ""])
def test_home_when_xdg_is_unset_or_empty(monkeypatch, xdg):
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.setenv("HOME", "/home/ops")
    assert cache_dir("") == "/home/ops/.cache/vigil.observability"
    assert cache_dir("grafana_plugins", "grafana-clock-panel", "3.2.2", "arm64") == \
        "/home/ops/.cache/vigil.observability/grafana_plugins/grafana-clock-panel/3.2.2/arm64"


def test_root_from_a_given_environment():
    assert cache_root({"XDG_CACHE_HOME": "/c"}) == "/c/vigil.observability"
    assert cache_root({"HOME": "/h/"}) == "/h/.cache/vigil.observability"


def test_numbers_and_nested_parts(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/c")
    assert cache_dir("uptime_kuma/2.0.0", "unverified") == "/c/vigil.observability/uptime_kuma/2.0.0/unverified"
    assert cache_dir("keys", 3) == "/c/vigil.observability/keys/3"


@pytest.mark.parametrize("name, parts, message", [
    ("a", ("..",), r"part '\.\.' is empty or leaves the cache"),
    ("a/../b", (), r"part 'a/\.\./b' is empty or leaves the cache"),
    ("a", ("",), r"part '' is empty"),
    ("a", (None,), r"every part must be a string, got None"),
    ("a", (True,), r"every part must be a string, got True"),
    ("", ("x",), r"the first part \(the input\) is empty"),
    (["a"], (), r"every part must be a string, got \['a'\]"),
])
def test_bad_parts_fail_clearly(name, parts, message):
    with pytest.raises(AnsibleFilterError, match=message):
        cache_dir(name, *parts)
