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
    # The secret file's digest stays in the action: compared, never returned.
    assert result["paths"]["/etc/x/a.yml"] == have("1")
    assert result["paths"]["/etc/x/b.yml"] == {key: value for key, value in have("2", mode="0600").items() if key != "checksum"}
    assert calls[0] == ("vigil.observability.paths_info", {"paths": ["/etc/x/a.yml", "/etc/x/b.yml"]})
    assert calls[1] == ("lookup", [FILES], {"template_dir": "/roles/x/templates"})


def test_content_mode_and_group_count(monkeypatch):
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1", group="root"), "/etc/x/b.yml": have("3", mode="0600")}, ["1", "2"], monkeypatch)
    assert act.run(task_vars={})["changing"] == FILES
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("2")}, ["1", "2"], monkeypatch)
    assert act.run(task_vars={})["changing"] == [FILES[1]]


def test_a_changed_secret_file_changes_without_its_digest(monkeypatch):
    act, calls = action(ARGS, {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("old", mode="0600")}, ["1", "2"], monkeypatch)
    result = act.run(task_vars={})
    assert result["changing"] == [FILES[1]] and "old" not in repr(result) and "checksum" not in result["paths"]["/etc/x/b.yml"]


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


def test_absent_paths_and_patterns(monkeypatch):
    """A plain path is removed when it exists; a pattern's regular files are removed unless an item writes them."""
    state = {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("2", mode="0600"), "/etc/x/old.yml": have("9"),
             "/etc/x/gone.yml": {"exists": False}, "/etc/x/rules/keep.yml": have("4"), "/etc/x/rules/zz.yml": have("5"),
             "/etc/x/rules/aa.yml": have("6"), "/etc/x/rules/sub": {"exists": True, "type": "directory"}}
    files = FILES + [{"src": "k.j2", "dest": "/etc/x/rules/keep.yml"}]
    act, calls = action(dict(ARGS, files=files, absent=["/etc/x/old.yml", "/etc/x/gone.yml", "/etc/x/rules/*.yml", "/etc/x/rules/*"]),
                        state, ["1", "2", "4"], monkeypatch)
    result = act.run(task_vars={})
    assert result["changing"] == [] and result["removing"] == ["/etc/x/old.yml", "/etc/x/rules/aa.yml", "/etc/x/rules/zz.yml"]
    assert calls[0] == ("vigil.observability.paths_info", {
        "paths": ["/etc/x/a.yml", "/etc/x/b.yml", "/etc/x/rules/keep.yml", "/etc/x/old.yml", "/etc/x/gone.yml"],
        "globs": ["/etc/x/rules/*.yml", "/etc/x/rules/*"]})


def test_absent_alone_reads_and_nothing_there(monkeypatch):
    act, calls = action(dict(ARGS, files=[], absent=["/etc/x/old.yml"]), {"/etc/x/old.yml": {"exists": False}}, [], monkeypatch)
    result = act.run(task_vars={})
    assert result["removing"] == [] and calls == [("vigil.observability.paths_info", {"paths": ["/etc/x/old.yml"]})]


def test_absent_must_be_absolute(monkeypatch):
    act, calls = action(dict(ARGS, absent=["old.yml"]), {}, [], monkeypatch)
    result = act.run(task_vars={})
    assert result["failed"] and result["msg"] == "template_state: absent must be a list of absolute paths or patterns" and calls == []


def test_read_paths_and_patterns_are_reported_without_digests(monkeypatch):
    """What read names is read in the same call, neither written nor removed, and returned without checksum."""
    state = {"/etc/x/a.yml": have("1"), "/etc/x/b.yml": have("2", mode="0600"), "/etc/x/key": have("k"),
             "/etc/x/s/one": have("s1"), "/etc/x/s/two": have("s2")}
    act, calls = action(dict(ARGS, read=["/etc/x/key", "/etc/x/s/*", "/etc/x/a.yml"]), state, ["1", "2"], monkeypatch)
    result = act.run(task_vars={})
    assert result["changing"] == [] and result["removing"] == []
    assert calls[0] == ("vigil.observability.paths_info", {"paths": ["/etc/x/a.yml", "/etc/x/b.yml", "/etc/x/key"],
                                                           "globs": ["/etc/x/s/*"]})
    assert sorted(result["paths"]) == ["/etc/x/a.yml", "/etc/x/b.yml", "/etc/x/key", "/etc/x/s/one", "/etc/x/s/two"]
    # The item that is not secret keeps its digest even when read names it too; nothing read keeps one.
    assert result["paths"]["/etc/x/a.yml"]["checksum"] == "1"
    assert [path for path, entry in result["paths"].items() if "checksum" in entry] == ["/etc/x/a.yml"]
    assert result["paths"]["/etc/x/key"]["exists"] is True


def test_read_alone_is_one_call(monkeypatch):
    act, calls = action(dict(ARGS, files=[], read=["/etc/x/key"]), {"/etc/x/key": {"exists": False}}, [], monkeypatch)
    result = act.run(task_vars={})
    assert result["paths"] == {"/etc/x/key": {"exists": False}} and len(calls) == 1


def test_read_must_be_absolute(monkeypatch):
    act, calls = action(dict(ARGS, read=["key"]), {}, [], monkeypatch)
    result = act.run(task_vars={})
    assert result["failed"] and result["msg"] == "template_state: read must be a list of absolute paths or patterns" and calls == []
