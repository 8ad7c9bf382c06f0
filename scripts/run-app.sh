#!/usr/bin/env bash
# Builds the UI and the desktop app, then opens the window.
#
#   bash scripts/run-app.sh [FILE.gpkg]
#
# Without a file the window shows the demo municipality (generated in the
# app's data folder on first use). Needs what scripts/install-deps.sh installs,
# and a display (X11 or Wayland); with none, run it under Xvfb:
#   xvfb-run -a bash scripts/run-app.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Install what is missing first (Debian 12 packages, tauri-driver, checks Node).
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-app: no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no window can open." >&2
  echo "run-app: run it from a desktop session, or under Xvfb: xvfb-run -a bash scripts/run-app.sh" >&2
  exit 2
fi
for tool in node npm cargo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-app: '$tool' not found: run scripts/install-deps.sh first" >&2
    exit 1
  fi
done

# The UI: install exactly what package-lock.json says when it changed, then build ui/dist.
stamp=ui/node_modules/.tongtin-package-lock.sha256
lock_sum=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ ! -d ui/node_modules ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_sum" ]; then
  echo "run-app: installing the UI's packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$stamp"
fi
echo "run-app: building the UI"
(cd ui && npm run build)

# The app, with ui/dist embedded (custom-protocol); the dev profile, as CI builds.
echo "run-app: building the app"
cargo build -p tongtin-app --features custom-protocol

exec "${CARGO_TARGET_DIR:-target}/debug/tongtin-app" "$@"
