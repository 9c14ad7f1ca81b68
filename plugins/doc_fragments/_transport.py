# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How every module of the collection reaches its server: validate_certs, ca_path and timeout
(mirrors TRANSPORT_SPEC in module_utils/_args.py).

Every grafana_* and uptime_kuma_* module extends it next to ``_grafana`` or ``_uptime_kuma``.
"""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  validate_certs:
    description:
      - Verify the server's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) to verify the server with.
    type: path
  timeout:
    description:
      - Seconds to wait for the connection and for each answer of the server.
    type: int
    default: 30
"""
