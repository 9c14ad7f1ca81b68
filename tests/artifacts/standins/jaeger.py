"""Stand-in for the Jaeger v2 release archive `jaeger-{V}-linux-{arch}.tar.gz` (binary `jaeger`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otelcol_core import packaging


def files(version, arch, spec):
    return {
        "jaeger": (packaging.zipapp(packaging.collector_main("jaeger", "jaeger", version, "Jaeger")), 0o755),
        "NOTICE": (packaging.notice("jaeger", version), 0o644),
    }
