"""The test mirror's `kind: shared` builds (tests/artifacts/build.py): the REAL Uptime Kuma release
files and the sqlite3 binding taken from the project's shared folder, and what the role and the
scenarios expect of them."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import test_env  # noqa: E402  pylint: disable=wrong-import-position


def load_build():
    spec = importlib.util.spec_from_file_location("mirror_build", os.path.join(ARTIFACTS, "build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def published():
    with open(os.path.join(ARTIFACTS, "versions", "uptime_kuma.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def fake_shared(tmp_path, files, sums=None):
    """A shared folder with uptime-kuma/2.5.3/<files> and its SHA256SUMS (or the given one)."""
    folder = tmp_path / "shared" / "uptime-kuma" / "2.5.3"
    folder.mkdir(parents=True)
    lines = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        lines.append("%s  %s\n" % (hashlib.sha256(data).hexdigest(), name))
    (folder / "SHA256SUMS").write_text(sums if sums is not None else "".join(lines), encoding="ascii")
    return str(tmp_path / "shared")


SPEC = {"version": "2.5.3", "kind": "shared", "shared": "uptime-kuma/{version}",
        "files": ["{version}.tar.gz", "dist.tar.gz"], "sums": "sha256sums.txt"}


def test_uptime_kuma_shared_files_are_copied_and_summed(tmp_path, monkeypatch):
    files = {"2.5.3.tar.gz": b"source archive", "dist.tar.gz": b"frontend"}
    monkeypatch.setenv("VIGIL_SHARED_DIR", fake_shared(tmp_path, files))
    out = tmp_path / "mirror"
    what = load_build().build_shared("uptime_kuma", SPEC, str(out))
    assert what.startswith("real release files from the shared folder")
    directory = out / "uptime_kuma" / "2.5.3"
    for name, data in files.items():
        assert (directory / name).read_bytes() == data
    sums = (directory / "sha256sums.txt").read_text(encoding="ascii").splitlines()
    assert sums == ["%s  %s" % (hashlib.sha256(files[n]).hexdigest(), n) for n in sorted(files)]


def test_uptime_kuma_shared_file_not_matching_its_sums_is_refused(tmp_path, monkeypatch):
    files = {"2.5.3.tar.gz": b"source archive", "dist.tar.gz": b"frontend"}
    sums = "%s  2.5.3.tar.gz\n%s  dist.tar.gz\n" % ("0" * 64, hashlib.sha256(b"frontend").hexdigest())
    monkeypatch.setenv("VIGIL_SHARED_DIR", fake_shared(tmp_path, files, sums))
    with pytest.raises(SystemExit, match="does not match the SHA256SUMS"):
        load_build().build_shared("uptime_kuma", SPEC, str(tmp_path / "mirror"))


def test_uptime_kuma_missing_shared_folder_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIL_SHARED_DIR", str(tmp_path / "nowhere"))
    assert load_build().build_shared("uptime_kuma", SPEC, str(tmp_path / "mirror")) is None
    assert not (tmp_path / "mirror").exists()


def test_shared_folder_follows_vigil_shared_dir(monkeypatch):
    monkeypatch.setenv("VIGIL_SHARED_DIR", "/srv/elsewhere/shared")
    assert test_env.shared_dir() == "/srv/elsewhere/shared"


def test_uptime_kuma_mirror_publishes_real_files_and_the_role_default():
    builds = published()
    assert all(b["kind"] == "shared" for builds_ in builds.values() for b in builds_)
    versions = sorted({b["version"] for b in builds["uptime_kuma"]})
    assert len(versions) >= 2, "the scenario upgrades from one release to the next"
    with open(os.path.join(ROOT, "roles", "uptime_kuma", "defaults", "main.yml"), encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["uptime_kuma_version"] in versions


def test_uptime_kuma_binding_is_where_node_pre_gyp_asks_the_binary_host():
    # node-pre-gyp requests <host>/v<version>/napi-v6-linux-x64-glibc.tar.gz; the scenarios' host
    # is the mirror's node_sqlite3 folder served on each host's loopback.
    (binding,) = published()["node_sqlite3"]
    assert binding["dest"].format(version=binding["version"]) == "v" + binding["version"]
    assert binding["files"] == ["napi-v6-linux-x64-glibc.tar.gz"]
    assert test_env.SQLITE3_BINARY_HOST.endswith("/node_sqlite3")


def test_uptime_kuma_releases_use_the_published_sqlite3_binding():
    shared = test_env.shared_dir()
    (binding,) = published()["node_sqlite3"]
    for build in published()["uptime_kuma"]:
        archive = os.path.join(shared, build["shared"].format(version=build["version"]), "%s.tar.gz" % build["version"])
        if not os.path.exists(archive):
            pytest.skip("the shared folder has no %s" % archive)
        with tarfile.open(archive) as tar:
            lock = json.load(tar.extractfile("uptime-kuma-%s/package-lock.json" % build["version"]))
        assert lock["packages"]["node_modules/@louislam/sqlite3"]["version"] == binding["version"], build["version"]
