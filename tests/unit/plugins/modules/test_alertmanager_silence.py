# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alertmanager_silence against a stateful double of the Alertmanager API v2 (silences).

The double (``FakeAlertmanager``) reuses the Grafana double's HTTP server and request log and
stores silences the way Alertmanager 0.28 does, as observed on the real binary: a POST with an id
updates the silence in place only when its matchers are equal in the same order and, for an
active silence, its start is unchanged (to the second); otherwise the silence gets a new id and the old one is
expired. Expired silences stay listed (``status.state`` expired, ``endsAt`` the moment of
expiry); an unknown id answers 404 (a non-uuid one 422); basic auth answers 401 ``Unauthorized``.
With ``grafana=True`` it answers as Grafana's built-in Alertmanager does (POST 202, DELETE with a
message, JSON error bodies, token auth) under ``/api/alertmanager/grafana``.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import os
import re
import socket
import uuid

import pytest
from grafana_double import FakeGrafana
from grafana_double.routing import RawBody
from module_runner import run_ansible_module

MODULE = "ansible_collections.vigil.observability.plugins.modules.alertmanager_silence"
USER, PASSWORD = "ansible", "am-Secret-pw-0123"
TOKEN = "glsa_am_token_0123456789abcdef"
GRAFANA_PREFIX = "/api/alertmanager/grafana"
UTC = datetime.timezone.utc

# What the real Alertmanager refuses as RE2 syntax, while Python's re accepts it.
_PERL_ONLY = re.compile(r"\(\?<?[=!]|\\[1-9]")


def _now():
    now = datetime.datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _fmt(value):
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)


def _parse(text):
    value = datetime.datetime.fromisoformat(str(text).replace("z", "Z"))
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)  # the API answers milliseconds


class FakeAlertmanager(FakeGrafana):
    """The silences of Alertmanager's API v2 (or of Grafana's built-in Alertmanager) on loopback."""

    def __init__(self, prefix="", users=None, tokens=(), grafana=False):
        super(FakeAlertmanager, self).__init__()
        self.prefix = prefix.rstrip("/")
        self.users = dict(users or {})
        self.tokens = set(tokens)
        self.grafana = grafana
        self.silences = {}  # id -> {id, matchers (API form, as sent), startsAt, endsAt, updatedAt, createdBy, comment}

    # -- test helpers --------------------------------------------------------------------------

    def add(self, matchers, comment, created_by="vigil.observability", starts_in=0, ends_in=3600):
        """Store a silence directly (someone else's, or a duplicate); its id."""
        now = _now()
        sid = str(uuid.uuid4())
        self.silences[sid] = {"id": sid, "matchers": [dict({"isRegex": False, "isEqual": True}, **m) for m in matchers],
                              "startsAt": now + datetime.timedelta(seconds=starts_in),
                              "endsAt": now + datetime.timedelta(seconds=ends_in), "updatedAt": now,
                              "createdBy": created_by, "comment": comment}
        return sid

    def status(self, sid, now=None):
        sil = self.silences[sid]
        now = now or _now()
        if now < sil["startsAt"]:
            return "pending"
        if now >= sil["endsAt"]:
            return "expired"
        return "active"

    def gettable(self, sid):
        sil = self.silences[sid]
        out = {"id": sid, "status": {"state": self.status(sid)}, "updatedAt": _fmt(sil["updatedAt"]),
               "comment": sil["comment"], "createdBy": sil["createdBy"], "endsAt": _fmt(sil["endsAt"]),
               "matchers": copy.deepcopy(sil["matchers"]), "startsAt": _fmt(sil["startsAt"])}
        if self.grafana:
            out["accessControl"] = {}
        return out

    def live(self):
        return sorted(sid for sid in self.silences if self.status(sid) != "expired")

    def snapshot(self):
        return copy.deepcopy(self.silences)

    def paths(self, since=0):
        return ["%s %s" % (r["method"], r["route"]) for r in self.requests if r["seq"] > since]

    # -- dispatch ------------------------------------------------------------------------------

    def _error(self, status, message):
        if self.grafana:
            return status, {"message": message}, {}
        if status in (400, 404) and message:
            return status, message, {}  # Alertmanager's handlers answer a JSON string
        return status, None, {}

    def _unauthorized(self, headers):
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _sep, cred = auth.partition(" ")
        if scheme.lower() == "basic" and self.users:
            try:
                login, _sep, password = base64.b64decode(cred.strip()).decode("utf-8").partition(":")
            except ValueError:
                login, password = None, None
            if self.users.get(login) == password:
                return None
        if scheme.lower() == "bearer" and cred.strip() in self.tokens:
            return None
        if not self.users and not self.tokens:
            return None
        if self.grafana:
            return 401, {"message": "Invalid username or password" if scheme.lower() == "basic" else "Invalid API key"}, {}
        return 401, RawBody(b"Unauthorized\n", "text/plain; charset=utf-8"), {"WWW-Authenticate": "Basic"}

    def dispatch(self, method, raw_path, path, query, headers, body, raw):
        api = self.prefix + "/api/v2"
        if not path.startswith(api + "/"):
            if self.grafana:
                return 404, {"message": "Not found"}, {}
            return 404, RawBody(b"404 page not found\n", "text/plain; charset=utf-8"), {}
        denied = self._unauthorized(headers)
        if denied:
            return denied
        route = path[len(api):]
        if route == "/silences":
            if method == "GET":
                return 200, self._list(), {}
            if method == "POST":
                return self._post(body)
            return 405, None, {}
        match = re.match(r"^/silence/([^/]+)$", route)
        if match:
            sid = match.group(1)
            if not self.grafana and not re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", sid):
                return 422, {"code": 601, "message": "silenceID in path must be of type uuid: %s" % json.dumps(sid)}, {}
            if sid not in self.silences:
                return self._error(404, "silence not found" if self.grafana else None)
            if method == "GET":
                return 200, self.gettable(sid), {}
            if method == "DELETE":
                self._expire(sid)
                return (200, {"message": "silence deleted"}, {}) if self.grafana else (200, None, {})
            return 405, None, {}
        if self.grafana:
            return 404, {"message": "Not found"}, {}
        return 404, {"code": 404, "message": "path %s was not found" % path}, {}

    def _list(self):
        now = _now()
        order = {"active": 0, "pending": 1, "expired": 2}

        def key(sid):
            sil, state = self.silences[sid], self.status(sid, now)
            stamp = {"active": sil["endsAt"], "pending": sil["startsAt"]}.get(state)
            return order[state], stamp.timestamp() if stamp else -sil["endsAt"].timestamp()

        return [self.gettable(sid) for sid in sorted(self.silences, key=key)]

    def _expire(self, sid):
        now = _now()
        sil = self.silences[sid]
        state = self.status(sid, now)
        if state == "expired":
            return
        if state == "pending":
            sil["startsAt"] = now
        sil["endsAt"] = now
        sil["updatedAt"] = now

    def _post(self, body):
        if not isinstance(body, dict):
            return 400, {"code": 400, "message": "parsing silence body failed"}, {}
        for field in ("comment", "createdBy", "endsAt", "matchers", "startsAt"):
            if field not in body:
                return 422, {"code": 602, "message": "%s in body is required" % field}, {}
        if not body["matchers"]:
            return 422, {"code": 612, "message": "matchers in body should have at least 1 items"}, {}
        for index, m in enumerate(body["matchers"]):
            for field in ("name", "value", "isRegex"):
                if field not in m:
                    return 422, {"code": 602, "message": "matchers.%d.%s in body is required" % (index, field)}, {}
        starts, ends, now = _parse(body["startsAt"]), _parse(body["endsAt"]), _now()
        if starts >= ends:
            return self._error(400, "Failed to create silence: start time must be before end time")
        if ends < now:
            return self._error(400, "Failed to create silence: end time can't be in the past")
        matchers = [{"name": m["name"], "value": m["value"], "isRegex": bool(m["isRegex"]),
                     "isEqual": m.get("isEqual", True) is not False} for m in body["matchers"]]
        empty = 0
        for index, m in enumerate(matchers):
            if not m["name"]:
                return self._error(400, "invalid silence: invalid label matcher %d: invalid label name \"\"" % index)
            if m["isRegex"]:
                try:
                    if _PERL_ONLY.search(m["value"]):
                        raise re.error("invalid or unsupported Perl syntax")
                    matches_empty = re.fullmatch("(?:%s)" % m["value"], "") is not None
                except re.error as err:
                    return self._error(400, "invalid silence: invalid label matcher %d: invalid regular expression %s: "
                                            "error parsing regexp: %s" % (index, json.dumps(m["value"]), err))
            else:
                matches_empty = m["value"] == ""
            empty += matches_empty == m["isEqual"]
        if empty == len(matchers):
            return self._error(400, "invalid silence: at least one matcher must not match the empty string")
        new = {"matchers": matchers, "startsAt": starts, "endsAt": ends, "updatedAt": now,
               "createdBy": body["createdBy"], "comment": body["comment"]}
        sid = body.get("id") or ""
        if sid and sid not in self.silences:
            return self._error(404, "silence not found")
        if sid and self._can_update(sid, new, now):
            self.silences[sid].update(new)
        else:
            if sid:
                self._expire(sid)
            sid = str(uuid.uuid4())
            new["startsAt"] = max(starts, now)
            self.silences[sid] = dict(new, id=sid)
        return (202 if self.grafana else 200), {"silenceID": sid}, {}

    def _can_update(self, sid, new, now):
        """Alertmanager's canUpdate: equal matchers (order included); when active, the same start to the
        second (``StartsAt.Unix()``) and an end not in the past; when pending, a start not in the past."""
        old = self.silences[sid]
        if old["matchers"] != new["matchers"]:
            return False
        state = self.status(sid, now)
        if state == "active":
            return int(new["startsAt"].timestamp()) == int(old["startsAt"].timestamp()) and new["endsAt"] >= now
        if state == "pending":
            return new["startsAt"] >= now
        return False


# -- fixtures and helpers ------------------------------------------------------------------------

@pytest.fixture
def am_factory(monkeypatch, _empty_ca_bundle):
    """Makes doubles; every one is stopped at the end of the test."""
    monkeypatch.setenv("SSL_CERT_FILE", _empty_ca_bundle)  # see tests/unit/conftest.py: plain HTTP, fast
    fakes = []

    def make(**kwargs):
        kwargs.setdefault("users", {USER: PASSWORD})
        fakes.append(FakeAlertmanager(**kwargs).start())
        return fakes[-1]

    yield make
    for fake in fakes:
        fake.stop()


@pytest.fixture
def am(am_factory):
    return am_factory()


def run(fake, args, check=False, diff=True, auth=True, url=None):
    full = {"url": url if url is not None else fake.url + fake.prefix}
    if auth:
        full.update(username=USER, password=PASSWORD)
    full.update(args)
    return run_ansible_module(MODULE, full, check_mode=check, diff=diff)


def writes(fake, since=0):
    return fake.writes(since)


def failed(result, *fragments):
    assert result.get("failed"), result
    for fragment in fragments:
        assert fragment in result["msg"], (fragment, result["msg"])
    assert "\n" not in result["msg"] and "Traceback" not in result["msg"] and "exception" not in result
    assert PASSWORD not in json.dumps(result) and TOKEN not in json.dumps(result)
    return result


def close_to(text, seconds, slack=15):
    delta = (_parse(text) - _now()).total_seconds()
    return seconds - slack <= delta <= seconds + 1


WEB = [{"name": "instance", "value": "web-01:9100"}, {"name": "job", "value": "node|blackbox", "is_regex": True}]
DEPLOY = {"matchers": WEB, "comment": "deploy of web-01", "duration": "30m"}
API_WEB = [{"name": "instance", "value": "web-01:9100", "isRegex": False, "isEqual": True},
           {"name": "job", "value": "node|blackbox", "isRegex": True, "isEqual": True}]


# -- present -----------------------------------------------------------------------------------

def test_create(am):
    result = run(am, DEPLOY)
    assert result["changed"] and result["action"] == "create", result
    assert list(am.silences) == [result["silence_id"]]
    stored = am.silences[result["silence_id"]]
    assert stored["matchers"] == API_WEB
    assert (stored["createdBy"], stored["comment"]) == ("vigil.observability", "deploy of web-01")
    assert close_to(_fmt(stored["endsAt"]), 1800) and result["ends_at"] == _fmt(stored["endsAt"])
    assert result["silence"] == am.gettable(result["silence_id"]) and result["silence"]["status"]["state"] == "active"
    assert result["expired_ids"] == []
    assert am.paths() == ["GET /api/v2/silences", "POST /api/v2/silences", "GET /api/v2/silence/%s" % result["silence_id"]]
    post = writes(am)[0]["body"]
    assert "id" not in post and post["matchers"] == API_WEB and post["createdBy"] == "vigil.observability"
    assert all(h.get("Authorization", "").startswith("Basic ") for h in (r["headers"] for r in am.requests))


def test_rerun_sends_no_write(am):
    first = run(am, DEPLOY)
    mark = am.seq
    second = run(am, DEPLOY)
    assert not second["changed"] and second["action"] is None, second
    assert second["silence_id"] == first["silence_id"] and second["silence"] == first["silence"]
    # the matchers in another order, and a slightly later end (within the 60 s tolerance), are the same silence
    assert not run(am, dict(DEPLOY, matchers=list(reversed(WEB)), duration="30m30s"))["changed"]
    # a shorter silence is never asked for by present
    assert not run(am, dict(DEPLOY, duration="5m"))["changed"]
    assert writes(am, mark) == [] and am.paths(mark) == ["GET /api/v2/silences"] * 3
    assert second["diff"]["before"] == second["diff"]["after"]


def test_extend_when_the_requested_end_is_later(am):
    sid = am.add(API_WEB, "deploy of web-01", starts_in=-120, ends_in=1800)  # started two minutes ago
    first = run(am, DEPLOY)
    assert not first["changed"] and first["silence_id"] == sid
    starts = am.silences[sid]["startsAt"]
    mark = am.seq
    # given in another order: sent in the stored order with the stored start, so Alertmanager keeps the id
    longer = run(am, dict(DEPLOY, matchers=list(reversed(WEB)), duration="2h"))
    assert longer["changed"] and longer["action"] == "update" and longer["silence_id"] == sid, longer
    assert list(am.silences) == [sid] and am.status(sid) == "active"
    assert close_to(_fmt(am.silences[sid]["endsAt"]), 7200) and am.silences[sid]["startsAt"] == starts
    post = writes(am, mark)[0]["body"]
    assert post["id"] == sid and post["startsAt"] == _fmt(starts) and post["matchers"] == API_WEB
    assert longer["diff"]["before"]["ends_at"] == first["ends_at"] and longer["diff"]["after"]["ends_at"] == longer["ends_at"]
    assert longer["expired_ids"] == []


def test_extend_a_pending_silence_keeps_its_start(am):
    sid = am.add(API_WEB, "deploy of web-01", starts_in=600, ends_in=900)
    result = run(am, DEPLOY)
    assert result["action"] == "update" and result["silence_id"] == sid, result
    assert am.status(sid) == "pending" and len(am.silences) == 1
    assert close_to(_fmt(am.silences[sid]["endsAt"]), 1800)


def test_update_when_matchers_change(am):
    first = run(am, DEPLOY)
    old = first["silence_id"]
    mark = am.seq
    moved = run(am, dict(DEPLOY, matchers=[{"name": "instance", "value": "web-02:9100"}]))
    assert moved["changed"] and moved["action"] == "replace", moved
    new = moved["silence_id"]
    assert new != old and sorted(am.silences) == sorted([old, new])
    assert am.status(old) == "expired" and am.status(new) == "active" and moved["expired_ids"] == [old]
    assert am.silences[new]["matchers"] == [{"name": "instance", "value": "web-02:9100", "isRegex": False, "isEqual": True}]
    assert [w["body"].get("id") for w in writes(am, mark)] == [old]
    assert moved["diff"]["before"]["matchers"] != moved["diff"]["after"]["matchers"]
    # the expired one is still listed, and ignored from now on
    mark = am.seq
    again = run(am, dict(DEPLOY, matchers=[{"name": "instance", "value": "web-02:9100"}]))
    assert not again["changed"] and again["silence_id"] == new and writes(am, mark) == []
    assert again["warnings"] == []
    assert dict((s["id"], s["status"]["state"]) for s in am._list()) == {old: "expired", new: "active"}


def test_duplicates_are_reported_and_left_alone(am):
    mine = run(am, DEPLOY)["silence_id"]
    other = am.add([{"name": "instance", "value": "db-01:9100"}], "deploy of web-01")
    mark = am.seq
    result = run(am, DEPLOY)
    assert not result["changed"] and result["silence_id"] == mine
    assert any(other in w and "left as they are" in w for w in result["warnings"]), result["warnings"]
    assert writes(am, mark) == [] and am.live() == sorted([mine, other])


def test_grafana_base_path(am_factory):
    grafana = am_factory(prefix=GRAFANA_PREFIX, users={}, tokens=[TOKEN], grafana=True)
    url = grafana.url + GRAFANA_PREFIX + "/"  # the trailing slash is tolerated
    created = run(grafana, dict(DEPLOY, token=TOKEN), auth=False, url=url)
    assert created["changed"] and created["silence"]["id"] == created["silence_id"], created
    assert list(grafana.silences) == [created["silence_id"]]
    assert all(p.split(" ")[1].startswith(GRAFANA_PREFIX + "/api/v2/") for p in grafana.paths())
    assert writes(grafana)[0]["status"] == 202
    mark = grafana.seq
    assert not run(grafana, dict(DEPLOY, token=TOKEN), auth=False, url=url)["changed"]
    assert writes(grafana, mark) == []
    gone = run(grafana, {"comment": DEPLOY["comment"], "state": "absent", "token": TOKEN}, auth=False, url=url)
    assert gone["changed"] and gone["expired_ids"] == [created["silence_id"]] and grafana.live() == []
    assert grafana.requests[-1]["response"] == {"message": "silence deleted"}
    assert all(r["headers"]["Authorization"] == "Bearer " + TOKEN for r in grafana.requests)


# -- absent ------------------------------------------------------------------------------------

def test_absent_by_comment(am):
    mine = run(am, DEPLOY)["silence_id"]
    duplicate = am.add([{"name": "instance", "value": "db-01:9100"}], "deploy of web-01")
    foreign = am.add(API_WEB, "deploy of web-01", created_by="someone else")
    unrelated = am.add(API_WEB, "another comment")
    mark = am.seq
    gone = run(am, {"comment": "deploy of web-01", "state": "absent"})
    assert gone["changed"] and gone["action"] == "expire" and sorted(gone["expired_ids"]) == sorted([mine, duplicate])
    assert am.live() == sorted([foreign, unrelated])
    assert sorted(w["route"] for w in writes(am, mark)) == sorted("/api/v2/silence/" + s for s in (mine, duplicate))
    assert all(w["method"] == "DELETE" for w in writes(am, mark))
    assert set(gone["diff"]["before"]) == {mine, duplicate} and gone["diff"]["after"] == {}
    # expired silences stay listed, with endsAt the moment they were expired
    assert am.gettable(mine)["status"]["state"] == "expired" and am.silences[mine]["endsAt"] <= _now()
    mark = am.seq
    again = run(am, {"comment": "deploy of web-01", "state": "absent"})
    assert not again["changed"] and again["expired_ids"] == [] and writes(am, mark) == []


def test_expired_silences_are_not_managed_any_more(am):
    old = run(am, DEPLOY)["silence_id"]
    run(am, {"comment": DEPLOY["comment"], "state": "absent"})
    again = run(am, DEPLOY)
    assert again["action"] == "create" and again["silence_id"] != old and again["warnings"] == [], again
    assert am.status(old) == "expired" and am.live() == [again["silence_id"]]
    assert "id" not in writes(am)[-1]["body"]


def test_absent_by_id(am):
    foreign = am.add(API_WEB, "maintenance", created_by="someone else")
    other = am.add(API_WEB, "maintenance", created_by="someone else")
    mark = am.seq
    gone = run(am, {"id": foreign, "state": "absent"})
    assert gone["changed"] and gone["expired_ids"] == [foreign], gone
    assert am.status(foreign) == "expired" and am.live() == [other]
    assert am.paths(mark) == ["GET /api/v2/silence/%s" % foreign, "DELETE /api/v2/silence/%s" % foreign]
    mark = am.seq
    again = run(am, {"id": foreign, "state": "absent"})
    assert not again["changed"] and writes(am, mark) == []


def test_absent_when_there_is_none(am):
    am.add(API_WEB, "another comment")
    before = am.snapshot()
    for args in ({"comment": "deploy of web-01"}, {"id": str(uuid.uuid4())}):
        for check in (True, False):
            result = run(am, dict(args, state="absent"), check=check)
            assert not result["changed"] and result["expired_ids"] == [] and result["action"] is None, result
    assert writes(am) == [] and am.snapshot() == before


# -- check mode --------------------------------------------------------------------------------

def _setup_existing(am):
    return run(am, DEPLOY)["silence_id"]


CHECK_CASES = {
    # name: (setup, args, expected action)
    "create": (None, DEPLOY, "create"),
    "unchanged": (_setup_existing, DEPLOY, None),
    "extend": (_setup_existing, dict(DEPLOY, duration="3h"), "update"),
    "replace": (_setup_existing, dict(DEPLOY, matchers=[{"name": "instance", "value": "web-09:9100"}]), "replace"),
    "absent by comment": (_setup_existing, {"comment": DEPLOY["comment"], "state": "absent"}, "expire"),
    "absent by id": (_setup_existing, "by-id", "expire"),
}


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_mode_writes_nothing_and_predicts_the_real_run(am, case):
    setup, args, action = CHECK_CASES[case]
    existing = setup(am) if setup else None
    if args == "by-id":
        args = {"id": existing, "state": "absent"}
    before, mark = am.snapshot(), am.seq
    predicted = run(am, args, check=True)
    assert writes(am, mark) == [] and am.snapshot() == before, predicted
    assert all(r["method"] == "GET" for r in am.requests if r["seq"] > mark)
    real = run(am, args)
    assert (predicted["changed"], predicted["action"]) == (real["changed"], real["action"]) == (action is not None, action)
    assert predicted["expired_ids"] == real["expired_ids"]
    assert bool(writes(am, mark)) == (action is not None)
    if action == "update":
        assert predicted["silence_id"] == real["silence_id"] == existing
        assert predicted["silence"]["startsAt"] == real["silence"]["startsAt"]
    if action in ("create", "replace"):
        assert predicted["silence_id"] is None and real["silence_id"] in am.silences
    if action is not None and "absent" not in case:
        assert predicted["diff"]["after"]["matchers"] == real["diff"]["after"]["matchers"]
        assert abs((_parse(predicted["ends_at"]) - _parse(real["ends_at"])).total_seconds()) < 15


def test_diff_only_in_diff_mode(am):
    created = run(am, DEPLOY)
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"] == {"matchers": [
        {"name": "instance", "value": "web-01:9100", "is_regex": False, "is_equal": True},
        {"name": "job", "value": "node|blackbox", "is_regex": True, "is_equal": True}],
        "ends_at": created["ends_at"], "created_by": "vigil.observability", "comment": "deploy of web-01"}
    assert "diff" not in run(am, DEPLOY, diff=False)


# -- bad input and errors ------------------------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    ({"matchers": None}, "state is present but all of the following are missing: matchers"),
    ({"matchers": []}, "matchers: at least one matcher is needed for state=present"),
    ({"matchers": [{"name": "1instance", "value": "x"}]}, "matchers[0]: '1instance' is not a valid label name"),
    ({"matchers": [WEB[0], {"name": "in-stance", "value": "x"}]}, "matchers[1]: 'in-stance' is not a valid label name"),
    ({"matchers": [{"name": "job", "value": "node(", "is_regex": True}]},
     "matchers[0]: 'node(' of label job is not a valid regular expression"),
    ({"matchers": [{"name": "job", "value": ".*", "is_regex": True}, {"name": "env", "value": ""}]},
     "at least one must not match the empty string"),
    ({"matchers": [{"name": "job"}]}, "missing required arguments: value found in matchers"),
    ({"ends_at": "2030-01-01T00:00:00Z"}, "parameters are mutually exclusive: duration|ends_at"),
    ({"duration": None}, "state is present but any of the following are missing: duration, ends_at"),
    ({"duration": "30 minutes"}, "duration must be a positive duration such as '30m'"),
    ({"duration": "0s"}, "duration must be a positive duration"),
    ({"duration": None, "ends_at": "tomorrow"}, "ends_at must be an RFC 3339 time"),
    ({"duration": None, "ends_at": "2020-01-01T00:00:00Z"}, "ends_at 2020-01-01T00:00:00Z is not in the future"),
    ({"comment": " "}, "comment must not be empty"),
    ({"comment": None}, "state is present but all of the following are missing: comment"),
    ({"created_by": ""}, "created_by must not be empty"),
    ({"token": TOKEN}, "parameters are mutually exclusive: token|username"),
    ({"url": "alertmanager:9093"}, "url must be an http:// or https:// URL"),
    ({"url": "http://%s:%s@127.0.0.1:9093" % (USER, PASSWORD)}, "url must not carry credentials"),
    ({"url": "http://127.0.0.1:9093/api/v2"}, "ends with the API path"),
    ({"state": "absent", "comment": None}, "state is absent but any of the following are missing: id, comment"),
])
def test_bad_input_fails_before_anything_is_sent(am, args, message):
    full = dict(DEPLOY, **args)
    for key in [k for k, v in full.items() if v is None]:
        del full[key]
    for check in (True, False):
        failed(run(am, full, check=check), message)
    assert am.requests == []


def test_what_alertmanager_refuses_fails_on_one_line(am):
    # Python's re accepts a lookahead, Alertmanager's RE2 does not: the server's refusal is the message
    result = failed(run(am, dict(DEPLOY, matchers=[{"name": "job", "value": "(?=node)n.*", "is_regex": True}])),
                    "POST %s/api/v2/silences failed with HTTP 400 (bad request)" % am.url,
                    "the server says: invalid silence: invalid label matcher 0: invalid regular expression",
                    "the silence could not be created")
    assert result["status"] == 400 and am.silences == {}


@pytest.mark.parametrize("auth", ["wrong password", "none", "token"])
def test_401_says_credentials(am, auth):
    args = dict(DEPLOY)
    if auth == "wrong password":
        args.update(username=USER, password="not-the-" + PASSWORD)
    elif auth == "token":
        args.update(token="glsa_wrong")
    result = failed(run(am, args, auth=False), "GET %s/api/v2/silences failed with HTTP 401" % am.url,
                    "wrong or missing credentials (username/password or token)", "the server says: Unauthorized")
    assert "not-the-" not in result["msg"] and am.silences == {} and writes(am) == []


@pytest.mark.parametrize("where", ["plain", "grafana"])
def test_404_says_the_url_is_not_an_api_base(am_factory, where):
    if where == "plain":
        fake = am_factory()
        url = fake.url + "/alertmanager"
    else:
        fake = am_factory(prefix=GRAFANA_PREFIX, grafana=True)
        url = fake.url  # Grafana's URL without /api/alertmanager/grafana
    result = failed(run(fake, DEPLOY, url=url), "GET %s/api/v2/silences failed with HTTP 404 (not found)" % url,
                    "%s is probably not an Alertmanager API base URL" % url, "/api/alertmanager/grafana")
    assert result["status"] == 404 and fake.silences == {} and writes(fake) == []


def test_unreachable_server(am):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = "http://127.0.0.1:%d" % sock.getsockname()[1]
    sock.close()
    failed(run(am, DEPLOY, url=url), "cannot reach %s/api/v2/silences" % url)


def test_a_silence_alertmanager_does_not_know(am):
    result = failed(run(am, {"id": "not-a-uuid", "state": "absent"}),
                    "GET %s/api/v2/silence/not-a-uuid failed with HTTP 422" % am.url, "must be of type uuid",
                    "silence 'not-a-uuid' could not be read")
    assert result["status"] == 422 and writes(am) == []


# -- the double behaves as the real Alertmanager does ----------------------------------------------

def test_the_double_follows_alertmanager(am):
    from ansible_collections.vigil.observability.plugins.module_utils import _http
    auth = {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()}

    def call(method, path, body=None, headers=None):
        resp = _http.request(method, am.url + path, body=body, headers=auth if headers is None else headers)
        return resp.status, resp.json()

    assert call("GET", "/api/v2/silences", headers={}) == (401, "Unauthorized\n")
    now = _now()
    body = {"matchers": API_WEB, "startsAt": _fmt(now), "endsAt": _fmt(now + datetime.timedelta(hours=1)),
            "createdBy": "me", "comment": "c"}
    status, answer = call("POST", "/api/v2/silences", body)
    sid = answer["silenceID"]
    stored = call("GET", "/api/v2/silence/" + sid)[1]
    # the start kept and the matchers in the same order: updated in place
    same = dict(body, id=sid, startsAt=stored["startsAt"], endsAt=_fmt(now + datetime.timedelta(hours=2)))
    assert call("POST", "/api/v2/silences", same) == (200, {"silenceID": sid})
    # another start, or the matchers in another order: a new silence, the old one expired
    earlier = _fmt(_parse(stored["startsAt"]) - datetime.timedelta(seconds=5))
    moved = call("POST", "/api/v2/silences", dict(same, startsAt=earlier))[1]["silenceID"]
    assert moved != sid and am.status(sid) == "expired"
    turned = call("POST", "/api/v2/silences", dict(same, id=moved, startsAt=am.gettable(moved)["startsAt"],
                                                   matchers=list(reversed(API_WEB))))[1]["silenceID"]
    assert turned != moved and am.status(moved) == "expired" and am.live() == [turned]
    assert call("DELETE", "/api/v2/silence/" + turned) == (200, None)
    assert call("GET", "/api/v2/silence/" + turned)[1]["status"]["state"] == "expired"
    assert call("DELETE", "/api/v2/silence/" + turned) == (200, None)  # expiring an expired silence is fine
    assert [s["status"]["state"] for s in call("GET", "/api/v2/silences")[1]] == ["expired"] * 3
    unknown = str(uuid.uuid4())
    assert call("GET", "/api/v2/silence/" + unknown) == (404, None)
    assert call("DELETE", "/api/v2/silence/" + unknown) == (404, None)
    assert call("POST", "/api/v2/silences", dict(body, id=unknown)) == (404, "silence not found")
    assert call("POST", "/api/v2/silences", dict(body, endsAt=_fmt(now - datetime.timedelta(hours=1))))[0] == 400
    assert call("POST", "/api/v2/silences", dict(body, matchers=[]))[0] == 422
    assert call("GET", "/api/v2/nothing")[0] == 404 and call("GET", "/prefix/api/v2/silences")[1] == "404 page not found\n"


# -- unit: only where Alertmanager runs ----------------------------------------------------------

def _systemctl(tmp_path, monkeypatch, active_state):
    """A systemctl first on PATH that reports alertmanager.service in ``active_state``."""
    script = tmp_path / "systemctl"
    script.write_text("#!/bin/sh\nprintf 'LoadState=loaded\\nActiveState=%s\\nSubState=x\\n'\n" % active_state)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (tmp_path, os.environ["PATH"]))


def test_an_inactive_unit_skips_without_a_request(am, tmp_path, monkeypatch):
    _systemctl(tmp_path, monkeypatch, "inactive")
    result = run(am, dict(DEPLOY, unit="alertmanager.service"))
    assert result.get("skipped") is True and result["changed"] is False and result["silence_id"] is None
    assert "alertmanager.service is inactive/x (loaded) on this host: nothing was sent" == result["msg"]
    assert am.paths() == []


def test_an_active_unit_lets_the_silence_through(am, tmp_path, monkeypatch):
    _systemctl(tmp_path, monkeypatch, "active")
    result = run(am, dict(DEPLOY, unit="alertmanager.service"))
    assert result["changed"] is True and result["action"] == "create" and not result.get("skipped")
    assert "POST /api/v2/silences" in am.paths()
