# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hosts of the stack that this run converges."""

from __future__ import annotations

DOCUMENTATION = r"""
name: deploy_hosts
version_added: 0.1.0
author:
  - vigil.observability maintainers (@vigil)
short_description: The hosts of the stack's tier groups that this run converges
description:
  - The inventory hosts of the groups the run converges that the run's C(--limit)
    (C(ansible_limit)) includes, in inventory order, each once.
  - The groups are the terms; without terms C(vigil_deploy_quiet_groups) (which the tier playbooks set,
    C(server.yml) alone to its servers, C(client.yml) alone to its clients, C(site.yml) to both); without
    that, the server and client groups (C(vigil_servers_group), default C(monitoring_servers), and
    C(vigil_clients_group), default C(monitoring_clients)). A term that is no group is a host pattern.
  - For the deploy quiet of the tier playbooks (the Alertmanager silence and the Uptime Kuma
    maintenance cover these hosts while they are converged, and no other host).
options:
  _terms:
    description: Groups or host patterns (optional).
    required: false
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: The hosts this run converges
  ansible.builtin.debug:
    msg: "{{ query('vigil.observability.deploy_hosts') }}"
"""

RETURN = r"""
_raw:
  description: Inventory host names.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.plugins.loader import lookup_loader


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        variables = variables or {}
        for term in terms:
            if not isinstance(term, str) or not term:
                raise AnsibleLookupError("deploy_hosts: further groups or patterns are strings, got %r" % (term,))
        groups = list(terms)
        if not groups and variables.get("vigil_deploy_quiet_groups") is not None:
            groups = self._templar.template(variables["vigil_deploy_quiet_groups"])
            if isinstance(groups, str) or not isinstance(groups, (list, tuple)):
                raise AnsibleLookupError("deploy_hosts: vigil_deploy_quiet_groups is a list of groups, got %r" % (groups,))
        if not groups:
            groups = [self._templar.template(variables.get("vigil_servers_group", "monitoring_servers")),
                      self._templar.template(variables.get("vigil_clients_group", "monitoring_clients"))]
        inventory = variables.get("groups") or {}
        found = []
        for group in groups:
            for host in inventory.get(group, []) if group in inventory else self._pattern(group, variables):
                if host not in found:
                    found.append(host)
        limit = variables.get("ansible_limit")
        if limit:
            allowed = set(self._pattern(limit, variables))
            found = [host for host in found if host in allowed]
        return found

    def _pattern(self, pattern, variables):
        """The hosts of a host pattern, as ``ansible.builtin.inventory_hostnames`` resolves it."""
        resolver = lookup_loader.get("inventory_hostnames", loader=self._loader, templar=self._templar)
        if resolver is None:
            raise AnsibleLookupError("deploy_hosts: the lookup inventory_hostnames of ansible-core is not available")
        return resolver.run([pattern], variables=variables)
