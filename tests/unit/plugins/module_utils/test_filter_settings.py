# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_filter_settings: the settings check shared by the role filters."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.module_utils._filter_settings import check_settings, is_list


def test_exact_settings_pass_through():
    settings = {"a": 1, "b": None}
    assert check_settings("f", settings, ("a", "b")) is settings


@pytest.mark.parametrize("settings, message", [
    (["a"], "f: the settings must be a mapping, not list"),
    ({"a": 1}, "f: settings missing: b"),
    ({"a": 1, "b": 2, "z": 3, 4: 5}, "f: unknown settings: 4, z"),
])
def test_bad_settings_are_named_in_one_line(settings, message):
    with pytest.raises(AnsibleFilterError) as err:
        check_settings("f", settings, ("a", "b"), error=AnsibleFilterError)
    assert str(err.value) == message


def test_what_names_the_mapping_and_the_error_is_a_value_error_by_default():
    with pytest.raises(ValueError, match="^f: client settings missing: b$"):
        check_settings("f", {"a": 1}, ("a", "b"), "client settings")


def test_is_list():
    assert is_list([]) and is_list(("a",))
    assert not any(is_list(v) for v in ("ab", b"ab", {"a": 1}, None, 3))
