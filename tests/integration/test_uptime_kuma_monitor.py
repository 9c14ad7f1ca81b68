# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_monitor against the REAL Uptime Kuma 2.5.3 of the session (tests/support/kuma_server.py).

Every test uses its own monitor names (and its own managed_by where it prunes), and deletes what
it created: the server is shared by the whole session.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import uuid

import pytest

import kuma_server

MODULE = "uptime_kuma_monitor"
SECRET_PASSWORD = "Basic-Auth-s3cret-Never-Shown"
SECRET_HEADER = "Bearer Header-s3cret-Never-Shown"
PUSH_TOKEN = "PushTokenNeverShown0123456789abc"


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


@contextlib.contextmanager
def reading(kuma):
    client = kuma.client()
    try:
        yield client
    finally:
        client.close()


def stored(kuma, *names):
    """{name: monitor as the server has it} for the given names (all monitors without names)."""
    with reading(kuma) as client:
        monitors = client.wait_list("monitorList").values()
    return dict((m["name"], m) for m in monitors if not names or m["name"] in names)


def delete_all(kuma, names):
    if names:
        kuma.run(MODULE, {"monitors": [{"name": n, "state": "absent"} for n in names]})


def assert_clean_failure(result, *words):
    assert result.get("failed"), result
    assert "exception" not in result, result
    assert "\n" not in result["msg"], result["msg"]
    for word in words:
        assert word in result["msg"], result["msg"]


def link_count(monitor, name):
    return sum(1 for link in monitor.get("tags") or [] if link["name"] == name)


# type -> (create options, one changed option, what the server then stores for it)
TYPES = {
    "http": ({"monitor_url": "http://127.0.0.1:9/health", "accepted_status_codes": ["200-299", "301"]},
             {"monitor_url": "http://127.0.0.1:9/other"}, ("url", "http://127.0.0.1:9/other")),
    "keyword": ({"monitor_url": "http://127.0.0.1:9/", "keyword": "ok", "invert_keyword": True},
                {"keyword": "healthy"}, ("keyword", "healthy")),
    "json-query": ({"monitor_url": "http://127.0.0.1:9/v", "json_path": "major", "json_path_operator": ">=",
                    "expected_value": "2"}, {"expected_value": "3"}, ("expectedValue", "3")),
    "port": ({"hostname": "127.0.0.1", "port": 9}, {"port": 10}, ("port", 10)),
    "ping": ({"hostname": "127.0.0.1", "request_timeout": 12}, {"retries": 2}, ("maxretries", 2)),
    "dns": ({"hostname": "example.com", "dns_resolve_type": "MX", "dns_resolve_server": "127.0.0.1"},
            {"dns_resolve_type": "TXT"}, ("dns_resolve_type", "TXT")),
    "push": ({"push_token": PUSH_TOKEN}, {"interval": 300}, ("interval", 300)),
    "group": ({"description": "a group"}, {"description": "the group"}, ("description", "the group")),
}


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_each_type_create_rerun_change_check_delete(kuma, kind):
    options, change, (key, value) = TYPES[kind]
    name = unique("type-" + kind)
    args = dict(options, name=name, type=kind, active=False, interval=120)

    result = kuma.run(MODULE, args, check=True)
    assert result["changed"] and result["action"] == "create" and result["monitor"]["id"] is None
    assert result["requests"]["writes"] == 0 and name not in stored(kuma, name)

    result = kuma.run(MODULE, args)
    assert result["changed"] and result["action"] == "create", result
    assert result["monitor"]["id"] and result["monitor"]["type"] == kind and result["monitor"]["active"] is False
    assert result["diff"]["before"] == {} and result["diff"]["after"]["name"] == name
    assert result["counts"] == {"created": 1, "updated": 0, "deleted": 0, "unchanged": 0}
    monitor = stored(kuma, name)[name]
    assert monitor["type"] == kind and monitor["active"] is False and monitor["interval"] == 120
    assert [(t["name"], t["value"]) for t in monitor["tags"]] == [("managed-by", "vigil.observability")]

    result = kuma.run(MODULE, args)
    assert not result["changed"] and result["action"] is None, result
    assert result["requests"]["writes"] == 0 and result["requests"]["logins"] == 1
    assert result["diff"] == {"before": {}, "after": {}}

    changed = dict(args, **change)
    result = kuma.run(MODULE, changed, check=True)
    assert result["changed"] and result["action"] == "update" and result["requests"]["writes"] == 0
    assert stored(kuma, name)[name][key] != value

    result = kuma.run(MODULE, changed)
    assert result["changed"] and result["action"] == "update"
    assert result["requests"]["writes"] == 1, result["requests"]
    opt = list(change)[0]
    assert result["diff"]["before"][opt] != result["diff"]["after"][opt]
    assert stored(kuma, name)[name][key] == value
    assert not kuma.run(MODULE, changed)["changed"]

    result = kuma.run(MODULE, {"name": name, "state": "absent"}, check=True)
    assert result["changed"] and result["action"] == "delete" and result["requests"]["writes"] == 0
    assert name in stored(kuma, name)
    result = kuma.run(MODULE, {"name": name, "state": "absent"})
    assert result["changed"] and result["action"] == "delete" and result["requests"]["writes"] == 1
    assert name not in stored(kuma, name)
    result = kuma.run(MODULE, {"name": name, "state": "absent"})
    assert not result["changed"] and result["action"] is None and result["requests"]["writes"] == 0


def test_what_the_server_stores_and_secrets(kuma):
    name = unique("secrets")
    args = {"name": name, "type": "http", "monitor_url": "http://127.0.0.1:9/", "active": False, "method": "POST",
            "basic_auth_user": "probe", "basic_auth_password": SECRET_PASSWORD, "body": {"ping": 1},
            "headers": {"Authorization": SECRET_HEADER, "X-Probe": "1"}, "accepted_status_codes": ["200-299", "418"],
            "ignore_tls": True, "expiry_notification": True, "upside_down": True, "max_redirects": 3,
            "resend_interval": 5, "retries": 2, "retry_interval": 30, "request_timeout": 15.5,
            "description": "stored as given"}
    result = kuma.run(MODULE, args)
    assert result["changed"]
    text = json.dumps(result)
    assert SECRET_PASSWORD not in text and "Header-s3cret" not in text
    after = result["diff"]["after"]
    assert after["basic_auth_password"] == "[REDACTED:changed]"
    assert after["headers"] == {"Authorization": "[REDACTED:changed]", "X-Probe": "1"}

    monitor = stored(kuma, name)[name]
    assert monitor["basic_auth_pass"] == SECRET_PASSWORD and monitor["basic_auth_user"] == "probe"
    assert json.loads(monitor["headers"]) == {"Authorization": SECRET_HEADER, "X-Probe": "1"}
    assert json.loads(monitor["body"]) == {"ping": 1}
    assert sorted(monitor["accepted_statuscodes"]) == ["200-299", "418"]
    assert (monitor["ignoreTls"], monitor["expiryNotification"], monitor["upsideDown"]) == (True, True, True)
    assert (monitor["maxredirects"], monitor["resendInterval"], monitor["maxretries"], monitor["retryInterval"],
            monitor["timeout"], monitor["method"]) == (3, 5, 2, 30, 15.5, "POST")

    # Same options again: nothing to write; codes are a set.
    rerun = dict(args, accepted_status_codes=["418", "200-299"])
    result = kuma.run(MODULE, rerun)
    assert not result["changed"] and result["requests"]["writes"] == 0

    # A new password: one write, shown only as a change marker.
    result = kuma.run(MODULE, dict(args, basic_auth_password=SECRET_PASSWORD + "2"))
    assert result["changed"] and result["requests"]["writes"] == 1
    assert result["diff"]["before"]["basic_auth_password"] == "[REDACTED]"
    assert result["diff"]["after"]["basic_auth_password"] == "[REDACTED:changed]"
    assert SECRET_PASSWORD not in json.dumps(result)

    # editMonitor rewrites every column: a change of one option keeps everything else.
    result = kuma.run(MODULE, {"name": name, "interval": 300})
    assert result["changed"] and result["requests"]["writes"] == 1
    monitor = stored(kuma, name)[name]
    assert monitor["interval"] == 300 and monitor["basic_auth_pass"] == SECRET_PASSWORD + "2"
    assert json.loads(monitor["headers"])["Authorization"] == SECRET_HEADER
    assert monitor["description"] == "stored as given" and monitor["timeout"] == 15.5 and monitor["active"] is False
    delete_all(kuma, [name])


def test_push_token_generated_and_never_shown(kuma):
    name = unique("push")
    result = kuma.run(MODULE, {"name": name, "type": "push", "active": False})
    assert result["changed"]
    token = stored(kuma, name)[name]["pushToken"]
    assert token and len(token) == 32 and token not in json.dumps(result)
    assert not kuma.run(MODULE, {"name": name, "type": "push", "active": False})["changed"]
    # Setting it: one write, masked in the diff.
    result = kuma.run(MODULE, {"name": name, "push_token": PUSH_TOKEN})
    assert result["changed"] and result["requests"]["writes"] == 1
    assert result["diff"]["after"]["push_token"] == "[REDACTED:changed]" and PUSH_TOKEN not in json.dumps(result)
    assert stored(kuma, name)[name]["pushToken"] == PUSH_TOKEN
    delete_all(kuma, [name])


def test_tags_notifications_parent_and_pause(kuma):
    group, member, tag, other_tag, note = unique("grp"), unique("member"), unique("tag"), unique("tag2"), unique("note")
    with reading(kuma) as client:
        tag_id = client.call("addTag", {"name": tag, "color": "#059669"})["tag"]["id"]
        other_id = client.call("addTag", {"name": other_tag, "color": "#DC2626"})["tag"]["id"]
        note_id = client.call("addNotification", {"name": note, "type": "webhook", "webhookURL": "http://127.0.0.1:9/hook",
                                                  "webhookContentType": "json", "isDefault": False}, None)["id"]
    try:
        args = {"monitors": [
            {"name": member, "type": "port", "hostname": "127.0.0.1", "port": 9, "parent": group,
             "tags": [{"name": tag, "value": "a"}, {"name": other_tag}], "notifications": [note]},
            {"name": group, "type": "group"}]}
        result = kuma.run(MODULE, args, check=True)  # the group does not exist yet: check mode still plans
        assert result["counts"]["created"] == 2 and result["requests"]["writes"] == 0
        assert result["diff"][1]["after"]["parent"] == group and result["diff"][1]["after"]["notifications"] == [note]
        result = kuma.run(MODULE, args)
        assert result["changed"] and [m["name"] for m in result["monitors"]] == [group, member]  # group first
        monitor = stored(kuma, member)[member]
        assert stored(kuma, group)[group]["id"] == monitor["parent"]
        assert monitor["notificationIDList"] == {str(note_id): True}
        assert sorted((t["tag_id"], t["value"]) for t in monitor["tags"] if t["name"] != "managed-by") == \
            sorted([(tag_id, "a"), (other_id, "")])
        assert monitor["active"] is True

        result = kuma.run(MODULE, args)
        assert not result["changed"] and result["requests"]["writes"] == 0 and result["requests"]["logins"] == 1
        monitor = stored(kuma, member)[member]
        assert link_count(monitor, tag) == 1 and link_count(monitor, "managed-by") == 1

        # A tag value: one write (the link is edited in place); pausing: one write.
        args["monitors"][0]["tags"] = [{"name": tag, "value": "b"}, {"name": other_tag}]
        args["monitors"][0]["active"] = False
        result = kuma.run(MODULE, args)
        assert result["changed"] and result["requests"]["writes"] == 2, result["requests"]
        monitor = stored(kuma, member)[member]
        assert [t["value"] for t in monitor["tags"] if t["name"] == tag] == ["b"] and monitor["active"] is False
        assert not kuma.run(MODULE, args)["changed"]

        # Resume, no notifications, no tags, top level: one edit, two unlinks, one resume.
        result = kuma.run(MODULE, {"name": member, "active": True, "notifications": [], "tags": [], "parent": ""})
        assert result["changed"] and result["requests"]["writes"] == 4, result["requests"]
        assert result["diff"]["before"]["parent"] == group and result["diff"]["after"]["parent"] is None
        monitor = stored(kuma, member)[member]
        assert monitor["active"] is True and monitor["parent"] is None and monitor["notificationIDList"] == {}
        assert [t["name"] for t in monitor["tags"]] == ["managed-by"]
        result = kuma.run(MODULE, {"name": member, "active": True, "notifications": [], "tags": [], "parent": ""})
        assert not result["changed"] and result["requests"]["writes"] == 0
    finally:
        delete_all(kuma, [member, group])
        with reading(kuma) as client:
            client.call("deleteTag", tag_id)
            client.call("deleteTag", other_id)
            client.call("deleteNotification", note_id)


def test_new_monitors_get_the_default_notifications(kuma):
    name, bare, note = unique("defaults"), unique("bare"), unique("default-note")
    with reading(kuma) as client:
        note_id = client.call("addNotification", {"name": note, "type": "webhook", "webhookURL": "http://127.0.0.1:9/",
                                                  "webhookContentType": "json", "isDefault": True}, None)["id"]
    try:
        assert kuma.run(MODULE, {"name": name, "type": "ping", "hostname": "127.0.0.1", "active": False})["changed"]
        assert kuma.run(MODULE, {"name": bare, "type": "ping", "hostname": "127.0.0.1", "active": False,
                                 "notifications": []})["changed"]
        monitors = stored(kuma, name, bare)
        assert monitors[name]["notificationIDList"] == {str(note_id): True}
        assert monitors[bare]["notificationIDList"] == {}
        # Left out on an existing monitor: not managed, nothing to write.
        result = kuma.run(MODULE, {"name": bare, "type": "ping", "hostname": "127.0.0.1", "active": False})
        assert not result["changed"] and result["requests"]["writes"] == 0
    finally:
        delete_all(kuma, [name, bare])
        with reading(kuma) as client:
            client.call("deleteNotification", note_id)


def test_bulk_ten_then_noop_with_one_login(kuma):
    names = [unique("bulk%02d" % i) for i in range(10)]
    args = {"interval": 300, "active": False, "monitors": [
        {"name": n, "type": "http", "monitor_url": "http://127.0.0.1:%d/" % (20000 + i)} for i, n in enumerate(names)]}
    result = kuma.run(MODULE, args, check=True)
    assert result["changed"] and result["counts"]["created"] == 10 and result["requests"]["writes"] == 0
    assert not stored(kuma, *names)

    result = kuma.run(MODULE, args)
    assert result["changed"] and result["counts"] == {"created": 10, "updated": 0, "deleted": 0, "unchanged": 0}
    assert result["requests"]["logins"] == 1 and len(result["diff"]) == 10
    assert all(m["interval"] == 300 and m["active"] is False for m in stored(kuma, *names).values())

    result = kuma.run(MODULE, args)
    assert not result["changed"] and result["counts"]["unchanged"] == 10 and result["diff"] == []
    assert result["requests"] == {"logins": 1, "round_trips": 1, "writes": 0}

    # In an item, url is monitor_url (as the role's stack_monitors filter writes it).
    args["monitors"][0] = {"name": names[0], "type": "http", "url": "http://127.0.0.1:20000/"}
    result = kuma.run(MODULE, args)
    assert not result["changed"] and result["requests"]["writes"] == 0

    # One item changed: one write.
    args["monitors"][3]["interval"] = 600
    result = kuma.run(MODULE, args)
    assert result["counts"] == {"created": 0, "updated": 1, "deleted": 0, "unchanged": 9}
    assert result["requests"]["writes"] == 1 and [d["before_header"] for d in result["diff"]] == [names[3]]
    delete_all(kuma, names)


def test_paused_if_new_pauses_only_the_monitors_the_call_creates(kuma):
    old, fresh, other = unique("old"), unique("fresh"), unique("other")
    common = {"type": "ping", "hostname": "127.0.0.1"}
    assert kuma.run(MODULE, {"name": old, "type": "ping", "hostname": "127.0.0.1"})["changed"]
    try:
        args = {"monitors": [dict(common, name=old), dict(common, name=fresh), dict(common, name=other)],
                "paused_if_new": [old, fresh, unique("not-listed")]}
        result = kuma.run(MODULE, args, check=True)
        assert [(m["name"], m["action"]) for m in result["monitors"]] == [(old, None), (fresh, "create"), (other, "create")]
        assert not stored(kuma, fresh, other)
        result = kuma.run(MODULE, args)
        assert [(m["name"], m["action"], m["active"]) for m in result["monitors"]] == \
            [(old, None, True), (fresh, "create", False), (other, "create", True)]
        monitors = stored(kuma, old, fresh, other)
        assert (monitors[old]["active"], monitors[fresh]["active"], monitors[other]["active"]) == (True, False, True)
        # Once it exists the monitor is written as its item says: resumed by an item that asks for it,
        # left paused by one that does not mention active.
        assert not kuma.run(MODULE, args)["changed"]
        result = kuma.run(MODULE, dict(args, monitors=[dict(common, name=fresh, active=True)]))
        assert result["changed"] and result["monitors"][0]["action"] == "update" and stored(kuma, fresh)[fresh]["active"] is True
    finally:
        delete_all(kuma, [old, fresh, other])


def test_prune_deletes_only_this_lists_monitors(kuma):
    owner, other_owner = unique("owner"), unique("other-owner")
    keep, drop, by_hand, others = unique("keep"), unique("drop"), unique("by-hand"), unique("other")
    common = {"type": "ping", "hostname": "127.0.0.1", "active": False}
    assert kuma.run(MODULE, {"managed_by": owner, "monitors": [dict(common, name=keep), dict(common, name=drop)]})["changed"]
    assert kuma.run(MODULE, {"managed_by": other_owner, "monitors": [dict(common, name=others)]})["changed"]
    with reading(kuma) as client:
        client.call("add", {"type": "ping", "name": by_hand, "hostname": "127.0.0.1", "active": False, "interval": 60,
                            "retryInterval": 60, "accepted_statuscodes": ["200-299"], "notificationIDList": {},
                            "conditions": []})
    try:
        args = {"managed_by": owner, "prune": True, "monitors": [dict(common, name=keep)]}
        result = kuma.run(MODULE, args, check=True)
        assert result["changed"] and result["counts"]["deleted"] == 1 and result["requests"]["writes"] == 0
        assert drop in stored(kuma, drop)

        result = kuma.run(MODULE, args)
        assert result["counts"] == {"created": 0, "updated": 0, "deleted": 1, "unchanged": 1}
        assert [m["name"] for m in result["monitors"] if m.get("pruned")] == [drop]
        left = stored(kuma, keep, drop, by_hand, others)
        assert sorted(left) == sorted([keep, by_hand, others])

        result = kuma.run(MODULE, args)
        assert not result["changed"] and result["requests"]["writes"] == 0
        # An empty list with prune: every monitor of this owner goes, nothing else.
        result = kuma.run(MODULE, {"managed_by": owner, "prune": True, "monitors": []})
        assert result["counts"]["deleted"] == 1 and sorted(stored(kuma, keep, by_hand, others)) == sorted([by_hand, others])
    finally:
        delete_all(kuma, [keep, drop, by_hand, others])


def test_adopting_a_monitor_made_by_hand(kuma):
    name = unique("adopt")
    with reading(kuma) as client:
        client.call("add", {"type": "ping", "name": name, "hostname": "127.0.0.1", "active": False, "interval": 60,
                            "retryInterval": 60, "accepted_statuscodes": ["200-299"], "notificationIDList": {},
                            "conditions": []})
    result = kuma.run(MODULE, {"name": name, "hostname": "127.0.0.1"})
    assert result["changed"] and result["requests"]["writes"] == 1  # only the marker
    assert result["diff"]["before"]["managed_by"] is None and result["diff"]["after"]["managed_by"] == "vigil.observability"
    assert not kuma.run(MODULE, {"name": name, "hostname": "127.0.0.1"})["changed"]
    # Another list takes it over: its marker is edited, never doubled.
    result = kuma.run(MODULE, {"name": name, "managed_by": "team-b"})
    assert result["changed"] and result["requests"]["writes"] == 1
    assert link_count(stored(kuma, name)[name], "managed-by") == 1
    delete_all(kuma, [name])


@pytest.fixture
def not_kuma():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):  # pylint: disable=arguments-differ
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


BAD_ITEMS = {
    "unknown type": ({"type": "smtp", "hostname": "127.0.0.1"}, ["unsupported type 'smtp'"]),
    "missing url": ({"type": "http"}, ["monitor_url is required"]),
    "missing keyword": ({"type": "keyword", "monitor_url": "http://127.0.0.1:9/"}, ["keyword is required"]),
    "missing hostname": ({"type": "ping"}, ["hostname is required"]),
    "missing port": ({"type": "port", "hostname": "127.0.0.1"}, ["port is required"]),
    "missing type": ({"hostname": "127.0.0.1"}, ["type is needed"]),
    "bad url": ({"type": "http", "monitor_url": "ftp://example.com"}, ["monitor_url", "ftp://example.com"]),
    "unknown notification": ({"type": "ping", "hostname": "127.0.0.1", "notifications": ["no-such-note"]},
                             ["unknown notification 'no-such-note'"]),
    "unknown tag": ({"type": "ping", "hostname": "127.0.0.1", "tags": [{"name": "no-such-tag"}]}, ["unknown tag 'no-such-tag'"]),
    "reserved tag": ({"type": "ping", "hostname": "127.0.0.1", "tags": [{"name": "managed-by"}]}, ["reserved"]),
    "unknown parent": ({"type": "ping", "hostname": "127.0.0.1", "parent": "no-such-group"}, ["unknown parent 'no-such-group'"]),
    "bad status code": ({"type": "http", "monitor_url": "http://127.0.0.1:9/", "accepted_status_codes": ["2xx"]}, ["'2xx'"]),
    "short interval": ({"type": "ping", "hostname": "127.0.0.1", "interval": 5}, ["interval 5"]),
    "bad choice": ({"type": "dns", "hostname": "example.com", "dns_resolve_type": "XYZ"}, ["dns_resolve_type", "XYZ"]),
    "unknown option": ({"type": "ping", "hostname": "127.0.0.1", "colour": "red"}, ["unsupported option(s) colour"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_bad_item_fails_cleanly_and_writes_nothing(kuma, case):
    options, words = BAD_ITEMS[case]
    good, bad = unique("good"), unique("bad")
    before = stored(kuma)
    args = {"active": False, "monitors": [{"name": good, "type": "ping", "hostname": "127.0.0.1"}, dict(options, name=bad)]}
    result = kuma.run(MODULE, args)
    assert_clean_failure(result, *words)
    assert bad in result["msg"]
    assert result.get("requests", {}).get("writes", 0) == 0
    assert sorted(stored(kuma)) == sorted(before)


def test_bad_single_monitor_fails_cleanly(kuma):
    result = kuma.run(MODULE, {"name": "lonely", "type": "http"})
    assert_clean_failure(result, "monitor 'lonely'", "monitor_url is required")
    result = kuma.run(MODULE, {"name": "lonely", "type": "telnet", "hostname": "x"})
    assert_clean_failure(result, "monitor 'lonely'", "unsupported type 'telnet'")


def test_duplicate_names_and_loops_write_nothing(kuma):
    name = unique("twice")
    before = stored(kuma)
    result = kuma.run(MODULE, {"monitors": [{"name": name, "type": "group"}, {"name": name, "type": "group"}]})
    assert_clean_failure(result, "%r is listed twice" % name)
    a, b = unique("loop-a"), unique("loop-b")
    result = kuma.run(MODULE, {"monitors": [{"name": a, "type": "group", "parent": b}, {"name": b, "type": "group", "parent": a}]})
    assert_clean_failure(result, "loops")
    result = kuma.run(MODULE, {"monitors": [{"name": a, "type": "ping", "hostname": "127.0.0.1"},
                                            {"name": b, "type": "ping", "hostname": "127.0.0.1", "parent": a}]})
    assert_clean_failure(result, "parent %r is a ping monitor, not a group" % a)
    assert sorted(stored(kuma)) == sorted(before)


def test_connection_errors_are_one_line(kuma, not_kuma, tmp_path):
    args = {"name": "x", "type": "ping", "hostname": "127.0.0.1"}
    conn = {"username": kuma_server.ADMIN, "password": kuma_server.ADMIN_PASSWORD, "timeout": 5,
            "token_file": str(tmp_path / "token")}

    refused = "http://127.0.0.1:%d" % kuma_server.free_port()
    result = kuma.run(MODULE, dict(args, url=refused, **conn), connection=False)
    assert_clean_failure(result, refused, "connection refused")

    result = kuma.run(MODULE, dict(args, url=not_kuma, **conn), connection=False)
    assert_clean_failure(result, not_kuma, "Uptime Kuma")

    result = kuma.run(MODULE, dict(args, url="not-a-url", **conn), connection=False)
    assert_clean_failure(result, "not-a-url")

    wrong = dict(conn, password="Wrong-Passw0rd-for-the-test")
    result = kuma.run(MODULE, dict(args, url=kuma.server.url, **wrong), connection=False)
    assert_clean_failure(result, "login as 'admin' failed", "incorrect username or password")
    assert "Wrong-Passw0rd" not in json.dumps(result)
