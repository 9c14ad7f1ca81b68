"""Stand-in for the Jaeger v1 release archive `jaeger-1.62.0-linux-{arch}.tar.gz` (binary `jaeger-agent`).

1.62.0 is the last release that shipped jaeger-agent; only the agent is part of the stand-in.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otelcol_core import packaging


def files(version, arch, spec):
    main = "import sys\nfrom otelcol_core.legacy_agent import main\nsys.exit(main(%r))\n" % version
    return {
        "jaeger-agent": (packaging.zipapp(main), 0o755),
        "NOTICE": (packaging.notice("jaeger-agent", version), 0o644),
    }
