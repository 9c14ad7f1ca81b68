# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collector flags of node_exporter."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError


def _name(value, what):
    if not isinstance(value, str) or not value or any(c.isspace() or c == "=" for c in value):
        raise AnsibleFilterError("node_exporter_collector_flags: %s %r is not a valid name (non-empty, without blanks or '=')" % (what, value))
    return value


def node_exporter_collector_flags(enabled, disabled=None):
    """``--collector.<name>`` per enabled collector (a name, or ``{name: {option: value}}`` which
    adds ``--collector.<name>.<option>=<value>`` per option), then ``--no-collector.<name>`` per
    disabled one.

    Option values are written as given, an empty one too (``--collector.filesystem.mount-points-exclude=``
    clears the default) and ``false`` as ``False``: unlike ``cli_flags``, nothing is left out.
    """
    if enabled is None:
        enabled = []
    if disabled is None:
        disabled = []
    for value, what in ((enabled, "enabled"), (disabled, "disabled")):
        if not isinstance(value, (list, tuple)):
            raise AnsibleFilterError("node_exporter_collector_flags: the %s collectors must be a list, not a %s"
                                     % (what, type(value).__name__))
    flags = []
    for collector in enabled:
        if isinstance(collector, Mapping):
            for name, options in collector.items():
                flags.append("--collector." + _name(name, "enabled collector"))
                if options is not None and not isinstance(options, Mapping):
                    raise AnsibleFilterError("node_exporter_collector_flags: the options of collector %s must be a mapping"
                                             " {option: value}, not a %s" % (name, type(options).__name__))
                for key, value in (options or {}).items():
                    flags.append("--collector.%s.%s=%s" % (name, _name(key, "option of collector %s" % name), value))
        else:
            flags.append("--collector." + _name(collector, "enabled collector"))
    for collector in disabled:
        flags.append("--no-collector." + _name(collector, "disabled collector"))
    return flags
