# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import hashlib

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.paths_to_change import paths_to_change

FILE = {"exists": True, "type": "file", "mode": "0640", "owner": "root", "group": "prometheus", "checksum": "c1"}
DIR = {"exists": True, "type": "directory", "mode": "0750", "owner": "root", "group": "prometheus"}


def dests(items):
    return [i.get("dest", i.get("path")) for i in items]


def test_a_file_as_wanted_is_left_alone_and_each_difference_counts():
    items = [{"dest": "/a"}, {"dest": "/b", "mode": "0600"}, {"dest": "/c", "owner": "prometheus"},
             {"dest": "/d"}, {"dest": "/e"}, {"dest": "/f", "group": "root"}]
    state = {"/a": FILE, "/b": FILE, "/c": FILE, "/d": dict(FILE, checksum="other"), "/e": {"exists": False},
             "/f": FILE}
    out = paths_to_change(items, state, checksums=["c1"] * 6, owner="root", group="prometheus", mode="0640")
    assert dests(out) == ["/b", "/c", "/d", "/e", "/f"]


@pytest.mark.parametrize("mode, differs", [("0640", False), ("640", False), (0o640, False), ("0644", True),
                                           ("u=rw,g=r", True), (None, False), ("", False)])
def test_modes(mode, differs):
    assert bool(paths_to_change([{"dest": "/a"}], {"/a": FILE}, checksums=["c1"], mode=mode)) is differs


def test_no_checksum_means_different_for_files_only():
    assert dests(paths_to_change([{"dest": "/a"}], {"/a": FILE})) == ["/a"]
    assert paths_to_change([{"path": "/d"}], {"/d": DIR}, path_key="path", kind="directory", mode="0750") == []
    assert dests(paths_to_change([{"path": "/d"}], {"/d": FILE}, path_key="path", kind="directory")) == ["/d"]


LINK = {"exists": True, "type": "link", "mode": "0777", "owner": "root", "group": "root", "target": "/opt/x/2.5.3"}


def test_a_link_differs_when_missing_of_another_type_or_pointing_elsewhere():
    item = {"src": "/opt/x/2.5.3", "dest": "/opt/x/current"}
    assert paths_to_change([item], {"/opt/x/current": LINK}, kind="link") == []
    for have in ({"exists": False}, dict(LINK, target="/opt/x/2.5.2"), dict(DIR), None):
        assert paths_to_change([item], {"/opt/x/current": have} if have is not None else {}, kind="link") == [item]
    # The link's own mode and owner are not the target's: only what an item or a default names counts.
    assert paths_to_change([item], {"/opt/x/current": LINK}, kind="link", owner="root") == []


def test_local_source_checksum(tmp_path):
    src = tmp_path / "bin"
    src.write_bytes(b"binary")
    digest = hashlib.sha1(b"binary").hexdigest()
    item = {"src": str(src), "dest": "/usr/local/bin/x"}
    assert paths_to_change([item], {"/usr/local/bin/x": dict(FILE, checksum=digest)}, local_src=True) == []
    assert paths_to_change([item], {"/usr/local/bin/x": FILE}, local_src=True) == [item]
    folder = dict(item, src=str(tmp_path))  # a directory as the source: the copy decides
    assert paths_to_change([folder], {"/usr/local/bin/x": dict(FILE, checksum=digest)}, local_src=True) == [folder]
    # With a store: the same answers, the digest kept there once.
    store = tmp_path / "checksums"
    for _run in range(2):
        assert paths_to_change([item], {"/usr/local/bin/x": dict(FILE, checksum=digest)}, local_src=True,
                               checksum_store=str(store)) == []
        assert paths_to_change([item], {"/usr/local/bin/x": FILE}, local_src=True, checksum_store=str(store)) == [item]
    assert len(list(store.iterdir())) == 1
    assert paths_to_change([folder], {"/usr/local/bin/x": dict(FILE, checksum=digest)}, local_src=True,
                           checksum_store=str(store)) == [folder]


@pytest.mark.parametrize("args, message", [
    (("x", {}), "expects a list"),
    (([{"dest": "/a"}], []), "the state must be"),
    (([{"src": "a"}], {}), "item #1 has no dest"),
    (([{"dest": "/a"}], {}, ["c", "d"]), "2 checksums for 1 items"),
])
def test_bad_input(args, message):
    with pytest.raises(AnsibleFilterError, match="paths_to_change: " + message):
        paths_to_change(*args)


def test_kind_is_checked():
    with pytest.raises(AnsibleFilterError, match="kind must be file, directory or link, not 'socket'"):
        paths_to_change([], {}, kind="socket")
    assert paths_to_change(None, {}) == []
