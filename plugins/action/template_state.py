# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of vigil.observability.template_state: which templates would change a file on the host."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping

from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.paths_to_change import paths_to_change
from ansible_collections.vigil.observability.plugins.plugin_utils.action_modules import run_module


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("files", "template_dir", "owner", "group", "mode", "absent", "read"))

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        args = self._task.args
        files = args.get("files") or []
        if not isinstance(files, list) or not all(isinstance(item, Mapping) and item.get("dest") for item in files):
            return dict(result, failed=True, msg="template_state: files must be a list of items with src and dest")
        absent, also = args.get("absent") or [], args.get("read") or []
        for option, value in (("absent", absent), ("read", also)):
            if not isinstance(value, list) or not all(isinstance(path, str) and path.startswith("/") for path in value):
                return dict(result, failed=True, msg="template_state: %s must be a list of absolute paths or patterns" % option)
        paths, globs = split_patterns(absent)
        also_paths, also_globs = split_patterns(also)
        try:
            state = {}
            if files or absent or also:
                read = {"paths": list(dict.fromkeys([str(item["dest"]) for item in files] + paths + also_paths))}
                if globs or also_globs:
                    read["globs"] = list(dict.fromkeys(globs + also_globs))
                state = run_module(self, "vigil.observability.paths_info", read, task_vars)["paths"]
            # The SHA-1 of what ansible.builtin.template would write (the one definition of that
            # rendering is the template_checksums lookup).
            lookup = lookup_loader.get("vigil.observability.template_checksums", loader=self._loader, templar=self._templar)
            checksums = lookup.run([files], variables=task_vars, template_dir=args.get("template_dir") or "") if files else []
            changing = paths_to_change(files, state, checksums=checksums, owner=args.get("owner"), group=args.get("group"),
                                       mode=args.get("mode"))
        except AnsibleError as error:
            return dict(result, failed=True, msg=str(error).strip())
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        result.update(paths=without_secret_digests(files, state, also_paths, also_globs), changing=changing,
                      removing=removing(files, paths, globs, state))
        return result


def without_secret_digests(files, state, also_paths=(), also_globs=()):
    """``state`` without the checksum of each file an item of ``files`` marks ``secret`` and of each file
    only read (``also_paths``, matched by ``also_globs``, and not the ``dest`` of an item that is not
    secret): the digest of a password file never enters a result (a short secret can be found again from it)."""
    plain = {str(item["dest"]) for item in files if not boolean(item.get("secret", False), strict=False)}
    hidden = {str(item["dest"]) for item in files} - plain
    hidden.update(path for path in state if path not in plain and (
        path in also_paths or any(fnmatch.fnmatchcase(path, pattern) for pattern in also_globs)))
    return {path: ({key: value for key, value in entry.items() if key != "checksum"}
                   if path in hidden and isinstance(entry, Mapping) else entry)
            for path, entry in state.items()}


def split_patterns(absent):
    """The plain paths and the shell patterns (a wildcard in the last part) of ``absent``."""
    patterns = [path for path in absent if any(char in path.rsplit("/", 1)[-1] for char in "*?[")]
    return [path for path in absent if path not in patterns], patterns


def removing(files, paths, globs, state):
    """What is on the host and must go: each plain path of ``paths`` that exists, and each regular file a
    pattern of ``globs`` matched that is not the ``dest`` of an item of ``files`` (as find and a removal would)."""
    wanted = {str(item["dest"]) for item in files}
    found = [path for path in paths if (state.get(path) or {}).get("exists")]
    matched = sorted(path for path, entry in state.items()
                     if (entry or {}).get("type") == "file" and any(fnmatch.fnmatchcase(path, pattern) for pattern in globs))
    return [path for path in dict.fromkeys(found + matched) if path not in wanted]
