#!/usr/bin/env bash
# End-to-end tests of the built app under Xvfb (needs target/debug/tongtin-app
# built with the UI embedded, tauri-driver and WebKitWebDriver).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# WebKit draws with Skia on the CPU: under Xvfb, Mesa's software GL has
# crashed the page now and then (SkiaGPUWorker in swrast_dri.so).
export WEBKIT_SKIA_ENABLE_CPU_RENDERING=1
# A hung run fails instead of holding CI; no app outlives the tests.
target="${CARGO_TARGET_DIR:-target}"
# The tests' homes, saved documents and scratch files go to a folder of this
# run, removed at the end, instead of piling up in /tmp.
scratch="$(mkdir -p "$target/e2e-tmp" && cd "$target/e2e-tmp" && pwd)"
export TMPDIR="$scratch"
trap 'pkill -f "$target/debug/tongtin-app" || true; rm -rf "$scratch"' EXIT
timeout --kill-after=30 1500 xvfb-run -a -s "-screen 0 1400x900x24" node --test --test-concurrency=1 tests/e2e/
echo "screenshots: target/e2e/tongtin.png, target/e2e/tongtin-edit.png, target/e2e/tongtin-inventory.png, target/e2e/tongtin-workbench.png, target/e2e/tongtin-terrain.png, target/e2e/tongtin-sync.png, target/e2e/tongtin-sync-conflicts.png"
