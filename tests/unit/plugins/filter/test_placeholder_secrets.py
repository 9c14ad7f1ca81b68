# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""placeholder_secrets: secrets still holding a placeholder of the example inventory are named."""

from __future__ import annotations

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from jinja2 import Undefined

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.placeholder_secrets import (
    EXAMPLE_VAULT, example_values, is_placeholder, placeholder_secrets)


ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, os.pardir)
MESSAGE = "from inventories/example; set it (in Ansible Vault) to a real value"


def _example():
    with open(os.path.join(ROOT, EXAMPLE_VAULT), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_every_value_of_the_example_vault_is_refused():
    example = _example()
    assert example, "the example vault file is empty"
    problems = placeholder_secrets(example)
    assert len(problems) == len(example)
    for var, line in zip(example, problems):
        assert line.startswith(var + " is the placeholder ")
        assert line.endswith(MESSAGE)


def test_the_example_file_is_read_not_only_the_fallback(tmp_path):
    values = example_values()
    assert set(str(v) for v in _example().values()) <= values
    other = tmp_path / "vault.yml.example"
    other.write_text("vault_x: not-a-known-placeholder-1\n")
    assert "not-a-known-placeholder-1" in example_values(str(other))


@pytest.mark.parametrize("value", ["change-me", "changeme", "CHANGE_ME", "Change-Me", " change_me ", "CHANGEME",
                                   "change-me-scrape", "CHANGE_ME_TOO", "change me.please"])
def test_change_me_in_any_spelling(value):
    assert is_placeholder(value)
    assert placeholder_secrets({"grafana_admin_password": value}) == [
        "grafana_admin_password is the placeholder (secret) %s" % MESSAGE]


@pytest.mark.parametrize("url", [
    "https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx",
    "https://chat.internal/hooks/XXXXXXXX",
    "http://mm:8065/hooks/xxxx/"])
def test_the_placeholder_webhook_url_is_shown(url):
    assert placeholder_secrets({"grafana_mattermost_webhook_url": url}) == [
        "grafana_mattermost_webhook_url is the placeholder '%s' %s" % (url, MESSAGE)]


@pytest.mark.parametrize("value", [
    "Correct-Horse-7-Battery", "changement", "please-change-me", "exchange-me", "https://chat.internal/hooks/a1b2c3x",
    "xxxxxxxx", 0, 1.5, True])
def test_real_values_pass(value):
    assert placeholder_secrets({"some_password": value}) == []


@pytest.mark.parametrize("value", ["", None, Undefined(), {}, []])
def test_empty_values_are_not_its_business(value):
    assert placeholder_secrets({"prometheus_basic_auth_users": value}) == []


def test_users_dicts_and_lists_are_walked_and_secrets_never_shown():
    problems = placeholder_secrets({
        "prometheus_basic_auth_users": {"admin": "Real-Secret-42", "scrape": "change-me"},
        "alertmanager_mattermost_receivers": [
            {"name": "ok", "webhook_url": "https://chat.internal/hooks/abc123"},
            {"name": "mm", "webhook_url": "https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx"}],
        "grafana_smtp": {"password": "changeme"},
    })
    assert problems == [
        "prometheus_basic_auth_users[scrape] is the placeholder (secret) %s" % MESSAGE,
        "alertmanager_mattermost_receivers[1][webhook_url] is the placeholder "
        "'https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx' %s" % MESSAGE,
        "grafana_smtp[password] is the placeholder (secret) %s" % MESSAGE,
    ]
    assert not any("Real-Secret-42" in line for line in problems)


@pytest.mark.parametrize("name", ["x_password", "x_token", "x_key", "x_secret", "x_users", "vault_scrape_password"])
def test_secret_names_hide_the_value(name):
    (line,) = placeholder_secrets({name: "change-me"})
    assert "(secret)" in line and "change-me" not in line


@pytest.mark.parametrize("bad, fragment", [
    ("change-me", "must be a mapping of variable names to values, not a str"),
    (["a"], "not a list"),
    ({"": "change-me"}, "variable names must be non-empty strings"),
    ({3: "change-me"}, "variable names must be non-empty strings"),
])
def test_bad_input(bad, fragment):
    with pytest.raises(AnsibleFilterError, match=r"^placeholder_secrets: .*" + fragment.replace("(", r"\(")):
        placeholder_secrets(bad)
