"""Builder of the Grafana test stand-in and of a stand-in plugin zip (see ../README.md).

Grafana: the release tree ``grafana-<V>/`` of ``grafana-<V>.linux-<arch>.tar.gz`` (the file name
mirrors keep, next to its ``.sha256``) with ``bin/grafana`` (grafana/server.py), ``conf/
defaults.ini`` and, under ``lib/vigil-standin/grafana_double/``, the collection's stateful Grafana
API double read at build time from tests/support/grafana_double/ (versions/grafana.yml lists that
directory under ``sources``, so a change to the double rebuilds the mirror).

A build with ``plugin: <id>`` makes ``<id>-<V>.zip`` holding ``<id>/plugin.json`` instead, a
stand-in for that plugin's release zip.
"""
from __future__ import annotations

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "grafana")
DOUBLE = os.path.join(HERE, "..", "..", "support", "grafana_double")


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _plugin(plugin, version):
    manifest = {"id": plugin, "type": "panel", "name": "%s (vigil.observability TEST STAND-IN)" % plugin,
                "info": {"version": version, "description": "Test stand-in of the %s plugin zip." % plugin,
                         "author": {"name": "vigil.observability"}, "updated": "2023-11-14"},
                "dependencies": {"grafanaDependency": ">=10.0.0"}}
    return {
        "%s/plugin.json" % plugin: ((json.dumps(manifest, indent=2) + "\n").encode("utf-8"), 0o644),
        "%s/module.js" % plugin: (b"/* vigil.observability test stand-in: no code */\n", 0o644),
    }


def files(version, arch, spec):
    if spec.get("plugin"):
        return _plugin(spec["plugin"], version)
    server = "#!/usr/bin/env python3\n" + _read(os.path.join(SOURCE, "server.py")).replace("@VERSION@", version)
    notice = ("Grafana %s TEST STAND-IN for vigil.observability (linux/%s): not Grafana. bin/grafana serves the\n"
              "collection's Grafana API double; see tests/artifacts/standins/grafana.py.\n" % (version, arch))
    tree = {
        "bin/grafana": (server.encode("utf-8"), 0o755),
        "conf/defaults.ini": (_read(os.path.join(SOURCE, "defaults.ini")).encode("utf-8"), 0o644),
        "VERSION": (("%s\n" % version).encode("ascii"), 0o644),
        "NOTICE": (notice.encode("utf-8"), 0o644),
    }
    for name in sorted(os.listdir(DOUBLE)):
        if name.endswith(".py"):
            tree["lib/vigil-standin/grafana_double/" + name] = (_read(os.path.join(DOUBLE, name)).encode("utf-8"), 0o644)
    return tree
