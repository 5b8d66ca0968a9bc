#!/usr/bin/env bash
# Installs the Debian packages the test suite and `npm start` need, only those missing.
# Idempotent: a package already installed is left alone and the script says so.
set -euo pipefail
PACKAGES=(chromium chromium-driver libkrb5-dev pkg-config libx11-dev libxkbfile-dev libsecret-1-dev ripgrep docker.io busybox-static python3 openssh-server)
missing=()
for p in "${PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then :; else missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[duckstack] Debian packages: all present (${PACKAGES[*]})"
  exit 0
fi
echo "[duckstack] Debian packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "[duckstack] ERROR: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
