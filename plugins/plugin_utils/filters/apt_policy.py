# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The installed and candidate versions of each package in the output of ``apt-cache policy``."""

from __future__ import annotations

import re

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail

# "nginx:" at the start of a line, then its indented "Installed:" and "Candidate:" lines.
_PACKAGE = re.compile(r"^(\S+):\s*$")
_FIELD = re.compile(r"^\s+(Installed|Candidate): (\S+)\s*$")


def upstream_version(version):
    """The upstream part of a Debian version: ``1:2.42.0+ds-5+deb12u1`` gives ``2.42.0``; empty stays empty."""
    return re.sub(r"[-+~].*$", "", re.sub(r"^[0-9]+:", "", str(version or "")))


def apt_policy(output):
    """``{package: {"installed": version, "candidate": version}}`` from ``apt-cache policy <packages>``.

    A version is ``""`` where apt-cache says ``(none)``; a package apt does not know is not in the
    result (apt-cache prints nothing for it on stdout). A name qualified by its architecture
    (``libc6:amd64``, a host with a foreign architecture) counts as the name, the first entry kept.
    """
    if output is None:
        return {}
    if not isinstance(output, str):
        fail("apt_policy", "expects the output of apt-cache policy as text, not a %s", type(output).__name__)
    packages = {}
    current = None
    for line in output.splitlines():
        head = _PACKAGE.match(line)
        if head:
            # "libc6:amd64" on a host with a foreign architecture: the name, the first entry kept.
            name = head.group(1).split(":", 1)[0]
            current = {"installed": "", "candidate": ""}
            packages.setdefault(name, current)
            continue
        field = _FIELD.match(line)
        if field and current is not None:
            value = field.group(2)
            current[field.group(1).lower()] = "" if value == "(none)" else value
    return packages
