# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_grafana_health: the wait is bounded by wait_timeout on a fake clock; what is waited out, what is not."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils import _grafana_health
from ansible_collections.vigil.observability.plugins.module_utils._client import GrafanaClient
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError
from ansible_collections.vigil.observability.plugins.module_utils._http import Response


class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def client_answering(answers, clock):
    """A client whose transport gives ``answers`` in turn (the last one forever)."""
    seen = []

    def transport(method, url, **_):
        seen.append((method, url))
        return answers[min(len(seen), len(answers)) - 1]

    client = GrafanaClient("http://grafana:3000", transport=transport, sleep=clock.sleep, retries=3)
    return client, seen


OK = Response(200, {}, b'{"database": "ok", "version": "12.2.0"}')
FAILING = Response(503, {}, b'{"database": "failing"}')


def test_waits_until_healthy_one_request_per_attempt():
    clock = Clock()
    client, seen = client_answering([Response(502, {}, b""), FAILING, OK], clock)
    result = _grafana_health.wait_until_healthy(client, 120, 2, clock=clock)
    assert result == {"healthy": True, "health": {"database": "ok", "version": "12.2.0"}, "problem": None,
                      "attempts": 3, "waited": 4.0}
    assert seen == [("GET", "http://grafana:3000/api/health")] * 3
    assert client.retries == 3  # restored after the wait


@pytest.mark.parametrize("timeout,delay,attempts", [(0, 2, 1), (1, 2, 1), (10, 2, 6), (120, 2, 61), (5, 0.5, 11)])
def test_bounded_by_wait_timeout(timeout, delay, attempts):
    clock = Clock()
    client, seen = client_answering([FAILING], clock)
    result = _grafana_health.wait_until_healthy(client, timeout, delay, clock=clock)
    assert not result["healthy"] and result["attempts"] == attempts == len(seen)
    assert result["waited"] <= timeout and result["problem"] == "the database is failing (HTTP 503)"
    assert _grafana_health.not_healthy_message(client, result) == (
        "Grafana at http://grafana:3000 is not healthy after %d attempt%s in %.0f seconds: the database is failing (HTTP 503)"
        % (attempts, "" if attempts == 1 else "s", result["waited"]))


def test_answers_that_waiting_cannot_fix_are_raised_at_once():
    clock = Clock()
    client, seen = client_answering([Response(404, {}, b'{"message": "Not found"}')], clock)
    with pytest.raises(ApiError) as err:
        _grafana_health.wait_until_healthy(client, 120, 2, clock=clock)
    assert err.value.status == 404 and len(seen) == 1 and client.retries == 3


def test_a_page_that_is_not_grafanas_is_waited_out():
    clock = Clock()
    client, seen = client_answering([Response(200, {}, b"<html>starting</html>"), OK], clock)
    result = _grafana_health.wait_until_healthy(client, 10, 1, clock=clock)
    assert result["healthy"] and result["attempts"] == 2 == len(seen)
    client, seen = client_answering([Response(200, {}, b"<html>starting</html>")], clock)
    result = _grafana_health.wait_until_healthy(client, 0, 1, clock=clock)
    assert len(seen) == 1 and result["problem"] == "http://grafana:3000/api/health answered '<html>starting</html>', not Grafana's health document"
