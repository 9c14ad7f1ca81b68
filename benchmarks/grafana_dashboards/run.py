# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: provisioning N dashboards, then a no-op second pass.

    .venv/bin/python benchmarks/grafana_dashboards/run.py [--count 200] [--modes bulk,per-task,community]

The dashboards are made from the real fixtures in shared/grafana/dashboards/ (Node Exporter Full
and the MLT export, alternately) with distinct uids and titles. Each mode runs against a fresh
Grafana double (tests/support/grafana_double, started as its own process) with
``ansible-playbook`` on localhost:

- ``bulk``: vigil.observability.grafana_dashboard with ``path: <directory>`` (one task, one module run)
- ``per-task``: vigil.observability.grafana_dashboard once per file (a loop)
- ``community``: community.grafana.grafana_dashboard once per file (a loop)

It prints wall-clock seconds of both passes (ansible-playbook start-up included), the requests
the double received, and the ratios to community.grafana. It is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SUPPORT = os.path.join(ROOT, "tests", "support")
if os.path.join(ROOT, "tools") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tools"))

import test_env  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "glsa_benchmark_0123456789abcdef"


def find_dashboards():
    folder = os.path.join(test_env.shared_dir(), "grafana", "dashboards")
    if not os.path.isdir(folder):
        raise SystemExit("the shared real dashboards are not at %s: point VIGIL_SHARED_DIR at the shared folder" % folder)
    return folder


def make_dashboards(directory, count):
    source = find_dashboards()
    fixtures = []
    for name in sorted(os.listdir(source)):
        if name.endswith(".json"):
            with open(os.path.join(source, name), encoding="utf-8") as handle:
                fixtures.append((os.path.splitext(name)[0], json.load(handle)))
    files = []
    for index in range(count):
        stem, data = fixtures[index % len(fixtures)]
        dash = copy.deepcopy(data)
        dash["uid"] = "bench-%s-%03d" % (stem[:20], index)
        dash["title"] = "%s %03d" % (data["title"], index)
        path = os.path.join(directory, "%03d-%s.json" % (index, stem))
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(dash, handle)
        files.append(path)
    return files


class Double(object):
    """The Grafana double as a separate process on a free port."""

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "grafana_double", "--port", "0", "--token", TOKEN, "--no-record-bodies",
                                      "--log-size", "1000000"], cwd=SUPPORT, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            raise SystemExit("the double did not start: %r" % line)
        self.url = match.group(1)
        return self

    def stats(self):
        with urllib.request.urlopen(self.url + "/__fake__/stats") as resp:
            return json.loads(resp.read())

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)


PLAYBOOKS = {
    "bulk": """
- hosts: localhost
  gather_facts: false
  tasks:
    - vigil.observability.grafana_dashboard:
        url: "{{ url }}"
        token: "{{ token }}"
        path: "{{ directory }}"
""",
    "per-task": """
- hosts: localhost
  gather_facts: false
  tasks:
    - vigil.observability.grafana_dashboard:
        url: "{{ url }}"
        token: "{{ token }}"
        path: "{{ item }}"
      loop: "{{ files }}"
      loop_control:
        label: "{{ item | basename }}"
""",
    "community": """
- hosts: localhost
  gather_facts: false
  tasks:
    - community.grafana.grafana_dashboard:
        url: "{{ url }}"
        grafana_api_key: "{{ token }}"
        path: "{{ item }}"
      loop: "{{ files }}"
      loop_control:
        label: "{{ item | basename }}"
""",
}


def play(mode, workdir, url, directory, files):
    playbook = os.path.join(workdir, "%s.yml" % mode)
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAYBOOKS[mode])
    extra = os.path.join(workdir, "vars.json")
    with open(extra, "w", encoding="utf-8") as handle:
        json.dump({"url": url, "token": TOKEN, "directory": directory, "files": files,
                   "ansible_python_interpreter": sys.executable}, handle)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_DISPLAY_OK_HOSTS="false",
               ANSIBLE_DISPLAY_SKIPPED_HOSTS="false")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
               playbook, "-e", "@" + extra]
    start = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    took = time.monotonic() - start
    recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", proc.stdout)
    if proc.returncode != 0 or not recap:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit("%s: ansible-playbook failed (rc %d)" % (mode, proc.returncode))
    return took, int(recap.group(2))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--modes", default="bulk,per-task,community")
    args = parser.parse_args(argv)
    modes = args.modes.split(",")
    results = {}
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as workdir:
        directory = os.path.join(workdir, "dashboards")
        os.mkdir(directory)
        files = make_dashboards(directory, args.count)
        size = sum(os.path.getsize(f) for f in files)
        print("%d dashboards, %.1f MB of JSON, in %s" % (len(files), size / 1e6, directory))
        for mode in modes:
            with Double() as double:
                first, changed_first = play(mode, workdir, double.url, directory, files)
                after_first = double.stats()
                second, changed_second = play(mode, workdir, double.url, directory, files)
                after_second = double.stats()
            results[mode] = {
                "first": first, "second": second, "changed_first": changed_first, "changed_second": changed_second,
                "requests_second": after_second["requests"] - after_first["requests"],
                "writes_second": after_second["writes"] - after_first["writes"]}
            print("%-10s pass 1 %7.1f s   pass 2 %7.1f s   (pass 2: %d requests, %d writes, changed tasks %d)"
                  % (mode, first, second, results[mode]["requests_second"], results[mode]["writes_second"], changed_second))
    base = results.get("community")
    print()
    print("| mode | pass 1 (create) s | pass 2 (no-op) s | pass 2 requests | pass 2 writes | pass 1 vs community | pass 2 vs community |")
    print("|---|---|---|---|---|---|---|")
    for mode in modes:
        res = results[mode]
        ratio1 = "%.3fx" % (res["first"] / base["first"]) if base else "-"
        ratio2 = "%.3fx" % (res["second"] / base["second"]) if base else "-"
        print("| %s | %.1f | %.1f | %d | %d | %s | %s |" % (mode, res["first"], res["second"], res["requests_second"],
                                                            res["writes_second"], ratio1, ratio2))
    if base and "bulk" in results:
        ratio = results["bulk"]["second"] / base["second"]
        print()
        print("target: bulk no-op pass <= 0.25x community.grafana's: %.3fx -> %s" % (ratio, "met" if ratio <= 0.25 else "NOT met"))
    for mode, res in results.items():
        if res["changed_second"] or res["writes_second"]:
            print("note: %s wrote or changed something on the second pass" % mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
