# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures of the unit tests (pure Python: no ansible-playbook, no external server).

- ``fake_grafana``: the stateful Grafana double on a free loopback port, with an Admin, an
  Editor and a Viewer token and users. When a test ends, every exchange it recorded is
  validated against Grafana's OpenAPI spec (requests only for those our modules sent).
- ``grafana``: runs a module in-process the way Ansible does (module args patched in,
  ``exit_json``/``fail_json`` output captured from stdout) against the double.
"""

from __future__ import annotations

import json
import os

import pytest

# pytest.ini puts collections/, tools/ and tests/support/ on the path.
import openapi_check
from grafana_modules import Runner, fake_grafana_server, stop_and_check
import test_env

SHARED_DASHBOARDS = os.path.join(test_env.shared_dir(), "grafana", "dashboards")


def pytest_configure(config):
    config.addinivalue_line("markers", "invalid_request(reason): the test sends a request that breaks Grafana's "
                                       "spec on purpose (bad input passed through); only responses are validated")


@pytest.fixture(scope="session")
def _empty_ca_bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("ssl") / "empty.pem"
    path.write_text("")
    return str(path)


def _skip_without_spec():
    if openapi_check.missing():
        pytest.skip(openapi_check.missing())


@pytest.fixture
def fake_grafana(request, monkeypatch, _empty_ca_bundle):
    _skip_without_spec()
    # The double speaks plain HTTP. open_url builds a TLS context for every request anyway and
    # parses the system CA bundle each time (~30 ms); an empty default bundle keeps the unit
    # suite fast without touching the code under test.
    monkeypatch.setenv("SSL_CERT_FILE", _empty_ca_bundle)
    fake = fake_grafana_server()
    yield fake
    stop_and_check([fake], check_requests=request.node.get_closest_marker("invalid_request") is None)


@pytest.fixture
def grafana(fake_grafana):  # pylint: disable=redefined-outer-name
    return Runner(fake_grafana)


@pytest.fixture
def grafana_factory(monkeypatch, _empty_ca_bundle):
    """Makes independent doubles (each with its Runner), validated against the spec at the end."""
    _skip_without_spec()
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
    if not os.path.isdir(SHARED_DASHBOARDS):
        pytest.skip("the shared real dashboards are not at %s: point VIGIL_SHARED_DIR at the shared folder"
                    % SHARED_DASHBOARDS)
    out = {}
    for name in sorted(os.listdir(SHARED_DASHBOARDS)):
        if name.endswith(".json"):
            with open(os.path.join(SHARED_DASHBOARDS, name), encoding="utf-8") as handle:
                out[name] = json.load(handle)
    return out
