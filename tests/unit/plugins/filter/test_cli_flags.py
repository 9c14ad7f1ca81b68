# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cli_flags: a unit's command-line flags from a mapping."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.cli_flags import cli_flags


def test_values_switches_and_omissions_in_order():
    flags = {"config.file": "/etc/p.yml", "web.enable-lifecycle": True, "web.external-url": "", "a": None,
             "b": False, "storage.tsdb.retention.size": 0, "port": 9090}
    assert cli_flags(flags) == ["--config.file=/etc/p.yml", "--web.enable-lifecycle",
                                "--storage.tsdb.retention.size=0", "--port=9090"]


def test_a_list_repeats_the_flag():
    assert cli_flags({"cluster.peer": ["a:9094", "b:9094"], "x": []}) == ["--cluster.peer=a:9094", "--cluster.peer=b:9094"]


def test_keep_empty_passes_an_empty_value():
    flags = {"a": "1", "cluster.listen-address": "", "b": ""}
    assert cli_flags(flags, ["cluster.listen-address"]) == ["--a=1", "--cluster.listen-address=", ]
    assert cli_flags(dict(flags, **{"cluster.listen-address": "0.0.0.0:9094"}), ["cluster.listen-address"]) == [
        "--a=1", "--cluster.listen-address=0.0.0.0:9094"]
    with pytest.raises(AnsibleFilterError, match="cli_flags: keep_empty must be a list of flag names"):
        cli_flags(flags, "cluster.listen-address")


@pytest.mark.parametrize("flags,message", [
    ({"--config.file": "x"}, "'--config.file' is not a flag name"),
    ({"a b": "x"}, "'a b' is not a flag name"),
    ({"": "x"}, "'' is not a flag name"),
    ({"x": {"a": 1}}, "the value of --x is a dict"),
    (["--a"], "expects a mapping of flag names to values, not a list"),
])
def test_bad_input(flags, message):
    with pytest.raises(AnsibleFilterError, match="cli_flags: " + message.replace("[", r"\[")):
        cli_flags(flags)
