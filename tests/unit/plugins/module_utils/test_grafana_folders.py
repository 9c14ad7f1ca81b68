# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_grafana_folders: the one folder lookup of the grafana_* modules, against the double."""

from __future__ import annotations

from ansible_collections.vigil.observability.plugins.module_utils import _client, _grafana_folders


def client(fake):
    return _client.GrafanaClient(fake.url, username="admin", password="admin-pw")


def test_get_and_paths(fake_grafana):
    c = client(fake_grafana)
    assert _grafana_folders.folder_path("a b/c") == "/api/folders/a%20b%2Fc"
    assert _grafana_folders.get_folder(c, "ops") is None
    c.post(_grafana_folders.FOLDERS, {"uid": "ops", "title": "Ops"})
    assert _grafana_folders.get_folder(c, "ops")["title"] == "Ops"


def test_list_pages_and_find(fake_grafana):
    c = client(fake_grafana)
    for n in range(5):
        c.post(_grafana_folders.FOLDERS, {"uid": "f%d" % n, "title": "Folder %d" % n})
    c.post(_grafana_folders.FOLDERS, {"uid": "child", "title": "Databases", "parentUid": "f1"})
    mark = fake_grafana.seq
    top = _grafana_folders.list_folders(c, page_size=2)
    assert [f["uid"] for f in top] == ["f0", "f1", "f2", "f3", "f4"]
    pages = [r["path"] for r in fake_grafana.requests if r["seq"] > mark]
    assert len(pages) == 3 and "page=3" in pages[-1] and "limit=2" in pages[-1]
    # A probe reads one page only.
    mark = fake_grafana.seq
    assert len(_grafana_folders.list_folders(c, page_size=1, max_pages=1)) == 1
    assert len([r for r in fake_grafana.requests if r["seq"] > mark]) == 1
    assert [f["uid"] for f in _grafana_folders.list_folders(c, "f1")] == ["child"]
    # Exact title first, then ignoring case; None when absent.
    assert _grafana_folders.find_folder(c, "f1", "databases")["uid"] == "child"
    assert _grafana_folders.find_folder(c, "", "Folder 3")["uid"] == "f3"
    assert _grafana_folders.find_folder(c, "", "nowhere") is None
