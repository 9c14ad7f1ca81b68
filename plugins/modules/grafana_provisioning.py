# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_provisioning
short_description: Make Grafana re-read its provisioning files
version_added: 0.1.0
description:
  - Asks Grafana to re-read the provisioning files of the given kinds (C(POST /api/admin/provisioning/<kind>/reload)),
    so a changed data source, dashboard or alerting file applies without a restart.
  - Waits first, for at most O(wait_timeout) seconds, until Grafana answers C(/api/health) with a
    working database, because a reload is typically asked for right after a restart.
  - A reload is an action, not a state, so every run with a non-empty O(reload) reports a change.
    Call it from a handler notified by the task that writes the files.
author:
  - vigil.observability maintainers (@vigil)
options:
  reload:
    description:
      - The kinds of provisioning files to re-read, in this order.
    type: list
    elements: str
    choices: [datasources, dashboards, alerting]
    required: true
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._grafana.wait
  - vigil.observability._transport
attributes:
  check_mode:
    description: No request at all is sent in check mode (nothing is waited for); C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: A reload has no before and after.
    support: none
notes:
  - Needs a Grafana server administrator (the C(admin) user with basic authentication); a
    service-account token is refused with HTTP 403.
  - Grafana answers HTTP 500 with its reason when a file cannot be applied; the task fails with that reason.
seealso:
  - module: vigil.observability.grafana_health
"""

EXAMPLES = r"""
# handlers/main.yml
- name: Reload grafana
  vigil.observability.grafana_provisioning:
    url: http://127.0.0.1:3000
    username: admin
    password: "{{ grafana_admin_password }}"
    reload: [datasources]
"""

RETURN = r"""
reloaded:
  description: The kinds that were (or in check mode would be) reloaded.
  returned: always
  type: list
  elements: str
  sample: ["datasources"]
messages:
  description: Grafana's answer to each reload; empty in check mode.
  returned: always
  type: dict
  sample: {"datasources": "Datasources config reloaded"}
attempts:
  description: How many times C(/api/health) was asked before the reload (0 in check mode).
  returned: always
  type: int
  sample: 1
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_health, _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError

KINDS = ["datasources", "dashboards", "alerting"]


def main():
    spec = dict(_args.GRAFANA_CONNECTION)
    spec.update(_grafana_health.WAIT_SPEC)
    module = AnsibleModule(**_args.module_kwargs(dict(
        spec,
        reload=dict(type="list", elements="str", choices=KINDS, required=True),
    )))

    def work():
        params = module.params
        _grafana_health.check_wait(params)
        kinds = []
        for kind in params["reload"]:
            if kind not in kinds:
                kinds.append(kind)
        client = _client.GrafanaClient.from_module(module)
        out = dict(changed=bool(kinds), reloaded=kinds, messages={}, attempts=0)
        if module.check_mode or not kinds:
            return out
        health = _grafana_health.wait_until_healthy(client, params["wait_timeout"], params["delay"])
        out["attempts"] = health["attempts"]
        if not health["healthy"]:
            module.fail_json(msg=_grafana_health.not_healthy_message(client, health), changed=False, reloaded=[],
                             messages={}, attempts=health["attempts"])
        for kind in kinds:
            try:
                answer = client.post("/api/admin/provisioning/%s/reload" % kind)
            except ApiError as err:
                reason = err.body.get("error") if isinstance(err.body, dict) else None
                raise err.with_context("the %s provisioning files could not be reloaded%s%s" % (
                    kind, " (%s)" % reason if reason else "",
                    "; reloaded before: %s" % ", ".join(out["messages"]) if out["messages"] else ""))
            out["messages"][kind] = (answer or {}).get("message", "") if isinstance(answer, dict) else ""
        return out

    _resource.run(module, work)


if __name__ == "__main__":
    main()
