# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one harness of the render tier: a role's real templates and variables through Ansible.

Every entry point runs the venv's ``ansible-playbook`` through one runner (``_run_playbook``, the
repository's ansible.cfg, quiet output):

- ``render(role, variants, templates, ...)``: one host per variant, one play for all.
- ``render_plays(role, inventory, variants)``: one shared inventory (the hosts and groups the role
  reads through ``hostvars``, e.g. scrape targets generated from the inventory) and one play per
  variant, run on one of its hosts with the variant's overrides as play vars.
- ``run_role_tasks(work, role, tasks)``: tasks on localhost with the role's defaults and vars files
  loaded as play vars; the tasks report values through ``report(key, expression)`` (``debug``
  messages, no module runs), and ``preflight_case(role, key, variables)`` feeds one set of
  variables to the role's preflight and reports its verdict.
- ``mirror_tool(name, component, out_dir)``: a real checker binary (promtool, amtool).

With ``render``, each variant is a host of a throw-away local inventory carrying the variant's variables as host
vars (so they override the role's defaults exactly as inventory does). One ``ansible-playbook``
run includes the role's ``preflight.yml`` (``public: true``: its defaults and vars stay visible)
and renders the requested templates from ``roles/<role>/templates/``. A variant whose preflight
fails reports the failure message instead of files. No template logic is repeated here.
"""

import base64
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

PLAYBOOK = """
- name: Render role templates for the render tests
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
            content: "{{{{ dict(__names | zip(query('ansible.builtin.vars', *__names))) | to_json }}}}"
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


def _run_playbook(work, inventory, playbook, timeout, callback="ansible.builtin.minimal"):
    """Run ``ansible-playbook`` of the venv with the repository's ansible.cfg; the CompletedProcess."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK=callback, ANSIBLE_LOCALHOST_WARNING="false",
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
                          "ansible.builtin.copy": {"content": "{{ dict(__names | zip(query('ansible.builtin.vars', *__names))) | to_json }}",
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


def report(key, expression):
    """A task that reports ``expression`` under ``key`` (read back by ``run_role_tasks``)."""
    return {"name": "Report " + key, "ansible.builtin.debug": {
        "msg": "@@%s@@{{ (%s) | to_json | b64encode }}@@" % (key, expression)}}


def preflight_case(role, key, variables):
    """A block running the role's preflight with ``variables``: reports 'ACCEPTED' or the failure message."""
    return {"name": "Preflight " + key, "vars": variables, "block": [
        {"name": "Preflight", "ansible.builtin.include_tasks": os.path.join(ROOT, "roles", role, "tasks", "preflight.yml")},
        report(key, "'ACCEPTED'"),
    ], "rescue": [report(key, "ansible_failed_result.msg")]}


def run_role_tasks(work, role, tasks, timeout=600):
    """Run ``tasks`` on localhost with the role's defaults and vars loaded like the role's.

    Tasks report through ``report()`` (``debug`` messages ``@@<key>@@<base64 JSON>@@``; no module
    runs, so the cases stay fast); the result is {key: decoded value}.
    """
    role_dir = os.path.join(ROOT, "roles", role)
    play = {"name": "%s role under test" % role, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "vars": {"ansible_python_interpreter": sys.executable},
            "vars_files": [os.path.join(role_dir, "defaults", "main.yml"), os.path.join(role_dir, "vars", "main.yml")],
            "tasks": tasks}
    path = os.path.join(str(work), "playbook.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([play], handle, sort_keys=False)
    result = _run_playbook(str(work), "localhost,", path, timeout, callback="ansible.builtin.default")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    found = re.findall(r"@@([\w.]+)@@([A-Za-z0-9+/=]+)@@", result.stdout)
    return {key: json.loads(base64.b64decode(data)) for key, data in found}


def mirror_tool(name, component, out_dir):
    """A real checker binary: ``name`` on the PATH, else taken out of the test mirror's release archive
    ``<mirror>/<component>/*/<component>-*.linux-amd64.tar.gz`` (Debian's build, made by the mirror stage
    of ``make test``). A test asking for one is skipped when neither exists."""
    found = shutil.which(name)
    if found:
        return found
    mirror = os.environ.get("VIGIL_TEST_MIRROR_DIR", os.path.join(ROOT, ".cache", "test-mirror"))
    pattern = os.path.join(mirror, component, "*", "%s-*.linux-amd64.tar.gz" % component)
    for archive in sorted(glob.glob(pattern), reverse=True):
        with tarfile.open(archive) as tar:
            member = next((m for m in tar.getmembers() if m.name.endswith("/" + name)), None)
            if member is None:
                continue
            out = os.path.join(str(out_dir), name)
            with open(out, "wb") as handle:
                handle.write(tar.extractfile(member).read())
            os.chmod(out, 0o755)
            return out
    pytest.skip("no %s: neither on the PATH nor in the test mirror (run the mirror stage of make test)" % name)
    return None
