import action_plugins
import pytest
from ansible_collections.vigil.observability.plugins.action import service_state
from ansible_collections.vigil.observability.plugins.action.service_state import ActionModule, pending_paths, service_todo

UNIT = "/etc/systemd/system/x.service"
ARGS = {"unit": "x.service", "unit_file": UNIT, "newer_than": "/var/lib/vigil/applied/x",
        "newer_paths": {"restart": [UNIT], "reload": ["/etc/x"]}, "reset_failed": True,
        "unit_template": "service.j2", "template_dir": "/roles/_artifact/templates", "private_users_var": "__ok"}
RUNNING = {"ActiveState": "active", "UnitFileState": "enabled", "MainPID": "7"}


def read(unit_file=None, newer=None, status=None, private_users=True):
    return {"changed": False, "invocation": {"module_args": {}}, "private_users": private_users, "reset": False,
            "reload_time": 0.0, "status": dict(RUNNING if status is None else status),
            "unit_file": unit_file or {"exists": True, "type": "file", "checksum": "1", "owner": "root", "group": "root", "mode": "0644"},
            "newer": newer or {"restart": [], "reload": []}}


def action(args, state, sums, monkeypatch):
    """The action, with the module answering ``state`` and the checksum lookup ``sums``."""
    class Lookup:
        def run(self, terms, variables=None, **kwargs):
            calls.append(("lookup", terms, {"__ok": (variables or {}).get("__ok")}, kwargs))
            return sums
    act, calls = action_plugins.action(ActionModule, args, {"vigil.observability.service_state": lambda module_args: state})
    monkeypatch.setattr(service_state.lookup_loader, "get", lambda *a, **k: Lookup())
    return act, calls


def test_nothing_to_do(monkeypatch):
    act, calls = action(ARGS, read(), ["1"], monkeypatch)
    result = act.run(task_vars={"__ok": "from the play"})
    assert (result["todo"], result["unit_differs"], result["pending"]) == (False, False, [])
    assert result["status"]["MainPID"] == "7" and "invocation" not in result and not result.get("changed")
    # The module never sees the controller's options; the template sees the read's private_users.
    name, module_args = calls[0]
    assert name == "vigil.observability.service_state" and "unit_template" not in module_args and module_args["unit_file"] == UNIT
    assert calls[1] == ("lookup", [[{"src": "service.j2", "dest": UNIT}]], {"__ok": True},
                        {"template_dir": "/roles/_artifact/templates"})


@pytest.mark.parametrize("unit_file", [
    {"exists": True, "type": "file", "checksum": "2", "owner": "root", "group": "root", "mode": "0644"},
    {"exists": True, "type": "file", "checksum": "1", "owner": "root", "group": "root", "mode": "0600"},
    {"exists": False},
])
def test_another_unit_is_to_do(unit_file, monkeypatch):
    act, calls = action(ARGS, read(unit_file=unit_file), ["1"], monkeypatch)
    result = act.run(task_vars={})
    assert result["unit_differs"] and result["todo"]


def test_without_a_template_nothing_is_rendered(monkeypatch):
    args = {key: value for key, value in ARGS.items() if key not in ("unit_template", "template_dir", "private_users_var")}
    act, calls = action(args, read(), ["2"], monkeypatch)
    result = act.run(task_vars={})
    assert not result["unit_differs"] and not result["todo"] and [call[0] for call in calls] == ["vigil.observability.service_state"]


def test_pending_paths_once_in_order():
    assert pending_paths({"restart": ["/a", "/b"], "reload": ["/b", "/c"]}) == ["/a", "/b", "/c"]
    assert pending_paths({}) == []


@pytest.mark.parametrize("status,pending,differs,todo", [
    (RUNNING, [], False, False),
    (dict(RUNNING, ActiveState="failed"), [], False, True),
    (dict(RUNNING, UnitFileState="disabled"), [], False, True),
    ({}, [], False, True),
    (RUNNING, ["/etc/x/x.yml"], False, True),
    (RUNNING, [], True, True),
])
def test_service_todo(status, pending, differs, todo):
    assert service_todo(status, pending, differs) is todo


def test_pending_changes_are_to_do(monkeypatch):
    act, calls = action(ARGS, read(newer={"restart": [], "reload": ["/etc/x/x.yml"]}), ["1"], monkeypatch)
    result = act.run(task_vars={})
    assert result["pending"] == ["/etc/x/x.yml"] and result["todo"] and not result["unit_differs"]


def test_a_failing_read_fails_with_its_message(monkeypatch):
    act, calls = action(ARGS, {"failed": True, "msg": "systemctl not found"}, ["1"], monkeypatch)
    result = act.run(task_vars={})
    assert result["failed"] and result["msg"] == "systemctl not found"
