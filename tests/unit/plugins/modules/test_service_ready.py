# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import os

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure
from ansible_collections.vigil.observability.plugins.module_utils._systemd import parse_show
from ansible_collections.vigil.observability.plugins.modules.service_ready import remove_files, wait_ready, wait_reload, write_stamp

URL = "http://127.0.0.1:9090/-/ready"


class Clock:
    """A clock that only moves when the wait sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = 0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps += 1
        self.now += seconds


def states(*sequence):
    """read_state() answering each state in turn, then the last one again."""
    items = list(sequence)

    def read():
        return dict(items.pop(0) if len(items) > 1 else items[0])
    return read


def probes(*answers):
    """probe() answering each status (an int) or failure (a str) in turn, then the last one."""
    items = list(answers)

    def probe():
        answer = items.pop(0) if len(items) > 1 else items[0]
        if isinstance(answer, str):
            raise ConnectionFailure(URL, answer)
        return answer
    return probe


ACTIVE = {"ActiveState": "active", "SubState": "running", "Result": "success", "NRestarts": "0", "MainPID": "812"}
RESTARTING = {"ActiveState": "activating", "SubState": "auto-restart", "Result": "exit-code", "NRestarts": "2", "MainPID": "0"}
FAILED = {"ActiveState": "failed", "SubState": "failed", "Result": "exit-code", "NRestarts": "4", "MainPID": "0"}


def wait(read_state, probe, url=URL, timeout=60, settle=3, codes=(200,), main_pid=0):
    clock = Clock()
    ok, message, result = wait_ready("prometheus.service", read_state, probe, url, list(codes), timeout, 1.0, settle,
                                     clock=clock, sleep=clock.sleep, main_pid=main_pid)
    return ok, message, result, clock


def test_parse_show_keeps_the_asked_properties():
    text = "ActiveState=active\nSubState=running\nResult=success\nNRestarts=0\nMainPID=812\nOther=x\nnot a line\n"
    assert parse_show(text) == ACTIVE
    assert parse_show("") == {}


def test_ready_once_the_endpoint_answers():
    ok, message, result, clock = wait(states(RESTARTING, ACTIVE), probes("connection refused", 503, 200))
    assert ok and message == ""
    assert result["status"] == 200 and result["attempts"] == 3 and clock.sleeps == 2


def test_a_unit_systemd_gave_up_on_fails_at_once():
    ok, message, result, clock = wait(states(RESTARTING, RESTARTING, FAILED), probes("connection refused"))
    assert not ok
    assert clock.sleeps == 2  # not the whole timeout
    assert message.startswith("prometheus.service is failed/failed (result exit-code, 4 restarts): systemd gave up on it")
    assert "connection refused" in message
    assert result["unit_state"]["ActiveState"] == "failed"


def test_no_answer_within_the_timeout_names_the_url_and_the_last_answer():
    ok, message, result, clock = wait(states(ACTIVE), probes(503), timeout=5)
    assert not ok
    assert message == ("prometheus.service is active/running (result success, 0 restarts): not ready within 5 seconds "
                       "(%s answered HTTP 503)" % URL)
    assert clock.now - 100.0 <= 5
    assert result["status"] == 503


def test_other_answers_can_count_as_ready():
    ok, _message, result, _clock = wait(states(ACTIVE), probes(302), codes=(200, 302))
    assert ok and result["status"] == 302


def test_without_url_the_same_process_must_stay_up():
    restarted = dict(ACTIVE, MainPID="900")
    ok, _message, result, clock = wait(states(ACTIVE, restarted, restarted, restarted, restarted), probes(200), url="", settle=3)
    assert ok
    assert "status" not in result
    # The new process counts from when it was seen: three more polls.
    assert clock.sleeps == 4


def test_without_url_a_unit_that_keeps_restarting_is_not_ready():
    ok, message, _result, _clock = wait(states(ACTIVE, RESTARTING), probes(200), url="", settle=3, timeout=6)
    assert not ok
    assert message.endswith("not ready within 6 seconds (not running)")


def test_without_url_a_failed_unit_fails_at_once():
    ok, message, _result, clock = wait(states(FAILED), probes(200), url="")
    assert not ok and clock.sleeps == 0
    assert "systemd gave up on it" in message


def test_another_process_after_a_reload_fails_at_once():
    ok, message, _result, clock = wait(states(dict(ACTIVE, MainPID="901")), probes(200), main_pid=812)
    assert not ok and clock.sleeps == 0
    assert message.endswith("its process was replaced during the reload: it exited on the reloaded configuration (PID 812 before, 901 now)")


def test_the_same_process_after_a_reload_is_ready():
    ok, _message, _result, _clock = wait(states(ACTIVE), probes(200), main_pid=812)
    assert ok


def test_stamp_created_once_then_touched_on_request(tmp_path):
    stamp = tmp_path / "applied" / "prometheus"
    assert write_stamp(str(stamp), touch=False)
    assert stamp.exists() and oct(stamp.stat().st_mode & 0o777) == "0o644"
    os.utime(stamp, (1000, 1000))
    assert not write_stamp(str(stamp), touch=False)
    assert stamp.stat().st_mtime == 1000
    assert write_stamp(str(stamp), touch=True)
    assert stamp.stat().st_mtime > 1000


# After a reload: the reload metrics of Prometheus and Alertmanager.
GAUGE = "prometheus_config_last_reload_successful"
STAMP = "prometheus_config_last_reload_success_timestamp_seconds"


def pages(*texts):
    """fetch() answering each page in turn, then the last one again."""
    items = list(texts)

    def fetch():
        return items.pop(0) if len(items) > 1 else items[0]
    return fetch


def page(successful, when):
    return "# TYPE %s gauge\n%s %s\n%s %s\n" % (GAUGE, GAUGE, successful, STAMP, when)


def reload_wait(fetch, before=100.0):
    clock = Clock()
    ok, message, detail = wait_reload("prometheus.service", fetch, GAUGE, STAMP, before, sleep=clock.sleep)
    return ok, message, detail, clock


def test_reload_taken_once_the_time_advances():
    ok, message, detail, clock = reload_wait(pages(page(1, 100), page(1, 100), page(1, 160)))
    assert ok and message == ""
    assert detail == {"successful": 1.0, "time": 160.0, "time_before": 100.0, "polls": 3}
    assert clock.sleeps == 2


def test_rejected_reload_ends_after_three_zero_gauges():
    ok, message, detail, clock = reload_wait(pages(page(0, 100)))
    assert not ok and detail["polls"] == 3 and clock.sleeps == 2
    assert message.startswith("prometheus.service rejected the reloaded configuration")
    assert "(%s is 0.0, %s did not advance)" % (GAUGE, STAMP) in message


def test_reload_never_reported_fails_after_fifteen_polls():
    ok, message, detail, clock = reload_wait(pages(""))
    assert not ok and detail["polls"] == 15 and clock.sleeps == 14
    assert "%s is nan" % GAUGE in message


def test_advanced_time_with_a_failed_gauge_is_a_rejection():
    ok, message, _detail, _clock = reload_wait(pages(page(0, 200)))
    assert not ok and "%s advanced" % STAMP in message


def test_remove_files_skips_the_missing(tmp_path):
    kept = tmp_path / "prometheus.yml.1.2026~"
    kept.write_text("x")
    assert remove_files([str(kept), str(tmp_path / "gone")]) == [str(kept)]
    assert not kept.exists()
