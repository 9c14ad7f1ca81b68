# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telegraf_problems: what the telegraf role's preflight rejects, item by item."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.telegraf_problems import telegraf_problems

GOOD = {"plugins": {"telegraf_inputs": {"cpu": [{"percpu": True}], "mem": {}, "disk": None, "diskio": []},
                    "telegraf_outputs": {}, "telegraf_processors": None},
        "prometheus_inputs": [{"urls": ["http://localhost:9205/metrics", "https://app.example:8443/metrics"]}],
        "secrets": {"APP_TOKEN": 'tok"en', "_X1": 5, "FLAG": True}, "password": "p@ss $HOME",
        "password_variable": "TELEGRAF_PROMETHEUS_CLIENT_PASSWORD"}
NONE = {"plugins": [], "prometheus_inputs": [], "secrets": []}


def problems(**changes):
    return telegraf_problems(dict(GOOD, **changes))


def test_good_input_has_no_problems():
    assert telegraf_problems(GOOD) == NONE


@pytest.mark.parametrize("plugins, bad", [
    ({"telegraf_inputs_extra": {"nginx": "http://localhost/status"}}, ["telegraf_inputs_extra: nginx"]),
    ({"telegraf_outputs": {"Prometheus-Client": [{}]}}, ["telegraf_outputs: Prometheus-Client"]),
    ({"telegraf_inputs": {"cpu": [{}, "x"], "mem": 3, "disk\n": {}, 7: {}}},
     ["telegraf_inputs: cpu", "telegraf_inputs: mem", "telegraf_inputs: disk\n", "telegraf_inputs: 7"]),
    ({"telegraf_inputs": ["cpu"], "telegraf_outputs": {"file": {}}}, ["telegraf_inputs (a list, not a mapping)"]),
])
def test_plugin_variables_name_the_variable_and_the_plugin(plugins, bad):
    assert problems(plugins=plugins)["plugins"] == bad


@pytest.mark.parametrize("inputs, bad", [
    ([{"urls": ["http://ok/metrics"]}, {"metric_version": 2}], [1]),
    ([{"urls": ["localhost:9205/metrics"]}], [0]),
    ([{"urls": "http://ok/metrics"}, {"urls": []}, {"urls": [9205]}, "http://x", {"urls": ["http:///x"]}], [0, 1, 2, 3, 4]),
])
def test_prometheus_inputs_name_the_items(inputs, bad):
    assert problems(prometheus_inputs=inputs)["prometheus_inputs"] == bad


def test_prometheus_inputs_not_a_list():
    assert problems(prometheus_inputs={"urls": []})["prometheus_inputs"] == [
        "(telegraf_prometheus_inputs is a dict, not a list)"]


@pytest.mark.parametrize("secrets, bad", [
    ({"MY-TOKEN": "x", "OK_TOKEN": "y"}, ["MY-TOKEN"]),
    ({"TELEGRAF_PROMETHEUS_CLIENT_PASSWORD": "x"}, ["TELEGRAF_PROMETHEUS_CLIENT_PASSWORD"]),
    ({"TOKEN": "a\nb", "EMPTY": "", "NONE": None, "LIST": ["a"], "MAP": {"a": 1}, "1ST": "x", "DEL": "a\x7f"},
     ["TOKEN", "EMPTY", "NONE", "LIST", "MAP", "1ST", "DEL"]),
])
def test_secrets_name_only_the_name(secrets, bad):
    assert problems(secrets=secrets)["secrets"] == bad


def test_a_password_with_control_characters_is_named_not_shown():
    assert problems(password="line\nbreak")["secrets"] == ["(telegraf_prometheus_client_basic_password)"]


def test_secrets_not_a_mapping():
    assert problems(secrets=["A=b"])["secrets"] == ["(telegraf_environment_secret is a list, not a mapping)"]


@pytest.mark.parametrize("settings, message", [
    ("plugins", "the settings must be a mapping, not str"),
    ({k: v for k, v in GOOD.items() if k != "secrets"}, "settings missing: secrets"),
    (dict(GOOD, plugins=[{"cpu": {}}]), "plugins must map each plugin variable's name to its value"),
])
def test_bad_settings_fail_with_one_line(settings, message):
    with pytest.raises(AnsibleFilterError, match="^telegraf_problems: ") as err:
        telegraf_problems(settings)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
