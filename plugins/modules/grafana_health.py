# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_health
short_description: Wait until Grafana is healthy and check the health of its data sources
version_added: 0.1.0
description:
  - Asks Grafana's C(/api/health) until it answers with a working database, for at most
    O(wait_timeout) seconds, for example after Grafana was (re)started.
  - Then, with O(datasources), asks Grafana to run the health check of each of these data sources
    (what the B(Test) button of a data source does) and returns one result per uid.
  - A data source that fails its check fails the task with one line naming it, or, with
    O(datasource_failure=warn), becomes a warning.
  - Reads only; never reports a change.
author:
  - vigil.observability maintainers (@vigil)
options:
  fail_on_timeout:
    description:
      - Fail when Grafana is not healthy within O(wait_timeout).
      - With V(false) the module returns RV(healthy=false) and the last reason in RV(problem)
        instead, for example to skip API tasks in check mode on a host where Grafana is not running yet.
    type: bool
    default: true
  datasources:
    description:
      - Uids of the data sources whose health Grafana should check, once Grafana is healthy.
      - A data source that does not exist counts as failing.
    type: list
    elements: str
    default: []
  datasource_failure:
    description:
      - What a data source that fails its health check does to the task.
      - V(fail) fails it with one line naming every failing data source and Grafana's reason;
        V(warn) returns normally with the same line as a warning.
    type: str
    choices: [fail, warn]
    default: fail
extends_documentation_fragment:
  - vigil.observability._read_only
  - vigil.observability._grafana
  - vigil.observability._grafana.wait
  - vigil.observability._transport
notes:
  - C(/api/health) needs no credentials; O(datasources) needs a user or token allowed to query them
    (a Viewer is enough). HTTP 401 and 403 on a data source check fail the task whatever O(datasource_failure) says.
seealso:
  - module: vigil.observability.grafana_provisioning
  - module: vigil.observability.grafana_datasource
"""

EXAMPLES = r"""
- name: Wait up to two minutes for a (re)started Grafana
  vigil.observability.grafana_health:
    url: http://127.0.0.1:3000

- name: Check the data sources, warn about the failing ones
  vigil.observability.grafana_health:
    url: http://127.0.0.1:3000
    username: admin
    password: "{{ grafana_admin_password }}"
    datasources: [vigil-prometheus, vigil-loki]
    datasource_failure: warn
  register: health

- name: In check mode on a blank host, ask once and carry on
  vigil.observability.grafana_health:
    url: http://127.0.0.1:3000
    wait_timeout: "{{ 0 if ansible_check_mode else 120 }}"
    fail_on_timeout: "{{ not ansible_check_mode }}"
  register: grafana_up
"""

RETURN = r"""
healthy:
  description: Whether Grafana answered C(/api/health) with a working database.
  returned: always
  type: bool
  sample: true
health:
  description: Grafana's last answer to C(/api/health); null when there was none.
  returned: always
  type: dict
  sample: {"database": "ok", "version": "12.2.0", "commit": "d5ad1c4"}
problem:
  description: Why Grafana is not healthy (the last failed attempt); null when it is.
  returned: always
  type: str
  sample: "cannot reach http://127.0.0.1:3000/api/health: [Errno 111] Connection refused"
attempts:
  description: How many times C(/api/health) was asked.
  returned: always
  type: int
  sample: 1
waited:
  description: Seconds spent waiting for Grafana.
  returned: always
  type: float
  sample: 0.0
datasources:
  description:
    - One entry per uid of O(datasources), as Grafana's health check answered; empty when Grafana is not healthy.
    - C(status) is Grafana's (V(OK), V(ERROR)), C(http_status) the HTTP status of the answer.
  returned: always
  type: dict
  sample: {"vigil-loki": {"uid": "vigil-loki", "name": "Loki", "healthy": false, "status": "ERROR", "http_status": 400,
           "message": "Unable to connect with Loki. Please check the server logs for more details."}}
unhealthy_datasources:
  description: Uids of the data sources that failed their health check, in the order of O(datasources).
  returned: always
  type: list
  elements: str
  sample: ["vigil-loki"]
"""

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_health, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError


def one_line(text):
    return re.sub(r"\s+", " ", str(text or "")).strip()


def check_datasource(client, uid):
    """Grafana's health check of one data source, as a result entry."""
    path = "/api/datasources/uid/" + quote_segment(uid)
    try:
        found = client.get(path)
    except ApiError as err:
        raise err.with_context("data source %r could not be read" % uid)
    if found is None:
        return {"uid": uid, "name": uid, "healthy": False, "status": None, "http_status": 404,
                "message": "no data source with this uid"}
    name = found.get("name") or uid
    try:
        answer, http_status = client.get(path + "/health", missing_ok=False), 200
    except ApiError as err:
        if err.status in (401, 403):
            raise err.with_context("the health of data source %r could not be checked" % name)
        answer, http_status = err.body, err.status
    answer = answer if isinstance(answer, dict) else {}
    message = one_line(answer.get("message")) or "HTTP %d" % http_status
    return {"uid": uid, "name": name, "healthy": http_status == 200, "status": answer.get("status"),
            "http_status": http_status, "message": message}


def failure_line(failing):
    """The role's wording: who failed, and Grafana's reason for each."""
    return "%s did not pass Grafana's health check (%s)" % (
        ", ".join(r["name"] for r in failing), "; ".join("%s: %s" % (r["name"], r["message"]) for r in failing))


def main():
    spec = dict(_args.GRAFANA_CONNECTION)
    spec.update(_grafana_health.WAIT_SPEC)
    module = AnsibleModule(**_args.module_kwargs(dict(
        spec,
        fail_on_timeout=dict(type="bool", default=True),
        datasources=dict(type="list", elements="str", default=[]),
        datasource_failure=dict(type="str", choices=["fail", "warn"], default="fail"),
    )))

    def work():
        params = module.params
        _grafana_health.check_wait(params)
        uids = [_args.validate_uid(uid, "datasources entry") for uid in params["datasources"]]
        client = _client.GrafanaClient.from_module(module)
        result = _grafana_health.wait_until_healthy(client, params["wait_timeout"], params["delay"])
        if not result["healthy"] and params["fail_on_timeout"]:
            module.fail_json(msg=_grafana_health.not_healthy_message(client, result), **result)
        checked = [check_datasource(client, uid) for uid in uids] if result["healthy"] else []
        failing = [r for r in checked if not r["healthy"]]
        out = dict(result, changed=False, datasources=dict((r["uid"], r) for r in checked),
                   unhealthy_datasources=[r["uid"] for r in failing])
        if failing:
            if params["datasource_failure"] == "fail":
                module.fail_json(msg=failure_line(failing) + ".", **out)
            module.warn(failure_line(failing) + "; dashboards using them stay empty until the service answers.")
        return out

    _resource.run(module, work)


if __name__ == "__main__":
    main()
