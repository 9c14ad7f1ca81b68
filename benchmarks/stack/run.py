# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the whole stack: converge and no-op re-runs of the lab topology, and fleet scaling.

Prints tables; it is not a timed test and asserts nothing. What it measures:
1. the lab topology (1 server + 2 clients, the lab inventory's group variables): first converge
   of site.yml with the main ansible-core, then the no-op re-run (changed=0 expected) under every
   ansible-core of the support window (tools/matrix.sh: lowest, main, newest) and over both
   connections: `docker exec` (the lab's inventory) and SSH (tools/ssh_access.yml turns OpenSSH on
   with a key made for this run, tools/ssh_inventory.py writes the inventory; ControlPersist and
   pipelining from ansible.cfg);
2. fleet scaling: the client tier (playbooks/client.yml) converged on 1, 4 and 10 fresh client
   containers against one converged server, with the ratio to 1 client.

Containers are created with tools/containers.yml and removed at the end. Artifacts come from the
local test mirror unless VIGIL_TEST_ARTIFACTS=upstream. Run: `python3 benchmarks/stack/run.py`
after `make test-quick` (or any make target that set up .venv), from the repository root;
`--cores 2.19 --fleet ""` for the main ansible-core alone and no fleet.
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


def controller(core):
    """The command prefix that runs a program with ansible-core ``core`` (tools/matrix.sh)."""
    return ["tools/matrix.sh", "run", core]


def ssh_inventory(workdir, inv, hosts, env, log):
    """Turn OpenSSH on in ``hosts`` with a key made for this run; the SSH inventory file."""
    key = os.path.join(workdir, "id_ed25519")
    if not os.path.exists(key):
        sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vigil-bench", "-f", key], env=env)
    with open(key + ".pub", encoding="utf-8") as handle:
        public = handle.read().strip()
    sh(["ansible-playbook", "-i", inv, "tools/ssh_access.yml", "-e", json.dumps({"vigil_ssh_public_key": public})],
       env=env, log=log)
    path = os.path.join(workdir, "ssh-inventory.yml")
    sh([sys.executable, "tools/ssh_inventory.py", "--key", key, "--out", path] + list(hosts), env=env)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", default="1,4,10", help="client counts for the scaling runs (empty: none)")
    parser.add_argument("--cores", default="2.16,2.19,2.21",
                        help="ansible-core versions of tools/matrix.sh for the no-op re-runs")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PATH"] = os.path.join(ROOT, ".venv", "bin") + os.pathsep + env["PATH"]
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env_lines = subprocess.run([sys.executable, "tools/test_env.py"], cwd=ROOT, text=True,
                               capture_output=True, check=True).stdout
    for line in env_lines.splitlines():
        key, _sep, value = line[len("export "):].partition("=")
        env[key] = value.strip("'")
    # Under the checkout: the newest ansible-core's controller (a container) sees it at the same path.
    os.makedirs(os.path.join(ROOT, ".cache"), exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="bench-", dir=os.path.join(ROOT, ".cache"))
    log = os.path.join(workdir, "ansible.log")
    varsfile = os.path.join(workdir, "vars.yml")
    with open(varsfile, "w", encoding="utf-8") as handle:
        handle.write(subprocess.run([sys.executable, "tools/test_env.py", "--ansible-vars"], cwd=ROOT,
                                    env=env, text=True, capture_output=True, check=True).stdout)
    fleet = [int(n) for n in args.fleet.split(",") if n.strip()]
    cores = [c.strip() for c in args.cores.split(",") if c.strip()]
    versions = {}
    for core in cores:
        sh(["tools/matrix.sh", "prepare", core], env=env)
        _took, out = sh(controller(core) + ["ansible", "--version"], env=env)
        versions[core] = out.splitlines()[0].strip()
    server = "bench-server"
    all_clients = ["bench-client-%d" % i for i in range(1, max(fleet + [2]) + 1)]
    lab_clients = all_clients[:2]
    rows = []
    everything = [server] + all_clients
    try:
        containers([server] + lab_clients, "present", workdir, env)
        inv = inventory(workdir, server, lab_clients)
        sh(["ansible-playbook", "-i", inv, "tools/lab_prepare.yml", "-e", "@" + varsfile], env=dict(env, VIGIL_ROOT=ROOT), log=log)
        first, _out = sh(["ansible-playbook", "-i", inv, "site.yml", "-e", "@" + varsfile], env=env, log=log)
        rows.append(("lab converge (1 server + 2 clients)", "2.19", "docker", first, ""))
        over_ssh = ssh_inventory(workdir, inv, [server] + lab_clients, env, log)
        for core in cores:
            for transport, extra in (("docker", []), ("ssh", ["-i", over_ssh])):
                took, out = sh(controller(core) + ["ansible-playbook", "-i", inv] + extra + ["site.yml", "-e", "@" + varsfile],
                               env=env, log=log)
                rows.append(("lab no-op re-run", core, transport, took, "changed=%d" % changed(out)))
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
            rows.append(("client tier, %2d fresh clients" % count, "2.19", "docker", took, "x%.2f of 1 client" % (took / base)))
            containers(fresh, "absent", workdir, env)
    finally:
        containers(everything, "absent", workdir, env)
    print()
    for core in cores:
        print("ansible-core %s: %s" % (core, versions[core]))
    print()
    print("%-36s %-6s %-7s %9s  %s" % ("run", "core", "via", "seconds", "note"))
    for name, core, transport, seconds, note in rows:
        print("%-36s %-6s %-7s %9.1f  %s" % (name, core, transport, seconds, note))
    print("(log: %s)" % log)


if __name__ == "__main__":
    main()
