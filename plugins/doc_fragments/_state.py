# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state option of the grafana_* modules (mirrors STATE_SPEC in module_utils/_args.py)."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates the object or updates it until it equals the given options;
        V(absent) deletes it.
      - Both are idempotent; V(absent) on a missing object reports no change.
    type: str
    default: present
    choices: [present, absent]
"""
