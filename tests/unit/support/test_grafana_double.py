# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Grafana double itself, item by item of grafana-api.md section 8, plus what the grafana role
needs (service accounts, tokens, provisioning reloads) and the standalone command line."""

from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.vigil.observability.plugins.module_utils import _http

ADMIN = "Bearer glsa_admin_0123456789abcdef"
EDITOR = "Bearer glsa_editor_0123456789abcdef"
VIEWER = "Bearer glsa_viewer_0123456789abcdef"


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


@pytest.fixture
def api(fake_grafana):
    def call(method, path, body=None, auth=ADMIN, headers=None):
        hdrs = dict(headers or {})
        if auth:
            hdrs["Authorization"] = auth
        resp = _http.request(method, fake_grafana.url + path, body=body, headers=hdrs)
        return resp.status, resp.json()
    call.fake = fake_grafana
    return call


# 1. health ------------------------------------------------------------------------------------

def test_health(api):
    resp = _http.request("GET", api.fake.url + "/api/health")
    assert resp.status == 200 and resp.header("Content-Type") == "application/json; charset=UTF-8"
    assert resp.body.decode() == '{\n  "commit": "%s",\n  "database": "ok",\n  "version": "12.2.0"\n}' % resp.json()["commit"]
    assert _http.request("HEAD", api.fake.url + "/api/health").status == 200
    api.fake.state.hide_version = True
    assert api("GET", "/api/health", auth=None) == (200, {"database": "ok"})
    api.fake.state.db_failing = True
    assert api("GET", "/api/health", auth=None) == (503, {"database": "failing"})
    assert _http.request("GET", api.fake.url + "/healthz").body == b"Ok"


# 2. auth --------------------------------------------------------------------------------------

def test_authentication(api):
    assert api("GET", "/api/folders", auth=None)[0] == 401
    status, body = api("GET", "/api/folders", auth="Bearer nope")
    assert status == 401 and body["messageId"] == "api-key.invalid"
    status, body = api("GET", "/api/folders", auth=basic("admin", "wrong"))
    assert status == 401 and body["message"] == "Invalid username or password"
    assert api("GET", "/api/folders", auth=basic("admin", "admin-pw"))[0] == 200
    status, body = api("POST", "/api/folders", {"title": "x"}, auth=VIEWER)
    assert status == 403 and body["message"].startswith("You'll need additional permissions")
    assert api("POST", "/api/datasources", {"name": "x", "type": "loki"}, auth=EDITOR)[0] == 403


def test_organisation_per_request(api):
    org = api.fake.add_org("Two")
    api.fake.state.users["admin"]["orgs"][org] = "Admin"
    admin = basic("admin", "admin-pw")
    api("POST", "/api/folders", {"uid": "two", "title": "Two"}, auth=admin, headers={"X-Grafana-Org-Id": str(org)})
    assert "two" in api.fake.org(org).folders
    # targetOrgId wins over the header; non-numeric values are ignored (default org)
    api("POST", "/api/folders?targetOrgId=1", {"uid": "one", "title": "One"}, auth=admin, headers={"X-Grafana-Org-Id": str(org)})
    api("POST", "/api/folders", {"uid": "dflt", "title": "Default"}, auth=admin, headers={"X-Grafana-Org-Id": "abc"})
    assert {"one", "dflt"} <= set(api.fake.org(1).folders)
    assert api("GET", "/api/folders", auth=basic("editor", "editor-pw"), headers={"X-Grafana-Org-Id": str(org)})[0] == 401
    # a token ignores the header: it acts in its own organisation
    api("POST", "/api/folders", {"uid": "tok", "title": "Tok"}, headers={"X-Grafana-Org-Id": str(org)})
    assert "tok" in api.fake.org(1).folders
    assert api("GET", "/api/org") == (200, {"id": 1, "name": "Main Org.", "address": api("GET", "/api/org")[1]["address"]})


# 3. dashboards --------------------------------------------------------------------------------

def test_dashboard_save_rules(api):
    status, body = api("POST", "/api/dashboards/db", {"dashboard": {"title": "  Trim  ", "uid": "d", "refresh": "1s", "version": 9}})
    assert status == 200 and body["version"] == 1 and body["slug"] == "trim" and body["url"] == "/d/d/trim"
    stored = api("GET", "/api/dashboards/uid/d")[1]
    assert stored["dashboard"]["title"] == "Trim" and stored["dashboard"]["refresh"] == "5s"
    assert (stored["dashboard"]["id"], stored["dashboard"]["uid"], stored["dashboard"]["version"]) == (body["id"], "d", 1)
    meta = stored["meta"]
    assert meta["folderId"] == 0 and meta["folderTitle"] == "General" and "folderUid" not in meta and "folderUrl" not in meta
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "Trim", "uid": "d"}}) == \
        (412, {"status": "version-mismatch", "message": "The dashboard has been changed by someone else"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "Trim", "uid": "d", "version": 1}})[1]["version"] == 2
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "T", "uid": "d"}, "overwrite": True})[1]["version"] == 3
    for refresh in ("", "auto", "1m"):
        api("POST", "/api/dashboards/db", {"dashboard": {"title": "T", "uid": "d", "refresh": refresh}, "overwrite": True})
        assert api("GET", "/api/dashboards/uid/d")[1]["dashboard"]["refresh"] == refresh
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": " "}}) == \
        (400, {"status": "empty-name", "message": "Dashboard title cannot be empty"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "x" * 5001}})[1]["status"] == "title-too-long"
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "T", "id": 4242}}) == \
        (404, {"status": "not-found", "message": "Dashboard not found"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "T", "uid": "x" * 41}}) == \
        (400, {"message": "uid too long, max 40 characters"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "T", "uid": "a b"}}) == \
        (400, {"message": "uid contains illegal characters"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "T"}, "folderUid": "none"}) == (400, {"message": "folder not found"})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "F", "isFolder": True}})[0] == 400
    generated = api("POST", "/api/dashboards/db", {"dashboard": {"title": "Generated"}})[1]["uid"]
    assert len(generated) == 26 and generated[0].isalpha() and generated[-1].isalpha()


def test_dashboard_folders_moves_and_deletes(api):
    api("POST", "/api/folders", {"uid": "f", "title": "Team"})
    api("POST", "/api/dashboards/db", {"dashboard": {"title": "D", "uid": "d", "tags": ["x"]}, "folderUid": "f"})
    meta = api("GET", "/api/dashboards/uid/d")[1]["meta"]
    assert (meta["folderUid"], meta["folderTitle"], meta["folderUrl"]) == ("f", "Team", "/dashboards/f/f/team")
    # an update without folderUid moves the dashboard to the root
    api("POST", "/api/dashboards/db", {"dashboard": {"title": "D", "uid": "d", "tags": ["x"]}, "overwrite": True})
    assert "folderUid" not in api("GET", "/api/dashboards/uid/d")[1]["meta"]
    # search filters
    api("POST", "/api/dashboards/db", {"dashboard": {"title": "In folder", "uid": "e"}, "folderUid": "f"})

    def titles(query):
        return [h["title"] for h in api("GET", "/api/search?" + query)[1]]

    assert titles("type=dash-db") == ["D", "In folder"]
    assert titles("type=dash-db&folderUIDs=f") == ["In folder"]
    assert titles("query=fold") == ["In folder"]
    assert titles("tag=x") == ["D"]
    assert titles("dashboardUIDs=e") == ["In folder"]
    assert titles("type=dash-folder") == ["Team"]
    assert api("DELETE", "/api/dashboards/uid/f")[0] == 400
    assert api("DELETE", "/api/dashboards/uid/d") == (200, {"title": "D", "message": "Dashboard D deleted", "uid": "d"})
    assert api("DELETE", "/api/dashboards/uid/d")[0] == 404
    assert api("GET", "/api/dashboards/uid/d") == (404, {"message": "Dashboard not found"})


def test_dashboard_name_exists_before_11_3(api):
    api("POST", "/api/dashboards/db", {"dashboard": {"title": "Same", "uid": "a"}})
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "Same", "uid": "b"}})[0] == 200  # 11.3+
    api.fake.state.legacy_name_exists = True
    assert api("POST", "/api/dashboards/db", {"dashboard": {"title": "same", "uid": "c"}}) == \
        (412, {"status": "name-exists", "message": "A dashboard with the same name in the folder already exists"})


def test_real_dashboards_fixture(api, real_dashboards):
    nef = copy.deepcopy(real_dashboards["node-exporter-full.json"])
    assert nef["version"] == 102 and nef["id"] is None
    status, body = api("POST", "/api/dashboards/db", {"dashboard": nef})
    assert status == 200 and body["version"] == 1
    assert api("POST", "/api/dashboards/db", {"dashboard": nef})[1]["status"] == "version-mismatch"
    export = real_dashboards["mltp-metrics-logs-traces-export.json"]
    api("POST", "/api/dashboards/db", {"dashboard": export})
    assert api("GET", "/api/dashboards/uid/4VSk5Lank")[1]["dashboard"]["__inputs"] == export["__inputs"]  # stored verbatim


# 4. folders -----------------------------------------------------------------------------------

def test_folder_rules(api):
    assert api("POST", "/api/folders", {"uid": "a", "title": "A"})[0] == 200
    assert api("POST", "/api/folders", {"uid": "a", "title": "Other"}) == (409, {"message": "a folder/dashboard with the same uid already exists"})
    assert api("POST", "/api/folders", {"title": "general"})[0] == 400
    assert api("POST", "/api/folders", {"title": ""}) == (400, {"message": "folder title cannot be empty"})
    api("POST", "/api/folders", {"uid": "b", "title": "B", "parentUid": "a"})
    api("POST", "/api/folders", {"uid": "c", "title": "C", "parentUid": "b"})
    assert [f["uid"] for f in api("GET", "/api/folders")[1]] == ["a"]
    assert [f["uid"] for f in api("GET", "/api/folders?parentUid=a")[1]] == ["b"]
    c = api("GET", "/api/folders/c")[1]
    assert c["parentUid"] == "b" and [p["uid"] for p in c["parents"]] == ["a", "b"]
    assert api("PUT", "/api/folders/c", {"title": "C2", "version": 9}) == \
        (412, {"status": "version-mismatch", "message": "the folder has been changed by someone else"})
    assert api("PUT", "/api/folders/c", {"title": "C2", "version": 1})[1]["version"] == 2
    assert api("POST", "/api/folders/a/move", {"parentUid": "c"})[0] == 400  # circular
    assert "parentUid" not in api("POST", "/api/folders/c/move", {"parentUid": ""})[1]
    api("POST", "/api/dashboards/db", {"dashboard": {"title": "In B", "uid": "in-b"}, "folderUid": "b"})
    assert api("DELETE", "/api/folders/a")[1]["message"] == "Folder deleted"
    assert set(api.fake.org(1).folders) == {"c"} and api.fake.org(1).dashboards == {}
    assert api("GET", "/api/folders/a") == (404, {"status": "not-found", "message": "folder not found"})


# 5. data sources ------------------------------------------------------------------------------

def test_datasource_rules(api):
    status, body = api("POST", "/api/datasources", {"name": "P", "type": "prometheus", "uid": "p", "secureJsonData": {"password": "x"}})
    assert status == 200 and body["message"] == "Datasource added" and body["datasource"]["isDefault"] is True
    ds = api("GET", "/api/datasources/uid/p")[1]
    assert ds["secureJsonFields"] == {"password": True} and "secureJsonData" not in ds and ds["version"] == 1
    assert api("POST", "/api/datasources", {"name": "P", "type": "loki"}) == (409, {"message": "data source with the same name already exists"})
    assert api("POST", "/api/datasources", {"name": "Q", "type": "loki", "uid": "p"})[0] == 409
    assert api("PUT", "/api/datasources/uid/p", {"name": "P", "type": "prometheus", "version": 1})[1]["datasource"]["version"] == 2
    assert api("GET", "/api/datasources/uid/p")[1]["secureJsonFields"] == {"password": True}  # kept without secureJsonData
    assert api("PUT", "/api/datasources/uid/p", {"name": "P", "type": "prometheus", "version": 1})[0] == 409
    api.fake.org(1).datasources["p"]["readOnly"] = True
    assert api("PUT", "/api/datasources/uid/p", {"name": "P", "type": "prometheus"}) == (403, {"message": "Cannot update read-only data source"})
    assert api("GET", "/api/datasources/uid/none") == (404, {"message": "Data source not found"})
    assert api("GET", "/api/datasources")[1][0]["typeName"]


# 6. alerting ----------------------------------------------------------------------------------

def test_contact_points_masking_and_codes(api):
    default = api("GET", "/api/v1/provisioning/contact-points")[1]
    assert [c["name"] for c in default] == ["grafana-default-email"] and "provenance" not in default[0]
    cp = {"uid": "s", "name": "ops", "type": "slack", "settings": {"url": "https://hook", "recipient": "#a"}}
    status, body = api("POST", "/api/v1/provisioning/contact-points", cp)
    assert status == 202 and body["settings"]["url"] == "[REDACTED]" and body["provenance"] == "api"
    got = [c for c in api("GET", "/api/v1/provisioning/contact-points")[1] if c["uid"] == "s"][0]
    assert got["settings"] == {"url": "[REDACTED]", "recipient": "#a"}
    # sending the GET result back keeps the secret
    assert api("PUT", "/api/v1/provisioning/contact-points/s", got) == (202, {"message": "contactpoint updated"})
    assert api.fake.org(1).receivers[-1]["settings"]["url"] == "https://hook"
    export = api("GET", "/api/v1/provisioning/contact-points/export?decrypt=true&format=json&name=ops")[1]
    assert export["contactPoints"][0]["receivers"][0]["settings"]["url"] == "https://hook"
    assert api("GET", "/api/v1/provisioning/contact-points/export?decrypt=true&format=json", auth=EDITOR)[0] == 403
    dup = api("POST", "/api/v1/provisioning/contact-points", cp)
    assert dup[0] == 409 and dup[1]["messageId"] == "alerting.notifications.contact-points.uidInUse"
    api.fake.state.legacy_duplicate_uid_500 = True
    assert api("POST", "/api/v1/provisioning/contact-points", cp)[0] == 500
    assert api("PUT", "/api/v1/provisioning/contact-points/unknown", cp)[0] == 404
    assert api("DELETE", "/api/v1/provisioning/contact-points/unknown") == (202, {"message": "contactpoint deleted"})


def test_provenance_rules(api):
    cp = {"uid": "p", "name": "p", "type": "email", "settings": {"addresses": "a@b"}}
    api("POST", "/api/v1/provisioning/contact-points", cp, headers={"X-Disable-Provenance": "anything"})
    assert api.fake.org(1).receivers[-1]["provenance"] == ""
    api("PUT", "/api/v1/provisioning/contact-points/p", cp)  # none -> api is allowed
    assert api.fake.org(1).receivers[-1]["provenance"] == "api"
    status, body = api("PUT", "/api/v1/provisioning/contact-points/p", cp, headers={"X-Disable-Provenance": "true"})
    assert status == 403 and body["messageId"] == "alerting.notifications.invalidProvenance"


def test_policy_tree(api):
    assert api("GET", "/api/v1/provisioning/policies") == (200, {"receiver": "grafana-default-email",
                                                                 "group_by": ["grafana_folder", "alertname"]})
    bad = api("PUT", "/api/v1/provisioning/policies", {"receiver": "nobody"})
    assert bad[0] == 400 and "receiver 'nobody' does not exist" in bad[1]["message"]
    tree = {"receiver": "grafana-default-email", "routes": [{"object_matchers": [["a", "=", "b"]], "group_wait": "60s"}]}
    assert api("PUT", "/api/v1/provisioning/policies", tree) == (202, {"message": "policies updated"})
    got = api("GET", "/api/v1/provisioning/policies")[1]
    assert got["routes"][0]["group_wait"] == "1m" and got["provenance"] == "api"
    status, body = api("DELETE", "/api/v1/provisioning/policies")
    assert status == 202 and body["receiver"] == "grafana-default-email"


def test_mute_timings_and_templates(api):
    mt = {"name": "w", "time_intervals": [{"weekdays": ["Saturday"]}]}
    status, body = api("POST", "/api/v1/provisioning/mute-timings", mt)
    assert status == 201 and body["time_intervals"] == [{"weekdays": ["saturday"]}] and body["version"]
    assert api("POST", "/api/v1/provisioning/mute-timings", mt)[1]["messageId"] == "alerting.notifications.time-intervals.nameExists"
    assert api("PUT", "/api/v1/provisioning/mute-timings/w", dict(mt, version="stale"))[0] == 409
    api("PUT", "/api/v1/provisioning/policies", {"receiver": "grafana-default-email", "routes": [{"mute_time_intervals": ["w"]}]})
    used = api("DELETE", "/api/v1/provisioning/mute-timings/w")
    assert used[0] == 409 and used[1]["messageId"] == "alerting.notifications.time-intervals.used"
    assert api("PUT", "/api/v1/provisioning/templates/t", {"template": "plain"})[1]["template"] == "plain"
    api.fake.state.legacy_template_wrap = True
    assert api("PUT", "/api/v1/provisioning/templates/t", {"template": "plain"})[1]["template"] == '{{ define "t" }}\n  plain\n{{ end }}'
    assert api("DELETE", "/api/v1/provisioning/templates/t") == (204, None)
    assert api("GET", "/api/v1/provisioning/templates/t")[1]["messageId"] == "alerting.notifications.templates.notFound"


def test_alert_rules(api):
    resp = _http.request("GET", api.fake.url + "/api/v1/provisioning/alert-rules/nope", headers={"Authorization": ADMIN})
    assert resp.status == 404 and resp.body == b""
    api("POST", "/api/folders", {"uid": "f", "title": "F"})
    rule = {"uid": "r", "title": "R", "folderUID": "f", "ruleGroup": "g", "condition": "A", "for": "300s", "orgID": 1,
            "noDataState": "NoData", "execErrState": "Error",
            "data": [{"refId": "A", "datasourceUid": "__expr__", "model": {"type": "math", "expression": "1"}}]}
    status, body = api("POST", "/api/v1/provisioning/alert-rules", rule)
    assert status == 201 and body["for"] == "5m" and body["data"][0]["model"]["maxDataPoints"] == 43200
    assert api("POST", "/api/v1/provisioning/alert-rules", rule)[0] == 409
    group = api("GET", "/api/v1/provisioning/folder/f/rule-groups/g")[1]
    assert group["interval"] == 60 and [r["uid"] for r in group["rules"]] == ["r"]
    assert api("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", dict(group, interval=15))[0] == 400
    assert api("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", dict(group, interval=120))[1]["interval"] == 120
    assert api("PUT", "/api/v1/provisioning/alert-rules/r", dict(rule, title="R2"))[0] == 200
    assert api("DELETE", "/api/folders/f")[0] == 400
    assert api("DELETE", "/api/v1/provisioning/alert-rules/r") == (204, None)


# 7./8. error shapes and the request log --------------------------------------------------------

def test_request_log(api):
    api("POST", "/api/folders", {"uid": "a", "title": "A"})
    api("GET", "/api/folders/a")
    entry = api.fake.requests[-2]
    assert (entry["method"], entry["path"], entry["status"], entry["body"]) == ("POST", "/api/folders", 200, {"uid": "a", "title": "A"})
    assert entry["headers"]["Authorization"] == ADMIN and entry["response"]["uid"] == "a"
    assert [w["route"] for w in api.fake.writes()] == ["/api/folders"]
    log = api("GET", "/__fake__/requests?since=%d" % (api.fake.seq - 2), auth=None)[1]
    assert [(r["method"], r["path"]) for r in log] == [("POST", "/api/folders"), ("GET", "/api/folders/a")]


# what the grafana role needs --------------------------------------------------------------------

def test_service_accounts_tokens_and_reloads(api):
    status, sa = api("POST", "/api/serviceaccounts", {"name": "ansible", "role": "Admin"})
    assert status == 201 and sa["login"] == "sa-1-ansible" and sa["tokens"] == 0
    assert api("POST", "/api/serviceaccounts", {"name": "ansible", "role": "Admin"})[1]["messageId"] == "serviceaccounts.ErrAlreadyExists"
    found = api("GET", "/api/serviceaccounts/search?query=ansib")[1]
    assert found["totalCount"] == 1 and found["serviceAccounts"][0]["id"] == sa["id"]
    status, token = api("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], {"name": "t1", "secondsToLive": 0})
    assert status == 200 and token["key"].startswith("glsa_")
    assert api("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], {"name": "t1"})[0] == 409
    assert [t["name"] for t in api("GET", "/api/serviceaccounts/%d/tokens" % sa["id"])[1]] == ["t1"]
    assert api("POST", "/api/folders", {"uid": "by-new-token", "title": "T"}, auth="Bearer " + token["key"])[0] == 200
    for kind in ("dashboards", "datasources", "alerting"):
        assert api("POST", "/api/admin/provisioning/%s/reload" % kind, auth=basic("admin", "admin-pw"))[0] == 200
    assert api("POST", "/api/admin/provisioning/dashboards/reload")[0] == 403  # tokens are not server admins


def test_standalone_command_line(tmp_path):
    support = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "support")
    proc = subprocess.Popen([sys.executable, "-m", "grafana_double", "--port", "0", "--admin-password", "pw",
                             "--token", "cli-token"], cwd=support, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.strip().rsplit(" ", 1)[-1]
        assert json.loads(_http.request("GET", url + "/api/health").body)["version"] == "12.2.0"
        ok = _http.request("POST", url + "/api/folders", body={"title": "CLI"}, headers={"Authorization": "Bearer cli-token"})
        assert ok.status == 200
        assert _http.request("GET", url + "/api/folders", headers={"Authorization": basic("admin", "pw")}).json()[0]["title"] == "CLI"
    finally:
        proc.terminate()
        proc.wait(5)
