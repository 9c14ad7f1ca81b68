# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alloy_destinations: the servers' endpoints, or the inventory's own URL and credentials."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.plugin_utils.filters.alloy_destinations import alloy_destinations

NONE = {"url": "", "username": "", "password": "", "ca_file": ""}
PLAIN = {"url": "http://mon-1:9090", "hostport": "mon-1:9090", "tls": False, "gateway": False, "basic_auth": {}, "ca_file": ""}
PROTECTED = {"url": "https://mon-2:9090", "hostport": "mon-2:9090", "tls": True, "gateway": False,
             "basic_auth": {"username": "agent", "password": "s3cret"}, "ca_file": "/etc/ssl/vigil-ca.crt"}
GATEWAY = {"url": "https://mon-1:8443", "hostport": "mon-1:8443", "tls": True, "gateway": True,
           "basic_auth": {"username": "alloy", "password": "gw-pass"},
           "ca_file": "/usr/local/share/ca-certificates/vigil-gateway-mon-1.crt"}
FILE = "/etc/alloy/prometheus_password"


def test_each_server_with_what_it_asks_for():
    out = alloy_destinations([PLAIN, PROTECTED], NONE, FILE, "/api/v1/write")
    assert out == [
        {"target": "http://mon-1:9090/api/v1/write", "tls": False, "gateway": False, "client": {"ca_file": ""}, "secret": {}},
        {"target": "https://mon-2:9090/api/v1/write", "tls": True, "gateway": False,
         "client": {"ca_file": "/etc/ssl/vigil-ca.crt", "username": "agent", "password_file": FILE + "_1"},
         "secret": {"path": FILE + "_1", "content": "s3cret"}},
    ]


def test_the_password_stays_out_of_target_and_client():
    out = alloy_destinations([GATEWAY], NONE, "/etc/alloy/loki_password", "/loki/api/v1/push")[0]
    assert out["target"] == "https://mon-1:8443/loki/api/v1/push" and out["gateway"] is True
    assert "gw-pass" not in repr({k: v for k, v in out.items() if k != "secret"})
    assert out["client"]["ca_file"] == "/usr/local/share/ca-certificates/vigil-gateway-mon-1.crt"


def test_the_password_file_is_numbered_by_the_endpoint_position():
    out = alloy_destinations([PROTECTED, PLAIN, PROTECTED], NONE, FILE, "/api/v1/write")
    assert [d["secret"].get("path") for d in out] == [FILE, None, FILE + "_2"]


def test_explicit_credentials_and_ca_replace_the_servers():
    explicit = dict(NONE, username="mine", password="pw", ca_file="/etc/ssl/mine.crt")
    out = alloy_destinations([PLAIN, PROTECTED], explicit, FILE, "/api/v1/write")
    assert [d["client"] for d in out] == [{"ca_file": "/etc/ssl/mine.crt", "username": "mine", "password_file": FILE},
                                          {"ca_file": "/etc/ssl/mine.crt", "username": "mine", "password_file": FILE + "_1"}]
    assert {d["secret"]["content"] for d in out} == {"pw"}


def test_an_explicit_url_is_the_only_destination_with_only_explicit_credentials():
    out = alloy_destinations([PROTECTED], dict(NONE, url="https://p.test/api/v1/write"), FILE, "/api/v1/write")
    assert out == [{"target": "https://p.test/api/v1/write", "tls": None, "gateway": False, "client": {"ca_file": ""},
                    "secret": {}}]


def test_hostport_for_grpc_ignores_the_suffix():
    out = alloy_destinations([PROTECTED], {"url": "", "ca_file": ""}, "/etc/alloy/otlp_password", address="hostport")
    assert out[0]["target"] == "mon-2:9090" and out[0]["tls"] is True
    assert out[0]["client"]["username"] == "agent"


def test_no_server_no_destination():
    assert alloy_destinations([], NONE, FILE, "/api/v1/write") == []


@pytest.mark.parametrize("args, message", [
    (("mon-1", NONE, FILE), "the endpoints must be a list (service_endpoints), not str"),
    (([PLAIN], dict(NONE, token="x"), FILE), "unknown explicit setting(s) token"),
    (([PLAIN], dict(NONE, username=3), FILE), "explicit username must be a string, not int"),
    (([PLAIN], NONE, "loki_password"), "password_file must be an absolute path"),
    (([{"host": "mon-1"}], NONE, FILE), "endpoint 0 is not a service_endpoint result (no url)"),
    (([PLAIN], NONE, FILE, "", "address"), "address must be url or hostport"),
    (([dict(PLAIN, basic_auth="agent:pw")], NONE, FILE), "the basic_auth of endpoint 0 must be a mapping"),
])
def test_bad_input_fails_naming_the_problem(args, message):
    with pytest.raises(AnsibleFilterError, match="^alloy_destinations: ") as err:
        alloy_destinations(*args)
    assert message in str(err.value) and "\n" not in str(err.value)
