"""Check that every role's meta/argument_specs.yml and defaults/main.yml agree, both ways.

For every role and every entry point:
- each option has a ``type`` (nested ``options`` too) and a ``description``;
- each option that is not ``required`` has a default in defaults/main.yml;
- a ``required`` option has no default (a default would make "required" a lie);
- a literal default matches the declared type (templated values are not judged);
- a ``default:`` written in the spec (what ansible-doc shows) equals defaults/main.yml.
And for the role as a whole: every key of defaults/main.yml is an option of some entry point,
and the variable tables of its README are what ``tools/role_readme.py`` generates from both.
Exit status 1 and one line per problem when anything disagrees.

``--write-defaults`` copies each value of defaults/main.yml into the spec's ``default:`` (so
``ansible-doc -t role`` shows it), keeping the files' layout and comments.
"""
from __future__ import annotations

import io
import os
import sys

import yaml

import role_readme  # tools/ is on the path: beside this script, and in pytest.ini

TYPES = {
    "str": (str,),
    "path": (str,),
    "raw": (object,),
    "bool": (bool,),
    "int": (int,),
    "float": (float, int),
    "list": (list,),
    "dict": (dict,),
}


def _templated(value):
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _check_options(where, options, problems):
    for name, spec in (options or {}).items():
        if not isinstance(spec, dict):
            problems.append("%s: option %s is not a mapping" % (where, name))
            continue
        if "type" not in spec:
            problems.append("%s: option %s has no type" % (where, name))
        elif spec["type"] not in TYPES:
            problems.append("%s: option %s has unknown type %r" % (where, name, spec["type"]))
        if not spec.get("description"):
            problems.append("%s: option %s has no description" % (where, name))
        if spec.get("type") == "list" and spec.get("elements") is None:
            problems.append("%s: list option %s has no elements type" % (where, name))
        if "options" in spec:
            _check_options("%s.%s" % (where, name), spec["options"], problems)


def check_role(role_dir):
    """Return the list of problems of one role directory."""
    role = os.path.basename(os.path.normpath(role_dir))
    problems = []
    spec_path = os.path.join(role_dir, "meta", "argument_specs.yml")
    defaults_path = os.path.join(role_dir, "defaults", "main.yml")
    if not os.path.exists(spec_path):
        return ["%s: meta/argument_specs.yml is missing" % role]
    with open(spec_path, encoding="utf-8") as handle:
        specs = (yaml.safe_load(handle) or {}).get("argument_specs") or {}
    defaults = {}
    if os.path.exists(defaults_path):
        with open(defaults_path, encoding="utf-8") as handle:
            defaults = yaml.safe_load(handle) or {}
    if not specs:
        problems.append("%s: argument_specs has no entry point" % role)
    all_options = set()
    for entry, entry_spec in specs.items():
        where = "%s:%s" % (role, entry)
        tasks = os.path.join(role_dir, "tasks", "%s.yml" % entry)
        if not os.path.exists(tasks):
            problems.append("%s: entry point has no tasks/%s.yml" % (where, entry))
        options = (entry_spec or {}).get("options") or {}
        _check_options(where, options, problems)
        for name, spec in options.items():
            all_options.add(name)
            if not isinstance(spec, dict):
                continue
            if spec.get("required"):
                if name in defaults:
                    problems.append("%s: required option %s has a default" % (where, name))
                continue
            if name not in defaults:
                problems.append("%s: option %s has no default in defaults/main.yml" % (where, name))
                continue
            value = defaults[name]
            expected = TYPES.get(spec.get("type"), (object,))
            if value is not None and not _templated(value) and not isinstance(value, expected):
                problems.append("%s: default of %s is %s, the spec says %s"
                                % (where, name, type(value).__name__, spec.get("type")))
            if spec.get("type") == "int" and isinstance(value, bool):
                problems.append("%s: default of %s is a bool, the spec says int" % (where, name))
            if "choices" in spec and not _templated(value) and value not in spec["choices"]:
                problems.append("%s: default %r of %s is not one of %s" % (where, value, name, spec["choices"]))
            if "default" in spec and spec["default"] != value:
                problems.append("%s: spec default of %s is %r, defaults/main.yml says %r"
                                % (where, name, spec["default"], value))
    for name in sorted(set(defaults) - all_options):
        problems.append("%s: default %s is in no argument spec" % (role, name))
    return problems


def write_defaults(role_dir):
    """Copy defaults/main.yml values into the spec's ``default:`` keys (round-trip, comments kept)."""
    from ruamel.yaml import YAML  # ansible-lint's dependency; only needed for --write-defaults

    spec_path = os.path.join(role_dir, "meta", "argument_specs.yml")
    defaults_path = os.path.join(role_dir, "defaults", "main.yml")
    if not os.path.exists(spec_path) or not os.path.exists(defaults_path):
        return
    with open(defaults_path, encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle) or {}
    rt = YAML()
    rt.preserve_quotes = True
    rt.explicit_start = True
    rt.width = 150
    rt.indent(mapping=2, sequence=4, offset=2)
    with open(spec_path, encoding="utf-8") as handle:
        doc = rt.load(handle)
    for entry_spec in (doc.get("argument_specs") or {}).values():
        for name, spec in ((entry_spec or {}).get("options") or {}).items():
            if name in defaults and not spec.get("required"):
                keys = list(spec.keys())
                position = keys.index("type") + 1 if "type" in keys else len(keys)
                if "default" in spec:
                    del spec["default"]
                spec.insert(position, "default", defaults[name])
    out = io.StringIO()
    rt.dump(doc, out)
    with open(spec_path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n")


def main(argv):
    if argv[:1] == ["--write-defaults"]:
        for role_dir in argv[1:]:
            write_defaults(role_dir)
        return 0
    roots = argv or ["roles"]
    problems = []
    role_dirs = []
    for root in roots:
        for name in sorted(os.listdir(root)):
            role_dir = os.path.join(root, name)
            if os.path.isdir(role_dir) and os.path.isdir(os.path.join(role_dir, "tasks")):
                role_dirs.append(role_dir)
                problems.extend(check_role(role_dir))
    # A role without specs is reported above; its README has nothing to be generated from.
    stale = role_readme.check([role_dir for role_dir in role_dirs
                               if os.path.exists(os.path.join(role_dir, "meta", "argument_specs.yml"))])
    for problem in problems + stale:
        print(problem)
    if stale:
        print("role READMEs: %d with stale variable tables; run %s" % (len(stale), role_readme.HINT))
    print("argument specs: %d roles checked, %d problems" % (len(role_dirs), len(problems) + len(stale)))
    return 1 if problems or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
