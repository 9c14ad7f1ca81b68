# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render structured data (mappings, lists, scalars) as a TOML document."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_INT_MIN = -(2 ** 63)
_INT_MAX = 2 ** 63 - 1


def _where(path):
    return ".".join(str(p) for p in path).replace(".[", "[") or "(top level)"


def _fail(path, message):
    raise AnsibleFilterError("to_toml: %s: %s" % (_where(path), message))


def _is_table(value):
    return isinstance(value, Mapping)


def _is_array(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def _is_table_array(value):
    """A non-empty list made only of mappings: written as [[array.of.tables]]."""
    return _is_array(value) and len(value) > 0 and all(_is_table(v) for v in value)


def _string(value):
    out = []
    for char in str(value):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append("\\u%04X" % ord(char))
        else:
            out.append(char)
    return '"%s"' % "".join(out)


def _key(key, path):
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        _fail(path, "keys must be strings, not %s" % type(key).__name__)
    key = str(key)
    return key if _BARE_KEY.match(key) else _string(key)


def _inline(value, path):
    """A value written on one line: scalar, array or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            _fail(path, "integer %d does not fit TOML's 64-bit integers" % value)
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(float(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if _is_table(value):
        items = ["%s = %s" % (_key(k, path), _inline(v, path + [k])) for k, v in value.items() if v is not None]
        return "{ %s }" % ", ".join(items) if items else "{}"
    if _is_array(value):
        items = []
        for index, item in enumerate(value):
            if item is None:
                _fail(path + ["[%d]" % index], "TOML has no null; remove the item")
            items.append(_inline(item, path + ["[%d]" % index]))
        return "[%s]" % ", ".join(items)
    if value is None:
        _fail(path, "TOML has no null")
    _fail(path, "cannot represent a value of type %s" % type(value).__name__)
    return ""  # not reached


class _Writer:
    def __init__(self, indent, sort_keys):
        self.indent = indent
        self.sort_keys = sort_keys
        self.lines = []

    def items(self, table):
        keys = list(table.keys())
        if self.sort_keys:
            keys.sort(key=str)
        return [(k, table[k]) for k in keys if table[k] is not None]

    def header(self, text, level):
        if self.lines:
            self.lines.append("")
        self.lines.append(" " * (self.indent * level) + text)

    def table(self, table, names, where, level, kind=None):
        """Write one table: its plain keys first, then its sub-tables and arrays of tables.

        ``kind`` is None for the document itself, ``table`` or ``array`` (an element of an array
        of tables). A table holding only sub-tables needs no header of its own (TOML defines it
        implicitly); an empty one gets one, so that it exists.
        """
        items = self.items(table)
        plain = [(k, v) for k, v in items if not _is_table(v) and not _is_table_array(v)]
        nested = [(k, v) for k, v in items if _is_table(v) or _is_table_array(v)]
        inner = level
        if kind == "array" or (kind == "table" and (plain or not nested)):
            name = ".".join(_key(n, where) for n in names)
            self.header(("[[%s]]" if kind == "array" else "[%s]") % name, level)
            inner = level + 1
        for key, value in plain:
            self.lines.append("%s%s = %s" % (" " * (self.indent * inner), _key(key, where),
                                             _inline(value, where + [key])))
        for key, value in nested:
            if _is_table(value):
                self.table(value, names + [key], where + [key], inner, "table")
            else:
                for index, element in enumerate(value):
                    self.table(element, names + [key], where + [key, "[%d]" % index], inner, "array")


def to_toml(data, indent=2, sort_keys=False):
    """Return ``data`` (a mapping) as a TOML document.

    Lists made only of mappings become arrays of tables (``[[inputs.cpu]]``), so the same
    plugin can appear several times; nested mappings become tables
    (``[outputs.prometheus_client.metric_types]``); other lists become inline arrays. Keys whose
    value is ``None`` are left out; ``None`` anywhere else is an error.
    """
    if not _is_table(data):
        raise AnsibleFilterError("to_toml: the document must be a mapping, not %s" % type(data).__name__)
    if isinstance(indent, bool) or not isinstance(indent, int) or indent < 0:
        raise AnsibleFilterError("to_toml: indent must be a non-negative integer, not %r" % (indent,))
    writer = _Writer(indent, bool(sort_keys))
    writer.table(data, [], [], 0)
    return "\n".join(writer.lines) + "\n" if writer.lines else ""
