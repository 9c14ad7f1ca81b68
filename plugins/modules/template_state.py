# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: template_state
short_description: Find the templates that would change a file on the host, rendering each once
version_added: 0.3.0
description:
  - An action that renders each template of O(files) on the controller as M(ansible.builtin.template) would (the
    C(vigil.observability.template_checksums) lookup), reads the files on the host in one call of
    M(vigil.observability.paths_info), and returns the items whose content, owner, group or mode differs
    (the C(vigil.observability.paths_to_change) filter).
  - The C(_artifact) role's configuration step writes only those items, with M(ansible.builtin.template) (its check mode,
    diff and validation); a run that changes nothing renders each template once and runs no template step.
  - The rendered text is never returned.
author:
  - vigil.observability maintainers (@vigil)
options:
  files:
    description:
      - Items with C(src) (a template, relative to O(template_dir) unless absolute) and C(dest), and optionally C(owner),
        C(group) and C(mode) (else the defaults below). Each is rendered with the item as C(item), as a loop would.
    type: list
    elements: dict
    required: true
  template_dir:
    description: Directory of the relative C(src) paths.
    type: str
    default: ''
  owner:
    description: The owner of an item without one.
    type: str
  group:
    description: The group of an item without one.
    type: str
  mode:
    description: The octal mode of an item without one.
    type: str
  absent:
    description:
      - Absolute paths that must not exist on the host, read in the same call; RV(removing) lists those that do.
      - A path with a wildcard (C(*), C(?), C([...])) in its last part is a pattern; RV(removing) lists the regular files it matches
        that are not the C(dest) of an item of O(files) (files of an earlier run the role no longer writes).
      - The C(_artifact) role's configuration step removes them after it wrote the files that changed.
    type: list
    elements: path
    default: []
  read:
    description:
      - Further absolute paths or patterns (as in O(absent)) read in the same call and returned in RV(paths), neither
        written nor removed (whether a file the role writes in another step exists, which files a directory holds).
      - Their entries carry no C(checksum) (nor do those of the items marked C(secret)).
    type: list
    elements: path
    default: []
attributes:
  action:
    description: Renders on the controller, reads on the host.
    support: full
extends_documentation_fragment:
  - vigil.observability._read_only
"""

EXAMPLES = r"""
- name: Find the configuration files of Prometheus that would change
  vigil.observability.template_state:
    files:
      - src: prometheus.yml.j2
        dest: /etc/prometheus/prometheus.yml
    template_dir: "{{ role_path }}/templates"
    owner: root
    group: prometheus
    mode: "0640"
  register: __state
"""

RETURN = r"""
paths:
  description:
    - What M(vigil.observability.paths_info) returns for the C(dest) of every item, the paths of O(absent) and O(read) and
      the files their patterns matched; without C(checksum) for the items marked C(secret) and for what O(read) named.
  returned: success
  type: dict
changing:
  description: The items of O(files) whose file would change, in order.
  returned: success
  type: list
  elements: dict
removing:
  description: The paths of O(absent) that exist, then the files its patterns matched that no item of O(files) writes.
  returned: success
  type: list
  elements: str
"""
