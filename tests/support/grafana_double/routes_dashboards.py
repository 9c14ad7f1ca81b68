# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: dashboards, versions and search."""

from __future__ import annotations

import copy

from .common import ROLES, check_uid, gtime_seconds, legacy, new_uid, now, slugify, typed
from .routing import route


# --------------------------------------------------------------------------------------------
# dashboards
# --------------------------------------------------------------------------------------------

def dashboard_meta(ctx, rec):
    org = ctx.org
    can = ROLES[ctx.role] >= ROLES["Editor"]
    slug = slugify(rec["data"].get("title", ""))
    meta = {"type": "db", "canSave": can, "canEdit": can, "canAdmin": ROLES[ctx.role] >= ROLES["Admin"],
            "canStar": True, "canDelete": can, "slug": slug, "url": "/d/%s/%s" % (rec["uid"], slug),
            "expires": "0001-01-01T00:00:00Z", "created": rec["created"], "updated": rec["updated"],
            "updatedBy": rec["updated_by"], "createdBy": rec["created_by"], "version": rec["version"],
            "hasAcl": False, "isFolder": False, "folderId": 0, "folderTitle": "General",
            "provisioned": rec["provisioned"], "provisionedExternalId": "",
            "annotationsPermissions": {"dashboard": {"canAdd": can, "canEdit": can, "canDelete": can},
                                       "organization": {"canAdd": can, "canEdit": can, "canDelete": can}},
            "publicDashboardEnabled": False, "isStarred": False}
    if rec["folder_uid"]:
        folder = org.folders[rec["folder_uid"]]
        meta["folderId"] = folder["id"]
        meta["folderUid"] = folder["uid"]
        meta["folderTitle"] = folder["title"]
        meta["folderUrl"] = "/dashboards/f/%s/%s" % (folder["uid"], slugify(folder["title"]))
    return meta


@route("POST", r"/api/dashboards/db", role="Editor")
def save_dashboard(ctx):
    state, org = ctx.state, ctx.org
    body = ctx.json_body()
    dash = body.get("dashboard")
    if not isinstance(dash, dict):
        raise legacy(400, "bad request data")
    dash = copy.deepcopy(dash)
    if body.get("isFolder") or dash.get("isFolder"):
        raise legacy(400, "Use folders endpoint for saving folders.")
    title = dash.get("title")
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        raise typed(400, "empty-name", "Dashboard title cannot be empty")
    if len(title) > 5000:
        raise typed(400, "title-too-long", "Dashboard title cannot be longer than 5000 characters")
    dash["title"] = title
    dash_id = dash.get("id")
    if not isinstance(dash_id, int) or isinstance(dash_id, bool) or dash_id == 0:
        dash_id = None
    uid = dash.get("uid")
    uid = uid.strip() if isinstance(uid, str) else ""
    if uid:
        check_uid(uid, legacy(400, "uid too long, max 40 characters"), legacy(400, "uid contains illegal characters"))
    # folder: folderUid wins over the deprecated folderId
    folder_uid = body.get("folderUid")
    if folder_uid is None and body.get("folderId"):
        match = [f for f in org.folders.values() if f["id"] == body.get("folderId")]
        if not match:
            raise legacy(400, "folder not found")
        folder_uid = match[0]["uid"]
    folder_uid = str(folder_uid or "")
    if folder_uid and folder_uid not in org.folders:
        raise legacy(400, "folder not found")
    existing = None
    if dash_id is not None:
        existing = next((d for d in org.dashboards.values() if d["id"] == dash_id), None)
        if existing is None:
            raise typed(404, "not-found", "Dashboard not found")
        if uid and uid != existing["uid"] and uid in org.dashboards:
            raise legacy(400, "A dashboard with the same uid already exists")
    elif uid:
        existing = org.dashboards.get(uid)
    if uid in org.folders:
        raise legacy(400, "A folder with the same uid already exists")
    overwrite = bool(body.get("overwrite"))
    if existing is not None:
        if existing["provisioned"]:
            raise legacy(400, "Cannot save provisioned dashboard")
        if not overwrite:
            sent = dash.get("version")
            sent = sent if isinstance(sent, int) and not isinstance(sent, bool) else 0
            if sent != existing["version"]:
                raise typed(412, "version-mismatch", "The dashboard has been changed by someone else")
            if existing.get("plugin_id"):
                raise typed(412, "plugin-dashboard", "The dashboard belongs to plugin %s." % existing["plugin_id"])
    if state.legacy_name_exists:
        clash = next((d for d in org.dashboards.values() if d["folder_uid"] == folder_uid
                      and d["data"].get("title", "").lower() == title.lower()
                      and (existing is None or d["uid"] != existing["uid"]) and d["uid"] != uid), None)
        if clash is not None:
            if not overwrite:
                raise typed(412, "name-exists", "A dashboard with the same name in the folder already exists")
            del org.dashboards[clash["uid"]]  # grafana/grafana#89698: silently replaced
    # refresh shorter than min_refresh_interval is replaced ("" and "auto" are left alone)
    refresh = dash.get("refresh")
    if isinstance(refresh, str) and refresh not in ("", "auto"):
        try:
            if gtime_seconds(refresh) < gtime_seconds(state.min_refresh_interval):
                dash["refresh"] = state.min_refresh_interval
        except ValueError:
            pass
    login = ctx.identity["login"]
    if existing is None:
        dash_id = state.ident()
        uid = uid or new_uid()
        version = 1
        rec = {"id": dash_id, "uid": uid, "created": now(), "created_by": login, "provisioned": False}
    else:
        rec = existing
        dash_id = rec["id"]
        uid = uid or rec["uid"]
        version = rec["version"] + 1
        if uid != rec["uid"]:
            del org.dashboards[rec["uid"]]
            rec["uid"] = uid
    dash["id"] = dash_id
    dash["uid"] = uid
    dash["version"] = version
    rec.update({"data": dash, "version": version, "folder_uid": folder_uid, "updated": now(), "updated_by": login})
    org.dashboards[uid] = rec
    org.versions.setdefault(uid, []).append({"version": version, "message": str(body.get("message") or ""),
                                             "created": rec["updated"], "createdBy": login})
    slug = slugify(title)
    return {"status": "success", "slug": slug, "version": version, "id": dash_id, "uid": uid,
            "url": "/d/%s/%s" % (uid, slug), "folderUid": folder_uid}


@route("GET", r"/api/dashboards/uid/(?P<uid>[^/]+)")
def read_dashboard(ctx):
    rec = ctx.org.dashboards.get(ctx.params["uid"])
    if rec is None:
        raise legacy(404, "Dashboard not found")
    data = copy.deepcopy(rec["data"])
    data["version"] = rec["version"]
    return {"dashboard": data, "meta": dashboard_meta(ctx, rec)}


@route("DELETE", r"/api/dashboards/uid/(?P<uid>[^/]+)", role="Editor")
def delete_dashboard(ctx):
    uid = ctx.params["uid"]
    if uid in ctx.org.folders:
        raise legacy(400, "Use folders endpoint for deleting folders.")
    rec = ctx.org.dashboards.get(uid)
    if rec is None:
        raise typed(404, "not-found", "Dashboard not found")
    if rec["provisioned"]:
        raise legacy(400, "provisioned dashboard cannot be deleted")
    del ctx.org.dashboards[uid]
    title = rec["data"].get("title", "")
    return {"title": title, "message": "Dashboard %s deleted" % title, "uid": uid}


@route("GET", r"/api/dashboards/uid/(?P<uid>[^/]+)/versions")
def dashboard_versions(ctx):
    if ctx.params["uid"] not in ctx.org.dashboards:
        raise typed(404, "not-found", "Dashboard not found")
    rec = ctx.org.dashboards[ctx.params["uid"]]
    versions = list(reversed(ctx.org.versions.get(ctx.params["uid"], [])))
    out = []
    for i, ver in enumerate(versions):
        out.append({"id": i + 1, "dashboardId": rec["id"], "uid": rec["uid"], "parentVersion": max(0, ver["version"] - 1),
                    "restoredFrom": 0, "version": ver["version"], "created": ver["created"],
                    "createdBy": ver["createdBy"], "message": ver["message"]})
    limit = int(ctx.q("limit", 0) or 0)
    return out[:limit] if limit else out


@route("GET", r"/api/search")
def search(ctx):
    org = ctx.org
    query = (ctx.q("query", "") or "").lower()
    kind = ctx.q("type")
    tags = ctx.query.get("tag", [])
    uids = ctx.query.get("dashboardUIDs", [])
    folder_uids = ctx.query.get("folderUIDs", [])
    folder_ids = [int(v) for v in ctx.query.get("folderIds", []) if v.lstrip("-").isdigit()]
    hits = []
    if kind in (None, "dash-folder"):
        for rec in org.folders.values():
            if query and query not in rec["title"].lower():
                continue
            if uids and rec["uid"] not in uids:
                continue
            if tags:
                continue
            if folder_uids and (rec["parent_uid"] or "general") not in folder_uids:
                continue
            hit = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "title": rec["title"],
                   "uri": "db/%s" % slugify(rec["title"]), "url": "/dashboards/f/%s/%s" % (rec["uid"], slugify(rec["title"])),
                   "slug": "", "type": "dash-folder", "tags": [], "isStarred": False}
            hits.append(hit)
    if kind in (None, "dash-db"):
        for rec in org.dashboards.values():
            data = rec["data"]
            title = data.get("title", "")
            if query and query not in title.lower():
                continue
            if uids and rec["uid"] not in uids:
                continue
            dtags = data.get("tags") or []
            if any(t not in dtags for t in tags):
                continue
            fuid = rec["folder_uid"]
            if folder_uids and (fuid or "general") not in folder_uids and not (fuid == "" and "" in folder_uids):
                continue
            folder = org.folders.get(fuid) if fuid else None
            if folder_ids and (folder["id"] if folder else 0) not in folder_ids:
                continue
            hit = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "title": title,
                   "uri": "db/%s" % slugify(title), "url": "/d/%s/%s" % (rec["uid"], slugify(title)), "slug": "",
                   "type": "dash-db", "tags": list(dtags), "isStarred": False}
            if folder:
                hit.update({"folderId": folder["id"], "folderUid": folder["uid"], "folderTitle": folder["title"],
                            "folderUrl": "/dashboards/f/%s/%s" % (folder["uid"], slugify(folder["title"]))})
            hits.append(hit)
    hits.sort(key=lambda h: (h["type"] != "dash-folder", h["title"].lower()))
    try:
        limit = min(5000, int(ctx.q("limit", 1000)))
    except ValueError:
        raise legacy(422, "limit must be a number")
    page = max(1, int(ctx.q("page", 1)))
    return hits[(page - 1) * limit: page * limit]
