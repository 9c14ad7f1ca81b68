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
COMMON = {"alertmanager_mattermost_receivers": MATTERMOST, "alertmanager_webhook_receivers": WEBHOOK,
          "alertmanager_route": {"receiver": "ops", "group_by": ["alertname"], "routes": [{"receiver": "hook", "matchers": ['team="x"']}]}}
VARIANTS = {
    "am-a": dict(COMMON, __alertmanager_installed_version="0.28.1"),
    # Debian bookworm's 0.25: no url_file for webhooks yet
    "am-b": dict(COMMON, __alertmanager_installed_version="0.25.0", vigil_address="10.0.0.2",
                 alertmanager_cluster_advertise_address="10.0.0.2:9094"),
    "am-single": {"alertmanager_cluster_listen_address": "", "alertmanager_cluster_group": ""},
    "bad-empty": {"alertmanager_mattermost_receivers": [{"name": "ops", "webhook_url": ""}]},
    "bad-duplicate": {"alertmanager_receivers": [{"name": "default"}, {"name": "default"}]},
    "bad-group": {"alertmanager_cluster_group": "alertmanagers"},
}
DUMP = ["_alertmanager_exec_args", "_alertmanager_secret_files", "_alertmanager_config_files"]
SECRET = "/etc/alertmanager/secrets/receiver-"


@pytest.fixture(scope="module")
def rendered():
    return render("alertmanager", VARIANTS, ["alertmanager.yml.j2", "vigil.tmpl.j2"], dump=DUMP,
                  groups={"monitoring_servers": ["am-a", "am-b"]})


def config(rendered, name):
    return yaml.safe_load(rendered[name]["files"]["alertmanager.yml.j2"])


def test_cluster_peers_from_the_inventory_group(rendered):
    args_a = rendered["am-a"]["vars"]["_alertmanager_exec_args"]
    assert "--cluster.listen-address=0.0.0.0:9094" in args_a
    assert [a for a in args_a if a.startswith("--cluster.peer=")] == ["--cluster.peer=10.0.0.2:9094"]
    args_b = rendered["am-b"]["vars"]["_alertmanager_exec_args"]
    assert [a for a in args_b if a.startswith("--cluster.peer=")] == ["--cluster.peer=am-a:9094"]
    assert "--cluster.advertise-address=10.0.0.2:9094" in args_b
    single = rendered["am-single"]["vars"]["_alertmanager_exec_args"]
    assert "--cluster.listen-address=" in single
    assert not [a for a in single if a.startswith("--cluster.peer")]


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


@pytest.mark.parametrize("name, message", [
    ("bad-empty", r"receiver\(s\) ops need a non-empty webhook_url"),
    ("bad-duplicate", r"duplicate receiver name\(s\) default"),
    ("bad-group", r"inventory group 'alertmanagers' does not exist"),
])
def test_bad_input_fails_before_anything_is_written(rendered, name, message):
    assert rendered[name]["failed"] is not None
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
