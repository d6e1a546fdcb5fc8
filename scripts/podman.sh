#!/usr/bin/env bash
# podman.sh [start|stop] - Podman's Docker-compatible API for the tests that run against Podman.
#   start (default): idempotent. Installs Debian's podman (scripts/apt.sh) when missing, then runs
#     `podman system service --time=0` (rootful) on unix://$CV_PODMAN_DIR/podman.sock with everything
#     of its own under CV_PODMAN_DIR (default /var/lib/cv-podman): storage root, run root, tmp dir,
#     containers.conf and storage.conf (through CONTAINERS_CONF / CONTAINERS_STORAGE_CONF, so nothing
#     in /etc/containers is read or written), and no network (netns "none": no bridge, no iptables).
#     Imports the offline test images from the first engine (docker save | podman load) under the
#     names the tests use. Prints the address on stdout, progress on stderr.
#   stop: stops the service only if this script started it.
# The first engine is DOCKER_HOST (or the default socket) and must have the test images (scripts/engine.sh).
# Why the ulimits: root lacks CAP_SYS_RESOURCE on these machines, and a container start fails with
# "error setting rlimit type 7" unless containers.conf sets default_ulimits (see the README's notes).
set -euo pipefail
log() { echo "[podman $(date +%T)] $*" >&2; }
die() { echo "[podman] ERROR: $*" >&2; exit 1; }

DIR="${CV_PODMAN_DIR:-/var/lib/cv-podman}"
SOCK="unix://$DIR/podman.sock"
ACTION="${1:-start}"
export CONTAINERS_CONF="$DIR/containers.conf" CONTAINERS_STORAGE_CONF="$DIR/storage.conf"
PODMAN=(podman --root "$DIR/storage" --runroot "$DIR/run" --tmpdir "$DIR/tmp" --cgroup-manager cgroupfs --events-backend file)

up() { timeout 10 curl -sf --unix-socket "$DIR/podman.sock" http://d/_ping >/dev/null 2>&1; }

case "$ACTION" in
  stop)
    if [ -f "$DIR/started-by-us" ] && [ -f "$DIR/service.pid" ]; then
      pid="$(cat "$DIR/service.pid")"
      log "stopping the Podman service (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      rm -f "$DIR/started-by-us" "$DIR/service.pid"
    fi
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/podman.sh [start|stop]" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || die "the Podman tests run rootful Podman: they need root"
command -v podman >/dev/null 2>&1 || bash "$(dirname "$0")/apt.sh" podman >&2 || die "could not install podman"
command -v curl >/dev/null 2>&1 || bash "$(dirname "$0")/apt.sh" curl >&2 || die "could not install curl"

if ! up; then
  mkdir -p "$DIR/storage" "$DIR/run" "$DIR/tmp" "$DIR/net"
  nofile="$(ulimit -Hn)"
  cat > "$CONTAINERS_CONF" <<EOF
[containers]
netns = "none"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=4096:4096"]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$DIR/events.log"
tmp_dir = "$DIR/tmp"
volume_path = "$DIR/storage/volumes"
static_dir = "$DIR/storage/libpod"

[network]
network_config_dir = "$DIR/net"
EOF
  cat > "$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
graphroot = "$DIR/storage"
runroot = "$DIR/run"
EOF
  rm -f "$DIR/podman.sock"
  log "starting podman system service on $SOCK (log: $DIR/service.log)"
  (setsid "${PODMAN[@]}" system service --time=0 "$SOCK" < /dev/null > "$DIR/service.log" 2>&1 & echo $! > "$DIR/service.pid")
  touch "$DIR/started-by-us"
  for _ in $(seq 1 60); do up && break; sleep 0.5; done
  up || { tail -20 "$DIR/service.log" >&2; die "the Podman service did not answer within 30 s"; }
fi

for img in container-volumes/busybox:test container-volumes/empty:test; do
  if ! "${PODMAN[@]}" image exists "$img" 2>/dev/null; then
    log "loading $img from the first engine"
    docker save "$img" | "${PODMAN[@]}" load -q >/dev/null || die "could not copy $img to Podman (run scripts/engine.sh first)"
  fi
done
log "Podman ready: $SOCK"
echo "$SOCK"
