# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""config_file_plan: the _artifact_config_files list from groups of files."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.config_file_plan import config_file_plan, jinja_sorted


def test_groups_in_order_paths_sorted_like_jinja():
    plan = config_file_plan([
        {"paths": {"/r/b.yml": "B", "/r/A.yml": "A", "/r/a2.yml": "x"}, "validate": "promtool check rules %s"},
        {"paths": ["/s/z", "/s/y"], "mode": "0640", "secret": True},
        {"src": "web.yml.j2", "dest": "/etc/p/web.yml", "when": False},
        {"src": "main.yml.j2", "dest": "/etc/p/main.yml", "validate": "check %s", "secret": "false", "when": "True"},
    ])
    assert plan == [
        {"src": "content.j2", "dest": "/r/A.yml", "validate": "promtool check rules %s"},
        {"src": "content.j2", "dest": "/r/a2.yml", "validate": "promtool check rules %s"},
        {"src": "content.j2", "dest": "/r/b.yml", "validate": "promtool check rules %s"},
        {"src": "content.j2", "dest": "/s/y", "mode": "0640", "secret": True},
        {"src": "content.j2", "dest": "/s/z", "mode": "0640", "secret": True},
        {"src": "main.yml.j2", "dest": "/etc/p/main.yml", "validate": "check %s", "secret": False},
    ]


def test_empty_groups_give_nothing():
    assert config_file_plan([]) == []
    assert config_file_plan([{"paths": {}}, {"paths": None}, {"paths": []}]) == []


def test_jinja_sort_is_case_insensitive_and_stable():
    assert jinja_sorted(["b", "B", "a", "C"]) == ["a", "b", "B", "C"]


@pytest.mark.parametrize("groups, message", [
    ({"paths": []}, r"config_file_plan: expects a list of file groups, not a dict"),
    (["x"], r"config_file_plan: group #1 is a str, not a mapping"),
    ([{"paths": [], "owner": "root"}], r"config_file_plan: group #1 has unknown key\(s\) owner"),
    ([{"paths": [], "dest": "/x", "src": "t"}], r"config_file_plan: group #1 needs either paths or dest"),
    ([{"mode": "0640"}], r"config_file_plan: group #1 needs either paths or dest"),
    ([{"paths": "/a"}], r"config_file_plan: group #1: paths must be a mapping or a list of paths, not a str"),
    ([{"paths": ["/a", ""]}], r"config_file_plan: group #1: every path must be a non-empty string"),
    ([{"paths": []}, {"dest": "/x"}], r"config_file_plan: group #2: a single file needs a non-empty dest and its src"),
    ([{"paths": [], "when": "maybe"}], r"config_file_plan: group #1: when is 'maybe', not a boolean"),
])
def test_bad_input_is_named(groups, message):
    with pytest.raises(AnsibleFilterError, match=message):
        config_file_plan(groups)
