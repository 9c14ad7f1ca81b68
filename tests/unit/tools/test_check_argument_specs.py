"""The argument-spec check must catch drift between specs and defaults, both ways."""
import os
import textwrap

import check_argument_specs as checker

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def make_role(tmp_path, defaults, specs, entry_points=("main",)):
    role = tmp_path / "demo"
    (role / "defaults").mkdir(parents=True)
    (role / "meta").mkdir()
    (role / "tasks").mkdir()
    for entry in entry_points:
        (role / "tasks" / ("%s.yml" % entry)).write_text("---\n[]\n")
    (role / "defaults" / "main.yml").write_text(textwrap.dedent(defaults))
    (role / "meta" / "argument_specs.yml").write_text(textwrap.dedent(specs))
    return str(role)


SPECS = """\
    argument_specs:
      main:
        options:
          demo_port:
            type: int
            description: Port.
          demo_name:
            type: str
            description: Name.
    """


def test_repository_roles_are_in_sync():
    assert checker.main([os.path.join(ROOT, "roles")]) == 0


def test_in_sync_role_passes(tmp_path):
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\n", SPECS)
    assert checker.check_role(role) == []


def test_planted_default_without_spec_fails(tmp_path):
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\ndemo_extra: true\n", SPECS)
    assert checker.check_role(role) == ["demo: default demo_extra is in no argument spec"]


def test_planted_spec_without_default_fails(tmp_path):
    role = make_role(tmp_path, "demo_port: 9100\n", SPECS)
    assert checker.check_role(role) == ["demo:main: option demo_name has no default in defaults/main.yml"]


def test_type_drift_fails(tmp_path):
    role = make_role(tmp_path, "demo_port: '9100'\ndemo_name: x\n", SPECS)
    assert checker.check_role(role) == ["demo:main: default of demo_port is str, the spec says int"]


def test_templated_default_is_not_type_checked(tmp_path):
    role = make_role(tmp_path, "demo_port: \"{{ 9000 + 100 }}\"\ndemo_name: x\n", SPECS)
    assert checker.check_role(role) == []


def test_required_option_with_default_fails(tmp_path):
    specs = SPECS.replace("type: str\n", "type: str\n            required: true\n")
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\n", specs)
    assert checker.check_role(role) == ["demo:main: required option demo_name has a default"]


def test_missing_type_and_entry_tasks_fail(tmp_path):
    specs = SPECS.replace("            type: int\n", "").rstrip(" ") + "      other:\n        options: {}\n"
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\n", specs)
    problems = checker.check_role(role)
    assert "demo:main: option demo_port has no type" in problems
    assert "demo:other: entry point has no tasks/other.yml" in problems


def test_every_entry_point_is_checked(tmp_path):
    specs = SPECS.rstrip(" ") + """\
      install:
        options:
          demo_url:
            type: str
            description: URL.
    """
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\n", specs, ("main", "install"))
    assert checker.check_role(role) == ["demo:install: option demo_url has no default in defaults/main.yml"]


def test_spec_default_must_match_defaults(tmp_path):
    specs = SPECS.replace("type: int\n", "type: int\n            default: 9200\n")
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: x\n", specs)
    assert checker.check_role(role) == ["demo:main: spec default of demo_port is 9200, defaults/main.yml says 9100"]


def test_write_defaults_fills_the_spec(tmp_path):
    role = make_role(tmp_path, "demo_port: 9100\ndemo_name: '2.0'\n", SPECS)
    checker.write_defaults(role)
    assert checker.check_role(role) == []
    with open(os.path.join(role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        text = handle.read()
    assert text.startswith("---\n")
    assert "default: 9100" in text
    assert "default: '2.0'" in text  # a string stays a string
