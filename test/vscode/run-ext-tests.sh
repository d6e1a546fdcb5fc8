#!/usr/bin/env bash
# run-ext-tests.sh - the extension's mocha suite (out/test/suite) inside code-server's real extension
# host, in headless chromium. Installs code-server (cached) and chromium if missing, compiles unless
# --no-compile, then runs lib/test-driver.mjs. A private HOME/XDG/TMPDIR per run under .test-runs/;
# processes are stopped by PID (the driver's trees, then anything carrying this run's marker).
# --untrusted runs test/untrusted (out/test/untrusted) in a window in Restricted Mode instead.
# Usage: test/vscode/run-ext-tests.sh [--no-compile] [--untrusted] [--timeout SEC] [--keep] [--verbose] [--grep RE]
# Exit: the suite's (0 passed, 1 failures), 2 harness error, 124 timeout.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
COMPILE=1; TIMEOUT="${HARNESS_TIMEOUT:-600}"; DRIVER_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-compile) COMPILE=0; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep|--verbose) DRIVER_ARGS+=("$1"); shift ;;
    --untrusted) DRIVER_ARGS+=(--untrusted --tests out/test/untrusted/index); shift ;;
    --grep) export MOCHA_GREP="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "[ext-host] unknown argument: $1" >&2; exit 2 ;;
  esac
done
log() { echo "[ext-host $(date +%T)] $*" >&2; }

CODE_SERVER_DIR="$(bash "$HERE/install-code-server.sh")" || { log "code-server install failed"; exit 2; }
export CODE_SERVER_DIR
if [ "$COMPILE" = 1 ]; then
  (cd "$ROOT" && npm run -s compile) >&2 || { log "compile failed"; exit 2; }
fi

# the extension's test hooks (src/testHooks.ts) exist only with this, in a test-mode extension host
export CONTAINER_VOLUMES_TEST_HOOKS=1
RUN_ID="cv-ext-$$-$(date +%s%N)"  # marker in the environment of everything the driver starts (not in ours)
DRIVER_PID=""
sweep() {  # anything still carrying our marker (the driver may have been killed before its own cleanup)
  local f p left=""
  for f in /proc/[0-9]*/environ; do
    p="${f#/proc/}"; p="${p%/environ}"
    [ "$p" = "$$" ] && continue
    grep -qzx "HARNESS_RUN_ID=$RUN_ID" "$f" 2>/dev/null && left="$left $p"
  done
  [ -n "$left" ] && { log "stopping leftover process(es):$left"; kill -TERM $left 2>/dev/null; sleep 2; kill -KILL $left 2>/dev/null; }
  return 0
}
on_signal() { [ -n "$DRIVER_PID" ] && kill -TERM "$DRIVER_PID" 2>/dev/null; wait "$DRIVER_PID" 2>/dev/null; sweep; exit 130; }
trap on_signal INT TERM

# the driver enforces the limit itself; `timeout` is the backstop if it hangs
HARNESS_RUN_ID="$RUN_ID" timeout -k 10 $(( TIMEOUT + 60 )) node "$HERE/lib/test-driver.mjs" --timeout-ms $(( TIMEOUT * 1000 )) "${DRIVER_ARGS[@]}" &
DRIVER_PID=$!
wait "$DRIVER_PID"; RC=$?
DRIVER_PID=""
sweep
exit "$RC"
