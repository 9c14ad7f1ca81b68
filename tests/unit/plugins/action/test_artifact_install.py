import os
import action_plugins
import pytest

from ansible.utils.hashing import checksum_s
from ansible_collections.vigil.observability.plugins.action import artifact_install
from ansible_collections.vigil.observability.plugins.action.artifact_install import ActionModule, tree_differs, tree_paths

DIGEST = "a" * 64


def spec(tmp_path, **over):
    base = {"name": "node_exporter", "version": "1.9.0", "url": "https://example.invalid/ne-{arch}.tar.gz", "checksum": "sha256:" + DIGEST,
            "checksum_url": "", "checksum_format": "sums", "source": "controller", "local_archive": "", "mirror": "",
            "cache_dir": str(tmp_path / "cache"), "remote_cache_root": "/var/cache/vigil", "arch_style": "go",
            "strip_components": 1, "binaries": [{"src": "node_exporter", "dest": "node_exporter"}], "bin_dir": "/usr/local/bin",
            "extra_files": [], "tree": {}, "file": ""}
    base.update(over)
    return base


def cache(tmp_path, content=b"binary"):
    unpacked = tmp_path / "cache" / "unpacked"
    unpacked.mkdir(parents=True)
    (unpacked / ("." + "unpacked-" + DIGEST)).write_text("")
    (unpacked / "node_exporter").write_bytes(content)
    return checksum_s(content.decode())


def action(args, modules):
    return action_plugins.action(ActionModule, args, modules)


VARS = {"ansible_facts": {"architecture": "x86_64"}, "ansible_parent_role_names": ["vigil.observability.node_exporter"]}
ACCOUNT = {"user": "node_exporter", "group": "node_exporter"}


def test_nothing_differs_no_steps(tmp_path):
    digest = cache(tmp_path)
    have = {"/usr/local/bin/node_exporter": {"exists": True, "type": "file", "checksum": digest, "owner": "root", "group": "root",
                                             "mode": "0755"}}
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "vigil.observability.system_account": lambda a: {"changed": False, "paths": have}})
    result = act.run(task_vars=VARS)
    assert (result.get("failed"), result["changed"], result["steps"], result["cached"]) == (None, False, False, True)
    assert [c[0] for c in calls] == ["vigil.observability.system_account"]
    assert calls[0][1]["read_paths"] == ["/usr/local/bin/node_exporter"]


def test_a_differing_binary_is_a_step(tmp_path):
    cache(tmp_path)
    have = {"/usr/local/bin/node_exporter": {"exists": True, "type": "file", "checksum": "0" * 40, "owner": "root", "group": "root",
                                             "mode": "0755"}}
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "vigil.observability.system_account": lambda a: {"changed": True, "diff": {"before": "", "after": "user"}, "paths": have}})
    result = act.run(task_vars=VARS)
    assert result["changed"] and result["diff"] == {"before": "", "after": "user"}
    assert result["steps"] and [f["dest"] for f in result["files_changing"]] == ["/usr/local/bin/node_exporter"]


def test_the_run_record_starts_afresh(tmp_path):
    """The result starts the record of this artifact's run (__artifact_run): the spec's version and
    nothing changed yet, whatever an earlier artifact's run recorded."""
    cache(tmp_path)
    act, _calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "vigil.observability.system_account": lambda a: {"changed": False, "paths": {}}})
    result = act.run(task_vars=dict(VARS, __artifact_run={"version": "0.1", "binary_changed": True, "config_changed": True}))
    assert {key: result[key] for key in ("version", "binary_changed", "binaries_switched", "config_changed", "previous_binaries",
                                         "previous_configs")} == {
        "version": "1.9.0", "binary_changed": False, "binaries_switched": False, "config_changed": False,
        "previous_binaries": {}, "previous_configs": {}}


def test_not_cached_reads_nothing(tmp_path):
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {"vigil.observability.system_account": lambda a: {"changed": False}})
    result = act.run(task_vars=VARS)
    assert result["steps"] and not result["cached"] and result["files_changing"] == []
    assert [c[0] for c in calls] == ["vigil.observability.system_account"]
    assert calls[0][1]["read_paths"] == []


def test_missing_platform_facts_are_gathered(tmp_path):
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "ansible.builtin.setup": lambda a: {"ansible_facts": {"ansible_architecture": "aarch64"}},
        "vigil.observability.system_account": lambda a: {"changed": False}})
    result = act.run(task_vars={"ansible_parent_role_names": ["r"]})
    assert result["job"]["arch"] == "arm64" and result["ansible_facts"] == {"ansible_architecture": "aarch64"}
    assert calls[0] == ("ansible.builtin.setup", {"gather_subset": ["!all", "!min", "platform"]})


@pytest.mark.parametrize("bad, message", [
    ({"version": "latest"}, "node_exporter: version 'latest' is not a pinned release version"),
    ({"checksum": "md5:1"}, "node_exporter: no way to verify the archive"),
])
def test_bad_input_is_one_message(tmp_path, bad, message):
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path, **bad)), {})
    result = act.run(task_vars=VARS)
    assert result["failed"] and result["msg"].startswith(message) and calls == []


def test_a_failing_module_fails_naming_it(tmp_path):
    act, calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "vigil.observability.system_account": lambda a: {"failed": True, "msg": "useradd: group 'x' does not exist"}})
    result = act.run(task_vars=VARS)
    assert result["failed"] and result["msg"] == "useradd: group 'x' does not exist"


def test_spec_must_be_a_mapping():
    act, calls = action(dict(ACCOUNT, spec="x"), {})
    assert act.run(task_vars=VARS)["failed"]


TREE_U = {"tree": {"transfer": "unarchive", "dest": "/opt/grafana-12", "creates": "bin/grafana",
                   "creates_path": "/opt/grafana-12/bin/grafana"},
          "links": [{"src": "/opt/grafana-12/bin/grafana", "dest": "/usr/local/bin/grafana"}], "version": "12"}
TREE_C = {"tree": {"transfer": "copy", "dest": "/var/lib/plugins/x", "version_path": "/var/lib/plugins/x/.vigil-version"},
          "links": [], "version": "1.2.3"}
LINK = {"/usr/local/bin/grafana": {"exists": True, "type": "link", "target": "/opt/grafana-12/bin/grafana"}}
DIR = {"/opt/grafana-12": {"exists": True, "type": "directory", "owner": "root", "group": "root", "mode": "0755"},
       "/opt/grafana-12/bin/grafana": {"exists": True, "type": "file"}}


def test_tree_paths():
    assert tree_paths(TREE_U) == ["/usr/local/bin/grafana", "/opt/grafana-12", "/opt/grafana-12/bin/grafana"]
    assert tree_paths(TREE_C) == ["/var/lib/plugins/x/.vigil-version"]
    assert tree_paths({"tree": {}, "links": []}) == []


@pytest.mark.parametrize("state, differs", [
    (dict(LINK, **DIR), False),
    (DIR, True),                                                           # link missing
    (dict(DIR, **{"/usr/local/bin/grafana": {"exists": True, "type": "link", "target": "/opt/grafana-11/bin/grafana"}}), True),
    (dict(LINK, **{"/opt/grafana-12": DIR["/opt/grafana-12"]}), True),   # not unpacked
    ({**LINK, **DIR, "/opt/grafana-12": dict(DIR["/opt/grafana-12"], mode="0775")}, True),
])
def test_unarchived_tree(state, differs):
    assert tree_differs(TREE_U, state) is differs


@pytest.mark.parametrize("content, differs", [("1.2.3", False), ("1.2.3\n", False), ("1.2.2\n", True), (None, True)])
def test_copied_tree(content, differs):
    state = {} if content is None else {"/var/lib/plugins/x/.vigil-version": {"exists": True, "checksum": checksum_s(content)}}
    assert tree_differs(TREE_C, state) is differs


def test_no_tree():
    assert tree_differs({"tree": {}, "links": []}, {}) is False


def test_module_is_documented():
    assert os.path.isfile(os.path.join(os.path.dirname(artifact_install.__file__), "..", "modules", "artifact_install.py"))


def test_the_cache_digest_is_kept_beside_the_cache_not_in_the_unpacked_tree(tmp_path):
    digest = cache(tmp_path)
    have = {"/usr/local/bin/node_exporter": {"exists": True, "type": "file", "checksum": digest, "owner": "root", "group": "root",
                                             "mode": "0755"}}
    for _run in range(2):
        act, _calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
            "vigil.observability.system_account": lambda a: {"changed": False, "paths": have}})
        assert not act.run(task_vars=VARS)["steps"]
    assert len(os.listdir(tmp_path / "cache" / "checksums")) == 1
    assert sorted(os.listdir(tmp_path / "cache" / "unpacked")) == [".unpacked-" + DIGEST, "node_exporter"]
    # Another binary in the cache (a new unpack): found different, whatever was kept for the old one.
    os.unlink(tmp_path / "cache" / "unpacked" / "node_exporter")
    (tmp_path / "cache" / "unpacked" / "node_exporter").write_bytes(b"rebuilt")
    act, _calls = action(dict(ACCOUNT, spec=spec(tmp_path)), {
        "vigil.observability.system_account": lambda a: {"changed": False, "paths": have}})
    assert [f["dest"] for f in act.run(task_vars=VARS)["files_changing"]] == ["/usr/local/bin/node_exporter"]
