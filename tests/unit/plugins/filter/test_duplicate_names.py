# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""duplicate_names: the names a list gives more than once."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.duplicate_names import duplicate_names


@pytest.mark.parametrize("names, duplicates", [
    ([], []),
    (None, []),
    (["node", "app"], []),
    (["node", "app", "node", "app", "node"], ["node", "app"]),
    # the order of the first repetition
    (["a", "b", "b", "a"], ["b", "a"]),
    # empty names are the caller's "unnamed" check
    (["", "", "x"], []),
    ([1, "1"], ["1"]),
])
def test_repeated_names_once_each(names, duplicates):
    assert duplicate_names(names) == duplicates


@pytest.mark.parametrize("names, message", [
    ("node", r"duplicate_names: expects a list of names, not a str"),
    ({"a": 1}, r"duplicate_names: expects a list of names, not a dict"),
    (["a", {"name": "b"}], r"duplicate_names: \{'name': 'b'\} is not a name"),
    ([None], r"duplicate_names: None is not a name"),
])
def test_bad_input_is_named(names, message):
    with pytest.raises(AnsibleFilterError, match=message):
        duplicate_names(names)
