# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's filters share to check their input: one-line errors that name the filter."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError


def fail(name, message, *args):
    """Raise AnsibleFilterError ``<name>: <message % args>``."""
    raise AnsibleFilterError("%s: %s" % (name, message % args if args else message))


def mapping(name, value, what):
    """``value`` when it is a mapping, ``{}`` for none; else fail naming ``what``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fail(name, "%s must be a mapping, not a %s", what, type(value).__name__)
    return value
