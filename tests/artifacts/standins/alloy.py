"""Builder of the Grafana Alloy test stand-in (see ../README.md).

The release zip holds one executable, ``alloy-linux-<arch>``: a Python zip application made of
the stand-in program (alloy/main.py) and the Alloy-syntax parser and checker it shares with the
unit tests (tests/support/checkers/alloy_syntax.py), both read at build time; versions/alloy.yml
lists their directories under ``sources`` so a change rebuilds the mirror.
"""
from __future__ import annotations

import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SYNTAX = os.path.join(HERE, "..", "..", "support", "checkers", "alloy_syntax.py")
MAIN = os.path.join(HERE, "alloy", "main.py")
# The zip-application writer of the loki stand-in (one place for both single-binary stand-ins).
SINGLE_BINARY = os.path.join(HERE, "loki", "single_binary.py")


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def files(version, arch, spec):
    loader = importlib.util.spec_from_file_location("standin_single_binary", SINGLE_BINARY)
    single = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(single)
    binary = single.zipapp({"__main__.py": _read(MAIN).replace("@VERSION@", version), "alloy_syntax.py": _read(SYNTAX)})
    return {"alloy-linux-%s" % arch: (binary, 0o755)}
