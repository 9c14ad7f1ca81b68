#!/usr/bin/python
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage one Uptime Kuma tag, found by its name."""

from __future__ import annotations

DOCUMENTATION = r"""
module: uptime_kuma_tag
short_description: Manage Uptime Kuma tags
version_added: "0.1.0"
description:
  - Creates, recolours and deletes one tag of Uptime Kuma 2.x, found by its O(name).
  - Tags are attached to monitors by the monitor module; deleting a tag detaches it from every
    monitor.
author:
  - vigil.observability maintainers (@vigil)
options:
  name:
    description:
      - Name of the tag, as shown in Uptime Kuma. Uptime Kuma allows two tags with one name; the
        module refuses to guess and fails naming both ids.
    type: str
    required: true
  color:
    description:
      - Colour as V(#RRGGBB), for example one of Uptime Kuma's own V(#4B5563) (grey, the default),
        V(#DC2626) (red), V(#D97706) (orange), V(#059669) (green), V(#2563EB) (blue), V(#4F46E5)
        (indigo), V(#7C3AED) (purple) or V(#DB2777) (pink). Compared and stored in upper case.
    type: str
    default: "#4B5563"
extends_documentation_fragment:
  - vigil.observability._uptime_kuma
  - vigil.observability._transport
  - vigil.observability._state
seealso:
  - module: vigil.observability.uptime_kuma_status_page
"""

EXAMPLES = r"""
- name: A red tag for production monitors
  vigil.observability.uptime_kuma_tag:
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /var/lib/vigil/uptime-kuma.token
    name: production
    color: "#DC2626"
"""

RETURN = r"""
tag:
  description: The tag with its id.
  returned: always
  type: dict
  sample: {"id": 3, "name": "production", "color": "#DC2626"}
action:
  description: V(create), V(update) (recoloured), V(delete), or null.
  returned: always
  type: str
  sample: create
diff:
  description: Name and colour before and after, exactly as compared.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "production", "color": "#4B5563"}, "after": {"name": "production", "color": "#DC2626"}}
requests:
  description: Logins, round trips and writes this run sent to Uptime Kuma (a no-op sends no write).
  returned: always
  type: dict
  sample: {"logins": 1, "round_trips": 3, "writes": 1}
"""

import re

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_lookup, _kuma_module
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError
from ansible_collections.vigil.observability.plugins.module_utils._kuma_objects import write

HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def view(raw):
    return {"name": raw.get("name"), "color": str(raw.get("color") or "").upper()}


def check(params):
    if not HEX_COLOR.match(params["color"] or ""):
        raise ValidationError("tag %r: color %r is not a colour of the form #RRGGBB" % (params["name"], params["color"]))


class Tag(_kuma_module.KumaObject):
    kind = "tag"
    identity = "name"

    def read(self, client):
        return _kuma_lookup.tags_by_name(client).get(self.name)

    def desired(self, client, current):
        return {"name": self.name, "color": self.params["color"].upper()}

    def create(self, client, desired, current):
        return write(client, "addTag", {"name": self.name, "color": desired["color"]}, what="%s: adding" % self.label)

    def update(self, client, desired, current):
        return write(client, "editTag", {"id": current["id"], "name": self.name, "color": desired["color"]},
                     what="%s: saving" % self.label)

    def delete(self, client, desired, current):
        return write(client, "deleteTag", current["id"], what="%s: deleting" % self.label)

    def view(self, raw):
        return view(raw)

    def summary(self, raw):
        return dict(view(raw), id=raw.get("id"))


def main():
    module = _kuma_module.kuma_module(
        dict(name=dict(type="str", required=True), color=dict(type="str", default="#4B5563")), "name", check)
    _kuma_module.run_object(module, Tag(module), "tag")


if __name__ == "__main__":
    main()
