#!/usr/bin/env bash
# deps.sh - `npm ci` only when node_modules was not installed from this exact lock file (compared by
# content, not mtime: a fresh checkout or a git worktree makes the lock file look newer).
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK_SUM="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -d node_modules/.bin ] && [ "$(cat node_modules/.cv-lock-sum 2>/dev/null)" = "$LOCK_SUM" ]; then exit 0; fi
echo "[deps $(date +%T)] npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
echo "$LOCK_SUM" > node_modules/.cv-lock-sum
