# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_datasource
short_description: Manage Grafana data sources by uid, secrets included
version_added: 0.1.0
description:
  - Creates, updates and deletes a Grafana data source identified by its O(uid); the uid stays
    stable across renames, so dashboards and alert rules that reference it keep working.
  - Only the options given are compared; options left out keep whatever Grafana has.
  - Grafana never returns C(secureJsonData), only which keys are set. The module therefore
    compares secrets by presence and sends them according to O(secure_update), and says in
    RV(secrets) what it did.
author:
  - vigil.observability maintainers (@vigil)
options:
  uid:
    description:
      - Stable identifier of the data source (at most 40 letters, digits, V(-) and V(_)).
    type: str
    required: true
  name:
    description:
      - Display name, unique per organisation. Required with O(state=present).
    type: str
  type:
    description:
      - Plugin id, for example V(prometheus), V(loki), V(tempo), V(elasticsearch). Required with
        O(state=present).
    type: str
  datasource_url:
    description:
      - URL of the backend (the data source's C(url) field; O(url) is Grafana's own URL).
    type: str
  access:
    description:
      - V(proxy) (the Grafana server queries the backend) or V(direct) (the browser does).
    type: str
    choices: [proxy, direct]
    default: proxy
  is_default:
    description:
      - Make it the organisation's default data source. Left as it is when omitted (Grafana makes
        the first data source of an organisation the default).
    type: bool
  basic_auth:
    description:
      - Use basic authentication towards the backend.
    type: bool
  basic_auth_user:
    description:
      - Basic-auth user towards the backend (the password goes into C(basicAuthPassword) in O(secure_json_data)).
    type: str
  user:
    description:
      - Database user (SQL data sources).
    type: str
  database:
    description:
      - Database name (SQL data sources; newer Grafana also reads C(jsonData.database)).
    type: str
  with_credentials:
    description:
      - Send cookies or auth headers with cross-site requests (direct access).
    type: bool
  json_data:
    description:
      - The plugin's non-secret settings (C(jsonData)), compared as a whole when given.
    type: dict
  secure_json_data:
    description:
      - The plugin's secret settings (C(secureJsonData)), for example C(basicAuthPassword),
        C(password), C(httpHeaderValue1). Write-only in Grafana; never shown in output or diff.
    type: dict
  secure_update:
    description:
      - When to send O(secure_json_data) to an existing data source.
      - V(on_create) sends secrets when the data source is created, when a given secret key is not
        set in Grafana yet, and with any other change; an equal set of keys counts as unchanged, so
        re-runs are idempotent but a rotated secret is not noticed.
      - V(always) sends them on every run and reports C(changed) every time, because Grafana cannot
        tell whether they differ.
    type: str
    choices: [always, on_create]
    default: on_create
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._state
notes:
  - A data source provisioned from a file (C(readOnly)) cannot be changed through the API; the
    module fails with Grafana's message.
seealso:
  - module: vigil.observability.grafana_dashboard
"""

EXAMPLES = r"""
- name: Prometheus with basic auth towards the backend
  vigil.observability.grafana_datasource:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: prometheus
    name: Prometheus
    type: prometheus
    datasource_url: http://prometheus:9090
    access: proxy
    is_default: true
    basic_auth: true
    basic_auth_user: grafana
    json_data:
      httpMethod: POST
      timeInterval: 15s
    secure_json_data:
      basicAuthPassword: "{{ prometheus_password }}"

- name: Rotate the password on every run (always reports changed)
  # url and token from the environment (GRAFANA_URL, GRAFANA_TOKEN)
  vigil.observability.grafana_datasource:
    uid: prometheus
    name: Prometheus
    type: prometheus
    secure_json_data:
      basicAuthPassword: "{{ new_password }}"
    secure_update: always
"""

RETURN = r"""
datasource:
  description: The data source as Grafana answers it; secrets only as C(secureJsonFields).
  returned: always
  type: dict
  sample: {"uid": "prometheus", "name": "Prometheus", "type": "prometheus", "url": "http://prometheus:9090",
           "access": "proxy", "isDefault": true, "jsonData": {"httpMethod": "POST"}, "secureJsonFields": {"basicAuthPassword": true},
           "version": 2}
secrets:
  description: How secrets were handled.
  returned: with O(state=present)
  type: dict
  contains:
    compared:
      description: Always V(presence) (Grafana never returns secret values).
      type: str
    policy:
      description: The O(secure_update) policy applied.
      type: str
    sent:
      description: Whether O(secure_json_data) was (or in check mode would be) sent.
      type: bool
  sample: {"compared": "presence", "policy": "on_create", "sent": false}
action:
  description: V(create), V(update) (the whole data source is sent), V(delete), or null.
  returned: always
  type: str
  sample: update
diff:
  description: The compared fields before and after; secrets appear only as V([REDACTED]) or V([REDACTED:changed]).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "Prometheus", "url": "http://old:9090"}, "after": {"name": "Prometheus", "url": "http://prometheus:9090"}}
"""

import copy

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment

# option -> API field (None options are not managed)
FIELDS = dict(name="name", type="type", datasource_url="url", access="access", is_default="isDefault", basic_auth="basicAuth",
              basic_auth_user="basicAuthUser", user="user", database="database", with_credentials="withCredentials",
              json_data="jsonData")
READ_ONLY_KEYS = ("id", "orgId", "version", "readOnly", "typeLogoUrl", "typeName", "apiVersion", "secureJsonFields",
                  "uid", "accessControl")


def build(params):
    uid = params["uid"]
    item = "/api/datasources/uid/" + quote_segment(uid)
    managed = dict((api, params[opt]) for opt, api in FIELDS.items() if params[opt] is not None)
    secrets = dict((k, v) for k, v in (params["secure_json_data"] or {}).items() if v is not None)
    policy = params["secure_update"]

    def view(raw):
        out = dict((api, copy.deepcopy(raw.get(api))) for api in managed)
        if "jsonData" in out and out["jsonData"] is None:
            out["jsonData"] = {}
        if secrets:
            fields = raw.get("secureJsonFields") or {}
            out["secureJsonData"] = dict((k, _resource.SECRET) for k in sorted(secrets) if fields.get(k))
        return out

    def desired_view(current):
        out = copy.deepcopy(managed)
        if secrets:
            fields = (current or {}).get("secureJsonFields") or {}
            marks = {}
            for key in sorted(secrets):
                if current is None or policy == "always" or not fields.get(key):
                    marks[key] = _resource.SECRET_CHANGED
                else:
                    marks[key] = _resource.SECRET
            out["secureJsonData"] = marks
        return out

    def body(current):
        out = {"uid": uid}
        if current is not None:
            for key, value in current.items():
                if key not in READ_ONLY_KEYS:
                    out[key] = value
            out["version"] = current.get("version")
        out.update(copy.deepcopy(managed))
        if secrets:
            out["secureJsonData"] = dict(secrets)
        return out

    def create(client, desired, current):
        return client.post("/api/datasources", body(None))

    def update(client, desired, current):
        return client.put(item, body(current))

    def summary(raw):
        return dict((k, copy.deepcopy(v)) for k, v in raw.items() if k not in ("accessControl",))

    def predict(desired, current):
        out = summary(current) if current is not None else {"uid": uid}
        out.update(managed)
        if secrets:
            fields = dict(out.get("secureJsonFields") or {})
            fields.update(dict((k, True) for k in secrets))
            out["secureJsonFields"] = fields
        return out

    resource = _resource.Resource(
        "datasource", read=("GET", item), create=create, update=update, delete=("DELETE", item),
        view=view, summary=summary, predict=predict, label="data source %r" % uid)
    return resource, desired_view, secrets


def main():
    module = _args.grafana_module(
        dict(
            name=dict(type="str"),
            type=dict(type="str"),
            datasource_url=dict(type="str"),
            access=dict(type="str", choices=["proxy", "direct"], default="proxy"),
            is_default=dict(type="bool"),
            basic_auth=dict(type="bool"),
            basic_auth_user=dict(type="str"),
            user=dict(type="str"),
            database=dict(type="str"),
            with_credentials=dict(type="bool"),
            json_data=dict(type="dict"),
            secure_json_data=dict(type="dict", no_log=True),
            secure_update=dict(type="str", choices=["always", "on_create"], default="on_create"),
        ),
        uid=True,
        required_if=[("state", "present", ("name", "type"))],
    )

    def work():
        params = module.params
        client = _client.GrafanaClient.from_module(module)
        resource, desired_view, secrets = build(params)
        result = _resource.ensure(client, resource, desired_view, params["state"], module.check_mode)
        extra = {}
        if params["state"] == "present":
            extra["secrets"] = {"compared": "presence", "policy": params["secure_update"],
                                "sent": bool(secrets) and result.action in ("create", "update")}
        return _resource.module_result(module, result, "datasource", **extra)

    _resource.run(module, work)


if __name__ == "__main__":
    main()
