# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ensure() against a stub client, every cell of {present, absent} x {exists, missing, differs} x {check, real}."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.module_utils import _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ValidationError, VigilError


class StubClient(object):
    """Holds one object at /thing; records calls; refuses writes when read_only (like GrafanaClient)."""

    def __init__(self, stored=None, read_only=False):
        self.stored = stored
        self.read_only = read_only
        self.calls = []

    def request(self, method, path, body=None, query=None, headers=None, missing_ok=False):
        self.calls.append((method, path, body, headers))
        if self.read_only and method != "GET":
            raise AssertionError("write in check mode")
        if method == "GET":
            return None if self.stored is None else dict(self.stored)
        if method in ("POST", "PUT"):
            self.stored = dict(body, version=(self.stored or {}).get("version", 0) + 1)
            return {"ok": True}
        if method == "DELETE":
            self.stored = None
            return {"message": "deleted"}
        raise AssertionError(method)

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != "GET"]


def thing():
    return _resource.Resource(
        "thing", read=("GET", "/thing"), create=("POST", "/things"), update=("PUT", "/thing"), delete=("DELETE", "/thing"),
        view=lambda raw: {"name": raw["name"], "size": raw["size"]}, headers={"X-Test": "1"})


DESIRED = {"name": "a", "size": 2}
STORED = {"exists": {"name": "a", "size": 2, "version": 4}, "missing": None, "differs": {"name": "a", "size": 1, "version": 4}}

# (state, stored, check) -> (changed, action, writes: [(method, path)])
CELLS = {
    ("present", "exists"): (False, None, []),
    ("present", "missing"): (True, "create", [("POST", "/things")]),
    ("present", "differs"): (True, "update", [("PUT", "/thing")]),
    ("absent", "exists"): (True, "delete", [("DELETE", "/thing")]),
    ("absent", "missing"): (False, None, []),
    ("absent", "differs"): (True, "delete", [("DELETE", "/thing")]),
}


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("stored", ["exists", "missing", "differs"])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_ensure_cell(state, stored, check):
    client = StubClient(STORED[stored], read_only=check)
    result = _resource.ensure(client, thing(), dict(DESIRED), state, check)
    changed, action, writes = CELLS[(state, stored)]
    assert result.changed is changed
    assert result.action == action
    assert [call[:2] for call in client.writes] == ([] if check else writes)
    # before/after are the values that decided `changed`
    before = None if STORED[stored] is None else {"name": "a", "size": STORED[stored]["size"]}
    assert result.before == before
    if state == "present":
        assert result.after == DESIRED
        assert (result.before != result.after) is changed
        assert result.object == DESIRED
    else:
        assert result.after is None
        assert result.object is None
    assert result.diff == {"before": before or {}, "after": result.after or {}}
    if not check and writes:
        assert all(call[3] == {"X-Test": "1"} for call in client.writes)
    if not check and state == "present":
        # a second run is a no-op
        again = _resource.ensure(client, thing(), dict(DESIRED), state, False)
        assert not again.changed


def test_desired_may_depend_on_the_current_object():
    client = StubClient({"name": "a", "size": 1})
    seen = []

    def desired(current):
        seen.append(current)
        return {"name": "a", "size": current["size"]}

    result = _resource.ensure(client, thing(), desired, "present", False)
    assert not result.changed
    assert seen == [{"name": "a", "size": 1}]


def test_from_response_replaces_the_reread():
    client = StubClient(None)
    resource = thing()
    resource.from_response = lambda response, desired, current: {"answer": response}
    result = _resource.ensure(client, resource, dict(DESIRED), "present", False)
    assert result.object == {"answer": {"ok": True}}
    assert [c[0] for c in client.calls] == ["GET", "POST"]


def test_write_errors_name_the_object():
    class Failing(StubClient):
        def request(self, method, path, body=None, query=None, headers=None, missing_ok=False):
            if method == "POST":
                raise ApiError(409, method, "http://g/things", {"message": "taken"})
            return super(Failing, self).request(method, path, body, query, headers, missing_ok)

    resource = thing()
    resource.label = "thing 'a'"
    with pytest.raises(ApiError) as err:
        _resource.ensure(Failing(None), resource, dict(DESIRED), "present", False)
    assert "HTTP 409 (conflict)" in str(err.value)
    assert "Grafana says: taken" in str(err.value)
    assert "thing 'a' could not be created" in str(err.value)
    assert err.value.details()["status"] == 409


def test_unknown_state_is_an_error():
    with pytest.raises(VigilError):
        _resource.ensure(StubClient(None), thing(), DESIRED, "latest", False)


@pytest.mark.parametrize("text,ms,canonical", [
    ("5m", 300000, "5m"), ("300s", 300000, "5m"), ("1h30m", 5400000, "1h30m"), ("90m", 5400000, "1h30m"),
    ("0s", 0, "0s"), ("0", 0, "0s"), (60, 60000, "1m"), ("1d", 86400000, "1d"), ("7d", 604800000, "1w"),
    ("14d1h", 1213200000, "14d1h"), ("500ms", 500, "500ms"), ("1m30s", 90000, "1m30s"), ("365d", 31536000000, "1y"),
])
def test_durations(text, ms, canonical):
    assert _resource.parse_duration(text) == ms
    assert _resource.format_duration(ms) == canonical
    assert _resource.canonical_duration(text) == canonical


@pytest.mark.parametrize("bad", ["5 minutes", "m5", "5x", "1h-3m", True, "h"])
def test_bad_durations_name_the_option(bad):
    with pytest.raises(ValidationError) as err:
        _resource.parse_duration(bad, "group_wait")
    assert "group_wait" in str(err.value)


def test_mask_only_touches_set_values():
    obj = {"url": "https://hook", "token": "", "nested": {"key": "k", "other": 1}}
    masked = _resource.mask(obj, [("url",), ("token",), ("nested", "key"), ("missing", "x")])
    assert masked == {"url": _resource.SECRET, "token": "", "nested": {"key": _resource.SECRET, "other": 1}}
    assert obj["url"] == "https://hook"  # a copy
