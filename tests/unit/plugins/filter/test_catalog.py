# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter catalog: every filter reaches its implementation, and only on its first call."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from importlib import import_module

import pytest

from ansible_collections.vigil.observability.plugins.filter import catalog

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, os.pardir))
FILTERS = catalog.FilterModule().filters()
ENTRIES = [(module, name) for module, names in catalog._MODULES.items() for name in names]


def test_the_catalog_is_the_only_python_file_of_the_filter_directory():
    assert [os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "plugins", "filter", "*.py"))] == ["catalog.py"]


def test_every_filter_module_is_in_the_catalog():
    modules = {"plugin_utils.filters." + os.path.basename(p)[:-3]
               for p in glob.glob(os.path.join(ROOT, "plugins", "plugin_utils", "filters", "*.py"))}
    assert modules - set(catalog._MODULES) == set()


def test_every_filter_has_its_documentation_and_every_documentation_its_filter():
    docs = {os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, "plugins", "filter", "*.yml"))}
    assert set(FILTERS) == docs
    assert len(ENTRIES) == len(FILTERS), "a filter name appears twice in the catalog"


@pytest.mark.parametrize("module, name", ENTRIES)
def test_each_name_is_a_function_of_its_module(module, name):
    function = getattr(import_module(catalog._PLUGINS + module), name)
    assert callable(function)
    assert FILTERS[name].__name__ == name


def test_a_deferred_filter_returns_what_its_function_returns_and_raises_what_it_raises():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.vigil.observability.plugins.plugin_utils.filters.go_arch import go_arch

    assert FILTERS["go_arch"]("aarch64") == go_arch("aarch64") == "arm64"
    assert FILTERS["duration_seconds"]("1m30s") == 90
    with pytest.raises(AnsibleFilterError, match="unsupported architecture .pdp11."):
        FILTERS["go_arch"]("pdp11")


def test_loading_the_catalog_imports_no_implementation():
    code = (
        "import sys\n"
        "from ansible_collections.vigil.observability.plugins.filter import catalog\n"
        "filters = catalog.FilterModule().filters()\n"
        "loaded = sorted(m for m in sys.modules if '.plugin_utils.filters.' in m or '.module_utils.' in m)\n"
        "assert not loaded, loaded\n"
        "filters['cache_dir']('x')\n"
        "loaded = sorted(m.rsplit('.', 1)[1] for m in sys.modules if '.plugin_utils.filters.' in m)\n"
        "assert loaded == ['cache_dir'], loaded\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
