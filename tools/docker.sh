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
nohup dockerd >/var/log/vigil-dockerd.log 2>&1 &
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
