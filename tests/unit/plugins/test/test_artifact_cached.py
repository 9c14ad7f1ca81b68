import os

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.test.artifact_cached import artifact_cached

A = "a" * 64
B = "b" * 64
FILE = "prometheus-2.53.3.linux-amd64.tar.gz"


def job(tmp_path, **over):
    """A job as roles/_artifact/tasks/install.yml plans it (sums_path: beside a local archive, else in the cache)."""
    base = {"source": "controller", "cache": str(tmp_path / "cache"), "file": FILE, "checksum": "",
            "sums_file": "sha256sums.txt", "sums_format": "sums", "local_archive": ""}
    base.update(over)
    folder = os.path.dirname(base["local_archive"]) if base["source"] == "local_archive" else base["cache"]
    base.setdefault("sums_path", os.path.join(folder, base["sums_file"]))
    return base


def unpacked(tmp_path, digest):
    marker = tmp_path / "cache" / "unpacked" / (".unpacked-" + digest)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(FILE + "\n")


def sums(directory, digest, name=FILE):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sha256sums.txt").write_text("%s  %s\n%s  other.tar.gz\n" % (digest, name, "c" * 64))


def test_blank_cache_is_not_cached(tmp_path):
    assert artifact_cached(job(tmp_path)) is False
    assert artifact_cached(job(tmp_path, checksum=A)) is False


def test_literal_checksum_needs_the_marker_of_that_digest(tmp_path):
    unpacked(tmp_path, A)
    assert artifact_cached(job(tmp_path, checksum=A)) is True
    assert artifact_cached(job(tmp_path, checksum=B)) is False


def test_digest_from_the_cached_checksum_file(tmp_path):
    unpacked(tmp_path, A)
    assert artifact_cached(job(tmp_path)) is False  # no checksum file yet: fetch
    sums(tmp_path / "cache", A)
    assert artifact_cached(job(tmp_path)) is True
    sums(tmp_path / "cache", B)  # a new release of the same name: another digest, fetch again
    assert artifact_cached(job(tmp_path)) is False


def test_checksum_file_without_the_archive_answers_false(tmp_path):
    unpacked(tmp_path, A)
    sums(tmp_path / "cache", A, name="something-else.tar.gz")
    assert artifact_cached(job(tmp_path)) is False


def test_bare_checksum_file(tmp_path):
    unpacked(tmp_path, A)
    (tmp_path / "cache" / "x.sha256").write_text(A + "\n")
    assert artifact_cached(job(tmp_path, sums_file="x.sha256", sums_format="bare")) is True


def test_local_archive_reads_the_checksum_file_beside_it(tmp_path):
    unpacked(tmp_path, A)
    archive_dir = tmp_path / "offline"
    sums(archive_dir, A)
    local = job(tmp_path, source="local_archive", local_archive=str(archive_dir / FILE))
    assert artifact_cached(local) is True
    sums(archive_dir, B)
    assert artifact_cached(local) is False


def test_remote_source_is_never_cached_on_the_controller(tmp_path):
    unpacked(tmp_path, A)
    assert artifact_cached(job(tmp_path, source="remote", checksum=A)) is False


def test_not_a_job_is_a_clear_error():
    with pytest.raises(AnsibleFilterError, match="expected an _artifact job"):
        artifact_cached("prometheus")
