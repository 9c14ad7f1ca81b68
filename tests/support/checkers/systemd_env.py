# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an EnvironmentFile the way systemd reads double-quoted assignments (render tests)."""

from __future__ import annotations


def systemd_env(text):
    """``{name: value}`` of ``NAME="value"`` lines: ``\\"``, ``\\\\``, ``\\``` and ``\\$`` are
    unescaped, any other backslash is kept; an unescaped quote inside a value is an error."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, raw = line.split("=", 1)
        assert raw.startswith('"') and raw.endswith('"'), line
        body, out, index = raw[1:-1], [], 0
        while index < len(body):
            char = body[index]
            if char == "\\" and index + 1 < len(body):
                nxt = body[index + 1]
                out.append(nxt if nxt in '"\\`$' else "\\" + nxt)
                index += 2
                continue
            assert char != '"', "unescaped quote in " + line
            out.append(char)
            index += 1
        values[name] = "".join(out)
    return values
