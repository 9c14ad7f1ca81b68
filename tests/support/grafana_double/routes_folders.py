# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: folders (nested, with Grafana's uid and title rules)."""

from __future__ import annotations

from .common import ROLES, check_uid, legacy, new_uid, now, slugify, typed
from .routing import route


# --------------------------------------------------------------------------------------------
# folders
# --------------------------------------------------------------------------------------------

def folder_chain(org, uid):
    """The folder's ancestors from the root down (excluding itself)."""
    chain = []
    parent = org.folders[uid]["parent_uid"]
    while parent:
        chain.insert(0, org.folders[parent])
        parent = org.folders[parent]["parent_uid"]
    return chain


def folder_dto(ctx, rec, with_parents=True):
    can = ROLES[ctx.role] >= ROLES["Editor"]
    out = {"id": rec["id"], "uid": rec["uid"], "orgId": ctx.org.id, "title": rec["title"],
           "url": "/dashboards/f/%s/%s" % (rec["uid"], slugify(rec["title"])), "hasAcl": False,
           "canSave": can, "canEdit": can, "canAdmin": ROLES[ctx.role] >= ROLES["Admin"], "canDelete": can,
           "createdBy": rec["created_by"], "created": rec["created"], "updatedBy": rec["updated_by"],
           "updated": rec["updated"], "version": rec["version"]}
    if rec.get("description"):
        out["description"] = rec["description"]
    if rec["parent_uid"]:
        out["parentUid"] = rec["parent_uid"]
        if with_parents:
            out["parents"] = [folder_dto(ctx, p, with_parents=False) for p in folder_chain(ctx.org, rec["uid"])]
    return out


def descendants(org, uid):
    out = [uid]
    for child in [f["uid"] for f in org.folders.values() if f["parent_uid"] == uid]:
        out.extend(descendants(org, child))
    return out


def get_folder(ctx, uid):
    rec = ctx.org.folders.get(uid)
    if rec is None:
        raise typed(404, "not-found", "folder not found")
    return rec


def paginate(items, ctx, default_limit=1000):
    try:
        limit = int(ctx.q("limit", default_limit))
        page = max(1, int(ctx.q("page", 1)))
    except ValueError:
        raise legacy(400, "invalid paging parameters")
    if limit <= 0:
        limit = default_limit
    return items[(page - 1) * limit: page * limit]


@route("GET", r"/api/folders")
def list_folders(ctx):
    parent = ctx.q("parentUid", "") or ""
    if parent and parent not in ctx.org.folders:
        raise typed(404, "not-found", "folder not found")
    hits = sorted((f for f in ctx.org.folders.values() if f["parent_uid"] == parent), key=lambda f: f["title"].lower())
    out = []
    for rec in paginate(hits, ctx):
        hit = {"id": rec["id"], "uid": rec["uid"], "title": rec["title"]}
        if rec["parent_uid"]:
            hit["parentUid"] = rec["parent_uid"]
        out.append(hit)
    return out


@route("GET", r"/api/folders/(?P<uid>[^/]+)")
def read_folder(ctx):
    return folder_dto(ctx, get_folder(ctx, ctx.params["uid"]))


def _folder_title_taken(org, title, parent, exclude=None):
    return any(f["title"].lower() == title.lower() and f["parent_uid"] == parent and f["uid"] != exclude
               for f in org.folders.values())


@route("POST", r"/api/folders", role="Editor")
def create_folder(ctx):
    body = ctx.json_body()
    title = str(body.get("title") or "").strip()
    if not title:
        raise legacy(400, "folder title cannot be empty")
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "uid too long, max 40 characters"), legacy(400, "uid contains illegal characters"))
    else:
        uid = new_uid()
    if title.lower() == "general":
        raise legacy(400, "A folder with that name already exists")
    if uid in ctx.org.folders or uid in ctx.org.dashboards:
        raise legacy(409, "a folder/dashboard with the same uid already exists")
    parent = str(body.get("parentUid") or "")
    if parent and parent not in ctx.org.folders:
        raise typed(404, "not-found", "parent folder not found")
    if parent and len(folder_chain(ctx.org, parent)) >= 3:
        raise legacy(400, "folder max depth exceeded")
    if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, title, parent):
        raise legacy(409, "a folder with the same name already exists in the current location")
    login = ctx.identity["login"]
    rec = {"id": ctx.state.ident(), "uid": uid, "title": title, "parent_uid": parent,
           "description": body.get("description") or "", "version": 1, "created": now(), "updated": now(),
           "created_by": login, "updated_by": login}
    ctx.org.folders[uid] = rec
    return folder_dto(ctx, rec)


@route("PUT", r"/api/folders/(?P<uid>[^/]+)", role="Editor")
def update_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    body = ctx.json_body()
    if not body.get("overwrite") and int(body.get("version") or 0) != rec["version"]:
        raise typed(412, "version-mismatch", "the folder has been changed by someone else")
    if "title" in body:
        title = str(body.get("title") or "").strip()
        if not title:
            raise legacy(400, "folder title cannot be empty")
        if title.lower() == "general":
            raise legacy(400, "A folder with that name already exists")
        if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, title, rec["parent_uid"], rec["uid"]):
            raise legacy(409, "a folder with the same name already exists in the current location")
        rec["title"] = title
    if "description" in body:
        rec["description"] = body.get("description") or ""
    rec["version"] += 1
    rec["updated"] = now()
    rec["updated_by"] = ctx.identity["login"]
    return folder_dto(ctx, rec)


@route("POST", r"/api/folders/(?P<uid>[^/]+)/move", role="Editor")
def move_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    body = ctx.json_body()
    parent = str(body.get("parentUid") or "")
    if parent:
        if parent not in ctx.org.folders:
            raise typed(404, "not-found", "folder not found")
        if parent in descendants(ctx.org, rec["uid"]):
            raise legacy(400, "circular reference detected")
        if ctx.state.legacy_name_exists and _folder_title_taken(ctx.org, rec["title"], parent, rec["uid"]):
            raise legacy(409, "a folder with the same name already exists in the current location")
    rec["parent_uid"] = parent
    rec["version"] += 1
    rec["updated"] = now()
    return folder_dto(ctx, rec)


@route("DELETE", r"/api/folders/(?P<uid>[^/]+)", role="Editor")
def delete_folder(ctx):
    rec = get_folder(ctx, ctx.params["uid"])
    tree = descendants(ctx.org, rec["uid"])
    rules = [u for u, r in ctx.org.rules.items() if r["folderUID"] in tree]
    if rules and ctx.q("forceDeleteRules", "false").lower() != "true":
        raise legacy(400, "folder cannot be deleted: folder contains alert rules")
    for uid in rules:
        del ctx.org.rules[uid]
    for uid in [u for u, d in ctx.org.dashboards.items() if d["folder_uid"] in tree]:
        del ctx.org.dashboards[uid]
    for uid in tree:
        del ctx.org.folders[uid]
    return {"message": "Folder deleted", "id": rec["id"], "title": rec["title"]}
