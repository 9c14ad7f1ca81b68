# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

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
