# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure
from ansible_collections.vigil.observability.plugins.module_utils._systemd import (
    describe, not_active, parse_show, private_users_possible, running, serving, skip_unless_active,
)
from ansible_collections.vigil.observability.plugins.modules.service_state import must_reset, serves_now


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


RUNNING = {"ActiveState": "active", "SubState": "running", "MainPID": "812"}


def _answer(status):
    def probe():
        return status
    return probe


def _no_answer():
    raise ConnectionFailure("http://127.0.0.1:9100/", "connection refused")


def _must_not_ask():
    raise AssertionError("asked the endpoint of a unit that does not run")


@pytest.mark.parametrize("state, expected", [
    (RUNNING, True),
    ({"ActiveState": "active", "MainPID": "0"}, False),           # active without a process (a oneshot, exited)
    ({"ActiveState": "activating", "MainPID": "812"}, False),     # starting, or waiting to restart
    ({"ActiveState": "failed", "MainPID": "0"}, False),
    ({}, False),
])
def test_running_needs_an_active_unit_with_a_process(state, expected):
    assert running(state) is expected


@pytest.mark.parametrize("state, url, probe, expected", [
    (RUNNING, "http://127.0.0.1:9100/", _answer(200), True),
    (RUNNING, "http://127.0.0.1:9100/", _answer(503), False),
    (RUNNING, "http://127.0.0.1:9100/", _no_answer, False),
    (RUNNING, "", _must_not_ask, True),                        # no endpoint: the running unit is enough
    ({"ActiveState": "failed", "MainPID": "0"}, "http://127.0.0.1:9100/", _must_not_ask, False),
])
def test_serving_is_one_look_at_the_unit_and_its_endpoint(state, url, probe, expected):
    assert serving(state, url, [200], probe, ConnectionFailure) is expected


def test_serves_now_needs_the_stamp(tmp_path):
    stamp = tmp_path / "node_exporter"
    ok = _answer(200)
    assert serves_now(RUNNING, str(stamp), "http://127.0.0.1:9100/", [200], ok) is False
    stamp.write_text("")
    assert serves_now(RUNNING, str(stamp), "http://127.0.0.1:9100/", [200], ok) is True
    assert serves_now(RUNNING, None, "http://127.0.0.1:9100/", [200], ok) is True
    assert serves_now(RUNNING, str(stamp), "http://127.0.0.1:9100/", [200, 401], _answer(401)) is True
    assert serves_now({"ActiveState": "inactive"}, str(stamp), "", [200], _must_not_ask) is False


class _Module(object):
    """What not_active asks of an AnsibleModule: the systemctl path and one command."""

    def __init__(self, systemctl, out="", rc=0):
        self.systemctl, self.out, self.rc, self.commands = systemctl, out, rc, []

    def get_bin_path(self, name):
        return self.systemctl if name == "systemctl" else None

    def run_command(self, args):
        self.commands.append(args)
        return self.rc, self.out, "Failed to connect to bus" if self.rc else ""

    def fail_json(self, msg):
        raise AssertionError(msg)

    def exit_json(self, **result):
        raise SystemExit(result)


def test_an_active_unit_needs_no_reason():
    module = _Module("/bin/systemctl", "LoadState=loaded\nActiveState=active\nSubState=running\n")
    assert not_active(module, "alertmanager.service") is None
    assert module.commands == [["/bin/systemctl", "show", "-p", "LoadState,ActiveState,SubState", "alertmanager.service"]]


@pytest.mark.parametrize("out, message", [
    ("LoadState=not-found\nActiveState=inactive\nSubState=dead\n", "alertmanager.service is inactive/dead (not-found) on this host"),
    ("LoadState=loaded\nActiveState=failed\nSubState=failed\n", "alertmanager.service is failed/failed (loaded) on this host"),
    ("LoadState=loaded\nActiveState=activating\nSubState=start\n", "alertmanager.service is activating/start (loaded)"),
])
def test_a_unit_that_is_not_active_says_why(out, message):
    reason = not_active(_Module("/bin/systemctl", out), "alertmanager.service")
    assert message in reason and "nothing was sent" in reason


def test_without_systemctl_the_unit_does_not_run():
    assert "has no systemctl" in not_active(_Module(None), "uptime-kuma.service")


def test_systemctl_that_cannot_answer_fails_naming_the_unit():
    with pytest.raises(AssertionError, match="uptime-kuma.service: systemctl show failed: Failed to connect to bus"):
        not_active(_Module("/bin/systemctl", rc=1), "uptime-kuma.service")


def test_skip_unless_active_ends_the_module_only_for_a_unit_that_does_not_run():
    inactive = _Module("/bin/systemctl", "LoadState=not-found\nActiveState=inactive\nSubState=dead\n")
    with pytest.raises(SystemExit) as ended:
        skip_unless_active(inactive, "uptime-kuma.service", maintenance=None, action=None)
    result = ended.value.args[0]
    assert result["skipped"] is True and result["changed"] is False and result["maintenance"] is None
    assert result["msg"].startswith("uptime-kuma.service is inactive/dead (not-found) on this host")
    active = _Module("/bin/systemctl", "LoadState=loaded\nActiveState=active\nSubState=running\n")
    assert skip_unless_active(active, "uptime-kuma.service") is None and len(active.commands) == 1
    no_unit = _Module("/bin/systemctl")
    assert skip_unless_active(no_unit, None) is None and no_unit.commands == []
