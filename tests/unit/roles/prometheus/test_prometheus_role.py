"""Structural tests of the prometheus role: flags, configuration and rules as Ansible renders them
from the role's own defaults, vars and templates (see role_render.py), for 2.x and 3.x."""
import pytest
import yaml

from role_render import render_variants

INVENTORY = {
    "hosts": {
        "prom-a": {},
        "prom-b": {"vigil_address": "10.0.0.12", "jaeger_spm_enabled": False},
        "client-1": {"prometheus_target_labels": {"site": "paris"}},
        "client-2": {"vigil_telegraf_enabled": False, "ansible_host": "192.0.2.2"},
    },
    "groups": {"monitoring_servers": ["prom-a", "prom-b"], "monitoring_clients": ["client-1", "client-2"]},
}
VALUES = ["_prometheus_exec_args", "_prometheus_config_full", "_prometheus_secret_files", "_prometheus_rule_file_contents",
          "_prometheus_file_sd_contents", "_prometheus_web_config", "_prometheus_config_files", "_prometheus_secret_config_files"]
BUNDLED = "/etc/prometheus/rules/vigil-bundled.yml"


def variant(version, templates=(), **overrides):
    return {"host": "prom-a", "vars": dict(overrides, __prometheus_installed_version=version), "values": VALUES,
            "templates": list(templates)}


SETTINGS = {
    "node": {"scrape_interval": "2s", "scheme": "https",
             "basic_auth": {"username": "prom", "password": "scrape-pw"}, "tls_config": {"ca": "CA-PEM"}},
    "alloy": {"enabled": False},
}
REMOTE_WRITE = [
    {"name": "mimir", "url": "https://mimir/api/v1/push", "bearer_token": "tok", "queue_config": {"max_shards": 10}},
    {"name": "thanos", "url": "https://thanos/api/v1/receive", "basic_auth": {"username": "t", "password": "thanos-pw"}},
]

# One ansible-playbook run renders every variant (one play each).
VARIANTS = {
    "v3_default": variant("3.14.0", templates=["prometheus.yml.j2"]),
    # Trixie's 2.53 with everything an HA server of the stack uses.
    "v2_full": variant("2.53.3", prometheus_web_enable_remote_write_receiver=True, prometheus_web_enable_otlp_receiver=True,
                       prometheus_storage_retention_size="20GB", prometheus_replica="b",
                       prometheus_external_labels={"cluster": "prod"}, prometheus_scrape_job_settings=SETTINGS,
                       prometheus_file_sd_targets={"blackbox": [{"targets": ["web:443"], "labels": {"env": "prod"}}]},
                       prometheus_scrape_configs=[{"job_name": "app", "static_configs": [{"targets": ["app:8080"]}]}],
                       prometheus_remote_write=REMOTE_WRITE, prometheus_alertmanager_targets=["am.example:9093"]),
    "v2_30": variant("2.30.0", prometheus_web_enable_remote_write_receiver=True),
    "v3_0": variant("3.0.0", prometheus_web_enable_otlp_receiver=True, prometheus_enable_features=["exemplar-storage"]),
    "v3_11": variant("3.11.0", prometheus_storage_retention_size="50GB"),
    "rules_web": variant("3.14.0", templates=["web.yml.j2"], prometheus_bundled_rules_disabled=["NodeLoadHigh", "NodeCPUHigh"],
                         prometheus_bundled_rules_overrides={"TargetDown": {"for": "5s", "labels": {"severity": "page"}}},
                         prometheus_bundled_rules_interval="2s",
                         prometheus_rules={"app": [{"name": "app", "rules": [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]}]},
                         prometheus_tls_cert="CERT", prometheus_tls_key="KEY", prometheus_basic_auth_users={"admin": "admin-pw"}),
    "empty": variant("3.14.0", prometheus_clients_group="", prometheus_servers_group="", prometheus_bundled_rules_enabled=False,
                     prometheus_storage_retention_time=""),
    # Bad input: the role's preflight fails with a message naming the problem.
    "bad_group": dict(variant("3.14.0", prometheus_clients_group="monitoring_clientz"),
                      expect_failure=r"inventory group\(s\) monitoring_clientz do not exist \(used by scrape job node; "
                                     r"scrape job telegraf; scrape job alloy; scrape job jaeger_agent\)"),
    "bad_am_group": dict(variant("3.14.0", prometheus_alertmanagers_group="alertmanagers"),
                         expect_failure=r"alertmanagers do not exist \(used by prometheus_alertmanagers_group\)"),
    "bad_duplicate": dict(variant("3.14.0", prometheus_scrape_configs=[{"job_name": "node"}],
                                  prometheus_file_sd_targets={"prometheus": []}),
                          expect_failure=r"duplicate scrape job name\(s\) (node, prometheus|prometheus, node) \(job names must be unique"),
    "bad_unnamed": dict(variant("3.14.0", prometheus_scrape_configs=[{"static_configs": []}]),
                        expect_failure=r"every item of prometheus_scrape_configs needs a job_name"),
    "bad_secret": dict(variant("3.14.0", prometheus_remote_write=[{"name": "mimir", "url": "https://m", "basic_auth": {"username": "u", "password": ""}}]),
                       expect_failure=r"remote_write 'mimir': basic_auth.password is empty"),
    "bad_scrape_secret": dict(variant("3.14.0", prometheus_scrape_job_settings={"node": {"basic_auth": {"username": "u", "password": ""}}}),
                              expect_failure=r"scrape job 'node': basic_auth.password is empty"),
    "bad_rule_name": dict(variant("3.14.0", prometheus_bundled_rules_disabled=["TargetGone"]),
                          expect_failure=r"unknown bundled rule\(s\) TargetGone"),
    "bad_job_spec": dict(variant("3.14.0", prometheus_inventory_jobs=[{"job": "x", "group": "monitoring_clients", "port": "http"}]),
                         expect_failure=r"every item needs job, group, role and a numeric port"),
    "bad_tls": dict(variant("3.14.0", prometheus_tls_cert="CERT"), expect_failure=r"needs a certificate and its key"),
    "bad_rw_url": dict(variant("3.14.0", prometheus_remote_write=[{"name": "x"}]), expect_failure=r"every item needs a url"),
}


@pytest.fixture(scope="module")
def rendered():
    return render_variants("prometheus", INVENTORY, VARIANTS)


def values(rendered, name):
    return rendered[name]["values"]


def job(config, name):
    found = [j for j in config["scrape_configs"] if j["job_name"] == name]
    assert len(found) == 1, "job %s: %r" % (name, [j["job_name"] for j in config["scrape_configs"]])
    return found[0]


def test_3x_defaults_flags_and_retention_in_the_config_file(rendered):
    v = values(rendered, "v3_default")
    assert v["_prometheus_exec_args"] == ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/var/lib/prometheus",
                                          "--web.listen-address=0.0.0.0:9090"]
    assert v["_prometheus_config_full"]["storage"] == {"tsdb": {"retention": {"time": "15d"}}}
    assert v["_prometheus_config_full"]["rule_files"] == ["/etc/prometheus/rules/*.yml"]
    assert v["_prometheus_config_full"]["global"] == {"scrape_interval": "15s", "scrape_timeout": "10s", "evaluation_interval": "15s"}


def test_the_template_renders_the_computed_configuration(rendered):
    text = rendered["v3_default"]["files"]["prometheus.yml.j2"]
    assert text.startswith("# ")
    assert yaml.safe_load(text) == values(rendered, "v3_default")["_prometheus_config_full"]


def test_inventory_jobs_one_target_per_enabled_host_with_instance_label(rendered):
    config = values(rendered, "v3_default")["_prometheus_config_full"]
    assert [j["job_name"] for j in config["scrape_configs"]] == ["node", "telegraf", "alloy", "jaeger_agent", "prometheus", "alertmanager",
                                                                 "spanmetrics"]
    assert job(config, "node")["static_configs"] == [
        {"targets": ["client-1:9100"], "labels": {"site": "paris", "instance": "client-1"}},
        {"targets": ["192.0.2.2:9100"], "labels": {"instance": "client-2"}},
    ]
    # vigil_telegraf_enabled: false on client-2
    assert [t["labels"]["instance"] for t in job(config, "telegraf")["static_configs"]] == ["client-1"]
    assert job(config, "prometheus")["static_configs"][1] == {"targets": ["10.0.0.12:9090"], "labels": {"instance": "prom-b"}}
    # jaeger_spm_enabled: false on prom-b
    assert job(config, "spanmetrics")["static_configs"] == [{"targets": ["prom-a:8889"], "labels": {"instance": "prom-a"}}]
    assert config["alerting"] == {"alertmanagers": [{"static_configs": [{"targets": ["prom-a:9093", "10.0.0.12:9093"]}]}]}


def test_2x_flags_gated_on_the_installed_version(rendered):
    args = values(rendered, "v2_full")["_prometheus_exec_args"]
    assert "--storage.tsdb.retention.time=15d" in args
    assert "--storage.tsdb.retention.size=20GB" in args
    assert "--web.enable-remote-write-receiver" in args
    assert "--enable-feature=otlp-write-receiver" in args
    assert "--web.enable-otlp-receiver" not in args
    assert "storage" not in values(rendered, "v2_full")["_prometheus_config_full"]


def test_remote_write_receiver_before_2_33_is_a_feature_flag(rendered):
    args = values(rendered, "v2_30")["_prometheus_exec_args"]
    assert "--enable-feature=remote-write-receiver" in args
    assert "--web.enable-remote-write-receiver" not in args


def test_3_0_otlp_flag_features_and_retention_still_a_flag(rendered):
    args = values(rendered, "v3_0")["_prometheus_exec_args"]
    assert "--web.enable-otlp-receiver" in args
    assert "--enable-feature=exemplar-storage" in args
    assert "--storage.tsdb.retention.time=15d" in args
    assert "storage" not in values(rendered, "v3_0")["_prometheus_config_full"]


def test_3_11_retention_time_and_size_in_the_config_file(rendered):
    v = values(rendered, "v3_11")
    assert v["_prometheus_config_full"]["storage"] == {"tsdb": {"retention": {"time": "15d", "size": "50GB"}}}
    assert not [a for a in v["_prometheus_exec_args"] if a.startswith("--storage.tsdb.retention")]
    assert "storage" not in values(rendered, "empty")["_prometheus_config_full"]


def test_ha_replica_label_dropped_from_alerts(rendered):
    config = values(rendered, "v2_full")["_prometheus_config_full"]
    assert config["global"]["external_labels"] == {"cluster": "prod", "replica": "b"}
    assert config["alerting"]["alert_relabel_configs"] == [{"action": "labeldrop", "regex": "replica"}]
    assert "alert_relabel_configs" not in values(rendered, "v3_default")["_prometheus_config_full"]["alerting"]


def test_job_settings_by_name_and_credentials_in_files(rendered):
    v = values(rendered, "v2_full")
    node = job(v["_prometheus_config_full"], "node")
    assert node["scrape_interval"] == "2s"
    assert node["scheme"] == "https"
    assert node["basic_auth"] == {"username": "prom", "password_file": "/etc/prometheus/secrets/scrape-node.password"}
    assert node["tls_config"] == {"ca_file": "/etc/prometheus/secrets/scrape-node.ca.crt"}
    assert {k: v["_prometheus_secret_files"][k] for k in v["_prometheus_secret_files"] if "scrape-" in k} == {
        "/etc/prometheus/secrets/scrape-node.password": "scrape-pw", "/etc/prometheus/secrets/scrape-node.ca.crt": "CA-PEM"}
    assert "alloy" not in [j["job_name"] for j in v["_prometheus_config_full"]["scrape_configs"]]
    secret_items = [f for f in v["_prometheus_secret_config_files"] if f.get("secret")]
    assert {f["dest"] for f in secret_items} == set(v["_prometheus_secret_files"])
    assert {f["mode"] for f in secret_items} == {"0640"}
    assert "scrape-pw" not in yaml.safe_dump(v["_prometheus_config_full"])


def test_file_sd_static_jobs_remote_write_and_extra_alertmanagers(rendered):
    v = values(rendered, "v2_full")
    config = v["_prometheus_config_full"]
    assert job(config, "blackbox")["file_sd_configs"] == [{"files": ["/etc/prometheus/file_sd/blackbox.yml"]}]
    assert yaml.safe_load(v["_prometheus_file_sd_contents"]["/etc/prometheus/file_sd/blackbox.yml"]) == [
        {"targets": ["web:443"], "labels": {"env": "prod"}}]
    assert job(config, "app")["static_configs"] == [{"targets": ["app:8080"]}]
    assert config["remote_write"] == [
        {"name": "mimir", "url": "https://mimir/api/v1/push", "queue_config": {"max_shards": 10},
         "authorization": {"type": "Bearer", "credentials_file": "/etc/prometheus/secrets/remote-write-mimir.credentials"}},
        {"name": "thanos", "url": "https://thanos/api/v1/receive",
         "basic_auth": {"username": "t", "password_file": "/etc/prometheus/secrets/remote-write-thanos.password"}},
    ]
    assert {k: v["_prometheus_secret_files"][k] for k in v["_prometheus_secret_files"] if "remote-write-" in k} == {
        "/etc/prometheus/secrets/remote-write-mimir.credentials": "tok", "/etc/prometheus/secrets/remote-write-thanos.password": "thanos-pw"}
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"][-1] == "am.example:9093"


def test_every_checked_file_is_validated_by_promtool(rendered):
    files = values(rendered, "v2_full")["_prometheus_config_files"]
    by_dest = {f["dest"]: f for f in files}
    assert by_dest["/etc/prometheus/prometheus.yml"]["validate"] == "/usr/local/bin/promtool check config %s"
    assert by_dest[BUNDLED]["validate"] == "/usr/local/bin/promtool check rules %s"
    assert "validate" not in by_dest["/etc/prometheus/file_sd/blackbox.yml"]
    # prometheus.yml last: promtool checks it against the rule and file_sd files written before it
    assert files[-1]["dest"] == "/etc/prometheus/prometheus.yml"


def test_bundled_rules_by_name(rendered):
    group = yaml.safe_load(values(rendered, "rules_web")["_prometheus_rule_file_contents"][BUNDLED])["groups"][0]
    names = [r["alert"] for r in group["rules"]]
    assert group["interval"] == "2s"
    assert "NodeLoadHigh" not in names and "NodeCPUHigh" not in names
    assert {"TargetDown", "NodeFilesystemAlmostFull", "NodeMemoryHigh", "PrometheusConfigReloadFailed",
            "PrometheusNotConnectedToAlertmanagers", "PrometheusNotificationsFailing", "AlertmanagerConfigReloadFailed",
            "AlertmanagerNotificationsFailing"} <= set(names)
    target_down = group["rules"][names.index("TargetDown")]
    assert target_down["for"] == "5s"
    assert target_down["labels"] == {"severity": "page"}
    # Prometheus templates reach the file untouched by Jinja
    assert target_down["annotations"]["summary"] == "{{ $labels.job }} target {{ $labels.instance }} is down"
    user = yaml.safe_load(values(rendered, "rules_web")["_prometheus_rule_file_contents"]["/etc/prometheus/rules/app.yml"])
    assert user == {"groups": [{"name": "app", "rules": [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]}]}


def test_bundled_rules_can_be_switched_off(rendered):
    assert BUNDLED in values(rendered, "v3_default")["_prometheus_rule_file_contents"]
    assert values(rendered, "empty")["_prometheus_rule_file_contents"] == {}


def test_web_config_tls_and_bcrypt_users(rendered):
    v = values(rendered, "rules_web")
    web = yaml.safe_load(rendered["rules_web"]["files"]["web.yml.j2"])
    assert web["tls_server_config"] == {"cert_file": "/etc/prometheus/tls/prometheus.crt", "key_file": "/etc/prometheus/tls/prometheus.key"}
    assert web["basic_auth_users"]["admin"].startswith("$2b$")
    assert "admin-pw" not in rendered["rules_web"]["files"]["web.yml.j2"]
    assert "--web.config.file=/etc/prometheus/web.yml" in v["_prometheus_exec_args"]
    assert v["_prometheus_secret_files"] == {"/etc/prometheus/tls/prometheus.key": "KEY\n"}
    checked = {f["dest"]: f for f in v["_prometheus_config_files"]}
    assert checked["/etc/prometheus/web.yml"]["validate"].endswith("promtool check web-config %s")


def test_empty_groups_generate_no_jobs(rendered):
    config = values(rendered, "empty")["_prometheus_config_full"]
    assert config["scrape_configs"] == []
    assert "alerting" not in config


@pytest.mark.parametrize("name", sorted(n for n in VARIANTS if n.startswith("bad_")))
def test_bad_input_fails_with_a_clear_message(rendered, name):
    # render_variants already matched the message against the variant's expect_failure
    assert rendered[name]["failure"]
    assert rendered[name]["values"] == {}
