#!/usr/bin/env bash
# End-to-end tests of the built app under Xvfb (needs target/debug/tongtin-app
# built with the UI embedded, tauri-driver and WebKitWebDriver).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
xvfb-run -a -s "-screen 0 1400x900x24" node --test --test-concurrency=1 tests/e2e/
echo "screenshots: target/e2e/tongtin.png, target/e2e/tongtin-edit.png"
