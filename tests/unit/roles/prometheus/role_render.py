# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a role's variables and templates through Ansible itself, for structural unit tests.

``render_variants(role, inventory, variants)`` writes a throw-away inventory (every host local)
and runs ONE ansible-playbook with one play per variant. Each play includes the role itself
(``include_role`` with ``tasks_from: preflight.yml`` and ``public: true``: argument validation,
the role's defaults and vars with their real precedence, and the role's bad-input checks, which
only read variables); the variant's overrides are play vars; its ``values`` are variable names
dumped as JSON afterwards, its ``templates`` are files of the role's ``templates/`` rendered with
the template module, and ``expect_failure`` asserts with a regex that the variant fails with a
matching message (bad input). Nothing here re-implements the role's logic: every
value is what Ansible computes from the role's own files.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
BIN = os.path.dirname(sys.executable)


def _playbook(role_dir, variant_dirs, variants):
    plays = []
    for (name, variant), out in zip(variants.items(), variant_dirs):
        tasks = [{
            "name": "role %s" % os.path.basename(role_dir),
            "ansible.builtin.include_role": {"name": role_dir, "tasks_from": variant.get("tasks_from", "preflight.yml"),
                                             "public": True},
        }]
        for value in variant.get("values", []):
            tasks.append({
                "name": "value %s" % value,
                "ansible.builtin.copy": {
                    "content": "{{ %s | to_json }}" % value,
                    "dest": os.path.join(out, value + ".json"),
                    "mode": "0644",
                },
                "delegate_to": "localhost",
            })
        for template in variant.get("templates", []):
            tasks.append({
                "name": "template %s" % template,
                "ansible.builtin.template": {
                    "src": os.path.join(role_dir, "templates", template),
                    "dest": os.path.join(out, template),
                    "mode": "0644",
                },
                "delegate_to": "localhost",
            })
        if "expect_failure" in variant:
            tasks = [{
                "name": "expected failure",
                "block": tasks,
                "rescue": [{
                    "name": "record the failure",
                    "ansible.builtin.copy": {
                        "content": "{{ ansible_failed_result.msg | default('') }}",
                        "dest": os.path.join(out, "failure.txt"),
                        "mode": "0644",
                    },
                    "delegate_to": "localhost",
                }],
            }]
        plays.append({
            "name": name,
            "hosts": variant.get("host", "server"),
            "gather_facts": False,
            "vars": variant.get("vars", {}),
            "tasks": tasks,
        })
    return plays


def render_variants(role, inventory, variants):
    """Return {variant: {"values": {...}, "files": {...}, "failure": str|None}}.

    ``inventory``: {"hosts": {host: {hostvars}}, "groups": {group: [hosts]}}.
    ``variants``: {name: {"host", "vars", "tasks_from", "values", "templates", "expect_failure"}}.
    """
    role_dir = os.path.join(ROOT, "roles", role)
    work = tempfile.mkdtemp(prefix="vigil-render-")
    inv_dir = os.path.join(work, "inventory")
    os.makedirs(inv_dir)
    hosts = {h: dict(v or {}, ansible_connection="local", ansible_python_interpreter=sys.executable)
             for h, v in inventory["hosts"].items()}
    children = {g: {"hosts": {h: {} for h in members}} for g, members in inventory.get("groups", {}).items()}
    with open(os.path.join(inv_dir, "hosts.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"hosts": hosts, "children": children}}, handle)
    dirs = []
    for name in variants:
        out = os.path.join(work, "out", re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        os.makedirs(out)
        dirs.append(out)
    playbook = os.path.join(work, "render.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        yaml.safe_dump(_playbook(role_dir, dirs, variants), handle, sort_keys=False)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_DEPRECATION_WARNINGS="0", ANSIBLE_LOCAL_TEMP=os.path.join(work, "tmp"))
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", inv_dir, playbook],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError("ansible-playbook failed:\n%s\n%s" % (proc.stdout[-6000:], proc.stderr[-3000:]))
    results = {}
    for name, out in zip(variants, dirs):
        result = {"values": {}, "files": {}, "failure": None}
        for entry in sorted(os.listdir(out)):
            with open(os.path.join(out, entry), encoding="utf-8") as handle:
                text = handle.read()
            if entry == "failure.txt":
                result["failure"] = text
            elif entry.endswith(".json") and entry[:-5] in variants[name].get("values", []):
                result["values"][entry[:-5]] = json.loads(text)
            else:
                result["files"][entry] = text
        if "expect_failure" in variants[name]:
            if result["failure"] is None:
                raise AssertionError("variant %s: expected a failure matching %r, got none" % (name, variants[name]["expect_failure"]))
            if not re.search(variants[name]["expect_failure"], result["failure"]):
                raise AssertionError("variant %s: failure %r does not match %r" % (name, result["failure"], variants[name]["expect_failure"]))
        results[name] = result
    return results
