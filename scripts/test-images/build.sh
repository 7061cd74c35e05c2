#!/usr/bin/env bash
# Builds the small local images the tests and benchmarks use, from what Debian ships, because
# no public registry is reachable on our machines. Each image is rebuilt only when this recipe
# changes (its hash is stored as a label).
#
#   kubedesk-test/busybox:1   busybox-static shell and applets (sh, httpd, nc, wget, nslookup)
#   kubedesk-test/pause:1     pod sandbox: blocks until SIGTERM
#   kubedesk-test/node:1      the host's node binary + its libraries + busybox (has `ip`)
#   kubedesk-test/registry:1  Debian's docker-registry, no auth, storage in /var/lib/registry
set -euo pipefail

recipe_hash=$( (cat "$0"; command -v node; node --version) | sha256sum | cut -c1-16)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { echo "build-test-images: $1 is missing (apt-get install $2)" >&2; exit 1; }; }
need busybox busybox-static
need docker docker.io

up_to_date() {
  [ "$(docker image inspect -f '{{ index .Config.Labels "io.kubedesk.recipe" }}' "$1" 2>/dev/null)" = "$recipe_hash" ]
}

base_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,etc,tmp,proc,sys,dev,var/lib,root,usr/bin,usr/sbin}
  chmod 1777 "$root/tmp"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $(busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

import_image() {
  local root=$1 name=$2
  shift 2
  tar -C "$root" -c . | docker import --change "LABEL io.kubedesk.recipe=$recipe_hash" "$@" - "$name" >/dev/null
  echo "built $name"
}

copy_with_libs() {
  local root=$1 binary=$2 target=$3
  mkdir -p "$root$(dirname "$target")"
  cp "$binary" "$root$target"
  ldd "$binary" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

if ! up_to_date kubedesk-test/busybox:1; then
  base_rootfs "$work/busybox"
  import_image "$work/busybox" kubedesk-test/busybox:1 --change 'CMD ["sh"]'
fi

if ! up_to_date kubedesk-test/pause:1; then
  base_rootfs "$work/pause"
  import_image "$work/pause" kubedesk-test/pause:1 \
    --change 'CMD ["sh","-c","trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]'
fi

if ! up_to_date kubedesk-test/node:1; then
  base_rootfs "$work/node"
  copy_with_libs "$work/node" "$(readlink -f "$(command -v node)")" /usr/local/bin/node
  import_image "$work/node" kubedesk-test/node:1 --change 'ENV PATH=/usr/local/bin:/bin:/usr/bin:/sbin:/usr/sbin' --change 'CMD ["node"]'
fi

if ! up_to_date kubedesk-test/registry:1; then
  need docker-registry docker-registry
  base_rootfs "$work/registry"
  copy_with_libs "$work/registry" /usr/bin/docker-registry /bin/registry
  mkdir -p "$work/registry/etc/docker/registry" "$work/registry/var/lib/registry"
  cat >"$work/registry/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  import_image "$work/registry" kubedesk-test/registry:1 \
    --change 'EXPOSE 5000' --change 'CMD ["/bin/registry","serve","/etc/docker/registry/config.yml"]'
fi
