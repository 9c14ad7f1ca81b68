# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import os

from ansible_collections.vigil.observability.plugins.module_utils._paths import path_state
from ansible_collections.vigil.observability.plugins.modules.paths_info import group_exists, matching, supplementary_groups


def test_matching_lists_the_names_of_the_pattern_sorted(tmp_path):
    for name in ["vigil-gateway-b.crt", "vigil-gateway-a.crt", "other.crt", "vigil-gateway-a.crt.bak"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "vigil-gateway-dir.crt").mkdir()
    assert matching(str(tmp_path / "vigil-gateway-*.crt")) == [
        str(tmp_path / n) for n in ["vigil-gateway-a.crt", "vigil-gateway-b.crt", "vigil-gateway-dir.crt"]]
    assert matching(str(tmp_path / "vigil-gateway-?.crt")) == [str(tmp_path / n) for n in ["vigil-gateway-a.crt", "vigil-gateway-b.crt"]]
    # Case counts, as on the host's file system.
    assert matching(str(tmp_path / "VIGIL-*")) == []


def test_a_missing_directory_matches_nothing(tmp_path):
    assert matching(str(tmp_path / "absent" / "*.crt")) == []
    (tmp_path / "file").write_text("x")
    assert matching(str(tmp_path / "file" / "*.crt")) == []


def test_path_state_digests(tmp_path):
    import hashlib

    target = tmp_path / "stamp"
    target.write_bytes(b"node 22.23.3 lockfile abc\n")
    assert path_state(str(target))["checksum"] == hashlib.sha1(b"node 22.23.3 lockfile abc\n").hexdigest()
    assert path_state(str(target), algorithm="sha256")["checksum"] == hashlib.sha256(b"node 22.23.3 lockfile abc\n").hexdigest()
    assert "checksum" not in path_state(str(target), checksum=False)
    assert path_state(str(tmp_path / "absent"), algorithm="sha256") == {"exists": False}


def test_group_exists_asks_the_group_database():
    import grp
    present = grp.getgrgid(os.getgid()).gr_name
    assert group_exists(present) is True
    assert group_exists("vigil-no-such-group") is False


def test_a_socket_is_reported_as_one(tmp_path):
    import socket
    path = str(tmp_path / "docker.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
        assert path_state(path)["type"] == "socket"
    finally:
        server.close()
    assert path_state(str(tmp_path))["type"] == "directory"


def test_supplementary_groups_leave_out_the_primary_group_and_others_members():
    import collections

    group = collections.namedtuple("group", "gr_name gr_gid gr_mem")
    user = collections.namedtuple("user", "pw_gid")
    groups = [group("telegraf", 996, ["telegraf"]), group("docker", 990, ["alice", "telegraf"]), group("adm", 4, ["telegraf"]),
              group("other", 5, ["alice"]), group("adm", 4, ["telegraf"])]

    def passwd(name):
        if name != "telegraf":
            raise KeyError(name)
        return user(996)

    assert supplementary_groups("telegraf", groups, passwd) == ["adm", "docker"]
    assert supplementary_groups("nobody-here", groups, passwd) is None
