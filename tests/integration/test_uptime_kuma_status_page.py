# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uptime_kuma_status_page against the REAL Uptime Kuma 2.5.3 (the session's server)."""

from __future__ import annotations

import json
import urllib.request

from test_uptime_kuma_notification import monitors

MODULE = "uptime_kuma_status_page"


def public_groups(kuma, slug):
    """The page's publicGroupList, past the server's cache."""
    request = urllib.request.Request("%s/api/status-page/%s" % (kuma.server.url, slug), headers={"x-apicache-bypass": "1"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["publicGroupList"]


def stored(kuma, slug):
    """(getStatusPage's config, the groups as [(name, [monitor names])]) or None."""
    client = kuma.client()
    try:
        answer = client.call("getStatusPage", slug, check=False)
    finally:
        client.close()
    if not answer.get("ok"):
        return None
    return answer["config"], [(g["name"], [m["name"] for m in g["monitorList"]]) for g in public_groups(kuma, slug)]


def test_lifecycle(kuma):
    with monitors(kuma, "unit-sp-web", "unit-sp-api", "unit-sp-db"):
        args = {"slug": "unit-shop", "title": "Shop", "published": True, "description": "Live status", "show_powered_by": False,
                "domain_names": ["status.unit.example"],
                "groups": [{"name": "Front", "monitors": ["unit-sp-web", "unit-sp-api"]}, {"name": "Back", "monitors": ["unit-sp-db"]}]}

        result = kuma.run(MODULE, args, check=True)
        assert result["changed"] and result["action"] == "create" and result["requests"]["writes"] == 0
        assert stored(kuma, "unit-shop") is None

        result = kuma.run(MODULE, args)
        assert result["changed"] and result["action"] == "create"
        page = result["status_page"]
        assert page["id"] and page["title"] == "Shop" and page["show_powered_by"] is False and page["published"] is True
        assert page["groups"] == [{"name": "Front", "monitors": ["unit-sp-web", "unit-sp-api"]}, {"name": "Back", "monitors": ["unit-sp-db"]}]
        config, groups = stored(kuma, "unit-shop")
        assert config["description"] == "Live status" and config["domainNameList"] == ["status.unit.example"]
        assert groups == [("Front", ["unit-sp-web", "unit-sp-api"]), ("Back", ["unit-sp-db"])]

        result = kuma.run(MODULE, args)
        assert not result["changed"] and result["action"] is None and result["requests"]["writes"] == 0
        assert result["diff"]["before"] == result["diff"]["after"]

        # Options left out are kept.
        result = kuma.run(MODULE, {"slug": "unit-shop"})
        assert not result["changed"] and result["requests"]["writes"] == 0

        # One field: one write, the groups stay.
        result = kuma.run(MODULE, dict(args, footer_text="Call us"))
        assert result["changed"] and result["action"] == "update" and result["requests"]["writes"] == 1
        assert result["diff"]["before"]["footer_text"] == "" and result["diff"]["after"]["footer_text"] == "Call us"
        config, groups = stored(kuma, "unit-shop")
        assert config["footerText"] == "Call us" and len(groups) == 2

        # Check mode: reported, not written.
        reordered = dict(args, groups=[{"name": "Back", "monitors": ["unit-sp-db", "unit-sp-web"]}])
        result = kuma.run(MODULE, reordered, check=True)
        assert result["changed"] and result["requests"]["writes"] == 0
        assert result["diff"]["after"]["groups"] == [{"name": "Back", "monitors": ["unit-sp-db", "unit-sp-web"]}]
        assert stored(kuma, "unit-shop")[1] == [("Front", ["unit-sp-web", "unit-sp-api"]), ("Back", ["unit-sp-db"])]

        # The full group list is what the page keeps: the group left out goes.
        result = kuma.run(MODULE, reordered)
        assert result["changed"] and result["requests"]["writes"] == 1
        assert stored(kuma, "unit-shop")[1] == [("Back", ["unit-sp-db", "unit-sp-web"])]

        # A "show URL" choice made in the web app survives a save by the module.
        [back] = public_groups(kuma, "unit-shop")
        config = stored(kuma, "unit-shop")[0]
        web_app_save = [{"id": back["id"], "name": "Back",
                         "monitorList": [dict(back["monitorList"][0], sendUrl=True), back["monitorList"][1]]}]
        client = kuma.client()
        try:
            client.call("saveStatusPage", "unit-shop", config, config["icon"], web_app_save)
        finally:
            client.close()
        result = kuma.run(MODULE, dict(reordered, title="Shop 2"))
        assert result["changed"] and result["requests"]["writes"] == 1
        [kept] = public_groups(kuma, "unit-shop")
        assert kept["id"] == back["id"] and [bool(m["sendUrl"]) for m in kept["monitorList"]] == [True, False]

        # groups: [] empties the page.
        result = kuma.run(MODULE, {"slug": "unit-shop", "groups": []})
        assert result["changed"] and stored(kuma, "unit-shop")[1] == []

        result = kuma.run(MODULE, {"slug": "unit-shop", "state": "absent"}, check=True)
        assert result["changed"] and result["requests"]["writes"] == 0 and stored(kuma, "unit-shop") is not None
        result = kuma.run(MODULE, {"slug": "unit-shop", "state": "absent"})
        assert result["changed"] and result["action"] == "delete" and result["status_page"] is None
        assert stored(kuma, "unit-shop") is None
        result = kuma.run(MODULE, {"slug": "unit-shop", "state": "absent"})
        assert not result["changed"] and result["requests"]["writes"] == 0


def test_bad_input_writes_nothing(kuma):
    with monitors(kuma, "unit-sp-known"):
        cases = [
            ({"slug": "unit-bad", "title": "T", "groups": [{"name": "G", "monitors": ["unit-sp-known", "unit-sp-nope"]}]},
             "status page 'unit-bad': unknown monitor 'unit-sp-nope' (in groups[0].monitors)"),
            ({"slug": "unit-bad", "title": "T", "groups": [{"name": "G"}, {"name": "G"}]}, "lists 'G' twice"),
            ({"slug": "Unit-Bad", "title": "T"}, "not a valid status page slug"),
            ({"slug": "unit bad", "title": "T"}, "not a valid status page slug"),
            ({"slug": "unit-bad-", "title": "T"}, "not a valid status page slug"),
            ({"slug": "unit--bad", "title": "T"}, "not a valid status page slug"),
            ({"slug": "unit-bad"}, "status page 'unit-bad' does not exist: title is needed"),
            ({"slug": "unit-bad", "title": "T", "auto_refresh_interval": 2}, "at least 5"),
            ({"slug": "unit-bad", "title": "T", "published": False}, "cannot unpublish"),
            ({"slug": "unit-bad", "title": "T", "groups": [{"monitors": ["unit-sp-known"]}]}, "name"),
        ]
        for args, expected in cases:
            result = kuma.run(MODULE, args)
            assert result.get("failed"), args
            assert expected in result["msg"] and "\n" not in result["msg"] and "exception" not in result, result["msg"]
            assert result.get("requests", {}).get("writes", 0) == 0
        assert stored(kuma, "unit-bad") is None
