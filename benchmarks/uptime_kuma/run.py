# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: N Uptime Kuma monitors in one bulk call vs one call per monitor, first apply and no-op.

    .venv/bin/python benchmarks/uptime_kuma/run.py [--count 100]

Starts its own REAL Uptime Kuma (tests/support/kuma_server.py), claims it, and runs
vigil.observability.uptime_kuma_monitor in-process the way the unit tests do (module arguments
patched in, the result read from stdout), so the figures hold the module's own work and the
server's, without ansible-playbook's start-up and per-task cost. The monitors are paused HTTP
monitors on 127.0.0.1 ports that need not answer. It prints a measurement; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for _path in (os.path.join(ROOT, "collections"), os.path.join(ROOT, "tests", "support")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import kuma_server  # noqa: E402  pylint: disable=wrong-import-position
from module_runner import run_ansible_module  # noqa: E402  pylint: disable=wrong-import-position

MODULE = "ansible_collections.vigil.observability.plugins.modules.uptime_kuma_monitor"


def run_module(args):
    """One module run, as Ansible would start it; the parsed result."""
    result = run_ansible_module(MODULE, args)
    if result.get("failed"):
        raise SystemExit("the module failed: %s" % result.get("msg"))
    return result


def monitors(count, prefix):
    return [{"name": "%s-%03d" % (prefix, i), "type": "http", "monitor_url": "http://127.0.0.1:%d/health" % (30000 + i),
             "interval": 300, "active": False} for i in range(count)]


def measure(label, calls):
    """Run the calls; wall time and the summed request counters."""
    totals = {"logins": 0, "round_trips": 0, "writes": 0}
    changed = 0
    start = time.monotonic()
    for args in calls:
        result = run_module(args)
        for key in totals:
            totals[key] += result["requests"][key]
        changed += sum(1 for m in result["monitors"] if m["changed"])
    return dict(label=label, calls=len(calls), seconds=time.monotonic() - start, changed=changed, **totals)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args(argv)
    server = kuma_server.KumaServer().start()
    rows = []
    try:
        from ansible_collections.vigil.observability.plugins.module_utils._kuma import KumaClient
        with KumaClient(server.url, timeout=30) as client:
            client.setup(kuma_server.ADMIN, kuma_server.ADMIN_PASSWORD)
        with tempfile.TemporaryDirectory(prefix="vigil-bench-kuma-") as workdir:
            conn = {"url": server.url, "username": kuma_server.ADMIN, "password": kuma_server.ADMIN_PASSWORD,
                    "token_file": os.path.join(workdir, "token"), "timeout": 60}
            bulk = dict(conn, monitors=monitors(args.count, "bulk"))
            rows.append(measure("(a) bulk, first apply", [bulk]))
            rows.append(measure("(b) bulk, no-op", [bulk]))
            rows.append(measure("bulk prune of all %d (cleanup)" % args.count, [dict(conn, monitors=[], prune=True)]))
            single = [dict(conn, **item) for item in monitors(args.count, "single")]
            rows.append(measure("(c) one call per monitor, first apply", single))
            rows.append(measure("(d) one call per monitor, no-op", single))
    finally:
        server.stop()

    print("Uptime Kuma %s on loopback, %d paused HTTP monitors, module run in-process (no ansible-playbook)"
          % (kuma_server.VERSION, args.count))
    print()
    print("| run | module calls | wall s | ms per monitor | logins | round trips | writes | monitors changed |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| %s | %d | %.2f | %.1f | %d | %d | %d | %d |" % (
            row["label"], row["calls"], row["seconds"], 1000.0 * row["seconds"] / args.count, row["logins"],
            row["round_trips"], row["writes"], row["changed"]))
    noop = rows[1]
    print()
    print("target: bulk no-op of %d monitors = 1 login, 0 writes: %d login(s), %d write(s) -> %s"
          % (args.count, noop["logins"], noop["writes"], "met" if noop["logins"] == 1 and noop["writes"] == 0 else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
