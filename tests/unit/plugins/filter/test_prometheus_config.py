# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""prometheus_config, prometheus_rule_files and prometheus_file_sd: the files of the prometheus role."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.prometheus_config import (
    prometheus_config, prometheus_file_sd, prometheus_rule_files)
from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import service_endpoints

GLOBAL = {"scrape_interval": "15s", "scrape_timeout": "10s", "evaluation_interval": "15s"}
HOSTVARS = {"am-a": {}, "am-b": {"vigil_address": "10.0.0.12"}, "am-c": {"vigil_alertmanager_enabled": False},
            "am-path": {"alertmanager_web_listen_address": "10.0.0.9:9095", "alertmanager_web_external_url": "http://am/am/"}}


def parts(**overrides):
    base = {"global": dict(GLOBAL), "external_labels": {}, "replica_label": "replica", "replica": "", "rule_files": ["/r/*.yml"],
            "alertmanagers": [], "alertmanager_targets": [], "alertmanager_port": 0, "scrape_configs": [], "remote_write": [],
            "retention": {"time": "15d", "size": ""}, "retention_in_config": True}
    base.update(overrides)
    return base


def test_defaults_key_order_and_retention_in_the_file():
    config = prometheus_config(parts())
    assert list(config) == ["global", "rule_files", "scrape_configs", "storage"]
    assert config["global"] == GLOBAL
    assert config["storage"] == {"tsdb": {"retention": {"time": "15d"}}}


def test_retention_as_flags_or_nothing_leaves_no_storage_block():
    assert "storage" not in prometheus_config(parts(retention_in_config=False))
    assert "storage" not in prometheus_config(parts(retention={"time": "", "size": ""}))
    assert prometheus_config(parts(retention={"time": "", "size": "5GB"}))["storage"] == {"tsdb": {"retention": {"size": "5GB"}}}


def test_replica_label_joins_external_labels_and_is_dropped_from_alerts():
    config = prometheus_config(parts(external_labels={"cluster": "prod"}, replica="b",
                                     alertmanager_targets=["am.example:9093"], remote_write=[{"url": "https://m"}]))
    assert config["global"]["external_labels"] == {"cluster": "prod", "replica": "b"}
    assert list(config) == ["global", "rule_files", "alerting", "scrape_configs", "remote_write", "storage"]
    assert config["alerting"] == {"alert_relabel_configs": [{"action": "labeldrop", "regex": "replica"}],
                                  "alertmanagers": [{"static_configs": [{"targets": ["am.example:9093"]}]}]}


def test_alertmanagers_from_their_own_settings_then_further_targets():
    endpoints = service_endpoints(["am-a", "am-b", "am-c"], "alertmanager", HOSTVARS)
    config = prometheus_config(parts(alertmanagers=endpoints, alertmanager_targets=["am.example:9093"]))
    assert config["alerting"] == {"alertmanagers": [{"static_configs": [{"targets": ["am-a:9093", "10.0.0.12:9093", "am.example:9093"]}]}]}


def test_an_alertmanager_under_a_path_gets_its_own_entry_with_the_prefix():
    endpoints = service_endpoints(["am-a", "am-path"], "alertmanager", HOSTVARS)
    assert prometheus_config(parts(alertmanagers=endpoints))["alerting"]["alertmanagers"] == [
        {"static_configs": [{"targets": ["am-a:9093"]}]},
        {"static_configs": [{"targets": ["10.0.0.9:9095"]}], "path_prefix": "/am"}]
    https = [dict(endpoints[0], scheme="https", url="https://am-a:9093")]
    assert prometheus_config(parts(alertmanagers=https))["alerting"]["alertmanagers"] == [
        {"static_configs": [{"targets": ["am-a:9093"]}], "scheme": "https"}]


def test_alertmanagers_with_basic_auth_and_tls_get_credentials_and_their_ca():
    hostvars = dict(HOSTVARS, **{
        "am-auth": {"alertmanager_basic_auth_users": {"prom": "pw-1", "other": "pw-2"}},
        "am-auth2": {"alertmanager_basic_auth_users": {"prom": "pw-1"}, "vigil_address": "10.0.0.20"},
        "am-tls": {"alertmanager_basic_auth_users": {"prom": "pw-1"}, "alertmanager_tls_cert_file": "/etc/am.crt",
                   "alertmanager_tls_key_file": "/etc/am.key", "vigil_tls_ca_file": "/etc/ssl/vigil-ca.crt"},
        "am-tls-noca": {"alertmanager_tls_cert_file": "/etc/am.crt", "alertmanager_tls_key_file": "/etc/am.key"}})
    endpoints = service_endpoints(["am-a", "am-auth", "am-auth2", "am-tls", "am-tls-noca"], "alertmanager", hostvars)
    assert prometheus_config(parts(alertmanagers=endpoints))["alerting"]["alertmanagers"] == [
        {"static_configs": [{"targets": ["am-a:9093"]}]},
        {"static_configs": [{"targets": ["am-auth:9093", "10.0.0.20:9093"]}], "basic_auth": {"username": "prom", "password": "pw-1"}},
        {"static_configs": [{"targets": ["am-tls:9093"]}], "scheme": "https", "basic_auth": {"username": "prom", "password": "pw-1"},
         "tls_config": {"ca_file": "/etc/ssl/vigil-ca.crt"}},
        {"static_configs": [{"targets": ["am-tls-noca:9093"]}], "scheme": "https"}]


def test_a_plain_http_alertmanager_gets_no_tls_config_even_with_a_ca():
    endpoint = {"host": "x", "address": "x", "hostport": "x:9093", "scheme": "http", "url": "http://x:9093",
                "basic_auth": {}, "ca_file": "/etc/ca.crt"}
    assert prometheus_config(parts(alertmanagers=[endpoint]))["alerting"]["alertmanagers"] == [{"static_configs": [{"targets": ["x:9093"]}]}]


def test_the_alertmanager_port_setting_replaces_their_own():
    endpoints = service_endpoints(["am-a", "am-b"], "alertmanager", dict(HOSTVARS, **{"am-b": {"ansible_host": "fd00::2"}}))
    config = prometheus_config(parts(alertmanagers=endpoints, alertmanager_port="9193"))
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["am-a:9193", "[fd00::2]:9193"]


@pytest.mark.parametrize("overrides, message", [
    ({"globals": {}}, r"prometheus_config: unknown part\(s\) globals"),
    ({"global": []}, r"prometheus_config: global must be a mapping, not a list"),
    ({"scrape_configs": {"job_name": "x"}}, r"prometheus_config: scrape_configs must be a list, not a dict"),
    ({"replica": "b", "replica_label": "bad-label"}, r"prometheus_config: replica_label 'bad-label' is not a valid label name"),
    ({"alertmanagers": ["am-a:9093"]}, r"prometheus_config: alertmanagers must be service_endpoint results, not 'am-a:9093'"),
    ({"alertmanager_targets": [""]}, r"prometheus_config: alertmanager_targets items must be host:port strings, not ''"),
    ({"alertmanager_port": "http"}, r"prometheus_config: alertmanager_port 'http' is not a port number"),
    ({"alertmanager_port": 70000}, r"prometheus_config: alertmanager_port 70000 is not a port number"),
    ({"alertmanagers": [{"host": "am-x", "address": "am-x", "hostport": "am-x:9093", "scheme": "http", "url": "http://am-x:9093",
                         "basic_auth": {"username": "prom", "password": ""}}]},
     r"prometheus_config: Alertmanager am-x asks for user prom with an empty password"),
    ({"alertmanagers": [{"host": "am-x", "address": "am-x", "hostport": "am-x:9093", "scheme": "http", "url": "http://am-x:9093",
                         "basic_auth": ["prom"]}]},
     r"prometheus_config: the basic_auth of Alertmanager am-x must be a mapping, not a list"),
])
def test_bad_parts_are_named(overrides, message):
    with pytest.raises(AnsibleFilterError, match=message):
        prometheus_config(parts(**overrides))


def test_parts_must_be_a_mapping():
    with pytest.raises(AnsibleFilterError, match=r"prometheus_config: the configuration parts must be a mapping, not a list"):
        prometheus_config([])


BUNDLED = [
    {"alert": "TargetDown", "expr": "up == 0", "for": "5m", "labels": {"severity": "warning"},
     "annotations": {"summary": "{{ $labels.job }} target {{ $labels.instance }} is down"}},
    {"alert": "NodeLoadHigh", "expr": "node_load1 > 4", "for": "10m"},
]


def test_bundled_rules_without_the_disabled_with_overrides():
    files = prometheus_rule_files(BUNDLED, "/r", disabled=["NodeLoadHigh"],
                                  overrides={"TargetDown": {"for": "30s", "labels": {"team": "ops"}}}, interval="2s")
    assert list(files) == ["/r/vigil-bundled.yml"]
    text = files["/r/vigil-bundled.yml"]
    assert text.startswith("groups:\n- name: vigil-bundled\n  interval: 2s\n  rules:\n  - alert: TargetDown\n")
    group = yaml.safe_load(text)["groups"][0]
    assert group["rules"] == [dict(BUNDLED[0], **{"for": "30s", "labels": {"severity": "warning", "team": "ops"}})]
    assert BUNDLED[0]["for"] == "5m", "the input must not be modified"
    assert "{{ $labels.job }}" in text


def test_bundled_rules_switched_off_or_all_disabled_give_no_file():
    assert prometheus_rule_files(BUNDLED, "/r", enabled=False) == {}
    assert prometheus_rule_files(BUNDLED, "/r", disabled=["TargetDown", "NodeLoadHigh"]) == {}
    assert "interval" not in yaml.safe_load(prometheus_rule_files(BUNDLED, "/r")["/r/vigil-bundled.yml"])["groups"][0]


def test_user_rules_and_controller_files():
    files = prometheus_rule_files([], "/r", rules={"b": [{"name": "b", "rules": []}], "A": [{"name": "a", "rules": []}]},
                                  files={"/ctl/x.rules": "groups: []", "/ctl/y.yaml": "groups: [y]", "/ctl/z.yml": "z"})
    assert list(files) == ["/r/A.yml", "/r/b.yml", "/r/x.yml", "/r/y.yml", "/r/z.yml"]
    assert yaml.safe_load(files["/r/A.yml"]) == {"groups": [{"name": "a", "rules": []}]}
    assert files["/r/y.yml"] == "groups: [y]"


@pytest.mark.parametrize("args, kwargs, message", [
    ((BUNDLED, "/r"), {"disabled": ["TargetGone"]}, r"prometheus_rule_files: unknown bundled rule\(s\) TargetGone; the bundled rules are"),
    ((BUNDLED, "/r"), {"overrides": {"Nope": {}}}, r"unknown bundled rule\(s\) Nope"),
    ((BUNDLED, ""), {}, r"prometheus_rule_files: the rules directory is empty"),
    (([{"expr": "x"}], "/r"), {}, r"prometheus_rule_files: every bundled rule needs an alert name"),
    (("TargetDown", "/r"), {}, r"prometheus_rule_files: the bundled rules must be a list, not a str"),
    ((BUNDLED, "/r"), {"overrides": {"TargetDown": "30s"}}, r"the override of TargetDown must be a mapping, not a str"),
    (([], "/r"), {"rules": {"a/b": []}}, r"prometheus_rule_files: rule file stem 'a/b' must be a file name without '/'"),
    (([], "/r"), {"rules": {"a": {"name": "x"}}}, r"prometheus_rule_files: the rule groups of a must be a list, not a dict"),
])
def test_bad_rule_input_is_named(args, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        prometheus_rule_files(*args, **kwargs)


def test_file_sd_jobs_sorted_with_settings_and_their_files():
    out = prometheus_file_sd({"web": [{"targets": ["w:443"]}], "Blackbox": [{"targets": ["b:80"], "labels": {"env": "prod"}}]},
                             "/sd", {"web": {"scrape_interval": "5s", "file_sd_configs": "replaced"}, "other": {"x": 1}})
    assert out["scrape_configs"] == [
        {"job_name": "Blackbox", "file_sd_configs": [{"files": ["/sd/Blackbox.yml"]}]},
        {"job_name": "web", "scrape_interval": "5s", "file_sd_configs": [{"files": ["/sd/web.yml"]}]},
    ]
    # Ansible's to_nice_yaml(indent=2, sort_keys=false): the keys in their given order
    assert out["files"] == {"/sd/Blackbox.yml": "- targets:\n  - b:80\n  labels:\n    env: prod\n",
                            "/sd/web.yml": "- targets:\n  - w:443\n"}
    assert yaml.safe_load(out["files"]["/sd/Blackbox.yml"]) == [{"targets": ["b:80"], "labels": {"env": "prod"}}]
    assert prometheus_file_sd({}, "/sd") == {"scrape_configs": [], "files": {}}


@pytest.mark.parametrize("args, message", [
    (([], "/sd"), r"prometheus_file_sd: the file_sd targets must be a mapping, not a list"),
    (({"a": []}, ""), r"prometheus_file_sd: the file_sd directory is empty"),
    (({"a/b": []}, "/sd"), r"prometheus_file_sd: job name 'a/b' must be a non-empty name without '/'"),
    (({"a": {"targets": []}}, "/sd"), r"prometheus_file_sd: the target groups of job a must be a list, not a dict"),
    (({"a": []}, "/sd", {"a": ["x"]}), r"prometheus_file_sd: the settings of job a must be a mapping, not a list"),
])
def test_bad_file_sd_input_is_named(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        prometheus_file_sd(*args)
