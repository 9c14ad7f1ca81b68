# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a mapping of sections as an INI file (the dialect of Grafana's go-ini loader)."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")
_SECTION = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _value(value, where):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        raise AnsibleFilterError("to_ini: %s: a mapping is not an INI value; use a section of its own "
                                 "(for example 'auth.generic_oauth')" % where)
    if is_sequence(value):
        return ",".join(_value(item, "%s[%d]" % (where, n)) for n, item in enumerate(value))
    text = str(value)
    if "\n" in text or "\r" in text:
        raise AnsibleFilterError("to_ini: %s: a value cannot span lines" % where)
    # go-ini reads ';' and '#' as the start of a comment and trims blanks; Grafana's documented way
    # to keep them is triple quotes.
    if re.search(r"[;#]", text) or text != text.strip() or text[:1] in ('"', "`", "'"):
        if '"""' in text:
            raise AnsibleFilterError('to_ini: %s: a value holding both """ and ; or # cannot be written' % where)
        return '"""%s"""' % text
    return text


def _lines(section, items):
    out = []
    for key, value in items.items():
        key = str(key)
        where = "%s.%s" % (section, key) if section else key
        if not _KEY.match(key):
            raise AnsibleFilterError("to_ini: %r is not a valid key" % where)
        text = _value(value, where)
        out.append("%s = %s" % (key, text) if text else "%s =" % key)
    return out


def to_ini(data):
    """Render ``{section: {key: value}}``; scalar top-level keys go before the first section.

    Booleans are ``true``/``false``, lists are joined with commas, ``None`` is an empty value,
    and a string holding ``;`` or ``#`` (or leading/trailing blanks, or a leading quote) is
    wrapped in triple quotes as Grafana's INI loader expects.
    """
    if not isinstance(data, dict):
        raise AnsibleFilterError("to_ini: expects a mapping of sections")
    top = dict((k, v) for k, v in data.items() if not isinstance(v, dict))
    blocks = []
    if top:
        blocks.append("\n".join(_lines("", top)))
    for section, items in data.items():
        if not isinstance(items, dict):
            continue
        section = str(section)
        if not _SECTION.match(section):
            raise AnsibleFilterError("to_ini: %r is not a valid section name" % section)
        blocks.append("\n".join(["[%s]" % section] + _lines(section, items)))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
