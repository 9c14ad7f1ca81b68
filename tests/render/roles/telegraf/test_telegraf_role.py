"""Structural checks of what the telegraf role renders, through Ansible itself.

One ansible-playbook run on localhost renders the role's own templates (telegraf.conf.j2,
telegraf.env.j2) with its defaults and vars for each case below, and dumps the computed values
the install and service steps use; a second run feeds bad input to the role's preflight. The
tests then parse the TOML with tomllib, check every plugin against Telegraf's plugin list (the
one the stand-in uses) and run the stand-in's `telegraf config check` on each file.
"""
from __future__ import annotations

import datetime
import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from harness import preflight_case, report, run_role_tasks
from systemd_env import systemd_env

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLE = os.path.join(ROOT, "roles", "telegraf")
STANDINS = os.path.join(ROOT, "tests", "artifacts", "standins")
with open(os.path.join(STANDINS, "telegraf", "plugins.json"), encoding="utf-8") as _handle:
    KNOWN = json.load(_handle)

PASSWORD = 'p@ss "w\\rd" $HOME `x` ${NOT_EXPANDED}'
APP_TOKEN = "tok\\en\"1"
HOST_PLUGINS = ["cpu", "mem", "disk", "diskio", "net", "system", "processes"]

# name -> variables on top of the role's defaults and vars
CASES = {
    "default": {},
    "docker_auto_present": {"__telegraf_docker_present": True, "telegraf_docker_group_enabled": True},
    "docker_auto_present_no_group": {"__telegraf_docker_present": True},
    "docker_auto_absent": {"__telegraf_docker_present": False},
    "docker_forced": {"telegraf_docker_enabled": True, "__telegraf_docker_present": False, "telegraf_docker_group_enabled": True,
                      "telegraf_docker_options": {"container_name_include": ["ocis*"], "timeout": "3s"}},
    "docker_off": {"telegraf_docker_enabled": False, "__telegraf_docker_present": True, "telegraf_docker_group_enabled": True,
                   "telegraf_extra_groups": ["adm"]},
    "docker_remote": {"telegraf_docker_endpoint": "tcp://docker.example:2375", "__telegraf_docker_present": True},
    "apps": {"telegraf_prometheus_inputs": [
        {"urls": ["http://localhost:9205/metrics", "http://localhost:9206/metrics"]},
        {"urls": ["https://app.example:8443/metrics"], "metric_version": 1, "tags": {"app": "two", "tier": "web"},
         "bearer_token_string": "${APP_TOKEN}", "insecure_skip_verify": True},
        {"urls": ["http://localhost:9100/metrics"], "timeout": "3s", "namepass": ["node_cpu_*"]},
    ], "telegraf_environment_secret": {"APP_TOKEN": APP_TOKEN}},
    "basic_auth_tls": {"telegraf_prometheus_client_basic_username": "prometheus",
                       "telegraf_prometheus_client_basic_password": PASSWORD,
                       # Files on the host: a real pair made by the fixture (the checker loads it).
                       "telegraf_prometheus_client_tls_cert_file": "@TLS@/telegraf.crt",
                       "telegraf_prometheus_client_tls_key_file": "@TLS@/telegraf.key",
                       "telegraf_prometheus_client_options": {
                           "ip_range": ["10.0.0.0/8"], "expiration_interval": "90s",
                           "metric_types": {"counter": [".*_total"], "gauge": []}}},
    "extras": {"telegraf_global_tags": {"dc": "lab", "host.role": "client"},
               "telegraf_agent": {"interval": "30s", "flush_interval": "15s", "precision": None},
               "telegraf_inputs": {"cpu": {"percpu": False}, "mem": [{}], "disk": None, "diskio": []},
               "telegraf_inputs_extra": {"cpu": [{"totalcpu": False, "name_suffix": "_percore"}],
                                         "http": [{"urls": ["http://localhost/status"], "data_format": "json_v2",
                                                   "json_v2": [{"measurement_name": "status",
                                                                "field": [{"path": "up", "type": "int"}]}]}]},
               "telegraf_outputs": {"file": [{"files": ["stdout"]}]},
               "telegraf_processors": {"rename": [{"replace": [{"tag": "host", "dest": "hostname"}]}]},
               "telegraf_aggregators": {"minmax": [{"period": "30s", "drop_original": False}]},
               "telegraf_config": {"secretstores": {"os": [{"id": "local"}]}}},
    "old_release": {"telegraf_version": "1.26.3", "telegraf_prometheus_client_basic_username": "prometheus",
                    "telegraf_prometheus_client_basic_password": PASSWORD},
    "package": {"telegraf_install_method": "package", "__artifact_run": {"version": "1.39.3"},
                "telegraf_repo_key_checksum": "sha256:" + "a" * 64},
}

COMPUTED = ["_telegraf_check_command", "_telegraf_groups", "_telegraf_binary", "_telegraf_exec_args",
            "_telegraf_apt_repository", "_telegraf_docker_wanted", "_telegraf_hardening", "_telegraf_unit_overrides",
            "_telegraf_dirs"]

# name -> (variables, text the failure must contain)
BAD = {
    "plugin_shape": ({"telegraf_inputs_extra": {"nginx": "http://localhost/status"}},
                     "telegraf_inputs_extra: nginx: each key of a plugin variable must be a Telegraf plugin name"),
    "plugin_name": ({"telegraf_outputs": {"Prometheus-Client": [{}]}}, "telegraf_outputs: Prometheus-Client"),
    "app_without_urls": ({"telegraf_prometheus_inputs": [{"urls": ["http://ok/metrics"]}, {"metric_version": 2}]},
                         "telegraf_prometheus_inputs: item(s) 1 (counting from 0)"),
    "app_bad_url": ({"telegraf_prometheus_inputs": [{"urls": ["localhost:9205/metrics"]}]},
                    "telegraf_prometheus_inputs: item(s) 0"),
    "no_output": ({"telegraf_prometheus_client_enabled": False}, "one output (telegraf_prometheus_client_enabled"),
    "no_input": ({"telegraf_inputs": {}, "telegraf_docker_enabled": False}, "at least one input (telegraf_inputs"),
    "listen": ({"telegraf_prometheus_client_listen": "9273"},
               "telegraf_prometheus_client_listen is '9273', not a listen address: it takes host:port, e.g. 0.0.0.0:9273"),
    "password_without_user": ({"telegraf_prometheus_client_basic_password": "x"},
                              "needs both telegraf_prometheus_client_basic_username"),
    "half_tls": ({"telegraf_prometheus_client_tls_cert": "PEM"}, "needs a certificate and its key"),
    "secret_name": ({"telegraf_environment_secret": {"MY-TOKEN": "x", "OK_TOKEN": "y"}},
                    "telegraf_environment_secret: MY-TOKEN: names must be"),
    "secret_reserved": ({"telegraf_environment_secret": {"TELEGRAF_PROMETHEUS_CLIENT_PASSWORD": "x"}},
                        "telegraf_environment_secret: TELEGRAF_PROMETHEUS_CLIENT_PASSWORD"),
    "secret_newline": ({"telegraf_environment_secret": {"TOKEN": "a\nb"}}, "telegraf_environment_secret: TOKEN"),
    "docker_forced_missing": ({"telegraf_docker_enabled": True, "telegraf_docker_group_enabled": True,
                               "telegraf_docker_endpoint": "unix:///nonexistent/docker.sock",
                               "_telegraf_docker_group": "vigil-no-such-group"},
                              "telegraf_docker_enabled is true, but Docker is not present"),
    "missing_group": ({"telegraf_extra_groups": ["vigil-no-such-group"]},
                      "telegraf_extra_groups: vigil-no-such-group do(es) not exist"),
    # The docker group is root-equivalent: only with telegraf_docker_group_enabled.
    "docker_forced_without_group": ({"telegraf_docker_enabled": True},
                                    "reads unix:///var/run/docker.sock through the 'docker' group, which is root-equivalent"
                                    " (its members control Docker and so the host): set telegraf_docker_group_enabled: true"),
    "docker_block_without_group": ({"telegraf_inputs_extra": {"docker": [{"endpoint": "tcp://docker.example:2375"},
                                                                         {"timeout": "3s"}]}},
                                   "The Docker input reads unix:///var/run/docker.sock through the 'docker' group"),
    "docker_in_extra_groups": ({"telegraf_extra_groups": ["adm", "docker"]},
                               "(docker in telegraf_extra_groups) through the 'docker' group"),
    # The endpoint on a wildcard address without basic auth.
    "unprotected": ({}, "telegraf_prometheus_client_listen listens on :9273 without authentication: bind it to 127.0.0.1"),
    "unprotected_address": ({"telegraf_prometheus_client_listen": "192.0.2.7:9273"},
                            "set telegraf_allow_unauthenticated: true when something else protects it"),
    "placeholder_password": ({"telegraf_prometheus_client_basic_username": "prometheus",
                              "telegraf_prometheus_client_basic_password": "change-me"},
                             "telegraf_prometheus_client_basic_password is the placeholder (secret) from inventories/example"),
    "placeholder_secret": ({"telegraf_environment_secret": {"APP_TOKEN": "change-me"}},
                           "telegraf_environment_secret[APP_TOKEN] is the placeholder"),
}

AUTH = {"telegraf_prometheus_client_basic_username": "prometheus", "telegraf_prometheus_client_basic_password": PASSWORD}
# name -> variables the preflight accepts
GOOD = {
    "good": dict(CASES["apps"], **AUTH),
    "loopback": {"telegraf_prometheus_client_listen": "127.0.0.1:9273"},
    "loopback_v6": {"telegraf_prometheus_client_listen": "[::1]:9273"},
    "allowed": {"telegraf_allow_unauthenticated": True},
    "no_endpoint": {"telegraf_prometheus_client_enabled": False, "telegraf_outputs": {"file": [{"files": ["stdout"]}]}},
    "docker_remote_block": dict(AUTH, telegraf_inputs_extra={"docker": [{"endpoint": "tcp://docker.example:2375"}]}),
    "docker_group_asked": dict(AUTH, telegraf_docker_group_enabled=True, telegraf_inputs_extra={"docker": [{}]}),
}


def write_tls_pair(directory):
    """A self-signed certificate and its key, as the prometheus_client output loads them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "telegraf.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    os.makedirs(directory)
    with open(os.path.join(directory, "telegraf.crt"), "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(directory, "telegraf.key"), "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("telegraf"))
    tls = os.path.join(out, "tls")
    write_tls_pair(tls)
    tasks = []
    for name, variables in CASES.items():
        variables = json.loads(json.dumps(variables).replace("@TLS@", tls))
        rendering = "{'conf': lookup('ansible.builtin.template', '%s'), 'env': lookup('ansible.builtin.template', '%s'), %s}" % (
            os.path.join(ROLE, "templates", "telegraf.conf.j2"), os.path.join(ROLE, "templates", "telegraf.env.j2"),
            ", ".join("'%s': %s" % (v, v) for v in COMPUTED))
        tasks.append({"name": "Render case " + name, "vars": variables, "block": [report(name, rendering)]})
    for name, (variables, _expected) in BAD.items():
        tasks.append(preflight_case("telegraf", "bad." + name, variables))
    for name, variables in GOOD.items():
        tasks.append(preflight_case("telegraf", "good." + name, variables))
    reports = run_role_tasks(out, "telegraf", tasks)
    cases = {}
    for name in CASES:
        text = reports[name].pop("conf")
        path = os.path.join(out, name + ".conf")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        cases[name] = {"path": path, "text": text, "toml": tomllib.loads(text), "env": reports[name].pop("env"),
                       "computed": reports[name]}
    cases["bad"] = {name: reports["bad." + name] for name in BAD}
    cases["good"] = {name: reports["good." + name] for name in GOOD}
    return cases


def standin(tmp_path):
    spec = importlib.util.spec_from_file_location("telegraf_standin_builder", os.path.join(STANDINS, "telegraf.py"))
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    path = tmp_path / "telegraf"
    path.write_bytes(builder.program("1.39.3"))
    return str(path)


def plugins(doc):
    for section in ("inputs", "outputs", "processors", "aggregators", "secretstores"):
        for name, blocks in doc.get(section, {}).items():
            assert isinstance(blocks, list), "%s.%s is not an array of tables" % (section, name)
            for block in blocks:
                yield section, name, block


def substituted(case):
    """The configuration as Telegraf >= 1.27 parses it at run time: ${VAR} pasted in as text."""
    env = systemd_env(case["env"])
    return tomllib.loads(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), ""), case["text"]))


# --- every case ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_every_plugin_is_a_known_telegraf_plugin(rendered, case):
    doc = rendered[case]["toml"]
    assert set(doc) <= {"global_tags", "agent", "inputs", "outputs", "processors", "aggregators", "secretstores"}
    seen = list(plugins(doc))
    assert seen, "no plugins rendered"
    for section, name, block in seen:
        assert name in KNOWN[section], "%s.%s is not a Telegraf plugin" % (section, name)
        options = KNOWN[section][name]
        if options is not None:
            unknown = set(block) - set(options) - set(KNOWN["common"][section])
            assert not unknown, "%s.%s: options Telegraf does not know: %s" % (section, name, sorted(unknown))


@pytest.mark.parametrize("case", sorted(CASES))
def test_agent_keys_are_telegraf_agent_keys(rendered, case):
    agent = rendered[case]["toml"]["agent"]
    assert set(agent) <= set(KNOWN["agent"])
    assert agent["interval"] and agent["flush_interval"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_standin_checker_accepts_the_file(rendered, case, tmp_path):
    empty_dir = tmp_path / "telegraf.d"
    empty_dir.mkdir()
    result = subprocess.run([sys.executable, standin(tmp_path), "config", "check", "--config", rendered[case]["path"],
                             "--config-directory", str(empty_dir)], capture_output=True, text=True, timeout=60,
                            check=False, env={"PATH": os.environ.get("PATH", "")})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_secrets_stay_out_of_the_configuration(rendered, case):
    text = rendered[case]["text"]
    assert PASSWORD not in text and "p@ss" not in text and APP_TOKEN not in text and "tok\\\\en" not in text


# --- defaults -----------------------------------------------------------------------------------

def test_default_collects_host_metrics_and_serves_them_on_9273(rendered):
    doc = rendered["default"]["toml"]
    assert list(doc["inputs"]) == HOST_PLUGINS
    assert all(len(doc["inputs"][name]) == 1 for name in HOST_PLUGINS)
    assert doc["inputs"]["cpu"][0]["percpu"] is True and doc["inputs"]["cpu"][0]["totalcpu"] is True
    assert "tmpfs" in doc["inputs"]["disk"][0]["ignore_fs"]
    assert doc["outputs"] == {"prometheus_client": [{"listen": ":9273", "path": "/metrics", "metric_version": 2}]}
    assert doc["agent"]["interval"] == "10s" and doc["agent"]["round_interval"] is True
    assert "global_tags" not in doc and "processors" not in doc and "aggregators" not in doc
    # Sections in Telegraf's own order.
    assert list(doc) == ["agent", "outputs", "inputs"]


def test_default_reads_and_runs_like_the_packaged_unit(rendered):
    computed = rendered["default"]["computed"]
    assert computed["_telegraf_binary"] == "/usr/local/bin/telegraf"
    assert computed["_telegraf_exec_args"] == ["--config", "/etc/telegraf/telegraf.conf",
                                               "--config-directory", "/etc/telegraf/telegraf.d"]
    assert computed["_telegraf_check_command"] == (
        "/usr/local/bin/telegraf config check --config %s --config-directory /etc/telegraf/telegraf.d")
    assert computed["_telegraf_unit_overrides"]["Service"]["NotifyAccess"] == "all"
    assert computed["_telegraf_hardening"]["ProtectProc"] is None
    assert {d["path"] for d in computed["_telegraf_dirs"]} == {"/etc/telegraf", "/etc/telegraf/telegraf.d",
                                                               "/var/lib/telegraf"}


def test_default_has_no_secrets(rendered):
    assert systemd_env(rendered["default"]["env"]) == {}
    assert "basic_username" not in rendered["default"]["toml"]["outputs"]["prometheus_client"][0]


# --- docker ---------------------------------------------------------------------------------------

def test_docker_present_adds_the_input_and_the_group(rendered):
    case = rendered["docker_auto_present"]
    assert case["toml"]["inputs"]["docker"] == [{"endpoint": "unix:///var/run/docker.sock", "timeout": "5s",
                                                 "perdevice_include": ["cpu"],
                                                 "total_include": ["cpu", "blkio", "network"]}]
    assert case["computed"]["_telegraf_groups"] == ["docker"]


def test_docker_present_without_the_group_switch_leaves_input_and_group_out(rendered):
    case = rendered["docker_auto_present_no_group"]
    assert "docker" not in case["toml"]["inputs"]
    assert case["computed"]["_telegraf_docker_wanted"] is False
    assert case["computed"]["_telegraf_groups"] == []


def test_docker_absent_means_no_input_and_no_group(rendered):
    case = rendered["docker_auto_absent"]
    assert "docker" not in case["toml"]["inputs"]
    assert case["computed"]["_telegraf_groups"] == []
    assert rendered["default"]["computed"]["_telegraf_groups"] == []


def test_docker_forced_with_options(rendered):
    case = rendered["docker_forced"]
    docker = case["toml"]["inputs"]["docker"][0]
    assert docker["container_name_include"] == ["ocis*"] and docker["timeout"] == "3s"
    assert case["computed"]["_telegraf_groups"] == ["docker"]


def test_docker_off_leaves_the_group_even_when_present(rendered):
    case = rendered["docker_off"]
    assert "docker" not in case["toml"]["inputs"]
    assert case["computed"]["_telegraf_groups"] == ["adm"]


def test_remote_docker_needs_no_group(rendered):
    case = rendered["docker_remote"]
    assert case["toml"]["inputs"]["docker"][0]["endpoint"] == "tcp://docker.example:2375"
    assert case["computed"]["_telegraf_groups"] == []


# --- application endpoints -----------------------------------------------------------------------

def test_several_prometheus_inputs_are_several_blocks(rendered):
    case = rendered["apps"]
    blocks = case["toml"]["inputs"]["prometheus"]
    assert len(blocks) == 3
    assert blocks[0]["urls"] == ["http://localhost:9205/metrics", "http://localhost:9206/metrics"]
    assert blocks[0]["metric_version"] == 2 and blocks[2]["metric_version"] == 2
    assert blocks[1]["metric_version"] == 1
    assert blocks[1]["tags"] == {"app": "two", "tier": "web"}
    assert blocks[2]["namepass"] == ["node_cpu_*"]
    assert case["text"].count("[[inputs.prometheus]]") == 3
    assert case["text"].count("[inputs.prometheus.tags]") == 1
    # Host inputs stay, and come first.
    assert list(case["toml"]["inputs"])[:len(HOST_PLUGINS)] == HOST_PLUGINS


def test_application_token_reaches_telegraf_intact(rendered):
    case = rendered["apps"]
    assert case["toml"]["inputs"]["prometheus"][1]["bearer_token_string"] == "${APP_TOKEN}"
    assert substituted(case)["inputs"]["prometheus"][1]["bearer_token_string"] == APP_TOKEN


# --- basic auth and TLS ----------------------------------------------------------------------------

def test_basic_auth_password_is_a_reference(rendered):
    case = rendered["basic_auth_tls"]
    output = case["toml"]["outputs"]["prometheus_client"][0]
    assert output["basic_username"] == "prometheus"
    assert output["basic_password"] == "${TELEGRAF_PROMETHEUS_CLIENT_PASSWORD}"


def test_basic_auth_password_survives_systemd_and_toml(rendered):
    case = rendered["basic_auth_tls"]
    assert set(systemd_env(case["env"])) == {"TELEGRAF_PROMETHEUS_CLIENT_PASSWORD"}
    assert substituted(case)["outputs"]["prometheus_client"][0]["basic_password"] == PASSWORD


def test_tls_and_output_options(rendered):
    output = rendered["basic_auth_tls"]["toml"]["outputs"]["prometheus_client"][0]
    assert output["tls_cert"].endswith("/tls/telegraf.crt") and output["tls_key"].endswith("/tls/telegraf.key")
    assert output["ip_range"] == ["10.0.0.0/8"] and output["expiration_interval"] == "90s"
    assert output["metric_types"] == {"counter": [".*_total"], "gauge": []}
    assert "[outputs.prometheus_client.metric_types]" in rendered["basic_auth_tls"]["text"]


# --- user plugins, nested tables, overrides ----------------------------------------------------------

def test_extra_plugins_nested_tables_and_overrides(rendered):
    doc = rendered["extras"]["toml"]
    assert doc["global_tags"] == {"dc": "lab", "host.role": "client"}
    assert doc["agent"]["interval"] == "30s" and doc["agent"]["flush_interval"] == "15s"
    assert "precision" not in doc["agent"]
    assert doc["inputs"]["cpu"] == [{"percpu": False}, {"totalcpu": False, "name_suffix": "_percore"}]
    assert "disk" not in doc["inputs"] and "diskio" not in doc["inputs"]
    assert doc["inputs"]["http"][0]["json_v2"][0]["field"] == [{"path": "up", "type": "int"}]
    assert doc["outputs"]["file"] == [{"files": ["stdout"]}]
    assert list(doc["outputs"]) == ["prometheus_client", "file"]
    assert doc["processors"]["rename"][0]["replace"] == [{"tag": "host", "dest": "hostname"}]
    assert doc["aggregators"]["minmax"] == [{"period": "30s", "drop_original": False}]
    assert doc["secretstores"] == {"os": [{"id": "local"}]}
    assert list(doc) == ["global_tags", "agent", "outputs", "processors", "aggregators", "inputs", "secretstores"]


# --- versions and install methods -------------------------------------------------------------------

def test_old_release_is_checked_with_a_test_run_and_escapes_itself(rendered):
    case = rendered["old_release"]
    assert case["computed"]["_telegraf_check_command"] == (
        "timeout 60 /usr/local/bin/telegraf --test --config %s --config-directory /etc/telegraf/telegraf.d")
    # Before 1.27 Telegraf escaped the value itself: the file holds it unescaped for TOML.
    assert systemd_env(case["env"])["TELEGRAF_PROMETHEUS_CLIENT_PASSWORD"] == PASSWORD


def test_package_method_uses_influxdata_repository_with_signed_by_key(rendered):
    computed = rendered["package"]["computed"]
    assert computed["_telegraf_binary"] == "/usr/bin/telegraf"
    assert computed["_telegraf_check_command"].startswith("/usr/bin/telegraf config check --config %s")
    assert computed["_telegraf_apt_repository"] == {
        "name": "influxdata", "uris": "https://repos.influxdata.com/debian", "suites": "stable",
        "components": "main", "key_url": "https://repos.influxdata.com/influxdata-archive.key",
        "key_checksum": "sha256:" + "a" * 64}


def test_install_steps_pass_the_release_layout_to_the_engine():
    with open(os.path.join(ROLE, "tasks", "install.yml"), encoding="utf-8") as handle:
        tasks = yaml.safe_load(handle)
    archive = next(t for t in tasks if "archive" in t["name"])["vars"]
    assert archive["_artifact_strip_components"] == 2
    assert archive["_artifact_binaries"] == [{"src": "usr/bin/telegraf", "dest": "telegraf"}]
    assert archive["_artifact_arch_style"] == "debian"
    package = next(t for t in tasks if "apt" in t["name"])["vars"]
    assert package["_artifact_apt_repository"] == "{{ _telegraf_apt_repository }}"
    assert package["_artifact_masked_units"] == []


# --- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_fails_in_preflight_naming_the_variable(rendered, name):
    expected = BAD[name][1]
    assert expected in rendered["bad"][name], rendered["bad"][name]


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_input_passes_preflight(rendered, name):
    assert rendered["good"][name] == "ACCEPTED"


def test_preflight_messages_never_show_the_password(rendered):
    for name, message in rendered["bad"].items():
        assert "change-me" not in message and "p@ss" not in message, name
