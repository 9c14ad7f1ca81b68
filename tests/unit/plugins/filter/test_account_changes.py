# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.vigil.observability.plugins.filter.account_changes import account_changes

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


def test_bad_input():
    with pytest.raises(AnsibleFilterError, match="account_changes: expects the getent"):
        account_changes(None, GROUPS, "a", "b")
    with pytest.raises(AnsibleFilterError, match="must not be empty"):
        account_changes(PASSWD, GROUPS, "", "b")
