# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: paths_info
short_description: Read the type, owner, group, mode and SHA-1 of many paths in one call
version_added: 0.2.0
description:
  - Returns what M(ansible.builtin.stat) returns for one path, reduced to what the roles compare, for
    every path of O(paths) in one round trip to the host.
  - The collection's roles use it (with the C(vigil.observability.paths_to_change) filter) to run
    their file, copy and template steps only for the paths that differ from what they would write,
    so a run that changes nothing costs one call per step instead of one per file. The steps that
    do run are the real ones, with their check mode, diff and validation.
  - Reads only; never reports a change.
author:
  - vigil.observability maintainers (@vigil)
options:
  paths:
    description: Absolute paths on the host. Symbolic links are not followed.
    type: list
    elements: path
    required: true
  checksum:
    description: Compute the SHA-1 of regular files (what M(ansible.builtin.copy) and M(ansible.builtin.template) compare).
    type: bool
    default: true
  checksum_algorithm:
    description:
      - The digest RV(paths) reports as C(checksum). C(sha1) is what M(ansible.builtin.copy) and M(ansible.builtin.template)
        compare; C(sha256) what release checksums and the roles' stamps name.
    type: str
    choices: [sha1, sha256]
    default: sha1
    version_added: 0.3.0
  globs:
    description:
      - Absolute shell patterns (C(*), C(?), C([...]) in the last part of the path only). Every path that matches one is read as
        well and added to RV(paths); a pattern whose directory does not exist matches nothing.
      - The collection's roles list with it the files they wrote earlier under a name of theirs, to remove those no longer wanted.
    type: list
    elements: path
    default: []
    version_added: 0.3.0
  newer_than:
    description:
      - A reference file. RV(newer) lists the paths of O(newer_paths) whose status changed after it was last modified (as
        C(find -cnewer)). When it does not exist, nothing is newer.
      - The collection's roles compare their service's files with the stamp of the last change their check found running.
    type: path
  newer_paths:
    description: Groups of paths compared with O(newer_than), a list of paths per name; a directory stands for everything below it.
    type: dict
    default: {}
  groups:
    description:
      - Names of groups to look up in the host's group database (local files and any other source of its name service, as
        C(getent group) does); RV(groups) says which exist.
      - The collection's Telegraf role reads the Docker socket and the groups its account joins in the same call.
    type: list
    elements: str
    default: []
    version_added: 0.3.0
  user:
    description:
      - A user name; RV(user_groups) lists its supplementary groups, the groups whose member list names it other than its
        primary group (what M(ansible.builtin.user) compares with O(ansible.builtin.user#module:groups)).
      - The collection's Telegraf role sets its account's groups only when they differ.
    type: str
    version_added: 0.3.0
extends_documentation_fragment:
  - vigil.observability._read_only
"""

EXAMPLES = r"""
- name: Read the configuration files of Prometheus
  vigil.observability.paths_info:
    paths:
      - /etc/prometheus/prometheus.yml
      - /etc/prometheus/web.yml
  register: __state

- name: Read the gateway CAs in the trust store, whatever servers they are of
  vigil.observability.paths_info:
    paths: [/usr/sbin/update-ca-certificates]
    globs: [/usr/local/share/ca-certificates/vigil-gateway-*.crt]
  register: __trust
"""

RETURN = r"""
paths:
  description:
    - One entry per path of O(paths) and per path a pattern of O(globs) matched. C(exists) false when nothing is there (the other keys are then absent).
    - C(type) is C(file), C(directory), C(link), C(socket) or C(other); C(mode) the permission bits as four octal digits;
      C(owner) and C(group) the names (the numeric id when the name is unknown); C(checksum) the digest of a regular file
      (with O(checksum); SHA-1 unless O(checksum_algorithm) says otherwise), empty when unreadable.
  returned: always
  type: dict
  sample:
    /etc/prometheus/prometheus.yml:
      exists: true
      type: file
      mode: "0640"
      owner: root
      group: prometheus
      checksum: 2aae6c35c94fcfb415dbe95f408b9ce91ee846ed
newer:
  description: Per group of O(newer_paths), the paths (files below a directory included) newer than O(newer_than).
  returned: always
  type: dict
  sample:
    restart: []
    reload: [/etc/prometheus/prometheus.yml]
groups:
  description: Per name of O(groups), whether the group exists on the host.
  returned: always
  type: dict
  sample: {docker: true, adm: true}
user_groups:
  description: The supplementary groups of O(user), sorted; null when the host has no such user.
  returned: when O(user) is given
  type: list
  elements: str
  sample: [adm, docker]
"""

import fnmatch
import grp
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils._paths import newer_groups, path_state, relative_paths


def main():
    module = AnsibleModule(
        argument_spec={
            "paths": {"type": "list", "elements": "path", "required": True},
            "checksum": {"type": "bool", "default": True},
            "checksum_algorithm": {"type": "str", "choices": ["sha1", "sha256"], "default": "sha1"},
            "globs": {"type": "list", "elements": "path", "default": []},
            "newer_than": {"type": "path"},
            "newer_paths": {"type": "dict", "default": {}},
            "groups": {"type": "list", "elements": "str", "default": []},
            "user": {"type": "str"},
        },
        supports_check_mode=True,
    )
    groups = module.params["newer_paths"]
    relative = relative_paths(module.params["paths"], module.params["globs"], *groups.values())
    if relative:
        module.fail_json(msg="paths_info: paths must be absolute: %s" % ", ".join(relative))
    magic = [g for g in module.params["globs"] if any(c in os.path.dirname(g) for c in "*?[")]
    if magic:
        module.fail_json(msg="paths_info: a pattern of globs may have wildcards in its last part only: %s" % ", ".join(magic))
    paths = list(module.params["paths"])
    for pattern in module.params["globs"]:
        paths.extend(matching(pattern))
    newer = newer_groups(module.params["newer_than"], groups)
    result = dict(changed=False, paths={p: path_state(p, module.params["checksum"], module.params["checksum_algorithm"]) for p in paths},
                  newer=newer, groups={name: group_exists(name) for name in module.params["groups"]})
    if module.params["user"]:
        result["user_groups"] = supplementary_groups(module.params["user"])
    module.exit_json(**result)


def group_exists(name):
    """Whether the host's group database (its name service) knows the group ``name``."""
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def supplementary_groups(user, groups=None, passwd=None):
    """The sorted names of the groups listing ``user`` as a member, its primary group left out; None when there is no such user."""
    try:
        primary = (passwd or pwd.getpwnam)(user).pw_gid
    except KeyError:
        return None
    return sorted({entry.gr_name for entry in (grp.getgrall() if groups is None else groups)
                   if user in entry.gr_mem and entry.gr_gid != primary})


def matching(pattern):
    """The paths of the directory of ``pattern`` whose name matches its last part, sorted; none when it is no directory."""
    directory, name = os.path.split(pattern)
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    return [os.path.join(directory, entry) for entry in sorted(entries) if fnmatch.fnmatchcase(entry, name)]


if __name__ == "__main__":
    main()
