# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one idempotency engine of the grafana_* modules: ``ensure()``.

A module describes its API object as a ``Resource`` (how to read, create, update and delete
it, and how to turn the server's answer into a comparable *view*) and hands ``ensure()`` the
desired view. ``ensure()`` reads, compares, writes only on a difference, never writes in check
mode, and returns before/after built from the very values that decided ``changed``.

Secrets never enter a view in plaintext: modules represent a secret by the markers
``SECRET`` (set) and ``SECRET_CHANGED`` (the write will set or replace it), so views can be
shown in a diff as they are.
"""

from __future__ import annotations

import copy

from ansible_collections.vigil.observability.plugins.module_utils._duration import PROMETHEUS_UNITS, UNITS_NS, duration_ns
from ansible_collections.vigil.observability.plugins.module_utils._errors import ApiError, ValidationError, VigilError

SECRET = "[REDACTED]"
SECRET_CHANGED = "[REDACTED:changed]"


class Resource(object):
    """How one API object is read, written and compared.

    ``read``: ``(method, path)`` or ``callable(client)`` returning the raw object or None.
    ``create``/``update``/``delete``: ``(method, path)`` (sent with ``body(desired, current)``
    and ``headers``) or ``callable(client, desired, current)``.
    ``view(raw)``: the comparable, normalised, secret-free form of a raw object.
    ``compare(before, after)``: True when they differ (default: ``!=``).
    ``summary(raw)``: the object a module returns (default: the view).
    ``predict(desired, current)``: the object returned in check mode (default: desired).
    ``reread``: read again after a write, so the returned object is the server's.
    ``from_response(response, desired, current)``: the returned object built from the write's
    answer instead of a re-read (for big objects such as dashboards).
    ``label``: names the object in error messages, e.g. ``folder 'ops'``.
    """

    def __init__(self, kind, read, create=None, update=None, delete=None, view=None, compare=None,
                 body=None, headers=None, summary=None, predict=None, reread=True, from_response=None,
                 label=None):
        self.kind = kind
        self.label = label or kind
        self.from_response = from_response
        self._read = read
        self._create = create
        self._update = update
        self._delete = delete
        self.view = view or copy.deepcopy
        self.compare = compare or (lambda before, after: before != after)
        self.body = body or (lambda desired, current: desired)
        self.headers = headers or {}
        self.summary = summary or self.view
        self.predict = predict or (lambda desired, current: copy.deepcopy(desired))
        self.reread = reread

    def read(self, client):
        try:
            if callable(self._read):
                return self._read(client)
            method, path = self._read
            return client.request(method, path, missing_ok=True)
        except ApiError as err:
            raise err.with_context("%s could not be read" % self.label)

    def _call(self, operation, what, client, desired, current):
        if operation is None:
            raise VigilError("internal error: %s cannot be %s" % (self.kind, what))
        try:
            if callable(operation):
                return operation(client, desired, current)
            method, path = operation
            body = None if what == "deleted" else self.body(desired, current)
            return client.request(method, path, body=body, headers=self.headers)
        except ApiError as err:
            raise err.with_context("%s could not be %s" % (self.label, what))

    def create(self, client, desired):
        return self._call(self._create, "created", client, desired, None)

    def update(self, client, desired, current):
        return self._call(self._update, "updated", client, desired, current)

    def delete(self, client, current):
        return self._call(self._delete, "deleted", client, None, current)


class BulkFailure(VigilError):
    """A write of a list failed part way through: names the object and what the call applied before it.

    ``label`` names the object (``folder 'ops'``), ``applied`` the objects written before it,
    ``results`` what the call returns for the objects done so far (under ``results_key``).
    """

    def __init__(self, label, cause, applied, results, results_key):
        self.cause = cause
        self.applied = applied
        self.results = results
        self.results_key = results_key
        message = "%s: %s; applied before this failure: %s" % (label, cause, ", ".join(applied) if applied else "none")
        super(BulkFailure, self).__init__(message)

    def details(self):
        out = dict(self.cause.details()) if isinstance(self.cause, VigilError) else {}
        out["applied"] = self.applied
        out[self.results_key] = self.results
        return out


class Result(object):
    """What ``ensure()`` did: ``action`` is create, update, delete or None."""

    def __init__(self, changed, action, before, after, obj, current=None, response=None):
        self.changed = changed
        self.action = action
        self.before = before
        self.after = after
        self.object = obj
        self.current = current
        self.response = response

    @property
    def diff(self):
        return {"before": self.before if self.before is not None else {},
                "after": self.after if self.after is not None else {}}

    def __repr__(self):
        return "Result(changed=%r, action=%r)" % (self.changed, self.action)


def ensure(client, resource, desired, state, check_mode):
    """Make the object ``present`` (equal to ``desired``) or ``absent``.

    ``desired`` may be a callable taking the current raw object (or None), for views that depend
    on what the server has (for example which secrets are already set).
    """
    current = resource.read(client)
    before = resource.view(current) if current is not None else None
    if callable(desired):
        desired = desired(current)

    if state == "absent":
        if current is None:
            return Result(False, None, None, None, None, current)
        response = None
        if not check_mode:
            response = resource.delete(client, current)
        return Result(True, "delete", before, None, None, current, response)

    if state != "present":
        raise VigilError("internal error: unknown state %r" % (state,))

    if current is None:
        action = "create"
    elif resource.compare(before, desired):
        action = "update"
    else:
        return Result(False, None, before, before, resource.summary(current), current)

    if check_mode:
        return Result(True, action, before, desired, resource.predict(desired, current), current)

    if action == "create":
        response = resource.create(client, desired)
    else:
        response = resource.update(client, desired, current)
    obj = resource.predict(desired, current)
    if resource.from_response is not None:
        obj = resource.from_response(response, desired, current)
    elif resource.reread:
        fresh = resource.read(client)
        if fresh is not None:
            obj = resource.summary(fresh)
    return Result(True, action, before, desired, obj, current, response)


def module_result(module, result, key, **extra):
    """The exit_json keyword arguments for one ensure() result."""
    out = dict(changed=result.changed, action=result.action)
    out[key] = result.object
    if module._diff:
        out["diff"] = result.diff
    out.update(extra)
    return out


def run(module, work):
    """Run ``work()`` (returns exit_json kwargs) and turn every VigilError into a clean failure."""
    try:
        result = work()
    except VigilError as err:
        module.fail_json(msg=str(err), **err.details())
    module.exit_json(**result)


# -- normalisation helpers shared by the modules ----------------------------------------------

# Milliseconds per unit of Prometheus' model.Duration (the form Grafana answers with).
_UNITS_MS = {unit: UNITS_NS[unit] // 10 ** 6 for unit in PROMETHEUS_UNITS}


def parse_duration(text, what="duration"):
    """``"1h30m"``, ``"90s"``, ``"2d"``, ``60`` (seconds) -> milliseconds (int)."""
    if isinstance(text, bool):
        raise ValidationError("%s must be a duration such as '5m', got %r" % (what, text))
    if isinstance(text, (int, float)):
        return int(text * 1000)
    value = str(text).strip()
    if value in ("", "0"):
        return 0
    try:
        return int(duration_ns(value, PROMETHEUS_UNITS) / 10 ** 6)
    except ValueError:
        raise ValidationError("%s must be a duration such as '30s', '5m' or '1h30m', got %r" % (what, text)) from None


def format_duration(milliseconds):
    """Milliseconds -> the form Grafana answers with (Prometheus ``model.Duration``)."""
    ms = int(milliseconds)
    if ms == 0:
        return "0s"
    out = ""
    for unit, exact in (("y", True), ("w", True), ("d", False), ("h", False), ("m", False), ("s", False), ("ms", False)):
        mult = _UNITS_MS[unit]
        if exact and ms % mult:
            continue
        count = ms // mult
        if count > 0:
            out += "%d%s" % (count, unit)
            ms -= count * mult
    return out


def canonical_duration(text, what="duration"):
    """A duration in Grafana's canonical spelling (``"300s"`` -> ``"5m"``); None stays None."""
    if text is None or text == "":
        return None
    return format_duration(parse_duration(text, what))


def get_path(obj, path):
    """``obj["a"]["b"]`` for path ``("a", "b")``; None when missing."""
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def set_path(obj, path, value):
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


def has_value(value):
    return value not in (None, "", {}, [])


def mask(obj, paths, marker=SECRET):
    """A copy of ``obj`` with every non-empty value at ``paths`` replaced by ``marker``."""
    out = copy.deepcopy(obj)
    for path in paths:
        if has_value(get_path(out, path)):
            set_path(out, path, marker)
    return out
