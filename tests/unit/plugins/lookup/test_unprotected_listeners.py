# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unprotected_listeners lookup reads the variables as the role sees them."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleLookupError
from name_templar import NameTemplar

from ansible_collections.vigil.observability.plugins.lookup.unprotected_listeners import LookupModule


def run(role, variables):
    lookup = LookupModule()
    lookup._templar = NameTemplar(variables)
    return lookup.run([role], variables)


def test_task_variables_count_and_are_templated():
    variables = {"inventory_hostname": "h", "wild": "0.0.0.0:9090", "prometheus_web_listen_address": "{{ wild }}"}
    (problem,) = run("prometheus", variables)
    assert problem.startswith("prometheus_web_listen_address listens on 0.0.0.0:9090 without authentication")
    variables["prometheus_basic_auth_users"] = {"p": "secret"}
    assert run("prometheus", variables) == []
    assert run("loki", {"inventory_hostname": "h"}) == []


@pytest.mark.parametrize("terms", [[], ["loki", "jaeger"], [1]])
def test_one_role_name(terms):
    lookup = LookupModule()
    lookup._templar = NameTemplar({})
    with pytest.raises(AnsibleLookupError, match="give one role name"):
        lookup.run(terms, {})
