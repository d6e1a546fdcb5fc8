#!/usr/bin/env bash
# archive-tools.sh - installs the tools the restore corpus is made with (test/corpus/make-archives.sh):
# GNU tar, bsdtar (Debian's libarchive-tools), python3, busybox, gzip, bzip2, xz, zstd. Debian/Ubuntu
# as root; does nothing when they are all there.
set -euo pipefail
declare -A PKG=([tar]=tar [bsdtar]=libarchive-tools [python3]=python3 [busybox]=busybox-static [gzip]=gzip [bzip2]=bzip2 [xz]=xz-utils [zstd]=zstd)
missing=()
for t in "${!PKG[@]}"; do command -v "$t" >/dev/null || missing+=("${PKG[$t]}"); done
[ "${#missing[@]}" -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "[archive-tools] missing: ${missing[*]} (install them: Debian packages)" >&2; exit 1; }
echo "[archive-tools] installing ${missing[*]}" >&2
# another apt may hold the lock for a while: wait for it rather than fail
apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
