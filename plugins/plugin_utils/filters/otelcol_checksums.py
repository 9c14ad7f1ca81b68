# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where an OpenTelemetry Collector release publishes the checksum of its Linux archive."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# open-telemetry/opentelemetry-collector-releases #1582: from 0.158.0 every artifact has a
# `<artifact>.sha256` sidecar holding only the hex digest; before, one combined
# `opentelemetry-collector-releases_<distribution>_checksums.txt` in sha256sum format.
SIDECAR_SINCE = (0, 158, 0)


def otelcol_checksums(version, distribution="otelcol-contrib"):
    """``'0.159.0' | otelcol_checksums`` -> ``{'file': ..., 'format': 'bare'}`` ({arch} left in place)."""
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", str(version or ""))
    if not match:
        raise AnsibleFilterError("otelcol_checksums: %r is not a release version" % (version,))
    if not re.match(r"^[a-z][a-z0-9-]*$", str(distribution or "")):
        raise AnsibleFilterError("otelcol_checksums: %r is not a distribution name" % (distribution,))
    plain = "%s.%s.%s" % match.groups()
    if tuple(int(p) for p in match.groups()) >= SIDECAR_SINCE:
        return {"file": "%s_%s_linux_{arch}.tar.gz.sha256" % (distribution, plain), "format": "bare"}
    return {"file": "opentelemetry-collector-releases_%s_checksums.txt" % distribution, "format": "sums"}
