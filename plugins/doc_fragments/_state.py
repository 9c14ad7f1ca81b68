# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state option of the grafana_* and uptime_kuma_* resource modules, and what their result holds
(mirrors STATE_SPEC in module_utils/_args.py)."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates the object or updates it until it equals the given options;
        V(absent) deletes it, and needs only the option that names the object.
      - Both are idempotent; V(absent) on a missing object reports no change.
      - The result holds the object as it is after the run (in check mode as a real run would
        leave it; null after V(absent)) and C(action), what was (or in check mode would be)
        done to it.
    type: str
    default: present
    choices: [present, absent]
"""
