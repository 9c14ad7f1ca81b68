# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_http and _client: transport, auth, organisation, retries, error mapping, check-mode guard."""

from __future__ import annotations

import base64
import socket

import pytest

from ansible_collections.vigil.observability.plugins.module_utils import _client, _http
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ConnectionFailure, VigilError


class Transport(object):
    """Answers from a script of (status, body, headers); records every call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, method, url, body=None, headers=None, timeout=None, validate_certs=None, ca_path=None):
        self.calls.append(dict(method=method, url=url, body=body, headers=headers, timeout=timeout,
                               validate_certs=validate_certs, ca_path=ca_path))
        status, payload, hdrs = self.answers.pop(0)
        return _http.Response(status, hdrs or {}, _http.encode_json(payload) if payload is not None else b"")


def client(transport, **kwargs):
    """A client on the scripted transport; ``.slept`` records the backoff delays."""
    slept = []
    kwargs.setdefault("token", "t0k")
    c = _client.GrafanaClient("http://grafana.test:3000/", transport=transport, sleep=slept.append, **kwargs)
    c.slept = slept
    return c


def test_bearer_token_and_no_org_header_with_a_token():
    transport = Transport((200, {"a": 1}, None))
    c = client(transport, org_id=3)
    assert c.get("/api/x") == {"a": 1}
    call = transport.calls[0]
    assert call["url"] == "http://grafana.test:3000/api/x"
    assert call["headers"]["Authorization"] == "Bearer t0k"
    assert "X-Grafana-Org-Id" not in call["headers"]
    assert c.warnings and "org_id is ignored" in c.warnings[0]


def test_basic_auth_with_org_header():
    transport = Transport((200, [], None))
    c = client(transport, token=None, username="admin", password="pw", org_id=2)
    c.get("/api/folders", query={"parentUid": "a b", "limit": 1000})
    call = transport.calls[0]
    assert call["headers"]["Authorization"] == "Basic " + base64.b64encode(b"admin:pw").decode()
    assert call["headers"]["X-Grafana-Org-Id"] == "2"
    assert call["url"].endswith("/api/folders?parentUid=a+b&limit=1000")


def test_tls_options_and_timeout_reach_the_transport():
    transport = Transport((200, {}, None))
    c = client(transport, validate_certs=False, ca_path="/etc/ca.pem", timeout=7)
    c.get("/api/health")
    call = transport.calls[0]
    assert (call["validate_certs"], call["ca_path"], call["timeout"]) == (False, "/etc/ca.pem", 7)


def test_404_is_none_for_reads_and_an_error_for_writes():
    transport = Transport((404, {"message": "Dashboard not found"}, None), (404, {"message": "nope"}, None))
    c = client(transport)
    assert c.get("/api/dashboards/uid/x") is None
    with pytest.raises(ApiError) as err:
        c.put("/api/x", {"a": 1})
    assert err.value.status == 404


@pytest.mark.parametrize("status,meaning", [
    (400, "bad request"), (401, "wrong or missing credentials"), (403, "permission denied"), (404, "not found"),
    (409, "conflict"), (412, "version mismatch"), (500, "internal server error")])
def test_error_mapping(status, meaning):
    transport = Transport(*[(status, {"message": "the server's reason"}, None)] * 4)
    c = client(transport)
    with pytest.raises(ApiError) as err:
        c.post("/api/dashboards/db", {"dashboard": {}})
    text = str(err.value)
    assert text.startswith("POST http://grafana.test:3000/api/dashboards/db failed with HTTP %d" % status)
    assert meaning in text
    assert "Grafana says: the server's reason" in text
    assert err.value.details() == {"status": status, "url": "http://grafana.test:3000/api/dashboards/db", "method": "POST",
                                   "response": {"message": "the server's reason"}}


@pytest.mark.parametrize("body,message", [
    ({"status": "version-mismatch", "message": "The dashboard has been changed by someone else"},
     "The dashboard has been changed by someone else"),
    ({"statusCode": 409, "messageId": "alerting.x", "message": "uid in use"}, "uid in use"),
    (None, ""),
])
def test_all_error_body_shapes(body, message):
    c = client(Transport((409, body, None)))
    with pytest.raises(ApiError) as err:
        c.post("/api/x", {})
    assert err.value.server_message == message


def test_retry_on_429_honours_retry_after_bounded():
    transport = Transport((429, {"message": "slow down"}, {"Retry-After": "120"}), (503, None, None), (200, {"ok": 1}, None))
    c = client(transport)
    assert c.post("/api/x", {}) == {"ok": 1}
    assert c.slept == [_client.MAX_BACKOFF, 1.0]
    assert len(transport.calls) == 3


def test_500_is_retried_for_reads_only():
    c = client(Transport((500, {"message": "db"}, None), (200, {"ok": 1}, None)))
    assert c.get("/api/x") == {"ok": 1}
    assert c.slept == [0.5]
    transport = Transport((500, {"message": "failed to save config"}, None))
    c = client(transport)
    with pytest.raises(ApiError):
        c.post("/api/x", {})
    assert c.slept == [] and len(transport.calls) == 1


def test_retries_are_bounded():
    transport = Transport(*[(503, {"message": "busy"}, None)] * 10)
    c = client(transport)
    with pytest.raises(ApiError) as err:
        c.get("/api/x")
    assert err.value.status == 503
    assert len(transport.calls) == 4
    assert c.slept == [0.5, 1.0, 2.0]


def test_check_mode_guard_refuses_writes():
    transport = Transport()
    c = client(transport, read_only=True)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        with pytest.raises(VigilError):
            c.request(method, "/api/x", {})
    assert transport.calls == []


@pytest.mark.parametrize("url", ["", None, "grafana:3000"])
def test_bad_urls(url):
    with pytest.raises(VigilError):
        _client.GrafanaClient(url)


def test_server_version_is_cached():
    transport = Transport((200, {"database": "ok", "version": "11.3.0-pre+security-01"}, None))
    c = client(transport)
    assert c.server_version() == (11, 3, 0)
    assert c.server_version() == (11, 3, 0)
    assert len(transport.calls) == 1


@pytest.mark.parametrize("text,version", [("12.2.0", (12, 2, 0)), ("v10.4", (10, 4, 0)), ("", None), (None, None)])
def test_parse_version(text, version):
    assert _client.parse_version(text) == version


# -- the real transport against the double ------------------------------------------------------

def test_http_against_the_double(fake_grafana):
    ok = _http.request("GET", fake_grafana.url + "/api/health")
    assert ok.status == 200 and ok.json()["database"] == "ok"
    assert ok.header("content-type") == "application/json; charset=UTF-8"
    denied = _http.request("GET", fake_grafana.url + "/api/folders", headers={"Authorization": "Bearer wrong"})
    assert denied.status == 401 and denied.json()["message"] == "Invalid API key"
    rec = fake_grafana.requests[-1]
    assert rec["headers"]["User-Agent"] == _http.USER_AGENT


def test_client_against_the_double_records_org_header(fake_grafana):
    org = fake_grafana.add_org("Second")
    fake_grafana.state.users["admin"]["orgs"][org] = "Admin"
    c = _client.GrafanaClient(fake_grafana.url, username="admin", password="admin-pw", org_id=org)
    c.post("/api/folders", {"uid": "in-org-2", "title": "Two"})
    assert "in-org-2" in fake_grafana.org(org).folders
    assert "in-org-2" not in fake_grafana.org(1).folders
    assert fake_grafana.requests[-1]["headers"]["X-Grafana-Org-Id"] == str(org)
    assert c.server_version() == (12, 2, 0)


def test_unreachable_server():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = "http://127.0.0.1:%d" % port
    with pytest.raises(ConnectionFailure) as err:
        _http.request("GET", url + "/api/health", timeout=2)
    assert str(err.value).startswith("cannot reach %s/api/health: " % url)
    assert "refused" in str(err.value).lower()


def test_timeout_is_a_connection_failure():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        url = "http://127.0.0.1:%d/api/health" % server.getsockname()[1]
        with pytest.raises(ConnectionFailure) as err:
            _http.request("GET", url, timeout=0.3)
        assert str(err.value).startswith("cannot reach %s" % url)
    finally:
        server.close()
