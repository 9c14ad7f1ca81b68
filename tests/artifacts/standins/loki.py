"""Builder of the Grafana Loki test stand-in (see ../README.md).

The release zip holds one executable, ``loki-linux-<arch>``: a Python zip application made of
the stand-in program (loki/main.py) and the documented-config schema it shares with the unit
tests (tests/support/checkers/loki_schema.py), both read at build time; versions/loki.yml lists
their directories under ``sources`` so a change rebuilds the mirror.
"""
from __future__ import annotations

import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "support", "checkers", "loki_schema.py")
MAIN = os.path.join(HERE, "loki", "main.py")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def files(version, arch, spec):
    single = _load("standin_single_binary", os.path.join(HERE, "loki", "single_binary.py"))
    binary = single.zipapp({"__main__.py": _read(MAIN).replace("@VERSION@", version), "loki_schema.py": _read(SCHEMA)})
    return {"loki-linux-%s" % arch: (binary, 0o755)}
