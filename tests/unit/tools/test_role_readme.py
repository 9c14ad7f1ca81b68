"""The role READMEs' variable tables are generated from the argument specs and defaults."""
import textwrap

import check_argument_specs
import role_readme

DEFAULTS = """\
    ---
    # --- Install ---------------------------------------------------------------
    # How it is installed.
    demo_install_method: archive
    demo_version: 1.2.3
    demo_binary_url: "https://example.invalid/demo/releases/download/v{{ demo_version }}/demo-{{ demo_version }}.linux-{arch}.tar.gz"

    # --- Account and paths -----------------------------------------------------
    demo_system_user: demo
    demo_extra_groups:
      - adm
    demo_labels: {}
    """

SPECS = """\
    ---
    argument_specs:
      main:
        short_description: Demo
        options:
          demo_install_method:
            type: str
            choices: [archive, package]
            description: C(archive) or C(package) | nothing else.
          demo_version:
            type: str
            description: Release version (no leading C(v)).
          demo_binary_url:
            type: str
            description: Archive URL; see L(the releases, https://example.invalid/releases).
          demo_system_user:
            type: str
            description:
              - Account the service runs as.
              - B(Never) root.
          demo_extra_groups:
            type: list
            elements: str
            description: Supplementary groups of I(demo_system_user).
          demo_labels:
            type: dict
            description: Labels.
          demo_token:
            type: str
            required: true
            description: Token.
    """

README = """\
    # vigil.observability.demo

    What it does.

    ## Variables

    Grouped as in defaults/main.yml.

    ### Install

    | variable | type | default | meaning |
    |---|---|---|---|
    | `demo_version` | str | `1.0.0` | Old text. |

    ## License

    GPL-3.0-or-later
    """


def make_role(tmp_path, defaults=DEFAULTS, specs=SPECS, readme=README, name="demo"):
    role = tmp_path / "roles" / name
    for folder in ("defaults", "meta", "tasks"):
        (role / folder).mkdir(parents=True)
    (role / "tasks" / "main.yml").write_text("---\n[]\n")
    (role / "defaults" / "main.yml").write_text(textwrap.dedent(defaults))
    (role / "meta" / "argument_specs.yml").write_text(textwrap.dedent(specs))
    if readme is not None:
        (role / "README.md").write_text(textwrap.dedent(readme))
    return role


def test_grouping_follows_the_defaults_headings(tmp_path):
    role = make_role(tmp_path)
    assert role_readme.defaults_groups(str(role / "defaults" / "main.yml")) == [
        ("Install", ["demo_install_method", "demo_version", "demo_binary_url"]),
        ("Account and paths", ["demo_system_user", "demo_extra_groups", "demo_labels"]),
    ]
    text = role_readme.render(str(role))
    headings = [line for line in text.splitlines() if line.startswith("###")]
    assert headings == ["### Install", "### Account and paths", "### Without a default"]
    install = text.split("### Account and paths")[0]
    assert install.index("`demo_install_method`") < install.index("`demo_version`") < install.index("`demo_binary_url`")
    assert "`demo_system_user`" not in install


def test_rows_carry_type_default_and_meaning(tmp_path):
    rows = role_readme.render(str(make_role(tmp_path))).splitlines()
    assert ("| `demo_install_method` | str: `archive`, `package` | `archive` | `archive` or `package` \\| nothing else. |"
            in rows)
    assert "| `demo_version` | str | `1.2.3` | Release version (no leading `v`). |" in rows
    # long defaults are a link into the file; the L() markup becomes a Markdown link
    assert ("| `demo_binary_url` | str | see [defaults](defaults/main.yml) | Archive URL; see"
            " [the releases](https://example.invalid/releases). |" in rows)
    assert "| `demo_system_user` | str | `demo` | Account the service runs as. **Never** root. |" in rows
    assert "| `demo_extra_groups` | list of str | `[adm]` | Supplementary groups of `demo_system_user`. |" in rows
    assert "| `demo_labels` | dict | `{}` | Labels. |" in rows
    assert "| `demo_token` | str | (required) | Token. |" in rows


def test_stale_table_is_reported(tmp_path, capsys):
    role = make_role(tmp_path)
    readme = role / "README.md"
    role_readme.write([str(role)])
    (role / "defaults" / "main.yml").write_text(textwrap.dedent(DEFAULTS).replace("1.2.3", "1.2.4"))
    assert role_readme.check([str(role)]) == [
        "%s: variable tables differ from meta/argument_specs.yml and defaults/main.yml" % readme]
    assert role_readme.main(["--check", str(tmp_path / "roles")]) == 1
    out = capsys.readouterr().out
    assert str(readme) in out
    assert "run python3 tools/role_readme.py --write" in out
    assert "`1.2.3`" in readme.read_text()  # --check never writes


def test_fresh_table_passes_and_write_is_stable(tmp_path):
    role = make_role(tmp_path)
    assert role_readme.check([str(role)]) == [
        "%s: no generated variable tables (markers missing)" % (role / "README.md")]
    assert role_readme.main(["--write", str(role)]) == 0
    first = (role / "README.md").read_text()
    assert role_readme.check([str(role)]) == []
    assert role_readme.main(["--check", str(role)]) == 0
    assert role_readme.write([str(role)]) == []
    assert (role / "README.md").read_text() == first


def test_write_replaces_only_the_tables(tmp_path):
    role = make_role(tmp_path)
    role_readme.write([str(role)])
    text = (role / "README.md").read_text()
    head, rest = text.split(role_readme.START + "\n\n")
    assert head == "# vigil.observability.demo\n\nWhat it does.\n\n## Variables\n\nGrouped as in defaults/main.yml.\n\n"
    body, tail = rest.split("\n\n" + role_readme.END + "\n")
    assert body == role_readme.render(str(role))
    assert "Old text." not in text
    assert tail == "\n## License\n\nGPL-3.0-or-later\n"
    # hand edits inside the markers are undone, outside them kept
    (role / "README.md").write_text(text.replace("Labels.", "Edited.").replace("What it does.", "What it does!"))
    role_readme.write([str(role)])
    assert (role / "README.md").read_text() == text.replace("What it does.", "What it does!")


def test_readme_without_variables_section_gets_one(tmp_path):
    role = make_role(tmp_path, readme="# vigil.observability.demo\n\nWhat it does.\n")
    role_readme.write([str(role)])
    text = (role / "README.md").read_text()
    assert text.startswith("# vigil.observability.demo\n\nWhat it does.\n\n## Variables\n\n")
    assert "ansible-doc -t role vigil.observability.demo" in text
    assert role_readme.check([str(role)]) == []


def test_several_entry_points_get_one_table_each(tmp_path):
    specs = """\
        ---
        argument_specs:
          install:
            short_description: Install C(it)
            options:
              demo_name:
                type: str
                required: true
                description: Name.
          service:
            short_description: Run it
            options:
              demo_user:
                type: str
                description: User.
        """
    role = make_role(tmp_path, defaults="---\ndemo_user: root\n", specs=specs)
    assert role_readme.render(str(role)) == textwrap.dedent("""\
        ### Entry point `install`

        Install `it`

        | variable | type | default | meaning |
        |---|---|---|---|
        | `demo_name` | str | (required) | Name. |

        ### Entry point `service`

        Run it

        | variable | type | default | meaning |
        |---|---|---|---|
        | `demo_user` | str | `root` | User. |""")


def test_default_cells():
    assert role_readme.default_cell("") == '`""`'
    assert role_readme.default_cell(False) == "`false`"
    assert role_readme.default_cell(9100) == "`9100`"
    assert role_readme.default_cell([]) == "`[]`"
    assert role_readme.default_cell({"a": 1}) == "`{a: 1}`"
    assert role_readme.default_cell("{{ x | default('') }}") == "`{{ x \\| default('') }}`"
    assert role_readme.default_cell("a`b") == "``a`b``"
    assert role_readme.default_cell("x" * 61) == "see [defaults](defaults/main.yml)"
    assert role_readme.default_cell("line one\nline two\n") == "see [defaults](defaults/main.yml)"


def test_argument_spec_check_reports_stale_readme(tmp_path, capsys):
    role = make_role(tmp_path)
    role_readme.write([str(role)])
    assert check_argument_specs.main([str(tmp_path / "roles")]) == 0
    (role / "meta" / "argument_specs.yml").write_text(textwrap.dedent(SPECS).replace("Labels.", "Pod labels."))
    capsys.readouterr()
    assert check_argument_specs.main([str(tmp_path / "roles")]) == 1
    out = capsys.readouterr().out
    assert "%s: variable tables differ" % (role / "README.md") in out
    assert "run python3 tools/role_readme.py --write" in out


def test_default_the_grouping_cannot_place_is_an_error(tmp_path, capsys):
    role = make_role(tmp_path, defaults=DEFAULTS.rstrip(" ") + '    "demo_quoted": 1\n')
    problems = role_readme.check([str(role)])
    assert len(problems) == 1
    assert problems[0].startswith("%s: cannot generate the variable tables: " % role)
    assert "demo_quoted" in problems[0]
    assert role_readme.main(["--write", str(role)]) == 1
    assert "demo_quoted" in capsys.readouterr().err


def test_unreadable_defaults_are_one_line(tmp_path):
    role = make_role(tmp_path, defaults="---\ndemo_version: [1\n")
    problems = role_readme.check([str(role)])
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith("%s: cannot generate the variable tables: " % role)
