#!/usr/bin/env bash
# apt.sh PKG... - install Debian packages that are missing, non-interactively, as root.
# Runs `apt-get update` first when the package lists are empty or a package is not found, and waits
# (saying so once a minute) while another apt/dpkg holds its lock - a fresh Ubuntu runs unattended
# upgrades at boot - for up to APT_WAIT_SECONDS (default 900). Progress on stderr only.
set -uo pipefail
log() { echo "[apt $(date +%T)] $*" >&2; }
[ $# -gt 0 ] || { echo "usage: scripts/apt.sh PKG..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "[apt] ERROR: installing $* needs root (or install them yourself)" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "[apt] ERROR: no apt-get: install $* with this system's package manager" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
WAIT="${APT_WAIT_SECONDS:-900}"

missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

# apt-get with the lock waited for: retries while the error is another process holding a lock.
apt_locked() {
  local start=$SECONDS said=-60 out rc
  while :; do
    out="$(apt-get -o DPkg::Lock::Timeout=5 "$@" 2>&1 >/dev/null)"; rc=$?
    [ $rc -eq 0 ] && return 0
    if grep -Eq 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the )?directory|is held by process' <<<"$out"; then
      if [ $((SECONDS - start)) -ge "$WAIT" ]; then
        echo "$out" >&2; log "ERROR: another apt/dpkg still holds its lock after ${WAIT} s; try again when it is done"; return $rc
      fi
      if [ $((SECONDS - said)) -ge 60 ]; then
        holder="$(grep -o 'held by process [0-9]* *([^)]*)' <<<"$out" | head -1)"
        log "waiting for another apt/dpkg to finish (${holder:-lock busy}); up to ${WAIT} s"
        said=$SECONDS
      fi
      sleep 5
    else
      echo "$out" >&2; return $rc
    fi
  done
}

if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]; then
  log "apt-get update"; apt_locked update || exit 1
fi
log "installing ${missing[*]}"
if ! apt_locked install -y -qq "${missing[@]}"; then
  log "apt-get update, then again"; apt_locked update || exit 1
  apt_locked install -y -qq "${missing[@]}" || { log "ERROR: could not install ${missing[*]}"; exit 1; }
fi
