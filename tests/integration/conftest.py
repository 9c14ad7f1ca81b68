# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The integration tier: the uptime_kuma_* modules against the REAL Uptime Kuma (tests/support/kuma_server.py).

Every test here carries the ``kuma`` marker (pytest.ini). ``kuma_server`` starts one real Uptime
Kuma on loopback for the session (from the shared folder; skipped with one line when the folder
or Node.js is missing), ``kuma`` runs modules against it in-process.
"""

from __future__ import annotations

import os

import pytest

# pytest.ini puts collections/, tools/ and tests/support/ on the path.
import kuma_server as kuma_server_lib
from module_runner import run_ansible_module

HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.fspath).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.kuma)


class KumaRunner(object):
    """Runs uptime_kuma_* modules against one real Uptime Kuma server, logged in as its admin."""

    def __init__(self, server, token_file):
        self.server = server
        self.token_file = token_file

    def connection(self):
        return {"url": self.server.url, "username": kuma_server_lib.ADMIN, "password": kuma_server_lib.ADMIN_PASSWORD,
                "token_file": self.token_file, "timeout": 20}

    def run(self, module, args, check=False, diff=True, connection=True):
        full = self.connection() if connection else {}
        full.update(args)
        return run_ansible_module("ansible_collections.vigil.observability.plugins.modules.%s" % module,
                                  full, check_mode=check, diff=diff)

    def client(self):
        """A logged-in KumaClient (the caller closes it), for reading what the server stores."""
        from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import connect
        return connect(dict(self.connection(), token=None, totp=None, validate_certs=True, ca_path=None))


@pytest.fixture(scope="session")
def kuma_server():
    """One real Uptime Kuma 2.5.3 on loopback for the session, claimed by its admin."""
    try:
        server = kuma_server_lib.KumaServer().start()
    except kuma_server_lib.Unavailable as err:
        pytest.skip("real Uptime Kuma: %s" % err)
    from ansible_collections.vigil.observability.plugins.module_utils._kuma import KumaClient
    with KumaClient(server.url, timeout=20) as client:
        client.setup(kuma_server_lib.ADMIN, kuma_server_lib.ADMIN_PASSWORD)
    yield server
    server.stop()


@pytest.fixture
def kuma(kuma_server, tmp_path_factory):  # pylint: disable=redefined-outer-name
    """A KumaRunner on the session's server (the JWT kept in one token file: logins are rate limited)."""
    return KumaRunner(kuma_server, str(tmp_path_factory.getbasetemp() / "kuma-token"))
