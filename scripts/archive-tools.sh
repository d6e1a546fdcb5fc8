#!/usr/bin/env bash
# archive-tools.sh - installs the tools the restore corpus is made with (test/corpus/make-archives.sh):
# GNU tar, bsdtar (Debian's libarchive-tools), python3, busybox, gzip, bzip2, xz, zstd. Debian/Ubuntu
# as root; does nothing when they are all there.
set -euo pipefail
declare -A PKG=([tar]=tar [bsdtar]=libarchive-tools [python3]=python3 [busybox]=busybox-static [gzip]=gzip [bzip2]=bzip2 [xz]=xz-utils [zstd]=zstd)
missing=()
for t in "${!PKG[@]}"; do command -v "$t" >/dev/null || missing+=("${PKG[$t]}"); done
[ "${#missing[@]}" -eq 0 ] && exit 0
bash "$(dirname "$0")/apt.sh" "${missing[@]}"
