# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ApiError: a refused provenance change has its own message, not the permission hint."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError

URL = "https://grafana.example.com/api/v1/provisioning/contact-points/x"


@pytest.mark.parametrize("status,body,expected", [
    (403, {"messageId": "alerting.notifications.invalidProvenance", "statusCode": 403,
           "message": "Resource with provenance status 'api' cannot be changed to 'none'"},
     "provenance conflict, not a permission problem: the object was written without X-Disable-Provenance"),
    (500, {"message": "cannot change provenance from 'api' to ''"},
     "provenance conflict, not a permission problem: the object was written without X-Disable-Provenance"),
    (403, {"messageId": "alerting.notifications.invalidProvenance",
           "message": "Resource with provenance status 'file' cannot be managed via API"},
     "provenance conflict, not a permission problem: the object is provisioned from a file"),
])
def test_provenance_refusal_has_its_own_hint(status, body, expected):
    err = ApiError(status, "PUT", URL, body).with_context("contact point 'x' could not be updated")
    text = str(err)
    assert err.provenance_conflict and expected in text
    assert "lack the permission" not in text and "permission denied" not in text and "\n" not in text
    assert text.startswith("PUT %s failed with HTTP %d (provenance conflict" % (URL, status))
    assert body["message"] in text and text.endswith("contact point 'x' could not be updated")


@pytest.mark.parametrize("status,body", [
    (403, {"message": "You'll need additional permissions to perform this action. Permissions needed: alert.provisioning:write"}),
    (403, None),
    (500, {"message": "database is locked"}),
])
def test_other_errors_keep_their_hint(status, body):
    err = ApiError(status, "PUT", URL, body)
    assert not err.provenance_conflict and "provenance conflict" not in str(err)
    if status == 403:
        assert "permission denied: the credentials lack the permission" in str(err)
