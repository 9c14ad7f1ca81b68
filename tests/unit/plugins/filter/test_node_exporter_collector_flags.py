# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""node_exporter_collector_flags: the collector flags of node_exporter."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.node_exporter_collector_flags import node_exporter_collector_flags


def test_enabled_with_options_then_disabled():
    enabled = ["systemd", {"filesystem": {"mount-points-exclude": "^/(dev|proc)($|/)", "fs-types-exclude": ""}},
               {"netdev": None}, {"cpu": {"info": True, "guest": False}}]
    assert node_exporter_collector_flags(enabled, ["wifi", "zfs"]) == [
        "--collector.systemd",
        "--collector.filesystem", "--collector.filesystem.mount-points-exclude=^/(dev|proc)($|/)",
        # an empty value is passed (it clears the default), a boolean as Jinja writes it
        "--collector.filesystem.fs-types-exclude=",
        "--collector.netdev",
        "--collector.cpu", "--collector.cpu.info=True", "--collector.cpu.guest=False",
        "--no-collector.wifi", "--no-collector.zfs",
    ]


def test_nothing():
    assert node_exporter_collector_flags([]) == []
    assert node_exporter_collector_flags(None, None) == []


@pytest.mark.parametrize("enabled, disabled, message", [
    ("systemd", [], r"node_exporter_collector_flags: the enabled collectors must be a list, not a str"),
    ([], "wifi", r"node_exporter_collector_flags: the disabled collectors must be a list, not a str"),
    ([""], [], r"node_exporter_collector_flags: enabled collector '' is not a valid name"),
    ([5], [], r"enabled collector 5 is not a valid name"),
    ([{"filesystem": ["a"]}], [], r"the options of collector filesystem must be a mapping \{option: value\}, not a list"),
    ([{"filesystem": {"a b": 1}}], [], r"option of collector filesystem 'a b' is not a valid name"),
    ([], ["wi fi"], r"disabled collector 'wi fi' is not a valid name"),
])
def test_bad_input_is_named(enabled, disabled, message):
    with pytest.raises(AnsibleFilterError, match=message):
        node_exporter_collector_flags(enabled, disabled)
