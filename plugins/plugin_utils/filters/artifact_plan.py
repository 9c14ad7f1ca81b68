# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of one ``_artifact`` install: where the archive comes from, where it is cached, what goes where.

Everything ``_artifact``'s ``install`` entry point decides before it touches a host, in one place:
the input checks (a pinned version, a way to verify the archive, something to install), the
release architecture, the download and checksum URLs (upstream or the mirror), the cache, and the
list of files and links the host receives. A bad input raises one message naming the artifact.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.cache_dir import cache_dir
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.go_arch import go_arch

_SHA256 = re.compile(r"^sha256:[0-9a-fA-F]{64}$")
# Every input the install entry point passes (the role's defaults and vars hold their values).
_INPUTS = ("name", "version", "url", "checksum", "checksum_url", "checksum_format", "source", "local_archive", "mirror",
           "cache_dir", "remote_cache_root", "arch_style", "strip_components", "binaries", "bin_dir", "extra_files", "tree",
           "file")


def _text(value):
    return "" if value is None else str(value)


def _basename(url):
    return os.path.basename(urlsplit(url).path)


def _problems(spec, name):
    version = _text(spec.get("version"))
    problems = []
    if not version or version == "latest" or version.startswith("v"):
        problems.append(
            "%s: version '%s' is not a pinned release version (give it without a leading 'v'; 'latest' is refused)." % (name, version)
        )
    checksum = _text(spec["checksum"])
    if not (checksum or _text(spec["checksum_url"])) or (checksum and not _SHA256.match(checksum)):
        problems.append(
            "%s: no way to verify the archive. Give a checksum file URL or a literal checksum of the form "
            "sha256:<64 hex digits> (got '%s')." % (name, checksum)
        )
    tree = spec["tree"] or {}
    transfer = tree.get("transfer") or "unarchive"
    if (
        not (spec["binaries"] or tree)
        or (tree and not _text(tree.get("dest")).startswith("/"))
        or transfer not in ("unarchive", "copy")
        or (tree and transfer == "unarchive" and not _text(tree.get("creates")))
    ):
        problems.append(
            "%s: give _artifact_binaries, _artifact_tree (with an absolute dest), or both; a tree transferred with unarchive "
            "names the file that shows it is unpacked in _artifact_tree.creates (got _artifact_tree %r)." % (name, dict(tree))
        )
    return problems


def artifact_plan(spec, architecture, parent_roles):
    """The install plan (the ``job`` of the ``__artifact_run`` record) of ``spec`` for a host of ``architecture``.

    ``spec`` maps every ``_artifact_*`` input of the install entry point without its prefix
    (``name``, ``version``, ``url``, ``checksum``, ...: ``_INPUTS``); ``parent_roles`` is
    ``ansible_parent_role_names`` (the first is the calling role, which the play's fetch step uses
    to find the artifacts of the same role on every host).
    """
    if not isinstance(spec, dict):
        raise AnsibleFilterError("artifact_plan: expected a mapping of _artifact inputs, got %s" % type(spec).__name__)
    if not parent_roles:
        raise AnsibleFilterError("_artifact is internal: include it from a role with tasks_from: install.yml")
    missing = [key for key in _INPUTS if key not in spec]
    if missing:
        raise AnsibleFilterError("artifact_plan: the input(s) %s are missing" % ", ".join(missing))
    name = _text(spec["name"])
    problems = _problems(spec, name)
    if problems:
        raise AnsibleFilterError(" ".join(problems))

    version = _text(spec["version"])
    arch = go_arch(architecture, spec["arch_style"])
    source = "local_archive" if spec["local_archive"] else _text(spec["source"])
    url = _text(spec["url"]).replace("{arch}", arch)
    sums_url = _text(spec["checksum_url"]).replace("{arch}", arch)
    file_name = _text(spec["file"]) or _basename(url)
    sums_file = _basename(sums_url)
    mirror = re.sub("/+$", "", _text(spec["mirror"]))
    mirror_base = ("file://" if mirror.startswith("/") else "") + "/".join([mirror, name, version])
    if spec["cache_dir"]:
        cache = _text(spec["cache_dir"]).replace("{arch}", arch)
    elif source == "remote":
        cache = "/".join([_text(spec["remote_cache_root"]).rstrip("/"), name, version, arch])
    else:
        cache = cache_dir(name, version, arch)
    job_url = mirror_base + "/" + file_name if mirror else url
    if source == "remote" and job_url.startswith("file://"):
        raise AnsibleFilterError(
            "%s: the mirror %s is a controller directory, which the targets cannot read; use the controller "
            "source or an HTTP mirror." % (name, spec["mirror"])
        )

    tree = dict(spec["tree"] or {})
    if tree:
        tree["transfer"] = tree.get("transfer") or "unarchive"
        if tree.get("creates"):
            tree["creates"] = _text(tree["creates"]).replace("{arch}", arch)
            # The file that shows an unpacked tree is complete (tree.yml's `creates`, the install read).
            tree["creates_path"] = _text(tree["dest"]).rstrip("/") + "/" + tree["creates"]
    unpacked = cache + "/unpacked/"
    if tree.get("transfer") == "copy":
        # What tree.yml and tree_copy.yml use: the source directory in the cache, the version file,
        # the group and mode of the copied files.
        tree["copy_src"] = unpacked + (_text(tree.get("src")).strip("/") + "/").lstrip("/")
        tree["version_path"] = tree["dest"].rstrip("/") + "/" + (_text(tree.get("version_file")) or ".vigil-version")
        tree["group"] = _text(tree.get("group")) or "root"
        tree["mode"] = _text(tree.get("mode")) or "u=rwX,g=rX,o=rX"
    bin_dir = _text(spec["bin_dir"]).rstrip("/")
    binaries = [
        {"src": _text(item["src"]).replace("{arch}", arch), "dest": bin_dir + "/" + _text(item["dest"])}
        for item in spec["binaries"] or []
    ]
    # A binary is staged and switched in by binaries.yml, a further file copied in place.
    files = [] if tree else [{"src": unpacked + b["src"], "dest": b["dest"], "mode": "0755", "binary": True} for b in binaries]
    files += [
        {"src": unpacked + _text(item["src"]), "dest": _text(item["dest"]), "mode": _text(item.get("mode") or "0644"), "binary": False}
        for item in spec["extra_files"] or []
    ]
    links = [{"src": tree["dest"].rstrip("/") + "/" + b["src"], "dest": b["dest"]} for b in binaries] if tree else []
    local_archive = _text(spec["local_archive"])
    return {
        "role": parent_roles[0],
        "name": name,
        "version": version,
        "arch": arch,
        "source": source,
        "url": job_url,
        "file": file_name,
        "checksum": re.sub("^sha256:", "", _text(spec["checksum"])).lower(),
        "sums_url": mirror_base + "/" + sums_file if mirror else sums_url,
        "sums_file": sums_file,
        # Where the checksum file is read: beside a local archive, else in the cache.
        "sums_path": (os.path.dirname(local_archive) if source == "local_archive" else cache) + "/" + sums_file,
        "sums_format": _text(spec["checksum_format"]),
        "local_archive": local_archive,
        "cache": cache,
        "strip": 0 if file_name.endswith(".zip") else int(spec["strip_components"]),
        "archive": local_archive if source == "local_archive" else cache + "/" + file_name,
        "remote_src": source == "remote",
        "tree": tree,
        "files": files,
        "links": links,
    }
