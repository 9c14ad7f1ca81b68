# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""password_problem: '' for an acceptable password, else the reason (module_utils/_passwords.py)."""

from __future__ import annotations

from ansible_collections.vigil.observability.plugins.module_utils._passwords import password_problem


class FilterModule(object):
    def filters(self):
        return {"password_problem": password_problem}
