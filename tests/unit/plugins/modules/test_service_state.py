# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._systemd import describe, parse_show, private_users_possible
from ansible_collections.vigil.observability.plugins.modules.service_state import must_reset


@pytest.mark.parametrize("status, expected", [
    ({"LoadState": "loaded", "ActiveState": "failed"}, True),
    ({"LoadState": "loaded", "ActiveState": "inactive"}, True),
    ({"LoadState": "loaded", "ActiveState": "activating"}, True),
    ({"LoadState": "loaded", "ActiveState": "active"}, False),
    ({"LoadState": "not-found", "ActiveState": "inactive"}, False),
    ({}, False),
])
def test_only_a_loaded_unit_that_is_not_active_is_cleared(status, expected):
    assert must_reset(status) is expected


def test_parse_show_keeps_the_asked_properties():
    text = "LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\nNRestarts=5\nMainPID=0\nOther=x\n"
    state = parse_show(text)
    assert state == {"LoadState": "loaded", "ActiveState": "failed", "SubState": "failed", "Result": "exit-code",
                     "NRestarts": "5", "MainPID": "0"}
    assert describe("node_exporter.service", state) == "node_exporter.service is failed/failed (result exit-code, 5 restarts)"


@pytest.mark.parametrize("cap_eff, expected", [
    ("000001ffffffffff", True),       # every capability (a privileged container, a host)
    ("00000000a80425fb", False),      # Docker's default set: no CAP_SYS_PTRACE
    ("0000000000080000", True),       # CAP_SYS_PTRACE alone (bit 19)
    ("zz", False),
])
def test_private_users_need_cap_sys_ptrace(cap_eff, expected):
    assert private_users_possible("Name:\tsystemd\nCapPrm:\t0\nCapEff:\t%s\n" % cap_eff) is expected


def test_private_users_without_a_status():
    assert private_users_possible("") is False
