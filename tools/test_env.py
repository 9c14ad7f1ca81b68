"""Print the environment the Molecule scenarios read (eval "$(tools/test_env.py)").

One setting chooses where artifacts come from: VIGIL_TEST_ARTIFACTS=mirror (default) uses the
local test mirror (tests/artifacts) and the versions it publishes; VIGIL_TEST_ARTIFACTS=upstream
uses the vendors' URLs and each role's default version. ``--scenarios`` lists the scenarios in
the order `make test` runs them; ``--ansible-vars`` prints the same choice as Ansible extra vars
(YAML: ``vigil_artifact_mirror``, ``uptime_kuma_sqlite3_binary_host`` and every ``<role>_version``),
as `make lab` uses them.
"""
from __future__ import annotations

import glob
import os
import shlex
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The longest scenarios first (the whole stack, the tiers, then the role and module scenarios that
# take over four minutes: role_node_exporter with its runs under the other ansible-cores), so
# that the two molecule jobs finish close together; then the modules and the roles.
ORDER = ("stack", "tier_", "role_node_exporter", "role_prometheus", "role_uptime_kuma", "role_grafana", "module_uptime_kuma",
         "module_", "role_")
# Where the test hosts serve the mirror's node_sqlite3 folder on their own loopback (the binding
# host of Uptime Kuma's `npm ci`, uptime_kuma_sqlite3_binary_host).
SQLITE3_BINARY_HOST = "http://127.0.0.1:8066/node_sqlite3"


def scenarios():
    names = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(ROOT, "molecule", "*", "molecule.yml")))
    return sorted(names, key=lambda n: (next((i for i, p in enumerate(ORDER) if n.startswith(p)), len(ORDER)), n))


def shared_dir():
    """The project's shared reference folder (real Grafana dashboards, Grafana's OpenAPI spec, the
    real Uptime Kuma releases): VIGIL_SHARED_DIR when set, else ``<ancestor>/shared`` for the
    nearest ancestor of the checkout that has one, else ``shared`` beside the checkout (where it
    is expected; callers say in one line that it is missing)."""
    if os.environ.get("VIGIL_SHARED_DIR"):
        return os.environ["VIGIL_SHARED_DIR"]
    here = ROOT
    while True:
        if os.path.isdir(os.path.join(here, "shared", "grafana")):
            return os.path.join(here, "shared")
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.join(os.path.dirname(ROOT), "shared")
        here = parent


def role_default_version(component):
    path = os.path.join(ROOT, "roles", component, "defaults", "main.yml")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return (yaml.safe_load(handle) or {}).get("%s_version" % component)


def environment():
    mode = os.environ.get("VIGIL_TEST_ARTIFACTS", "mirror")
    if mode not in ("mirror", "upstream"):
        raise SystemExit("VIGIL_TEST_ARTIFACTS must be 'mirror' or 'upstream', not %r" % mode)
    published = {}
    versions_dir = os.path.join(ROOT, "tests", "artifacts", "versions")
    for name in sorted(os.listdir(versions_dir)):
        if name.endswith(".yml"):
            with open(os.path.join(versions_dir, name), encoding="utf-8") as handle:
                published.update(yaml.safe_load(handle) or {})
    env = {"VIGIL_TEST_ARTIFACTS": mode, "VIGIL_TEST_MIRROR": "", "VIGIL_TEST_MIRROR_DIR": "",
           "VIGIL_TEST_SQLITE3_BINARY_HOST": ""}
    if mode == "mirror":
        # The mirror listens on the controller's loopback, out of the containers' reach: `npm ci`
        # there gets the sqlite3 binding from the copy of <mirror>/node_sqlite3 that
        # tests/helpers/sqlite3_binding_tasks.yml serves on each host's own loopback.
        env["VIGIL_TEST_SQLITE3_BINARY_HOST"] = SQLITE3_BINARY_HOST
        mirror_dir = os.path.join(ROOT, ".cache", "test-mirror")
        url_file = mirror_dir + ".url"
        if not os.path.exists(url_file):
            raise SystemExit("the test mirror is not served: run `tools/test.sh mirror` first")
        env["VIGIL_TEST_MIRROR"] = open(url_file, encoding="ascii").read().strip()
        env["VIGIL_TEST_MIRROR_DIR"] = mirror_dir
    for component, builds in published.items():
        pinned = next((b for b in builds if b.get("default")), builds[0])
        for role in [component] + list(pinned.get("also_for", [])):
            version = pinned["version"] if mode == "mirror" else (role_default_version(role) or "")
            env["VIGIL_TEST_VERSION_%s" % role.upper()] = str(version)
    env["VIGIL_SHARED_DIR"] = shared_dir()
    # Controller cache of the tests, apart from the operator's own.
    env["XDG_CACHE_HOME"] = os.path.join(ROOT, ".cache", "controller")
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    return env


def ansible_vars(env):
    """The artifact choice as Ansible variables."""
    data = {"vigil_artifact_mirror": env["VIGIL_TEST_MIRROR"], "vigil_test_artifacts": env["VIGIL_TEST_ARTIFACTS"],
            "vigil_test_mirror_dir": env["VIGIL_TEST_MIRROR_DIR"],
            "uptime_kuma_sqlite3_binary_host": env["VIGIL_TEST_SQLITE3_BINARY_HOST"]}
    for key, value in sorted(env.items()):
        if key.startswith("VIGIL_TEST_VERSION_") and value:
            data["%s_version" % key[len("VIGIL_TEST_VERSION_"):].lower()] = value
    return data


if __name__ == "__main__":
    if sys.argv[1:] == ["--scenarios"]:
        print(" ".join(scenarios()))
    elif sys.argv[1:] == ["--ansible-vars"]:
        print(yaml.safe_dump(ansible_vars(environment()), default_flow_style=False, sort_keys=True), end="")
    else:
        for key, value in environment().items():
            print("export %s=%s" % (key, shlex.quote(value)))
