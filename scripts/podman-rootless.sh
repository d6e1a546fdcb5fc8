#!/usr/bin/env bash
# podman-rootless.sh [start|stop|running] - rootless Podman's Docker-compatible API, for the tests that
# run against it (as a user runs it: `podman system service` as that user, the socket where Podman puts it).
#   start (default): idempotent. As root: installs Debian's podman and uidmap (newuidmap/newgidmap)
#     when missing (scripts/apt.sh), creates the user CV_PODMAN_ROOTLESS_USER (default cv-rootless)
#     with a subordinate uid/gid range of its own in /etc/subuid and /etc/subgid, checks that it may
#     create a user namespace, then runs `podman system service --time=0` AS THAT USER on
#     unix://$XDG_RUNTIME_DIR/podman/podman.sock (Podman's own default; XDG_RUNTIME_DIR is
#     /run/user/<uid>), with storage (vfs), containers.conf and storage.conf under
#     CV_PODMAN_ROOTLESS_DIR (default /var/lib/cv-podman-rootless, the user's HOME for Podman), no
#     network (netns "none": no slirp4netns) and nothing read from /etc/containers or ~/.config.
#     Loads the offline test images from the first engine into the user's storage (docker save |
#     podman load as the user). Prints the address on stdout, progress on stderr.
#   stop: stops the service (and the user namespace's pause process) only if this script started it.
#   running: exits 0 when the service answers (scripts/test.sh: whether its run starts it).
# The first engine is DOCKER_HOST (or the default socket) and must have the test images (scripts/engine.sh).
set -euo pipefail
log() { echo "[podman-rootless $(date +%T)] $*" >&2; }
die() { echo "[podman-rootless] ERROR: $*" >&2; exit 1; }

DIR="${CV_PODMAN_ROOTLESS_DIR:-/var/lib/cv-podman-rootless}"
USER_NAME="${CV_PODMAN_ROOTLESS_USER:-cv-rootless}"
ACTION="${1:-start}"
RANGE=65536 # ids 1..65536 in the user's containers: what Debian's useradd gives a user

# The runtime folder is the user's, as pam_systemd would make it (nothing else makes it here).
uid_of() { id -u "$USER_NAME" 2>/dev/null; }
runtime_dir() { echo "/run/user/$(uid_of)"; }
sock_path() { echo "$(runtime_dir)/podman/podman.sock"; }
up() { uid_of >/dev/null && timeout 10 curl -sf --unix-socket "$(sock_path)" http://d/_ping >/dev/null 2>&1; }

# Runs a command as the user, with the environment rootless Podman reads and nothing else of root's.
as_user() {
  (cd "$DIR" && runuser -u "$USER_NAME" -- env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    HOME="$DIR" USER="$USER_NAME" LOGNAME="$USER_NAME" XDG_RUNTIME_DIR="$(runtime_dir)" \
    CONTAINERS_CONF="$DIR/containers.conf" CONTAINERS_STORAGE_CONF="$DIR/storage.conf" "$@")
}

case "$ACTION" in
  running)
    up
    exit $? ;;
  stop)
    if [ -f "$DIR/started-by-us" ]; then
      for f in "$DIR/service.pid" "$(runtime_dir)/libpod/tmp/pause.pid"; do
        [ -f "$f" ] || continue
        pid="$(cat "$f")"
        # only a process of the user's: a pid file left from before a reboot may name anything now
        [ "$(ps -o uid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$(uid_of)" ] || continue
        log "stopping $(ps -o comm= -p "$pid") (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      done
      rm -f "$DIR/started-by-us" "$DIR/service.pid"
    fi
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/podman-rootless.sh [start|stop|running]" >&2; exit 2 ;;
esac

if up; then
  log "rootless Podman answers already"
else
  [ "$(id -u)" = 0 ] || die "setting up rootless Podman (a user, its subordinate ids, packages) needs root"
  command -v podman >/dev/null 2>&1 || bash "$(dirname "$0")/apt.sh" podman >&2 || die "could not install podman"
  command -v newuidmap >/dev/null 2>&1 || bash "$(dirname "$0")/apt.sh" uidmap >&2 || die "could not install uidmap"
  command -v curl >/dev/null 2>&1 || bash "$(dirname "$0")/apt.sh" curl >&2 || die "could not install curl"

  if ! uid_of >/dev/null; then
    log "creating the user $USER_NAME"
    useradd --system --user-group --home-dir "$DIR" --no-create-home --shell /usr/sbin/nologin \
      --comment "Container Volumes rootless Podman (tests)" "$USER_NAME"
  fi
  # A range of its own after every range given so far (a system user gets none from useradd).
  for f in /etc/subuid /etc/subgid; do
    touch "$f"
    if ! grep -q "^$USER_NAME:" "$f" && ! grep -q "^$(uid_of):" "$f"; then
      start="$(awk -F: 'BEGIN { m = 100000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }' "$f")"
      log "giving $USER_NAME the ids $start-$((start + RANGE - 1)) in $f"
      echo "$USER_NAME:$start:$RANGE" >> "$f"
    fi
  done
  # What stops rootless Podman on some machines, said plainly rather than as Podman's error.
  [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] || die "user namespaces are off (/proc/sys/user/max_user_namespaces is 0)"
  [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 0 ] || die "unprivileged user namespaces are off (sysctl kernel.unprivileged_userns_clone=0)"
  for t in newuidmap newgidmap; do [ -u "$(command -v "$t")" ] || die "$(command -v "$t") is not setuid root: the user's id ranges cannot be mapped"; done

  mkdir -p "$DIR" "$(runtime_dir)"
  chown "$USER_NAME:" "$DIR" "$(runtime_dir)"
  chmod 0700 "$(runtime_dir)"
  out="$(as_user unshare --user --map-root-user true 2>&1)" || die "$USER_NAME cannot create a user namespace (unshare -U: $out); on Ubuntu 23.10+ see sysctl kernel.apparmor_restrict_unprivileged_userns"
  as_user sh -c "cat > '$DIR/containers.conf'" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$DIR/events.log"
EOF
  as_user sh -c "cat > '$DIR/storage.conf'" <<EOF
[storage]
driver = "vfs"
# what a rootless user's store is taken from (graphroot and runroot are root's)
rootless_storage_path = "$DIR/storage"
EOF
  # A new id range is taken by the namespace only once its pause process is gone: `system migrate`.
  as_user podman system migrate >&2 || die "podman system migrate failed as $USER_NAME"
  as_user mkdir -p "$(runtime_dir)/podman"
  rm -f "$(sock_path)" "$DIR/service.pid"
  log "starting podman system service as $USER_NAME on unix://$(sock_path) (log: $DIR/service.log)"
  # The pid file holds Podman's own pid (sh execs it), not runuser's. Every fd of the background
  # subshell is redirected and it execs: nothing keeps the caller's stdout (a $(...) of this script) open.
  (cd "$DIR" && exec setsid runuser -u "$USER_NAME" -- env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    HOME="$DIR" USER="$USER_NAME" LOGNAME="$USER_NAME" XDG_RUNTIME_DIR="$(runtime_dir)" \
    CONTAINERS_CONF="$DIR/containers.conf" CONTAINERS_STORAGE_CONF="$DIR/storage.conf" \
    sh -c 'echo $$ > "$0/service.pid"; exec podman system service --time=0 "unix://$1"' "$DIR" "$(sock_path)") \
    < /dev/null > "$DIR/service.log" 2>&1 &
  touch "$DIR/started-by-us"
  for _ in $(seq 1 60); do
    up && break
    sleep 0.5
    [ -s "$DIR/service.pid" ] && ! kill -0 "$(cat "$DIR/service.pid")" 2>/dev/null && break # it exited: its log says why
  done
  up || { tail -20 "$DIR/service.log" >&2; die "the rootless Podman service did not answer within 30 s"; }
fi

for img in container-volumes/busybox:test container-volumes/empty:test; do
  if ! as_user podman image exists "$img" 2>/dev/null; then
    log "loading $img from the first engine into $USER_NAME's storage"
    docker save "$img" | as_user podman load -q >/dev/null || die "could not copy $img to rootless Podman (run scripts/engine.sh first)"
  fi
done
log "rootless Podman ready: unix://$(sock_path)"
echo "unix://$(sock_path)"
