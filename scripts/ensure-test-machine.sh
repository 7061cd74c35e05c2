#!/usr/bin/env bash
# Makes a fresh Debian machine ready for the test suite: a Docker engine that answers,
# Chromium for the dashboard tests, and the Debian packages the local test images are made
# from. Installs only what is missing; on a machine where we are not root it says what to
# install instead.
set -euo pipefail

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker >/dev/null || missing+=(docker.io)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v busybox >/dev/null || missing+=(busybox-static)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v ip >/dev/null || missing+=(iproute2)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-test-machine: missing ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "ensure-test-machine: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-test-machine: no Docker engine answers; start it (sudo systemctl start docker)" >&2
    exit 1
  fi
  echo "ensure-test-machine: starting dockerd"
  nohup dockerd >/var/log/kubedesk-test-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || {
    echo "ensure-test-machine: dockerd did not answer within 60 s; see /var/log/kubedesk-test-dockerd.log" >&2
    exit 1
  }
fi
echo "ensure-test-machine: Docker $(docker version -f '{{.Server.Version}}') ready"
