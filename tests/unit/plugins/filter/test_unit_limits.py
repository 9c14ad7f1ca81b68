import os
import re

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.unit_limits import UNITS, unit_limits, unit_sandbox

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
GIB = 1024 ** 3
MIB = 1024 ** 2


def _service_names():
    """The unit name each role passes to _artifact's service entry point (tasks/service.yml)."""
    names = {}
    roles = os.path.join(ROOT, "roles")
    for role in sorted(os.listdir(roles)):
        path = os.path.join(roles, role, "tasks", "service.yml")
        if role.startswith("_") or not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            tasks = yaml.safe_load(handle)
        for task in tasks:
            include = task.get("ansible.builtin.import_role") or task.get("ansible.builtin.include_role") or {}
            if include.get("name") == "vigil.observability._artifact" and include.get("tasks_from") == "service.yml":
                variables = task["vars"]
                name = variables.get("_artifact_service_name", variables["_artifact_name"])
                if "{{" in name:  # a role constant (uptime_kuma: _uptime_kuma_service)
                    with open(os.path.join(roles, role, "vars", "main.yml"), encoding="utf-8") as handle:
                        name = yaml.safe_load(handle)[re.search(r"{{\s*(\w+)\s*}}", name).group(1)]
                names[role] = name
    return names


def test_the_table_has_one_entry_per_unit_of_the_roles():
    names = _service_names()
    assert len(names) == 11, names
    assert set(names.values()) == set(UNITS)


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_every_default_is_valid_and_bounded(unit):
    limits = unit_limits(unit, {}, 4096)
    assert set(limits["directives"]) == {"MemoryHigh", "MemoryMax", "TasksMax"}
    assert limits["bounded"] is True
    assert 0 < limits["memory_high_bytes"] < limits["memory_max_bytes"] <= 4096 * MIB
    assert limits["tasks_max"] >= 1024


def test_what_only_some_services_take():
    users = {unit for unit in UNITS if unit_sandbox(unit).get("PrivateUsers")}
    subset = {unit for unit in UNITS if unit_sandbox(unit).get("ProcSubset") == "pid"}
    # Host readers and services in supplementary groups take neither.
    assert not {"node_exporter", "telegraf", "alloy"} & (users | subset)
    assert users == {"prometheus", "alertmanager", "loki", "grafana", "jaeger", "otelcol-contrib", "uptime-kuma", "jaeger-agent"}
    # Go services with client_golang's process collector (process_start_time_seconds reads /proc/stat) and Node.js: no ProcSubset.
    assert subset == {"jaeger", "otelcol-contrib", "jaeger-agent"}


def test_the_prometheus_defaults_and_a_percentage_in_bytes():
    limits = unit_limits("prometheus", None, 16384)
    assert limits["directives"] == {"MemoryHigh": "70%", "MemoryMax": "80%", "TasksMax": "4096"}
    assert limits["memory_max_bytes"] == int(16 * GIB * 0.8)
    assert limits["memory_max_mib"] == int(16384 * 0.8)
    assert limits["memory_high_bytes"] == int(16 * GIB * 0.7)
    assert limits["tasks_max"] == 4096


def test_a_percentage_without_the_host_memory_has_no_size():
    limits = unit_limits("otelcol-contrib", {})
    assert limits["bounded"] is True
    assert limits["memory_max_bytes"] is None and limits["memory_max_mib"] is None


@pytest.mark.parametrize("value, size", [
    ("512M", 512 * MIB), ("8G", 8 * GIB), ("1.5G", int(1.5 * GIB)), ("2T", 2 * 1024 * GIB), ("4096K", 4 * MIB),
    (1073741824, GIB), ("1073741824", GIB),
])
def test_sizes_are_systemds(value, size):
    limits = unit_limits("alertmanager", {"alertmanager": {"MemoryMax": value, "MemoryHigh": None}})
    assert limits["memory_max_bytes"] == size
    assert limits["memory_max_mib"] == size // MIB
    assert limits["directives"]["MemoryMax"] == str(value)
    assert "MemoryHigh" not in limits["directives"]


def test_an_override_changes_only_its_keys_and_unit():
    overrides = {"prometheus": {"MemoryMax": "14G", "MemoryHigh": "12G"}, "telegraf": {"TasksMax": "infinity"}}
    limits = unit_limits("prometheus", overrides, 16384)
    assert limits["directives"] == {"MemoryHigh": "12G", "MemoryMax": "14G", "TasksMax": "4096"}
    assert limits["memory_max_bytes"] == 14 * GIB
    telegraf = unit_limits("telegraf", overrides)
    assert telegraf["directives"]["TasksMax"] == "infinity" and telegraf["tasks_max"] is None
    assert telegraf["directives"]["MemoryMax"] == "20%"
    assert unit_limits("loki", overrides) == unit_limits("loki", {})


def test_null_drops_a_directive_and_infinity_is_unbounded():
    dropped = unit_limits("node_exporter", {"node_exporter": {"MemoryMax": None, "MemoryHigh": None, "TasksMax": None}})
    assert dropped["directives"] == {} and dropped["bounded"] is False and dropped["memory_max_bytes"] is None
    unbounded = unit_limits("node_exporter", {"node_exporter": {"MemoryMax": "infinity"}})
    assert unbounded["directives"]["MemoryMax"] == "infinity"
    assert unbounded["bounded"] is False and unbounded["memory_max_mib"] is None
    # MemoryHigh stays (192M) below an unbounded MemoryMax
    assert unbounded["memory_high_bytes"] == 192 * MIB


def test_proc_subset_leaves_a_collector_without_a_memory_limit():
    assert unit_sandbox("otelcol-contrib", {}) == {"PrivateUsers": True, "ProcSubset": "pid"}
    assert unit_sandbox("otelcol-contrib", {"otelcol-contrib": {"MemoryMax": "infinity"}}) == {"PrivateUsers": True}
    assert unit_sandbox("jaeger-agent", {"jaeger-agent": {"MemoryMax": None}}) == {"PrivateUsers": True}
    assert unit_sandbox("jaeger", {"jaeger": {"MemoryMax": "2G", "MemoryHigh": "1G"}}) == {"PrivateUsers": True, "ProcSubset": "pid"}


def test_private_users_can_be_left_out_for_the_host():
    assert unit_sandbox("jaeger", {}, private_users=False) == {"ProcSubset": "pid"}
    assert unit_sandbox("grafana", {}, False) == {}
    assert unit_sandbox("node_exporter", {}, True) == {}


@pytest.mark.parametrize("overrides, message", [
    ({"promethues": {"MemoryMax": "1G"}}, r"vigil_service_limits: 'promethues' is not a unit of the collection; known: alertmanager, alloy"),
    ({"prometheus": {"MemoryLimit": "1G"}}, r"vigil_service_limits.prometheus: MemoryLimit is not a limit this collection sets; known: MemoryHigh"),
    ({"prometheus": {"CPUQuota": "50%", "Nice": 5}}, r"vigil_service_limits.prometheus: CPUQuota, Nice are not a limit"),
    ({"prometheus": "8G"}, r"vigil_service_limits.prometheus must be a mapping, not a str"),
    (["prometheus"], r"vigil_service_limits must be a mapping, not a list"),
    ({"prometheus": {"MemoryMax": "8 GB"}}, r"vigil_service_limits.prometheus.MemoryMax: '8 GB' is not a size such as 512M"),
    ({"prometheus": {"MemoryMax": "8g"}}, r"vigil_service_limits.prometheus.MemoryMax: '8g' is not a size"),
    ({"prometheus": {"MemoryMax": "0"}}, r"vigil_service_limits.prometheus.MemoryMax: '0' is not a size above zero"),
    ({"prometheus": {"MemoryMax": "150%"}}, r"vigil_service_limits.prometheus.MemoryMax: 150% is not a percentage above 0 and up to 100"),
    ({"prometheus": {"MemoryMax": True}}, r"vigil_service_limits.prometheus.MemoryMax: True is not a value systemd takes"),
    ({"prometheus": {"TasksMax": "1k"}}, r"vigil_service_limits.prometheus.TasksMax: '1k' is not a number of tasks"),
    ({"prometheus": {"TasksMax": 0}}, r"vigil_service_limits.prometheus.TasksMax: 0 is not a number of tasks"),
    ({"prometheus": {"MemoryMax": "4G", "MemoryHigh": "6G"}}, r"vigil_service_limits.prometheus: MemoryHigh 6G is above MemoryMax 4G"),
    ({"prometheus": {"MemoryMax": "50%"}}, r"vigil_service_limits.prometheus: MemoryHigh 70% is above MemoryMax 50%"),
])
def test_bad_overrides_name_the_unit_and_key(overrides, message):
    with pytest.raises(AnsibleFilterError, match="^unit_limits: " + message):
        unit_limits("prometheus", overrides)


def test_a_bad_entry_for_another_unit_is_found_too():
    with pytest.raises(AnsibleFilterError, match=r"^unit_limits: vigil_service_limits: 'lokii' is not a unit"):
        unit_limits("prometheus", {"lokii": {}})


def test_mixed_units_are_compared_with_the_host_memory():
    overrides = {"prometheus": {"MemoryHigh": "12G", "MemoryMax": "50%"}}
    assert unit_limits("prometheus", overrides)["directives"]["MemoryHigh"] == "12G"  # not comparable: accepted
    with pytest.raises(AnsibleFilterError, match=r"MemoryHigh 12G is above MemoryMax 50%"):
        unit_limits("prometheus", overrides, 16384)


@pytest.mark.parametrize("service", ["node-exporter", "", None, 3, "nginx"])
def test_an_unknown_unit_is_named(service):
    with pytest.raises(AnsibleFilterError, match=r"^unit_limits: .* is not a unit of the collection; known: alertmanager, alloy, grafana"):
        unit_limits(service, {})
    with pytest.raises(AnsibleFilterError, match=r"^unit_sandbox: .* is not a unit of the collection"):
        unit_sandbox(service, {})


@pytest.mark.parametrize("memtotal", [0, -1, "16384", True])
def test_memtotal_must_be_mib(memtotal):
    with pytest.raises(AnsibleFilterError, match=r"^unit_limits: memtotal_mb must be the host's memory in MiB"):
        unit_limits("loki", {}, memtotal)


def test_private_users_must_be_a_boolean():
    with pytest.raises(AnsibleFilterError, match=r"^unit_sandbox: private_users must be true or false, not 'yes'"):
        unit_sandbox("loki", {}, "yes")


def test_the_readme_table_is_the_plugins_table():
    with open(os.path.join(ROOT, "roles", "_artifact", "README.md"), encoding="utf-8") as handle:
        rows = re.findall(r"^\| `([\w-]+)` \| (yes|no) \| (yes|no) \| (\S+) \| (\S+) \| (\S+) \|$", handle.read(), re.M)
    table = {unit: ("yes" if spec["private_users"] else "no", "yes" if spec["proc_subset"] else "no",
                    spec["MemoryHigh"], spec["MemoryMax"], str(spec["TasksMax"])) for unit, spec in UNITS.items()}
    assert {row[0]: row[1:] for row in rows} == table
