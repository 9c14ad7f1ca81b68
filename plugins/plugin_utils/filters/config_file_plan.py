# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The list of files a role hands to the _artifact config entry point, from groups of files."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

_KEYS = ("paths", "dest", "src", "mode", "validate", "secret", "when")
_CONTENT_TEMPLATE = "content.j2"


def jinja_sorted(values):
    """``values`` sorted as Jinja's ``sort`` and ``dictsort`` do by default (case-insensitive, stable)."""
    return sorted(values, key=lambda value: value.lower() if isinstance(value, str) else value)


def _fail(message, *args):
    raise AnsibleFilterError("config_file_plan: " + (message % args if args else message))


def config_file_plan(groups):
    """``[{src, dest, mode?, validate?, secret?}]`` for ``_artifact_config_files``, group by group.

    A group is ``{paths: {path: content} or [path], ...}`` (one entry per path, sorted, rendered
    with ``content.j2`` unless ``src`` says otherwise) or ``{dest: path, src: template, ...}`` (one
    entry). ``mode``, ``validate`` and ``secret`` are copied into each entry; ``when: false``
    drops the group.
    """
    if not isinstance(groups, (list, tuple)):
        _fail("expects a list of file groups, not a %s", type(groups).__name__)
    plan = []
    for index, group in enumerate(groups):
        where = "group #%d" % (index + 1)
        if not isinstance(group, Mapping):
            _fail("%s is a %s, not a mapping", where, type(group).__name__)
        unknown = sorted(set(group) - set(_KEYS))
        if unknown:
            _fail("%s has unknown key(s) %s; known: %s", where, ", ".join(map(str, unknown)), ", ".join(_KEYS))
        if ("paths" in group) == ("dest" in group):
            _fail("%s needs either paths or dest", where)
        try:
            wanted = boolean(group.get("when", True), strict=True)
        except TypeError:
            _fail("%s: when is %r, not a boolean", where, group.get("when"))
        if not wanted:
            continue
        if "dest" in group:
            if not group["dest"] or not group.get("src"):
                _fail("%s: a single file needs a non-empty dest and its src template", where)
            paths = [group["dest"]]
        else:
            paths = group["paths"]
            if paths is None:
                paths = []
            if isinstance(paths, (str, bytes)) or not isinstance(paths, (Mapping, list, tuple)):
                _fail("%s: paths must be a mapping or a list of paths, not a %s", where, type(paths).__name__)
            if any(not isinstance(path, str) or not path for path in paths):
                _fail("%s: every path must be a non-empty string", where)
            paths = jinja_sorted(paths)
        extra = {key: group[key] for key in ("mode", "validate", "secret") if key in group}
        if "secret" in extra:
            extra["secret"] = boolean(extra["secret"], strict=False)
        for path in paths:
            plan.append(dict({"src": group.get("src", _CONTENT_TEMPLATE), "dest": path}, **extra))
    return plan
