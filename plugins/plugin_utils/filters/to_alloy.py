# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render structured data as Grafana Alloy configuration syntax."""

from __future__ import annotations

import json
import math
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_BLOCK_KEYS = {"name", "label", "attributes", "expressions", "blocks"}


def _string(value):
    # Alloy strings take Go's escapes; JSON's escapes are a subset of them.
    return json.dumps(value, ensure_ascii=False)


def _scalar(value):
    return value is None or isinstance(value, (bool, int, float, str))


def _value(value, indent, where):
    """An Alloy literal for ``value``: null, bool, number, string, list or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise AnsibleFilterError("to_alloy: %s: %r has no Alloy literal" % (where, value))
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    pad = "\t" * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        fields = []
        for key, item in value.items():
            key = str(key)
            name = key if _IDENT.match(key) else _string(key)
            fields.append((name, _value(item, indent + 1, "%s.%s" % (where, key))))
        if all(_scalar(v) for v in value.values()) and len(value) <= 3:
            return "{" + ", ".join("%s = %s" % f for f in fields) + "}"
        width = max(len(field[0]) for field in fields)
        return "{\n" + "".join("%s%s = %s,\n" % (pad, name.ljust(width), text) for name, text in fields) \
            + "\t" * indent + "}"
    if is_sequence(value):
        items = [_value(item, indent + 1, "%s[%d]" % (where, n)) for n, item in enumerate(value)]
        if not items:
            return "[]"
        if all(_scalar(v) for v in value):
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join("%s%s,\n" % (pad, text) for text in items) + "\t" * indent + "]"
    raise AnsibleFilterError("to_alloy: %s: a %s has no Alloy literal" % (where, type(value).__name__))


def _block(block, indent, where):
    if not isinstance(block, dict) or "name" not in block:
        raise AnsibleFilterError("to_alloy: %s: a block is a mapping with at least a name" % where)
    unknown = set(block) - _BLOCK_KEYS
    if unknown:
        raise AnsibleFilterError("to_alloy: %s: unknown block keys %s (known: %s)"
                                 % (where, ", ".join(sorted(unknown)), ", ".join(sorted(_BLOCK_KEYS))))
    name = str(block["name"])
    if not _NAME.match(name):
        raise AnsibleFilterError("to_alloy: %s: %r is not a block name (dotted identifiers)" % (where, name))
    label = block.get("label")
    where = "%s %s" % (name, label) if label else name
    if label is not None and not _IDENT.match(str(label)):
        raise AnsibleFilterError("to_alloy: %s: label %r is not an identifier" % (where, label))
    pad = "\t" * (indent + 1)
    lines = []
    pairs = [(k, _value(v, indent + 1, "%s.%s" % (where, k))) for k, v in (block.get("attributes") or {}).items()]
    for key, expression in (block.get("expressions") or {}).items():
        text = str(expression).strip()
        if not text:
            raise AnsibleFilterError("to_alloy: %s.%s: empty expression" % (where, key))
        pairs.append((key, text))
    for key, _text in pairs:
        if not _IDENT.match(str(key)):
            raise AnsibleFilterError("to_alloy: %s: attribute name %r is not an identifier" % (where, key))
    if pairs:
        width = max(len(str(pair[0])) for pair in pairs)
        lines.extend("%s%s = %s" % (pad, str(key).ljust(width), text) for key, text in pairs)
    for n, child in enumerate(block.get("blocks") or []):
        if lines:
            lines.append("")
        lines.append(_block(child, indent + 1, "%s.blocks[%d]" % (where, n)))
    head = "\t" * indent + name + (" " + _string(str(label)) if label is not None else "")
    if not lines:
        return head + " { }"
    return head + " {\n" + "\n".join(lines) + "\n" + "\t" * indent + "}"


def to_alloy(blocks):
    """Render a list of blocks as an Alloy configuration file body (blocks separated by blank lines).

    A block is ``{name, label?, attributes?, expressions?, blocks?}``: ``attributes`` are literal
    values (strings are quoted), ``expressions`` are written verbatim (references such as
    ``prometheus.remote_write.main.receiver``), ``blocks`` are nested blocks.
    """
    if isinstance(blocks, dict):
        blocks = [blocks]
    if not is_sequence(blocks):
        raise AnsibleFilterError("to_alloy: expects a list of blocks")
    return "\n\n".join(_block(b, 0, "blocks[%d]" % n) for n, b in enumerate(blocks)) + ("\n" if blocks else "")
