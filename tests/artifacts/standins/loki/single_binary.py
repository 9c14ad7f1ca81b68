# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One executable file out of several Python modules, for stand-ins of single-binary releases.

A zip application: ``#!/usr/bin/env python3`` followed by a zip holding ``__main__.py`` and the
modules it imports (Python runs such a file directly). Entries get a fixed timestamp, so the bytes
are reproducible. Used by the loki and alloy stand-in builders.
"""

import io
import zipfile

STAMP = (2023, 11, 14, 22, 13, 20)


def zipapp(entries):
    """Bytes of the executable; ``entries`` maps file names in the zip to their text."""
    if "__main__.py" not in entries:
        raise ValueError("a zip application needs __main__.py")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name].encode("utf-8"))
    return b"#!/usr/bin/env python3\n" + raw.getvalue()
