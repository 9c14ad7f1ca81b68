# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight_problems lookup reads the role's variables as the role sees them, other hosts from hostvars."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleLookupError
from name_templar import NameTemplar

from ansible_collections.vigil.observability.plugins.lookup.preflight_problems import LookupModule


def run(role, variables):
    lookup = LookupModule()
    lookup._templar = NameTemplar(variables)
    return lookup.run([role], variables)


def test_task_variables_count_and_are_templated():
    variables = {"inventory_hostname": "h", "port": "3100", "loki_http_listen_address": "{{ wrong }}", "wrong": "0.0.0.0:3100"}
    (problem,) = run("loki", variables)
    assert problem.startswith("loki_http_listen_address is '0.0.0.0:3100', not an address without a port")
    variables["wrong"] = "0.0.0.0"
    assert run("loki", variables) == []


def test_other_hosts_come_from_hostvars():
    variables = {"inventory_hostname": "c", "alloy_loki_push_url": "https://mon-1:3100/loki/api/v1/push",
                 "hostvars": {"mon-1": {"loki_http_listen_address": "0.0.0.0", "vigil_gateway_enabled": False}}}
    (problem,) = run("alloy", variables)
    assert "is https:// but loki on mon-1 serves plain HTTP on port 3100" in problem


def test_group_names_of_the_task_decide_the_roles_of_the_host():
    variables = {"inventory_hostname": "h", "group_names": ["monitoring_servers", "monitoring_clients"]}
    assert any("jaeger_agent_otlp_grpc_listen_address of jaeger_agent" in line for line in run("jaeger_agent", variables))
    variables.update(vigil_jaeger_enabled=False, vigil_otel_collector_enabled=False)
    assert run("jaeger_agent", variables) == []


@pytest.mark.parametrize("terms", [[], ["loki", "jaeger"], [1]])
def test_one_role_name(terms):
    lookup = LookupModule()
    lookup._templar = NameTemplar({})
    with pytest.raises(AnsibleLookupError, match="give one role name"):
        lookup.run(terms, {})
