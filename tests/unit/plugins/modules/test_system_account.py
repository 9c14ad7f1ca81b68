# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._paths import path_state
from ansible_collections.vigil.observability.plugins.modules import system_account
from ansible_collections.vigil.observability.plugins.modules.system_account import account_changes, directory_changes, user_command

PASSWD = {"loki": ["x", "999", "998", "", "/nonexistent", "/usr/sbin/nologin"],
          "telegraf": ["x", "997", "996", "", "/nonexistent", "/usr/sbin/nologin"]}
GROUPS = {"loki": ["x", "998", ""], "telegraf": ["x", "996", ""], "docker": ["x", "990", "telegraf,alice"],
          "adm": ["x", "4", ""], "other": ["x", "5", ""]}


def test_as_wanted():
    assert account_changes(PASSWD, GROUPS, "loki", "loki") == []
    assert account_changes(PASSWD, GROUPS, "telegraf", "telegraf", ["docker"]) == []


def test_missing_group_and_user():
    assert account_changes(PASSWD, GROUPS, "jaeger", "jaeger") == ["group", "user"]
    assert account_changes(PASSWD, GROUPS, "jaeger", "loki") == ["user"]
    assert account_changes(PASSWD, GROUPS, "loki", "new") == ["group", "user"]


@pytest.mark.parametrize("kwargs", [{"group": "other"}, {"home": "/var/lib/loki"}, {"shell": "/bin/sh"},
                                    {"extra_groups": ["adm"]}, {"extra_groups": ["missing"]}])
def test_each_difference_runs_the_user_step(kwargs):
    args = dict({"group": "loki"}, **kwargs)
    assert "user" in account_changes(PASSWD, GROUPS, "loki", **args)


def test_user_step_commands():
    assert user_command(PASSWD, GROUPS, "jaeger", "jaeger", [], "/nonexistent", "/usr/sbin/nologin") == [
        "useradd", "--system", "--gid", "jaeger", "--home-dir", "/nonexistent", "--no-create-home", "--shell", "/usr/sbin/nologin",
        "jaeger"]
    assert user_command(PASSWD, GROUPS, "jaeger", "jaeger", ["adm", "docker"], "/nonexistent", "/usr/sbin/nologin")[-3:] == [
        "--groups", "adm,docker", "jaeger"]
    # An existing user is only added to the groups it is not in yet.
    assert user_command(PASSWD, GROUPS, "telegraf", "telegraf", ["docker", "adm"], "/nonexistent", "/usr/sbin/nologin") == [
        "usermod", "--gid", "telegraf", "--home", "/nonexistent", "--shell", "/usr/sbin/nologin", "--append", "--groups", "adm",
        "telegraf"]


STATES = {
    "/etc/loki": {"exists": True, "type": "directory", "owner": "root", "group": "loki", "mode": "0750"},
    "/var/lib/loki": {"exists": True, "type": "directory", "owner": "root", "group": "loki", "mode": "0755"},
    "/var/log/loki": {"exists": False},
    "/etc/loki/file": {"exists": True, "type": "file", "owner": "root", "group": "root", "mode": "0644"},
}


def test_only_the_directories_that_differ():
    todo = directory_changes([{"path": "/etc/loki"}, {"path": "/var/lib/loki", "owner": "loki", "mode": "0750"},
                              {"path": "/var/log/loki", "mode": "755"}], "loki", STATES)
    assert todo == [("/var/lib/loki", {"owner": "loki", "group": "loki", "mode": "0750"}, ["owner", "mode"]),
                    ("/var/log/loki", {"owner": "root", "group": "loki", "mode": "0755"}, ["created"])]


def test_a_file_in_the_way_is_an_error():
    with pytest.raises(ValueError, match="^/etc/loki/file exists and is a file, not a directory$"):
        directory_changes([{"path": "/etc/loki/file"}], "loki", STATES)


def _run_module(tmp_path, args):
    """The module run as Ansible runs it on a host (its arguments in a file), in check mode; its JSON result."""
    path = tmp_path / "args.json"
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, _ansible_check_mode=True)}))
    run = subprocess.run([sys.executable, system_account.__file__, str(path)], capture_output=True, text=True, check=False,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
    return json.loads(run.stdout)


def test_the_call_reads_the_paths_it_is_given(tmp_path):
    """read_paths: the install step's read of the installed files, in the account's call."""
    binary = tmp_path / "node_exporter"
    binary.write_bytes(b"\x7fELF")
    binary.chmod(0o755)
    wanted = [str(binary), str(tmp_path / "absent")]
    result = _run_module(tmp_path, {"group": "root", "read_paths": wanted})
    assert (result.get("failed"), result["changed"]) == (None, False), result
    assert result["paths"] == {path: path_state(path) for path in wanted}
    assert result["paths"][str(binary)]["checksum"] == hashlib.sha1(b"\x7fELF").hexdigest()
    assert result["paths"][str(binary)]["mode"] == "0755"
    assert result["paths"][str(tmp_path / "absent")] == {"exists": False}
    assert _run_module(tmp_path, {"group": "root"})["paths"] == {}


def test_relative_read_paths_are_one_message(tmp_path):
    assert _run_module(tmp_path, {"group": "root", "read_paths": ["relative/x"]})["msg"] == \
        "system_account: read_paths must be absolute: relative/x"
