# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a collection module in-process the way Ansible starts it (tests and benchmarks).

The module's arguments are patched in, ``exit_json``/``fail_json`` output is read from stdout
and parsed. Needs the checkout's ``collections`` link on ``sys.path``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
except ImportError:  # pragma: no cover - older ansible-core: the classic _ANSIBLE_ARGS way
    @contextlib.contextmanager
    def patch_module_args(args=None):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode("utf-8")
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


@contextlib.contextmanager
def _as_on_a_target():
    """Run as a module does on its target, in a process of its own. Once a test has imported
    controller code (a filter, the templar), ansible-core >= 2.19 believes it is the controller and
    prints module warnings instead of returning them with the result; and the warnings of earlier
    runs would be returned again."""
    from ansible.module_utils.common import warnings
    # A run returns its own warnings only (ansible-core keeps them process-wide: a dict from 2.19,
    # a list before).
    for name in ("_global_warnings", "_global_deprecations"):
        getattr(warnings, name, {}).clear()
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19 has no such switch
        yield
        return
    saved = getattr(_internal, "is_controller", False)
    _internal.is_controller = False
    try:
        yield
    finally:
        _internal.is_controller = saved


def run_ansible_module(module_path, args, check_mode=False, diff=False):
    """Run ``module_path.main()`` with ``args`` as Ansible would; the parsed result dict."""
    full = dict(args)
    full["_ansible_check_mode"] = check_mode
    full["_ansible_diff"] = diff
    module = importlib.import_module(module_path)
    out = io.StringIO()
    with patch_module_args(full), contextlib.redirect_stdout(out), _as_on_a_target():
        try:
            module.main()
        except SystemExit:
            pass
    text = out.getvalue().strip()
    if not text:
        raise AssertionError("%s printed no result" % module_path)
    result = json.loads(text[text.index("{"):])
    # ansible-core 2.19 reports warnings as structured summaries; tests read the message text.
    result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) and "event" in w else w
                          for w in result.get("warnings", [])]
    return result
