"""Package the stand-in core as one executable file (a Python zip application with a shebang)."""
from __future__ import annotations

import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2023, 11, 14, 22, 13, 20)  # fixed: reproducible bytes


def zipapp(main_source):
    """Bytes of `#!/usr/bin/env python3` + a zip holding __main__.py and the otelcol_core package."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = {"__main__.py": main_source.encode()}
        for name in sorted(os.listdir(HERE)):
            if name.endswith(".py"):
                with open(os.path.join(HERE, name), "rb") as handle:
                    entries["otelcol_core/" + name] = handle.read()
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return b"#!/usr/bin/env python3\n" + raw.getvalue()


def collector_main(distribution, prog, version, title):
    return ("import sys\nfrom otelcol_core.cli import main\nsys.exit(main(%r, %r, %r, %r))\n"
            % (distribution, prog, version, title))


def notice(product, version):
    return ("%s %s: vigil.observability TEST STAND-IN built from tests/artifacts/standins/otelcol_core.\n"
            "It is not the product; it follows the product's documented interfaces for the tests.\n"
            % (product, version)).encode()
