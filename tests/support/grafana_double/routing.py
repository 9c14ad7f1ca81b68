# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route table and the request context the handlers see."""

from __future__ import annotations

import re

from .common import HttpError, ROLES, fingerprint, legacy


# --------------------------------------------------------------------------------------------
# the HTTP handler
# --------------------------------------------------------------------------------------------

ROUTES = []


def route(method, pattern, role="Viewer"):
    """Register a handler; role None = no authentication (health)."""
    def decorate(func):
        ROUTES.append((method, re.compile("^" + pattern + "$"), role, func))
        return func
    return decorate


class Ctx(object):
    """One request as the handlers see it."""

    def __init__(self, state, method, path, query, headers, body, org, role, identity):
        self.state = state
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.org = org
        self.role = role
        self.identity = identity
        self.params = {}

    def q(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def provenance(self):
        """Any X-Disable-Provenance header (any value) means none, otherwise api."""
        return "" if self.header("X-Disable-Provenance") is not None else "api"

    def require(self, role):
        if ROLES[self.role] < ROLES[role]:
            raise HttpError(403, {"accessErrorId": "ACE%s" % fingerprint(self.path)[:10], "title": "Access denied",
                                  "message": "You'll need additional permissions to perform this action. "
                                             "Permissions needed: role %s" % role})

    def json_body(self):
        if not isinstance(self.body, dict):
            raise legacy(400, "bad request data")
        return self.body


class RawBody(object):
    def __init__(self, data, content_type):
        self.data = data
        self.content_type = content_type
