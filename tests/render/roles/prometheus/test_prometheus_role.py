"""Structural tests of the prometheus role: flags, configuration and rules as Ansible renders them
from the role's own defaults, vars and templates (see tests/render/harness.py), for 2.x and 3.x."""
import os
import subprocess

import pytest
import yaml

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import SERVICES

from harness import mirror_tool, render_plays

INVENTORY = {
    "hosts": {
        "prom-a": {"otel_collector_spanmetrics_exporter_listen_address": "0.0.0.0:9889"},
        "prom-b": {"vigil_address": "10.0.0.12", "jaeger_spm_enabled": False, "otel_collector_spanmetrics_output": "remote_write"},
        # telegraf over TLS with its own credentials, Alloy on every interface, the legacy agent
        "client-1": {"prometheus_target_labels": {"site": "paris"}, "telegraf_prometheus_client_listen": ":9274",
                     "telegraf_prometheus_client_tls_cert_file": "/etc/telegraf/tls/telegraf.crt",
                     "telegraf_prometheus_client_basic_username": "scraper", "telegraf_prometheus_client_basic_password": "tg-pw",
                     "alloy_http_listen_address": "0.0.0.0:12345", "jaeger_agent_flavor": "legacy",
                     "jaeger_agent_legacy_admin_listen_address": ":14271"},
        "client-2": {"vigil_telegraf_enabled": False, "ansible_host": "192.0.2.2", "jaeger_agent_metrics_listen_address": ":8888"},
        # node_exporter on loopback only, telegraf's output off, Alloy on one address
        "client-3": {"node_exporter_web_listen_addresses": ["127.0.0.1:9100"], "telegraf_prometheus_client_enabled": False,
                     "telegraf_prometheus_client_tls_cert": "PEM", "alloy_http_listen_address": "10.1.1.3:12345",
                     "jaeger_agent_metrics_listen_address": "0.0.0.0:8888"},
        # every role's defaults
        "client-4": {"telegraf_prometheus_client_path": "/telegraf"},
    },
    "groups": {"monitoring_servers": ["prom-a", "prom-b"], "monitoring_clients": ["client-1", "client-2", "client-3", "client-4"]},
}
# The values each variant's tests read (each one is templated anew when dumped: dump only those).
CONFIG = ["_prometheus_exec_args", "_prometheus_config_full"]
SECRETS = ["_prometheus_secret_files", "_prometheus_secret_config_files", "_prometheus_config_files"]
RULES = ["_prometheus_rule_file_contents"]
BUNDLED = "/etc/prometheus/rules/vigil-bundled.yml"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def variant(version, templates=(), dump=(), **overrides):
    # Prometheus listens on every interface by default: its preflight wants users (secure by default).
    overrides.setdefault("prometheus_basic_auth_users", {"admin": "admin-pw"})
    return {"host": "prom-a", "vars": dict(overrides, __prometheus_installed_version=version), "values": list(dump),
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
    "v3_default": variant("3.14.0", templates=["prometheus.yml.j2"], dump=CONFIG + RULES + ["prometheus_inventory_jobs", "_prometheus_secret_files"]),
    # Trixie's 2.53 with everything an HA server of the stack uses.
    "v2_full": variant("2.53.3", templates=["prometheus.yml.j2"], dump=CONFIG + SECRETS + ["_prometheus_file_sd_contents"],
                       prometheus_web_enable_remote_write_receiver=True, prometheus_web_enable_otlp_receiver=True,
                       prometheus_storage_retention_size="20GB", prometheus_replica="b",
                       prometheus_external_labels={"cluster": "prod"}, prometheus_scrape_job_settings=SETTINGS,
                       prometheus_file_sd_targets={"blackbox": [{"targets": ["web:443"], "labels": {"env": "prod"}}]},
                       prometheus_scrape_configs=[{"job_name": "app", "static_configs": [{"targets": ["app:8080"]}]}],
                       prometheus_remote_write=REMOTE_WRITE, prometheus_alertmanager_targets=["am.example:9093"]),
    "v2_30": variant("2.30.0", dump=["_prometheus_exec_args"], prometheus_web_enable_remote_write_receiver=True),
    "v3_0": variant("3.0.0", dump=CONFIG, prometheus_web_enable_otlp_receiver=True, prometheus_enable_features=["exemplar-storage"]),
    "v3_11": variant("3.11.0", dump=CONFIG, prometheus_storage_retention_size="50GB"),
    "rules_web": variant("3.14.0", templates=["web.yml.j2"], dump=RULES + SECRETS + ["_prometheus_exec_args"],
                         prometheus_bundled_rules_disabled=["NodeLoadHigh", "NodeCPUHigh"],
                         prometheus_bundled_rules_overrides={"TargetDown": {"for": "5s", "labels": {"severity": "page"}}},
                         prometheus_bundled_rules_interval="2s",
                         prometheus_rules={"app": [{"name": "app", "rules": [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]}]},
                         prometheus_tls_cert="CERT", prometheus_tls_key="KEY", prometheus_basic_auth_users={"admin": "admin-pw"}),
    "custom_jobs": variant("3.14.0", dump=["_prometheus_config_full"], prometheus_servers_group="", prometheus_inventory_jobs=[
        {"job": "app", "group": "monitoring_clients", "role": "app", "port": 8080, "metrics_path": "/m"}]),
    "empty": variant("3.14.0", dump=["_prometheus_config_full"] + RULES, prometheus_clients_group="", prometheus_servers_group="",
                     prometheus_bundled_rules_enabled=False,
                     prometheus_storage_retention_time=""),
    # Bad input: the role's preflight fails with a message naming the problem.
    "bad_group": dict(variant("3.14.0", prometheus_clients_group="monitoring_clientz"),
                      expect_failure=r"inventory group\(s\) monitoring_clientz do not exist \(used by scrape job node; "
                                     r"scrape job telegraf; scrape job alloy; scrape job jaeger_agent; scrape job jaeger_agent_legacy\)"),
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
                         expect_failure=r"every item needs job, group, and an endpoint or a role and a numeric port"),
    "bad_job_endpoint": dict(variant("3.14.0", prometheus_inventory_jobs=[{"job": "x", "group": "monitoring_clients", "endpoint": "nodex"}]),
                             expect_failure=r"job x: endpoint 'nodex' is not a service of the stack"),
    "bad_tls": dict(variant("3.14.0", prometheus_tls_cert="CERT"), expect_failure=r"needs a certificate and its key"),
    "bad_rw_url": dict(variant("3.14.0", prometheus_remote_write=[{"name": "x"}]), expect_failure=r"every item needs a url"),
    "bad_settings_job": dict(variant("3.14.0", prometheus_scrape_job_settings={"nodes": {"scrape_interval": "2s"}}),
                             expect_failure=r"prometheus_scrape_job_settings: 'nodes' is no job of prometheus_inventory_jobs or "
                                            r"prometheus_file_sd_targets \(did you mean node\?\)"),
    "bad_settings_key": dict(variant("3.14.0", prometheus_scrape_job_settings={"node": {"scrape_intervall": "2s"}}),
                             expect_failure=r"prometheus_scrape_job_settings: job node: 'scrape_intervall' is not a Prometheus "
                                            r"scrape_config key \(did you mean scrape_interval\?\)"),
    "bad_listen": dict(variant("3.14.0", prometheus_web_listen_address="9090"),
                       expect_failure=r"prometheus_web_listen_address is '9090', not a listen address: it takes host:port, "
                                      r"e.g. 0.0.0.0:9090"),
}


@pytest.fixture(scope="module")
def rendered():
    return render_plays("prometheus", INVENTORY, VARIANTS)


def values(rendered, name):
    return rendered[name]["values"]


def job(config, name):
    found = [j for j in config["scrape_configs"] if j["job_name"] == name]
    assert len(found) == 1, "job %s: %r" % (name, [j["job_name"] for j in config["scrape_configs"]])
    return found[0]


def test_3x_defaults_flags_and_retention_in_the_config_file(rendered):
    v = values(rendered, "v3_default")
    assert v["_prometheus_exec_args"] == ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/var/lib/prometheus",
                                          "--web.listen-address=0.0.0.0:9090", "--web.config.file=/etc/prometheus/web.yml"]
    assert v["_prometheus_config_full"]["storage"] == {"tsdb": {"retention": {"time": "15d"}}}
    assert v["_prometheus_config_full"]["rule_files"] == ["/etc/prometheus/rules/*.yml"]
    assert v["_prometheus_config_full"]["global"] == {"scrape_interval": "15s", "scrape_timeout": "10s", "evaluation_interval": "15s"}


def test_the_template_renders_the_computed_configuration(rendered):
    text = rendered["v3_default"]["files"]["prometheus.yml.j2"]
    assert text.startswith("# ")
    assert yaml.safe_load(text) == values(rendered, "v3_default")["_prometheus_config_full"]


def targets(config, name):
    return [(g["targets"][0], g["labels"]) for g in job(config, name)["static_configs"]]


def test_inventory_jobs_one_target_per_enabled_host_with_instance_label(rendered):
    config = values(rendered, "v3_default")["_prometheus_config_full"]
    assert [j["job_name"] for j in config["scrape_configs"]] == [
        "node", "telegraf", "telegraf_client-1", "alloy", "jaeger_agent", "jaeger_agent_legacy", "prometheus", "alertmanager",
        "spanmetrics", "otel_spanmetrics"]
    # client-3 listens on loopback only: no target that could never be scraped
    assert targets(config, "node") == [("client-1:9100", {"site": "paris", "instance": "client-1"}),
                                       ("192.0.2.2:9100", {"instance": "client-2"}),
                                       ("client-4:9100", {"instance": "client-4"})]
    assert job(config, "prometheus")["static_configs"][1] == {"targets": ["10.0.0.12:9090"], "labels": {"instance": "prom-b"}}
    assert targets(config, "alertmanager") == [("prom-a:9093", {"instance": "prom-a"}), ("10.0.0.12:9093", {"instance": "prom-b"})]
    assert config["alerting"] == {"alertmanagers": [{"static_configs": [{"targets": ["prom-a:9093", "10.0.0.12:9093"]}]}]}


def test_telegraf_switches_port_scheme_path_and_own_credentials(rendered):
    v = values(rendered, "v3_default")
    config = v["_prometheus_config_full"]
    # client-2: vigil_telegraf_enabled false; client-3: telegraf_prometheus_client_enabled false
    assert targets(config, "telegraf") == [("client-4:9273", {"instance": "client-4", "__metrics_path__": "/telegraf"})]
    own = job(config, "telegraf_client-1")
    assert own["static_configs"] == [{"targets": ["client-1:9274"],
                                      "labels": {"site": "paris", "instance": "client-1", "__scheme__": "https", "job": "telegraf"}}]
    assert own["basic_auth"] == {"username": "scraper", "password_file": "/etc/prometheus/secrets/scrape-telegraf_client-1.password"}
    assert v["_prometheus_secret_files"]["/etc/prometheus/secrets/scrape-telegraf_client-1.password"] == "tg-pw"
    assert "tg-pw" not in yaml.safe_dump(config)


def test_self_metrics_only_where_they_can_be_scraped(rendered):
    config = values(rendered, "v3_default")["_prometheus_config_full"]
    # Alloy's default 127.0.0.1:12345 generates nothing (client-2, client-4); a specific address is used as is
    assert targets(config, "alloy") == [("client-1:12345", {"site": "paris", "instance": "client-1"}),
                                        ("10.1.1.3:12345", {"instance": "client-3"})]
    # the agent's metrics are on loopback by default (client-4): only where they listen on the network
    assert [target for target, _labels in targets(config, "jaeger_agent")] == ["192.0.2.2:8888", "client-3:8888"]
    assert targets(config, "jaeger_agent_legacy") == [("client-1:14271", {"site": "paris", "instance": "client-1"})]


def test_spanmetrics_of_jaeger_and_of_the_collector(rendered):
    config = values(rendered, "v3_default")["_prometheus_config_full"]
    # jaeger_spm_enabled: false on prom-b; prom-a scrapes its own Jaeger on loopback (the default)
    assert targets(config, "spanmetrics") == [("127.0.0.1:8889", {"instance": "prom-a"})]
    # prom-b pushes its span metrics (otel_collector_spanmetrics_output: remote_write)
    assert targets(config, "otel_spanmetrics") == [("prom-a:9889", {"instance": "prom-a"})]


def test_the_job_list_is_the_users_to_replace(rendered):
    config = values(rendered, "custom_jobs")["_prometheus_config_full"]
    assert config["scrape_configs"] == [{"job_name": "app", "metrics_path": "/m", "static_configs": [
        {"targets": [address + ":8080"], "labels": dict({"instance": "client-%d" % n}, **({"site": "paris"} if n == 1 else {}))}
        for n, address in ((1, "client-1"), (2, "192.0.2.2"), (3, "client-3"), (4, "client-4"))]}]


def test_listen_defaults_follow_the_owning_roles(rendered):
    """The contract names each exporter as a service of the stack's table (whose listen variables
    and defaults are the owning role's: test_service_endpoint checks them); its host conditions
    are variables of that role, with the role's defaults."""
    jobs = values(rendered, "v3_default")["prometheus_inventory_jobs"]
    checked = 0
    for spec in jobs:
        assert spec.get("endpoint") in SERVICES, spec["job"]
        role = SERVICES[spec["endpoint"]]["role"]
        with open(os.path.join(ROOT, "roles", role, "defaults", "main.yml"), encoding="utf-8") as handle:
            role_defaults = yaml.safe_load(handle)
        for cond in spec.get("host_conditions", []):
            assert cond["var"] in role_defaults, "%s: %s is not a variable of role %s" % (spec["job"], cond["var"], role)
            assert cond["default"] == role_defaults[cond["var"]], (spec["job"], cond["var"])
        checked += 1
    assert checked == len(jobs) == 9


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
    assert {k: v["_prometheus_secret_files"][k] for k in v["_prometheus_secret_files"] if "scrape-node" in k} == {
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
    assert {k: s for k, s in v["_prometheus_secret_files"].items() if "/tls/" in k} == {"/etc/prometheus/tls/prometheus.key": "KEY\n"}
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


@pytest.fixture(scope="module")
def promtool(tmp_path_factory):
    return mirror_tool("promtool", "prometheus", tmp_path_factory.mktemp("promtool"))


def run_promtool(promtool, tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([promtool, "check", *args, str(path)], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["v3_default", "rules_web"])
def test_bundled_rules_pass_promtool(rendered, promtool, tmp_path, name):
    out = run_promtool(promtool, tmp_path, "bundled.yml", values(rendered, name)["_prometheus_rule_file_contents"][BUNDLED], "rules")
    assert "SUCCESS" in out


def test_a_2x_configuration_passes_promtool(rendered, promtool, tmp_path):
    # the mirror's promtool is 2.53: the configuration rendered for 2.53 (referenced files are checked in Molecule)
    text = rendered["v2_full"]["files"]["prometheus.yml.j2"]
    assert "SUCCESS" in run_promtool(promtool, tmp_path, "prometheus.yml", text, "config", "--syntax-only")
