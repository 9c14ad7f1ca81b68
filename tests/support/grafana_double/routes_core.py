# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes: health, settings, users and organisations."""

from __future__ import annotations

import json

from .common import COMMIT, legacy
from .routing import RawBody, route


# --------------------------------------------------------------------------------------------
# health, settings, users, orgs
# --------------------------------------------------------------------------------------------

@route("GET", r"/api/health", role=None)
def health(ctx):
    state = ctx.state
    data = {"database": "failing" if state.db_failing else "ok"}
    if not state.hide_version:
        data["version"] = state.version
        data["commit"] = COMMIT
    text = json.dumps(data, indent=2, sort_keys=True).encode("utf-8")
    return (503 if state.db_failing else 200), RawBody(text, "application/json; charset=UTF-8"), {}


@route("GET", r"/healthz", role=None)
def healthz(ctx):
    return 200, RawBody(b"Ok", "text/plain; charset=utf-8"), {}


@route("GET", r"/api/frontend/settings")
def frontend_settings(ctx):
    return {"buildInfo": {"version": ctx.state.version, "commit": COMMIT, "edition": "Open Source"},
            "appSubUrl": "", "defaultDatasource": ""}


@route("GET", r"/api/user/orgs")
def user_orgs(ctx):
    user = (ctx.identity or {}).get("user")
    if user is None:
        raise legacy(403, "Access denied: not a user")
    return [{"orgId": oid, "name": ctx.state.orgs[oid].name, "role": role} for oid, role in sorted(user["orgs"].items())]


@route("POST", r"/api/user/using/(?P<org_id>[^/]+)")
def user_using(ctx):
    user = (ctx.identity or {}).get("user")
    if user is None:
        raise legacy(403, "Access denied: not a user")
    try:
        org_id = int(ctx.params["org_id"])
    except ValueError:
        raise legacy(400, "id is invalid")
    if org_id not in user["orgs"]:
        raise legacy(401, "Not a valid organization")
    user["current_org"] = org_id
    return {"message": "Active organization changed"}


@route("GET", r"/api/org")
def current_org(ctx):
    return {"id": ctx.org.id, "name": ctx.org.name,
            "address": {"address1": "", "address2": "", "city": "", "zipCode": "", "state": "", "country": ""}}


@route("POST", r"/api/orgs")
def create_org(ctx):
    body = ctx.json_body()
    name = str(body.get("name") or "").strip()
    if not name:
        raise legacy(400, "bad request data")
    if any(o.name == name for o in ctx.state.orgs.values()):
        raise legacy(409, "Organization name taken")
    org_id = ctx.state.add_org(name)
    user = (ctx.identity or {}).get("user")
    if user is not None:
        user["orgs"][org_id] = "Admin"
    return {"message": "Organization created", "orgId": org_id}
