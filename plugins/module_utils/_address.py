# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one parser of ``host:port`` listen addresses (Go style: ``:9093``, ``0.0.0.0:9090``,
``[::1]:9090``, ``localhost:9100``) and its inverse."""

from __future__ import annotations

import re

# host: an IPv6 address in brackets, or anything without a colon or bracket (also empty).
_HOSTPORT = re.compile(r"(?P<host>\[[^\]]*\]|[^:\[\]]*):(?P<port>[0-9]{1,5})")
# Listen hosts that mean "every interface" (after split_hostport: no brackets).
WILDCARDS = ("", "0.0.0.0", "::", "*")


def split_hostport(text):
    """``(host, port)`` of ``host:port``: host without brackets (``''`` for ``:9093``), port an int 1-65535.

    Blanks around ``text`` are ignored. Raises ``ValueError`` (naming the value) on anything else:
    no port, a port out of range, an IPv6 address without brackets, an empty or non-text value.
    """
    value = text.strip() if isinstance(text, str) else text
    match = _HOSTPORT.fullmatch(value) if isinstance(value, str) else None
    if not match or not 0 < int(match.group("port")) < 65536:
        raise ValueError("%r is not a host:port address" % (value,))
    return match.group("host").strip("[]"), int(match.group("port"))


def join_hostport(host, port):
    """``host:port`` with an IPv6 address in brackets (the inverse of ``split_hostport``)."""
    host = str(host)
    return "%s:%s" % ("[%s]" % host if ":" in host else host, port)


def is_loopback(host):
    """Whether listen host ``host`` (no brackets) is reachable only from its own machine."""
    return host == "localhost" or host == "::1" or host.startswith("127.")
