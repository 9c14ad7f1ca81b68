# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The listener and URL mistakes of a role, as the role itself sees its variables."""

from __future__ import annotations

DOCUMENTATION = r"""
name: preflight_problems
version_added: 0.1.0
author:
  - vigil.observability maintainers (@vigil)
short_description: Listen addresses, ports and URLs of a role in the wrong form, or clashing
description:
  - For the roles' preflights; the checks of the C(vigil.observability.listen_problems),
    C(vigil.observability.port_clashes) and C(vigil.observability.url_problems) filters, with the
    variables as the role sees them (the inventory's, and those given to C(include_role) or
    C(import_role) as C(vars), which C(hostvars) does not hold). Other hosts are read from
    C(hostvars).
  - >-
    First every listener variable of the role (the stack's table in the C(service_endpoint) filter
    plugin): a C(host:port) variable that is not one, an address variable that carries a port, a
    port that is not a number. When they are all readable, the ports this host's roles (the role,
    and those the tier playbooks run on the host's groups unless C(vigil_<role>_enabled) is false)
    claim twice on a common address, and the role's URL variables without an C(http://) or
    C(https://) scheme, with a path the target's API does not have, or with a scheme that
    contradicts the TLS setting of the service of ours they point at.
  - One line per problem, naming the variable, the value (never a secret URL) and the expected form.
options:
  _terms:
    description: The role whose variables are checked, e.g. C(loki).
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Listen addresses, ports and URLs are in the right form and no port is claimed twice
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: "{{ query('vigil.observability.preflight_problems', 'loki') }}"
"""

RETURN = r"""
_raw:
  description: One line per problem; empty when there is none.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.preflight_problems import preflight_problems
from ansible_collections.vigil.observability.plugins.plugin_utils.role_view import HostsView, RoleView


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1 or not isinstance(terms[0], str):
            raise AnsibleLookupError("preflight_problems: give one role name, got %r" % (terms,))
        variables = variables or {}
        host = variables.get("inventory_hostname", "localhost")
        hostvars = HostsView(host, RoleView(variables, self._templar), variables.get("hostvars"))
        return preflight_problems(host, terms[0], hostvars)
