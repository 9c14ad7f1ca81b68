# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a role's real templates through Ansible, once per variant, for structural tests.

Each variant is a host of a throw-away local inventory carrying the variant's variables as host
vars (so they override the role's defaults exactly as inventory does). One ``ansible-playbook``
run includes the role's ``preflight.yml`` (``public: true``: its defaults and vars stay visible)
and renders the requested templates from ``roles/<role>/templates/``. A variant whose preflight
fails reports the failure message instead of files. No template logic is repeated here.
"""

import json
import os
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


def render(role, variants, templates, dump=(), groups=None, timeout=300):
    """Return ``{variant: {"failed": str or None, "files": {template: text}, "vars": {...}}}``."""
    out = tempfile.mkdtemp(prefix="vigil-render-")
    hosts = {name: dict(values, ansible_python_interpreter=sys.executable) for name, values in variants.items()}
    children = {group: {"hosts": {h: {} for h in members}} for group, members in (groups or {}).items()}
    inventory = {"all": {"hosts": hosts, "children": children}}
    with open(os.path.join(out, "inventory.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle)
    with open(os.path.join(out, "render.yml"), "w", encoding="utf-8") as handle:
        handle.write(PLAYBOOK.format(role=role, out=out, templates=os.path.join(ROOT, "roles", role, "templates"),
                                     names=json.dumps(list(templates)), dump=json.dumps(list(dump))))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.minimal", ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    proc = subprocess.run([playbook, "-i", os.path.join(out, "inventory.yml"), os.path.join(out, "render.yml")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
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
