# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: data sources."""

from __future__ import annotations

import copy

from .common import check_uid, legacy, new_uid
from .routing import route


# --------------------------------------------------------------------------------------------
# data sources
# --------------------------------------------------------------------------------------------

DS_FIELDS = ("name", "type", "access", "url", "user", "database", "basicAuth", "basicAuthUser",
             "withCredentials", "isDefault", "jsonData")
DS_DEFAULTS = {"access": "", "url": "", "user": "", "database": "", "basicAuth": False, "basicAuthUser": "",
               "withCredentials": False, "isDefault": False, "jsonData": {}}


def ds_dto(org, rec, full=True):
    out = {"id": rec["id"], "uid": rec["uid"], "orgId": org.id, "name": rec["name"], "type": rec["type"],
           "typeLogoUrl": "public/app/plugins/datasource/%s/img/logo.svg" % rec["type"],
           "access": rec["access"], "url": rec["url"], "user": rec["user"], "database": rec["database"],
           "basicAuth": rec["basicAuth"], "isDefault": rec["isDefault"], "jsonData": copy.deepcopy(rec["jsonData"]),
           "readOnly": rec["readOnly"]}
    if full:
        out.update({"basicAuthUser": rec["basicAuthUser"], "withCredentials": rec["withCredentials"],
                    "secureJsonFields": dict((k, True) for k, v in rec["secure"].items() if v),
                    "version": rec["version"]})
    else:
        out["typeName"] = rec["type"].capitalize()
    return out


def _ds_apply(org, rec, body, creating):
    for key in DS_FIELDS:
        if key in body and body[key] is not None:
            rec[key] = copy.deepcopy(body[key])
        elif not creating:
            rec[key] = copy.deepcopy(DS_DEFAULTS.get(key, rec.get(key)))
    if not isinstance(rec.get("jsonData"), dict):
        rec["jsonData"] = {}
    secure = body.get("secureJsonData")
    if isinstance(secure, dict):
        for key, value in secure.items():
            rec["secure"][key] = "" if value is None else str(value)
    if rec.get("isDefault"):
        for other in org.datasources.values():
            if other["uid"] != rec["uid"]:
                other["isDefault"] = False


def get_ds(ctx, uid):
    rec = ctx.org.datasources.get(uid)
    if rec is None:
        raise legacy(404, "Data source not found")
    return rec


@route("GET", r"/api/datasources")
def list_datasources(ctx):
    return [ds_dto(ctx.org, r, full=False) for r in sorted(ctx.org.datasources.values(), key=lambda r: r["name"].lower())]


@route("GET", r"/api/datasources/uid/(?P<uid>[^/]+)")
def read_datasource(ctx):
    return ds_dto(ctx.org, get_ds(ctx, ctx.params["uid"]))


@route("GET", r"/api/datasources/uid/(?P<uid>[^/]+)/health")
def datasource_health(ctx):
    """Grafana runs the plugin's health check (200 OK, 400 ERROR with the plugin's reason). The double
    has no backends: every data source passes; tests make one fail with ``inject()``. (The Grafana
    test stand-in replaces this route with a TCP probe of the data source URL.)"""
    get_ds(ctx, ctx.params["uid"])
    return {"status": "OK", "message": "Data source is working"}


@route("GET", r"/api/datasources/name/(?P<name>[^/]+)")
def read_datasource_by_name(ctx):
    rec = next((r for r in ctx.org.datasources.values() if r["name"] == ctx.params["name"]), None)
    if rec is None:
        raise legacy(404, "Data source not found")
    return ds_dto(ctx.org, rec)


@route("POST", r"/api/datasources", role="Admin")
def create_datasource(ctx):
    org = ctx.org
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name or not body.get("type"):
        raise legacy(400, "Validation error, need to specify name and type")
    uid = str(body.get("uid") or "").strip()
    if uid:
        check_uid(uid, legacy(400, "Failed to add datasource: uid too long, max 40 characters"),
                  legacy(400, "Failed to add datasource: uid contains illegal characters"))
        if uid in org.datasources:
            raise legacy(409, "data source with the same uid already exists")
    else:
        uid = new_uid()
    if any(r["name"] == name for r in org.datasources.values()):
        raise legacy(409, "data source with the same name already exists")
    rec = dict(copy.deepcopy(DS_DEFAULTS), id=ctx.state.ident(), uid=uid, version=1, readOnly=False, secure={})
    _ds_apply(org, rec, dict(body, name=name), creating=True)
    if not org.datasources:
        rec["isDefault"] = True
    org.datasources[uid] = rec
    return {"datasource": ds_dto(org, rec), "id": rec["id"], "message": "Datasource added", "name": rec["name"]}


@route("PUT", r"/api/datasources/uid/(?P<uid>[^/]+)", role="Admin")
def update_datasource(ctx):
    org = ctx.org
    rec = get_ds(ctx, ctx.params["uid"])
    body = ctx.json_body()
    if rec["readOnly"]:
        raise legacy(403, "Cannot update read-only data source")
    name = str(body.get("name") or "").strip()
    if not name or not body.get("type"):
        raise legacy(400, "Validation error, need to specify name and type")
    version = body.get("version")
    if isinstance(version, int) and version and version < rec["version"]:
        raise legacy(409, "Datasource has already been updated by someone else. Please reload and try again")
    if any(r["name"] == name and r["uid"] != rec["uid"] for r in org.datasources.values()):
        raise legacy(409, "data source with the same name already exists")
    _ds_apply(org, rec, dict(body, name=name), creating=False)
    rec["version"] += 1
    return {"datasource": ds_dto(org, rec), "id": rec["id"], "message": "Datasource updated", "name": rec["name"]}


@route("DELETE", r"/api/datasources/uid/(?P<uid>[^/]+)", role="Admin")
def delete_datasource(ctx):
    rec = get_ds(ctx, ctx.params["uid"])
    if rec["readOnly"]:
        raise legacy(403, "Cannot delete read-only data source")
    del ctx.org.datasources[rec["uid"]]
    return {"message": "Data source deleted"}
