import action_plugins
from ansible_collections.vigil.observability.plugins.action import template_state
from ansible_collections.vigil.observability.plugins.action.template_state import ActionModule

FILES = [{"src": "a.j2", "dest": "/etc/x/a.yml"}, {"src": "b.j2", "dest": "/etc/x/b.yml", "mode": "0600", "secret": True}]


def action(args, paths, sums, monkeypatch):
    """The action, with paths_info answering ``paths`` and the checksum lookup ``sums``."""
    class Lookup:
        def run(self, terms, variables=None, **kwargs):
            calls.append(("lookup", terms, kwargs))
            return sums
    act, calls = action_plugins.action(ActionModule, args, {"vigil.observability.paths_info": lambda module_args: {"paths": paths}})
    monkeypatch.setattr(template_state.lookup_loader, "get", lambda *a, **k: Lookup())
    return act, calls


def have(checksum, mode="0640", group="x"):
    return {"exists": True, "type": "file", "checksum": checksum, "owner": "root", "group": group, "mode": mode}


ARGS = {"files": FILES, "template_dir": "/roles/x/templates", "owner": "root", "group": "x", "mode": "0640"}


def test_nothing_changes(monkeypatch):
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("2", mode="0600")}, ["1", "2"], monkeypatch)
    result = act.run(task_vars={})
    assert result["changing"] == [] and not result.get("changed")
    assert calls[0] == ("vigil.observability.paths_info", {"paths": ["/etc/x/a.yml", "/etc/x/b.yml"]})
    assert calls[1] == ("lookup", [FILES], {"template_dir": "/roles/x/templates"})


def test_content_mode_and_group_count(monkeypatch):
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1", group="root"), "/etc/x/b.yml": have("3", mode="0600")}, ["1", "2"], monkeypatch)
    assert act.run(task_vars={})["changing"] == FILES
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("2")}, ["1", "2"], monkeypatch)
    assert act.run(task_vars={})["changing"] == [FILES[1]]


def test_missing_file_changes(monkeypatch):
    act, calls = action(ARGS, {"/etc/x/a.yml": {"exists": False}, "/etc/x/b.yml": have("2", mode="0600")}, ["1", "2"], monkeypatch)
    assert act.run(task_vars={})["changing"] == [FILES[0]]


def test_no_files_no_call(monkeypatch):
    act, calls = action(dict(ARGS, files=[]), {}, [], monkeypatch)
    assert act.run(task_vars={})["changing"] == [] and calls == []


def test_bad_files(monkeypatch):
    act, calls = action(dict(ARGS, files=[{"src": "a.j2"}]), {}, [], monkeypatch)
    result = act.run(task_vars={})
    assert result["failed"] and "files must be a list of items with src and dest" in result["msg"]


def test_a_failing_read_fails_with_its_message(monkeypatch):
    act, calls = action_plugins.action(ActionModule, ARGS, {
        "vigil.observability.paths_info": lambda module_args: {"failed": True, "msg": "permission denied: /etc/x"}})
    result = act.run(task_vars={})
    assert result["failed"] and result["msg"] == "permission denied: /etc/x"
