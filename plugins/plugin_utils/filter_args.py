# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection's filters share: one-line errors that name the filter, reading the
inventory's host variables as Jinja's ``default`` and Ansible's ``bool`` filters do, and reading
the collection's own YAML files."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from ansible.errors import AnsibleFilterError, AnsibleUndefinedVariable
from jinja2 import Undefined, UndefinedError


# libyaml's loader when PyYAML was built with it: the same data as yaml.safe_load, about ten
# times faster. It matters because every task runs in a fresh fork of the controller, so the
# filters' per-process caches (role defaults, tier playbooks) start empty in each task that uses them.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path):
    """The data of the YAML file ``path`` (safe loading); raises OSError or yaml.YAMLError."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)


def fail(name, message, *args):
    """Raise AnsibleFilterError ``<name>: <message % args>``."""
    raise AnsibleFilterError("%s: %s" % (name, message % args if args else message))


def mapping(name, value, what):
    """``value`` when it is a mapping, ``{}`` for none; else fail naming ``what``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fail(name, "%s must be a mapping, not a %s", what, type(value).__name__)
    return value


def plain(value):
    """A copy of ``value`` made of plain dicts and lists, safe to change in place.

    Use it instead of ``copy.deepcopy`` on filter input: Ansible 2.19 hands filters lazy template
    containers, and deep-copying those reconstructs every tagged value (seconds for a few scrape
    configurations). Leaves (strings, numbers) are shared: they are immutable.
    """
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


# --- Reading the inventory's host variables ------------------------------------------------------

_TRUE = ("yes", "on", "true", "1")


def ansible_bool(value):
    """Ansible's ``bool`` filter: true for true, 1 and yes/on/true/1 in any case, false otherwise."""
    if isinstance(value, str):
        return value.lower() in _TRUE
    return bool(value == 1)


def defined(value, default):
    """``value``, or ``default`` when it is undefined (a host variable whose template failed), as
    Jinja's ``default`` filter has it."""
    return default if isinstance(value, Undefined) else value


def host_var(hv, name, default=None):
    """A host variable, or ``default`` when it is not set or undefined."""
    try:
        return defined(hv[name], default)
    except (KeyError, TypeError, AnsibleUndefinedVariable, UndefinedError):
        return default


def condition_holds(hv, cond):
    """A ``{var, default, in}`` host condition: the variable (or its default) is true, or one of ``in``."""
    value = host_var(hv, cond["var"], cond.get("default", True))
    return value in cond["in"] if "in" in cond else ansible_bool(value)
