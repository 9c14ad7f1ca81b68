# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""placeholder_secrets: which of the given secrets still hold a placeholder of the example inventory."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping

import yaml
from jinja2 import Undefined

from ansible_collections.vigil.observability.plugins.plugin_utils.filter_args import fail, read_yaml

_NAME = "placeholder_secrets"

# The example vault file the placeholders come from, relative to the collection root.
EXAMPLE_VAULT = os.path.join("inventories", "example", "group_vars", "all", "vault.yml.example")
_EXAMPLE_VAULT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir, EXAMPLE_VAULT)

# Used when the example file is not shipped (a trimmed copy of the collection): its known values.
_FALLBACK = ("change-me", "https://mattermost.example.org/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx")

# change-me in any case and spelling, alone or as the start of a longer stand-in (change-me-scrape).
_CHANGE_ME = re.compile(r"^change[-_ .]?me($|[-_ .])", re.IGNORECASE)

# The Mattermost hook URL of the example inventory with its host changed: an id made of x only.
_HOOK_PLACEHOLDER = re.compile(r"/hooks/x+/?$", re.IGNORECASE)

# A value under a name ending like this is a secret: the message shows '(secret)', never the value.
_SECRET_NAME = re.compile(r"(password|passwd|token|key|secret|users|credentials)$", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def example_values(path=None):
    """The string values of the example vault file (read once per controller process)."""
    path = os.path.normpath(path or _EXAMPLE_VAULT_PATH)
    try:
        data = read_yaml(path) or {}
    except (OSError, yaml.YAMLError):
        return frozenset(_FALLBACK)
    if not isinstance(data, Mapping):
        return frozenset(_FALLBACK)
    return frozenset(str(v) for v in data.values() if v not in (None, "")) | frozenset(_FALLBACK)


def is_placeholder(value):
    """True when ``value`` is a value of the example vault file, change-me in any spelling (alone or
    starting a longer stand-in such as ``change-me-scrape``), or the placeholder Mattermost hook URL."""
    text = str(value).strip()
    if text == "":
        return False
    if text in example_values() or _CHANGE_ME.match(text):
        return True
    return "://" in text and bool(_HOOK_PLACEHOLDER.search(text))


def _leaves(name, value):
    """(name, value) for every scalar inside ``value``: ``users[admin]``, ``receivers[0][url]``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves("%s[%s]" % (name, key), item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _leaves("%s[%d]" % (name, index), item)
    else:
        yield name, value


def _secret_name(name):
    """Any part of the indexed name says it holds a secret (a password, a users dict, ...)."""
    return any(_SECRET_NAME.search(part) for part in re.split(r"[\[\]]+", name) if part)


def placeholder_secrets(secrets):
    """One line per value of ``secrets`` (a dict {variable name: value}) that is a placeholder.

    Mappings and lists are walked: ``{'prometheus_basic_auth_users': {'admin': 'change-me'}}`` names
    ``prometheus_basic_auth_users[admin]``. Empty and undefined values are not reported (whether a
    value is required is the argument specs' and preflights' business).
    """
    if not isinstance(secrets, Mapping):
        fail(_NAME, "the input must be a mapping of variable names to values, not a %s", type(secrets).__name__)
    problems = []
    for var, value in secrets.items():
        if not isinstance(var, str) or var == "":
            fail(_NAME, "variable names must be non-empty strings, not %r", var)
        for name, leaf in _leaves(var, value):
            if leaf is None or isinstance(leaf, (Undefined, bool)) or not is_placeholder(leaf):
                continue
            shown = "(secret)" if _secret_name(name) else "'%s'" % str(leaf).strip()
            problems.append("%s is the placeholder %s from inventories/example; set it (in Ansible Vault) to a real value"
                            % (name, shown))
    return problems
