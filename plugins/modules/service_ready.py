# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: service_ready
short_description: Wait until a systemd unit serves, and fail at once when systemd gave up on it
version_added: 0.2.0
description:
  - Polls the unit's state (C(systemctl show)) and, with O(url), its ready endpoint, until the endpoint
    answers with one of O(status_code), or, without O(url), until the unit has stayed active with the same
    process for O(settle) seconds.
  - Fails as soon as the unit is C(failed) (a crash loop reached its C(StartLimitBurst), or the process
    exited with an error and is not restarted), instead of polling the endpoint until O(timeout). The
    collection's units give up after 5 starts within 120 seconds.
  - Fails after O(timeout) seconds without an answer, naming the URL, the last error and the unit's state.
  - With O(main_pid), fails when another process runs the unit (a service that exited on a reloaded
    configuration and was restarted by systemd).
  - After a reload (O(reload_metric) or O(reload_settle) given), first waits O(reload_settle) seconds (the services
    that exit on a configuration they reject), then polls O(metrics_url) until the O(reload_timestamp_metric) passed
    O(reload_time_before) or the O(reload_metric) gauge reads 0 three times, and fails when the gauge is not 1 or the
    time did not advance (Prometheus and Alertmanager keep running the previous configuration when they reject one).
  - With O(stamp), records a passed check in that file, created when missing, its time set to now with
    O(stamp_touch); bookkeeping of the check, not a change of the host.
  - The collection's roles use it after their handlers ran (the internal role C(_artifact), C(ready.yml)).
    Reads only, apart from the stamp and O(remove); never reports a change.
author:
  - vigil.observability maintainers (@vigil)
options:
  url:
    description: The ready endpoint; empty to check the unit alone.
    type: str
    default: ""
  status_code:
    description: Answers that count as ready.
    type: list
    elements: int
    default: [200]
  timeout:
    description: Seconds to wait in all.
    type: int
    default: 60
  interval:
    description: Seconds between two polls.
    type: float
    default: 1.0
  settle:
    description: Without O(url), the seconds the unit must stay active with the same process.
    type: int
    default: 3
  main_pid:
    description: The process that must still run the unit (after a reload); 0 for any.
    type: int
    default: 0
  stamp:
    description: File that records a passed check (its directory is created); empty for none.
    type: path
  stamp_touch:
    description: Set the time of O(stamp) to now even when it exists.
    type: bool
    default: false
  metrics_url:
    description: The service's /metrics page, read with the credentials of O(url) after a reload.
    type: str
    default: ""
  reload_metric:
    description: The gauge that is 1 when the last reload succeeded; empty when the service has none or was not reloaded.
    type: str
    default: ""
  reload_timestamp_metric:
    description: The time of the last successful reload (seconds since the epoch).
    type: str
    default: ""
  reload_time_before:
    description: The value of O(reload_timestamp_metric) before the reload.
    type: float
    default: 0
  reload_settle:
    description: Seconds to wait after a reload before the checks; 0 when the service was not reloaded.
    type: int
    default: 0
  remove:
    description:
      - Files to delete once every check passed (the copies kept to put back on a failure); not in check mode.
      - The collection's roles give the configuration and unit files a run replaced and kept.
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - vigil.observability._service_endpoint
  - vigil.observability._read_only
"""

EXAMPLES = r"""
- name: Wait until Prometheus is ready
  vigil.observability.service_ready:
    unit: prometheus.service
    url: http://127.0.0.1:9090/-/ready
    timeout: 60

- name: Wait until Telegraf stays up (it has no endpoint)
  vigil.observability.service_ready:
    unit: telegraf.service
    settle: 3
"""

RETURN = r"""
status:
  description: The HTTP status of the last answer; absent without O(url) or without an answer.
  returned: when the endpoint answered
  type: int
  sample: 200
unit_state:
  description: The unit's C(ActiveState), C(SubState), C(Result), C(NRestarts) and C(MainPID) at the end.
  returned: always
  type: dict
  sample: {ActiveState: active, SubState: running, Result: success, NRestarts: "0", MainPID: "812"}
elapsed:
  description: Seconds waited.
  returned: always
  type: float
attempts:
  description: Polls made.
  returned: always
  type: int
ready:
  description: Whether the unit was found ready (false with a failure).
  returned: always
  type: bool
stamp_written:
  description: Whether O(stamp) was created or its time set.
  returned: always
  type: bool
reload:
  description: After a reload, the O(reload_metric) gauge and the O(reload_timestamp_metric) read last.
  returned: with O(reload_metric)
  type: dict
  sample: {successful: 1.0, time: 1765000000.0, time_before: 1764990000.0, polls: 1}
removed:
  description: The files of O(remove) that were deleted.
  returned: always
  type: list
  elements: str
"""

import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure
from ansible_collections.vigil.observability.plugins.module_utils._http import basic_auth, request, text_or_empty
from ansible_collections.vigil.observability.plugins.module_utils._metrics import metric_first, metric_sum
from ansible_collections.vigil.observability.plugins.module_utils._systemd import describe, running, show


def wait_ready(unit, read_state, probe, url, status_codes, timeout, interval, settle, clock=time.monotonic, sleep=time.sleep,
               main_pid=0):
    """Poll until ready; returns (ok, message, result).

    ``read_state()`` returns the unit's properties; ``probe()`` returns an HTTP status or raises
    ``ConnectionFailure``. A unit that is ``failed``, or (with ``main_pid``) run by another
    process, ends the wait at once.
    """
    start = clock()
    attempts = 0
    last = "no answer yet"
    status = None
    active_since = None
    pid = None
    while True:
        attempts += 1
        state = read_state()
        elapsed = clock() - start
        result = {"unit_state": state, "elapsed": round(elapsed, 1), "attempts": attempts}
        if state.get("ActiveState") == "failed":
            return False, "%s: systemd gave up on it before it was ready (%s)" % (describe(unit, state), last), result
        if main_pid and state.get("MainPID") != str(main_pid):
            return False, ("%s: its process was replaced during the reload: it exited on the reloaded configuration "
                           "(PID %s before, %s now)" % (describe(unit, state), main_pid, state.get("MainPID", "?"))), result
        if url:
            try:
                status = probe()
                result["status"] = status
                if status in status_codes:
                    return True, "", result
                last = "%s answered HTTP %s" % (url, status)
            except ConnectionFailure as err:
                last = "%s: %s" % (url, err.reason)
        else:
            if running(state):
                if active_since is None or state.get("MainPID") != pid:
                    active_since, pid = clock(), state.get("MainPID")
                if clock() - active_since >= settle:
                    return True, "", result
                last = "active for %.0f of %d seconds" % (clock() - active_since, settle)
            else:
                active_since = None
                last = "not running"
        if clock() - start + interval > timeout:
            return False, "%s: not ready within %d seconds (%s)" % (describe(unit, state), timeout, last), result
        sleep(interval)


def wait_reload(unit, fetch, metric, timestamp_metric, time_before, polls=15, interval=1.0, sleep=time.sleep):
    """After a reload, poll the metrics page until the reload time passed ``time_before``, or the
    success gauge read 0 three times; returns (ok, message, detail).

    ``fetch()`` returns the text of the page ('' when it does not answer). The gauge is NaN while
    the page does not have it."""
    successful, when, attempt = float("nan"), 0.0, 0
    for attempt in range(1, polls + 1):
        text = fetch()
        successful, when = metric_first(text, metric), metric_sum(text, timestamp_metric)
        if when > time_before or (successful == 0 and attempt >= 3):
            break
        if attempt < polls:
            sleep(interval)
    detail = {"successful": successful, "time": when, "time_before": time_before, "polls": attempt}
    if successful == 1 and when > time_before:
        return True, "", detail
    return False, ("%s rejected the reloaded configuration (it runs the previous one, or, as Prometheus does when a rule "
                   "file fails, the parts it could apply) (%s is %s, %s %s)" % (
                       unit, metric, successful, timestamp_metric,
                       "advanced" if when > time_before else "did not advance")), detail


def remove_files(paths):
    """Delete the files that exist; the ones deleted."""
    removed = []
    for path in paths:
        try:
            os.unlink(path)
            removed.append(path)
        except FileNotFoundError:
            continue
    return removed


def write_stamp(path, touch):
    """Create the stamp (and its directory) when missing; with ``touch``, set its time to now."""
    if os.path.exists(path) and not touch:
        return False
    directory = os.path.dirname(path)
    if directory and not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    with open(path, "a"):
        os.utime(path, None)
    os.chmod(path, 0o644)
    return True


def main():
    module = AnsibleModule(
        argument_spec=dict(
            unit=dict(type="str", required=True),
            url=dict(type="str", default=""),
            status_code=dict(type="list", elements="int", default=[200]),
            validate_certs=dict(type="bool", default=True),
            url_username=dict(type="str", default=""),
            url_password=dict(type="str", default="", no_log=True),
            client_cert=dict(type="path"),
            client_key=dict(type="path", no_log=False),
            timeout=dict(type="int", default=60),
            interval=dict(type="float", default=1.0),
            settle=dict(type="int", default=3),
            main_pid=dict(type="int", default=0),
            stamp=dict(type="path"),
            stamp_touch=dict(type="bool", default=False),
            metrics_url=dict(type="str", default=""),
            reload_metric=dict(type="str", default=""),
            reload_timestamp_metric=dict(type="str", default=""),
            reload_time_before=dict(type="float", default=0),
            reload_settle=dict(type="int", default=0),
            remove=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    unit = params["unit"]
    systemctl = module.get_bin_path("systemctl", required=True)
    headers = basic_auth(params["url_username"], params["url_password"])

    def read_state():
        return show(module, systemctl, unit)

    def get(url):
        return request("GET", url, headers=headers, timeout=max(1, min(5, params["timeout"])),
                       validate_certs=params["validate_certs"], client_cert=params["client_cert"],
                       client_key=params["client_key"])

    def probe():
        return get(params["url"]).status

    def fetch_metrics():
        return text_or_empty(params["metrics_url"], headers=headers, timeout=max(1, min(5, params["timeout"])),
                             validate_certs=params["validate_certs"], client_cert=params["client_cert"],
                             client_key=params["client_key"])

    extra = {}
    if params["reload_settle"] > 0:
        time.sleep(params["reload_settle"])
    if params["reload_metric"]:
        ok, message, extra["reload"] = wait_reload(unit, fetch_metrics, params["reload_metric"], params["reload_timestamp_metric"],
                                                   params["reload_time_before"])
        if not ok:
            module.fail_json(msg=message, changed=False, ready=False, stamp_written=False, removed=[], **extra)
    ok, message, result = wait_ready(unit, read_state, probe, params["url"], params["status_code"], params["timeout"],
                                     params["interval"], params["settle"], main_pid=params["main_pid"])
    result.update(extra)
    if not ok:
        module.fail_json(msg=message, changed=False, ready=False, stamp_written=False, removed=[], **result)
    written, removed = False, []
    if not module.check_mode:
        try:
            if params["stamp"]:
                written = write_stamp(params["stamp"], params["stamp_touch"])
            removed = remove_files(params["remove"])
        except OSError as err:
            module.fail_json(msg="%s is ready, but %s: %s" % (unit, "its stamp or kept copies could not be written or removed",
                                                              err), **result)
    module.exit_json(changed=False, ready=True, stamp_written=written, removed=removed, **result)


if __name__ == "__main__":
    main()
