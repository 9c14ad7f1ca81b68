# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_folder
short_description: Manage Grafana folders, nested folders included
version_added: 0.1.0
description:
  - Creates, renames, moves and deletes a Grafana folder identified by its O(uid).
  - Nested folders (Grafana 10.3+, default in 11) are placed with O(parent_uid); a changed
    parent moves the folder with C(POST /api/folders/<uid>/move).
author:
  - vigil.observability maintainers (@vigil)
options:
  uid:
    description:
      - Stable identifier of the folder (at most 40 letters, digits, V(-) and V(_)).
    type: str
    required: true
  title:
    description:
      - Folder title. Required with O(state=present).
    type: str
  parent_uid:
    description:
      - Uid of the parent folder. Omitted or empty places the folder at the top level.
    type: str
  description:
    description:
      - Folder description. Left as it is when omitted.
    type: str
  force_delete_rules:
    description:
      - With O(state=absent), also delete Grafana-managed alert rules stored in the folder.
        Without it Grafana refuses to delete a folder that holds alert rules.
    type: bool
    default: false
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._state
notes:
  - Deleting a folder deletes every dashboard and subfolder inside it (Grafana's behaviour).
seealso:
  - module: vigil.observability.grafana_dashboard
"""

EXAMPLES = r"""
- name: A top-level folder and a nested one
  vigil.observability.grafana_folder:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: "{{ item.uid }}"
    title: "{{ item.title }}"
    parent_uid: "{{ item.parent | default(omit) }}"
  loop:
    - {uid: platform, title: Platform}
    - {uid: platform-db, title: Databases, parent: platform}

- name: Remove a folder and the alert rules in it
  vigil.observability.grafana_folder:
    url: https://grafana.example.com
    username: admin
    password: "{{ grafana_admin_password }}"
    uid: old-team
    state: absent
    force_delete_rules: true
"""

RETURN = r"""
folder:
  description: The folder as Grafana stores it, with its id, URL and version.
  returned: always
  type: dict
  sample: {"uid": "platform-db", "title": "Databases", "parent_uid": "platform", "description": "", "id": 12,
           "url": "/dashboards/f/platform-db/databases", "version": 1}
action:
  description: V(create), V(update) (title, description or parent changed; a new parent is a move), V(delete), or null.
  returned: always
  type: str
  sample: create
diff:
  description: The folder's uid, title, parent and description before and after, exactly as compared.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"uid": "platform-db", "title": "DB", "parent_uid": ""},
           "after": {"uid": "platform-db", "title": "Databases", "parent_uid": "platform"}}
"""

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_folders, _resource


def folder_view(raw, with_description):
    view = {"uid": raw.get("uid"), "title": raw.get("title"), "parent_uid": raw.get("parentUid") or ""}
    if with_description:
        view["description"] = raw.get("description") or ""
    return view


def build_resource(params):
    uid = params["uid"]
    item = _grafana_folders.folder_path(uid)
    with_description = params["description"] is not None

    def create(client, desired, current):
        body = {"uid": uid, "title": desired["title"]}
        if desired["parent_uid"]:
            body["parentUid"] = desired["parent_uid"]
        if with_description:
            body["description"] = desired["description"]
        return client.post(_grafana_folders.FOLDERS, body)

    def update(client, desired, current):
        before = folder_view(current, with_description)
        response = None
        if before["title"] != desired["title"] or before.get("description") != desired.get("description"):
            body = {"title": desired["title"], "version": current.get("version", 0)}
            if with_description:
                body["description"] = desired["description"]
            response = client.put(item, body)
        if before["parent_uid"] != desired["parent_uid"]:
            response = client.post(item + "/move", {"parentUid": desired["parent_uid"]})
        return response

    def delete(client, desired, current):
        return client.delete(item, query={"forceDeleteRules": "true" if params["force_delete_rules"] else "false"})

    def summary(raw):
        out = folder_view(raw, True)
        out.update({"id": raw.get("id"), "url": raw.get("url"), "version": raw.get("version")})
        return out

    return _resource.Resource(
        "folder", read=("GET", item), create=create, update=update, delete=delete,
        view=lambda raw: folder_view(raw, with_description), summary=summary, label="folder %r" % uid)


def main():
    module = _args.grafana_module(
        dict(
            title=dict(type="str"),
            parent_uid=dict(type="str"),
            description=dict(type="str"),
            force_delete_rules=dict(type="bool", default=False),
        ),
        uid=True,
        required_if=[("state", "present", ("title",))],
    )

    def work():
        params = module.params
        uid = params["uid"]
        desired = {"uid": uid, "title": (params["title"] or "").strip(),
                   "parent_uid": _args.validate_uid(params["parent_uid"], "parent_uid", allow_empty=True)}
        if params["description"] is not None:
            desired["description"] = params["description"]
        client = _client.GrafanaClient.from_module(module)
        result = _resource.ensure(client, build_resource(params), desired, params["state"], module.check_mode)
        return _resource.module_result(module, result, "folder")

    _resource.run(module, work)


if __name__ == "__main__":
    main()
