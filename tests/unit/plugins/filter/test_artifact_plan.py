# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.artifact_plan import _INPUTS, artifact_plan

URL = "https://github.com/prometheus/prometheus/releases/download/v2.53.3/prometheus-2.53.3.linux-{arch}.tar.gz"
SUMS = "https://github.com/prometheus/prometheus/releases/download/v2.53.3/sha256sums.txt"
DIGEST = "ab" * 32


ROLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "_artifact")


def _role_values():
    """The install inputs as the role gives them: its defaults and vars, without the prefix."""
    values = {}
    for name in ("defaults", "vars"):
        with open(os.path.join(ROLE, name, "main.yml"), encoding="utf-8") as handle:
            values.update((k[len("_artifact_"):], v) for k, v in (yaml.safe_load(handle) or {}).items()
                          if k.startswith("_artifact_"))
    values["mirror"] = ""  # the default reads vigil_artifact_mirror, which these tests leave unset
    return values


def spec(**over):
    base = {k: v for k, v in _role_values().items() if k in _INPUTS}
    base.update({"name": "prometheus", "version": "2.53.3", "url": URL, "checksum_url": SUMS,
                 "binaries": [{"src": "prometheus", "dest": "prometheus"}, {"src": "promtool", "dest": "promtool"}]})
    base.update(over)
    return base


@pytest.fixture(autouse=True)
def cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_upstream_release(cache_home):
    job = artifact_plan(spec(), "x86_64", ["vigil.observability.prometheus"])
    assert job["role"] == "vigil.observability.prometheus"
    assert job["arch"] == "amd64"
    assert job["url"] == URL.replace("{arch}", "amd64")
    assert job["file"] == "prometheus-2.53.3.linux-amd64.tar.gz"
    assert job["sums_url"] == SUMS and job["sums_file"] == "sha256sums.txt"
    cache = "%s/vigil.observability/prometheus/2.53.3/amd64" % cache_home
    assert job["cache"] == cache
    assert job["sums_path"] == cache + "/sha256sums.txt"
    assert job["archive"] == cache + "/prometheus-2.53.3.linux-amd64.tar.gz"
    assert job["strip"] == 1 and job["remote_src"] is False and job["checksum"] == ""
    assert job["files"] == [
        {"src": cache + "/unpacked/prometheus", "dest": "/usr/local/bin/prometheus", "mode": "0755", "binary": True},
        {"src": cache + "/unpacked/promtool", "dest": "/usr/local/bin/promtool", "mode": "0755", "binary": True},
    ]
    assert job["links"] == [] and job["tree"] == {}


def test_mirror_replaces_both_urls_and_a_directory_mirror_is_a_file_url():
    job = artifact_plan(spec(mirror="https://mirror.example/artifacts//"), "aarch64", ["r"])
    assert job["url"] == "https://mirror.example/artifacts/prometheus/2.53.3/prometheus-2.53.3.linux-arm64.tar.gz"
    assert job["sums_url"] == "https://mirror.example/artifacts/prometheus/2.53.3/sha256sums.txt"
    job = artifact_plan(spec(mirror="/srv/mirror"), "x86_64", ["r"])
    assert job["url"].startswith("file:///srv/mirror/prometheus/2.53.3/")


def test_remote_source_caches_on_the_target_and_refuses_a_directory_mirror():
    job = artifact_plan(spec(source="remote"), "x86_64", ["r"])
    assert job["cache"] == "/var/cache/vigil.observability/prometheus/2.53.3/amd64"
    assert job["remote_src"] is True
    with pytest.raises(AnsibleFilterError, match="prometheus: the mirror /srv/m is a controller directory"):
        artifact_plan(spec(source="remote", mirror="/srv/m"), "x86_64", ["r"])


def test_local_archive_reads_its_checksum_file_beside_it():
    job = artifact_plan(spec(local_archive="/data/p.tar.gz", file="p.tar.gz"), "x86_64", ["r"])
    assert job["source"] == "local_archive"
    assert job["archive"] == "/data/p.tar.gz"
    assert job["sums_path"] == "/data/sha256sums.txt"


def test_literal_checksum_zip_and_explicit_cache():
    job = artifact_plan(spec(checksum="sha256:" + DIGEST.upper(), checksum_url="", url="https://x/y/a-{arch}.zip",
                             cache_dir="/c/{arch}"), "armv7l", ["r"])
    assert job["checksum"] == DIGEST
    assert job["strip"] == 0
    assert job["cache"] == "/c/armv7"


def test_tree_links_binaries_and_keeps_extra_files():
    tree = {"dest": "/opt/node-22", "creates": "bin/node-{arch}"}
    job = artifact_plan(spec(tree=tree, binaries=[{"src": "bin/node", "dest": "node"}],
                             extra_files=[{"src": "LICENSE", "dest": "/usr/share/doc/node/LICENSE"}]), "x86_64", ["r"])
    assert job["tree"] == {"dest": "/opt/node-22", "creates": "bin/node-amd64", "transfer": "unarchive",
                           "creates_path": "/opt/node-22/bin/node-amd64"}
    assert job["links"] == [{"src": "/opt/node-22/bin/node", "dest": "/usr/local/bin/node"}]
    assert [f["dest"] for f in job["files"]] == ["/usr/share/doc/node/LICENSE"]
    assert job["files"][0]["mode"] == "0644"
    assert job["files"][0]["binary"] is False  # copied in place, not staged
    assert tree == {"dest": "/opt/node-22", "creates": "bin/node-{arch}"}  # the input is not changed


@pytest.mark.parametrize("over, message", [
    ({"version": "latest"}, "prometheus: version 'latest' is not a pinned release version"),
    ({"version": "v2.53.3"}, "version 'v2.53.3' is not a pinned"),
    ({"version": ""}, "version '' is not a pinned"),
    ({"checksum_url": ""}, "prometheus: no way to verify the archive"),
    ({"checksum": "md5:abc"}, r"got 'md5:abc'"),
    ({"binaries": []}, "give _artifact_binaries, _artifact_tree"),
    ({"tree": {"dest": "opt/x", "creates": "a"}}, "with an absolute dest"),
    ({"tree": {"dest": "/opt/x"}}, "_artifact_tree.creates"),
    ({"tree": {"dest": "/opt/x", "transfer": "rsync"}}, "give _artifact_binaries"),
])
def test_bad_input_names_the_artifact(over, message):
    with pytest.raises(AnsibleFilterError, match=message):
        artifact_plan(spec(**over), "x86_64", ["r"])


def test_every_problem_in_one_message():
    with pytest.raises(AnsibleFilterError) as info:
        artifact_plan(spec(version="latest", checksum_url=""), "x86_64", ["r"])
    assert "pinned release version" in str(info.value) and "no way to verify" in str(info.value)


def test_copy_tree_needs_no_creates_and_internal_use_only():
    job = artifact_plan(spec(tree={"dest": "/var/lib/grafana/plugins/x", "transfer": "copy"}), "x86_64", ["r"])
    assert job["tree"]["transfer"] == "copy" and job["links"][0]["src"] == "/var/lib/grafana/plugins/x/prometheus"
    assert job["tree"]["copy_src"] == job["cache"] + "/unpacked/"
    assert job["tree"]["version_path"] == "/var/lib/grafana/plugins/x/.vigil-version"
    assert (job["tree"]["group"], job["tree"]["mode"]) == ("root", "u=rwX,g=rX,o=rX")
    tree = {"dest": "/p/x/", "transfer": "copy", "src": "/dist/", "version_file": "VERSION", "group": "grafana", "mode": "0640"}
    job = artifact_plan(spec(tree=tree), "x86_64", ["r"])
    assert job["tree"]["copy_src"] == job["cache"] + "/unpacked/dist/"
    assert (job["tree"]["version_path"], job["tree"]["group"], job["tree"]["mode"]) == ("/p/x/VERSION", "grafana", "0640")
    with pytest.raises(AnsibleFilterError, match="_artifact is internal"):
        artifact_plan(spec(), "x86_64", [])
    with pytest.raises(AnsibleFilterError, match="no release files|architecture"):
        artifact_plan(spec(), "sparc64", ["r"])


def test_every_input_is_required():
    incomplete = spec()
    del incomplete["bin_dir"], incomplete["tree"]
    with pytest.raises(AnsibleFilterError, match="the input.s. bin_dir, tree are missing"):
        artifact_plan(incomplete, "x86_64", ["r"])
    assert set(spec()) == set(_INPUTS)
