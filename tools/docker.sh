#!/usr/bin/env bash
# Make sure a Docker engine answers: install Debian's docker.io and debootstrap when they are
# missing, start dockerd in the background when no engine responds.
set -euo pipefail
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  echo "installing docker.io and debootstrap from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io debootstrap >/dev/null
fi
if docker info >/dev/null 2>&1; then
  docker info --format 'docker engine {{.ServerVersion}} answers'
  exit 0
fi
echo "starting dockerd in the background (log: /var/log/vigil-dockerd.log)"
# dockerd outlives this script: it must not keep any descriptor it inherited (a pipe left open
# keeps the caller's output reader waiting for an end that never comes).
(
  for fd in /proc/self/fd/*; do
    n=${fd##*/}
    case $n in 0|1|2) ;; *) eval "exec $n>&-" 2>/dev/null || true ;; esac
  done
  exec setsid dockerd </dev/null >/var/log/vigil-dockerd.log 2>&1
) &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    docker info --format 'docker engine {{.ServerVersion}} answers'
    exit 0
  fi
  sleep 1
done
tail -n 20 /var/log/vigil-dockerd.log >&2
echo "dockerd did not answer within 60 s" >&2
exit 1
