# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command-line flags of a service's unit, from a mapping of flag name to value."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError


def _flag(name, value, keep_empty=False):
    if value is True:
        return ["--%s" % name]
    if value == "" and keep_empty:
        return ["--%s=" % name]
    if value is None or value is False or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [flag for item in value for flag in _flag(name, item)]
    if isinstance(value, (Mapping, set)):
        raise AnsibleFilterError("cli_flags: the value of --%s is a %s; give a string, number, boolean or list"
                                 % (name, type(value).__name__))
    return ["--%s=%s" % (name, value)]


def cli_flags(flags, keep_empty=()):
    """``['--name=value', '--switch']`` in the mapping's order: a true boolean gives the bare flag;
    false, none and the empty string give nothing (``--name=`` for the names in ``keep_empty``,
    where an empty value means something); a list gives the flag once per item."""
    if not isinstance(flags, Mapping):
        raise AnsibleFilterError("cli_flags: expects a mapping of flag names to values, not a %s" % type(flags).__name__)
    if isinstance(keep_empty, str) or not isinstance(keep_empty, (list, tuple)):
        raise AnsibleFilterError("cli_flags: keep_empty must be a list of flag names, not %r" % (keep_empty,))
    out = []
    for name, value in flags.items():
        if not isinstance(name, str) or not name or name.startswith("-") or any(c.isspace() for c in name):
            raise AnsibleFilterError("cli_flags: %r is not a flag name (write it without the leading dashes)" % (name,))
        out.extend(_flag(name, value, name in keep_empty))
    return out
