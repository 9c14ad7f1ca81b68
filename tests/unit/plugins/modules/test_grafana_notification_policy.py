# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""grafana_notification_policy: whole tree, normalised comparison, order, inheritance, reset."""

from __future__ import annotations

import pytest

from ansible_collections.vigil.observability.plugins.modules import grafana_notification_policy as policy


@pytest.fixture
def receivers(grafana):
    for name in ("ops", "dba"):
        grafana.run("grafana_contact_point", {"uid": name, "name": name, "type": "email", "settings": {"addresses": name + "@x"}})
    grafana.run("grafana_mute_timing", {"name": "weekends", "time_intervals": [{"weekdays": ["saturday", "sunday"]}]})
    return grafana


TREE = {"receiver": "ops", "group_by": ["grafana_folder", "alertname"], "repeat_interval": "4h",
        "routes": [{"receiver": "dba", "object_matchers": [["team", "=", "db"], ["env", "=~", "prod|stage"]],
                    "group_wait": "60s", "mute_time_intervals": ["weekends"],
                    "routes": [{"matchers": ['severity="critical"'], "repeat_interval": "30m"}]},
                   {"receiver": "ops", "match": {"team": "ops"}, "continue": True}]}


def test_fresh_instance_without_routes_key(receivers):
    raw = receivers.fake.org(1).policy
    assert "routes" not in raw
    default = {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"]}
    result = receivers.run("grafana_notification_policy", default)
    assert not result["changed"]


def test_tree_round_trip_is_a_noop_in_any_spelling(receivers):
    assert receivers.run("grafana_notification_policy", TREE)["changed"]
    stored = receivers.fake.org(1).policy
    assert stored["routes"][0]["group_wait"] == "1m"  # Grafana's own spelling
    mark = receivers.mark()
    assert not receivers.run("grafana_notification_policy", TREE)["changed"]
    # same tree, other spellings: 1m for 60s, matcher strings, inherited values written out, order of group_by
    respelled = {"receiver": "ops", "group_by": ["alertname", "grafana_folder"], "repeat_interval": "240m",
                 "group_wait": "30s", "group_interval": "5m",
                 "routes": [{"receiver": "dba", "matchers": ['env=~"prod|stage"', "team=db"], "group_wait": "1m",
                             "repeat_interval": "4h", "mute_time_intervals": ["weekends"],
                             "routes": [{"receiver": "dba", "object_matchers": [["severity", "=", "critical"]],
                                         "repeat_interval": "1800s"}]},
                            {"object_matchers": [["team", "=", "ops"]], "continue": True}]}
    assert not receivers.run("grafana_notification_policy", respelled)["changed"]
    assert receivers.writes(mark) == []


def test_route_order_matters(receivers):
    receivers.run("grafana_notification_policy", TREE)
    swapped = dict(TREE, routes=list(reversed(TREE["routes"])))
    result = receivers.run("grafana_notification_policy", swapped, diff=True)
    assert result["changed"]
    assert [r.get("receiver") for r in result["diff"]["before"]["routes"]] == ["dba", None]
    assert [r.get("receiver") for r in result["diff"]["after"]["routes"]] == [None, "dba"]


def test_whole_tree_is_replaced(receivers):
    receivers.run("grafana_notification_policy", TREE)
    result = receivers.run("grafana_notification_policy", {"receiver": "ops"})
    assert result["changed"] and "routes" not in receivers.fake.org(1).policy
    body = receivers.writes()[-1]["body"]
    assert body == {"receiver": "ops"}


def test_matchers_are_sent_as_object_matchers(receivers):
    receivers.run("grafana_notification_policy", TREE)
    body = receivers.writes()[-1]["body"]
    nested = body["routes"][0]["routes"][0]
    assert nested == {"object_matchers": [["severity", "=", "critical"]], "repeat_interval": "30m"}
    assert body["routes"][1]["object_matchers"] == [["team", "=", "ops"]] and "match" not in body["routes"][1]


def test_absent_resets_to_the_default_tree(receivers):
    mark = receivers.mark()
    untouched = receivers.run("grafana_notification_policy", {"state": "absent"})
    assert not untouched["changed"] and receivers.writes(mark) == []
    receivers.run("grafana_notification_policy", TREE)
    reset = receivers.run("grafana_notification_policy", {"state": "absent"})
    assert reset["changed"] and reset["action"] == "reset"
    assert receivers.writes()[-1]["method"] == "DELETE"
    assert receivers.fake.org(1).policy == {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"]}


def test_provenance(receivers):
    receivers.run("grafana_notification_policy", dict(TREE, disable_provenance=True))
    assert receivers.fake.org(1).policy_provenance == ""
    assert "X-Disable-Provenance" in receivers.writes()[-1]["headers"]
    receivers.run("grafana_notification_policy", {"receiver": "ops"})
    assert receivers.fake.org(1).policy_provenance == "api"
    assert not receivers.run("grafana_notification_policy", {"receiver": "ops", "disable_provenance": True})["changed"]


@pytest.mark.parametrize("tree,message", [
    ({"receiver": "nobody"}, "receiver 'nobody' does not exist"),
    ({"receiver": "ops", "routes": [{"receiver": "ops", "mute_time_intervals": ["never"]}]}, "mute time interval 'never' does not exist"),
])
def test_server_validation_is_a_clean_failure(receivers, tree, message):
    result = receivers.run("grafana_notification_policy", tree)
    assert result["failed"] and "HTTP 400" in result["msg"] and message in result["msg"]


@pytest.mark.parametrize("tree,message", [
    ({"receiver": "ops", "routes": [{"receiver": "ops", "object_matcher": [["a", "=", "b"]]}]}, "root.routes[0] has unknown keys object_matcher"),
    ({"receiver": "ops", "routes": [{"object_matchers": [["a", "==", "b"]]}]}, "operator one of"),
    ({"receiver": "ops", "routes": [{"matchers": ["no operator"]}]}, "is not of the form"),
    ({"receiver": "ops", "group_wait": "soon"}, "root.group_wait must be a duration"),
    ({"receiver": "ops", "routes": ["ops"]}, "Elements value for option 'routes'"),
])
def test_bad_input_fails_before_writing(receivers, tree, message):
    mark = receivers.mark()
    result = receivers.run("grafana_notification_policy", tree)
    assert result["failed"] and message in result["msg"] and receivers.writes(mark) == []


def test_canonical_form():
    assert policy.canonical({"receiver": "a", "group_wait": "30s", "repeat_interval": "4h", "routes": [
        {"receiver": "a", "group_by": [], "continue": False, "routes": []}]}) == {"receiver": "a", "routes": [{}]}
    assert policy.parse_matcher('name!~"a|b"') == ["name", "!~", "a|b"]
    assert policy.parse_matcher("x = y") == ["x", "=", "y"]


@pytest.mark.parametrize("tree,message", [
    ({"receiver": "nobody"}, "the notification policy tree: root names receiver 'nobody', which is not a contact point in Grafana "
                             "(known: dba, grafana-default-email, ops); a real run would be refused"),
    ({"receiver": "ops", "routes": [{"receiver": "dba"}, {"object_matchers": [["a", "=", "b"]], "receiver": "ghost"}]},
     "root.routes[1] names receiver 'ghost'"),
    ({"receiver": "ops", "routes": [{"receiver": "dba", "routes": [{"matchers": ["x=y"], "mute_time_intervals": ["holidays"]}]}]},
     "root.routes[0].routes[0].mute_time_intervals names time interval 'holidays', which is not a mute timing in Grafana"),
])
def test_check_mode_refuses_what_grafana_refuses(receivers, tree, message):
    mark = receivers.mark()
    check = receivers.run("grafana_notification_policy", tree, check=True)
    assert check["failed"] and message in check["msg"] and "\n" not in check["msg"], check
    assert receivers.writes(mark) == []


def test_the_real_run_refuses_an_unknown_receiver(receivers):
    real = receivers.run("grafana_notification_policy", {"receiver": "nobody"})
    assert real["failed"] and "HTTP 400" in real["msg"] and "receiver 'nobody' does not exist" in real["msg"]


def test_check_mode_accepts_existing_references(receivers):
    assert receivers.run("grafana_notification_policy", TREE, check=True)["changed"]
    receivers.run("grafana_notification_policy", TREE)
    mark = receivers.mark()
    assert not receivers.run("grafana_notification_policy", TREE, check=True)["changed"]
    # nothing would change, so nothing more is read than the tree
    assert [r["route"] for r in receivers.requests(mark)] == ["/api/v1/provisioning/policies"]


def test_check_mode_counts_pending_receivers_as_created(receivers):
    """A contact point created by an earlier task of the same check run exists only on paper: named in
    pending_receivers it passes, while a typo beside it still fails."""
    tree = {"receiver": "mattermost", "routes": [{"receiver": "ops"}]}
    mark = receivers.mark()
    plain = receivers.run("grafana_notification_policy", tree, check=True)
    assert plain["failed"] and "names receiver 'mattermost'" in plain["msg"], plain
    pending = receivers.run("grafana_notification_policy", dict(tree, pending_receivers=["mattermost"]), check=True)
    assert not pending.get("failed") and pending["changed"], pending
    typo = receivers.run("grafana_notification_policy", dict(tree, routes=[{"receiver": "opps"}], pending_receivers=["mattermost"]),
                         check=True)
    assert typo["failed"] and "names receiver 'opps'" in typo["msg"], typo
    assert receivers.writes(mark) == []


def test_check_mode_counts_pending_time_intervals_as_created(receivers):
    tree = {"receiver": "ops", "routes": [{"receiver": "dba", "mute_time_intervals": ["holidays"]}]}
    plain = receivers.run("grafana_notification_policy", tree, check=True)
    assert plain["failed"] and "names time interval 'holidays'" in plain["msg"], plain
    pending = receivers.run("grafana_notification_policy", dict(tree, pending_time_intervals=["holidays"]), check=True)
    assert not pending.get("failed") and pending["changed"], pending
