# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one host-task costs the controller: the floor under every no-op figure of benchmarks/stack.

Prints a table; it is not a timed test and asserts nothing. On one fresh container (the Debian
image of the lab, reached by `docker exec` as the lab is), plays of N identical tasks are run with
the ansible-core of .venv, and each row is (run - empty play) / N:

- `stat`: a module run on the host (one round trip with a fresh Python there);
- `stat` whose argument uses a filter of this collection: the same, plus the filter lookup in the
  worker process (ansible-core imports every filter file of a collection in each worker that
  uses one of its filters);
- `debug`: a task that only computes on the controller;
- a skipped task (`when: false`).

Controller CPU is user + sys of the whole ansible-playbook process tree (the docker CLI included).
Run: `python3 benchmarks/task_floor/run.py [--tasks 60]` from the repository root after
`make test-quick` (or any make target that set up .venv and the images).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "stack"))
import run as stack  # noqa: E402  (the container, environment and timing helpers of the stack benchmark)

HOST = "bench-floor-1"
KINDS = [
    ("stat (a module on the host)", {"ansible.builtin.stat": {"path": "/etc/hostname", "get_checksum": False}}),
    ("stat with a filter of this collection", {"ansible.builtin.stat": {
        "path": "/etc/{{ 'hostname' | vigil.observability.cache_dir | basename }}",
        "get_checksum": False}}),
    ("debug (controller only)", {"ansible.builtin.debug": {"msg": "x"}}),
    ("skipped (when: false)", {"ansible.builtin.debug": {"msg": "x"}, "when": False}),
]


def play(path, task, count):
    tasks = [dict(task, name="task %d" % i) for i in range(count)]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([{"hosts": HOST, "gather_facts": False, "tasks": tasks}], handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=60, help="tasks per play")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PATH"] = os.path.join(stack.ROOT, ".venv", "bin") + os.pathsep + env["PATH"]
    env["ANSIBLE_CONFIG"] = os.path.join(stack.ROOT, "ansible.cfg")
    workdir = tempfile.mkdtemp(prefix="vigil-floor-")
    inv = os.path.join(workdir, "hosts.yml")
    with open(inv, "w", encoding="utf-8") as handle:
        handle.write("all:\n  hosts:\n    %s:\n      ansible_connection: community.docker.docker\n"
                     "      ansible_python_interpreter: /usr/bin/python3\n" % HOST)
    log = os.path.join(workdir, "log")
    stack.containers([HOST], "present", workdir, env)
    try:
        empty = os.path.join(workdir, "empty.json")
        play(empty, {"ansible.builtin.debug": {"msg": "x"}}, 1)
        rows = []
        # A first run builds the module payloads (the controller's cache); the rows are the second runs.
        for label, task in KINDS:
            path = os.path.join(workdir, "play.json")
            play(path, task, args.tasks)
            stack.playbook(["ansible-playbook", "-i", inv, path], env, log, [HOST])
            base = stack.playbook(["ansible-playbook", "-i", inv, empty], env, log, [HOST])
            full = stack.playbook(["ansible-playbook", "-i", inv, path], env, log, [HOST])
            rows.append((label, base, full))
        print("Tasks per play: %d; ansible-core of .venv through docker exec; per task = (play - empty play) / tasks." % args.tasks)
        print("")
        print("| task | empty play wall s | empty play CPU s | wall ms per task | controller CPU ms per task |")
        print("|---|---|---|---|---|")
        for label, base, full in rows:
            print("| %s | %.2f | %.2f | %.0f | %.0f |" % (
                label, base["wall"], base["cpu"], 1000 * (full["wall"] - base["wall"]) / args.tasks,
                1000 * (full["cpu"] - base["cpu"]) / args.tasks))
    finally:
        stack.containers([HOST], "absent", workdir, env)


if __name__ == "__main__":
    main()
