"""Builder of the Grafana Loki test stand-in (see ../README.md).

The release zip holds one executable, ``loki-linux-<arch>``: a Python 3 script made of the
documented-config schema shared with the unit tests (tests/unit/roles/loki/loki_schema.py) and
the stand-in program (loki/main.py). Both are read at build time; versions/loki.yml lists them
under ``sources`` so a change rebuilds the mirror.
"""
from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "unit", "roles", "loki", "loki_schema.py")
MAIN = os.path.join(HERE, "loki", "main.py")


def files(version, arch, spec):
    with open(SCHEMA, encoding="utf-8") as handle:
        schema = handle.read()
    with open(MAIN, encoding="utf-8") as handle:
        main = handle.read().replace("@VERSION@", version)
    script = "#!/usr/bin/env python3\n# --- documented configuration (tests/unit/roles/loki/loki_schema.py) ---\n" \
        + schema + "\n# --- stand-in program (tests/artifacts/standins/loki/main.py) ---\n" + main
    return {"loki-linux-%s" % arch: (script.encode("utf-8"), 0o755)}
