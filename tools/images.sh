#!/usr/bin/env bash
# Build the local systemd base images vigil/debian-systemd:<suite> with debootstrap.
# Nothing is pulled: the root filesystem comes from the Debian mirror this host's
# apt already uses (tools/debian_mirror.py). An image that exists is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suites=${*:-bookworm trixie}
mirror=$(python3 "$here/debian_mirror.py")
packages=systemd,systemd-sysv,python3,ca-certificates,procps,iproute2,sudo

for suite in $suites; do
  image="vigil/debian-systemd:$suite"
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "image $image: present"
    continue
  fi
  root=$(mktemp -d "/var/tmp/vigil-rootfs-$suite.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  echo "image $image: debootstrap $suite from $mirror"
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$root.log" 2>&1 || {
    tail -n 30 "$root.log"; echo "debootstrap $suite failed" >&2; exit 1; }
  # A container has no console getty and no udev; masking them keeps boot quick and quiet.
  for unit in getty.target console-getty.service systemd-udevd.service systemd-udev-trigger.service \
              systemd-journald-audit.socket systemd-firstboot.service systemd-resolved.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
  done
  rm -f "$root"/var/cache/apt/archives/*.deb "$root.log"
  tar -C "$root" -c . | docker import \
    -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' - "$image" >/dev/null
  rm -rf "$root"; trap - EXIT
  echo "image $image: built"
done
