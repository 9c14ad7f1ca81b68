# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_admin against a REAL, unclaimed Uptime Kuma 2.5.3 (its own server: a claim is one-way)."""

from __future__ import annotations

import json
import os

import pytest

import kuma_server
from module_runner import run_ansible_module

MODULE = "ansible_collections.vigil.observability.plugins.modules.uptime_kuma_admin"
FIRST = "Vigil-First-Passw0rd-2026"
SECOND = "Vigil-Second-Passw0rd-2026"


@pytest.fixture(scope="module")
def fresh_server():
    try:
        server = kuma_server.KumaServer().start()
    except kuma_server.Unavailable as err:
        pytest.skip("real Uptime Kuma: %s" % err)
    yield server
    server.stop()


def admin(server, tmp_path, check=False, **args):
    full = {"url": server.url, "username": "admin", "password": FIRST, "token_file": str(tmp_path / "token"), "wait": 5}
    full.update(args)
    return run_ansible_module(MODULE, full, check_mode=check)


def test_claim_login_rotate_and_errors(fresh_server, tmp_path):
    # Check mode on an unclaimed server: would claim, writes nothing.
    result = admin(fresh_server, tmp_path, check=True)
    assert result["changed"] and result["action"] == "claimed"
    assert result["requests"]["writes"] == 0

    # Weak passwords and placeholders are refused before anything is sent (Uptime Kuma's own
    # check lets "short1" through).
    for weak, reason in (("short1", "too short"), ("change-me", "placeholder"), ("aaaaaaaaaaaaaaa", "digit")):
        result = admin(fresh_server, tmp_path, password=weak)
        assert result["failed"] and reason in result["msg"] and "exception" not in result

    result = admin(fresh_server, tmp_path)
    assert result["changed"] and result["action"] == "claimed" and result["version"] == kuma_server.VERSION
    assert oct(os.stat(tmp_path / "token").st_mode & 0o777) == "0o600"

    # The re-run logs in and changes nothing, no write.
    result = admin(fresh_server, tmp_path)
    assert not result["changed"] and result["action"] == "none"
    assert result["requests"]["writes"] == 0 and result["requests"]["logins"] == 1

    # A changed password without the previous one: a clear error, nothing changed.
    result = admin(fresh_server, tmp_path, password=SECOND)
    assert result["failed"] and "previous_password" in result["msg"] and "exception" not in result
    assert "\n" not in result["msg"]

    # Rotation: check mode first, then for real; the old password no longer works afterwards.
    result = admin(fresh_server, tmp_path, check=True, password=SECOND, previous_password=FIRST)
    assert result["changed"] and result["action"] == "rotated" and result["requests"]["writes"] == 0
    result = admin(fresh_server, tmp_path, password=SECOND, previous_password=FIRST)
    assert result["changed"] and result["action"] == "rotated" and result["requests"]["writes"] == 1
    result = admin(fresh_server, tmp_path, password=SECOND, previous_password=FIRST)
    assert not result["changed"] and result["action"] == "none"
    result = admin(fresh_server, tmp_path, password=FIRST)
    assert result["failed"]

    # Neither password right.
    result = admin(fresh_server, tmp_path, password="Vigil-Wrong-Passw0rd-1", previous_password="Vigil-Wrong-Passw0rd-2")
    assert result["failed"] and "both" in result["msg"]

    # No secret in any result.
    for text in (FIRST, SECOND):
        assert text not in json.dumps(result)
