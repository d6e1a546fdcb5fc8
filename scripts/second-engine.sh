#!/usr/bin/env bash
# second-engine.sh [start|stop] - a second, independent Docker engine on this machine, for the tests
# that copy volumes between engines and reach an engine over ssh.
#   start (default): idempotent. Starts dockerd with its own data root, exec root, pid file and unix
#     socket, on a bridge of its own created first (never --bridge=none: that deletes the first
#     engine's docker0), and loads the offline test images into it from the first engine
#     (docker save | docker load). Installs Debian's openssh-server (the ssh tests run their own sshd).
#     Prints the engine's address (unix://...) on stdout, progress on stderr.
#   stop: stops the engine only if this script started it, and removes the bridge it created.
# The first engine is DOCKER_HOST (or the default socket) and must be up (scripts/engine.sh).
# State: CV_ENGINE2_DIR (default /var/lib/container-volumes-engine2); bridge CV_ENGINE2_BRIDGE
# (default cvengine2) on CV_ENGINE2_NET (default 10.213.77.1/24: outside docker0's 172.17/16 and
# the 172.31.200-215 bridges of private engines).
# It also listens on tcp://127.0.0.1:CV_ENGINE2_TLS_PORT (default 23760) with TLS verification of both
# sides: a CA, a server certificate (127.0.0.1) and a client certificate made here with openssl
# under $CV_ENGINE2_DIR/tls (client files as DOCKER_CERT_PATH expects them: ca.pem, cert.pem, key.pem).
set -euo pipefail
log() { echo "[engine2 $(date +%T)] $*" >&2; }
die() { echo "[engine2] ERROR: $*" >&2; exit 1; }

DIR="${CV_ENGINE2_DIR:-/var/lib/container-volumes-engine2}"
# An engine started before keeps its bridge, network and TLS port when it is started again with only
# CV_ENGINE2_DIR (a test that kills it restarts it so): they are remembered in its folder.
if [ -f "$DIR/settings.env" ]; then
  # shellcheck disable=SC1091
  . "$DIR/settings.env"
  CV_ENGINE2_BRIDGE="${CV_ENGINE2_BRIDGE:-$SAVED_BRIDGE}"
  CV_ENGINE2_NET="${CV_ENGINE2_NET:-$SAVED_NET}"
  CV_ENGINE2_TLS_PORT="${CV_ENGINE2_TLS_PORT:-$SAVED_TLS_PORT}"
fi
BR="${CV_ENGINE2_BRIDGE:-cvengine2}"
NET="${CV_ENGINE2_NET:-10.213.77.1/24}"
SOCK="unix://$DIR/docker.sock"
ACTION="${1:-start}"

up() { timeout 10 docker -H "$SOCK" info >/dev/null 2>&1; }

case "$ACTION" in
  stop)
    if [ -f "$DIR/started-by-us" ] && [ -f "$DIR/docker.pid" ]; then
      pid="$(cat "$DIR/docker.pid")"
      log "stopping the second engine (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      rm -f "$DIR/started-by-us"
      if [ -f "$DIR/bridge-by-us" ]; then ip link del "$BR" 2>/dev/null || true; rm -f "$DIR/bridge-by-us"; fi
    fi
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/second-engine.sh [start|stop]" >&2; exit 2 ;;
esac

# the ssh tests need sshd and the ssh client (the docker CLI on the "remote" side is this machine's)
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
  bash "$(dirname "$0")/apt.sh" openssh-server openssh-client >&2 || die "could not install openssh-server"
fi

TLS="$DIR/tls"
TLS_PORT="${CV_ENGINE2_TLS_PORT:-23760}"
make_certs() {
  command -v openssl >/dev/null || bash "$(dirname "$0")/apt.sh" openssl >&2 || die "could not install openssl"
  mkdir -p "$TLS/client"
  local d=3650
  ( cd "$TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days $d -subj "/CN=container-volumes test CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -days $d -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=client" -keyout client/key.pem -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -days $d -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem client/ca.pem
    rm -f server.csr client.csr server.ext client.ext ) || die "could not make the TLS certificates"
}

if ! up; then
  [ "$(id -u)" = 0 ] || die "a second engine needs root to start (dockerd and a bridge)"
  command -v dockerd >/dev/null || die "dockerd is not installed (scripts/engine.sh installs it)"
  mkdir -p "$DIR"
  printf 'SAVED_BRIDGE=%q\nSAVED_NET=%q\nSAVED_TLS_PORT=%q\n' "$BR" "$NET" "$TLS_PORT" > "$DIR/settings.env"
  if ! ip link show "$BR" >/dev/null 2>&1; then
    ip link add "$BR" type bridge
    ip addr add "$NET" dev "$BR"
    ip link set "$BR" up
    touch "$DIR/bridge-by-us"
  fi
  # a dockerd that was killed leaves its pid file, and a new one refuses to start while it is there
  # (a zombie counts as gone: pid 1 in a container may never reap it)
  alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)"; [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }
  if [ -f "$DIR/docker.pid" ] && ! alive "$(cat "$DIR/docker.pid")"; then
    rm -f "$DIR/docker.pid"
    # ... and its containerd may outlive it, or leave sockets the next one trips over
    C="$DIR/exec/containerd"
    if [ -f "$C/containerd.pid" ] && alive "$(cat "$C/containerd.pid")"; then
      kill -TERM "$(cat "$C/containerd.pid")" 2>/dev/null || true
      for _ in $(seq 1 20); do alive "$(cat "$C/containerd.pid")" || break; sleep 0.5; done
    fi
    rm -f "$C/containerd.pid" "$C"/*.sock "$C"/*.sock.ttrpc
  fi
  log "starting a second dockerd on $SOCK (log: $DIR/dockerd.log)"
  [ -f "$TLS/client/cert.pem" ] || make_certs
  (setsid dockerd --data-root "$DIR/root" --exec-root "$DIR/exec" --pidfile "$DIR/docker.pid" -H "$SOCK" \
     -H "tcp://127.0.0.1:$TLS_PORT" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/server-cert.pem" --tlskey "$TLS/server-key.pem" \
     --bridge="$BR" --iptables=false --ip-masq=false < /dev/null > "$DIR/dockerd.log" 2>&1 &)
  touch "$DIR/started-by-us"
  for _ in $(seq 1 120); do up && break; grep -q 'failed to start daemon' "$DIR/dockerd.log" && break; sleep 0.5; done
  up || { tail -20 "$DIR/dockerd.log" >&2; die "the second dockerd did not come up within 60 s"; }
fi

for img in container-volumes/busybox:test container-volumes/empty:test; do
  if ! docker -H "$SOCK" image inspect "$img" >/dev/null 2>&1; then
    log "loading $img from the first engine"
    docker save "$img" | docker -H "$SOCK" load >/dev/null || die "could not copy $img to the second engine (run scripts/engine.sh first)"
  fi
done
log "second engine ready: $SOCK"
echo "$SOCK"
