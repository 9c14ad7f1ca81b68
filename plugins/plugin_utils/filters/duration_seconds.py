# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn a Prometheus or Go duration string (``744h``, ``31d``, ``1h30m``, ``1.5s``) into seconds."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.vigil.observability.plugins.module_utils._duration import duration_ns


def duration_seconds(value):
    """Return the number of seconds of ``value`` (a float; ``0`` for ``0``, ``0s`` and ``""`` is an error).

    An int or float is taken as seconds already.
    """
    if isinstance(value, bool):
        raise AnsibleFilterError("duration_seconds: %r is not a duration" % (value,))
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value if value is not None else "").strip()
    if text == "0":
        return 0.0
    if not text:
        raise AnsibleFilterError("duration_seconds: an empty string is not a duration (use 0s)")
    try:
        return float(duration_ns(text) / 10 ** 9)
    except ValueError:
        raise AnsibleFilterError(
            "duration_seconds: %r is not a duration such as 30s, 15m, 24h, 7d, 4w, 1y or 1h30m" % text
        ) from None
