# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_http redirects: followed for GET/HEAD; credentials never cross to another origin."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.vigil.observability.plugins.module_utils import _http
from ansible_collections.vigil.observability.plugins.module_utils._errors import ConnectionFailure

SECRET = {"Authorization": "Bearer s3cret-t0ken", "Cookie": "grafana_session=abc", "Proxy-Authorization": "Basic eA=="}


class _Handler(BaseHTTPRequestHandler):
    """``/to?u=<url>&c=<code>`` redirects to <url> with <code>; ``/loop`` to itself; else 200."""

    def _answer(self):
        self.server.seen.append((self.command, self.path, dict(self.headers.items())))
        if self.path.startswith("/to?"):
            target, code = self.path[4:].split("&c=")
            self.send_response(int(code))
            self.send_header("Location", target.replace("%26", "&"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = _answer

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def _running():
    """Two servers on loopback: different ports, so different origins."""
    running = []
    for _index in range(2):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.seen = []
        server.url = "http://127.0.0.1:%d" % server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        running.append(server)
    yield running
    for server in running:
        server.shutdown()
        server.server_close()


@pytest.fixture
def servers(_running):
    for server in _running:
        server.seen = []
    return _running


def _lower(headers):
    return dict((k.lower(), v) for k, v in headers.items())


def test_same_origin_redirect_keeps_the_credentials(servers):
    a, _b = servers
    response = _http.request("GET", a.url + "/to?/api/x&c=301", headers=dict(SECRET))
    assert response.status == 200 and response.json() == {"ok": True}
    assert [path for _m, path, _h in a.seen] == ["/to?/api/x&c=301", "/api/x"]
    assert _lower(a.seen[1][2])["authorization"] == "Bearer s3cret-t0ken"


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_cross_origin_redirect_drops_the_credentials(servers, code):
    a, b = servers
    response = _http.request("GET", "%s/to?%s/land&c=%d" % (a.url, b.url, code), headers=dict(SECRET, Accept="text/plain"))
    assert response.status == 200
    assert _lower(a.seen[0][2])["authorization"] == "Bearer s3cret-t0ken"
    assert [path for _m, path, _h in b.seen] == ["/land"]
    landed = _lower(b.seen[0][2])
    for name in ("authorization", "cookie", "proxy-authorization"):
        assert name not in landed
    assert landed["accept"] == "text/plain"  # the other headers are kept


def test_credentials_stay_dropped_when_a_later_hop_comes_back(servers):
    a, b = servers
    back = "%s/to?%s/home&c=302" % (b.url, a.url)
    response = _http.request("GET", "%s/to?%s&c=302" % (a.url, back.replace("&", "%26")), headers=dict(SECRET))
    assert response.status == 200
    assert a.seen[-1][1] == "/home"
    assert "authorization" not in _lower(a.seen[-1][2])


def test_other_port_on_the_same_host_is_another_origin():
    assert _http.origin("https://grafana.test/api") == ("https", "grafana.test", 443)
    assert _http.origin("HTTPS://Grafana.Test:443/x") == _http.origin("https://grafana.test/y")
    assert _http.origin("http://grafana.test:3000/") != _http.origin("http://grafana.test:3001/")
    assert _http.origin("http://grafana.test/") != _http.origin("https://grafana.test/")


def test_writes_are_not_redirected(servers):
    a, b = servers
    response = _http.request("POST", "%s/to?%s/land&c=307" % (a.url, b.url), body={"x": 1}, headers=dict(SECRET))
    assert response.status == 307
    assert response.header("location") == b.url + "/land"
    assert b.seen == []


def test_head_is_redirected(servers):
    a, b = servers
    assert _http.request("HEAD", "%s/to?%s/land&c=302" % (a.url, b.url), headers=dict(SECRET)).status == 200
    assert b.seen[0][0] == "HEAD" and "authorization" not in _lower(b.seen[0][2])


def test_redirect_loops_end(servers):
    a, _b = servers
    with pytest.raises(ConnectionFailure, match="more than %d redirects" % _http.MAX_REDIRECTS):
        _http.request("GET", a.url + "/loop")
    assert len(a.seen) == _http.MAX_REDIRECTS + 1


def test_text_or_empty(servers):
    a, _b = servers
    assert _http.text_or_empty(a.url + "/metrics") == '{"ok": true}'
    # A redirect loop ends in a 3xx answer, a refused connection in no answer: both read as ''.
    assert _http.text_or_empty(a.url + "/loop") == ""
    assert _http.text_or_empty("http://127.0.0.1:9/metrics", timeout=1) == ""


def test_basic_auth_header():
    assert _http.basic_auth("", "x") == {}
    assert _http.basic_auth("prometheus", "s3cret") == {"Authorization": "Basic cHJvbWV0aGV1czpzM2NyZXQ="}
