#!/usr/bin/env bash
# Installs what is missing (Debian 12) and runs every test: Rust unit and
# integration tests against the real GDAL tools, and the UI's unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
export CARGO_BUILD_JOBS=2

echo "== formatting"
cargo fmt --all -- --check

echo "== lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

echo "== UI unit tests (Vitest) and build"
(cd ui && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm test && npm run build)

echo "== Rust tests (core, CLI, GDAL interoperability, crash safety, the shell)"
# The shell is built with the UI embedded, as scripts/run-app.sh builds it, so
# that tests and the app share one build.
cargo test --workspace --features tongtin-app/custom-protocol

echo "== End to end: the built app under Xvfb (tauri-driver + WebKitWebDriver)"
cargo build -p tongtin-app --features custom-protocol
bash tests/e2e/run.sh
