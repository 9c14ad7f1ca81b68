# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import hashlib
import os

from ansible_collections.vigil.observability.plugins.module_utils._paths import newer_than, path_state


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


def test_newer_than_a_reference_like_find_cnewer(tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    rules = conf / "rules"
    rules.mkdir()
    old = conf / "old.yml"
    old.write_text("a")
    changed = rules / "new.yml"
    changed.write_text("b")
    stamp = tmp_path / "stamp"
    stamp.write_text("")
    os.utime(stamp, (2000, 2000))
    # ctime cannot be set back: the reference is made newer than the old files instead.
    assert newer_than(str(stamp), [str(conf)]) == [str(conf), str(rules), str(old), str(changed)]
    os.utime(stamp, None)
    assert newer_than(str(stamp), [str(conf), str(tmp_path / "missing")]) == []
    assert newer_than(str(tmp_path / "no-stamp"), [str(conf)]) == []
