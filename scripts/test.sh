#!/usr/bin/env bash
# test.sh [all|core|ext|ui] - the whole test suite from a fresh clone: installs and starts what it needs.
#   core: mocha in plain Node against the real Docker engine (src/core, the CLI)
#   ext:  the mocha suite inside a real VS Code extension host (code-server + headless chromium)
#   ui:   clicks the real workbench in the browser and saves screenshots under test-results/
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT="${1:-all}"
log() { echo "[test $(date +%T)] $*" >&2; }

[ -d node_modules/.bin ] && [ node_modules/.package-lock.json -nt package-lock.json ] || { log "npm ci"; npm ci --no-audit --no-fund >&2; }
bash scripts/engine.sh
log "build, type check, lint"
npm run -s compile
npm run -s typecheck
npm run -s lint

if [ "$WHAT" = all ] || [ "$WHAT" = core ]; then
  log "core tests (real engine)"
  npx mocha --ui tdd --timeout 60000 --reporter spec 'out/test/core/**/*.test.js'
fi
