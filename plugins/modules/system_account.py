# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: system_account
short_description: A service's system group and user, and its directories, in one call
version_added: 0.3.0
description:
  - Creates the system group O(group) (C(groupadd --system)) and the system user O(user) (C(useradd --system)) with that
    primary group, home O(home) (not created) and shell O(shell); an existing user with another primary group, home or
    shell is changed (C(usermod)), and added to the O(extra_groups) it is not yet in (never removed from any).
  - Then creates each directory of O(directories) that is missing (parents included) and sets the owner, group and mode
    of each that differs.
  - Reads the accounts and directories first and runs a command only for what differs, so a host that is as wanted costs
    one call and reports no change. The collection's roles call it once per service (the internal role C(_artifact)).
author:
  - vigil.observability maintainers (@vigil)
options:
  user:
    description:
      - The system user.
      - Empty for directories only (a service run by an account of its distribution package, as nginx's C(www-data));
        then no account is created or changed, and O(group), the default group of the directories, must exist.
    type: str
    default: ""
  group:
    description: Its primary group, a system group.
    type: str
    required: true
  extra_groups:
    description: Supplementary groups; each must exist.
    type: list
    elements: str
    default: []
  home:
    description: The home directory recorded for the user (not created).
    type: str
    default: /nonexistent
  shell:
    description: The login shell of the user.
    type: str
    default: /usr/sbin/nologin
  directories:
    description: Directories to create, with their owner (default C(root)), group (default O(group)) and octal mode (default C(0750)).
    type: list
    elements: dict
    default: []
  read_paths:
    description:
      - Absolute paths to read after the accounts and directories are as wanted, returned in RV(paths) as
        M(vigil.observability.paths_info) returns them (type, owner, group, mode, SHA-1); reading changes nothing.
      - The collection's install step reads the installed files of a service in the call that creates its account, so
        a run that changes nothing costs one call per install.
    type: list
    elements: path
    default: []
    version_added: 0.3.0
attributes:
  check_mode:
    description: Reports what would change and changes nothing.
    support: full
  diff_mode:
    description: Shows the accounts and directories before and after.
    support: full
"""

EXAMPLES = r"""
- name: Create the account and directories of Loki
  vigil.observability.system_account:
    user: loki
    group: loki
    directories:
      - {path: /etc/loki}
      - {path: /var/lib/loki, owner: loki, mode: "0750"}
"""

RETURN = r"""
changes:
  description: What was done (or would be, in check mode), one line each.
  returned: always
  type: list
  elements: str
  sample: ["groupadd --system loki", "useradd --system loki", "directory /var/lib/loki: created, owner loki, group loki, mode 0750"]
paths:
  description: The state of each path of O(read_paths), keyed by path (the form of M(vigil.observability.paths_info)).
  returned: always
  type: dict
  sample: {"/usr/local/bin/loki": {"exists": true, "type": "file", "owner": "root", "group": "root", "mode": "0755", "checksum": "a9993e36..."}}
"""

import grp
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils._paths import path_state, relative_paths


def read_accounts():
    """The host's users and groups in the shape of ``getent``: ``name: [password, uid, gid, gecos, home, shell]``
    and ``name: [password, gid, members]``."""
    passwd = {p.pw_name: ["x", str(p.pw_uid), str(p.pw_gid), p.pw_gecos, p.pw_dir, p.pw_shell] for p in pwd.getpwall()}
    groups = {g.gr_name: ["x", str(g.gr_gid), ",".join(g.gr_mem)] for g in grp.getgrall()}
    return passwd, groups


def account_changes(passwd, groups, user, group, extra_groups=None, home="/nonexistent", shell="/usr/sbin/nologin"):
    """``['group']``, ``['user']``, both or none: the group step when the group is missing; the user
    step when the user is missing, or has another primary group, home or shell, or is not yet a
    member of one of ``extra_groups`` (which it adds, never removes)."""
    changes = []
    wanted_group = groups.get(group)
    if wanted_group is None:
        changes.append("group")
    entry = passwd.get(user)
    if entry is None or wanted_group is None or len(entry) < 6:
        return changes + ["user"]
    members = {name: set(str(fields[2] or "").split(",")) if len(fields) > 2 else set() for name, fields in groups.items()}
    if (str(entry[2]) != str(wanted_group[1]) or entry[4] != home or entry[5] != shell
            or any(extra not in members or user not in members[extra] for extra in extra_groups or [])):
        changes.append("user")
    return changes


def user_command(passwd, groups, user, group, extra_groups, home, shell):
    """The useradd (a new user) or usermod (an existing one) arguments for the user step."""
    if user not in passwd:
        argv = ["useradd", "--system", "--gid", group, "--home-dir", home, "--no-create-home", "--shell", shell]
        if extra_groups:
            argv += ["--groups", ",".join(extra_groups)]
        return argv + [user]
    argv = ["usermod", "--gid", group, "--home", home, "--shell", shell]
    missing = [g for g in extra_groups if user not in str((groups.get(g) or ["", "", ""])[2] or "").split(",")]
    if missing:
        argv += ["--append", "--groups", ",".join(missing)]
    return argv + [user]


def directory_changes(directories, default_group, states):
    """Per directory that differs: (item, state, what differs: 'created' or 'owner', 'group', 'mode')."""
    todo = []
    for item in directories:
        wanted = {"owner": item.get("owner") or "root", "group": item.get("group") or default_group,
                  "mode": "%04o" % int(str(item.get("mode") or "0750"), 8)}
        state = states[item["path"]]
        if not state.get("exists"):
            todo.append((item["path"], wanted, ["created"]))
            continue
        if state.get("type") != "directory":
            raise ValueError("%s exists and is a %s, not a directory" % (item["path"], state.get("type")))
        differs = [key for key in ("owner", "group", "mode") if state.get(key) != wanted[key]]
        if differs:
            todo.append((item["path"], wanted, differs))
    return todo


def main():
    module = AnsibleModule(
        argument_spec=dict(
            user=dict(type="str", default=""),
            group=dict(type="str", required=True),
            extra_groups=dict(type="list", elements="str", default=[]),
            home=dict(type="str", default="/nonexistent"),
            shell=dict(type="str", default="/usr/sbin/nologin"),
            directories=dict(type="list", elements="dict", default=[]),
            read_paths=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    user, group = params["user"], params["group"]
    relative = relative_paths(params["read_paths"])
    if relative:
        module.fail_json(msg="system_account: read_paths must be absolute: %s" % ", ".join(relative))
    for item in params["directories"]:
        if not str(item.get("path") or "").startswith("/"):
            module.fail_json(msg="system_account: every directory needs an absolute path (%s)" % item)
        try:
            int(str(item.get("mode") or "0750"), 8)
        except ValueError:
            module.fail_json(msg="system_account: the mode of %s must be octal, not %r" % (item["path"], item.get("mode")))
    passwd, groups = read_accounts()
    steps = account_changes(passwd, groups, user, group, params["extra_groups"], params["home"], params["shell"]) if user else []
    unknown = [g for g in params["extra_groups"] if g not in groups]
    if unknown:
        module.fail_json(msg="system_account: the supplementary group(s) %s of %s do not exist" % (", ".join(unknown), user))
    changes, before, after = [], [], []
    commands = []
    if "group" in steps:
        commands.append(["groupadd", "--system", group])
        before.append("group %s: absent" % group)
        after.append("group %s: system group" % group)
    if "user" in steps:
        commands.append(user_command(passwd, groups, user, group, params["extra_groups"], params["home"], params["shell"]))
        entry = passwd.get(user)
        before.append("user %s: %s" % (user, "absent" if entry is None else "gid %s, home %s, shell %s" % (entry[2], entry[4], entry[5])))
        after.append("user %s: group %s, home %s, shell %s%s" % (
            user, group, params["home"], params["shell"],
            (", in " + ", ".join(params["extra_groups"])) if params["extra_groups"] else ""))
    for argv in commands:
        changes.append(" ".join(argv))
        if not module.check_mode:
            rc, out, err = module.run_command([module.get_bin_path(argv[0], required=True)] + argv[1:])
            if rc != 0:
                module.fail_json(msg="system_account: %s failed: %s" % (" ".join(argv), (err or out).strip()), changes=changes)
    states = {item["path"]: path_state(item["path"], checksum=False) for item in params["directories"]}
    try:
        todo = directory_changes(params["directories"], group, states)
    except ValueError as err:
        module.fail_json(msg="system_account: %s" % err, changes=changes)
    for path, wanted, differs in todo:
        state = states[path]
        was = "absent" if not state.get("exists") else "owner %s, group %s, mode %s" % (state["owner"], state["group"], state["mode"])
        before.append("directory %s: %s" % (path, was))
        after.append("directory %s: owner %s, group %s, mode %s" % (path, wanted["owner"], wanted["group"], wanted["mode"]))
        changes.append("directory %s: %s" % (path, ", ".join(differs)))
        if module.check_mode:
            continue
        try:
            if not state.get("exists"):
                os.makedirs(path)
            uid = pwd.getpwnam(wanted["owner"]).pw_uid
            gid = grp.getgrnam(wanted["group"]).gr_gid
            os.chown(path, uid, gid)
            os.chmod(path, int(wanted["mode"], 8))
        except (OSError, KeyError) as err:
            module.fail_json(msg="system_account: directory %s: %s" % (path, err), changes=changes)
    result = {"changed": bool(changes), "changes": changes, "paths": {p: path_state(p) for p in params["read_paths"]}}
    if changes and module._diff:
        result["diff"] = {"before": "\n".join(before) + "\n", "after": "\n".join(after) + "\n",
                          "before_header": "%s accounts and directories" % user, "after_header": "%s accounts and directories" % user}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
