# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the collection's action plugins in-process, with the modules they call answered by the test."""

from __future__ import annotations

from unittest.mock import MagicMock


def action(cls, args, modules):
    """An instance of the action plugin ``cls`` for a task of ``args``, and the list of its module calls.

    ``modules`` maps a module name to a function of its arguments that returns the module's result;
    each call is recorded as ``(name, arguments)``. Temporary paths are not removed (there are none).
    """
    task = MagicMock()
    task.args = args
    task.async_val = 0
    plugin = cls(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append((module_name, module_args))
        return modules[module_name](module_args)
    plugin._execute_module = execute
    plugin._remove_tmp_path = lambda path: None
    return plugin, calls
