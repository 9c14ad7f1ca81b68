# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_folder
short_description: Manage Grafana folders, nested folders included
version_added: 0.1.0
description:
  - Creates, renames, moves and deletes a Grafana folder identified by its O(uid), or a whole list
    of folders in one call (O(folders)).
  - Nested folders (Grafana 10.3+, default in 11) are placed with O(parent_uid); a changed
    parent moves the folder with C(POST /api/folders/<uid>/move).
author:
  - vigil.observability maintainers (@vigil)
options:
  uid:
    description:
      - Stable identifier of the folder (at most 40 letters, digits, V(-) and V(_)). Required unless
        O(folders) is given.
    type: str
  folders:
    description:
      - Many folders in one call, in place of O(uid). Each item is a dict with C(uid) (required),
        C(title), C(parent_uid), C(description) (the options of the same names) and an optional
        C(state) (V(present) or V(absent), default O(state)).
      - Folders to create or keep are written before the ones to delete; an item whose C(parent_uid)
        names another folder of the list is written after it, and deleted before it; otherwise the
        list's order. Uids must be unique in the list. Every item is checked before the first write.
      - Mutually exclusive with O(uid), O(title), O(parent_uid) and O(description).
    type: list
    elements: dict
  title:
    description:
      - Folder title. Required with O(state=present) (in O(folders), for each item to keep).
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

- name: The same two folders in one call (the parent is written first)
  vigil.observability.grafana_folder:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    folders:
      - {uid: platform-db, title: Databases, parent_uid: platform}
      - {uid: platform, title: Platform}

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
  returned: when O(uid) was given
  type: dict
  sample: {"uid": "platform-db", "title": "Databases", "parent_uid": "platform", "description": "", "id": 12,
           "url": "/dashboards/f/platform-db/databases", "version": 1}
action:
  description: V(create), V(update) (title, description or parent changed; a new parent is a move), V(delete), or null.
  returned: when O(uid) was given
  type: str
  sample: create
folders:
  description:
    - With O(folders), one entry per folder in the order written, each as RV(folder) (what check mode would
      write for one not created yet) with its C(action) and C(changed).
    - On a failed write, the entries of the folders done before it.
  returned: when O(folders) was given, and on a failed write in it
  type: list
  elements: dict
  sample: [{"uid": "platform", "title": "Platform", "parent_uid": "", "action": null, "changed": false}]
applied:
  description: On a failed write with O(folders), the uids of the folders written before it.
  returned: when a write with O(folders) fails
  type: list
  elements: str
diff:
  description:
    - The folder's uid, title, parent and description before and after, exactly as compared (with O(folders), a list of
      them for the folders that change).
  returned: when diff mode is on
  type: raw
  sample: {"before": {"uid": "platform-db", "title": "DB", "parent_uid": ""},
           "after": {"uid": "platform-db", "title": "Databases", "parent_uid": "platform"}}
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_folders, _resource
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError


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


ITEM_SPEC = dict(uid=dict(type="str", required=True), title=dict(type="str"), parent_uid=dict(type="str"),
                 description=dict(type="str"), state=dict(type="str", choices=["present", "absent"]))


def desired_of(params):
    """The compared view one folder's options ask for."""
    desired = {"uid": params["uid"], "title": (params["title"] or "").strip(),
               "parent_uid": _args.validate_uid(params["parent_uid"], "parent_uid", allow_empty=True)}
    if params["description"] is not None:
        desired["description"] = params["description"]
    return desired


def folder_items(module):
    """The validated items of ``folders``: the module's params for each folder, in the order to write them."""
    validator = ArgumentSpecValidator(ITEM_SPEC)
    items, seen = [], set()
    for position, entry in enumerate(module.params["folders"], 1):
        where = "folders[%d]" % position
        if not isinstance(entry, dict):
            raise ValidationError("%s is not a dict of folder options" % where)
        result = validator.validate(entry)
        if result.unsupported_parameters:
            raise ValidationError("%s: unknown option %s (an item takes uid, title, parent_uid, description and state)"
                                  % (where, ", ".join(sorted(result.unsupported_parameters))))
        if result.error_messages:
            raise ValidationError("%s: %s" % (where, result.error_messages[0]))
        item = dict(module.params, folders=None, **result.validated_parameters)
        item["state"] = item["state"] or module.params["state"]
        item["uid"] = _args.validate_uid(item["uid"], "%s: uid" % where)
        if item["uid"] in seen:
            raise ValidationError("%s: uid %r is listed twice" % (where, item["uid"]))
        seen.add(item["uid"])
        if item["state"] == "present" and not (item["title"] or "").strip():
            raise ValidationError("%s (%r): a title is required to keep a folder" % (where, item["uid"]))
        desired_of(item)  # a bad parent_uid fails here, before any write
        items.append(item)
    return write_order(items)


def write_order(items):
    """Folders to keep before folders to delete; a parent in the list before its children when kept,
    after them when deleted; otherwise the list's order."""
    keep = [item for item in items if item["state"] == "present"]
    drop = [item for item in items if item["state"] == "absent"]
    ordered = []
    while keep:
        listed = set(item["uid"] for item in keep)
        ready = [item for item in keep if (item["parent_uid"] or "").strip() not in listed]
        if not ready:
            raise ValidationError("folders: the parents of %s form a loop" % ", ".join(repr(item["uid"]) for item in keep))
        ordered.extend(ready)
        keep = [item for item in keep if item not in ready]
    while drop:
        parents = set((item["parent_uid"] or "").strip() for item in drop)
        ready = [item for item in drop if item["uid"] not in parents] or drop[:1]
        ordered.extend(ready)
        drop = [item for item in drop if item not in ready]
    return ordered


def apply_one(client, params, check_mode):
    desired = desired_of(params) if params["state"] == "present" else None
    return _resource.ensure(client, build_resource(params), desired, params["state"], check_mode)


def apply_all(module, client, items):
    """Every folder of ``folders`` in write order; one result for the whole list."""
    results, diffs, applied = [], [], []
    for item in items:
        try:
            res = apply_one(client, item, module.check_mode)
        except VigilError as err:
            raise _resource.BulkFailure("folder %r" % item["uid"], err, applied, results, "folders")
        obj = dict(res.object or {"uid": item["uid"], "title": item["title"], "parent_uid": None})
        obj.update(changed=res.changed, action=res.action)
        results.append(obj)
        if res.changed:
            applied.append(item["uid"])
            diffs.append(dict(res.diff, before_header=item["uid"], after_header=item["uid"]))
    out = dict(changed=bool(applied), folders=results)
    if module._diff:
        out["diff"] = diffs
    return out


def main():
    module = _args.grafana_module(
        dict(
            uid=dict(type="str"),
            folders=dict(type="list", elements="dict"),
            title=dict(type="str"),
            parent_uid=dict(type="str"),
            description=dict(type="str"),
            force_delete_rules=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("uid", "folders"), ("folders", "title"), ("folders", "parent_uid"), ("folders", "description")],
        required_one_of=[("uid", "folders")],
    )

    def work():
        params = module.params
        if params["folders"] is not None:
            items = folder_items(module)
            return apply_all(module, _client.GrafanaClient.from_module(module), items)
        params["uid"] = _args.validate_uid(params["uid"])
        if params["state"] == "present" and params["title"] is None:
            raise ValidationError("state is present but all of the following are missing: title")
        client = _client.GrafanaClient.from_module(module)
        return _resource.module_result(module, apply_one(client, params, module.check_mode), "folder")

    _resource.run(module, work)


if __name__ == "__main__":
    main()
