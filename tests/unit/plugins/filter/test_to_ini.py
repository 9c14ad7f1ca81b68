import configparser

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.to_ini import to_ini


def test_sections_keys_and_types_in_order():
    text = to_ini({"instance_name": "grafana-1",
                   "server": {"http_port": 3000, "root_url": "https://g.example/", "enforce_domain": False},
                   "auth.anonymous": {"enabled": False},
                   "plugins": {"allow_loading_unsigned_plugins": ["a-panel", "b-app"], "empty": None, "ratio": 0.5}})
    assert text == (
        "instance_name = grafana-1\n"
        "\n"
        "[server]\n"
        "http_port = 3000\n"
        "root_url = https://g.example/\n"
        "enforce_domain = false\n"
        "\n"
        "[auth.anonymous]\n"
        "enabled = false\n"
        "\n"
        "[plugins]\n"
        "allow_loading_unsigned_plugins = a-panel,b-app\n"
        "empty =\n"
        "ratio = 0.5\n")


def test_comment_characters_are_triple_quoted():
    text = to_ini({"security": {"admin_password": "pa;ss#word", "padded": " x ", "plain": "$__file{/etc/grafana/p}"}})
    assert 'admin_password = """pa;ss#word"""' in text
    assert 'padded = """ x """' in text
    assert "plain = $__file{/etc/grafana/p}" in text


def test_output_is_ini():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(to_ini({"server": {"http_port": 3000}, "log": {"mode": "console"}}))
    assert parser["server"]["http_port"] == "3000" and parser["log"]["mode"] == "console"


def test_empty():
    assert to_ini({}) == ""


@pytest.mark.parametrize("data, message", [
    ({"server": {"nested": {"a": 1}}}, "server.nested: a mapping is not an INI value"),
    ({"server": {"multi": "a\nb"}}, "cannot span lines"),
    ({"server": {"bad key": 1}}, "'server.bad key' is not a valid key"),
    ({"bad]section": {"a": 1}}, "not a valid section name"),
    ({"s": {"v": '"""; x'}}, "cannot be written"),
])
def test_bad_input_is_named(data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        to_ini(data)


def test_not_a_mapping():
    with pytest.raises(AnsibleFilterError, match="expects a mapping"):
        to_ini(["server"])
