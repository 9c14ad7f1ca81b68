# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The listeners of a role that accept connections from the network without authentication, as
the role itself sees its variables."""

from __future__ import annotations

DOCUMENTATION = r"""
name: unprotected_listeners
version_added: 0.1.0
author:
  - vigil.observability maintainers (@vigil)
short_description: The listeners of a role that bind a non-loopback address without authentication
description:
  - For the roles' preflights; the same check as the C(vigil.observability.unprotected_listeners)
    filter, with the variables as the role sees them (the inventory's, and those given to
    C(include_role) or C(import_role) as C(vars), which C(hostvars) does not hold).
  - Every listener of the role (the stack's table in the C(service_endpoint) filter plugin, with the
    role's defaults where nothing sets a variable) that binds a wildcard or non-loopback address
    while none of the service's authentication settings is on gives one line naming the variable,
    the address and the ways out. C(<role>_allow_unauthenticated) true gives none.
options:
  _terms:
    description: The role whose listeners are checked, e.g. C(loki).
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Nothing of Loki listens on the network without authentication
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: "{{ query('vigil.observability.unprotected_listeners', 'loki') }}"
"""

RETURN = r"""
_raw:
  description: One line per unprotected listener; empty when there is none.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import unprotected_listeners
from ansible_collections.vigil.observability.plugins.plugin_utils.role_view import RoleView


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1 or not isinstance(terms[0], str):
            raise AnsibleLookupError("unprotected_listeners: give one role name, got %r" % (terms,))
        variables = variables or {}
        host = variables.get("inventory_hostname", "localhost")
        return unprotected_listeners(host, terms[0], {host: RoleView(variables, self._templar)})
