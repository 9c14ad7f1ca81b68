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
  - Idempotent; supports check mode and diff. A run that changes nothing sends no write.
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
  - vigil.observability._state
attributes:
  check_mode:
    description: No write is sent in check mode; C(changed) is what a real run would report.
    support: full
  diff_mode:
    description: Shows the name and colour before and after.
    support: full
seealso:
  - module: vigil.observability.uptime_kuma_status_page
"""

EXAMPLES = r"""
- name: A red tag for production monitors
  vigil.observability.uptime_kuma_tag:
    url: http://127.0.0.1:3001
    username: admin
    password: "{{ vault_uptime_kuma_admin_password }}"
    token_file: /var/lib/vigil/uptime-kuma.token
    name: production
    color: "#DC2626"

- name: Remove a tag
  vigil.observability.uptime_kuma_tag:
    name: legacy
    state: absent
"""

RETURN = r"""
tag:
  description: The tag after the run (predicted in check mode; null after O(state=absent)).
  returned: always
  type: dict
  sample: {"id": 3, "name": "production", "color": "#DC2626"}
action:
  description: What was (or in check mode would be) done, V(create), V(update), V(delete), or null for nothing.
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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vigil.observability.plugins.module_utils import _kuma_lookup, _kuma_module, _resource
from ansible_collections.vigil.observability.plugins.module_utils._kuma_objects import write

HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def view(raw):
    return {"name": raw.get("name"), "color": str(raw.get("color") or "").upper()}


def main():
    module = AnsibleModule(
        argument_spec=_kuma_module.kuma_spec(
            name=dict(type="str", required=True),
            color=dict(type="str", default="#4B5563"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    name, color = params["name"], params["color"]
    if not name.strip():
        module.fail_json(msg="name must not be empty")
    if not HEX_COLOR.match(color or ""):
        module.fail_json(msg="tag %r: color %r is not a colour of the form #RRGGBB" % (name, color))
    label = "tag %r" % name

    def work(client):

        def read(client):
            return _kuma_lookup.tags_by_name(client).get(name)

        def create(client, desired, current):
            return write(client, "addTag", {"name": name, "color": desired["color"]}, what="%s: adding" % label)

        def update(client, desired, current):
            return write(client, "editTag", {"id": current["id"], "name": name, "color": desired["color"]},
                         what="%s: saving" % label)

        def delete(client, desired, current):
            return write(client, "deleteTag", current["id"], what="%s: deleting" % label)

        def summary(raw):
            return dict(view(raw), id=raw.get("id"))

        resource = _resource.Resource("tag", read=read, create=create, update=update, delete=delete, view=view,
                                      summary=summary, label=label)
        result = _resource.ensure(client, resource, {"name": name, "color": color.upper()}, params["state"],
                                  module.check_mode)
        return _resource.module_result(module, result, "tag")

    _kuma_module.run(module, work)


if __name__ == "__main__":
    main()
