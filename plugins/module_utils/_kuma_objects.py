# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the uptime_kuma_* resource modules share: writes, name lists, slugs, plain values.

What it knows of the server (Uptime Kuma 2.5.3's own code, measured against the real server):

- ``addNotification`` pushes the fresh ``notificationList`` *before* it answers;
  ``addMaintenance``/``editMaintenance`` push ``maintenanceList`` before they answer,
  ``pauseMaintenance``/``resumeMaintenance``/``deleteMaintenance`` after. A list is therefore
  forgotten *before* the write that refreshes it (``write(..., refresh=...)``), never after;
- ``statusPageList`` is pushed only at the login, so a status page is read with
  ``getStatusPage``;
- a status page slug is checked by the server with ``^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$`` and
  lowered by ``addStatusPage`` only; the modules accept the lowercase form alone, so that the
  slug the user gives is the slug stored.
"""

from __future__ import annotations

import re

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_lookup
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def text(value):
    """A text field as compared: None and "" are the same (the server stores either)."""
    return "" if value is None else str(value)


def check_slug(slug, option="slug"):
    """``slug`` if it is a valid status page slug, else a ValidationError naming it."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise ValidationError("%s %r is not a valid status page slug: use lowercase letters, digits and single dashes "
                              "between them (for example 'ops-status')" % (option, slug))
    return slug


def write(client, event, *args, **kwargs):
    """Send one write; the lists in ``refresh`` are forgotten first, so the next wait_list() sees its effect."""
    for name in kwargs.pop("refresh", ()):
        client.forget_list(name)
    return client.call(event, *args, write=True, **kwargs)


def unique(items, option, label=None):
    """``items`` without change, or a ValidationError naming the first item given twice."""
    seen = set()
    for item in items:
        if item in seen:
            raise ValidationError("%s%s lists %r twice" % (_prefix(label), option, item))
        seen.add(item)
    return list(items)


def _prefix(label):
    return "%s: " % label if label else ""


def _ids(kind, mapping, keys, option, label):
    out = []
    for key in unique(keys, option, label):
        try:
            out.append(int(_kuma_lookup.resolve(kind, mapping, key, option)["id"]))
        except ValidationError as err:
            raise ValidationError(_prefix(label) + str(err))
    return out


def monitor_ids(client, names, option, label=None):
    """The ids of the monitors ``names`` (in order); an unknown name is one error naming ``label``."""
    return _ids("monitor", _kuma_lookup.monitors_by_name(client), names, option, label)


def monitor_names(client):
    """{monitor id: monitor name}."""
    return {int(m["id"]): m.get("name") for m in _kuma_lookup.monitors_by_name(client).values()}


def status_page_ids(client, slugs, option, label=None):
    """The ids of the status pages ``slugs`` (in order); an unknown slug is one error naming ``label``."""
    return _ids("status page", _kuma_lookup.status_pages_by_slug(client), slugs, option, label)


def status_page_slugs(client):
    """{status page id: slug}."""
    return {int(p["id"]): p.get("slug") for p in _kuma_lookup.status_pages_by_slug(client).values()}
