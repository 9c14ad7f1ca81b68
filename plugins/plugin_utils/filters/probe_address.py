# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host:port a role probes on the host itself, from a service's listen address."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.module_utils._address import WILDCARDS, join_hostport, split_hostport


def probe_address(value):
    """Return ``host:port`` to reach a server listening on ``value`` from its own host.

    A wildcard listen address (``:9093``, ``0.0.0.0:9090``, ``[::]:3100``) is reached on
    ``127.0.0.1``; a specific address (``10.0.0.5:9090``, ``[::1]:9090``) as it is.
    """
    text = str(value if value is not None else "").strip()
    try:
        host, port = split_hostport(text)
    except ValueError:
        raise AnsibleFilterError("probe_address: %r is not a listen address such as :9093, 0.0.0.0:9090 or 10.0.0.5:9090" % text) from None
    return join_hostport("127.0.0.1" if host in WILDCARDS else host, port)
