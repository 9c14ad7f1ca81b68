#!/usr/bin/env bash
# make lab / make lab-down: a local lab of 1 server + 2 clients (systemd containers), converged with
# `ansible-playbook site.yml -i inventories/lab`, then the URLs to open.
#
# VIGIL_LAB_CONNECTION=ssh runs site.yml over SSH instead of `docker exec` (see docs/lab.md).
#
# Artifacts come from the vendors. When they cannot be reached, the lab falls back to the local
# test mirror (tests/artifacts) and says so in a banner naming every component that is a stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$root/.venv/bin:$PATH" ANSIBLE_CONFIG="$root/ansible.cfg" VIGIL_ROOT="$root"
containers="$root/tools/lab_containers.yml"

if [ "${1:-up}" = down ]; then
  ansible-playbook tools/containers.yml -e "@$containers" -e vigil_containers_state=absent
  exit 0
fi
# Further arguments go to ansible-playbook (e.g. `tools/lab.sh up --tags prometheus`).
[ "${1:-}" = up ] && shift

tools/test.sh setup docker images

extra=()
if python3 tools/upstream_reachable.py; then
  echo "artifacts: upstream (the vendors' release files)"
else
  tools/test.sh mirror >/dev/null
  export VIGIL_TEST_ARTIFACTS=mirror
  python3 tools/test_env.py --ansible-vars > .cache/lab-vars.yml
  extra=(-e @.cache/lab-vars.yml)
  python3 tools/lab_banner.py
fi

ansible-playbook tools/containers.yml -e "@$containers"
ansible-playbook -i inventories/lab tools/lab_prepare.yml "${extra[@]}"

# VIGIL_LAB_CONNECTION=ssh: reach the containers over SSH as you reach your hosts (a key made for
# this run, OpenSSH turned on in them, .cache/lab-ssh/inventory.yml given after the lab's).
inventories=(-i inventories/lab)
if [ "${VIGIL_LAB_CONNECTION:-docker}" = ssh ]; then
  ssh_dir="$root/.cache/lab-ssh"
  rm -rf "$ssh_dir" && mkdir -p -m 0700 "$ssh_dir"
  ssh-keygen -q -t ed25519 -N '' -C vigil-lab -f "$ssh_dir/id_ed25519"
  ansible-playbook -i inventories/lab tools/ssh_access.yml -e "vigil_ssh_public_key='$(cat "$ssh_dir/id_ed25519.pub")'"
  mapfile -t hosts < <(ansible -i inventories/lab all --list-hosts | tail -n +2 | tr -d ' ')
  python3 tools/ssh_inventory.py --key "$ssh_dir/id_ed25519" --out "$ssh_dir/inventory.yml" "${hosts[@]}"
  inventories+=(-i "$ssh_dir/inventory.yml")
  echo "connection: ssh (re-run: ansible-playbook ${inventories[*]} site.yml)"
fi
ansible-playbook "${inventories[@]}" site.yml "${extra[@]}" "$@"
python3 tools/lab_banner.py --urls
