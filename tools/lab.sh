#!/usr/bin/env bash
# make lab / make lab-down: a local lab of 1 server + 2 clients (systemd containers), converged with
# `ansible-playbook site.yml -i inventories/lab`, then the URLs to open.
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
ansible-playbook -i inventories/lab site.yml "${extra[@]}" "$@"
python3 tools/lab_banner.py --urls
