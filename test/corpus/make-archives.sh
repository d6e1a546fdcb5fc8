#!/usr/bin/env bash
# make-archives.sh OUT - writes the restore corpus into OUT: small archives made by the real tools a
# user's old backup may come from, over one source tree with what tar formats differ on (owners,
# setuid and sticky bits, times with nanoseconds before 1970 and after 2038, long, Unicode and
# non-UTF-8 names, hard links, symlinks, a FIFO, an empty folder, a sparse file), plus variants:
# GNU tar in each --format, every sparse format it writes, a volume label, a duplicate entry;
# bsdtar (pax, ustar, gnutar); Python's tarfile (GNU, PAX, USTAR); busybox tar; each tool's own
# gzip / bzip2 / xz / zstd where it offers them. Names: <tool>-<variant>.tar[.gz|.bz2|.xz|.zst].
# OUT/MANIFEST lists the archives, one per line. Needs root (owners), GNU tar, bsdtar, python3,
# busybox, gzip, bzip2, xz, zstd: scripts/archive-tools.sh installs them.
set -euo pipefail
OUT="$1"
mkdir -p "$OUT"
cd "$OUT"
for t in tar bsdtar python3 busybox gzip bzip2 xz zstd; do command -v "$t" >/dev/null || { echo "make-archives: $t is missing (bash scripts/archive-tools.sh)" >&2; exit 3; }; done

# --- the source trees ----------------------------------------------------------------------
S="$OUT/src"
rm -rf "$S" "$OUT/src-old" && mkdir -p "$S"
mkdir -p "$S/d" "$S/empty" "$S/sticky" "$S/long/$(printf 'n%.0s' {1..60})"
printf 'hello\n' > "$S/d/file.txt"
head -c 70000 /dev/urandom > "$S/d/random.bin"
printf '#!/bin/sh\n' > "$S/setuid" && chmod 4755 "$S/setuid"
printf 'x\n' > "$S/setgid" && chmod 2750 "$S/setgid"
chmod 1777 "$S/sticky"
chmod 750 "$S/d"
printf 'old\n' > "$S/old.txt"
printf 'future\n' > "$S/future.txt"
printf 'fraction\n' > "$S/fraction.txt"
printf 'deep\n' > "$S/long/$(printf 'n%.0s' {1..60})/$(printf 'f%.0s' {1..120}).txt"
printf 'unicode\n' > "$S/数据 ünïcødé.txt"
printf 'latin1\n' > "$S/$(printf 'caf\xe9-\xff.txt')"
ln "$S/d/file.txt" "$S/d/hard"
ln -s d/file.txt "$S/link"
ln -s /etc/passwd "$S/abs-link"
ln -s "../$(printf 'l%.0s' {1..130})" "$S/long-target-link"
mkfifo "$S/fifo"
# a sparse file: 1 MiB with data at 100 KiB and at 700 KiB
truncate -s 1M "$S/sparse.img"
printf 'start of data' | dd of="$S/sparse.img" bs=1024 seek=100 conv=notrunc 2>/dev/null
head -c 5000 /dev/urandom | dd of="$S/sparse.img" bs=1024 seek=700 conv=notrunc 2>/dev/null
chown 1234:5678 "$S/d/file.txt"
chown 1000:1000 "$S/d" "$S/empty"
chown -h 4321:8765 "$S/link"
chown 65534:65534 "$S/setgid"
touch -d '1960-05-04 03:02:01' "$S/old.txt"
touch -d '2100-01-01 00:00:00.75' "$S/future.txt"
touch -d '2025-06-01 12:00:00.123456789' "$S/fraction.txt"
touch -h -d '2002-02-02 02:02:02' "$S/link" "$S/abs-link"
touch -d '2001-02-03 04:05:06.5' "$S/d" "$S/empty" "$S/sticky" "$S/long" "$S/long/$(printf 'n%.0s' {1..60})"
touch -d '2003-03-03 03:03:03' "$S"
# The second tree: a time before 1970 with a fraction of a second (neither the engine nor busybox
# can set it: pax formats carry it and are refused; GNU formats keep whole seconds).
O="$OUT/src-old"
mkdir -p "$O"
printf 'x\n' > "$O/x" && touch -d '1969-07-20 20:17:40.25' "$O/x"
touch -d '2003-03-03 03:03:03' "$O"

# ustar and v7 cannot hold long names nor times before 1970: those formats get the rest.
NOLONG=(--exclude="./long" --exclude="./long-target-link" --exclude="./old.txt")

: > MANIFEST
add() { echo "$1" >> MANIFEST; }
gnu() { local name="$1"; shift; tar "$@"; add "$name"; }

# --- GNU tar -------------------------------------------------------------------------------
gnu gnu-gnu.tar --format=gnu -cf gnu-gnu.tar -C "$S" .
gnu gnu-oldgnu.tar --format=oldgnu -cf gnu-oldgnu.tar -C "$S" .
gnu gnu-posix.tar --format=posix -cf gnu-posix.tar -C "$S" .
gnu gnu-ustar.tar --format=ustar "${NOLONG[@]}" -cf gnu-ustar.tar -C "$S" .
gnu gnu-v7.tar --format=v7 "${NOLONG[@]}" --exclude=./fifo -cf gnu-v7.tar -C "$S" .
gnu gnu-gnu-sparse.tar --format=gnu -S -cf gnu-gnu-sparse.tar -C "$S" .
for v in 0.0 0.1 1.0; do gnu "gnu-posix-sparse$v.tar" --format=posix -S --sparse-version="$v" -cf "gnu-posix-sparse$v.tar" -C "$S" .; done
gnu gnu-label.tar --format=gnu --label='BACKUP 2019-04-01' -cf gnu-label.tar -C "$S" .
# a duplicate: d/file.txt again, changed, appended (breaks its hard link d/hard, as GNU tar extracts it)
cp -a "$S" "$OUT/src-dup" && rm "$OUT/src-dup/d/file.txt" && printf 'second version, longer\n' > "$OUT/src-dup/d/file.txt"
touch -d '2024-01-01 00:00:00' "$OUT/src-dup/d/file.txt"
tar --format=gnu -cf gnu-duplicate.tar -C "$S" . && tar --format=gnu -rf gnu-duplicate.tar -C "$OUT/src-dup" ./d/file.txt
add gnu-duplicate.tar
gnu gnu-old-gnu.tar --format=gnu -cf gnu-old-gnu.tar -C "$O" .
gnu gnu-old-posix.tar --format=posix -cf gnu-old-posix.tar -C "$O" .
gnu gnu-gnu.tar.gz --format=gnu -czf gnu-gnu.tar.gz -C "$S" .
gnu gnu-gnu.tar.bz2 --format=gnu -cjf gnu-gnu.tar.bz2 -C "$S" .
gnu gnu-posix.tar.xz --format=posix -cJf gnu-posix.tar.xz -C "$S" .
gnu gnu-gnu-sparse.tar.zst --format=gnu -S --zstd -cf gnu-gnu-sparse.tar.zst -C "$S" .

# --- bsdtar (libarchive) -------------------------------------------------------------------
for f in pax ustar gnutar; do
  extra=(); [ "$f" = ustar ] && extra=("${NOLONG[@]}")
  bsdtar --format "$f" "${extra[@]}" -cf "bsdtar-$f.tar" -C "$S" . 2>/dev/null || [ -s "bsdtar-$f.tar" ]
  add "bsdtar-$f.tar"
done
bsdtar --format pax -czf bsdtar-pax.tar.gz -C "$S" . && add bsdtar-pax.tar.gz
bsdtar --format pax -cjf bsdtar-pax.tar.bz2 -C "$S" . && add bsdtar-pax.tar.bz2
bsdtar --format pax -cJf bsdtar-pax.tar.xz -C "$S" . && add bsdtar-pax.tar.xz
bsdtar --format pax --zstd -cf bsdtar-pax.tar.zst -C "$S" . && add bsdtar-pax.tar.zst

# --- Python's tarfile ----------------------------------------------------------------------
python3 - "$S" <<'PY'
import os, sys, tarfile
src = sys.argv[1]
skip = ('./long', './long-target-link', './old.txt')
def f_ustar(ti):
    return None if ti.name.startswith(skip) else ti
for name, fmt, mode, filt in [('python-gnu.tar', tarfile.GNU_FORMAT, 'w', None), ('python-pax.tar', tarfile.PAX_FORMAT, 'w', None),
                              ('python-ustar.tar', tarfile.USTAR_FORMAT, 'w', f_ustar), ('python-pax.tar.gz', tarfile.PAX_FORMAT, 'w:gz', None),
                              ('python-pax.tar.bz2', tarfile.PAX_FORMAT, 'w:bz2', None), ('python-gnu.tar.xz', tarfile.GNU_FORMAT, 'w:xz', None)]:
    with tarfile.open(name, mode, format=fmt, errors='surrogateescape') as t:
        t.add(src, arcname='.', filter=filt)
    print(name, file=open('MANIFEST', 'a'))
PY

# Odd but valid: a Solaris ACL entry ('A', which GNU tar extracts as a plain file, later replaced
# by the file itself) under a pax global header (its mtime applies to every entry); and an archive
# that ends with a lone zero block.
python3 - <<'PY'
import io, tarfile
with tarfile.open('python-vendor.tar', 'w', format=tarfile.PAX_FORMAT, pax_headers={'mtime': '1234567890'}) as t:
    for name, typ, data in [('./', tarfile.DIRTYPE, b''), ('./acl-then-file', b'A', b'user::rw-\ngroup::r--\n'), ('./acl-then-file', tarfile.REGTYPE, b'the file\n'), ('./plain', tarfile.REGTYPE, b'plain\n')]:
        i = tarfile.TarInfo(name); i.type = typ; i.size = len(data); i.mode = 0o755 if typ == tarfile.DIRTYPE else 0o644
        t.addfile(i, io.BytesIO(data))
print('python-vendor.tar', file=open('MANIFEST', 'a'))
raw = open('gnu-ustar.tar', 'rb').read()
at = 0
while raw[at:at + 512] != bytes(512):
    size = int(raw[at + 124:at + 136].strip(b'\0 ') or b'0', 8)
    typ = raw[at + 156:at + 157]
    at += 512 + (0 if typ in (b'1', b'2', b'3', b'4', b'5', b'6') else (size + 511) // 512 * 512)
open('gnu-lone-zero.tar', 'wb').write(raw[:at + 512])
print('gnu-lone-zero.tar', file=open('MANIFEST', 'a'))
PY

# --- busybox tar ---------------------------------------------------------------------------
busybox tar -cf busybox.tar -C "$S" . && add busybox.tar
busybox tar -czf busybox.tar.gz -C "$S" . && add busybox.tar.gz
rm -rf "$OUT/src-dup"
