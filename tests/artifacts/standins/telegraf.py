"""Builder of the Telegraf test stand-in (see ../README.md and telegraf/telegraf.py).

The release archive ``telegraf-{V}_linux_{arch}.tar.gz`` holds ``./telegraf-{V}/usr/bin/telegraf``
and ``./telegraf-{V}/etc/telegraf/telegraf.conf``, as upstream's does (two leading components to
strip). The program is telegraf/telegraf.py with a python3 shebang, the version and Telegraf's
plugin list (telegraf/plugins.json) written in.
"""
from __future__ import annotations

import json
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "telegraf")

SAMPLE = """# Telegraf configuration (vigil.observability TEST STAND-IN release, not InfluxData Telegraf)
[agent]
  interval = "10s"

[[outputs.prometheus_client]]
  listen = ":9273"

[[inputs.cpu]]
[[inputs.mem]]
"""


def program(version):
    with open(os.path.join(HERE, "telegraf.py"), encoding="utf-8") as handle:
        source = handle.read()
    with open(os.path.join(HERE, "plugins.json"), encoding="utf-8") as handle:
        plugins = json.load(handle)
    version_line = 'VERSION = "0.0.0"  # replaced by the builder\n'
    plugins_line = "PLUGINS = {}  # replaced by the builder: tests/artifacts/standins/telegraf/plugins.json\n"
    if version_line not in source or plugins_line not in source:
        raise SystemExit("telegraf stand-in: the VERSION/PLUGINS lines of telegraf/telegraf.py changed")
    source = source.replace(version_line, "VERSION = %r\n" % version)
    source = source.replace(plugins_line, "PLUGINS = json.loads(%r)\n" % json.dumps(plugins, sort_keys=True))
    # The entry script named like the real binary; the source itself carries no shebang.
    return ("#!/usr/bin/env python3\n" + source).encode("utf-8")


def files(version, arch, spec):
    """{path inside the release directory: (bytes, mode)}."""
    return {
        "usr/bin/telegraf": (program(version), 0o755),
        "etc/telegraf/telegraf.conf": (SAMPLE.encode("utf-8"), 0o644),
    }
