#!/usr/bin/env bash
# start.sh [--demo] [--no-browser] [--port N] - `npm start`: set up a fresh machine and open VS Code
# with the extension, against the local Docker engine.
#   1. npm ci (when needed), the Docker engine (scripts/engine.sh), build and package the .vsix
#   2. --demo: the blog post's containers and volume, labelled dev.container-volumes.demo=1 (idempotent;
#      remove them with: node scripts/seed.mjs remove --label dev.container-volumes.demo=1)
#   3. a desktop `code` on PATH: code --extensionDevelopmentPath=<this checkout>
#      otherwise: code-server (installed and cached by test/vscode/install-code-server.sh) with the
#      .vsix installed into a persistent per-user data dir, on http://127.0.0.1:${PORT:-8080}, auth none
#      (bound to localhost only), in the foreground: Ctrl-C stops it.
# Env: PORT, CV_DEV_DATA (default <this checkout>/.dev: each clone keeps its own settings and workspace),
#      CV_USE_CODE_SERVER=1 (use code-server even when a desktop `code` exists).
# Prints one line on stdout: the address to open, once it answers. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DEMO=0; BROWSER=1; PORT="${PORT:-8080}"
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) DEMO=1; shift ;;
    --no-browser) BROWSER=0; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#--port=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "start.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
log() { echo "[start $(date +%T)] $*" >&2; }
DATA="${CV_DEV_DATA:-$ROOT/.dev}"

bash scripts/deps.sh >&2
bash scripts/engine.sh >&2
log "build and package"
npm run -s package >"${TMPDIR:-/tmp}/container-volumes-package.log" 2>&1 || { cat "${TMPDIR:-/tmp}/container-volumes-package.log" >&2; exit 1; }

if [ "$DEMO" = 1 ]; then
  log "demo containers (label dev.container-volumes.demo=1): $(node scripts/seed.mjs create --label dev.container-volumes.demo=1 --bind-dir "$DATA/demo-bind")"
fi

if [ "${CV_USE_CODE_SERVER:-0}" != 1 ] && command -v code >/dev/null 2>&1 && [ -z "${VSCODE_IPC_HOOK_CLI:-}" ]; then
  log "desktop VS Code: code --extensionDevelopmentPath=$ROOT"
  exec code --extensionDevelopmentPath="$ROOT" "$ROOT"
fi

CS="$(bash test/vscode/install-code-server.sh)"
mkdir -p "$DATA/user-data/User" "$DATA/extensions"
# first start only: quiet defaults; later changes by the user are kept
[ -f "$DATA/user-data/User/settings.json" ] || cat > "$DATA/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "chat.disableAIFeatures": true
}
JSON
# a workspace (not a single folder): features that add volume folders do it in place. Its first
# folder is this checkout, whatever the file held before (a copied .dev keeps its volume folders).
WS="$DATA/container-volumes.code-workspace"
node -e '
  const fs = require("fs"); const [ws, root] = process.argv.slice(1);
  let w = { folders: [], settings: {} };
  try { w = JSON.parse(fs.readFileSync(ws, "utf8")); } catch { /* first start */ }
  const others = (w.folders || []).filter((f) => f.uri);  // volume folders (docker-volume: URIs) stay
  fs.writeFileSync(ws, JSON.stringify({ ...w, folders: [{ path: root }, ...others] }, null, 2) + "\n");
' "$WS" "$ROOT"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$DATA/config.yaml"
CS_ARGS=(--config "$DATA/config.yaml" --user-data-dir "$DATA/user-data" --extensions-dir "$DATA/extensions")
log "installing container-volumes.vsix into $DATA/extensions"
"$CS/node" "$CS/node_modules/.bin/code-server" "${CS_ARGS[@]}" --install-extension "$ROOT/container-volumes.vsix" --force >&2

# code-server opens the workspace given on its command line at its root address: no query to encode.
URL="http://127.0.0.1:$PORT/"
( node -e '
    const url = process.argv[1] + "healthz"; const end = Date.now() + 120000;
    (async () => { while (Date.now() < end) { try { if ((await fetch(url)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 200)); } process.exit(1); })();
  ' "$URL" || { log "code-server did not answer on $URL"; exit 1; }
  echo "Container Volumes is ready in VS Code: open $URL (Ctrl-C stops it)"
  if [ "$BROWSER" = 1 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
    xdg-open "$URL" >/dev/null 2>&1 || true
  fi ) &
exec "$CS/node" "$CS/node_modules/.bin/code-server" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --ignore-last-opened "$WS" >&2
