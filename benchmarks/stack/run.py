# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the whole stack: converge and no-op re-run of the lab topology, and fleet scaling.

Prints a table; it is not a timed test and asserts nothing. What it measures:
1. the lab topology (1 server + 2 clients, the lab inventory's group variables): first converge
   of site.yml, then a no-op re-run (target: <= 30 s);
2. fleet scaling: the client tier (playbooks/client.yml) converged on 1, 4 and 10 fresh client
   containers against one converged server, with the ratio to 1 client (target: 10 clients
   <= 1.5 x 1 client).

Containers are created with tools/containers.yml and removed at the end. Artifacts come from the
local test mirror unless VIGIL_TEST_ARTIFACTS=upstream. Run: `python3 benchmarks/stack/run.py`
after `make test-quick` (or any make target that set up .venv), from the repository root.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETWORK = "vigil-bench"


def sh(cmd, env=None, log=None):
    start = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, env=env, text=True, capture_output=True, check=False)
    took = time.monotonic() - start
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("$ %s\n%s\n%s\n" % (" ".join(cmd), out.stdout, out.stderr))
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit("failed (%d): %s" % (out.returncode, " ".join(cmd)))
    return took, out.stdout


def containers(names, state, workdir, env):
    spec = {
        "vigil_containers_network": NETWORK,
        "vigil_containers_label": "vigil-bench",
        "vigil_containers_state": state,
        "vigil_containers": [{"name": n, "image": "vigil/debian-systemd:%s" % ("trixie" if i % 2 == 0 else "bookworm")}
                             for i, n in enumerate(names)],
    }
    path = os.path.join(workdir, "containers-%s.json" % state)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(spec, handle)
    sh(["ansible-playbook", "tools/containers.yml", "-e", "@" + path], env=env)


def inventory(workdir, server, clients):
    """The lab inventory's group variables with these hosts."""
    path = os.path.join(workdir, "inventory-%d" % len(clients))
    os.makedirs(path)
    os.symlink(os.path.join(ROOT, "inventories", "lab", "group_vars"), os.path.join(path, "group_vars"))
    lines = ["all:", "  children:", "    monitoring_servers:", "      hosts:", "        %s:" % server,
             "    monitoring_clients:", "      hosts:"] + ["        %s:" % c for c in clients]
    with open(os.path.join(path, "hosts.yml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def changed(output):
    return sum(int(n) for n in re.findall(r"changed=(\d+)", output))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", default="1,4,10", help="client counts for the scaling runs")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PATH"] = os.path.join(ROOT, ".venv", "bin") + os.pathsep + env["PATH"]
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env_lines = subprocess.run([sys.executable, "tools/test_env.py"], cwd=ROOT, text=True,
                               capture_output=True, check=True).stdout
    for line in env_lines.splitlines():
        key, _sep, value = line[len("export "):].partition("=")
        env[key] = value.strip("'")
    workdir = tempfile.mkdtemp(prefix="vigil-bench-")
    log = os.path.join(workdir, "ansible.log")
    varsfile = os.path.join(workdir, "vars.yml")
    with open(varsfile, "w", encoding="utf-8") as handle:
        handle.write(subprocess.run([sys.executable, "tools/test_env.py", "--ansible-vars"], cwd=ROOT,
                                    env=env, text=True, capture_output=True, check=True).stdout)
    fleet = [int(n) for n in args.fleet.split(",")]
    server = "bench-server"
    all_clients = ["bench-client-%d" % i for i in range(1, max(fleet) + 1)]
    lab_clients = all_clients[:2]
    rows = []
    everything = [server] + all_clients
    try:
        containers([server] + lab_clients, "present", workdir, env)
        inv = inventory(workdir, server, lab_clients)
        sh(["ansible-playbook", "-i", inv, "tools/lab_prepare.yml", "-e", "@" + varsfile], env=dict(env, VIGIL_ROOT=ROOT), log=log)
        first, _out = sh(["ansible-playbook", "-i", inv, "site.yml", "-e", "@" + varsfile], env=env, log=log)
        noop, out = sh(["ansible-playbook", "-i", inv, "site.yml", "-e", "@" + varsfile], env=env, log=log)
        rows.append(("lab converge (1 server + 2 clients)", first, ""))
        rows.append(("lab no-op re-run", noop, "changed=%d" % changed(out)))
        base = None
        for count in fleet:
            # fresh clients for every fleet size: the client tier converges from scratch
            fresh = ["bench-fleet%d-%d" % (count, i) for i in range(1, count + 1)]
            everything += fresh
            containers(fresh, "present", workdir, env)
            inv = inventory(workdir, server, fresh)
            took, _out = sh(["ansible-playbook", "-i", inv, "playbooks/client.yml", "-e", "@" + varsfile],
                            env=env, log=log)
            base = base or took
            rows.append(("client tier, %2d fresh clients" % count, took, "x%.2f of 1 client" % (took / base)))
            containers(fresh, "absent", workdir, env)
    finally:
        containers(everything, "absent", workdir, env)
    print()
    print("%-40s %10s  %s" % ("run", "seconds", "note"))
    for name, seconds, note in rows:
        print("%-40s %10.1f  %s" % (name, seconds, note))
    print("(log: %s)" % log)


if __name__ == "__main__":
    main()
