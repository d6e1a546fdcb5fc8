#!/usr/bin/env bash
# engine.sh - make sure a Docker engine answers, and that the offline test images exist.
# Uses a reachable engine if there is one (DOCKER_HOST or the default socket). Otherwise, on a
# Debian/Ubuntu machine as root, installs Debian's docker.io and starts dockerd itself.
# No registry is reachable here, so images are built offline with `docker import`:
#   container-volumes/busybox:test  - Debian's busybox-static with the applets the tests use
#   container-volumes/empty:test    - no files at all (create-only helpers; the extension makes its own too)
# Prints nothing but progress on stderr; exits non-zero with one clear line when it cannot.
set -euo pipefail
log() { echo "[engine $(date +%T)] $*" >&2; }
die() { echo "[engine] ERROR: $*" >&2; exit 1; }

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

if ! engine_up; then
  if ! command -v dockerd >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "no Docker engine answers and dockerd is not installed; install Docker (or run as root on Debian to let this script install docker.io)"
    command -v apt-get >/dev/null || die "no Docker engine answers and this is not a Debian/Ubuntu machine; install Docker first"
    log "installing Debian's docker.io"
    bash "$(dirname "$0")/apt.sh" docker.io || die "could not install docker.io"
  fi
  [ "$(id -u)" = 0 ] || die "no Docker engine answers; start dockerd (as root) first"
  STATE="${CV_ENGINE_STATE:-/var/lib/container-volumes-engine}"
  mkdir -p "$STATE"
  log "starting dockerd (log: $STATE/dockerd.log)"
  # setsid: the engine must outlive this script; the test run stops it only if it started it.
  setsid dockerd >"$STATE/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$STATE/dockerd.started-by-us"
  for _ in $(seq 1 120); do engine_up && break; sleep 0.5; done
  engine_up || { tail -20 "$STATE/dockerd.log" >&2; die "dockerd did not come up within 60 s"; }
  log "dockerd is up"
fi

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

if ! image_exists container-volumes/busybox:test; then
  BB="$(command -v busybox || true)"
  is_static() { [ -n "$1" ] && [ -x "$1" ] && case "$(ldd "$1" 2>&1 || true)" in *"not a dynamic"*) true ;; *) false ;; esac; }
  if ! is_static "$BB"; then
    if is_static /bin/busybox; then BB=/bin/busybox
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing Debian's busybox-static"
      bash "$(dirname "$0")/apt.sh" busybox-static || die "could not install busybox-static"
      BB=/bin/busybox
    fi
  fi
  is_static "$BB" || die "a statically linked busybox is needed to build the test image (apt-get install busybox-static)"
  log "building container-volumes/busybox:test from $BB"
  ROOT="$(mktemp -d)"
  mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/etc"
  cp "$BB" "$ROOT/bin/busybox"
  for a in sh ash tar ls stat find sleep date cat echo mkdir rm cp mv ln chmod chown touch wc sha256sum md5sum \
           head tail sort dd sync mkfifo mknod id test true false xargs grep sed env readlink du gzip; do
    ln -s busybox "$ROOT/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$ROOT/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$ROOT/etc/group"
  tar -C "$ROOT" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - container-volumes/busybox:test >/dev/null
  rm -rf "$ROOT"
fi
if ! image_exists container-volumes/empty:test; then
  log "building container-volumes/empty:test"
  tar -c -T /dev/null | docker import - container-volumes/empty:test >/dev/null
fi
log "engine ready: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
