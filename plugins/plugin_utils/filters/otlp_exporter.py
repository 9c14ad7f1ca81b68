# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OTLP exporter type name an OpenTelemetry Collector distribution of a given version expects."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# The Collector renamed the exporters `otlp` -> `otlp_grpc` and `otlphttp` -> `otlp_http` in
# 0.144.0 (open-telemetry/opentelemetry-collector #14403, #14397; the old names stay as
# deprecated aliases that log a warning). Distributions built on the Collector core get the new
# names with the release that moved to a core >= 0.144.0: Jaeger releases monthly on the core of
# its month, and 2.15.0 is the first release after 0.144.0 (January 2026).
NEW_NAMES_SINCE = {
    "otelcol": (0, 144, 0),
    "otelcol-contrib": (0, 144, 0),
    "jaeger": (2, 15, 0),
}
NAMES = {"grpc": ("otlp", "otlp_grpc"), "http": ("otlphttp", "otlp_http")}


def _version(text):
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", str(text or ""))
    if not match:
        raise AnsibleFilterError("otlp_exporter: %r is not a release version" % (text,))
    return tuple(int(part or 0) for part in match.groups())


def otlp_exporter(protocol, distribution, version):
    """``'grpc' | otlp_exporter('jaeger', '2.20.0')`` -> ``'otlp_grpc'``."""
    if protocol not in NAMES:
        raise AnsibleFilterError("otlp_exporter: unknown protocol %r (grpc or http)" % (protocol,))
    if distribution not in NEW_NAMES_SINCE:
        raise AnsibleFilterError("otlp_exporter: unknown distribution %r (%s)"
                                 % (distribution, ", ".join(sorted(NEW_NAMES_SINCE))))
    old, new = NAMES[protocol]
    return new if _version(version) >= NEW_NAMES_SINCE[distribution] else old
