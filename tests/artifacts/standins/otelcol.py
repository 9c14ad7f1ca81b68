"""Stand-in for `otelcol-contrib_{V}_linux_{arch}.tar.gz` (goreleaser layout: no top directory)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otelcol_core import packaging


def files(version, arch, spec):
    main = packaging.collector_main("otelcol-contrib", "otelcol-contrib", version,
                                    "the OpenTelemetry Collector Contrib")
    return {
        "otelcol-contrib": (packaging.zipapp(main), 0o755),
        "README.md": (packaging.notice("otelcol-contrib", version), 0o644),
    }
