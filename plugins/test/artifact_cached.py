# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an artifact planned by the _artifact role is already verified and unpacked."""

from __future__ import annotations

import os

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.sha256_from_sums import sha256_from_sums


def _expected_digest(job):
    digest = str(job.get("checksum") or "")
    if digest:
        return digest.lower()
    sums = str(job.get("sums_path") or "")
    if not job.get("sums_file") or not os.path.isfile(sums):
        return ""
    try:
        with open(sums, encoding="utf-8", errors="replace") as handle:
            return sha256_from_sums(handle.read(), str(job.get("file") or ""), job.get("sums_format") or "sums")
    except (OSError, AnsibleFilterError):
        return ""


def artifact_cached(job):
    """True when the controller cache holds the archive of ``job`` verified and unpacked.

    The fetch steps leave ``<cache>/unpacked/.unpacked-<sha256>`` only after the archive
    matched its expected digest and was unpacked. The expected digest is the job's literal
    checksum, or the one in the checksum file at the job's ``sums_path`` (in the cache, or next
    to the local archive for that source), which the fetch steps read too. Anything missing or unreadable answers False, so the fetch steps run and
    report the problem themselves. Jobs fetched on the targets (source ``remote``) are never
    cached on the controller.
    """
    if not isinstance(job, dict):
        raise AnsibleFilterError("artifact_cached: expected an _artifact job (a mapping), got %r" % type(job).__name__)
    if job.get("source") == "remote" or not job.get("cache"):
        return False
    digest = _expected_digest(job)
    if not digest:
        return False
    return os.path.isfile(os.path.join(str(job["cache"]), "unpacked", ".unpacked-" + digest))


class TestModule:
    """The artifact_cached test."""

    def tests(self):
        return {"artifact_cached": artifact_cached}
