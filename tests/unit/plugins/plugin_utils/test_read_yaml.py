# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_yaml: the collection's own YAML files read as yaml.safe_load reads them, with libyaml when
PyYAML has it (the filters read role defaults and tier playbooks in every task's fresh fork)."""

from __future__ import annotations

import glob
import os

import pytest
import yaml

from ansible_collections.vigil.observability.plugins.plugin_utils import filter_args
from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import read_yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
FILES = sorted(glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "main.yml"))
               + glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))
               + glob.glob(os.path.join(ROOT, "inventories", "example", "group_vars", "all", "*.yml*")))


def test_the_files_the_filters_read_are_there():
    assert len(FILES) > 15


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_same_data_as_safe_load(path):
    with open(path, encoding="utf-8") as handle:
        assert read_yaml(path) == yaml.safe_load(handle)


def test_libyaml_when_pyyaml_has_it():
    expected = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    assert filter_args._YAML_LOADER is expected


def test_refuses_what_safe_load_refuses(tmp_path):
    path = tmp_path / "unsafe.yml"
    path.write_text("x: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(str(path))
    with pytest.raises(OSError):
        read_yaml(str(tmp_path / "missing.yml"))
