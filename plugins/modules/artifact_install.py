# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: artifact_install
short_description: Plan a release install, create its account and directories, and find what differs on the host
version_added: 0.3.0
description:
  - The first step of the C(_artifact) role's C(install) entry point, in one task. It is an action, run on the controller, that
    calls one module on the host.
  - Plans the install with the C(vigil.observability.artifact_plan) filter (the input checks, URLs, cache and the files and
    links the host receives), gathering the host's platform facts first when they are missing.
  - Creates the service account and directories with M(vigil.observability.system_account) (check mode and diff as that
    module).
  - When the archive is already verified in the controller cache, reads the installed files, links and tree markers in the
    same call (O(vigil.observability.system_account#module:read_paths)) and compares them with the cache (the
    C(vigil.observability.paths_to_change) filter).
    RV(steps) is false when nothing differs, so the role skips its fetch, tree and file steps as a whole. Those steps, when
    they run, are the real ones, with their own check mode and diff.
author:
  - vigil.observability maintainers (@vigil)
options:
  spec:
    description: Every C(_artifact_*) input of the install, without the prefix (what the C(artifact_plan) filter takes).
    type: dict
    required: true
  user:
    description: The service user.
    type: str
    required: true
  group:
    description: The service group.
    type: str
    required: true
  extra_groups:
    description: Further groups of the user.
    type: list
    elements: str
    default: []
  directories:
    description: The directories of the service, as M(vigil.observability.system_account) takes them.
    type: list
    elements: dict
    default: []
attributes:
  action:
    description: Runs on the controller and calls the modules named above on the host.
    support: full
  check_mode:
    description: The account and directories are only reported in check mode; the reads are the same.
    support: full
  diff_mode:
    description: The diff of the account and directories.
    support: full
"""

EXAMPLES = r"""
- name: Plan and read the install of node_exporter
  vigil.observability.artifact_install:
    spec: "{{ spec }}"
    user: node_exporter
    group: node_exporter
    directories:
      - path: /var/lib/node_exporter
        owner: node_exporter
        mode: "0750"
  register: __install
"""

RETURN = r"""
job:
  description: The plan (the C(artifact_plan) filter's answer).
  type: dict
  returned: success
cached:
  description: Whether the archive is verified and unpacked in the controller cache.
  type: bool
  returned: success
paths:
  description: What the call read of the installed files, links and tree markers, as M(vigil.observability.paths_info) reads them (empty when not cached).
  type: dict
  returned: success
files_changing:
  description: The planned files that differ on the host (empty when the archive is not cached yet).
  type: list
  elements: dict
  returned: success
steps:
  description: Whether the fetch, tree or file steps have anything to do.
  type: bool
  returned: success
version:
  description: The version of O(spec) (C(spec.version)), the version the calling role reads after the install.
  type: str
  returned: success
binary_changed:
  description:
    - Always false here. With the fields below it starts the record of this artifact's run (registered as C(__artifact_run) by the
      C(_artifact) role), which the later steps update when they change something; nothing of an earlier artifact's run carries over.
  type: bool
  returned: success
binaries_switched:
  description: Always false here; the binary step sets it when it switched in new binaries.
  type: bool
  returned: success
config_changed:
  description: Always false here; the configuration step sets it when a configuration file of the artifact changed.
  type: bool
  returned: success
previous_binaries:
  description: Always empty here; the binaries a failed ready check puts back, set by the binary step.
  type: dict
  returned: success
previous_configs:
  description: Always empty here; the configuration files a failed ready check puts back, set by the configuration step.
  type: dict
  returned: success
"""
