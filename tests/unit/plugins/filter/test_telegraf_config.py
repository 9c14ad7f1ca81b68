# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telegraf_config: the Telegraf document from the telegraf role's settings."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.telegraf_config import SETTINGS, telegraf_config

CLIENT = {"listen": ":9273", "path": "/metrics", "basic_username": "", "password_variable": "PW", "tls_cert": "",
          "tls_key": "", "options": {}}
DEFAULT = {"global_tags": {}, "agent": {"interval": "10s"}, "prometheus_client": CLIENT, "outputs": {},
           "processors": {}, "aggregators": {}, "inputs": {"cpu": [{"percpu": True}], "mem": [{}]}, "docker": None,
           "prometheus_inputs": [], "inputs_extra": {}}


def test_default_serves_the_host_metrics_on_the_prometheus_endpoint():
    doc = telegraf_config(DEFAULT)
    assert doc == {"agent": {"interval": "10s"},
                   "outputs": {"prometheus_client": [{"listen": ":9273", "path": "/metrics", "metric_version": 2}]},
                   "inputs": {"cpu": [{"percpu": True}], "mem": [{}]}}
    assert list(doc) == ["agent", "outputs", "inputs"]


def test_basic_auth_names_the_password_variable_and_tls_options_merge():
    client = dict(CLIENT, basic_username="prometheus", tls_cert="/tls/t.crt", tls_key="/tls/t.key",
                  options={"metric_version": 1, "metric_types": {"counter": [".*_total"]}})
    block = telegraf_config(dict(DEFAULT, prometheus_client=client))["outputs"]["prometheus_client"]
    assert block == [{"listen": ":9273", "path": "/metrics", "metric_version": 1, "basic_username": "prometheus",
                      "basic_password": "${PW}", "tls_cert": "/tls/t.crt", "tls_key": "/tls/t.key",
                      "metric_types": {"counter": [".*_total"]}}]


def test_sources_add_up_in_order_and_empty_sections_are_left_out():
    doc = telegraf_config(dict(DEFAULT, global_tags={"dc": "lab"}, prometheus_client=None,
                               outputs={"file": {"files": ["stdout"]}},
                               processors={"rename": None}, aggregators={"minmax": []},
                               inputs={"cpu": {"percpu": False}, "disk": None, "diskio": []},
                               docker={"endpoint": "unix:///var/run/docker.sock", "timeout": "5s"},
                               prometheus_inputs=[{"urls": ["http://a/metrics"]},
                                                  {"metric_version": 1, "urls": ["http://b/metrics"]}],
                               inputs_extra={"cpu": [{"totalcpu": False}], "http": [{"urls": ["http://c"]}]}))
    assert list(doc) == ["global_tags", "agent", "outputs", "inputs"]
    assert doc["outputs"] == {"file": [{"files": ["stdout"]}]}
    assert list(doc["inputs"]) == ["cpu", "docker", "prometheus", "http"]
    assert doc["inputs"]["cpu"] == [{"percpu": False}, {"totalcpu": False}]
    assert doc["inputs"]["docker"] == [{"endpoint": "unix:///var/run/docker.sock", "timeout": "5s"}]
    assert doc["inputs"]["prometheus"] == [{"urls": ["http://a/metrics"], "metric_version": 2},
                                           {"metric_version": 1, "urls": ["http://b/metrics"]}]


def test_the_input_is_not_changed():
    blocks = [{"urls": ["http://a/metrics"]}]
    telegraf_config(dict(DEFAULT, prometheus_inputs=blocks))
    assert blocks == [{"urls": ["http://a/metrics"]}]


@pytest.mark.parametrize("settings, message", [
    (["x"], "the settings must be a mapping, not list"),
    ({k: v for k, v in DEFAULT.items() if k != "docker"}, "settings missing: docker"),
    (dict(DEFAULT, output={}), "unknown settings: output"),
    (dict(DEFAULT, prometheus_client={"listen": ":9273"}), "prometheus_client settings missing: path"),
    (dict(DEFAULT, prometheus_client=dict(CLIENT, options=["x"])), "prometheus_client.options must be a mapping"),
    (dict(DEFAULT, inputs_extra={"nginx": "http://localhost/status"}), "inputs.nginx (inputs_extra): must be a list"),
    (dict(DEFAULT, outputs={"file": [{}, "x"]}), "outputs.file (outputs): must be a list"),
    (dict(DEFAULT, inputs=["cpu"]), "inputs must be a mapping, not list"),
    (dict(DEFAULT, prometheus_inputs={"urls": []}), "prometheus_inputs must be a list of mappings"),
    (dict(DEFAULT, prometheus_inputs=[{"urls": []}, "http://x"]), "prometheus_inputs item 1 is a str"),
    (dict(DEFAULT, docker="unix:///var/run/docker.sock"), "docker must be a mapping"),
])
def test_bad_settings_fail_naming_the_setting(settings, message):
    with pytest.raises(AnsibleFilterError, match="^telegraf_config: ") as err:
        telegraf_config(settings)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_every_setting_is_read():
    assert set(DEFAULT) == set(SETTINGS)
