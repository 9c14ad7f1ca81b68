# Private to the vigil.observability collection: no compatibility promise outside it.
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Uptime Kuma objects by their names: the one place the uptime_kuma_* modules look them up.

Uptime Kuma identifies everything by numeric id; users name monitors, notifications and tags,
and status pages by slug. Each ``*_by_name`` reads what the server pushed after the login (or
asks for it) and returns ``{name: object}``; ``resolve()`` turns a name into its object or
raises one clear error naming the kind, the name and the names that exist.
"""

from __future__ import annotations

from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError


def _by(items, key, kind):
    out = {}
    for item in items:
        name = item.get(key)
        if name in out:
            raise ValidationError("Uptime Kuma has two %ss named %r (ids %s and %s): rename one in Uptime Kuma, "
                                  "the modules find %ss by name" % (kind, name, out[name].get("id"), item.get("id"), kind))
        out[name] = item
    return out


def _values(data):
    return list(data.values()) if isinstance(data, dict) else list(data or [])


def monitors_by_name(client):
    """{name: monitor} of every monitor (the pushed ``monitorList``, kept current after writes)."""
    return _by(_values(client.wait_list("monitorList")), "name", "monitor")


def notifications_by_name(client):
    """{name: notification}; ``config`` (the stored JSON text) is left as the server sent it."""
    return _by(_values(client.wait_list("notificationList")), "name", "notification")


def status_pages_by_slug(client):
    return _by(_values(client.wait_list("statusPageList")), "slug", "status page")


def maintenances_by_title(client):
    return _by(_values(client.wait_list("maintenanceList")), "title", "maintenance")


def tags_by_name(client):
    answer = client.call("getTags", what="reading the tags")
    return _by(answer.get("tags") or [], "name", "tag")


def resolve(kind, mapping, name, option=None):
    """``mapping[name]`` or a ValidationError naming the unknown ``kind`` (and the ``option`` it came from)."""
    if name in mapping:
        return mapping[name]
    known = sorted(str(n) for n in mapping)
    where = " (in %s)" % option if option else ""
    listing = ", ".join(repr(n) for n in known[:20]) + (" ..." if len(known) > 20 else "")
    raise ValidationError("unknown %s %r%s: Uptime Kuma has %s" % (kind, name, where, listing if known else "none"))
