#!/usr/bin/env bash
# Installs what building, running and testing Tongtin needs on Debian 12, and nothing
# that is already there. Safe to run again. Root (or sudo) is needed for apt.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

debian_packages=(
  build-essential pkg-config curl ca-certificates
  # the desktop shell (Tauri on WebKitGTK)
  libwebkit2gtk-4.1-dev
  # reprojection with the system PROJ (the proj crate needs bindgen, hence libclang)
  libproj-dev libclang-dev
  # GDAL: the reference reader, writer and validator used by the tests
  gdal-bin python3-gdal sqlite3
  # the sync hub's central store and its tests (a throwaway cluster: scripts/postgres.sh)
  postgresql postgresql-15-postgis-3
  # a real window for end-to-end tests and screenshots
  xvfb xauth imagemagick webkit2gtk-driver
  # document tests: PDF text, pages and rendering (poppler), QR label decoding (zbar)
  poppler-utils zbar-tools
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
# The test command checks formatting and lints; a minimal toolchain has neither.
for tool in fmt clippy; do
  if ! cargo "$tool" --version >/dev/null 2>&1; then
    echo "adding the Rust component for cargo $tool"
    rustup component add "$([ "$tool" = fmt ] && echo rustfmt || echo clippy)"
  fi
done

# The WebDriver server that drives the real app in the end-to-end tests.
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "installing tauri-driver (end-to-end tests)"
  cargo install tauri-driver --locked --version 2.1.0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed for the UI build (found: ${node_major}); install it from nodejs.org or NodeSource" >&2
  exit 1
fi
