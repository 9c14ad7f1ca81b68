# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped inventories (inventories/lab, inventories/example) parse, have the two tier groups,
and set only variables that exist: a role option (from the roles' meta/argument_specs.yml), a
role switch ``vigil_<role>_enabled`` of an existing role, or a documented global. A misspelt
variable in an inventory would otherwise be ignored silently."""

import glob
import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
INVENTORIES = ["lab", "example"]
ROLES = sorted(os.path.basename(path) for path in glob.glob(os.path.join(ROOT, "roles", "*")) if not os.path.basename(path).startswith("_"))
GLOBALS = {"vigil_servers_group", "vigil_clients_group", "vigil_address", "vigil_artifact_mirror", "prometheus_target_labels"}
GLOBAL_PREFIXES = ("ansible_", "vault_", "vigil_lab_")


def role_options():
    options = set()
    for path in glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml")):
        with open(path, encoding="utf-8") as handle:
            specs = yaml.safe_load(handle)["argument_specs"]
        for spec in specs.values():
            options.update(spec.get("options", {}))
    return options


def inventory_variables(name):
    """{file: [variable names]} of every group_vars / host_vars file of the inventory."""
    found = {}
    for kind in ("group_vars", "host_vars"):
        for path in sorted(glob.glob(os.path.join(ROOT, "inventories", name, kind, "**", "*.yml"), recursive=True)):
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
            found[os.path.relpath(path, ROOT)] = sorted(data)
    return found


def ansible_inventory(name):
    binary = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    proc = subprocess.run([binary, "-i", os.path.join(ROOT, "inventories", name), "--list"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", INVENTORIES)
def test_inventory_has_both_tiers(name):
    data = ansible_inventory(name)
    hostvars = data["_meta"]["hostvars"]
    servers = data["monitoring_servers"]["hosts"]
    clients = data["monitoring_clients"].get("hosts", []) + [
        host for child in data["monitoring_clients"].get("children", []) for host in data.get(child, {}).get("hosts", [])]
    assert servers and clients
    assert set(servers) | set(clients) <= set(hostvars)


@pytest.mark.parametrize("name", INVENTORIES)
def test_inventory_sets_only_known_variables(name):
    known = role_options() | GLOBALS | {"vigil_%s_enabled" % role for role in ROLES}
    unknown = {path: [var for var in names if var not in known and not var.startswith(GLOBAL_PREFIXES)]
               for path, names in inventory_variables(name).items()}
    assert {path: names for path, names in unknown.items() if names} == {}


def test_the_check_catches_a_misspelt_variable():
    known = role_options()
    assert "prometheus_storage_retention_time" in known
    assert "prometheus_retention_time" not in known


def test_example_keeps_secrets_in_the_vault():
    """Every vault_ name the example refers to is listed in vault.yml.example, and no plain value
    is given to a password or webhook variable."""
    example = os.path.join(ROOT, "inventories", "example")
    with open(os.path.join(example, "group_vars", "all", "vault.yml.example"), encoding="utf-8") as handle:
        listed = set(yaml.safe_load(handle))
    used = set()
    for path in glob.glob(os.path.join(example, "**", "*.yml"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for data in [yaml.safe_load(text) or {}]:
            for key, value in data.items():
                if any(word in key for word in ("password", "webhook_url")) and not key.startswith("vault_"):
                    assert isinstance(value, str) and "vault_" in value, "%s: %s is not taken from the vault" % (path, key)
        used.update(word for word in text.replace("{", " ").replace("}", " ").split() if word.startswith("vault_"))
    assert used == listed
