#!/usr/bin/env bash
# bench-ram-engine.sh start|stop - a second, benchmark-only Docker engine whose data root is in RAM
# (/dev/shm), so that `npm run bench` can time restore and clone with the disk out of the picture
# (this machine's disk throttles after a burst, which swamps the difference between two ways of
# writing 1 GiB). Its own socket, exec root, containerd (dockerd starts one under the exec root)
# and its own bridge, cvbench0: never `--bridge=none`, which makes dockerd DELETE docker0, the main
# engine's bridge. The offline busybox test image is copied into it. Root only. `start` prints the
# socket path on stdout.
set -euo pipefail
BASE="${CV_RAM_ENGINE:-/dev/shm/cv-bench-engine}"
SOCK="$BASE/docker.sock"
log() { echo "[ram-engine $(date +%T)] $*" >&2; }
up() { timeout 5 docker -H "unix://$SOCK" info >/dev/null 2>&1; }
case "${1:-}" in
  start)
    [ "$(id -u)" = 0 ] || { echo "the RAM engine needs root" >&2; exit 1; }
    if ! up; then
      mkdir -p "$BASE/root" "$BASE/exec"
      if ! ip link show cvbench0 >/dev/null 2>&1; then
        ip link add name cvbench0 type bridge
        ip addr add 172.31.250.1/24 dev cvbench0
        ip link set cvbench0 up
      fi
      log "starting dockerd with its data root in $BASE"
      setsid dockerd --data-root "$BASE/root" --exec-root "$BASE/exec" -H "unix://$SOCK" --pidfile "$BASE/dockerd.pid" \
        --bridge=cvbench0 --iptables=false --ip-masq=false --storage-driver=overlay2 >"$BASE/dockerd.log" 2>&1 </dev/null &
      for _ in $(seq 1 60); do up && break; sleep 0.5; done
      up || { tail -20 "$BASE/dockerd.log" >&2; exit 1; }
    fi
    if ! docker -H "unix://$SOCK" image inspect container-volumes/busybox:test >/dev/null 2>&1; then
      docker save container-volumes/busybox:test | docker -H "unix://$SOCK" load >/dev/null
    fi
    echo "$SOCK"
    ;;
  stop)
    if [ -f "$BASE/dockerd.pid" ]; then
      kill "$(cat "$BASE/dockerd.pid")" 2>/dev/null || true
      for _ in $(seq 1 40); do [ -e "/proc/$(cat "$BASE/dockerd.pid" 2>/dev/null || echo 0)" ] || break; sleep 0.25; done
    fi
    umount -R "$BASE/root" 2>/dev/null || true
    rm -rf "$BASE"
    ip link del cvbench0 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
