# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures of the unit tests.

- ``fake_grafana``: the stateful Grafana double on a free loopback port, with an Admin, an
  Editor and a Viewer token and users. When a test ends, every exchange it recorded is
  validated against Grafana's OpenAPI spec (requests only for those our modules sent).
- ``grafana``: runs a module in-process the way Ansible does (module args patched in,
  ``exit_json``/``fail_json`` output captured from stdout) against the double.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "collections")
FAKES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes")
HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (COLLECTIONS, FAKES, HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from fake_grafana import FakeGrafana  # noqa: E402  pylint: disable=wrong-import-position
import openapi_check  # noqa: E402  pylint: disable=wrong-import-position
import kuma_server as kuma_server_lib  # noqa: E402  pylint: disable=wrong-import-position
from module_runner import run_ansible_module  # noqa: E402  pylint: disable=wrong-import-position

ADMIN_TOKEN = "glsa_admin_0123456789abcdef"
EDITOR_TOKEN = "glsa_editor_0123456789abcdef"
VIEWER_TOKEN = "glsa_viewer_0123456789abcdef"
USERS = {"admin": "admin-pw", "editor": "editor-pw", "viewer": "viewer-pw"}
SHARED_DASHBOARDS = os.path.join(os.path.dirname(openapi_check.SPEC_PATH), "..", "dashboards")
OUR_AGENT = "vigil.observability"


class Runner(object):
    """Runs collection modules against one double."""

    def __init__(self, fake):
        self.fake = fake

    def connection(self, auth="token"):
        conn = {"url": self.fake.url}
        if auth == "token":
            conn["token"] = ADMIN_TOKEN
        elif auth == "editor":
            conn["token"] = EDITOR_TOKEN
        elif auth == "viewer":
            conn["token"] = VIEWER_TOKEN
        elif auth == "basic":
            conn.update(username="admin", password=USERS["admin"])
        elif auth == "editor-basic":
            conn.update(username="editor", password=USERS["editor"])
        elif auth == "none":
            pass
        else:
            raise ValueError(auth)
        return conn

    def run(self, module, args, check=False, diff=True, auth="token", collection="vigil.observability"):
        full = self.connection(auth) if auth else {}
        full.update(args)
        namespace, name = collection.split(".")
        return run_ansible_module("ansible_collections.%s.%s.plugins.modules.%s" % (namespace, name, module),
                                  full, check_mode=check, diff=diff)

    def mark(self):
        """The request sequence number now; pass it to ``writes()``."""
        return self.fake.seq

    def writes(self, since=0):
        return self.fake.writes(since)

    def requests(self, since=0):
        return [r for r in self.fake.requests if r["seq"] > since]


def check_exchanges(fake, check_requests=True):
    spec = openapi_check.spec()
    problems = []
    for entry in fake.requests:
        agent = ""
        for key, value in entry["headers"].items():
            if key.lower() == "user-agent":
                agent = value
        problems.extend(spec.check(entry, check_request=check_requests and agent.startswith(OUR_AGENT)))
    return problems


def pytest_configure(config):
    config.addinivalue_line("markers", "invalid_request(reason): the test sends a request that breaks Grafana's "
                                       "spec on purpose (bad input passed through); only responses are validated")


@pytest.fixture(scope="session")
def _empty_ca_bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("ssl") / "empty.pem"
    path.write_text("")
    return str(path)


def stop_and_check(fakes, check_requests=True):
    """Stop the doubles and validate everything they recorded against Grafana's spec."""
    problems = []
    for fake in fakes:
        fake.stop()
        problems.extend(check_exchanges(fake, check_requests))
    assert not problems, "exchanges that do not match Grafana's OpenAPI spec:\n" + "\n".join(problems[:50])


@pytest.fixture
def fake_grafana(request, monkeypatch, _empty_ca_bundle):
    # The double speaks plain HTTP. open_url builds a TLS context for every request anyway and
    # parses the system CA bundle each time (~30 ms); an empty default bundle keeps the unit
    # suite fast without touching the code under test.
    monkeypatch.setenv("SSL_CERT_FILE", _empty_ca_bundle)
    fake = fake_grafana_server()
    yield fake
    stop_and_check([fake], check_requests=request.node.get_closest_marker("invalid_request") is None)


def fake_grafana_server():
    fake = FakeGrafana(admin_password=USERS["admin"]).start()
    fake.add_token(ADMIN_TOKEN, "Admin", name="admin-sa")
    fake.add_token(EDITOR_TOKEN, "Editor", name="editor-sa")
    fake.add_token(VIEWER_TOKEN, "Viewer", name="viewer-sa")
    fake.add_user("editor", USERS["editor"], "Editor")
    fake.add_user("viewer", USERS["viewer"], "Viewer")
    return fake


@pytest.fixture
def grafana(fake_grafana):  # pylint: disable=redefined-outer-name
    return Runner(fake_grafana)


@pytest.fixture
def grafana_factory(monkeypatch, _empty_ca_bundle):
    """Makes independent doubles (each with its Runner), validated against the spec at the end."""
    monkeypatch.setenv("SSL_CERT_FILE", _empty_ca_bundle)
    fakes = []

    def make():
        fakes.append(fake_grafana_server())
        return Runner(fakes[-1])

    yield make
    stop_and_check(fakes)


@pytest.fixture(scope="session")
def real_dashboards():
    """The shared real dashboards: file name -> parsed JSON (read once)."""
    out = {}
    for name in sorted(os.listdir(SHARED_DASHBOARDS)):
        if name.endswith(".json"):
            with open(os.path.join(SHARED_DASHBOARDS, name), encoding="utf-8") as handle:
                out[name] = json.load(handle)
    return out


# -- the REAL Uptime Kuma (tests/unit/kuma_server.py) -------------------------------------------

class KumaRunner(object):
    """Runs uptime_kuma_* modules against one real Uptime Kuma server, logged in as its admin."""

    def __init__(self, server, token_file):
        self.server = server
        self.token_file = token_file

    def connection(self):
        return {"url": self.server.url, "username": kuma_server_lib.ADMIN, "password": kuma_server_lib.ADMIN_PASSWORD,
                "token_file": self.token_file, "timeout": 20}

    def run(self, module, args, check=False, diff=True, connection=True):
        full = self.connection() if connection else {}
        full.update(args)
        return run_ansible_module("ansible_collections.vigil.observability.plugins.modules.%s" % module,
                                  full, check_mode=check, diff=diff)

    def client(self):
        """A logged-in KumaClient (the caller closes it), for reading what the server stores."""
        from ansible_collections.vigil.observability.plugins.module_utils._kuma_module import connect
        return connect(dict(self.connection(), token=None, totp=None, validate_certs=True, ca_path=None))


@pytest.fixture(scope="session")
def kuma_server():
    """One real Uptime Kuma 2.5.3 on loopback for the session, claimed by its admin."""
    try:
        server = kuma_server_lib.KumaServer().start()
    except kuma_server_lib.Unavailable as err:
        pytest.skip("real Uptime Kuma: %s" % err)
    from ansible_collections.vigil.observability.plugins.module_utils._kuma import KumaClient
    with KumaClient(server.url, timeout=20) as client:
        client.setup(kuma_server_lib.ADMIN, kuma_server_lib.ADMIN_PASSWORD)
    yield server
    server.stop()


@pytest.fixture
def kuma(kuma_server, tmp_path_factory):  # pylint: disable=redefined-outer-name
    """A KumaRunner on the session's server (the JWT kept in one token file: logins are rate limited)."""
    return KumaRunner(kuma_server, str(tmp_path_factory.getbasetemp() / "kuma-token"))
