# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The variables of a task as the role running it sees them, for the lookups of the roles'
preflights: inventory, play, role and include vars (``hostvars`` holds only the first)."""

from __future__ import annotations

from collections.abc import Mapping


class RoleView(Mapping):
    """The task's variables, each templated when a check reads it."""

    def __init__(self, variables, templar):
        self._variables = variables
        self._templar = templar

    def __getitem__(self, name):
        return self._templar.template(self._variables[name])

    def __iter__(self):
        return iter(self._variables)

    def __len__(self):
        return len(self._variables)


class HostsView(Mapping):
    """``hostvars`` with this host's entry replaced by its RoleView (the other hosts as the inventory has them)."""

    def __init__(self, host, view, hostvars=None):
        self._host = host
        self._view = view
        self._hostvars = hostvars if hostvars is not None else {}

    def __getitem__(self, name):
        if name == self._host:
            return self._view
        return self._hostvars[name]

    def __iter__(self):
        names = list(self._hostvars)
        if self._host not in names:
            names.append(self._host)
        return iter(names)

    def __len__(self):
        return len(list(iter(self)))
