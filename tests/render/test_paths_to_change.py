# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The no-op shortcut of _artifact's file steps against the real modules: a file written by
ansible.builtin.template (or copy, or file) is found unchanged by paths_info + template_checksums +
paths_to_change, and any difference in content, mode or type is found. One local playbook run."""

import os
import sys
import tempfile

from harness import _run_playbook

PLAYBOOK = """
- name: paths_to_change against the template, copy and file modules
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    tdir: {tdir}
    out: {out}
    value: first
    contents: {{"{out}/content.txt": "from the item\\n"}}
    files:
      - {{src: plain.j2, dest: "{out}/plain.yml"}}
      - {{src: content.j2, dest: "{out}/content.txt", mode: "0600"}}
      - {{src: blocks.j2, dest: "{out}/blocks.conf"}}
    copies:
      - {{src: "{tdir}/plain.j2", dest: "{out}/copied", mode: "0755"}}
    dirs:
      - {{path: "{out}/d1", mode: "0750"}}
      - {{path: "{out}/d2"}}
  tasks:
    - name: Write the files as _artifact does
      ansible.builtin.template:
        src: "{{{{ tdir }}}}/{{{{ item.src }}}}"
        dest: "{{{{ item.dest }}}}"
        mode: "{{{{ item.mode | default('0640') }}}}"
      loop: "{{{{ files }}}}"
    - name: Copy a file
      ansible.builtin.copy:
        src: "{{{{ item.src }}}}"
        dest: "{{{{ item.dest }}}}"
        mode: "{{{{ item.mode }}}}"
      loop: "{{{{ copies }}}}"
    - name: Create the directories
      ansible.builtin.file:
        path: "{{{{ item.path }}}}"
        state: directory
        mode: "{{{{ item.mode | default('0700') }}}}"
      loop: "{{{{ dirs }}}}"
    - name: Read them back
      vigil.observability.paths_info:
        paths: "{{{{ (files + copies) | map(attribute='dest') | list + dirs | map(attribute='path') | list + [out ~ '/none'] }}}}"
      register: state
    - name: Keep the checksums of the files as written
      ansible.builtin.set_fact:
        same: "{{{{ query('vigil.observability.template_checksums', files, template_dir=tdir) }}}}"
    - name: Nothing differs
      ansible.builtin.assert:
        that:
          - files | vigil.observability.paths_to_change(state.paths, checksums=same, mode='0640') == []
          - copies | vigil.observability.paths_to_change(state.paths, local_src=true) == []
          - dirs | vigil.observability.paths_to_change(state.paths, path_key='path', kind='directory', mode='0700') == []
          - not state.paths[out ~ '/none'].exists
        fail_msg: "{{{{ files | vigil.observability.paths_to_change(state.paths, checksums=same, mode='0640') }}}}"
    - name: Every difference is found
      ansible.builtin.assert:
        that:
          - (files | vigil.observability.paths_to_change(state.paths, checksums=sums, mode='0640')
             | map(attribute='dest') | list) == [out ~ '/plain.yml']
          - (files | vigil.observability.paths_to_change(state.paths, checksums=same, mode='0644')
             | map(attribute='dest') | list) == [out ~ '/plain.yml', out ~ '/blocks.conf']
          - (files | vigil.observability.paths_to_change(state.paths, checksums=same, mode='u=rw')
             | map(attribute='dest') | list) == [out ~ '/plain.yml', out ~ '/blocks.conf']
          - dirs | vigil.observability.paths_to_change(state.paths, path_key='path', kind='file') | length == 2
          - >-
            (files + [dict(dest=out ~ '/none', src='plain.j2')])
            | vigil.observability.paths_to_change(state.paths, checksums=same + ['x']) | length == 1
      vars:
        value: second
        sums: "{{{{ query('vigil.observability.template_checksums', files, template_dir=tdir) }}}}"
"""

TEMPLATES = {
    "plain.j2": "# {{ ansible_managed }}\nvalue: {{ value }}\n",
    "content.j2": "{{ contents[item.dest] }}",
    "blocks.j2": "{% for n in [1, 2] %}\nline {{ n }}\n{% endfor %}\n{# comment #}\nend\n\n",
}


def test_unchanged_files_are_found_unchanged_and_changes_are_found():
    work = tempfile.mkdtemp(prefix="vigil-paths-")
    tdir, out = os.path.join(work, "templates"), os.path.join(work, "out")
    os.makedirs(tdir)
    os.makedirs(out)
    os.makedirs(os.path.join(work, "tmp"))
    for name, text in TEMPLATES.items():
        with open(os.path.join(tdir, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    playbook = os.path.join(work, "play.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAYBOOK.format(tdir=tdir, out=out))
    inventory = os.path.join(work, "inventory")
    with open(inventory, "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    proc = _run_playbook(work, inventory, playbook, 300, callback="ansible.builtin.default")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
