# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real checker binary for the unit tests (promtool, amtool): on the PATH, or taken out of the
test mirror's release archive (Debian's build, made by the mirror stage of `make test`). A test
asking for one is skipped when neither exists."""

import glob
import os
import shutil
import tarfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def mirror_tool(name, component, out_dir):
    """Path of ``name`` (PATH first, else from ``<mirror>/<component>/*/<component>-*.linux-amd64.tar.gz``)."""
    found = shutil.which(name)
    if found:
        return found
    mirror = os.environ.get("VIGIL_TEST_MIRROR_DIR", os.path.join(ROOT, ".cache", "test-mirror"))
    pattern = os.path.join(mirror, component, "*", "%s-*.linux-amd64.tar.gz" % component)
    for archive in sorted(glob.glob(pattern), reverse=True):
        with tarfile.open(archive) as tar:
            member = next((m for m in tar.getmembers() if m.name.endswith("/" + name)), None)
            if member is None:
                continue
            out = os.path.join(str(out_dir), name)
            with open(out, "wb") as handle:
                handle.write(tar.extractfile(member).read())
            os.chmod(out, 0o755)
            return out
    pytest.skip("no %s: neither on the PATH nor in the test mirror (run the mirror stage of make test)" % name)
    return None
