# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of _artifact's account steps (the system group, the system user) would change anything."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail


def account_changes(passwd, groups, user, group, extra_groups=None, home="/nonexistent", shell="/usr/sbin/nologin"):
    """``['group']``, ``['user']``, both or none, from the host's ``getent`` facts.

    ``passwd`` and ``groups`` are ``ansible_facts.getent_passwd`` and ``getent_group``
    (``name: [password, uid, gid, gecos, home, shell]`` and ``name: [password, gid, members]``).
    The group step changes something when the group is missing; the user step when the user is
    missing, or has another primary group, home or shell, or is not yet a member of one of
    ``extra_groups`` (which the user step adds, never removes).
    """
    if not isinstance(passwd, Mapping) or not isinstance(groups, Mapping):
        fail("account_changes", "expects the getent_passwd and getent_group facts (mappings)")
    if not user or not group:
        fail("account_changes", "the user and group names must not be empty")
    changes = []
    wanted_group = groups.get(group)
    if wanted_group is None:
        changes.append("group")
    entry = passwd.get(user)
    if entry is None or wanted_group is None or len(entry) < 6:
        return changes + ["user"]
    members = {}
    for name, fields in groups.items():
        members[name] = set(str(fields[2] or "").split(",")) if len(fields) > 2 else set()
    if (str(entry[2]) != str(wanted_group[1]) or entry[4] != home or entry[5] != shell
            or any(extra not in members or user not in members[extra] for extra in extra_groups or [])):
        changes.append("user")
    return changes


class FilterModule:
    """The account_changes filter."""

    def filters(self):
        return {"account_changes": account_changes}
