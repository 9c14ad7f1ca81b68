# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's action plugins share: a module they call on the host."""

from __future__ import annotations

from ansible.errors import AnsibleError


def run_module(action, name, args, task_vars):
    """The result of module ``name`` run on the host by ``action``; AnsibleError with its message when it failed."""
    result = action._execute_module(module_name=name, module_args=args, task_vars=task_vars)
    if result.get("failed"):
        raise AnsibleError(result.get("msg") or "%s failed" % name)
    return result
