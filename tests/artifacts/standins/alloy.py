"""Builder of the Grafana Alloy test stand-in (see ../README.md).

The release zip holds one executable, ``alloy-linux-<arch>``: a Python 3 script made of the
Alloy-syntax parser and checker shared with the unit tests (tests/unit/roles/alloy/alloy_syntax.py)
and the stand-in program (alloy/main.py), both read at build time; versions/alloy.yml lists them
under ``sources`` so a change rebuilds the mirror.
"""
from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
SYNTAX = os.path.join(HERE, "..", "..", "unit", "roles", "alloy", "alloy_syntax.py")
MAIN = os.path.join(HERE, "alloy", "main.py")


def files(version, arch, spec):
    with open(SYNTAX, encoding="utf-8") as handle:
        syntax = handle.read()
    with open(MAIN, encoding="utf-8") as handle:
        main = handle.read().replace("@VERSION@", version)
    script = "#!/usr/bin/env python3\n# --- Alloy syntax (tests/unit/roles/alloy/alloy_syntax.py) ---\n" \
        + syntax + "\n# --- stand-in program (tests/artifacts/standins/alloy/main.py) ---\n" + main
    return {"alloy-linux-%s" % arch: (script.encode("utf-8"), 0o755)}
