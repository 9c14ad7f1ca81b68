# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import hashlib
import os

from ansible_collections.vigil.observability.plugins.modules.paths_info import path_state


def test_file_directory_link_and_missing(tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"content")
    os.chmod(f, 0o640)
    d = tmp_path / "d"
    d.mkdir(mode=0o750)
    os.chmod(d, 0o750)
    link = tmp_path / "l"
    link.symlink_to(f)
    state = path_state(str(f))
    assert state["exists"] and state["type"] == "file" and state["mode"] == "0640"
    assert state["checksum"] == hashlib.sha1(b"content").hexdigest()
    assert state["owner"] and state["group"]
    assert "checksum" not in path_state(str(f), checksum=False)
    assert path_state(str(d))["type"] == "directory" and path_state(str(d))["mode"] == "0750"
    assert path_state(str(link)) == dict(path_state(str(link)), type="link", target=str(f))
    assert path_state(str(tmp_path / "missing")) == {"exists": False}
    assert path_state(str(f) + "/below") == {"exists": False}
