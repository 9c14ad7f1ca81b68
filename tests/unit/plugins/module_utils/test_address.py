# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_address: the one host:port parser."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._address import (
    WILDCARDS, is_loopback, join_hostport, split_hostport)


@pytest.mark.parametrize("text, host, port", [
    (":9093", "", 9093), ("0.0.0.0:9090", "0.0.0.0", 9090), ("[::]:3100", "::", 3100), ("[::1]:9090", "::1", 9090),
    ("10.0.0.5:9100", "10.0.0.5", 9100), ("localhost:9100", "localhost", 9100), (" :9093 ", "", 9093),
    ("*:80", "*", 80), ("[fd00::1]:65535", "fd00::1", 65535), ("host:09093", "host", 9093)])
def test_split_hostport(text, host, port):
    assert split_hostport(text) == (host, port)


@pytest.mark.parametrize("bad", ["9093", "", "   ", "host:", "host:0", "host:65536", "host:123456", "a:b:9090",
                                 "::1:9090", "[::1]9090", "host:90\n1", None, 9093, [":9093"]])
def test_what_is_not_host_port_is_named(bad):
    with pytest.raises(ValueError, match="is not a host:port address"):
        split_hostport(bad)


@pytest.mark.parametrize("host, port, text", [
    ("", 9093, ":9093"), ("10.0.0.5", 9100, "10.0.0.5:9100"), ("::1", 9090, "[::1]:9090"), ("fd00::1", "7946", "[fd00::1]:7946")])
def test_join_hostport_is_the_inverse(host, port, text):
    assert join_hostport(host, port) == text
    assert split_hostport(text) == (host, int(port))


def test_wildcards_and_loopback():
    assert set(WILDCARDS) == {"", "0.0.0.0", "::", "*"}
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "localhost", "::1"))
    assert not any(is_loopback(h) for h in ("10.0.0.1", "", "::", "localhost.example", "fd00::1"))
