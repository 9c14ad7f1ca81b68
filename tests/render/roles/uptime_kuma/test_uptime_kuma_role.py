"""Structural checks of what the uptime_kuma role renders and decides, through Ansible itself.

One ansible-playbook run on localhost loads the role's defaults and vars for each case below,
renders its templates (the nginx site, the environment file) and dumps the computed values the
install and service steps use; the same run feeds bad input to the role's preflight. The tests
then check the nginx site directive by directive and read the environment file back the way
systemd does.
"""
from __future__ import annotations

import base64
import importlib.util
import json
import os
import re

import pytest
import yaml

from harness import preflight_case, report, run_role_tasks
from systemd_env import systemd_env

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLE = os.path.join(ROOT, "roles", "uptime_kuma")
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts")

CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"
PROXY = {"uptime_kuma_nginx_enabled": True, "uptime_kuma_nginx_server_names": ["status.example.org"],
         "uptime_kuma_nginx_tls_cert": CERT, "uptime_kuma_nginx_tls_key": KEY}
TRICKY = 'a "quoted" value with \\ backslash and $HOME'

# name -> variables on top of the role's defaults and vars
CASES = {
    "default": {},
    "claimed": {"__uptime_kuma_claimed": True},
    "claimed_address": {"__uptime_kuma_claimed": True, "uptime_kuma_host": "10.0.0.5"},
    "unclaimed_address": {"uptime_kuma_host": "10.0.0.5"},
    "mariadb": {"uptime_kuma_database_type": "mariadb", "uptime_kuma_database_host": "db.example.internal",
                "uptime_kuma_database_password": "db-secret-0123"},
    "bookworm": {"ansible_facts": {"distribution_release": "bookworm"}},
    "trixie": {"ansible_facts": {"distribution_release": "trixie"}},
    "proxy": PROXY,
    "proxy_custom": dict(PROXY, uptime_kuma_nginx_server_names=["kuma.example.org", "status.example.org"],
                         uptime_kuma_nginx_https_port=8443, uptime_kuma_nginx_http_port=0, uptime_kuma_host="::",
                         uptime_kuma_port=3002),
    "proxy_rotated": dict(PROXY, uptime_kuma_nginx_tls_key=KEY.replace("MIIE", "MIIF")),
    "proxy_files": {"uptime_kuma_nginx_enabled": True, "uptime_kuma_nginx_tls_cert_file": "/etc/ssl/kuma.pem",
                    "uptime_kuma_nginx_tls_key_file": "/etc/ssl/private/kuma.key"},
    "environment": {"uptime_kuma_environment": {"TRICKY": TRICKY, "UPTIME_KUMA_WS_ORIGIN_CHECK": "bypass"},
                    "uptime_kuma_node_extra_ca_certs": "/etc/ssl/private-ca.pem", "uptime_kuma_data_dir": "/srv/kuma"},
    "mirror": {"vigil_artifact_mirror": "http://mirror.example.internal/vigil"},
    "source_pinned": {"uptime_kuma_checksum": "sha256:" + "a" * 64},
    "both_local": {"uptime_kuma_archive_path": "/srv/2.5.3.tar.gz", "uptime_kuma_dist_archive_path": "/srv/dist.tar.gz"},
    "sums_url": {"uptime_kuma_checksums_url": "https://files.example.internal/kuma/2.5.3/SUMS"},
    "binding_host": {"uptime_kuma_sqlite3_binary_host": "https://files.example.internal/node-sqlite3"},
    "npm_token": {"uptime_kuma_npm_registry": "https://npm.example.internal/repository/npm", "uptime_kuma_npm_registry_token": "NpmT0ken=="},
    "npm_basic": {"uptime_kuma_npm_registry": "http://npm.example.internal:8081/", "uptime_kuma_npm_registry_username": "deploy",
                  "uptime_kuma_npm_registry_password": "npm-pa55:word"},
}

COMPUTED = ["uptime_kuma_nodejs_source", "_uptime_kuma_node", "_uptime_kuma_node_bin_dir", "_uptime_kuma_npm_command",
            "_uptime_kuma_npm_environment", "_uptime_kuma_unverified_files", "_uptime_kuma_checksums_url",
            "_uptime_kuma_release_dir", "_uptime_kuma_nginx_tls_cert_path", "_uptime_kuma_nginx_tls_key_path",
            "_uptime_kuma_hardening", "_uptime_kuma_dirs", "uptime_kuma_base_url", "uptime_kuma_host",
            "_uptime_kuma_nodesource_repository", "_uptime_kuma_node_headers_dir", "_uptime_kuma_db_config"]

GOOD = dict(PROXY, uptime_kuma_nodejs_source="tarball", uptime_kuma_admin_username="admin",
            uptime_kuma_admin_password="vigil-unit-kuma-2026")

# name -> (variables on top of GOOD, text the failure must contain)
BAD = {
    "leading_v": ({"uptime_kuma_version": "v2.5.3"}, "uptime_kuma_version must be a pinned Uptime Kuma 2.x release"),
    "latest": ({"uptime_kuma_version": "latest"}, "uptime_kuma_version must be a pinned"),
    "one_x": ({"uptime_kuma_version": "1.23.16"}, "this role installs 2.x only"),
    "checksum_shape": ({"uptime_kuma_dist_checksum": "deadbeef"}, "uptime_kuma_dist_checksum must be empty or sha256:"),
    "require_checksum": ({"uptime_kuma_require_checksum": True, "uptime_kuma_checksum": "sha256:" + "b" * 64},
                         "none is given for https://github.com/louislam/uptime-kuma/releases/download/2.5.3/dist.tar.gz"),
    "old_node": ({"uptime_kuma_nodejs_version": "20.3.1"}, "uptime_kuma_nodejs_version must be a pinned Node.js release >= 20.4.0"),
    "node_v": ({"uptime_kuma_nodejs_version": "v22.23.3"}, "uptime_kuma_nodejs_version must be a pinned"),
    "port": ({"uptime_kuma_port": 70000}, "uptime_kuma_port (70000)"),
    "port_clash": ({"uptime_kuma_port": 443}, "must be distinct ports"),
    "no_tls": ({"uptime_kuma_nginx_tls_cert": "", "uptime_kuma_nginx_tls_key": ""}, "uptime_kuma_nginx_tls_cert"),
    "half_tls": ({"uptime_kuma_nginx_tls_key": ""}, "uptime_kuma_nginx_tls_key"),
    "both_tls": ({"uptime_kuma_nginx_tls_cert_file": "/a.pem", "uptime_kuma_nginx_tls_key_file": "/a.key"}, "not both"),
    "no_names": ({"uptime_kuma_nginx_server_names": []}, "uptime_kuma_nginx_server_names"),
    "body_size": ({"uptime_kuma_nginx_client_max_body_size": "lots"}, "uptime_kuma_nginx_client_max_body_size"),
    "kept": ({"uptime_kuma_releases_kept": 0}, "uptime_kuma_releases_kept must be at least 1"),
    "binding_host": ({"uptime_kuma_sqlite3_binary_host": "files.example.org/node-sqlite3"},
                     "uptime_kuma_sqlite3_binary_host must be empty or an http(s):// URL"),
    "env_name": ({"uptime_kuma_environment": {"MY-VAR": "x", "OK": "y"}}, "uptime_kuma_environment: names must be"),
    "ca_relative": ({"uptime_kuma_node_extra_ca_certs": "ca.pem"}, "uptime_kuma_node_extra_ca_certs must name an existing PEM"),
    "ca_missing": ({"uptime_kuma_node_extra_ca_certs": "/nonexistent/vigil-ca.pem"}, "uptime_kuma_node_extra_ca_certs"),
    "admin_no_password": ({"uptime_kuma_admin_password": ""}, "uptime_kuma_admin_password is empty"),
    "password_no_admin": ({"uptime_kuma_admin_username": ""}, "uptime_kuma_admin_username is empty"),
    "placeholder_password": ({"uptime_kuma_admin_password": "change-me"}, "is the placeholder 'change-me'"),
    "weak_password": ({"uptime_kuma_admin_password": "abcdefghijklm"}, "needs letters and at least one digit or symbol"),
    "short_password": ({"uptime_kuma_admin_password": "ab1"}, "too short: 3 characters, at least 12"),
    "base_url": ({"uptime_kuma_base_url": "status.example.org"}, "uptime_kuma_base_url must be empty"),
    "webhook_placeholder": ({"uptime_kuma_mattermost_webhook_url": "https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx"},
                            "uptime_kuma_mattermost_webhook_url is the placeholder 'https://mattermost.example.org/hooks/xxx"),
    "webhook_other_example": ({"uptime_kuma_mattermost_webhook_url": "https://chat.example.org/hooks/abc123"},
                              "not the example's placeholder"),
    "database_placeholder": ({"uptime_kuma_database_type": "mariadb", "uptime_kuma_database_host": "db",
                              "uptime_kuma_database_password": "change-me"},
                             "uptime_kuma_database_password is the placeholder (secret) from inventories/example"),
    "npm_token_placeholder": ({"uptime_kuma_npm_registry_token": "change-me"}, "uptime_kuma_npm_registry_token is the placeholder (secret)"),
    "registry_credentials": ({"uptime_kuma_npm_registry": "https://deploy:s3cret-in-url@npm.example.internal/"},
                             "uptime_kuma_npm_registry must be an http(s):// URL without credentials in it"),
    "registry_not_url": ({"uptime_kuma_npm_registry": "npm.example.internal"}, "uptime_kuma_npm_registry must be an http(s):// URL"),
    "npm_token_and_basic": ({"uptime_kuma_npm_registry_token": "t0ken-a", "uptime_kuma_npm_registry_username": "u",
                             "uptime_kuma_npm_registry_password": "p4ss-b"}, "not both"),
    "npm_password_without_user": ({"uptime_kuma_npm_registry_password": "p4ss-b"}, "uptime_kuma_npm_registry_username"),
    "slug": ({"uptime_kuma_status_page_slug": "a--b"}, "uptime_kuma_status_page_slug"),
    "mariadb_no_host": ({"uptime_kuma_database_type": "mariadb", "uptime_kuma_database_password": "x"},
                        "needs uptime_kuma_database_host"),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("uptime_kuma"))
    tasks = []
    for name, variables in CASES.items():
        rendering = "{'site': lookup('ansible.builtin.template', '%s'), 'env': lookup('ansible.builtin.template', '%s'), %s}" % (
            os.path.join(ROLE, "templates", "nginx-site.conf.j2"), os.path.join(ROLE, "templates", "uptime-kuma.env.j2"),
            ", ".join(["'npmrc': lookup('ansible.builtin.template', '%s')" % os.path.join(ROLE, "templates", "npmrc.j2")]
                      + ["'%s': %s" % (v, v) for v in COMPUTED]))
        tasks.append({"name": "Render case " + name, "vars": variables, "block": [report(name, rendering)]})
    for name, (variables, _expected) in BAD.items():
        tasks.append(preflight_case("uptime_kuma", "bad." + name, dict(GOOD, **variables)))
    tasks.append(preflight_case("uptime_kuma", "good", GOOD))
    reports = run_role_tasks(out, "uptime_kuma", tasks)
    return reports


def servers(site):
    """The server blocks of a site as lists of directive lines (one level of braces below server)."""
    blocks = []
    for match in re.finditer(r"^server \{\n(.*?)^\}", site, re.M | re.S):
        blocks.append([line.strip() for line in match.group(1).splitlines() if line.strip() and not line.strip().startswith("#")])
    return blocks


def test_unclaimed_uptime_kuma_listens_on_loopback_only(rendered):
    # Until the role created the first admin, nobody else can reach the setup page.
    expected = {"NODE_ENV": "production", "UPTIME_KUMA_PORT": "3001", "DATA_DIR": "/var/lib/uptime-kuma/",
                "UPTIME_KUMA_HOST": "127.0.0.1"}
    assert systemd_env(rendered["default"]["env"]) == expected
    assert systemd_env(rendered["unclaimed_address"]["env"])["UPTIME_KUMA_HOST"] == "127.0.0.1"
    assert rendered["default"]["uptime_kuma_base_url"] == ""


def test_claimed_uptime_kuma_listens_where_configured(rendered):
    assert "UPTIME_KUMA_HOST" not in systemd_env(rendered["claimed"]["env"])
    assert systemd_env(rendered["claimed_address"]["env"])["UPTIME_KUMA_HOST"] == "10.0.0.5"


def test_database_choice(rendered):
    assert rendered["default"]["_uptime_kuma_db_config"] == {"type": "sqlite"}
    assert rendered["mariadb"]["_uptime_kuma_db_config"] == {
        "type": "mariadb", "hostname": "db.example.internal", "port": 3306, "dbName": "uptime_kuma",
        "username": "uptime_kuma", "password": "db-secret-0123"}


def test_behind_the_proxy_uptime_kuma_listens_on_loopback(rendered):
    env = systemd_env(rendered["proxy"]["env"])
    assert env["UPTIME_KUMA_HOST"] == "127.0.0.1"
    assert rendered["proxy"]["uptime_kuma_base_url"] == "https://status.example.org"


def test_environment_values_survive_systemd_quoting(rendered):
    env = systemd_env(rendered["environment"]["env"])
    assert env["TRICKY"] == TRICKY
    assert env["UPTIME_KUMA_WS_ORIGIN_CHECK"] == "bypass"
    assert env["NODE_EXTRA_CA_CERTS"] == "/etc/ssl/private-ca.pem"
    assert env["DATA_DIR"] == "/srv/kuma/"
    npm_env = rendered["environment"]["_uptime_kuma_npm_environment"]
    assert npm_env["NODE_EXTRA_CA_CERTS"] == "/etc/ssl/private-ca.pem"


def test_nodejs_source_follows_the_debian_release(rendered):
    assert rendered["bookworm"]["uptime_kuma_nodejs_source"] == "tarball"
    assert rendered["bookworm"]["_uptime_kuma_node"] == "/opt/nodejs/22.23.3/bin/node"
    assert rendered["trixie"]["uptime_kuma_nodejs_source"] == "distro"
    assert rendered["trixie"]["_uptime_kuma_node"] == "/usr/bin/node"
    assert rendered["default"]["uptime_kuma_nodejs_source"] == "distro"


def test_npm_ci_omits_dev_against_the_configured_registry(rendered):
    command = rendered["bookworm"]["_uptime_kuma_npm_command"]
    assert command[6:8] == ["/opt/nodejs/22.23.3/bin/npm", "ci"]
    assert "--omit=dev" in command and "--no-audit" in command
    assert "--cache=/var/cache/uptime-kuma" in command
    env = rendered["bookworm"]["_uptime_kuma_npm_environment"]
    assert env["PATH"].startswith("/opt/nodejs/22.23.3/bin:")
    # The registry comes from the build account's npm configuration, not from the command line.
    assert not any("registry" in arg for arg in command)
    assert env["npm_config_userconfig"] == "/var/cache/uptime-kuma/npmrc" and env["HOME"] == "/var/cache/uptime-kuma"
    assert rendered["bookworm"]["npmrc"].splitlines()[2:] == ["registry=https://registry.npmjs.org/"]


def test_npm_ci_runs_as_the_build_account_never_root(rendered):
    for case in ("default", "bookworm", "npm_token"):
        command = rendered[case]["_uptime_kuma_npm_command"]
        assert command[:6] == ["/usr/bin/setpriv", "--reuid=uptime-kuma-build", "--regid=uptime-kuma-build",
                               "--clear-groups", "--no-new-privs", "--"], command


def test_registry_token_goes_to_the_npm_configuration_only(rendered):
    case = rendered["npm_token"]
    assert case["npmrc"].splitlines()[2:] == ["registry=https://npm.example.internal/repository/npm",
                                              "//npm.example.internal/repository/npm/:_authToken=NpmT0ken=="]
    assert "NpmT0ken" not in json.dumps([case["_uptime_kuma_npm_command"], case["_uptime_kuma_npm_environment"]])


def test_registry_password_goes_to_the_npm_configuration_only(rendered):
    case = rendered["npm_basic"]
    assert case["npmrc"].splitlines()[2:] == ["registry=http://npm.example.internal:8081/",
                                              "//npm.example.internal:8081/:username=deploy",
                                              "//npm.example.internal:8081/:_password=" + base64.b64encode(b"npm-pa55:word").decode()]
    assert "npm-pa55" not in json.dumps([case["_uptime_kuma_npm_command"], case["_uptime_kuma_npm_environment"]])


def test_sqlite3_binding_host_reaches_npm_ci_through_the_environment(rendered):
    # node-pre-gyp reads npm_config_node_sqlite3_binary_host_mirror; as a command-line flag npm 10+
    # would warn about an unknown config, so the command itself never carries it.
    env = rendered["binding_host"]["_uptime_kuma_npm_environment"]
    assert env["npm_config_node_sqlite3_binary_host_mirror"] == "https://files.example.internal/node-sqlite3"
    assert "npm_config_node_sqlite3_binary_host_mirror" not in rendered["default"]["_uptime_kuma_npm_environment"]
    for case in ("default", "binding_host"):
        assert not any("sqlite3" in arg for arg in rendered[case]["_uptime_kuma_npm_command"])


def test_node_headers_for_a_compiled_binding_are_the_node_in_use(rendered):
    assert rendered["bookworm"]["_uptime_kuma_node_headers_dir"] == "/opt/nodejs/22.23.3"
    assert rendered["trixie"]["_uptime_kuma_node_headers_dir"] == "/usr"


def test_unit_keeps_the_hardening_except_memory_deny_write_execute(rendered):
    assert rendered["default"]["_uptime_kuma_hardening"] == {"MemoryDenyWriteExecute": None}


def test_release_files_without_checksum_are_the_unverified_ones(rendered):
    parts = {name: [f["part"] for f in rendered[name]["_uptime_kuma_unverified_files"]] for name in CASES}
    assert parts["default"] == ["source", "dist"]
    assert parts["mirror"] == []
    assert parts["sums_url"] == []
    assert parts["source_pinned"] == ["dist"]
    assert parts["both_local"] == []


def test_checksum_file_name_is_the_one_mirrors_carry(rendered):
    assert rendered["mirror"]["_uptime_kuma_checksums_url"].endswith("/2.5.3/sha256sums.txt")
    assert rendered["sums_url"]["_uptime_kuma_checksums_url"] == "https://files.example.internal/kuma/2.5.3/SUMS"


def test_directories_keep_code_read_only_and_data_private(rendered):
    dirs = {d["path"]: d for d in rendered["default"]["_uptime_kuma_dirs"]}
    assert dirs["/opt/uptime-kuma"]["owner"] == "root" and dirs["/opt/uptime-kuma"]["mode"] == "0755"
    assert dirs["/var/lib/uptime-kuma"]["owner"] == "uptime-kuma" and dirs["/var/lib/uptime-kuma"]["mode"] == "0750"
    assert dirs["/var/backups/uptime-kuma"]["owner"] == "root" and dirs["/var/backups/uptime-kuma"]["mode"] == "0700"
    assert dirs["/var/cache/uptime-kuma"]["mode"] == "0700"
    assert dirs["/var/cache/uptime-kuma"]["owner"] == "uptime-kuma-build"


def test_nodesource_repository_is_signed(rendered):
    repo = rendered["default"]["_uptime_kuma_nodesource_repository"]
    assert repo["uris"] == "https://deb.nodesource.com/node_22.x"
    assert repo["suites"] == "nodistro" and repo["components"] == "main"
    assert repo["key_url"].startswith("https://deb.nodesource.com/gpgkey/")


def test_proxy_site_upgrades_websockets_to_loopback(rendered):
    site = rendered["proxy"]["site"]
    assert re.search(r"^map \$http_upgrade \$uptime_kuma_connection_upgrade \{\n\s+default upgrade;\n\s+''\s+close;\n\}", site, re.M)
    redirect, tls = servers(site)
    assert "listen 80;" in redirect and "listen [::]:80;" in redirect
    assert "return 301 https://$host$request_uri;" in redirect
    assert "listen 443 ssl;" in tls and "server_name status.example.org;" in tls
    digest = re.search(r"uptime-kuma-([0-9a-f]{12})\.crt", rendered["proxy"]["_uptime_kuma_nginx_tls_cert_path"]).group(1)
    assert "ssl_certificate /etc/nginx/tls/uptime-kuma-%s.crt;" % digest in tls
    assert "ssl_certificate_key /etc/nginx/tls/uptime-kuma-%s.key;" % digest in tls
    for directive in ("proxy_pass http://127.0.0.1:3001;", "proxy_http_version 1.1;",
                      "proxy_set_header Upgrade $http_upgrade;",
                      "proxy_set_header Connection $uptime_kuma_connection_upgrade;",
                      "proxy_set_header Host $host;", "proxy_set_header X-Forwarded-Proto $scheme;",
                      "client_max_body_size 20m;"):
        assert directive in tls, directive
    assert site.count("{") == site.count("}")


def test_new_tls_content_gets_new_file_names(rendered):
    # Same certificate and key, same files; a new key, new files (checked by nginx before use).
    assert rendered["proxy"]["_uptime_kuma_nginx_tls_cert_path"] == rendered["proxy_custom"]["_uptime_kuma_nginx_tls_cert_path"]
    assert rendered["proxy"]["_uptime_kuma_nginx_tls_cert_path"] != rendered["proxy_rotated"]["_uptime_kuma_nginx_tls_cert_path"]
    assert rendered["proxy"]["_uptime_kuma_nginx_tls_key_path"] != rendered["proxy_rotated"]["_uptime_kuma_nginx_tls_key_path"]
    assert rendered["proxy_files"]["_uptime_kuma_nginx_tls_cert_path"] == "/etc/ssl/kuma.pem"
    assert rendered["proxy_files"]["_uptime_kuma_nginx_tls_key_path"] == "/etc/ssl/private/kuma.key"
    assert "ssl_certificate_key /etc/ssl/private/kuma.key;" in rendered["proxy_files"]["site"]


def test_proxy_site_on_custom_ports_without_redirect(rendered):
    site = rendered["proxy_custom"]["site"]
    (tls,) = servers(site)
    assert "listen 8443 ssl;" in tls
    assert "server_name kuma.example.org status.example.org;" in tls
    assert "proxy_pass http://[::1]:3002;" in tls
    assert rendered["proxy_custom"]["uptime_kuma_base_url"] == "https://kuma.example.org:8443"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_naming_the_variable(rendered, name):
    message = rendered["bad." + name]
    assert message != "ACCEPTED", "%s was accepted" % name
    assert BAD[name][1] in message, message


def test_good_input_passes_preflight(rendered):
    assert rendered["good"] == "ACCEPTED"


def test_password_never_appears_in_preflight_messages(rendered):
    for name in BAD:
        assert GOOD["uptime_kuma_admin_password"] not in rendered["bad." + name]
    assert "s3cret-in-url" not in rendered["bad.registry_credentials"]
    assert "p4ss-b" not in rendered["bad.npm_token_and_basic"] and "t0ken-a" not in rendered["bad.npm_token_and_basic"]


def test_mirror_nodejs_build_is_the_role_default():
    with open(os.path.join(ROLE, "defaults", "main.yml"), encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle)
    with open(os.path.join(ARTIFACTS, "versions", "nodejs.yml"), encoding="utf-8") as handle:
        builds = yaml.safe_load(handle)["nodejs"]
    pinned = next(b for b in builds if b.get("default"))
    assert pinned["version"] == defaults["uptime_kuma_nodejs_version"]


def load_builder(name):
    spec = importlib.util.spec_from_file_location("builder_" + name, os.path.join(ARTIFACTS, "standins", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nodejs_builder_checks_the_registry_integrity():
    builder = load_builder("nodejs")
    data = b"node tarball"
    import hashlib  # pylint: disable=import-outside-toplevel
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert builder._integrity_ok(data, good)  # pylint: disable=protected-access
    assert not builder._integrity_ok(data + b"!", good)  # pylint: disable=protected-access
    with pytest.raises(SystemExit):
        builder._integrity_ok(data, "sha1-abc")  # pylint: disable=protected-access
