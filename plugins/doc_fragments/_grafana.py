# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every grafana_* module shares: its connection options (with ``_transport``, they mirror GRAFANA_CONNECTION
in module_utils/_args.py), its notes and its attributes; ``PROVENANCE`` for the alerting objects."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Grafana server, for example V(https://grafana.example.com) or
        V(http://127.0.0.1:3000). A sub-path (Grafana behind a reverse proxy) is kept.
      - Falls back to the E(GRAFANA_URL) environment variable.
    type: str
    required: true
  token:
    description:
      - Service-account token, sent in the C(Authorization) header as a Bearer token. A token always
        acts in the organisation it belongs to, so O(org_id) is ignored with it.
      - Falls back to the E(GRAFANA_TOKEN) environment variable.
      - Mutually exclusive with O(username).
    type: str
  username:
    description:
      - User for basic authentication (also LDAP users), together with O(password).
      - Falls back to the E(GRAFANA_USER) environment variable.
    type: str
  password:
    description:
      - Password for basic authentication.
      - Falls back to the E(GRAFANA_PASSWORD) environment variable.
    type: str
  org_id:
    description:
      - Organisation to act in with basic authentication, sent as the C(X-Grafana-Org-Id)
        header on every request. The user's default organisation is never changed.
      - Without it the user's current organisation is used.
      - Falls back to the E(GRAFANA_ORG_ID) environment variable.
    type: int
notes:
  - All HTTP goes through Ansible's C(open_url); no extra Python library is needed.
  - HTTP 429, 502, 503 and 504 answers are retried three times with a bounded exponential
    backoff (C(Retry-After) is honoured up to 8 seconds); 500 is retried for reads only.
  - Every HTTP error fails the task with a message naming the status, its meaning and
    Grafana's own message; an unreachable server fails with C(cannot reach <url>).
attributes:
  action_group:
    description: Use C(group/vigil.observability.grafana) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - vigil.observability.grafana
  check_mode:
    description: No request that changes anything is sent in check mode; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: Shows the object before and after, as RV(diff) describes it.
    support: full
"""

    # Alerting provisioning objects (mirrors PROVENANCE_SPEC in module_utils/_args.py).
    PROVENANCE = r"""
options:
  disable_provenance:
    description:
      - Send C(X-Disable-Provenance) on every write, so the object stays editable in the Grafana
        UI. Without it Grafana marks the object provisioned (provenance C(api)), read-only in the UI.
      - Grafana refuses to turn a provisioned object back into an editable one; changing an object
        written without this option fails with Grafana's message while this option is true.
      - Provenance is never compared and never shown in the diff, so switching this option alone
        does not rewrite an unchanged object.
    type: bool
    default: false
"""

    # The wait for a healthy Grafana (mirrors WAIT_SPEC in module_utils/_grafana_health.py).
    WAIT = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait for Grafana to report a working database (C(/api/health)). V(0) asks once.
      - While Grafana starts (connection refused, HTTP 502, 503 or 504, C(database) not V(ok)) it is
        asked again every O(delay) seconds; any other answer (for example 404 for a wrong O(url)) fails at once.
    type: int
    default: 120
  delay:
    description:
      - Seconds between two questions while waiting.
    type: float
    default: 2
"""
