#!/usr/bin/env bash
# The ansible-core support window: run a command with the lowest, the main or the newest
# ansible-core this collection is tested with.
#
#   tools/matrix.sh prepare CORE       make CORE's controller ready (prints its versions)
#   tools/matrix.sh run CORE CMD...    run CMD in CORE's controller, from the checkout
#
# CORE is one of
#   2.16  the lowest (meta/runtime.yml): a venv on this machine's Python, .venv-core2.16,
#         from requirements/core-2.16.txt;
#   2.19  the main one: .venv, from requirements/test.txt (tools/test.sh setup);
#   2.21  the newest: it needs Python >= 3.12, which this machine does not have, so its
#         controller is a container of the Debian trixie image (Python 3.13) with a venv from
#         requirements/core-2.21.txt: image vigil/controller:trixie-<recipe>, built once from
#         vigil/debian-systemd:trixie (tools/images.sh) and kept while its recipe holds. It runs
#         on the host network with the Docker socket and the checkout's parent folder (the
#         checkout and ../shared) mounted at the same paths, so Molecule, the test mirror on
#         loopback and every path of tools/test_env.py work unchanged in it.
# In every controller, CMD finds that controller's ansible-playbook, molecule and python first
# on PATH, and the variables of tools/test_env.py are set when the test mirror is running.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage() { sed -n '2,20p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 core=$2; shift 2

requirements() {
  case $1 in
    2.19) echo requirements/test.txt ;;
    2.16|2.21) echo "requirements/core-$1.txt" ;;
    *) echo "unknown ansible-core $1 (the window: 2.16, 2.19, 2.21)" >&2; return 2 ;;
  esac
}

# --- venv controllers (this machine's Python) -------------------------------------------------
venv_dir() { if [ "$1" = 2.19 ]; then echo "$root/.venv"; else echo "$root/.venv-core$1"; fi; }

prepare_venv() {
  local venv; venv=$(venv_dir "$1")
  local req; req=$(requirements "$1")
  local want; want=$(sha256sum "$req" | cut -d' ' -f1)
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/pip" install --quiet --upgrade pip && "$venv/bin/pip" install --quiet -r "$req" || return 1
    echo "$want" > "$venv/.requirements.sha256"
  fi
  # ansible.cfg resolves vigil.observability.* from ./collections: link the checkout there.
  mkdir -p collections/ansible_collections/vigil
  ln -sfn ../../.. collections/ansible_collections/vigil/observability
  "$venv/bin/ansible" --version | sed -n 1p
  "$venv/bin/python" --version
}

run_venv() {
  local venv; venv=$(venv_dir "$1"); shift
  PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" "$@"
}

# --- the trixie controller (Python 3.13) ---------------------------------------------------------
base_image=vigil/debian-systemd:trixie
packages="python3-venv docker-cli git openssh-client rsync"

# The controller trusts what this machine trusts: Debian's system CA bundle (it holds any CA the
# host added, e.g. for a proxy) replaces the image's own, and pip and requests use it.
bundle=/etc/ssl/certs/ca-certificates.crt
trust=()
if [ -r "$bundle" ]; then
  trust=(-v "$bundle:$bundle:ro" -e "PIP_CERT=$bundle" -e "REQUESTS_CA_BUNDLE=$bundle" -e "SSL_CERT_FILE=$bundle")
fi

controller_image() {
  local recipe
  recipe=$( { cat "$(requirements 2.21)"; echo "$packages"; echo v1; } | sha256sum | cut -c1-16)
  echo "vigil/controller:trixie-$recipe"
}

prepare_container() {
  local image; image=$(controller_image)
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    docker image inspect "$base_image" >/dev/null 2>&1 || tools/images.sh trixie
    echo "controller image $image: building from $base_image"
    local build="vigil-controller-build-$$"
    docker rm -f "$build" >/dev/null 2>&1 || true
    docker run --name "$build" --network host -v "$root/requirements:/tmp/requirements:ro" "${trust[@]}" \
      "$base_image" bash -euc "
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends $packages >/dev/null
      rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
      python3 -m venv /opt/vigil-controller
      /opt/vigil-controller/bin/pip install --quiet --upgrade pip
      /opt/vigil-controller/bin/pip install --quiet -r /tmp/requirements/core-2.21.txt
      rm -rf /root/.cache/pip" || { docker rm -f "$build" >/dev/null; return 1; }
    docker commit -c 'CMD ["bash"]' -c 'ENV PATH=/opt/vigil-controller/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$build" "$image" >/dev/null
    docker rm -f "$build" >/dev/null
    echo "controller image $image: built"
  fi
  run_container ansible --version | sed -n 1p
  run_container python --version
}

run_container() {
  local image; image=$(controller_image)
  local parent; parent=$(dirname "$root")
  local tty=()
  [ -t 0 ] && [ -t 1 ] && tty=(-it)
  # Variables the harness and the tests read pass through; HOME's caches (ansible-test's venvs,
  # pip) stay in a volume of their own between runs.
  local envs=()
  while IFS='=' read -r name _; do
    case $name in
      VIGIL_*|MOLECULE_*|ANSIBLE_*|XDG_CACHE_HOME|PY_COLORS|NO_COLOR|CI) envs+=(-e "$name") ;;
    esac
  done < <(env)
  # Temporary files live under the checkout: a test that bind-mounts one into a container of its
  # own names a path the Docker engine (outside this container) can see.
  mkdir -p "$root/.cache/controller-tmp"
  docker run --rm "${tty[@]}" --network host --init -e "TMPDIR=$root/.cache/controller-tmp" \
    -v /var/run/docker.sock:/var/run/docker.sock -v "$parent:$parent" -v vigil-controller-home:/root \
    "${trust[@]}" -w "$root" "${envs[@]}" "$image" "$@"
}

# --- dispatch -------------------------------------------------------------------------------------
requirements "$core" >/dev/null
case $action in
  prepare) if [ "$core" = 2.21 ]; then prepare_container; else prepare_venv "$core"; fi ;;
  run)
    [ $# -ge 1 ] || usage
    if [ "$core" = 2.21 ]; then run_container "$@"; else run_venv "$core" "$@"; fi ;;
  *) usage ;;
esac
