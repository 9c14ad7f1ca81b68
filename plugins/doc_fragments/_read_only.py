# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The attributes of the collection's modules that only read."""

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: The module only reads, so it does in check mode exactly what it does in a real run.
    support: full
  diff_mode:
    description: Nothing is changed, so there is no diff.
    support: none
"""
