# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions shared by the collection's API clients and modules.

Every failure a module can report is a ``VigilError``; modules turn it into
``fail_json(msg=str(error), **error.details())``, so the message always names the cause.
"""

from __future__ import annotations

# What an HTTP status means for the person running the playbook.
_STATUS_HINTS = {
    400: "bad request",
    401: "authentication failed: wrong or missing credentials (token or username/password)",
    403: "permission denied: the credentials lack the permission for this action",
    404: "not found",
    409: "conflict",
    412: "precondition failed (version mismatch)",
    413: "request too large",
    422: "unprocessable entity",
    429: "rate limited",
    500: "Grafana internal server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}


# A refused provenance change is not a missing permission: the same credentials may do anything
# else. Grafana answers it with 403 alerting.notifications.invalidProvenance (older contact
# points: 500 "cannot change provenance from 'api' to ''").
PROVENANCE_ID = "alerting.notifications.invalidProvenance"
PROVENANCE_HINT = ("provenance conflict, not a permission problem: the object was written without X-Disable-Provenance "
                   "(provenance 'api', shown as Provisioned and read-only in the UI) and Grafana refuses to make it "
                   "editable again; keep disable_provenance false for it, or delete it and create it again with "
                   "disable_provenance true")
PROVENANCE_FILE_HINT = ("provenance conflict, not a permission problem: the object is provisioned from a file "
                        "(provenance 'file') and Grafana refuses every change through the API; change it in that "
                        "provisioning file instead")


class VigilError(Exception):
    """Base class: a failure with a clean, human readable message."""

    def details(self):
        """Extra keys for ``fail_json``."""
        return {}


class ValidationError(VigilError):
    """Input that the module refuses before talking to the server."""


class ConnectionFailure(VigilError):
    """The server could not be reached at all (DNS, refused, TLS, timeout)."""

    def __init__(self, url, reason):
        self.url = url
        self.reason = reason
        super(ConnectionFailure, self).__init__("cannot reach %s: %s" % (url, reason))

    def details(self):
        return {"url": self.url}


class ApiError(VigilError):
    """An HTTP error answer: status, the server's own message and the request it answered."""

    def __init__(self, status, method, url, body=None, context=None):
        self.status = status
        self.method = method
        self.url = url
        self.body = body
        self.context = context
        super(ApiError, self).__init__(self._message())

    @property
    def server_message(self):
        """The message Grafana put in the body, in any of its error body shapes."""
        body = self.body
        if isinstance(body, dict):
            for key in ("message", "error", "msg"):
                if body.get(key):
                    return str(body[key])
            if isinstance(body.get("body"), dict) and body["body"].get("message"):
                return str(body["body"]["message"])
            return ""
        if body is None:
            return ""
        return str(body).strip()[:500]

    @property
    def message_id(self):
        if isinstance(self.body, dict):
            return self.body.get("messageId") or self.body.get("status") or ""
        return ""

    @property
    def provenance_conflict(self):
        """True when Grafana refused to change an object's provenance (not a permission problem)."""
        if self.message_id == PROVENANCE_ID:
            return True
        text = self.server_message.lower()
        return self.status in (400, 403, 409, 500) and "provenance" in text and ("cannot" in text or "invalid" in text)

    def _hint(self):
        if self.provenance_conflict:
            return PROVENANCE_FILE_HINT if "'file'" in self.server_message else PROVENANCE_HINT
        return _STATUS_HINTS.get(self.status, "HTTP error")

    # Who answered, in the message: a subclass for another API names its server.
    SPEAKER = "Grafana"

    def _said(self):
        """What of the server's own message goes into the one-line error."""
        return self.server_message

    def _message(self):
        hint = self._hint()
        parts = ["%s %s failed with HTTP %s (%s)" % (self.method, self.url, self.status, hint)]
        said = self._said()
        if said:
            parts.append("%s says: %s" % (self.SPEAKER, said))
        if self.context:
            parts.append(self.context)
        return "; ".join(parts)

    def with_context(self, context):
        """The same error (of the same class) with an explanation of what the module was doing."""
        return type(self)(self.status, self.method, self.url, self.body, context=context)

    def details(self):
        out = {"status": self.status, "url": self.url, "method": self.method}
        if isinstance(self.body, dict):
            out["response"] = self.body
        elif self.body:
            out["response"] = {"text": str(self.body)[:2000]}
        return out
