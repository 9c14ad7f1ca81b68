# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: service accounts, their tokens, and provisioning reloads."""

from __future__ import annotations

import datetime
import hashlib
import random
import string

from .common import ROLES, errutil, legacy
from .routing import route


# --------------------------------------------------------------------------------------------
# service accounts (what the grafana role needs) and provisioning reloads
# --------------------------------------------------------------------------------------------

def sa_dto(rec):
    return {"id": rec["id"], "uid": rec["uid"], "name": rec["name"], "login": rec["login"], "orgId": rec["orgId"],
            "isDisabled": rec["isDisabled"], "role": rec["role"], "tokens": len(rec["tokens"]),
            "avatarUrl": "/avatar/%s" % hashlib.md5(rec["login"].encode("utf-8")).hexdigest(),  # nosec - not security
            "isExternal": False}


def get_sa(ctx):
    try:
        rec = ctx.org.service_accounts.get(int(ctx.params["id"]))
    except ValueError:
        rec = None
    if rec is None:
        raise errutil(404, "serviceaccounts.ErrNotFound", "service account not found")
    return rec


@route("POST", r"/api/serviceaccounts", role="Admin")
def create_sa(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise errutil(400, "serviceaccounts.ErrNameEmpty", "service account name is required")
    role = body.get("role") or "Viewer"
    if role not in ROLES:
        raise errutil(400, "serviceaccounts.ErrInvalidRole", "invalid role %r" % role)
    if any(s["name"] == name for s in ctx.org.service_accounts.values()):
        raise errutil(400, "serviceaccounts.ErrAlreadyExists", "service account already exists")
    rec = ctx.state.add_service_account(ctx.org.id, name, role, body.get("isDisabled"))
    return 201, sa_dto(rec)


@route("GET", r"/api/serviceaccounts/search", role="Admin")
def search_sa(ctx):
    query = (ctx.q("query", "") or "").lower()
    hits = [sa_dto(s) for s in sorted(ctx.org.service_accounts.values(), key=lambda s: s["name"].lower())
            if query in s["name"].lower() or query in s["login"].lower()]
    try:
        perpage = int(ctx.q("perpage", 1000) or 1000)
        page = max(1, int(ctx.q("page", 1) or 1))
    except ValueError:
        raise legacy(400, "invalid paging parameters")
    return {"totalCount": len(hits), "serviceAccounts": hits[(page - 1) * perpage: page * perpage], "page": page,
            "perPage": perpage}


@route("GET", r"/api/serviceaccounts/(?P<id>\d+)", role="Admin")
def read_sa(ctx):
    return sa_dto(get_sa(ctx))


@route("DELETE", r"/api/serviceaccounts/(?P<id>\d+)", role="Admin")
def delete_sa(ctx):
    rec = get_sa(ctx)
    for token in rec["tokens"]:
        ctx.state.tokens.pop(token["key"], None)
    del ctx.org.service_accounts[rec["id"]]
    return {"message": "Service account deleted"}


@route("POST", r"/api/serviceaccounts/(?P<id>\d+)/tokens", role="Admin")
def create_sa_token(ctx):
    rec = get_sa(ctx)
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise legacy(400, "token name is required")
    if any(t["name"] == name for t in rec["tokens"]):
        raise legacy(409, "service account token with given name already exists in the organization")
    ttl = body.get("secondsToLive") or 0
    if not isinstance(ttl, int) or ttl < 0:
        raise legacy(400, "secondsToLive must be a positive integer")
    key = "glsa_%s_%s" % ("".join(random.SystemRandom().choices(string.ascii_letters + string.digits, k=32)),
                          hashlib.sha256(name.encode("utf-8")).hexdigest()[:8])
    token = ctx.state._attach_token(rec, name, key, ttl)  # pylint: disable=protected-access
    return {"id": token["id"], "name": name, "key": key}


@route("GET", r"/api/serviceaccounts/(?P<id>\d+)/tokens", role="Admin")
def list_sa_tokens(ctx):
    rec = get_sa(ctx)
    out = []
    for token in rec["tokens"]:
        item = {"id": token["id"], "name": token["name"], "created": token["created"], "hasExpired": False,
                "isRevoked": token["isRevoked"], "secondsUntilExpiration": float(token["secondsToLive"] or 0)}
        if token["secondsToLive"]:
            expires = datetime.datetime.strptime(token["created"], "%Y-%m-%dT%H:%M:%SZ") + \
                datetime.timedelta(seconds=token["secondsToLive"])
            item["expiration"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(item)
    return out


@route("DELETE", r"/api/serviceaccounts/(?P<id>\d+)/tokens/(?P<token_id>\d+)", role="Admin")
def delete_sa_token(ctx):
    rec = get_sa(ctx)
    token = next((t for t in rec["tokens"] if t["id"] == int(ctx.params["token_id"])), None)
    if token is None:
        raise errutil(404, "serviceaccounts.ErrTokenNotFound", "service account token not found")
    rec["tokens"].remove(token)
    ctx.state.tokens.pop(token["key"], None)
    return {"message": "Service account token deleted"}


@route("POST", r"/api/admin/provisioning/(?P<kind>dashboards|datasources|alerting)/reload", role="Viewer")
def provisioning_reload(ctx):
    if not (ctx.identity or {}).get("server_admin"):
        raise legacy(403, "Permission denied: requires Grafana server admin")
    names = {"dashboards": "Dashboards", "datasources": "Datasources", "alerting": "Alerting"}
    return {"message": "%s config reloaded" % names[ctx.params["kind"]]}
