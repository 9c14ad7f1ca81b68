# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grafana folder lookups, once, for every module that needs them.

- ``folder_path(uid)``: the item path ``/api/folders/<uid>``.
- ``get_folder(client, uid)``: the folder, or None when it does not exist.
- ``list_folders(client, parent_uid)``: the direct children of a folder (the top level for an
  empty parent), every page.
- ``find_folder(client, parent_uid, title)``: the child with that title (exact first, then
  ignoring case, as Grafana compares titles), or None.
- ``require_folder(client, uid, check_mode)``: a folder that must exist; in check mode a missing
  one is taken as created by an earlier task of the same run (a real run fails without it).
"""

from __future__ import annotations

from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

FOLDERS = "/api/folders"
PAGE_SIZE = 1000


def folder_path(uid):
    return FOLDERS + "/" + quote_segment(uid)


def get_folder(client, uid):
    return client.get(folder_path(uid))


def list_folders(client, parent_uid="", page_size=PAGE_SIZE, max_pages=None):
    """The child folders of ``parent_uid``; ``max_pages`` stops early (for a cheap probe)."""
    found = []
    page = 1
    while True:
        query = {"limit": page_size, "page": page}
        if parent_uid:
            query["parentUid"] = parent_uid
        batch = client.request("GET", FOLDERS, query=query) or []
        found.extend(batch)
        if len(batch) < page_size or (max_pages is not None and page >= max_pages):
            return found
        page += 1


def find_folder(client, parent_uid, title):
    children = list_folders(client, parent_uid)
    match = [f for f in children if f.get("title") == title] or \
        [f for f in children if str(f.get("title", "")).lower() == title.lower()]
    return match[0] if match else None


def require_folder(client, uid, check_mode, what="folder_uid"):
    """None when the folder exists; in check mode, a warning when it does not exist yet.

    Check mode writes nothing, so a folder that an earlier task of the same play creates is not
    there yet: the object is reported as it would be written into that folder (``changed``),
    with a warning that a real run needs the folder. Outside check mode a missing folder fails.
    """
    if get_folder(client, uid) is not None:
        return None
    if not check_mode:
        raise ValidationError("%s %r does not exist" % (what, uid))
    return ("%s %r does not exist yet: check mode assumes an earlier task creates it (a real run fails "
            "if none does)" % (what, uid))
