#!/usr/bin/env bash
# The dashboard's load time on the Chifeng demo (docs/perf/dashboard.md): a release corridor
# serving web/dist, Debian's chromium headless. Usage: bench/dashboard.sh [WARM_RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target corridor -- -j"$(nproc)" >/dev/null
./scripts/web
CORRIDOR_BIN=build/release/src/cli/corridor node web/tests/e2e/bench.mjs "${1:-10}"
