# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cached_checksum: the copy action's SHA-1 of a cache file, taken once and kept while the file is the same."""

from __future__ import annotations

import os

from ansible.utils.hashing import checksum

from ansible_collections.vigil.observability.plugins.plugin_utils import local_checksums
from ansible_collections.vigil.observability.plugins.plugin_utils.local_checksums import cached_checksum


def test_taken_once_then_read_from_the_store(tmp_path, monkeypatch):
    binary, store = tmp_path / "unpacked" / "prometheus", tmp_path / "checksums"
    binary.parent.mkdir()
    binary.write_bytes(b"\x7fELF" + b"x" * 4096)
    assert cached_checksum(str(binary), str(store)) == checksum(str(binary))
    assert len(os.listdir(store)) == 1 and not any(name.startswith(".record-") for name in os.listdir(store))

    def no_hashing(path):
        raise AssertionError("hashed again: %s" % path)

    monkeypatch.setattr(local_checksums, "checksum", no_hashing)
    assert cached_checksum(str(binary), str(store)) == checksum(str(binary))


def test_a_changed_file_is_hashed_again(tmp_path):
    binary, store = tmp_path / "tool", tmp_path / "checksums"
    binary.write_bytes(b"first")
    first = cached_checksum(str(binary), str(store))
    binary.write_bytes(b"other")  # same size: the time and the record's name change
    os.utime(binary, ns=(os.stat(binary).st_atime_ns, os.stat(binary).st_mtime_ns + 1_000_000))
    assert cached_checksum(str(binary), str(store)) == checksum(str(binary)) != first


def test_a_broken_record_is_not_believed(tmp_path):
    binary, store = tmp_path / "tool", tmp_path / "checksums"
    binary.write_bytes(b"content")
    cached_checksum(str(binary), str(store))
    (record,) = os.listdir(store)
    (store / record).write_text("short\n")
    assert cached_checksum(str(binary), str(store)) == checksum(str(binary))


def test_missing_files_directories_and_a_store_that_cannot_be_written(tmp_path):
    assert cached_checksum(str(tmp_path / "none"), str(tmp_path / "store")) is None
    assert cached_checksum(str(tmp_path), str(tmp_path / "store")) is None
    binary = tmp_path / "tool"
    binary.write_bytes(b"content")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store would be")
    assert cached_checksum(str(binary), str(blocked)) == checksum(str(binary))
