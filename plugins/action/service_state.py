# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of vigil.observability.service_state: the module's read, and what it means for the unit's steps."""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.paths_to_change import paths_to_change
from ansible_collections.vigil.observability.plugins.plugin_utils.action_modules import run_module

# The options the action handles on the controller; the module never sees them.
CONTROLLER_OPTIONS = ("unit_template", "template_dir", "private_users_var")


def pending_paths(newer):
    """Every path of every group of the module's ``newer``, once, in order."""
    seen = []
    for paths in newer.values():
        seen.extend(path for path in paths if path not in seen)
    return seen


def service_todo(status, pending, unit_differs):
    """Whether the unit's steps have anything to do: not active, not enabled, changes pending or another unit."""
    return (status.get("ActiveState") != "active" or status.get("UnitFileState") != "enabled"
            or bool(pending) or bool(unit_differs))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        module_args = {key: value for key, value in self._task.args.items() if key not in CONTROLLER_OPTIONS}
        template = self._task.args.get("unit_template") or ""
        try:
            state = run_module(self, "vigil.observability.service_state", module_args, task_vars)
            unit_differs = False
            if template:
                item = {"src": str(template), "dest": str(module_args.get("unit_file"))}
                variables = dict(task_vars)
                if self._task.args.get("private_users_var"):
                    variables[str(self._task.args["private_users_var"])] = state["private_users"]
                # The SHA-1 of what ansible.builtin.template would write (template_checksums is the
                # one definition of that rendering), compared with the module's read of the file.
                lookup = lookup_loader.get("vigil.observability.template_checksums", loader=self._loader, templar=self._templar)
                checksums = lookup.run([[item]], variables=variables, template_dir=self._task.args.get("template_dir") or "")
                unit_differs = bool(paths_to_change([item], {item["dest"]: state["unit_file"]}, checksums=checksums,
                                                    owner="root", group="root", mode="0644"))
        except AnsibleError as error:
            return dict(result, failed=True, msg=str(error).strip())
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        for key in ("invocation", "changed", "failed"):
            state.pop(key, None)
        pending = pending_paths(state.get("newer") or {})
        result.update(state)
        result.update(unit_differs=unit_differs, pending=pending,
                      todo=service_todo(state.get("status") or {}, pending, unit_differs))
        return result
