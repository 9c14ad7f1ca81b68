"""Structural tests of the alertmanager role: flags, receivers and secret files as Ansible renders
them from the role's own defaults, vars and templates (one ansible-playbook run, see
tests/render/harness.py); the rendered configuration is checked with a real amtool when one is at hand."""
import re
import subprocess

import pytest
import yaml

from harness import mirror_tool, render

MATTERMOST = [{"name": "ops", "webhook_url": "https://mm.example/hooks/secret-mm", "channel": "alerts", "username": "am"}]
WEBHOOK = [{"name": "hook", "webhook_url": "https://hooks.example/secret-hook", "max_alerts": 5}]
USERS = {"prom": "am-render-pw", "tools": "am-render-pw-2"}
CLUSTER_TLS = {"alertmanager_cluster_tls_cert_file": "/etc/ssl/am/node.crt", "alertmanager_cluster_tls_key_file": "/etc/ssl/am/node.key",
               "alertmanager_cluster_tls_ca_file": "/etc/ssl/am/ca.crt"}
PROTECTED = dict(CLUSTER_TLS, alertmanager_basic_auth_users=USERS)
COMMON = dict(PROTECTED, alertmanager_mattermost_receivers=MATTERMOST, alertmanager_webhook_receivers=WEBHOOK,
              alertmanager_route={"receiver": "ops", "group_by": ["alertname"], "routes": [{"receiver": "hook", "matchers": ['team="x"']}]})
PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
PEM_KEY = "-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----"
VARIANTS = {
    "am-a": dict(COMMON, __alertmanager_installed_version="0.28.1", vigil_address="10.0.0.1"),
    # Debian bookworm's 0.25: no url_file for webhooks yet
    "am-b": dict(COMMON, __alertmanager_installed_version="0.25.0", vigil_address="10.0.0.2",
                 alertmanager_cluster_advertise_address="10.0.0.2:9094"),
    "am-single": {"alertmanager_cluster_group": "", "alertmanager_basic_auth_users": USERS,
                  "alertmanager_templates": {"team.pager": "pager text", "oncall": "x"}},
    "am-tls": {"alertmanager_cluster_group": "", "alertmanager_basic_auth_users": USERS,
               "alertmanager_tls_cert": PEM_CERT, "alertmanager_tls_key": PEM_KEY},
    "am-loopback": {"alertmanager_cluster_group": "", "alertmanager_web_listen_address": "127.0.0.1:9093"},
    "am-explicit": dict(PROTECTED, alertmanager_cluster_group="", alertmanager_cluster_listen_address="10.0.0.9:9094"),
    "am-open": {"alertmanager_cluster_group": "", "alertmanager_allow_unauthenticated": True},
    "bad-empty": dict(PROTECTED, alertmanager_mattermost_receivers=[{"name": "ops", "webhook_url": ""}]),
    "bad-duplicate": dict(PROTECTED, alertmanager_receivers=[{"name": "default"}, {"name": "default"}]),
    "bad-receiver-files": dict(PROTECTED, alertmanager_mattermost_receivers=[{"name": "ops team", "webhook_url": "https://mm.example/hooks/x"}],
                               alertmanager_webhook_receivers=[{"name": "ops_team", "webhook_url": "https://hooks.example/y"}]),
    "bad-url-scheme": dict(PROTECTED, alertmanager_webhook_receivers=[{"name": "hook", "webhook_url": "hooks.example/am-render-pw"}]),
    "bad-group": dict(PROTECTED, alertmanager_cluster_group="alertmanagers"),
    "bad-web-open": dict(CLUSTER_TLS, alertmanager_cluster_group=""),
    "bad-cluster-open": {"alertmanager_basic_auth_users": USERS},
    "bad-tls-half": dict(PROTECTED, alertmanager_tls_cert=PEM_CERT),
    "bad-cluster-tls-half": {"alertmanager_basic_auth_users": USERS, "alertmanager_cluster_tls_cert_file": "/etc/ssl/am/node.crt"},
    "bad-password": dict(CLUSTER_TLS, alertmanager_basic_auth_users={"prom": ""}),
    "bad-placeholder": dict(CLUSTER_TLS, alertmanager_basic_auth_users={"prom": "change-me"}),
    "bad-placeholder-url": dict(PROTECTED, alertmanager_mattermost_receivers=[
        {"name": "ops", "webhook_url": "https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx"}]),
}
DUMP = ["_alertmanager_exec_args", "_alertmanager_secret_files", "_alertmanager_config_files", "_alertmanager_secret_config_files",
        "_alertmanager_template_contents",
        "_alertmanager_file_contents", "_alertmanager_ready_url", "_alertmanager_unwanted_files"]
SECRET = "/etc/alertmanager/secrets/receiver-"
TEMPLATES = ["alertmanager.yml.j2", "vigil.tmpl.j2", "web.yml.j2", "cluster-tls.yml.j2"]


@pytest.fixture(scope="module")
def rendered():
    return render("alertmanager", VARIANTS, TEMPLATES, dump=DUMP,
                  groups={"monitoring_servers": ["am-a", "am-b", "bad-cluster-open", "bad-cluster-tls-half"]})


def config(rendered, name):
    return yaml.safe_load(rendered[name]["files"]["alertmanager.yml.j2"])


def flag(args, name):
    return [a.split("=", 1)[1] for a in args if a.startswith("--%s=" % name)]


def test_cluster_peers_from_the_inventory_group_on_the_hosts_own_address(rendered):
    args_a = rendered["am-a"]["vars"]["_alertmanager_exec_args"]
    assert flag(args_a, "cluster.listen-address") == ["10.0.0.1:9094"]
    assert "0.0.0.0:9094" not in " ".join(args_a)
    assert flag(args_a, "cluster.peer") == ["10.0.0.2:9094", "bad-cluster-open:9094", "bad-cluster-tls-half:9094"]
    args_b = rendered["am-b"]["vars"]["_alertmanager_exec_args"]
    assert flag(args_b, "cluster.peer")[0] == "10.0.0.1:9094"
    assert flag(args_b, "cluster.listen-address") == ["10.0.0.2:9094"]
    assert "--cluster.advertise-address=10.0.0.2:9094" in args_b
    single = rendered["am-single"]["vars"]["_alertmanager_exec_args"]
    assert "--cluster.listen-address=" in single
    assert not [a for a in single if a.startswith("--cluster.peer") or a.startswith("--cluster.tls-config")]
    explicit = rendered["am-explicit"]["vars"]["_alertmanager_exec_args"]
    assert flag(explicit, "cluster.listen-address") == ["10.0.0.9:9094"]


def test_cluster_mutual_tls(rendered):
    args = rendered["am-a"]["vars"]["_alertmanager_exec_args"]
    assert flag(args, "cluster.tls-config") == ["/etc/alertmanager/cluster-tls.yml"]
    tls = yaml.safe_load(rendered["am-a"]["files"]["cluster-tls.yml.j2"])
    assert tls == {"tls_server_config": {"cert_file": "/etc/ssl/am/node.crt", "key_file": "/etc/ssl/am/node.key",
                                         "client_auth_type": "RequireAndVerifyClientCert", "client_ca_file": "/etc/ssl/am/ca.crt"},
                   "tls_client_config": {"cert_file": "/etc/ssl/am/node.crt", "key_file": "/etc/ssl/am/node.key",
                                         "ca_file": "/etc/ssl/am/ca.crt"}}
    plan = [f["dest"] for f in rendered["am-a"]["vars"]["_alertmanager_secret_config_files"]]
    assert "/etc/alertmanager/cluster-tls.yml" in plan
    assert "/etc/alertmanager/cluster-tls.yml" in rendered["am-single"]["vars"]["_alertmanager_unwanted_files"]


def test_basic_auth_web_config_with_hashes_out_of_diffs(rendered):
    args = rendered["am-single"]["vars"]["_alertmanager_exec_args"]
    assert flag(args, "web.config.file") == ["/etc/alertmanager/web.yml"]
    web = yaml.safe_load(rendered["am-single"]["files"]["web.yml.j2"])
    assert sorted(web) == ["basic_auth_users"]
    assert sorted(web["basic_auth_users"]) == ["prom", "tools"]
    assert all(h.startswith("$2b$") for h in web["basic_auth_users"].values())
    assert "am-render-pw" not in rendered["am-single"]["files"]["web.yml.j2"]
    plan = dict((f["dest"], f) for f in rendered["am-single"]["vars"]["_alertmanager_secret_config_files"])
    assert plan["/etc/alertmanager/web.yml"]["secret"] is True
    # amtool on the host logs in as the first user
    amtool = plan["/etc/alertmanager/amtool-http.yml"]
    assert amtool["secret"] is True and amtool["mode"] == "0640"
    client = yaml.safe_load(rendered["am-single"]["vars"]["_alertmanager_file_contents"]["/etc/alertmanager/amtool-http.yml"])
    assert client == {"basic_auth": {"username": "prom", "password": "am-render-pw"}}
    assert rendered["am-single"]["vars"]["_alertmanager_ready_url"] == "http://127.0.0.1:9093/-/ready"


def test_tls_material_and_https_readiness(rendered):
    out = rendered["am-tls"]
    web = yaml.safe_load(out["files"]["web.yml.j2"])
    assert web["tls_server_config"] == {"cert_file": "/etc/alertmanager/tls/alertmanager.crt",
                                        "key_file": "/etc/alertmanager/tls/alertmanager.key"}
    plan = dict((f["dest"], f) for f in out["vars"]["_alertmanager_secret_config_files"])
    assert plan["/etc/alertmanager/tls/alertmanager.key"]["secret"] is True
    assert plan["/etc/alertmanager/tls/alertmanager.key"]["mode"] == "0640"
    assert "secret" not in plan["/etc/alertmanager/tls/alertmanager.crt"] and plan["/etc/alertmanager/tls/alertmanager.crt"]["mode"] == "0644"
    assert out["vars"]["_alertmanager_file_contents"]["/etc/alertmanager/tls/alertmanager.key"] == PEM_KEY + "\n"
    assert out["vars"]["_alertmanager_ready_url"] == "https://127.0.0.1:9093/-/ready"
    client = yaml.safe_load(out["vars"]["_alertmanager_file_contents"]["/etc/alertmanager/amtool-http.yml"])
    assert client["tls_config"] == {"insecure_skip_verify": True}


def test_without_auth_no_web_config(rendered):
    for name in ("am-loopback", "am-open"):
        args = rendered[name]["vars"]["_alertmanager_exec_args"]
        assert not flag(args, "web.config.file"), name
        assert not [f for f in rendered[name]["vars"]["_alertmanager_secret_config_files"] if f["dest"].endswith("web.yml")]
        assert "/etc/alertmanager/web.yml" in rendered[name]["vars"]["_alertmanager_unwanted_files"]


def test_mattermost_receiver_is_a_slack_config_with_the_url_in_a_file(rendered):
    receiver = [r for r in config(rendered, "am-a")["receivers"] if r["name"] == "ops"][0]
    slack = receiver["slack_configs"][0]
    assert slack["api_url_file"] == SECRET + "ops.webhook_url"
    assert slack["channel"] == "alerts" and slack["username"] == "am" and slack["send_resolved"] is True
    assert slack["title"] == '{{ template "vigil.mattermost.title" . }}'
    assert rendered["am-a"]["vars"]["_alertmanager_secret_files"][SECRET + "ops.webhook_url"] == "https://mm.example/hooks/secret-mm"
    assert "secret-mm" not in rendered["am-a"]["files"]["alertmanager.yml.j2"]


def test_webhook_url_file_from_0_26_inline_and_secret_before(rendered):
    hook_a = [r for r in config(rendered, "am-a")["receivers"] if r["name"] == "hook"][0]["webhook_configs"][0]
    assert hook_a == {"send_resolved": True, "max_alerts": 5, "url_file": SECRET + "hook.webhook_url"}
    hook_b = [r for r in config(rendered, "am-b")["receivers"] if r["name"] == "hook"][0]["webhook_configs"][0]
    assert hook_b["url"] == "https://hooks.example/secret-hook"
    main_b = [f for f in rendered["am-b"]["vars"]["_alertmanager_config_files"] if f["dest"].endswith("alertmanager.yml")][0]
    assert main_b["secret"] is True
    assert SECRET + "hook.webhook_url" not in rendered["am-b"]["vars"]["_alertmanager_secret_files"]


def test_templates_first_then_the_checked_configuration(rendered):
    files = rendered["am-a"]["vars"]["_alertmanager_config_files"]
    assert files[0]["dest"] == "/etc/alertmanager/templates/vigil.tmpl"
    assert files[-1]["dest"] == "/etc/alertmanager/alertmanager.yml"
    assert files[-1]["validate"] == "/usr/local/bin/amtool check-config %s"
    assert files[-1]["secret"] is False
    assert '{{ define "vigil.mattermost.title" }}' in rendered["am-a"]["files"]["vigil.tmpl.j2"]


def test_each_template_under_its_own_name_checked_on_its_own(rendered):
    # A backreference written '\\1' in a folded scalar reached Jinja doubled: every template of
    # alertmanager_templates went to one file named '\1.tmpl'.
    files = rendered["am-single"]["vars"]["_alertmanager_config_files"]
    templates = [entry for entry in files if entry["dest"].startswith("/etc/alertmanager/templates/")]
    assert [entry["dest"] for entry in templates] == [
        "/etc/alertmanager/templates/vigil.tmpl", "/etc/alertmanager/templates/oncall.tmpl", "/etc/alertmanager/templates/team.pager.tmpl"]
    contents = rendered["am-single"]["vars"]["_alertmanager_template_contents"]
    assert contents == {"/etc/alertmanager/templates/team.pager.tmpl": "pager text", "/etc/alertmanager/templates/oncall.tmpl": "x"}
    assert {entry["validate"] for entry in templates} == {"/etc/alertmanager/check-template %s"}
    checker = [entry for entry in rendered["am-single"]["vars"]["_alertmanager_secret_config_files"]
               if entry["dest"] == "/etc/alertmanager/check-template"]
    assert checker and checker[0]["mode"] == "0750"


@pytest.mark.parametrize("name, message", [
    ("bad-empty", r"receiver\(s\) ops need a non-empty webhook_url"),
    ("bad-duplicate", r"duplicate receiver name\(s\) default"),
    ("bad-receiver-files", r"receivers 'ops team' \(alertmanager_mattermost_receivers\) and 'ops_team' \(alertmanager_webhook_receivers\) "
                           r"would share the secret file /etc/alertmanager/secrets/receiver-ops_team.webhook_url"),
    ("bad-url-scheme", r"^alertmanager_webhook_receivers\[hook\].webhook_url is not an http:// or https:// URL with a host"),
    ("bad-group", r"inventory group 'alertmanagers' does not exist"),
    ("bad-web-open", r"alertmanager_web_listen_address listens on :9093 without authentication.*alertmanager_basic_auth_users"),
    ("bad-cluster-open", r"the cluster \(alertmanager_cluster_listen_address\) listens on bad-cluster-open:9094 without authentication"),
    ("bad-tls-half", r"alertmanager TLS needs a certificate and its key"),
    ("bad-cluster-tls-half", r"alertmanager cluster TLS needs alertmanager_cluster_tls_cert_file, alertmanager_cluster_tls_key_file and"),
    ("bad-password", r"alertmanager_basic_auth_users: every user needs a name without ':' or blanks and a non-empty password"),
    ("bad-placeholder", r"alertmanager_basic_auth_users\[prom\] is the placeholder \(secret\)"),
    ("bad-placeholder-url", r"alertmanager_mattermost_receivers\[ops\] is the placeholder"),
])
def test_bad_input_fails_before_anything_is_written(rendered, name, message):
    assert rendered[name]["failed"] is not None
    assert "change-me" not in rendered[name]["failed"] and "am-render-pw" not in rendered[name]["failed"]
    assert re.search(message, rendered[name]["failed"]), rendered[name]["failed"]


@pytest.fixture(scope="module")
def amtool(tmp_path_factory):
    return mirror_tool("amtool", "alertmanager", tmp_path_factory.mktemp("amtool"))


def test_rendered_configuration_passes_amtool(rendered, amtool, tmp_path):
    path = tmp_path / "alertmanager.yml"
    path.write_text(rendered["am-a"]["files"]["alertmanager.yml.j2"], encoding="utf-8")
    proc = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout


@pytest.fixture(scope="module")
def promtool(tmp_path_factory):
    return mirror_tool("promtool", "prometheus", tmp_path_factory.mktemp("promtool"))


def test_rendered_web_configuration_passes_promtool(rendered, promtool, tmp_path):
    path = tmp_path / "web.yml"
    path.write_text(rendered["am-single"]["files"]["web.yml.j2"], encoding="utf-8")
    proc = subprocess.run([promtool, "check", "web-config", str(path)], capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
