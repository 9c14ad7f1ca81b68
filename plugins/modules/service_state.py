# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: service_state
short_description: Read in one call what a role needs to know of its systemd unit before it starts it
version_added: 0.3.0
description:
  - Reads the unit file (type, owner, mode, SHA-1), the files changed after the stamp of the last change
    found running (O(newer_than), O(newer_paths)), the unit's state (C(systemctl show)), the time of the
    service's last reload from its /metrics page (O(metrics_url), O(reload_timestamp_metric), only while it
    runs), whether it serves now (RV(answered), one request to O(ready_url)), and whether the host's systemd can
    give units a private user namespace.
  - With O(reset_failed), clears the failed state and start counter of a unit that is loaded but not active
    (C(systemctl reset-failed)), so that a fixed service starts again after a crash loop hit its
    C(StartLimitBurst); bookkeeping of systemd, not a change of the host, and not done in check mode.
  - The collection's roles call it once per service (the internal role C(_artifact), C(service.yml)) in
    place of a stat, a state read, a metrics read and a capability read.
  - An action on the controller then renders O(unit_template) as M(ansible.builtin.template) would and compares
    it with the unit file it read (RV(unit_differs)), and says whether the unit's steps have anything to do
    (RV(todo)).
author:
  - vigil.observability maintainers (@vigil)
options:
  unit_file:
    description: The unit file to read.
    type: path
    required: true
  newer_than:
    description: The stamp file; see M(vigil.observability.paths_info).
    type: path
  newer_paths:
    description: Groups of paths compared with O(newer_than), a list of paths per name; a directory stands for everything below it.
    type: dict
    default: {}
  reset_failed:
    description: Clear the failed state of a unit that is loaded and not active.
    type: bool
    default: false
  metrics_url:
    description: The service's /metrics page; empty for none.
    type: str
    default: ""
  reload_timestamp_metric:
    description: The metric that holds the time of the last successful reload.
    type: str
    default: ""
  ready_url:
    description:
      - The service's ready endpoint, asked once while the unit runs (RV(answered)); empty to look at the unit only.
      - Uses the credentials and TLS settings of O(metrics_url).
    type: str
    default: ""
  ready_status:
    description: Status codes of a service that serves (O(ready_url)).
    type: list
    elements: int
    default: [200]
  unit_template:
    description:
      - The template of O(unit_file), rendered on the controller and compared with the file's owner (root),
        group (root), mode (0644) and content; empty for no comparison (RV(unit_differs) is then false).
    type: str
    default: ""
  template_dir:
    description: Directory of a relative O(unit_template).
    type: str
    default: ""
  private_users_var:
    description:
      - The variable through which the template sees RV(private_users) of this read; empty for none.
    type: str
    default: ""
extends_documentation_fragment:
  - vigil.observability._service_endpoint
attributes:
  action:
    description: The comparison with O(unit_template) runs on the controller.
    support: full
  check_mode:
    description: Reads as in a real run; the failed state is not cleared.
    support: full
  diff_mode:
    description: Nothing is changed, so there is no diff.
    support: none
"""

EXAMPLES = r"""
- name: Read the unit and state of Prometheus
  vigil.observability.service_state:
    unit: prometheus.service
    unit_file: /etc/systemd/system/prometheus.service
    newer_than: /var/lib/vigil/applied/prometheus
    newer_paths:
      restart: [/etc/systemd/system/prometheus.service, /usr/local/bin/prometheus]
      reload: [/etc/prometheus]
    reset_failed: true
    metrics_url: http://127.0.0.1:9090/metrics
    reload_timestamp_metric: prometheus_config_last_reload_success_timestamp_seconds
  register: __state
"""

RETURN = r"""
unit_file:
  description: What M(vigil.observability.paths_info) returns for O(unit_file).
  returned: always
  type: dict
  sample: {exists: true, type: file, mode: "0644", owner: root, group: root, checksum: 2aae6c35c94fcfb415dbe95f408b9ce91ee846ed}
newer:
  description: Per group of O(newer_paths), the paths newer than O(newer_than).
  returned: always
  type: dict
  sample: {restart: [], reload: [/etc/prometheus/prometheus.yml]}
status:
  description:
    - The unit's C(LoadState), C(ActiveState), C(SubState), C(Result), C(NRestarts), C(MainPID) and C(UnitFileState),
      read before any reset.
  returned: always
  type: dict
  sample: {LoadState: loaded, ActiveState: active, SubState: running, Result: success, NRestarts: "0", MainPID: "812",
           UnitFileState: enabled}
reset:
  description: Whether the failed state was cleared.
  returned: always
  type: bool
answered:
  description:
    - Whether the service serves now. The unit is active with a process, O(ready_url) (when given) answered one of
      O(ready_status) to a single request, and the stamp O(newer_than) exists.
    - The internal role C(_artifact) skips its wait for the service (C(ready.yml)) when this is true and the run
      restarted, reloaded or started nothing (a re-run that changes nothing, where RV(todo) is false).
  returned: always
  type: bool
reload_time:
  description: The O(reload_timestamp_metric) of a running service (0.0 when it did not answer or has none).
  returned: always
  type: float
private_users:
  description: Whether the host's systemd can set up C(PrivateUsers=) (it has C(CAP_SYS_PTRACE)).
  returned: always
  type: bool
unit_differs:
  description: Whether O(unit_template) would change O(unit_file) (its content, owner, group or mode).
  returned: always
  type: bool
pending:
  description: Every path of RV(newer), once.
  returned: always
  type: list
  elements: str
todo:
  description: Whether the unit is not active, not enabled, has paths in RV(pending) or differs (RV(unit_differs)).
  returned: always
  type: bool
"""


import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure
from ansible_collections.vigil.observability.plugins.module_utils._http import basic_auth, request, text_or_empty
from ansible_collections.vigil.observability.plugins.module_utils._metrics import metric_sum
from ansible_collections.vigil.observability.plugins.module_utils._paths import newer_groups, path_state, relative_paths
from ansible_collections.vigil.observability.plugins.module_utils._systemd import private_users_possible, serving, show


def must_reset(status):
    """Whether a unit in this state is to be cleared before its start (loaded, not active)."""
    return status.get("LoadState") == "loaded" and status.get("ActiveState") != "active"


def serves_now(status, stamp, url, status_codes, probe):
    """RV(answered): the stamp exists (or none is kept) and the unit serves now (one look, ``probe()``
    returns the status of one request to ``url`` or raises ConnectionFailure)."""
    return bool(not stamp or os.path.exists(stamp)) and serving(status, url, status_codes, probe, ConnectionFailure)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            unit=dict(type="str", required=True),
            unit_file=dict(type="path", required=True),
            newer_than=dict(type="path"),
            newer_paths=dict(type="dict", default={}),
            reset_failed=dict(type="bool", default=False),
            metrics_url=dict(type="str", default=""),
            reload_timestamp_metric=dict(type="str", default=""),
            ready_url=dict(type="str", default=""),
            ready_status=dict(type="list", elements="int", default=[200]),
            validate_certs=dict(type="bool", default=True),
            url_username=dict(type="str", default=""),
            url_password=dict(type="str", default="", no_log=True),
            client_cert=dict(type="path"),
            client_key=dict(type="path", no_log=False),
            # Handled by the action on the controller (plugins/action/service_state.py).
            unit_template=dict(type="str", default=""),
            template_dir=dict(type="str", default=""),
            private_users_var=dict(type="str", default=""),
        ),
        supports_check_mode=True,
    )
    params = module.params
    unit = params["unit"]
    relative = relative_paths([params["unit_file"]], *params["newer_paths"].values())
    if relative:
        module.fail_json(msg="service_state: paths must be absolute: %s" % ", ".join(relative))
    systemctl = module.get_bin_path("systemctl", required=True)
    status = show(module, systemctl, unit)
    reset = False
    if params["reset_failed"] and must_reset(status) and not module.check_mode:
        rc, out, err = module.run_command([systemctl, "reset-failed", unit])
        reset = rc == 0
    headers = basic_auth(params["url_username"], params["url_password"])
    tls = dict(validate_certs=params["validate_certs"], client_cert=params["client_cert"], client_key=params["client_key"])
    reload_time = 0.0
    if params["metrics_url"] and params["reload_timestamp_metric"] and status.get("ActiveState") == "active":
        page = text_or_empty(params["metrics_url"], headers=headers, timeout=5, **tls)
        reload_time = metric_sum(page, params["reload_timestamp_metric"])
    # One look, no wait: a service that does not answer at once is waited for by the ready check.
    answered = serves_now(status, params["newer_than"], params["ready_url"], params["ready_status"],
                          lambda: request("GET", params["ready_url"], headers=headers, timeout=5, **tls).status)
    try:
        with open("/proc/1/status") as handle:
            private_users = private_users_possible(handle.read())
    except OSError:
        private_users = False
    module.exit_json(changed=False, unit_file=path_state(params["unit_file"]),
                     newer=newer_groups(params["newer_than"], params["newer_paths"]),
                     status=status, reset=reset, reload_time=reload_time, answered=answered, private_users=private_users)


if __name__ == "__main__":
    main()
