# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The repository's YAML files as data, for the unit tests that read the roles, playbooks and scenarios."""

from __future__ import annotations

import glob
import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def yaml_files(patterns):
    """``(path relative to the repository, data)`` of each file the glob ``patterns`` match, in order.

    A file YAML cannot parse is left out (a molecule.yml with environment references, ...): the
    callers assert how much they found, so a scan that silently reads nothing fails.
    """
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            with open(path, encoding="utf-8") as handle:
                try:
                    data = yaml.safe_load(handle)
                except yaml.YAMLError:
                    continue
            yield os.path.relpath(path, ROOT), data
