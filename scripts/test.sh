#!/usr/bin/env bash
# Installs what is missing (Debian 12) and runs every test: Rust unit and
# integration tests against the real GDAL tools, and the UI's unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
export CARGO_BUILD_JOBS=2

echo "== formatting"
cargo fmt --all -- --check

if [ -f ui/package.json ]; then
  echo "== UI unit tests (Vitest)"
  (cd ui && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm test)
fi

echo "== Rust tests (core, CLI, GDAL interoperability, crash safety)"
cargo test --workspace
