"""The systemd units of every role, rendered through Ansible from the one template of _artifact.

One ansible-playbook run renders, for each role that runs a service, the unit its
tasks/service.yml asks for: the role's defaults and vars, _artifact's defaults and vars, and the
exact ``vars:`` map of the role's include of ``_artifact``'s service entry point (read from the
task file, so nothing is repeated here). Further cases set ``vigil_service_limits`` and a host
whose service manager cannot set up PrivateUsers. The tests parse the units and, when Docker
and the test image are there, let ``systemd-analyze verify`` of Debian 12 and 13 check them and
``systemd-analyze security`` score them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
import yaml

from harness import _run_playbook

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.unit_limits import UNITS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACT = os.path.join(ROOT, "roles", "_artifact")
IMAGES = ("vigil/debian-systemd:bookworm", "vigil/debian-systemd:trixie")

# case -> (extra variables, private user namespaces possible on the host)
CASES = {
    "default": ({}, True),
    "overrides": ({"vigil_service_limits": {"prometheus": {"MemoryMax": "14G", "MemoryHigh": "12G"},
                                            "otelcol-contrib": {"MemoryMax": "infinity"},
                                            "node_exporter": {"TasksMax": None}}}, True),
    "no_userns": ({}, False),
}


def _includes():
    """role -> the vars map of its include of _artifact's service entry point."""
    found = {}
    for role in sorted(os.listdir(os.path.join(ROOT, "roles"))):
        path = os.path.join(ROOT, "roles", role, "tasks", "service.yml")
        if role.startswith("_") or not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            for task in yaml.safe_load(handle):
                include = task.get("ansible.builtin.import_role") or task.get("ansible.builtin.include_role") or {}
                if include.get("name") == "vigil.observability._artifact" and include.get("tasks_from") == "service.yml":
                    found[role] = task["vars"]
    return found


INCLUDES = _includes()


def _play(role, variables, out):
    """One play per role: the unit of each case (the case's variables as task variables)."""
    role_dir = os.path.join(ROOT, "roles", role)
    tasks = []
    for case, (extra, userns) in CASES.items():
        task_vars = dict(variables, __artifact_private_users_ok=userns, **extra)
        tasks.append({"name": "Render the unit, case " + case, "vars": task_vars,
                      "ansible.builtin.template": {"src": os.path.join(ARTIFACT, "templates", "service.j2"),
                                                   "dest": os.path.join(out, case, role + ".service"), "mode": "0600"}})
    tasks.append({"name": "Dump the unit name", "vars": variables,
                  "ansible.builtin.copy": {"content": "{{ _artifact_service_name }}",
                                           "dest": os.path.join(out, role + ".name"), "mode": "0600"}})
    return {"name": role, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "vars": {"ansible_python_interpreter": sys.executable},
            "vars_files": [os.path.join(role_dir, "defaults", "main.yml"), os.path.join(role_dir, "vars", "main.yml"),
                           os.path.join(ARTIFACT, "defaults", "main.yml"), os.path.join(ARTIFACT, "vars", "main.yml")],
            "tasks": tasks}


@pytest.fixture(scope="module")
def units():
    """{case: {role: {"name": unit name, "text": unit file, "service": {key: [values]}}}}"""
    work = tempfile.mkdtemp(prefix="vigil-units-")
    for case in CASES:
        os.makedirs(os.path.join(work, case))
    os.makedirs(os.path.join(work, "tmp"))
    path = os.path.join(work, "units.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([_play(role, variables, work) for role, variables in INCLUDES.items()], handle, sort_keys=False)
    proc = _run_playbook(work, "localhost,", path, 600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    result = {}
    for case in CASES:
        result[case] = {}
        for role in INCLUDES:
            with open(os.path.join(work, case, role + ".service"), encoding="utf-8") as handle:
                text = handle.read()
            with open(os.path.join(work, role + ".name"), encoding="utf-8") as handle:
                name = handle.read()
            result[case][role] = {"name": name, "text": text, "service": _section(text, "Service")}
    yield result
    shutil.rmtree(work, ignore_errors=True)


def _section(text, wanted):
    """{key: [values]} of one section of a unit file (continuation lines joined)."""
    out, section = {}, None
    for line in re.sub(r"\\\n", " ", text).splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == wanted and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_every_role_with_a_unit_is_rendered(units):
    assert len(INCLUDES) == 11
    assert {unit["name"] for unit in units["default"].values()} == set(UNITS)


def test_private_mounts_everywhere(units):
    for case in units.values():
        for role, unit in case.items():
            assert unit["service"]["PrivateMounts"] == ["true"], role


def test_private_users_and_proc_subset_only_where_the_table_says(units):
    for role, unit in units["default"].items():
        spec = UNITS[unit["name"]]
        assert unit["service"].get("PrivateUsers") == (["true"] if spec["private_users"] else None), role
        assert unit["service"].get("ProcSubset") == (["pid"] if spec["proc_subset"] else None), role
    # The host readers keep what they need: no private users, no pid-only /proc.
    for role in ("node_exporter", "telegraf", "alloy"):
        assert "PrivateUsers" not in units["default"][role]["service"]
        assert "ProcSubset" not in units["default"][role]["service"]
    assert units["default"]["otel_collector"]["service"]["ProcSubset"] == ["pid"]
    assert units["default"]["prometheus"]["service"]["PrivateUsers"] == ["true"]
    # The roles' own relaxations still win over the shared set.
    assert "ProtectProc" not in units["default"]["node_exporter"]["service"]
    assert units["default"]["grafana"]["service"]["MemoryDenyWriteExecute"] == ["false"]


def test_a_host_without_private_user_namespaces_keeps_the_rest(units):
    for role, unit in units["no_userns"].items():
        assert "PrivateUsers" not in unit["service"], role
        default = dict(units["default"][role]["service"])
        default.pop("PrivateUsers", None)
        assert unit["service"] == default, role


def test_default_limits_per_unit(units):
    for role, unit in units["default"].items():
        spec = UNITS[unit["name"]]
        for key in ("MemoryHigh", "MemoryMax", "TasksMax"):
            assert unit["service"][key] == [str(spec[key])], (role, key)
    assert units["default"]["prometheus"]["service"]["MemoryMax"] == ["80%"]
    assert units["default"]["node_exporter"]["service"]["MemoryMax"] == ["256M"]


def test_vigil_service_limits_overrides_per_host(units):
    case = units["overrides"]
    assert case["prometheus"]["service"]["MemoryMax"] == ["14G"]
    assert case["prometheus"]["service"]["MemoryHigh"] == ["12G"]
    assert case["prometheus"]["service"]["TasksMax"] == ["4096"]
    assert case["otel_collector"]["service"]["MemoryMax"] == ["infinity"]
    # Unbounded, the Collector reads /proc/meminfo: no ProcSubset then.
    assert "ProcSubset" not in case["otel_collector"]["service"]
    assert "TasksMax" not in case["node_exporter"]["service"]
    assert case["loki"]["text"] == units["default"]["loki"]["text"]


def test_a_crash_loop_ends_failed(units):
    """Restart=always keeps a service up; the start limit (5 starts in 120 s) makes a crash loop
    end in the failed state that `state: started` and the role's checks see (issue 13)."""
    for role, unit in units["default"].items():
        section = _section(unit["text"], "Unit")
        assert section["StartLimitIntervalSec"] == ["120"], role
        assert section["StartLimitBurst"] == ["5"], role
        assert "StartLimitIntervalSec" not in unit["service"], role
        assert unit["service"]["Restart"] == ["always"], role
        assert unit["service"]["RestartSec"] == ["2"], role


def _docker_image(image):
    docker = shutil.which("docker")
    if not docker:
        return None
    probe = subprocess.run([docker, "image", "inspect", image], capture_output=True, text=True, check=False)
    return docker if probe.returncode == 0 else None


# Stand-in executables at each ExecStart path, so verify judges the units and not the install.
VERIFY = r"""
set -e
for unit in /units/*.service; do
  exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
  [ -x "$exe" ] || { mkdir -p "$(dirname "$exe")"; cp /bin/true "$exe"; }
done
cp /units/*.service /etc/systemd/system/
status=0
for unit in /units/*.service; do
  name=$(basename "$unit")
  systemd-analyze verify --man=no "/etc/systemd/system/$name" || status=1
  systemd-analyze security --offline=true --no-pager "/etc/systemd/system/$name" \
    | sed -n "s/^.*Overall exposure level for \([^:]*\): \([0-9.]*\).*/@@\1 \2/p"
done
exit $status
"""


@pytest.mark.parametrize("image", IMAGES)
def test_systemd_accepts_the_units(units, image, tmp_path):
    docker = _docker_image(image)
    if docker is None:
        pytest.skip("no docker or no image %s (built by make test)" % image)
    for role, unit in units["default"].items():
        (tmp_path / (unit["name"] + ".service")).write_text(unit["text"], encoding="utf-8")
    proc = subprocess.run([docker, "run", "--rm", "--network", "none", "-v", "%s:/units:ro" % tmp_path, image, "bash", "-c", VERIFY],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    # Nothing else to say about the units: no unknown key, no bad value.
    noise = [line for line in proc.stderr.splitlines() if line.strip()]
    assert noise == [], noise
    scores = dict(line[2:].split() for line in proc.stdout.splitlines() if line.startswith("@@"))
    assert set(scores) == {name + ".service" for name in UNITS}
    print("\nsystemd-analyze security (%s): %s" % (image, json.dumps({k: float(v) for k, v in sorted(scores.items())})))
    # What the table leaves out costs the host readers; the others stay at most 1.5 (issue 12).
    for name, score in scores.items():
        limit = 2.0 if name[:-len(".service")] in ("node_exporter", "telegraf", "alloy") else 1.5
        assert float(score) <= limit, (name, score)
