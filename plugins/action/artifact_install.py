# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of vigil.observability.artifact_install: plan, account and what differs, in one task."""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.hashing import checksum_s
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.artifact_plan import artifact_plan
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.paths_to_change import paths_to_change
from ansible_collections.vigil.observability.plugins.plugin_utils.action_modules import run_module
from ansible_collections.vigil.observability.plugins.test.artifact_cached import artifact_cached

_PLATFORM = ["!all", "!min", "platform"]


def tree_paths(job):
    """The paths whose state tells whether the tree steps (tasks/tree.yml) would change anything."""
    tree = job.get("tree") or {}
    paths = [link["dest"] for link in job.get("links") or []]
    if tree.get("transfer") == "unarchive":
        paths += [tree["dest"], tree["creates_path"]]
    elif tree.get("transfer") == "copy":
        paths.append(tree["version_path"])
    return paths


def tree_differs(job, state):
    """True when a tree step would change something on the host whose ``state`` (paths_info) is given.

    The same tests as the steps: an unpacked tree needs its directory (root, 0755) and the file
    that shows it is unpacked; a copied tree, its version file holding this version; every binary,
    its link into the tree.
    """
    tree = job.get("tree") or {}
    if not tree:
        return False
    if paths_to_change(job.get("links") or [], state, kind="link"):
        return True
    if tree["transfer"] == "unarchive":
        directory = state.get(tree["dest"]) or {}
        if (directory.get("type"), directory.get("owner"), directory.get("group"), directory.get("mode")) != (
                "directory", "root", "root", "0755"):
            return True
        return not (state.get(tree["creates_path"]) or {}).get("exists")
    version = str(job["version"])
    have = (state.get(tree["version_path"]) or {}).get("checksum")
    return have not in (checksum_s(version), checksum_s(version + "\n"))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("spec", "user", "group", "extra_groups", "directories"))

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        args = self._task.args
        spec = args.get("spec")
        if not isinstance(spec, dict):
            return dict(result, failed=True, msg="artifact_install: spec must be a mapping of the _artifact inputs")
        try:
            facts = task_vars.get("ansible_facts") or {}
            architecture = facts.get("architecture")
            if not architecture:
                gathered = run_module(self, "ansible.builtin.setup", {"gather_subset": _PLATFORM}, task_vars)
                result["ansible_facts"] = gathered.get("ansible_facts", {})
                architecture = result["ansible_facts"].get("ansible_architecture") or result["ansible_facts"].get("architecture")
            job = artifact_plan(spec, architecture, task_vars.get("ansible_parent_role_names") or [])

            # When the controller cache holds the verified archive, the installed files are read in
            # the account's call (one module run for both); without it, the install steps run anyway.
            cached = job["source"] != "remote" and artifact_cached(job)
            paths = [item["dest"] for item in job["files"]] + tree_paths(job) if cached else []
            account = run_module(self, "vigil.observability.system_account", {
                "user": args.get("user"), "group": args.get("group"),
                "extra_groups": args.get("extra_groups") or [], "directories": args.get("directories") or [],
                "read_paths": paths}, task_vars)
            result["changed"] = bool(account.get("changed"))
            if "diff" in account:
                result["diff"] = account["diff"]

            files_changing = []
            state = account.get("paths") or {}
            steps = not cached
            if cached:
                # The SHA-1 of each source in the cache is kept beside the cache after the first host.
                files_changing = paths_to_change(job["files"], state, owner="root", group="root", local_src=True,
                                                 checksum_store=job["cache"] + "/checksums")
                steps = bool(files_changing) or tree_differs(job, state)
        except AnsibleError as error:
            return dict(result, failed=True, msg=str(error).strip())
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        result.update(job=job, cached=cached, paths=state, files_changing=files_changing, steps=steps)
        # The start of the record of this artifact's run (registered as __artifact_run), which the
        # later steps of _artifact update: nothing of an earlier artifact's run carries over.
        result.update(version=spec.get("version"), binary_changed=False, binaries_switched=False,
                      config_changed=False, previous_binaries={}, previous_configs={})
        return result
