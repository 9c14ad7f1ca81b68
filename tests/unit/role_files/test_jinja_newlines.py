"""A ``\\n`` in a Jinja string literal of the roles, playbooks and scenarios means a newline.

ansible-core 2.19 does not turn the two characters ``\\n`` of a Jinja string literal into a
newline. YAML does, in a double-quoted scalar; in a block scalar (``>-``, ``|``), a single-quoted
or a plain one they reach Jinja as a backslash and an ``n``: ``replace('\\n', ' ')`` then replaces
nothing and ``x ~ '\\n'`` appends two characters (the Uptime Kuma npm stamp compared that way
never matched, and npm ci ran on every run). A regular expression reads ``\\n`` as a newline, so
the ``regex_*`` filters and tests are fine either way. This test reads every YAML file as YAML
does and refuses a ``\\n`` that reaches Jinja outside a regular expression.
"""

import re

from repo_yaml import yaml_files

PATTERNS = ("roles/*/tasks/*.yml", "roles/*/handlers/*.yml", "roles/*/vars/*.yml", "roles/*/defaults/*.yml",
            "playbooks/*.yml", "playbooks/tasks/*.yml", "molecule/*/*.yml", ".config/molecule/tasks/*.yml", "*.yml")
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# The call a position is inside of: a regex_* filter or the search and match tests, or map, select and
# friends given one of them by name (map('regex_replace', ...)).
REGEX_CALL = re.compile(r"(regex_\w+|search|match)\s*\($")
REGEX_BY_NAME = re.compile(r"""\(\s*['"](regex_\w+|search|match)['"]""")


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)


def enclosing_call(text, index):
    depth = 0
    for position in range(index - 1, -1, -1):
        char = text[position]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                return text[:position + 1]
            depth -= 1
    return ""


def literal_newlines(text):
    """The ``\\n`` of ``text``'s Jinja expressions that are not inside a regular expression's call."""
    found = []
    for expression in EXPRESSION.finditer(text):
        body = expression.group(0)
        for match in re.finditer(r"\\n", body):
            call = enclosing_call(body, match.start())
            if not REGEX_CALL.search(call) and not REGEX_BY_NAME.match(body[len(call) - 1:match.start()]):
                found.append(body.strip()[:120])
    return found


def test_no_backslash_n_reaches_jinja_as_two_characters():
    problems, scanned = [], 0
    for path, data in yaml_files(PATTERNS):
        scanned += 1
        for text in strings(data):
            problems += ["%s: %s" % (path, found) for found in literal_newlines(text)]
    assert scanned > 150
    assert problems == []


def test_the_rule_itself():
    assert literal_newlines("{{ x | replace('\\n', ' ') }}") != []
    assert literal_newlines("{{ (x ~ '\\n') | hash('sha256') }}") != []
    assert literal_newlines("{{ x | regex_replace('\\n', ' ') }}") == []
    assert literal_newlines("{{ x | regex_replace('(?s)\\n.*', '') | list }}") == []
    assert literal_newlines("{{ x is search('a\\nb') }}") == []
    assert literal_newlines("{{ xs | map('regex_replace', '(?s)\\n.*', '') | list }}") == []
    assert literal_newlines("{{ xs | map('replace', '\\n', ' ') | list }}") != []
    # A real newline (a YAML double-quoted "\n") is not two characters.
    assert literal_newlines("{{ (x ~ '\n') | hash('sha256') }}") == []
    assert literal_newlines("printf '%s\\n' {{ names | join(' ') }}") == []
