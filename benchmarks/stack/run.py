# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the whole stack: converge and no-op re-runs of the lab topology, and fleet cost.

Prints tables; it is not a timed test and asserts nothing. For every run it reports the wall time,
the controller CPU (user + sys of the whole ansible-playbook process tree, which does not depend
on how many CPUs the machine has), the tasks each host ran (ok + skipped, from a callback in
benchmarks/stack/callback_plugins) and the artifact downloads (get_url tasks that ran).

1. The lab topology (1 server + 2 clients, the lab inventory's group variables): the first
   converge of site.yml, then the no-op re-run (changed=0 expected) with stock Ansible and with
   Mitogen (mitogen_linear, its docker transport), then with the other ansible-cores of the
   support window (tools/matrix.sh) and over SSH (tools/ssh_access.yml, ControlPersist and
   pipelining from ansible.cfg).
2. Fleet cost: the client tier (playbooks/client.yml) converged on 1, 4 and 10 fresh client
   containers against the converged server, each time with an empty controller cache (so the
   downloads show that an artifact is fetched once per controller, not per host), then its no-op
   re-run; CPU and tasks per client host, and the CPU split into what a run costs once and what
   each further client adds (the least-squares line through the fleet sizes); beside it, ansible-core's
   own floor on the same clients (floor.yml: a play that does nothing, and what a task that runs a
   module and one that runs none cost per client), the cost under any collection's run.

Containers are created with tools/containers.yml and removed at the end. Artifacts come from the
local test mirror unless VIGIL_TEST_ARTIFACTS=upstream. Run: `python3 benchmarks/stack/run.py`
after `make test-quick` (or any make target that set up .venv), from the repository root;
`--cores 2.19 --no-ssh` for the main ansible-core alone over docker, `--fleet ""` for no fleet.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETWORK = "vigil-bench"


def cpu_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


# The ansible-core of .venv (requirements/test.txt), run directly so that its CPU is counted, and
# the one tools/matrix.sh runs in a container (its CPU is not counted here).
MAIN_CORE = "2.19"
CONTAINER_CORE = "2.21"


def controller(core):
    """The command prefix that runs a program with ansible-core ``core``: none for the main one, else tools/matrix.sh."""
    return [] if core == MAIN_CORE else ["tools/matrix.sh", "run", core]


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


def playbook(cmd, env, log, hosts):
    """Run an ansible-playbook command; wall seconds, controller CPU seconds, per-host counts, changed."""
    counts_file = os.path.join(os.path.dirname(log), "counts.json")
    run_env = dict(env, VIGIL_BENCH_COUNTS=counts_file, ANSIBLE_CALLBACKS_ENABLED="vigil_bench_counts",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(ROOT, "benchmarks", "stack", "callback_plugins"))
    if os.path.exists(counts_file):
        os.unlink(counts_file)
    cpu = cpu_children()
    took, out = sh(cmd, env=run_env, log=log)
    cpu = cpu_children() - cpu
    counts = {}
    if os.path.exists(counts_file):
        with open(counts_file, encoding="utf-8") as handle:
            counts = json.load(handle)
    return {"wall": took, "cpu": cpu, "counts": counts, "changed": changed(out), "hosts": hosts}


def tasks(run, host):
    entry = run["counts"].get(host, {})
    return entry.get("ok", 0) + entry.get("skipped", 0)


def downloads(run):
    return sum(entry.get("downloads", 0) for entry in run["counts"].values())


def cost_line(points):
    """(intercept, slope) of the least-squares line through ``points`` [(clients, CPU seconds)]."""
    count = len(points)
    xs = [point[0] for point in points]
    ys = [point[1] for point in points]
    mean_x, mean_y = sum(xs) / count, sum(ys) / count
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x in xs)
    return mean_y - slope * mean_x, slope


def floor(inv, hosts, env, log):
    """ansible-core's own cost on ``hosts``: the CPU of a play that does nothing, and what a task that runs a
    module and one that runs none add per host (floor.yml's ten of each, by subtraction)."""
    base = ["ansible-playbook", "-i", inv, "benchmarks/stack/floor.yml", "--limit", ",".join(hosts), "--tags"]
    cpu = {}
    for tags in ("start", "start,modules", "start,controller"):
        before = cpu_children()
        sh(base + [tags], env=env, log=log)
        cpu[tags] = cpu_children() - before
    per_task = 10.0 * len(hosts)
    return {"start": cpu["start"], "module": (cpu["start,modules"] - cpu["start"]) / per_task,
            "controller": (cpu["start,controller"] - cpu["start"]) / per_task}


def mitogen_env(env):
    """The environment of a Mitogen run: its mitogen_linear strategy from the venv."""
    out = subprocess.run([os.path.join(ROOT, ".venv", "bin", "python"), "-c",
                          "import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__))"],
                         text=True, capture_output=True, check=True).stdout.strip()
    return dict(env, ANSIBLE_STRATEGY="mitogen_linear", ANSIBLE_STRATEGY_PLUGINS=out + "/plugins/strategy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleet", default="1,4,10", help="client counts for the fleet runs (empty: none)")
    parser.add_argument("--cores", default="2.16,2.19,2.21",
                        help="ansible-core versions of tools/matrix.sh for the no-op re-runs (2.19 is the venv's)")
    parser.add_argument("--no-ssh", action="store_true", help="no no-op re-runs over SSH")
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
        if core != MAIN_CORE:
            sh(["tools/matrix.sh", "prepare", core], env=env)
        _took, out = sh(controller(core) + ["ansible", "--version"], env=env)
        versions[core] = out.splitlines()[0].strip()
    server = "bench-server"
    lab_clients = ["bench-client-1", "bench-client-2"]
    lab = []
    fleet_rows = []
    everything = [server] + lab_clients
    try:
        containers([server] + lab_clients, "present", workdir, env)
        inv = inventory(workdir, server, lab_clients)
        hosts = [server] + lab_clients
        sh(["ansible-playbook", "-i", inv, "tools/lab_prepare.yml", "-e", "@" + varsfile], env=dict(env, VIGIL_ROOT=ROOT), log=log)
        site = ["ansible-playbook", "-i", inv, "site.yml", "-e", "@" + varsfile]
        lab.append(("converge", MAIN_CORE, "docker", playbook(site, env, log, hosts)))
        lab.append(("no-op", MAIN_CORE, "docker", playbook(site, env, log, hosts)))
        lab.append(("no-op", MAIN_CORE, "mitogen", playbook(site + ["-e", "ansible_connection=docker"], mitogen_env(env), log, hosts)))
        over_ssh = None if args.no_ssh else ssh_inventory(workdir, inv, hosts, env, log)
        for core in cores:
            for transport, extra in (("docker", []), ("ssh", ["-i", over_ssh] if over_ssh else None)):
                if extra is None or (core == MAIN_CORE and transport == "docker"):
                    continue
                cmd = controller(core) + ["ansible-playbook", "-i", inv] + extra + ["site.yml", "-e", "@" + varsfile]
                run = playbook(cmd, env, log, hosts)
                if core == CONTAINER_CORE:
                    run["cpu"] = None
                lab.append(("no-op", core, transport, run))
        for count in fleet:
            # Fresh clients and an empty controller cache for every fleet size.
            fresh = ["bench-fleet%d-%d" % (count, i) for i in range(1, count + 1)]
            everything += fresh
            containers(fresh, "present", workdir, env)
            inv = inventory(workdir, server, fresh)
            cache = os.path.join(workdir, "cache-%d" % count)
            fleet_env = dict(env, XDG_CACHE_HOME=cache)
            client = ["ansible-playbook", "-i", inv, "playbooks/client.yml", "-e", "@" + varsfile]
            first = playbook(client, fleet_env, log, fresh)
            again = playbook(client, fleet_env, log, fresh)
            fleet_rows.append((count, first, again, floor(inv, fresh, fleet_env, log)))
            containers(fresh, "absent", workdir, env)
    finally:
        containers(everything, "absent", workdir, env)
    print()
    for core in cores:
        print("ansible-core %s: %s" % (core, versions[core]))
    print()
    print("Lab (1 server + 2 clients), site.yml")
    print("| run | core | via | wall s | controller CPU s | changed | tasks server | tasks per client | downloads |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, core, via, run in lab:
        per_client = sum(tasks(run, c) for c in lab_clients) / len(lab_clients)
        cpu = "-" if run["cpu"] is None else "%.1f" % run["cpu"]
        print("| %s | %s | %s | %.1f | %s | %d | %d | %.0f | %d |" % (
            name, core, via, run["wall"], cpu, run["changed"], tasks(run, server), per_client, downloads(run)))
    if fleet_rows:
        print()
        print("Fleet: client tier on N fresh clients (empty controller cache), then its no-op re-run")
        print("| clients | converge wall s | converge CPU s per client | downloads | no-op wall s"
              " | no-op CPU s per client | no-op tasks per client | no-op changed |")
        print("|---|---|---|---|---|---|---|---|")
        for count, first, again, _floor in fleet_rows:
            per_client = sum(tasks(again, c) for c in again["hosts"]) / count
            print("| %d | %.1f | %.2f | %d | %.1f | %.2f | %.0f | %d |" % (
                count, first["wall"], first["cpu"] / count, downloads(first), again["wall"], again["cpu"] / count,
                per_client, again["changed"]))
        if len(fleet_rows) > 1:
            # What a run costs once (the playbook's start, the servers' deploy quiet) and what each
            # further client adds: the least-squares line through (clients, CPU) of each kind of run.
            for label, index in (("converge", 1), ("no-op", 2)):
                fixed, per_host = cost_line([(row[0], row[index]["cpu"]) for row in fleet_rows])
                print("%s CPU: %.2f s per run + %.2f s per client" % (label, fixed, per_host))
        print()
        print("ansible-core's own floor on the same clients (benchmarks/stack/floor.yml): a play that does nothing,"
              " and what one task adds per client")
        print("| clients | empty play CPU s | per client | a module task, CPU s per client | a controller-side task,"
              " CPU s per client |")
        print("|---|---|---|---|---|")
        for count, _first, _again, low in fleet_rows:
            print("| %d | %.2f | %.2f | %.3f | %.3f |" % (count, low["start"], low["start"] / count, low["module"], low["controller"]))
    print("(log: %s)" % log)


if __name__ == "__main__":
    main()
