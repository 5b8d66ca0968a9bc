#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) in its own folder, outside the
# extension's dependencies: it is 300 MB and only the tests and `npm start` use it.
# Idempotent: an existing install of the pinned version is reused.
set -euo pipefail
VERSION="${DUCKSTACK_CODE_SERVER_VERSION:-4.100.3}"   # VS Code 1.100.3, the newest that runs on Node 20
# Tools live in the checkout (.tools/, git-ignored), never in $HOME.
ROOT="${DUCKSTACK_TOOLS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.tools}/code-server-$VERSION"
BIN="$ROOT/node_modules/.bin/code-server"
if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "[duckstack] code-server $VERSION: present at $ROOT"
  exit 0
fi
echo "[duckstack] code-server $VERSION: installing into $ROOT (about 1 minute)"
mkdir -p "$ROOT"
# @vscode/ripgrep downloads rg from GitHub at install time; seed its cache with Debian's rg.
RG_CACHE=/tmp/vscode-ripgrep-cache-1.15.11
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  command -v rg >/dev/null || { echo "[duckstack] ERROR: ripgrep (Debian package 'ripgrep') is missing; run scripts/ensure-host-packages.sh" >&2; exit 1; }
  mkdir -p "$RG_CACHE" "$RG_CACHE/stage"
  cp "$(command -v rg)" "$RG_CACHE/stage/rg"
  tar -C "$RG_CACHE/stage" -czf "$RG_TGZ" rg
fi
NODEDIR="/usr"
[ -f /usr/include/node/node.h ] || NODEDIR="$(dirname "$(dirname "$(command -v node)")")"
cd "$ROOT"
[ -f package.json ] || echo '{"name":"duckstack-code-server-host","private":true}' > package.json
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$NODEDIR" \
  npm install --no-audit --no-fund --foreground-scripts --loglevel=error "code-server@$VERSION" > "$ROOT/install.log" 2>&1 || {
  echo "[duckstack] ERROR: code-server install failed; see $ROOT/install.log" >&2; tail -30 "$ROOT/install.log" >&2; exit 1; }
"$BIN" --version >/dev/null || { echo "[duckstack] ERROR: code-server installed but does not run; see $ROOT/install.log" >&2; exit 1; }
echo "[duckstack] code-server $VERSION: installed"
