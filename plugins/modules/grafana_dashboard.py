# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: grafana_dashboard
short_description: Manage Grafana dashboards from inline JSON, a file or a whole directory
version_added: 0.1.0
description:
  - Creates, updates and deletes Grafana dashboards identified by their uid.
  - The content comes inline (O(dashboard)), from a JSON file, or from every C(*.json) file of a
    directory in one call (O(path)); a directory is applied in bulk with one result per dashboard.
  - Idempotent on real dashboards; supports check mode and diff.
  - Before comparing, the module applies what Grafana does to a saved dashboard, so a re-run of an
    unchanged file sends nothing; it strips C(id) and C(version), trims the title and raises a
    C(refresh) shorter than O(min_refresh_interval) to it (V("") and V(auto) are left alone). The
    folder is compared too.
  - Writes use C(overwrite=true), so a dashboard edited in the UI meanwhile is replaced rather
    than failing with HTTP 412 (version mismatch).
author:
  - vigil.observability maintainers (@vigil)
options:
  dashboard:
    description:
      - The dashboard model as a dict (what Grafana's "Export > JSON" produces). An API export,
        where the model sits under a C(dashboard) key next to C(meta), is unwrapped.
      - Mutually exclusive with O(path).
    type: dict
  path:
    description:
      - A dashboard JSON file, or a directory whose C(*.json) files (not recursive, in name
        order) are all applied in this one task.
      - Mutually exclusive with O(dashboard).
    type: path
  uid:
    description:
      - Uid of the dashboard (at most 40 letters, digits, V(-) and V(_)). Overrides the uid in the
        JSON. Required when the JSON has none, because without a stable uid Grafana creates a new
        dashboard on every run.
      - Only with a single dashboard. With O(state=absent) the uid alone is enough.
    type: str
  folder_uid:
    description:
      - Uid of the folder the dashboards go into. Omitted (with O(folder_path) also omitted) or
        empty means the top level ("General"); Grafana itself moves a dashboard saved without a
        folder to the top level.
      - Mutually exclusive with O(folder_path).
    type: str
  folder_path:
    description:
      - Titles of nested folders from the top level down, for example V([Platform, Databases]).
        Missing folders are created unless O(create_folders=false).
      - Mutually exclusive with O(folder_uid).
    type: list
    elements: str
  create_folders:
    description:
      - Create the folders of O(folder_path) that do not exist. When false, a missing folder fails
        the task before anything is written.
    type: bool
    default: true
  inputs:
    description:
      - Values for the C(__inputs) of a dashboard exported "for sharing externally", by input name
        (for example C(DS_PROMETHEUS)); datasource inputs take a datasource uid.
      - When given, every C(${NAME}) placeholder of a declared input is replaced and C(__inputs) is
        removed, as Grafana's import does; an input without a value fails the task (constant inputs
        fall back to their exported value). Dashboards without C(__inputs) are not affected.
      - When omitted, dashboards are stored verbatim, placeholders included (what C(/api/dashboards/db) does).
    type: dict
  commit_message:
    description:
      - Message stored in the dashboard's version history for each write (at most 500 characters).
    type: str
  min_refresh_interval:
    description:
      - The server's C([dashboards] min_refresh_interval). Grafana silently raises a shorter
        C(refresh) to it; the module does the same before comparing, so re-runs stay no-ops.
    type: str
    default: 5s
extends_documentation_fragment:
  - vigil.observability._grafana
  - vigil.observability._transport
  - vigil.observability._state
attributes:
  check_mode:
    description:
      - Nothing is written in check mode, folders included; C(changed) and each RV(dashboards[].action)
        say what a real run would do.
      - A O(folder_uid) that does not exist yet is taken, in check mode, as created by an earlier task
        (for example M(vigil.observability.grafana_folder) in the same play), so the dashboards are reported
        as they would be written into it, with a warning. A real run fails when the folder does not exist.
    support: full
notes:
  - Nothing is written before every file is read, parsed and validated and the folder is resolved;
    when a write fails in bulk mode the task fails naming the dashboard, and RV(applied) lists the
    dashboards written before it.
seealso:
  - module: vigil.observability.grafana_folder
"""

EXAMPLES = r"""
- name: Every dashboard of a directory into a nested folder, in one task
  vigil.observability.grafana_dashboard:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    path: "{{ playbook_dir }}/files/dashboards/"
    folder_path: [Platform, Linux]
    commit_message: Provisioned by Ansible

- name: An exported dashboard with its datasource input resolved
  vigil.observability.grafana_dashboard:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    path: files/mltp-export.json
    folder_uid: observability
    inputs:
      DS_GRAFANACLOUD-EXAMPLE1-PROM: prometheus
      DS_GRAFANACLOUD-EXAMPLE1-LOGS: loki
      DS_GRAFANACLOUD-EXAMPLE1-TRACES: tempo

- name: An inline dashboard
  vigil.observability.grafana_dashboard:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: hello
    dashboard:
      title: Hello
      panels: []
      refresh: 1m

- name: Remove a dashboard
  vigil.observability.grafana_dashboard:
    url: https://grafana.example.com
    token: "{{ grafana_token }}"
    uid: hello
    state: absent
"""

RETURN = r"""
dashboards:
  description: One entry per dashboard, in the order they were applied.
  returned: always
  type: list
  elements: dict
  contains:
    uid:
      description: Dashboard uid.
      type: str
    title:
      description: Dashboard title as stored.
      type: str
    source:
      description: File the dashboard came from, or V(inline).
      type: str
    changed:
      description: Whether this dashboard was (or in check mode would be) written or deleted.
      type: bool
    action:
      description: V(create), V(update), V(delete) or null.
      type: str
    folder_uid:
      description: Uid of its folder; empty at the top level. In check mode with a folder still to be created, a placeholder.
      type: str
    version:
      description: Version after the run (predicted in check mode, null there for new dashboards).
      type: int
    url:
      description: Relative URL of the dashboard.
      type: str
  sample: [{"uid": "rYdddlPWk", "title": "Node Exporter Full", "source": "/srv/dashboards/node-exporter-full.json",
            "changed": false, "action": null, "folder_uid": "linux", "version": 3, "url": "/d/rYdddlPWk/node-exporter-full"}]
dashboard:
  description: The single entry of RV(dashboards) when exactly one dashboard was given.
  returned: when one dashboard was given
  type: dict
  sample: {"uid": "hello", "title": "Hello", "source": "inline", "changed": true, "action": "create", "folder_uid": "",
           "version": 1, "url": "/d/hello/hello"}
folder_uid:
  description: Uid of the target folder (empty for the top level; null in check mode when it would be created).
  returned: with O(state=present)
  type: str
  sample: linux
folders_created:
  description: Folders of O(folder_path) that were (or in check mode would be) created.
  returned: with O(state=present)
  type: list
  elements: dict
  sample: [{"uid": "b1f3kq0x9y2zab3c4d5e6f7g8h", "title": "Linux", "parent_uid": "platform"}]
action:
  description: With one dashboard, what was (or in check mode would be) done to it; null in bulk mode (see RV(dashboards)).
  returned: always
  type: str
  sample: update
applied:
  description: Uids written (or deleted) before a failure in bulk mode; on success, all changed uids.
  returned: always
  type: list
  elements: str
  sample: [rYdddlPWk]
diff:
  description:
    - Each changed dashboard's JSON (without C(id) and C(version)) and folder before and after, as compared; one
      diff per changed dashboard, in a list (a single dict when one dashboard was given).
  returned: when diff mode is on
  type: raw
  sample: {"before": {"dashboard": {"title": "Old"}, "folder_uid": ""}, "after": {"dashboard": {"title": "New"}, "folder_uid": ""}}
"""

import copy
import json
import os
import re

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.vigil.observability.plugins.module_utils import _args, _client, _grafana_folders, _resource
from ansible_collections.vigil.observability.plugins.module_utils._client import quote_segment
from ansible_collections.vigil.observability.plugins.module_utils._errors import ValidationError, VigilError

_GTIME = re.compile(r"^(\d+)(ms|s|m|h|d|w|M|y)$")
_GTIME_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
_PLACEHOLDER = re.compile(r"\$\{(.+?)\}")


def gtime_seconds(value):
    match = _GTIME.match(value)
    if not match:
        return None
    return int(match.group(1)) * _GTIME_SECONDS[match.group(2)]


# -- reading and preparing the dashboards -----------------------------------------------------

def load_file(path):
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8-sig"))
    except (IOError, OSError) as err:
        raise ValidationError("cannot read dashboard file %s: %s" % (path, to_native(err)))
    except ValueError as err:
        raise ValidationError("invalid JSON in dashboard file %s: %s" % (path, to_native(err)))
    return data


def unwrap(data, source):
    if not isinstance(data, dict):
        raise ValidationError("dashboard %s is not a JSON object" % source)
    inner = data.get("dashboard")
    if isinstance(inner, dict) and "panels" not in data and "title" not in data:
        return inner
    return data


def sources(params):
    """[(source name, dashboard dict)] from the dashboard or path option."""
    if params["dashboard"] is not None:
        return [("inline", unwrap(params["dashboard"], "inline"))]
    if params["path"] is None:
        return []
    path = params["path"]
    if os.path.isdir(path):
        files = sorted(f for f in os.listdir(path) if f.endswith(".json") and os.path.isfile(os.path.join(path, f)))
        if not files:
            raise ValidationError("directory %s holds no *.json dashboard files" % path)
        return [(os.path.join(path, f), unwrap(load_file(os.path.join(path, f)), os.path.join(path, f))) for f in files]
    if not os.path.exists(path):
        raise ValidationError("dashboard path %s does not exist" % path)
    return [(path, unwrap(load_file(path), path))]


def resolve_inputs(data, inputs, source):
    """Grafana's import: replace ${NAME} of declared __inputs, drop __inputs."""
    declared = data.get("__inputs")
    if not isinstance(declared, list) or not declared:
        return data
    values = {}
    missing = []
    for item in declared:
        name = item.get("name") if isinstance(item, dict) else None
        if not name:
            continue
        if name in inputs and inputs[name] is not None:
            values[name] = str(inputs[name])
        elif item.get("type") == "constant" and item.get("value") is not None:
            values[name] = str(item["value"])
        else:
            missing.append(name)
    if missing:
        raise ValidationError("dashboard %s needs values for its inputs %s (option inputs)" % (source, ", ".join(sorted(missing))))

    def evaluate(value):
        if isinstance(value, dict):
            return dict((k, evaluate(v)) for k, v in value.items() if k != "__inputs")
        if isinstance(value, list):
            return [evaluate(v) for v in value]
        if isinstance(value, str):
            return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
        return value

    return evaluate(data)


def prepare(source, data, params, uid_override):
    """The dashboard JSON exactly as Grafana will store it (minus id/version)."""
    data = copy.deepcopy(data)
    if params["inputs"] is not None:
        data = resolve_inputs(data, params["inputs"], source)
    uid = uid_override if uid_override is not None else data.get("uid")
    if uid is None or str(uid).strip() == "":
        raise ValidationError("dashboard %s has no uid: set one in the JSON or pass the uid option "
                              "(without a stable uid Grafana creates a new dashboard on every run)" % source)
    uid = _args.validate_uid(uid, "uid of dashboard %s" % source)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValidationError("dashboard %s has no title (Grafana rejects it)" % source)
    if len(title.strip()) > 5000:
        raise ValidationError("dashboard %s: the title is longer than 5000 characters" % source)
    data.pop("id", None)
    data.pop("version", None)
    data["uid"] = uid
    data["title"] = title.strip()
    refresh = data.get("refresh")
    if isinstance(refresh, str) and refresh not in ("", "auto"):
        seconds = gtime_seconds(refresh)
        minimum = gtime_seconds(params["min_refresh_interval"])
        if seconds is not None and minimum is not None and seconds < minimum:
            data["refresh"] = params["min_refresh_interval"]
    return {"uid": uid, "source": source, "json": data}


# -- folders ----------------------------------------------------------------------------------

def folder_resource(parent_uid, title, wanted, create_folders):
    """One level of folder_path: the child titled ``title`` of ``parent_uid``, created when missing."""

    def read(client):
        return _grafana_folders.find_folder(client, parent_uid, title)

    def create(client, desired, current):
        body = {"title": title}
        if parent_uid:
            body["parentUid"] = parent_uid
        return client.post(_grafana_folders.FOLDERS, body)

    def desired(current):
        if current is None and not create_folders:
            raise ValidationError("folder %r of folder_path does not exist and create_folders is false" % wanted)
        return {"title": title, "parent_uid": parent_uid}

    resource = _resource.Resource(
        "folder", read=read, create=create, view=lambda raw: {"title": title, "parent_uid": parent_uid},
        summary=lambda raw: {"uid": raw["uid"], "title": raw["title"], "parent_uid": parent_uid},
        predict=lambda desired, current: {"uid": None, "title": title, "parent_uid": parent_uid},
        from_response=lambda response, desired, current: {"uid": response["uid"], "title": response["title"],
                                                          "parent_uid": parent_uid},
        label="folder %r" % wanted)
    return resource, desired


def resolve_folder(client, params, check_mode):
    """(folder uid or None when it would be created in check mode, [created folders], warning or None)."""
    if params["folder_uid"]:
        uid = _args.validate_uid(params["folder_uid"], "folder_uid")
        return uid, [], _grafana_folders.require_folder(client, uid, check_mode)
    titles = [title.strip() for title in params["folder_path"] or []]
    if any(not title for title in titles):
        raise ValidationError("folder_path contains an empty title")
    parent = ""
    created = []
    for depth, title in enumerate(titles):
        wanted = "/".join(titles[:depth + 1])
        if parent is None:  # check mode, the parent is still to be created
            created.append({"uid": None, "title": title, "parent_uid": None})
            continue
        resource, desired = folder_resource(parent, title, wanted, params["create_folders"])
        result = _resource.ensure(client, resource, desired, "present", check_mode)
        if result.changed:
            created.append(result.object)
        parent = result.object["uid"]
    return parent, created, None


# -- the resource -----------------------------------------------------------------------------

def dashboard_view(raw):
    dash = dict(raw.get("dashboard") or {})
    dash.pop("id", None)
    dash.pop("version", None)
    return {"dashboard": dash, "folder_uid": (raw.get("meta") or {}).get("folderUid") or ""}


def build_resource(entry, params):
    item = "/api/dashboards/uid/" + quote_segment(entry["uid"])

    def write(client, desired, current):
        body = {"dashboard": desired["dashboard"], "folderUid": desired["folder_uid"], "overwrite": True}
        if params["commit_message"]:
            body["message"] = params["commit_message"]
        return client.post("/api/dashboards/db", body)

    def summary(raw):
        meta = raw.get("meta") or {}
        dash = raw.get("dashboard") or {}
        return {"uid": dash.get("uid"), "title": dash.get("title"), "folder_uid": meta.get("folderUid") or "",
                "version": dash.get("version", meta.get("version")), "url": meta.get("url")}

    def predict(desired, current):
        version = None
        if current is not None:
            version = (current.get("dashboard") or {}).get("version", 0) + 1
        return {"uid": entry["uid"], "title": desired["dashboard"]["title"], "folder_uid": desired["folder_uid"],
                "version": version, "url": (current or {}).get("meta", {}).get("url")}

    def from_response(response, desired, current):
        response = response or {}
        return {"uid": response.get("uid", entry["uid"]), "title": desired["dashboard"]["title"],
                "folder_uid": desired["folder_uid"], "version": response.get("version"), "url": response.get("url")}

    return _resource.Resource(
        "dashboard", read=("GET", item), create=write, update=write, delete=("DELETE", item),
        view=dashboard_view, summary=summary, predict=predict, from_response=from_response,
        label="dashboard %r (%s)" % (entry["uid"], entry["source"]))


def main():
    module = _args.grafana_module(
        dict(
            dashboard=dict(type="dict"),
            path=dict(type="path"),
            uid=dict(type="str"),
            folder_uid=dict(type="str"),
            folder_path=dict(type="list", elements="str"),
            create_folders=dict(type="bool", default=True),
            inputs=dict(type="dict"),
            commit_message=dict(type="str"),
            min_refresh_interval=dict(type="str", default="5s"),
        ),
        mutually_exclusive=[("dashboard", "path"), ("folder_uid", "folder_path")],
        required_if=[("state", "present", ("dashboard", "path"), True),
                     ("state", "absent", ("dashboard", "path", "uid"), True)],
    )
    _resource.run(module, lambda: apply(module))


def apply(module):
    params = module.params
    if params["commit_message"] and len(params["commit_message"]) > 500:
        raise ValidationError("commit_message is longer than 500 characters")
    if gtime_seconds(params["min_refresh_interval"]) is None:
        raise ValidationError("min_refresh_interval %r is not a duration such as 5s or 1m" % params["min_refresh_interval"])
    found = sources(params)
    if params["uid"] is not None and len(found) > 1:
        raise ValidationError("the uid option needs a single dashboard, but %s holds %d" % (params["path"], len(found)))
    if params["state"] == "absent" and not found:
        entries = [{"uid": _args.validate_uid(params["uid"]), "source": "uid", "json": None}]
    else:
        entries = [prepare(src, data, params, params["uid"]) for src, data in found]
    seen = {}
    for entry in entries:
        if entry["uid"] in seen:
            raise ValidationError("uid %r is used by both %s and %s" % (entry["uid"], seen[entry["uid"]], entry["source"]))
        seen[entry["uid"]] = entry["source"]

    client = _client.GrafanaClient.from_module(module)
    extra = {}
    folder_uid = None
    if params["state"] == "present":
        folder_uid, created, warning = resolve_folder(client, params, module.check_mode)
        extra.update(folder_uid=folder_uid, folders_created=created)
        if warning:
            module.warn(warning)
    placeholder = "(to be created: %s)" % "/".join(params["folder_path"] or [])

    results, diffs, applied = [], [], []
    for entry in entries:
        resource = build_resource(entry, params)
        desired = None
        if params["state"] == "present":
            desired = {"dashboard": entry["json"], "folder_uid": folder_uid if folder_uid is not None else placeholder}
        try:
            res = _resource.ensure(client, resource, desired, params["state"], module.check_mode)
        except VigilError as err:
            raise _resource.BulkFailure("dashboard %r (%s)" % (entry["uid"], entry["source"]), err, applied, results, "dashboards")
        obj = res.object or {"uid": entry["uid"], "title": (entry["json"] or {}).get("title"), "folder_uid": None,
                             "version": None, "url": None}
        obj.update(source=entry["source"], changed=res.changed, action=res.action)
        if obj.get("title") is None and res.current is not None:
            obj["title"] = (res.current.get("dashboard") or {}).get("title")
        results.append(obj)
        if res.changed:
            applied.append(entry["uid"])
            diff = res.diff
            diff.update(before_header="%s (%s)" % (entry["uid"], entry["source"]),
                        after_header="%s (%s)" % (entry["uid"], entry["source"]))
            diffs.append(diff)

    out = dict(changed=bool(applied) or bool(extra.get("folders_created")), dashboards=results, applied=applied,
               action=None, **extra)
    if len(results) == 1:
        out["dashboard"] = results[0]
        out["action"] = results[0]["action"]
    if module._diff:
        if len(entries) == 1:
            out["diff"] = diffs[0] if diffs else {"before": {}, "after": {}}
        else:
            out["diff"] = diffs
    return out


if __name__ == "__main__":
    main()
