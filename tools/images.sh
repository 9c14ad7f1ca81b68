#!/usr/bin/env bash
# Build the local systemd base images vigil/debian-systemd:<suite> with debootstrap.
# Nothing is pulled: the root filesystem comes from the Debian mirror this host's
# apt already uses (tools/debian_mirror.py). An image that exists is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suites=${*:-bookworm trixie}
mirror=$(python3 "$here/debian_mirror.py")
# python3-yaml serves the test stand-ins (tests/artifacts/standins), not the roles.
# openssh-server serves the lab and the stack benchmark over SSH (tools/ssh_access.yml); it is
# installed switched off and without host keys, so a container neither listens on 22 nor shares
# keys with another until that playbook turns it on.
packages=systemd,systemd-sysv,python3,ca-certificates,procps,iproute2,sudo,python3-yaml,openssh-server
# An image built from another recipe (package list, masked units) is rebuilt.
recipe=$(printf '%s\n' "$packages" "v3" | sha256sum | cut -c1-16)

for suite in $suites; do
  image="vigil/debian-systemd:$suite"
  if [ "$(docker image inspect -f '{{ index .Config.Labels "vigil.recipe" }}' "$image" 2>/dev/null)" = "$recipe" ]; then
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
  rm -f "$root"/etc/ssh/ssh_host_*
  systemctl --root="$root" disable ssh.service ssh.socket >/dev/null 2>&1 || true
  rm -f "$root"/var/cache/apt/archives/*.deb "$root.log"
  tar -C "$root" -c . | docker import \
    -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' -c "LABEL vigil.recipe=$recipe" - "$image" >/dev/null
  rm -rf "$root"; trap - EXIT
  echo "image $image: built"
done
