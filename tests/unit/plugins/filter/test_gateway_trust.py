# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway_trust_servers and gateway_trust_changes: what the gateway role's trust entry point does on a host."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.service_endpoint import (
    GATEWAY_CA_FILE, GATEWAY_CA_PREFIX, gateway_trust_changes, gateway_trust_servers)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PEM_A = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
PEM_B = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"


def _read(server, pem=None):
    result = {"item": server, "changed": False}
    if pem is not None:
        result["content"] = base64.b64encode(pem.encode()).decode()
    else:
        result.update(failed=True, msg="file not found")
    return result


def _file(pem, owner="root", group="root", mode="0644"):
    return {"exists": True, "type": "file", "owner": owner, "group": group, "mode": mode,
            "checksum": hashlib.sha1(pem.encode()).hexdigest()}


def test_servers_with_their_own_ca_in_order():
    hostvars = {"s1": {}, "s2": {"gateway_tls_cert": "PEM"}, "s3": {"gateway_tls_cert_file": "/etc/ssl/s3.crt"},
                "s4": {"vigil_gateway_enabled": False}, "s5": {"vigil_gateway_enabled": "yes"}, "s6": {"gateway_tls_cert": ""}}
    assert gateway_trust_servers(["s6", "s1", "s2", "s3", "s4", "s5", "s1", "absent"], hostvars) == ["s6", "s1", "s5"]
    assert gateway_trust_servers([], hostvars) == []


@pytest.mark.parametrize("bad", ["s1", None, {"s1": {}}])
def test_servers_must_be_a_list(bad):
    with pytest.raises(AnsibleFilterError, match="gateway_trust_servers: the servers must be a list"):
        gateway_trust_servers(bad, {})


def test_nothing_to_do_when_every_file_is_as_wanted():
    state = {"/usr/sbin/update-ca-certificates": {"exists": True, "type": "file"},
             GATEWAY_CA_FILE % "s1": _file(PEM_A), GATEWAY_CA_FILE % "s2": _file(PEM_B)}
    out = gateway_trust_changes([_read("s1", PEM_A), _read("s2", PEM_B)], state, ["s1", "s2"])
    assert (out["install"], out["stale"], out["missing"]) == ([], [], [])
    assert out["files"] == {"s1": "/usr/local/share/ca-certificates/vigil-gateway-s1.crt",
                            "s2": "/usr/local/share/ca-certificates/vigil-gateway-s2.crt"}
    assert [r["item"] for r in out["found"]] == ["s1", "s2"]


@pytest.mark.parametrize("have", [None, _file(PEM_B), _file(PEM_A, mode="0600"), _file(PEM_A, owner="nobody"),
                                  _file(PEM_A, group="staff"), {"exists": True, "type": "directory"}])
def test_a_missing_or_different_file_is_installed(have):
    state = {GATEWAY_CA_FILE % "s2": _file(PEM_B)}
    if have is not None:
        state[GATEWAY_CA_FILE % "s1"] = have
    out = gateway_trust_changes([_read("s1", PEM_A), _read("s2", PEM_B)], state, ["s1", "s2"])
    assert out["install"] == ["s1"]


def test_files_of_servers_no_longer_trusted_go_and_a_trusted_server_keeps_its_file_while_unreadable():
    state = {GATEWAY_CA_FILE % "s1": _file(PEM_A), GATEWAY_CA_FILE % "old": _file(PEM_B), GATEWAY_CA_FILE % "s2": _file(PEM_B),
             "/usr/sbin/update-ca-certificates": {"exists": False}}
    out = gateway_trust_changes([_read("s1", PEM_A), _read("s2")], state, ["s1", "s2"])
    assert out["stale"] == [GATEWAY_CA_FILE % "old"]
    assert out["missing"] == ["s2"]
    assert out["install"] == []
    assert out["files"] == {"s1": GATEWAY_CA_FILE % "s1"}


def test_nothing_read_yet():
    assert gateway_trust_changes([], {}, []) == {"found": [], "missing": [], "install": [], "stale": [], "files": {}}


@pytest.mark.parametrize("read, state, match", [("x", {}, "the slurp results must be a list"), ([], [], "the state must be the paths")])
def test_bad_input_is_named(read, state, match):
    with pytest.raises(AnsibleFilterError, match="gateway_trust_changes: " + match):
        gateway_trust_changes(read, state, [])


def test_the_role_lists_the_files_the_filter_names():
    # trust.yml's glob (the role's vars) must find the files the filter compares and the endpoints name.
    with open(os.path.join(ROOT, "roles", "gateway", "vars", "main.yml"), encoding="utf-8") as handle:
        role_vars = yaml.safe_load(handle)
    assert role_vars["_gateway_trust_dir"] + "/" + role_vars["_gateway_trust_prefix"] == GATEWAY_CA_PREFIX
