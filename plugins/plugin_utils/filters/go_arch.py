# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Map a machine architecture (``ansible_facts.architecture``) to release-file naming."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

# uname -m / Ansible fact value -> Go's GOARCH (+ GOARM), the naming of almost every
# Go project's release files (Prometheus, node_exporter, Alloy, Loki, Jaeger, otelcol).
GO = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv7l": "armv7",
    "armv7": "armv7",
    "armhf": "armv7",
    "armv6l": "armv6",
    "armv6": "armv6",
    "i386": "386",
    "i686": "386",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "mips64": "mips64",
    "mips64el": "mips64le",
}

# Projects that name files after Debian architectures (Telegraf, Node.js style) differ for
# 32-bit ARM and x86.
STYLES = {
    "go": {},
    "debian": {"armv7": "armhf", "armv6": "armel", "386": "i386", "mips64le": "mips64el"},
    "node": {"amd64": "x64", "armv7": "armv7l", "386": "x86"},
}


def go_arch(architecture, style="go"):
    """Return the release-file architecture name for ``architecture``."""
    if style not in STYLES:
        raise AnsibleFilterError(
            "go_arch: unknown style %r; known styles: %s" % (style, ", ".join(sorted(STYLES)))
        )
    key = str(architecture or "").strip().lower()
    if key not in GO:
        raise AnsibleFilterError(
            "unsupported architecture %r: no release files are published for it; known: %s"
            % (architecture, ", ".join(sorted(GO)))
        )
    arch = GO[key]
    return STYLES[style].get(arch, arch)
