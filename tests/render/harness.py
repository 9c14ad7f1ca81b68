# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a role's real templates and variables through Ansible, for structural tests.

Two entry points share one ``ansible-playbook`` runner:

- ``render(role, variants, templates, ...)``: one host per variant, one play for all.
- ``render_plays(role, inventory, variants)``: one shared inventory (the hosts and groups the role
  reads through ``hostvars``, e.g. scrape targets generated from the inventory) and one play per
  variant, run on one of its hosts with the variant's overrides as play vars.

With ``render``, each variant is a host of a throw-away local inventory carrying the variant's variables as host
vars (so they override the role's defaults exactly as inventory does). One ``ansible-playbook``
run includes the role's ``preflight.yml`` (``public: true``: its defaults and vars stay visible)
and renders the requested templates from ``roles/<role>/templates/``. A variant whose preflight
fails reports the failure message instead of files. No template logic is repeated here.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

PLAYBOOK = """
- name: Render role templates for the unit tests
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Preflight and render
      block:
        - name: Run the role's preflight (its defaults and vars stay visible)
          ansible.builtin.include_role:
            name: vigil.observability.{role}
            tasks_from: preflight.yml
            public: true
        - name: Create the output directory
          ansible.builtin.file:
            path: "{out}/{{{{ inventory_hostname }}}}"
            state: directory
            mode: "0700"
        - name: Render the templates
          ansible.builtin.template:
            src: "{templates}/{{{{ item }}}}"
            dest: "{out}/{{{{ inventory_hostname }}}}/{{{{ item }}}}"
            mode: "0600"
          loop: {names}
        - name: Dump variables the tests look at
          ansible.builtin.copy:
            content: "{{{{ dict(__names | zip(__names | map('extract', vars))) | to_json }}}}"
            dest: "{out}/{{{{ inventory_hostname }}}}/vars.json"
            mode: "0600"
          vars:
            __names: {dump}
      rescue:
        - name: Record the failure
          ansible.builtin.copy:
            content: "{{{{ ansible_failed_result.msg | default(ansible_failed_result | to_json) }}}}"
            dest: "{out}/{{{{ inventory_hostname }}}}.failed"
            mode: "0600"
"""


def _run_playbook(work, inventory, playbook, timeout):
    """Run ``ansible-playbook`` of the venv with the repository's ansible.cfg; the CompletedProcess."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.minimal", ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_RETRY_FILES_ENABLED="false",
               ANSIBLE_DEPRECATION_WARNINGS="false", ANSIBLE_LOCAL_TEMP=os.path.join(work, "tmp"))
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, playbook],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _write_inventory(path, hosts, groups):
    children = {group: {"hosts": {h: {} for h in members}} for group, members in (groups or {}).items()}
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"hosts": hosts, "children": children}}, handle)


def render(role, variants, templates, dump=(), groups=None, timeout=300):
    """Return ``{variant: {"failed": str or None, "files": {template: text}, "vars": {...}}}``."""
    out = tempfile.mkdtemp(prefix="vigil-render-")
    hosts = {name: dict(values, ansible_python_interpreter=sys.executable) for name, values in variants.items()}
    _write_inventory(os.path.join(out, "inventory.yml"), hosts, groups)
    with open(os.path.join(out, "render.yml"), "w", encoding="utf-8") as handle:
        handle.write(PLAYBOOK.format(role=role, out=out, templates=os.path.join(ROOT, "roles", role, "templates"),
                                     names=json.dumps(list(templates)), dump=json.dumps(list(dump))))
    proc = _run_playbook(out, os.path.join(out, "inventory.yml"), os.path.join(out, "render.yml"), timeout)
    results = {}
    for name in variants:
        failed = os.path.join(out, name + ".failed")
        if os.path.exists(failed):
            with open(failed, encoding="utf-8") as handle:
                results[name] = {"failed": handle.read(), "files": {}, "vars": {}}
            continue
        files = {}
        for template in templates:
            path = os.path.join(out, name, template)
            if not os.path.exists(path):
                raise AssertionError("variant %s: %s not rendered\n%s\n%s" % (name, template, proc.stdout[-4000:], proc.stderr[-4000:]))
            with open(path, encoding="utf-8") as handle:
                files[template] = handle.read()
        with open(os.path.join(out, name, "vars.json"), encoding="utf-8") as handle:
            results[name] = {"failed": None, "files": files, "vars": json.load(handle)}
    return results


# The message of a failed task; for a loop, the messages of its failed items.
FAILURE_MESSAGE = ("{{ (ansible_failed_result.results | default([]) | selectattr('failed', 'defined') | selectattr('failed')"
                   " | map(attribute='msg', default='') | list + [ansible_failed_result.msg | default(ansible_failed_result | to_json)])"
                   " | join('\\n') }}")


def _plays(role, outs, variants):
    """One play per variant: the role's preflight (public), then the values and templates asked for."""
    plays = []
    for (name, variant), out in zip(variants.items(), outs):
        tasks = [{"name": "Run the role's preflight (its defaults and vars stay visible)",
                  "ansible.builtin.include_role": {"name": "vigil.observability." + role, "public": True,
                                                   "tasks_from": variant.get("tasks_from", "preflight.yml")}}]
        if variant.get("values"):
            tasks.append({"name": "Dump the values", "vars": {"__names": list(variant["values"])},
                          "ansible.builtin.copy": {"content": "{{ dict(__names | zip(__names | map('extract', vars))) | to_json }}",
                                                   "dest": os.path.join(out, "values.json"), "mode": "0600"}})
        for template in variant.get("templates", []):
            tasks.append({"name": "Render " + template,
                          "ansible.builtin.template": {"src": os.path.join(ROOT, "roles", role, "templates", template),
                                                       "dest": os.path.join(out, template), "mode": "0600"}})
        plays.append({"name": name, "hosts": variant.get("host", "all"), "gather_facts": False,
                      "vars": variant.get("vars", {}),
                      "tasks": [{"name": "Render", "block": tasks, "rescue": [{
                          "name": "Record the failure",
                          "ansible.builtin.copy": {"content": FAILURE_MESSAGE,
                                                   "dest": os.path.join(out, "failure.txt"), "mode": "0600"}}]}]})
    return plays


def render_plays(role, inventory, variants, timeout=300):
    """Render several variants against one shared inventory, one play each, in one ansible-playbook run.

    ``inventory``: ``{"hosts": {host: {hostvars}}, "groups": {group: [hosts]}}`` (every host local).
    ``variants``: ``{name: {"host", "vars", "tasks_from", "values", "templates", "expect_failure"}}``;
    ``expect_failure`` is a regex the variant's failure message must match (bad input).
    Returns ``{name: {"values": {...}, "files": {template: text}, "failure": str or None}}``.
    """
    work = tempfile.mkdtemp(prefix="vigil-render-")
    hosts = {h: dict(v or {}, ansible_connection="local", ansible_python_interpreter=sys.executable)
             for h, v in inventory["hosts"].items()}
    _write_inventory(os.path.join(work, "inventory.yml"), hosts, inventory.get("groups"))
    outs = []
    for index, name in enumerate(variants):
        outs.append(os.path.join(work, "out", "%03d-%s" % (index, re.sub(r"[^A-Za-z0-9_.-]", "_", name))))
        os.makedirs(outs[-1])
    with open(os.path.join(work, "render.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(_plays(role, outs, variants), handle, sort_keys=False)
    proc = _run_playbook(work, os.path.join(work, "inventory.yml"), os.path.join(work, "render.yml"), timeout)
    if proc.returncode != 0:
        raise AssertionError("ansible-playbook failed:\n%s\n%s" % (proc.stdout[-6000:], proc.stderr[-3000:]))
    results = {}
    for (name, variant), out in zip(variants.items(), outs):
        result = {"values": {}, "files": {}, "failure": None}
        for entry in sorted(os.listdir(out)):
            with open(os.path.join(out, entry), encoding="utf-8") as handle:
                text = handle.read()
            if entry == "failure.txt":
                result["failure"] = text
            elif entry == "values.json":
                result["values"] = json.loads(text)
            else:
                result["files"][entry] = text
        if "expect_failure" in variant:
            if result["failure"] is None:
                raise AssertionError("variant %s: expected a failure matching %r, got none" % (name, variant["expect_failure"]))
            if not re.search(variant["expect_failure"], result["failure"]):
                raise AssertionError("variant %s: failure %r does not match %r" % (name, result["failure"], variant["expect_failure"]))
        elif result["failure"] is not None:
            raise AssertionError("variant %s failed: %s" % (name, result["failure"]))
        results[name] = result
    return results
