#!/usr/bin/env bash
# ansible-test sanity, offline-capable: the collection is copied under
# .cache/sanity/ansible_collections/vigil/observability (ansible-test needs that path), and the
# pip bootstrap ansible-test would download from a host we cannot reach is replaced by one that
# runs ensurepip and then `pip install` with the arguments ansible-test gives it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p "$root/.cache"
# One directory per run: concurrent runs must not wipe each other's tree.
work=$(mktemp -d "$root/.cache/sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/vigil/observability"

# Offline get-pip for every pip version this ansible-test may ask for.
pip_version=$(python3 - <<'PY'
import inspect, re
import ansible_test._internal.python_requirements as r
print(re.search(r"pip=['\"]([0-9.]+)['\"]", inspect.getsource(r.get_venv_packages)).group(1))
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cat > "$cache/get_pip_${pip_version//./_}.py" <<'PY'
"""Offline stand-in for get-pip.py (written by tools/sanity.sh): bootstrap pip from the
interpreter's bundled wheel, then `pip install` what ansible-test asked for."""
import ensurepip
import os
import subprocess
import sys

saved = dict(os.environ)
ensurepip.bootstrap(upgrade=True, default_pip=True)
os.environ.clear()
os.environ.update(saved)  # ensurepip strips PIP_* settings; pip needs them back
# get-pip.py's own switches; plain `pip install` does not know them (and installs neither anyway).
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
PY
echo "offline pip bootstrap: $cache/get_pip_${pip_version//./_}.py"

mkdir -p "$dest"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] || continue
  mkdir -p "$dest/$(dirname "$f")"
  cp -p "$f" "$dest/$f"
done
cd "$dest"
git init -q . && git add -A >/dev/null && git -c user.email=ci@vigil -c user.name=ci commit -qm sanity >/dev/null
# The controller's own Python (3.11 here, 3.13 in the trixie controller of tools/matrix.sh).
python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ansible --version | sed -n 1p
ansible-test sanity --venv --python "$python_version" --color no "$@"
