# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for Grafana: a bounded loop over ``GET /api/health``, written once for the modules
that need a healthy server before they act (grafana_health, grafana_provisioning).

Grafana answers ``/api/health`` without authentication: 200 with ``"database": "ok"`` when it
can serve, 503 with ``"database": "failing"`` when its database probe fails. While it starts,
the port refuses connections or a proxy in front answers 502/503/504; all of these are waited
out. Any other answer (404: wrong URL or sub-path, 401/403 from a proxy) fails at once, since
waiting would not change it.
"""

from __future__ import annotations

import time

from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ConnectionFailure, ValidationError

HEALTH_PATH = "/api/health"


def probe(client):
    """One ``GET /api/health``: ``(health document or None, problem or None)``.

    The problem is None exactly when Grafana is healthy. Answers worth waiting for become a
    problem; any other error is raised.
    """
    try:
        health = client.request("GET", HEALTH_PATH)
    except ConnectionFailure as err:
        return None, str(err)
    except ApiError as err:
        if isinstance(err.body, dict) and "database" in err.body:
            return err.body, "the database is %s (HTTP %s)" % (err.body.get("database"), err.status)
        if err.status >= 500 or err.status == 429:
            return None, str(err)
        raise
    if not isinstance(health, dict):
        return None, "%s%s answered %r, not Grafana's health document" % (client.url, HEALTH_PATH, str(health)[:80])
    if health.get("database") != "ok":
        return health, "the database is %r" % (health.get("database"),)
    return health, None


# The wait's options (documented by the _grafana.wait doc fragment).
WAIT_SPEC = dict(
    wait_timeout=dict(type="int", default=120),
    delay=dict(type="float", default=2),
)


def check_wait(params):
    """Refuse a negative wait (the options of WAIT_SPEC), before anything is sent."""
    if params["wait_timeout"] < 0 or params["delay"] < 0:
        raise ValidationError("wait_timeout and delay must be 0 or more, got %s and %s" % (params["wait_timeout"], params["delay"]))


def wait_until_healthy(client, wait_timeout, delay, clock=time.monotonic):
    """Probe until Grafana is healthy or ``wait_timeout`` seconds have passed (0: one probe).

    Returns ``{"healthy", "health", "problem", "attempts", "waited"}``; ``problem`` is the last
    reason it was not healthy. The client's own retries are off meanwhile: this loop is the retry.
    """
    start = clock()
    deadline = start + max(0, wait_timeout)
    delay = max(0.0, float(delay))
    saved, client.retries = client.retries, 0
    attempts = 0
    try:
        while True:
            attempts += 1
            health, problem = probe(client)
            if problem is None or clock() + delay > deadline:
                return {"healthy": problem is None, "health": health, "problem": problem, "attempts": attempts,
                        "waited": round(clock() - start, 1)}
            client.sleep(delay)
    finally:
        client.retries = saved


def not_healthy_message(client, result):
    """One line: why Grafana at the client's URL is not healthy after a wait."""
    return "Grafana at %s is not healthy after %d attempt%s in %.0f seconds: %s" % (
        client.url, result["attempts"], "" if result["attempts"] == 1 else "s", result["waited"], result["problem"])
