# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit and the way to the service's endpoints, shared by service_state and service_ready."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  unit:
    description: The systemd unit, with its suffix (C(prometheus.service)).
    type: str
    required: true
  validate_certs:
    description: Verify the TLS certificate of the service's endpoints.
    type: bool
    default: true
  url_username:
    description: Basic-auth user for the service's endpoints.
    type: str
    default: ""
  url_password:
    description: Basic-auth password for the service's endpoints.
    type: str
    default: ""
  client_cert:
    description: Client certificate (PEM) for endpoints that ask for one.
    type: path
  client_key:
    description: Key of O(client_cert).
    type: path
"""
