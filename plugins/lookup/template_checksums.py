# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SHA-1 of what ansible.builtin.template would write for each file of a list."""

from __future__ import annotations

DOCUMENTATION = r"""
name: template_checksums
version_added: 0.2.0
author:
  - vigil.observability maintainers (@vigil)
short_description: The SHA-1 of each template of a file list, rendered as the template module renders it
description:
  - Renders each item's template on the controller with the item as C(item) (as a loop of
    M(ansible.builtin.template) does) and returns the SHA-1 of the result, the checksum the
    template module compares with the file on the host.
  - For the C(_artifact) role's configuration step, with M(vigil.observability.paths_info) and the
    C(vigil.observability.paths_to_change) filter; the rendered text itself is never returned.
options:
  _terms:
    description: File items, each with C(src) (a template path, relative to O(template_dir) unless absolute).
    required: true
    type: list
    elements: dict
  template_dir:
    description: Directory of the relative C(src) paths.
    type: str
    default: ''
"""

EXAMPLES = r"""
- name: Render only the files that differ
  ansible.builtin.template:
    src: "{{ item.src }}"
    dest: "{{ item.dest }}"
  loop: >-
    {{ files | vigil.observability.paths_to_change(__state.paths,
         checksums=query('vigil.observability.template_checksums', files, template_dir=role_path ~ '/templates')) }}
"""

RETURN = r"""
_raw:
  description: One SHA-1 (hex) per item, in order.
  type: list
  elements: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from ansible.plugins.lookup import LookupBase
from ansible.utils.hashing import checksum_s


class _CopiedShallow(dict):
    """The variables as the template lookup gets them: its copy of them for each template (a deepcopy)
    is a shallow copy, as the template action makes (``task_vars.copy()``). A deepcopy of every
    variable of the host, once per file, was most of the lookup's time on a run that renders nothing new."""

    def __deepcopy__(self, memo):
        return dict(self)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        base = (self.get_option("template_dir") or "").rstrip("/")
        template = lookup_loader.get("ansible.builtin.template", loader=self._loader, templar=self._templar)
        if len(terms) == 1 and isinstance(terms[0], (list, tuple)):
            terms = terms[0]  # query('...', items): the list as one term
        shared = _CopiedShallow(variables or {})
        sums = []
        for index, item in enumerate(terms):
            if not isinstance(item, Mapping) or not item.get("src"):
                raise AnsibleLookupError("template_checksums: item #%d has no src" % (index + 1))
            src = str(item["src"])
            path = src if src.startswith("/") or not base else base + "/" + src
            rendered = template.run([path], shared, template_vars={"item": item}, convert_data=False)[0]
            # The checksum the template action compares with the file on the host.
            sums.append(checksum_s(rendered))
        return sums
