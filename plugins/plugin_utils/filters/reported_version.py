# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The release version a Prometheus-style binary prints with --version."""

from __future__ import annotations

import re

# "prometheus, version 2.53.0 (branch: HEAD, ...)", "alertmanager, version 0.28.1 (...)",
# Debian's "prometheus, version 2.42.0+ds (branch: debian/sid, ...)": the first X.Y.Z after "version".
_VERSION = re.compile(r"\bversion v?([0-9]+\.[0-9]+\.[0-9]+)")


def reported_version(output, default=""):
    """Return the X.Y.Z of ``output`` (a ``--version`` output), or ``default`` when it names none."""
    match = _VERSION.search(str(output or ""))
    return match.group(1) if match else default
