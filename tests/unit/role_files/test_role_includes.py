"""How the roles, playbooks and scenarios call other roles (include_role and import_role).

- ``tasks_from`` is never a template. Ansible renders it for the first host of an include and
  runs that file on every host that shares the include's arguments, so a per-host choice (the
  install method of a host, say) would silently run the first host's file everywhere.
- Every call of ``_artifact`` says ``rolespec_validate: false``: the roles name its entry points
  by file (``install.yml``), which Ansible never matches with the spec, so validation only costs
  the controller a copy of the spec at each include (roles/_artifact/README.md).
"""

import pytest
from repo_yaml import yaml_files

TASK_FILES = ("roles/*/tasks/*.yml", "roles/*/handlers/*.yml", "playbooks/*.yml", "molecule/*/*.yml", "*.yml")
ROLE_CALLS = ("include_role", "import_role", "ansible.builtin.include_role", "ansible.builtin.import_role")


def tasks(node):
    """Every task mapping in a file's data: plays, blocks, rescue and always included."""
    if isinstance(node, list):
        for item in node:
            yield from tasks(item)
    elif isinstance(node, dict):
        yield node
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if key in node:
                yield from tasks(node[key])


def role_calls():
    calls = []
    for path, data in yaml_files(TASK_FILES):
        for task in tasks(data):
            for key in ROLE_CALLS:
                if isinstance(task.get(key), dict):
                    calls.append((path, task.get("name", "?"), task[key]))
    return calls


CALLS = role_calls()


def test_the_scan_finds_the_calls():
    assert len(CALLS) > 100
    assert sum(1 for _path, _name, args in CALLS if args.get("name") == "vigil.observability._artifact") > 60


@pytest.mark.parametrize("path,name,args", [c for c in CALLS if "tasks_from" in c[2]],
                         ids=lambda value: value if isinstance(value, str) else None)
def test_tasks_from_is_not_a_template(path, name, args):
    assert "{{" not in str(args["tasks_from"]), (
        "%s: %r: tasks_from %r is rendered once for all hosts of the include; choose the file with "
        "one include per choice and a when condition" % (path, name, args["tasks_from"]))


@pytest.mark.parametrize("path,name,args", [c for c in CALLS if c[2].get("name") == "vigil.observability._artifact"],
                         ids=lambda value: value if isinstance(value, str) else None)
def test_artifact_calls_skip_the_spec_ansible_never_applies(path, name, args):
    assert str(args.get("tasks_from", "")).endswith(".yml"), "%s: %r names an entry point Ansible would validate" % (path, name)
    assert args.get("rolespec_validate") is False, "%s: %r: add rolespec_validate: false" % (path, name)
