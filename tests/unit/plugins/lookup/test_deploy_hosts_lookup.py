# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deploy_hosts lookup: the tier groups' hosts within the run's --limit, real pattern resolution."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.vigil.observability.plugins.lookup.deploy_hosts import LookupModule

GROUPS = {
    "all": ["mon-1", "mon-2", "web-1", "web-2", "db-1"],
    "ungrouped": [],
    "monitoring_servers": ["mon-1", "mon-2"],
    "monitoring_clients": ["web-1", "web-2", "mon-1"],
    "linux": ["web-1", "web-2", "db-1"],
    "observability": ["mon-2"],
}


def run(variables, terms=()):
    loader = DataLoader()
    lookup = LookupModule(loader=loader, templar=Templar(loader=loader, variables=variables))
    return lookup.run(list(terms), dict(variables, groups=GROUPS))


def test_both_tiers_each_host_once_in_inventory_order():
    assert run({}) == ["mon-1", "mon-2", "web-1", "web-2"]


def test_the_limit_keeps_only_its_hosts():
    assert run({"ansible_limit": "web-1"}) == ["web-1"]
    assert run({"ansible_limit": "monitoring_servers"}) == ["mon-1", "mon-2"]
    assert run({"ansible_limit": "all:!mon-2"}) == ["mon-1", "web-1", "web-2"]
    assert run({"ansible_limit": "db-1"}) == []


def test_groups_follow_the_tier_group_variables():
    assert run({"vigil_servers_group": "observability", "vigil_clients_group": "linux"}) == ["mon-2", "web-1", "web-2", "db-1"]


def test_the_playbook_names_the_groups_of_the_run_or_the_terms_do():
    assert run({"vigil_deploy_quiet_groups": ["monitoring_servers"]}) == ["mon-1", "mon-2"]
    assert run({"vigil_deploy_quiet_groups": ["monitoring_clients"], "ansible_limit": "mon-1,web-2"}) == ["web-2", "mon-1"]
    assert run({"vigil_deploy_quiet_groups": ["monitoring_servers"]}, ["linux", "mon-1"]) == ["web-1", "web-2", "db-1", "mon-1"]
    with pytest.raises(AnsibleLookupError, match="vigil_deploy_quiet_groups is a list of groups"):
        run({"vigil_deploy_quiet_groups": "monitoring_servers"})


def test_a_bad_term_is_refused():
    with pytest.raises(AnsibleLookupError, match="further groups or patterns are strings"):
        run({}, [3])


def test_the_documentation_is_yaml():
    import yaml
    from ansible_collections.vigil.observability.plugins.lookup import deploy_hosts
    for text in (deploy_hosts.DOCUMENTATION, deploy_hosts.EXAMPLES, deploy_hosts.RETURN):
        assert yaml.safe_load(text)
