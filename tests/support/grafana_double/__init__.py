# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful Grafana HTTP API double (Python standard library only).

It serves the part of Grafana's HTTP API that the vigil.observability grafana_* modules and the
grafana role use, with Grafana's status codes, error bodies, ``[REDACTED]`` masking, version
counters, provenance rules, uid rules and folder semantics, as described in
``shared/reference/grafana-api.md`` (target: Grafana 11.3+ / 12.x; legacy behaviours behind
switches). Every request is recorded (method, path, headers, body, status, response).

Run it in-process (tests)::

    from grafana_double import FakeGrafana
    fake = FakeGrafana(); fake.start(); ...; fake.stop()

or standalone (a "Grafana stand-in"), with this package's parent folder on the path::

    python3 -m grafana_double --host 0.0.0.0 --port 3000 --admin-user admin --admin-password X [--token T]

The package: ``common`` (constants, error bodies, duration/uid/secret helpers), ``state`` (orgs,
users, tokens), ``routing`` (the route table, the request context), ``server`` (FakeGrafana, the
HTTP handler, the command line) and one ``routes_*`` module per API area, registered in the
order ``server`` imports them.

The secret-key table and the duration rules are implemented here independently of the modules
(as Grafana implements them independently), so a mistake in the modules is not mirrored here.
"""

from .common import MUTATING, VERSION
from .server import FakeGrafana, main

__all__ = ["FakeGrafana", "MUTATING", "VERSION", "main"]
