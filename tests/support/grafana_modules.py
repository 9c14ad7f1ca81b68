# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's grafana_* modules run in-process against the Grafana double.

``fake_grafana_server()`` starts a double on a free loopback port with an Admin, an Editor and a
Viewer token and users; ``Runner`` runs modules against it the way Ansible does (module args
patched in, ``exit_json``/``fail_json`` output captured from stdout); ``stop_and_check`` stops
doubles and validates every exchange they recorded against Grafana's OpenAPI spec. Used by the
unit tests' fixtures (tests/unit/conftest.py) and by benchmarks/peer_comparison/run.py.
"""

from __future__ import annotations

from grafana_double import FakeGrafana
import openapi_check
from module_runner import run_ansible_module

ADMIN_TOKEN = "glsa_admin_0123456789abcdef"
EDITOR_TOKEN = "glsa_editor_0123456789abcdef"
VIEWER_TOKEN = "glsa_viewer_0123456789abcdef"
USERS = {"admin": "admin-pw", "editor": "editor-pw", "viewer": "viewer-pw"}
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


def stop_and_check(fakes, check_requests=True):
    """Stop the doubles and validate everything they recorded against Grafana's spec."""
    problems = []
    for fake in fakes:
        fake.stop()
        problems.extend(check_exchanges(fake, check_requests))
    assert not problems, "exchanges that do not match Grafana's OpenAPI spec:\n" + "\n".join(problems[:50])


def fake_grafana_server():
    fake = FakeGrafana(admin_password=USERS["admin"]).start()
    fake.add_token(ADMIN_TOKEN, "Admin", name="admin-sa")
    fake.add_token(EDITOR_TOKEN, "Editor", name="editor-sa")
    fake.add_token(VIEWER_TOKEN, "Viewer", name="viewer-sa")
    fake.add_user("editor", USERS["editor"], "Editor")
    fake.add_user("viewer", USERS["viewer"], "Viewer")
    return fake
